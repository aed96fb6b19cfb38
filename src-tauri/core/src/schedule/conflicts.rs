//! Conflict checks: a room, a staff member or a client booked twice.
//!
//! Every schedule write calls [`check`] inside its own transaction, so the
//! check and the write see the same state. Messages name what collides and
//! when, in the practice's zone, but never a client's name (the person at the
//! desk knows which client they are booking).

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::clock::{self, instant_text};
use crate::error::{Error, Result};

/// A span of time to be booked, and who and what it needs.
#[derive(Debug, Clone, Default)]
pub struct Slot<'a> {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub room_id: Option<i64>,
    pub staff_ids: &'a [i64],
    pub client_ids: &'a [i64],
    /// The session being moved or edited (it does not collide with itself).
    pub ignore_session: Option<i64>,
    pub ignore_appointment: Option<i64>,
}

/// Longer than anything Circle books (a session lasts at most 12 hours, an
/// appointment 8). Whatever overlaps a slot therefore starts less than this
/// before it: the bound that lets each query below read a few index
/// entries instead of every booking since the practice began (ten years of
/// sessions made booking ten times slower).
const LONGEST_BOOKING_HOURS: i64 = 24;

/// "Tue 3 Mar, 18:00–19:30" in the practice's zone.
pub(crate) fn describe_span(conn: &Connection, starts: &str, ends: &str) -> Result<String> {
    let tz = clock::practice_zone(conn)?;
    Ok(clock::format_span(
        tz,
        clock::parse_instant(starts)?,
        clock::parse_instant(ends)?,
    ))
}

fn appointment_label(kind: &str) -> &'static str {
    if kind == "intake" {
        "an intake screening"
    } else {
        "a check-in"
    }
}

/// Refuses the slot with a message naming the first collision.
pub fn check(conn: &Connection, slot: &Slot<'_>) -> Result<()> {
    let (Some(starts), Some(ends)) = (slot.starts_at, slot.ends_at) else {
        return Ok(());
    };
    let (s, e) = (instant_text(starts), instant_text(ends));
    let earliest = instant_text(starts - Duration::hours(LONGEST_BOOKING_HOURS));
    let ignore_session = slot.ignore_session.unwrap_or(-1);
    let ignore_appointment = slot.ignore_appointment.unwrap_or(-1);

    if let Some(room_id) = slot.room_id {
        let room: String = row(
            conn,
            "SELECT name FROM rooms WHERE id = ?1",
            [room_id],
            |r| r.get(0),
        )?;
        let session: Option<(String, String, String)> = optional_row(
                conn,
                "SELECT g.name, s.starts_at, s.ends_at FROM sessions s JOIN groups g ON g.id = s.group_id
                 WHERE s.room_id = ?1 AND s.status = 'scheduled' AND s.id <> ?2
                   AND s.starts_at > ?5 AND s.starts_at < ?4 AND ?3 < s.ends_at
                 ORDER BY s.starts_at LIMIT 1",
                params![room_id, ignore_session, s, e, earliest],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        if let Some((group, a, b)) = session {
            return Err(conflict(format!(
                "{room} is taken by {group} on {}.",
                describe_span(conn, &a, &b)?
            )));
        }
        let appointment: Option<(String, String, String)> = optional_row(
            conn,
            "SELECT kind, starts_at, ends_at FROM appointments
                 WHERE room_id = ?1 AND status = 'scheduled' AND id <> ?2
                   AND starts_at > ?5 AND starts_at < ?4 AND ?3 < ends_at
                 ORDER BY starts_at LIMIT 1",
            params![room_id, ignore_appointment, s, e, earliest],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if let Some((kind, a, b)) = appointment {
            return Err(conflict(format!(
                "{room} is taken by {} on {}.",
                appointment_label(&kind),
                describe_span(conn, &a, &b)?
            )));
        }
    }

    for &staff_id in slot.staff_ids {
        let name: String = row(
            conn,
            "SELECT full_name FROM staff WHERE id = ?1",
            [staff_id],
            |r| r.get(0),
        )?;
        let session: Option<(String, String, String)> = optional_row(
                conn,
                "SELECT g.name, s.starts_at, s.ends_at FROM sessions s JOIN groups g ON g.id = s.group_id
                 WHERE s.status = 'scheduled' AND s.id <> ?2 AND s.starts_at > ?5 AND s.starts_at < ?4 AND ?3 < s.ends_at
                   AND (g.primary_facilitator_id = ?1
                        OR EXISTS (SELECT 1 FROM group_cofacilitators c WHERE c.group_id = g.id AND c.staff_id = ?1))
                 ORDER BY s.starts_at LIMIT 1",
                params![staff_id, ignore_session, s, e, earliest],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
        if let Some((group, a, b)) = session {
            return Err(conflict(format!(
                "{name} is facilitating {group} on {}.",
                describe_span(conn, &a, &b)?
            )));
        }
        let appointment: Option<(String, String, String)> = optional_row(
            conn,
            "SELECT kind, starts_at, ends_at FROM appointments
                 WHERE clinician_id = ?1 AND status = 'scheduled' AND id <> ?2
                   AND starts_at > ?5 AND starts_at < ?4 AND ?3 < ends_at
                 ORDER BY starts_at LIMIT 1",
            params![staff_id, ignore_appointment, s, e, earliest],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if let Some((kind, a, b)) = appointment {
            return Err(conflict(format!(
                "{name} has {} on {}.",
                appointment_label(&kind),
                describe_span(conn, &a, &b)?
            )));
        }
    }

    for &client_id in slot.client_ids {
        let session: Option<(String, String, String)> = optional_row(
            conn,
            "SELECT g.name, s.starts_at, s.ends_at FROM session_members m
                 JOIN sessions s ON s.id = m.session_id JOIN groups g ON g.id = s.group_id
                 WHERE m.client_id = ?1 AND s.status = 'scheduled' AND s.id <> ?2
                   AND s.starts_at > ?5 AND s.starts_at < ?4 AND ?3 < s.ends_at
                 ORDER BY s.starts_at LIMIT 1",
            params![client_id, ignore_session, s, e, earliest],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if let Some((group, a, b)) = session {
            return Err(conflict(format!(
                "This client is booked into {group} on {}.",
                describe_span(conn, &a, &b)?
            )));
        }
        let appointment: Option<(String, String, String)> = optional_row(
            conn,
            "SELECT kind, starts_at, ends_at FROM appointments
                 WHERE client_id = ?1 AND status = 'scheduled' AND id <> ?2
                   AND starts_at > ?5 AND starts_at < ?4 AND ?3 < ends_at
                 ORDER BY starts_at LIMIT 1",
            params![client_id, ignore_appointment, s, e, earliest],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if let Some((kind, a, b)) = appointment {
            return Err(conflict(format!(
                "This client has {} on {}.",
                appointment_label(&kind),
                describe_span(conn, &a, &b)?
            )));
        }
    }
    Ok(())
}

/// One row through the connection's statement cache: a free-slot search
/// runs these queries for every candidate slot, and parsing them afresh
/// each time was most of its cost.
fn row<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    map: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<T> {
    Ok(conn.prepare_cached(sql)?.query_row(params, map)?)
}

fn optional_row<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    map: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params, map)
        .optional()?)
}

fn conflict(message: String) -> Error {
    Error::Conflict { message }
}

/// How many people a session can seat: the smaller of its group's capacity
/// and its room's (a session moved into a smaller room seats fewer), as they
/// are now.
pub(crate) fn session_capacity(conn: &Connection, session_id: i64) -> Result<u32> {
    conn.query_row(
        "SELECT min(g.capacity, r.capacity) FROM sessions s
         JOIN groups g ON g.id = s.group_id JOIN rooms r ON r.id = s.room_id
         WHERE s.id = ?1",
        [session_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That session",
    })
}
