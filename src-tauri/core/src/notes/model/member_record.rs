//! A member's record of one session: the text of a group note as that
//! member's record shows it, with every other member redacted (but for the
//! occurrences the author marked "not a name" in a shared section).

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use super::note::{booked_members, load_frozen_names, note_by_id, NoteContent, NoteRow};
use crate::error::Result;
use crate::notes::name_release::{self, NameRelease};
use crate::notes::redaction;

/// Redacts text for one member's record of one session.
pub(crate) struct MemberRecord {
    viewer: redaction::MemberViewer,
    roster: Vec<redaction::RosterMember>,
    released: BTreeMap<String, BTreeSet<NameRelease>>,
}

impl MemberRecord {
    /// For [`Self::redact`] alone (a member's own text, a goal comment):
    /// reads the note's names, not its sections, so the name releases
    /// [`Self::redact_shared`] needs are not loaded.
    pub fn for_own_text(conn: &Connection, note_id: i64, viewer_client_id: i64) -> Result<Self> {
        let note = note_by_id(conn, note_id)?;
        let names = load_frozen_names(conn, note_id)?;
        Self::for_note(conn, &note, &names, viewer_client_id)
    }

    /// For a note whose row and content are already loaded.
    pub(crate) fn for_note(
        conn: &Connection,
        note: &NoteRow,
        content: &NoteContent,
        viewer_client_id: i64,
    ) -> Result<Self> {
        let roster = label_roster(conn, note, content)?;
        Ok(MemberRecord {
            viewer: redaction::MemberViewer::new(&roster, viewer_client_id, &note.label_key),
            roster,
            released: content.released.clone(),
        })
    }

    /// A member's own text, an addendum or a goal comment: every other
    /// member redacted.
    pub fn redact(&self, text: &str) -> String {
        self.viewer.view(text)
    }

    /// A shared section's text: every other member redacted, except where
    /// the author released an occurrence as "not a name".
    pub fn redact_shared(&self, section_key: &str, text: &str) -> String {
        match self.released.get(section_key) {
            Some(released) => {
                let kept = name_release::kept_ranges(text, &self.roster, released);
                self.viewer.view_keeping(text, &kept)
            }
            None => self.viewer.view(text),
        }
    }
}

/// Everyone a note's labels are given among: today's names of those booked
/// and the names frozen at signing (a member is redacted by both; one
/// client id gets one label), and members a retention purge took out, with
/// no name left to match, so nobody else's label moves.
pub(crate) fn label_roster(
    conn: &Connection,
    note: &NoteRow,
    content: &NoteContent,
) -> Result<Vec<redaction::RosterMember>> {
    let mut roster: Vec<redaction::RosterMember> = booked_members(conn, note.session_id)?
        .into_iter()
        .map(|b| b.roster)
        .collect();
    for (client_id, (first, last, preferred)) in &content.roster {
        // The middle name and name order frozen beside them, if any.
        let (middle, order) = content
            .roster_more
            .get(client_id)
            .cloned()
            .unwrap_or_default();
        roster.push(redaction::RosterMember {
            client_id: *client_id,
            legal_first_name: first.clone(),
            legal_last_name: last.clone(),
            preferred_name: preferred.clone(),
            middle_name: middle,
            name_order: order,
        });
    }
    for client_id in super::purge_trail::purged_members(conn, note.id)? {
        roster.push(redaction::RosterMember {
            client_id,
            legal_first_name: String::new(),
            legal_last_name: String::new(),
            preferred_name: None,
            middle_name: None,
            name_order: Default::default(),
        });
    }
    Ok(roster)
}
