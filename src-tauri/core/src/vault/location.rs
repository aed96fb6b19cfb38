//! Where the vault folder is.
//!
//! Default: the OS's per-user application-data folder for Circle's identifier
//! (the same folder Tauri's `app_data_dir` resolves to). `CIRCLE_VAULT`
//! overrides it, which is how tests, demos and multi-vault setups pick a folder.
//! After a backup is restored into a new folder, a small file in the OS's
//! config folder (`<config>/care.circle.desktop/vault-folder`) names that
//! folder, and later starts open it instead of the default (`CIRCLE_VAULT`
//! still wins).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Circle's reverse-DNS identifier; also names the default data folder.
pub const APP_IDENTIFIER: &str = "care.circle.desktop";

/// Environment variable that overrides the vault folder.
pub const VAULT_ENV: &str = "CIRCLE_VAULT";

/// The file whose presence marks a folder as a set-up vault.
pub const KEYRING_FILE: &str = "keyring.json";
pub const PRACTICE_DB_FILE: &str = "practice.db";
pub const CLINICAL_DB_FILE: &str = "clinical.db";

/// The file in Circle's OS config folder that names the vault folder chosen
/// by a restore into a new folder.
pub const REMEMBERED_FOLDER_FILE: &str = "vault-folder";

/// A remembered folder's name is a path, far below this; anything larger
/// is not one Circle wrote.
const REMEMBERED_LIMIT: u64 = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultLocation {
    dir: PathBuf,
}

impl VaultLocation {
    /// A vault in a folder the caller chose.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        VaultLocation { dir: dir.into() }
    }

    /// `CIRCLE_VAULT` when set and not empty, otherwise the folder a restore
    /// remembered, otherwise the OS default. `None` only when the OS reports
    /// no data folder at all (no home directory).
    pub fn from_env_or_default() -> Option<Self> {
        Self::choose(
            std::env::var_os(VAULT_ENV),
            config_folder().as_deref(),
            dirs::data_dir(),
        )
    }

    /// The choice `from_env_or_default` makes, with its inputs passed in.
    fn choose(env: Option<OsString>, config: Option<&Path>, data: Option<PathBuf>) -> Option<Self> {
        match env {
            Some(dir) if !dir.is_empty() => Some(Self::at(dir)),
            _ => config
                .and_then(Self::remembered_in)
                .or_else(|| data.map(|base| Self::at(base.join(APP_IDENTIFIER)))),
        }
    }

    /// The folder remembered in `config` (Circle's config folder), if one
    /// is, and it is named by an absolute path.
    pub fn remembered_in(config: &Path) -> Option<Self> {
        use std::io::Read;
        let file = std::fs::File::open(config.join(REMEMBERED_FOLDER_FILE)).ok()?;
        let mut text = String::new();
        file.take(REMEMBERED_LIMIT).read_to_string(&mut text).ok()?;
        let dir = PathBuf::from(text.trim_end_matches(['\n', '\r']));
        dir.is_absolute().then(|| Self::at(dir))
    }

    /// Writes this folder into `config` (Circle's config folder) for later
    /// starts, atomically.
    pub fn remember_in(&self, config: &Path) -> std::io::Result<()> {
        use std::io::{Error, ErrorKind};
        if !self.dir.is_absolute() {
            return Err(Error::new(ErrorKind::InvalidInput, "not an absolute path"));
        }
        let text = self
            .dir
            .to_str()
            .ok_or_else(|| Error::new(ErrorKind::InvalidData, "not a UTF-8 path"))?;
        std::fs::create_dir_all(config)?;
        crate::atomic_file::write(
            &config.join(REMEMBERED_FOLDER_FILE),
            format!("{text}\n").as_bytes(),
        )
    }

    /// After a restore into a new folder: later starts open this folder.
    /// Nothing is written while `CIRCLE_VAULT` chooses the folder (tests,
    /// demos, a second vault), since it would win anyway. Returns whether
    /// the folder was remembered.
    pub fn remember_for_later_starts(&self) -> std::io::Result<bool> {
        if std::env::var_os(VAULT_ENV).is_some_and(|dir| !dir.is_empty()) {
            return Ok(false);
        }
        match config_folder() {
            Some(config) => self.remember_in(&config).map(|()| true),
            None => Ok(false),
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

/// Circle's own folder in the OS's per-user config folder.
fn config_folder() -> Option<PathBuf> {
    dirs::config_dir().map(|base| base.join(APP_IDENTIFIER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_default(data: &Path) -> VaultLocation {
        VaultLocation::at(data.join(APP_IDENTIFIER))
    }

    #[test]
    fn with_nothing_remembered_the_default_data_folder_is_used() {
        let config = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let chosen =
            VaultLocation::choose(None, Some(config.path()), Some(data.path().to_path_buf()));
        assert_eq!(chosen, Some(data_default(data.path())));
        // No config folder at all: the same.
        let chosen = VaultLocation::choose(None, None, Some(data.path().to_path_buf()));
        assert_eq!(chosen, Some(data_default(data.path())));
    }

    #[test]
    fn a_remembered_folder_is_opened_at_later_starts() {
        let config = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let restored = tempfile::tempdir().unwrap();
        let vault = VaultLocation::at(restored.path().join("Circle vault"));
        vault
            .remember_in(&config.path().join(APP_IDENTIFIER))
            .unwrap();

        let config = config.path().join(APP_IDENTIFIER);
        assert_eq!(VaultLocation::remembered_in(&config), Some(vault.clone()));
        let chosen = VaultLocation::choose(None, Some(&config), Some(data.path().to_path_buf()));
        assert_eq!(chosen, Some(vault.clone()));
        // An empty CIRCLE_VAULT counts as unset.
        let chosen = VaultLocation::choose(
            Some(OsString::new()),
            Some(&config),
            Some(data.path().to_path_buf()),
        );
        assert_eq!(chosen, Some(vault.clone()));

        // Remembering another folder replaces it.
        let other = VaultLocation::at(restored.path().join("second"));
        other.remember_in(&config).unwrap();
        assert_eq!(VaultLocation::remembered_in(&config), Some(other));
    }

    #[test]
    fn circle_vault_wins_over_a_remembered_folder() {
        let config = tempfile::tempdir().unwrap();
        let restored = tempfile::tempdir().unwrap();
        VaultLocation::at(restored.path())
            .remember_in(config.path())
            .unwrap();
        let chosen = VaultLocation::choose(
            Some(OsString::from("/srv/circle-demo")),
            Some(config.path()),
            None,
        );
        assert_eq!(chosen, Some(VaultLocation::at("/srv/circle-demo")));
    }

    #[test]
    fn a_pointer_that_names_no_absolute_folder_is_ignored() {
        let config = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let file = config.path().join(REMEMBERED_FOLDER_FILE);
        for text in ["", "\n", "relative/vault\n"] {
            std::fs::write(&file, text).unwrap();
            assert_eq!(
                VaultLocation::remembered_in(config.path()),
                None,
                "{text:?}"
            );
            let chosen =
                VaultLocation::choose(None, Some(config.path()), Some(data.path().to_path_buf()));
            assert_eq!(chosen, Some(data_default(data.path())));
        }
        // Circle never writes a relative one either.
        assert!(VaultLocation::at("relative/vault")
            .remember_in(config.path())
            .is_err());
    }
}
