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
    /// This person's key for psychotherapy (private) notes, sealed to their
    /// own delivery key: only this login opens it, not the recovery code,
    /// not an administrator who resets the passphrase (a reset makes a new
    /// delivery key pair, so private notes written before it stay closed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_notes_key: Option<String>,
}

/// The keys one login holds once unwrapped. Zeroed on drop.
#[derive(Debug, Clone)]
pub struct UnlockedKeys {
    pub practice: SecretKey,
    pub clinical: Option<SecretKey>,
    pub delivery_secret: SecretKey,
    /// Keys replaced by a delivery during this unlock. If a rotation was
    /// interrupted before its rekey, the database still opens with these.
    pub superseded_practice: Option<SecretKey>,
    pub superseded_clinical: Option<SecretKey>,
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
        })
    }

    /// Derives the key-encryption key and unwraps everything this login holds,
    /// applying any waiting deliveries. Returns the keys and whether the entry
    /// changed (deliveries applied) and must be saved.
    ///
    /// `WrongPassphrase` when the passphrase is wrong; `Corrupt(keyring.json)`
    /// when the passphrase is right but the entry has been tampered with.
    pub fn unlock(&mut self, passphrase: &Passphrase, who: &str) -> Result<(UnlockedKeys, bool)> {
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
            superseded_practice: None,
            superseded_clinical: None,
        };
        let changed = !self.deliveries.is_empty();
        for boxed in std::mem::take(&mut self.deliveries) {
            let plain =
                crypto::open_sealed_box(&keys.delivery_secret, &boxed).map_err(|_| tampered())?;
            let delivery: Delivery = serde_json::from_slice(&plain).map_err(|_| tampered())?;
            if let Some(hex_key) = delivery.practice {
                let old = std::mem::replace(&mut keys.practice, key_from_hex(&hex_key)?);
                keys.superseded_practice.get_or_insert(old);
            }
            if let Some(hex_key) = delivery.clinical {
                let old = keys.clinical.replace(key_from_hex(&hex_key)?);
                if let Some(old) = old {
                    keys.superseded_clinical.get_or_insert(old);
                }
            }
            if delivery.withdraw_clinical {
                keys.clinical = None;
            }
        }
        if changed {
            let private_notes_key = self.private_notes_key.take();
            *self = Self::seal_all(
                &kek,
                who,
                self.kdf.clone(),
                &keys.delivery_secret,
                self.delivery_public.clone(),
                &keys.practice,
                keys.clinical.as_ref(),
            )?;
            self.private_notes_key = private_notes_key;
        }
        Ok((keys, changed))
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
        Ok(rewrapped)
    }

    /// Opens this login's private-notes key with its delivery secret,
    /// creating (and sealing) one the first time it is needed. Returns the
    /// key and whether the entry changed and must be saved.
    pub fn private_notes_key(&mut self, delivery_secret: &SecretKey) -> Result<(SecretKey, bool)> {
        if let Some(boxed) = &self.private_notes_key {
            let plain = crypto::open_sealed_box(delivery_secret, boxed).map_err(|_| tampered())?;
            let array: [u8; 32] = plain.as_slice().try_into().map_err(|_| tampered())?;
            return Ok((SecretKey::from_bytes(array), false));
        }
        let key = crypto::random_key().map_err(crypto_failure)?;
        let boxed = crypto::seal_to(&self.delivery_public, key.expose()).map_err(crypto_failure)?;
        self.private_notes_key = Some(boxed);
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
        if self.failed_attempts >= FREE_ATTEMPTS {
            let doublings = (self.failed_attempts - FREE_ATTEMPTS).min(10);
            let delay = (FIRST_DELAY_SECS << doublings).min(MAX_DELAY_SECS);
            self.locked_until = Some(now + delay);
        }
    }

    pub fn record_success(&mut self) {
        self.failed_attempts = 0;
        self.locked_until = None;
    }
}

/// At most this many failed unlocks wait for the audit log; older ones are
/// counted in `dropped_failures` so a flood cannot grow the keyring.
pub const MAX_QUEUED_FAILURES: usize = 200;

impl Keyring {
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
