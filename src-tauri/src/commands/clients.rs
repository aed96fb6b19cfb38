//! Clients' demographics (every role; the core checks and audits).

use circle_core::clients::{self, Client, ClientInput, ClientPage, ClientStatus, Created};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn client_search(
    state: State<'_, AppState>,
    query: String,
    status: Option<ClientStatus>,
    offset: u32,
    limit: u32,
) -> CommandResult<ClientPage> {
    state
        .with_signed_in(move |s| clients::search(s, &query, status, offset, limit))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_get(state: State<'_, AppState>, client_id: i64) -> CommandResult<Client> {
    state
        .with_signed_in(move |s| clients::get(s, client_id))
        .await
}

/// Saves a new client; without `confirm_duplicate`, a likely duplicate
/// (same name and date of birth) comes back as a warning and nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn client_create(
    state: State<'_, AppState>,
    input: ClientInput,
    confirm_duplicate: bool,
) -> CommandResult<Created> {
    state
        .with_signed_in(move |s| clients::create(s, input, confirm_duplicate))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_update(
    state: State<'_, AppState>,
    client_id: i64,
    input: ClientInput,
) -> CommandResult<Client> {
    state
        .with_signed_in(move |s| clients::update(s, client_id, input))
        .await
}
