//! A note cut into parts, each hashed on its own: what canonical format 3
//! signs, so that a retention purge can take one client out of a signed
//! note and `verify` can still check everything that was signed.
//!
//! Every text field is a part, hashed token by token (a run of letters and
//! digits is one token; any other character is a token of its own): the
//! part's digest is SHA-256 over the SHA-256 of each token. A purge that
//! replaces a purged member's name in another part's text with their label
//! records, for that span, where it now stands (token index and count) and
//! the digests of the tokens it replaced: `verify` puts those digests back
//! and gets the digest that was signed. Anything changed outside a recorded
//! span still breaks it. Parts that are not text (a risk level, a rating,
//! the names frozen at signing) are hashed whole; a purge that removes a
//! part keeps its digest.

use std::collections::BTreeMap;

use ring::digest::{digest, Context, SHA256};

use super::note::NoteContent;

/// One part of a note, as it is hashed.
pub(crate) enum Part {
    Text(String),
    /// Canonical JSON.
    Data(Vec<u8>),
}

/// The note's parts by name: `shared/<key>`, `member/<id>/section/<key>`,
/// `member/<id>/risk_level`, `member/<id>/risk_text`,
/// `member/<id>/goal/<goal id>/rating`, `member/<id>/goal/<goal id>/comment`,
/// `roster/<id>`, `roster_more/<id>`, `released/<key>`.
pub(crate) fn parts(content: &NoteContent) -> BTreeMap<String, Part> {
    let json = |value: &dyn erased::Json| Part::Data(value.bytes());
    let mut parts = BTreeMap::new();
    for (key, body) in &content.shared {
        parts.insert(format!("shared/{key}"), Part::Text(body.clone()));
    }
    for (id, member) in &content.members {
        for (key, body) in &member.sections {
            parts.insert(
                format!("member/{id}/section/{key}"),
                Part::Text(body.clone()),
            );
        }
        parts.insert(format!("member/{id}/risk_level"), json(&member.risk_level));
        parts.insert(
            format!("member/{id}/risk_text"),
            Part::Text(member.risk_text.clone()),
        );
        for (goal, (rating, comment)) in &member.goals {
            parts.insert(format!("member/{id}/goal/{goal}/rating"), json(rating));
            parts.insert(
                format!("member/{id}/goal/{goal}/comment"),
                Part::Text(comment.clone()),
            );
        }
    }
    for (id, names) in &content.roster {
        parts.insert(format!("roster/{id}"), json(names));
    }
    for (id, more) in &content.roster_more {
        parts.insert(format!("roster_more/{id}"), json(more));
    }
    for (key, released) in &content.released {
        parts.insert(format!("released/{key}"), json(released));
    }
    parts
}

/// The parts of `client_id` alone (their section, risk, ratings and names).
pub(crate) fn is_members_part(part: &str, client_id: i64) -> bool {
    let own = |prefix: &str| {
        part.strip_prefix(prefix).is_some_and(|rest| {
            rest == client_id.to_string() || rest.starts_with(&format!("{client_id}/"))
        })
    };
    own("member/") || own("roster/") || own("roster_more/")
}

/// Text cut into tokens: runs of letters and digits, and every other
/// character alone. Concatenated, the tokens are the text.
pub(crate) fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

pub(crate) type TokenDigest = [u8; 32];

pub(crate) fn token_digests(text: &str) -> Vec<TokenDigest> {
    tokens(text)
        .into_iter()
        .map(|t| {
            let mut out = [0u8; 32];
            out.copy_from_slice(digest(&SHA256, t.as_bytes()).as_ref());
            out
        })
        .collect()
}

/// A text part's digest from its token digests (hex).
pub(crate) fn digest_of_tokens(tokens: &[TokenDigest]) -> String {
    let mut ctx = Context::new(&SHA256);
    for t in tokens {
        ctx.update(t);
    }
    hex::encode(ctx.finish())
}

/// A part's digest (hex).
pub(crate) fn part_digest(part: &Part) -> String {
    match part {
        Part::Text(text) => digest_of_tokens(&token_digests(text)),
        Part::Data(bytes) => hex::encode(digest(&SHA256, bytes)),
    }
}

/// Canonical JSON of the small values parts hold.
mod erased {
    pub trait Json {
        fn bytes(&self) -> Vec<u8>;
    }

    impl<T: serde::Serialize> Json for T {
        fn bytes(&self) -> Vec<u8> {
            // Plain data (options, numbers, strings, sets and maps of them):
            // serde_json does not fail on these.
            serde_json::to_vec(self).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_put_together_are_the_text() {
        let text = "Zoë's mum, O'Brien — 12 times!\n李小龍";
        assert_eq!(tokens(text).concat(), text);
        assert_eq!(tokens("Zoë's mum"), ["Zoë", "'", "s", " ", "mum"]);
    }

    #[test]
    fn the_members_parts_are_told_from_the_others() {
        assert!(is_members_part("member/12/section/plan", 12));
        assert!(is_members_part("roster/12", 12));
        assert!(is_members_part("roster_more/12", 12));
        assert!(!is_members_part("member/123/section/plan", 12));
        assert!(!is_members_part("shared/topic", 12));
    }
}
