//! Restoring: everything is checked before anything is touched. The parts
//! are unpacked into a hidden folder beside the target and checked against
//! the manifest; the login given must open the backup's keyring and its key
//! must verify the manifest's MAC and open practice.db. Only then is the
//! current vault moved aside (never deleted) and the restored one put in
//! its place — or into a new folder.

use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;

use super::archive::{self, Damage, CLINICAL_DB, KEYRING, MANIFEST, PRACTICE_DB};
use super::manifest::{self, Counts, Manifest};
use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::vault::keyring::{login_id, Keyring, RECOVERY_ID};
use crate::vault::location::VaultLocation;
use crate::vault::secret::{Passphrase, SecretKey};
use crate::vault::{db, recovery_code};

/// What a backup says it holds, and whether its parts match. Needs no
/// secret (the manifest's MAC is checked when a login is given).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummary {
    pub practice_name: String,
    pub practice_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub app_version: String,
    pub counts: Counts,
    pub size_bytes: u64,
    /// Every part is there with the size and SHA-256 the manifest names.
    pub parts_match: bool,
    /// Why it cannot be restored, naming the part (when it cannot).
    pub problem: Option<String>,
    /// Whether clinical.db was copied by a login without its key.
    pub clinical_copied_without_key: bool,
}

/// Who opens the backup.
pub enum Credential {
    Passphrase {
        username: String,
        passphrase: Passphrase,
    },
    RecoveryCode(Passphrase),
}

/// Where the backup goes.
#[derive(Debug, Clone)]
pub enum Target {
    /// This vault's folder; a vault already there is moved aside.
    Replace(VaultLocation),
    /// A folder that does not exist yet, or is empty.
    NewFolder(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Restored {
    pub location: VaultLocation,
    /// Where the vault that was there before now is (never deleted).
    pub moved_aside: Option<PathBuf>,
    pub summary: BackupSummary,
}

fn damaged(d: Damage) -> Error {
    Error::BackupDamaged {
        part: d.part,
        reason: d.reason,
    }
}

fn summary(manifest: &Manifest, size_bytes: u64, problem: Option<&Damage>) -> BackupSummary {
    BackupSummary {
        practice_name: manifest.practice_name.clone(),
        practice_id: manifest.practice_id.clone(),
        created_at: manifest.created_at.clone(),
        app_version: manifest.app_version.clone(),
        counts: manifest.counts.clone(),
        size_bytes,
        parts_match: problem.is_none(),
        problem: problem.map(|d| format!("{}: {}", d.part, d.reason)),
        clinical_copied_without_key: manifest.clinical_copy == "file",
    }
}

/// Reads a backup through, hashing every part: what it holds and whether
/// it is whole. A file whose manifest cannot be read at all is an error.
pub fn inspect(path: &Path) -> Result<BackupSummary> {
    let size = std::fs::metadata(path)?.len();
    let (json, _) = archive::read_head(path).map_err(damaged)?;
    let manifest: Manifest = serde_json::from_slice(&json)
        .map_err(|_| damaged(Damage::new(MANIFEST, "it cannot be read (it is damaged)")))?;
    let problem = archive::read(path, None, &mut |_| {})
        .and_then(|contents| manifest::check(&contents))
        .err();
    Ok(summary(&manifest, size, problem.as_ref()))
}

/// The practice id of the vault in `location`, when its keyring says.
pub fn practice_of(location: &VaultLocation) -> Option<String> {
    Keyring::load(&location.keyring_path())
        .ok()
        .and_then(|k| k.practice_id)
}

/// Restores `path` into `target` once every check has passed.
/// `on_bytes` sees (bytes read, bytes in all) while unpacking.
pub fn restore(
    path: &Path,
    credential: &Credential,
    target: &Target,
    on_bytes: &mut dyn FnMut(u64, u64),
) -> Result<Restored> {
    let size = std::fs::metadata(path)?.len();
    let dest = match target {
        Target::Replace(location) => location.dir().to_path_buf(),
        Target::NewFolder(dir) => {
            if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
                return Err(Error::invalid(
                    "folder",
                    "Choose an empty folder: Circle restores a vault only into a folder of its own.",
                ));
            }
            dir.clone()
        }
    };
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".circle-restore-")
        .tempdir_in(parent)?;
    let dir = staging.path();

    // 1. Every part whole and as the manifest says.
    let mut read = 0u64;
    let contents = archive::read(path, Some(dir), &mut |n| {
        read += n;
        on_bytes(read, size);
    })
    .map_err(damaged)?;
    let manifest = manifest::check(&contents).map_err(damaged)?;
    if let Target::Replace(location) = target {
        if let Some(current) = practice_of(location) {
            if current != manifest.practice_id {
                return Err(damaged(Damage::new(
                    MANIFEST,
                    format!(
                        "this backup is of another practice (“{}”), not of the vault on this computer; restore it into a new folder if that is what you mean",
                        manifest.practice_name
                    ),
                )));
            }
        }
    }

    // 2. The login opens the backup's keyring, and its key vouches for the
    //    manifest and opens practice.db.
    let mut keyring = Keyring::load(&dir.join(KEYRING))
        .map_err(|_| damaged(Damage::new(KEYRING, "it cannot be read (it is damaged)")))?;
    let (practice_keys, clinical_keys, actor_username) = open_login(&keyring, credential)?;
    let practice_key = practice_keys
        .iter()
        .find(|key| manifest::mac_matches(key, &contents.manifest_json, &contents.manifest_mac))
        .ok_or_else(|| {
            damaged(Damage::new(
                MANIFEST,
                "its MAC does not check out: it was changed after the backup was made, or it belongs to another practice",
            ))
        })?;
    let practice = db::open(&dir.join(PRACTICE_DB), practice_key, false).map_err(|_| {
        damaged(Damage::new(
            PRACTICE_DB,
            "it does not open with this practice's key",
        ))
    })?;
    let uid = crate::practice::practice_uid(&practice)?;
    if uid != manifest.practice_id {
        return Err(damaged(Damage::new(
            PRACTICE_DB,
            "it is of another practice",
        )));
    }
    if let Some(username) = &actor_username {
        require_may_restore(&practice, username)?;
    }
    if manifest.clinical_copy == "snapshot" {
        if let Some(key) = clinical_keys.first() {
            db::open(&dir.join(CLINICAL_DB), key, false).map_err(|_| {
                damaged(Damage::new(
                    CLINICAL_DB,
                    "it does not open with this practice's clinical key",
                ))
            })?;
        }
    }

    // 3. The restored vault records where it came from, and its keyring
    //    anchors the chain as the snapshot left it.
    let chain_key = audit::chain_key(&practice)?;
    let actor: Option<i64> = match &actor_username {
        Some(username) => practice
            .query_row(
                "SELECT id FROM staff WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .optional()?,
        None => None,
    };
    keyring.audit_anchor = manifest.audit_anchor.clone();
    keyring.practice_id = Some(manifest.practice_id.clone());
    audit::record(
        &practice,
        &chain_key,
        Event::new(actor, Action::VaultRestored).detail(format!(
            "backup_created={} file_bytes={size}",
            manifest.created_at
        )),
    )?;
    crate::audit::anchor::advance(&mut keyring, &practice, &chain_key)?;
    practice.close().map_err(|(_, e)| Error::from(e))?;
    keyring.save(&dir.join(KEYRING))?;

    // 4. Only now: the current vault aside, the restored one in its place.
    let staged = staging.keep();
    let moved_aside = match put_in_place(&staged, &dest, target) {
        Ok(aside) => aside,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
    };
    Ok(Restored {
        location: VaultLocation::at(&dest),
        moved_aside,
        summary: summary(&manifest, size, None),
    })
}

/// Restoring replaces the practice's records, so, like taking backups, it
/// is for the owner and the practice manager (DESIGN.md's role table), as
/// the backup's own practice.db records their role and that they are
/// active. The recovery code is the owner's.
fn require_may_restore(practice: &rusqlite::Connection, username: &str) -> Result<()> {
    let may = crate::staff::by_username(practice, username)?
        .is_some_and(|m| m.active && m.role.can(crate::roles::Capability::Administer));
    if may {
        Ok(())
    } else {
        Err(Error::ForbiddenBecause {
            reason: "Only the owner or a practice manager can restore a backup.",
        })
    }
}

/// The keys a login opens in the backup's keyring (newest first, with any
/// they superseded) and its username (none for the recovery code).
#[allow(clippy::type_complexity)]
fn open_login(
    keyring: &Keyring,
    credential: &Credential,
) -> Result<(Vec<SecretKey>, Vec<SecretKey>, Option<String>)> {
    let opened = match credential {
        Credential::Passphrase {
            username,
            passphrase,
        } => {
            let username = username.trim().to_lowercase();
            let entry = keyring.entry(&username).ok_or_else(|| {
                Error::invalid("username", "This backup has no login with that username.")
            })?;
            // A copy: taking up deliveries here must not change the backup.
            let opened = entry.keys.clone().open(passphrase, &login_id(&username))?;
            (opened, Some(username))
        }
        Credential::RecoveryCode(code) => {
            let code = recovery_code::normalise(code);
            let opened = keyring
                .recovery
                .clone()
                .open(&code, RECOVERY_ID)
                .map_err(|e| match e {
                    Error::WrongPassphrase => Error::invalid(
                        "recoveryCode",
                        "That recovery code does not open this backup. Use the code that was current when it was made.",
                    ),
                    other => other,
                })?;
            (opened, None)
        }
    };
    let (opened, username) = opened;
    let keys = &opened.keys;
    Ok((
        std::iter::once(keys.practice.clone())
            .chain(keys.superseded_practice.iter().cloned())
            .collect(),
        keys.clinical
            .iter()
            .cloned()
            .chain(keys.superseded_clinical.iter().cloned())
            .collect(),
        username,
    ))
}

/// The files that make a vault, keyring last: a vault exists once its
/// keyring does, so a restore interrupted half-way leaves no half vault that
/// Circle would open.
const VAULT_FILES: [&str; 7] = [
    "practice.db",
    "practice.db-wal",
    "practice.db-shm",
    "clinical.db",
    "clinical.db-wal",
    "clinical.db-shm",
    "keyring.json",
];

/// Puts the staged vault at `dest`. Into a vault folder: the vault's own
/// files (not its logs or lock file, which may be open while Circle runs)
/// move aside into `<folder>-before-restore-<time>` first, keyring first;
/// then the restored files move in, keyring last. Into a new folder: the
/// staged folder is renamed. Returns where the old vault went.
fn put_in_place(staged: &Path, dest: &Path, target: &Target) -> Result<Option<PathBuf>> {
    let result = match target {
        Target::NewFolder(_) => {
            if dest.exists() {
                // Checked empty before anything was unpacked.
                std::fs::remove_dir(dest)?;
            }
            std::fs::rename(staged, dest).map(|()| None)
        }
        Target::Replace(_) => replace_files(staged, dest),
    };
    let aside = result?;
    if let Some(parent) = dest.parent() {
        let _ = crate::atomic_file::sync_dir(parent);
    }
    let _ = crate::atomic_file::sync_dir(dest);
    Ok(aside)
}

fn replace_files(staged: &Path, dest: &Path) -> std::io::Result<Option<PathBuf>> {
    std::fs::create_dir_all(dest)?;
    let present: Vec<&str> = VAULT_FILES
        .iter()
        .rev()
        .copied()
        .filter(|name| dest.join(name).exists())
        .collect();
    let aside = if present.is_empty() {
        None
    } else {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "vault".into());
        let stamp = crate::clock::now().format("%Y%m%d-%H%M%S");
        let mut candidate = dest.with_file_name(format!("{name}-before-restore-{stamp}"));
        let mut n = 2;
        while candidate.exists() {
            candidate = dest.with_file_name(format!("{name}-before-restore-{stamp}-{n}"));
            n += 1;
        }
        std::fs::create_dir(&candidate)?;
        Some(candidate)
    };
    // Each step is one rename; on a failure (a file held open on Windows,
    // say) the steps taken are undone in reverse, so the vault is as it was.
    let mut done: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut steps: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let Some(aside) = &aside {
        steps.extend(present.iter().map(|f| (dest.join(f), aside.join(f))));
    }
    steps.extend(
        VAULT_FILES
            .iter()
            .filter(|f| staged.join(f).exists())
            .map(|f| (staged.join(f), dest.join(f))),
    );
    for (from, to) in steps {
        if let Err(e) = std::fs::rename(&from, &to) {
            for (back_to, back_from) in done.into_iter().rev() {
                let _ = std::fs::rename(&back_from, &back_to);
            }
            if let Some(aside) = &aside {
                let _ = std::fs::remove_dir(aside);
            }
            return Err(e);
        }
        done.push((from, to));
    }
    if let Some(aside) = &aside {
        let _ = crate::atomic_file::sync_dir(aside);
    }
    let _ = std::fs::remove_dir_all(staged);
    Ok(aside)
}
