//! A client's treatment goals and the ratings session notes give them.

use chrono::NaiveDate;
use rusqlite::params;

use super::access;
use super::model::goal::{goal_by_id, goal_row, SELECT_GOAL};
pub use super::model::goal::{Goal, GoalStatus};
use super::model::member_record::MemberRecord;
use crate::audit::{Action, Event};
use crate::clock::{self, local_date_of, parse_date, parse_instant, practice_zone};
use crate::error::{Error, Result};
use crate::signed_in::SignedIn;

pub const MAX_GOAL_CHARS: usize = 500;

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GoalInput {
    pub text: String,
    /// "YYYY-MM-DD".
    pub started_on: String,
    pub target_on: Option<String>,
    pub status: GoalStatus,
}

/// One session's rating of a goal, for the trend chart.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GoalRatingPoint {
    pub session_id: i64,
    /// Local date of the session, "YYYY-MM-DD".
    pub date: String,
    pub rating: u8,
    /// As the client's record shows it (other members redacted).
    pub comment: String,
}

impl std::fmt::Debug for GoalRatingPoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GoalRatingPoint(session {})", self.session_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GoalProgress {
    pub goal: Goal,
    /// Ratings from signed notes, oldest first.
    pub ratings: Vec<GoalRatingPoint>,
}

fn validate(input: &GoalInput) -> Result<(String, NaiveDate, Option<NaiveDate>)> {
    let text = input.text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "Describe the goal in a sentence."));
    }
    if text.chars().count() > MAX_GOAL_CHARS {
        return Err(Error::invalid(
            "text",
            format!("Keep the goal under {MAX_GOAL_CHARS} characters."),
        ));
    }
    let started = parse_date("startedOn", &input.started_on)?;
    let target = input
        .target_on
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| parse_date("targetOn", t))
        .transpose()?;
    if let Some(t) = target {
        if t < started {
            return Err(Error::invalid(
                "targetOn",
                "The target date must be on or after the start.",
            ));
        }
    }
    Ok((text.to_owned(), started, target))
}

pub fn create_goal(signed_in: &SignedIn, client_id: i64, input: GoalInput) -> Result<Goal> {
    access::require_client(signed_in, client_id)?;
    crate::clients::by_id(signed_in.conn(), client_id)?;
    let (text, started, target) = validate(&input)?;
    let now = clock::now_text();
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "INSERT INTO goals (client_id, text, started_on, target_on, status, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            client_id,
            text,
            clock::format_date(started),
            target.map(clock::format_date),
            input.status.as_db(),
            signed_in.actor().staff_id,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GoalCreated)
            .on("client", client_id)
            .detail(format!("goal={id}")),
    )?;
    tx.commit()?;
    goal_by_id(signed_in.conn(), id)
}

pub fn update_goal(signed_in: &SignedIn, goal_id: i64, input: GoalInput) -> Result<Goal> {
    access::require_notes(signed_in)?;
    let goal = goal_by_id(signed_in.conn(), goal_id)?;
    access::require_client(signed_in, goal.client_id)?;
    let (text, started, target) = validate(&input)?;
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "UPDATE goals SET text = ?1, started_on = ?2, target_on = ?3, status = ?4, updated_at = ?5 WHERE id = ?6",
        params![
            text,
            clock::format_date(started),
            target.map(clock::format_date),
            input.status.as_db(),
            clock::now_text(),
            goal_id
        ],
    )?;
    tx.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GoalUpdated)
            .on("client", goal.client_id)
            .detail(format!("goal={goal_id}")),
    )?;
    tx.commit()?;
    goal_by_id(signed_in.conn(), goal_id)
}

/// Every goal of a client with its ratings from signed (or pending
/// co-signature) notes, for the chart's trend. Audited as a read.
pub fn goals_of_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<GoalProgress>> {
    access::require_client(signed_in, client_id)?;
    let conn = signed_in.conn();
    let zone = practice_zone(conn)?;
    let goals: Vec<Goal> = conn
        .prepare(&format!(
            "{SELECT_GOAL} WHERE client_id = ?1 ORDER BY status = 'active' DESC, started_on, id"
        ))?
        .query_map([client_id], goal_row)?
        .collect::<rusqlite::Result<_>>()?;
    let rows: Vec<(i64, i64, i64, String, u8, String)> = conn
        .prepare(
            "SELECT r.goal_id, n.id, n.session_id, s.starts_at, r.rating, r.comment
             FROM goal_ratings r
             JOIN session_notes n ON n.id = r.note_id
             JOIN sessions s ON s.id = n.session_id
             WHERE r.client_id = ?1 AND r.rating IS NOT NULL
               -- Found through the client's goals (goal_ratings_by_goal):
               -- ratings of other goals are not shown anyway, and there is
               -- no index on client_id (a scan of every rating ever made).
               AND r.goal_id IN (SELECT id FROM goals WHERE client_id = ?1)
               AND EXISTS (SELECT 1 FROM note_signatures g WHERE g.note_id = n.id AND g.kind = 'sign')
             ORDER BY s.starts_at",
        )?
        .query_map([client_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out: Vec<GoalProgress> = goals
        .into_iter()
        .map(|goal| GoalProgress {
            goal,
            ratings: Vec::new(),
        })
        .collect();
    let mut records: std::collections::HashMap<i64, MemberRecord> = Default::default();
    for (goal_id, note_id, session_id, starts_at, rating, comment) in rows {
        // An empty comment has nothing to redact: no need to read the
        // note's names (a ten-year member has hundreds of rated notes).
        let comment = if comment.is_empty() {
            comment
        } else {
            let record = match records.entry(note_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(MemberRecord::for_own_text(conn, note_id, client_id)?)
                }
            };
            record.redact(&comment)
        };
        if let Some(progress) = out.iter_mut().find(|p| p.goal.id == goal_id) {
            progress.ratings.push(GoalRatingPoint {
                session_id,
                date: clock::format_date(local_date_of(zone, parse_instant(&starts_at)?)),
                rating,
                comment,
            });
        }
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::GoalsViewed).on("client", client_id),
    )?;
    Ok(out)
}
