//! Signatures as stored: who signed or co-signed a note, when, and the
//! SHA-256 of the note's canonical form at that moment: its content and,
//! from format 2, who wrote, signed and co-signed it, and when.

use rusqlite::Connection;

use std::collections::BTreeMap;

use super::note::{staff_ref, NoteContent, NoteRow, NoteStatus, StaffRef};
use super::parts::{part_digest, parts};
use super::purge_trail::Trail;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SignatureView {
    pub staff: StaffRef,
    /// RFC 3339 UTC.
    pub signed_at: String,
    /// SHA-256 (hex) of the canonical content that was signed.
    pub content_hash: String,
}

/// Version of the canonical form new signatures are hashed in; part of what
/// is hashed, and stored with each signature (`canonical_format`), which is
/// verified in its own format:
/// 1. the note's session, group, template and content (signatures made
///    before clinical.db level 5);
/// 2. all of that, plus the note's author, when it was started and its label
///    key, who signed and when, who was to co-sign, and in a co-signature
///    who co-signed and when;
/// 3. what format 2 covers, with the content as the digest of each part
///    (see [`super::parts`]), so that a retention purge can take one client
///    out of a signed note and leave a trail `verify` checks.
pub(crate) const CANONICAL_FORMAT: u32 = 3;

pub(crate) struct SignatureRow {
    pub staff_id: i64,
    pub signed_at: String,
    pub content_hash: String,
    /// The canonical format `content_hash` was computed in.
    pub format: u32,
}

/// Who signed a note and when: what format 2 hashes beside the note.
pub(crate) struct Signers<'a> {
    pub signed_by: i64,
    pub signed_at: &'a str,
    /// Who was to co-sign, as the signature recorded it.
    pub cosigner_id: Option<i64>,
    /// Who co-signed and when: in a co-signature's hash only.
    pub cosigned: Option<(i64, &'a str)>,
}

#[derive(Default)]
pub(crate) struct Signatures {
    pub sign: Option<SignatureRow>,
    pub cosign: Option<SignatureRow>,
    /// Set on the sign row when the signer had a supervisor.
    pub cosigner_id: Option<i64>,
}

impl Signatures {
    pub fn status(&self) -> NoteStatus {
        match (&self.sign, &self.cosign, self.cosigner_id) {
            (None, _, _) => NoteStatus::Draft,
            (Some(_), None, Some(_)) => NoteStatus::PendingCosign,
            _ => NoteStatus::Signed,
        }
    }

    fn view(conn: &Connection, row: &Option<SignatureRow>) -> Result<Option<SignatureView>> {
        row.as_ref()
            .map(|s| {
                Ok(SignatureView {
                    staff: staff_ref(conn, s.staff_id)?,
                    signed_at: s.signed_at.clone(),
                    content_hash: s.content_hash.clone(),
                })
            })
            .transpose()
    }

    pub fn sign_view(&self, conn: &Connection) -> Result<Option<SignatureView>> {
        Self::view(conn, &self.sign)
    }

    pub fn cosign_view(&self, conn: &Connection) -> Result<Option<SignatureView>> {
        Self::view(conn, &self.cosign)
    }

    /// The hash the signature (`cosign`: the co-signature) should carry,
    /// recomputed from the note as stored now in that signature's format.
    /// None when it cannot be: the signature is missing, a co-signature has
    /// no signature before it, or its format is not one Circle knows.
    ///
    /// After a purge (`trail`): a format-3 signature is recomputed from the
    /// parts as signed (the trail undone); a format 1 or 2 signature, which
    /// hashes the note whole, is expected to match the hash the purge
    /// recorded for the note as it left it, and then counts as the stored one.
    pub fn expected_hash(
        &self,
        note: &NoteRow,
        content: &NoteContent,
        cosign: bool,
        trail: &Trail,
    ) -> Result<Option<String>> {
        let row = if cosign { &self.cosign } else { &self.sign };
        let (Some(sign), Some(row)) = (&self.sign, row) else {
            return Ok(None);
        };
        let signers = Signers {
            signed_by: sign.staff_id,
            signed_at: &sign.signed_at,
            cosigner_id: self.cosigner_id,
            cosigned: cosign.then_some((row.staff_id, row.signed_at.as_str())),
        };
        match row.format {
            1 | 2 => {
                let now = content_hash(note, content, row.format, &signers)?;
                let kind = if cosign { "cosign" } else { "sign" };
                Ok(Some(match trail.seal(kind) {
                    Some(after) if after == now => row.content_hash.clone(),
                    _ => now,
                }))
            }
            3 => match trail.signed_digests(&parts(content)) {
                Some(digests) => manifest_hash(note, &digests, &signers).map(Some),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }
}

pub(crate) fn signatures(conn: &Connection, note_id: i64) -> Result<Signatures> {
    let mut out = Signatures::default();
    let mut stmt = conn.prepare(
        "SELECT kind, staff_id, signed_at, content_hash, cosigner_id, canonical_format
         FROM note_signatures WHERE note_id = ?1",
    )?;
    let rows = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            SignatureRow {
                staff_id: r.get(1)?,
                signed_at: r.get(2)?,
                content_hash: r.get(3)?,
                format: r.get(5)?,
            },
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    for row in rows {
        let (kind, sig, cosigner) = row?;
        if kind == "sign" {
            out.cosigner_id = cosigner;
            out.sign = Some(sig);
        } else {
            out.cosign = Some(sig);
        }
    }
    Ok(out)
}

/// What a format-1 signature covers, in a fixed order (BTreeMaps throughout).
#[derive(serde::Serialize)]
struct Canonical<'a> {
    format: u32,
    session_id: i64,
    group_id: i64,
    template: &'a str,
    content: &'a NoteContent,
}

/// What a format-2 signature covers: the note, who wrote and signed it, when.
#[derive(serde::Serialize)]
struct CanonicalSigned<'a> {
    format: u32,
    session_id: i64,
    group_id: i64,
    template: &'a str,
    author_id: i64,
    created_at: &'a str,
    /// Hex.
    label_key: String,
    signed_by: i64,
    signed_at: &'a str,
    cosigner_id: Option<i64>,
    cosigned_by: Option<i64>,
    cosigned_at: Option<&'a str>,
    content: &'a NoteContent,
}

/// The SHA-256 (hex) of the note's canonical form in `format` (1 ignores
/// `signers`). New signatures use [`CANONICAL_FORMAT`].
pub(crate) fn content_hash(
    note: &NoteRow,
    content: &NoteContent,
    format: u32,
    signers: &Signers<'_>,
) -> Result<String> {
    let template = note.template.as_db();
    let bytes = match format {
        1 => serde_json::to_vec(&Canonical {
            format,
            session_id: note.session_id,
            group_id: note.group_id,
            template,
            content,
        }),
        2 => serde_json::to_vec(&CanonicalSigned {
            format,
            session_id: note.session_id,
            group_id: note.group_id,
            template,
            author_id: note.author_id,
            created_at: &note.created_at,
            label_key: hex::encode(&note.label_key),
            signed_by: signers.signed_by,
            signed_at: signers.signed_at,
            cosigner_id: signers.cosigner_id,
            cosigned_by: signers.cosigned.map(|(id, _)| id),
            cosigned_at: signers.cosigned.map(|(_, at)| at),
            content,
        }),
        3 => {
            let digests = parts(content)
                .iter()
                .map(|(name, part)| (name.clone(), part_digest(part)))
                .collect();
            return manifest_hash(note, &digests, signers);
        }
        _ => {
            return Err(Error::Storage {
                detail: format!("no canonical format {format}"),
            })
        }
    }
    .map_err(|_| Error::Storage {
        detail: "a note could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}

/// What a format-3 signature covers: what format 2 does, with the content
/// as the digest of each part.
#[derive(serde::Serialize)]
struct CanonicalParts<'a> {
    format: u32,
    session_id: i64,
    group_id: i64,
    template: &'a str,
    author_id: i64,
    created_at: &'a str,
    /// Hex.
    label_key: String,
    signed_by: i64,
    signed_at: &'a str,
    cosigner_id: Option<i64>,
    cosigned_by: Option<i64>,
    cosigned_at: Option<&'a str>,
    parts: &'a BTreeMap<String, String>,
}

fn manifest_hash(
    note: &NoteRow,
    digests: &BTreeMap<String, String>,
    signers: &Signers<'_>,
) -> Result<String> {
    let bytes = serde_json::to_vec(&CanonicalParts {
        format: 3,
        session_id: note.session_id,
        group_id: note.group_id,
        template: note.template.as_db(),
        author_id: note.author_id,
        created_at: &note.created_at,
        label_key: hex::encode(&note.label_key),
        signed_by: signers.signed_by,
        signed_at: signers.signed_at,
        cosigner_id: signers.cosigner_id,
        cosigned_by: signers.cosigned.map(|(id, _)| id),
        cosigned_at: signers.cosigned.map(|(_, at)| at),
        parts: digests,
    })
    .map_err(|_| Error::Storage {
        detail: "a note could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}
