//! The local log: what happened, never who it happened to or what was written.
//!
//! One plain-text file a day in `<vault folder>/logs` (`circle.YYYY-MM-DD.log`,
//! dates in UTC), the newest seven kept. It sits with the vault it describes,
//! so `CIRCLE_VAULT` (tests, demos, a second vault) moves it too.
//!
//! PHI cannot reach it by construction: the functions below are the only way
//! the shell writes to the log, and they take enums, ids, counts and
//! `circle_core::Error` — from which they read only the variant, `'static`
//! strings, numbers, and a field name that has passed [`safe_field`]. No
//! message, reason, detail, file name, path, username or passphrase is ever
//! formatted into an event. Keep it that way: add a variant, not a `&str`.
//!
//! Writing goes through a non-blocking writer, so a slow disk never stalls a
//! command; its [`LogGuard`] lives in app state and is closed at exit, which
//! writes out whatever is still queued.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use circle_core::vault::location::VaultLocation;
use circle_core::Error;
use tracing::{error, info, warn};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{InitError, RollingFileAppender, Rotation};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;

use crate::error_kind::ErrorKind;

/// The log folder's name inside the vault folder.
pub const LOG_DIR_NAME: &str = "logs";
const FILE_PREFIX: &str = "circle";
const FILE_SUFFIX: &str = "log";
/// A week of daily files.
const FILES_KEPT: usize = 7;

/// Where the log files of the vault at `location` live.
pub fn log_dir(location: &VaultLocation) -> PathBuf {
    location.dir().join(LOG_DIR_NAME)
}

/// Keeps the log's writer thread alive. Held in app state for the app's
/// lifetime; [`LogGuard::close`] (at exit) or dropping it writes out every
/// queued line.
pub struct LogGuard(Mutex<Option<WorkerGuard>>);

impl LogGuard {
    fn new(guard: WorkerGuard) -> Self {
        LogGuard(Mutex::new(Some(guard)))
    }

    /// Writes out what is queued and stops the writer. Later events are dropped.
    pub fn close(&self) {
        let guard = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(guard);
    }
}

/// Starts the log for the vault at `location` as the process-wide subscriber.
/// Call once, at app start. When the folder cannot be made or a subscriber
/// is already set, Circle runs on without a log and the guard is empty.
pub fn init(location: &VaultLocation) -> LogGuard {
    start(location).unwrap_or(LogGuard(Mutex::new(None)))
}

fn start(location: &VaultLocation) -> Option<LogGuard> {
    let (subscriber, guard) = match subscriber(&log_dir(location), cfg!(debug_assertions)) {
        Ok(pair) => pair,
        Err(_) => {
            // Not the error's text: it names the folder, which names the OS user.
            eprintln!("circle: the local log could not be opened; continuing without it");
            return None;
        }
    };
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(LogGuard::new(guard))
}

/// The subscriber `init` installs: plain text (no colour codes) at INFO and
/// above into daily files in `dir`, and, when `echo_to_stderr`, the same to
/// the terminal (debug builds, where someone may be watching it).
fn subscriber(
    dir: &Path,
    echo_to_stderr: bool,
) -> Result<
    (
        impl tracing::Subscriber + Send + Sync + 'static,
        WorkerGuard,
    ),
    InitError,
> {
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(FILES_KEPT)
        .build(dir)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer);
    let stderr = echo_to_stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(std::io::stderr)
    });
    let subscriber = tracing_subscriber::registry()
        .with(LevelFilter::INFO)
        .with(file)
        .with(stderr);
    Ok((subscriber, guard))
}

pub fn app_started() {
    info!(
        version = env!("CARGO_PKG_VERSION"),
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
        "app started"
    );
}

pub fn app_exiting() {
    info!("app exiting");
}

/// Tauri could not start (no window, no webview). Its error text is not
/// logged: it can hold paths.
pub fn app_failed_to_start() {
    error!("app failed to start");
}

/// How someone tried to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInVia {
    Passphrase,
    RecoveryCode,
}

/// Logs how a sign-in attempt ended and hands its result back unchanged, so
/// a command wraps the core call: `log::sign_in(via, signin::unlock(..))?`.
/// Never the username or passphrase: they are not even passed in.
pub fn sign_in<T>(via: SignInVia, result: circle_core::Result<T>) -> circle_core::Result<T> {
    let via = match via {
        SignInVia::Passphrase => "passphrase",
        SignInVia::RecoveryCode => "recoveryCode",
    };
    match &result {
        Ok(_) => info!(via, outcome = "unlocked", "sign-in"),
        Err(Error::WrongPassphrase) => warn!(via, outcome = "wrongPassphrase", "sign-in"),
        Err(Error::RateLimited { seconds }) => {
            warn!(
                via,
                outcome = "rateLimited",
                wait_seconds = *seconds,
                "sign-in"
            )
        }
        Err(other) => warn!(
            via,
            outcome = "failed",
            kind = ErrorKind::of(other).as_str(),
            "sign-in"
        ),
    }
    result
}

/// The vault locked: by the person (Lock button or shortcut, "requested") or
/// by the idle timer ("idle"). A fixed word from the shell, never user text.
pub fn locked(reason: &'static str) {
    info!(reason, "vault locked");
}

/// The vault locked but the window could not be told (its error is not logged).
pub fn window_not_told_of_lock() {
    warn!("could not tell the window it is locked");
}

/// A command returned an error to the window.
pub fn command_error(error: &Error) {
    failure("command error", error);
}

/// Locking could not write its audit entry (the vault locked anyway).
pub fn lock_not_audited(error: &Error) {
    failure("could not record the lock in the audit log", error);
}

/// keyring.json's audit anchor could not be moved after a command (the
/// command itself stood; the next one tries again).
pub fn anchor_not_written(error: &Error) {
    failure("could not move the audit anchor", error);
}

/// The day's backup could not be started (its snapshots not opened).
pub fn backup_not_started(error: &Error) {
    failure("could not start the day's backup", error);
}

/// The page check after sign-in found a changed or damaged page (twice).
pub fn pages_changed(error: &Error) {
    failure(
        "found a vault page changed outside Circle after sign-in, and locked",
        error,
    );
}

/// How a backup ended could not be recorded in the vault.
pub fn backup_not_recorded(error: &Error) {
    failure("could not record how a backup ended", error);
}

/// A backup ended: written, or failed for `reason` (a fixed word from the
/// shell). Never the folder or file name: they can name a person.
pub fn backup_finished(scheduled: bool, reason: Option<&'static str>) {
    match reason {
        None => info!(scheduled, outcome = "written", "backup"),
        Some(reason) => warn!(scheduled, outcome = "failed", reason, "backup"),
    }
}

/// A backup was restored, into this vault's folder or a new one.
pub fn vault_restored(into_new_folder: bool) {
    info!(into_new_folder, "vault restored from a backup");
}

/// The folder a restore chose could not be remembered for later starts
/// (only the OS error's kind: its text can hold the path).
pub fn vault_folder_not_remembered(error: &std::io::Error) {
    warn!(
        io_kind = ?error.kind(),
        "could not remember the restored vault's folder"
    );
}

/// Logs `what` with the safe parts of `error`: the kind, the field, the kind
/// of thing not found, the wait, the storage cause, the OS error kind and code.
fn failure(what: &'static str, error: &Error) {
    let kind = ErrorKind::of(error).as_str();
    let field = error.field().map(safe_field);
    let (not_found, wait_seconds, cause, io_kind, os_code) = match error {
        Error::NotFound { what } => (Some(*what), None, None, None, None),
        Error::RateLimited { seconds } => (None, Some(*seconds), None, None, None),
        Error::Storage { detail } => (None, None, Some(storage_cause(detail)), None, None),
        Error::Io(io) => (
            None,
            None,
            None,
            Some(tracing::field::debug(io.kind())),
            io.raw_os_error(),
        ),
        _ => (None, None, None, None, None),
    };
    match error {
        Error::Storage { .. }
        | Error::Io(_)
        | Error::Corrupt { .. }
        | Error::VaultTooNew { .. } => {
            error!(
                kind,
                field, not_found, wait_seconds, cause, io_kind, os_code, "{what}"
            )
        }
        _ => info!(
            kind,
            field, not_found, wait_seconds, cause, io_kind, os_code, "{what}"
        ),
    }
}

/// A field name as the log may show it. Core names fields with camelCase
/// literals (`legalFirstName`), sometimes followed by ids and template keys
/// (`members.12.goals.3`, `shared.topic`). Keys come from the window's input,
/// so only the first segment (when it looks like such a literal) and numeric
/// segments are kept; anything else becomes `*`, and a first segment that is
/// not a camelCase identifier makes the whole name `other`.
fn safe_field(field: &str) -> String {
    let mut segments = field.split('.');
    let first = segments.next().unwrap_or_default();
    let identifier = first.len() <= 40
        && first.starts_with(|c: char| c.is_ascii_lowercase())
        && first.chars().all(|c| c.is_ascii_alphanumeric());
    if !identifier {
        return "other".to_owned();
    }
    let mut safe = first.to_owned();
    for segment in segments {
        safe.push('.');
        if !segment.is_empty() && segment.len() <= 19 && segment.bytes().all(|b| b.is_ascii_digit())
        {
            safe.push_str(segment);
        } else {
            safe.push('*');
        }
    }
    safe
}

/// What kind of storage failure `detail` describes, as a fixed phrase: the
/// detail itself is SQLite's text and may quote what it failed on.
fn storage_cause(detail: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        // SQLite's own messages (rusqlite shows them as they are).
        "database is locked",
        "database table is locked",
        "database or disk is full",
        "disk I/O error",
        "attempt to write a readonly database",
        "unable to open database file",
        "file is not a database",
        "database disk image is malformed",
        "UNIQUE constraint failed",
        "FOREIGN KEY constraint failed",
        "NOT NULL constraint failed",
        "CHECK constraint failed",
        "no such table",
        "no such column",
        "interrupted",
        "out of memory",
        // rusqlite's.
        "Query returned no rows",
        "Invalid column type",
        "Invalid column index",
        "Invalid column name",
        "Execute returned results",
        "Conversion error from type",
        // Circle's own.
        "a background task stopped",
        "a note could not be put in canonical form",
        "an addendum could not be put in canonical form",
        "a stored time is not RFC 3339",
        "the practice time zone is not a known IANA zone",
    ];
    KNOWN
        .iter()
        .find(|known| detail.starts_with(**known))
        .copied()
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use circle_core::signin::{self, SetupRequest};
    use circle_core::vault::secret::Passphrase;

    use super::*;
    use crate::error::CommandError;
    use crate::state::AppState;

    const CLIENT: &str = "Zoë Ångström";
    const FULL_NAME: &str = "Dana Reyes";
    const USERNAME: &str = "dana.reyes";
    const PASSPHRASE: &str = "quiet lantern orchard tide";
    const RIGHT_PASSPHRASE: &str = "Basalt-Pelican-Juniper-Quarry-7314";

    /// Everything written to the log folder, all files together.
    fn read_log(dir: &Path) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        text
    }

    /// Drives the paths that log, with input full of names and secrets, the
    /// way the commands do: core results through `sign_in`, core errors
    /// through `CommandError::from`, locks through `AppState::lock`.
    fn drive_the_logged_paths(location: &VaultLocation) {
        app_started();

        // A real vault in the temp folder, beside the log; its owner is the
        // person whose username and passphrase are typed below.
        let (owner, _code) = signin::setup(
            location,
            SetupRequest {
                practice_name: "Northside Groups".into(),
                timezone: "America/Chicago".into(),
                owner_full_name: FULL_NAME.into(),
                owner_username: USERNAME.into(),
                passphrase: Passphrase::new(RIGHT_PASSPHRASE),
            },
        )
        .unwrap();
        let state = AppState::new(location.clone());
        state.install(owner);
        assert!(state.lock());
        locked("requested");

        let unlocked = sign_in(
            SignInVia::Passphrase,
            signin::unlock(location, USERNAME, &Passphrase::new(RIGHT_PASSPHRASE)),
        )
        .unwrap();
        state.install(unlocked);
        assert!(state.lock());
        locked("idle");

        // Wrong passphrases until the core makes the person wait.
        let mut kinds = Vec::new();
        for _ in 0..=keyring_free_attempts() {
            let failed = sign_in(
                SignInVia::Passphrase,
                signin::unlock(location, USERNAME, &Passphrase::new(PASSPHRASE)),
            );
            kinds.push(CommandError::from(failed.err().unwrap()).kind);
        }
        assert_eq!(kinds.first(), Some(&ErrorKind::WrongPassphrase));
        assert_eq!(kinds.last(), Some(&ErrorKind::RateLimited));

        // Errors whose text quotes a client's name, a path, or input, mapped
        // the way every command maps its errors.
        let mapped: Vec<CommandError> = [
            Error::invalid(
                "legalName",
                format!("{CLIENT} already has a chart; {CLIENT} cannot be added twice."),
            ),
            Error::Conflict {
                message: format!("{CLIENT} is already in this group."),
            },
            Error::Storage {
                detail: format!("UNIQUE constraint failed: clients.legal_name ({CLIENT})"),
            },
            Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("/home/{USERNAME}/{CLIENT}.pdf"),
            )),
            Error::Corrupt {
                file: format!("{CLIENT}.circle-backup"),
            },
            Error::invalid(
                &format!("members.12.{USERNAME}"),
                "This section is not part of the note's template.",
            ),
            Error::invalid(CLIENT, "Enter a name."),
        ]
        .into_iter()
        .map(CommandError::from)
        .collect();
        assert!(
            mapped[0].message.contains(CLIENT),
            "the window still gets the message; only the log goes without"
        );

        lock_not_audited(&Error::Storage {
            detail: format!("disk I/O error near {USERNAME}"),
        });
        window_not_told_of_lock();
        app_exiting();
    }

    fn keyring_free_attempts() -> u32 {
        circle_core::vault::keyring::FREE_ATTEMPTS
    }

    /// Set in the child process the check below runs in.
    const ALONE: &str = "CIRCLE_LOG_TEST_ALONE";

    #[test]
    fn logs_what_happened_but_no_names_usernames_or_passphrases() {
        // tracing caches, per log line, whether any subscriber listens. A
        // parallel test that reaches a line first, with no subscriber, can
        // cache "no one" while this test's subscriber is being put in place
        // (a race no rebuild of the cache closes: seen once in ~10 CI runs,
        // every ERROR line missing). So the check runs alone, in a child
        // process of this same test binary with one test thread.
        if std::env::var_os(ALONE).is_none() {
            let name = concat!(
                module_path!(),
                "::logs_what_happened_but_no_names_usernames_or_passphrases"
            );
            let name = name.split_once("::").map_or(name, |(_crate, path)| path);
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", name, "--test-threads=1", "--nocapture"])
                .env(ALONE, "1")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && stdout.contains("test result: ok. 1 passed"),
                "the log check, run alone, failed:\n{stdout}\n{stderr}"
            );
            return;
        }
        let vault = tempfile::tempdir().unwrap();
        let location = VaultLocation::at(vault.path());
        let dir = log_dir(&location);
        let (subscriber, guard) = subscriber(&dir, false).unwrap();

        tracing::subscriber::with_default(subscriber, || {
            // Other tests log from other threads with no subscriber; a
            // callsite first seen there may be cached as uninteresting.
            // Ask every callsite again now that this one is in place.
            tracing::callsite::rebuild_interest_cache();
            drive_the_logged_paths(&location)
        });
        // Dropping the guard writes out every queued line.
        drop(guard);

        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "one file a day"
        );
        let log = read_log(&dir);
        for expected in [
            concat!("app started version=\"", env!("CARGO_PKG_VERSION"), "\""),
            "vault locked reason=\"requested\"",
            "vault locked reason=\"idle\"",
            "sign-in via=\"passphrase\" outcome=\"unlocked\"",
            "sign-in via=\"passphrase\" outcome=\"wrongPassphrase\"",
            "sign-in via=\"passphrase\" outcome=\"rateLimited\" wait_seconds=",
            "command error kind=\"wrongPassphrase\"",
            "command error kind=\"rateLimited\" wait_seconds=",
            "command error kind=\"invalid\" field=\"legalName\"",
            "command error kind=\"conflict\"",
            "command error kind=\"storage\" cause=\"UNIQUE constraint failed\"",
            "command error kind=\"io\" io_kind=PermissionDenied",
            "command error kind=\"corrupt\"",
            "command error kind=\"invalid\" field=\"members.12.*.*\"",
            "command error kind=\"invalid\" field=\"other\"",
            "could not record the lock in the audit log kind=\"storage\" cause=\"disk I/O error\"",
            "could not tell the window it is locked",
            "app exiting",
        ] {
            assert!(log.contains(expected), "{expected:?} missing from:\n{log}");
        }
        let folded = log.to_lowercase();
        for secret in [
            CLIENT,
            "Zoë",
            "Ångström",
            "angstrom",
            FULL_NAME,
            USERNAME,
            "dana",
            "reyes",
            PASSPHRASE,
            "lantern",
            RIGHT_PASSPHRASE,
            "pelican",
            "/home",
            "legal_name",
            "circle-backup",
            vault.path().to_str().unwrap(),
        ] {
            assert!(
                !folded.contains(&secret.to_lowercase()),
                "{secret:?} leaked into the log:\n{log}"
            );
        }
        assert!(!log.contains('\u{1b}'), "no colour codes in the file");
    }

    #[test]
    fn field_names_keep_literals_and_ids_only() {
        assert_eq!(safe_field("legalFirstName"), "legalFirstName");
        assert_eq!(safe_field("members.12.goals.3"), "members.12.*.3");
        assert_eq!(safe_field("shared.topic"), "shared.*");
        assert_eq!(safe_field("Dana Reyes"), "other");
        assert_eq!(safe_field("zoë"), "other");
        assert_eq!(safe_field(""), "other");
    }

    #[test]
    fn storage_causes_are_fixed_phrases() {
        assert_eq!(
            storage_cause("NOT NULL constraint failed: clients.legal_name"),
            "NOT NULL constraint failed"
        );
        assert_eq!(storage_cause("something about Zoë"), "other");
    }
}
