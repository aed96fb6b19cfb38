//! End-to-end tests only (the `e2e` feature, never in release builds): paths
//! from the environment instead of the native dialogs, which WebDriver
//! cannot reach. `CIRCLE_E2E_EXPORT_DIR` (where exports go, and whose newest
//! PDF "Check a PDF" takes), `CIRCLE_E2E_BACKUP_DIR` (the backup folder),
//! `CIRCLE_E2E_RESTORE_FILE` (the backup to restore, or a folder whose newest
//! backup is taken), `CIRCLE_E2E_RESTORE_INTO` (the new folder) and
//! `CIRCLE_E2E_LOGO_FILE` (the letterhead's logo).

use std::path::{Path, PathBuf};

#[cfg(feature = "e2e")]
pub(crate) fn path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

#[cfg(not(feature = "e2e"))]
pub(crate) fn path(_name: &str) -> Option<PathBuf> {
    None
}

/// The most recently written file in `dir` with `extension` (the stand-in
/// for the open dialog).
pub(crate) fn newest_in(dir: &Path, extension: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
        })
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p)
}
