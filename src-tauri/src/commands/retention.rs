//! Settings → Retention: the periods (the owner sets them) and the records
//! due for review (owner and manager; the core checks and audits).

use circle_core::retention::{self, DueRecord, RetentionSettings};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn retention_settings(state: State<'_, AppState>) -> CommandResult<RetentionSettings> {
    state.with_signed_in(|s| retention::settings(s)).await
}

#[tauri::command]
#[specta::specta]
pub async fn retention_set_settings(
    state: State<'_, AppState>,
    periods: RetentionSettings,
) -> CommandResult<RetentionSettings> {
    state
        .with_signed_in(move |s| retention::set_settings(s, periods))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn retention_due(state: State<'_, AppState>) -> CommandResult<Vec<DueRecord>> {
    state.with_signed_in(|s| retention::due(s)).await
}
