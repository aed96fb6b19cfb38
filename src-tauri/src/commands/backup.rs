//! Backups from the window: where they go and how many are kept, "Back up
//! now" with progress, the day's backup taken in the background at sign-in
//! and at lock, and restoring a `.circlebackup` file (which works while
//! locked: it needs no sign-in).
//!
//! Folders and files are chosen in the native dialogs, opened here from
//! Rust: the page never hands over a path. A chosen backup file is kept
//! here under a token, and restore acts on exactly that file.
//!
//! A backup is prepared under the connection lock (its read snapshots start
//! while nothing in Circle can write), copied and written on the blocking
//! pool with the lock released, then recorded under the lock again — or on
//! a connection of its own when Circle locked meanwhile. Only one backup or
//! restore runs at a time (`AppState::enter_backup`).

use std::path::{Path, PathBuf};

use circle_core::backup::{
    self, BackupFailure, BackupProgress, BackupRun, BackupStage, BackupStatus, BackupSummary,
    Finished, PreparedBackup,
};
use circle_core::roles::Capability;
use circle_core::signed_in::SignedIn;
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;
use circle_core::Error;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;

use crate::commands::e2e_hooks;
use crate::commands::lock_event::{announce, LockReason};
use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, BackupTurn};

/// The backup file's extension (without the dot).
const EXTENSION: &str = backup::archive::EXTENSION;

/// A backup file chosen for restoring: its token and what it holds.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChosenBackup {
    /// For `backup_restore`: names the file Rust keeps.
    pub token: u32,
    pub summary: BackupSummary,
    /// The vault in this computer's folder is of another practice: this
    /// backup can only go into a new folder.
    pub other_practice_here: bool,
}

/// Who opens the backup: a login in it, or the recovery code that was
/// current when it was made. No `Debug`: it holds a secret.
#[derive(Clone, serde::Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RestoreCredential {
    Passphrase {
        username: String,
        passphrase: String,
    },
    RecoveryCode {
        code: String,
    },
}

impl RestoreCredential {
    fn into_core(self) -> backup::Credential {
        match self {
            RestoreCredential::Passphrase {
                username,
                passphrase,
            } => backup::Credential::Passphrase {
                username,
                passphrase: Passphrase::new(passphrase),
            },
            RestoreCredential::RecoveryCode { code } => {
                backup::Credential::RecoveryCode(Passphrase::new(code))
            }
        }
    }
}

/// Where the backup goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RestoreTargetChoice {
    /// This computer's vault folder; the vault there now is moved aside.
    ThisVault,
    /// A new, empty folder chosen in the folder dialog; Circle opens the
    /// vault there from then on.
    NewFolder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RestoreStage {
    /// The folder dialog is open.
    ChoosingFolder,
    /// Reading every part and checking it against the manifest.
    Reading,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreProgress {
    pub stage: RestoreStage,
    /// 0 to 1 within the stage.
    pub fraction: f64,
}

/// A restore that was done: where the vault is now, and where the one that
/// was there before was moved (never deleted).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub vault_dir: String,
    pub moved_aside: Option<String>,
}

/// The backup folder, how many are kept, the last good backup and the last
/// attempt, and a warning when one is due (owners and managers).
#[tauri::command]
#[specta::specta]
pub async fn backup_status(state: State<'_, AppState>) -> CommandResult<BackupStatus> {
    state.with_signed_in(|s| backup::status(s)).await
}

/// How many of the day's backups are kept (1 to 365).
#[tauri::command]
#[specta::specta]
pub async fn backup_set_keep(state: State<'_, AppState>, keep: u32) -> CommandResult<BackupStatus> {
    state
        .with_signed_in(move |s| backup::set_keep(s, keep))
        .await
}

/// The owner or manager picks the backup folder in the native folder
/// dialog, opened here. `None`: the dialog was closed; nothing changed.
#[tauri::command]
#[specta::specta]
pub async fn backup_choose_folder<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<Option<BackupStatus>> {
    // Refused before a dialog opens for someone who may not choose.
    state
        .with_signed_in(|s| s.require(Capability::Administer))
        .await?;
    let chosen = match e2e_hooks::path("CIRCLE_E2E_BACKUP_DIR") {
        Some(dir) => Some(dir),
        None => pick_folder(app, window, "Choose the backup folder").await?,
    };
    let Some(folder) = chosen else {
        return Ok(None);
    };
    state
        .with_signed_in(move |s| backup::set_folder(s, &folder))
        .await
        .map(Some)
}

/// "Back up now" into the practice's folder (owners and managers). Each
/// stage is reported on `on_progress`; the window stays usable throughout.
/// A backup that could not be written is not an error: the answer says why
/// (`ok: false`, `message`), as Settings shows it.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(
    state: State<'_, AppState>,
    on_progress: Channel<BackupProgress>,
) -> CommandResult<BackupRun> {
    let state = state.inner().clone();
    let turn = state.enter_backup().await;
    let prepared = state.with_signed_in(|s| backup::prepare(s, None)).await?;
    let mut report = Throttled::new(on_progress);
    let finished = state
        .blocking(move |_| Ok(prepared.run(&mut |p| report.send(p))))
        .await?;
    let run = state
        .blocking(move |state| {
            let run = record(&state, &finished);
            drop(turn);
            run
        })
        .await?;
    Ok(run)
}

/// Asks for a `.circlebackup` file in the native open dialog and reads it
/// through: what it holds, and whether every part is whole. Works while
/// locked. `None`: the dialog was closed.
#[tauri::command]
#[specta::specta]
pub async fn backup_choose_file<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<Option<ChosenBackup>> {
    let chosen = match e2e_hooks::path("CIRCLE_E2E_RESTORE_FILE") {
        Some(path) if path.is_dir() => e2e_hooks::newest_in(&path, EXTENSION),
        Some(path) => Some(path),
        None => pick_backup_file(app, window).await?,
    };
    let Some(path) = chosen else {
        return Ok(None);
    };
    let inspected = path.clone();
    let (summary, here) = state
        .blocking(move |state| {
            let summary = backup::inspect(&inspected)?;
            Ok((summary, backup::restore::practice_of(&state.location())))
        })
        .await?;
    let other_practice_here = here.is_some_and(|id| id != summary.practice_id);
    let token = state.remember_backup_file(path);
    Ok(Some(ChosenBackup {
        token,
        summary,
        other_practice_here,
    }))
}

/// Restores the backup chosen as `token`, once every check has passed,
/// into this computer's vault folder (the vault there now is moved aside)
/// or into a new folder chosen in the folder dialog (which Circle then
/// opens, now and at later starts). Locks first when someone is signed in.
/// `None`: the folder dialog was closed; nothing changed.
#[tauri::command]
#[specta::specta]
pub async fn backup_restore<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    token: u32,
    credential: RestoreCredential,
    target: RestoreTargetChoice,
    on_progress: Channel<RestoreProgress>,
) -> CommandResult<Option<RestoreOutcome>> {
    let state = state.inner().clone();
    let path = state.backup_file(token).ok_or(Error::NotFound {
        what: "That backup file (choose it again)",
    })?;
    let new_folder = match target {
        RestoreTargetChoice::ThisVault => None,
        RestoreTargetChoice::NewFolder => {
            let _ = on_progress.send(RestoreProgress {
                stage: RestoreStage::ChoosingFolder,
                fraction: 0.0,
            });
            let chosen = match e2e_hooks::path("CIRCLE_E2E_RESTORE_INTO") {
                Some(dir) => Some(dir),
                None => {
                    pick_folder(app.clone(), window, "Choose an empty folder for the vault").await?
                }
            };
            match chosen {
                Some(dir) => Some(dir),
                None => return Ok(None),
            }
        }
    };
    // No backup may be reading the vault this moves.
    let turn = state.enter_backup().await;
    let credential = credential.into_core();
    state
        .blocking(move |state| {
            let (was_signed_in, restored) = restore_locked(
                &state,
                &path,
                &credential,
                new_folder,
                &mut |step| {
                    let _ = on_progress.send(step);
                },
                |location| {
                    if let Err(e) = location.remember_for_later_starts() {
                        crate::log::vault_folder_not_remembered(&e);
                    }
                },
            );
            drop(turn);
            if was_signed_in {
                announce(&app, "restore", LockReason::Requested);
            }
            restored.map(Some)
        })
        .await
}

/// Locks (when someone is signed in) and restores `path` while nobody can
/// sign in: into this vault's folder, or into `new_folder`, which Circle
/// then opens (and `remember`s for later starts). Returns whether someone
/// was signed in, and what was done.
fn restore_locked(
    state: &AppState,
    path: &Path,
    credential: &backup::Credential,
    new_folder: Option<PathBuf>,
    progress: &mut dyn FnMut(RestoreProgress),
    remember: impl FnOnce(&VaultLocation),
) -> (bool, circle_core::Result<RestoreOutcome>) {
    state.while_locked(|state| {
        let into_new_folder = new_folder.is_some();
        let target = match new_folder {
            Some(dir) => backup::Target::NewFolder(dir),
            None => backup::Target::Replace(state.location()),
        };
        let mut last = -1.0;
        let restored = backup::restore(path, credential, &target, &mut |done, total| {
            let fraction = (done as f64 / total.max(1) as f64).min(1.0);
            // One message per whole percent is all a bar can show.
            if fraction - last >= 0.01 || (fraction >= 1.0 && last < 1.0) {
                last = fraction;
                progress(RestoreProgress {
                    stage: RestoreStage::Reading,
                    fraction,
                });
            }
        })?;
        if into_new_folder {
            state.set_location(restored.location.clone());
            remember(&restored.location);
        }
        crate::log::vault_restored(into_new_folder);
        Ok(RestoreOutcome {
            vault_dir: restored.location.dir().display().to_string(),
            moved_aside: restored
                .moved_aside
                .map(|aside| aside.display().to_string()),
        })
    })
}

/// Installs a new sign-in and, when the day's backup is due, takes it in
/// the background (its snapshots start before anyone can write).
pub(crate) fn install_and_back_up(state: &AppState, signed_in: SignedIn) {
    let turn = state.try_enter_backup();
    let prepared = state.install_then(signed_in, |s| {
        turn.is_some().then(|| backup::prepare_scheduled(s))
    });
    if let (Some(turn), Some(prepared)) = (turn, prepared) {
        start_in_background(state, prepared, turn, false);
    }
}

/// Locks and, when the day's backup is due, takes it in the background
/// (prepared just before the lock, recorded on a connection of its own).
/// Returns whether someone was signed in.
pub(crate) fn lock_and_back_up(state: &AppState) -> bool {
    let turn = state.try_enter_backup();
    let locked = state.lock_after(|s| turn.is_some().then(|| backup::prepare_scheduled(s)));
    match locked {
        None => false,
        Some(prepared) => {
            if let (Some(turn), Some(prepared)) = (turn, prepared) {
                start_in_background(state, prepared, turn, true);
            }
            true
        }
    }
}

/// Runs a prepared scheduled backup on the blocking pool; the window never
/// waits for it. The core records a failed backup like a good one.
fn start_in_background(
    state: &AppState,
    prepared: circle_core::Result<Option<PreparedBackup>>,
    turn: BackupTurn,
    at_lock: bool,
) {
    let prepared = match prepared {
        Ok(Some(prepared)) => prepared,
        Ok(None) => return,
        Err(e) => {
            crate::log::backup_not_started(&e);
            return;
        }
    };
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let finished = prepared.run(&mut |_| {});
        if at_lock {
            logged(&finished);
            if let Err(e) = finished.record_alone() {
                crate::log::backup_not_recorded(&e);
            }
        } else if let Err(e) = record(&state, &finished) {
            // `record` logged the outcome; this is the recording's own failure.
            crate::log::backup_not_recorded(&e);
        }
        drop(turn);
    });
}

/// Records how a backup ended: under the lock while signed in, else on a
/// connection of its own. Logs the outcome (no folder, no file name).
fn record(state: &AppState, finished: &Finished) -> circle_core::Result<BackupRun> {
    logged(finished);
    match state.signed_in_now(|s| backup::record(s, finished)) {
        Err(Error::Locked) => {
            finished.record_alone()?;
            Ok(finished.summary())
        }
        other => other,
    }
}

fn logged(finished: &Finished) {
    let reason = finished.result.as_ref().err().map(|f| match f.kind {
        BackupFailure::FolderMissing => "folderMissing",
        BackupFailure::NotWritable => "notWritable",
        BackupFailure::DiskFull => "diskFull",
        BackupFailure::Other => "other",
    });
    crate::log::backup_finished(finished.scheduled, reason);
}

/// Progress for the window, at most one message per whole percent of each
/// stage: a large vault would otherwise send thousands.
struct Throttled {
    channel: Channel<BackupProgress>,
    last: Option<(BackupStage, u32)>,
}

impl Throttled {
    fn new(channel: Channel<BackupProgress>) -> Self {
        Throttled {
            channel,
            last: None,
        }
    }

    fn send(&mut self, progress: BackupProgress) {
        let percent = (progress.fraction.clamp(0.0, 1.0) * 100.0) as u32;
        if self.last == Some((progress.stage, percent)) {
            return;
        }
        self.last = Some((progress.stage, percent));
        // A window gone mid-backup cannot show progress; the backup still finishes.
        let _ = self.channel.send(progress);
    }
}

/// The native folder dialog, on a blocking thread (it waits for the person).
async fn pick_folder<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    title: &'static str,
) -> CommandResult<Option<PathBuf>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title(title)
            .blocking_pick_folder()
    })
    .await
    .map_err(|_| dialog_stopped())?;
    match chosen {
        None => Ok(None),
        Some(chosen) => chosen.into_path().map(Some).map_err(|_| {
            not_local(
                "folder",
                "Choose a folder on this computer or a drive connected to it.",
            )
        }),
    }
}

/// The native open dialog for a backup file, on a blocking thread.
async fn pick_backup_file<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
) -> CommandResult<Option<PathBuf>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title("Choose a Circle backup")
            .add_filter("Circle backup", &[EXTENSION])
            .blocking_pick_file()
    })
    .await
    .map_err(|_| dialog_stopped())?;
    match chosen {
        None => Ok(None),
        Some(chosen) => chosen.into_path().map(Some).map_err(|_| {
            not_local(
                "file",
                "Choose a file on this computer or a drive connected to it.",
            )
        }),
    }
}

fn dialog_stopped() -> CommandError {
    CommandError::from(Error::Storage {
        detail: "the file dialog's task stopped".into(),
    })
}

fn not_local(field: &str, reason: &str) -> CommandError {
    CommandError::from(Error::invalid(field, reason))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use circle_core::app_info::AppInfo;
    use circle_core::signin;

    use super::*;

    use crate::state::tests::{signed_in_state, OWNER_PASS as PASS};

    fn unlock(state: &AppState) -> SignedIn {
        signin::unlock(&state.location(), "dana", &Passphrase::from(PASS)).expect("unlock")
    }

    /// Waits for the background backup: it holds the turn until it has
    /// recorded how it ended.
    fn wait_for_background_backup(state: &AppState) {
        drop(tauri::async_runtime::block_on(state.enter_backup()));
    }

    fn backups_in(folder: &Path) -> usize {
        std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
            .count()
    }

    #[test]
    fn the_days_backup_is_taken_at_lock_and_counts_for_the_next_sign_in() {
        let (_dir, state) = signed_in_state();
        let folder = tempfile::tempdir().unwrap();
        state
            .signed_in_now(|s| backup::set_folder(s, folder.path()))
            .unwrap();

        assert!(lock_and_back_up(&state), "someone was signed in");
        assert!(matches!(
            state.signed_in_now(|_| Ok(())),
            Err(Error::Locked)
        ));
        wait_for_background_backup(&state);
        assert_eq!(backups_in(folder.path()), 1);

        // Today's backup is done: signing in takes no second one.
        install_and_back_up(&state, unlock(&state));
        wait_for_background_backup(&state);
        assert_eq!(backups_in(folder.path()), 1);
        let status = state.signed_in_now(|s| backup::status(s)).unwrap();
        let last = status
            .last_success
            .expect("the backup at lock was recorded");
        assert!(last.scheduled);
        assert_eq!(status.warning, None);
        // Nobody signed in: nothing to lock, nothing to back up.
        assert!(state.lock());
        assert!(!lock_and_back_up(&state));
    }

    #[test]
    fn a_days_backup_at_sign_in_into_a_missing_folder_is_recorded_and_warned_about() {
        let (_dir, state) = signed_in_state();
        let drive = tempfile::tempdir().unwrap();
        let folder = drive.path().join("backups");
        std::fs::create_dir(&folder).unwrap();
        state
            .signed_in_now(|s| backup::set_folder(s, &folder))
            .unwrap();
        assert!(state.lock());
        std::fs::remove_dir(&folder).unwrap();

        install_and_back_up(&state, unlock(&state));
        wait_for_background_backup(&state);
        let status = state.signed_in_now(|s| backup::status(s)).unwrap();
        let attempt = status.last_attempt.expect("the failure was recorded");
        assert!(!attempt.ok && attempt.scheduled);
        assert_eq!(attempt.failure, Some(BackupFailure::FolderMissing));
        let warning = status.warning.expect("Today warns");
        assert!(warning.contains("cannot be found"), "{warning}");
    }

    #[test]
    fn only_one_backup_or_restore_runs_at_a_time() {
        let state = AppState::new(VaultLocation::at("/nonexistent"));
        let turn = state.try_enter_backup().expect("nothing under way");
        assert!(state.try_enter_backup().is_none());
        drop(turn);
        assert!(state.try_enter_backup().is_some());
    }

    #[test]
    fn a_restore_into_a_new_folder_locks_and_is_opened_from_then_on() {
        let (dir, state) = signed_in_state();
        let folder = tempfile::tempdir().unwrap();
        let prepared = state
            .signed_in_now(|s| {
                backup::set_folder(s, folder.path())?;
                backup::prepare(s, None)
            })
            .unwrap();
        let finished = prepared.run(&mut |_| {});
        record(&state, &finished).unwrap();
        let file = finished.result.as_ref().unwrap().file.clone();

        let elsewhere = tempfile::tempdir().unwrap();
        let new = elsewhere.path().join("Circle vault");
        let credential = backup::Credential::Passphrase {
            username: "dana".into(),
            passphrase: Passphrase::from("not the passphrase"),
        };
        let mut remembered = None;
        // A refused login changes nothing, though Circle did lock.
        let (was_signed_in, refused) = restore_locked(
            &state,
            &file,
            &credential,
            Some(new.clone()),
            &mut |_| {},
            |l| remembered = Some(l.clone()),
        );
        assert!(was_signed_in);
        assert!(matches!(refused, Err(Error::WrongPassphrase)));
        assert_eq!(state.location(), VaultLocation::at(dir.path()));
        assert_eq!(remembered, None);

        let credential = backup::Credential::Passphrase {
            username: "dana".into(),
            passphrase: Passphrase::from(PASS),
        };
        let mut steps = Vec::new();
        let (was_signed_in, restored) = restore_locked(
            &state,
            &file,
            &credential,
            Some(new.clone()),
            &mut |step| steps.push(step),
            |l| remembered = Some(l.clone()),
        );
        assert!(!was_signed_in);
        let restored = restored.unwrap();
        assert_eq!(restored.vault_dir, new.display().to_string());
        assert_eq!(restored.moved_aside, None);
        assert!(!steps.is_empty() && steps.len() <= 102, "{}", steps.len());
        // Circle opens the new folder now and, remembered, at later starts.
        assert_eq!(state.location(), VaultLocation::at(&new));
        assert_eq!(remembered, Some(VaultLocation::at(&new)));
        let info = AppInfo::gather(&state.location());
        assert_eq!(info.vault_dir, new.display().to_string());
        assert!(info.vault_exists);
        // The vault it was made from is as it was, and the restored one opens.
        assert!(dir.path().join("keyring.json").is_file());
        install_and_back_up(&state, unlock(&state));
        assert!(state.signed_in_now(|s| backup::status(s)).is_ok());
    }

    #[test]
    fn backup_progress_is_sent_at_most_once_a_percent() {
        let sent = Arc::new(AtomicUsize::new(0));
        let counter = sent.clone();
        let channel = Channel::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        let mut report = Throttled::new(channel);
        for stage in [BackupStage::Practice, BackupStage::Writing] {
            for i in 0..=10_000 {
                report.send(BackupProgress {
                    stage,
                    fraction: f64::from(i) / 10_000.0,
                });
            }
        }
        assert_eq!(sent.load(Ordering::SeqCst), 2 * 101);
    }
}
