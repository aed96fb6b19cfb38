//! Staff accounts as the vault sees them: adding people, changing roles,
//! resetting and changing passphrases, deactivating, and rotating keys.
//!
//! Each change keeps `practice.db` (role, authoritative) and `keyring.json`
//! (which keys a login can unwrap) in step.

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::passphrase_policy;
use crate::staff::{self, Capability, Role, StaffMember};
use crate::vault::crypto::{self, KdfParams};
use crate::vault::keyring::{login_id, Keyring, KeyringEntry, LoginKeys, RECOVERY_ID};
use crate::vault::secret::{Passphrase, SecretKey};
use crate::vault::{db, Session};

/// A new staff member, as the Staff screen or `circle-admin staff add` gives it.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// Chosen by the administrator; the person must change it at first sign-in.
    pub initial_passphrase: Passphrase,
}

fn random_failed(_: crypto::CryptoError) -> Error {
    Error::Io(std::io::Error::other("the OS random source failed"))
}

fn load_keyring(session: &Session) -> Result<Keyring> {
    Keyring::load(&session.location().keyring_path())
}

/// Keys for a login with `role`: the clinical key only for clinical roles,
/// and only when the acting person holds it (a manager does not; the next
/// clinical sign-in then delivers it).
fn login_keys_for(
    session: &Session,
    role: Role,
    passphrase: &Passphrase,
    username: &str,
) -> Result<LoginKeys> {
    let clinical = if role.is_clinical() {
        session.keys().clinical.as_ref()
    } else {
        None
    };
    LoginKeys::create(
        passphrase,
        &login_id(username),
        &session.keys().practice,
        clinical,
        KdfParams::fresh().map_err(random_failed)?,
    )
}

pub fn list(session: &Session) -> Result<Vec<StaffMember>> {
    session.require(Capability::Administer)?;
    staff::all(session.conn())
}

pub fn add(session: &Session, new: NewStaff) -> Result<StaffMember> {
    session.require(Capability::Administer)?;
    let full_name = staff::validate_full_name("fullName", &new.full_name)?;
    let username = staff::validate_username("username", &new.username)?;
    passphrase_policy::check(
        "initialPassphrase",
        &new.initial_passphrase,
        &[&username, &full_name],
    )?;
    let mut keyring = load_keyring(session)?;
    if keyring.entry(&username).is_some() {
        return Err(Error::invalid(
            "username",
            "That username is taken. Choose another.",
        ));
    }

    let tx = session.conn().unchecked_transaction()?;
    let id = staff::insert(&tx, &username, &full_name, new.role)?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::StaffAdded)
            .on("staff", id)
            .detail(format!("role={}", new.role.as_db())),
    )?;
    keyring.entries.push(KeyringEntry {
        username: username.clone(),
        keys: login_keys_for(session, new.role, &new.initial_passphrase, &username)?,
        failed_attempts: 0,
        locked_until: None,
        must_change_passphrase: true,
    });
    // Keyring first: if it cannot be written, the transaction rolls back and
    // nothing changed. A keyring entry without a staff row opens nothing.
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    staff::by_id(session.conn(), id)
}

/// Refuses a change that would leave nobody able to administer the vault.
fn keep_an_administrator(
    session: &Session,
    member: &StaffMember,
    new_role: Option<Role>,
) -> Result<()> {
    let is_admin = |r: Role| r.can(Capability::Administer);
    let loses_admin = member.active && is_admin(member.role) && !new_role.is_some_and(is_admin);
    if loses_admin && staff::active_administrators(session.conn())? <= 1 {
        return Err(Error::Conflict {
            message: "This is the last person who can manage staff. Give someone else the owner or practice manager role first.".into(),
        });
    }
    Ok(())
}

pub fn change_role(session: &Session, staff_id: i64, role: Role) -> Result<StaffMember> {
    session.require(Capability::Administer)?;
    let member = staff::by_id(session.conn(), staff_id)?;
    if !member.active {
        return Err(Error::invalid("role", "This person is deactivated."));
    }
    if member.role == role {
        return Ok(member);
    }
    keep_an_administrator(session, &member, Some(role))?;
    let mut keyring = load_keyring(session)?;
    if let Some(entry) = keyring.entry_mut(&member.username) {
        if !role.is_clinical() {
            entry.keys.withdraw_clinical()?;
        } else if entry.keys.clinical_key.is_none() {
            if let Some(clinical) = session.keys().clinical.as_ref() {
                entry.keys.deliver(None, Some(clinical), false)?;
            }
        }
    }
    let tx = session.conn().unchecked_transaction()?;
    staff::set_role(&tx, staff_id, role)?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::StaffRoleChanged)
            .on("staff", staff_id)
            .detail(format!("{}->{}", member.role.as_db(), role.as_db())),
    )?;
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    staff::by_id(session.conn(), staff_id)
}

/// Gives someone a new passphrase chosen by an administrator (they forgot
/// theirs). Their login is rewrapped; they must change it at next sign-in.
pub fn reset_passphrase(
    session: &Session,
    staff_id: i64,
    new_passphrase: &Passphrase,
) -> Result<()> {
    session.require(Capability::Administer)?;
    let member = staff::by_id(session.conn(), staff_id)?;
    if !member.active {
        return Err(Error::invalid(
            "newPassphrase",
            "This person is deactivated.",
        ));
    }
    passphrase_policy::check(
        "newPassphrase",
        new_passphrase,
        &[&member.username, &member.full_name],
    )?;
    let mut keyring = load_keyring(session)?;
    let keys = login_keys_for(session, member.role, new_passphrase, &member.username)?;
    let entry = keyring.entry_mut(&member.username).ok_or(Error::NotFound {
        what: "That person's login",
    })?;
    entry.keys = keys;
    entry.record_success();
    entry.must_change_passphrase = true;
    let tx = session.conn().unchecked_transaction()?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::StaffPassphraseReset)
            .on("staff", staff_id),
    )?;
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    Ok(())
}

/// Changes the signed-in person's own passphrase (the current one proves it
/// is them). Data is not re-encrypted: only their keyring entry changes.
pub fn change_own_passphrase(
    session: &mut Session,
    current: &Passphrase,
    new: &Passphrase,
) -> Result<()> {
    let username = session.actor().username.clone();
    let full_name = session.actor().full_name.clone();
    passphrase_policy::check("newPassphrase", new, &[&username, &full_name])?;
    if current.expose() == new.expose() {
        return Err(Error::invalid(
            "newPassphrase",
            "Choose a passphrase different from the current one.",
        ));
    }
    let mut keyring = load_keyring(session)?;
    let entry = keyring
        .entry_mut(&username)
        .ok_or(Error::NotFound { what: "Your login" })?;
    let (keys, _) = entry
        .keys
        .unlock(current, &login_id(&username))
        .map_err(|e| match e {
            Error::WrongPassphrase => {
                Error::invalid("currentPassphrase", "That is not your current passphrase.")
            }
            other => other,
        })?;
    entry.keys = entry.keys.rewrap(&keys, new, &login_id(&username))?;
    entry.must_change_passphrase = false;
    let tx = session.conn().unchecked_transaction()?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::PassphraseChanged)
            .on("staff", session.actor().staff_id),
    )?;
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    session.set_must_change_passphrase(false);
    Ok(())
}

/// Makes a new recovery code and retires the old one (owner only): for a
/// code that was lost, or seen by someone who should not have it.
pub fn replace_recovery_code(session: &Session) -> Result<Passphrase> {
    if session.actor().role != Role::Owner {
        return Err(Error::Forbidden);
    }
    let clinical = session.keys().clinical.as_ref().ok_or_else(|| Error::Conflict {
        message: "Your sign-in does not hold the clinical key yet, so a new recovery code could not open the notes. Sign in again after another clinician has signed in.".into(),
    })?;
    let code = crate::vault::new_recovery_code()?;
    let mut keyring = load_keyring(session)?;
    keyring.recovery = LoginKeys::create(
        &code,
        RECOVERY_ID,
        &session.keys().practice,
        Some(clinical),
        KdfParams::fresh().map_err(random_failed)?,
    )?;
    let tx = session.conn().unchecked_transaction()?;
    session.audit(Event::new(
        Some(session.actor().staff_id),
        Action::RecoveryCodeReplaced,
    ))?;
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    Ok(code)
}

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

/// Deactivates a person; with `rotate`, then rotates the keys they could open.
pub fn deactivate(
    session: &mut Session,
    staff_id: i64,
    rotate: bool,
    progress: &mut dyn FnMut(RotationProgress),
) -> Result<Option<RotationOutcome>> {
    session.require(Capability::Administer)?;
    if staff_id == session.actor().staff_id {
        return Err(Error::invalid(
            "staff",
            "You cannot deactivate your own account.",
        ));
    }
    let member = staff::by_id(session.conn(), staff_id)?;
    if !member.active {
        return Err(Error::invalid(
            "staff",
            "This person is already deactivated.",
        ));
    }
    keep_an_administrator(session, &member, None)?;
    let mut keyring = load_keyring(session)?;
    keyring
        .entries
        .retain(|e| !e.username.eq_ignore_ascii_case(&member.username));
    let tx = session.conn().unchecked_transaction()?;
    staff::deactivate(&tx, staff_id)?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::StaffDeactivated).on("staff", staff_id),
    )?;
    keyring.save(&session.location().keyring_path())?;
    tx.commit()?;
    if rotate {
        rotate_keys(session, progress).map(Some)
    } else {
        Ok(None)
    }
}

/// Replaces the database keys: every database the acting person can open is
/// re-encrypted (`PRAGMA rekey`) and the new keys are sealed to each active
/// colleague's public key, to be taken up at their next sign-in. Old copies
/// of `keyring.json` no longer open anything.
///
/// Order matters for a crash: the deliveries are written before the rekey,
/// and a sign-in whose delivered key does not open a database falls back to
/// the key it replaced and finishes the rotation (see `vault::open_with_fallback`).
pub fn rotate_keys(
    session: &mut Session,
    progress: &mut dyn FnMut(RotationProgress),
) -> Result<RotationOutcome> {
    session.require(Capability::Administer)?;
    let rotate_clinical = session.keys().clinical.is_some();
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

    let new_practice = crypto::random_key().map_err(random_failed)?;
    let new_clinical = if rotate_clinical {
        Some(crypto::random_key().map_err(random_failed)?)
    } else {
        None
    };

    report("Sealing the new keys for each colleague");
    let mut keyring = load_keyring(session)?;
    let members = staff::all(session.conn())?;
    let mut updated = 0;
    for entry in keyring.entries.iter_mut() {
        let clinical_role = members
            .iter()
            .find(|m| m.username.eq_ignore_ascii_case(&entry.username))
            .is_some_and(|m| m.active && m.role.is_clinical());
        let clinical = if clinical_role {
            new_clinical.as_ref()
        } else {
            None
        };
        entry.keys.deliver(Some(&new_practice), clinical, false)?;
        updated += 1;
    }
    keyring
        .recovery
        .deliver(Some(&new_practice), new_clinical.as_ref(), false)?;
    keyring.save(&session.location().keyring_path())?;

    report("Re-encrypting the practice records");
    rekey(session.conn(), "main", &new_practice)?;
    session.keys_mut().practice = new_practice;
    if let Some(new_clinical) = new_clinical {
        report("Re-encrypting the clinical records");
        rekey(session.conn(), db::CLINICAL_SCHEMA, &new_clinical)?;
        session.keys_mut().clinical = Some(new_clinical);
    }

    report("Recording the rotation");
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::KeysRotated).detail(
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

/// Re-encrypts one attached schema under a new key. SQLCipher rekeys only
/// outside WAL mode, so the journal is switched off around it.
pub(crate) fn rekey(conn: &rusqlite::Connection, schema: &str, key: &SecretKey) -> Result<()> {
    let literal = key.sqlcipher_literal();
    conn.execute_batch(&format!("PRAGMA {schema}.journal_mode = DELETE;"))?;
    let sql = zeroize::Zeroizing::new(format!("PRAGMA {schema}.rekey = \"{}\";", literal.as_str()));
    let result = conn.execute_batch(&sql);
    conn.execute_batch(&format!("PRAGMA {schema}.journal_mode = WAL;"))?;
    result?;
    Ok(())
}
