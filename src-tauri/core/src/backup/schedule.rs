//! Where backups go, how many are kept, and what happened each time: the
//! `backup_settings` and `backup_runs` tables, the status Settings shows and
//! the warning Today shows owners and managers.

use std::path::Path;

use chrono::TimeDelta;
use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

/// Backups kept when nobody chose a number.
pub const DEFAULT_KEEP: u32 = 14;
/// Today warns once the newest good backup is older than this.
const STALE_AFTER_HOURS: i64 = 48;

/// Why the last backup failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum BackupFailure {
    FolderMissing,
    NotWritable,
    DiskFull,
    Other,
}

impl BackupFailure {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BackupFailure::FolderMissing => "folder_missing",
            BackupFailure::NotWritable => "not_writable",
            BackupFailure::DiskFull => "disk_full",
            BackupFailure::Other => "other",
        }
    }

    fn parse(text: &str) -> BackupFailure {
        match text {
            "folder_missing" => BackupFailure::FolderMissing,
            "not_writable" => BackupFailure::NotWritable,
            "disk_full" => BackupFailure::DiskFull,
            _ => BackupFailure::Other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub folder: Option<String>,
    pub keep: u32,
}

/// One attempt, as Settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupRun {
    /// RFC 3339, UTC.
    pub at: String,
    pub scheduled: bool,
    pub ok: bool,
    /// The file written (when it worked).
    pub file: Option<String>,
    pub size_bytes: Option<u64>,
    pub failure: Option<BackupFailure>,
    /// What went wrong, in words (when it failed).
    pub message: Option<String>,
}

/// The Backups card and Today's warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    pub folder: Option<String>,
    pub keep: u32,
    pub last_success: Option<BackupRun>,
    pub last_attempt: Option<BackupRun>,
    /// A calm sentence when something needs doing; none when all is well.
    pub warning: Option<String>,
}

pub(crate) fn settings(conn: &Connection) -> Result<Settings> {
    Ok(conn.query_row(
        "SELECT folder, keep FROM backup_settings WHERE id = 1",
        [],
        |r| {
            Ok(Settings {
                folder: r.get(0)?,
                keep: r.get(1)?,
            })
        },
    )?)
}

/// Owner and manager: the folder scheduled backups go to (chosen in the
/// native dialog; it must exist).
pub fn set_folder(signed_in: &SignedIn, folder: &Path) -> Result<BackupStatus> {
    signed_in.require(Capability::Administer)?;
    if !folder.is_absolute() || !folder.is_dir() {
        return Err(Error::invalid(
            "folder",
            "Choose a folder that exists, such as one on an external drive.",
        ));
    }
    let text = folder
        .to_str()
        .ok_or_else(|| Error::invalid("folder", "Choose a folder whose name Circle can store."))?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE backup_settings SET folder = ?1 WHERE id = 1",
        params![text],
    )?;
    audit::record(
        &tx,
        signed_in.chain_key(),
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::BackupSettingsChanged,
        )
        .detail("folder"),
    )?;
    tx.commit()?;
    status(signed_in)
}

/// Owner and manager: how many scheduled backups are kept (1 to 365).
pub fn set_keep(signed_in: &SignedIn, keep: u32) -> Result<BackupStatus> {
    signed_in.require(Capability::Administer)?;
    if !(1..=365).contains(&keep) {
        return Err(Error::invalid("keep", "Keep between 1 and 365 backups."));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE backup_settings SET keep = ?1 WHERE id = 1",
        params![keep],
    )?;
    audit::record(
        &tx,
        signed_in.chain_key(),
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::BackupSettingsChanged,
        )
        .detail(format!("keep={keep}")),
    )?;
    tx.commit()?;
    status(signed_in)
}

/// Owner and manager: the folder, the last good backup and the last
/// attempt, and a warning when one is due.
pub fn status(signed_in: &SignedIn) -> Result<BackupStatus> {
    signed_in.require(Capability::Administer)?;
    let conn = signed_in.conn();
    let settings = settings(conn)?;
    let last_success = last_run(conn, true)?;
    let last_attempt = last_run(conn, false)?;
    let warning = warning(&settings, last_success.as_ref(), last_attempt.as_ref())?;
    Ok(BackupStatus {
        folder: settings.folder,
        keep: settings.keep,
        last_success,
        last_attempt,
        warning,
    })
}

fn warning(
    settings: &Settings,
    last_success: Option<&BackupRun>,
    last_attempt: Option<&BackupRun>,
) -> Result<Option<String>> {
    if let Some(failed) = last_attempt.filter(|r| !r.ok) {
        return Ok(Some(format!(
            "The last backup did not work. {}",
            failed.message.as_deref().unwrap_or("")
        )));
    }
    let Some(success) = last_success else {
        return Ok(Some(if settings.folder.is_some() {
            "No backup has been made yet. Back up now from Settings → Backups.".to_owned()
        } else {
            "Backups are not set up. Choose a backup folder in Settings → Backups.".to_owned()
        }));
    };
    let at = crate::clock::parse_instant(&success.at)?;
    let age = crate::clock::now() - at;
    if age > TimeDelta::hours(STALE_AFTER_HOURS) {
        let days = age.num_days();
        return Ok(Some(format!(
            "The newest backup is {days} days old. Back up now from Settings → Backups."
        )));
    }
    Ok(None)
}

pub(crate) fn last_run(conn: &Connection, only_ok: bool) -> Result<Option<BackupRun>> {
    let sql = format!(
        "SELECT at, scheduled, ok, file, size_bytes, failure, detail FROM backup_runs {} ORDER BY id DESC LIMIT 1",
        if only_ok { "WHERE ok = 1" } else { "" }
    );
    Ok(conn
        .query_row(&sql, [], |r| {
            Ok(BackupRun {
                at: r.get(0)?,
                scheduled: r.get::<_, i64>(1)? == 1,
                ok: r.get::<_, i64>(2)? == 1,
                file: r.get(3)?,
                size_bytes: r.get::<_, Option<i64>>(4)?.map(|n| n.max(0) as u64),
                failure: r
                    .get::<_, Option<String>>(5)?
                    .map(|f| BackupFailure::parse(&f)),
                message: r.get(6)?,
            })
        })
        .optional()?)
}

/// Whether a backup already succeeded today, in the practice's zone.
pub(crate) fn succeeded_today(conn: &Connection) -> Result<bool> {
    let Some(last) = last_run(conn, true)? else {
        return Ok(false);
    };
    let zone = crate::clock::practice_zone(conn)?;
    let at = crate::clock::parse_instant(&last.at)?;
    Ok(crate::clock::local_date_of(zone, at) == crate::clock::today_in(zone))
}
