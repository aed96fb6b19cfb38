//! Idle auto-lock: after the practice's idle limit with no command and no
//! keep-alive from the window, the vault locks and the window is told.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager};

use crate::commands::lock_event::LockReason;
use crate::commands::signin::lock_and_announce;
use crate::state::AppState;

/// How often the idle time is compared with the limit. The lock may come up
/// to this much later than the limit; a minute's limit makes that fine.
const CHECK_EVERY: Duration = Duration::from_secs(15);

pub fn start(app: AppHandle) {
    let every = if crate::state::e2e_idle_limit().is_some() {
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
