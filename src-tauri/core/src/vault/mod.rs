//! The encrypted vault, the basement everything else stands on: where it
//! lives, its keys and their wrapping, the keyring file, SQLCipher
//! connections (open, attach, rekey) and migrations. It imports nothing
//! above it; signing in (which needs staff and the audit trail) is one floor
//! up in `signin`.
//!
//! A vault is a folder with `keyring.json`, `practice.db` and `clinical.db`
//! (see DESIGN.md, "The vault").

pub mod commitments;
pub mod crypto;
pub mod db;
pub mod keyring;
pub mod location;
pub mod lock;
pub mod migrations;
pub mod page_check;
pub mod private_files;
pub(crate) mod recovery_code;
pub mod secret;
