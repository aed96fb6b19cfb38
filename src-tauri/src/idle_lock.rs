//! Idle auto-lock: after the practice's idle limit with no command and no
//! keep-alive from the window, the vault locks and the window is told.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};

use crate::commands::signin::{lock_and_announce, LockReason};
use crate::state::AppState;

/// How often the idle time is compared with the limit. The lock may come up
/// to this much later than the limit; a minute's limit makes that fine.
const CHECK_EVERY: Duration = Duration::from_secs(15);

/// End-to-end tests only (the `e2e` feature, never in release builds): an
/// idle limit in seconds from `CIRCLE_E2E_IDLE_LIMIT_SECONDS`, checked every
/// second, so a test can watch the window lock without waiting a minute.
#[cfg(feature = "e2e")]
pub fn e2e_limit() -> Option<Duration> {
    std::env::var("CIRCLE_E2E_IDLE_LIMIT_SECONDS")
        .ok()?
        .parse()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(not(feature = "e2e"))]
pub fn e2e_limit() -> Option<Duration> {
    None
}

pub fn start(app: AppHandle) {
    let every = if e2e_limit().is_some() {
        Duration::from_secs(1)
    } else {
        CHECK_EVERY
    };
    std::thread::spawn(move || loop {
        std::thread::sleep(every);
        let state = app.state::<AppState>().inner().clone();
        if state.idle_limit_passed(Instant::now()) {
            lock_and_announce(&app, &state, LockReason::Idle);
        }
    });
}
