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
    "rotate_keys",
    "replace_recovery_code",
    "client_search",
    "client_get",
    "client_create",
    "client_update",
    "room_list",
    "room_create",
    "staff_directory",
    "group_list",
    "group_get",
    "group_create",
    "group_update",
    "group_set_archived",
    "group_roster",
    "client_enrollments",
    "enroll",
    "accept_from_waitlist",
    "discharge",
    "reorder_waitlist",
    "series_create",
    "series_update",
    "group_sessions",
    "session_move",
    "session_cancel",
    "appointment_book",
    "appointment_cancel",
    "appointment_move",
    "client_appointments",
    "availability_get",
    "availability_set",
    "next_free_slot",
    "attendance_record",
    "check_in_list",
    "series_completion",
    "agenda",
    "client_attendance",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; there is no other channel.
        panic!("tauri build step failed: {error:#}");
    }
}
