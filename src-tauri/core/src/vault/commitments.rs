//! What the databases commit to about keys, so that `keyring.json` — which
//! anyone who can write the vault folder can edit — is checked against
//! something only a key holder could have written:
//!
//! - each login's delivery public key (`login_keys` in practice.db): nothing
//!   is sealed to a public key that differs from the committed one;
//! - a key rotation under way (`key_rotation_pending`, in the database being
//!   rotated, written under its old key): a sign-in re-encrypts a database
//!   only to a key whose hash is committed there.

use rusqlite::{params, Connection, OptionalExtension};

use super::secret::SecretKey;
use crate::error::{Error, Result};

/// The committed delivery public key of `login` (see `keyring::login_id`).
pub fn committed_public(conn: &Connection, login: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT delivery_public FROM login_keys WHERE login = ?1",
            [login],
            |r| r.get(0),
        )
        .optional()?)
}

/// Commits `login`'s delivery public key (a new login, a reset, a new
/// recovery code, or the login's own first sign-in after an upgrade).
pub fn commit_public(conn: &Connection, login: &str, public: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO login_keys (login, delivery_public, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (login) DO UPDATE SET delivery_public = excluded.delivery_public,
                                          updated_at = excluded.updated_at",
        params![login, public, crate::clock::now_text()],
    )?;
    Ok(())
}

/// Forgets a login's commitment (the login was removed).
pub fn forget_public(conn: &Connection, login: &str) -> Result<()> {
    conn.execute("DELETE FROM login_keys WHERE login = ?1", [login])?;
    Ok(())
}

/// Refuses to seal anything to `public` unless it is `login`'s committed key.
pub fn require_committed(conn: &Connection, login: &str, public: &str) -> Result<()> {
    match committed_public(conn, login)? {
        Some(committed) if committed == public => Ok(()),
        _ => Err(Error::Conflict {
            message: "keyring.json does not match the vault's own record of this login's keys, so nothing was sent to it. Run the integrity check; resetting the person's passphrase writes their login afresh.".into(),
        }),
    }
}

/// What a pending rotation commits to: a hash of the new key, never the key.
pub fn rotation_hash(key: &SecretKey) -> String {
    let mut message = b"circle/v1/rotation/".to_vec();
    message.extend_from_slice(key.expose());
    let digest = ring::digest::digest(&ring::digest::SHA256, &message);
    zeroize::Zeroize::zeroize(&mut message);
    hex::encode(digest.as_ref())
}

/// Records, in `schema` and under its current key, that it is about to be
/// re-encrypted to `new_key`.
pub fn begin_rotation(conn: &Connection, schema: &str, new_key: &SecretKey) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO {schema}.key_rotation_pending (id, new_key_hash, started_at)
             VALUES (1, ?1, ?2)"
        ),
        params![rotation_hash(new_key), crate::clock::now_text()],
    )?;
    Ok(())
}

/// The hash a pending rotation of `schema` committed to, if one is under way.
/// A database from before the table existed has none.
pub fn pending_rotation(conn: &Connection, schema: &str) -> Result<Option<String>> {
    let exists: bool = conn.query_row(
        &format!(
            "SELECT count(*) > 0 FROM {schema}.sqlite_master
             WHERE type = 'table' AND name = 'key_rotation_pending'"
        ),
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            &format!("SELECT new_key_hash FROM {schema}.key_rotation_pending WHERE id = 1"),
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// The rotation of `schema` is finished (or was undone).
pub fn end_rotation(conn: &Connection, schema: &str) -> Result<()> {
    if pending_rotation(conn, schema)?.is_some() {
        conn.execute(&format!("DELETE FROM {schema}.key_rotation_pending"), [])?;
    }
    Ok(())
}
