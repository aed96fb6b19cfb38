//! Key rotation: new random database keys, every database the acting person
//! can open re-encrypted (`PRAGMA rekey`), and the new keys sealed to each
//! colleague's committed public key for their next sign-in. Old copies of
//! `keyring.json` then open nothing.
//!
//! Order, so that no crash, full disk or busy database can lock everyone out:
//! 1. each database records, under its old key, the hash of the key it is
//!    about to move to (a sign-in re-encrypts only to a committed key);
//! 2. the deliveries are written to the keyring;
//! 3. the databases are re-encrypted.
//!
//! If step 3 fails, the keyring is put back as it was and the commitments
//! removed; if the process dies during it, the next sign-in finds the old
//! key still opening the database, the commitment naming the delivered key,
//! and finishes the move (see `signin::unlock`).

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::staff;
use crate::vault::commitments;
use crate::vault::crypto::{self, random_failed};
use crate::vault::db;
use crate::vault::keyring::{login_id, Keyring, RECOVERY_ID};
use crate::vault::lock::VaultLock;
use crate::vault::secret::SecretKey;

/// A step of key rotation, for the progress display.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotationProgress {
    pub step: u32,
    pub of: u32,
    pub label: String,
}

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotationOutcome {
    pub practice_rotated: bool,
    pub clinical_rotated: bool,
    /// Logins that will receive the new keys at their next sign-in.
    pub colleagues_updated: u32,
}

/// Rotates the keys the acting administrator holds. See the module comment.
pub fn rotate_keys(
    signed_in: &mut SignedIn,
    progress: &mut dyn FnMut(RotationProgress),
) -> Result<RotationOutcome> {
    signed_in.require(Capability::Administer)?;
    let rotate_clinical = signed_in.has_clinical_access();
    let steps = if rotate_clinical { 4 } else { 3 };
    let mut step = 0;
    let mut report = |label: &str| {
        step += 1;
        progress(RotationProgress {
            step,
            of: steps,
            label: label.to_owned(),
        });
    };

    let _lock = VaultLock::acquire(signed_in.location())?;
    let keyring_path = signed_in.location().keyring_path();
    let before = Keyring::load(&keyring_path)?;
    require_committed_logins(signed_in, &before)?;

    let new_practice = crypto::random_key().map_err(random_failed)?;
    let new_clinical = if rotate_clinical {
        Some(crypto::random_key().map_err(random_failed)?)
    } else {
        None
    };

    report("Sealing the new keys for each colleague");
    commitments::begin_rotation(signed_in.conn(), "main", &new_practice)?;
    if let Some(key) = &new_clinical {
        commitments::begin_rotation(signed_in.conn(), db::CLINICAL_SCHEMA, key)?;
    }
    let mut keyring = before.clone();
    let updated = match deliver_to_everyone(
        signed_in,
        &mut keyring,
        &new_practice,
        new_clinical.as_ref(),
    )
    .and_then(|updated| keyring.save(&keyring_path).map(|()| updated))
    {
        Ok(updated) => updated,
        Err(e) => return Err(undo(signed_in, &before, false, e)),
    };

    report("Re-encrypting the practice records");
    if let Err(e) = db::rekey(signed_in.conn(), "main", &new_practice) {
        return Err(undo(signed_in, &before, false, e));
    }
    let old_practice = std::mem::replace(&mut signed_in.keys_mut().practice, new_practice);
    if let Some(new_clinical) = new_clinical {
        report("Re-encrypting the clinical records");
        if let Err(e) = db::rekey(signed_in.conn(), db::CLINICAL_SCHEMA, &new_clinical) {
            // Move practice.db back too, so the old keyring opens both again.
            return match db::rekey(signed_in.conn(), "main", &old_practice) {
                Ok(()) => {
                    signed_in.keys_mut().practice = old_practice;
                    Err(undo(signed_in, &before, false, e))
                }
                // Both moves failed: leave the deliveries and commitments in
                // place; the next sign-in finishes the rotation.
                Err(_) => Err(undo(signed_in, &before, true, e)),
            };
        }
        signed_in.keys_mut().clinical = Some(new_clinical);
        commitments::end_rotation(signed_in.conn(), db::CLINICAL_SCHEMA)?;
    }
    commitments::end_rotation(signed_in.conn(), "main")?;

    report("Recording the rotation");
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::KeysRotated).detail(
            if rotate_clinical {
                "practice+clinical"
            } else {
                "practice"
            },
        ),
    )?;
    Ok(RotationOutcome {
        practice_rotated: true,
        clinical_rotated: rotate_clinical,
        colleagues_updated: updated,
    })
}

/// Nothing is sealed to a login whose public key is not the one practice.db
/// committed to: a swapped key in keyring.json stops the rotation before it
/// changes anything.
fn require_committed_logins(signed_in: &SignedIn, keyring: &Keyring) -> Result<()> {
    let conn = signed_in.conn();
    let mut logins: Vec<(String, &str)> = keyring
        .entries
        .iter()
        .map(|e| (login_id(&e.username), e.keys.delivery_public.as_str()))
        .collect();
    logins.push((RECOVERY_ID.to_owned(), &keyring.recovery.delivery_public));
    for (login, public) in logins {
        if commitments::committed_public(conn, &login)?.is_none() {
            // A login from before commitments that has not signed in since:
            // its own first sign-in commits it. Until then it is left out
            // of deliveries (see `deliver_to_everyone`).
            continue;
        }
        if let Err(e) = commitments::require_committed(conn, &login, public) {
            signed_in.audit(
                Event::new(Some(signed_in.actor().staff_id), Action::KeyringMismatch).detail(
                    if login == RECOVERY_ID {
                        "recovery"
                    } else {
                        "login"
                    },
                ),
            )?;
            return Err(e);
        }
    }
    Ok(())
}

/// Seals the new keys to every committed login: the practice key to all,
/// the clinical key only to logins that hold it or were approved for it.
fn deliver_to_everyone(
    signed_in: &SignedIn,
    keyring: &mut Keyring,
    new_practice: &SecretKey,
    new_clinical: Option<&SecretKey>,
) -> Result<u32> {
    let conn = signed_in.conn();
    let members = staff::all(conn)?;
    let mut updated = 0;
    for entry in keyring.entries.iter_mut() {
        let login = login_id(&entry.username);
        if commitments::committed_public(conn, &login)?.is_none() {
            continue;
        }
        let member = members
            .iter()
            .find(|m| m.username.eq_ignore_ascii_case(&entry.username));
        let clinical_allowed = member.is_some_and(|m| {
            m.active
                && m.role.is_clinical()
                && (entry.keys.clinical_key.is_some()
                    || crate::clinical_access::granted(conn, m.id, &entry.keys.delivery_public)
                        .unwrap_or(false))
        });
        let clinical = if clinical_allowed { new_clinical } else { None };
        entry.keys.deliver(Some(new_practice), clinical, false)?;
        updated += 1;
    }
    if commitments::committed_public(conn, RECOVERY_ID)?.is_some() {
        keyring
            .recovery
            .deliver(Some(new_practice), new_clinical, false)?;
    }
    Ok(updated)
}

/// Puts things back after a failed rotation and records it; returns `error`.
/// With `keep_deliveries`, the databases may be half moved, so the keyring's
/// deliveries and the commitments stay for the next sign-in to finish.
fn undo(signed_in: &SignedIn, before: &Keyring, keep_deliveries: bool, error: Error) -> Error {
    if !keep_deliveries {
        let _ = before.save(&signed_in.location().keyring_path());
        let _ = commitments::end_rotation(signed_in.conn(), "main");
        if signed_in.has_clinical_access() {
            let _ = commitments::end_rotation(signed_in.conn(), db::CLINICAL_SCHEMA);
        }
    }
    let _ = signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::KeyRotationFailed).detail(
            if keep_deliveries {
                "finishes at next sign-in"
            } else {
                "nothing changed"
            },
        ),
    );
    error
}
