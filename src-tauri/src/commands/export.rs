//! PDF exports from the window: a member's record, a session packet, a
//! group's attendance, the day sheet, the recovery sheet and a client's
//! accounting of disclosures; checking a PDF against what Circle released;
//! opening a file an export wrote.
//!
//! Every export runs the same way (see `circle_core::export`): gather the
//! data under the connection lock, ask where to save in the native save
//! dialog (opened here, from Rust: the page never hands over a path), set
//! the pages on the blocking pool with the lock released, then write and
//! record the file under the lock. Each stage is reported on `progress`;
//! `export_cancel` stops an export before anything is written.

use std::path::{Path, PathBuf};

use circle_core::export::{
    self, attendance_report, day_sheet, disclosure_report, member_record, recovery_sheet,
    session_packet, Prepared, Released, Verification,
};
use circle_core::signed_in::SignedIn;
use circle_core::Error;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::commands::e2e_hooks;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The largest file `export_verify` reads. Circle's own exports are a few
/// megabytes; anything far bigger is not one of them.
const MAX_VERIFY_BYTES: u64 = 200 * 1024 * 1024;

/// Where an export has got to, for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ExportProgress {
    /// Reading and checking what goes in.
    Gathering,
    /// The save dialog is open.
    ChoosingFile,
    /// Setting the pages (the slow part; Circle stays usable meanwhile).
    Typesetting,
    /// Writing the file and recording its release.
    Writing,
    Done,
}

/// A written and recorded export.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    /// For `export_open` and `export_show_in_folder`.
    pub export_id: u32,
    pub file_name: String,
    /// The folder it was saved in.
    pub folder: String,
    pub released: Released,
}

/// A member's record over a date range, to the client or another recipient.
/// `None`: the save dialog was closed or the export cancelled; nothing written.
#[tauri::command]
#[specta::specta]
pub async fn export_member_record<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    request: member_record::RecordRequest,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        member_record::prepare(s, &request)
    })
    .await
}

/// One session's whole signed note.
#[tauri::command]
#[specta::specta]
pub async fn export_session_packet<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    session_id: i64,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        session_packet::prepare(s, session_id)
    })
    .await
}

/// A group's attendance from `from` to `to` ("YYYY-MM-DD").
#[tauri::command]
#[specta::specta]
pub async fn export_attendance<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    group_id: i64,
    from: String,
    to: String,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        attendance_report::prepare(s, group_id, &from, &to)
    })
    .await
}

/// The front desk's sheet for `date` ("YYYY-MM-DD").
#[tauri::command]
#[specta::specta]
pub async fn export_day_sheet<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    date: String,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        day_sheet::prepare(s, &date)
    })
    .await
}

/// The recovery code on paper (owner only): `code` is the one on screen,
/// which Circle keeps no copy of.
#[tauri::command]
#[specta::specta]
pub async fn export_recovery_sheet<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    code: String,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        recovery_sheet::prepare(s, &code)
    })
    .await
}

/// A client's accounting of disclosures.
#[tauri::command]
#[specta::specta]
pub async fn export_disclosures<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
    client_id: i64,
    progress: Channel<ExportProgress>,
) -> CommandResult<Option<ExportDone>> {
    run(app, window, &state, progress, move |s| {
        disclosure_report::prepare(s, client_id)
    })
    .await
}

/// Stops the export under way before it writes anything. Once it is
/// writing, it finishes (a file half-recorded would be worse).
#[tauri::command]
#[specta::specta]
pub async fn export_cancel(state: State<'_, AppState>) -> CommandResult<()> {
    state.cancel_export();
    Ok(())
}

/// Opens the file export `export_id` wrote in the computer's PDF viewer.
#[tauri::command]
#[specta::specta]
pub async fn export_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    export_id: u32,
) -> CommandResult<()> {
    let path = written_file(&state, export_id)?;
    state
        .blocking(move |_| {
            app.opener()
                .open_path(path.to_string_lossy(), None::<&str>)
                .map_err(|_| {
                    Error::invalid(
                        "file",
                        "No program on this computer opened the PDF. Use Show in folder and open it from there.",
                    )
                })
        })
        .await
}

/// Shows the file export `export_id` wrote in the file manager.
#[tauri::command]
#[specta::specta]
pub async fn export_show_in_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    export_id: u32,
) -> CommandResult<()> {
    let path = written_file(&state, export_id)?;
    state
        .blocking(move |_| {
            app.opener().reveal_item_in_dir(&path).map_err(|_| {
                Error::invalid(
                    "file",
                    "The file manager could not be opened. The file is in the folder named above.",
                )
            })
        })
        .await
}

/// Asks for a PDF in the native open dialog and tells whether it is
/// exactly a file Circle released. `None`: the dialog was closed.
#[tauri::command]
#[specta::specta]
pub async fn export_verify<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<Option<Verification>> {
    let Some(path) = choose_pdf_to_check(app, window).await? else {
        return Ok(None);
    };
    let bytes = state.blocking(move |_| read_pdf_to_check(&path)).await?;
    state
        .with_signed_in(move |s| export::verify(s, &bytes))
        .await
        .map(Some)
}

/// The owner's or manager's practice address and phone, for the letterhead.
#[tauri::command]
#[specta::specta]
pub async fn practice_set_letterhead(
    state: State<'_, AppState>,
    input: circle_core::practice::LetterheadInput,
) -> CommandResult<circle_core::practice::PracticeSettings> {
    state
        .with_signed_in(move |s| circle_core::practice::set_letterhead(s, input))
        .await
}

/// The owner or manager picks the letterhead's logo (PNG or JPEG) in the
/// native open dialog, opened here: the page never hands over a path.
/// `None`: the dialog was closed; nothing changed.
#[tauri::command]
#[specta::specta]
pub async fn practice_choose_logo<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: State<'_, AppState>,
) -> CommandResult<Option<circle_core::practice::PracticeSettings>> {
    // Refused before a dialog opens for someone who may not choose (as
    // `backup_choose_folder`), not after they have picked a file.
    state
        .with_signed_in(|s| s.require(circle_core::roles::Capability::Administer))
        .await?;
    let path = match e2e_hooks::path("CIRCLE_E2E_LOGO_FILE") {
        Some(path) => path,
        None => {
            let chosen = tauri::async_runtime::spawn_blocking(move || {
                app.dialog()
                    .file()
                    .set_parent(&window)
                    .set_title("Choose the practice's logo")
                    .add_filter("Image", &["png", "jpg", "jpeg"])
                    .blocking_pick_file()
            })
            .await
            .map_err(|_| background_task_stopped())?;
            let Some(chosen) = chosen else {
                return Ok(None);
            };
            chosen.into_path().map_err(|_| not_a_local_file())?
        }
    };
    let bytes = state.blocking(move |_| read_logo(&path)).await?;
    state
        .with_signed_in(move |s| circle_core::practice::set_logo(s, &bytes))
        .await
        .map(Some)
}

/// The letterhead goes back to the practice's name alone.
#[tauri::command]
#[specta::specta]
pub async fn practice_clear_logo(
    state: State<'_, AppState>,
) -> CommandResult<circle_core::practice::PracticeSettings> {
    state
        .with_signed_in(|s| circle_core::practice::clear_logo(s))
        .await
}

fn read_logo(path: &Path) -> circle_core::Result<Vec<u8>> {
    read_at_most(
        path,
        circle_core::practice::MAX_LOGO_BYTES as u64,
        "logo",
        "Choose an image under 1 MB (a logo needs far less).",
    )
}

/// The three steps of every export, with progress and cancel.
async fn run<R: Runtime, F>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    state: &AppState,
    progress: Channel<ExportProgress>,
    prepare: F,
) -> CommandResult<Option<ExportDone>>
where
    F: FnOnce(&SignedIn) -> circle_core::Result<Prepared> + Send + 'static,
{
    state.export_started();
    // A window gone mid-export cannot show progress; the export still finishes.
    let report = |stage| {
        let _ = progress.send(stage);
    };

    report(ExportProgress::Gathering);
    let prepared = state.with_signed_in(move |s| prepare(s)).await?;
    if state.export_cancelled() {
        return Ok(None);
    }

    report(ExportProgress::ChoosingFile);
    let Some(path) = choose_save_path(app, window, &prepared.suggested_file_name).await? else {
        return Ok(None);
    };
    if state.export_cancelled() {
        return Ok(None);
    }

    report(ExportProgress::Typesetting);
    // No connection lock here: the rest of Circle stays usable.
    let (prepared, typeset) = state
        .blocking(move |_| {
            let typeset = prepared.typeset()?;
            Ok((prepared, typeset))
        })
        .await?;
    if state.export_cancelled() {
        return Ok(None);
    }

    report(ExportProgress::Writing);
    let written = path.clone();
    let released = state
        .with_signed_in(move |s| export::release(s, &prepared, &typeset, &written))
        .await?;
    let (file_name, folder) = names_of(&path);
    let export_id = state.remember_export(path);
    report(ExportProgress::Done);
    Ok(Some(ExportDone {
        export_id,
        file_name,
        folder,
        released,
    }))
}

/// The file export `id` wrote, while it is still there.
fn written_file(state: &AppState, id: u32) -> CommandResult<PathBuf> {
    let path = state.exported_path(id).ok_or(Error::NotFound {
        what: "That export",
    })?;
    if !path.is_file() {
        return Err(CommandError::from(Error::NotFound {
            what: "The saved file (it was moved or deleted)",
        }));
    }
    Ok(path)
}

/// Where to save: the native save dialog, on a blocking thread (it waits
/// for the person). `None` when they close it.
async fn choose_save_path<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    suggested: &str,
) -> CommandResult<Option<PathBuf>> {
    if let Some(dir) = e2e_hooks::path("CIRCLE_E2E_EXPORT_DIR") {
        return Ok(Some(dir.join(suggested)));
    }
    let suggested = suggested.to_owned();
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title("Save the PDF")
            .set_file_name(&suggested)
            .add_filter("PDF", &["pdf"])
            .blocking_save_file()
    })
    .await
    .map_err(|_| background_task_stopped())?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen.into_path().map_err(|_| not_a_local_file())?;
    with_pdf_extension(path)
        .map(Some)
        .map_err(CommandError::from)
}

/// A name typed without an extension gets ".pdf", so the file opens as one.
/// The save dialog asked before replacing the name as typed, not this
/// one, so an existing file of that name is not replaced.
fn with_pdf_extension(path: PathBuf) -> circle_core::Result<PathBuf> {
    if path.extension().is_some() {
        return Ok(path);
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".pdf");
    let with = path.with_file_name(name);
    if with.exists() {
        let shown = with.file_name().unwrap_or_default().to_string_lossy();
        return Err(Error::invalid(
            "file",
            format!("A file named {shown} is already there. Choose another name."),
        ));
    }
    Ok(with)
}

/// The PDF to check: the native open dialog, on a blocking thread.
async fn choose_pdf_to_check<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
) -> CommandResult<Option<PathBuf>> {
    if let Some(dir) = e2e_hooks::path("CIRCLE_E2E_EXPORT_DIR") {
        return Ok(e2e_hooks::newest_in(&dir, "pdf"));
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_parent(&window)
            .set_title("Check a PDF")
            .add_filter("PDF", &["pdf"])
            .blocking_pick_file()
    })
    .await
    .map_err(|_| background_task_stopped())?;
    match chosen {
        None => Ok(None),
        Some(chosen) => chosen.into_path().map(Some).map_err(|_| not_a_local_file()),
    }
}

fn read_pdf_to_check(path: &Path) -> circle_core::Result<Vec<u8>> {
    read_at_most(
        path,
        MAX_VERIFY_BYTES,
        "file",
        "That file is far larger than any PDF Circle makes (over 200 MB), so it is not one Circle released.",
    )
}

/// Reads `path` unless it is larger than `max` bytes; both refusals name `field`.
fn read_at_most(
    path: &Path,
    max: u64,
    field: &str,
    too_large: &str,
) -> circle_core::Result<Vec<u8>> {
    let unreadable = |_| Error::invalid(field, "Circle could not read that file.");
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > max {
        return Err(Error::invalid(field, too_large));
    }
    std::fs::read(path).map_err(unreadable)
}

/// The file's name and its folder, as the window shows them.
fn names_of(path: &Path) -> (String, String) {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    (file_name, folder)
}

fn background_task_stopped() -> CommandError {
    CommandError::from(Error::Storage {
        detail: "the file dialog's task stopped".into(),
    })
}

fn not_a_local_file() -> CommandError {
    CommandError::from(Error::invalid(
        "file",
        "Choose a file on this computer or a drive connected to it.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_typed_without_an_extension_gets_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = with_pdf_extension(dir.path().join("record for court")).unwrap();
        assert_eq!(chosen, dir.path().join("record for court.pdf"));
        // One the person typed with an extension is theirs to keep.
        let typed = dir.path().join("record.PDF");
        assert_eq!(with_pdf_extension(typed.clone()).unwrap(), typed);
    }

    #[test]
    fn adding_pdf_never_replaces_a_file_the_dialog_did_not_ask_about() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("record.pdf"), b"kept").unwrap();
        let refused = with_pdf_extension(dir.path().join("record")).unwrap_err();
        assert_eq!(refused.field(), Some("file"));
        assert!(refused.to_string().contains("record.pdf"), "{refused}");
        assert_eq!(
            std::fs::read(dir.path().join("record.pdf")).unwrap(),
            b"kept"
        );
    }

    #[test]
    fn a_file_over_200_mb_is_refused_beside_the_file_field() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.pdf");
        let file = std::fs::File::create(&big).unwrap();
        // Sparse: takes no disk space.
        file.set_len(MAX_VERIFY_BYTES + 1).unwrap();
        let refused = read_pdf_to_check(&big).unwrap_err();
        assert_eq!(refused.field(), Some("file"));
        let small = dir.path().join("small.pdf");
        std::fs::write(&small, b"%PDF-1.7").unwrap();
        assert_eq!(read_pdf_to_check(&small).unwrap(), b"%PDF-1.7");
    }

    #[test]
    fn the_window_gets_the_file_name_and_its_folder() {
        let (name, folder) = names_of(Path::new("/home/dana/Exports/record-C-000042.pdf"));
        assert_eq!(name, "record-C-000042.pdf");
        assert_eq!(folder, "/home/dana/Exports");
    }
}
