//! The accounting of disclosures: every release of a client's record (an
//! exported member record or session packet), append-only (clinical level
//! 8's triggers refuse changes). The export writes entries; the chart lists
//! them; `verify-export` finds them by the file's SHA-256.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::audit::{Action, Event};
use crate::clock;
use crate::error::{Error, Result};
use crate::notes::access;
use crate::notes::model::note::staff_ref;
use crate::notes::session_note::StaffRef;
use crate::signed_in::SignedIn;

/// The recipient written when the client receives their own record.
pub const CLIENT_THEMSELF: &str = "The client themself";

/// The kinds of release the log holds (export kinds as stored).
const KINDS: [&str; 2] = ["member_record", "session_packet"];

/// One release. PHI (a recipient, a purpose): `Debug` shows ids only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Disclosure {
    pub id: i64,
    pub client_id: i64,
    /// RFC 3339 UTC.
    pub released_at: String,
    /// "member_record" or "session_packet".
    pub kind: String,
    pub recipient: String,
    pub purpose: String,
    /// The span of the record released, "YYYY-MM-DD".
    pub covered_from: String,
    pub covered_to: String,
    pub released_by: StaffRef,
    /// Lowercase hex SHA-256 of the released file.
    pub sha256: String,
    /// The consent it was released under (none for a release needing none,
    /// e.g. to the client themself, or of a record Part 2 does not cover).
    pub consent_id: Option<i64>,
}

impl std::fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Disclosure({} of client {}, consent {:?})",
            self.id, self.client_id, self.consent_id
        )
    }
}

/// A release to write, from the export.
pub(crate) struct NewDisclosure<'a> {
    pub client_id: i64,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub purpose: &'a str,
    pub covered_from: NaiveDate,
    pub covered_to: NaiveDate,
    pub released_by: i64,
    pub sha256: &'a str,
    pub consent_id: Option<i64>,
}

impl std::fmt::Debug for NewDisclosure<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NewDisclosure(client {}, consent {:?})",
            self.client_id, self.consent_id
        )
    }
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Writes one release and returns its id. Not audited here: the export
/// audits the release (kind, subject, SHA-256) in the same transaction.
/// A consent named must be one of this client's.
pub(crate) fn record_disclosure(conn: &Connection, entry: &NewDisclosure) -> Result<i64> {
    if !KINDS.contains(&entry.kind) {
        return Err(Error::invalid(
            "kind",
            "Only a member record or a session packet is a release of a record.",
        ));
    }
    let recipient = entry.recipient.trim();
    if recipient.is_empty() {
        return Err(Error::invalid("recipient", "Name who receives the record."));
    }
    let purpose = entry.purpose.trim();
    if purpose.is_empty() {
        return Err(Error::invalid("purpose", "Say what the release is for."));
    }
    if entry.covered_to < entry.covered_from {
        return Err(Error::invalid(
            "to",
            "The end date must be on or after the start date.",
        ));
    }
    if !is_sha256_hex(entry.sha256) {
        return Err(Error::invalid(
            "sha256",
            "A release is recorded with the file's SHA-256 in lowercase hex.",
        ));
    }
    if let Some(consent_id) = entry.consent_id {
        let of_client: i64 = conn.query_row(
            "SELECT count(*) FROM consents WHERE id = ?1 AND client_id = ?2",
            params![consent_id, entry.client_id],
            |r| r.get(0),
        )?;
        if of_client == 0 {
            return Err(Error::NotFound {
                what: "That consent",
            });
        }
    }
    conn.execute(
        "INSERT INTO disclosures (client_id, released_at, kind, recipient, purpose,
                                  covered_from, covered_to, released_by, sha256, consent_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            entry.client_id,
            clock::now_text(),
            entry.kind,
            recipient,
            purpose,
            clock::format_date(entry.covered_from),
            clock::format_date(entry.covered_to),
            entry.released_by,
            entry.sha256,
            entry.consent_id,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT_DISCLOSURE: &str =
    "SELECT id, client_id, released_at, kind, recipient, purpose, covered_from, covered_to,
            released_by, sha256, consent_id
     FROM disclosures";

/// Rows of `sql` (a WHERE and ORDER BY after [`SELECT_DISCLOSURE`]), with
/// who released each.
fn disclosures_where(
    conn: &Connection,
    sql: &str,
    param: impl rusqlite::ToSql,
) -> Result<Vec<Disclosure>> {
    let rows: Vec<Disclosure> = conn
        .prepare(&format!("{SELECT_DISCLOSURE} {sql}"))?
        .query_map([param], |r| {
            Ok(Disclosure {
                id: r.get(0)?,
                client_id: r.get(1)?,
                released_at: r.get(2)?,
                kind: r.get(3)?,
                recipient: r.get(4)?,
                purpose: r.get(5)?,
                covered_from: r.get(6)?,
                covered_to: r.get(7)?,
                // The name is filled in below, from practice.db.
                released_by: StaffRef {
                    id: r.get(8)?,
                    full_name: String::new(),
                },
                sha256: r.get(9)?,
                consent_id: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|mut disclosure| {
            disclosure.released_by = staff_ref(conn, disclosure.released_by.id)?;
            Ok(disclosure)
        })
        .collect()
}

/// The client's accounting of disclosures, newest first. Audited as a read.
pub fn disclosures_of_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<Disclosure>> {
    access::require_client(signed_in, client_id)?;
    let list = disclosures_where(
        signed_in.conn(),
        "WHERE client_id = ?1 ORDER BY released_at DESC, id DESC",
        client_id,
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::DisclosuresViewed)
            .on("client", client_id)
            .detail(format!("disclosures={}", list.len())),
    )?;
    Ok(list)
}

/// Every release of the file with this SHA-256 (one per client a session
/// packet covered), oldest first. Case and spaces around it are ignored.
/// Callers check who may ask and audit.
pub(crate) fn disclosures_with_sha(conn: &Connection, sha256: &str) -> Result<Vec<Disclosure>> {
    disclosures_where(
        conn,
        "WHERE sha256 = ?1 ORDER BY released_at, id",
        sha256.trim().to_ascii_lowercase(),
    )
}
