//! PDF exports: a member's redacted record, a session packet, a group's
//! attendance, the day sheet, the recovery sheet and a client's accounting
//! of disclosures.
//!
//! Every export runs in three steps so the window never waits on the
//! connection while pages are set:
//! 1. `prepare` (one per kind, under the connection lock): checks the role,
//!    the notes scope and, for a member record, 42 CFR Part 2; gathers the
//!    data through the same services the screens use (so the member record
//!    is redacted exactly as the chart shows it) into a [`Prepared`].
//! 2. [`Prepared::typeset`] (no connection): the typst compiler turns the
//!    kind's template and the data into PDF bytes ([`engine`]).
//! 3. [`release`] (under the lock again): writes the file atomically, then
//!    records it: an audit row with the kind, the subject's id and the file's
//!    SHA-256, and for a record or a packet an entry in each client's
//!    accounting of disclosures. If recording fails, the file is removed:
//!    nothing leaves Circle unrecorded.
//!
//! [`verify`] tells later whether a file is exactly one Circle released.

mod dates;
pub(crate) mod engine;
mod frame;

pub mod attendance_report;
pub mod day_sheet;
pub mod disclosure_report;
pub mod member_record;
pub mod recovery_sheet;
pub mod session_packet;
mod verify;

use std::path::Path;

use chrono::NaiveDate;

pub use engine::{check_logo, prepare_fonts, Typeset};
pub use verify::{verify, Verification};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::signed_in::SignedIn;

/// What an export is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    MemberRecord,
    SessionPacket,
    Attendance,
    DaySheet,
    RecoverySheet,
    Disclosures,
}

impl ExportKind {
    /// As the audit row and the disclosure log store it.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::MemberRecord => "member_record",
            ExportKind::SessionPacket => "session_packet",
            ExportKind::Attendance => "attendance",
            ExportKind::DaySheet => "day_sheet",
            ExportKind::RecoverySheet => "recovery_sheet",
            ExportKind::Disclosures => "disclosures",
        }
    }

    pub fn from_stored(text: &str) -> Option<Self> {
        [
            ExportKind::MemberRecord,
            ExportKind::SessionPacket,
            ExportKind::Attendance,
            ExportKind::DaySheet,
            ExportKind::RecoverySheet,
            ExportKind::Disclosures,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// "Member record", as messages name it.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::MemberRecord => "Member record",
            ExportKind::SessionPacket => "Session packet",
            ExportKind::Attendance => "Attendance report",
            ExportKind::DaySheet => "Day sheet",
            ExportKind::RecoverySheet => "Recovery sheet",
            ExportKind::Disclosures => "Accounting of disclosures",
        }
    }
}

/// The release of one client's record, for their accounting of disclosures.
#[derive(Clone)]
pub(crate) struct ClientRelease {
    pub client_id: i64,
    pub recipient: String,
    pub purpose: String,
    pub covered_from: NaiveDate,
    pub covered_to: NaiveDate,
    pub consent_id: Option<i64>,
}

/// One export's data, gathered and checked, ready to typeset.
pub struct Prepared {
    pub kind: ExportKind,
    /// A file name for the save dialog, without any client's name:
    /// `record-C-000042-2026-11-30.pdf`.
    pub suggested_file_name: String,
    template: &'static str,
    data: serde_json::Value,
    /// The practice's logo for the letterhead (PNG or JPEG), if it has one.
    logo: Option<Vec<u8>>,
    /// What the audit row is about: ("client", id), ("session", id)…
    subject: Option<(&'static str, i64)>,
    releases: Vec<ClientRelease>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The data holds names and note text: never printed.
        write!(f, "Prepared({:?}, {:?})", self.kind, self.subject)
    }
}

impl Prepared {
    /// Sets the pages. Slow work with no connection: call it without
    /// holding the connection lock.
    pub fn typeset(&self) -> Result<Typeset> {
        engine::typeset(self.template, &self.data, self.logo.as_deref())
    }

    /// The data as the template receives it (for tests of what goes in).
    #[doc(hidden)]
    pub fn data(&self) -> &serde_json::Value {
        &self.data
    }
}

/// A file Circle released.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Released {
    pub kind: ExportKind,
    pub pages: u32,
    pub bytes: u64,
    /// Lowercase hex.
    pub sha256: String,
    /// Scripts no font on this computer could show (printed as empty boxes).
    pub missing_scripts: Vec<String>,
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Writes the typeset file to `path` (atomically: temp, fsync, rename) and
/// records its release. On any failure after the write the file is removed.
pub fn release(
    signed_in: &SignedIn,
    prepared: &Prepared,
    typeset: &Typeset,
    path: &Path,
) -> Result<Released> {
    let sha256 = sha256_hex(&typeset.pdf);
    crate::atomic_file::write(path, &typeset.pdf).map_err(|e| file_error(path, e))?;
    match record_release(signed_in, prepared, &sha256) {
        Ok(()) => Ok(Released {
            kind: prepared.kind,
            pages: u32::try_from(typeset.pages).unwrap_or(u32::MAX),
            bytes: typeset.pdf.len() as u64,
            sha256,
            missing_scripts: typeset.missing_scripts.clone(),
        }),
        Err(e) => {
            // Unrecorded, so it must not exist.
            let _ = std::fs::remove_file(path);
            Err(e)
        }
    }
}

/// The three steps in one, for the command line and tests.
pub fn export_to(signed_in: &SignedIn, prepared: &Prepared, path: &Path) -> Result<Released> {
    let typeset = prepared.typeset()?;
    release(signed_in, prepared, &typeset, path)
}

fn record_release(signed_in: &SignedIn, prepared: &Prepared, sha256: &str) -> Result<()> {
    let mut event = Event::new(Some(signed_in.actor().staff_id), Action::Exported).detail(format!(
        "kind={} sha256={sha256} disclosures={}",
        prepared.kind.as_str(),
        prepared.releases.len()
    ));
    if let Some((kind, id)) = prepared.subject {
        event = event.on(kind, id);
    }
    if prepared.releases.is_empty() {
        // Nothing clinical is released (a day sheet, an attendance report):
        // the audit row alone, by roles that may not hold clinical.db.
        return signed_in.audit(event);
    }
    // The disclosures live in clinical.db, so their audit row goes with them.
    let tx = signed_in.clinical_write()?;
    for release in &prepared.releases {
        crate::disclosures::record_disclosure(
            &tx,
            &crate::disclosures::NewDisclosure {
                client_id: release.client_id,
                kind: prepared.kind.as_str(),
                recipient: &release.recipient,
                purpose: &release.purpose,
                covered_from: release.covered_from,
                covered_to: release.covered_to,
                released_by: signed_in.actor().staff_id,
                sha256,
                consent_id: release.consent_id,
            },
        )?;
    }
    tx.audit(event)?;
    tx.commit()
}

/// A file that cannot be written says why in words the user can act on.
fn file_error(path: &Path, error: std::io::Error) -> Error {
    let folder = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let reason = match error.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            format!("Circle may not write in {folder}. Choose another folder.")
        }
        std::io::ErrorKind::NotFound => {
            format!("The folder {folder} does not exist any more. Choose another folder.")
        }
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "The disk is full. Free some space or choose another disk.".to_owned()
        }
        _ => format!("The file could not be written: {error}."),
    };
    Error::invalid("file", reason)
}

/// A date range from two form fields, "from" and "to", in order.
pub(crate) fn date_range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let from_date = crate::clock::parse_date("from", from)?;
    let to_date = crate::clock::parse_date("to", to)?;
    if to_date < from_date {
        return Err(Error::invalid(
            "to",
            "The end date must be on or after the start date.",
        ));
    }
    Ok((from_date, to_date))
}
