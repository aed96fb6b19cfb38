//! Signing in: unwrap a login's keys, open the databases its role allows,
//! finish an interrupted rotation, record the unlock and any failures since,
//! and hand waiting colleagues the clinical key.

use std::path::Path;

use rusqlite::Connection;

use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::roles::{Actor, Role};
use crate::signed_in::SignedIn;
use crate::staff;
use crate::vault::crypto::{self, random_failed, KdfParams};
use crate::vault::keyring::{
    login_id, Keyring, KeyringEntry, LoginKeys, UnlockedKeys, RECOVERY_ID,
};
use crate::vault::location::VaultLocation;
use crate::vault::secret::{Passphrase, SecretKey};
use crate::vault::{db, migrations, recovery_code};

/// Signs a staff member in: unwraps their keys, opens the databases their
/// role allows, records the unlock (and any failures since the last one).
pub fn unlock(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
) -> Result<SignedIn> {
    if !location.vault_exists() {
        return Err(Error::NotFound {
            what: "A vault in this folder",
        });
    }
    let keyring_path = location.keyring_path();
    let mut keyring = Keyring::load(&keyring_path)?;
    let now = crate::clock::now_unix();
    let username = username.trim().to_lowercase();

    let Some(entry) = keyring.entry_mut(&username) else {
        // Spend the same effort as a real attempt so timing does not reveal
        // which usernames exist.
        let params = KdfParams::fresh().map_err(random_failed)?;
        let _ = crypto::derive_kek(passphrase, &params);
        keyring.queue_failure("", now);
        keyring.save(&keyring_path)?;
        return Err(Error::WrongPassphrase);
    };
    if let Some(seconds) = entry.wait_remaining(now) {
        return Err(Error::RateLimited { seconds });
    }
    let (keys, changed) = match entry.keys.unlock(passphrase, &login_id(&username)) {
        Ok(ok) => ok,
        Err(Error::WrongPassphrase) => {
            entry.record_failure(now);
            let wait = entry.wait_remaining(now);
            keyring.queue_failure(&username, now);
            keyring.save(&keyring_path)?;
            return Err(match wait {
                Some(seconds) => Error::RateLimited { seconds },
                None => Error::WrongPassphrase,
            });
        }
        Err(e) => return Err(e),
    };
    let keyring_dirty = changed || entry.failed_attempts > 0 || entry.locked_until.is_some();
    entry.record_success();
    let must_change = entry.must_change_passphrase;
    if keyring_dirty {
        keyring.save(&keyring_path)?;
    }
    open_signed_in(
        location,
        keyring,
        &username,
        keys,
        must_change,
        Action::Unlock,
    )
}

/// Uses the recovery code to sign the owner in and set a new passphrase.
/// Never rate-limited: the code is 128 random bits behind Argon2id.
pub fn recover(
    location: &VaultLocation,
    owner_username: &str,
    recovery_code: &Passphrase,
    new_passphrase: &Passphrase,
) -> Result<SignedIn> {
    if !location.vault_exists() {
        return Err(Error::NotFound {
            what: "A vault in this folder",
        });
    }
    let keyring_path = location.keyring_path();
    let mut keyring = Keyring::load(&keyring_path)?;
    let username = owner_username.trim().to_lowercase();
    let code = recovery_code::normalise(recovery_code);
    let (keys, _) = keyring
        .recovery
        .unlock(&code, RECOVERY_ID)
        .map_err(|e| match e {
            Error::WrongPassphrase => Error::invalid(
                "recoveryCode",
                "That recovery code is not right. Check each group of four.",
            ),
            other => other,
        })?;

    // The owner must exist and be active before anything is rewritten.
    let conn = open_practice(location, &keys)?;
    let member = staff::by_username(&conn, &username)?
        .filter(|m| m.active && m.role == Role::Owner)
        .ok_or_else(|| Error::invalid("username", "The recovery code resets an active owner's passphrase. Enter the owner's username."))?;
    drop(conn);
    crate::passphrase_policy::check(
        "newPassphrase",
        new_passphrase,
        &[&member.username, &member.full_name],
    )?;

    // The recovery entry's deliveries were applied above; rewrap it too.
    keyring.recovery = LoginKeys::create(
        &code,
        RECOVERY_ID,
        &keys.practice,
        keys.clinical.as_ref(),
        KdfParams::fresh().map_err(random_failed)?,
    )?;
    let entry_keys = LoginKeys::create(
        new_passphrase,
        &login_id(&username),
        &keys.practice,
        keys.clinical.as_ref(),
        KdfParams::fresh().map_err(random_failed)?,
    )?;
    match keyring.entry_mut(&username) {
        Some(entry) => {
            entry.keys = entry_keys;
            entry.record_success();
            entry.must_change_passphrase = false;
        }
        None => keyring.entries.push(KeyringEntry {
            username: username.clone(),
            keys: entry_keys,
            failed_attempts: 0,
            locked_until: None,
            must_change_passphrase: false,
        }),
    }
    keyring.save(&keyring_path)?;
    let (own_keys, _) = keyring
        .entry_mut(&username)
        .ok_or(Error::NotFound {
            what: "The owner's login",
        })?
        .keys
        .unlock(new_passphrase, &login_id(&username))?;
    open_signed_in(
        location,
        keyring,
        &username,
        own_keys,
        false,
        Action::Recover,
    )
}

/// Opens `practice.db`, finishing an interrupted key rotation if needed.
fn open_practice(location: &VaultLocation, keys: &UnlockedKeys) -> Result<Connection> {
    let path = location.practice_db_path();
    let mut conn = open_with_fallback(&path, &keys.practice, keys.superseded_practice.as_ref())?;
    require_intact(&conn, &path)?;
    migrations::migrate(&mut conn, migrations::PRACTICE, &path)?;
    Ok(conn)
}

/// Every page's authentication code is checked at unlock, so damage anywhere
/// in the file is reported now, naming the file, rather than mid-task later.
fn require_intact(conn: &Connection, path: &Path) -> Result<()> {
    if db::integrity_problems(conn, "main").is_empty() {
        Ok(())
    } else {
        Err(Error::corrupt(path))
    }
}

/// Opens with `current`; if that fails and a delivery just replaced an older
/// key, the rotation that sent it stopped before re-encrypting: open with the
/// older key and finish the re-encryption now.
fn open_with_fallback(
    path: &Path,
    current: &SecretKey,
    superseded: Option<&SecretKey>,
) -> Result<Connection> {
    match (db::open(path, current, false), superseded) {
        (Ok(conn), _) => Ok(conn),
        (Err(Error::Corrupt { .. }), Some(old)) => {
            let conn = db::open(path, old, false)?;
            db::rekey(&conn, "main", current)?;
            Ok(conn)
        }
        (Err(e), _) => Err(e),
    }
}

fn open_signed_in(
    location: &VaultLocation,
    mut keyring: Keyring,
    username: &str,
    mut keys: UnlockedKeys,
    must_change_passphrase: bool,
    action: Action,
) -> Result<SignedIn> {
    let keyring_path = location.keyring_path();
    let conn = open_practice(location, &keys)?;
    let member = staff::by_username(&conn, username)?
        .filter(|m| m.active)
        .ok_or(Error::Forbidden)?;

    // Role in practice.db is authoritative: a login whose role is no longer
    // clinical loses the clinical key from its entry now.
    let mut keyring_dirty = false;
    if !member.role.is_clinical() && keys.clinical.is_some() {
        keys.clinical = None;
        if let Some(entry) = keyring.entry_mut(username) {
            entry.keys.withdraw_clinical()?;
        }
        keyring_dirty = true;
    }
    if let Some(clinical_key) = keys.clinical.as_ref() {
        let path = location.clinical_db_path();
        let mut clinical =
            open_with_fallback(&path, clinical_key, keys.superseded_clinical.as_ref())?;
        require_intact(&clinical, &path)?;
        migrations::migrate(&mut clinical, migrations::CLINICAL, &path)?;
        drop(clinical);
        db::attach_clinical(&conn, &path, clinical_key)?;
    }

    let chain_key = audit::chain_key(&conn)?;
    let tx = conn.unchecked_transaction()?;
    for failure in std::mem::take(&mut keyring.unaudited_failures) {
        let known = if failure.username.is_empty() {
            None
        } else {
            staff::by_username(&tx, &failure.username)?
        };
        let at = crate::clock::from_unix(failure.at)
            .map(crate::clock::instant_text)
            .unwrap_or_default();
        let event = Event::new(None, Action::UnlockFailed);
        let event = match known {
            Some(m) => event.on("staff", m.id).detail(format!("attempted at {at}")),
            None => event.detail(format!("unknown username, attempted at {at}")),
        };
        audit::record(&tx, &chain_key, event)?;
        keyring_dirty = true;
    }
    if keyring.dropped_failures > 0 {
        let dropped = std::mem::take(&mut keyring.dropped_failures);
        audit::record(
            &tx,
            &chain_key,
            Event::new(None, Action::UnlockFailed)
                .detail(format!("{dropped} more failed unlocks, not itemised")),
        )?;
        keyring_dirty = true;
    }
    audit::record(
        &tx,
        &chain_key,
        Event::new(Some(member.id), action).on("staff", member.id),
    )?;
    if let Some(clinical_key) = keys.clinical.as_ref() {
        keyring_dirty |=
            grant_waiting_clinical_access(&tx, &chain_key, &mut keyring, member.id, clinical_key)?;
    }
    tx.commit()?;
    if keyring_dirty {
        keyring.save(&keyring_path)?;
    }

    let actor = Actor {
        staff_id: member.id,
        username: member.username,
        full_name: member.full_name,
        role: member.role,
    };
    Ok(SignedIn::new(
        location.clone(),
        conn,
        actor,
        keys,
        chain_key,
        must_change_passphrase,
    ))
}

/// Someone holding the clinical key has signed in: deliver it to every active
/// clinical-role colleague whose login lacks it (added or promoted by a
/// manager, who cannot hold the clinical key).
fn grant_waiting_clinical_access(
    conn: &Connection,
    chain_key: &SecretKey,
    keyring: &mut Keyring,
    actor_id: i64,
    clinical_key: &SecretKey,
) -> Result<bool> {
    let mut granted = false;
    for member in staff::all(conn)? {
        if !member.active || !member.role.is_clinical() {
            continue;
        }
        let Some(entry) = keyring.entry_mut(&member.username) else {
            continue;
        };
        if entry.keys.clinical_key.is_none() && entry.keys.deliveries.is_empty() {
            entry.keys.deliver(None, Some(clinical_key), false)?;
            audit::record(
                conn,
                chain_key,
                Event::new(Some(actor_id), Action::ClinicalAccessGranted).on("staff", member.id),
            )?;
            granted = true;
        }
    }
    Ok(granted)
}
