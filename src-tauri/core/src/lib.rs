//! `circle-core`: everything in Circle that matters, with no Tauri in it.
//!
//! Organised by what the practice deals in (vault, staff, clients, groups,
//! schedule, notes, export, backup, audit), each module owning its tables and
//! SQL. The Tauri shell in `src-tauri` only parses, authorizes, calls in here
//! and maps the error.

pub mod app_info;
pub mod error;
pub mod vault;

pub use error::{Error, Result};
