//! A member's record of one session: the text of a group note as that
//! member's record shows it, with every other member redacted.

use rusqlite::Connection;

use super::note::{booked_members, load_content, note_by_id, NoteContent, NoteRow};
use crate::error::Result;
use crate::notes::redaction;

/// Redacts text for one member's record of one session.
pub(crate) struct MemberRecord {
    viewer: redaction::MemberViewer,
}

impl MemberRecord {
    pub fn new(conn: &Connection, note_id: i64, viewer_client_id: i64) -> Result<Self> {
        let note = note_by_id(conn, note_id)?;
        let content = load_content(conn, note_id)?;
        Self::for_note(conn, &note, &content, viewer_client_id)
    }

    /// For a note whose row and content are already loaded.
    pub(crate) fn for_note(
        conn: &Connection,
        note: &NoteRow,
        content: &NoteContent,
        viewer_client_id: i64,
    ) -> Result<Self> {
        // Today's names and the names frozen at signing: a member is
        // redacted by both (redaction gives one client id one label).
        let mut roster: Vec<redaction::RosterMember> = booked_members(conn, note.session_id)?
            .into_iter()
            .map(|b| b.roster)
            .collect();
        for (client_id, (first, last, preferred)) in &content.roster {
            roster.push(redaction::RosterMember {
                client_id: *client_id,
                legal_first_name: first.clone(),
                legal_last_name: last.clone(),
                preferred_name: preferred.clone(),
            });
        }
        Ok(MemberRecord {
            viewer: redaction::MemberViewer::new(&roster, viewer_client_id, &note.label_key),
        })
    }

    pub fn redact(&self, text: &str) -> String {
        self.viewer.view(text)
    }
}
