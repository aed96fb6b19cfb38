//! End-to-end tests: the real Circle window driven through WebDriver
//! (tauri-driver + WebKitWebDriver under Xvfb). One binary with a module per
//! flow, run one test at a time (`--test-threads=1`): each test launches its
//! own app on its own temp vault.

mod accessibility;
mod appointment_checkin;
mod backups;
mod calendar_settings;
mod client_import;
mod clinical_access;
mod demo;
mod exports;
mod front_desk_tour;
mod full_disk;
mod idle_lock;
mod individual;
mod key_rotation;
mod keyboard;
mod measures;
mod no_socket;
mod notes;
mod page_check;
mod pickers;
mod retention;
mod scheduling;
mod screens;
mod unlock_return;
mod vault_flow;
mod week_grid;
mod welcome;
