//! Session notes, goals, private notes and note search. Clinical roles only:
//! the core refuses everyone else, and their sessions hold no clinical key.

use circle_core::notes::chart::{self, ChartPage};
use circle_core::notes::goals::{self, Goal, GoalInput, GoalProgress};
use circle_core::notes::private::{self, PrivateNote};
use circle_core::notes::search::{self, NoteSearchHit};
use circle_core::notes::session_note::{self, NoteDraftInput, NoteSaved, SessionNote};
use circle_core::notes::signing;
use circle_core::notes::templates::{self, Template};
use circle_core::notes::todo::{self, NotesToDo, SignedNoteLine};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn note_templates(state: State<'_, AppState>) -> CommandResult<Vec<Template>> {
    state.with_signed_in(|s| templates::templates(s)).await
}

/// The session note screen: attendance, shared part, a section per member.
#[tauri::command]
#[specta::specta]
pub async fn session_note(
    state: State<'_, AppState>,
    session_id: i64,
) -> CommandResult<SessionNote> {
    state
        .with_signed_in(move |s| session_note::session_note(s, session_id))
        .await
}

/// Autosave: the whole draft, refused once signed or if a colleague saved
/// a newer revision.
#[tauri::command]
#[specta::specta]
pub async fn note_save_draft(
    state: State<'_, AppState>,
    input: NoteDraftInput,
) -> CommandResult<NoteSaved> {
    state
        .with_signed_in(move |s| session_note::save_draft(s, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn note_sign(
    state: State<'_, AppState>,
    session_id: i64,
    revision: i64,
) -> CommandResult<SessionNote> {
    state
        .with_signed_in(move |s| signing::sign(s, session_id, revision))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn note_cosign(
    state: State<'_, AppState>,
    session_id: i64,
) -> CommandResult<SessionNote> {
    state
        .with_signed_in(move |s| signing::cosign(s, session_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn note_add_addendum(
    state: State<'_, AppState>,
    session_id: i64,
    client_id: Option<i64>,
    body: String,
) -> CommandResult<SessionNote> {
    state
        .with_signed_in(move |s| signing::add_addendum(s, session_id, client_id, &body))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn notes_to_do(state: State<'_, AppState>) -> CommandResult<NotesToDo> {
    state.with_signed_in(|s| todo::notes_to_do(s)).await
}

/// The notes signed most recently that the signed-in person may read.
#[tauri::command]
#[specta::specta]
pub async fn notes_recently_signed(
    state: State<'_, AppState>,
) -> CommandResult<Vec<SignedNoteLine>> {
    state.with_signed_in(|s| todo::recently_signed(s)).await
}

/// A page of a client's notes as their record shows them (other members
/// redacted), newest first, every kind of session or only group or only
/// individual ones; `older_than` is the last session already shown.
#[tauri::command]
#[specta::specta]
pub async fn client_notes(
    state: State<'_, AppState>,
    client_id: i64,
    filter: chart::ChartFilter,
    older_than: Option<i64>,
) -> CommandResult<ChartPage> {
    state
        .with_signed_in(move |s| {
            chart::client_notes_page(s, client_id, filter, older_than, chart::CHART_PAGE_SIZE)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_goals(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<GoalProgress>> {
    state
        .with_signed_in(move |s| goals::goals_of_client(s, client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn goal_create(
    state: State<'_, AppState>,
    client_id: i64,
    input: GoalInput,
) -> CommandResult<Goal> {
    state
        .with_signed_in(move |s| goals::create_goal(s, client_id, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn goal_update(
    state: State<'_, AppState>,
    goal_id: i64,
    input: GoalInput,
) -> CommandResult<Goal> {
    state
        .with_signed_in(move |s| goals::update_goal(s, goal_id, input))
        .await
}

/// The signed-in person's own private note (nobody else's is reachable).
#[tauri::command]
#[specta::specta]
pub async fn private_note_get(
    state: State<'_, AppState>,
    session_id: i64,
    client_id: i64,
) -> CommandResult<PrivateNote> {
    state
        .with_signed_in(move |s| private::private_note(s, session_id, client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn private_note_save(
    state: State<'_, AppState>,
    session_id: i64,
    client_id: i64,
    body: String,
) -> CommandResult<PrivateNote> {
    state
        .with_signed_in(move |s| private::save_private_note(s, session_id, client_id, &body))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn notes_search(
    state: State<'_, AppState>,
    query: String,
) -> CommandResult<Vec<NoteSearchHit>> {
    state
        .with_signed_in(move |s| search::search(s, &query))
        .await
}
