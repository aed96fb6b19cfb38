//! The writer of the full-text index: an FTS5 table inside clinical.db, one
//! row per section or addendum, with @-mentions written out as names.
//! Private notes are never indexed.

use rusqlite::{params, Connection};

use super::note::{NoteContent, SHARED};
use crate::error::Result;
use crate::notes::redaction;

/// `section` of an addendum's rows.
pub(crate) const ADDENDUM_SECTION: &str = "addendum";

/// Replaces a note's index rows (sections only; addenda stay).
pub(crate) fn index_note(
    conn: &Connection,
    note_id: i64,
    content: &NoteContent,
    roster: &[redaction::RosterMember],
) -> Result<()> {
    // By rowid through notes_fts_rows: a filter on notes_fts's note_id
    // would scan the whole index (clinical migration 0009).
    conn.execute(
        "DELETE FROM notes_fts WHERE rowid IN
           (SELECT fts_rowid FROM notes_fts_rows WHERE note_id = ?1)",
        [note_id],
    )?;
    conn.execute("DELETE FROM notes_fts_rows WHERE note_id = ?1", [note_id])?;
    let mut insert = conn.prepare(
        "INSERT INTO notes_fts (body, note_id, client_id, section) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut listed =
        conn.prepare("INSERT INTO notes_fts_rows (fts_rowid, note_id) VALUES (?1, ?2)")?;
    for (key, body) in &content.shared {
        if !body.trim().is_empty() {
            insert.execute(params![
                redaction::full_view(body, roster),
                note_id,
                SHARED,
                key
            ])?;
            listed.execute(params![conn.last_insert_rowid(), note_id])?;
        }
    }
    for (client_id, member) in &content.members {
        let mut texts: Vec<(&str, &str)> = member
            .sections
            .iter()
            .map(|(k, b)| (k.as_str(), b.as_str()))
            .collect();
        texts.push(("risk", member.risk_text.as_str()));
        for (_, comment) in member.goals.values() {
            texts.push(("goals", comment.as_str()));
        }
        for (key, body) in texts {
            if !body.trim().is_empty() {
                insert.execute(params![
                    redaction::full_view(body, roster),
                    note_id,
                    client_id,
                    key
                ])?;
                listed.execute(params![conn.last_insert_rowid(), note_id])?;
            }
        }
    }
    Ok(())
}

pub(crate) fn index_addendum(
    conn: &Connection,
    note_id: i64,
    client_id: Option<i64>,
    body: &str,
    roster: &[redaction::RosterMember],
) -> Result<()> {
    conn.execute(
        "INSERT INTO notes_fts (body, note_id, client_id, section) VALUES (?1, ?2, ?3, ?4)",
        params![
            redaction::full_view(body, roster),
            note_id,
            client_id.unwrap_or(SHARED),
            ADDENDUM_SECTION
        ],
    )?;
    Ok(())
}
