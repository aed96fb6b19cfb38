//! Groups and their rosters (enrollment: waitlisted → active → discharged).
//! Rooms are part of the schedule (`schedule::rooms`).
//!
//! A group's active members fill its seats up to capacity; everyone else
//! waits in order. When a seat frees (a discharge, a larger capacity) the
//! front desk is offered the first person waiting; accepting books them into
//! the group's remaining sessions only.

mod enrollment;
mod format;
mod group;
mod roster;

pub use enrollment::{DischargeReason, Enrollment, EnrollmentStatus};
pub use format::GroupFormat;
pub use group::*;
pub use roster::*;

/// A retention purge: the client's enrollments go. The caller holds the
/// transaction.
pub(crate) fn forget_client(
    conn: &rusqlite::Connection,
    client_id: i64,
) -> crate::error::Result<()> {
    conn.execute("DELETE FROM enrollments WHERE client_id = ?1", [client_id])?;
    Ok(())
}
