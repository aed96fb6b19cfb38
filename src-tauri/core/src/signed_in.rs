//! The signed-in state: who is acting, one connection (practice.db with
//! clinical.db attached when the role allows), and the keys, which are zeroed
//! when it is dropped (lock). "Session" in Circle means a group meeting; the
//! person at the keyboard is "signed in".

use rusqlite::Connection;

use crate::audit::anchor;
use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::roles::{Actor, Capability};
use crate::vault::keyring::{Keyring, UnlockedKeys};
use crate::vault::location::VaultLocation;
use crate::vault::lock::VaultLock;
use crate::vault::secret::SecretKey;

pub struct SignedIn {
    location: VaultLocation,
    conn: Connection,
    actor: Actor,
    keys: UnlockedKeys,
    chain_key: SecretKey,
    must_change_passphrase: bool,
    /// The audit row count last written to keyring.json's anchor.
    anchored_rows: Option<i64>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("staff_id", &self.actor.staff_id)
            .field("role", &self.actor.role)
            .finish_non_exhaustive()
    }
}

impl SignedIn {
    pub(crate) fn new(
        location: VaultLocation,
        conn: Connection,
        actor: Actor,
        keys: UnlockedKeys,
        chain_key: SecretKey,
        must_change_passphrase: bool,
    ) -> Self {
        SignedIn {
            location,
            conn,
            actor,
            keys,
            chain_key,
            must_change_passphrase,
            anchored_rows: None,
        }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    pub fn location(&self) -> &VaultLocation {
        &self.location
    }

    /// Whether `clinical.db` is attached (clinical role and key in hand).
    pub fn has_clinical_access(&self) -> bool {
        self.keys.clinical.is_some()
    }

    /// Someone else chose this person's passphrase; they must choose their own.
    pub fn must_change_passphrase(&self) -> bool {
        self.must_change_passphrase
    }

    pub(crate) fn set_must_change_passphrase(&mut self, value: bool) {
        self.must_change_passphrase = value;
    }

    /// Every service's first check: the sign-in has chosen its own passphrase
    /// and its role holds `capability`.
    pub fn require(&self, capability: Capability) -> Result<()> {
        self.require_own_passphrase()?;
        self.actor.require(capability)
    }

    /// Refuses everything while someone else's choice of passphrase stands
    /// (a new login, an administrator's reset). Only changing it, reading
    /// who is signed in (`practice::sign_in_settings`), keep-alive and lock
    /// do without this check.
    pub fn require_own_passphrase(&self) -> Result<()> {
        if self.must_change_passphrase {
            Err(Error::PassphraseChangeRequired)
        } else {
            Ok(())
        }
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn keys(&self) -> &UnlockedKeys {
        &self.keys
    }

    pub(crate) fn keys_mut(&mut self) -> &mut UnlockedKeys {
        &mut self.keys
    }

    pub(crate) fn chain_key(&self) -> &SecretKey {
        &self.chain_key
    }

    /// Appends an audit row on the session's connection.
    pub(crate) fn audit(&self, event: Event<'_>) -> Result<()> {
        audit::record(&self.conn, &self.chain_key, event)
    }

    /// Begins a write that changes clinical.db alone; its audit rows go
    /// through clinical.db's outbox, so a crash cannot part a change from
    /// its audit row (see `audit::outbox`).
    pub(crate) fn clinical_write(&self) -> Result<crate::audit::outbox::ClinicalWrite<'_>> {
        crate::audit::outbox::ClinicalWrite::begin(&self.conn, &self.chain_key)
    }

    /// Moves keyring.json's audit anchor to the chain's head after a batch
    /// of audit rows (a command, a CLI action). Cheap when nothing was
    /// appended; call it outside any transaction, so the anchor never runs
    /// ahead of what was committed.
    pub fn anchor_audit(&mut self) -> Result<()> {
        let rows = anchor::head(&self.conn, "main")?.map(|h| h.rows);
        if rows.is_none() || rows == self.anchored_rows {
            return Ok(());
        }
        let _lock = VaultLock::acquire(&self.location)?;
        let path = self.location.keyring_path();
        let mut keyring = Keyring::load(&path)?;
        if anchor::advance(&mut keyring, &self.conn, &self.chain_key)? {
            keyring.save(&path)?;
        }
        self.anchored_rows = rows;
        Ok(())
    }

    /// Records the lock and closes everything. Keys are zeroed as they drop.
    pub fn lock(mut self) -> Result<()> {
        let result = self
            .audit(Event::new(Some(self.actor.staff_id), Action::Lock))
            .and_then(|()| self.anchor_audit());
        drop(self);
        result
    }
}
