//! The whole-file page check after sign-in (see
//! `circle_core::vault::page_check`): run on a thread of its own so the
//! person is not kept at the unlock screen; a changed page locks Circle and
//! the unlock screen says so.

use circle_core::vault::page_check::PageCheck;
use tauri::{AppHandle, Runtime};

use crate::commands::lock_event::LockReason;
use crate::commands::signin::lock_and_announce;
use crate::state::AppState;

pub(crate) fn start<R: Runtime>(app: AppHandle<R>, state: AppState, check: PageCheck) {
    std::thread::spawn(move || {
        if check.run().is_ok() {
            return;
        }
        // The check reads the files beside SQLite, so a checkpoint at that
        // moment can look like a change: run it again holding the session,
        // when nothing in Circle writes. Locked meanwhile: the next sign-in
        // checks again.
        let confirmed = state.signed_in_now(|_| Ok(check.run()));
        if let Ok(Err(error)) = confirmed {
            crate::log::pages_changed(&error);
            state.suspect_pages();
            lock_and_announce(&app, &state, LockReason::Damaged);
        }
    });
}
