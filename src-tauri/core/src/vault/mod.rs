//! The encrypted vault: where it lives, its keys, its databases, and the
//! three ways in (setup, unlock, recovery).
//!
//! A vault is a folder with `keyring.json`, `practice.db` and `clinical.db`
//! (see DESIGN.md, "The vault"). The passphrase is checked when the keys are
//! unwrapped, before any database opens, so a wrong passphrase never touches a
//! database and a database that then fails to read is reported as corrupt.

pub mod crypto;
pub mod db;
pub mod keyring;
pub mod location;
pub mod migrations;
pub mod secret;
mod session;

use std::path::Path;

use rusqlite::Connection;

pub use session::Session;

use crate::audit::{self, Action, Event};
use crate::error::{Error, Result};
use crate::practice;
use crate::staff::{self, Role};
use crypto::KdfParams;
use keyring::{login_id, Keyring, KeyringEntry, LoginKeys, UnlockedKeys, RECOVERY_ID};
use location::VaultLocation;
use secret::{Passphrase, SecretKey};

/// What first-run setup asks for.
#[derive(Debug, Clone)]
pub struct SetupRequest {
    pub practice_name: String,
    pub timezone: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub passphrase: Passphrase,
}

/// Creates a new vault and signs the owner in. Returns the session and the
/// recovery code, which is shown once and never stored unwrapped.
pub fn setup(location: &VaultLocation, request: SetupRequest) -> Result<(Session, Passphrase)> {
    let practice_name = practice::validate_name(&request.practice_name)?;
    let timezone = practice::validate_timezone(&request.timezone)?;
    let full_name = staff::validate_full_name("ownerFullName", &request.owner_full_name)?;
    let username = staff::validate_username("ownerUsername", &request.owner_username)?;
    crate::passphrase_policy::check(
        "passphrase",
        &request.passphrase,
        &[&username, &full_name, &practice_name],
    )?;

    if location.vault_exists() {
        return Err(Error::Conflict {
            message: "A vault already exists in this folder. Unlock it instead.".into(),
        });
    }
    if location.practice_db_path().exists() || location.clinical_db_path().exists() {
        return Err(Error::Conflict {
            message: "This folder holds vault databases but no keyring.json. Restore the keyring from a backup; Circle will not overwrite the databases.".into(),
        });
    }
    std::fs::create_dir_all(location.dir())?;

    let result = create_files(
        location,
        &practice_name,
        &timezone,
        &full_name,
        &username,
        &request.passphrase,
    );
    let recovery_code = match result {
        Ok(code) => code,
        Err(e) => {
            // Nothing was usable yet: leave the folder as it was.
            for path in [
                location.keyring_path(),
                location.practice_db_path(),
                location.clinical_db_path(),
            ] {
                remove_with_sidecars(&path);
            }
            return Err(e);
        }
    };
    let session = unlock(location, &username, &request.passphrase)?;
    Ok((session, recovery_code))
}

fn create_files(
    location: &VaultLocation,
    practice_name: &str,
    timezone: &str,
    full_name: &str,
    username: &str,
    passphrase: &Passphrase,
) -> Result<Passphrase> {
    let practice_key = crypto::random_key().map_err(random_failed)?;
    let clinical_key = crypto::random_key().map_err(random_failed)?;

    let mut clinical = db::open(&location.clinical_db_path(), &clinical_key, true)?;
    migrations::migrate(
        &mut clinical,
        migrations::CLINICAL,
        &location.clinical_db_path(),
    )?;
    drop(clinical);

    let mut conn = db::open(&location.practice_db_path(), &practice_key, true)?;
    migrations::migrate(
        &mut conn,
        migrations::PRACTICE,
        &location.practice_db_path(),
    )?;
    let tx = conn.transaction()?;
    practice::insert_settings(&tx, practice_name, timezone)?;
    audit::create_chain_key(&tx)?;
    let owner_id = staff::insert(&tx, username, full_name, Role::Owner)?;
    let chain_key = audit::chain_key(&tx)?;
    audit::record(
        &tx,
        &chain_key,
        Event::new(Some(owner_id), Action::Setup).on("staff", owner_id),
    )?;
    tx.commit()?;
    drop(conn);

    let recovery_code = new_recovery_code()?;
    let keyring = Keyring {
        format: keyring::FORMAT,
        entries: vec![KeyringEntry {
            username: username.to_owned(),
            keys: LoginKeys::create(
                passphrase,
                &login_id(username),
                &practice_key,
                Some(&clinical_key),
                KdfParams::fresh().map_err(random_failed)?,
            )?,
            failed_attempts: 0,
            locked_until: None,
            must_change_passphrase: false,
        }],
        recovery: LoginKeys::create(
            &recovery_code,
            RECOVERY_ID,
            &practice_key,
            Some(&clinical_key),
            KdfParams::fresh().map_err(random_failed)?,
        )?,
        unaudited_failures: Vec::new(),
        dropped_failures: 0,
    };
    // Written last: the vault exists once its keyring does.
    keyring.save(&location.keyring_path())?;
    Ok(recovery_code)
}

/// 128 random bits as eight groups of four hex digits: easy to write down.
pub(crate) fn new_recovery_code() -> Result<Passphrase> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 16]);
    crypto::fill_random(bytes.as_mut()).map_err(random_failed)?;
    let hex = zeroize::Zeroizing::new(hex::encode_upper(bytes.as_ref()));
    let groups: Vec<&str> = (0..8).map(|i| &hex[i * 4..i * 4 + 4]).collect();
    Ok(Passphrase::new(groups.join("-")))
}

/// Accepts a recovery code however it was typed (case, spaces, dashes).
fn normalise_recovery_code(typed: &Passphrase) -> Passphrase {
    let cleaned: String = typed
        .expose()
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if cleaned.len() != 32 {
        return typed.clone();
    }
    let groups: Vec<&str> = (0..8).map(|i| &cleaned[i * 4..i * 4 + 4]).collect();
    Passphrase::new(groups.join("-"))
}

fn random_failed(_: crypto::CryptoError) -> Error {
    Error::Io(std::io::Error::other("the OS random source failed"))
}

fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Signs a staff member in: unwraps their keys, opens the databases their
/// role allows, records the unlock (and any failures since the last one).
pub fn unlock(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
) -> Result<Session> {
    if !location.vault_exists() {
        return Err(Error::NotFound {
            what: "A vault in this folder",
        });
    }
    let keyring_path = location.keyring_path();
    let mut keyring = Keyring::load(&keyring_path)?;
    let now = now_unix();
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
    open_session(
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
) -> Result<Session> {
    if !location.vault_exists() {
        return Err(Error::NotFound {
            what: "A vault in this folder",
        });
    }
    let keyring_path = location.keyring_path();
    let mut keyring = Keyring::load(&keyring_path)?;
    let username = owner_username.trim().to_lowercase();
    let code = normalise_recovery_code(recovery_code);
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
    open_session(
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
            crate::accounts::rekey(&conn, "main", current)?;
            Ok(conn)
        }
        (Err(e), _) => Err(e),
    }
}

fn open_session(
    location: &VaultLocation,
    mut keyring: Keyring,
    username: &str,
    mut keys: UnlockedKeys,
    must_change_passphrase: bool,
    action: Action,
) -> Result<Session> {
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
        let at = chrono::DateTime::from_timestamp(failure.at, 0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
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

    Ok(Session::new(
        location.clone(),
        conn,
        member,
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
