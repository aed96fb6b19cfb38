//! An advisory lock on the vault folder, held while `keyring.json` is read,
//! changed and written, so the app and `circle-admin` (or two unlocks at
//! once) never overwrite each other's changes — a lost failure count, a
//! lost delivery.

use std::fs::{File, OpenOptions};

use super::location::VaultLocation;
use crate::error::Result;

/// The lock file's name inside the vault folder.
pub const LOCK_FILE: &str = "vault.lock";

/// Held until dropped.
#[derive(Debug)]
pub struct VaultLock {
    _file: File,
}

impl VaultLock {
    /// Waits for and takes the vault folder's lock.
    pub fn acquire(location: &VaultLocation) -> Result<VaultLock> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        // Readable by the user alone, like every file in the vault folder.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(location.dir().join(LOCK_FILE))?;
        file.lock()?;
        Ok(VaultLock { _file: file })
    }
}
