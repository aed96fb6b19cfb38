//! circle-core's integration tests, one binary (one link of SQLCipher and
//! OpenSSL) with a module per area. Each test builds a real vault in a temp
//! folder: real SQLCipher, real Argon2id, no mocks of our own storage.

mod common;

mod admin_cli;
mod appointments;
mod backups;
#[cfg(feature = "bench")]
mod bench_plaintext;
mod clients;
mod crash;
mod demo;
mod disclosures;
mod exports;
mod full_disk;
mod fuzz;
mod hardening;
mod import;
mod individual;
mod key_routes;
mod measures;
mod notes;
mod practice_settings;
mod restore_roles;
mod retention;
mod schedule;
mod staff;
mod two_writers;
mod vault;
