//! What the app says about itself before anyone has unlocked anything.

use crate::vault::location::VaultLocation;

/// Product name shown on the welcome screen and in window titles.
pub const PRODUCT_NAME: &str = "Circle";

/// This build's version (written into every backup's manifest).
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Facts the welcome/unlock screen needs. Nothing secret, nothing about clients.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub product_name: String,
    pub version: String,
    /// The vault folder this app will open, as the OS spells it.
    pub vault_dir: String,
    /// Whether a vault has been set up in that folder (false means first run).
    pub vault_exists: bool,
    /// Whether that vault is a generated demo practice (its folder carries
    /// the demo marker): every screen then says so.
    pub is_demo: bool,
}

impl AppInfo {
    pub fn gather(location: &VaultLocation) -> Self {
        AppInfo {
            product_name: PRODUCT_NAME.to_owned(),
            version: APP_VERSION.to_owned(),
            vault_dir: location.dir().display().to_string(),
            vault_exists: location.vault_exists(),
            is_demo: location.vault_exists() && crate::demo::marker::is_marked(location.dir()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_an_empty_folder_as_first_run_and_a_keyring_as_a_vault() {
        let dir = tempfile::tempdir().unwrap();
        let location = VaultLocation::at(dir.path());
        let info = AppInfo::gather(&location);
        assert_eq!(info.product_name, "Circle");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.vault_dir, dir.path().display().to_string());
        assert!(!info.vault_exists);

        std::fs::write(location.keyring_path(), "{}").unwrap();
        assert!(AppInfo::gather(&location).vault_exists);
        assert!(!AppInfo::gather(&location).is_demo);

        crate::demo::marker::mark(dir.path()).unwrap();
        assert!(AppInfo::gather(&location).is_demo);
    }
}
