//! Today's "notes to write / to sign / to co-sign" for the signed-in person,
//! and the notes signed most recently that they may read.

use rusqlite::Connection;

use super::access;
use super::model::note::{staff_ref, StaffRef};
use crate::audit::{Action, Event};
use crate::error::Result;
use crate::groups::GroupFormat;
use crate::signed_in::SignedIn;

/// How far back unwritten notes are listed.
const LOOKBACK_DAYS: i64 = 60;

/// How many recently signed notes are listed.
pub const RECENT_SIGNED: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteTask {
    pub session_id: i64,
    pub group_id: i64,
    pub group_name: String,
    /// A group session, or an individual or family/couple one.
    pub format: GroupFormat,
    /// Who an individual or family/couple session was with (the list is
    /// the clinician's own); empty for a group session.
    pub client_names: Vec<String>,
    /// RFC 3339 UTC.
    pub starts_at: String,
    /// Who started the note (to sign) or signed it (to co-sign).
    pub by: Option<StaffRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NotesToDo {
    /// Sessions of my groups that have started, with someone attending (or
    /// attendance not recorded), and no note yet.
    pub to_write: Vec<NoteTask>,
    /// Drafts for sessions of my groups.
    pub to_sign: Vec<NoteTask>,
    /// Notes waiting for my co-signature.
    pub to_cosign: Vec<NoteTask>,
}

const MY_GROUP: &str = "(g.primary_facilitator_id = ?1
     OR EXISTS (SELECT 1 FROM group_cofacilitators c WHERE c.group_id = g.id AND c.staff_id = ?1))";

/// A row of a task query: session, group, group name, start, by, format.
type TaskRow = (i64, i64, String, String, Option<i64>, GroupFormat);

/// Runs a query of (session, group, group name, start, by, format) rows.
fn tasks(conn: &Connection, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<NoteTask>> {
    let rows: Vec<TaskRow> = conn
        .prepare_cached(sql)?
        .query_map(args, |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(
            |(session_id, group_id, group_name, starts_at, by, format)| {
                let client_names = if format == GroupFormat::Group {
                    Vec::new()
                } else {
                    crate::schedule::sessions::client_names(conn, session_id)?
                };
                Ok(NoteTask {
                    session_id,
                    group_id,
                    group_name,
                    format,
                    client_names,
                    starts_at,
                    by: by.map(|id| staff_ref(conn, id)).transpose()?,
                })
            },
        )
        .collect()
}

pub fn notes_to_do(signed_in: &SignedIn) -> Result<NotesToDo> {
    access::require_notes(signed_in)?;
    let conn = signed_in.conn();
    let me = signed_in.actor().staff_id;
    let now = crate::clock::now();
    let since = crate::clock::instant_text(now - chrono::Duration::days(LOOKBACK_DAYS));
    let now = crate::clock::instant_text(now);
    let to_write = tasks(
        conn,
        &format!(
            "SELECT s.id, g.id, g.name, s.starts_at, NULL, g.format FROM sessions s JOIN groups g ON g.id = s.group_id
             WHERE {MY_GROUP} AND s.status = 'scheduled' AND s.starts_at >= ?2 AND s.starts_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM session_notes n WHERE n.session_id = s.id)
               AND EXISTS (SELECT 1 FROM session_members m
                           LEFT JOIN attendance a ON a.session_id = m.session_id AND a.client_id = m.client_id
                           WHERE m.session_id = s.id
                             AND (a.status IS NULL OR a.status IN ('present', 'late', 'left_early')))
             ORDER BY s.starts_at"
        ),
        rusqlite::params![me, since, now],
    )?;
    // The drafts first (kept in `note_drafts` as notes are written and
    // signed: a handful of rows), then each one's session. Walking every
    // note of ten years for its signature grew with the practice.
    let drafts: Vec<i64> = conn
        .prepare_cached("SELECT note_id FROM note_drafts")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut to_sign = Vec::new();
    for draft in drafts {
        to_sign.extend(tasks(
            conn,
            &format!(
                "SELECT s.id, g.id, g.name, s.starts_at, n.author_id, g.format FROM session_notes n
                 JOIN sessions s ON s.id = n.session_id JOIN groups g ON g.id = s.group_id
                 WHERE n.id = ?2 AND ({MY_GROUP} OR n.author_id = ?1) AND s.status = 'scheduled'
                   AND NOT EXISTS (SELECT 1 FROM note_signatures x WHERE x.note_id = n.id AND x.kind = 'sign')"
            ),
            rusqlite::params![me, draft],
        )?);
    }
    to_sign.sort_by(|a, b| a.starts_at.cmp(&b.starts_at));
    let to_cosign = tasks(
        conn,
        "SELECT s.id, g.id, g.name, s.starts_at, x.staff_id, g.format FROM note_signatures x
         JOIN session_notes n ON n.id = x.note_id
         JOIN sessions s ON s.id = n.session_id JOIN groups g ON g.id = s.group_id
         WHERE x.kind = 'sign' AND x.cosigner_id = ?1
           AND NOT EXISTS (SELECT 1 FROM note_signatures y WHERE y.note_id = n.id AND y.kind = 'cosign')
         ORDER BY s.starts_at",
        rusqlite::params![me],
    )?;
    Ok(NotesToDo {
        to_write,
        to_sign,
        to_cosign,
    })
}

/// A signed note, as the Notes screen lists it (no note text, no names of
/// members: the group, the session and who signed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignedNoteLine {
    pub session_id: i64,
    pub group_id: i64,
    pub group_name: String,
    /// The session's start, RFC 3339 UTC.
    pub starts_at: String,
    pub signed_by: StaffRef,
    /// RFC 3339 UTC.
    pub signed_at: String,
    /// Signed by a supervisee, still waiting for the supervisor's co-signature.
    pub awaiting_cosign: bool,
}

/// The notes signed most recently (newest first, at most [`RECENT_SIGNED`])
/// whose whole note the signed-in person may read: every note for owners and
/// supervisors (and clinicians when the scope setting is off), otherwise
/// those of the groups they facilitate. Audited as one list read, with the
/// count only.
pub fn recently_signed(signed_in: &SignedIn) -> Result<Vec<SignedNoteLine>> {
    access::require_notes(signed_in)?;
    let conn = signed_in.conn();
    let me = signed_in.actor().staff_id;
    let every = access::sees_every_record(signed_in)?;
    let rows: Vec<(i64, i64, String, String, i64, String, bool)> = conn
        .prepare(&format!(
            "SELECT s.id, g.id, g.name, s.starts_at, x.staff_id, x.signed_at,
                    x.cosigner_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM note_signatures y WHERE y.note_id = n.id AND y.kind = 'cosign')
             FROM note_signatures x
             JOIN session_notes n ON n.id = x.note_id
             JOIN sessions s ON s.id = n.session_id JOIN groups g ON g.id = s.group_id
             WHERE x.kind = 'sign' AND (?2 OR {MY_GROUP})
             ORDER BY x.signed_at DESC, x.id DESC
             LIMIT ?3"
        ))?
        .query_map(rusqlite::params![me, every, RECENT_SIGNED], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let lines = rows
        .into_iter()
        .map(
            |(session_id, group_id, group_name, starts_at, by, signed_at, awaiting_cosign)| {
                Ok(SignedNoteLine {
                    session_id,
                    group_id,
                    group_name,
                    starts_at,
                    signed_by: staff_ref(conn, by)?,
                    signed_at,
                    awaiting_cosign,
                })
            },
        )
        .collect::<Result<Vec<_>>>()?;
    signed_in.audit(
        Event::new(Some(me), Action::NotesListed)
            .detail(format!("recently_signed results={}", lines.len())),
    )?;
    Ok(lines)
}
