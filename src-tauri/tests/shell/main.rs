//! The shell's own tests: Circle's commands called through its real invoke
//! handler on Tauri's MockRuntime (see `harness`), against real vaults.
//!
//! Issue 16, suite 3 (`every_role`) and suite 7 (`idle_lock_during_save`).

mod every_role;
mod harness;
mod idle_lock_during_save;
