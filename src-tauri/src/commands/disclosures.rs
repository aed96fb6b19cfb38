//! 42 CFR Part 2 consents and the accounting of disclosures on a client's
//! chart. Clinical roles only: the core refuses everyone else, and their
//! sessions hold no clinical key.

use circle_core::disclosures::{self, Consent, ConsentInput, Disclosure};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// The client's consents, newest signature first, each with where it stands today.
#[tauri::command]
#[specta::specta]
pub async fn client_consents(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<Consent>> {
    state
        .with_signed_in(move |s| disclosures::consents_of_client(s, client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn consent_add(
    state: State<'_, AppState>,
    client_id: i64,
    input: ConsentInput,
) -> CommandResult<Consent> {
    state
        .with_signed_in(move |s| disclosures::add_consent(s, client_id, input))
        .await
}

/// Records the client's revocation, dated `revoked_on` ("YYYY-MM-DD").
#[tauri::command]
#[specta::specta]
pub async fn consent_revoke(
    state: State<'_, AppState>,
    consent_id: i64,
    revoked_on: String,
) -> CommandResult<Consent> {
    state
        .with_signed_in(move |s| disclosures::revoke_consent(s, consent_id, &revoked_on))
        .await
}

/// The client's accounting of disclosures, newest first.
#[tauri::command]
#[specta::specta]
pub async fn client_disclosures(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<Disclosure>> {
    state
        .with_signed_in(move |s| disclosures::disclosures_of_client(s, client_id))
        .await
}
