//! The ways in: first-run setup, signing in with a passphrase, and recovery
//! with the recovery code. Each ends in a [`SignedIn`](crate::signed_in::SignedIn).
//!
//! The passphrase is checked when the keys are unwrapped, before any database
//! opens, so a wrong passphrase never touches a database and a database that
//! then fails to read is reported as corrupt.

mod setup;
mod unlock;

pub use setup::{setup, SetupRequest};
pub use unlock::{recover, unlock, unlock_checking_pages_later};
