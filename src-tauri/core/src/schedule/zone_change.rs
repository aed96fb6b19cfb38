//! When the practice's time zone changes: what is still to come keeps its
//! local wall time.
//!
//! Sessions and appointments are stored as UTC instants; series are planned
//! as a local date and time in a zone. Left alone, a change of zone would
//! move every future 18:00 group to whatever 18:00 in the old zone is in the
//! new one. Instead each session and appointment starting at or after `now`
//! is re-anchored: its local date and start time in the old zone become the
//! same local date and start time in the new zone (DST gaps and overlaps
//! settled as [`crate::clock::local_to_utc`] settles them), its length is
//! kept, and every series is marked as planned in the new zone, so later
//! edits of a series keep the same wall time too. Moved and cancelled
//! occurrences are re-anchored like the rest (a move to 19:00 stays 19:00).
//! Sessions and appointments already under way or over stay the instants
//! they happened at.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection};

use crate::clock::{instant_text, local_date_of, local_time_of, local_to_utc, parse_instant};
use crate::error::Result;

/// How many rows kept their local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Kept {
    pub sessions: u32,
    pub appointments: u32,
}

/// Re-anchors every session and appointment starting at or after `now`
/// from `from`'s wall clock to `to`'s, and marks every series as planned in
/// `to`. Runs on the caller's transaction.
pub(crate) fn keep_local_times(
    conn: &Connection,
    from: Tz,
    to: Tz,
    now: DateTime<Utc>,
) -> Result<Kept> {
    let after = instant_text(now);
    let sessions = reanchor(conn, "sessions", from, to, &after)?;
    let appointments = reanchor(conn, "appointments", from, to, &after)?;
    conn.execute("UPDATE series SET timezone = ?1", [to.name()])?;
    Ok(Kept {
        sessions,
        appointments,
    })
}

/// `table` is one of our own two names, never input.
fn reanchor(conn: &Connection, table: &str, from: Tz, to: Tz, after: &str) -> Result<u32> {
    let rows: Vec<(i64, String, String)> = conn
        .prepare(&format!(
            "SELECT id, starts_at, ends_at FROM {table} WHERE starts_at >= ?1"
        ))?
        .query_map([after], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare(&format!(
        "UPDATE {table} SET starts_at = ?1, ends_at = ?2 WHERE id = ?3"
    ))?;
    let mut kept = 0u32;
    for (id, starts_at, ends_at) in rows {
        let starts = parse_instant(&starts_at)?;
        let length = parse_instant(&ends_at)? - starts;
        let moved = local_to_utc(to, local_date_of(from, starts), local_time_of(from, starts));
        update.execute(params![
            instant_text(moved),
            instant_text(moved + length),
            id
        ])?;
        kept += 1;
    }
    Ok(kept)
}
