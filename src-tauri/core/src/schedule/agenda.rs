//! What the Today and Schedule screens show: one day, or one week.

use chrono::{Duration, NaiveDate};

use super::appointments::{self, Appointment};
use super::sessions::{self, start_of_local_day, GroupSession};
use crate::audit::{Action, Event};
use crate::clock::{self, instant_text};
use crate::error::Result;
use crate::roles::Capability;
use crate::signed_in::SignedIn;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WaitlistSummary {
    pub group_id: i64,
    pub group_name: String,
    pub waiting: u32,
    pub free_seats: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Agenda {
    /// First local date covered, "YYYY-MM-DD".
    pub from: String,
    /// Local date after the last one covered.
    pub to: String,
    pub sessions: Vec<GroupSession>,
    pub appointments: Vec<Appointment>,
    pub waitlists: Vec<WaitlistSummary>,
}

/// Sessions and appointments on local dates [from, from + days).
pub fn agenda(signed_in: &SignedIn, from: NaiveDate, days: u32) -> Result<Agenda> {
    signed_in.require(Capability::Scheduling)?;
    let conn = signed_in.conn();
    let days = days.clamp(1, 31);
    let to = from + Duration::days(i64::from(days));
    let (start, end) = (
        start_of_local_day(conn, from)?,
        start_of_local_day(conn, to)?,
    );
    let sessions = sessions::sessions_between(conn, start, end)?;
    let appointments =
        appointments::appointments_between(conn, &instant_text(start), &instant_text(end))?;
    let waitlists = conn
        .prepare(
            "SELECT g.id, g.name,
                    (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'waitlisted'),
                    max(0, g.capacity - (SELECT count(*) FROM enrollments e WHERE e.group_id = g.id AND e.status = 'active'))
             FROM groups g WHERE g.archived = 0
               AND EXISTS (SELECT 1 FROM enrollments e WHERE e.group_id = g.id AND e.status = 'waitlisted')
             ORDER BY g.name",
        )?
        .query_map([], |r| {
            Ok(WaitlistSummary {
                group_id: r.get(0)?,
                group_name: r.get(1)?,
                waiting: r.get(2)?,
                free_seats: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ScheduleViewed)
            .detail(format!("from={from} days={days}")),
    )?;
    Ok(Agenda {
        from: clock::format_date(from),
        to: clock::format_date(to),
        sessions,
        appointments,
        waitlists,
    })
}
