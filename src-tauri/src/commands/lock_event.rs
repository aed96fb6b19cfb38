//! Telling the window that the vault locked (so it drops every piece of
//! client data it holds), from whichever path locked it: the Lock button,
//! the idle lock, a restore.

use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

/// Why the vault locked, for the unlock screen's message.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    Requested,
    Idle,
    /// The page check after sign-in found a vault file changed outside
    /// Circle or damaged (see `page_check`).
    Damaged,
}

impl LockReason {
    /// The word the local log uses.
    pub fn as_str(self) -> &'static str {
        match self {
            LockReason::Requested => "requested",
            LockReason::Idle => "idle",
            LockReason::Damaged => "damaged",
        }
    }
}

/// Sent to the window whenever the vault locks, so it clears every piece of
/// client data it holds before showing the unlock screen.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct VaultLocked {
    pub reason: LockReason,
}

/// Logs the lock as `logged_as` and tells the window.
pub(crate) fn announce<R: Runtime>(
    app: &AppHandle<R>,
    logged_as: &'static str,
    reason: LockReason,
) {
    crate::log::locked(logged_as);
    if (VaultLocked { reason }).emit(app).is_err() {
        crate::log::window_not_told_of_lock();
    }
}
