//! Clinical access: the clinical key reaches a login only when someone who
//! holds it approves, for that login's committed public key. A role row
//! alone grants nothing — a manager's role change, or practice.db edited by
//! anyone holding the practice key, leaves the person waiting here, with
//! who changed their role and when, for a clinical-key holder to see.

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Role;
use crate::signed_in::SignedIn;
use crate::staff::{self, StaffMember};
use crate::vault::commitments;
use crate::vault::keyring::{login_id, Keyring, KeyringEntry};
use crate::vault::lock::VaultLock;

/// Someone whose role is clinical but whose login lacks the clinical key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClinicalAccessRequest {
    pub staff_id: i64,
    pub full_name: String,
    pub role: Role,
    /// Who last added this person or changed their role, per the audit
    /// trail; `None` when the trail has no such change (a role edited
    /// outside Circle — look before approving).
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
    /// Whether the login in keyring.json is the one the vault committed to;
    /// approval is refused when it is not.
    pub keyring_matches: bool,
}

fn require_holder(signed_in: &SignedIn) -> Result<()> {
    if signed_in.has_clinical_access() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Everyone waiting for the clinical key. Only clinical-key holders see it.
pub fn waiting(signed_in: &SignedIn) -> Result<Vec<ClinicalAccessRequest>> {
    require_holder(signed_in)?;
    let keyring = Keyring::load(&signed_in.location().keyring_path())?;
    let conn = signed_in.conn();
    let mut waiting = Vec::new();
    for member in staff::all(conn)? {
        if !member.active || !member.role.is_clinical() {
            continue;
        }
        let Some(entry) = keyring.entry(&member.username) else {
            continue;
        };
        let public = &entry.keys.delivery_public;
        if entry.keys.clinical_key.is_some() || granted(conn, member.id, public)? {
            continue;
        }
        let committed = commitments::committed_public(conn, &login_id(&member.username))?;
        let (changed_by, changed_at) = last_change(conn, &member)?;
        waiting.push(ClinicalAccessRequest {
            staff_id: member.id,
            full_name: member.full_name,
            role: member.role,
            changed_by,
            changed_at,
            keyring_matches: committed.as_deref() == Some(public.as_str()),
        });
    }
    Ok(waiting)
}

/// Approves one person's clinical access: their next sign-in takes up the key.
pub fn approve(signed_in: &SignedIn, staff_id: i64) -> Result<()> {
    require_holder(signed_in)?;
    let member = staff::by_id(signed_in.conn(), staff_id)?;
    if !member.active || !member.role.is_clinical() {
        return Err(Error::invalid(
            "staff",
            "Only an active owner, clinician or supervisor can be given clinical access.",
        ));
    }
    let _lock = VaultLock::acquire(signed_in.location())?;
    let mut keyring = Keyring::load(&signed_in.location().keyring_path())?;
    let entry = keyring.entry_mut(&member.username).ok_or(Error::NotFound {
        what: "That person's login",
    })?;
    if entry.keys.clinical_key.is_some() {
        return Ok(());
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    if !grant(signed_in, &tx, &member, entry)? {
        return Err(Error::Conflict {
            message: "This person has not signed in since Circle began checking logins. Ask them to sign in once, then approve.".into(),
        });
    }
    keyring.save_then_commit(&signed_in.location().keyring_path(), tx)?;
    Ok(())
}

/// Seals the signed-in person's clinical key to `member`'s login, if its
/// public key is the committed one. `Ok(false)` when no key is committed for
/// it yet (they have not signed in since commitments began): nothing sent.
pub(crate) fn grant(
    signed_in: &SignedIn,
    conn: &Connection,
    member: &StaffMember,
    entry: &mut KeyringEntry,
) -> Result<bool> {
    let clinical = signed_in.keys().clinical.as_ref().ok_or(Error::Forbidden)?;
    let login = login_id(&member.username);
    if commitments::committed_public(conn, &login)?.is_none() {
        return Ok(false);
    }
    commitments::require_committed(conn, &login, &entry.keys.delivery_public)?;
    entry.keys.deliver(None, Some(clinical), false)?;
    record_grant(signed_in, conn, member.id, &entry.keys.delivery_public)?;
    Ok(true)
}

/// Records (and audits) that `staff_id`'s login, with `public`, was given
/// the clinical key by the signed-in person.
pub(crate) fn record_grant(
    signed_in: &SignedIn,
    conn: &Connection,
    staff_id: i64,
    public: &str,
) -> Result<()> {
    let approver = signed_in.actor().staff_id;
    conn.execute(
        "INSERT INTO clinical_grants (staff_id, delivery_public, approved_by, approved_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![staff_id, public, approver, crate::clock::now_text()],
    )?;
    signed_in.audit(Event::new(Some(approver), Action::ClinicalAccessGranted).on("staff", staff_id))
}

/// Whether a clinical-key holder approved access for this login's key. A
/// login whose key is replaced (a reset) needs approval again.
pub(crate) fn granted(conn: &Connection, staff_id: i64, public: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM clinical_grants WHERE staff_id = ?1 AND delivery_public = ?2",
        params![staff_id, public],
        |r| r.get(0),
    )?)
}

/// Who gave `member` their current role, and when, per the audit trail: the
/// latest addition or role change, if it ends in the role they hold now.
/// `(None, None)` when the trail does not explain the role (it was changed
/// outside Circle).
fn last_change(
    conn: &Connection,
    member: &StaffMember,
) -> Result<(Option<String>, Option<String>)> {
    let row: Option<(Option<i64>, String, Option<String>)> = conn
        .query_row(
            "SELECT actor_id, at, detail FROM audit_log
             WHERE entity_kind = 'staff' AND entity_id = ?1
               AND action IN ('staff.added', 'staff.role_changed', 'vault.setup')
             ORDER BY id DESC LIMIT 1",
            [member.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((actor, at, detail)) = row else {
        return Ok((None, None));
    };
    // "role=clinician" (added) or "front_desk->clinician" (changed); setup
    // makes the owner.
    let resulting = match detail.as_deref() {
        Some(d) => d.rsplit(['=', '>']).next().unwrap_or_default().to_owned(),
        None => Role::Owner.as_db().to_owned(),
    };
    if resulting != member.role.as_db() {
        return Ok((None, None));
    }
    let by = match actor {
        Some(id) => Some(staff::by_id(conn, id)?.full_name),
        None => None,
    };
    Ok((by, Some(at)))
}
