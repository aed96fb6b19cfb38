//! A backup's manifest: what it holds and the SHA-256 of every part, with
//! a MAC under a key derived from the practice key, so a backup cannot be
//! edited or passed off as another practice's without the MAC failing.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::archive::{Contents, Damage, MANIFEST, MANIFEST_MAC};
use crate::vault::crypto;
use crate::vault::keyring::AuditAnchor;
use crate::vault::secret::SecretKey;

/// The manifest's format; a newer one is refused by name.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: u32,
    pub app_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub practice_id: String,
    pub practice_name: String,
    pub counts: Counts,
    pub parts: Vec<PartDigest>,
    /// The audit chain's head in this snapshot; a restore writes it into
    /// keyring.json, and `verify` then holds the restored chain to it.
    pub audit_anchor: Option<AuditAnchor>,
    /// How clinical.db was copied: `snapshot` (online backup under its key)
    /// or `file` (by a login without the clinical key: its bytes as they
    /// were, still encrypted).
    pub clinical_copy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub staff: i64,
    pub clients: i64,
    pub groups: i64,
    pub sessions: i64,
    pub attendance: i64,
    pub audit_rows: i64,
    /// Unknown when the login that made the backup holds no clinical key.
    pub signed_notes: Option<i64>,
    pub goals: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartDigest {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

fn mac_key(practice_key: &SecretKey) -> SecretKey {
    let derived = Zeroizing::new(crypto::hmac(practice_key, b"circle/v1/backup-manifest"));
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&derived[..32]);
    SecretKey::from_bytes(bytes)
}

/// The MAC (hex) of the manifest's bytes.
pub fn mac(practice_key: &SecretKey, manifest_json: &[u8]) -> String {
    hex::encode(crypto::hmac(&mac_key(practice_key), manifest_json))
}

/// Whether `mac_hex` is the manifest's MAC under this practice key.
pub fn mac_matches(practice_key: &SecretKey, manifest_json: &[u8], mac_hex: &[u8]) -> bool {
    std::str::from_utf8(mac_hex)
        .ok()
        .and_then(|text| hex::decode(text.trim()).ok())
        .is_some_and(|tag| crypto::hmac_matches(&mac_key(practice_key), manifest_json, &tag))
}

/// Parses the manifest and checks every part against it: present, the size
/// and SHA-256 it names, nothing more. No secret is needed for this.
pub fn check(contents: &Contents) -> Result<Manifest, Damage> {
    let manifest: Manifest = serde_json::from_slice(&contents.manifest_json)
        .map_err(|_| Damage::new(MANIFEST, "it cannot be read (it is damaged)"))?;
    if manifest.format > FORMAT {
        return Err(Damage::new(
            MANIFEST,
            "it was written by a newer version of Circle; install that version to restore it",
        ));
    }
    if contents.manifest_mac.len() != 64 {
        return Err(Damage::new(MANIFEST_MAC, "it is damaged"));
    }
    for digest in &manifest.parts {
        let Some(read) = contents.parts.iter().find(|p| p.name == digest.name) else {
            return Err(Damage::new(
                &digest.name,
                "it is missing (the backup is truncated)",
            ));
        };
        if read.size != digest.size || read.sha256 != digest.sha256 {
            return Err(Damage::new(
                &digest.name,
                "its contents do not match the manifest (the backup was damaged or changed)",
            ));
        }
    }
    if let Some(extra) = contents
        .parts
        .iter()
        .find(|p| !manifest.parts.iter().any(|d| d.name == p.name))
    {
        return Err(Damage::new(&extra.name, "the manifest does not list it"));
    }
    for required in [
        super::archive::KEYRING,
        super::archive::PRACTICE_DB,
        super::archive::CLINICAL_DB,
    ] {
        if !manifest.parts.iter().any(|d| d.name == required) {
            return Err(Damage::new(required, "it is missing from the manifest"));
        }
    }
    Ok(manifest)
}
