//! A client's treatment goals and the ratings session notes give them.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::access;
use super::chart::MemberRecord;
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::schedule::appointments::parse_date;
use crate::schedule::conflicts::{parse_instant, practice_zone};
use crate::schedule::recurrence::local_date_of;
use crate::staff;
use crate::vault::Session;

pub const MAX_GOAL_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum GoalStatus {
    Active,
    Met,
    Revised,
    Discontinued,
}

impl GoalStatus {
    fn as_db(self) -> &'static str {
        match self {
            GoalStatus::Active => "active",
            GoalStatus::Met => "met",
            GoalStatus::Revised => "revised",
            GoalStatus::Discontinued => "discontinued",
        }
    }
    fn from_db(text: &str) -> GoalStatus {
        match text {
            "met" => GoalStatus::Met,
            "revised" => GoalStatus::Revised,
            "discontinued" => GoalStatus::Discontinued,
            _ => GoalStatus::Active,
        }
    }
}

/// PHI: `Debug` shows ids only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Goal {
    pub id: i64,
    pub client_id: i64,
    pub text: String,
    /// "YYYY-MM-DD".
    pub started_on: String,
    pub target_on: Option<String>,
    pub status: GoalStatus,
}

impl std::fmt::Debug for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Goal({} of client {})", self.id, self.client_id)
    }
}

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

pub fn create_goal(session: &Session, client_id: i64, input: GoalInput) -> Result<Goal> {
    access::require_client(session, client_id)?;
    crate::clients::by_id(session.conn(), client_id)?;
    let (text, started, target) = validate(&input)?;
    let now = staff::now_rfc3339();
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "INSERT INTO goals (client_id, text, started_on, target_on, status, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            client_id,
            text,
            started.to_string(),
            target.map(|t| t.to_string()),
            input.status.as_db(),
            session.actor().staff_id,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::GoalCreated)
            .on("client", client_id)
            .detail(format!("goal={id}")),
    )?;
    tx.commit()?;
    goal_by_id(session.conn(), id)
}

pub fn update_goal(session: &Session, goal_id: i64, input: GoalInput) -> Result<Goal> {
    access::require_notes(session)?;
    let goal = goal_by_id(session.conn(), goal_id)?;
    access::require_client(session, goal.client_id)?;
    let (text, started, target) = validate(&input)?;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE goals SET text = ?1, started_on = ?2, target_on = ?3, status = ?4, updated_at = ?5 WHERE id = ?6",
        params![
            text,
            started.to_string(),
            target.map(|t| t.to_string()),
            input.status.as_db(),
            staff::now_rfc3339(),
            goal_id
        ],
    )?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::GoalUpdated)
            .on("client", goal.client_id)
            .detail(format!("goal={goal_id}")),
    )?;
    tx.commit()?;
    goal_by_id(session.conn(), goal_id)
}

/// Every goal of a client with its ratings from signed (or pending
/// co-signature) notes, for the chart's trend. Audited as a read.
pub fn goals_of_client(session: &Session, client_id: i64) -> Result<Vec<GoalProgress>> {
    access::require_client(session, client_id)?;
    let conn = session.conn();
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
        let record = match records.entry(note_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(MemberRecord::new(conn, note_id, client_id)?)
            }
        };
        if let Some(progress) = out.iter_mut().find(|p| p.goal.id == goal_id) {
            progress.ratings.push(GoalRatingPoint {
                session_id,
                date: local_date_of(zone, parse_instant(&starts_at)?).to_string(),
                rating,
                comment: record.redact(&comment),
            });
        }
    }
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::GoalsViewed).on("client", client_id),
    )?;
    Ok(out)
}

const SELECT_GOAL: &str = "SELECT id, client_id, text, started_on, target_on, status FROM goals";

fn goal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Goal> {
    Ok(Goal {
        id: r.get(0)?,
        client_id: r.get(1)?,
        text: r.get(2)?,
        started_on: r.get(3)?,
        target_on: r.get(4)?,
        status: GoalStatus::from_db(&r.get::<_, String>(5)?),
    })
}

pub(crate) fn goal_by_id(conn: &Connection, id: i64) -> Result<Goal> {
    conn.query_row(&format!("{SELECT_GOAL} WHERE id = ?1"), [id], goal_row)
        .optional()?
        .ok_or(Error::NotFound { what: "That goal" })
}

pub(crate) fn active_goals(conn: &Connection, client_id: i64) -> Result<Vec<Goal>> {
    Ok(conn
        .prepare(&format!(
            "{SELECT_GOAL} WHERE client_id = ?1 AND status = 'active' ORDER BY started_on, id"
        ))?
        .query_map([client_id], goal_row)?
        .collect::<rusqlite::Result<_>>()?)
}
