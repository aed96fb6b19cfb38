//! `keyring.json`: per login, the vault keys wrapped under a key derived from
//! that person's passphrase. Nothing in it is secret without a passphrase.
//!
//! Each login also has an X25519 key pair for *deliveries*: when keys change
//! (rotation, a new clinical role) someone who holds the new keys seals them to
//! the person's public key; the person's next unlock opens the delivery and
//! rewraps under their own passphrase. The recovery code is one more login.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{self, CryptoError, KdfParams, Sealed};
use super::secret::{Passphrase, SecretKey};
use crate::error::{Error, Result};

pub const FORMAT: u32 = 1;
/// Failures allowed before each further attempt must wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// Wait after the first failure past the free ones; doubles each time.
const FIRST_DELAY_SECS: i64 = 30;
const MAX_DELAY_SECS: i64 = 15 * 60;
/// Sealed under every key-encryption key: lets unlock tell a wrong passphrase
/// (this does not open) from a tampered entry (this opens, a key does not).
const CHECK_PLAINTEXT: &[u8] = b"circle keyring check v1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keyring {
    pub format: u32,
    pub entries: Vec<KeyringEntry>,
    pub recovery: LoginKeys,
    /// Failed unlocks not yet written to the audit log (it cannot be written
    /// without a key); the next successful unlock records them.
    #[serde(default)]
    pub unaudited_failures: Vec<FailedUnlock>,
    /// Failed unlocks beyond the queue's limit, counted but not itemised.
    #[serde(default)]
    pub dropped_failures: u32,
    /// Failed unlocks for usernames that have no login, throttled exactly
    /// like real ones so the answers do not tell which usernames exist.
    /// Keyed by a hash of the typed name (it may be anything, even a
    /// passphrase typed into the wrong field).
    #[serde(default)]
    pub unknown_logins: Vec<UnknownLogin>,
    /// The audit chain's head as last written, kept here, outside
    /// practice.db, so that deleting the newest audit rows shows
    /// (`audit::anchor` makes and checks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_anchor: Option<AuditAnchor>,
    /// The practice's id (from practice.db), so a restore can refuse another
    /// practice's backup before asking for anything. Informational: every
    /// decision that matters is checked against the databases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice_id: Option<String>,
}

/// How long the audit chain was and how its last row's MAC read, with a
/// tag under a key derived from the chain key so it cannot be made up
/// without a key. Hex throughout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnchor {
    pub rows: i64,
    pub last_mac: String,
    pub tag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnknownLogin {
    pub name_hash: String,
    pub failed_attempts: u32,
    pub locked_until: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedUnlock {
    pub username: String,
    pub at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyringEntry {
    pub username: String,
    pub keys: LoginKeys,
    #[serde(default)]
    pub failed_attempts: u32,
    /// Unix seconds before which no attempt is accepted.
    #[serde(default)]
    pub locked_until: Option<i64>,
    /// Set when someone else chose this passphrase (new account, reset).
    #[serde(default)]
    pub must_change_passphrase: bool,
}

/// Key material for one login, all of it wrapped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginKeys {
    pub kdf: KdfParams,
    pub check: Sealed,
    pub delivery_public: String,
    pub delivery_secret: Sealed,
    pub practice_key: Sealed,
    /// Present only for clinical roles (owner, clinician, supervisor).
    pub clinical_key: Option<Sealed>,
    /// Sealed boxes of new keys waiting for this login's next unlock.
    #[serde(default)]
    pub deliveries: Vec<String>,
    /// Before format 2: the private-notes key as a sealed box to the
    /// delivery public key. Anyone can make such a box, so one is taken up
    /// only when it opens notes this person already wrote (see
    /// [`LoginKeys::private_notes_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_notes_key: Option<String>,
    /// This person's key for psychotherapy (private) notes, wrapped under a
    /// key derived from their delivery *secret*: only this login can make or
    /// open it — not a colleague who can read the file, not the recovery
    /// code, not an administrator who resets the passphrase (a reset makes a
    /// new delivery key pair, so notes written before it stay closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_notes_wrap: Option<Sealed>,
}

/// The keys one login holds once unwrapped. Zeroed on drop.
#[derive(Debug, Clone)]
pub struct UnlockedKeys {
    pub practice: SecretKey,
    pub clinical: Option<SecretKey>,
    pub delivery_secret: SecretKey,
    /// Every key replaced by a delivery during this unlock, newest first. A
    /// delivered key counts only once a database opens with it, or once the
    /// database (opened with one of these) has committed to it; see
    /// `signin::unlock`.
    pub superseded_practice: Vec<SecretKey>,
    pub superseded_clinical: Vec<SecretKey>,
}

/// A login just opened: its keys, and what is needed to seal them again
/// once the databases have said which keys are real.
pub struct OpenedLogin {
    pub keys: UnlockedKeys,
    /// Whether deliveries were taken up (the entry must be sealed again).
    pub deliveries_applied: bool,
    kek: SecretKey,
}

impl std::fmt::Debug for OpenedLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedLogin").finish_non_exhaustive()
    }
}

/// What a delivery carries: replacement keys, or the withdrawal of the
/// clinical key (a move to a non-clinical role).
#[derive(Serialize, Deserialize, Default)]
struct Delivery {
    practice: Option<Zeroizing<String>>,
    clinical: Option<Zeroizing<String>>,
    #[serde(default)]
    withdraw_clinical: bool,
}

/// Whose entry a wrapped value belongs to; bound into every seal.
pub fn login_id(username: &str) -> String {
    format!("user:{}", username.to_lowercase())
}
pub const RECOVERY_ID: &str = "recovery";

fn context(purpose: &str, who: &str) -> String {
    format!("circle/v1/{purpose}/{who}")
}

impl LoginKeys {
    /// Wraps `practice` (and `clinical`, when given) for a new login.
    pub fn create(
        passphrase: &Passphrase,
        who: &str,
        practice: &SecretKey,
        clinical: Option<&SecretKey>,
        kdf: KdfParams,
    ) -> Result<Self> {
        let kek = crypto::derive_kek(passphrase, &kdf).map_err(crypto_failure)?;
        let delivery = crypto::DeliveryKeyPair::generate().map_err(crypto_failure)?;
        Self::seal_all(
            &kek,
            who,
            kdf,
            &delivery.secret,
            delivery.public,
            practice,
            clinical,
        )
    }

    fn seal_all(
        kek: &SecretKey,
        who: &str,
        kdf: KdfParams,
        delivery_secret: &SecretKey,
        delivery_public: String,
        practice: &SecretKey,
        clinical: Option<&SecretKey>,
    ) -> Result<Self> {
        let seal = |purpose: &str, bytes: &[u8]| {
            crypto::seal(kek, &context(purpose, who), bytes).map_err(crypto_failure)
        };
        Ok(LoginKeys {
            kdf,
            check: seal("check", CHECK_PLAINTEXT)?,
            delivery_public,
            delivery_secret: seal("delivery", delivery_secret.expose())?,
            practice_key: seal("practice", practice.expose())?,
            clinical_key: clinical.map(|k| seal("clinical", k.expose())).transpose()?,
            deliveries: Vec::new(),
            private_notes_key: None,
            private_notes_wrap: None,
        })
    }

    /// Derives the key-encryption key and unwraps everything this login holds,
    /// taking up any waiting deliveries (the keys they replace are kept as
    /// superseded). Nothing is sealed again here: the caller first learns
    /// from the databases which keys are real, then calls [`Self::reseal`].
    ///
    /// `WrongPassphrase` when the passphrase is wrong; `Corrupt(keyring.json)`
    /// when the passphrase is right but the entry has been tampered with.
    pub fn open(&mut self, passphrase: &Passphrase, who: &str) -> Result<OpenedLogin> {
        let kek = crypto::derive_kek(passphrase, &self.kdf).map_err(|e| match e {
            CryptoError::Random => crypto_failure(e),
            _ => tampered(),
        })?;
        match crypto::open(&kek, &context("check", who), &self.check) {
            Ok(check) if check.as_slice() == CHECK_PLAINTEXT => {}
            Ok(_) | Err(CryptoError::Malformed) => return Err(tampered()),
            Err(_) => return Err(Error::WrongPassphrase),
        }
        let open_key = |purpose: &str, sealed: &Sealed| {
            crypto::open_key(&kek, &context(purpose, who), sealed).map_err(|_| tampered())
        };
        let delivery_secret = open_key("delivery", &self.delivery_secret)?;
        // The public key in the clear must be the one this entry's own secret
        // makes: a swapped public key is tampering, caught here.
        if crypto::delivery_public_key(&delivery_secret) != self.delivery_public {
            return Err(tampered());
        }
        let mut keys = UnlockedKeys {
            practice: open_key("practice", &self.practice_key)?,
            clinical: self
                .clinical_key
                .as_ref()
                .map(|s| open_key("clinical", s))
                .transpose()?,
            delivery_secret,
            superseded_practice: Vec::new(),
            superseded_clinical: Vec::new(),
        };
        let deliveries_applied = !self.deliveries.is_empty();
        for boxed in std::mem::take(&mut self.deliveries) {
            let plain =
                crypto::open_sealed_box(&keys.delivery_secret, &boxed).map_err(|_| tampered())?;
            let delivery: Delivery = serde_json::from_slice(&plain).map_err(|_| tampered())?;
            if let Some(hex_key) = delivery.practice {
                let old = std::mem::replace(&mut keys.practice, key_from_hex(&hex_key)?);
                keys.superseded_practice.insert(0, old);
            }
            if let Some(hex_key) = delivery.clinical {
                if let Some(old) = keys.clinical.replace(key_from_hex(&hex_key)?) {
                    keys.superseded_clinical.insert(0, old);
                }
            }
            if delivery.withdraw_clinical {
                keys.clinical = None;
            }
        }
        Ok(OpenedLogin {
            keys,
            deliveries_applied,
            kek,
        })
    }

    /// Seals `keys` (the ones the databases accepted) into this entry again
    /// under the same passphrase, keeping its delivery key pair and its
    /// private-notes key.
    pub fn reseal(&mut self, opened: &OpenedLogin, who: &str, keys: &UnlockedKeys) -> Result<()> {
        let mut resealed = Self::seal_all(
            &opened.kek,
            who,
            self.kdf.clone(),
            &keys.delivery_secret,
            self.delivery_public.clone(),
            &keys.practice,
            keys.clinical.as_ref(),
        )?;
        resealed.private_notes_key = self.private_notes_key.take();
        resealed.private_notes_wrap = self.private_notes_wrap.take();
        *self = resealed;
        Ok(())
    }

    /// Rewraps the same keys under a new passphrase (fresh salt). Data is
    /// never re-encrypted by a passphrase change. The private-notes key is
    /// sealed to the delivery key pair, which is kept, so it carries over.
    pub fn rewrap(
        &self,
        keys: &UnlockedKeys,
        new_passphrase: &Passphrase,
        who: &str,
    ) -> Result<Self> {
        let kdf = KdfParams::fresh().map_err(crypto_failure)?;
        let kek = crypto::derive_kek(new_passphrase, &kdf).map_err(crypto_failure)?;
        let public = crypto::delivery_public_key(&keys.delivery_secret);
        let mut rewrapped = Self::seal_all(
            &kek,
            who,
            kdf,
            &keys.delivery_secret,
            public,
            &keys.practice,
            keys.clinical.as_ref(),
        )?;
        rewrapped.private_notes_key = self.private_notes_key.clone();
        rewrapped.private_notes_wrap = self.private_notes_wrap.clone();
        Ok(rewrapped)
    }

    /// Opens this login's private-notes key, creating one the first time it
    /// is needed. Returns the key and whether the entry changed and must be
    /// saved. A key from before format 2 (a sealed box, which anyone holding
    /// the public key could have planted) is taken up only if
    /// `opens_own_notes` says it opens notes this person already wrote;
    /// otherwise it is dropped and a new key made.
    pub fn private_notes_key(
        &mut self,
        delivery_secret: &SecretKey,
        who: &str,
        opens_own_notes: impl Fn(&SecretKey) -> bool,
    ) -> Result<(SecretKey, bool)> {
        let wrap_key = private_notes_wrap_key(delivery_secret);
        let context = context("private-notes", who);
        if let Some(wrapped) = &self.private_notes_wrap {
            let key = crypto::open_key(&wrap_key, &context, wrapped).map_err(|_| tampered())?;
            return Ok((key, false));
        }
        let legacy = self
            .private_notes_key
            .take()
            .and_then(|boxed| crypto::open_sealed_box(delivery_secret, &boxed).ok())
            .and_then(|plain| <[u8; 32]>::try_from(plain.as_slice()).ok())
            .map(SecretKey::from_bytes)
            .filter(|key| opens_own_notes(key));
        let key = match legacy {
            Some(key) => key,
            None => crypto::random_key().map_err(crypto_failure)?,
        };
        self.private_notes_wrap =
            Some(crypto::seal(&wrap_key, &context, key.expose()).map_err(crypto_failure)?);
        Ok((key, true))
    }

    /// Queues new keys for this login's next unlock.
    pub fn deliver(
        &mut self,
        practice: Option<&SecretKey>,
        clinical: Option<&SecretKey>,
        withdraw_clinical: bool,
    ) -> Result<()> {
        let delivery = Delivery {
            practice: practice.map(|k| Zeroizing::new(hex::encode(k.expose()))),
            clinical: clinical.map(|k| Zeroizing::new(hex::encode(k.expose()))),
            withdraw_clinical,
        };
        let plain = Zeroizing::new(serde_json::to_vec(&delivery).map_err(|_| tampered())?);
        let boxed = crypto::seal_to(&self.delivery_public, &plain).map_err(crypto_failure)?;
        self.deliveries.push(boxed);
        Ok(())
    }

    /// Drops the wrapped clinical key at once (a move to a non-clinical role)
    /// and queues its withdrawal, so an older delivery cannot bring it back.
    pub fn withdraw_clinical(&mut self) -> Result<()> {
        self.clinical_key = None;
        self.deliver(None, None, true)
    }
}

/// The key that wraps a login's private-notes key: derived from its delivery
/// secret, which only that login can unwrap.
fn private_notes_wrap_key(delivery_secret: &SecretKey) -> SecretKey {
    let mac = Zeroizing::new(crypto::hmac(
        delivery_secret,
        b"circle/v1/private-notes-wrap",
    ));
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&mac[..32]);
    SecretKey::from_bytes(bytes)
}

fn key_from_hex(text: &str) -> Result<SecretKey> {
    let bytes = Zeroizing::new(hex::decode(text).map_err(|_| tampered())?);
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| tampered())?;
    Ok(SecretKey::from_bytes(array))
}

fn tampered() -> Error {
    Error::Corrupt {
        file: super::location::KEYRING_FILE.to_owned(),
    }
}

fn crypto_failure(e: CryptoError) -> Error {
    match e {
        CryptoError::Random => Error::Io(std::io::Error::other("the OS random source failed")),
        _ => tampered(),
    }
}

impl KeyringEntry {
    /// `Err(seconds)` while this login must still wait after repeated failures.
    pub fn wait_remaining(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|&t| t > now).map(|t| t - now)
    }

    pub fn record_failure(&mut self, now: i64) {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        if let Some(until) = wait_after(self.failed_attempts, now) {
            self.locked_until = Some(until);
        }
    }

    pub fn record_success(&mut self) {
        self.failed_attempts = 0;
        self.locked_until = None;
    }
}

/// The backoff, one rule for known and unknown usernames alike: free
/// attempts, then a wait that doubles with each failure up to the cap.
fn wait_after(failed_attempts: u32, now: i64) -> Option<i64> {
    if failed_attempts < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failed_attempts - FREE_ATTEMPTS).min(10);
    Some(now + (FIRST_DELAY_SECS << doublings).min(MAX_DELAY_SECS))
}

/// How many unknown usernames are throttled at once; the oldest give way.
const MAX_UNKNOWN_LOGINS: usize = 100;

fn name_hash(username: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("circle/v1/unknown-login/{}", username.to_lowercase()).as_bytes(),
    );
    hex::encode(&digest.as_ref()[..16])
}

/// At most this many failed unlocks wait for the audit log; older ones are
/// counted in `dropped_failures` so a flood cannot grow the keyring.
pub const MAX_QUEUED_FAILURES: usize = 200;

impl Keyring {
    /// Seconds a username without a login must still wait, as a real one would.
    pub fn unknown_wait_remaining(&self, username: &str, now: i64) -> Option<i64> {
        let hash = name_hash(username);
        self.unknown_logins
            .iter()
            .find(|u| u.name_hash == hash)
            .and_then(|u| u.locked_until)
            .filter(|&t| t > now)
            .map(|t| t - now)
    }

    /// Counts a failed unlock for a username that has no login; returns the
    /// wait it now carries, exactly as [`KeyringEntry::record_failure`] would.
    pub fn record_unknown_failure(&mut self, username: &str, now: i64) -> Option<i64> {
        let hash = name_hash(username);
        let index = match self.unknown_logins.iter().position(|u| u.name_hash == hash) {
            Some(i) => i,
            None => {
                if self.unknown_logins.len() >= MAX_UNKNOWN_LOGINS {
                    self.unknown_logins.remove(0);
                }
                self.unknown_logins.push(UnknownLogin {
                    name_hash: hash,
                    failed_attempts: 0,
                    locked_until: None,
                });
                self.unknown_logins.len() - 1
            }
        };
        let record = &mut self.unknown_logins[index];
        record.failed_attempts = record.failed_attempts.saturating_add(1);
        if let Some(until) = wait_after(record.failed_attempts, now) {
            record.locked_until = Some(until);
        }
        record.locked_until.filter(|&t| t > now).map(|t| t - now)
    }

    /// Queues a failed unlock for the audit log.
    pub fn queue_failure(&mut self, username: &str, at: i64) {
        if self.unaudited_failures.len() >= MAX_QUEUED_FAILURES {
            self.unaudited_failures.remove(0);
            self.dropped_failures = self.dropped_failures.saturating_add(1);
        }
        self.unaudited_failures.push(FailedUnlock {
            username: username.to_owned(),
            at,
        });
    }

    pub fn load(path: &Path) -> Result<Keyring> {
        let bytes = std::fs::read(path)?;
        let keyring: Keyring = serde_json::from_slice(&bytes).map_err(|_| tampered())?;
        if keyring.format > FORMAT {
            return Err(Error::VaultTooNew {
                file: super::location::KEYRING_FILE.to_owned(),
            });
        }
        Ok(keyring)
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|_| tampered())?;
        crate::atomic_file::write(path, &json)?;
        Ok(())
    }

    /// Saves this keyring, then commits `tx`, the change to practice.db that
    /// goes with it: the keyring first, so one that cannot be written
    /// leaves the databases as they were. If the commit then fails (the
    /// disk filled between the two), keyring.json is put back as it was,
    /// so no login is left that practice.db does not know (best effort: a
    /// disk too full for even that leaves what `verify` reports).
    pub(crate) fn save_then_commit(
        &self,
        path: &Path,
        tx: crate::vault::db::WriteTransaction<'_>,
    ) -> Result<()> {
        let before = std::fs::read(path)?;
        self.save(path)?;
        if let Err(e) = tx.commit() {
            let _ = crate::atomic_file::write(path, &before);
            return Err(e);
        }
        Ok(())
    }

    pub fn entry(&self, username: &str) -> Option<&KeyringEntry> {
        self.entries
            .iter()
            .find(|e| e.username.eq_ignore_ascii_case(username))
    }

    pub fn entry_mut(&mut self, username: &str) -> Option<&mut KeyringEntry> {
        self.entries
            .iter_mut()
            .find(|e| e.username.eq_ignore_ascii_case(username))
    }
}
