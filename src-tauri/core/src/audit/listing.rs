//! Reading the audit log back: the Audit screen and `circle-admin audit`.

use rusqlite::{params, Connection};

use super::chain::{row_to_entry, AuditEntry};
use crate::error::Result;
use crate::roles::Capability;
use crate::signed_in::SignedIn;

/// Filters for listing.
#[derive(Debug, Clone, Default, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    /// Prefix of the action, e.g. "staff." or "session.unlock".
    pub action_prefix: Option<String>,
    /// Only rows with an id below this (for paging backwards).
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

/// The Audit screen and `circle-admin audit`: owner and manager only.
pub fn list_for(signed_in: &SignedIn, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    signed_in.require(Capability::Administer)?;
    list(signed_in.conn(), filter)
}

/// Newest first.
pub(crate) fn list(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let limit = filter.limit.unwrap_or(200).clamp(1, 1000);
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, action, entity_kind, entity_id, detail FROM audit_log
         WHERE (?1 IS NULL OR actor_id = ?1)
           AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2)
           AND (?3 IS NULL OR id < ?3)
         ORDER BY id DESC LIMIT ?4",
    )?;
    let rows = stmt
        .query_map(
            params![
                filter.actor_id,
                filter.action_prefix,
                filter.before_id,
                limit
            ],
            row_to_entry,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Rows of `action` whose detail holds `needle` (an export's `sha256=…`),
/// oldest first.
pub(crate) fn with_detail(
    conn: &Connection,
    action: super::Action,
    needle: &str,
) -> Result<Vec<AuditEntry>> {
    let rows = conn
        .prepare(
            "SELECT id, at, actor_id, action, entity_kind, entity_id, detail FROM audit_log
             WHERE action = ?1 AND instr(detail, ?2) > 0 ORDER BY id",
        )?
        .query_map(params![action.as_str(), needle], row_to_entry)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
