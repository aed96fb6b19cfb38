//! Audit trail, integrity check and practice settings (owner and manager;
//! the core checks).

use circle_core::audit::{self, AuditEntry, AuditFilter};
use circle_core::integrity::{self, VerifyReport};
use circle_core::practice::{self, PracticeSettings};
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
        .with_session(move |s| audit::list_for(s, &filter))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_vault(state: State<'_, AppState>) -> CommandResult<VerifyReport> {
    state.with_session(|s| integrity::verify(s)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_idle_lock_minutes(
    state: State<'_, AppState>,
    minutes: u32,
) -> CommandResult<PracticeSettings> {
    state
        .with_session(move |s| practice::set_idle_lock_minutes(s, minutes))
        .await
}
