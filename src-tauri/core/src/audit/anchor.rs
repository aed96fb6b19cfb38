//! The audit chain's anchor. The chain itself shows a row edited, moved or
//! deleted in the middle; it cannot show its newest rows deleted, because
//! what is left is still a valid chain. So its head (how many rows, the last
//! row's MAC) is kept outside practice.db too — in keyring.json, and in
//! every backup's manifest — and `verify` reports a chain that falls short
//! of it or no longer ends the way it did.
//!
//! The anchor only moves forward from a chain that still agrees with it: a
//! truncated chain keeps its old anchor (and keeps being reported) even as
//! new rows are appended.

use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::error::Result;
use crate::vault::crypto;
use crate::vault::keyring::{AuditAnchor, Keyring};
use crate::vault::secret::SecretKey;

/// Set in `vault_secrets` once a vault's chain has been anchored: from then
/// on an anchor missing from keyring.json is reported, not silently remade.
const KEPT_MARKER: &str = "audit_anchor_kept";

/// The chain's newest row: its id (the row count, ids run 1, 2, 3 …) and MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub rows: i64,
    pub mac: Vec<u8>,
}

pub fn head(conn: &Connection, schema: &str) -> Result<Option<Head>> {
    Ok(conn
        .query_row(
            &format!("SELECT id, mac FROM {schema}.audit_log ORDER BY id DESC LIMIT 1"),
            [],
            |r| {
                Ok(Head {
                    rows: r.get(0)?,
                    mac: r.get(1)?,
                })
            },
        )
        .optional()?)
}

fn tag(chain_key: &SecretKey, rows: i64, last_mac: &str) -> Vec<u8> {
    let mac = Zeroizing::new(crypto::hmac(chain_key, b"circle/v1/audit-anchor"));
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&mac[..32]);
    let key = SecretKey::from_bytes(bytes);
    crypto::hmac(&key, format!("{rows}:{last_mac}").as_bytes())
}

/// The anchor for `head`, tagged under the chain key.
pub fn anchor_for(chain_key: &SecretKey, head: &Head) -> AuditAnchor {
    let last_mac = hex::encode(&head.mac);
    AuditAnchor {
        rows: head.rows,
        tag: hex::encode(tag(chain_key, head.rows, &last_mac)),
        last_mac,
    }
}

fn authentic(chain_key: &SecretKey, anchor: &AuditAnchor) -> bool {
    hex::decode(&anchor.tag).is_ok_and(|t| t == tag(chain_key, anchor.rows, &anchor.last_mac))
}

/// Whether the chain still holds the anchored row, unchanged.
fn agrees(conn: &Connection, anchor: &AuditAnchor) -> Result<bool> {
    let mac: Option<Vec<u8>> = conn
        .query_row(
            "SELECT mac FROM audit_log WHERE id = ?1",
            params![anchor.rows],
            |r| r.get(0),
        )
        .optional()?;
    Ok(mac.is_some_and(|m| hex::encode(m) == anchor.last_mac))
}

fn kept(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM vault_secrets WHERE name = ?1",
            params![KEPT_MARKER],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Moves the keyring's anchor to the chain's head when the chain still
/// agrees with the anchor it has. Returns whether the keyring changed (the
/// caller saves it, under the vault lock).
pub fn advance(keyring: &mut Keyring, conn: &Connection, chain_key: &SecretKey) -> Result<bool> {
    let Some(head) = head(conn, "main")? else {
        return Ok(false);
    };
    match &keyring.audit_anchor {
        None if kept(conn)? => return Ok(false),
        None => {
            conn.execute(
                "INSERT OR IGNORE INTO vault_secrets (name, value) VALUES (?1, x'01')",
                params![KEPT_MARKER],
            )?;
        }
        Some(anchor) => {
            if anchor.rows == head.rows || !authentic(chain_key, anchor) || !agrees(conn, anchor)? {
                return Ok(false);
            }
        }
    }
    keyring.audit_anchor = Some(anchor_for(chain_key, &head));
    Ok(true)
}

/// What `verify` says about the chain against its anchor: nothing when they
/// agree.
pub fn findings(
    conn: &Connection,
    chain_key: &SecretKey,
    anchor: Option<&AuditAnchor>,
) -> Result<Vec<String>> {
    let Some(anchor) = anchor else {
        return Ok(if kept(conn)? {
            vec!["keyring.json: the audit log's anchor is missing (someone removed it), so Circle cannot tell whether the newest audit rows were deleted. Restore from the newest good backup.".into()]
        } else {
            Vec::new()
        });
    };
    if !authentic(chain_key, anchor) {
        return Ok(vec!["keyring.json: the audit log's anchor was changed by hand. Restore from the newest good backup.".into()]);
    }
    let rows = head(conn, "main")?.map_or(0, |h| h.rows);
    if rows < anchor.rows {
        return Ok(vec![format!(
            "audit log: the chain is shorter than its anchor ({rows} rows; the anchor recorded {}): the newest rows were deleted. Restore from the newest good backup.",
            anchor.rows
        )]);
    }
    if !agrees(conn, anchor)? {
        return Ok(vec![format!(
            "audit log: row {} is not the row its anchor recorded: rows were deleted and written again. Restore from the newest good backup.",
            anchor.rows
        )]);
    }
    Ok(Vec::new())
}
