//! Audit rows of clinical writes, made crash-safe.
//!
//! A clinical write (a draft, a signature, an addendum, a goal…) changes
//! clinical.db while its audit row belongs to practice.db's chain. SQLite
//! commits a transaction over two WAL databases one file after the other, so
//! a crash between the two could leave an audit row for a signature that was
//! never stored — exactly what `verify` reports as a signature taken out of
//! clinical.db, for ever. So a clinical write never writes practice.db:
//!
//! 1. the change and its audit row, waiting in `clinical.audit_outbox`,
//!    commit together in clinical.db (one file: all or nothing);
//! 2. the waiting rows are then appended to the chain, with the time they
//!    happened, and practice.db's `audit_outbox_moved` mark is raised past
//!    them, in one practice.db commit;
//! 3. the rows at or below the mark are deleted from the outbox (in the next
//!    clinical write's own transaction, or at sign-in).
//!
//! A crash after 1 leaves rows that step 2 moves at the next clinical write
//! or sign-in; a crash after 2 leaves rows that step 3 deletes without
//! chaining them twice. Nothing can be chained twice even if clinical.db is
//! put back to an older copy: outbox ids only grow past the mark.

use rusqlite::{params, Connection, OptionalExtension};

use super::chain::{append_entry, Event, Pending};
use crate::error::Result;
use crate::vault::db::{self, WriteTransaction, CLINICAL_SCHEMA as CLINICAL};
use crate::vault::secret::SecretKey;

/// A write transaction whose every change is in clinical.db: its audit rows
/// wait in clinical.db's outbox and join the chain after the commit.
/// Derefs to the connection, so it is used like one.
pub struct ClinicalWrite<'c> {
    tx: WriteTransaction<'c>,
    conn: &'c Connection,
    chain_key: &'c SecretKey,
}

impl<'c> ClinicalWrite<'c> {
    pub(crate) fn begin(conn: &'c Connection, chain_key: &'c SecretKey) -> Result<Self> {
        let tx = db::write_transaction(conn)?;
        // Step 3 of the write before: its rows are chained already.
        forget_chained(&tx)?;
        Ok(ClinicalWrite {
            tx,
            conn,
            chain_key,
        })
    }

    /// Records `event` beside the change, in clinical.db.
    pub fn audit(&self, event: Event<'_>) -> Result<()> {
        stage(&self.tx, Pending::now(event))
    }

    /// Commits the change with its audit rows, then moves them to the chain.
    /// The change is stored once the first step succeeds; a failure of the
    /// second (a disk that filled in between) only delays the move to the
    /// next clinical write or sign-in, so it is not reported as a failed
    /// write: the person's change was stored, and its audit row with it.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        let _ = chain_waiting(self.conn, self.chain_key);
        Ok(())
    }
}

impl std::ops::Deref for ClinicalWrite<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.tx
    }
}

fn stage(conn: &Connection, pending: Pending) -> Result<()> {
    // Past both the outbox's last row and the mark: an id at or below the
    // mark would be taken for a row already chained.
    conn.execute(
        &format!(
            "INSERT INTO {CLINICAL}.audit_outbox (id, at, actor_id, action, entity_kind, entity_id, detail)
             VALUES (max(coalesce((SELECT max(id) FROM {CLINICAL}.audit_outbox), 0),
                         coalesce((SELECT moved_through FROM main.audit_outbox_moved WHERE id = 1), 0)) + 1,
                     ?1, ?2, ?3, ?4, ?5, ?6)"
        ),
        params![
            pending.at,
            pending.actor_id,
            pending.action,
            pending.entity_kind,
            pending.entity_id,
            pending.detail
        ],
    )?;
    Ok(())
}

/// Appends every waiting row to the chain and clears the outbox; returns how
/// many were chained. Needs clinical.db attached. Runs at each sign-in that
/// holds the clinical key and before `verify`; after a clinical write only
/// [`chain_waiting`] runs, and the next write clears what it chained.
pub fn move_to_chain(conn: &Connection, chain_key: &SecretKey) -> Result<usize> {
    let chained = chain_waiting(conn, chain_key)?;
    let tx = db::write_transaction(conn)?;
    forget_chained(&tx)?;
    tx.commit()?;
    Ok(chained)
}

/// Step 2: chains the waiting rows and raises the mark past them, in one
/// practice.db commit.
fn chain_waiting(conn: &Connection, chain_key: &SecretKey) -> Result<usize> {
    let tx = db::write_transaction(conn)?;
    let waiting: Vec<(i64, Pending)> = tx
        .prepare(&format!(
            "SELECT id, at, actor_id, action, entity_kind, entity_id, detail
             FROM {CLINICAL}.audit_outbox WHERE id > ?1 ORDER BY id"
        ))?
        .query_map([moved_through(&tx)?], |r| {
            Ok((
                r.get(0)?,
                Pending {
                    at: r.get(1)?,
                    actor_id: r.get(2)?,
                    action: r.get(3)?,
                    entity_kind: r.get(4)?,
                    entity_id: r.get(5)?,
                    detail: r.get(6)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let Some(last) = waiting.last().map(|(id, _)| *id) else {
        return Ok(0);
    };
    let chained = waiting.len();
    for (_, pending) in waiting {
        append_entry(&tx, chain_key, pending)?;
    }
    tx.execute(
        "INSERT INTO main.audit_outbox_moved (id, moved_through) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET moved_through = excluded.moved_through",
        [last],
    )?;
    tx.commit()?;
    Ok(chained)
}

/// The outbox id up to which rows are in the chain.
fn moved_through(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT moved_through FROM main.audit_outbox_moved WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Step 3: deletes the rows that are in the chain, in clinical.db alone.
fn forget_chained(conn: &Connection) -> Result<()> {
    conn.execute(
        &format!("DELETE FROM {CLINICAL}.audit_outbox WHERE id <= ?1"),
        [moved_through(conn)?],
    )?;
    Ok(())
}
