//! The schedule: rooms, series and their occurrences, individual appointments,
//! clinicians' availability, conflicts, and attendance.

pub mod agenda;
pub mod appointments;
pub mod attendance;
pub mod conflicts;
pub mod individual;
pub mod recurrence;
pub mod rooms;
pub mod sessions;
pub mod zone_change;

pub(crate) use sessions::{book_member_from, release_member_after};

/// The shell's form parsers; they live in [`crate::clock`].
pub use crate::clock::{parse_date, parse_time};

/// A retention purge: every booking of the client goes (their sessions
/// stay, for the other members). The caller holds the transaction.
pub(crate) fn forget_client(
    conn: &rusqlite::Connection,
    client_id: i64,
) -> crate::error::Result<()> {
    for sql in [
        "DELETE FROM appointment_attendance WHERE appointment_id IN
           (SELECT id FROM appointments WHERE client_id = ?1)",
        "DELETE FROM appointments WHERE client_id = ?1",
        "DELETE FROM attendance WHERE client_id = ?1",
        "DELETE FROM session_members WHERE client_id = ?1",
    ] {
        conn.execute(sql, [client_id])?;
    }
    Ok(())
}

/// The sessions the client was booked into (for the purge's clinical side).
pub(crate) fn sessions_of_client(
    conn: &rusqlite::Connection,
    client_id: i64,
) -> crate::error::Result<Vec<i64>> {
    Ok(conn
        .prepare(
            "SELECT session_id FROM session_members WHERE client_id = ?1
             UNION SELECT session_id FROM attendance WHERE client_id = ?1",
        )?
        .query_map([client_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
