//! `circle`: the Tauri shell. Window, dialogs, app state, the local log and
//! the command boundary, where input is parsed, the core called and its
//! errors mapped. Everything that matters, deciding who may do what
//! included, lives in `circle-core`.

pub mod bindings;
pub mod commands;
pub mod error;
mod error_kind;
pub mod idle_lock;
pub mod log;
mod page_check;
pub mod state;

use circle_core::vault::location::VaultLocation;

/// Starts the app. Returns an error message instead of panicking so `main`
/// can report it plainly.
pub fn run() -> Result<(), String> {
    let location = VaultLocation::from_env_or_default().ok_or_else(|| {
        "Circle could not find a folder for its data: this account has no home folder. \
         Set CIRCLE_VAULT to a folder and start Circle again."
            .to_owned()
    })?;
    // First, so everything after it can be logged. Beside the vault it
    // describes: `<vault folder>/logs`.
    let log_guard = log::init(&location);
    log::app_started();
    let builder = commands::specta_builder();
    let webview_data = location.dir().join(WEBVIEW_DATA_DIR);

    tauri::Builder::default()
        // A second launch focuses the open window instead of opening the vault twice.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state::AppState::new(location))
        // The log's writer lives as long as the app; closed at exit below.
        .manage(log_guard)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            open_main_window(app, webview_data)?;
            idle_lock::start(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| {
            log::app_failed_to_start();
            format!("Circle could not start: {e}")
        })?
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                log::app_exiting();
                // The process may end without running destructors: write out
                // the queued lines now.
                app.state::<log::LogGuard>().close();
            }
        });
    Ok(())
}

/// The folder inside the vault folder that holds WebKit's own data (its
/// HTTP cache, local storage, media-key and cache-storage salts, HSTS list).
pub const WEBVIEW_DATA_DIR: &str = "webview";

/// Opens the window tauri.conf.json describes (`"create": false` there, so
/// it is opened here) with WebKit's data in the vault folder instead of the
/// OS's per-user data folder: Circle writes nothing outside the vault folder
/// and the files a person chose, wherever `CIRCLE_VAULT` or a restore put
/// the vault. (Incognito would keep it off the disk altogether, but wry's
/// ephemeral context refuses WebDriver, so the end-to-end suite could not
/// drive the window as shipped; e2e's `no_socket` lists what WebKit writes.)
fn open_main_window(app: &tauri::App, data_directory: std::path::PathBuf) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
        .data_directory(data_directory)
        .build()?;
    Ok(())
}
