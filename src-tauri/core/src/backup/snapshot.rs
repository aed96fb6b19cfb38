//! Consistent copies of a live database.
//!
//! With its key: SQLite's online backup from a connection holding an open
//! read transaction (so every step reads the same snapshot, and writers —
//! WAL mode — are never blocked) into a new file under the same key, so the
//! pages stay encrypted and nothing is decrypted to disk.
//!
//! Without its key (a manager's backup of clinical.db): the file and its
//! write-ahead log byte for byte, checked unchanged after the copy, again
//! if a writer got in the way.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::vault::db;
use crate::vault::secret::SecretKey;

/// Pages per step: small steps keep each one short and progress moving.
const PAGES_PER_STEP: std::os::raw::c_int = 256;
/// Attempts at a byte copy before giving up on a database that keeps changing.
const RAW_ATTEMPTS: usize = 5;

/// Opens a source connection and starts the read transaction every later
/// step reads from. Call it while nothing else in this process can write.
pub fn open_source(path: &Path, key: &SecretKey) -> Result<Connection> {
    let conn = db::open(path, key, false)?;
    conn.execute_batch("BEGIN")?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// Copies `source` (opened by [`open_source`]) into a new file `dest`
/// under `key`; `progress` gets (pages done, pages in all).
pub fn copy_encrypted(
    source: Connection,
    dest: &Path,
    key: &SecretKey,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    let mut target = db::open(dest, key, true)?;
    // A staging copy: the finished backup file is what gets flushed to
    // disk. Syncing this one as well would only hold up the practice's own
    // writes (an autosave's fsync queues behind a large flush).
    target.execute_batch("PRAGMA synchronous = OFF;")?;
    {
        let backup = Backup::new(&source, &mut target)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let p = backup.progress();
            let total = p.pagecount.max(1) as u64;
            progress(total - p.remaining.max(0) as u64, total);
            match step {
                StepResult::Done => break,
                StepResult::More => {}
                // Another connection holds a lock for a moment; the read
                // transaction keeps the snapshot, so try the step again.
                StepResult::Busy | StepResult::Locked => {
                    std::thread::yield_now();
                }
                _ => {}
            }
        }
    }
    source.execute_batch("COMMIT")?;
    drop(source);
    // Closing checkpoints the copy's own log into it: one self-contained file.
    target.close().map_err(|(_, e)| Error::from(e))?;
    Ok(())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Copies `source` and its `-wal`, if any, into `dest_dir` as `db_name`
/// and `wal_name`, byte for byte; the copy counts only if both files read
/// the same after it as during it. Returns whether a log was copied.
pub fn copy_bytes(
    source: &Path,
    dest_dir: &Path,
    db_name: &str,
    wal_name: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<bool> {
    let wal = sidecar(source, "-wal");
    for _ in 0..RAW_ATTEMPTS {
        let db_dest = dest_dir.join(db_name);
        let wal_dest = dest_dir.join(wal_name);
        let _ = std::fs::remove_file(&db_dest);
        let _ = std::fs::remove_file(&wal_dest);
        let total = std::fs::metadata(source)?.len()
            + std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        copy_file(source, &db_dest)?;
        progress(std::fs::metadata(&db_dest)?.len(), total.max(1));
        let has_wal = match std::fs::metadata(&wal) {
            Ok(m) if m.len() > 0 => {
                copy_file(&wal, &wal_dest)?;
                true
            }
            _ => false,
        };
        progress(total, total.max(1));
        let same_db =
            super::archive::sha256_file(source)? == super::archive::sha256_file(&db_dest)?;
        let same_wal = if has_wal {
            super::archive::sha256_file(&wal)? == super::archive::sha256_file(&wal_dest)?
        } else {
            std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0
        };
        if same_db && same_wal {
            return Ok(has_wal);
        }
    }
    Err(Error::Conflict {
        message: "clinical.db kept changing while it was copied. Try the backup again when no one is writing notes.".into(),
    })
}

fn copy_file(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let mut dest = super::archive::create_private(to)?;
    std::io::copy(&mut source, &mut dest)?;
    dest.sync_all()
}
