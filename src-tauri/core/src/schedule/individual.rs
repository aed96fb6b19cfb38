//! Individual and family/couple sessions: booked like an appointment (a
//! clinician, a room, a time, conflicts checked), recurring weekly or
//! fortnightly when wanted, and recorded like a group session.
//!
//! Each is a session of a *pairing*: a group row of format `individual` or
//! `family` led by the clinician, whose active members are the client (or
//! clients). The series engine makes the occurrences, and everything built
//! on sessions — check-in, notes, signing, co-signature, addenda, private
//! notes, search, measures, exports — serves them unchanged.
//!
//! A pairing opens the client's record to the clinician (a clinician reads
//! the notes of their own clients, DESIGN.md's Roles), so starting one is
//! the same choice as naming a group's facilitator: an owner, practice
//! manager or supervisor makes it. Once it exists, anyone who books may book
//! more of its sessions.

use rusqlite::{params, Connection};

use super::recurrence::{Pattern, RecurrenceInput};
use super::sessions::{self, GroupSession};
use crate::audit::{Action, Event};
use crate::clock;
use crate::error::{Error, Result};
use crate::groups::{GroupFormat, NoteTemplate};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

/// How often a booked individual session comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Repeat {
    Once,
    Weekly,
    Fortnightly,
}

/// Clients a family or couple session can hold; a larger gathering is a group.
pub const MOST_FAMILY_CLIENTS: usize = 8;
/// Sessions one booking may create (a year of weekly sessions).
pub const MOST_REPEATS: u32 = 52;

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IndividualBookingInput {
    /// `Individual` (one client) or `Family` (two or more).
    pub format: GroupFormat,
    pub client_ids: Vec<i64>,
    pub clinician_id: i64,
    pub room_id: i64,
    /// Local date "YYYY-MM-DD" and time "HH:MM" of the first session.
    pub date: String,
    pub start_time: String,
    pub duration_minutes: u32,
    pub repeat: Repeat,
    /// How many sessions in all (1 when `repeat` is `Once`).
    pub sessions: u32,
    /// The notes' template when this starts a new pairing (SOAP when
    /// absent); an existing pairing keeps its own.
    pub note_template: Option<NoteTemplate>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IndividualBooking {
    /// The pairing's group row.
    pub group_id: i64,
    /// True when this booking started the pairing.
    pub new_pairing: bool,
    pub sessions: Vec<GroupSession>,
}

fn validate_clients(conn: &Connection, format: GroupFormat, ids: &[i64]) -> Result<Vec<i64>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    match format {
        GroupFormat::Group => {
            return Err(Error::invalid(
                "format",
                "Choose an individual or a family/couple session.",
            ))
        }
        GroupFormat::Individual if ids.len() != 1 => {
            return Err(Error::invalid(
                "clientIds",
                "An individual session is with one client. For two or more, book a family/couple session.",
            ))
        }
        GroupFormat::Family if !(2..=MOST_FAMILY_CLIENTS).contains(&ids.len()) => {
            return Err(Error::invalid(
                "clientIds",
                format!("A family/couple session is with 2 to {MOST_FAMILY_CLIENTS} clients."),
            ))
        }
        _ => {}
    }
    for &id in &ids {
        crate::clients::by_id(conn, id)
            .map_err(|_| Error::invalid("clientIds", "A client was not found."))?;
    }
    Ok(ids)
}

fn recurrence(input: &IndividualBookingInput) -> Result<RecurrenceInput> {
    let interval_weeks = match input.repeat {
        Repeat::Once if input.sessions != 1 => {
            return Err(Error::invalid(
                "sessions",
                "A session booked once is one session.",
            ))
        }
        Repeat::Once | Repeat::Weekly => 1,
        Repeat::Fortnightly => 2,
    };
    if input.repeat != Repeat::Once && !(2..=MOST_REPEATS).contains(&input.sessions) {
        return Err(Error::invalid(
            "sessions",
            format!("Book between 2 and {MOST_REPEATS} sessions at a time."),
        ));
    }
    if !(5..=480).contains(&input.duration_minutes) {
        return Err(Error::invalid(
            "durationMinutes",
            "A session lasts between 5 minutes and 8 hours.",
        ));
    }
    Ok(RecurrenceInput {
        first_date: input.date.clone(),
        start_time: input.start_time.clone(),
        duration_minutes: input.duration_minutes,
        pattern: Pattern::Weekly,
        interval_weeks: Some(interval_weeks),
        nth_week: None,
        weekday: None,
        until_date: None,
        count: Some(input.sessions),
        // Replaced by the practice's zone when the series is made.
        timezone: String::new(),
    })
}

/// The open pairing of this clinician with exactly these clients, if any.
fn find_pairing(
    conn: &Connection,
    format: GroupFormat,
    clinician_id: i64,
    client_ids: &[i64],
) -> Result<Option<i64>> {
    let candidates: Vec<i64> = conn
        .prepare(
            "SELECT id FROM groups WHERE format = ?1 AND primary_facilitator_id = ?2 AND archived = 0
             ORDER BY id",
        )?
        .query_map(params![format, clinician_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in candidates {
        let members: Vec<i64> = conn
            .prepare(
                "SELECT client_id FROM enrollments WHERE group_id = ?1 AND status = 'active'
                 ORDER BY client_id",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if members == client_ids {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

fn validate_clinician(conn: &Connection, clinician_id: i64) -> Result<()> {
    let member = crate::staff::by_id(conn, clinician_id)
        .map_err(|_| Error::invalid("clinicianId", "Choose a clinician."))?;
    if !member.active || !member.role.is_clinical() {
        return Err(Error::invalid(
            "clinicianId",
            "Sessions are with an active clinician, supervisor or owner.",
        ));
    }
    Ok(())
}

/// Starts the pairing: its group row and the clients' seats. The caller
/// holds the transaction and has checked who may.
fn start_pairing(
    signed_in: &SignedIn,
    conn: &Connection,
    input: &IndividualBookingInput,
    client_ids: &[i64],
    first_date: &str,
) -> Result<i64> {
    let name = match input.format {
        GroupFormat::Family => "Family/couple session",
        _ => "Individual session",
    };
    conn.execute(
        "INSERT INTO groups (name, kind, format, modality, capacity, primary_facilitator_id,
                             default_room_id, note_template, substance_use, created_at)
         VALUES (?1, 'closed', ?2, '', ?3, ?4, ?5, ?6, 0, ?7)",
        params![
            name,
            input.format,
            client_ids.len() as i64,
            input.clinician_id,
            input.room_id,
            input.note_template.unwrap_or(NoteTemplate::Soap),
            clock::now_text()
        ],
    )?;
    let group_id = conn.last_insert_rowid();
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GroupCreated)
            .on("group", group_id)
            .detail(format!(
                "format={} facilitators {}",
                input.format.as_db(),
                input.clinician_id
            )),
    )?;
    for &client_id in client_ids {
        conn.execute(
            "INSERT INTO enrollments (group_id, client_id, status, enrolled_on, created_at)
             VALUES (?1, ?2, 'active', ?3, ?4)",
            params![group_id, client_id, first_date, clock::now_text()],
        )?;
        let enrollment_id = conn.last_insert_rowid();
        crate::clients::follow_roster(signed_in, conn, client_id)?;
        signed_in.audit(
            Event::new(Some(signed_in.actor().staff_id), Action::Enrolled)
                .on("enrollment", enrollment_id)
                .detail(format!("group={group_id} client={client_id}")),
        )?;
    }
    Ok(group_id)
}

/// Books an individual or family/couple session (or a weekly or fortnightly
/// run of them), refusing — with nothing written — if any occurrence
/// collides with the clinician's, the room's or a client's other bookings.
pub fn book_individual(
    signed_in: &SignedIn,
    input: IndividualBookingInput,
) -> Result<IndividualBooking> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let client_ids = validate_clients(conn, input.format, &input.client_ids)?;
    validate_clinician(conn, input.clinician_id)?;
    crate::schedule::rooms::room(conn, input.room_id)
        .map_err(|_| Error::invalid("roomId", "Choose a room."))?;
    let rule = recurrence(&input)?;
    let first_date = clock::format_date(clock::parse_date("date", &input.date)?);

    let tx = crate::vault::db::write_transaction(conn)?;
    let existing = find_pairing(&tx, input.format, input.clinician_id, &client_ids)?;
    let group_id = match existing {
        Some(id) => id,
        None => {
            if !signed_in.actor().role.can(Capability::ChooseFacilitators) {
                return Err(Error::ForbiddenBecause {
                    reason: "This clinician does not see these clients yet. The first session is booked by an owner, practice manager or supervisor, because it opens the clients' records to the clinician.",
                });
            }
            start_pairing(signed_in, &tx, &input, &client_ids, &first_date)?
        }
    };
    // The series' own checks (room size, conflicts, dates) run inside this
    // transaction, so a refused occurrence also undoes a new pairing.
    let created = sessions::create_series(signed_in, group_id, input.room_id, rule)
        .map_err(rename_series_fields)?;
    tx.commit()?;
    Ok(IndividualBooking {
        group_id,
        new_pairing: existing.is_none(),
        sessions: created.sessions,
    })
}

/// The series form's field names, said as this booking's.
fn rename_series_fields(error: Error) -> Error {
    match error {
        Error::Invalid { field, reason } => Error::Invalid {
            field: match field.as_str() {
                "firstDate" => "date".into(),
                "count" | "untilDate" => "sessions".into(),
                _ => field,
            },
            reason,
        },
        other => other,
    }
}
