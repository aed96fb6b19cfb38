//! Whether 42 CFR Part 2 covers a span of a client's record: they held a
//! seat in a substance-use group during it.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::clock;
use crate::error::Result;

/// Whether the client was a member of a group flagged `substance_use` at
/// any time in [from, to]: an enrollment that took a seat (active, or
/// discharged after holding one) from `enrolled_on` through `discharged_on`
/// (open while active) overlapping the span. A place on the waitlist alone
/// does not count. Reads practice.db only; callers check who may ask.
pub(crate) fn part2_applies(
    conn: &Connection,
    client_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool> {
    // An active seat without a start date (none is written so, but the
    // column allows it) counts from the beginning: when unsure, Part 2 holds.
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM enrollments e JOIN groups g ON g.id = e.group_id
             WHERE e.client_id = ?1
               AND g.substance_use = 1
               AND (e.status = 'active'
                    OR (e.status = 'discharged' AND e.enrolled_on IS NOT NULL))
               AND coalesce(e.enrolled_on, '0000-01-01') <= ?3
               AND (e.status = 'active' OR e.discharged_on IS NULL OR e.discharged_on >= ?2)
             LIMIT 1",
            params![client_id, clock::format_date(from), clock::format_date(to)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}
