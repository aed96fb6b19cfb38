//! Declares the app's own commands so Tauri generates one permission per
//! command (`allow-<name>`), which `capabilities/main.json` grants by name.
//! A command missing here cannot be called from the window at all.

/// Keep in step with `commands::specta_builder` (a test checks they match).
pub const APP_COMMANDS: &[&str] = &["app_info"];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(APP_COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; there is no other channel.
        panic!("tauri build step failed: {error:#}");
    }
}
