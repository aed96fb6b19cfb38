//! Rooms, groups, and rosters (enrollment: waitlisted → active → discharged).
//!
//! A group's active members fill its seats up to capacity; everyone else
//! waits in order. When a seat frees (a discharge, a larger capacity) the
//! front desk is offered the first person waiting; accepting books them into
//! the group's remaining sessions only.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::staff::{self, Capability};
use crate::vault::Session;

// ---------------------------------------------------------------- rooms

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub capacity: u32,
    pub active: bool,
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoomInput {
    pub name: String,
    pub capacity: u32,
}

fn validate_room(input: &RoomInput) -> Result<String> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "Give the room a name."));
    }
    if name.chars().count() > 60 {
        return Err(Error::invalid(
            "name",
            "Keep the room name under 60 characters.",
        ));
    }
    if !(1..=200).contains(&input.capacity) {
        return Err(Error::invalid(
            "capacity",
            "A room holds between 1 and 200 people.",
        ));
    }
    Ok(name.to_owned())
}

pub fn create_room(session: &Session, input: RoomInput) -> Result<Room> {
    session.require(Capability::Scheduling)?;
    let name = validate_room(&input)?;
    let tx = session.conn().unchecked_transaction()?;
    let taken: Option<i64> = tx
        .query_row("SELECT id FROM rooms WHERE name = ?1", [&name], |r| {
            r.get(0)
        })
        .optional()?;
    if taken.is_some() {
        return Err(Error::invalid(
            "name",
            "There is already a room with that name.",
        ));
    }
    tx.execute(
        "INSERT INTO rooms (name, capacity) VALUES (?1, ?2)",
        params![name, input.capacity],
    )?;
    let id = tx.last_insert_rowid();
    session.audit(Event::new(Some(session.actor().staff_id), Action::RoomSaved).on("room", id))?;
    tx.commit()?;
    room(session.conn(), id)
}

pub fn rooms(session: &Session) -> Result<Vec<Room>> {
    session.require(Capability::Scheduling)?;
    let mut stmt = session
        .conn()
        .prepare("SELECT id, name, capacity, active FROM rooms ORDER BY active DESC, name")?;
    let rows = stmt
        .query_map([], row_to_room)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn room(conn: &Connection, id: i64) -> Result<Room> {
    conn.query_row(
        "SELECT id, name, capacity, active FROM rooms WHERE id = ?1",
        [id],
        row_to_room,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "That room" })
}

fn row_to_room(r: &rusqlite::Row<'_>) -> rusqlite::Result<Room> {
    Ok(Room {
        id: r.get(0)?,
        name: r.get(1)?,
        capacity: r.get(2)?,
        active: r.get::<_, i64>(3)? == 1,
    })
}

// ---------------------------------------------------------------- groups

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum GroupKind {
    /// A cohort that starts and ends together.
    Closed,
    /// Open, rolling admission.
    Rolling,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum NoteTemplate {
    Girp,
    Soap,
    Dap,
    Birp,
}

impl GroupKind {
    fn as_db(self) -> &'static str {
        match self {
            GroupKind::Closed => "closed",
            GroupKind::Rolling => "rolling",
        }
    }
    fn from_db(s: &str) -> GroupKind {
        if s == "rolling" {
            GroupKind::Rolling
        } else {
            GroupKind::Closed
        }
    }
}

impl NoteTemplate {
    pub(crate) fn as_db(self) -> &'static str {
        match self {
            NoteTemplate::Girp => "girp",
            NoteTemplate::Soap => "soap",
            NoteTemplate::Dap => "dap",
            NoteTemplate::Birp => "birp",
        }
    }
    pub(crate) fn from_db(s: &str) -> NoteTemplate {
        match s {
            "soap" => NoteTemplate::Soap,
            "dap" => NoteTemplate::Dap,
            "birp" => NoteTemplate::Birp,
            _ => NoteTemplate::Girp,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub modality: String,
    pub capacity: u32,
    pub primary_facilitator_id: i64,
    pub co_facilitator_ids: Vec<i64>,
    pub default_room_id: Option<i64>,
    pub note_template: NoteTemplate,
    /// 42 CFR Part 2: exports carry the redisclosure notice.
    pub substance_use: bool,
    pub archived: bool,
    pub active_members: u32,
    pub waitlisted: u32,
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupInput {
    pub name: String,
    pub kind: GroupKind,
    pub modality: String,
    pub capacity: u32,
    pub primary_facilitator_id: i64,
    pub co_facilitator_ids: Vec<i64>,
    pub default_room_id: Option<i64>,
    pub note_template: NoteTemplate,
    pub substance_use: bool,
}

fn validate_group(conn: &Connection, input: &GroupInput) -> Result<String> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "Give the group a name."));
    }
    if name.chars().count() > 80 {
        return Err(Error::invalid(
            "name",
            "Keep the group name under 80 characters.",
        ));
    }
    if input.modality.chars().count() > 80 {
        return Err(Error::invalid(
            "modality",
            "Keep the modality under 80 characters.",
        ));
    }
    if !(1..=100).contains(&input.capacity) {
        return Err(Error::invalid(
            "capacity",
            "Capacity must be between 1 and 100.",
        ));
    }
    let facilitator = staff::by_id(conn, input.primary_facilitator_id)
        .map_err(|_| Error::invalid("primaryFacilitatorId", "Choose who leads the group."))?;
    if !facilitator.active || !facilitator.role.is_clinical() {
        return Err(Error::invalid(
            "primaryFacilitatorId",
            "The lead facilitator must be an active clinician, supervisor or owner.",
        ));
    }
    for &co in &input.co_facilitator_ids {
        if co == input.primary_facilitator_id {
            return Err(Error::invalid(
                "coFacilitatorIds",
                "The lead facilitator is already on the group.",
            ));
        }
        let member = staff::by_id(conn, co)
            .map_err(|_| Error::invalid("coFacilitatorIds", "A co-facilitator was not found."))?;
        if !member.active || !member.role.is_clinical() {
            return Err(Error::invalid(
                "coFacilitatorIds",
                "Co-facilitators must be active clinicians, supervisors or owners.",
            ));
        }
    }
    if let Some(room_id) = input.default_room_id {
        room(conn, room_id)
            .map_err(|_| Error::invalid("defaultRoomId", "That room was not found."))?;
    }
    Ok(name.to_owned())
}

pub fn create_group(session: &Session, input: GroupInput) -> Result<Group> {
    session.require(Capability::Scheduling)?;
    let name = validate_group(session.conn(), &input)?;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "INSERT INTO groups (name, kind, modality, capacity, primary_facilitator_id, default_room_id,
                             note_template, substance_use, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            name,
            input.kind.as_db(),
            input.modality.trim(),
            input.capacity,
            input.primary_facilitator_id,
            input.default_room_id,
            input.note_template.as_db(),
            input.substance_use,
            staff::now_rfc3339()
        ],
    )?;
    let id = tx.last_insert_rowid();
    set_cofacilitators(&tx, id, &input.co_facilitator_ids)?;
    session
        .audit(Event::new(Some(session.actor().staff_id), Action::GroupCreated).on("group", id))?;
    tx.commit()?;
    group(session.conn(), id)
}

pub fn update_group(session: &Session, id: i64, input: GroupInput) -> Result<GroupUpdate> {
    session.require(Capability::Scheduling)?;
    let before = group(session.conn(), id)?;
    let name = validate_group(session.conn(), &input)?;
    if input.capacity < before.active_members {
        return Err(Error::invalid(
            "capacity",
            format!(
                "{} people are enrolled. Discharge someone before lowering capacity below that.",
                before.active_members
            ),
        ));
    }
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE groups SET name = ?1, kind = ?2, modality = ?3, capacity = ?4, primary_facilitator_id = ?5,
                default_room_id = ?6, note_template = ?7, substance_use = ?8 WHERE id = ?9",
        params![
            name,
            input.kind.as_db(),
            input.modality.trim(),
            input.capacity,
            input.primary_facilitator_id,
            input.default_room_id,
            input.note_template.as_db(),
            input.substance_use,
            id
        ],
    )?;
    set_cofacilitators(&tx, id, &input.co_facilitator_ids)?;
    session
        .audit(Event::new(Some(session.actor().staff_id), Action::GroupUpdated).on("group", id))?;
    tx.commit()?;
    let after = group(session.conn(), id)?;
    let seat_offer = if after.capacity > before.capacity {
        next_waitlisted(session.conn(), id)?
    } else {
        None
    };
    Ok(GroupUpdate {
        group: after,
        seat_offer,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupUpdate {
    pub group: Group,
    /// A seat opened (capacity raised) and someone is waiting for it.
    pub seat_offer: Option<Enrollment>,
}

/// Archiving hides a group from daily lists; owner and manager only.
pub fn set_archived(session: &Session, id: i64, archived: bool) -> Result<Group> {
    session.require(Capability::Administer)?;
    group(session.conn(), id)?;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE groups SET archived = ?1 WHERE id = ?2",
        params![archived, id],
    )?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::GroupArchived)
            .on("group", id)
            .detail(format!("archived={archived}")),
    )?;
    tx.commit()?;
    group(session.conn(), id)
}

fn set_cofacilitators(conn: &Connection, group_id: i64, ids: &[i64]) -> Result<()> {
    conn.execute(
        "DELETE FROM group_cofacilitators WHERE group_id = ?1",
        [group_id],
    )?;
    for id in ids {
        conn.execute(
            "INSERT OR IGNORE INTO group_cofacilitators (group_id, staff_id) VALUES (?1, ?2)",
            params![group_id, id],
        )?;
    }
    Ok(())
}

pub fn groups(session: &Session, include_archived: bool) -> Result<Vec<Group>> {
    session.require(Capability::Scheduling)?;
    let ids: Vec<i64> = session
        .conn()
        .prepare(
            "SELECT id FROM groups WHERE ?1 OR archived = 0 ORDER BY archived, name COLLATE NOCASE",
        )?
        .query_map([include_archived], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| group(session.conn(), id))
        .collect()
}

pub fn get_group(session: &Session, id: i64) -> Result<Group> {
    session.require(Capability::Scheduling)?;
    group(session.conn(), id)
}

pub(crate) fn group(conn: &Connection, id: i64) -> Result<Group> {
    let mut g = conn
        .query_row(
            "SELECT id, name, kind, modality, capacity, primary_facilitator_id, default_room_id,
                    note_template, substance_use, archived,
                    (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'active'),
                    (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'waitlisted')
             FROM groups g WHERE id = ?1",
            [id],
            |r| {
                Ok(Group {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: GroupKind::from_db(&r.get::<_, String>(2)?),
                    modality: r.get(3)?,
                    capacity: r.get(4)?,
                    primary_facilitator_id: r.get(5)?,
                    co_facilitator_ids: Vec::new(),
                    default_room_id: r.get(6)?,
                    note_template: NoteTemplate::from_db(&r.get::<_, String>(7)?),
                    substance_use: r.get::<_, i64>(8)? == 1,
                    archived: r.get::<_, i64>(9)? == 1,
                    active_members: r.get(10)?,
                    waitlisted: r.get(11)?,
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound { what: "That group" })?;
    g.co_facilitator_ids = facilitators(conn, id)?
        .into_iter()
        .filter(|&s| s != g.primary_facilitator_id)
        .collect();
    Ok(g)
}

/// Every staff id facilitating a group: the lead and co-facilitators.
pub(crate) fn facilitators(conn: &Connection, group_id: i64) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = conn
        .prepare(
            "SELECT primary_facilitator_id FROM groups WHERE id = ?1
             UNION SELECT staff_id FROM group_cofacilitators WHERE group_id = ?1",
        )?
        .query_map([group_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    Ok(ids)
}

// ---------------------------------------------------------------- rosters

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum EnrollmentStatus {
    Waitlisted,
    Active,
    Discharged,
}

impl EnrollmentStatus {
    fn from_db(s: &str) -> EnrollmentStatus {
        match s {
            "active" => EnrollmentStatus::Active,
            "discharged" => EnrollmentStatus::Discharged,
            _ => EnrollmentStatus::Waitlisted,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    pub id: i64,
    pub group_id: i64,
    pub client_id: i64,
    /// Preferred or legal first name and legal last name, for the roster.
    pub client_name: String,
    pub status: EnrollmentStatus,
    /// 1-based place on the waitlist, when waiting.
    pub waitlist_place: Option<u32>,
    pub enrolled_on: Option<String>,
    pub discharged_on: Option<String>,
    pub discharge_reason: Option<String>,
}

/// What enrolling did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnrollOutcome {
    pub enrollment: Enrollment,
    /// Sessions the client was booked into (0 when waitlisted).
    pub sessions_booked: u32,
}

/// Enrolls a client: active while seats remain (booked into the group's
/// sessions from `from_date` on), otherwise, or when `waitlist` is asked for,
/// at the end of the waitlist.
pub fn enroll(
    session: &Session,
    group_id: i64,
    client_id: i64,
    waitlist: bool,
    from_date: NaiveDate,
) -> Result<EnrollOutcome> {
    session.require(Capability::Scheduling)?;
    let g = group(session.conn(), group_id)?;
    if g.archived {
        return Err(Error::invalid("groupId", "This group is archived."));
    }
    client_exists(session.conn(), client_id)?;
    let open: Option<String> = session
        .conn()
        .query_row(
            "SELECT status FROM enrollments WHERE group_id = ?1 AND client_id = ?2 AND status <> 'discharged'",
            params![group_id, client_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(status) = open {
        let where_ = if status == "active" {
            "enrolled in"
        } else {
            "on the waitlist for"
        };
        return Err(Error::Conflict {
            message: format!("This client is already {where_} {}.", g.name),
        });
    }
    let seat_free = g.active_members < g.capacity;
    let tx = session.conn().unchecked_transaction()?;
    let (id, booked) = if seat_free && !waitlist {
        tx.execute(
            "INSERT INTO enrollments (group_id, client_id, status, enrolled_on, created_at)
             VALUES (?1, ?2, 'active', ?3, ?4)",
            params![
                group_id,
                client_id,
                from_date.to_string(),
                staff::now_rfc3339()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let booked = crate::schedule::book_member_from(&tx, group_id, client_id, from_date)?;
        (id, booked)
    } else {
        let next: i64 = tx.query_row(
            "SELECT coalesce(max(waitlist_position), 0) + 1 FROM enrollments WHERE group_id = ?1 AND status = 'waitlisted'",
            [group_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO enrollments (group_id, client_id, status, waitlist_position, created_at)
             VALUES (?1, ?2, 'waitlisted', ?3, ?4)",
            params![group_id, client_id, next, staff::now_rfc3339()],
        )?;
        (tx.last_insert_rowid(), 0)
    };
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::Enrolled)
            .on("enrollment", id)
            .detail(format!(
                "group={group_id} client={client_id} sessions={booked}"
            )),
    )?;
    tx.commit()?;
    Ok(EnrollOutcome {
        enrollment: enrollment(session.conn(), id)?,
        sessions_booked: booked,
    })
}

/// Moves a waitlisted person into a seat, booking them into the sessions
/// from `from_date` on (the ones already held stay as they were).
pub fn accept_from_waitlist(
    session: &Session,
    enrollment_id: i64,
    from_date: NaiveDate,
) -> Result<EnrollOutcome> {
    session.require(Capability::Scheduling)?;
    let e = enrollment(session.conn(), enrollment_id)?;
    if e.status != EnrollmentStatus::Waitlisted {
        return Err(Error::invalid(
            "enrollmentId",
            "This person is not on the waitlist.",
        ));
    }
    let g = group(session.conn(), e.group_id)?;
    if g.active_members >= g.capacity {
        return Err(Error::Conflict {
            message: format!(
                "{} is full ({} of {} seats). Discharge someone or raise the capacity first.",
                g.name, g.active_members, g.capacity
            ),
        });
    }
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE enrollments SET status = 'active', waitlist_position = NULL, enrolled_on = ?1 WHERE id = ?2",
        params![from_date.to_string(), enrollment_id],
    )?;
    let booked = crate::schedule::book_member_from(&tx, e.group_id, e.client_id, from_date)?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::EnrollmentActivated)
            .on("enrollment", enrollment_id)
            .detail(format!("sessions={booked}")),
    )?;
    tx.commit()?;
    Ok(EnrollOutcome {
        enrollment: enrollment(session.conn(), enrollment_id)?,
        sessions_booked: booked,
    })
}

/// What a discharge did, and who may take the seat.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DischargeOutcome {
    pub enrollment: Enrollment,
    /// Future sessions the client was taken out of.
    pub sessions_released: u32,
    /// The first person waiting, now that a seat is free.
    pub seat_offer: Option<Enrollment>,
}

/// Discharges a member (or takes someone off the waitlist) on `date`, with a
/// reason. Sessions after that date lose them; past attendance stays.
pub fn discharge(
    session: &Session,
    enrollment_id: i64,
    date: NaiveDate,
    reason: &str,
) -> Result<DischargeOutcome> {
    session.require(Capability::Scheduling)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "Say why, in a few words (for example: completed, moved away).",
        ));
    }
    if reason.chars().count() > 200 {
        return Err(Error::invalid(
            "reason",
            "Keep the reason under 200 characters.",
        ));
    }
    let e = enrollment(session.conn(), enrollment_id)?;
    if e.status == EnrollmentStatus::Discharged {
        return Err(Error::invalid(
            "enrollmentId",
            "This person has already been discharged.",
        ));
    }
    if let Some(start) = e
        .enrolled_on
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
    {
        if date < start {
            return Err(Error::invalid(
                "date",
                "The discharge date is before they joined.",
            ));
        }
    }
    let was_active = e.status == EnrollmentStatus::Active;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE enrollments SET status = 'discharged', waitlist_position = NULL, discharged_on = ?1, discharge_reason = ?2
         WHERE id = ?3",
        params![date.to_string(), reason, enrollment_id],
    )?;
    let released = if was_active {
        crate::schedule::release_member_after(&tx, e.group_id, e.client_id, date)?
    } else {
        0
    };
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::EnrollmentDischarged)
            .on("enrollment", enrollment_id)
            .detail(format!("sessions_released={released}")),
    )?;
    tx.commit()?;
    let seat_offer = if was_active {
        next_waitlisted(session.conn(), e.group_id)?
    } else {
        None
    };
    Ok(DischargeOutcome {
        enrollment: enrollment(session.conn(), enrollment_id)?,
        sessions_released: released,
        seat_offer,
    })
}

/// Puts the waitlist in the given order (every waiting enrollment, once).
pub fn reorder_waitlist(
    session: &Session,
    group_id: i64,
    ordered_enrollment_ids: &[i64],
) -> Result<Vec<Enrollment>> {
    session.require(Capability::Scheduling)?;
    let mut current: Vec<i64> = waitlist(session.conn(), group_id)?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut proposed = ordered_enrollment_ids.to_vec();
    current.sort_unstable();
    proposed.sort_unstable();
    if current != proposed {
        return Err(Error::invalid(
            "order",
            "The waitlist changed while you were arranging it. Look again and retry.",
        ));
    }
    let tx = session.conn().unchecked_transaction()?;
    for (i, id) in ordered_enrollment_ids.iter().enumerate() {
        tx.execute(
            "UPDATE enrollments SET waitlist_position = ?1 WHERE id = ?2 AND group_id = ?3",
            params![i as i64 + 1, id, group_id],
        )?;
    }
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::WaitlistReordered).on("group", group_id),
    )?;
    tx.commit()?;
    waitlist(session.conn(), group_id)
}

/// The group's roster: active members first, then the waitlist in order.
pub fn roster(session: &Session, group_id: i64) -> Result<Vec<Enrollment>> {
    session.require(Capability::Scheduling)?;
    group(session.conn(), group_id)?;
    let mut stmt = session.conn().prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.group_id = ?1 AND e.status <> 'discharged'
         ORDER BY e.status = 'waitlisted', e.waitlist_position, e.id"
    ))?;
    let rows = stmt
        .query_map([group_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::RosterViewed).on("group", group_id),
    )?;
    Ok(rows)
}

/// A client's enrollments in every group, newest first.
pub fn enrollments_of_client(session: &Session, client_id: i64) -> Result<Vec<Enrollment>> {
    session.require(Capability::Scheduling)?;
    let mut stmt = session.conn().prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.client_id = ?1 ORDER BY e.id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::ClientViewed)
            .on("client", client_id)
            .detail("enrollments"),
    )?;
    Ok(rows)
}

fn waitlist(conn: &Connection, group_id: i64) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.group_id = ?1 AND e.status = 'waitlisted' ORDER BY e.waitlist_position, e.id"
    ))?;
    let rows = stmt
        .query_map([group_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn next_waitlisted(conn: &Connection, group_id: i64) -> Result<Option<Enrollment>> {
    Ok(waitlist(conn, group_id)?.into_iter().next())
}

pub(crate) fn enrollment(conn: &Connection, id: i64) -> Result<Enrollment> {
    conn.query_row(
        &format!("{ENROLLMENT_SELECT} WHERE e.id = ?1"),
        [id],
        row_to_enrollment,
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That enrollment",
    })
}

const ENROLLMENT_SELECT: &str = "SELECT e.id, e.group_id, e.client_id, e.status,
    CASE WHEN e.status = 'waitlisted' THEN
        (SELECT count(*) FROM enrollments w WHERE w.group_id = e.group_id AND w.status = 'waitlisted'
           AND (w.waitlist_position < e.waitlist_position OR (w.waitlist_position = e.waitlist_position AND w.id <= e.id)))
    END,
    e.enrolled_on, e.discharged_on, e.discharge_reason,
    coalesce(nullif(c.preferred_name, ''), c.legal_first_name) || ' ' || c.legal_last_name
    FROM enrollments e JOIN clients c ON c.id = e.client_id";

fn row_to_enrollment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Enrollment> {
    Ok(Enrollment {
        id: r.get(0)?,
        group_id: r.get(1)?,
        client_id: r.get(2)?,
        status: EnrollmentStatus::from_db(&r.get::<_, String>(3)?),
        waitlist_place: r.get(4)?,
        enrolled_on: r.get(5)?,
        discharged_on: r.get(6)?,
        discharge_reason: r.get(7)?,
        client_name: r.get(8)?,
    })
}

fn client_exists(conn: &Connection, client_id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .query_row("SELECT id FROM clients WHERE id = ?1", [client_id], |r| {
            r.get(0)
        })
        .optional()?;
    found
        .map(|_| ())
        .ok_or(Error::invalid("clientId", "That client was not found."))
}
