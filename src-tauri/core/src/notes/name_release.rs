//! "Not a name": the author of a group note releases one occurrence of a
//! word the redaction takes for a member's name ("a ray of hope" in a group
//! where someone is called Ray).
//!
//! Redaction stays on the safe side: every word that is a member's name is
//! redacted in the other members' records. The editor's warning under a
//! shared section lists each match in its context; the author may mark one
//! "not a name". The release is stored with the note, is part of what the
//! signature covers, and names exactly one occurrence by what is written
//! there: the matched text and up to [`CONTEXT_CHARS`] characters on each
//! side, byte for byte. Any edit near the word (or a new word that happens
//! to have the same spelling elsewhere, with other words around it) no longer
//! matches, so it is redacted again and listed again: a member's record
//! never shows a name the author did not release where it stands.
//!
//! Pure: no database, no session. Storage lives with the note
//! ([`super::model::note`]).

use std::collections::BTreeSet;
use std::ops::Range;

use super::redaction::{self, RosterMember};

/// Characters of context kept on each side of a released word. Enough to
/// tell one sentence from another; short enough that an edit elsewhere in
/// the section leaves the release in place.
pub const CONTEXT_CHARS: usize = 24;

/// Most releases one section may hold.
pub const MAX_RELEASES_PER_SECTION: usize = 200;

/// One occurrence the author marked "not a name": the words as written and
/// the text right around them. PHI: `Debug` prints nothing of it.
#[derive(
    Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub struct NameRelease {
    pub text: String,
    pub before: String,
    pub after: String,
}

impl std::fmt::Debug for NameRelease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NameRelease(..)")
    }
}

/// A member's name found in a shared section, as the editor's warning lists
/// it. PHI: `Debug` prints the ids only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NameMatch {
    /// What identifies this occurrence; send it back to release it.
    pub release: NameRelease,
    /// The context to show around the words: @-mentions written out, a word
    /// or token cut by the edge left out and "…" where the text goes on.
    pub shown_before: String,
    pub shown_after: String,
    /// Every member the words may name, in roster order.
    pub client_ids: Vec<i64>,
    /// Marked "not a name": left as written in the other members' records.
    pub released: bool,
}

impl std::fmt::Debug for NameMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameMatch")
            .field("client_ids", &self.client_ids)
            .field("released", &self.released)
            .finish_non_exhaustive()
    }
}

/// The occurrence at `range` of `text`, as a release names it.
fn release_at(text: &str, range: &Range<usize>) -> NameRelease {
    let before = &text[..range.start];
    let before_from = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(at, _)| at);
    let after = &text[range.end..];
    let after_to = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(at, _)| at);
    NameRelease {
        text: text[range.clone()].to_owned(),
        before: before[before_from..].to_owned(),
        after: after[..after_to].to_owned(),
    }
}

/// Every free-text name of `roster` in `text`, in order, each with whether
/// `released` covers it.
pub fn name_matches(
    text: &str,
    roster: &[RosterMember],
    released: &BTreeSet<NameRelease>,
) -> Vec<NameMatch> {
    redaction::name_spans(text, roster)
        .into_iter()
        .map(|span| {
            let release = release_at(text, &span.range);
            let client_ids = in_roster_order(roster, |id| span.owners.contains(&id));
            let cut_before = release.before.len() < span.range.start;
            let cut_after = span.range.end + release.after.len() < text.len();
            NameMatch {
                shown_before: shown_context(&release.before, roster, true, cut_before),
                shown_after: shown_context(&release.after, roster, false, cut_after),
                released: released.contains(&release),
                release,
                client_ids,
            }
        })
        .collect()
}

/// The roster's client ids that `keep` accepts, in roster order, each once
/// (a roster may list a client twice: today's names and the frozen ones).
pub(crate) fn in_roster_order(roster: &[RosterMember], keep: impl Fn(i64) -> bool) -> Vec<i64> {
    let mut ids = Vec::new();
    for id in roster.iter().map(|m| m.client_id) {
        if keep(id) && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The byte ranges of `text` the author released: redaction leaves a name
/// lying wholly inside one of them as written.
pub(crate) fn kept_ranges(
    text: &str,
    roster: &[RosterMember],
    released: &BTreeSet<NameRelease>,
) -> Vec<Range<usize>> {
    if released.is_empty() {
        return Vec::new();
    }
    redaction::name_spans(text, roster)
        .into_iter()
        .map(|span| span.range)
        .filter(|range| released.contains(&release_at(text, range)))
        .collect()
}

/// The releases of `released` that still name an occurrence in `text`:
/// what a draft keeps when it is saved (the others no longer apply).
pub(crate) fn still_present(
    text: &str,
    roster: &[RosterMember],
    released: &BTreeSet<NameRelease>,
) -> BTreeSet<NameRelease> {
    if released.is_empty() {
        return BTreeSet::new();
    }
    redaction::name_spans(text, roster)
        .into_iter()
        .map(|span| release_at(text, &span.range))
        .filter(|release| released.contains(release))
        .collect()
}

/// Context for the warning: mentions written out, and a word or mention
/// token cut by the context's edge left out (`leading`: the edge is at the
/// start; `cut`: the text goes on past it).
fn shown_context(raw: &str, roster: &[RosterMember], leading: bool, cut: bool) -> String {
    let raw = match (cut, leading) {
        (false, _) => raw,
        (true, true) => raw.find(char::is_whitespace).map_or("", |at| &raw[at..]),
        (true, false) => raw
            .rfind(char::is_whitespace)
            .map_or("", |at| &raw[..at + 1]),
    };
    let trimmed = if leading {
        // A ']' with no '@[' before it closes a token that began earlier.
        match (raw.find(']'), raw.find("@[")) {
            (Some(close), open) if open.is_none_or(|o| o > close) => &raw[close + 1..],
            _ => raw,
        }
    } else {
        // An '@[' with no ']' after it opens a token that ends later.
        match raw.rfind("@[") {
            Some(open) if !raw[open..].contains(']') => &raw[..open],
            _ => raw,
        }
    };
    let shown = redaction::full_view(trimmed, roster);
    match (cut, leading) {
        (false, _) => shown,
        (true, true) => format!("…{}", shown.trim_start()),
        (true, false) => format!("{}…", shown.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ray() -> Vec<RosterMember> {
        vec![
            RosterMember {
                client_id: 1,
                legal_first_name: "Raymond".into(),
                legal_last_name: "Quinn".into(),
                preferred_name: Some("Ray".into()),
                middle_name: None,
                name_order: Default::default(),
            },
            RosterMember {
                client_id: 2,
                legal_first_name: "Ann".into(),
                legal_last_name: "Lee".into(),
                preferred_name: None,
                middle_name: None,
                name_order: Default::default(),
            },
        ]
    }

    #[test]
    fn each_match_is_listed_in_its_context() {
        let text = "Ray came early. The group saw a ray of hope.";
        let found = name_matches(text, &ray(), &BTreeSet::new());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].release.text, "Ray");
        assert_eq!(found[0].release.before, "");
        assert_eq!(found[0].release.after, " came early. The group s");
        assert_eq!(found[1].release.before, " early. The group saw a ");
        assert_eq!(found[1].release.after, " of hope.");
        assert!(found.iter().all(|m| m.client_ids == vec![1] && !m.released));
    }

    #[test]
    fn a_release_keeps_that_occurrence_only() {
        let text = "Ray came early. The group saw a ray of hope.";
        let found = name_matches(text, &ray(), &BTreeSet::new());
        let released: BTreeSet<_> = [found[1].release.clone()].into();
        let kept = kept_ranges(text, &ray(), &released);
        assert_eq!(kept, vec![32..35]);
        let viewer = redaction::MemberViewer::new(&ray(), 2, b"key");
        let label = &redaction::member_labels(&ray(), b"key")[&1];
        assert_eq!(
            viewer.view_keeping(text, &kept),
            format!("{label} came early. The group saw a ray of hope.")
        );
        assert!(name_matches(text, &ray(), &released)[1].released);
    }

    #[test]
    fn an_edit_near_a_released_word_redacts_it_again() {
        let text = "The group saw a ray of hope that evening, after a long winter.";
        let released: BTreeSet<_> = name_matches(text, &ray(), &BTreeSet::new())
            .into_iter()
            .map(|m| m.release)
            .collect();
        for edited in [
            "The group saw a ray of hope, said Ray, that evening, after a long winter.",
            "Then the group saw a ray of hope that evening, after a long winter.",
            "The group saw a Ray of hope that evening, after a long winter.",
        ] {
            let kept = kept_ranges(edited, &ray(), &released);
            let viewer = redaction::MemberViewer::new(&ray(), 2, b"key");
            let shown = viewer.view_keeping(edited, &kept);
            assert!(
                !shown.to_lowercase().contains("ray"),
                "{edited:?} showed {shown:?}"
            );
        }
        // Text far enough away leaves the release in place, and only there:
        // the "Ray" written later in the same section is redacted.
        let far = format!("{text}\n\nLater, everyone agreed on the plan for next week.");
        assert_eq!(kept_ranges(&far, &ray(), &released), vec![16..19]);
    }

    #[test]
    fn stale_releases_are_dropped_on_save() {
        let text = "A ray of hope.";
        let released: BTreeSet<_> = name_matches(text, &ray(), &BTreeSet::new())
            .into_iter()
            .map(|m| m.release)
            .collect();
        assert_eq!(still_present(text, &ray(), &released), released);
        assert!(still_present("A ray of light.", &ray(), &released).is_empty());
    }

    #[test]
    fn context_shows_mentions_by_name_and_drops_cut_tokens() {
        let text = "Thanks @[client:2] for the ray of hope @[client:2]";
        let found = name_matches(text, &ray(), &BTreeSet::new());
        assert_eq!(found.len(), 1);
        // The context is cut inside "Thanks": the cut word is not shown.
        assert_eq!(found[0].release.before, "nks @[client:2] for the ");
        assert_eq!(found[0].shown_before, "…Ann Lee for the ");
        assert_eq!(found[0].shown_after, " of hope Ann Lee");
        let cut = shown_context("ent:2] for the ", &ray(), true, false);
        assert_eq!(cut, " for the ");
        let cut = shown_context(" of hope @[cli", &ray(), false, false);
        assert_eq!(cut, " of hope ");
    }
}
