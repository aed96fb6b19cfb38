//! Who may read and write which notes.
//!
//! DESIGN.md's matrix: owners and supervisors read every note; clinicians
//! read notes of their own groups' clients; the practice manager and the front
//! desk read none (and hold no clinical key, so clinical.db is not even
//! attached for them). The practice setting `notes_scope_limited` (default
//! on) is what confines clinicians; switched off, clinicians see all.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::groups;
use crate::roles::{Capability, Role};
use crate::signed_in::SignedIn;

/// Every note command starts here: a clinical role with clinical.db attached.
pub(crate) fn require_notes(signed_in: &SignedIn) -> Result<()> {
    signed_in.require(Capability::ReadWriteNotes)?;
    if !signed_in.has_clinical_access() {
        return Err(Error::Forbidden);
    }
    Ok(())
}

pub(crate) fn scope_limited(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT notes_scope_limited FROM practice_settings WHERE id = 1",
            [],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .unwrap_or(1)
        == 1)
}

/// Owners and supervisors always; clinicians when the scope setting is off.
pub(crate) fn sees_every_record(signed_in: &SignedIn) -> Result<bool> {
    Ok(match signed_in.actor().role {
        Role::Owner | Role::Supervisor => true,
        Role::Clinician => !scope_limited(signed_in.conn())?,
        Role::Manager | Role::FrontDesk => false,
    })
}

/// The whole note of a group's session (shared part and every member).
pub(crate) fn may_read_group_notes(signed_in: &SignedIn, group_id: i64) -> Result<bool> {
    if sees_every_record(signed_in)? {
        return Ok(true);
    }
    Ok(groups::facilitators(signed_in.conn(), group_id)?.contains(&signed_in.actor().staff_id))
}

pub(crate) fn require_group_notes(signed_in: &SignedIn, group_id: i64) -> Result<()> {
    require_notes(signed_in)?;
    if may_read_group_notes(signed_in, group_id)? {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// A client's record (their member view of every session, goals).
///
/// For a scope-limited clinician, a client is one of "their groups' clients"
/// when the client holds (or held) a seat in a group the clinician
/// facilitates: an active enrollment, or a discharged one that was active
/// once (`enrolled_on` is set only when a seat is taken). A waitlist place,
/// or one discharged straight from the waitlist, opens nothing: anyone with
/// Scheduling can put anyone on a waitlist.
pub(crate) fn may_read_client(signed_in: &SignedIn, client_id: i64) -> Result<bool> {
    if sees_every_record(signed_in)? {
        return Ok(true);
    }
    let staff_id = signed_in.actor().staff_id;
    let found: Option<i64> = signed_in
        .conn()
        .query_row(
            "SELECT 1 FROM enrollments e JOIN groups g ON g.id = e.group_id
             WHERE e.client_id = ?1
               AND (e.status = 'active'
                    OR (e.status = 'discharged' AND e.enrolled_on IS NOT NULL))
               AND (g.primary_facilitator_id = ?2
                    OR EXISTS (SELECT 1 FROM group_cofacilitators c
                               WHERE c.group_id = g.id AND c.staff_id = ?2))
             LIMIT 1",
            [client_id, staff_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

pub(crate) fn require_client(signed_in: &SignedIn, client_id: i64) -> Result<()> {
    require_notes(signed_in)?;
    // A client who is not there (never was, or purged) has no record to
    // read: said as such, not shown as an empty chart.
    crate::clients::by_id(signed_in.conn(), client_id)?;
    if may_read_client(signed_in, client_id)? {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}
