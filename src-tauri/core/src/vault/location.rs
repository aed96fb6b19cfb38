//! Where the vault folder is.
//!
//! Default: the OS's per-user application-data folder for Circle's identifier
//! (the same folder Tauri's `app_data_dir` resolves to). `CIRCLE_VAULT`
//! overrides it, which is how tests, demos and multi-vault setups pick a folder.

use std::path::{Path, PathBuf};

/// Circle's reverse-DNS identifier; also names the default data folder.
pub const APP_IDENTIFIER: &str = "care.circle.desktop";

/// Environment variable that overrides the vault folder.
pub const VAULT_ENV: &str = "CIRCLE_VAULT";

/// The file whose presence marks a folder as a set-up vault.
pub const KEYRING_FILE: &str = "keyring.json";
pub const PRACTICE_DB_FILE: &str = "practice.db";
pub const CLINICAL_DB_FILE: &str = "clinical.db";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultLocation {
    dir: PathBuf,
}

impl VaultLocation {
    /// A vault in a folder the caller chose.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        VaultLocation { dir: dir.into() }
    }

    /// `CIRCLE_VAULT` when set and not empty, otherwise the OS default.
    /// `None` only when the OS reports no data folder at all (no home directory).
    pub fn from_env_or_default() -> Option<Self> {
        match std::env::var_os(VAULT_ENV) {
            Some(dir) if !dir.is_empty() => Some(Self::at(dir)),
            _ => dirs::data_dir().map(|base| Self::at(base.join(APP_IDENTIFIER))),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn keyring_path(&self) -> PathBuf {
        self.dir.join(KEYRING_FILE)
    }

    pub fn practice_db_path(&self) -> PathBuf {
        self.dir.join(PRACTICE_DB_FILE)
    }

    pub fn clinical_db_path(&self) -> PathBuf {
        self.dir.join(CLINICAL_DB_FILE)
    }

    /// A vault exists once setup has written its keyring.
    pub fn vault_exists(&self) -> bool {
        self.keyring_path().is_file()
    }
}
