//! Making a backup: gathered under the connection lock (the keyring read and
//! the databases' read snapshots started while nothing in Circle can write),
//! then copied, checked, packed and written with the lock released.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use super::archive::{self, CLINICAL_DB, CLINICAL_WAL, KEYRING, PRACTICE_DB};
use super::manifest::{self, Counts, Manifest, PartDigest};
use super::outcome::{Failed, Finished, Written};
use super::schedule::{self, BackupFailure};
use super::snapshot;
use crate::audit::anchor;
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::vault::db;
use crate::vault::location::VaultLocation;
use crate::vault::lock::VaultLock;
use crate::vault::secret::SecretKey;

/// Every file Circle writes into a backup folder starts with this, and only
/// such files are ever pruned.
pub const FILE_PREFIX: &str = "circle-backup-";

/// Where a backup under way is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum BackupStage {
    Practice,
    Clinical,
    Writing,
    Pruning,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgress {
    pub stage: BackupStage,
    /// 0 to 1 within the stage.
    pub fraction: f64,
}

/// A backup ready to run: its read snapshots are open.
pub struct PreparedBackup {
    location: VaultLocation,
    folder: PathBuf,
    scheduled: bool,
    keep: Option<u32>,
    zone: Tz,
    practice_key: SecretKey,
    clinical_key: Option<SecretKey>,
    practice_source: Connection,
    clinical_source: Option<Connection>,
    keyring_bytes: Vec<u8>,
}

impl std::fmt::Debug for PreparedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBackup")
            .field("folder", &self.folder)
            .field("scheduled", &self.scheduled)
            .finish_non_exhaustive()
    }
}

/// "Back up now": owner and manager, into `folder` or the practice's
/// backup folder.
pub fn prepare(signed_in: &SignedIn, folder: Option<&Path>) -> Result<PreparedBackup> {
    signed_in.require(Capability::Administer)?;
    let settings = schedule::settings(signed_in.conn())?;
    let (folder, keep) = match folder {
        // A relative folder would mean wherever Circle happened to start.
        Some(folder) if !folder.is_absolute() => {
            return Err(Error::invalid(
                "folder",
                "Choose the folder with the folder picker, such as one on an external drive.",
            ))
        }
        Some(folder) => (folder.to_path_buf(), None),
        None => match settings.folder {
            Some(folder) => (PathBuf::from(folder), Some(settings.keep)),
            None => return Err(Error::invalid("folder", "Choose a backup folder first.")),
        },
    };
    prepare_into(signed_in, folder, false, keep)
}

/// The day's backup, when a folder is set and none has succeeded today (in
/// the practice's zone). Taken at any role's sign-in or lock: a practice
/// where only the front desk signs in is still backed up.
pub fn prepare_scheduled(signed_in: &SignedIn) -> Result<Option<PreparedBackup>> {
    let settings = schedule::settings(signed_in.conn())?;
    let Some(folder) = settings.folder else {
        return Ok(None);
    };
    if schedule::succeeded_today(signed_in.conn())? {
        return Ok(None);
    }
    prepare_into(signed_in, PathBuf::from(folder), true, Some(settings.keep)).map(Some)
}

fn prepare_into(
    signed_in: &SignedIn,
    folder: PathBuf,
    scheduled: bool,
    keep: Option<u32>,
) -> Result<PreparedBackup> {
    let location = signed_in.location().clone();
    let keys = signed_in.keys();
    let zone = crate::clock::practice_zone(signed_in.conn())?;
    // The keyring as it stands with the databases: no key change can come
    // between reading it and starting their snapshots.
    let _lock = VaultLock::acquire(&location)?;
    let keyring_bytes = std::fs::read(location.keyring_path())?;
    let practice_source = snapshot::open_source(&location.practice_db_path(), &keys.practice)?;
    let clinical_source = keys
        .clinical
        .as_ref()
        .map(|key| snapshot::open_source(&location.clinical_db_path(), key))
        .transpose()?;
    Ok(PreparedBackup {
        location,
        folder,
        scheduled,
        keep,
        zone,
        practice_key: keys.practice.clone(),
        clinical_key: keys.clinical.clone(),
        practice_source,
        clinical_source,
        keyring_bytes,
    })
}

impl PreparedBackup {
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Copies, checks and writes the backup, then prunes. Never fails as
    /// such: the outcome says what happened, to be recorded.
    pub fn run(self, progress: &mut dyn FnMut(BackupProgress)) -> Finished {
        let at = crate::clock::now();
        let location = self.location.clone();
        let practice_key = self.practice_key.clone();
        let folder = self.folder.clone();
        let scheduled = self.scheduled;
        let result = self.write(at, progress).map_err(|e| failure(&e, &folder));
        Finished {
            at,
            scheduled,
            folder,
            result,
            location,
            practice_key,
        }
    }

    fn write(self, at: DateTime<Utc>, progress: &mut dyn FnMut(BackupProgress)) -> Result<Written> {
        if !self.folder.is_dir() {
            return Err(Error::Io(std::io::Error::from(
                std::io::ErrorKind::NotFound,
            )));
        }
        let staging = tempfile::Builder::new()
            .prefix(".backup-")
            .tempdir_in(self.location.dir())?;
        let dir = staging.path();
        let mut report = |stage, done: u64, total: u64| {
            progress(BackupProgress {
                stage,
                fraction: (done as f64 / total.max(1) as f64).min(1.0),
            })
        };

        snapshot::copy_encrypted(
            self.practice_source,
            &dir.join(PRACTICE_DB),
            &self.practice_key,
            &mut |d, t| report(BackupStage::Practice, d, t),
        )?;
        let (clinical_copy, has_wal) = match (self.clinical_source, &self.clinical_key) {
            (Some(source), Some(key)) => {
                snapshot::copy_encrypted(source, &dir.join(CLINICAL_DB), key, &mut |d, t| {
                    report(BackupStage::Clinical, d, t)
                })?;
                ("snapshot", false)
            }
            _ => {
                let wal = snapshot::copy_bytes(
                    &self.location.clinical_db_path(),
                    dir,
                    CLINICAL_DB,
                    CLINICAL_WAL,
                    &mut |d, t| report(BackupStage::Clinical, d, t),
                )?;
                ("file", wal)
            }
        };
        std::fs::write(dir.join(KEYRING), &self.keyring_bytes)?;

        let mut names = vec![KEYRING, PRACTICE_DB, CLINICAL_DB];
        if has_wal {
            names.push(CLINICAL_WAL);
        }
        // Read what the snapshot holds first, then hash: nothing opens the
        // copies after their digests are taken.
        let mut manifest = self::describe(
            dir,
            &self.practice_key,
            self.clinical_key
                .as_ref()
                .filter(|_| clinical_copy == "snapshot"),
            at,
            clinical_copy,
        )?;
        for name in &names {
            let path = dir.join(name);
            manifest.parts.push(PartDigest {
                name: (*name).to_owned(),
                size: std::fs::metadata(&path)?.len(),
                sha256: archive::sha256_file(&path)?,
            });
        }
        let manifest_json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let mac = manifest::mac(&self.practice_key, &manifest_json);

        let name = file_name(&self.folder, self.zone, at);
        let target = self.folder.join(&name);
        let total: u64 = manifest.parts.iter().map(|p| p.size).sum();
        let mut written = 0u64;
        let paths: Vec<(&str, PathBuf)> = names.iter().map(|n| (*n, dir.join(n))).collect();
        let borrowed: Vec<(&str, &Path)> = paths.iter().map(|(n, p)| (*n, p.as_path())).collect();
        let size = write_atomically(&target, |file| {
            archive::write(file, &manifest_json, mac.as_bytes(), &borrowed, &mut |n| {
                written += n;
                report(BackupStage::Writing, written, total);
            })
        })?;
        drop(staging);

        let pruned = match self.keep {
            Some(keep) => {
                report(BackupStage::Pruning, 0, 1);
                let pruned = prune(
                    &self.folder,
                    &self.practice_key,
                    &manifest.practice_id,
                    keep,
                );
                report(BackupStage::Pruning, 1, 1);
                pruned
            }
            None => Vec::new(),
        };
        Ok(Written {
            file: target,
            size,
            manifest,
            pruned,
        })
    }
}

/// Reads what the snapshot holds, for the manifest.
fn describe(
    dir: &Path,
    practice_key: &SecretKey,
    clinical_key: Option<&SecretKey>,
    at: DateTime<Utc>,
    clinical_copy: &str,
) -> Result<Manifest> {
    let practice = db::open(&dir.join(PRACTICE_DB), practice_key, false)?;
    let count = |conn: &Connection, sql: &str| -> Result<i64> {
        Ok(conn.query_row(sql, [], |r| r.get(0))?)
    };
    let (practice_id, practice_name): (String, String) = practice.query_row(
        "SELECT practice_uid, name FROM practice_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let chain_key = crate::audit::chain_key(&practice)?;
    let head = anchor::head(&practice, "main")?;
    let (signed_notes, goals) = match clinical_key {
        Some(key) => {
            let clinical = db::open(&dir.join(CLINICAL_DB), key, false)?;
            let signed = count(
                &clinical,
                "SELECT count(*) FROM note_signatures WHERE kind = 'sign'",
            )?;
            let goals = count(&clinical, "SELECT count(*) FROM goals")?;
            clinical.close().map_err(|(_, e)| Error::from(e))?;
            (Some(signed), Some(goals))
        }
        None => (None, None),
    };
    let counts = Counts {
        staff: count(&practice, "SELECT count(*) FROM staff WHERE active = 1")?,
        clients: count(&practice, "SELECT count(*) FROM clients")?,
        groups: count(&practice, "SELECT count(*) FROM groups")?,
        sessions: count(&practice, "SELECT count(*) FROM sessions")?,
        attendance: count(&practice, "SELECT count(*) FROM attendance")?,
        audit_rows: head.as_ref().map_or(0, |h| h.rows),
        signed_notes,
        goals,
    };
    practice.close().map_err(|(_, e)| Error::from(e))?;
    Ok(Manifest {
        format: manifest::FORMAT,
        app_version: crate::app_info::APP_VERSION.to_owned(),
        created_at: crate::clock::instant_text(at),
        practice_id,
        practice_name,
        counts,
        parts: Vec::new(),
        audit_anchor: head.map(|h| anchor::anchor_for(&chain_key, &h)),
        clinical_copy: clinical_copy.to_owned(),
    })
}

/// `circle-backup-2026-12-01-1830.circlebackup` in the practice's local
/// time; a second backup in the same minute gets `-2`, `-3` ….
fn file_name(folder: &Path, zone: Tz, at: DateTime<Utc>) -> String {
    let stamp = at.with_timezone(&zone).format("%Y-%m-%d-%H%M").to_string();
    let mut name = format!("{FILE_PREFIX}{stamp}.{}", archive::EXTENSION);
    let mut n = 2;
    while folder.join(&name).exists() {
        name = format!("{FILE_PREFIX}{stamp}-{n}.{}", archive::EXTENSION);
        n += 1;
    }
    name
}

/// Writes through `fill` into a hidden temp file in the same folder, then
/// fsync → rename → fsync folder: a crash leaves no half backup under the
/// real name. Returns the file's size.
fn write_atomically(
    target: &Path,
    fill: impl FnOnce(File) -> std::io::Result<File>,
) -> Result<u64> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.partial"));
    let result = (|| {
        let _ = std::fs::remove_file(&temp);
        let file = archive::create_private(&temp)?;
        let file = fill(file)?;
        file.sync_all()?;
        let size = file.metadata()?.len();
        drop(file);
        std::fs::rename(&temp, target)?;
        crate::atomic_file::sync_dir(dir)?;
        Ok::<u64, std::io::Error>(size)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    Ok(result?)
}

/// Keeps the newest `keep` backups in `folder` that Circle made for this
/// practice (name, manifest MAC under this practice key, practice id);
/// removes the older ones. Anything else in the folder is left alone.
/// Returns what was removed.
pub(crate) fn prune(
    folder: &Path,
    practice_key: &SecretKey,
    practice_id: &str,
    keep: u32,
) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut ours: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(FILE_PREFIX))
                && path.extension().and_then(|e| e.to_str()) == Some(archive::EXTENSION)
        })
        .filter_map(|path| {
            let (json, mac) = archive::read_head(&path).ok()?;
            if !manifest::mac_matches(practice_key, &json, &mac) {
                return None;
            }
            let manifest: Manifest = serde_json::from_slice(&json).ok()?;
            (manifest.practice_id == practice_id).then_some((manifest.created_at, path))
        })
        .collect();
    ours.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    ours.into_iter()
        .skip(keep as usize)
        .filter(|(_, path)| std::fs::remove_file(path).is_ok())
        .map(|(_, path)| path)
        .collect()
}

/// Words for why a backup was not written.
fn failure(error: &Error, folder: &Path) -> Failed {
    let shown = folder.display();
    let kind = match error {
        _ if !folder.is_dir() => BackupFailure::FolderMissing,
        Error::Io(e) => io_failure(e),
        // SQLITE_FULL: "database or disk is full".
        Error::Storage { detail } if detail.contains("disk is full") => BackupFailure::DiskFull,
        _ => BackupFailure::Other,
    };
    let message = match kind {
        BackupFailure::FolderMissing => format!(
            "The backup folder {shown} cannot be found. If it is on a drive, plug the drive in; otherwise choose the folder again."
        ),
        BackupFailure::NotWritable => format!(
            "Circle may not write in the backup folder {shown}. Choose another folder, or ask whoever looks after this computer to allow it."
        ),
        BackupFailure::DiskFull => format!(
            "The disk that holds {shown} is full. Make room on it, or choose another folder."
        ),
        BackupFailure::Other => format!("The backup could not be written: {error}"),
    };
    Failed { kind, message }
}

fn io_failure(e: &std::io::Error) -> BackupFailure {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => BackupFailure::FolderMissing,
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => BackupFailure::NotWritable,
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
            BackupFailure::DiskFull
        }
        _ => BackupFailure::Other,
    }
}
