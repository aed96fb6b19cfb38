//! App state shared by every command.
//!
//! The vault location is fixed at launch. The lock state (`Locked |
//! Unlocked(Session)`) joins it when the vault issue lands.

use circle_core::vault::location::VaultLocation;

pub struct AppState {
    pub location: VaultLocation,
}
