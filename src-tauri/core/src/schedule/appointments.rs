//! Individual appointments (intake screenings, check-ins), clinicians'
//! weekly availability, and finding the next free slot.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike};
use rusqlite::{params, Connection, OptionalExtension};

use super::attendance::{self, AttendanceStatus};
use super::conflicts::{self, Slot};
use crate::audit::{Action, Event};
use crate::clock::{self, instant_text, local_to_utc, parse_time, practice_zone};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::staff;
use crate::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum AppointmentKind {
    Intake,
    CheckIn,
}

stored_as_text!(AppointmentKind {
    Intake = "intake",
    CheckIn = "check_in",
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Appointment {
    pub id: i64,
    pub kind: AppointmentKind,
    pub client_id: i64,
    /// The client's everyday name: whoever may book (and check in) sees who
    /// an appointment is with, on Today and the week grid.
    pub client_name: String,
    pub clinician_id: i64,
    /// The clinician's full name (deactivated people keep theirs).
    pub clinician_name: String,
    pub room_id: i64,
    pub room_name: String,
    pub starts_at: String,
    pub ends_at: String,
    pub cancelled: bool,
    /// How the client attended, once recorded.
    pub attendance: Option<AppointmentAttendance>,
}

/// The client's attendance at an appointment: the same statuses, times and
/// rules as at a group session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentAttendance {
    pub appointment_id: i64,
    pub status: AttendanceStatus,
    /// RFC 3339 UTC; Late (and possibly Left early) only.
    pub arrived_at: Option<String>,
    /// RFC 3339 UTC; Left early only.
    pub left_at: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentAttendanceInput {
    pub appointment_id: i64,
    pub status: AttendanceStatus,
    /// "HH:MM" local, required for Late.
    pub arrived_at: Option<String>,
    /// "HH:MM" local, required for LeftEarly.
    pub left_at: Option<String>,
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppointmentInput {
    pub kind: AppointmentKind,
    pub client_id: i64,
    pub clinician_id: i64,
    pub room_id: i64,
    /// Local date "YYYY-MM-DD" and time "HH:MM" in the practice's zone.
    pub date: String,
    pub start_time: String,
    pub duration_minutes: u32,
}

fn validate_clinician(conn: &Connection, clinician_id: i64) -> Result<()> {
    let member = staff::by_id(conn, clinician_id)
        .map_err(|_| Error::invalid("clinicianId", "Choose a clinician."))?;
    if !member.active || !member.role.is_clinical() {
        return Err(Error::invalid(
            "clinicianId",
            "Appointments are with an active clinician, supervisor or owner.",
        ));
    }
    Ok(())
}

pub fn book(signed_in: &SignedIn, input: AppointmentInput) -> Result<Appointment> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let date = clock::parse_date("date", &input.date)?;
    let time = parse_time("startTime", &input.start_time)?;
    if !(5..=480).contains(&input.duration_minutes) {
        return Err(Error::invalid(
            "durationMinutes",
            "An appointment lasts between 5 minutes and 8 hours.",
        ));
    }
    validate_clinician(conn, input.clinician_id)?;
    crate::schedule::rooms::room(conn, input.room_id)
        .map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    let client: Option<i64> = conn
        .query_row(
            "SELECT id FROM clients WHERE id = ?1",
            [input.client_id],
            |r| r.get(0),
        )
        .optional()?;
    client.ok_or_else(|| Error::invalid("clientId", "Choose a client."))?;
    let starts = local_to_utc(practice_zone(conn)?, date, time);
    let ends = starts + Duration::minutes(i64::from(input.duration_minutes));

    let tx = crate::vault::db::write_transaction(conn)?;
    conflicts::check(
        &tx,
        &Slot {
            starts_at: Some(starts),
            ends_at: Some(ends),
            room_id: Some(input.room_id),
            staff_ids: &[input.clinician_id],
            client_ids: &[input.client_id],
            ..Slot::default()
        },
    )?;
    tx.execute(
        "INSERT INTO appointments (kind, client_id, clinician_id, room_id, starts_at, ends_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            input.kind.as_db(),
            input.client_id,
            input.clinician_id,
            input.room_id,
            instant_text(starts),
            instant_text(ends),
            clock::now_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::AppointmentBooked)
            .on("appointment", id)
            .detail(format!("client={}", input.client_id)),
    )?;
    tx.commit()?;
    appointment(conn, id)
}

/// Moves an appointment to another local date, time and/or room, keeping its length.
pub fn reschedule(
    signed_in: &SignedIn,
    appointment_id: i64,
    date: NaiveDate,
    start_time: NaiveTime,
    room_id: i64,
) -> Result<Appointment> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let current = appointment(conn, appointment_id)?;
    if current.cancelled {
        return Err(Error::invalid(
            "appointmentId",
            "This appointment is cancelled. Book a new one instead.",
        ));
    }
    crate::schedule::rooms::room(conn, room_id)
        .map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    let length =
        clock::parse_instant(&current.ends_at)? - clock::parse_instant(&current.starts_at)?;
    let starts = local_to_utc(practice_zone(conn)?, date, start_time);
    let ends = starts + length;
    let tx = crate::vault::db::write_transaction(conn)?;
    conflicts::check(
        &tx,
        &Slot {
            starts_at: Some(starts),
            ends_at: Some(ends),
            room_id: Some(room_id),
            staff_ids: &[current.clinician_id],
            client_ids: &[current.client_id],
            ignore_appointment: Some(appointment_id),
            ..Slot::default()
        },
    )?;
    tx.execute(
        "UPDATE appointments SET starts_at = ?1, ends_at = ?2, room_id = ?3 WHERE id = ?4",
        params![
            instant_text(starts),
            instant_text(ends),
            room_id,
            appointment_id
        ],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::AppointmentMoved)
            .on("appointment", appointment_id),
    )?;
    tx.commit()?;
    appointment(conn, appointment_id)
}

pub fn cancel(signed_in: &SignedIn, appointment_id: i64) -> Result<Appointment> {
    signed_in.require(Capability::Scheduling)?;
    let current = appointment(signed_in.conn(), appointment_id)?;
    if current.cancelled {
        return Err(Error::invalid(
            "appointmentId",
            "This appointment is already cancelled.",
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE appointments SET status = 'cancelled' WHERE id = ?1",
        [appointment_id],
    )?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::AppointmentCancelled,
        )
        .on("appointment", appointment_id),
    )?;
    tx.commit()?;
    appointment(signed_in.conn(), appointment_id)
}

/// Records (or corrects) how the client attended an appointment: open to
/// whoever may book it (the front desk checks people in). A cancelled
/// appointment takes none, nor does one on a day still to come.
pub fn record_attendance(
    signed_in: &SignedIn,
    input: AppointmentAttendanceInput,
) -> Result<AppointmentAttendance> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let current = appointment(conn, input.appointment_id)?;
    if current.cancelled {
        return Err(Error::invalid(
            "appointmentId",
            "This appointment was cancelled: it takes no attendance.",
        ));
    }
    let starts = clock::parse_instant(&current.starts_at)?;
    let ends = clock::parse_instant(&current.ends_at)?;
    let tz = practice_zone(conn)?;
    let day = clock::local_date_of(tz, starts);
    if day > clock::today_in(tz) {
        return Err(Error::invalid(
            "appointmentId",
            format!(
                "This appointment is on {}: record attendance on the day.",
                clock::format_date(day)
            ),
        ));
    }
    let (arrived, left) = attendance::checked_times(
        conn,
        "appointment",
        (starts, ends),
        input.status,
        &input.arrived_at,
        &input.left_at,
    )?;
    let tx = crate::vault::db::write_transaction(conn)?;
    tx.execute(
        "INSERT INTO appointment_attendance (appointment_id, status, arrived_at, left_at, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (appointment_id) DO UPDATE SET
           status = excluded.status, arrived_at = excluded.arrived_at, left_at = excluded.left_at,
           recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        params![
            input.appointment_id,
            input.status.as_db(),
            arrived,
            left,
            signed_in.actor().staff_id,
            clock::now_text()
        ],
    )?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::AppointmentAttendanceRecorded,
        )
        .on("appointment", input.appointment_id)
        .detail(format!("status={}", input.status.as_db())),
    )?;
    tx.commit()?;
    Ok(AppointmentAttendance {
        appointment_id: input.appointment_id,
        status: input.status,
        arrived_at: arrived,
        left_at: left,
    })
}

pub(crate) fn appointment(conn: &Connection, id: i64) -> Result<Appointment> {
    select(conn, "a.id = ?1", params![id])?
        .into_iter()
        .next()
        .ok_or(Error::NotFound {
            what: "That appointment",
        })
}

pub(crate) fn appointments_between(
    conn: &Connection,
    from: &str,
    to: &str,
) -> Result<Vec<Appointment>> {
    select(
        conn,
        "a.starts_at >= ?1 AND a.starts_at < ?2",
        params![from, to],
    )
}

pub fn appointments_of_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<Appointment>> {
    signed_in.require(Capability::Scheduling)?;
    let rows = select(signed_in.conn(), "a.client_id = ?1", params![client_id])?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientViewed)
            .on("client", client_id)
            .detail("appointments"),
    )?;
    Ok(rows)
}

fn select(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Appointment>> {
    let sql = format!(
        "SELECT a.id, a.kind, a.client_id, a.clinician_id, a.room_id, r.name, a.starts_at, a.ends_at, a.status,
                st.full_name, {everyday_name}, t.status, t.arrived_at, t.left_at
         FROM appointments a JOIN rooms r ON r.id = a.room_id JOIN staff st ON st.id = a.clinician_id
              JOIN clients c ON c.id = a.client_id
              LEFT JOIN appointment_attendance t ON t.appointment_id = a.id
         WHERE {filter} ORDER BY a.starts_at",
        everyday_name = crate::clients::EVERYDAY_NAME_SQL,
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(args, |r| {
            Ok(Appointment {
                id: r.get(0)?,
                kind: if r.get::<_, String>(1)? == "intake" {
                    AppointmentKind::Intake
                } else {
                    AppointmentKind::CheckIn
                },
                client_id: r.get(2)?,
                clinician_id: r.get(3)?,
                room_id: r.get(4)?,
                room_name: r.get(5)?,
                starts_at: r.get(6)?,
                ends_at: r.get(7)?,
                cancelled: r.get::<_, String>(8)? == "cancelled",
                clinician_name: r.get(9)?,
                client_name: r.get(10)?,
                attendance: match r.get::<_, Option<AttendanceStatus>>(11)? {
                    Some(status) => Some(AppointmentAttendance {
                        appointment_id: r.get(0)?,
                        status,
                        arrived_at: r.get(12)?,
                        left_at: r.get(13)?,
                    }),
                    None => None,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------- availability

/// A weekly window in which a clinician takes appointments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityBlock {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// "HH:MM", practice zone.
    pub start_time: String,
    pub end_time: String,
}

/// Replaces a clinician's weekly availability.
pub fn set_availability(
    signed_in: &SignedIn,
    staff_id: i64,
    blocks: Vec<AvailabilityBlock>,
) -> Result<Vec<AvailabilityBlock>> {
    signed_in.require(Capability::Scheduling)?;
    crate::limits::at_most(
        "blocks",
        &blocks,
        crate::limits::AVAILABILITY_BLOCKS,
        "availability blocks",
    )?;
    validate_clinician(signed_in.conn(), staff_id)?;
    for block in &blocks {
        if block.weekday > 6 {
            return Err(Error::invalid("weekday", "Choose a day of the week."));
        }
        let start = parse_time("startTime", &block.start_time)?;
        let end = parse_time("endTime", &block.end_time)?;
        if end <= start {
            return Err(Error::invalid("endTime", "The end comes before the start."));
        }
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "DELETE FROM availability_blocks WHERE staff_id = ?1",
        [staff_id],
    )?;
    for block in &blocks {
        tx.execute(
            "INSERT INTO availability_blocks (staff_id, weekday, start_time, end_time) VALUES (?1, ?2, ?3, ?4)",
            params![staff_id, block.weekday, block.start_time.trim(), block.end_time.trim()],
        )?;
    }
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::AvailabilityChanged,
        )
        .on("staff", staff_id),
    )?;
    tx.commit()?;
    availability(signed_in, staff_id)
}

pub fn availability(signed_in: &SignedIn, staff_id: i64) -> Result<Vec<AvailabilityBlock>> {
    signed_in.require(Capability::Scheduling)?;
    Ok(signed_in
        .conn()
        .prepare("SELECT weekday, start_time, end_time FROM availability_blocks WHERE staff_id = ?1 ORDER BY weekday, start_time")?
        .query_map([staff_id], |r| {
            Ok(AvailabilityBlock {
                weekday: r.get(0)?,
                start_time: r.get(1)?,
                end_time: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Each weekday's hours as sorted, disjoint (open, close) spans: blocks
/// that overlap or touch are joined, so a search tries each slot once
/// (seventy overlapping blocks once made it try each slot many times).
fn weekly_hours(blocks: &[AvailabilityBlock]) -> [Vec<(NaiveTime, NaiveTime)>; 7] {
    let mut hours: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
    for block in blocks {
        let (Ok(open), Ok(close)) = (
            parse_time("startTime", &block.start_time),
            parse_time("endTime", &block.end_time),
        ) else {
            continue;
        };
        if let Some(day) = hours.get_mut(usize::from(block.weekday)) {
            day.push((open, close));
        }
    }
    for day in &mut hours {
        day.sort();
        let mut joined: Vec<(NaiveTime, NaiveTime)> = Vec::with_capacity(day.len());
        for &(open, close) in day.iter() {
            match joined.last_mut() {
                Some(last) if open <= last.1 => last.1 = last.1.max(close),
                _ => joined.push((open, close)),
            }
        }
        *day = joined;
    }
    hours
}

fn minute_of_day(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight() / 60)
}

/// A free slot found for booking.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FreeSlot {
    pub date: String,
    pub start_time: String,
    pub starts_at: String,
    pub ends_at: String,
}

/// How far ahead "next free slot" looks, and the step between candidates.
const SEARCH_DAYS: usize = 90;
const STEP_MINUTES: i64 = 15;

/// The first slot of `duration_minutes` from `from_date` on (from today,
/// for a date already past) within the clinician's availability that collides with none of their groups or
/// appointments (nor the room's bookings, when a room is given).
pub fn next_free_slot(
    signed_in: &SignedIn,
    clinician_id: i64,
    room_id: Option<i64>,
    from_date: NaiveDate,
    duration_minutes: u32,
) -> Result<Option<FreeSlot>> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    validate_clinician(conn, clinician_id)?;
    if !(5..=480).contains(&duration_minutes) {
        return Err(Error::invalid(
            "durationMinutes",
            "An appointment lasts between 5 minutes and 8 hours.",
        ));
    }
    if let Some(room_id) = room_id {
        // An unknown room is the person's mistake, said beside the field;
        // left to the conflict check, it failed every slot of 90 days.
        crate::schedule::rooms::room(conn, room_id)
            .map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    }
    let blocks = availability(signed_in, clinician_id)?;
    if blocks.is_empty() {
        return Err(Error::invalid(
            "clinicianId",
            "This clinician has no availability set. Add their hours first.",
        ));
    }
    let hours = weekly_hours(&blocks);
    let tz = practice_zone(conn)?;
    let length = Duration::minutes(i64::from(duration_minutes));
    let now = clock::now();
    // No slot before now is ever offered, so a search from a past date
    // starts today: walking the past slot by slot (found by the fuzz suite
    // at stress size, from dates centuries back) cost the whole 90 days.
    let first = from_date.max(clock::local_date_of(tz, now));
    for date in first.iter_days().take(SEARCH_DAYS) {
        let weekday = date.weekday().num_days_from_monday() as usize;
        for &(open, close) in &hours[weekday] {
            // Walked as minutes of the day: a clock time wraps at midnight,
            // and a block closing at 23:59 once sent the walk round again.
            let (open, close) = (minute_of_day(open), minute_of_day(close));
            let mut minute = open;
            while minute + length.num_minutes() <= close {
                let start = NaiveTime::MIN + Duration::minutes(minute);
                let starts = local_to_utc(tz, date, start);
                let ends = starts + length;
                if starts > now {
                    let slot = Slot {
                        starts_at: Some(starts),
                        ends_at: Some(ends),
                        room_id,
                        staff_ids: &[clinician_id],
                        ..Slot::default()
                    };
                    match conflicts::check(conn, &slot) {
                        Ok(()) => {
                            return Ok(Some(FreeSlot {
                                date: clock::format_date(date),
                                start_time: clock::format_time(start),
                                starts_at: instant_text(starts),
                                ends_at: instant_text(ends),
                            }))
                        }
                        Err(Error::Conflict { .. }) => {}
                        // Anything but a collision (a damaged row, a failing
                        // disk) is not "busy": say it rather than walk on.
                        Err(other) => return Err(other),
                    }
                }
                minute += STEP_MINUTES;
            }
        }
    }
    Ok(None)
}
