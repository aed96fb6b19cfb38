//! Setup, unlock, recovery, lock, and the signed-in person's own passphrase.

use circle_core::passphrase_policy::{self, Strength};
use circle_core::staff::{Capability, Role};
use circle_core::vault::{self, secret::Passphrase, Session, SetupRequest};
use circle_core::{accounts, practice};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::CommandResult;
use crate::state::AppState;

/// Who is signed in and what they may see. Never keys.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub staff_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub role_label: String,
    pub practice_name: String,
    pub timezone: String,
    pub idle_lock_minutes: u32,
    pub must_change_passphrase: bool,
    /// Whether clinical.db is open for this person (a new clinician's access
    /// arrives after an owner or clinician next signs in).
    pub has_clinical_access: bool,
    pub capabilities: Vec<Capability>,
}

pub(crate) fn session_info(session: &Session) -> circle_core::Result<SessionInfo> {
    let settings = practice::settings(session)?;
    let actor = session.actor();
    let capabilities = [
        Capability::Scheduling,
        Capability::ReadWriteNotes,
        Capability::Sign,
        Capability::CoSign,
        Capability::Administer,
    ]
    .into_iter()
    .filter(|c| actor.role.can(*c))
    .collect();
    Ok(SessionInfo {
        staff_id: actor.staff_id,
        username: actor.username.clone(),
        full_name: actor.full_name.clone(),
        role: actor.role,
        role_label: actor.role.label().to_owned(),
        practice_name: settings.name,
        timezone: settings.timezone,
        idle_lock_minutes: settings.idle_lock_minutes,
        must_change_passphrase: session.must_change_passphrase(),
        has_clinical_access: session.has_clinical_access(),
        capabilities,
    })
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupForm {
    pub practice_name: String,
    pub timezone: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub passphrase: String,
}

#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupOutcome {
    /// Shown once for the owner to write down; Circle never shows it again.
    pub recovery_code: String,
    pub session: SessionInfo,
}

/// First run: creates the vault and signs the owner in.
#[tauri::command]
#[specta::specta]
pub async fn setup_practice(
    state: State<'_, AppState>,
    form: SetupForm,
) -> CommandResult<SetupOutcome> {
    state
        .blocking(move |state| {
            let (session, code) = vault::setup(
                &state.location,
                SetupRequest {
                    practice_name: form.practice_name,
                    timezone: form.timezone,
                    owner_full_name: form.owner_full_name,
                    owner_username: form.owner_username,
                    passphrase: Passphrase::new(form.passphrase),
                },
            )?;
            let info = session_info(&session)?;
            state.install(session);
            Ok(SetupOutcome {
                recovery_code: code.expose().to_owned(),
                session: info,
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn unlock(
    state: State<'_, AppState>,
    username: String,
    passphrase: String,
) -> CommandResult<SessionInfo> {
    state
        .blocking(move |state| {
            state.lock();
            let session = vault::unlock(&state.location, &username, &Passphrase::new(passphrase))?;
            let info = session_info(&session)?;
            state.install(session);
            Ok(info)
        })
        .await
}

/// The owner's way back in with the recovery code; sets a new passphrase.
#[tauri::command]
#[specta::specta]
pub async fn recover(
    state: State<'_, AppState>,
    username: String,
    recovery_code: String,
    new_passphrase: String,
) -> CommandResult<SessionInfo> {
    state
        .blocking(move |state| {
            state.lock();
            let session = vault::recover(
                &state.location,
                &username,
                &Passphrase::new(recovery_code),
                &Passphrase::new(new_passphrase),
            )?;
            let info = session_info(&session)?;
            state.install(session);
            Ok(info)
        })
        .await
}

/// Why the vault locked, for the unlock screen's message.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LockReason {
    Requested,
    Idle,
}

/// Sent to the window whenever the vault locks, so it clears every piece of
/// client data it holds before showing the unlock screen.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct VaultLocked {
    pub reason: LockReason,
}

pub(crate) fn lock_and_announce(app: &AppHandle, state: &AppState, reason: LockReason) {
    if state.lock() {
        if let Err(e) = (VaultLocked { reason }).emit(app) {
            eprintln!("circle: could not tell the window it is locked: {e}");
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn lock(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    let state = state.inner().clone();
    state
        .blocking(move |state| {
            lock_and_announce(&app, &state, LockReason::Requested);
            Ok(())
        })
        .await
}

/// The signed-in person, or nothing when locked.
#[tauri::command]
#[specta::specta]
pub async fn current_session(state: State<'_, AppState>) -> CommandResult<Option<SessionInfo>> {
    match state.with_session(|s| session_info(s)).await {
        Ok(info) => Ok(Some(info)),
        Err(e) if e.kind == crate::error::ErrorKind::Locked => Ok(None),
        Err(e) => Err(e),
    }
}

/// Typing and clicking count as activity for the idle auto-lock.
#[tauri::command]
#[specta::specta]
pub async fn keep_alive(state: State<'_, AppState>) -> CommandResult<()> {
    state.with_session(|_| Ok(())).await
}

/// For the meter beside a new-passphrase field.
#[tauri::command]
#[specta::specta]
pub async fn passphrase_strength(
    state: State<'_, AppState>,
    passphrase: String,
    context: Vec<String>,
) -> CommandResult<Strength> {
    state
        .blocking(move |_| {
            let words: Vec<&str> = context.iter().map(String::as_str).collect();
            Ok(passphrase_policy::strength(
                &Passphrase::new(passphrase),
                &words,
            ))
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn change_own_passphrase(
    state: State<'_, AppState>,
    current: String,
    new_passphrase: String,
) -> CommandResult<SessionInfo> {
    state
        .with_session(move |session| {
            accounts::change_own_passphrase(
                session,
                &Passphrase::new(current),
                &Passphrase::new(new_passphrase),
            )?;
            session_info(session)
        })
        .await
}
