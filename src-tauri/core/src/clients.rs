//! Clients: demographics, search, duplicates.
//!
//! Everyone signed in may create, edit and search clients (the "clients'
//! demographics" row of the permission table); nobody may delete one. Every
//! call is audited with ids only, never a name or the text of a search.
//!
//! Search and the duplicate check compare names *folded* (lower case, no
//! diacritics), so "zoe" finds "Zoë" and "JOSÉ" finds "Jose". The folded
//! legal and preferred names are kept in `clients.search_key`.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::staff::{now_rfc3339, Capability};
use crate::vault::Session;

pub const MAX_LEGAL_NAME_CHARS: usize = 100;
pub const MAX_PREFERRED_NAME_CHARS: usize = 60;
pub const MAX_PRONOUNS_CHARS: usize = 60;
pub const MAX_EMERGENCY_NAME_CHARS: usize = 100;
pub const MAX_PHONE_CHARS: usize = 30;
pub const MAX_EMAIL_CHARS: usize = 254;
/// The most rows one search returns.
pub const MAX_PAGE: u32 = 200;
/// The most words one search may have.
pub const MAX_SEARCH_TERMS: usize = 20;

/// Where a client stands with the practice.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum ClientStatus {
    /// Enquired or booked for intake; not yet in a group.
    #[default]
    Prospect,
    Active,
    Discharged,
}

impl ClientStatus {
    pub const ALL: [ClientStatus; 3] = [
        ClientStatus::Prospect,
        ClientStatus::Active,
        ClientStatus::Discharged,
    ];

    /// As stored in `clients.status`.
    pub fn as_db(self) -> &'static str {
        match self {
            ClientStatus::Prospect => "prospect",
            ClientStatus::Active => "active",
            ClientStatus::Discharged => "discharged",
        }
    }

    pub fn from_db(text: &str) -> Option<ClientStatus> {
        ClientStatus::ALL.into_iter().find(|s| s.as_db() == text)
    }
}

/// A client's chart header: everything the demographics form shows.
/// `Debug` prints the id only (the rest is PHI).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: i64,
    /// "C-000123": unique, assigned at creation, never changes.
    pub record_number: String,
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub status: ClientStatus,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What the demographics form sends, for a new client or an edit. Text is
/// trimmed; an empty optional field is stored as nothing.
/// `Debug` prints the status only.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientInput {
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub status: ClientStatus,
}

impl std::fmt::Debug for ClientInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientInput")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// One row of a client list. `Debug` prints the id only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: i64,
    pub record_number: String,
    /// The preferred name (or legal first name) and the legal last name.
    pub display_name: String,
    /// Legal first and last name.
    pub legal_name: String,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub status: ClientStatus,
}

impl std::fmt::Debug for ClientSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSummary")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What [`create`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Created {
    /// The client was saved.
    Client { client: Box<Client> },
    /// Nothing was saved: these clients have the same name and date of birth.
    /// Show them; to save anyway, call again confirming.
    PossibleDuplicate { existing: Vec<ClientSummary> },
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    /// How many clients match in all.
    pub total: u32,
}

/// Lower case, with diacritics removed (NFD, then combining marks dropped),
/// so "Zoë" and "zoe", "JOSÉ" and "jose" fold to the same text. Typographic
/// apostrophes become plain ones ("O’Brien" and "O'Brien" match).
pub fn fold(text: &str) -> String {
    text.to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
            other => other,
        })
        .collect()
}

/// Folded, with runs of white space made one space: for comparing names.
fn name_key(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The folded legal first, legal last and preferred name, space separated.
fn search_key(first: &str, last: &str, preferred: Option<&str>) -> String {
    [Some(first), Some(last), preferred]
        .into_iter()
        .flatten()
        .map(name_key)
        .filter(|k| !k.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------- services

/// Saves a new client. Unless `confirm_possible_duplicate`, a client with the
/// same folded name (legal or preferred first name, and legal last name) and
/// the same date of birth makes this return [`Created::PossibleDuplicate`]
/// and save nothing.
pub fn create(
    session: &Session,
    input: ClientInput,
    confirm_possible_duplicate: bool,
) -> Result<Created> {
    session.require(Capability::Scheduling)?;
    let clean = validate(&input, || practice_today(session))?;

    let tx = session.conn().unchecked_transaction()?;
    if !confirm_possible_duplicate {
        let existing = possible_duplicates(&tx, &clean)?;
        if !existing.is_empty() {
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(Created::PossibleDuplicate { existing });
        }
    }
    let record_number = next_record_number(&tx)?;
    let now = now_rfc3339();
    tx.execute(
        "INSERT INTO clients (record_number, legal_first_name, legal_last_name, preferred_name,
             pronouns, date_of_birth, phone, email, emergency_name, emergency_phone, status,
             search_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        params![
            record_number,
            clean.legal_first_name,
            clean.legal_last_name,
            clean.preferred_name,
            clean.pronouns,
            clean.date_of_birth,
            clean.phone,
            clean.email,
            clean.emergency_name,
            clean.emergency_phone,
            clean.status.as_db(),
            clean.search_key(),
            now,
        ],
    )?;
    let id = tx.last_insert_rowid();
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::ClientCreated)
            .on("client", id)
            .detail(format!("status={}", clean.status.as_db())),
    )?;
    tx.commit()?;
    Ok(Created::Client {
        client: Box::new(by_id(session.conn(), id)?),
    })
}

/// Saves an edit of every editable field. The record number never changes.
/// The audit row names the fields that changed, not their values.
pub fn update(session: &Session, id: i64, input: ClientInput) -> Result<Client> {
    session.require(Capability::Scheduling)?;
    let before = by_id(session.conn(), id)?;
    let clean = validate(&input, || practice_today(session))?;
    let changed = clean.changed_fields(&before);
    if changed.is_empty() {
        return Ok(before);
    }

    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE clients SET legal_first_name = ?2, legal_last_name = ?3, preferred_name = ?4,
             pronouns = ?5, date_of_birth = ?6, phone = ?7, email = ?8, emergency_name = ?9,
             emergency_phone = ?10, status = ?11, search_key = ?12, updated_at = ?13
         WHERE id = ?1",
        params![
            id,
            clean.legal_first_name,
            clean.legal_last_name,
            clean.preferred_name,
            clean.pronouns,
            clean.date_of_birth,
            clean.phone,
            clean.email,
            clean.emergency_name,
            clean.emergency_phone,
            clean.status.as_db(),
            clean.search_key(),
            now_rfc3339(),
        ],
    )?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::ClientUpdated)
            .on("client", id)
            .detail(format!("fields={}", changed.join(","))),
    )?;
    tx.commit()?;
    by_id(session.conn(), id)
}

/// Opens a client's demographics (audited as a view).
pub fn get(session: &Session, id: i64) -> Result<Client> {
    session.require(Capability::Scheduling)?;
    let client = by_id(session.conn(), id)?;
    session
        .audit(Event::new(Some(session.actor().staff_id), Action::ClientViewed).on("client", id))?;
    Ok(client)
}

/// Clients whose legal or preferred name contains every word of `query`
/// (folded, in any order: "zoe mart" finds Zoë Martin). A word with a digit
/// in it also matches record numbers ("000123" finds C-000123). An empty query
/// lists everyone. Ordered by legal last name, then legal first name, both
/// folded; `limit` is at most [`MAX_PAGE`]. Audited once per call, without
/// the query.
pub fn search(
    session: &Session,
    query: &str,
    status: Option<ClientStatus>,
    offset: u32,
    limit: u32,
) -> Result<ClientPage> {
    session.require(Capability::Scheduling)?;
    let folded = fold(query);
    let mut terms: Vec<&str> = Vec::new();
    for term in folded.split_whitespace() {
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    if terms.len() > MAX_SEARCH_TERMS {
        return Err(Error::invalid(
            "query",
            format!("Search with fewer words (at most {MAX_SEARCH_TERMS})."),
        ));
    }

    let mut sql = String::from(
        "SELECT id, record_number, legal_first_name, legal_last_name, preferred_name,
                date_of_birth, status
         FROM clients WHERE (?1 IS NULL OR status = ?1)",
    );
    let mut values: Vec<rusqlite::types::Value> = vec![status.map(|s| s.as_db().to_owned()).into()];
    for term in &terms {
        values.push((*term).to_owned().into());
        let n = values.len();
        if term.chars().any(|c| c.is_ascii_digit()) {
            sql.push_str(&format!(
                " AND (instr(search_key, ?{n}) > 0 OR instr(lower(record_number), ?{n}) > 0)"
            ));
        } else {
            sql.push_str(&format!(" AND instr(search_key, ?{n}) > 0"));
        }
    }

    // Matching rows are sorted here rather than in SQL so that folded names
    // sort where a reader expects them ("Ávila" next to "Avery", not after
    // "Zimmer", as NOCASE would put it).
    let mut rows = {
        let mut stmt = session.conn().prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values), |r| {
                let summary = row_to_summary(r)?;
                let last: String = r.get(3)?;
                let first: String = r.get(2)?;
                Ok(((name_key(&last), name_key(&first)), summary))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    rows.sort_by(|(a_key, a), (b_key, b)| a_key.cmp(b_key).then(a.id.cmp(&b.id)));

    let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let limit = limit.clamp(1, MAX_PAGE) as usize;
    let items = rows
        .into_iter()
        .skip(offset as usize)
        .take(limit)
        .map(|(_, summary)| summary)
        .collect();

    session.audit(
        Event::new(Some(session.actor().staff_id), Action::ClientsSearched)
            .detail(format!("total={total}")),
    )?;
    Ok(ClientPage { items, total })
}

// ---------------------------------------------------------------- validation

/// Input that passed validation: trimmed, empties as `None`.
struct Clean {
    legal_first_name: String,
    legal_last_name: String,
    preferred_name: Option<String>,
    pronouns: Option<String>,
    date_of_birth: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    emergency_name: Option<String>,
    emergency_phone: Option<String>,
    status: ClientStatus,
}

impl Clean {
    fn search_key(&self) -> String {
        search_key(
            &self.legal_first_name,
            &self.legal_last_name,
            self.preferred_name.as_deref(),
        )
    }

    /// The form's names of the fields that differ from `before`.
    fn changed_fields(&self, before: &Client) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |field: &'static str, same: bool| {
            if !same {
                changed.push(field);
            }
        };
        check(
            "legalFirstName",
            self.legal_first_name == before.legal_first_name,
        );
        check(
            "legalLastName",
            self.legal_last_name == before.legal_last_name,
        );
        check(
            "preferredName",
            self.preferred_name == before.preferred_name,
        );
        check("pronouns", self.pronouns == before.pronouns);
        check("dateOfBirth", self.date_of_birth == before.date_of_birth);
        check("phone", self.phone == before.phone);
        check("email", self.email == before.email);
        check(
            "emergencyName",
            self.emergency_name == before.emergency_name,
        );
        check(
            "emergencyPhone",
            self.emergency_phone == before.emergency_phone,
        );
        check("status", self.status == before.status);
        changed
    }
}

/// Checks every field in the order the form shows them; the first problem
/// is returned. `today` (in the practice's zone) is asked for only when a
/// date of birth is given.
fn validate(
    input: &ClientInput,
    today: impl FnOnce() -> Result<chrono::NaiveDate>,
) -> Result<Clean> {
    let legal_first_name = text(
        "legalFirstName",
        "legal first name",
        &input.legal_first_name,
        MAX_LEGAL_NAME_CHARS,
    )?
    .ok_or_else(|| Error::invalid("legalFirstName", "Enter the client's legal first name."))?;
    let legal_last_name = text(
        "legalLastName",
        "legal last name",
        &input.legal_last_name,
        MAX_LEGAL_NAME_CHARS,
    )?
    .ok_or_else(|| Error::invalid("legalLastName", "Enter the client's legal last name."))?;
    let preferred_name = optional_text(
        "preferredName",
        "preferred name",
        &input.preferred_name,
        MAX_PREFERRED_NAME_CHARS,
    )?;
    let pronouns = optional_text("pronouns", "pronouns", &input.pronouns, MAX_PRONOUNS_CHARS)?;
    let date_of_birth = match trimmed(&input.date_of_birth) {
        None => None,
        Some(text) => Some(date_of_birth(text, today()?)?),
    };
    let phone = phone_number("phone", "phone number", &input.phone)?;
    let email = email_address(&input.email)?;
    let emergency_name = optional_text(
        "emergencyName",
        "emergency contact's name",
        &input.emergency_name,
        MAX_EMERGENCY_NAME_CHARS,
    )?;
    let emergency_phone = phone_number(
        "emergencyPhone",
        "emergency contact's phone number",
        &input.emergency_phone,
    )?;
    Ok(Clean {
        legal_first_name,
        legal_last_name,
        preferred_name,
        pronouns,
        date_of_birth,
        phone,
        email,
        emergency_name,
        emergency_phone,
        status: input.status,
    })
}

fn trimmed(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A one-line text field: trimmed, empty as `None`, no line breaks, at most `max` characters.
fn text(field: &str, label: &str, value: &str, max: usize) -> Result<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            format!("Remove line breaks and tabs from the {label}."),
        ));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("Keep the {label} to {max} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

fn optional_text(
    field: &str,
    label: &str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>> {
    text(field, label, value.as_deref().unwrap_or(""), max)
}

/// Strictly "YYYY-MM-DD", a real date, not in the future, not before 1900.
fn date_of_birth(text: &str, today: chrono::NaiveDate) -> Result<String> {
    let field = "dateOfBirth";
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let date = shape_ok
        .then(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            Error::invalid(
                field,
                "Enter the date of birth as year-month-day, for example 1984-03-27.",
            )
        })?;
    if date > today {
        return Err(Error::invalid(
            field,
            "The date of birth is in the future. Check the year.",
        ));
    }
    // 1 January 1900 is a real calendar date, so from_ymd_opt cannot return None.
    if date < chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date") {
        return Err(Error::invalid(
            field,
            "The date of birth is before 1900. Check the year.",
        ));
    }
    Ok(date.format("%Y-%m-%d").to_string())
}

/// Digits, spaces and + ( ) - only, at least one digit, at most 30 characters.
fn phone_number(field: &str, label: &str, value: &Option<String>) -> Result<Option<String>> {
    let Some(value) = trimmed(value) else {
        return Ok(None);
    };
    let chars_ok = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !chars_ok || !value.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!("Enter the {label} using digits, spaces and + ( ) - only."),
        ));
    }
    if value.chars().count() > MAX_PHONE_CHARS {
        return Err(Error::invalid(
            field,
            format!("Keep the {label} to {MAX_PHONE_CHARS} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// One "@" with text on both sides, no spaces.
fn email_address(value: &Option<String>) -> Result<Option<String>> {
    let Some(value) = trimmed(value) else {
        return Ok(None);
    };
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !well_formed {
        return Err(Error::invalid(
            "email",
            "Enter the email address in the form name@example.com.",
        ));
    }
    if value.chars().count() > MAX_EMAIL_CHARS {
        return Err(Error::invalid(
            "email",
            format!("Keep the email address to {MAX_EMAIL_CHARS} characters or fewer."),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// Today's date in the practice's time zone (UTC if the stored zone is unreadable).
fn practice_today(session: &Session) -> Result<chrono::NaiveDate> {
    let zone = crate::practice::settings(session)?.timezone;
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    Ok(chrono::Utc::now().with_timezone(&tz).date_naive())
}

// ---------------------------------------------------------------- storage

const CLIENT_COLUMNS: &str = "id, record_number, legal_first_name, legal_last_name, preferred_name,
     pronouns, date_of_birth, phone, email, emergency_name, emergency_phone, status";

pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<Client> {
    conn.query_row(
        &format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1"),
        [id],
        row_to_client,
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That client",
    })
}

/// Existing clients that [`create`] should warn about: same date of birth,
/// same folded legal last name, and a folded first name in common (legal or
/// preferred, on either side).
fn possible_duplicates(conn: &Connection, new: &Clean) -> Result<Vec<ClientSummary>> {
    let Some(dob) = new.date_of_birth.as_deref() else {
        return Ok(Vec::new());
    };
    let last = name_key(&new.legal_last_name);
    let firsts: Vec<String> = [
        Some(new.legal_first_name.as_str()),
        new.preferred_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(name_key)
    .collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {CLIENT_COLUMNS} FROM clients WHERE date_of_birth = ?1 ORDER BY id"
    ))?;
    let candidates = stmt
        .query_map([dob], row_to_client)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(candidates
        .into_iter()
        .filter(|c| {
            name_key(&c.legal_last_name) == last
                && [
                    Some(c.legal_first_name.as_str()),
                    c.preferred_name.as_deref(),
                ]
                .into_iter()
                .flatten()
                .any(|f| firsts.contains(&name_key(f)))
        })
        .map(|c| summary_of(&c))
        .collect())
}

/// "C-000001", one more than the highest so far.
fn next_record_number(conn: &Connection) -> Result<String> {
    let highest: i64 = conn.query_row(
        "SELECT COALESCE(MAX(CAST(substr(record_number, 3) AS INTEGER)), 0)
         FROM clients WHERE record_number GLOB 'C-[0-9]*'",
        [],
        |r| r.get(0),
    )?;
    let mut n = highest + 1;
    loop {
        let candidate = format!("C-{n:06}");
        let taken: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM clients WHERE record_number = ?1)",
            [&candidate],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(candidate);
        }
        n += 1;
    }
}

fn status_of(text: &str) -> ClientStatus {
    // The CHECK constraint admits only known statuses; anything else would be
    // a hand-edited file, read as the least committal status.
    ClientStatus::from_db(text).unwrap_or(ClientStatus::Prospect)
}

fn row_to_client(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: r.get(0)?,
        record_number: r.get(1)?,
        legal_first_name: r.get(2)?,
        legal_last_name: r.get(3)?,
        preferred_name: r.get(4)?,
        pronouns: r.get(5)?,
        date_of_birth: r.get(6)?,
        phone: r.get(7)?,
        email: r.get(8)?,
        emergency_name: r.get(9)?,
        emergency_phone: r.get(10)?,
        status: status_of(&r.get::<_, String>(11)?),
    })
}

/// Columns: id, record_number, legal_first_name, legal_last_name,
/// preferred_name, date_of_birth, status.
fn row_to_summary(r: &Row<'_>) -> rusqlite::Result<ClientSummary> {
    let first: String = r.get(2)?;
    let last: String = r.get(3)?;
    let preferred: Option<String> = r.get(4)?;
    Ok(summarise(
        r.get(0)?,
        r.get(1)?,
        &first,
        &last,
        preferred.as_deref(),
        r.get(5)?,
        status_of(&r.get::<_, String>(6)?),
    ))
}

fn summary_of(c: &Client) -> ClientSummary {
    summarise(
        c.id,
        c.record_number.clone(),
        &c.legal_first_name,
        &c.legal_last_name,
        c.preferred_name.as_deref(),
        c.date_of_birth.clone(),
        c.status,
    )
}

fn summarise(
    id: i64,
    record_number: String,
    first: &str,
    last: &str,
    preferred: Option<&str>,
    date_of_birth: Option<String>,
    status: ClientStatus,
) -> ClientSummary {
    ClientSummary {
        id,
        record_number,
        display_name: format!("{} {last}", preferred.unwrap_or(first)),
        legal_name: format!("{first} {last}"),
        date_of_birth,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Result<chrono::NaiveDate> {
        Ok(chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap())
    }

    fn input() -> ClientInput {
        ClientInput {
            legal_first_name: "Zoë".into(),
            legal_last_name: "Martin".into(),
            ..Default::default()
        }
    }

    fn field_of(input: ClientInput) -> Option<String> {
        validate(&input, today)
            .err()
            .and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn fold_drops_case_and_diacritics() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("JOSÉ"), "jose");
        assert_eq!(fold("Ñúñez-Ávila"), "nunez-avila");
        assert_eq!(fold("İpek"), "ipek");
        assert_eq!(fold("O’Brien"), "o'brien");
        // Already decomposed input folds the same.
        assert_eq!(fold("Zoe\u{0308}"), "zoe");
    }

    #[test]
    fn search_key_joins_legal_and_preferred_names() {
        assert_eq!(
            search_key("José", "Ávila  Cruz", Some("Pepe")),
            "jose avila cruz pepe"
        );
        assert_eq!(search_key("Zoë", "Martin", None), "zoe martin");
    }

    #[test]
    fn empty_optionals_become_none_and_text_is_trimmed() {
        let clean = validate(
            &ClientInput {
                legal_first_name: "  Zoë ".into(),
                preferred_name: Some("   ".into()),
                phone: Some("".into()),
                ..input()
            },
            today,
        )
        .unwrap();
        assert_eq!(clean.legal_first_name, "Zoë");
        assert_eq!(clean.preferred_name, None);
        assert_eq!(clean.phone, None);
    }

    #[test]
    fn each_rule_names_its_field() {
        let long = |n: usize| "x".repeat(n);
        let cases = [
            (
                ClientInput {
                    legal_first_name: " ".into(),
                    ..input()
                },
                "legalFirstName",
            ),
            (
                ClientInput {
                    legal_first_name: long(101),
                    ..input()
                },
                "legalFirstName",
            ),
            (
                ClientInput {
                    legal_last_name: "".into(),
                    ..input()
                },
                "legalLastName",
            ),
            (
                ClientInput {
                    legal_last_name: "A\nB".into(),
                    ..input()
                },
                "legalLastName",
            ),
            (
                ClientInput {
                    preferred_name: Some(long(61)),
                    ..input()
                },
                "preferredName",
            ),
            (
                ClientInput {
                    pronouns: Some(long(61)),
                    ..input()
                },
                "pronouns",
            ),
            (
                ClientInput {
                    date_of_birth: Some("3/4/1990".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("1990-02-30".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("+1990-02-03".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("2026-03-04".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    date_of_birth: Some("1899-12-31".into()),
                    ..input()
                },
                "dateOfBirth",
            ),
            (
                ClientInput {
                    phone: Some("555 CALL NOW".into()),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    phone: Some("+-()".into()),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    phone: Some("1".repeat(31)),
                    ..input()
                },
                "phone",
            ),
            (
                ClientInput {
                    email: Some("zoe.example.com".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("@example.com".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("zoe@".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    email: Some("zoe@a@b".into()),
                    ..input()
                },
                "email",
            ),
            (
                ClientInput {
                    emergency_name: Some(long(101)),
                    ..input()
                },
                "emergencyName",
            ),
            (
                ClientInput {
                    emergency_phone: Some("ask".into()),
                    ..input()
                },
                "emergencyPhone",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(field_of(case.clone()).as_deref(), Some(field), "{field}");
        }
    }

    #[test]
    fn boundaries_are_accepted() {
        let ok = ClientInput {
            legal_first_name: "é".repeat(100),
            preferred_name: Some("x".repeat(60)),
            date_of_birth: Some("2026-03-03".into()),
            phone: Some("+44 (0)20 7946-0000".into()),
            email: Some("zoe@example.com".into()),
            ..input()
        };
        assert!(validate(&ok, today).is_ok());
        let oldest = ClientInput {
            date_of_birth: Some("1900-01-01".into()),
            ..input()
        };
        assert!(validate(&oldest, today).is_ok());
    }

    #[test]
    fn debug_prints_no_names() {
        let client = Client {
            id: 7,
            record_number: "C-000007".into(),
            legal_first_name: "Zoë".into(),
            legal_last_name: "Martin".into(),
            preferred_name: None,
            pronouns: None,
            date_of_birth: Some("1990-01-01".into()),
            phone: None,
            email: None,
            emergency_name: None,
            emergency_phone: None,
            status: ClientStatus::Active,
        };
        let printed = format!("{client:?} {:?} {:?}", summary_of(&client), input());
        assert!(!printed.contains("Zo"), "{printed}");
        assert!(!printed.contains("Martin"), "{printed}");
        assert!(!printed.contains("1990"), "{printed}");
    }
}
