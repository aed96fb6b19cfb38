//! Staff accounts (owner and practice manager; the core checks).

use circle_core::accounts::{self, NewStaff};
use circle_core::clinical_access::{self, ClinicalAccessRequest};
use circle_core::key_rotation::{RotationOutcome, RotationProgress};
use circle_core::roles::Role;
use circle_core::staff::StaffMember;
use circle_core::vault::secret::Passphrase;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn staff_list(state: State<'_, AppState>) -> CommandResult<Vec<StaffMember>> {
    state.with_signed_in(|s| accounts::list(s)).await
}

#[derive(Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewStaffForm {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub initial_passphrase: String,
}

/// By hand, so the initial passphrase never reaches a log or a panic message.
impl std::fmt::Debug for NewStaffForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewStaffForm")
            .field("username", &self.username)
            .field("full_name", &self.full_name)
            .field("role", &self.role)
            .field(
                "initial_passphrase",
                &format_args!("{}", crate::commands::signin::REDACTED),
            )
            .finish()
    }
}

#[tauri::command]
#[specta::specta]
pub async fn staff_add(
    state: State<'_, AppState>,
    form: NewStaffForm,
) -> CommandResult<StaffMember> {
    state
        .with_signed_in(move |s| {
            accounts::add(
                s,
                NewStaff {
                    username: form.username,
                    full_name: form.full_name,
                    role: form.role,
                    initial_passphrase: Passphrase::new(form.initial_passphrase),
                },
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn staff_change_role(
    state: State<'_, AppState>,
    staff_id: i64,
    role: Role,
) -> CommandResult<StaffMember> {
    state
        .with_signed_in(move |s| accounts::change_role(s, staff_id, role))
        .await
}

/// Whose co-signature this person's notes wait for (None clears it).
#[tauri::command]
#[specta::specta]
pub async fn staff_set_supervisor(
    state: State<'_, AppState>,
    staff_id: i64,
    supervisor_id: Option<i64>,
) -> CommandResult<StaffMember> {
    state
        .with_signed_in(move |s| circle_core::staff::set_supervisor(s, staff_id, supervisor_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn staff_reset_passphrase(
    state: State<'_, AppState>,
    staff_id: i64,
    new_passphrase: String,
) -> CommandResult<()> {
    state
        .with_signed_in(move |s| {
            accounts::reset_passphrase(s, staff_id, &Passphrase::new(new_passphrase))
        })
        .await
}

/// Deactivates; with `rotate_keys`, re-encrypts the databases and reports
/// each step on `progress`.
#[tauri::command]
#[specta::specta]
pub async fn staff_deactivate(
    state: State<'_, AppState>,
    staff_id: i64,
    rotate_keys: bool,
    progress: Channel<RotationProgress>,
) -> CommandResult<Option<RotationOutcome>> {
    state
        .with_signed_in(move |s| {
            accounts::deactivate(s, staff_id, rotate_keys, &mut |step| {
                let _ = progress.send(step);
            })
        })
        .await
}

/// People whose role is clinical but who do not hold the clinical key yet:
/// for a clinical-key holder to look at and approve.
#[tauri::command]
#[specta::specta]
pub async fn clinical_access_waiting(
    state: State<'_, AppState>,
) -> CommandResult<Vec<ClinicalAccessRequest>> {
    state.with_signed_in(|s| clinical_access::waiting(s)).await
}

/// Approves one person's clinical access (their next sign-in takes it up).
#[tauri::command]
#[specta::specta]
pub async fn clinical_access_approve(
    state: State<'_, AppState>,
    staff_id: i64,
) -> CommandResult<()> {
    state
        .with_signed_in(move |s| clinical_access::approve(s, staff_id))
        .await
}
