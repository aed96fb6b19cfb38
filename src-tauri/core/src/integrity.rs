//! `verify`: are the databases whole and is the audit chain unbroken?

use crate::audit;
use crate::error::Result;
use crate::roles::Capability;
use crate::signed_in::SignedIn;
use crate::vault::db;

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
    Ok(VerifyReport {
        findings,
        clinical_checked,
    })
}
