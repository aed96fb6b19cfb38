//! A group: name, kind, modality, capacity, facilitators, default room and
//! note template.

use rusqlite::{params, Connection, OptionalExtension};

use super::enrollment::{next_waitlisted, Enrollment};
use super::format::GroupFormat;
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::staff;
use crate::stored_text::stored_as_text;

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

stored_as_text!(GroupKind {
    Closed = "closed",
    Rolling = "rolling",
});

stored_as_text!(NoteTemplate {
    Girp = "girp",
    Soap = "soap",
    Dap = "dap",
    Birp = "birp",
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub kind: GroupKind,
    pub format: GroupFormat,
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

impl Group {
    /// Seats, waitlists and group edits are for therapy groups only: a
    /// one-to-one pairing given a second seat would open one client's
    /// record to whoever was put in it.
    pub(crate) fn require_therapy_group(&self) -> Result<()> {
        if self.format == GroupFormat::Group {
            Ok(())
        } else {
            Err(Error::invalid(
                "groupId",
                "This is one-to-one or family work, not a group. Book its sessions from the schedule.",
            ))
        }
    }
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
    crate::limits::at_most(
        "coFacilitatorIds",
        &input.co_facilitator_ids,
        crate::limits::CO_FACILITATORS,
        "co-facilitators",
    )?;
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
        crate::schedule::rooms::room(conn, room_id)
            .map_err(|_| Error::invalid("defaultRoomId", "That room was not found."))?;
    }
    Ok(name.to_owned())
}

/// Who facilitates a group decides whose notes a clinician may read
/// (DESIGN.md, Roles), so choosing facilitators is for the owner, the
/// practice manager and supervisors: naming them on a new group as much as
/// changing them later. Every other edit of a group stays open to Scheduling.
fn require_facilitator_choice(signed_in: &SignedIn, reason: &'static str) -> Result<()> {
    if signed_in.actor().role.can(Capability::ChooseFacilitators) {
        Ok(())
    } else {
        Err(Error::ForbiddenBecause { reason })
    }
}

/// A group's facilitators as the audit records them: the lead, then the
/// co-facilitators in id order, each once ("3,5,7"). Ids only, never names.
fn facilitator_ids(primary: i64, co: &[i64]) -> Vec<i64> {
    let mut co: Vec<i64> = co.iter().copied().filter(|&id| id != primary).collect();
    co.sort_unstable();
    co.dedup();
    std::iter::once(primary).chain(co).collect()
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Creates a group. Creating one names its facilitators, so it takes an
/// owner, manager or supervisor (see [`require_facilitator_choice`]).
pub fn create_group(signed_in: &SignedIn, input: GroupInput) -> Result<Group> {
    signed_in.require(Capability::Scheduling)?;
    require_facilitator_choice(
        signed_in,
        "Only an owner, practice manager or supervisor can set up a group, because that chooses who facilitates it.",
    )?;
    let name = validate_group(signed_in.conn(), &input)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
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
            crate::clock::now_text()
        ],
    )?;
    let id = tx.last_insert_rowid();
    set_cofacilitators(&tx, id, &input.co_facilitator_ids)?;
    let facilitators = facilitator_ids(input.primary_facilitator_id, &input.co_facilitator_ids);
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GroupCreated)
            .on("group", id)
            .detail(format!("facilitators {}", ids_text(&facilitators))),
    )?;
    tx.commit()?;
    group(signed_in.conn(), id)
}

/// Edits a group. Any Scheduling role may change its name, kind, capacity,
/// room and so on; changing its facilitators (lead or co) takes an owner,
/// manager or supervisor, and the audit row records the change as ids.
pub fn update_group(signed_in: &SignedIn, id: i64, input: GroupInput) -> Result<GroupUpdate> {
    signed_in.require(Capability::Scheduling)?;
    let before = group(signed_in.conn(), id)?;
    before.require_therapy_group()?;
    let old_facilitators =
        facilitator_ids(before.primary_facilitator_id, &before.co_facilitator_ids);
    let new_facilitators = facilitator_ids(input.primary_facilitator_id, &input.co_facilitator_ids);
    let facilitators_change = (old_facilitators != new_facilitators).then(|| {
        format!(
            "facilitators {}->{}",
            ids_text(&old_facilitators),
            ids_text(&new_facilitators)
        )
    });
    if facilitators_change.is_some() {
        require_facilitator_choice(
            signed_in,
            "Only an owner, practice manager or supervisor can change who facilitates a group.",
        )?;
    }
    let name = validate_group(signed_in.conn(), &input)?;
    if input.capacity < before.active_members {
        return Err(Error::invalid(
            "capacity",
            format!(
                "{} people are enrolled. Discharge someone before lowering capacity below that.",
                before.active_members
            ),
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
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
    let event = Event::new(Some(signed_in.actor().staff_id), Action::GroupUpdated).on("group", id);
    signed_in.audit(match facilitators_change {
        Some(change) => event.detail(change),
        None => event,
    })?;
    tx.commit()?;
    let after = group(signed_in.conn(), id)?;
    let seat_offer = if after.capacity > before.capacity {
        next_waitlisted(signed_in.conn(), id)?
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
pub fn set_archived(signed_in: &SignedIn, id: i64, archived: bool) -> Result<Group> {
    signed_in.require(Capability::Administer)?;
    group(signed_in.conn(), id)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE groups SET archived = ?1 WHERE id = ?2",
        params![archived, id],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GroupArchived)
            .on("group", id)
            .detail(format!("archived={archived}")),
    )?;
    tx.commit()?;
    group(signed_in.conn(), id)
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

pub fn groups(signed_in: &SignedIn, include_archived: bool) -> Result<Vec<Group>> {
    signed_in.require(Capability::Scheduling)?;
    let ids: Vec<i64> = signed_in
        .conn()
        .prepare(
            "SELECT id FROM groups WHERE format = 'group' AND (?1 OR archived = 0)
             ORDER BY archived, name COLLATE NOCASE",
        )?
        .query_map([include_archived], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| group(signed_in.conn(), id))
        .collect()
}

pub fn get_group(signed_in: &SignedIn, id: i64) -> Result<Group> {
    signed_in.require(Capability::Scheduling)?;
    group(signed_in.conn(), id)
}

pub(crate) fn group(conn: &Connection, id: i64) -> Result<Group> {
    let mut g = conn
        .query_row(
            "SELECT id, name, kind, modality, capacity, primary_facilitator_id, default_room_id,
                    note_template, substance_use, archived,
                    (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'active'),
                    (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'waitlisted'),
                    format
             FROM groups g WHERE id = ?1",
            [id],
            |r| {
                Ok(Group {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    format: r.get(12)?,
                    modality: r.get(3)?,
                    capacity: r.get(4)?,
                    primary_facilitator_id: r.get(5)?,
                    co_facilitator_ids: Vec::new(),
                    default_room_id: r.get(6)?,
                    note_template: r.get(7)?,
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
