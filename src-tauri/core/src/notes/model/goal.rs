//! A client's treatment goals as stored: the rows a session note rates.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::stored_text::stored_as_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum GoalStatus {
    Active,
    Met,
    Revised,
    Discontinued,
}

stored_as_text!(GoalStatus {
    Active = "active",
    Met = "met",
    Revised = "revised",
    Discontinued = "discontinued",
});

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

pub(crate) const SELECT_GOAL: &str =
    "SELECT id, client_id, text, started_on, target_on, status FROM goals";

pub(crate) fn goal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Goal> {
    Ok(Goal {
        id: r.get(0)?,
        client_id: r.get(1)?,
        text: r.get(2)?,
        started_on: r.get(3)?,
        target_on: r.get(4)?,
        status: r.get(5)?,
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
