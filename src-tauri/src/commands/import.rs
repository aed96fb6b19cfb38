//! Clients → Import: the file chosen in the native dialog, read in the
//! core, previewed and imported (scheduling roles; the core checks,
//! validates and audits).

use std::path::{Path, PathBuf};

use circle_core::import::{self, ImportChoices, ImportReport, Table, MAX_FILE_BYTES};
use circle_core::Error;
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;

use super::e2e_hooks;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// A file chosen for import and what importing it would do.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// Names the file in later calls (the path stays in the shell).
    pub token: u32,
    pub file_name: String,
    pub report: ImportReport,
}

fn read(path: &Path) -> circle_core::Result<Table> {
    let unreadable = |_| Error::invalid("file", "Circle could not read that file.");
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(Error::invalid(
            "file",
            "That file is larger than 50 MB, far more than a client list. Check that it is the right file.",
        ));
    }
    import::read_table(&std::fs::read(path).map_err(unreadable)?)
}

/// The file chosen as `token`, looked up before and refused (if unknown)
/// inside the signed-in call, so that a locked window hears "locked" first.
fn chosen(path: Option<PathBuf>) -> circle_core::Result<PathBuf> {
    path.ok_or(Error::NotFound {
        what: "That file (choose it again)",
    })
}

/// Asks for a CSV file in the native open dialog and previews importing
/// it with the columns guessed. `None`: the dialog was closed.
#[tauri::command]
#[specta::specta]
pub async fn import_choose_file<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<Option<ImportPreview>> {
    let path = match e2e_hooks::path("CIRCLE_E2E_IMPORT_FILE") {
        Some(path) => Some(path),
        None => pick_csv(app, window).await?,
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let token = state.remember_import_file(path.clone());
    let report = state
        .with_signed_in(move |s| import::preview(s, &read(&path)?, &ImportChoices::default()))
        .await?;
    Ok(Some(ImportPreview {
        token,
        file_name,
        report,
    }))
}

/// The preview again, with the person's column mapping, date order and
/// duplicate decisions.
#[tauri::command]
#[specta::specta]
pub async fn import_preview(
    state: State<'_, AppState>,
    token: u32,
    choices: ImportChoices,
) -> CommandResult<ImportReport> {
    let path = state.import_file(token);
    state
        .with_signed_in(move |s| import::preview(s, &read(&chosen(path)?)?, &choices))
        .await
}

/// Imports the rows that pass, all in one transaction.
#[tauri::command]
#[specta::specta]
pub async fn import_clients(
    state: State<'_, AppState>,
    token: u32,
    choices: ImportChoices,
) -> CommandResult<ImportReport> {
    let path = state.import_file(token);
    state
        .with_signed_in(move |s| import::import(s, &read(&chosen(path)?)?, &choices))
        .await
}

/// Saves the refused rows, with their line and reason, as a CSV file
/// chosen in the save dialog. `None`: the dialog was closed.
#[tauri::command]
#[specta::specta]
pub async fn import_save_rejected<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    token: u32,
    choices: ImportChoices,
) -> CommandResult<Option<String>> {
    let path = state.import_file(token);
    let stem = path
        .as_ref()
        .and_then(|p| p.file_stem())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "clients".into());
    let bytes = state
        .with_signed_in(move |s| {
            let table = read(&chosen(path)?)?;
            let report = import::preview(s, &table, &choices)?;
            import::rejected_csv(&table, &report)
        })
        .await?;
    let suggested = format!("{stem} - rows not imported.csv");
    let target = match e2e_hooks::path("CIRCLE_E2E_EXPORT_DIR") {
        Some(dir) => Some(dir.join(&suggested)),
        None => save_csv(app, window, suggested).await?,
    };
    let Some(target) = target else {
        return Ok(None);
    };
    circle_core::atomic_file::write(&target, &bytes).map_err(|_| {
        CommandError::from(Error::invalid(
            "file",
            "Circle could not save the file there. Choose another folder.",
        ))
    })?;
    Ok(Some(
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    ))
}

async fn pick_csv<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
) -> CommandResult<Option<PathBuf>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title("Choose the client list")
            .add_filter("Client list (CSV)", &["csv", "txt", "tsv"])
            .blocking_pick_file()
    })
    .await
    .map_err(|_| stopped())?;
    match chosen {
        None => Ok(None),
        Some(chosen) => chosen.into_path().map(Some).map_err(|_| not_local()),
    }
}

async fn save_csv<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    suggested: String,
) -> CommandResult<Option<PathBuf>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title("Save the rows not imported")
            .set_file_name(&suggested)
            .add_filter("CSV", &["csv"])
            .blocking_save_file()
    })
    .await
    .map_err(|_| stopped())?;
    match chosen {
        None => Ok(None),
        Some(chosen) => chosen.into_path().map(Some).map_err(|_| not_local()),
    }
}

fn stopped() -> CommandError {
    CommandError::from(Error::Storage {
        detail: "the file dialog's task stopped".into(),
    })
}

fn not_local() -> CommandError {
    CommandError::from(Error::invalid(
        "file",
        "Choose a file on this computer or a drive connected to it.",
    ))
}
