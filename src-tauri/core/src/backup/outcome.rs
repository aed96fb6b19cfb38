//! How a backup ended, and recording it: a `backup_runs` row and an audit
//! entry, on the signed-in connection or — for a backup that finished after
//! the lock — on a connection of its own.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::manifest::Manifest;
use super::schedule::{last_run, BackupFailure, BackupRun};
use crate::audit::anchor;
use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::signed_in::SignedIn;
use crate::vault::db;
use crate::vault::location::VaultLocation;
use crate::vault::lock::VaultLock;
use crate::vault::secret::SecretKey;

/// A written backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub file: PathBuf,
    pub size: u64,
    pub manifest: Manifest,
    /// Older backups removed to keep the newest N.
    pub pruned: Vec<PathBuf>,
}

/// Why a backup was not written, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub kind: BackupFailure,
    pub message: String,
}

/// How a run ended; record it with [`record`] (or
/// [`Finished::record_alone`] once signed out).
#[derive(Debug)]
pub struct Finished {
    pub at: DateTime<Utc>,
    pub scheduled: bool,
    pub folder: PathBuf,
    pub result: std::result::Result<Written, Failed>,
    pub(crate) location: VaultLocation,
    pub(crate) practice_key: SecretKey,
}

impl Finished {
    /// Records the outcome on a connection of its own, for a backup that
    /// finished after the person signed out (a backup at lock).
    pub fn record_alone(&self) -> Result<()> {
        let conn = db::open(&self.location.practice_db_path(), &self.practice_key, false)?;
        record_on(&conn, None, self)?;
        let chain_key = crate::audit::chain_key(&conn)?;
        let _lock = VaultLock::acquire(&self.location)?;
        let path = self.location.keyring_path();
        let mut keyring = crate::vault::keyring::Keyring::load(&path)?;
        if anchor::advance(&mut keyring, &conn, &chain_key)? {
            keyring.save(&path)?;
        }
        Ok(())
    }

    /// The outcome as Settings shows it.
    pub fn summary(&self) -> BackupRun {
        run_of(self)
    }
}

/// Records how a backup ended (a row and an audit entry), on the signed-in
/// connection. Returns the row as Settings shows it.
pub fn record(signed_in: &SignedIn, finished: &Finished) -> Result<BackupRun> {
    record_on(signed_in.conn(), Some(signed_in.actor().staff_id), finished)?;
    last_run(signed_in.conn(), false)?.ok_or(Error::NotFound { what: "The backup" })
}

pub(crate) fn run_of(finished: &Finished) -> BackupRun {
    let (file, size_bytes, failure, message) = match &finished.result {
        Ok(w) => (Some(w.file.display().to_string()), Some(w.size), None, None),
        Err(f) => (None, None, Some(f.kind), Some(f.message.clone())),
    };
    BackupRun {
        at: crate::clock::instant_text(finished.at),
        scheduled: finished.scheduled,
        ok: finished.result.is_ok(),
        file,
        size_bytes,
        failure,
        message,
    }
}

pub(crate) fn record_on(conn: &Connection, actor: Option<i64>, finished: &Finished) -> Result<()> {
    let chain_key = audit::chain_key(conn)?;
    let at = crate::clock::instant_text(finished.at);
    let tx = crate::vault::db::write_transaction(conn)?;
    match &finished.result {
        Ok(written) => {
            tx.execute(
                "INSERT INTO backup_runs (at, scheduled, ok, file, size_bytes) VALUES (?1, ?2, 1, ?3, ?4)",
                params![
                    at,
                    finished.scheduled,
                    written.file.display().to_string(),
                    written.size as i64
                ],
            )?;
            audit::record(
                &tx,
                &chain_key,
                Event::new(actor, Action::BackupWritten).detail(format!(
                    "scheduled={} bytes={} pruned={}",
                    finished.scheduled,
                    written.size,
                    written.pruned.len()
                )),
            )?;
        }
        Err(failed) => {
            tx.execute(
                "INSERT INTO backup_runs (at, scheduled, ok, failure, detail) VALUES (?1, ?2, 0, ?3, ?4)",
                params![
                    at,
                    finished.scheduled,
                    failed.kind.as_str(),
                    failed.message
                ],
            )?;
            audit::record(
                &tx,
                &chain_key,
                Event::new(actor, Action::BackupFailed)
                    .detail(format!("reason={}", failed.kind.as_str())),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}
