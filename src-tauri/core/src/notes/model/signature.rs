//! Signatures as stored: who signed or co-signed a note, when, and the
//! SHA-256 of the note's canonical content at that moment.

use rusqlite::Connection;

use super::note::{staff_ref, NoteContent, NoteRow, NoteStatus, StaffRef};
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

/// Version of the canonical form; part of what is hashed.
pub(super) const CANONICAL_FORMAT: u32 = 1;

pub(crate) struct SignatureRow {
    pub staff_id: i64,
    pub signed_at: String,
    pub content_hash: String,
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
}

pub(crate) fn signatures(conn: &Connection, note_id: i64) -> Result<Signatures> {
    let mut out = Signatures::default();
    let mut stmt = conn.prepare(
        "SELECT kind, staff_id, signed_at, content_hash, cosigner_id FROM note_signatures WHERE note_id = ?1",
    )?;
    let rows = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            SignatureRow {
                staff_id: r.get(1)?,
                signed_at: r.get(2)?,
                content_hash: r.get(3)?,
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

/// What a signature covers, in a fixed order (BTreeMaps throughout).
#[derive(serde::Serialize)]
struct Canonical<'a> {
    format: u32,
    session_id: i64,
    group_id: i64,
    template: &'a str,
    content: &'a NoteContent,
}

pub(crate) fn content_hash(note: &NoteRow, content: &NoteContent) -> Result<String> {
    let canonical = Canonical {
        format: CANONICAL_FORMAT,
        session_id: note.session_id,
        group_id: note.group_id,
        template: note.template.as_db(),
        content,
    };
    let bytes = serde_json::to_vec(&canonical).map_err(|_| Error::Storage {
        detail: "a note could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}
