//! Declares the app's own commands so Tauri generates one permission per
//! command (`allow-<name>`), which `capabilities/main.json` grants by name.
//! A command missing here cannot be called from the window at all.

/// Keep in step with `commands::specta_builder` (a test checks they match).
pub const APP_COMMANDS: &[&str] = &[
    "app_info",
    "setup_practice",
    "unlock",
    "recover",
    "lock",
    "current_session",
    "keep_alive",
    "passphrase_strength",
    "change_own_passphrase",
    "staff_list",
    "staff_add",
    "staff_change_role",
    "staff_reset_passphrase",
    "staff_deactivate",
    "audit_list",
    "verify_vault",
    "set_idle_lock_minutes",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; there is no other channel.
        panic!("tauri build step failed: {error:#}");
    }
}
