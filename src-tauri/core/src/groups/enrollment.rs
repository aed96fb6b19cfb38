//! An enrollment of a client in a group, as stored: the row, its status and
//! the waitlist's order. The roster services build on it.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum EnrollmentStatus {
    Waitlisted,
    Active,
    Discharged,
}

stored_as_text!(EnrollmentStatus {
    Waitlisted = "waitlisted",
    Active = "active",
    Discharged = "discharged",
});

/// Why someone left a group or its waitlist: a choice every role may see.
/// Anything clinical about it goes in the discharge's clinical note
/// (`notes::discharge_note`), which only clinical staff write and read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum DischargeReason {
    /// Finished the group or reached its goals.
    Completed,
    /// Decided to leave, or no longer wants a place.
    ChoseToLeave,
    /// Stopped coming without saying so.
    StoppedAttending,
    /// Referred to another service or level of care.
    ReferredElsewhere,
    MovedAway,
    Other,
}

stored_as_text!(DischargeReason {
    Completed = "completed",
    ChoseToLeave = "chose_to_leave",
    StoppedAttending = "stopped_attending",
    ReferredElsewhere = "referred_elsewhere",
    MovedAway = "moved_away",
    Other = "other",
});

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Enrollment {
    pub id: i64,
    pub group_id: i64,
    /// The group's name, for lists of one client's enrollments.
    pub group_name: String,
    /// A therapy group's seat, or the client's place in one-to-one or
    /// family/couple work (which has no group page).
    pub group_format: super::format::GroupFormat,
    pub client_id: i64,
    /// Preferred or legal first name and legal last name, for the roster.
    pub client_name: String,
    pub status: EnrollmentStatus,
    /// 1-based place on the waitlist, when waiting.
    pub waitlist_place: Option<u32>,
    pub enrolled_on: Option<String>,
    pub discharged_on: Option<String>,
    /// Set once discharged.
    pub discharge_reason: Option<DischargeReason>,
}

pub(super) fn waitlist(conn: &Connection, group_id: i64) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.group_id = ?1 AND e.status = 'waitlisted' ORDER BY e.waitlist_position, e.id"
    ))?;
    let rows = stmt
        .query_map([group_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn next_waitlisted(conn: &Connection, group_id: i64) -> Result<Option<Enrollment>> {
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

pub(super) const ENROLLMENT_SELECT: &str = "SELECT e.id, e.group_id, e.client_id, e.status,
    CASE WHEN e.status = 'waitlisted' THEN
        (SELECT count(*) FROM enrollments w WHERE w.group_id = e.group_id AND w.status = 'waitlisted'
           AND (w.waitlist_position < e.waitlist_position OR (w.waitlist_position = e.waitlist_position AND w.id <= e.id)))
    END,
    e.enrolled_on, e.discharged_on, e.discharge_reason,
    CASE c.name_order WHEN 'family'
        THEN c.legal_last_name || ' ' || coalesce(nullif(c.preferred_name, ''), c.legal_first_name)
        ELSE coalesce(nullif(c.preferred_name, ''), c.legal_first_name) || ' ' || c.legal_last_name END,
    g.name, g.format
    FROM enrollments e JOIN clients c ON c.id = e.client_id JOIN groups g ON g.id = e.group_id";

pub(super) fn row_to_enrollment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Enrollment> {
    Ok(Enrollment {
        id: r.get(0)?,
        group_id: r.get(1)?,
        client_id: r.get(2)?,
        status: r.get(3)?,
        waitlist_place: r.get(4)?,
        enrolled_on: r.get(5)?,
        discharged_on: r.get(6)?,
        discharge_reason: r.get(7)?,
        client_name: r.get(8)?,
        group_name: r.get(9)?,
        group_format: r.get(10)?,
    })
}
