//! `verify`: are the databases whole, is the audit chain unbroken and as
//! long as its anchor, does every signed note still match its hash, and does
//! keyring.json hold the logins practice.db knows?

use rusqlite::Connection;

use crate::audit;
use crate::error::Result;
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::vault::keyring::{login_id, Keyring, RECOVERY_ID};
use crate::vault::{commitments, db};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    /// One sentence per problem; empty when everything checks out.
    pub findings: Vec<String>,
    /// False when this login cannot open clinical.db (it was not checked).
    pub clinical_checked: bool,
}

/// Owner and manager only (a manager's check cannot include clinical.db).
pub fn verify(signed_in: &SignedIn) -> Result<VerifyReport> {
    signed_in.require(Capability::Administer)?;
    let mut findings: Vec<String> = db::integrity_problems(signed_in.conn(), "main")
        .into_iter()
        .map(|p| format!("practice.db: {p}"))
        .collect();
    let clinical_checked = signed_in.has_clinical_access();
    if clinical_checked {
        // Rows waiting in clinical.db's outbox belong in the chain before
        // signatures are compared with their audit rows.
        audit::outbox::move_to_chain(signed_in.conn(), signed_in.chain_key())?;
        findings.extend(
            db::integrity_problems(signed_in.conn(), db::CLINICAL_SCHEMA)
                .into_iter()
                .map(|p| format!("clinical.db: {p}")),
        );
        findings.extend(crate::notes::signing::hash_mismatches(signed_in.conn())?);
    }
    if let Some(broken) = audit::verify(signed_in.conn(), signed_in.chain_key())? {
        findings.push(format!(
            "audit log: the chain breaks at row {} ({})",
            broken.id, broken.reason
        ));
    }
    match Keyring::load(&signed_in.location().keyring_path()) {
        Ok(keyring) => {
            findings.extend(audit::anchor::findings(
                signed_in.conn(),
                signed_in.chain_key(),
                keyring.audit_anchor.as_ref(),
            )?);
            findings.extend(keyring_findings(signed_in.conn(), &keyring)?);
        }
        Err(_) => findings
            .push("keyring.json: it cannot be read. Restore from the newest good backup.".into()),
    }
    Ok(VerifyReport {
        findings,
        clinical_checked,
    })
}

/// Each login in keyring.json must be the one practice.db committed to, and
/// every active staff member must have one.
fn keyring_findings(conn: &Connection, keyring: &Keyring) -> Result<Vec<String>> {
    let mut findings = Vec::new();
    let logins = keyring
        .entries
        .iter()
        .map(|e| (e.username.clone(), login_id(&e.username), &e.keys))
        .chain(std::iter::once((
            "the recovery code".to_owned(),
            RECOVERY_ID.to_owned(),
            &keyring.recovery,
        )));
    for (who, login, keys) in logins {
        if let Some(committed) = commitments::committed_public(conn, &login)? {
            if committed != keys.delivery_public {
                findings.push(format!(
                    "keyring.json: the login of {who} is not the one practice.db holds (it was replaced). Reset that passphrase, or restore from the newest good backup."
                ));
            }
        }
    }
    let active: Vec<_> = crate::staff::all(conn)?
        .into_iter()
        .filter(|m| m.active)
        .collect();
    for entry in &keyring.entries {
        if !active
            .iter()
            .any(|m| m.username.eq_ignore_ascii_case(&entry.username))
        {
            findings.push(format!(
                "keyring.json: it holds a login for {}, whom practice.db does not know as active staff (it was added by hand, or left behind). It cannot sign in; restore from the newest good backup if you did not expect it.",
                entry.username
            ));
        }
    }
    for member in active {
        if keyring.entry(&member.username).is_none() {
            findings.push(format!(
                "keyring.json: {} has no login, so they cannot sign in. Reset their passphrase, or restore from the newest good backup.",
                member.username
            ));
        }
    }
    Ok(findings)
}
