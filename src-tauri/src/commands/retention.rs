//! Settings → Retention: the periods (the owner sets them) and the records
//! due for review (owner and manager; the core checks and audits).

use circle_core::retention::{self, DueRecord, PurgeReport, RetentionSettings};
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

/// Purges the chosen clients for good, once `typed_count` (what the person
/// typed to confirm) equals their number; then both databases are compacted.
#[tauri::command]
#[specta::specta]
pub async fn retention_purge(
    state: State<'_, AppState>,
    client_ids: Vec<i64>,
    typed_count: u32,
) -> CommandResult<PurgeReport> {
    state
        .with_signed_in(move |s| retention::purge(s, &client_ids, typed_count))
        .await
}
