//! What a group row stands for: a therapy group, or a pairing for
//! one-to-one or family/couple work. Its own module because a group and an
//! enrollment both say it, and neither should reach into the other for it.

use crate::stored_text::stored_as_text;

/// What a group row stands for. `Group` is a therapy group; the other two
/// are pairings for one-to-one and family/couple work (see
/// `schedule::individual`), which never show among the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum GroupFormat {
    Group,
    /// One client with one clinician.
    Individual,
    /// A family or couple: two or more clients together with one clinician.
    Family,
}

stored_as_text!(GroupFormat {
    Group = "group",
    Individual = "individual",
    Family = "family",
});
