//! What the fuzz tests type into Circle: hostile strings, numbers at their
//! ends, dates at the ends of the calendar, zones that do not exist, and
//! ids of rows that are someone else's.

use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::harness::{Who, PHI_MARK};

/// Strings that have broken programs before: NUL, right-to-left marks and
/// overrides, combining sequences, zero-width and BOM characters, emoji
/// sequences, SQL and FTS5 syntax, mention tokens, markup, paths.
pub const NASTY: &[&str] = &[
    "",
    " ",
    "   \t\n ",
    "\0",
    "a\0b",
    "Zo\0ë",
    "\u{200F}",
    "\u{200E}\u{200F}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}",
    "\u{202E}fdp.exe",
    "\u{200F}Zoë Martin\u{200E}",
    "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}",
    "\u{301}",
    "Zoe\u{308} Marti\u{301}n",
    "Z\u{200B}o\u{200D}ë",
    "\u{FEFF}Ann",
    "\u{FFFD}",
    "\u{10FFFF}",
    "🙂",
    "👩🏽‍⚕️👨‍👩‍👧",
    "'; DROP TABLE clients; --",
    "\" OR 1=1 --",
    "*",
    "\"",
    "\"\"",
    "NEAR(zoe ann, 2)",
    "zoe OR ann",
    "NOT",
    "AND",
    "^",
    "-",
    "--",
    "\\",
    "%",
    "_",
    "{}",
    "#{ 1 }",
    "$(rm -rf /)",
    "<script>alert(1)</script>",
    "@[client:1]",
    "@[client:-1]",
    "@[client:0]",
    "@[client:99999999999999999999]",
    "@[client:",
    "@[client:12",
    "\r\n",
    "\u{85}\u{2028}\u{2029}",
    "ß",
    "İstanbul",
    "ǅ",
    "ﬃ",
    "中文名字",
    "محمد",
    "אבי",
    "Łukasz Đorđević Øster",
    "Ann-Marie O'Brien",
    "O’Brien",
    "null",
    "undefined",
    "NaN",
    "0",
    "-1",
    "9223372036854775808",
    "C-000001",
    "../../etc/passwd",
    "/dev/null",
    "CON",
];

/// Characters worth meeting inside other text.
const CHARS: &[char] = &[
    '\0',
    '\u{1}',
    '\u{2}',
    '\u{3}',
    '\u{7f}',
    '\u{200B}',
    '\u{200D}',
    '\u{200E}',
    '\u{200F}',
    '\u{202A}',
    '\u{202E}',
    '\u{2066}',
    '\u{2069}',
    '\u{301}',
    '\u{308}',
    '\u{FEFF}',
    '\u{FFFD}',
    '\u{10FFFF}',
    ' ',
    '\t',
    '\n',
    '\r',
    '@',
    '[',
    ']',
    ':',
    '"',
    '\'',
    '*',
    '^',
    '(',
    ')',
    '-',
    '\u{2010}',
    '\u{2019}',
    '.',
    ',',
    '%',
    '_',
    '\\',
    '/',
    'é',
    'ë',
    'ł',
    'Ø',
    'ß',
    'ς',
    'σ',
    'İ',
    'ı',
    '中',
    'ا',
    'א',
    '²',
    '٣',
    '🙂',
];

/// Words from the practice's names and notes, so input meets real rows.
const WORDS: &[&str] = &[
    "Zoë",
    "Zoe",
    "Martin",
    "Ann",
    "Lee",
    "Robert",
    "Bobby",
    "Okafor",
    "José",
    "Alvarez",
    "Mei",
    "Chen",
    "Tomás",
    "Liam",
    "Sara",
    "Farah",
    "Haddad",
    "Quinn",
    "Abara",
    "Annual",
    "coping",
    "grounding",
    "sleep",
    "plan",
    "group",
    "CBT",
];

/// 100 KB of text: names, marks and words, every kind of line break.
pub static HUNDRED_KB: LazyLock<String> = LazyLock::new(|| {
    let piece = "Zoë Martin said \u{200F}שלום\u{200E} e\u{301}\u{302} @[client:1] \0 ok;\r\n";
    let mut s = String::with_capacity(100 * 1024 + piece.len());
    while s.len() < 100 * 1024 {
        s.push_str(piece);
    }
    s
});

fn chars() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => select(CHARS),
        3 => proptest::char::range('a', 'z'),
        2 => any::<char>(),
    ]
}

/// Any text a person (or a script in the page) could send, up to 100 KB.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        12 => short_text(),
        1 => (select(&[20_000usize, 20_001][..]), chars())
            .prop_map(|(n, c)| std::iter::repeat_n(c, n).collect()),
        1 => Just(HUNDRED_KB.clone()),
    ]
    .boxed()
}

/// [`text`] without the very long ones (at most a few thousand chars),
/// for fields that come many to an input: a note's hundred member
/// sections of 20,000 chars each would test only the test's own speed.
pub fn short_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(NASTY).prop_map(str::to_owned),
        4 => vec(chars(), 0..40).prop_map(|c| c.into_iter().collect()),
        3 => vec(select(WORDS), 1..6).prop_map(|w| w.join(" ")),
        2 => (select(NASTY), select(WORDS), select(NASTY)).prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        1 => any::<String>(),
        1 => (select(&[1usize, 2, 59, 60, 61, 79, 80, 81, 99, 100, 101, 200, 201, 254, 255, 1000, 4000][..]), chars())
            .prop_map(|(n, c)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

/// Text as a name field would take it most of the time, with the hostile
/// kinds mixed in.
pub fn name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => vec(select(WORDS), 1..3).prop_map(|w| w.join(" ")),
        3 => text(),
    ]
    .boxed()
}

/// A client's name: like [`name`], and sometimes carrying [`PHI_MARK`],
/// which no error message may repeat.
pub fn person() -> BoxedStrategy<String> {
    prop_oneof![
        4 => name(),
        1 => Just(PHI_MARK.to_owned()),
        1 => name().prop_map(|n| format!("{n} {PHI_MARK}")),
    ]
    .boxed()
}

/// What a clinician writes about a client: any text, sometimes carrying
/// [`PHI_MARK`].
pub fn phi_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text(),
        1 => short_text().prop_map(|t| format!("{PHI_MARK} {t}")),
    ]
    .boxed()
}

/// [`phi_text`] without the very long ones.
pub fn short_phi_text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => short_text(),
        1 => short_text().prop_map(|t| format!("{PHI_MARK} {t}")),
    ]
    .boxed()
}

pub fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::weighted(0.7, s).boxed()
}

/// Dates at the ends of the calendar, dates that do not exist, dates in
/// other shapes, and dates around the practice's sessions (November 2026,
/// and the daylight-saving changes of 2026).
pub const DATES: &[&str] = &[
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "+262143-12-31",
    "-262144-01-01",
    "+262144-01-01",
    "-0001-12-31",
    "2024-02-30",
    "2023-02-29",
    "2024-02-29",
    "2100-02-29",
    "2000-02-29",
    "1970-01-01",
    "1969-12-31",
    "2038-01-19",
    "2026-03-08",
    "2026-03-29",
    "2026-10-25",
    "2026-11-01",
    "2026-11-03",
    "2026-11-04",
    "2026-11-10",
    "2026-11-17",
    "2026-11-20",
    "2026-11-24",
    "2026-11-26",
    "2026-12-31",
    "2027-02-01",
    "2026-13-01",
    "2026-00-10",
    "2026-11-00",
    "2026-11-31",
    "26-11-03",
    "2026/11/03",
    "2026-11-3",
    " 2026-11-03 ",
    "２０２６-１１-０３",
    "2026-11-03T18:00",
    "2026-11-03\0",
    "",
];

pub fn date() -> BoxedStrategy<String> {
    prop_oneof![
        5 => select(DATES).prop_map(str::to_owned),
        2 => (1u32..=28).prop_map(|d| format!("2026-11-{d:02}")),
        2 => (-1i32..=10_000, 0u32..=13, 0u32..=32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => text(),
    ]
    .boxed()
}

pub const TIMES: &[&str] = &[
    "18:00",
    "09:00",
    "10:00",
    "00:00",
    "23:59",
    "24:00",
    "25:61",
    "18:60",
    "-1:00",
    "6:00",
    "06:00:00",
    "",
    " ",
    "99:99",
    "01:30",
    "02:30",
    "12:00 ",
    "１８:００",
    "18:00\0",
    "18h00",
    "6pm",
    "18.00",
];

pub fn time() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(TIMES).prop_map(str::to_owned),
        2 => (0u32..=30, 0u32..=70).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
        1 => text(),
    ]
    .boxed()
}

/// Zones that exist (with odd offsets and daylight saving), and ones that
/// do not.
pub const ZONES: &[&str] = &[
    "Europe/London",
    "America/New_York",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "UTC",
    "Etc/GMT+12",
    "Mars/Olympus",
    "",
    " ",
    "europe/london",
    "Europe/London ",
    "Europe/London\0",
    "GMT+25",
    "+05:30",
    "../../../etc/localtime",
    "Local",
    "US/Pacific-New",
];

pub fn zone() -> BoxedStrategy<String> {
    prop_oneof![4 => select(ZONES).prop_map(str::to_owned), 1 => text()].boxed()
}

pub fn i64_edge() -> BoxedStrategy<i64> {
    prop_oneof![
        3 => select(&[i64::MIN, i64::MIN + 1, -1, 0, 1, 2, i64::MAX - 1, i64::MAX, 1 << 53][..]),
        2 => any::<i64>(),
        2 => -5i64..200,
    ]
    .boxed()
}

pub fn u32_edge() -> BoxedStrategy<u32> {
    prop_oneof![
        3 => select(&[0u32, 1, 2, 4, 5, 59, 60, 61, 90, 100, 101, 365, 366, 480, 481, 1440, 1441, 100_000, u32::MAX - 1, u32::MAX][..]),
        2 => any::<u32>(),
        2 => 0u32..200,
    ]
    .boxed()
}

/// Mostly `ids` (rows of the kind asked for, own and someone else's), else
/// any row of another kind, else numbers at their ends.
pub fn id(ids: Vec<i64>, every: Vec<i64>) -> BoxedStrategy<i64> {
    prop_oneof![
        5 => select(ids),
        1 => select(every),
        2 => i64_edge(),
    ]
    .boxed()
}

pub fn id_list(ids: Vec<i64>, every: Vec<i64>) -> BoxedStrategy<Vec<i64>> {
    prop_oneof![
        4 => vec(id(ids.clone(), every), 0..8),
        1 => vec(select(ids), 0..600),
    ]
    .boxed()
}

/// Who acts: the owner and the clinicians most often, since they reach
/// deepest; every role some of the time.
pub fn who() -> BoxedStrategy<Who> {
    prop_oneof![
        4 => Just(Who::Owner),
        3 => Just(Who::Ana),
        2 => Just(Who::Ben),
        1 => Just(Who::Cara),
        1 => Just(Who::Manager),
        1 => Just(Who::FrontDesk),
    ]
    .boxed()
}

/// A passphrase: mostly weak or hostile, sometimes strong enough to pass.
///
/// A strong one costs an Argon2id derivation when it is accepted (a fifth
/// of a second), so they are kept to about one case in eight.
pub fn passphrase() -> BoxedStrategy<String> {
    prop_oneof![
        10 => text(),
        2 => vec(select(&["quiet", "lantern", "orchard", "tide", "copper", "meadow", "violin", "harbor", "tundra", "pebble", "quiver", "saffron", "glacier", "mosaic"][..]), 1..6)
            .prop_map(|w| w.join(" ")),
        1 => select(&[crate::common::OWNER_PASS, crate::common::INITIAL_PASS, crate::common::ASSIGNED_PASS][..]).prop_map(str::to_owned),
    ]
    .boxed()
}

pub fn bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        3 => vec(any::<u8>(), 0..512),
        1 => Just(b"\x89PNG\r\n\x1a\n".to_vec()),
        1 => vec(any::<u8>(), 0..64).prop_map(|mut b| {
            let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xff\xff\xff\xff\xff\xff\xff\x08\x06\0\0\0".to_vec();
            v.append(&mut b);
            v
        }),
        1 => vec(any::<u8>(), 0..64).prop_map(|mut b| {
            let mut v = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
            v.append(&mut b);
            v
        }),
        1 => vec(any::<u8>(), 0..64).prop_map(|mut b| {
            let mut v = b"%PDF-1.7\n".to_vec();
            v.append(&mut b);
            v
        }),
        1 => Just(vec![0u8; 3 * 1024 * 1024]),
    ]
    .boxed()
}
