//! Audit trail, integrity check and practice settings (owner and manager;
//! the core checks).

use circle_core::audit::{self, AuditEntry, AuditFilter};
use circle_core::integrity::{self, VerifyReport};
use circle_core::practice::{self, LocaleChoice, PracticeSettings, TimezoneChanged};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn audit_list(
    state: State<'_, AppState>,
    filter: AuditFilter,
) -> CommandResult<Vec<AuditEntry>> {
    state
        .with_signed_in(move |s| audit::list_for(s, &filter))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_vault(state: State<'_, AppState>) -> CommandResult<VerifyReport> {
    state.with_signed_in(|s| integrity::verify(s)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_idle_lock_minutes(
    state: State<'_, AppState>,
    minutes: u32,
) -> CommandResult<PracticeSettings> {
    state
        .with_signed_in(move |s| practice::set_idle_lock_minutes(s, minutes))
        .await
}

/// The practice's settings (name, zone, idle lock, note scope): every role
/// may read them.
#[tauri::command]
#[specta::specta]
pub async fn practice_settings(state: State<'_, AppState>) -> CommandResult<PracticeSettings> {
    state.with_signed_in(|s| practice::settings(s)).await
}

/// Whether clinicians are limited to their own groups' clients' notes.
#[tauri::command]
#[specta::specta]
pub async fn set_notes_scope_limited(
    state: State<'_, AppState>,
    limited: bool,
) -> CommandResult<PracticeSettings> {
    state
        .with_signed_in(move |s| practice::set_notes_scope_limited(s, limited))
        .await
}

/// Owner only: moves the practice to another IANA zone. Sessions and
/// appointments still to come keep their local time there.
#[tauri::command]
#[specta::specta]
pub async fn set_practice_timezone(
    state: State<'_, AppState>,
    timezone: String,
) -> CommandResult<TimezoneChanged> {
    state
        .with_signed_in(move |s| practice::set_timezone(s, &timezone))
        .await
}

/// Owner only: how dates and times are written (a tag from `practice_locales`).
#[tauri::command]
#[specta::specta]
pub async fn set_practice_locale(
    state: State<'_, AppState>,
    locale: String,
) -> CommandResult<PracticeSettings> {
    state
        .with_signed_in(move |s| practice::set_locale(s, &locale))
        .await
}

/// The locales a practice may choose (no vault needed: a fixed list).
#[tauri::command]
#[specta::specta]
pub async fn practice_locales() -> CommandResult<Vec<LocaleChoice>> {
    Ok(practice::supported_locales())
}

/// Replaces the database keys now (a laptop lost, a departure without
/// deactivation). Each step is reported on `progress`.
#[tauri::command]
#[specta::specta]
pub async fn rotate_keys(
    state: State<'_, AppState>,
    progress: tauri::ipc::Channel<circle_core::key_rotation::RotationProgress>,
) -> CommandResult<circle_core::key_rotation::RotationOutcome> {
    state
        .with_signed_in(move |s| {
            circle_core::key_rotation::rotate_keys(s, &mut |step| {
                let _ = progress.send(step);
            })
        })
        .await
}

/// A new recovery code, shown once (owner only); the old one stops working.
#[tauri::command]
#[specta::specta]
pub async fn replace_recovery_code(state: State<'_, AppState>) -> CommandResult<String> {
    state
        .with_signed_in(|s| {
            // `accounts::replace_recovery_code` does not go through
            // `SignedIn::require`; until it checks this itself, the command does.
            s.require_own_passphrase()?;
            circle_core::accounts::replace_recovery_code(s).map(|code| code.expose().to_owned())
        })
        .await
}
