//! The clinical note of a discharge: what a clinician wants on record about
//! why someone left a group or its waitlist.
//!
//! The reason itself is a choice kept in practice.db, which every role reads
//! ([`crate::groups::DischargeReason`]). This note lives in clinical.db, so
//! only someone holding the clinical key writes or reads it, and only for
//! clients whose records they may read (see `access`). A front-desk
//! discharge sets the reason alone.

use rusqlite::{params, Connection};

use super::access;
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::signed_in::SignedIn;

/// Longest clinical note a discharge takes, in characters.
pub const MAX_DISCHARGE_NOTE_CHARS: usize = 4_000;

/// One discharge's clinical note. PHI: `Debug` shows ids only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DischargeNote {
    pub enrollment_id: i64,
    pub group_id: i64,
    pub body: String,
    /// Who wrote it; none for a free-text reason written before reasons
    /// became a choice, moved here from the roster.
    pub author_id: Option<i64>,
    /// RFC 3339 UTC.
    pub written_at: String,
}

impl std::fmt::Debug for DischargeNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DischargeNote(enrollment {})", self.enrollment_id)
    }
}

/// The note to write with a discharge of `client_id`, trimmed; none when
/// blank. Refused unless the acting person holds the clinical key and may
/// read this client's record.
pub(crate) fn checked(
    signed_in: &SignedIn,
    client_id: i64,
    note: Option<&str>,
) -> Result<Option<String>> {
    let Some(text) = note.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    access::require_notes(signed_in)?;
    if !access::may_read_client(signed_in, client_id)? {
        return Err(Error::invalid(
            "clinicalNote",
            "You may write a clinical note only for clients of groups you facilitate.",
        ));
    }
    // SQLite reads text only up to a NUL (a stored "\0…" is empty to it).
    if text.contains('\0') {
        return Err(Error::invalid(
            "clinicalNote",
            "Remove the invisible null character from the clinical note.",
        ));
    }
    if text.chars().count() > MAX_DISCHARGE_NOTE_CHARS {
        return Err(Error::invalid(
            "clinicalNote",
            format!("Keep the clinical note under {MAX_DISCHARGE_NOTE_CHARS} characters."),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Stores a note [`checked`] before, in the discharge's transaction.
pub(crate) fn write(
    conn: &Connection,
    author_id: i64,
    enrollment_id: i64,
    client_id: i64,
    group_id: i64,
    body: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO clinical.discharge_notes (enrollment_id, client_id, group_id, body, author_id, written_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (enrollment_id) DO UPDATE SET body = excluded.body, author_id = excluded.author_id,
                                                   written_at = excluded.written_at",
        params![
            enrollment_id,
            client_id,
            group_id,
            body,
            author_id,
            crate::clock::now_text()
        ],
    )?;
    Ok(())
}

/// The clinical notes of a client's discharges, newest first (clinical
/// staff who may read this client's record).
pub fn discharge_notes_of_client(
    signed_in: &SignedIn,
    client_id: i64,
) -> Result<Vec<DischargeNote>> {
    access::require_client(signed_in, client_id)?;
    let notes = signed_in
        .conn()
        .prepare(
            "SELECT enrollment_id, group_id, body, author_id, written_at
               FROM clinical.discharge_notes WHERE client_id = ?1
              ORDER BY written_at DESC, enrollment_id DESC",
        )?
        .query_map([client_id], |r| {
            Ok(DischargeNote {
                enrollment_id: r.get(0)?,
                group_id: r.get(1)?,
                body: r.get(2)?,
                author_id: r.get(3)?,
                written_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ChartViewed)
            .on("client", client_id)
            .detail(format!("discharge_notes={}", notes.len())),
    )?;
    Ok(notes)
}

/// Moves the free-text discharge reasons written before reasons became a
/// choice (practice level 5 set them aside in `discharge_reasons_to_move`)
/// into clinical.db, as those discharges' notes, and deletes them from
/// practice.db. Needs clinical.db attached; runs at
/// each sign-in that holds the clinical key and does nothing once they are
/// moved. Returns how many moved.
///
/// The two files commit one after the other, clinical.db first: a crash
/// between them leaves a text in both, and the next run finishes without
/// writing it twice.
pub(crate) fn move_earlier_reasons(conn: &Connection) -> Result<usize> {
    let waiting: i64 = conn.query_row(
        "SELECT count(*) FROM main.discharge_reasons_to_move",
        [],
        |r| r.get(0),
    )?;
    if waiting == 0 {
        return Ok(0);
    }
    // Two commits, clinical.db first: one transaction over both files would
    // commit practice.db's delete first, and a crash then would lose the text.
    let tx = crate::vault::db::write_transaction(conn)?;
    let moved = tx.execute(
        "INSERT OR IGNORE INTO clinical.discharge_notes
             (enrollment_id, client_id, group_id, body, author_id, written_at)
         SELECT m.enrollment_id, e.client_id, e.group_id, m.reason_text, NULL, ?1
           FROM main.discharge_reasons_to_move m JOIN main.enrollments e ON e.id = m.enrollment_id
          WHERE length(m.reason_text) > 0",
        [crate::clock::now_text()],
    )?;
    tx.commit()?;
    let tx = crate::vault::db::write_transaction(conn)?;
    // SQLCipher's secure_delete (on by default) overwrites the deleted bytes.
    tx.execute("DELETE FROM main.discharge_reasons_to_move", [])?;
    tx.commit()?;
    Ok(moved)
}
