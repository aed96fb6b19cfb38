//! The encrypted vault: where it lives, its keys, and its databases.

pub mod location;
