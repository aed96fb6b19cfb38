//! Attendance per session and member, and each member's series completion.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};

use super::sessions;
use crate::audit::{Action, Event};
use crate::clock::{self, instant_text, local_date_of, local_to_utc, parse_instant, practice_zone};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum AttendanceStatus {
    Present,
    /// Arrived after the start (arrival time recorded).
    Late,
    /// Left before the end (leaving time recorded).
    LeftEarly,
    AbsentExcused,
    NoShow,
    CancelledLate,
}

stored_as_text!(AttendanceStatus {
    Present = "present",
    Late = "late",
    LeftEarly = "left_early",
    AbsentExcused = "absent_excused",
    NoShow = "no_show",
    CancelledLate = "cancelled_late",
});

impl AttendanceStatus {
    /// Was in the room for some of the session.
    pub fn attended(self) -> bool {
        matches!(
            self,
            AttendanceStatus::Present | AttendanceStatus::Late | AttendanceStatus::LeftEarly
        )
    }
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceInput {
    pub session_id: i64,
    pub client_id: i64,
    pub status: AttendanceStatus,
    /// "HH:MM" local, required for Late.
    pub arrived_at: Option<String>,
    /// "HH:MM" local, required for LeftEarly.
    pub left_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceRecord {
    pub session_id: i64,
    pub client_id: i64,
    pub status: AttendanceStatus,
    /// RFC 3339 UTC.
    pub arrived_at: Option<String>,
    pub left_at: Option<String>,
}

/// Records (or corrects) one member's attendance. Check-in is open to every role.
pub fn record(signed_in: &SignedIn, input: AttendanceInput) -> Result<AttendanceRecord> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let (starts, ends) = sessions::scheduled_span(conn, input.session_id)?;
    if !sessions::members_of(conn, input.session_id)?.contains(&input.client_id) {
        return Err(Error::invalid(
            "clientId",
            "This client is not booked into this session.",
        ));
    }
    let (arrived, left) = checked_times(
        conn,
        "session",
        (starts, ends),
        input.status,
        &input.arrived_at,
        &input.left_at,
    )?;
    let tx = crate::vault::db::write_transaction(conn)?;
    tx.execute(
        "INSERT INTO attendance (session_id, client_id, status, arrived_at, left_at, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (session_id, client_id) DO UPDATE SET
           status = excluded.status, arrived_at = excluded.arrived_at, left_at = excluded.left_at,
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        params![
            input.session_id,
            input.client_id,
            input.status.as_db(),
            arrived,
            left,
            signed_in.actor().staff_id,
            clock::now_text()
        ],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::AttendanceRecorded)
            .on("session", input.session_id)
            .detail(format!(
                "client={} status={}",
                input.client_id,
                input.status.as_db()
            )),
    )?;
    tx.commit()?;
    Ok(AttendanceRecord {
        session_id: input.session_id,
        client_id: input.client_id,
        status: input.status,
        arrived_at: arrived,
        left_at: left,
    })
}

/// The arrival and leaving times a status takes, checked against the span
/// they fall in (a group session, or an appointment: `what` names it in the
/// messages) and turned into UTC instants: Late must say when they arrived,
/// Left early when they left (and may say when they arrived, not after);
/// other statuses keep no times. Refusals name the field they belong to.
pub(crate) fn checked_times(
    conn: &Connection,
    what: &str,
    (starts, ends): (DateTime<Utc>, DateTime<Utc>),
    status: AttendanceStatus,
    arrived_at: &Option<String>,
    left_at: &Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let tz = practice_zone(conn)?;
    let day: NaiveDate = local_date_of(tz, starts);
    let at = |field: &str, text: &Option<String>| -> Result<Option<String>> {
        let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let time = clock::parse_time(field, text)?;
        let instant = local_to_utc(tz, day, time);
        if instant < starts || instant > ends {
            return Err(Error::invalid(
                field,
                format!("That time is outside the {what}."),
            ));
        }
        Ok(Some(instant_text(instant)))
    };
    let arrived = at("arrivedAt", arrived_at)?;
    let left = at("leftAt", left_at)?;
    let times = match status {
        AttendanceStatus::Late => {
            let a =
                arrived.ok_or_else(|| Error::invalid("arrivedAt", "Enter when they arrived."))?;
            if a == instant_text(starts) {
                return Err(Error::invalid(
                    "arrivedAt",
                    "Arriving at the start is on time: choose Present.",
                ));
            }
            (Some(a), None)
        }
        AttendanceStatus::LeftEarly => {
            let l = left.ok_or_else(|| Error::invalid("leftAt", "Enter when they left."))?;
            if l == instant_text(ends) {
                return Err(Error::invalid(
                    "leftAt",
                    "Leaving at the end is not early: choose Present.",
                ));
            }
            // Both are whole-second UTC instants as stored, so text order is time order.
            if let Some(a) = arrived.as_deref().filter(|a| l.as_str() <= *a) {
                let arrived_local = clock::format_time(clock::local_time_of(tz, parse_instant(a)?));
                return Err(Error::invalid(
                    "leftAt",
                    format!(
                        "They cannot leave before they arrive: enter a time after {arrived_local}."
                    ),
                ));
            }
            (arrived, Some(l))
        }
        _ => (None, None),
    };
    Ok(times)
}

pub fn for_session(signed_in: &SignedIn, session_id: i64) -> Result<Vec<AttendanceRecord>> {
    signed_in.require(Capability::Scheduling)?;
    Ok(signed_in
        .conn()
        .prepare("SELECT session_id, client_id, status, arrived_at, left_at FROM attendance WHERE session_id = ?1 ORDER BY client_id")?
        .query_map([session_id], |r| {
            Ok(AttendanceRecord {
                session_id: r.get(0)?,
                client_id: r.get(1)?,
                status: r.get(2)?,
                arrived_at: r.get(3)?,
                left_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A member's progress through a series: "9 of 12 attended".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    pub client_id: i64,
    /// Sessions of the series the member is booked into (not cancelled).
    pub booked: u32,
    pub attended: u32,
    pub late: u32,
    pub left_early: u32,
    pub excused: u32,
    /// No-shows and late cancellations.
    pub unexcused: u32,
    /// Booked sessions with nothing recorded yet.
    pub unrecorded: u32,
}

pub fn series_completion(signed_in: &SignedIn, series_id: i64) -> Result<Vec<Completion>> {
    signed_in.require(Capability::Scheduling)?;
    let rows = completions(signed_in.conn(), "s.series_id = ?1", series_id)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RosterViewed)
            .on("series", series_id)
            .detail("completion"),
    )?;
    Ok(rows.into_iter().map(|(_, completion)| completion).collect())
}

/// One client's progress through one series.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SeriesCompletion {
    pub series_id: i64,
    /// The same numbers as this client's row of the series' completion.
    pub completion: Completion,
}

/// A client's progress through every series they are booked into, by
/// series id: one call (and one audit row, a view of the client's
/// schedule) instead of one roster per series.
pub fn client_series_completion(
    signed_in: &SignedIn,
    client_id: i64,
) -> Result<Vec<SeriesCompletion>> {
    signed_in.require(Capability::Scheduling)?;
    let rows = completions(
        signed_in.conn(),
        "s.series_id IS NOT NULL AND m.client_id = ?1",
        client_id,
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientViewed)
            .on("client", client_id)
            .detail("completion"),
    )?;
    Ok(rows
        .into_iter()
        .map(|(series_id, completion)| SeriesCompletion {
            series_id,
            completion,
        })
        .collect())
}

/// Completion per (series, member) of the scheduled sessions matching
/// `filter` (over `session_members m` and `sessions s`, one parameter).
fn completions(conn: &Connection, filter: &str, param: i64) -> Result<Vec<(i64, Completion)>> {
    let sql = format!(
        "SELECT s.series_id,
                m.client_id,
                count(*),
                sum(a.status IN ('present', 'late', 'left_early')),
                sum(a.status = 'late'),
                sum(a.status = 'left_early'),
                sum(a.status = 'absent_excused'),
                sum(a.status IN ('no_show', 'cancelled_late')),
                sum(a.status IS NULL)
         FROM session_members m
         JOIN sessions s ON s.id = m.session_id
         LEFT JOIN attendance a ON a.session_id = m.session_id AND a.client_id = m.client_id
         WHERE {filter} AND s.status = 'scheduled'
         GROUP BY s.series_id, m.client_id ORDER BY s.series_id, m.client_id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([param], |r| {
            Ok((
                r.get(0)?,
                Completion {
                    client_id: r.get(1)?,
                    booked: r.get(2)?,
                    attended: r.get::<_, Option<u32>>(3)?.unwrap_or(0),
                    late: r.get::<_, Option<u32>>(4)?.unwrap_or(0),
                    left_early: r.get::<_, Option<u32>>(5)?.unwrap_or(0),
                    excused: r.get::<_, Option<u32>>(6)?.unwrap_or(0),
                    unexcused: r.get::<_, Option<u32>>(7)?.unwrap_or(0),
                    unrecorded: r.get::<_, Option<u32>>(8)?.unwrap_or(0),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One line of a session's check-in list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckInRow {
    pub client_id: i64,
    pub client_name: String,
    pub attendance: Option<AttendanceRecord>,
}

/// The booked members of a session with what has been recorded for each.
pub fn check_in_list(signed_in: &SignedIn, session_id: i64) -> Result<Vec<CheckInRow>> {
    signed_in.require(Capability::Scheduling)?;
    sessions::group_session(signed_in.conn(), session_id)?;
    let records = for_session(signed_in, session_id)?;
    let rows = signed_in
        .conn()
        .prepare(&format!(
            "SELECT c.id, {}
             FROM session_members m JOIN clients c ON c.id = m.client_id
             WHERE m.session_id = ?1",
            crate::clients::EVERYDAY_NAME_SQL
        ))?
        .query_map([session_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The roster's order, so the check-in lists people as the roster does.
    let order = crate::groups::member_orders(
        signed_in.conn(),
        "SELECT c.id, c.legal_first_name, c.legal_last_name, c.preferred_name, c.name_order
         FROM session_members m JOIN clients c ON c.id = m.client_id
         WHERE m.session_id = ?1",
        session_id,
    )?;
    let mut rows = rows;
    rows.sort_by_cached_key(|(client_id, _)| order.get(client_id).cloned().unwrap_or_default());
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RosterViewed)
            .on("session", session_id),
    )?;
    Ok(rows
        .into_iter()
        .map(|(client_id, client_name)| CheckInRow {
            client_id,
            client_name,
            attendance: records.iter().find(|a| a.client_id == client_id).cloned(),
        })
        .collect())
}

/// A group's attendance over local dates [from, to]: its held sessions
/// (not cancelled) in order, and every member booked into any of them with
/// what was recorded at each, for the attendance report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceGrid {
    /// (session id, RFC 3339 UTC start), oldest first.
    pub sessions: Vec<(i64, String)>,
    pub members: Vec<GridMember>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct GridMember {
    pub client_id: i64,
    pub name: String,
    /// One per session, in the same order: None when not booked into it,
    /// Some(None) when booked with nothing recorded.
    pub cells: Vec<Option<Option<AttendanceStatus>>>,
}

impl std::fmt::Debug for GridMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GridMember(client {})", self.client_id)
    }
}

/// Every role that books may print attendance (no clinical content).
/// Audited as a roster view of the group.
pub fn group_grid(
    signed_in: &SignedIn,
    group_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<AttendanceGrid> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let zone = crate::clock::practice_zone(conn)?;
    let start = crate::clock::instant_text(crate::clock::start_of_day(zone, from));
    let end = crate::clock::instant_text(crate::clock::start_of_day(
        zone,
        to.succ_opt().unwrap_or(to),
    ));
    let sessions: Vec<(i64, String)> = conn
        .prepare(
            "SELECT id, starts_at FROM sessions
             WHERE group_id = ?1 AND status = 'scheduled' AND starts_at >= ?2 AND starts_at < ?3
             ORDER BY starts_at, id",
        )?
        .query_map(rusqlite::params![group_id, start, end], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let booked: Vec<(i64, i64, Option<AttendanceStatus>)> = conn
        .prepare(
            "SELECT m.session_id, m.client_id, a.status
             FROM session_members m JOIN sessions s ON s.id = m.session_id
             LEFT JOIN attendance a ON a.session_id = m.session_id AND a.client_id = m.client_id
             WHERE s.group_id = ?1 AND s.status = 'scheduled' AND s.starts_at >= ?2 AND s.starts_at < ?3",
        )?
        .query_map(rusqlite::params![group_id, start, end], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let order = crate::groups::member_orders(
        conn,
        "SELECT DISTINCT c.id, c.legal_first_name, c.legal_last_name, c.preferred_name, c.name_order
         FROM session_members m JOIN sessions s ON s.id = m.session_id JOIN clients c ON c.id = m.client_id
         WHERE s.group_id = ?1",
        group_id,
    )?;
    let mut members: Vec<GridMember> = Vec::new();
    for (session_id, client_id, status) in booked {
        let column = sessions.iter().position(|(id, _)| *id == session_id);
        let Some(column) = column else { continue };
        let index = match members.iter().position(|m| m.client_id == client_id) {
            Some(i) => i,
            None => {
                members.push(GridMember {
                    client_id,
                    name: crate::clients::by_id(conn, client_id)?.display_name,
                    cells: vec![None; sessions.len()],
                });
                members.len() - 1
            }
        };
        members[index].cells[column] = Some(status);
    }
    members.sort_by_cached_key(|m| order.get(&m.client_id).cloned().unwrap_or_default());
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RosterViewed)
            .on("group", group_id)
            .detail("attendance report"),
    )?;
    Ok(AttendanceGrid { sessions, members })
}

/// One session in a client's attendance history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientSessionLine {
    pub session_id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub series_id: Option<i64>,
    pub starts_at: String,
    pub cancelled: bool,
    /// Nothing recorded yet (or a session still to come).
    pub status: Option<AttendanceStatus>,
}

/// Every group session a client is booked into, newest first.
pub fn for_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<ClientSessionLine>> {
    signed_in.require(Capability::Scheduling)?;
    let rows = signed_in
        .conn()
        .prepare(
            "SELECT s.id, s.group_id, g.name, s.series_id, s.starts_at, s.status, a.status
             FROM session_members m JOIN sessions s ON s.id = m.session_id JOIN groups g ON g.id = s.group_id
             LEFT JOIN attendance a ON a.session_id = s.id AND a.client_id = m.client_id
             WHERE m.client_id = ?1 ORDER BY s.starts_at DESC",
        )?
        .query_map([client_id], |r| {
            Ok(ClientSessionLine {
                session_id: r.get(0)?,
                group_id: r.get(1)?,
                group_name: r.get(2)?,
                series_id: r.get(3)?,
                starts_at: r.get(4)?,
                cancelled: r.get::<_, String>(5)? == "cancelled",
                status: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientViewed)
            .on("client", client_id)
            .detail("attendance"),
    )?;
    Ok(rows)
}
