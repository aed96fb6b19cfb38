//! Every command the window may call, one file per domain.
//!
//! Commands are thin and `async` (a sync command runs on the main thread and
//! freezes the window): parse the input → call `circle-core` → map the error.
//! The core decides what the signed-in person may do; a command never does.

pub mod admin;
pub mod app;
pub mod backup;
pub mod clients;
pub mod demo;
pub mod disclosures;
mod e2e_hooks;
pub mod export;
pub mod groups;
pub mod import;
pub mod lock_event;
pub mod measures;
pub mod notes;
pub mod retention;
pub mod schedule;
pub mod signin;
pub mod staff;

use tauri_specta::{collect_commands, collect_events, Builder};

/// The builder on `$runtime`. A macro, not a function generic over the
/// runtime, because `collect_commands!` expands into items of its own and
/// so cannot name an enclosing function's type parameter; commands that
/// take the app or the window are generic and get `::<$runtime>` here.
macro_rules! builder_on {
    ($runtime:path) => {
        Builder::<$runtime>::new()
            // Types are only ever sent one way per direction; one TS type each is clearer.
            .disable_serde_phases()
            // Our i64s are SQLite row ids and counts, far below 2^53, so a JS
            // number holds them exactly.
            .dangerously_cast_bigints_to_number()
            .commands(collect_commands![
                app::app_info,
                signin::setup_practice,
                signin::unlock::<$runtime>,
                signin::recover,
                signin::lock::<$runtime>,
                signin::current_sign_in,
                signin::keep_alive,
                signin::passphrase_strength,
                signin::change_own_passphrase,
                staff::staff_list,
                staff::staff_add,
                staff::staff_change_role,
                staff::staff_reset_passphrase,
                staff::staff_deactivate,
                admin::audit_list,
                admin::verify_vault,
                admin::set_idle_lock_minutes,
                retention::retention_settings,
                retention::retention_set_settings,
                retention::retention_due,
                retention::retention_purge,
                admin::rotate_keys,
                admin::replace_recovery_code,
                clients::client_search,
                clients::client_get,
                clients::client_create,
                clients::client_update,
                import::import_choose_file::<$runtime>,
                import::import_preview,
                import::import_clients,
                import::import_save_rejected::<$runtime>,
                groups::room_list,
                groups::room_create,
                groups::staff_directory,
                groups::group_list,
                groups::group_get,
                groups::group_create,
                groups::group_update,
                groups::group_set_archived,
                groups::group_roster,
                groups::client_enrollments,
                groups::enroll,
                groups::accept_from_waitlist,
                groups::discharge,
                groups::reorder_waitlist,
                schedule::series_create,
                schedule::series_update,
                schedule::group_sessions,
                schedule::session_move,
                schedule::session_cancel_check,
                schedule::session_cancel,
                schedule::appointment_book,
                schedule::individual_book,
                schedule::appointment_cancel,
                schedule::appointment_move,
                schedule::client_appointments,
                schedule::availability_get,
                schedule::availability_set,
                schedule::next_free_slot,
                schedule::attendance_record,
                schedule::appointment_attendance_record,
                schedule::check_in_list,
                schedule::series_completion,
                schedule::client_series_completion,
                schedule::agenda,
                schedule::client_attendance,
                staff::staff_set_supervisor,
                staff::clinical_access_waiting,
                staff::clinical_access_approve,
                admin::set_notes_scope_limited,
                admin::set_practice_timezone,
                admin::set_practice_locale,
                admin::practice_locales,
                admin::practice_settings,
                notes::note_templates,
                notes::session_note,
                notes::note_save_draft,
                notes::note_sign,
                notes::note_cosign,
                notes::note_add_addendum,
                notes::notes_to_do,
                notes::notes_recently_signed,
                notes::client_notes,
                notes::client_goals,
                notes::goal_create,
                notes::goal_update,
                notes::private_note_get,
                notes::private_note_save,
                notes::notes_search,
                measures::measure_forms,
                measures::measure_enter,
                measures::measure_trends,
                measures::measure_group_summary,
                measures::measure_risk_flags,
                measures::measure_acknowledge_risk,
                disclosures::client_consents,
                disclosures::consent_add,
                disclosures::consent_revoke,
                disclosures::client_disclosures,
                export::export_member_record::<$runtime>,
                export::export_session_packet::<$runtime>,
                export::export_attendance::<$runtime>,
                export::export_day_sheet::<$runtime>,
                export::export_recovery_sheet::<$runtime>,
                export::export_disclosures::<$runtime>,
                export::export_cancel,
                export::export_open::<$runtime>,
                export::export_show_in_folder::<$runtime>,
                export::export_verify::<$runtime>,
                export::practice_set_letterhead,
                export::practice_choose_logo::<$runtime>,
                export::practice_clear_logo,
                backup::backup_status,
                backup::backup_set_keep,
                backup::backup_choose_folder::<$runtime>,
                backup::backup_now,
                backup::backup_choose_file::<$runtime>,
                backup::backup_restore::<$runtime>,
                demo::demo_create,
            ])
            .events(collect_events![lock_event::VaultLocked])
            // What each role is (name, clinical, may supervise): fixed facts the
            // screens ask about synchronously, said once by Rust.
            .typ::<circle_core::roles::RoleFacts>()
            .constant("ROLE_FACTS", circle_core::roles::role_facts())
    };
}

/// The one list of commands: it drives both the invoke handler and the
/// generated TypeScript bindings, so the two cannot drift apart.
pub fn specta_builder() -> Builder<tauri::Wry> {
    builder_on!(tauri::Wry)
}

/// The same list on Tauri's MockRuntime, for the shell's tests, which call
/// every command through the real invoke handler without a window system.
#[cfg(feature = "e2e")]
pub fn specta_builder_for_tests() -> Builder<tauri::test::MockRuntime> {
    builder_on!(tauri::test::MockRuntime)
}

/// The command names in generated bindings (`TAURI_INVOKE("name"`), so tests
/// can check each one is declared and granted.
pub fn command_names(bindings_ts: &str) -> Vec<String> {
    bindings_ts
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}
