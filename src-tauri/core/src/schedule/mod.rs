//! The schedule: rooms, series and their occurrences, individual appointments,
//! clinicians' availability, conflicts, and attendance.

pub mod agenda;
pub mod appointments;
pub mod attendance;
pub mod conflicts;
pub mod recurrence;
pub mod rooms;
pub mod sessions;
pub mod zone_change;

pub(crate) use sessions::{book_member_from, release_member_after};

/// The shell's form parsers; they live in [`crate::clock`].
pub use crate::clock::{parse_date, parse_time};
