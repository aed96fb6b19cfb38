//! 42 CFR Part 2: a client's consents to release their record, whether Part
//! 2 applies to a span of their record, and the accounting of disclosures
//! (every release of their record, append-only).
//!
//! Everything here lives in clinical.db and is for clinical roles alone:
//! each service taking a client id starts with the notes scope
//! (`notes::access::require_client`), so the practice manager and the front
//! desk (no clinical key, clinical.db not attached) are refused, and so is a
//! clinician outside the client's groups when the practice limits scope.
//!
//! The export module asks [`permitting_consent`] before releasing a record
//! to a third party and writes the release with [`record_disclosure`] in the
//! same transaction as its audit row.

mod consents;
mod log;
mod part2;
#[cfg(test)]
mod tests;

pub(crate) use consents::permitting_consent;
pub use consents::{
    add_consent, consents_of_client, revoke_consent, Consent, ConsentInput, ConsentState,
    MAX_PURPOSE_CHARS, MAX_RECIPIENT_CHARS, REASON_EXPIRED, REASON_NO_CONSENT, REASON_REVOKED,
};
pub use log::{disclosures_of_client, Disclosure, CLIENT_THEMSELF};
pub(crate) use log::{disclosures_with_sha, record_disclosure, NewDisclosure};
pub(crate) use part2::part2_applies;

/// A recipient as compared: folded like names (case and diacritics ignored,
/// ł→l, ß→ss …) with surrounding spaces dropped and inner runs made one, so
/// "Gemeinde-Klinik Zürich " on the consent matches "gemeinde-klinik zurich"
/// on the export form.
pub(crate) fn recipient_key(recipient: &str) -> String {
    crate::names::fold(recipient)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
