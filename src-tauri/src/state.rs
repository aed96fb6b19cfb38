//! App state: the vault folder and `Locked | Unlocked(SignedIn)`.
//!
//! Core calls block (Argon2id takes a good fraction of a second, SQLite does
//! I/O), so commands run them on Tauri's blocking pool and never on the
//! window's thread. The signed-in state sits behind one mutex; locking replaces it
//! with `Locked`, which drops the connection and zeroes the keys.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
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
    /// Set by `export_cancel`, cleared as each export starts.
    export_cancelled: AtomicBool,
    next_export_id: AtomicU32,
    /// Files written by exports since sign-in, by export id: Open and Show
    /// in folder act on exactly these, never on a path from the page.
    exported: Mutex<BTreeMap<u32, PathBuf>>,
    /// The vault folder: changed only by a restore into a new folder.
    location: RwLock<VaultLocation>,
    /// Held by the backup or restore under way, so only one runs at a time
    /// (and a restore never moves a vault a backup is still reading).
    backup_gate: Arc<tauri::async_runtime::Mutex<()>>,
    next_backup_file: AtomicU32,
    /// `.circlebackup` files chosen in the open dialog, by token: restore
    /// acts on exactly these, never on a path from the page.
    backup_files: Mutex<BTreeMap<u32, PathBuf>>,
    next_import_file: AtomicU32,
    /// Client lists chosen in the open dialog, by token: the import reads
    /// exactly these, never a path from the page.
    import_files: Mutex<BTreeMap<u32, PathBuf>>,
    /// The page check after a sign-in found a changed page: the next sign-in
    /// checks every page before it opens (see `page_check`).
    pages_suspect: AtomicBool,
}

/// The turn of one backup or restore (see `AppState::enter_backup`);
/// the next may start once it is dropped.
pub struct BackupTurn {
    _guard: Box<dyn Send>,
}

#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

impl AppState {
    pub fn new(location: VaultLocation) -> Self {
        AppState {
            shared: Arc::new(Shared {
                vault: Mutex::new(VaultState::Locked),
                last_activity: Mutex::new(Instant::now()),
                export_cancelled: AtomicBool::new(false),
                next_export_id: AtomicU32::new(1),
                exported: Mutex::new(BTreeMap::new()),
                location: RwLock::new(location),
                backup_gate: Arc::new(tauri::async_runtime::Mutex::new(())),
                next_backup_file: AtomicU32::new(1),
                backup_files: Mutex::new(BTreeMap::new()),
                next_import_file: AtomicU32::new(1),
                import_files: Mutex::new(BTreeMap::new()),
                pages_suspect: AtomicBool::new(false),
            }),
        }
    }

    /// The vault folder Circle opens now.
    pub fn location(&self) -> VaultLocation {
        // A poisoned lock still holds a whole location (it is only ever replaced).
        self.shared
            .location
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// From now on Circle opens the vault in `location` (after a restore
    /// into a new folder).
    pub fn set_location(&self, location: VaultLocation) {
        *self
            .shared
            .location
            .write()
            .unwrap_or_else(PoisonError::into_inner) = location;
    }

    /// The next sign-in checks every page before it opens the vault.
    pub fn suspect_pages(&self) {
        self.shared.pages_suspect.store(true, Ordering::SeqCst);
    }

    /// Whether the next sign-in must check every page first.
    pub fn pages_suspect(&self) -> bool {
        self.shared.pages_suspect.load(Ordering::SeqCst)
    }

    /// A sign-in checked every page and found them sound.
    pub fn pages_checked(&self) {
        self.shared.pages_suspect.store(false, Ordering::SeqCst);
    }

    /// A poisoned lock means a panic mid-command; the state it guards is
    /// still a valid enum, and the next lock or unlock replaces it anyway.
    fn vault(&self) -> MutexGuard<'_, VaultState> {
        self.shared
            .vault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts as activity now (a command, a keep-alive from the window).
    pub fn touch(&self) {
        self.touch_at(Instant::now());
    }

    /// Counts as activity at `at` (tests move the clock this way).
    pub fn touch_at(&self, at: Instant) {
        *self
            .shared
            .last_activity
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// Whether, at `now`, someone is signed in and has been idle for at
    /// least the practice's idle limit.
    pub fn idle_limit_passed(&self, now: Instant) -> bool {
        let Some(minutes) = self.idle_limit_minutes() else {
            return false;
        };
        let limit =
            e2e_idle_limit().unwrap_or(std::time::Duration::from_secs(u64::from(minutes) * 60));
        let last = *self
            .shared
            .last_activity
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        now.saturating_duration_since(last) >= limit
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
            state.signed_in_now(work)
        })
        .await
    }

    /// `with_signed_in` on this thread, for work already on the blocking
    /// pool (a backup recording how it ended). Not counted as activity.
    pub fn signed_in_now<T>(
        &self,
        work: impl FnOnce(&mut SignedIn) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut guard = self.vault();
        match &mut *guard {
            VaultState::Unlocked(signed_in) => {
                let result = work(signed_in);
                // The command's audit rows are committed: anchor them
                // outside practice.db (see `audit::anchor`).
                if let Err(e) = signed_in.anchor_audit() {
                    crate::log::anchor_not_written(&e);
                }
                result
            }
            VaultState::Locked => Err(Error::Locked),
        }
    }

    /// Replaces the state with a new sign-in (after setup, unlock, recovery).
    pub fn install(&self, signed_in: SignedIn) {
        self.install_then(signed_in, |_| ());
    }

    /// `install`, then `after` with the new sign-in before anything else
    /// can use it (the day's backup starts its snapshots there).
    pub fn install_then<T>(&self, signed_in: SignedIn, after: impl FnOnce(&SignedIn) -> T) -> T {
        self.touch();
        let mut guard = self.vault();
        let result = after(&signed_in);
        *guard = VaultState::Unlocked(Box::new(signed_in));
        result
    }

    /// Locks now. Returns whether someone was signed in.
    pub fn lock(&self) -> bool {
        self.lock_after(|_| ()).is_some()
    }

    /// Locks now, letting `before` use the sign-in first under the same
    /// guard, so nothing writes in between (the backup taken at lock starts
    /// its snapshots there). `None` when nobody was signed in.
    pub fn lock_after<T>(&self, before: impl FnOnce(&SignedIn) -> T) -> Option<T> {
        // Where this sign-in saved its exports is not for the next one.
        self.exported().clear();
        let mut guard = self.vault();
        let taken = match &*guard {
            VaultState::Unlocked(signed_in) => Some(before(signed_in)),
            VaultState::Locked => None,
        };
        let previous = std::mem::replace(&mut *guard, VaultState::Locked);
        drop(guard);
        if let VaultState::Unlocked(signed_in) = previous {
            if let Err(e) = signed_in.lock() {
                crate::log::lock_not_audited(&e);
            }
        }
        taken
    }

    /// Locks (when someone is signed in) and runs `work` while holding the
    /// vault's state, so nobody can sign in until it is done (a restore
    /// moving vault folders). Returns whether someone was signed in.
    pub fn while_locked<T>(&self, work: impl FnOnce(&AppState) -> T) -> (bool, T) {
        self.exported().clear();
        let mut guard = self.vault();
        let previous = std::mem::replace(&mut *guard, VaultState::Locked);
        let was_signed_in = match previous {
            VaultState::Unlocked(signed_in) => {
                if let Err(e) = signed_in.lock() {
                    crate::log::lock_not_audited(&e);
                }
                true
            }
            VaultState::Locked => false,
        };
        let result = work(self);
        drop(guard);
        (was_signed_in, result)
    }

    /// Waits for the backup or restore under way, then takes the turn.
    pub async fn enter_backup(&self) -> BackupTurn {
        let guard = self.shared.backup_gate.clone().lock_owned().await;
        BackupTurn {
            _guard: Box::new(guard),
        }
    }

    /// The turn, unless a backup or restore is under way (a scheduled
    /// backup then has nothing to add).
    pub fn try_enter_backup(&self) -> Option<BackupTurn> {
        let guard = self.shared.backup_gate.clone().try_lock_owned().ok()?;
        Some(BackupTurn {
            _guard: Box::new(guard),
        })
    }

    /// A poisoned lock still holds a valid map of paths.
    fn backup_files(&self) -> MutexGuard<'_, BTreeMap<u32, PathBuf>> {
        self.shared
            .backup_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps the path of a backup file chosen in the open dialog; returns its token.
    pub fn remember_backup_file(&self, path: PathBuf) -> u32 {
        let token = self.shared.next_backup_file.fetch_add(1, Ordering::SeqCst);
        self.backup_files().insert(token, path);
        token
    }

    /// The backup file chosen as `token`, if any.
    pub fn backup_file(&self, token: u32) -> Option<PathBuf> {
        self.backup_files().get(&token).cloned()
    }

    /// Keeps the path of a client list chosen for import; returns its token.
    pub fn remember_import_file(&self, path: PathBuf) -> u32 {
        let token = self.shared.next_import_file.fetch_add(1, Ordering::SeqCst);
        self.import_files().insert(token, path);
        token
    }

    /// The client list chosen as `token`, if any.
    pub fn import_file(&self, token: u32) -> Option<PathBuf> {
        self.import_files().get(&token).cloned()
    }

    /// A poisoned lock still holds a valid map of paths.
    fn import_files(&self) -> MutexGuard<'_, BTreeMap<u32, PathBuf>> {
        self.shared
            .import_files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// An export starts: a cancel from an earlier one no longer counts.
    pub fn export_started(&self) {
        self.shared.export_cancelled.store(false, Ordering::SeqCst);
    }

    /// The person asked to stop the export under way.
    pub fn cancel_export(&self) {
        self.shared.export_cancelled.store(true, Ordering::SeqCst);
    }

    pub fn export_cancelled(&self) -> bool {
        self.shared.export_cancelled.load(Ordering::SeqCst)
    }

    /// A poisoned lock still holds a valid map of paths.
    fn exported(&self) -> MutexGuard<'_, BTreeMap<u32, PathBuf>> {
        self.shared
            .exported
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps the path of a file an export wrote; returns its export id.
    pub fn remember_export(&self, path: PathBuf) -> u32 {
        let id = self.shared.next_export_id.fetch_add(1, Ordering::SeqCst);
        self.exported().insert(id, path);
        id
    }

    /// The file written by export `id` (since the last sign-in), if any.
    pub fn exported_path(&self, id: u32) -> Option<PathBuf> {
        self.exported().get(&id).cloned()
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

/// End-to-end tests only (the `e2e` feature, never in release builds): an
/// idle limit in seconds from `CIRCLE_E2E_IDLE_LIMIT_SECONDS`, checked every
/// second, so a test can watch the window lock without waiting a minute.
#[cfg(feature = "e2e")]
pub fn e2e_idle_limit() -> Option<std::time::Duration> {
    std::env::var("CIRCLE_E2E_IDLE_LIMIT_SECONDS")
        .ok()?
        .parse()
        .ok()
        .map(std::time::Duration::from_secs)
}

#[cfg(not(feature = "e2e"))]
pub fn e2e_idle_limit() -> Option<std::time::Duration> {
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use std::time::{Duration, Instant};

    use circle_core::signin::{self, SetupRequest};
    use circle_core::vault::location::VaultLocation;
    use circle_core::vault::secret::Passphrase;

    use super::{AppState, VaultState};

    /// The owner's passphrase in [`signed_in_state`].
    pub(crate) const OWNER_PASS: &str = "quiet lantern orchard tide";

    /// A new vault in a temp folder with its owner (`dana`) signed in.
    pub(crate) fn signed_in_state() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = VaultLocation::at(dir.path());
        let (signed_in, _code) = signin::setup(
            &location,
            SetupRequest {
                practice_name: "Harbour Light Counselling".into(),
                timezone: "Europe/Dublin".into(),
                owner_full_name: "Dana Reyes".into(),
                owner_username: "dana".into(),
                passphrase: Passphrase::from(OWNER_PASS),
            },
        )
        .expect("setup");
        let state = AppState::new(location);
        state.install(signed_in);
        (dir, state)
    }

    fn locked(state: &AppState) -> bool {
        matches!(*state.vault(), VaultState::Locked)
    }

    /// Issue: "The idle lock has no test". The practice default is ten
    /// minutes; time is moved, not waited for.
    #[test]
    fn the_vault_locks_after_the_idle_limit_and_activity_postpones_it() {
        let (_dir, state) = signed_in_state();
        let limit = Duration::from_secs(10 * 60);
        let t0 = Instant::now();
        state.touch_at(t0);
        assert!(!state.idle_limit_passed(t0 + limit - Duration::from_secs(1)));
        // A command or a keep-alive half way through starts the wait again.
        state.touch_at(t0 + limit / 2);
        assert!(!state.idle_limit_passed(t0 + limit + Duration::from_secs(1)));
        assert!(state.idle_limit_passed(t0 + limit / 2 + limit));
        // What the idle thread then does: lock, which drops the keys.
        assert!(state.lock());
        assert!(locked(&state));
        // Nobody signed in: nothing to lock however long the wait.
        assert!(!state.idle_limit_passed(t0 + limit * 10));
    }

    /// Open and Show in folder act on the file an export wrote, found by
    /// its id; a lock forgets them all, and a cancel counts for one export.
    #[test]
    fn exported_files_are_kept_by_id_until_the_lock() {
        let (_dir, state) = signed_in_state();
        let first = state.remember_export("/tmp/a.pdf".into());
        let second = state.remember_export("/tmp/b.pdf".into());
        assert_ne!(first, second);
        assert_eq!(state.exported_path(second), Some("/tmp/b.pdf".into()));
        assert_eq!(state.exported_path(second + 1), None);

        state.cancel_export();
        assert!(state.export_cancelled());
        state.export_started();
        assert!(!state.export_cancelled(), "a new export starts uncancelled");

        assert!(state.lock());
        assert_eq!(state.exported_path(first), None);
        // Ids are never reused, so an old one cannot name a newer file.
        assert!(state.remember_export("/tmp/c.pdf".into()) > second);
    }
}
