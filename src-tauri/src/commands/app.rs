//! Commands about the app itself, callable before unlock.

use circle_core::app_info::AppInfo;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// Product name, version and vault folder, for the welcome/unlock screen.
#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo::gather(&state.location()))
}
