//! App state: the vault folder and `Locked | Unlocked(SignedIn)`.
//!
//! Core calls block (Argon2id takes a good fraction of a second, SQLite does
//! I/O), so commands run them on Tauri's blocking pool and never on the
//! window's thread. The signed-in state sits behind one mutex; locking replaces it
//! with `Locked`, which drops the connection and zeroes the keys.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use circle_core::signed_in::SignedIn;
use circle_core::vault::location::VaultLocation;
use circle_core::Error;

use crate::error::{CommandError, CommandResult};

pub enum VaultState {
    Locked,
    Unlocked(Box<SignedIn>),
}

struct Shared {
    vault: Mutex<VaultState>,
    last_activity: Mutex<Instant>,
}

#[derive(Clone)]
pub struct AppState {
    pub location: VaultLocation,
    shared: Arc<Shared>,
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState {
            location,
            shared: Arc::new(Shared {
                vault: Mutex::new(VaultState::Locked),
                last_activity: Mutex::new(Instant::now()),
            }),
        }
    }

    /// A poisoned lock means a panic mid-command; the state it guards is
    /// still a valid enum, and the next lock or unlock replaces it anyway.
    fn vault(&self) -> MutexGuard<'_, VaultState> {
        self.shared
            .vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn touch(&self) {
        *self
            .shared
            .last_activity
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }

    pub fn idle_for(&self) -> std::time::Duration {
        self.shared
            .last_activity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .elapsed()
    }

    /// Runs `work` on the blocking pool.
    pub async fn blocking<T, F>(&self, work: F) -> CommandResult<T>
    where
        T: Send + 'static,
        F: FnOnce(AppState) -> Result<T, Error> + Send + 'static,
    {
        let state = self.clone();
        tauri::async_runtime::spawn_blocking(move || work(state))
            .await
            .map_err(|_| {
                CommandError::from(Error::Storage {
                    detail: "a background task stopped".into(),
                })
            })?
            .map_err(CommandError::from)
    }

    /// Runs `work` with the signed-in state (or `Locked`), counting as activity.
    pub async fn with_signed_in<T, F>(&self, work: F) -> CommandResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SignedIn) -> Result<T, Error> + Send + 'static,
    {
        self.blocking(move |state| {
            state.touch();
            let mut guard = state.vault();
            match &mut *guard {
                VaultState::Unlocked(signed_in) => work(signed_in),
                VaultState::Locked => Err(Error::Locked),
            }
        })
        .await
    }

    /// Replaces the state with a new sign-in (after setup, unlock, recovery).
    pub fn install(&self, signed_in: SignedIn) {
        self.touch();
        *self.vault() = VaultState::Unlocked(Box::new(signed_in));
    }

    /// Locks now. Returns whether someone was signed in.
    pub fn lock(&self) -> bool {
        let previous = std::mem::replace(&mut *self.vault(), VaultState::Locked);
        match previous {
            VaultState::Unlocked(signed_in) => {
                if let Err(e) = signed_in.lock() {
                    crate::log::lock_not_audited(&e);
                }
                true
            }
            VaultState::Locked => false,
        }
    }

    /// The idle limit while someone is signed in, if any.
    pub fn idle_limit_minutes(&self) -> Option<u32> {
        match &*self.vault() {
            VaultState::Unlocked(signed_in) => circle_core::practice::sign_in_settings(signed_in)
                .ok()
                .map(|s| s.idle_lock_minutes),
            VaultState::Locked => None,
        }
    }
}
