//! `circle`: the Tauri shell. Window, dialogs, app state and the command
//! boundary; everything that matters lives in `circle-core`.

pub mod bindings;
pub mod commands;
pub mod error;
pub mod idle_lock;
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
    let builder = commands::specta_builder();

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
        .manage(state::AppState::new(location))
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            idle_lock::start(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!())
        .map_err(|e| format!("Circle could not start: {e}"))
}
