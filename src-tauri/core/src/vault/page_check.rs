//! Checking every page's authentication code after sign-in rather than
//! before it.
//!
//! SQLCipher checks a page's code each time the page is read, so nothing
//! changed on disk is ever used: a changed page fails where it is read.
//! The whole-file check (`cipher_integrity_check`) is what finds a change
//! in pages this session never reads. It costs a pass over the file — about
//! a second on a ten-year practice — which a person should not wait for at
//! the unlock screen, so the app runs it on a thread of its own once
//! signed in, and locks if it finds a change. `signin::unlock` (the CLI,
//! the tests) still checks before it returns.

use std::path::PathBuf;

use super::db;
use super::secret::SecretKey;
use crate::error::{Error, Result};

/// The databases a sign-in opened, with the keys that opened them, to be
/// checked page by page later. Keys live in memory only, as the session's do.
#[derive(Default)]
pub struct PageCheck {
    files: Vec<(PathBuf, SecretKey)>,
}

impl PageCheck {
    pub(crate) fn add(&mut self, path: PathBuf, key: SecretKey) {
        self.files.push((path, key));
    }

    /// Every page of every database checked on connections of its own
    /// (reading alongside the session: WAL lets it). `Error::Corrupt`
    /// names the first file with a page whose code does not match.
    ///
    /// The check reads the database file itself, not through SQLite's
    /// locks, so a checkpoint writing a page at that moment can look like
    /// a change: the caller confirms a failure by running it again while
    /// nothing writes (the app holds the session for that run).
    pub fn run(&self) -> Result<()> {
        for (path, key) in &self.files {
            require_authentic(&db::open(path, key, false)?, path)?;
        }
        Ok(())
    }
}

/// `Error::Corrupt` naming `path` when a page of `conn`'s main database
/// does not match its authentication code: the one check, now or later.
pub(crate) fn require_authentic(conn: &rusqlite::Connection, path: &std::path::Path) -> Result<()> {
    if db::unauthentic_pages(conn, "main").is_empty() {
        Ok(())
    } else {
        Err(Error::corrupt(path))
    }
}
