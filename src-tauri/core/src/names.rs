//! Names folded for comparison: search, duplicate checks, @-mentions and
//! redaction all compare names through [`fold`], so one spelling rule holds
//! everywhere.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case, with diacritics removed (NFD, then combining marks dropped),
/// so "Zoë" and "zoe", "JOSÉ" and "jose" fold to the same text. Typographic
/// apostrophes become plain ones ("O’Brien" and "O'Brien" match).
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
            other => other,
        })
        .collect()
}

/// Folded, with runs of white space made one space: for comparing names.
pub fn name_key(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
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
}
