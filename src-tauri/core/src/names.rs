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

/// The folded legal first, legal last and preferred name, space separated.
pub fn search_key(first: &str, last: &str, preferred: Option<&str>) -> String {
    [Some(first), Some(last), preferred]
        .into_iter()
        .flatten()
        .map(name_key)
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
            search_key("José", "Ávila  Cruz", Some("Pepe")),
            "jose avila cruz pepe"
        );
        assert_eq!(search_key("Zoë", "Martin", None), "zoe martin");
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
            search_key("Siobhán", "O'Brien-Smythe", None),
            "siobhan obrien smythe"
        );
    }
}
