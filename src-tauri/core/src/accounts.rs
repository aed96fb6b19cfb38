//! Staff accounts as the vault sees them: adding people, changing roles,
//! resetting and changing passphrases, deactivating, and rotating keys.
//!
//! Each change keeps `practice.db` (role, authoritative; each login's
//! committed public key) and `keyring.json` (which keys a login can unwrap)
//! in step, under the vault folder's lock.
//!
//! A practice manager administers accounts but holds no clinical key, so
//! they may not change their own role, make anyone an owner, nor change,
//! reset or deactivate an owner or a clinical staff member: the owner does.
//! Clinical access is never granted by a role change alone (see
//! `clinical_access`).

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::passphrase_policy;
use crate::roles::{Capability, Role};
use crate::signed_in::SignedIn;
use crate::staff::{self, StaffMember};
use crate::vault::commitments;
use crate::vault::crypto::{random_failed, KdfParams};
use crate::vault::keyring::{login_id, Keyring, KeyringEntry, LoginKeys, RECOVERY_ID};
use crate::vault::lock::VaultLock;
use crate::vault::recovery_code;
use crate::vault::secret::Passphrase;

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

/// Refuses what a practice manager may not do to `member` (see the module
/// comment). Owners may do all of it.
fn require_may_manage(signed_in: &SignedIn, member: &StaffMember) -> Result<()> {
    let actor = signed_in.actor();
    if actor.role == Role::Owner {
        return Ok(());
    }
    if member.id == actor.staff_id {
        return Err(Error::invalid(
            "role",
            "You cannot change your own role or access. Ask the owner.",
        ));
    }
    if member.role == Role::Owner || member.role.is_clinical() {
        return Err(Error::invalid(
            "staff",
            "Only the owner changes, resets or deactivates an owner or a clinician.",
        ));
    }
    Ok(())
}

/// Keys for a login with `role`: the clinical key only for clinical roles,
/// and only when the acting person holds it (a manager does not; a
/// clinical-key holder then approves the access, see `clinical_access`).
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

/// Whether the signed-in person may add someone with `role` at all: checked
/// before anything is asked of them (see `circle-admin staff add`).
pub fn may_add(signed_in: &SignedIn, role: Role) -> Result<()> {
    signed_in.require(Capability::Administer)?;
    if signed_in.actor().role != Role::Owner && role == Role::Owner {
        return Err(Error::invalid("role", "Only the owner adds another owner."));
    }
    Ok(())
}

pub fn add(signed_in: &SignedIn, new: NewStaff) -> Result<StaffMember> {
    may_add(signed_in, new.role)?;
    let full_name = staff::validate_full_name("fullName", &new.full_name)?;
    let username = staff::validate_username("username", &new.username)?;
    passphrase_policy::check(
        "initialPassphrase",
        &new.initial_passphrase,
        &[&username, &full_name],
    )?;
    let _lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = load_keyring(signed_in)?;
    if keyring.entry(&username).is_some() {
        if staff::by_username(signed_in.conn(), &username)?.is_some() {
            return Err(Error::invalid(
                "username",
                "That username is taken. Choose another.",
            ));
        }
        // A login practice.db does not know opens nothing: one left by an
        // add whose commit failed (a full disk) must not take the name.
        keyring
            .entries
            .retain(|e| !e.username.eq_ignore_ascii_case(&username));
    }

    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    let id = staff::insert(&tx, &username, &full_name, new.role)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffAdded)
            .on("staff", id)
            .detail(format!("role={}", new.role.as_db())),
    )?;
    let keys = login_keys_for(signed_in, new.role, &new.initial_passphrase, &username)?;
    commitments::commit_public(&tx, &login_id(&username), &keys.delivery_public)?;
    if keys.clinical_key.is_some() {
        crate::clinical_access::record_grant(signed_in, &tx, id, &keys.delivery_public)?;
    }
    keyring.entries.push(KeyringEntry {
        username: username.clone(),
        keys,
        failed_attempts: 0,
        locked_until: None,
        must_change_passphrase: true,
    });
    // Keyring first: if it cannot be written, the transaction rolls back and
    // nothing changed. A keyring entry without a staff row opens nothing.
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
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
    require_may_manage(signed_in, &member)?;
    if signed_in.actor().role != Role::Owner && role == Role::Owner {
        return Err(Error::invalid(
            "role",
            "Only the owner makes someone an owner.",
        ));
    }
    keep_an_administrator(signed_in, &member, Some(role))?;
    let _lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = load_keyring(signed_in)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    if let Some(entry) = keyring.entry_mut(&member.username) {
        if !role.is_clinical() {
            entry.keys.withdraw_clinical()?;
        } else if entry.keys.clinical_key.is_none() && signed_in.has_clinical_access() {
            // The owner making someone clinical is the approval itself; a
            // manager's change waits for a clinical-key holder.
            crate::clinical_access::grant(signed_in, &tx, &member, entry)?;
        }
    }
    staff::set_role(&tx, staff_id, role)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffRoleChanged)
            .on("staff", staff_id)
            .detail(format!("{}->{}", member.role.as_db(), role.as_db())),
    )?;
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
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
    require_may_manage(signed_in, &member)?;
    passphrase_policy::check(
        "newPassphrase",
        new_passphrase,
        &[&member.username, &member.full_name],
    )?;
    let _lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = load_keyring(signed_in)?;
    let keys = login_keys_for(signed_in, member.role, new_passphrase, &member.username)?;
    let public = keys.delivery_public.clone();
    let holds_clinical = keys.clinical_key.is_some();
    let entry = keyring.entry_mut(&member.username).ok_or(Error::NotFound {
        what: "That person's login",
    })?;
    entry.keys = keys;
    entry.record_success();
    entry.must_change_passphrase = true;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    commitments::commit_public(&tx, &login_id(&member.username), &public)?;
    if holds_clinical {
        crate::clinical_access::record_grant(signed_in, &tx, staff_id, &public)?;
    }
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::StaffPassphraseReset,
        )
        .on("staff", staff_id),
    )?;
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
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
    let _lock = VaultLock::acquire(signed_in.location())?;
    let keyring_path = signed_in.location().keyring_path();
    let mut keyring = load_keyring(signed_in)?;
    let now = crate::clock::now_unix();
    let entry = keyring
        .entry_mut(&username)
        .ok_or(Error::NotFound { what: "Your login" })?;
    // The current passphrase is guessed here as at sign-in: same backoff.
    if let Some(seconds) = entry.wait_remaining(now) {
        return Err(Error::RateLimited { seconds });
    }
    // Deliveries stay queued for the next sign-in, which checks them
    // against the databases; only the wrapping changes here.
    let mut probe = entry.keys.clone();
    let opened = match probe.open(current, &login_id(&username)) {
        Ok(opened) => opened,
        Err(Error::WrongPassphrase) => {
            entry.record_failure(now);
            let wait = entry.wait_remaining(now);
            keyring.save(&keyring_path)?;
            return Err(match wait {
                Some(seconds) => Error::RateLimited { seconds },
                None => Error::invalid("currentPassphrase", "That is not your current passphrase."),
            });
        }
        Err(e) => return Err(e),
    };
    let mut keys = opened.keys.clone();
    // Wrap what this login held before any queued delivery.
    if let Some(original) = opened.keys.superseded_practice.last() {
        keys.practice = original.clone();
    }
    if let Some(original) = opened.keys.superseded_clinical.last() {
        keys.clinical = Some(original.clone());
    }
    let deliveries = std::mem::take(&mut entry.keys.deliveries);
    let withdrawn = entry.keys.clinical_key.is_none();
    if withdrawn {
        keys.clinical = None;
    }
    entry.keys = entry.keys.rewrap(&keys, new, &login_id(&username))?;
    entry.keys.deliveries = deliveries;
    entry.record_success();
    entry.must_change_passphrase = false;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::PassphraseChanged)
            .on("staff", signed_in.actor().staff_id),
    )?;
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
    signed_in.set_must_change_passphrase(false);
    Ok(())
}

/// Makes a new recovery code and retires the old one (owner only): for a
/// code that was lost, or seen by someone who should not have it.
pub fn replace_recovery_code(signed_in: &SignedIn) -> Result<Passphrase> {
    signed_in.require_own_passphrase()?;
    if signed_in.actor().role != Role::Owner {
        return Err(Error::Forbidden);
    }
    let clinical = signed_in.keys().clinical.as_ref().ok_or_else(|| Error::Conflict {
        message: "Your sign-in does not hold the clinical key yet, so a new recovery code could not open the notes. Sign in again after another clinician has signed in.".into(),
    })?;
    let code = recovery_code::new()?;
    let _lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = load_keyring(signed_in)?;
    keyring.recovery = LoginKeys::create(
        &code,
        RECOVERY_ID,
        &signed_in.keys().practice,
        Some(clinical),
        KdfParams::fresh().map_err(random_failed)?,
    )?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    commitments::commit_public(&tx, RECOVERY_ID, &keyring.recovery.delivery_public)?;
    signed_in.audit(Event::new(
        Some(signed_in.actor().staff_id),
        Action::RecoveryCodeReplaced,
    ))?;
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
    Ok(code)
}

/// Deactivates a person; with `rotate`, then rotates the keys they could open.
pub fn deactivate(
    signed_in: &mut SignedIn,
    staff_id: i64,
    rotate: bool,
    progress: &mut dyn FnMut(crate::key_rotation::RotationProgress),
) -> Result<Option<crate::key_rotation::RotationOutcome>> {
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
    require_may_manage(signed_in, &member)?;
    keep_an_administrator(signed_in, &member, None)?;
    let lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = load_keyring(signed_in)?;
    keyring
        .entries
        .retain(|e| !e.username.eq_ignore_ascii_case(&member.username));
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    staff::deactivate(&tx, staff_id)?;
    commitments::forget_public(&tx, &login_id(&member.username))?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::StaffDeactivated)
            .on("staff", staff_id),
    )?;
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
    drop(lock);
    if rotate {
        crate::key_rotation::rotate_keys(signed_in, progress).map(Some)
    } else {
        Ok(None)
    }
}
