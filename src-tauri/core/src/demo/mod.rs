//! A demo practice, generated: staff, clients, groups, years of sessions
//! with attendance, signed notes, goals, waitlists and appointments, so
//! someone trying Circle (and the benchmark) has a practice to open.
//!
//! Seeded and deterministic: the same seed on the same day writes the same
//! practice (names, groups, rosters, note text; only which of today's
//! sessions are checked in yet depends on the hour). Ids follow because the
//! vault is new; time stamps ("now") and keys differ. Pin [`crate::clock`]
//! in a test and the whole vault is reproducible but for its keys.
//!
//! Everything goes through the public services, as the people of the
//! practice would: the owner sets up the vault and adds the staff (each of
//! whom then chooses their own passphrase), the manager creates rooms,
//! groups and series, the front desk registers clients, enrolls, discharges
//! and checks people in, each group's facilitator sets goals and writes,
//! signs and amends the notes, the supervisor co-signs. No SQL of its own,
//! so every row is validated and audited exactly as in use.
//!
//! # Bulk writes
//!
//! Each service opens its own write transaction through
//! [`crate::vault::db::write_transaction`], which nests as a savepoint when
//! the connection already has one open. The generator opens one per run of
//! calls by the same person (up to 500 of them, see `run::Batches`), and for
//! each group's history one for the front desk's attendance, one for the
//! facilitator's goals and notes and one for the supervisor's
//! co-signatures; so it syncs a few thousand times for a ten-year practice,
//! not a few hundred thousand. Every row still goes through the services.
//! `circle-admin demo` prints the throughput.
//!
//! The practice's five working days start on today's weekday, so Today
//! always has sessions, whatever day the demo is made.

pub mod marker;
mod people;
mod plan;
mod rng;
mod run;
mod writer;

use std::time::Duration;

pub use plan::LARGE_YEARS;

use crate::error::Result;
use crate::roles::Role;
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;

/// Bumped whenever the same seed would write a different practice, so a
/// cached demo vault (the benchmark's) is made again.
pub const VERSION: u32 = 2;

/// The demo practice's time zone.
pub const TIMEZONE: &str = "Europe/London";

/// How big a practice to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 3 clinicians, a supervisor, a manager and a front desk; 40 clients
    /// in 4 groups; three months of weekly sessions up to today.
    Small,
    /// 20 clinicians, 60 groups and weekly and fortnightly sessions over
    /// [`LARGE_YEARS`] (ten) years: 2,000 clients, ≈ 28,000 sessions,
    /// ≈ 235,000 member sections.
    Large,
    /// The large practice's staff and groups over this many years (1–10),
    /// with the clients those years bring: the benchmark's growth ratio.
    LargeYears(u32),
}

impl Scale {
    /// As typed on the command line: `small` or `large`.
    pub fn from_cli(text: &str) -> Option<Scale> {
        match text.trim().to_ascii_lowercase().as_str() {
            "small" => Some(Scale::Small),
            "large" => Some(Scale::Large),
            _ => None,
        }
    }
}

/// What the generator is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum GenPhase {
    /// The vault, the owner and the staff.
    Staff,
    /// Rooms and clients.
    Clients,
    /// Groups, series, enrollments, discharges and waitlists.
    Roster,
    Appointments,
    /// Attendance, goals and notes, session by session.
    Sessions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GenProgress {
    pub phase: GenPhase,
    pub done: u64,
    pub total: u64,
}

/// A login of the demo practice and the passphrase it was given (shown on
/// screen, so the demo can be explored in every role).
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub passphrase: Passphrase,
}

/// What was written. Sessions count scheduled occurrences; notes count the
/// group notes of past sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub staff: u64,
    pub rooms: u64,
    pub clients: u64,
    /// Clients never enrolled (an intake booked, or on a waitlist).
    pub prospects: u64,
    pub groups: u64,
    pub series: u64,
    pub sessions: u64,
    /// Sessions that have started (up to now).
    pub past_sessions: u64,
    /// Sessions on today's local date.
    pub sessions_today: u64,
    pub enrollments: u64,
    pub discharges: u64,
    pub waitlisted: u64,
    pub attendance: u64,
    pub goals: u64,
    /// Signed notes, co-signed or not.
    pub signed_notes: u64,
    pub cosigned_notes: u64,
    /// Signed by a supervisee, waiting for their supervisor.
    pub awaiting_cosign: u64,
    /// Saved and not signed yet (notes to sign).
    pub drafts: u64,
    /// Started sessions with someone attending and no note (notes to write).
    pub unwritten: u64,
    /// Member sections in saved notes (signed or draft).
    pub member_sections: u64,
    pub addenda: u64,
    pub appointments: u64,
}

/// The practice made, with what it takes to explore it.
#[derive(Debug)]
pub struct DemoPractice {
    pub practice_name: String,
    pub timezone: String,
    /// Every login, owner first, with the passphrase it signs in with.
    pub logins: Vec<DemoLogin>,
    pub recovery_code: Passphrase,
    pub counts: DemoCounts,
    /// The whole run.
    pub elapsed: Duration,
    /// The attendance-and-notes phase alone (the bulk of the writing).
    pub sessions_elapsed: Duration,
}

impl DemoPractice {
    /// Past sessions given attendance and notes per second of that phase.
    pub fn sessions_per_second(&self) -> f64 {
        per_second(self.counts.past_sessions, self.sessions_elapsed)
    }

    /// Member sections written per second of the sessions phase.
    pub fn member_sections_per_second(&self) -> f64 {
        per_second(self.counts.member_sections, self.sessions_elapsed)
    }
}

fn per_second(n: u64, elapsed: Duration) -> f64 {
    n as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// Creates a new vault at `location` (refused if one exists) holding a demo
/// practice of `scale` drawn from `seed`, calling `progress` as it goes.
/// On an error the folder holds part of a practice: delete it.
pub fn generate(
    location: &VaultLocation,
    scale: Scale,
    seed: u64,
    progress: &mut dyn FnMut(GenProgress),
) -> Result<DemoPractice> {
    run::run(location, scale, seed, progress)
}
