//! Shared fixtures for Circle's end-to-end tests.
//!
//! Each [`App`] is the real Circle binary in a real window: its own Xvfb
//! display (when there is no `DISPLAY`), its own `tauri-driver` (which runs
//! WebKitWebDriver, which starts the app) and its own empty vault folder.
//! Dropping it ends exactly the processes it started, by process group.

pub mod axe;
pub mod flows;
pub mod harness;
pub mod keyboard;
pub mod practice;

pub use harness::{App, AppOptions};
