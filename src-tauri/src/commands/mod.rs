//! Every command the window may call, one file per domain.
//!
//! Commands are thin and `async` (a sync command runs on the main thread and
//! freezes the window): parse → authorize → call `circle-core` → map the error.

pub mod app;

use tauri_specta::{collect_commands, Builder};

/// The one list of commands: it drives both the invoke handler and the
/// generated TypeScript bindings, so the two cannot drift apart.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        // Types are only ever sent one way per direction; one TS type each is clearer.
        .disable_serde_phases()
        .commands(collect_commands![app::app_info])
}

/// The command names in generated bindings (`TAURI_INVOKE("name"`), so tests
/// can check each one is declared and granted.
pub fn command_names(bindings_ts: &str) -> Vec<String> {
    bindings_ts
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}
