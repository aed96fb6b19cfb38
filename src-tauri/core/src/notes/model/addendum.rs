//! Addenda as stored: signed text added to a signed note, each hashed in
//! its own canonical form.

use rusqlite::Connection;

use super::note::{staff_ref, StaffRef};
use crate::error::{Error, Result};

/// An addendum's canonical form has always named its author and time, so it
/// stays at format 1 while signatures moved on (see `signature::CANONICAL_FORMAT`).
const ADDENDUM_FORMAT: u32 = 1;

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Addendum {
    pub id: i64,
    /// None: adds to the shared part; otherwise to that member's section.
    pub client_id: Option<i64>,
    pub body: String,
    pub author: StaffRef,
    pub signed_at: String,
}

impl std::fmt::Debug for Addendum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Addendum({})", self.id)
    }
}

#[derive(serde::Serialize)]
struct CanonicalAddendum<'a> {
    format: u32,
    note_id: i64,
    client_id: Option<i64>,
    author_id: i64,
    signed_at: &'a str,
    body: &'a str,
}

pub(crate) fn addendum_hash(
    note_id: i64,
    client_id: Option<i64>,
    author_id: i64,
    signed_at: &str,
    body: &str,
) -> Result<String> {
    let bytes = serde_json::to_vec(&CanonicalAddendum {
        format: ADDENDUM_FORMAT,
        note_id,
        client_id,
        author_id,
        signed_at,
        body,
    })
    .map_err(|_| Error::Storage {
        detail: "an addendum could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}

pub(crate) fn addenda(conn: &Connection, note_id: i64) -> Result<Vec<Addendum>> {
    let rows: Vec<(i64, Option<i64>, String, i64, String)> = conn
        .prepare(
            "SELECT id, client_id, body, author_id, signed_at FROM note_addenda
             WHERE note_id = ?1 ORDER BY signed_at, id",
        )?
        .query_map([note_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, client_id, body, author_id, signed_at)| {
            Ok(Addendum {
                id,
                client_id,
                body,
                author: staff_ref(conn, author_id)?,
                signed_at,
            })
        })
        .collect()
}
