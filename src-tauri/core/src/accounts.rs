//! Staff accounts as the vault sees them: adding people, changing roles,
//! resetting and changing passphrases, deactivating, and rotating keys.
//!
//! Each change keeps `practice.db` (role, authoritative) and `keyring.json`
//! (which keys a login can unwrap) in step.

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::passphrase_policy;
use crate::roles::{Capability, Role};
use crate::signed_in::SignedIn;
use crate::staff::{self, StaffMember};
use crate::vault::crypto::{self, random_failed, KdfParams};
use crate::vault::keyring::{login_id, Keyring, KeyringEntry, LoginKeys, RECOVERY_ID};
use crate::vault::secret::Passphrase;
use crate::vault::{db, recovery_code};

/// A new staff member, as the Staff screen or `circle-admin staff add` gives it.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// Chosen by the administrator; the person must change it at first sign-in.
    pub initial_passphrase: Passphrase,
}

fn load_keyring(signed_in: &SignedIn) -> Result<Keyring> {
    Keyring::load(&signed_in.location().keyring_path())
}

/// Keys for a login with `role`: the clinical key only for clinical roles,
/// and only when the acting person holds it (a manager does not; the next
/// clinical sign-in then delivers it).
fn login_keys_for(
    signed_in: &SignedIn,
    role: Role,
    passphrase: &Passphrase,
    username: &str,
) -> Result<LoginKeys> {
    let clinical = if role.is_clinical() {
        signed_in.keys().clinical.as_ref()
    } else {
        None
    };
    LoginKeys::create(
        passphrase,
        &login_id(username),
        &signed_in.keys().practice,
        clinical,
        KdfParams::fresh().map_err(random_failed)?,
    )
}

pub fn list(signed_in: &SignedIn) -> Result<Vec<StaffMember>> {
    signed_in.require(Capability::Administer)?;
    staff::all(signed_in.conn())
}

pub fn add(signed_in: &SignedIn, new: NewStaff) -> Result<StaffMember> {
    signed_in.require(Capability::Administer)?;
    let full_name = staff::validate_full_name("fullName", &new.full_name)?;
    let username = staff::validate_username("username", &new.username)?;
    passphrase_policy::check(
        "initialPassphrase",
        &new.initial_passphrase,
        &[&username, &full_name],
    )?;
    let mut keyring = load_keyring(signed_in)?;
    if keyring.entry(&username).is_some() {
        return Err(Error::invalid(
            "username",
            "That username is taken. Choose another.",
        ));
    }

    let tx = signed_in.conn().unchecked_transaction()?;
    let id = staff::insert(&tx, &username, &full_name, new.role)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffAdded)
            .on("staff", id)
            .detail(format!("role={}", new.role.as_db())),
    )?;
    keyring.entries.push(KeyringEntry {
        username: username.clone(),
        keys: login_keys_for(signed_in, new.role, &new.initial_passphrase, &username)?,
        failed_attempts: 0,
        locked_until: None,
        must_change_passphrase: true,
    });
    // Keyring first: if it cannot be written, the transaction rolls back and
    // nothing changed. A keyring entry without a staff row opens nothing.
    keyring.save(&signed_in.location().keyring_path())?;
    tx.commit()?;
    staff::by_id(signed_in.conn(), id)
}

/// Refuses a change that would leave nobody able to administer the vault.
fn keep_an_administrator(
    signed_in: &SignedIn,
    member: &StaffMember,
    new_role: Option<Role>,
) -> Result<()> {
    let is_admin = |r: Role| r.can(Capability::Administer);
    let loses_admin = member.active && is_admin(member.role) && !new_role.is_some_and(is_admin);
    if loses_admin && staff::active_administrators(signed_in.conn())? <= 1 {
        return Err(Error::Conflict {
            message: "This is the last person who can manage staff. Give someone else the owner or practice manager role first.".into(),
        });
    }
    Ok(())
}

pub fn change_role(signed_in: &SignedIn, staff_id: i64, role: Role) -> Result<StaffMember> {
    signed_in.require(Capability::Administer)?;
    let member = staff::by_id(signed_in.conn(), staff_id)?;
    if !member.active {
        return Err(Error::invalid("role", "This person is deactivated."));
    }
    if member.role == role {
        return Ok(member);
    }
    keep_an_administrator(signed_in, &member, Some(role))?;
    let mut keyring = load_keyring(signed_in)?;
    if let Some(entry) = keyring.entry_mut(&member.username) {
        if !role.is_clinical() {
            entry.keys.withdraw_clinical()?;
        } else if entry.keys.clinical_key.is_none() {
            if let Some(clinical) = signed_in.keys().clinical.as_ref() {
                entry.keys.deliver(None, Some(clinical), false)?;
            }
        }
    }
    let tx = signed_in.conn().unchecked_transaction()?;
    staff::set_role(&tx, staff_id, role)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffRoleChanged)
            .on("staff", staff_id)
            .detail(format!("{}->{}", member.role.as_db(), role.as_db())),
    )?;
    keyring.save(&signed_in.location().keyring_path())?;
    tx.commit()?;
    staff::by_id(signed_in.conn(), staff_id)
}

/// Gives someone a new passphrase chosen by an administrator (they forgot
/// theirs). Their login is rewrapped; they must change it at next sign-in.
pub fn reset_passphrase(
    signed_in: &SignedIn,
    staff_id: i64,
    new_passphrase: &Passphrase,
) -> Result<()> {
    signed_in.require(Capability::Administer)?;
    let member = staff::by_id(signed_in.conn(), staff_id)?;
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
    let mut keyring = load_keyring(signed_in)?;
    let keys = login_keys_for(signed_in, member.role, new_passphrase, &member.username)?;
    let entry = keyring.entry_mut(&member.username).ok_or(Error::NotFound {
        what: "That person's login",
    })?;
    entry.keys = keys;
    entry.record_success();
    entry.must_change_passphrase = true;
    let tx = signed_in.conn().unchecked_transaction()?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::StaffPassphraseReset,
        )
        .on("staff", staff_id),
    )?;
    keyring.save(&signed_in.location().keyring_path())?;
    tx.commit()?;
    Ok(())
}

/// Changes the signed-in person's own passphrase (the current one proves it
/// is them). Data is not re-encrypted: only their keyring entry changes.
pub fn change_own_passphrase(
    signed_in: &mut SignedIn,
    current: &Passphrase,
    new: &Passphrase,
) -> Result<()> {
    let username = signed_in.actor().username.clone();
    let full_name = signed_in.actor().full_name.clone();
    passphrase_policy::check("newPassphrase", new, &[&username, &full_name])?;
    if current.expose() == new.expose() {
        return Err(Error::invalid(
            "newPassphrase",
            "Choose a passphrase different from the current one.",
        ));
    }
    let mut keyring = load_keyring(signed_in)?;
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
    let tx = signed_in.conn().unchecked_transaction()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::PassphraseChanged)
            .on("staff", signed_in.actor().staff_id),
    )?;
    keyring.save(&signed_in.location().keyring_path())?;
    tx.commit()?;
    signed_in.set_must_change_passphrase(false);
    Ok(())
}

/// Makes a new recovery code and retires the old one (owner only): for a
/// code that was lost, or seen by someone who should not have it.
pub fn replace_recovery_code(signed_in: &SignedIn) -> Result<Passphrase> {
    if signed_in.actor().role != Role::Owner {
        return Err(Error::Forbidden);
    }
    let clinical = signed_in.keys().clinical.as_ref().ok_or_else(|| Error::Conflict {
        message: "Your sign-in does not hold the clinical key yet, so a new recovery code could not open the notes. Sign in again after another clinician has signed in.".into(),
    })?;
    let code = recovery_code::new()?;
    let mut keyring = load_keyring(signed_in)?;
    keyring.recovery = LoginKeys::create(
        &code,
        RECOVERY_ID,
        &signed_in.keys().practice,
        Some(clinical),
        KdfParams::fresh().map_err(random_failed)?,
    )?;
    let tx = signed_in.conn().unchecked_transaction()?;
    signed_in.audit(Event::new(
        Some(signed_in.actor().staff_id),
        Action::RecoveryCodeReplaced,
    ))?;
    keyring.save(&signed_in.location().keyring_path())?;
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
    signed_in: &mut SignedIn,
    staff_id: i64,
    rotate: bool,
    progress: &mut dyn FnMut(RotationProgress),
) -> Result<Option<RotationOutcome>> {
    signed_in.require(Capability::Administer)?;
    if staff_id == signed_in.actor().staff_id {
        return Err(Error::invalid(
            "staff",
            "You cannot deactivate your own account.",
        ));
    }
    let member = staff::by_id(signed_in.conn(), staff_id)?;
    if !member.active {
        return Err(Error::invalid(
            "staff",
            "This person is already deactivated.",
        ));
    }
    keep_an_administrator(signed_in, &member, None)?;
    let mut keyring = load_keyring(signed_in)?;
    keyring
        .entries
        .retain(|e| !e.username.eq_ignore_ascii_case(&member.username));
    let tx = signed_in.conn().unchecked_transaction()?;
    staff::deactivate(&tx, staff_id)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffDeactivated)
            .on("staff", staff_id),
    )?;
    keyring.save(&signed_in.location().keyring_path())?;
    tx.commit()?;
    if rotate {
        rotate_keys(signed_in, progress).map(Some)
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
    signed_in: &mut SignedIn,
    progress: &mut dyn FnMut(RotationProgress),
) -> Result<RotationOutcome> {
    signed_in.require(Capability::Administer)?;
    let rotate_clinical = signed_in.keys().clinical.is_some();
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
    let mut keyring = load_keyring(signed_in)?;
    let members = staff::all(signed_in.conn())?;
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
    keyring.save(&signed_in.location().keyring_path())?;

    report("Re-encrypting the practice records");
    db::rekey(signed_in.conn(), "main", &new_practice)?;
    signed_in.keys_mut().practice = new_practice;
    if let Some(new_clinical) = new_clinical {
        report("Re-encrypting the clinical records");
        db::rekey(signed_in.conn(), db::CLINICAL_SCHEMA, &new_clinical)?;
        signed_in.keys_mut().clinical = Some(new_clinical);
    }

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
