//! `circle-core`: everything in Circle that matters, with no Tauri in it.
//!
//! Organised by what the practice deals in (vault, staff, clients, groups,
//! schedule, notes, export, backup, audit), each module owning its tables and
//! SQL. The Tauri shell in `src-tauri` only parses, calls in here and maps the
//! error. Every service takes the signed-in state ([`signed_in::SignedIn`]),
//! which carries the acting staff member, and checks the permission matrix
//! itself.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod app_info;
pub mod atomic_file;
pub mod audit;
pub mod backup;
#[cfg(feature = "bench")]
pub mod bench;
pub mod clients;
pub mod clinical_access;
pub mod clock;
pub mod demo;
pub mod disclosures;
pub mod error;
pub mod export;
pub mod groups;
pub mod import;
pub mod integrity;
pub mod key_rotation;
pub mod limits;
pub mod measures;
pub mod names;
pub mod notes;
pub mod passphrase_policy;
pub mod practice;
pub mod retention;
pub mod roles;
pub mod schedule;
pub mod signed_in;
pub mod signin;
pub mod staff;
mod stored_text;
pub mod vault;

pub use error::{Error, Result};
