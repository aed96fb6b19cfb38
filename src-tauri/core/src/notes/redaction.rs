//! Member view of a shared group-note section: the core confidentiality promise.
//!
//! A group note's shared part (topic, interventions, group process) is pasted
//! into every attending member's record. Each member's copy must show every
//! *other* member only as a neutral label ("Member B"), so one record never
//! leaks another member's name. Everything here is pure: no database, no
//! session, no clock. The caller supplies the roster and a per-session key.
//!
//! Two kinds of names are redacted:
//!
//! * **Mentions** inserted by the editor, `@[client:<id>]`. These are exact:
//!   the viewer's own mention shows the viewer's display name, another roster
//!   member's shows that member's label, and an id that is not on the roster
//!   shows "another member" (never the raw token).
//! * **Free-text names**: each other member's legal first, legal last and
//!   preferred name (each whole field, each word of it, each part of a
//!   hyphenated word) and the full-name combinations (legal first + last,
//!   preferred + last). Matching ignores case and diacritics (both sides go
//!   through [`crate::names::fold`]), finds whole words only ("Ann" never
//!   touches "Annual", "Annie" or "Joanne"), prefers the longest match ("Zoë
//!   Martin" becomes one label) and leaves a possessive suffix in place
//!   ("Zoë's" → "Member B's"). Words of the full-name combinations may be
//!   separated by any run of white space, line breaks included. Text that does
//!   not match comes back byte for byte (casing, accents, punctuation, line
//!   breaks).
//!
//! Deliberate choices, all on the safe side (over-redaction rather than a leak):
//!
//! * A name word that belongs to another member is redacted even when it is
//!   also one of the viewer's own name words: with two members called "Sam",
//!   "Sam" is redacted in both records, even where it meant the viewer (so the
//!   viewer may read "Member C Reed" for their own full name). The viewer's own
//!   name words that no other member shares are left as written.
//! * A free-text name shared by several *other* members cannot be attributed,
//!   so it becomes "another member" rather than one of their labels.
//! * Digits do not make a word longer: "Jo2" is redacted like "Jo". A name part
//!   of one character is ignored (it would match initials and articles).
//! * Names that are ordinary words ("Will", "Hope") are redacted wherever they
//!   appear as a whole word.
//!
//! Known limit: matching is by words separated by non-letters, so a name
//! written inside an unspaced script run (Chinese or Japanese text with no
//! spaces around the name) is not found; use an @-mention there.
//!
//! Labels are assigned per session in the order of HMAC-SHA256(session key,
//! client id): consistent for every record of one session, unlinkable across
//! sessions provided each session has its own random key (the caller's job).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use ring::hmac;

use crate::names::fold;

/// What an @-mention of a client id not on the roster shows, and what a free
/// text name shared by several other members becomes.
pub const ANOTHER_MEMBER: &str = "another member";

const MENTION_PREFIX: &str = "@[client:";

/// Domain separation for the label order, so the session key can serve other
/// purposes without its HMAC outputs being comparable with these.
const LABEL_CONTEXT: &[u8] = b"circle/notes/member-label/v1\0";

/// One member of the session's roster, as redaction needs them.
/// `Debug` prints the id only (names are PHI).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RosterMember {
    pub client_id: i64,
    /// The given name.
    pub legal_first_name: String,
    /// The family name.
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    #[serde(default)]
    pub middle_name: Option<String>,
    /// The order the name is written in (the display name follows it).
    #[serde(default)]
    pub name_order: crate::names::NameOrder,
}

impl std::fmt::Debug for RosterMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterMember")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl RosterMember {
    /// Preferred name (else legal first name) and legal last name, in the
    /// member's name order ("Minh Nguyễn", or "Nguyễn Minh" family first);
    /// the middle name is left out (see [`crate::names::everyday_name`]).
    pub fn display_name(&self) -> String {
        let given = self
            .preferred_name
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| self.legal_first_name.trim());
        crate::names::everyday_name(given, &self.legal_last_name, self.name_order)
    }
}

// ---------------------------------------------------------------- mentions

/// The editor's structured mention of a roster member: `@[client:<id>]`.
pub fn mention_token(client_id: i64) -> String {
    format!("{MENTION_PREFIX}{client_id}]")
}

/// The client ids mentioned in `text`, in order of first mention, each once.
/// Malformed tokens and ids that do not fit an `i64` are left out.
pub fn mentions(text: &str) -> Vec<i64> {
    let mut seen = HashSet::new();
    split_mentions(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Mention(Some(id)) if seen.insert(id) => Some(id),
            _ => None,
        })
        .collect()
}

/// The text as someone who may read the whole note sees it: each mention
/// written out as that member's display name ("another member" for an id
/// not on the roster), everything else as typed.
pub fn full_view(text: &str, roster: &[RosterMember]) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in split_mentions(text) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Mention(id) => match roster.iter().find(|m| Some(m.client_id) == id) {
                Some(member) => out.push_str(&member.display_name()),
                None => out.push_str(ANOTHER_MEMBER),
            },
        }
    }
    out
}

/// A stretch of shared text: plain text, or a mention (`None` when the id in
/// the token does not fit an `i64`: shown as an unknown member).
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Mention(Option<i64>),
}

fn split_mentions(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut pending = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find(MENTION_PREFIX) {
        let at = search + found;
        let body = at + MENTION_PREFIX.len();
        match parse_mention_body(&text[body..]) {
            Some((id, len)) => {
                if at > pending {
                    pieces.push(Piece::Text(&text[pending..at]));
                }
                pieces.push(Piece::Mention(id));
                pending = body + len;
                search = pending;
            }
            // '@' occurs only first in the prefix: no later match starts inside it.
            None => search = body,
        }
    }
    if pending < text.len() {
        pieces.push(Piece::Text(&text[pending..]));
    }
    pieces
}

/// `-?[0-9]+]` at the start of `s`: the id (if it fits) and the bytes used.
fn parse_mention_body(s: &str) -> Option<(Option<i64>, usize)> {
    let bytes = s.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes[sign..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let end = sign + digits;
    if digits == 0 || bytes.get(end) != Some(&b']') {
        return None;
    }
    Some((s[..end].parse::<i64>().ok(), end + 1))
}

// ---------------------------------------------------------------- labels

/// "Member A" … "Member Z", "Member AA", "Member AB", … for 0, 1, 2, …
fn label(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    format!("Member {}", letters.into_iter().rev().collect::<String>())
}

/// Each roster member's label for one session: "Member A", "Member B", … in
/// the order of HMAC-SHA256(`session_key`, client id), never alphabetical or
/// by id. The same key gives the same labels; another key, another order.
/// A client id listed twice gets one label.
pub fn member_labels(roster: &[RosterMember], session_key: &[u8]) -> HashMap<i64, String> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, session_key);
    let mut ids: Vec<i64> = roster.iter().map(|m| m.client_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut ordered: Vec<(hmac::Tag, i64)> = ids
        .into_iter()
        .map(|id| {
            let mut ctx = hmac::Context::with_key(&key);
            ctx.update(LABEL_CONTEXT);
            ctx.update(&id.to_be_bytes());
            (ctx.sign(), id)
        })
        .collect();
    ordered.sort_by(|(a, a_id), (b, b_id)| a.as_ref().cmp(b.as_ref()).then(a_id.cmp(b_id)));
    ordered
        .into_iter()
        .enumerate()
        .map(|(index, (_, id))| (id, label(index)))
        .collect()
}

// ---------------------------------------------------------------- folding

/// Text folded char by char with [`fold`], remembering for every folded char
/// the byte offset of the original char it came from. Folding changes lengths
/// ("é" may be one or two chars before, one after; a lone combining mark folds
/// to nothing), so spans found in `chars` map back through `source`.
struct Folded {
    chars: Vec<char>,
    source: Vec<usize>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut chars = Vec::with_capacity(text.len());
        let mut source = Vec::with_capacity(text.len());
        let mut buf = [0u8; 4];
        for (at, c) in text.char_indices() {
            // A character no reader sees, typed or pasted inside a name
            // ("Zo\u{200B}ë"), must not hide the name: it folds to nothing.
            if is_invisible(c) {
                continue;
            }
            // Char by char, so text and names fold alike whatever surrounds
            // them (str::to_lowercase picks final sigma by context): make
            // every sigma the same one.
            for f in fold(c.encode_utf8(&mut buf)).chars() {
                chars.push(if f == 'ς' { 'σ' } else { f });
                source.push(at);
            }
        }
        Folded { chars, source }
    }

    /// Whether a name may start at folded index `i`: at a word start, and at
    /// the first folded char of its original char.
    fn starts_word(&self, i: usize) -> bool {
        i == 0 || (self.source[i] != self.source[i - 1] && !is_word_char(self.chars[i - 1]))
    }

    /// Whether a name may end just before folded index `end`.
    fn ends_word(&self, end: usize) -> bool {
        end == self.chars.len()
            || (self.source[end] != self.source[end - 1] && !is_word_char(self.chars[end]))
    }

    /// The original byte span of folded `start..end` within `text`. The end
    /// runs to the next char that folds to something, so combining marks
    /// written after the name's last letter go with the name.
    fn byte_span(&self, text: &str, start: usize, end: usize) -> (usize, usize) {
        let to = self.source.get(end).copied().unwrap_or(text.len());
        (self.source[start], to)
    }
}

/// Format characters that take no space on screen (Unicode's default
/// ignorables that are not combining marks, which [`fold`] drops already):
/// the soft hyphen, zero-width space and joiners, direction marks,
/// embeddings, overrides and isolates, word joiner and invisible operators,
/// the byte order mark, Hangul fillers, tags.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Letters make words longer; digits, punctuation and apostrophes do not.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
}

// ---------------------------------------------------------------- names

/// A name to look for: folded words, matched with white space between them.
type Words = Vec<Vec<char>>;

/// A name and every roster member it belongs to.
struct Pattern {
    words: Words,
    owners: Vec<i64>,
}

/// The folded words of a name field, each trimmed of punctuation at its ends
/// ("Jr." → "jr").
fn name_words(field: &str) -> Words {
    let folded = Folded::new(field).chars;
    folded
        .split(|c| c.is_whitespace())
        .map(trim_word)
        .filter(|w| !w.is_empty())
        .map(<[char]>::to_vec)
        .collect()
}

fn trim_word(word: &[char]) -> &[char] {
    let start = word.iter().position(|c| c.is_alphanumeric());
    let end = word.iter().rposition(|c| c.is_alphanumeric());
    match (start, end) {
        (Some(s), Some(e)) => &word[s..=e],
        _ => &[],
    }
}

fn is_hyphen(c: &char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Every name of one member to redact (see the module notes): each word of
/// the legal first, middle, legal last and preferred name, and the full-name
/// combinations in both orders, whatever the member's own name order (a
/// Vietnamese name may be written either way round in a note): given + last,
/// last + given, given + middle + last, last + middle + given, middle +
/// given and given + middle, where "given" is the legal first name or the
/// preferred name. So for Nguyễn Thị Minh: "Nguyễn Thị Minh", "Minh
/// Nguyễn", "Nguyễn Minh", "Thị Minh" and each of "Nguyễn", "Thị", "Minh".
fn member_names(member: &RosterMember) -> HashSet<Words> {
    let first = name_words(&member.legal_first_name);
    let last = name_words(&member.legal_last_name);
    let preferred = member
        .preferred_name
        .as_deref()
        .map(name_words)
        .unwrap_or_default();
    let middle = member
        .middle_name
        .as_deref()
        .map(name_words)
        .unwrap_or_default();

    let mut names = HashSet::new();
    for field in [&first, &last, &preferred, &middle] {
        names.insert(field.clone());
        for word in field {
            names.insert(vec![word.clone()]);
            for part in word.split(is_hyphen).map(trim_word) {
                names.insert(vec![part.to_vec()]);
            }
            // Typed without its apostrophes or hyphens ("OBrien",
            // "OBrienSmythe") the name is still the name.
            let bare: Vec<char> = word
                .iter()
                .filter(|c| **c != '\'' && !is_hyphen(c))
                .copied()
                .collect();
            names.insert(vec![bare]);
        }
    }
    let joined = |parts: &[&Words]| -> Words { parts.iter().copied().flatten().cloned().collect() };
    for given in [&first, &preferred] {
        if given.is_empty() {
            continue;
        }
        if !last.is_empty() {
            names.insert(joined(&[given, &last]));
            names.insert(joined(&[&last, given]));
            if !middle.is_empty() {
                names.insert(joined(&[given, &middle, &last]));
                names.insert(joined(&[&last, &middle, given]));
            }
        }
        if !middle.is_empty() {
            names.insert(joined(&[&middle, given]));
            names.insert(joined(&[given, &middle]));
        }
    }
    // A single word of one char is an initial or an article, not a name.
    names.retain(|words| match words.as_slice() {
        [] => false,
        [one] => one.len() > 1,
        _ => true,
    });
    names
}

/// The names of `members`, each with all the members it belongs to.
fn patterns<'a>(members: impl IntoIterator<Item = &'a RosterMember>) -> Vec<Pattern> {
    let mut owners: HashMap<Words, Vec<i64>> = HashMap::new();
    for member in members {
        for words in member_names(member) {
            let ids = owners.entry(words).or_default();
            if !ids.contains(&member.client_id) {
                ids.push(member.client_id);
            }
        }
    }
    owners
        .into_iter()
        .map(|(words, owners)| Pattern { words, owners })
        .collect()
}

/// Where `words` matches at folded index `i` (any white space between
/// words), the folded end of the match.
fn match_at(text: &Folded, i: usize, words: &Words) -> Option<usize> {
    let t = &text.chars;
    let mut p = i;
    for (n, word) in words.iter().enumerate() {
        if n > 0 {
            let gap = t[p..].iter().take_while(|c| c.is_whitespace()).count();
            if gap == 0 {
                return None;
            }
            p += gap;
        }
        if !t[p..].starts_with(word) {
            return None;
        }
        p += word.len();
    }
    Some(p)
}

/// A name found in text: folded span and the members it may refer to.
struct Hit {
    start: usize,
    end: usize,
    owners: Vec<i64>,
}

/// Leftmost-longest whole-word matches of `patterns` in `text`, not overlapping.
fn find_names(text: &Folded, patterns: &[Pattern]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < text.chars.len() {
        if text.starts_word(i) {
            let mut best: Option<Hit> = None;
            for pattern in patterns {
                let Some(end) = match_at(text, i, &pattern.words) else {
                    continue;
                };
                if !text.ends_word(end) {
                    continue;
                }
                match &mut best {
                    Some(hit) if hit.end > end => {}
                    Some(hit) if hit.end == end => {
                        for id in &pattern.owners {
                            if !hit.owners.contains(id) {
                                hit.owners.push(*id);
                            }
                        }
                    }
                    _ => {
                        best = Some(Hit {
                            start: i,
                            end,
                            owners: pattern.owners.clone(),
                        })
                    }
                }
            }
            if let Some(hit) = best {
                i = hit.end;
                hits.push(hit);
                continue;
            }
        }
        i += 1;
    }
    hits
}

// ---------------------------------------------------------------- views

/// The shared text as `viewer_client_id`'s record shows it: mentions resolved
/// (own → display name, other member → label, unknown id → "another member"),
/// and every other member's free-text name replaced by their label. The
/// viewer's own name stays unless another member shares that word (then it is
/// redacted too: see the module notes). Everything else is returned unchanged.
pub fn member_view(
    shared: &str,
    roster: &[RosterMember],
    viewer_client_id: i64,
    session_key: &[u8],
) -> String {
    MemberViewer::new(roster, viewer_client_id, session_key).view(shared)
}

/// [`member_view`] prepared once for one member of one session, for
/// rendering many texts (a chart of many notes): labels and name patterns
/// are computed once.
pub struct MemberViewer {
    labels: HashMap<i64, String>,
    others: Vec<Pattern>,
    viewer: Option<RosterMember>,
}

impl MemberViewer {
    pub fn new(roster: &[RosterMember], viewer_client_id: i64, session_key: &[u8]) -> Self {
        MemberViewer {
            labels: member_labels(roster, session_key),
            others: patterns(roster.iter().filter(|m| m.client_id != viewer_client_id)),
            viewer: roster
                .iter()
                .find(|m| m.client_id == viewer_client_id)
                .cloned(),
        }
    }

    /// `text` as this member's record shows it (see [`member_view`]).
    pub fn view(&self, text: &str) -> String {
        self.view_keeping(text, &[])
    }

    /// [`Self::view`], except that a free-text name lying wholly inside one
    /// of the `kept` byte ranges of `text` stays as written: the occurrences
    /// the author marked "not a name" (see [`super::name_release`]).
    pub fn view_keeping(&self, text: &str, kept: &[Range<usize>]) -> String {
        let label_of = |id: i64| self.labels.get(&id).map_or(ANOTHER_MEMBER, String::as_str);
        let mut out = String::with_capacity(text.len());
        for piece in split_mentions(text) {
            match piece {
                Piece::Mention(Some(id)) => match &self.viewer {
                    Some(v) if v.client_id == id => out.push_str(&v.display_name()),
                    _ => out.push_str(label_of(id)),
                },
                Piece::Mention(None) => out.push_str(ANOTHER_MEMBER),
                Piece::Text(piece) => {
                    let offset = offset_in(text, piece);
                    let folded = Folded::new(piece);
                    let mut copied = 0;
                    for hit in find_names(&folded, &self.others) {
                        let (from, to) = folded.byte_span(piece, hit.start, hit.end);
                        let (at, end) = (offset + from, offset + to);
                        if kept.iter().any(|k| k.start <= at && end <= k.end) {
                            continue;
                        }
                        out.push_str(&piece[copied..from]);
                        match hit.owners.as_slice() {
                            [one] => out.push_str(label_of(*one)),
                            _ => out.push_str(ANOTHER_MEMBER),
                        }
                        copied = to;
                    }
                    out.push_str(&piece[copied..]);
                }
            }
        }
        out
    }
}

/// Roster members whose names appear in `shared` as free text (mentions do
/// not count), in roster order: the editor warns that these will be redacted
/// from the others' records. A word shared by several members names them all.
pub fn named_members(shared: &str, roster: &[RosterMember]) -> Vec<i64> {
    let mut named = HashSet::new();
    for span in name_spans(shared, roster) {
        named.extend(span.owners);
    }
    let mut out = Vec::new();
    for member in roster {
        if named.remove(&member.client_id) {
            out.push(member.client_id);
        }
    }
    out
}

/// A roster member's name found in text as free text.
pub(crate) struct NameSpan {
    /// Byte range in the text, as written (accents and case kept).
    pub range: Range<usize>,
    /// Every roster member the words may name.
    pub owners: Vec<i64>,
}

/// Every free-text name of `roster` in `text` (mentions skipped),
/// leftmost-longest and not overlapping: what the editor's warning lists.
pub(crate) fn name_spans(text: &str, roster: &[RosterMember]) -> Vec<NameSpan> {
    let all = patterns(roster);
    let mut spans = Vec::new();
    for piece in split_mentions(text) {
        if let Piece::Text(piece) = piece {
            let offset = offset_in(text, piece);
            let folded = Folded::new(piece);
            for hit in find_names(&folded, &all) {
                let (from, to) = folded.byte_span(piece, hit.start, hit.end);
                spans.push(NameSpan {
                    range: offset + from..offset + to,
                    owners: hit.owners,
                });
            }
        }
    }
    spans
}

/// Where `piece`, a slice of `text` (split_mentions only borrows), starts.
fn offset_in(text: &str, piece: &str) -> usize {
    piece.as_ptr() as usize - text.as_ptr() as usize
}

// ---------------------------------------------------------------- tests

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, first: &str, last: &str, preferred: Option<&str>) -> RosterMember {
        RosterMember {
            client_id: id,
            legal_first_name: first.into(),
            legal_last_name: last.into(),
            preferred_name: preferred.map(Into::into),
            middle_name: None,
            name_order: Default::default(),
        }
    }

    const ZOE: i64 = 1;
    const BOBBIE: i64 = 2;
    const ANN: i64 = 3;
    const JOSE: i64 = 4;
    const LI: i64 = 5;
    const JO: i64 = 6;
    const SAM_REED: i64 = 7;
    const SAM_OKAFOR: i64 = 8;

    fn roster() -> Vec<RosterMember> {
        vec![
            member(ZOE, "Zoë", "Martin", None),
            member(BOBBIE, "Roberta", "Smith", Some("Bobbie")),
            member(ANN, "Ann", "Lee", None),
            member(JOSE, "José", "Ortega", None),
            member(LI, "Li", "Wei", None),
            member(JO, "Jo", "Park", None),
            member(SAM_REED, "Sam", "Reed", None),
            member(SAM_OKAFOR, "Sam", "Okafor", None),
        ]
    }

    const KEY: &[u8] = b"session key 1 (random per session in the app)";

    fn lab(id: i64) -> String {
        member_labels(&roster(), KEY)[&id].clone()
    }

    /// Folded whole words (letters only) of a text.
    fn folded_words(text: &str) -> HashSet<String> {
        fold(text)
            .replace('ς', "σ")
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Folded name words (split on white space and hyphens) of a member.
    fn name_tokens(m: &RosterMember) -> Vec<String> {
        [
            Some(m.legal_first_name.as_str()),
            Some(m.legal_last_name.as_str()),
            m.preferred_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|n| {
            fold(n)
                .split(|c: char| c.is_whitespace() || c == '-')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.chars().count() > 1)
        .collect()
    }

    #[test]
    fn mention_tokens_round_trip() {
        assert_eq!(mention_token(12), "@[client:12]");
        let text = format!(
            "Thanks to {} and {}; {} again. @[client:] @[client:x] @[client:7 \
             @[client:99999999999999999999] @[client:@[client:5]",
            mention_token(12),
            mention_token(-3),
            mention_token(12)
        );
        assert_eq!(mentions(&text), vec![12, -3, 5]);
        assert_eq!(mentions("no mentions here"), Vec::<i64>::new());
    }

    #[test]
    fn debug_prints_the_id_only() {
        let shown = format!("{:?}", member(42, "Zoë", "Martin", Some("Zo")));
        assert!(shown.contains("42"), "{shown}");
        assert!(!shown.contains("Zo"), "{shown}");
        assert!(!shown.contains("Martin"), "{shown}");
    }

    #[test]
    fn labels_run_past_z() {
        assert_eq!(label(0), "Member A");
        assert_eq!(label(1), "Member B");
        assert_eq!(label(25), "Member Z");
        assert_eq!(label(26), "Member AA");
        assert_eq!(label(27), "Member AB");
        assert_eq!(label(701), "Member ZZ");
        assert_eq!(label(702), "Member AAA");
    }

    #[test]
    fn labels_are_stable_within_a_session_and_reorder_across_sessions() {
        let roster = roster();
        let labels = member_labels(&roster, KEY);
        assert_eq!(labels, member_labels(&roster, KEY));
        assert_eq!(labels.len(), 8);
        let mut names: Vec<&str> = labels.values().map(String::as_str).collect();
        names.sort_unstable();
        let expected: Vec<String> = (0..8).map(label).collect();
        assert_eq!(names, expected);

        // The order depends on the key only, not the roster's order.
        let mut reversed = roster.clone();
        reversed.reverse();
        assert_eq!(member_labels(&reversed, KEY), labels);

        let orders: Vec<Vec<i64>> = (0..12u8)
            .map(|k| {
                let labels = member_labels(&roster, &[b'k', k]);
                let mut ids: Vec<i64> = labels.keys().copied().collect();
                ids.sort_by_key(|id| labels[id].clone());
                ids
            })
            .collect();
        let distinct: HashSet<&Vec<i64>> = orders.iter().collect();
        assert!(distinct.len() > 1, "every key gave the same order");
        // Not by id, at least for some key.
        assert!(orders.iter().any(|o| o != &(1..=8).collect::<Vec<_>>()));
    }

    #[test]
    fn labels_for_a_large_roster_are_unique() {
        let big: Vec<RosterMember> = (0..60).map(|i| member(i, "A", "B", None)).collect();
        let labels = member_labels(&big, KEY);
        let unique: HashSet<&String> = labels.values().collect();
        assert_eq!(unique.len(), 60);
        assert!(unique.contains(&"Member AA".to_owned()));
        assert!(unique.contains(&"Member BH".to_owned()));
    }

    #[test]
    fn ann_sees_her_name_and_labels_for_everyone_else() {
        let shared = "Thanks to @[client:1] for sharing.\n\
            ZOË MARTIN and zoe spoke; Zoe\u{0308}\u{2019}s story moved Bobbie Smith.\r\n\
            Roberta asked José (jose) about Ortega's plan\u{2014}Ann Lee agreed.\n\n  \
            Annual review: Joanne and Annie also came; Al too.\tLi and Jo listened, \
            Sam too. @[client:99] left; @[client:3] stayed. Mr. Park, Okafor!\n";
        let expected = format!(
            "Thanks to {z} for sharing.\n\
            {z} and {z} spoke; {z}\u{2019}s story moved {b}.\r\n\
            {b} asked {j} ({j}) about {j}'s plan\u{2014}Ann Lee agreed.\n\n  \
            Annual review: Joanne and Annie also came; Al too.\t{l} and {jo} listened, \
            another member too. another member left; Ann Lee stayed. Mr. {jo}, {o}!\n",
            z = lab(ZOE),
            b = lab(BOBBIE),
            j = lab(JOSE),
            l = lab(LI),
            jo = lab(JO),
            o = lab(SAM_OKAFOR),
        );
        assert_eq!(member_view(shared, &roster(), ANN, KEY), expected);
    }

    #[test]
    fn others_see_ann_as_a_label_and_nothing_inside_words() {
        let shared = "Ann, ann's and ANN\u{2019}S notes; Annual review with Joanne, Annie \
            and Lee-Anne. Ann Lee came; Lee too.";
        let a = lab(ANN);
        let expected = format!(
            "{a}, {a}'s and {a}\u{2019}S notes; Annual review with Joanne, Annie \
            and {a}-Anne. {a} came; {a} too."
        );
        assert_eq!(member_view(shared, &roster(), ZOE, KEY), expected);
    }

    #[test]
    fn full_names_become_one_label_across_white_space() {
        let z = lab(ZOE);
        let b = lab(BOBBIE);
        assert_eq!(
            member_view(
                "zoë   Martin\nand Roberta\n Smith; Bobbie Smith's",
                &roster(),
                ANN,
                KEY
            ),
            format!("{z}\nand {b}; {b}'s")
        );
        // Words not separated by white space are matched one by one.
        assert_eq!(
            member_view("Martin,Zoë", &roster(), ANN, KEY),
            format!("{z},{z}")
        );
    }

    #[test]
    fn viewer_mention_shows_the_display_name() {
        let shared = format!("{} and {}", mention_token(BOBBIE), mention_token(ZOE));
        assert_eq!(
            member_view(&shared, &roster(), BOBBIE, KEY),
            format!("Bobbie Smith and {}", lab(ZOE))
        );
        assert_eq!(
            member_view(&shared, &roster(), ZOE, KEY),
            format!("{} and Zoë Martin", lab(BOBBIE))
        );
    }

    #[test]
    fn unknown_and_overflowing_mentions_never_show_the_token() {
        let shared = "@[client:404] and @[client:99999999999999999999] and @[client:-1]";
        let out = member_view(shared, &roster(), ANN, KEY);
        assert_eq!(out, "another member and another member and another member");
        // A viewer not on the roster sees their id as unknown, too.
        assert_eq!(
            member_view("@[client:404]", &roster(), 404, KEY),
            "another member"
        );
    }

    #[test]
    fn malformed_mentions_are_plain_text() {
        let shared = "@[client:abc] and @[client:12 Zoë";
        assert_eq!(
            member_view(shared, &roster(), ANN, KEY),
            format!("@[client:abc] and @[client:12 {}", lab(ZOE))
        );
    }

    #[test]
    fn two_sams_are_redacted_for_each_other() {
        let shared = "Sam spoke. Sam Reed and Sam Okafor agreed; sam's turn.";
        let reed_view = member_view(shared, &roster(), SAM_REED, KEY);
        let o = lab(SAM_OKAFOR);
        assert_eq!(
            reed_view,
            format!("{o} spoke. {o} Reed and {o} agreed; {o}'s turn.")
        );
        let okafor_view = member_view(shared, &roster(), SAM_OKAFOR, KEY);
        let r = lab(SAM_REED);
        assert_eq!(
            okafor_view,
            format!("{r} spoke. {r} and {r} Okafor agreed; {r}'s turn.")
        );
        assert!(!folded_words(&reed_view).contains("sam"));
        assert!(!folded_words(&okafor_view).contains("sam"));
        // A third member cannot tell which Sam is meant.
        assert_eq!(
            member_view("Sam spoke.", &roster(), ANN, KEY),
            "another member spoke."
        );
    }

    #[test]
    fn non_matching_text_comes_back_byte_for_byte() {
        let shared = "Ünïcödé façade \u{2014} naïve café 😀, e\u{0301}te\u{0301};\r\n\t\
            Ⅻ ﬁne İstanbul ΣΊΣΥΦΟΣ 한국어 「括弧」 \u{a0}trailing  ";
        for viewer in 1..=8 {
            assert_eq!(member_view(shared, &roster(), viewer, KEY), shared);
        }
        assert_eq!(member_view("", &roster(), ANN, KEY), "");
    }

    #[test]
    fn folding_that_changes_lengths_maps_back_to_the_original() {
        let roster = vec![
            member(1, "İpek", "Çelik", None),
            member(2, "Ἀλέξης", "Παππάς", None),
            member(3, "Ann", "Lee", None),
        ];
        let labels = member_labels(&roster, KEY);
        let shared = "Çé İPEK, ipek and CELIK; ΑΛΈΞΗΣ παππασ — cafe\u{0301} Çelik\u{0327}'s";
        assert_eq!(
            member_view(shared, &roster, 3, KEY),
            format!(
                "Çé {a}, {a} and {a}; {b} — cafe\u{0301} {a}'s",
                a = labels[&1],
                b = labels[&2]
            )
        );
    }

    #[test]
    fn short_names_and_initials() {
        let roster = vec![
            member(1, "Al", "Green", Some("A")),
            member(2, "Li", "Wei", None),
            member(3, "Ann", "Lee", None),
        ];
        let labels = member_labels(&roster, KEY);
        let shared = "Al's idea: also Alan, a plan; Al2 and (Al). Li, Lisa, Lily.";
        assert_eq!(
            member_view(shared, &roster, 3, KEY),
            format!(
                "{a}'s idea: also Alan, a plan; {a}2 and ({a}). {l}, Lisa, Lily.",
                a = labels[&1],
                l = labels[&2]
            )
        );
    }

    #[test]
    fn hyphenated_and_multi_word_names() {
        let roster = vec![
            member(1, "Mary Ann", "Núñez-Ávila", Some("Mimi")),
            member(2, "Ann", "Lee", None),
        ];
        let m = member_labels(&roster, KEY)[&1].clone();
        let shared = "Mary Ann Nunez-Avila, Mary, Ávila, NUÑEZ and Mimi Núñez-Ávila's.";
        assert_eq!(
            member_view(shared, &roster, 2, KEY),
            format!("{m}, {m}, {m}, {m} and {m}'s.")
        );
        // "Ann" is a word of both members' names: each record shows it as
        // the other member's label (over-redaction, never a leak).
        let a = member_labels(&roster, KEY)[&2].clone();
        assert_eq!(
            member_view("Ann came.", &roster, 1, KEY),
            format!("{a} came.")
        );
        assert_eq!(
            member_view("Ann came.", &roster, 2, KEY),
            format!("{m} came.")
        );
    }

    #[test]
    fn named_members_lists_free_text_names_only() {
        let roster = roster();
        let shared = format!(
            "{} shared. bobbie and SAM listened; Annual review, Joanne.",
            mention_token(ZOE)
        );
        assert_eq!(
            named_members(&shared, &roster),
            vec![BOBBIE, SAM_REED, SAM_OKAFOR]
        );
        assert_eq!(
            named_members("Sam Okafor, José's and Li.", &roster),
            vec![JOSE, LI, SAM_OKAFOR]
        );
        assert_eq!(
            named_members(&mention_token(ANN), &roster),
            Vec::<i64>::new()
        );
        assert_eq!(named_members("Annual", &roster), Vec::<i64>::new());
    }

    #[test]
    fn no_other_members_name_survives_for_any_viewer() {
        let roster = roster();
        let shared = "Zoë Martin, ZOE, martin's. Bobbie; Roberta SMITH, Bobbie Smith. \
            ann lee, ANN, Lee's. José Ortega, JOSE, ortega. Li Wei, li, WEI. Jo Park, \
            JO, park. Sam Reed, Sam Okafor, sam, reed, OKAFOR. @[client:1] @[client:9]";
        for viewer in &roster {
            let out = member_view(shared, &roster, viewer.client_id, KEY);
            assert_no_other_names(&out, &roster, viewer.client_id);
        }
    }

    fn assert_no_other_names(out: &str, roster: &[RosterMember], viewer: i64) {
        check_other_names(out, roster, viewer, &[]);
    }

    fn assert_no_other_names_but_shared(out: &str, roster: &[RosterMember], viewer: i64) {
        let own = name_tokens(roster.iter().find(|m| m.client_id == viewer).unwrap());
        check_other_names(out, roster, viewer, &own);
    }

    fn check_other_names(out: &str, roster: &[RosterMember], viewer: i64, allowed: &[String]) {
        assert!(mentions(out).is_empty(), "raw mention in {out:?}");
        let words = folded_words(out);
        for other in roster.iter().filter(|m| m.client_id != viewer) {
            for token in name_tokens(other)
                .into_iter()
                .filter(|t| !allowed.contains(t))
            {
                assert!(
                    !words.contains(&token),
                    "viewer {viewer}: {token:?} of {} survives in {out:?}",
                    other.client_id
                );
            }
        }
    }

    #[test]
    fn generated_texts_never_leak_another_members_name() {
        let roster = roster();
        let fragments = [
            "Zoë",
            "ZOË",
            "zoe",
            "Zoe\u{0308}",
            "Martin",
            "Zoë Martin",
            "zoe  martin",
            "Bobbie",
            "Roberta",
            "SMITH",
            "Bobbie\nSmith",
            "Ann",
            "Lee",
            "Ann Lee",
            "José",
            "JOSE",
            "Ortega",
            "Li",
            "Wei",
            "Jo",
            "Park",
            "Sam",
            "Reed",
            "Okafor",
            "Sam Okafor",
            "Annual",
            "Joanne",
            "Annie",
            "also",
            "Jolly",
            "Lisa",
            "Samuel",
            "Parker",
            "the",
            "group",
            "@[client:1]",
            "@[client:2]",
            "@[client:8]",
            "@[client:77]",
            "@[client:x]",
        ];
        let joints = [
            " ",
            ", ",
            "'s ",
            "\u{2019}s ",
            ".\n",
            " (",
            ") ",
            "\u{2014}",
            "-",
            "\t",
            "; ",
            "",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..(4 + next(12)) {
                text.push_str(fragments[next(fragments.len())]);
                text.push_str(joints[next(joints.len())]);
            }
            let viewer = 1 + next(8) as i64;
            let out = member_view(&text, &roster, viewer, KEY);
            if mentions(&text).contains(&viewer) {
                // The viewer's own mention shows their full name, which may
                // share a word with another member ("Sam"): that word is the
                // viewer's, so only words no other member shares must go.
                assert_no_other_names_but_shared(&out, &roster, viewer);
            } else {
                assert_no_other_names(&out, &roster, viewer);
            }
            // The viewer's own name tokens are never invented.
            assert!(named_members(&out, &roster)
                .iter()
                .all(|id| *id == viewer || name_tokens_shared(&roster, *id, viewer)));
        }
    }

    /// Whether member `id` shares a name token with `viewer` (so appears
    /// named whenever the viewer does).
    fn name_tokens_shared(roster: &[RosterMember], id: i64, viewer: i64) -> bool {
        let find = |id| roster.iter().find(|m| m.client_id == id).unwrap();
        let theirs = name_tokens(find(id));
        name_tokens(find(viewer)).iter().any(|t| theirs.contains(t))
    }
}

#[cfg(test)]
mod name_order_tests {
    use super::*;
    use crate::names::NameOrder;

    const KEY: &[u8] = b"name order session key";
    const MINH: i64 = 1;
    const ZOE: i64 = 2;
    const MARY: i64 = 3;

    fn roster() -> Vec<RosterMember> {
        vec![
            RosterMember {
                client_id: MINH,
                legal_first_name: "Minh".into(),
                legal_last_name: "Nguyễn".into(),
                preferred_name: None,
                middle_name: Some("Thị".into()),
                name_order: NameOrder::FamilyFirst,
            },
            RosterMember {
                client_id: ZOE,
                legal_first_name: "Zoë".into(),
                legal_last_name: "Martin".into(),
                preferred_name: None,
                middle_name: None,
                name_order: NameOrder::GivenFirst,
            },
            RosterMember {
                client_id: MARY,
                legal_first_name: "Mary".into(),
                legal_last_name: "Smith".into(),
                preferred_name: Some("Molly".into()),
                middle_name: Some("Ann Louise".into()),
                name_order: NameOrder::GivenFirst,
            },
        ]
    }

    #[test]
    fn display_name_follows_the_name_order_without_the_middle_name() {
        let roster = roster();
        assert_eq!(roster[0].display_name(), "Nguyễn Minh");
        assert_eq!(roster[1].display_name(), "Zoë Martin");
        assert_eq!(roster[2].display_name(), "Molly Smith");
        let given_first = RosterMember {
            name_order: NameOrder::GivenFirst,
            ..roster[0].clone()
        };
        assert_eq!(given_first.display_name(), "Minh Nguyễn");
    }

    #[test]
    fn middle_names_and_both_orders_are_redacted() {
        let roster = roster();
        let labels = member_labels(&roster, KEY);
        let m = &labels[&MINH];
        let shared = "Thị said the group helped. Nguyễn Thị Minh, Minh Nguyen and \
            NGUYEN MINH agreed; thi minh's turn. Mary Ann Louise Smith, Ann and \
            Louise came; Smith Mary too.";
        let out = member_view(shared, &roster, ZOE, KEY);
        let y = &labels[&MARY];
        assert_eq!(
            out,
            format!(
                "{m} said the group helped. {m}, {m} and {m} agreed; {m}'s turn. \
                 {y}, {y} and {y} came; {y} too."
            )
        );
        // The viewer's own middle name stays in her own record.
        assert_eq!(
            member_view("Thị said it.", &roster, MINH, KEY),
            "Thị said it."
        );
        // Her own mention shows her everyday name in her order.
        assert_eq!(
            member_view(&mention_token(MINH), &roster, MINH, KEY),
            "Nguyễn Minh"
        );
        assert_eq!(full_view(&mention_token(MINH), &roster), "Nguyễn Minh");
    }

    #[test]
    fn the_editor_warns_about_a_middle_name() {
        assert_eq!(named_members("Thi was late.", &roster()), vec![MINH]);
        assert_eq!(named_members("Louise spoke.", &roster()), vec![MARY]);
    }

    #[test]
    fn debug_prints_no_middle_name() {
        let shown = format!("{:?}", roster()[0]);
        assert!(!shown.contains("Th"), "{shown}");
        assert!(!shown.contains("Family"), "{shown}");
    }
}
