//! A group's measures as the facilitator shows them to the group: the
//! median total of each session and how members' latest scores spread
//! over the bands. Counts and medians only, never a name, an id or one
//! member's score: a session with fewer than [`SMALLEST_SHOWN`] entries, or
//! a spread of fewer members, is withheld, since one or two scores are as
//! good as named in a room where everyone knows who filled the form in.

use rusqlite::params;

use super::instruments::{Instrument, Severity};
use crate::audit::{Action, Event};
use crate::clock::{self, local_date_of, parse_instant, practice_zone};
use crate::error::Result;
use crate::notes::access;
use crate::signed_in::SignedIn;

/// The fewest scores a median or a spread is drawn from.
pub const SMALLEST_SHOWN: usize = 3;

/// One session's median total.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionMedian {
    pub session_id: i64,
    /// The session's local date, "YYYY-MM-DD".
    pub date: String,
    /// How many members' scores it is the median of.
    pub count: u32,
    /// None when fewer than [`SMALLEST_SHOWN`] members have a score.
    pub median: Option<f64>,
}

/// How many members' latest scores fall in one band.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BandCount {
    pub severity: Severity,
    pub words: &'static str,
    pub members: u32,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupMeasure {
    pub instrument: Instrument,
    /// Sessions with at least one score, oldest first.
    pub sessions: Vec<SessionMedian>,
    /// Every band, lowest first; empty when fewer than [`SMALLEST_SHOWN`]
    /// members have a score.
    pub latest_spread: Vec<BandCount>,
}

/// The median of totals (the mean of the middle two for an even count).
fn median(mut totals: Vec<u8>) -> Option<f64> {
    if totals.len() < SMALLEST_SHOWN {
        return None;
    }
    totals.sort_unstable();
    let mid = totals.len() / 2;
    Some(if totals.len() % 2 == 1 {
        f64::from(totals[mid])
    } else {
        (f64::from(totals[mid - 1]) + f64::from(totals[mid])) / 2.0
    })
}

/// Each measure entered in this group's sessions, for those who may read
/// the group's notes (its facilitators; owners and supervisors; every
/// clinician when the scope setting is off).
pub fn group_summary(signed_in: &SignedIn, group_id: i64) -> Result<Vec<GroupMeasure>> {
    access::require_group_notes(signed_in, group_id)?;
    let zone = practice_zone(signed_in.conn())?;
    // Oldest session first; within an instrument, each client's rows in
    // session order, so the last one seen is their latest.
    let rows = signed_in
        .conn()
        .prepare_cached(
            "SELECT e.instrument, e.session_id, s.starts_at, e.client_id, e.total
             FROM measure_entries e JOIN sessions s ON s.id = e.session_id
             WHERE s.group_id = ?1
             ORDER BY s.starts_at, e.session_id, e.id",
        )?
        .query_map(params![group_id], |r| {
            Ok((
                r.get::<_, Instrument>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, u8>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut summary = Vec::new();
    for instrument in Instrument::ALL {
        let mine: Vec<_> = rows.iter().filter(|r| r.0 == instrument).collect();
        if mine.is_empty() {
            continue;
        }
        let mut sessions: Vec<(i64, String, Vec<u8>)> = Vec::new();
        let mut latest: Vec<(i64, u8)> = Vec::new();
        for (_, session_id, starts_at, client_id, total) in mine {
            match sessions.last_mut() {
                Some((id, _, totals)) if id == session_id => totals.push(*total),
                _ => sessions.push((*session_id, starts_at.clone(), vec![*total])),
            }
            match latest.iter_mut().find(|(c, _)| c == client_id) {
                Some(seen) => seen.1 = *total,
                None => latest.push((*client_id, *total)),
            }
        }
        let sessions = sessions
            .into_iter()
            .map(|(session_id, starts_at, totals)| {
                Ok(SessionMedian {
                    session_id,
                    date: clock::format_date(local_date_of(zone, parse_instant(&starts_at)?)),
                    // At most a group's members: fits a u32.
                    count: totals.len() as u32,
                    median: median(totals),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let latest_spread = if latest.len() < SMALLEST_SHOWN {
            Vec::new()
        } else {
            instrument
                .bands()
                .iter()
                .map(|band| BandCount {
                    severity: band.severity,
                    words: band.severity.words(),
                    members: latest
                        .iter()
                        .filter(|(_, total)| instrument.severity(*total) == band.severity)
                        .count() as u32,
                })
                .collect()
        };
        summary.push(GroupMeasure {
            instrument,
            sessions,
            latest_spread,
        });
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::MeasuresViewed)
            .on("group", group_id)
            .detail("summary"),
    )?;
    Ok(summary)
}
