//! Fuzzed input (issue 16, suite 4): proptest over the input of every
//! service a window command calls, on a real vault.
//!
//! Each test takes one domain (clients and groups, schedule, notes and
//! disclosures, staff and settings, exports, backups, sign-in) and, for
//! each command in it, runs `cases()` generated inputs through the same
//! `circle_core` call the command makes, as an actor drawn from the
//! practice's roles (the owner, a clinician whose groups the ids may or may
//! not belong to, a supervisor, the manager, the front desk). For every
//! case it checks what a person would notice:
//!
//! * no panic (proptest reports one as a failure, with the input);
//! * a refusal is an error the window can act on (`invalid`, `notFound`,
//!   `forbidden`, `conflict`, …), never `storage`, `corrupt` or a file
//!   error where no file is involved: those tell the person their vault is
//!   broken when only their input was;
//! * a refused call leaves every table of both databases (practice.db and
//!   the attached clinical.db, the audit log included) and keyring.json
//!   exactly as they were, hashed table by table. Circle audits what was
//!   done, not what was refused (no service writes an audit row for a
//!   refusal), so the audit table is held to the same rule. The only
//!   refusals that may leave a trace are the ones the product records on
//!   purpose: a failed backup (a `backup_runs` row and its audit entry, so
//!   Settings can say why) and a wrong passphrase (the failed-attempt
//!   counters in keyring.json, which throttle guessing);
//! * a clinician never reads or writes the notes of a group they do not
//!   facilitate, whatever ids they send.
//!
//! `CIRCLE_STRESS=1` runs 20,000 cases per command instead of 256 (the
//! commands that spend an Argon2id derivation on nearly every attempt by
//! design — unlock, recover, changing one's passphrase, restore, setup —
//! run 32, or 1,000 under stress: see `slow_cases`). The bounded run uses
//! a fixed seed, so `make test` meets the same cases every time; a stress
//! run draws a fresh one. `CIRCLE_FUZZ_SEED` replays a run and
//! `CIRCLE_FUZZ_CASES` sets the number of cases. Each test prints its seed
//! and a table of outcomes per command (`--nocapture` to see them).
//!
//! The practice is built once per test binary and copied into each test's
//! folder (in memory under `/dev/shm` where there is one), where each
//! test signs its actors in once: the vault is reused across all the cases
//! of all the commands of a test.
//!
//! The redaction matcher and the note search's query parser have targets
//! of their own in `text`.

mod admin;
mod backups;
mod clients_groups;
mod exports;
mod gen;
mod harness;
mod notes;
mod regressions;
mod schedule;
mod signin;
mod text;
