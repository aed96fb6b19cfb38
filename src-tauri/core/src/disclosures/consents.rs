//! A client's consents to release their record (42 CFR Part 2 §2.31): to
//! whom, for what, which span of the record, signed when, until when. A
//! consent is never edited or deleted (clinical level 8's triggers); the one
//! change is its revocation.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::recipient_key;
use crate::audit::{Action, Event};
use crate::clock::{self, parse_date, practice_zone, today_in};
use crate::error::{Error, Result};
use crate::notes::access;
use crate::notes::model::note::staff_ref;
use crate::notes::session_note::StaffRef;
use crate::signed_in::SignedIn;
use crate::vault::location::CLINICAL_DB_FILE;

pub const MAX_RECIPIENT_CHARS: usize = 200;
pub const MAX_PURPOSE_CHARS: usize = 500;

/// Why [`permitting_consent`] refuses a release: fixed sentences, no PHI.
pub const REASON_NO_CONSENT: &str = "There is no consent on file for this recipient that covers these dates. Add the client's signed consent under Consents on their chart first.";
pub const REASON_EXPIRED: &str = "The client's consent for this recipient has expired. A new signed consent is needed before anything is released to them.";
pub const REASON_REVOKED: &str = "The client revoked their consent for this recipient. Nothing can be released to them without a new signed consent.";

/// Where a consent stands today, in the practice's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ConsentState {
    Active,
    /// Its expiry date has passed.
    Expired,
    /// Revoked on or before today.
    Revoked,
    /// Signed on a date still to come.
    NotYetSigned,
}

/// PHI (a recipient, a purpose): `Debug` shows ids only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: i64,
    pub client_id: i64,
    pub recipient: String,
    pub purpose: String,
    /// The span of the record it covers, "YYYY-MM-DD"; an end left empty is
    /// open, both empty is the whole record.
    pub scope_from: Option<String>,
    pub scope_to: Option<String>,
    pub signed_on: String,
    pub expires_on: Option<String>,
    pub revoked_on: Option<String>,
    pub created_by: StaffRef,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub state: ConsentState,
}

impl std::fmt::Debug for Consent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Consent({} of client {}, {:?})",
            self.id, self.client_id, self.state
        )
    }
}

#[derive(Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsentInput {
    pub recipient: String,
    pub purpose: String,
    /// "YYYY-MM-DD"; empty (or absent) leaves that end of the span open.
    pub scope_from: Option<String>,
    pub scope_to: Option<String>,
    pub signed_on: String,
    pub expires_on: Option<String>,
}

impl std::fmt::Debug for ConsentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConsentInput(..)")
    }
}

/// A consent's row with its dates read.
struct Row {
    id: i64,
    client_id: i64,
    recipient: String,
    purpose: String,
    scope_from: Option<NaiveDate>,
    scope_to: Option<NaiveDate>,
    signed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    revoked_on: Option<NaiveDate>,
    created_by: i64,
    created_at: String,
}

impl Row {
    fn state_on(&self, today: NaiveDate) -> ConsentState {
        if self.revoked_on.is_some_and(|r| r <= today) {
            ConsentState::Revoked
        } else if self.signed_on > today {
            ConsentState::NotYetSigned
        } else if self.expires_on.is_some_and(|e| e < today) {
            ConsentState::Expired
        } else {
            ConsentState::Active
        }
    }

    /// Covers every day of [from, to] (an open end covers all on its side).
    fn covers(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.scope_from.is_none_or(|s| s <= from) && self.scope_to.is_none_or(|s| s >= to)
    }

    fn into_consent(self, conn: &Connection, today: NaiveDate) -> Result<Consent> {
        let state = self.state_on(today);
        Ok(Consent {
            id: self.id,
            client_id: self.client_id,
            recipient: self.recipient,
            purpose: self.purpose,
            scope_from: self.scope_from.map(clock::format_date),
            scope_to: self.scope_to.map(clock::format_date),
            signed_on: clock::format_date(self.signed_on),
            expires_on: self.expires_on.map(clock::format_date),
            revoked_on: self.revoked_on.map(clock::format_date),
            created_by: staff_ref(conn, self.created_by)?,
            created_at: self.created_at,
            state,
        })
    }
}

const SELECT_CONSENT: &str = "SELECT id, client_id, recipient, purpose, scope_from, scope_to,
            signed_on, expires_on, revoked_on, created_by, created_at
     FROM consents";

/// A date as stored; anything else was not written by Circle.
fn stored_date(text: &str) -> Result<NaiveDate> {
    clock::read_date(text).map_err(|_| Error::Corrupt {
        file: CLINICAL_DB_FILE.to_owned(),
    })
}

struct RawRow {
    id: i64,
    client_id: i64,
    recipient: String,
    purpose: String,
    scope_from: Option<String>,
    scope_to: Option<String>,
    signed_on: String,
    expires_on: Option<String>,
    revoked_on: Option<String>,
    created_by: i64,
    created_at: String,
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok(RawRow {
        id: r.get(0)?,
        client_id: r.get(1)?,
        recipient: r.get(2)?,
        purpose: r.get(3)?,
        scope_from: r.get(4)?,
        scope_to: r.get(5)?,
        signed_on: r.get(6)?,
        expires_on: r.get(7)?,
        revoked_on: r.get(8)?,
        created_by: r.get(9)?,
        created_at: r.get(10)?,
    })
}

impl RawRow {
    fn read(self) -> Result<Row> {
        let optional = |text: Option<String>| text.as_deref().map(stored_date).transpose();
        Ok(Row {
            id: self.id,
            client_id: self.client_id,
            recipient: self.recipient,
            purpose: self.purpose,
            scope_from: optional(self.scope_from)?,
            scope_to: optional(self.scope_to)?,
            signed_on: stored_date(&self.signed_on)?,
            expires_on: optional(self.expires_on)?,
            revoked_on: optional(self.revoked_on)?,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

/// Every consent of a client, newest signature first.
fn rows_of_client(conn: &Connection, client_id: i64) -> Result<Vec<Row>> {
    conn.prepare(&format!(
        "{SELECT_CONSENT} WHERE client_id = ?1 ORDER BY signed_on DESC, id DESC"
    ))?
    .query_map([client_id], read_row)?
    .collect::<rusqlite::Result<Vec<_>>>()?
    .into_iter()
    .map(RawRow::read)
    .collect()
}

fn row_by_id(conn: &Connection, id: i64) -> Result<Row> {
    conn.query_row(&format!("{SELECT_CONSENT} WHERE id = ?1"), [id], read_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "That consent",
        })?
        .read()
}

fn today(conn: &Connection) -> Result<NaiveDate> {
    Ok(today_in(practice_zone(conn)?))
}

/// Required text, trimmed, at most `max` characters.
fn required_text(field: &str, text: &str, max: usize, empty: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid(field, empty));
    }
    // SQLite reads text only up to a NUL (a stored "\0…" is empty to it).
    if text.contains('\0') {
        return Err(Error::invalid(
            field,
            format!("Remove the invisible null character from the {what}."),
        ));
    }
    if text.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("Keep the {what} under {max} characters."),
        ));
    }
    Ok(text.to_owned())
}

/// An optional date: None, "" and spaces are none.
fn optional_date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| parse_date(field, t))
        .transpose()
}

struct Valid {
    recipient: String,
    purpose: String,
    scope_from: Option<NaiveDate>,
    scope_to: Option<NaiveDate>,
    signed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
}

fn validate(input: &ConsentInput) -> Result<Valid> {
    let recipient = required_text(
        "recipient",
        &input.recipient,
        MAX_RECIPIENT_CHARS,
        "Name who may receive the record: a person or an organisation.",
        "recipient",
    )?;
    let purpose = required_text(
        "purpose",
        &input.purpose,
        MAX_PURPOSE_CHARS,
        "Say what the release is for, as the signed consent states it.",
        "purpose",
    )?;
    let scope_from = optional_date("scopeFrom", input.scope_from.as_deref())?;
    let scope_to = optional_date("scopeTo", input.scope_to.as_deref())?;
    if let (Some(from), Some(to)) = (scope_from, scope_to) {
        if to < from {
            return Err(Error::invalid(
                "scopeTo",
                "The end of the span must be on or after its start.",
            ));
        }
    }
    let signed_on = parse_date("signedOn", &input.signed_on)?;
    let expires_on = optional_date("expiresOn", input.expires_on.as_deref())?;
    if expires_on.is_some_and(|e| e < signed_on) {
        return Err(Error::invalid(
            "expiresOn",
            "A consent cannot expire before the day it was signed.",
        ));
    }
    Ok(Valid {
        recipient,
        purpose,
        scope_from,
        scope_to,
        signed_on,
        expires_on,
    })
}

/// Every consent of a client, newest signature first, each with where it
/// stands today. Audited as a read.
pub fn consents_of_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<Consent>> {
    access::require_client(signed_in, client_id)?;
    let conn = signed_in.conn();
    let today = today(conn)?;
    let consents = rows_of_client(conn, client_id)?
        .into_iter()
        .map(|row| row.into_consent(conn, today))
        .collect::<Result<Vec<_>>>()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ConsentsViewed)
            .on("client", client_id)
            .detail(format!("consents={}", consents.len())),
    )?;
    Ok(consents)
}

/// Records a consent the client signed.
pub fn add_consent(signed_in: &SignedIn, client_id: i64, input: ConsentInput) -> Result<Consent> {
    access::require_client(signed_in, client_id)?;
    crate::clients::by_id(signed_in.conn(), client_id)?;
    let valid = validate(&input)?;
    let conn = signed_in.conn();
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "INSERT INTO consents (client_id, recipient, purpose, scope_from, scope_to, signed_on,
                               expires_on, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            client_id,
            valid.recipient,
            valid.purpose,
            valid.scope_from.map(clock::format_date),
            valid.scope_to.map(clock::format_date),
            clock::format_date(valid.signed_on),
            valid.expires_on.map(clock::format_date),
            signed_in.actor().staff_id,
            clock::now_text(),
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ConsentAdded)
            .on("client", client_id)
            .detail(format!("consent={id}")),
    )?;
    tx.commit()?;
    row_by_id(conn, id)?.into_consent(conn, today(conn)?)
}

/// Records that the client revoked a consent on `revoked_on` (not after
/// today: a revocation is dated the day it was made). Once only.
pub fn revoke_consent(signed_in: &SignedIn, consent_id: i64, revoked_on: &str) -> Result<Consent> {
    access::require_notes(signed_in)?;
    let conn = signed_in.conn();
    let row = row_by_id(conn, consent_id)?;
    access::require_client(signed_in, row.client_id)?;
    if row.revoked_on.is_some() {
        return Err(Error::invalid(
            "revokedOn",
            "This consent has already been revoked.",
        ));
    }
    let date = parse_date("revokedOn", revoked_on)?;
    if date < row.signed_on {
        return Err(Error::invalid(
            "revokedOn",
            "A consent cannot be revoked before the day it was signed.",
        ));
    }
    let today = today(conn)?;
    if date > today {
        return Err(Error::invalid(
            "revokedOn",
            "Date the revocation the day the client made it; that cannot be after today.",
        ));
    }
    let tx = signed_in.clinical_write()?;
    // `revoked_on IS NULL` again: a colleague's revocation since is not overwritten.
    let changed = tx.execute(
        "UPDATE consents SET revoked_on = ?1 WHERE id = ?2 AND revoked_on IS NULL",
        params![clock::format_date(date), consent_id],
    )?;
    if changed != 1 {
        return Err(Error::invalid(
            "revokedOn",
            "This consent has already been revoked.",
        ));
    }
    tx.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ConsentRevoked)
            .on("client", row.client_id)
            .detail(format!("consent={consent_id}")),
    )?;
    tx.commit()?;
    row_by_id(conn, consent_id)?.into_consent(conn, today)
}

/// The consent that permits releasing the client's record covering
/// [from, to] to `recipient` on `today`, or why there is none
/// (`ForbiddenBecause` with [`REASON_NO_CONSENT`], [`REASON_EXPIRED`] or
/// [`REASON_REVOKED`]).
///
/// A consent matches when its recipient is the same once folded (case,
/// diacritics and spaces around and between words ignored) and its span
/// covers [from, to]. It permits when signed on or before today, not expired
/// (expires_on, when set, today or later) and not revoked (revoked_on unset
/// or after today). Several matching: any that permits will do (the newest
/// signed is named); none permitting: the newest signed one says why.
pub(crate) fn permitting_consent(
    conn: &Connection,
    client_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    recipient: &str,
    today: NaiveDate,
) -> Result<i64> {
    let wanted = recipient_key(recipient);
    if wanted.is_empty() {
        return Err(Error::ForbiddenBecause {
            reason: REASON_NO_CONSENT,
        });
    }
    let matching: Vec<(i64, ConsentState)> = rows_of_client(conn, client_id)?
        .into_iter()
        .filter(|row| recipient_key(&row.recipient) == wanted && row.covers(from, to))
        .map(|row| (row.id, row.state_on(today)))
        // One signed on a later day is not on file yet.
        .filter(|(_, state)| *state != ConsentState::NotYetSigned)
        .collect();
    if let Some((id, _)) = matching
        .iter()
        .find(|(_, state)| *state == ConsentState::Active)
    {
        return Ok(*id);
    }
    let reason = match matching.first().map(|(_, state)| *state) {
        Some(ConsentState::Revoked) => REASON_REVOKED,
        Some(ConsentState::Expired) => REASON_EXPIRED,
        _ => REASON_NO_CONSENT,
    };
    Err(Error::ForbiddenBecause { reason })
}
