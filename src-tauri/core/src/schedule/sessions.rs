//! Group sessions: a series' occurrences as rows, who is booked into each,
//! and the exceptions (one occurrence moved or cancelled).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::conflicts::{self, Slot};
use super::recurrence::{self, End, Frequency, RecurrenceInput};
use super::rooms;
use crate::audit::{Action, Event};
use crate::clock::{self, instant_text, local_date_of, local_to_utc, parse_instant, practice_zone};
use crate::error::{Error, Result};
use crate::groups;
use crate::roles::Capability;
use crate::signed_in::SignedIn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
}

/// One occurrence of a group, as lists and the week view show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupSession {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    /// A group session, or an individual or family/couple one.
    pub format: groups::GroupFormat,
    /// Who an individual or family/couple session is with, by everyday
    /// name, as an appointment shows its client to whoever may book; empty
    /// for a group session (its name says what it is).
    pub client_names: Vec<String>,
    pub series_id: Option<i64>,
    /// 1-based place in its series.
    pub seq: Option<u32>,
    pub room_id: i64,
    pub room_name: String,
    /// RFC 3339 UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub status: SessionStatus,
    /// Moved or cancelled on its own; series edits leave it alone.
    pub is_exception: bool,
    pub members_booked: u32,
    pub facilitator_ids: Vec<i64>,
    /// A note for it has been saved or signed. Read from practice.db's audit
    /// trail (see [`cancel_check`]), so the front desk knows it too; a past
    /// session with a note is not offered for cancelling.
    pub has_note: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SeriesCreated {
    pub series_id: i64,
    pub sessions: Vec<GroupSession>,
}

/// The local midnight starting `date`, as a UTC instant.
pub(crate) fn start_of_local_day(conn: &Connection, date: NaiveDate) -> Result<DateTime<Utc>> {
    Ok(clock::start_of_day(practice_zone(conn)?, date))
}

/// Creates a group's recurring series in one of the practice's rooms, books
/// the group's active members into every occurrence, and refuses (writing
/// nothing) if any occurrence collides.
pub fn create_series(
    signed_in: &SignedIn,
    group_id: i64,
    room_id: i64,
    mut input: RecurrenceInput,
) -> Result<SeriesCreated> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let group = groups::group(conn, group_id)
        .map_err(|_| Error::invalid("groupId", "That group was not found."))?;
    if group.archived {
        return Err(Error::invalid("groupId", "This group is archived."));
    }
    let room =
        rooms::room(conn, room_id).map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    if room.capacity < group.capacity {
        return Err(Error::invalid(
            "roomId",
            format!(
                "{} seats {}; the group can have {}. Choose a larger room.",
                room.name, room.capacity, group.capacity
            ),
        ));
    }
    // Series always run in the practice's zone.
    input.timezone = practice_zone(conn)?.name().to_owned();
    let rule = input.parse()?;
    let occurrences = recurrence::occurrences(&rule)?;
    let (interval_weeks, nth_week, weekday) = match rule.frequency {
        Frequency::Weekly { interval_weeks } => (interval_weeks, None, None),
        Frequency::MonthlyNthWeekday { nth, weekday } => {
            (1, Some(nth.as_db()), Some(weekday.num_days_from_monday()))
        }
    };
    let (until_date, count) = match rule.end {
        End::Until(date) => (Some(clock::format_date(date)), None),
        End::Count(n) => (None, Some(n)),
    };
    let facilitators = groups::facilitators(conn, group_id)?;
    let members = active_member_ids(conn, group_id)?;

    let tx = crate::vault::db::write_transaction(conn)?;
    tx.execute(
        "INSERT INTO series (group_id, room_id, timezone, first_date, start_time, duration_minutes, rule,
                             interval_weeks, nth_week, weekday, until_date, occurrence_count, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            group_id,
            room_id,
            rule.timezone.name(),
            clock::format_date(rule.first_date),
            clock::format_time(rule.start_time),
            rule.duration_minutes,
            rule.frequency.pattern().as_db(),
            interval_weeks,
            nth_week,
            weekday,
            until_date,
            count,
            clock::now_text()
        ],
    )?;
    let series_id = tx.last_insert_rowid();
    for occurrence in &occurrences {
        conflicts::check(
            &tx,
            &Slot {
                starts_at: Some(occurrence.starts_at),
                ends_at: Some(occurrence.ends_at),
                room_id: Some(room_id),
                staff_ids: &facilitators,
                client_ids: &members,
                ..Slot::default()
            },
        )?;
        tx.execute(
            "INSERT INTO sessions (series_id, group_id, seq, room_id, starts_at, ends_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                series_id,
                group_id,
                occurrence.seq,
                room_id,
                instant_text(occurrence.starts_at),
                instant_text(occurrence.ends_at)
            ],
        )?;
        let session_id = tx.last_insert_rowid();
        for client_id in &members {
            tx.execute(
                "INSERT INTO session_members (session_id, client_id) VALUES (?1, ?2)",
                params![session_id, client_id],
            )?;
        }
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SeriesCreated)
            .on("series", series_id)
            .detail(format!("group={group_id} sessions={}", occurrences.len())),
    )?;
    tx.commit()?;
    Ok(SeriesCreated {
        series_id,
        sessions: sessions_of_series(conn, series_id)?,
    })
}

fn active_member_ids(conn: &Connection, group_id: i64) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT client_id FROM enrollments WHERE group_id = ?1 AND status = 'active' ORDER BY client_id")?
        .query_map([group_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A session someone was not booked into because every seat was taken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FullSession {
    pub session_id: i64,
    /// Its local date, "YYYY-MM-DD".
    pub date: String,
    /// RFC 3339 UTC.
    pub starts_at: String,
}

/// What booking a member into a group's sessions did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Booking {
    /// Sessions they were newly booked into.
    pub booked: u32,
    /// Sessions left out because they were full, in order.
    pub full: Vec<FullSession>,
}

/// Books a newly active member into the group's sessions from `from_date`
/// (local) on; refuses if any of them collides with the client's other
/// bookings. A session already at its capacity (see
/// [`conflicts::session_capacity`]: a leaver still booked on their last day,
/// a lowered group capacity, a smaller room) is left out and named in
/// [`Booking::full`]. Call it inside the write's transaction, so the seats
/// counted are the seats written.
pub(crate) fn book_member_from(
    conn: &Connection,
    group_id: i64,
    client_id: i64,
    from_date: NaiveDate,
) -> Result<Booking> {
    let tz = practice_zone(conn)?;
    let from = instant_text(start_of_local_day(conn, from_date)?);
    let ids: Vec<(i64, String, String)> = conn
        .prepare(
            "SELECT id, starts_at, ends_at FROM sessions
             WHERE group_id = ?1 AND status = 'scheduled' AND starts_at >= ?2 ORDER BY starts_at",
        )?
        .query_map(params![group_id, from], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut booking = Booking::default();
    for (session_id, starts, ends) in ids {
        let members = members_of(conn, session_id)?;
        if members.contains(&client_id) {
            continue;
        }
        let starts_at = parse_instant(&starts)?;
        if members.len() as u64 >= u64::from(conflicts::session_capacity(conn, session_id)?) {
            booking.full.push(FullSession {
                session_id,
                date: clock::format_date(local_date_of(tz, starts_at)),
                starts_at: starts,
            });
            continue;
        }
        conflicts::check(
            conn,
            &Slot {
                starts_at: Some(starts_at),
                ends_at: Some(parse_instant(&ends)?),
                client_ids: &[client_id],
                ignore_session: Some(session_id),
                ..Slot::default()
            },
        )?;
        booking.booked += conn.execute(
            "INSERT OR IGNORE INTO session_members (session_id, client_id) VALUES (?1, ?2)",
            params![session_id, client_id],
        )? as u32;
    }
    Ok(booking)
}

/// Takes a discharged member out of the group's sessions after `date`
/// (local); sessions on or before it, and any with attendance, stay.
pub(crate) fn release_member_after(
    conn: &Connection,
    group_id: i64,
    client_id: i64,
    date: NaiveDate,
) -> Result<u32> {
    let next_day = date
        .succ_opt()
        .ok_or_else(|| Error::invalid("date", "That date is out of range."))?;
    let from = instant_text(start_of_local_day(conn, next_day)?);
    let removed = conn.execute(
        "DELETE FROM session_members
         WHERE client_id = ?1
           AND session_id IN (SELECT id FROM sessions WHERE group_id = ?2 AND starts_at >= ?3)
           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = session_members.session_id AND a.client_id = ?1)",
        params![client_id, group_id, from],
    )?;
    Ok(removed as u32)
}

/// Moves one occurrence to another local date and time and/or room. It
/// becomes an exception: later edits of the series leave it where it is.
pub fn move_session(
    signed_in: &SignedIn,
    session_id: i64,
    date: NaiveDate,
    start_time: NaiveTime,
    room_id: i64,
) -> Result<GroupSession> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let current = group_session(conn, session_id)?;
    if current.status == SessionStatus::Cancelled {
        return Err(Error::invalid(
            "sessionId",
            "This session is cancelled. Book a new one instead.",
        ));
    }
    let room =
        rooms::room(conn, room_id).map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    if room.capacity < current.members_booked {
        return Err(Error::Conflict {
            message: format!(
                "{} seats {}; {} people are booked into this session.",
                room.name, room.capacity, current.members_booked
            ),
        });
    }
    let duration = parse_instant(&current.ends_at)? - parse_instant(&current.starts_at)?;
    let starts = local_to_utc(practice_zone(conn)?, date, start_time);
    let ends = starts + duration;
    let members = members_of(conn, session_id)?;
    let tx = crate::vault::db::write_transaction(conn)?;
    conflicts::check(
        &tx,
        &Slot {
            starts_at: Some(starts),
            ends_at: Some(ends),
            room_id: Some(room_id),
            staff_ids: &current.facilitator_ids,
            client_ids: &members,
            ignore_session: Some(session_id),
            ..Slot::default()
        },
    )?;
    tx.execute(
        "UPDATE sessions SET starts_at = ?1, ends_at = ?2, room_id = ?3, is_exception = 1 WHERE id = ?4",
        params![instant_text(starts), instant_text(ends), room_id, session_id],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SessionMoved)
            .on("session", session_id),
    )?;
    tx.commit()?;
    group_session(conn, session_id)
}

/// What cancelling a session would throw away, for the dialog to show before
/// it asks for confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionCancelCheck {
    /// Members whose attendance (any kind) is recorded for it.
    pub attendance_recorded: u32,
    /// A group note has been started and not signed.
    pub draft_note: bool,
    /// Its note is signed: cancelling is refused.
    pub signed_note: bool,
}

/// Counts what a session already holds before it is cancelled.
///
/// The front desk schedules too, but has no clinical.db attached, so the
/// core cannot ask the notes themselves. Signing and saving a draft each
/// append an HMAC-chained row to practice.db's audit log, on this session
/// (`note.signed`, `note.draft_saved`): that is the practice-side marker,
/// readable by every role, append-only, and already what `verify` checks
/// signatures against. When clinical.db is attached, the notes are asked too.
pub fn cancel_check(signed_in: &SignedIn, session_id: i64) -> Result<SessionCancelCheck> {
    signed_in.require(Capability::Scheduling)?;
    group_session(signed_in.conn(), session_id)?;
    cancel_check_in(signed_in, signed_in.conn(), session_id)
}

fn cancel_check_in(
    signed_in: &SignedIn,
    conn: &Connection,
    session_id: i64,
) -> Result<SessionCancelCheck> {
    let attendance_recorded: u32 = conn.query_row(
        "SELECT count(*) FROM attendance WHERE session_id = ?1",
        [session_id],
        |r| r.get(0),
    )?;
    let audited = |action: Action| -> Result<bool> {
        Ok(conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM main.audit_log
                             WHERE entity_kind = 'session' AND entity_id = ?1 AND action = ?2)",
            params![session_id, action.as_str()],
            |r| r.get(0),
        )?)
    };
    let mut signed_note = audited(Action::NoteSigned)?;
    let mut draft_note = false;
    if signed_in.has_clinical_access() {
        let clinical = crate::vault::db::CLINICAL_SCHEMA;
        let note: Option<bool> = conn
            .query_row(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM {clinical}.note_signatures s
                                          WHERE s.note_id = n.id AND s.kind = 'sign')
                     FROM {clinical}.session_notes n WHERE n.session_id = ?1"
                ),
                [session_id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(signed) = note {
            signed_note |= signed;
            draft_note = !signed_note;
        }
    } else {
        draft_note = !signed_note && audited(Action::NoteDraftSaved)?;
    }
    Ok(SessionCancelCheck {
        attendance_recorded,
        draft_note,
        signed_note,
    })
}

/// Cancels one occurrence. Refused once its note is signed (a signed note
/// records a session that took place); attendance and a draft note stay as
/// they are, and [`cancel_check`] counts them for the dialog first.
pub fn cancel_session(signed_in: &SignedIn, session_id: i64) -> Result<GroupSession> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let current = group_session(conn, session_id)?;
    if current.status == SessionStatus::Cancelled {
        return Err(Error::invalid(
            "sessionId",
            "This session is already cancelled.",
        ));
    }
    let tx = crate::vault::db::write_transaction(conn)?;
    if cancel_check_in(signed_in, &tx, session_id)?.signed_note {
        return Err(Error::Conflict {
            message: "This session has a signed note, so it took place and cannot be cancelled."
                .into(),
        });
    }
    tx.execute(
        "UPDATE sessions SET status = 'cancelled', is_exception = 1 WHERE id = ?1",
        [session_id],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SessionCancelled)
            .on("session", session_id),
    )?;
    tx.commit()?;
    group_session(conn, session_id)
}

/// Changes the time, length or room of a series' sessions from `from_date`
/// on, except those moved or cancelled on their own.
pub fn update_series(
    signed_in: &SignedIn,
    series_id: i64,
    from_date: NaiveDate,
    start_time: NaiveTime,
    duration_minutes: u32,
    room_id: i64,
) -> Result<Vec<GroupSession>> {
    signed_in.require(Capability::Scheduling)?;
    if !(5..=720).contains(&duration_minutes) {
        return Err(Error::invalid(
            "durationMinutes",
            "A session lasts between 5 minutes and 12 hours.",
        ));
    }
    let conn = signed_in.conn();
    let room =
        rooms::room(conn, room_id).map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    // The series' room seats its whole group, as when it was created.
    let group_id: Option<i64> = conn
        .query_row(
            "SELECT group_id FROM series WHERE id = ?1",
            [series_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(group) = group_id.map(|id| groups::group(conn, id)).transpose()? {
        if room.capacity < group.capacity {
            return Err(Error::invalid(
                "roomId",
                format!(
                    "{} seats {}; the group can have {}. Choose a larger room.",
                    room.name, room.capacity, group.capacity
                ),
            ));
        }
    }
    let tz = practice_zone(conn)?;
    let from = instant_text(start_of_local_day(conn, from_date)?);
    let targets: Vec<(i64, String)> = conn
        .prepare(
            "SELECT id, starts_at FROM sessions WHERE series_id = ?1 AND is_exception = 0
               AND status = 'scheduled' AND starts_at >= ?2 ORDER BY starts_at",
        )?
        .query_map(params![series_id, from], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if targets.is_empty() {
        return Err(Error::invalid(
            "fromDate",
            "No sessions of this series fall on or after that date.",
        ));
    }
    let tx = crate::vault::db::write_transaction(conn)?;
    for (id, starts_at) in &targets {
        let date = local_date_of(tz, parse_instant(starts_at)?);
        let starts = local_to_utc(tz, date, start_time);
        let ends = starts + Duration::minutes(i64::from(duration_minutes));
        let current = group_session(&tx, *id)?;
        let members = members_of(&tx, *id)?;
        if members.len() as u64 > u64::from(room.capacity) {
            return Err(Error::Conflict {
                message: format!(
                    "{} seats {}; {} people are booked into the session on {}.",
                    room.name,
                    room.capacity,
                    members.len(),
                    conflicts::describe_span(&tx, &current.starts_at, &current.ends_at)?
                ),
            });
        }
        conflicts::check(
            &tx,
            &Slot {
                starts_at: Some(starts),
                ends_at: Some(ends),
                room_id: Some(room_id),
                staff_ids: &current.facilitator_ids,
                client_ids: &members,
                ignore_session: Some(*id),
                ..Slot::default()
            },
        )?;
        tx.execute(
            "UPDATE sessions SET starts_at = ?1, ends_at = ?2, room_id = ?3 WHERE id = ?4",
            params![instant_text(starts), instant_text(ends), room_id, id],
        )?;
    }
    tx.execute(
        "UPDATE series SET start_time = ?1, duration_minutes = ?2, room_id = ?3 WHERE id = ?4",
        params![
            clock::format_time(start_time),
            duration_minutes,
            room_id,
            series_id
        ],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SeriesUpdated)
            .on("series", series_id)
            .detail(format!("sessions={}", targets.len())),
    )?;
    tx.commit()?;
    sessions_of_series(conn, series_id)
}

pub(crate) fn members_of(conn: &Connection, session_id: i64) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT client_id FROM session_members WHERE session_id = ?1 ORDER BY client_id")?
        .query_map([session_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn sessions_of_group(signed_in: &SignedIn, group_id: i64) -> Result<Vec<GroupSession>> {
    signed_in.require(Capability::Scheduling)?;
    select_sessions(signed_in.conn(), "s.group_id = ?1", params![group_id])
}

pub(crate) fn sessions_of_series(conn: &Connection, series_id: i64) -> Result<Vec<GroupSession>> {
    select_sessions(conn, "s.series_id = ?1", params![series_id])
}

/// Sessions starting in [from, to).
pub(crate) fn sessions_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<GroupSession>> {
    select_sessions(
        conn,
        "s.starts_at >= ?1 AND s.starts_at < ?2",
        params![instant_text(from), instant_text(to)],
    )
}

pub(crate) fn group_session(conn: &Connection, id: i64) -> Result<GroupSession> {
    select_sessions(conn, "s.id = ?1", params![id])?
        .into_iter()
        .next()
        .ok_or(Error::NotFound {
            what: "That session",
        })
}

/// What a list of notes shows of a session, without the facilitator
/// lookup of [`group_session`].
pub(crate) struct SessionHeading {
    pub group_name: String,
    /// RFC 3339 UTC.
    pub starts_at: String,
    pub format: groups::GroupFormat,
}

pub(crate) fn heading(conn: &Connection, id: i64) -> Result<SessionHeading> {
    conn.query_row(
        "SELECT g.name, s.starts_at, g.format FROM sessions s JOIN groups g ON g.id = s.group_id WHERE s.id = ?1",
        [id],
        |r| {
            Ok(SessionHeading {
                group_name: r.get(0)?,
                starts_at: r.get(1)?,
                format: r.get(2)?,
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That session",
    })
}

fn select_sessions(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<GroupSession>> {
    let sql = format!(
        "SELECT s.id, s.group_id, g.name, s.series_id, s.seq, s.room_id, r.name, s.starts_at, s.ends_at,
                s.status, s.is_exception,
                (SELECT count(*) FROM session_members m WHERE m.session_id = s.id),
                EXISTS (SELECT 1 FROM main.audit_log a
                         WHERE a.entity_kind = 'session' AND a.entity_id = s.id AND a.action IN ('{draft}', '{signed}')),
                g.format
         FROM sessions s JOIN groups g ON g.id = s.group_id JOIN rooms r ON r.id = s.room_id
         WHERE {filter} ORDER BY s.starts_at",
        draft = Action::NoteDraftSaved.as_str(),
        signed = Action::NoteSigned.as_str(),
    );
    let mut rows: Vec<GroupSession> = conn
        .prepare(&sql)?
        .query_map(args, |r| {
            Ok(GroupSession {
                id: r.get(0)?,
                group_id: r.get(1)?,
                group_name: r.get(2)?,
                format: r.get(13)?,
                client_names: Vec::new(),
                series_id: r.get(3)?,
                seq: r.get(4)?,
                room_id: r.get(5)?,
                room_name: r.get(6)?,
                starts_at: r.get(7)?,
                ends_at: r.get(8)?,
                status: if r.get::<_, String>(9)? == "cancelled" {
                    SessionStatus::Cancelled
                } else {
                    SessionStatus::Scheduled
                },
                is_exception: r.get::<_, i64>(10)? == 1,
                members_booked: r.get(11)?,
                facilitator_ids: Vec::new(),
                has_note: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // One lookup per group, not per session (a ten-year series has 520 rows).
    let mut by_group: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for row in &mut rows {
        let ids = match by_group.entry(row.group_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.get().clone(),
            std::collections::hash_map::Entry::Vacant(slot) => slot
                .insert(groups::facilitators(conn, row.group_id)?)
                .clone(),
        };
        row.facilitator_ids = ids;
        if row.format != groups::GroupFormat::Group {
            row.client_names = client_names(conn, row.id)?;
        }
    }
    Ok(rows)
}

/// Who a session is booked with, by everyday name, in name order.
pub(crate) fn client_names(conn: &Connection, session_id: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare(&format!(
            "SELECT {} AS name FROM session_members m JOIN clients c ON c.id = m.client_id
             WHERE m.session_id = ?1 ORDER BY name",
            crate::clients::EVERYDAY_NAME_SQL
        ))?
        .query_map([session_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The session's booked members, for the check-in list.
pub fn session_member_ids(signed_in: &SignedIn, session_id: i64) -> Result<Vec<i64>> {
    signed_in.require(Capability::Scheduling)?;
    group_session(signed_in.conn(), session_id)?;
    members_of(signed_in.conn(), session_id)
}

/// Whether a session exists and is scheduled (for attendance).
pub(crate) fn scheduled_span(
    conn: &Connection,
    session_id: i64,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT starts_at, ends_at, status FROM sessions WHERE id = ?1",
            [session_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (s, e, status) = row.ok_or(Error::NotFound {
        what: "That session",
    })?;
    if status == "cancelled" {
        return Err(Error::invalid("sessionId", "This session was cancelled."));
    }
    Ok((parse_instant(&s)?, parse_instant(&e)?))
}
