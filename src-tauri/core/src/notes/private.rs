//! Psychotherapy notes (HIPAA 164.501): an optional private note per session
//! and client, sealed with AES-256-GCM under a key that only its author's
//! login opens (see `LoginKeys::private_notes_key`). clinical.db holds only
//! ciphertext; the note is never part of the record, search or exports, and
//! no other person — the owner included — can open it, even with the files
//! and their own keys.

use rusqlite::{params, OptionalExtension};

use super::access;
use super::model::note::{booked_members, MAX_SECTION_CHARS};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::schedule::sessions;
use crate::signed_in::SignedIn;
use crate::vault::crypto;
use crate::vault::keyring::{login_id, Keyring};
use crate::vault::lock::VaultLock;
use crate::vault::secret::SecretKey;

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PrivateNote {
    pub session_id: i64,
    pub client_id: i64,
    /// Empty when none is written yet.
    pub body: String,
    pub updated_at: Option<String>,
    /// False when a note exists but was sealed with a key this login no
    /// longer holds (the passphrase was reset by an administrator).
    pub readable: bool,
}

impl std::fmt::Debug for PrivateNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PrivateNote(session {}, client {})",
            self.session_id, self.client_id
        )
    }
}

/// Binds a sealed note to its author, session and client: a ciphertext
/// copied to another row does not open.
fn context(author_id: i64, session_id: i64, client_id: i64) -> String {
    format!("circle/v1/private-note/{author_id}/{session_id}/{client_id}")
}

/// Names the key that sealed a note without revealing it.
fn key_id(key: &SecretKey) -> String {
    hex::encode(&crypto::hmac(key, b"circle/v1/private-note-key-id")[..8])
}

/// The signed-in person's own private-notes key (created on first use).
fn author_key(signed_in: &SignedIn) -> Result<SecretKey> {
    let _lock = VaultLock::acquire(signed_in.location())?;
    let path = signed_in.location().keyring_path();
    let mut keyring = Keyring::load(&path)?;
    let username = signed_in.actor().username.clone();
    let author = signed_in.actor().staff_id;
    let entry = keyring
        .entry_mut(&username)
        .ok_or(Error::NotFound { what: "Your login" })?;
    // A key from before format 2 counts only if it sealed notes this author
    // already wrote: anyone could have planted one for a new author.
    let opens_own_notes = |key: &SecretKey| {
        signed_in
            .conn()
            .query_row(
                "SELECT count(*) > 0 FROM private_notes WHERE author_id = ?1 AND key_id = ?2",
                params![author, key_id(key)],
                |r| r.get::<_, bool>(0),
            )
            .unwrap_or(false)
    };
    let (key, changed) = entry.keys.private_notes_key(
        &signed_in.keys().delivery_secret,
        &login_id(&username),
        opens_own_notes,
    )?;
    if changed {
        keyring.save(&path)?;
    }
    Ok(key)
}

/// Only a facilitator (or anyone who may read the group's notes) writes a
/// private note, and only about a member booked into the session.
fn check(signed_in: &SignedIn, session_id: i64, client_id: i64) -> Result<()> {
    signed_in.require(Capability::Sign)?;
    let group_session = sessions::group_session(signed_in.conn(), session_id)?;
    access::require_group_notes(signed_in, group_session.group_id)?;
    let booked = booked_members(signed_in.conn(), session_id)?;
    if !booked.iter().any(|b| b.roster.client_id == client_id) {
        return Err(Error::invalid(
            "clientId",
            "This client is not booked into this session.",
        ));
    }
    Ok(())
}

/// The signed-in person's own private note for this session and client.
pub fn private_note(signed_in: &SignedIn, session_id: i64, client_id: i64) -> Result<PrivateNote> {
    check(signed_in, session_id, client_id)?;
    let author = signed_in.actor().staff_id;
    let row: Option<(String, String, String)> = signed_in
        .conn()
        .query_row(
            "SELECT key_id, sealed, updated_at FROM private_notes
             WHERE session_id = ?1 AND client_id = ?2 AND author_id = ?3",
            params![session_id, client_id, author],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let mut note = PrivateNote {
        session_id,
        client_id,
        body: String::new(),
        updated_at: None,
        readable: true,
    };
    if let Some((stored_key_id, sealed, updated_at)) = row {
        note.updated_at = Some(updated_at);
        let key = author_key(signed_in)?;
        if stored_key_id != key_id(&key) {
            note.readable = false;
        } else {
            let plain = crypto::open(
                &key,
                &context(author, session_id, client_id),
                &crypto::Sealed(sealed),
            )
            .map_err(|_| Error::Corrupt {
                file: "clinical.db".into(),
            })?;
            note.body = String::from_utf8(plain.to_vec()).map_err(|_| Error::Corrupt {
                file: "clinical.db".into(),
            })?;
        }
        signed_in.audit(
            Event::new(Some(author), Action::PrivateNoteViewed)
                .on("session", session_id)
                .detail(format!("client={client_id}")),
        )?;
    }
    Ok(note)
}

/// Seals and stores the signed-in person's private note (an empty body
/// removes it).
pub fn save_private_note(
    signed_in: &SignedIn,
    session_id: i64,
    client_id: i64,
    body: &str,
) -> Result<PrivateNote> {
    check(signed_in, session_id, client_id)?;
    if body.chars().count() > MAX_SECTION_CHARS {
        return Err(Error::invalid(
            "privateNote",
            format!(
                "Keep a private note under {} characters.",
                MAX_SECTION_CHARS
            ),
        ));
    }
    let author = signed_in.actor().staff_id;
    let key = author_key(signed_in)?;
    let now = crate::clock::now_text();
    let tx = signed_in.clinical_write()?;
    if body.trim().is_empty() {
        tx.execute(
            "DELETE FROM private_notes WHERE session_id = ?1 AND client_id = ?2 AND author_id = ?3",
            params![session_id, client_id, author],
        )?;
    } else {
        let sealed = crypto::seal(
            &key,
            &context(author, session_id, client_id),
            body.as_bytes(),
        )
        .map_err(|_| Error::Io(std::io::Error::other("the OS random source failed")))?;
        tx.execute(
            "INSERT INTO private_notes (session_id, client_id, author_id, key_id, sealed, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (session_id, client_id, author_id)
             DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, updated_at = excluded.updated_at",
            params![session_id, client_id, author, key_id(&key), sealed.0, now],
        )?;
    }
    tx.audit(
        Event::new(Some(author), Action::PrivateNoteSaved)
            .on("session", session_id)
            .detail(format!("client={client_id}")),
    )?;
    tx.commit()?;
    Ok(PrivateNote {
        session_id,
        client_id,
        body: body.to_owned(),
        updated_at: (!body.trim().is_empty()).then_some(now),
        readable: true,
    })
}
