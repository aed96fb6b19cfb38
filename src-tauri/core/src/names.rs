//! Names folded for comparison: search, duplicate checks, @-mentions and
//! redaction all compare names through [`fold`], so one spelling rule holds
//! everywhere.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, with diacritics removed (NFD, then combining marks dropped)
/// and letters that have no accent to drop transliterated (any_ascii: ł→l,
/// đ→d, ø→o, ß→ss, æ→ae, þ→th, ı→i, and other scripts to Latin letters), so
/// "Zoë" and "zoe", "Łukasz" and "Lukasz" fold to the same text. Punctuation
/// stays (redaction needs word edges), with typographic apostrophes made
/// plain ones ("O’Brien" and "O'Brien" match).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c if c.is_alphabetic() => match any_ascii::any_ascii_char(c) {
                "" => out.extend(c.to_lowercase()),
                ascii => out.extend(ascii.chars().map(|a| a.to_ascii_lowercase())),
            },
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folded, ignoring apostrophes and treating hyphens as spaces, with runs of
/// white space made one: for comparing and searching names ("obrien" finds
/// O'Brien-Smythe).
pub fn name_key(text: &str) -> String {
    fold(text)
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if is_hyphen(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}')
}

/// The folded legal first, middle, legal last and preferred name, space
/// separated: what client search looks in, so any part of a name finds it.
pub fn search_key(
    first: &str,
    middle: Option<&str>,
    last: &str,
    preferred: Option<&str>,
) -> String {
    [Some(first), middle, Some(last), preferred]
        .into_iter()
        .flatten()
        .map(name_key)
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which name a client's name starts with when written out.
///
/// * Given first ("Minh Nguyễn", "Mary Ann Smith"): most European names.
/// * Family first ("Nguyễn Minh", "Nguyễn Thị Minh"): Vietnamese, Chinese,
///   Korean, Hungarian and Japanese names, among others.
///
/// The legal first name is always the given name and the legal last name the
/// family name, whichever order they are written in.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum NameOrder {
    #[default]
    GivenFirst,
    FamilyFirst,
}

crate::stored_text::stored_as_text!(NameOrder {
    GivenFirst = "given",
    FamilyFirst = "family",
});

/// Words joined by one space, blank parts left out.
fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The everyday name: the name a person is called by (the preferred name,
/// else the legal given name) and the family name, in the person's order.
/// The middle name is left out: "Minh Nguyễn" given first, "Nguyễn Minh"
/// family first (legal name Nguyễn Thị Minh).
pub fn everyday_name(called: &str, family: &str, order: NameOrder) -> String {
    match order {
        NameOrder::GivenFirst => joined([called, family]),
        NameOrder::FamilyFirst => joined([family, called]),
    }
}

/// The full legal name, middle name included, in the person's order:
/// "Mary Ann Jane Smith" given first, "Nguyễn Thị Minh" family first (the
/// middle name stays between the other two either way).
pub fn full_name(given: &str, middle: Option<&str>, family: &str, order: NameOrder) -> String {
    let middle = middle.unwrap_or("");
    match order {
        NameOrder::GivenFirst => joined([given, middle, family]),
        NameOrder::FamilyFirst => joined([family, middle, given]),
    }
}

/// How clients sort wherever they are listed: by family name, then given
/// name, then middle name, each as its [`name_key`] ("Ávila" with the A's,
/// "Nguyễn" with the N's), whatever order the names are written in.
pub fn sort_key(given: &str, middle: Option<&str>, family: &str) -> (String, String, String) {
    (
        name_key(family),
        name_key(given),
        middle.map(name_key).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_case_and_diacritics() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("JOSÉ"), "jose");
        assert_eq!(fold("Ñúñez-Ávila"), "nunez-avila");
        assert_eq!(fold("İpek"), "ipek");
        assert_eq!(fold("O’Brien"), "o'brien");
        // Already decomposed input folds the same.
        assert_eq!(fold("Zoe\u{0308}"), "zoe");
    }

    #[test]
    fn search_key_joins_legal_and_preferred_names() {
        assert_eq!(
            search_key("José", None, "Ávila  Cruz", Some("Pepe")),
            "jose avila cruz pepe"
        );
        assert_eq!(search_key("Zoë", None, "Martin", None), "zoe martin");
        assert_eq!(
            search_key("Minh", Some("Thị"), "Nguyễn", None),
            "minh thi nguyen"
        );
    }

    /// Letters with nothing to drop fold too (the redaction test types each
    /// of these names without its special letters).
    #[test]
    fn letters_without_an_accent_to_drop_fold_to_what_a_us_keyboard_types() {
        for (name, typed) in [
            ("Łukasz Żółć", "lukasz zolc"),
            ("Đặng Thị Hương", "dang thi huong"),
            ("Søren Østergaard", "soren ostergaard"),
            ("Ħamrun", "hamrun"),
            ("Işıl Yıldız", "isil yildiz"),
            ("Straße", "strasse"),
            ("Ægir", "aegir"),
            ("Œuvre", "oeuvre"),
            ("Þór", "thor"),
        ] {
            assert_eq!(fold(name), typed, "{name}");
        }
    }

    #[test]
    fn name_keys_ignore_apostrophes_and_hyphens() {
        assert_eq!(name_key("O'Brien-Smythe"), "obrien smythe");
        assert_eq!(name_key("O’Brien"), "obrien");
        assert_eq!(
            search_key("Siobhán", None, "O'Brien-Smythe", None),
            "siobhan obrien smythe"
        );
    }

    #[test]
    fn names_are_written_in_the_persons_order() {
        use NameOrder::*;
        assert_eq!(everyday_name("Minh", "Nguyễn", GivenFirst), "Minh Nguyễn");
        assert_eq!(everyday_name("Minh", "Nguyễn", FamilyFirst), "Nguyễn Minh");
        assert_eq!(
            full_name("Minh", Some("Thị"), "Nguyễn", FamilyFirst),
            "Nguyễn Thị Minh"
        );
        assert_eq!(
            full_name("Mary", Some("Ann"), "Smith", GivenFirst),
            "Mary Ann Smith"
        );
        assert_eq!(full_name("Zoë", None, "Martin", GivenFirst), "Zoë Martin");
        assert_eq!(
            full_name("Zoë", Some("  "), "Martin", FamilyFirst),
            "Martin Zoë"
        );
        assert_eq!(NameOrder::default(), GivenFirst);
        assert_eq!(NameOrder::from_db("family"), Some(FamilyFirst));
    }

    #[test]
    fn sorting_is_by_family_name_folded() {
        let mut names = [
            ("Zoë", None, "Martin"),
            ("Minh", Some("Thị"), "Nguyễn"),
            ("José", None, "Ávila"),
            ("Anh", None, "Nguyen"),
        ];
        names.sort_by_key(|(g, m, f)| sort_key(g, *m, f));
        let families: Vec<&str> = names.iter().map(|n| n.0).collect();
        assert_eq!(families, ["José", "Zoë", "Anh", "Minh"]);
    }
}
