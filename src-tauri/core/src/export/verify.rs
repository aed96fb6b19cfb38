//! Is this file exactly one that Circle released? The SHA-256 of every
//! exported PDF is in its audit row (and, for a record or packet, in the
//! client's accounting of disclosures): a file whose fingerprint is found
//! there is byte for byte what was released; any change, even one byte,
//! and it is not.

use super::{sha256_hex, ExportKind};
use crate::audit::{Action, Event};
use crate::error::Result;
use crate::signed_in::SignedIn;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "outcome"
)]
pub enum Verification {
    /// Byte for byte a file Circle released.
    Released {
        kind: ExportKind,
        /// RFC 3339 UTC.
        released_at: String,
        released_by: String,
        /// To whom, from the accounting of disclosures: shown to clinical
        /// roles only (empty for others, and for kinds that are not
        /// disclosures of a record).
        recipients: Vec<String>,
        sha256: String,
    },
    /// Changed since it was released, or never released by this practice.
    NotReleased { sha256: String },
}

/// Checks `pdf` against every release. Any role may check a file (the
/// answer names no client); recipients are shown to clinical roles only.
/// Audited with the outcome.
pub fn verify(signed_in: &SignedIn, pdf: &[u8]) -> Result<Verification> {
    signed_in.require_own_passphrase()?;
    let sha256 = sha256_hex(pdf);
    let conn = signed_in.conn();
    let rows =
        crate::audit::listing::with_detail(conn, Action::Exported, &format!("sha256={sha256}"))?;
    let outcome = match rows.first() {
        None => Verification::NotReleased {
            sha256: sha256.clone(),
        },
        Some(row) => {
            let kind = row
                .detail
                .as_deref()
                .and_then(|d| d.split_whitespace().find_map(|w| w.strip_prefix("kind=")))
                .and_then(ExportKind::from_stored)
                .unwrap_or(ExportKind::MemberRecord);
            let released_by = match row.actor_id {
                Some(id) => crate::staff::by_id(conn, id)?.full_name,
                None => String::new(),
            };
            let recipients = if crate::notes::access::require_notes(signed_in).is_ok() {
                let mut names: Vec<String> =
                    crate::disclosures::disclosures_with_sha(conn, &sha256)?
                        .into_iter()
                        .map(|d| d.recipient)
                        .collect();
                names.dedup();
                names
            } else {
                Vec::new()
            };
            Verification::Released {
                kind,
                released_at: row.at.clone(),
                released_by,
                recipients,
                sha256: sha256.clone(),
            }
        }
    };
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ExportVerified).detail(format!(
            "sha256={sha256} released={}",
            matches!(outcome, Verification::Released { .. })
        )),
    )?;
    Ok(outcome)
}
