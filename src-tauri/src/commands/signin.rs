//! Setup, unlock, recovery, lock, and the signed-in person's own passphrase.

use circle_core::passphrase_policy::{self, Strength};
use circle_core::roles::{Capability, Role};
use circle_core::signed_in::SignedIn;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::secret::Passphrase;
use circle_core::{accounts, practice};
use tauri::{AppHandle, Runtime, State};

use crate::commands::lock_event::{announce, LockReason};
use crate::error::CommandResult;
use crate::log::{self, SignInVia};
use crate::state::AppState;

/// Who is signed in and what they may see. Never keys.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignedInInfo {
    pub staff_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub role_label: String,
    pub practice_name: String,
    pub timezone: String,
    /// BCP 47 tag: how every screen writes dates and times.
    pub locale: String,
    pub idle_lock_minutes: u32,
    pub must_change_passphrase: bool,
    /// Whether clinical.db is open for this person (a new clinician's access
    /// opens at their next sign-in after a clinical-key holder approves it).
    pub has_clinical_access: bool,
    pub capabilities: Vec<Capability>,
}

pub(crate) fn signed_in_info(signed_in: &SignedIn) -> circle_core::Result<SignedInInfo> {
    // Not `practice::settings`: this is read before a sign-in that must
    // change its passphrase has done so, which that service refuses.
    let settings = practice::sign_in_settings(signed_in)?;
    let actor = signed_in.actor();
    let capabilities = [
        Capability::Scheduling,
        Capability::ReadWriteNotes,
        Capability::Sign,
        Capability::CoSign,
        Capability::Administer,
        Capability::ChooseFacilitators,
    ]
    .into_iter()
    .filter(|c| actor.role.can(*c))
    .collect();
    Ok(SignedInInfo {
        staff_id: actor.staff_id,
        username: actor.username.clone(),
        full_name: actor.full_name.clone(),
        role: actor.role,
        role_label: actor.role.label().to_owned(),
        practice_name: settings.name,
        timezone: settings.timezone,
        locale: settings.locale,
        idle_lock_minutes: settings.idle_lock_minutes,
        must_change_passphrase: signed_in.must_change_passphrase(),
        has_clinical_access: signed_in.has_clinical_access(),
        capabilities,
    })
}

/// What the window prints for a passphrase or recovery code in `Debug`.
pub(crate) const REDACTED: &str = "[redacted]";

#[derive(Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupForm {
    pub practice_name: String,
    pub timezone: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub passphrase: String,
}

/// By hand, so the passphrase never reaches a log or a panic message.
impl std::fmt::Debug for SetupForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupForm")
            .field("practice_name", &self.practice_name)
            .field("timezone", &self.timezone)
            .field("owner_full_name", &self.owner_full_name)
            .field("owner_username", &self.owner_username)
            .field("passphrase", &format_args!("{REDACTED}"))
            .finish()
    }
}

#[derive(Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetupOutcome {
    /// Shown once for the owner to write down; Circle never shows it again.
    pub recovery_code: String,
    pub signed_in: SignedInInfo,
}

/// By hand, so the recovery code never reaches a log or a panic message.
impl std::fmt::Debug for SetupOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupOutcome")
            .field("recovery_code", &format_args!("{REDACTED}"))
            .field("signed_in", &self.signed_in)
            .finish()
    }
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
            let (signed_in, code) = signin::setup(
                &state.location(),
                SetupRequest {
                    practice_name: form.practice_name,
                    timezone: form.timezone,
                    owner_full_name: form.owner_full_name,
                    owner_username: form.owner_username,
                    passphrase: Passphrase::new(form.passphrase),
                },
            )?;
            let info = signed_in_info(&signed_in)?;
            // The day's backup, when due, starts in the background.
            crate::commands::backup::install_and_back_up(&state, signed_in);
            Ok(SetupOutcome {
                recovery_code: code.expose().to_owned(),
                signed_in: info,
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn unlock<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    username: String,
    passphrase: String,
) -> CommandResult<SignedInInfo> {
    state
        .blocking(move |state| {
            state.lock();
            let location = state.location();
            let passphrase = Passphrase::new(passphrase);
            // Every page is checked just after sign-in, on a thread of its
            // own; after that check found a change, before (see `page_check`).
            let (signed_in, check) = if state.pages_suspect() {
                let signed_in = log::sign_in(
                    SignInVia::Passphrase,
                    signin::unlock(&location, &username, &passphrase),
                )?;
                state.pages_checked();
                (signed_in, None)
            } else {
                let (signed_in, check) = log::sign_in(
                    SignInVia::Passphrase,
                    signin::unlock_checking_pages_later(&location, &username, &passphrase),
                )?;
                (signed_in, Some(check))
            };
            let info = signed_in_info(&signed_in)?;
            // The day's backup, when due, starts in the background.
            crate::commands::backup::install_and_back_up(&state, signed_in);
            if let Some(check) = check {
                crate::page_check::start(app, state, check);
            }
            Ok(info)
        })
        .await
}

/// The owner's way back in with the recovery code; sets a new passphrase.
/// The code is used up: the answer carries a new one, shown once (the same
/// shape as setup's answer).
#[tauri::command]
#[specta::specta]
pub async fn recover(
    state: State<'_, AppState>,
    username: String,
    recovery_code: String,
    new_passphrase: String,
) -> CommandResult<SetupOutcome> {
    state
        .blocking(move |state| {
            state.lock();
            let (signed_in, code) = log::sign_in(
                SignInVia::RecoveryCode,
                signin::recover(
                    &state.location(),
                    &username,
                    &Passphrase::new(recovery_code),
                    &Passphrase::new(new_passphrase),
                ),
            )?;
            let info = signed_in_info(&signed_in)?;
            // The day's backup, when due, starts in the background.
            crate::commands::backup::install_and_back_up(&state, signed_in);
            Ok(SetupOutcome {
                recovery_code: code.expose().to_owned(),
                signed_in: info,
            })
        })
        .await
}

pub(crate) fn lock_and_announce<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    reason: LockReason,
) {
    // The day's backup, when due, is taken as Circle locks.
    if crate::commands::backup::lock_and_back_up(state) {
        announce(app, reason.as_str(), reason);
    }
}

#[tauri::command]
#[specta::specta]
pub async fn lock<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> CommandResult<()> {
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
pub async fn current_sign_in(state: State<'_, AppState>) -> CommandResult<Option<SignedInInfo>> {
    match state.with_signed_in(|s| signed_in_info(s)).await {
        Ok(info) => Ok(Some(info)),
        Err(e) if e.kind == crate::error::ErrorKind::Locked => Ok(None),
        Err(e) => Err(e),
    }
}

/// Typing and clicking count as activity for the idle auto-lock.
#[tauri::command]
#[specta::specta]
pub async fn keep_alive(state: State<'_, AppState>) -> CommandResult<()> {
    state.with_signed_in(|_| Ok(())).await
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
            circle_core::limits::at_most(
                "context",
                &context,
                circle_core::limits::PASSPHRASE_CONTEXT_WORDS,
                "words",
            )?;
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
) -> CommandResult<SignedInInfo> {
    state
        .with_signed_in(move |signed_in| {
            accounts::change_own_passphrase(
                signed_in,
                &Passphrase::new(current),
                &Passphrase::new(new_passphrase),
            )?;
            signed_in_info(signed_in)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::staff::NewStaffForm;

    const SECRET: &str = "copper meadow violin harbor";

    #[test]
    fn debug_of_forms_with_passphrases_prints_no_passphrase() {
        let setup = SetupForm {
            practice_name: "Sunrise".into(),
            timezone: "Europe/London".into(),
            owner_full_name: "Dana Reyes".into(),
            owner_username: "dana".into(),
            passphrase: SECRET.into(),
        };
        let staff = NewStaffForm {
            username: "max".into(),
            full_name: "Max Oyelaran".into(),
            role: Role::Clinician,
            initial_passphrase: SECRET.into(),
        };
        let outcome = SetupOutcome {
            recovery_code: SECRET.into(),
            signed_in: SignedInInfo {
                staff_id: 1,
                username: "dana".into(),
                full_name: "Dana Reyes".into(),
                role: Role::Owner,
                role_label: "Owner".into(),
                practice_name: "Sunrise".into(),
                timezone: "Europe/London".into(),
                locale: "en-GB".into(),
                idle_lock_minutes: 10,
                must_change_passphrase: false,
                has_clinical_access: true,
                capabilities: vec![],
            },
        };
        for printed in [
            format!("{setup:?}"),
            format!("{setup:#?}"),
            format!("{staff:?}"),
            format!("{outcome:?}"),
        ] {
            assert!(!printed.contains(SECRET), "{printed}");
            assert!(printed.contains(REDACTED), "{printed}");
        }
        // The rest stays useful for debugging.
        assert!(format!("{setup:?}").contains("dana"));

        // And no form added later derives `Debug` over a secret.
        let sources = [
            include_str!("admin.rs"),
            include_str!("app.rs"),
            include_str!("backup.rs"),
            include_str!("clients.rs"),
            include_str!("groups.rs"),
            include_str!("notes.rs"),
            include_str!("schedule.rs"),
            include_str!("signin.rs"),
            include_str!("staff.rs"),
        ];
        for source in sources {
            for item in source.split("#[derive(").skip(1) {
                let derives = item.split(')').next().unwrap_or_default();
                let body = item.split('}').next().unwrap_or_default();
                let secret = ["passphrase", "recovery_code"]
                    .iter()
                    .any(|word| body.contains(&format!("{word}: String")));
                assert!(
                    !(secret && derives.split(',').any(|d| d.trim() == "Debug")),
                    "derives Debug over a passphrase or recovery code: {}",
                    body.lines().find(|l| l.contains("struct")).unwrap_or(body)
                );
            }
        }
    }
}
