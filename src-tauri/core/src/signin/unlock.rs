//! Signing in: unwrap a login's keys, let the databases say which keys are
//! real (finishing a rotation that a crash interrupted, refusing keys nobody
//! committed to), open what the role allows, and record it all.
//!
//! `keyring.json` can be edited by anyone who can write the vault folder, so
//! nothing in it is acted on unless the databases agree: a delivered key
//! counts only if it opens a database as it stands or the database committed
//! to it before the rotation began, and a login's public key must be the one
//! practice.db holds for it. Clinical access is never granted here: a
//! clinical-key holder approves it (see `clinical_access`).

use std::path::Path;

use rusqlite::Connection;

use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::roles::{Actor, Role};
use crate::signed_in::SignedIn;
use crate::staff::{self, StaffMember};
use crate::vault::commitments;
use crate::vault::crypto::{self, random_failed, KdfParams};
use crate::vault::keyring::{
    login_id, Keyring, KeyringEntry, LoginKeys, UnlockedKeys, RECOVERY_ID,
};
use crate::vault::location::VaultLocation;
use crate::vault::lock::VaultLock;
use crate::vault::page_check::PageCheck;
use crate::vault::secret::{Passphrase, SecretKey};
use crate::vault::{db, migrations, recovery_code};

/// The username recorded for a failed recovery-code attempt.
const RECOVERY_ATTEMPT: &str = "\u{0}recovery";

/// Signs a staff member in: unwraps their keys, opens the databases their
/// role allows, records the unlock (and any failures since the last one).
///
/// Every page of both databases is checked before this returns (see
/// [`unlock_checking_pages_later`] for the app's way).
pub fn unlock(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
) -> Result<SignedIn> {
    unlock_with(location, username, passphrase, None)
}

/// [`unlock`] without the whole-file page check, which is returned to be run
/// on another thread (see [`PageCheck`]): the app's sign-in, so a person does
/// not wait a second at the unlock screen for a pass over a large vault.
/// Everything else is checked as `unlock` checks it, and every page the
/// session reads is still checked as it is read.
pub fn unlock_checking_pages_later(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
) -> Result<(SignedIn, PageCheck)> {
    let mut later = PageCheck::default();
    let signed_in = unlock_with(location, username, passphrase, Some(&mut later))?;
    Ok((signed_in, later))
}

fn unlock_with(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
    mut later: Option<&mut PageCheck>,
) -> Result<SignedIn> {
    require_vault(location)?;
    let _lock = VaultLock::acquire(location)?;
    let keyring_path = location.keyring_path();
    // Holding the vault lock, no keyring write is under way: any temp copy
    // of it is a crash's leftover. Best effort: it must not stop a sign-in.
    let _ = crate::atomic_file::remove_leftovers(&keyring_path);
    let mut keyring = Keyring::load(&keyring_path)?;
    let now = crate::clock::now_unix();
    let username = username.trim().to_lowercase();

    let Some(entry) = keyring.entry_mut(&username) else {
        if let Some(seconds) = keyring.unknown_wait_remaining(&username, now) {
            return Err(Error::RateLimited { seconds });
        }
        // Spend the same effort as a real attempt, and throttle the same
        // way, so neither timing nor answers reveal which usernames exist.
        let params = KdfParams::fresh().map_err(random_failed)?;
        let _ = crypto::derive_kek(passphrase, &params);
        let wait = keyring.record_unknown_failure(&username, now);
        keyring.queue_failure("", now);
        keyring.save(&keyring_path)?;
        return Err(match wait {
            Some(seconds) => Error::RateLimited { seconds },
            None => Error::WrongPassphrase,
        });
    };
    if let Some(seconds) = entry.wait_remaining(now) {
        return Err(Error::RateLimited { seconds });
    }
    let opened = match entry.keys.open(passphrase, &login_id(&username)) {
        Ok(opened) => opened,
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
    entry.record_success();
    let must_change = entry.must_change_passphrase;
    let own_public = entry.keys.delivery_public.clone();

    let (conn, mut keys, mut notes) =
        open_practice(location, opened.keys.clone(), later.as_deref_mut())?;
    let member = active_member(&conn, &username)?;
    // Role in practice.db is authoritative: a login whose role is no longer
    // clinical loses the clinical key from its entry now.
    if !member.role.is_clinical() && keys.clinical.is_some() {
        keys.clinical = None;
        keys.superseded_clinical.clear();
        if let Some(entry) = keyring.entry_mut(&username) {
            entry.keys.withdraw_clinical()?;
        }
    }
    open_clinical(location, &conn, &mut keys, &mut notes, later)?;
    if opened.deliveries_applied {
        if let Some(entry) = keyring.entry_mut(&username) {
            entry.keys.reseal(&opened, &login_id(&username), &keys)?;
        }
    }

    let chain_key = audit::chain_key(&conn)?;
    let tx = crate::vault::db::write_transaction(&conn)?;
    // The login's public key must be the one practice.db holds for it; a
    // login from before commitments existed commits its own now.
    let login = login_id(&username);
    match commitments::committed_public(&tx, &login)? {
        None => commitments::commit_public(&tx, &login, &own_public)?,
        Some(committed) if committed == own_public => {}
        Some(_) => {
            audit::record(
                &tx,
                &chain_key,
                Event::new(Some(member.id), Action::KeyringMismatch).on("staff", member.id),
            )?;
            tx.commit()?;
            return Err(Error::Conflict {
                message: "Your login in keyring.json is not the one this vault knows, so Circle will not open with it. Ask the owner to reset your passphrase.".into(),
            });
        }
    }
    if member.role == Role::Owner && commitments::committed_public(&tx, RECOVERY_ID)?.is_none() {
        commitments::commit_public(&tx, RECOVERY_ID, &keyring.recovery.delivery_public)?;
    }
    drop_unknown_logins(&tx, &chain_key, &mut keyring, &member)?;
    record_sign_in(
        &tx,
        &chain_key,
        &mut keyring,
        &member,
        Action::Unlock,
        notes,
    )?;
    tx.commit()?;
    keyring.practice_id = Some(crate::practice::practice_uid(&conn)?);
    crate::audit::anchor::advance(&mut keyring, &conn, &chain_key)?;
    // Written only now that the databases opened under the keys it holds.
    keyring.save(&location.keyring_path())?;
    Ok(signed_in(
        location,
        conn,
        member,
        keys,
        chain_key,
        must_change,
    ))
}

/// Uses the recovery code to sign the owner in and set a new passphrase.
/// The code is used up: a new one is made and returned, to be shown once.
/// Never rate-limited (128 random bits behind Argon2id); failures are
/// recorded for the audit log.
pub fn recover(
    location: &VaultLocation,
    owner_username: &str,
    recovery_code: &Passphrase,
    new_passphrase: &Passphrase,
) -> Result<(SignedIn, Passphrase)> {
    require_vault(location)?;
    let _lock = VaultLock::acquire(location)?;
    let keyring_path = location.keyring_path();
    let _ = crate::atomic_file::remove_leftovers(&keyring_path);
    let mut keyring = Keyring::load(&keyring_path)?;
    let username = owner_username.trim().to_lowercase();
    let code = recovery_code::normalise(recovery_code);
    let opened = match keyring.recovery.open(&code, RECOVERY_ID) {
        Ok(opened) => opened,
        Err(Error::WrongPassphrase) => {
            keyring.queue_failure(RECOVERY_ATTEMPT, crate::clock::now_unix());
            keyring.save(&keyring_path)?;
            return Err(Error::invalid(
                "recoveryCode",
                "That recovery code is not right. Check each group of four.",
            ));
        }
        Err(e) => return Err(e),
    };

    let (conn, mut keys, mut notes) = open_practice(location, opened.keys.clone(), None)?;
    // The owner must exist and be active before anything is rewritten.
    let member = staff::by_username(&conn, &username)?
        .filter(|m| m.active && m.role == Role::Owner)
        .ok_or_else(|| Error::invalid("username", "The recovery code resets an active owner's passphrase. Enter the owner's username."))?;
    crate::passphrase_policy::check(
        "newPassphrase",
        new_passphrase,
        &[&member.username, &member.full_name],
    )?;
    open_clinical(location, &conn, &mut keys, &mut notes, None)?;

    let new_code = recovery_code::new()?;
    keyring.recovery = LoginKeys::create(
        &new_code,
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
    let owner_public = entry_keys.delivery_public.clone();
    let recovery_public = keyring.recovery.delivery_public.clone();
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
    // The owner's own keys: the new entry holds exactly these.
    let own_keys = UnlockedKeys {
        practice: keys.practice.clone(),
        clinical: keys.clinical.clone(),
        delivery_secret: keyring
            .entry_mut(&username)
            .ok_or(Error::NotFound {
                what: "The owner's login",
            })?
            .keys
            .open(new_passphrase, &login_id(&username))?
            .keys
            .delivery_secret,
        superseded_practice: Vec::new(),
        superseded_clinical: Vec::new(),
    };

    let chain_key = audit::chain_key(&conn)?;
    let tx = crate::vault::db::write_transaction(&conn)?;
    commitments::commit_public(&tx, &login_id(&username), &owner_public)?;
    commitments::commit_public(&tx, RECOVERY_ID, &recovery_public)?;
    record_sign_in(
        &tx,
        &chain_key,
        &mut keyring,
        &member,
        Action::Recover,
        notes,
    )?;
    audit::record(
        &tx,
        &chain_key,
        Event::new(Some(member.id), Action::RecoveryCodeReplaced),
    )?;
    tx.commit()?;
    keyring.practice_id = Some(crate::practice::practice_uid(&conn)?);
    crate::audit::anchor::advance(&mut keyring, &conn, &chain_key)?;
    keyring.save(&keyring_path)?;
    let signed_in = signed_in(location, conn, member, own_keys, chain_key, false);
    Ok((signed_in, new_code))
}

fn require_vault(location: &VaultLocation) -> Result<()> {
    if location.vault_exists() {
        Ok(())
    } else {
        Err(Error::NotFound {
            what: "A vault in this folder",
        })
    }
}

fn active_member(conn: &Connection, username: &str) -> Result<StaffMember> {
    staff::by_username(conn, username)?
        .filter(|m| m.active)
        .ok_or(Error::Forbidden)
}

/// What a sign-in learned about keys, recorded once the audit log is open.
type KeyNotes = Vec<(Action, &'static str)>;

/// Opens `practice.db` with the keys the databases accept (see
/// [`open_accepted`]); `keys.practice` becomes the key it opened with.
fn open_practice(
    location: &VaultLocation,
    mut keys: UnlockedKeys,
    later: Option<&mut PageCheck>,
) -> Result<(Connection, UnlockedKeys, KeyNotes)> {
    let path = location.practice_db_path();
    let mut notes = Vec::new();
    let (mut conn, key) = open_accepted(
        &path,
        &keys.practice,
        &keys.superseded_practice,
        "practice",
        &mut notes,
    )?;
    keys.practice = key;
    keys.superseded_practice.clear();
    check_pages(&conn, &path, &keys.practice, later)?;
    migrations::migrate(&mut conn, migrations::PRACTICE, &path)?;
    // Derived search keys follow the current name-folding rules.
    crate::clients::refresh_search_keys(&conn)?;
    Ok((conn, keys, notes))
}

/// Opens `clinical.db` the same way and attaches it to `conn`, when the
/// login holds a clinical key.
fn open_clinical(
    location: &VaultLocation,
    conn: &Connection,
    keys: &mut UnlockedKeys,
    notes: &mut KeyNotes,
    later: Option<&mut PageCheck>,
) -> Result<()> {
    let Some(current) = keys.clinical.clone() else {
        return Ok(());
    };
    let path = location.clinical_db_path();
    let (mut clinical, key) = open_accepted(
        &path,
        &current,
        &keys.superseded_clinical,
        "clinical",
        notes,
    )?;
    check_pages(&clinical, &path, &key, later)?;
    migrations::migrate(&mut clinical, migrations::CLINICAL, &path)?;
    drop(clinical);
    db::attach_clinical(conn, &path, &key)?;
    keys.clinical = Some(key);
    keys.superseded_clinical.clear();
    Ok(())
}

/// Every page's authentication code is checked at sign-in — now, or by the
/// caller's [`PageCheck`] just after — so damage or a change anywhere in the
/// file is reported naming the file, rather than mid-task later. (SQLite's
/// structural check runs in verify.)
fn check_pages(
    conn: &Connection,
    path: &Path,
    key: &SecretKey,
    later: Option<&mut PageCheck>,
) -> Result<()> {
    if let Some(later) = later {
        later.add(path.to_path_buf(), key.clone());
        return Ok(());
    }
    crate::vault::page_check::require_authentic(conn, path)
}

/// Opens the database at `path` with the newest key it will accept.
///
/// `current` is the newest key the login holds (perhaps just delivered);
/// `superseded` the keys deliveries replaced, newest first. The database
/// opens with exactly one of them. If that is not `current`, a rotation may
/// have stopped before re-encrypting: the database (under the key it opened
/// with) names the hash of the key it was about to move to, and only a key
/// with that hash is re-encrypted to — step by step, if two rotations
/// stopped. A delivered key nobody committed to is refused and the key that
/// opens the database is kept.
fn open_accepted(
    path: &Path,
    current: &SecretKey,
    superseded: &[SecretKey],
    which: &'static str,
    notes: &mut KeyNotes,
) -> Result<(Connection, SecretKey)> {
    let candidates: Vec<&SecretKey> = std::iter::once(current).chain(superseded).collect();
    let mut opened = None;
    let mut first_error = None;
    for (index, key) in candidates.iter().enumerate() {
        match db::open(path, key, false) {
            Ok(conn) => {
                opened = Some((conn, index));
                break;
            }
            Err(e @ Error::Corrupt { .. }) => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    let Some((conn, mut index)) = opened else {
        return Err(first_error.unwrap_or_else(|| Error::corrupt(path)));
    };
    while index > 0 {
        let Some(committed) = commitments::pending_rotation(&conn, "main")? else {
            break;
        };
        let Some(next) = (0..index)
            .rev()
            .find(|&i| commitments::rotation_hash(candidates[i]) == committed)
        else {
            break;
        };
        db::rekey(&conn, "main", candidates[next])?;
        commitments::end_rotation(&conn, "main")?;
        notes.push((Action::KeyRotationFinishedAtSignIn, which));
        index = next;
    }
    if index > 0 {
        notes.push((Action::KeyDeliveryRefused, which));
    }
    Ok((conn, candidates[index].clone()))
}

/// Drops the logins in keyring.json that practice.db never knew: no staff
/// member by that username (a deactivated one keeps theirs) and no public
/// key committed for it. A staff add cut short between writing keyring.json
/// and committing (a crash, a kill) leaves one, as would a hand-made entry:
/// it opens nothing, yet `verify` reported it until someone added that
/// username again. Recorded, so a hand-made one does not go unseen.
fn drop_unknown_logins(
    conn: &Connection,
    chain_key: &SecretKey,
    keyring: &mut Keyring,
    member: &StaffMember,
) -> Result<()> {
    let mut unknown = Vec::new();
    for entry in &keyring.entries {
        let username = entry.username.to_lowercase();
        if staff::by_username(conn, &username)?.is_none()
            && commitments::committed_public(conn, &login_id(&username))?.is_none()
        {
            unknown.push(entry.username.clone());
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    keyring.entries.retain(|e| !unknown.contains(&e.username));
    audit::record(
        conn,
        chain_key,
        Event::new(Some(member.id), Action::KeyringMismatch).detail(format!(
            "removed {} login(s) practice.db never knew",
            unknown.len()
        )),
    )
}

/// Audits the failed attempts queued since the last sign-in, what this
/// sign-in learned about keys, and the sign-in itself.
fn record_sign_in(
    conn: &Connection,
    chain_key: &SecretKey,
    keyring: &mut Keyring,
    member: &StaffMember,
    action: Action,
    notes: KeyNotes,
) -> Result<()> {
    for failure in std::mem::take(&mut keyring.unaudited_failures) {
        let at = crate::clock::from_unix(failure.at)
            .map(crate::clock::instant_text)
            .unwrap_or_default();
        let event = if failure.username == RECOVERY_ATTEMPT {
            Event::new(None, Action::RecoverFailed).detail(format!("attempted at {at}"))
        } else {
            let known = if failure.username.is_empty() {
                None
            } else {
                staff::by_username(conn, &failure.username)?
            };
            let event = Event::new(None, Action::UnlockFailed);
            match known {
                Some(m) => event.on("staff", m.id).detail(format!("attempted at {at}")),
                None => event.detail(format!("unknown username, attempted at {at}")),
            }
        };
        audit::record(conn, chain_key, event)?;
    }
    if keyring.dropped_failures > 0 {
        let dropped = std::mem::take(&mut keyring.dropped_failures);
        audit::record(
            conn,
            chain_key,
            Event::new(None, Action::UnlockFailed)
                .detail(format!("{dropped} more failed unlocks, not itemised")),
        )?;
    }
    for (note, which) in notes {
        audit::record(
            conn,
            chain_key,
            Event::new(Some(member.id), note)
                .on("staff", member.id)
                .detail(format!("{which}.db")),
        )?;
    }
    audit::record(
        conn,
        chain_key,
        Event::new(Some(member.id), action).on("staff", member.id),
    )
}

fn signed_in(
    location: &VaultLocation,
    conn: Connection,
    member: StaffMember,
    keys: UnlockedKeys,
    chain_key: SecretKey,
    must_change_passphrase: bool,
) -> SignedIn {
    if keys.clinical.is_some() {
        // Free-text discharge reasons from before they became a choice wait,
        // on no screen, for someone holding the clinical key. Best effort:
        // what is not moved now is moved at the next such sign-in.
        let _ = crate::notes::discharge_note::move_earlier_reasons(&conn);
        // Audit rows a crash left in clinical.db's outbox join the chain now
        // (see audit::outbox). Best effort too: what cannot move now moves
        // at the next clinical write, and `verify` moves it before checking.
        let _ = crate::audit::outbox::move_to_chain(&conn, &chain_key);
    }
    let actor = Actor {
        staff_id: member.id,
        username: member.username,
        full_name: member.full_name,
        role: member.role,
    };
    SignedIn::new(
        location.clone(),
        conn,
        actor,
        keys,
        chain_key,
        must_change_passphrase,
    )
}
