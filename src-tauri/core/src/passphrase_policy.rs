//! What counts as a passphrase good enough to guard clients' records.
//!
//! At least 12 characters, and not among the weakest by zxcvbn's estimate
//! (score 0–2 of 4: common phrases, keyboard walks, a name plus a year).

use crate::error::{Error, Result};
use crate::vault::secret::Passphrase;

pub const MIN_CHARS: usize = 12;
/// Lowest acceptable zxcvbn score (0 = too guessable … 4 = very unguessable).
pub const MIN_SCORE: u8 = 3;

/// How strong a passphrase looks, for the meter beside the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Strength {
    /// 0 (too guessable) to 4 (very unguessable).
    pub score: u8,
    pub acceptable: bool,
    /// One short sentence on how to improve it, when it falls short.
    pub advice: Option<String>,
}

/// Scores a passphrase. `context` holds words an attacker would try first
/// (username, names, the practice's name).
pub fn strength(passphrase: &Passphrase, context: &[&str]) -> Strength {
    let text = passphrase.expose();
    let length = text.chars().count();
    if length == 0 {
        return Strength {
            score: 0,
            acceptable: false,
            advice: Some(format!(
                "Use at least {MIN_CHARS} characters: a few unrelated words work well."
            )),
        };
    }
    // zxcvbn matches user inputs against the lowercased passphrase, so the
    // inputs must be lowercase too, or "Dana" never matches "dana".
    let lowered: Vec<String> = context
        .iter()
        .flat_map(|c| c.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = lowered.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(text, &words);
    let score = u8::from(estimate.score());
    let advice = if length < MIN_CHARS {
        Some(format!(
            "Use at least {MIN_CHARS} characters: a few unrelated words work well."
        ))
    } else if only_personal_words(text, &words) {
        Some("Don't build it from your name, username or the practice's name. Choose unrelated words.".to_owned())
    } else if score < MIN_SCORE {
        Some("This is too easy to guess. Add another unrelated word or two.".to_owned())
    } else {
        None
    };
    Strength {
        score,
        acceptable: advice.is_none(),
        advice,
    }
}

/// True when nothing is left after removing the context words, digits,
/// spaces and punctuation ("Dana Reyes 2024!").
fn only_personal_words(text: &str, words: &[&str]) -> bool {
    let mut rest = text.to_lowercase();
    for word in words.iter().filter(|w| w.chars().count() >= 3) {
        rest = rest.replace(word, "");
    }
    rest.chars().filter(|c| c.is_alphabetic()).count() < 4
}

/// Refuses a passphrase that falls short, naming the field.
pub fn check(field: &str, passphrase: &Passphrase, context: &[&str]) -> Result<()> {
    match strength(passphrase, context).advice {
        None => Ok(()),
        Some(advice) => Err(Error::invalid(field, advice)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passphrases_are_refused_with_a_reason() {
        assert!(check("p", &"short".into(), &[]).is_err());
        let err = check("p", &"password1234".into(), &[]).unwrap_err();
        assert_eq!(err.field(), Some("p"));
        assert!(check("p", &"ada.lovelace1".into(), &["ada.lovelace"]).is_err());
        assert!(check("p", &"dana reyes 2024".into(), &["Dana Reyes"]).is_err());
    }

    #[test]
    fn a_few_unrelated_words_pass() {
        assert!(check("p", &"quiet lantern orchard tide".into(), &[]).is_ok());
    }
}
