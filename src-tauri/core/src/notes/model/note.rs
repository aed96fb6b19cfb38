//! A session's note as stored: its row, its content in canonical (sorted)
//! form — the shared part and a section per member — who was booked into
//! the session, and the statuses and staff references every view shares.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::groups::NoteTemplate;
use crate::notes::name_release::NameRelease;
use crate::notes::redaction;
use crate::schedule::attendance::AttendanceStatus;
use crate::staff;
use crate::stored_text::stored_as_text;

/// Longest text accepted in one section, addendum or private note.
pub const MAX_SECTION_CHARS: usize = 20_000;
/// `client_id` of the shared part in `note_sections`.
pub(crate) const SHARED: i64 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum NoteStatus {
    /// No note has been started for this session.
    NotStarted,
    Draft,
    /// Signed by a supervisee; waits for their supervisor.
    PendingCosign,
    Signed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RiskLevel {
    None,
    Low,
    Moderate,
    High,
}

stored_as_text!(RiskLevel {
    None = "none",
    Low = "low",
    Moderate = "moderate",
    High = "high",
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StaffRef {
    pub id: i64,
    pub full_name: String,
}

pub(crate) fn staff_ref(conn: &Connection, id: i64) -> Result<StaffRef> {
    let member = staff::by_id(conn, id)?;
    Ok(StaffRef {
        id,
        full_name: member.full_name,
    })
}

/// The stored row of a session's note.
pub(crate) struct NoteRow {
    pub id: i64,
    pub session_id: i64,
    pub group_id: i64,
    pub template: NoteTemplate,
    pub author_id: i64,
    pub label_key: Vec<u8>,
    pub revision: i64,
    /// When the note was started (RFC 3339 UTC).
    pub created_at: String,
}

pub(crate) fn note_of_session(conn: &Connection, session_id: i64) -> Result<Option<NoteRow>> {
    Ok(conn
        .query_row(
            "SELECT id, session_id, group_id, template_code, author_id, label_key, revision, created_at
             FROM session_notes WHERE session_id = ?1",
            [session_id],
            note_row,
        )
        .optional()?)
}

pub(crate) fn note_by_id(conn: &Connection, note_id: i64) -> Result<NoteRow> {
    conn.query_row(
        "SELECT id, session_id, group_id, template_code, author_id, label_key, revision, created_at
         FROM session_notes WHERE id = ?1",
        [note_id],
        note_row,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "That note" })
}

fn note_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NoteRow> {
    Ok(NoteRow {
        id: r.get(0)?,
        session_id: r.get(1)?,
        group_id: r.get(2)?,
        template: r.get(3)?,
        author_id: r.get(4)?,
        label_key: r.get(5)?,
        revision: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// A member's stored section, in canonical (sorted) form.
#[derive(Default, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct MemberContent {
    pub sections: BTreeMap<String, String>,
    pub risk_level: Option<RiskLevel>,
    pub risk_text: String,
    /// goal id → (rating, comment)
    pub goals: BTreeMap<i64, (Option<u8>, String)>,
}

/// A note's content in canonical form: what signing hashes.
#[derive(Default, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct NoteContent {
    pub shared: BTreeMap<String, String>,
    pub members: BTreeMap<i64, MemberContent>,
    /// Names of everyone booked, frozen at signing (empty for a draft):
    /// client id → (legal first, legal last, preferred).
    pub roster: BTreeMap<i64, (String, String, Option<String>)>,
    /// Beside `roster`, frozen at signing for the members who have a middle
    /// name or whose name is written family name first: client id →
    /// (middle name, name order). Left out of the canonical form when empty,
    /// so notes signed before middle names existed hash as they always did.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub roster_more: BTreeMap<i64, (Option<String>, crate::names::NameOrder)>,
    /// Shared section key → the occurrences its author marked "not a name".
    /// Left out of the canonical form when empty, so notes signed before
    /// releases existed hash as they always did.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub released: BTreeMap<String, BTreeSet<NameRelease>>,
}

/// Only the names frozen at signing (`roster` and `roster_more`; every
/// other part left empty): what redacting a member's own text needs,
/// without reading the note's sections (about 1 KB a member).
pub(crate) fn load_frozen_names(conn: &Connection, note_id: i64) -> Result<NoteContent> {
    let mut content = NoteContent::default();
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, legal_first_name, legal_last_name, preferred_name FROM note_roster WHERE note_id = ?1",
    )?;
    let frozen = stmt.query_map([note_id], |r| {
        Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
    })?;
    for entry in frozen {
        let (client_id, names) = entry?;
        content.roster.insert(client_id, names);
    }
    content.roster_more = frozen_name_details(conn, note_id)?;
    Ok(content)
}

pub(crate) fn load_content(conn: &Connection, note_id: i64) -> Result<NoteContent> {
    let mut content = NoteContent::default();
    let mut stmt =
        conn.prepare("SELECT client_id, key, body FROM note_sections WHERE note_id = ?1")?;
    let rows = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut sections: Vec<(i64, String, String)> = Vec::new();
    for row in rows {
        sections.push(row?);
    }
    let mut stmt = conn
        .prepare("SELECT client_id, risk_level, risk_text FROM member_notes WHERE note_id = ?1")?;
    let members = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for member in members {
        let (client_id, level, text) = member?;
        content.members.insert(
            client_id,
            MemberContent {
                risk_level: level.as_deref().and_then(RiskLevel::from_db),
                risk_text: text,
                ..MemberContent::default()
            },
        );
    }
    for (client_id, key, body) in sections {
        if client_id == SHARED {
            content.shared.insert(key, body);
        } else {
            content
                .members
                .entry(client_id)
                .or_default()
                .sections
                .insert(key, body);
        }
    }
    let frozen = load_frozen_names(conn, note_id)?;
    content.roster = frozen.roster;
    content.roster_more = frozen.roster_more;
    let mut stmt = conn.prepare(
        "SELECT section_key, match_text, before_text, after_text FROM note_name_releases WHERE note_id = ?1",
    )?;
    let releases = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            NameRelease {
                text: r.get(1)?,
                before: r.get(2)?,
                after: r.get(3)?,
            },
        ))
    })?;
    for release in releases {
        let (key, release) = release?;
        content.released.entry(key).or_default().insert(release);
    }
    let mut stmt = conn.prepare(
        "SELECT client_id, goal_id, rating, comment FROM goal_ratings WHERE note_id = ?1",
    )?;
    let ratings = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<u8>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for rating in ratings {
        let (client_id, goal_id, value, comment) = rating?;
        content
            .members
            .entry(client_id)
            .or_default()
            .goals
            .insert(goal_id, (value, comment));
    }
    Ok(content)
}

pub(crate) fn write_content(conn: &Connection, note_id: i64, content: &NoteContent) -> Result<()> {
    conn.execute("DELETE FROM goal_ratings WHERE note_id = ?1", [note_id])?;
    conn.execute("DELETE FROM note_sections WHERE note_id = ?1", [note_id])?;
    conn.execute("DELETE FROM member_notes WHERE note_id = ?1", [note_id])?;
    conn.execute(
        "DELETE FROM note_name_releases WHERE note_id = ?1",
        [note_id],
    )?;
    let mut release = conn.prepare(
        "INSERT INTO note_name_releases (note_id, section_key, match_text, before_text, after_text)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (key, releases) in &content.released {
        for r in releases {
            release.execute(params![note_id, key, r.text, r.before, r.after])?;
        }
    }
    let mut section = conn.prepare(
        "INSERT INTO note_sections (note_id, client_id, key, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (key, body) in &content.shared {
        section.execute(params![note_id, SHARED, key, body])?;
    }
    let mut member = conn.prepare(
        "INSERT INTO member_notes (note_id, client_id, risk_level, risk_text) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut rating = conn.prepare(
        "INSERT INTO goal_ratings (note_id, client_id, goal_id, rating, comment) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (client_id, m) in &content.members {
        member.execute(params![
            note_id,
            client_id,
            m.risk_level.map(RiskLevel::as_db),
            m.risk_text
        ])?;
        for (key, body) in &m.sections {
            section.execute(params![note_id, client_id, key, body])?;
        }
        for (goal_id, (value, comment)) in &m.goals {
            rating.execute(params![note_id, client_id, goal_id, value, comment])?;
        }
    }
    Ok(())
}

/// A booked member with names and attendance.
pub(crate) struct BookedMember {
    pub roster: redaction::RosterMember,
    pub attendance: Option<AttendanceStatus>,
}

/// Everyone booked into the session, in the roster's order: by display name,
/// ignoring case and accents ([`crate::groups::member_order`]).
pub(crate) fn booked_members(conn: &Connection, session_id: i64) -> Result<Vec<BookedMember>> {
    let mut rows: Vec<BookedMember> = conn
        .prepare(
            "SELECT c.id, c.legal_first_name, c.legal_last_name, c.preferred_name, a.status,
                    c.middle_name, c.name_order
             FROM session_members m JOIN clients c ON c.id = m.client_id
             LEFT JOIN attendance a ON a.session_id = m.session_id AND a.client_id = m.client_id
             WHERE m.session_id = ?1",
        )?
        .query_map([session_id], |r| {
            Ok(BookedMember {
                roster: redaction::RosterMember {
                    client_id: r.get(0)?,
                    legal_first_name: r.get(1)?,
                    legal_last_name: r.get(2)?,
                    preferred_name: r.get(3)?,
                    middle_name: r.get(5)?,
                    name_order: r
                        .get::<_, Option<String>>(6)?
                        .as_deref()
                        .and_then(crate::names::NameOrder::from_db)
                        .unwrap_or_default(),
                },
                attendance: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // The roster's order (by display name), as the roster and the check-in list them.
    rows.sort_by_cached_key(|b| {
        crate::groups::member_order(
            b.roster.client_id,
            &b.roster.legal_first_name,
            &b.roster.legal_last_name,
            b.roster.preferred_name.as_deref(),
            b.roster.name_order,
        )
    });
    Ok(rows)
}

/// A member's middle name and name order as frozen at signing, when there
/// is something to keep (a middle name, or family name first): the
/// `roster_more` of [`NoteContent`].
pub(crate) fn frozen_details_of(
    member: &redaction::RosterMember,
) -> Option<(Option<String>, crate::names::NameOrder)> {
    (member.middle_name.is_some() || member.name_order != crate::names::NameOrder::GivenFirst)
        .then(|| (member.middle_name.clone(), member.name_order))
}

/// The `roster_more` of a note (see [`NoteContent`]): from note_roster's
/// middle_name and name_order columns, NULL in rows with nothing to keep.
fn frozen_name_details(
    conn: &Connection,
    note_id: i64,
) -> Result<BTreeMap<i64, (Option<String>, crate::names::NameOrder)>> {
    let mut stmt = conn.prepare(
        "SELECT client_id, middle_name, name_order FROM note_roster
         WHERE note_id = ?1 AND (middle_name IS NOT NULL OR name_order IS NOT NULL)",
    )?;
    let rows = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (client_id, middle, order) = row?;
        let order = order
            .as_deref()
            .and_then(crate::names::NameOrder::from_db)
            .unwrap_or_default();
        out.insert(client_id, (middle, order));
    }
    Ok(out)
}
