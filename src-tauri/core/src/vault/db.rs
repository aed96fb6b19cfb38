//! Opening SQLCipher databases with a raw 256-bit key.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::private_files;
use super::secret::SecretKey;
use crate::error::{Error, Result};

/// Whether this thread is opening the benchmark's plaintext copy of a vault
/// (see `crate::bench`). Without the `bench` feature it is always off, and
/// compiled away.
pub(crate) mod plaintext {
    #[cfg(feature = "bench")]
    thread_local! {
        pub(crate) static ON: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[cfg(feature = "bench")]
    pub(crate) fn on() -> bool {
        ON.with(|on| on.get())
    }

    #[cfg(not(feature = "bench"))]
    pub(crate) fn on() -> bool {
        false
    }
}

/// Schema name under which `clinical.db` is attached to a session.
pub const CLINICAL_SCHEMA: &str = "clinical";

/// Opens (or creates, when `create`) an encrypted database and checks the key
/// reads it. A key that does not read it means damage: the passphrase was
/// already proven right when the key was unwrapped.
///
/// On Unix the file and its `-wal`/`-shm` are made readable by the user alone
/// (see [`private_files`]): strictly for a new database, and as far as the
/// file system allows for an existing one (a vault on a drive without Unix
/// permissions still opens).
pub fn open(path: &Path, key: &SecretKey, create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.is_file() {
        return Err(Error::corrupt(path));
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|_| Error::corrupt(path))?;
    // Before the first write, so the sidecars SQLite creates take this mode.
    restrict(path, create)?;
    if !plaintext::on() {
        let key_sql = Zeroizing::new(format!(
            "PRAGMA key = \"{}\";",
            key.sqlcipher_literal().as_str()
        ));
        conn.execute_batch(&key_sql)
            .map_err(|_| Error::corrupt(path))?;
    }
    check_readable(&conn, "main", path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA recursive_triggers = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -16000;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(|_| Error::corrupt(path))?;
    restrict(path, create)?;
    Ok(conn)
}

fn restrict(path: &Path, strict: bool) -> Result<()> {
    match private_files::restrict_database(path) {
        Err(e) if strict => Err(e.into()),
        _ => Ok(()),
    }
}

/// Attaches `clinical.db` to a session connection as schema `clinical`.
pub fn attach_clinical(conn: &Connection, path: &Path, key: &SecretKey) -> Result<()> {
    let literal = if plaintext::on() {
        Zeroizing::new(String::new())
    } else {
        key.sqlcipher_literal()
    };
    conn.execute(
        "ATTACH DATABASE ?1 AS clinical KEY ?2",
        rusqlite::params![path.to_string_lossy(), literal.as_str()],
    )
    .map_err(|_| Error::corrupt(path))?;
    check_readable(conn, CLINICAL_SCHEMA, path)?;
    conn.execute_batch("PRAGMA clinical.journal_mode = WAL; PRAGMA clinical.synchronous = FULL;")
        .map_err(|_| Error::corrupt(path))?;
    Ok(())
}

fn check_readable(conn: &Connection, schema: &str, path: &Path) -> Result<()> {
    conn.query_row(
        &format!("SELECT count(*) FROM {schema}.sqlite_master"),
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|_| ())
    .map_err(|_| Error::corrupt(path))
}

/// Every page's authentication code checked (SQLCipher's
/// `cipher_integrity_check`) plus SQLite's own `quick_check`. Returns the
/// problems found, empty when the file is sound. Two passes over every
/// page: verify's check, not unlock's (see [`unauthentic_pages`]).
pub fn integrity_problems(conn: &Connection, schema: &str) -> Vec<String> {
    let pragmas: &[&str] = if plaintext::on() {
        &["quick_check"]
    } else {
        &["cipher_integrity_check", "quick_check"]
    };
    run_checks(conn, schema, pragmas)
}

/// Pages whose authentication code does not match (SQLCipher's
/// `cipher_integrity_check`): any byte changed on disk, by damage or by
/// hand. One pass over the file: the check unlock makes. SQLite's
/// structural `quick_check` (a second pass, several times longer on a large
/// vault with its full-text index) stays with verify: a page can only be
/// well formed yet wrong if it was written with the key.
pub fn unauthentic_pages(conn: &Connection, schema: &str) -> Vec<String> {
    if plaintext::on() {
        return Vec::new();
    }
    run_checks(conn, schema, &["cipher_integrity_check"])
}

fn run_checks(conn: &Connection, schema: &str, pragmas: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for pragma in pragmas {
        let sql = format!("PRAGMA {schema}.{pragma}");
        let rows: rusqlite::Result<Vec<String>> = conn
            .prepare(&sql)
            .and_then(|mut stmt| stmt.query_map([], |row| row.get::<_, String>(0))?.collect());
        match rows {
            Ok(rows) => problems.extend(rows.into_iter().filter(|r| r != "ok")),
            Err(e) => problems.push(format!("{pragma} failed: {e}")),
        }
    }
    problems
}

/// A write transaction that takes SQLite's write lock at `BEGIN IMMEDIATE`.
/// A deferred one that reads first fails at once ("database is locked", no
/// waiting) when another connection — a backup being recorded, the CLI —
/// commits between its first read and its first write; this one waits its
/// turn (`busy_timeout`) instead.
///
/// Inside a transaction already open on the connection it is a savepoint:
/// a caller (the demo generator, an import) can run many services as one
/// large transaction, and each service still commits or rolls back its own
/// part.
pub fn write_transaction(conn: &Connection) -> Result<WriteTransaction<'_>> {
    let nested = !conn.is_autocommit();
    conn.execute_batch(if nested {
        "SAVEPOINT circle_write"
    } else {
        "BEGIN IMMEDIATE"
    })?;
    Ok(WriteTransaction {
        conn,
        nested,
        finished: false,
    })
}

/// Rolled back when dropped without [`WriteTransaction::commit`]. Derefs to
/// the connection, so it is used like one.
pub struct WriteTransaction<'c> {
    conn: &'c Connection,
    nested: bool,
    finished: bool,
}

impl WriteTransaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        // A COMMIT that fails (a full disk) leaves `finished` unset, so the
        // drop rolls back, as SQLite advises after such an error; a rollback
        // SQLite already made does no harm.
        self.conn.execute_batch(if self.nested {
            "RELEASE circle_write"
        } else {
            "COMMIT"
        })?;
        self.finished = true;
        Ok(())
    }
}

impl std::ops::Deref for WriteTransaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for WriteTransaction<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort, as rusqlite's own transactions do: a rollback
            // that fails leaves SQLite to roll back when the connection
            // closes.
            let _ = self.conn.execute_batch(if self.nested {
                "ROLLBACK TO circle_write; RELEASE circle_write"
            } else {
                "ROLLBACK"
            });
        }
    }
}

/// Re-encrypts one attached schema under a new key. SQLCipher rekeys only
/// outside WAL mode, so the journal is switched off around it.
pub(crate) fn rekey(conn: &Connection, schema: &str, key: &SecretKey) -> Result<()> {
    let literal = key.sqlcipher_literal();
    conn.execute_batch(&format!("PRAGMA {schema}.journal_mode = DELETE;"))?;
    let sql = zeroize::Zeroizing::new(format!("PRAGMA {schema}.rekey = \"{}\";", literal.as_str()));
    let result = conn.execute_batch(&sql);
    conn.execute_batch(&format!("PRAGMA {schema}.journal_mode = WAL;"))?;
    result?;
    Ok(())
}

#[cfg(test)]
mod write_transaction_tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        conn
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_dropped_transaction_writes_nothing_and_a_committed_one_stays() {
        let conn = table();
        {
            let tx = write_transaction(&conn).unwrap();
            tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        }
        assert_eq!(count(&conn), 0);
        let tx = write_transaction(&conn).unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        tx.commit().unwrap();
        assert_eq!(count(&conn), 1);
        assert!(conn.is_autocommit());
    }

    /// A failed COMMIT (a full disk; here a deferred foreign key) left the
    /// transaction open, so the connection's next writes went into it.
    #[test]
    fn a_commit_that_fails_rolls_back_instead_of_leaving_the_transaction_open() {
        let conn = table();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE p (id INTEGER PRIMARY KEY);
             CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);",
        )
        .unwrap();
        let tx = write_transaction(&conn).unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        tx.execute("INSERT INTO c VALUES (7)", []).unwrap();
        assert!(tx.commit().is_err());
        assert!(conn.is_autocommit(), "rolled back, not left open");
        assert_eq!(count(&conn), 0);
    }

    #[test]
    fn inside_an_open_transaction_each_part_commits_or_rolls_back_on_its_own() {
        let conn = table();
        let outer = write_transaction(&conn).unwrap();
        let kept = write_transaction(&outer).unwrap();
        kept.execute("INSERT INTO t VALUES (1)", []).unwrap();
        kept.commit().unwrap();
        {
            let dropped = write_transaction(&outer).unwrap();
            dropped.execute("INSERT INTO t VALUES (2)", []).unwrap();
        }
        assert_eq!(count(&conn), 1);
        // Nothing is on disk until the outer one commits.
        assert!(!conn.is_autocommit());
        outer.commit().unwrap();
        assert_eq!(count(&conn), 1);
        assert!(conn.is_autocommit());
    }
}
