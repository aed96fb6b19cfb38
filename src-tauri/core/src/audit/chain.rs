//! The audit trail: an append-only table in `practice.db`, each row chained
//! to the one before by an HMAC, so a row edited, deleted or reordered by hand
//! breaks the chain at that row. Rows hold ids and actions, never names or
//! note text.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::vault::crypto;
use crate::vault::secret::SecretKey;

/// What happened. Stored as its `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Setup,
    Unlock,
    UnlockFailed,
    Recover,
    Lock,
    PassphraseChanged,
    StaffAdded,
    StaffRoleChanged,
    StaffPassphraseReset,
    StaffDeactivated,
    ClinicalAccessGranted,
    KeysRotated,
    RecoveryCodeReplaced,
    KeyRotationFailed,
    KeyRotationFinishedAtSignIn,
    KeyDeliveryRefused,
    KeyringMismatch,
    RecoverFailed,
    ClientCreated,
    ClientUpdated,
    ClientViewed,
    ClientsSearched,
    ClientsImportChecked,
    ClientsImported,
    RetentionReviewed,
    ClientPurged,
    RoomSaved,
    GroupCreated,
    GroupUpdated,
    GroupArchived,
    Enrolled,
    EnrollmentActivated,
    EnrollmentDischarged,
    /// A discharge's clinical note, written in clinical.db before the
    /// discharge itself (see `groups::roster::discharge`).
    DischargeNoteWritten,
    WaitlistReordered,
    RosterViewed,
    SeriesCreated,
    SeriesUpdated,
    SessionMoved,
    SessionCancelled,
    AppointmentBooked,
    AppointmentMoved,
    AppointmentCancelled,
    AppointmentAttendanceRecorded,
    AvailabilityChanged,
    AttendanceRecorded,
    ScheduleViewed,
    SettingsChanged,
    StaffSupervisorChanged,
    NoteViewed,
    NoteDraftSaved,
    NoteSigned,
    NoteCosigned,
    NoteAddendumSigned,
    ChartViewed,
    NotesSearched,
    NotesListed,
    GoalCreated,
    GoalUpdated,
    GoalsViewed,
    /// A PDF written and recorded (kind and SHA-256 in the detail).
    Exported,
    /// A file checked against what Circle released.
    ExportVerified,
    PrivateNoteViewed,
    PrivateNoteSaved,
    MeasureEntered,
    MeasuresViewed,
    MeasureRiskAcknowledged,
    ConsentAdded,
    ConsentRevoked,
    ConsentsViewed,
    DisclosuresViewed,
    BackupWritten,
    BackupFailed,
    BackupSettingsChanged,
    /// Recorded in the restored vault: which backup it came from.
    VaultRestored,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Setup => "vault.setup",
            Action::Unlock => "session.unlock",
            Action::UnlockFailed => "session.unlock_failed",
            Action::Recover => "session.recover",
            Action::Lock => "session.lock",
            Action::PassphraseChanged => "staff.passphrase_changed",
            Action::StaffAdded => "staff.added",
            Action::StaffRoleChanged => "staff.role_changed",
            Action::StaffPassphraseReset => "staff.passphrase_reset",
            Action::StaffDeactivated => "staff.deactivated",
            Action::ClinicalAccessGranted => "staff.clinical_access_granted",
            Action::KeysRotated => "vault.keys_rotated",
            Action::RecoveryCodeReplaced => "vault.recovery_code_replaced",
            Action::KeyRotationFailed => "vault.key_rotation_failed",
            Action::KeyRotationFinishedAtSignIn => "vault.key_rotation_finished",
            Action::KeyDeliveryRefused => "vault.key_delivery_refused",
            Action::KeyringMismatch => "vault.keyring_mismatch",
            Action::RecoverFailed => "session.recover_failed",
            Action::ClientCreated => "client.created",
            Action::ClientUpdated => "client.updated",
            Action::ClientViewed => "client.viewed",
            Action::ClientsSearched => "client.searched",
            Action::ClientsImportChecked => "client.import_checked",
            Action::ClientsImported => "client.imported",
            Action::RetentionReviewed => "retention.reviewed",
            Action::ClientPurged => "client.purged",
            Action::RoomSaved => "room.saved",
            Action::GroupCreated => "group.created",
            Action::GroupUpdated => "group.updated",
            Action::GroupArchived => "group.archived",
            Action::Enrolled => "enrollment.created",
            Action::EnrollmentActivated => "enrollment.activated",
            Action::EnrollmentDischarged => "enrollment.discharged",
            Action::DischargeNoteWritten => "note.discharge_note_written",
            Action::WaitlistReordered => "enrollment.waitlist_reordered",
            Action::RosterViewed => "enrollment.roster_viewed",
            Action::SeriesCreated => "series.created",
            Action::SeriesUpdated => "series.updated",
            Action::SessionMoved => "session.moved",
            Action::SessionCancelled => "session.cancelled",
            Action::AppointmentBooked => "appointment.booked",
            Action::AppointmentMoved => "appointment.moved",
            Action::AppointmentCancelled => "appointment.cancelled",
            Action::AppointmentAttendanceRecorded => "appointment.attendance_recorded",
            Action::AvailabilityChanged => "availability.changed",
            Action::AttendanceRecorded => "attendance.recorded",
            Action::ScheduleViewed => "schedule.viewed",
            Action::SettingsChanged => "practice.settings_changed",
            Action::StaffSupervisorChanged => "staff.supervisor_changed",
            Action::NoteViewed => "note.viewed",
            Action::NoteDraftSaved => "note.draft_saved",
            Action::NoteSigned => "note.signed",
            Action::NoteCosigned => "note.cosigned",
            Action::NoteAddendumSigned => "note.addendum_signed",
            Action::ChartViewed => "note.chart_viewed",
            Action::NotesSearched => "note.searched",
            Action::NotesListed => "note.listed",
            Action::GoalCreated => "goal.created",
            Action::GoalUpdated => "goal.updated",
            Action::GoalsViewed => "goal.viewed",
            Action::Exported => "export.created",
            Action::ExportVerified => "export.verified",
            Action::PrivateNoteViewed => "private_note.viewed",
            Action::PrivateNoteSaved => "private_note.saved",
            Action::MeasureEntered => "measure.entered",
            Action::MeasuresViewed => "measure.viewed",
            Action::MeasureRiskAcknowledged => "measure.risk_acknowledged",
            Action::ConsentAdded => "consent.added",
            Action::ConsentRevoked => "consent.revoked",
            Action::ConsentsViewed => "consent.viewed",
            Action::DisclosuresViewed => "disclosure.viewed",
            Action::BackupWritten => "backup.written",
            Action::BackupFailed => "backup.failed",
            Action::BackupSettingsChanged => "backup.settings_changed",
            Action::VaultRestored => "vault.restored",
        }
    }
}

/// One row as the Audit screen and `circle-admin audit` show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity_kind: Option<String>,
    pub entity_id: Option<i64>,
    pub detail: Option<String>,
}

/// An event to record.
pub struct Event<'a> {
    pub actor_id: Option<i64>,
    pub action: Action,
    pub entity: Option<(&'a str, i64)>,
    /// Never PHI: role names, counts, flags.
    pub detail: Option<String>,
}

impl<'a> Event<'a> {
    pub fn new(actor_id: Option<i64>, action: Action) -> Self {
        Event {
            actor_id,
            action,
            entity: None,
            detail: None,
        }
    }
    pub fn on(mut self, kind: &'a str, id: i64) -> Self {
        self.entity = Some((kind, id));
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// The audit chain key, kept in `vault_secrets`. It lives inside the
/// encrypted database rather than being derived from the practice key so that
/// rotating the practice key does not orphan the existing chain.
pub fn chain_key(conn: &Connection) -> Result<SecretKey> {
    let bytes: Vec<u8> = conn.query_row(
        "SELECT value FROM vault_secrets WHERE name = 'audit_chain_key'",
        [],
        |r| r.get(0),
    )?;
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| Error::Corrupt {
        file: crate::vault::location::PRACTICE_DB_FILE.to_owned(),
    })?;
    Ok(SecretKey::from_bytes(array))
}

/// Creates the chain key at setup.
pub fn create_chain_key(conn: &Connection) -> Result<()> {
    let key = crypto::random_key()
        .map_err(|_| Error::Io(std::io::Error::other("the OS random source failed")))?;
    conn.execute(
        "INSERT INTO vault_secrets (name, value) VALUES ('audit_chain_key', ?1)",
        params![key.expose().as_slice()],
    )?;
    Ok(())
}

/// Appends one row, chained to the last. Outside a transaction it takes
/// one of its own (immediate), so two connections appending at once never
/// read the same last row.
pub fn record(conn: &Connection, key: &SecretKey, event: Event<'_>) -> Result<()> {
    if conn.is_autocommit() {
        let tx = crate::vault::db::write_transaction(conn)?;
        append(&tx, key, event)?;
        tx.commit()?;
        Ok(())
    } else {
        append(conn, key, event)
    }
}

fn append(conn: &Connection, key: &SecretKey, event: Event<'_>) -> Result<()> {
    append_entry(conn, key, Pending::now(event))
}

/// A row to chain: an event as recorded now, or one that waited in
/// clinical.db's outbox with the time it happened (see `outbox`).
pub(super) struct Pending {
    pub at: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity_kind: Option<String>,
    pub entity_id: Option<i64>,
    pub detail: Option<String>,
}

impl Pending {
    /// `event` as it happens now.
    pub(super) fn now(event: Event<'_>) -> Self {
        Pending {
            at: crate::clock::precise_instant_text(crate::clock::now()),
            actor_id: event.actor_id,
            action: event.action.as_str().to_owned(),
            entity_kind: event.entity.map(|(k, _)| k.to_owned()),
            entity_id: event.entity.map(|(_, id)| id),
            detail: event.detail,
        }
    }
}

/// Appends `pending` after the chain's last row. The caller holds a write
/// transaction (two appenders must not read the same last row).
pub(super) fn append_entry(conn: &Connection, key: &SecretKey, pending: Pending) -> Result<()> {
    let last: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT id, mac FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_id, prev_mac) = last.unwrap_or((0, Vec::new()));
    let entry = AuditEntry {
        id: prev_id + 1,
        at: pending.at,
        actor_id: pending.actor_id,
        action: pending.action,
        entity_kind: pending.entity_kind,
        entity_id: pending.entity_id,
        detail: pending.detail,
    };
    let mac = crypto::hmac(key, &link_message(&prev_mac, &entry));
    conn.execute(
        "INSERT INTO audit_log (id, at, actor_id, action, entity_kind, entity_id, detail, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.id,
            entry.at,
            entry.actor_id,
            entry.action,
            entry.entity_kind,
            entry.entity_id,
            entry.detail,
            mac
        ],
    )?;
    Ok(())
}

/// HMAC over the previous link and every field, each length-prefixed so no
/// two different rows can encode to the same bytes.
fn link_message(prev_mac: &[u8], e: &AuditEntry) -> Vec<u8> {
    let mut msg = Vec::with_capacity(256);
    let mut field = |bytes: &[u8]| {
        msg.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        msg.extend_from_slice(bytes);
    };
    let opt_int = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    field(prev_mac);
    field(e.id.to_string().as_bytes());
    field(e.at.as_bytes());
    field(opt_int(e.actor_id).as_bytes());
    field(e.action.as_bytes());
    field(e.entity_kind.as_deref().unwrap_or("-").as_bytes());
    field(opt_int(e.entity_id).as_bytes());
    field(e.detail.as_deref().unwrap_or("-").as_bytes());
    msg
}

pub(super) fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor_id: r.get(2)?,
        action: r.get(3)?,
        entity_kind: r.get(4)?,
        entity_id: r.get(5)?,
        detail: r.get(6)?,
    })
}

/// The first row at which the chain breaks, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The id of the first row that does not verify (or the id expected there).
    pub id: i64,
    pub reason: &'static str,
}

/// Recomputes the chain from the first row.
pub fn verify(conn: &Connection, key: &SecretKey) -> Result<Option<BrokenLink>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, action, entity_kind, entity_id, detail, mac
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev_mac: Vec<u8> = Vec::new();
    let mut expected_id = 1;
    while let Some(row) = rows.next()? {
        let entry = row_to_entry(row)?;
        let mac: Vec<u8> = row.get(7)?;
        if entry.id != expected_id {
            return Ok(Some(BrokenLink {
                id: expected_id,
                reason: "a row is missing",
            }));
        }
        if !crypto::hmac_matches(key, &link_message(&prev_mac, &entry), &mac) {
            return Ok(Some(BrokenLink {
                id: entry.id,
                reason: "the row was changed or moved",
            }));
        }
        prev_mac = mac;
        expected_id += 1;
    }
    Ok(None)
}
