//! The `clients` table: rows, record numbers, duplicates and the folded search key.

use rusqlite::{Connection, OptionalExtension, Row};

use super::model::*;
use super::validation::Clean;
use crate::error::{Error, Result};
use crate::names::name_key;

pub(super) const CLIENT_COLUMNS: &str =
    "id, record_number, legal_first_name, legal_last_name, preferred_name,
     pronouns, date_of_birth, phone, email, emergency_name, emergency_phone, status,
     (SELECT max(e.discharged_on) FROM enrollments e
       WHERE e.client_id = clients.id AND clients.status = 'discharged') AS discharged_on,
     middle_name, name_order";

/// The columns [`row_to_summary`] reads, in its order.
pub(super) const SUMMARY_COLUMNS: &str =
    "id, record_number, legal_first_name, legal_last_name, preferred_name,
     date_of_birth, status, middle_name, name_order";

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
/// preferred, on either side). A family-first name typed into the fields the
/// other way round ("Nguyễn" as the first name, "Minh" as the last) is caught
/// too: the same date of birth with the legal first and last names swapped.
pub(super) fn possible_duplicates(conn: &Connection, new: &Clean) -> Result<Vec<ClientSummary>> {
    let Some(dob) = new.date_of_birth.as_deref() else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CLIENT_COLUMNS} FROM clients WHERE date_of_birth = ?1 ORDER BY id"
    ))?;
    let candidates = stmt
        .query_map([dob], row_to_client)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let new_names = NameFields::of_clean(new);
    Ok(candidates
        .into_iter()
        .filter(|c| {
            new_names.looks_alike(&NameFields {
                first: &c.legal_first_name,
                preferred: c.preferred_name.as_deref(),
                last: &c.legal_last_name,
            })
        })
        .map(|c| summary_of(&c))
        .collect())
}

/// The names the duplicate rule compares.
pub(super) struct NameFields<'a> {
    pub first: &'a str,
    pub preferred: Option<&'a str>,
    pub last: &'a str,
}

impl<'a> NameFields<'a> {
    pub(super) fn of_clean(clean: &'a Clean) -> Self {
        NameFields {
            first: &clean.legal_first_name,
            preferred: clean.preferred_name.as_deref(),
            last: &clean.legal_last_name,
        }
    }

    /// The same folded legal last name and a folded first name in common
    /// (legal or preferred, on either side), or first and last swapped.
    /// Dates of birth are compared by the caller.
    pub(super) fn looks_alike(&self, other: &NameFields<'_>) -> bool {
        let firsts = |n: &NameFields<'_>| -> Vec<String> {
            [Some(n.first), n.preferred]
                .into_iter()
                .flatten()
                .map(name_key)
                .collect()
        };
        let mine = firsts(self);
        let same_order = name_key(self.last) == name_key(other.last)
            && firsts(other).iter().any(|f| mine.contains(f));
        let swapped = name_key(self.first) == name_key(other.last)
            && name_key(self.last) == name_key(other.first);
        same_order || swapped
    }
}

/// Writes a checked client with the next record number; returns its id.
/// The caller holds the write transaction and audits.
pub(super) fn insert(conn: &Connection, clean: &Clean) -> Result<i64> {
    let record_number = next_record_number(conn)?;
    let now = crate::clock::now_text();
    conn.prepare_cached(
        "INSERT INTO clients (record_number, legal_first_name, legal_last_name, preferred_name,
             pronouns, date_of_birth, phone, email, emergency_name, emergency_phone, status,
             search_key, created_at, updated_at, middle_name, name_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15)",
    )?
    .execute(rusqlite::params![
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
        clean.middle_name,
        clean.name_order,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// "C-000001", one more than the highest so far.
pub(super) fn next_record_number(conn: &Connection) -> Result<String> {
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

pub(super) fn status_of(text: &str) -> ClientStatus {
    // The CHECK constraint admits only known statuses; anything else would be
    // a hand-edited file, read as the least committal status.
    ClientStatus::from_db(text).unwrap_or(ClientStatus::Prospect)
}

pub(super) fn order_of(text: Option<String>) -> NameOrder {
    // The CHECK constraint admits only known orders; anything else would be
    // a hand-edited file, read as the usual order.
    text.as_deref()
        .and_then(NameOrder::from_db)
        .unwrap_or_default()
}

/// A client's name fields, as stored.
pub(super) struct Names<'a> {
    pub first: &'a str,
    pub middle: Option<&'a str>,
    pub last: &'a str,
    pub preferred: Option<&'a str>,
    pub order: NameOrder,
}

impl Names<'_> {
    /// The name the practice calls a client by: preferred, else legal first.
    /// (Stored preferred names are trimmed, and empty ones are stored as none.)
    pub fn first_name(&self) -> String {
        self.preferred.unwrap_or(self.first).to_owned()
    }

    /// The everyday name: [`Names::first_name`] and the legal last name, in
    /// the client's order ("Minh Nguyễn" or "Nguyễn Minh"); no middle name.
    pub fn display_name(&self) -> String {
        crate::names::everyday_name(&self.first_name(), self.last, self.order)
    }

    /// The full legal name, middle name included, in the client's order.
    pub fn legal_name(&self) -> String {
        crate::names::full_name(self.first, self.middle, self.last, self.order)
    }
}

pub(super) fn row_to_client(r: &Row<'_>) -> rusqlite::Result<Client> {
    let first: String = r.get(2)?;
    let last: String = r.get(3)?;
    let preferred: Option<String> = r.get(4)?;
    let middle: Option<String> = r.get(13)?;
    let order = order_of(r.get(14)?);
    let names = Names {
        first: &first,
        middle: middle.as_deref(),
        last: &last,
        preferred: preferred.as_deref(),
        order,
    };
    Ok(Client {
        id: r.get(0)?,
        record_number: r.get(1)?,
        first_name: names.first_name(),
        display_name: names.display_name(),
        legal_name: names.legal_name(),
        legal_first_name: first,
        middle_name: middle,
        legal_last_name: last,
        preferred_name: preferred,
        name_order: order,
        pronouns: r.get(5)?,
        date_of_birth: r.get(6)?,
        phone: r.get(7)?,
        email: r.get(8)?,
        emergency_name: r.get(9)?,
        emergency_phone: r.get(10)?,
        status: status_of(&r.get::<_, String>(11)?),
        discharged_on: r.get(12)?,
    })
}

/// Reads [`SUMMARY_COLUMNS`]; also returns the row's sort key
/// ([`crate::names::sort_key`]).
pub(super) fn row_to_summary(
    r: &Row<'_>,
) -> rusqlite::Result<((String, String, String), ClientSummary)> {
    let first: String = r.get(2)?;
    let last: String = r.get(3)?;
    let preferred: Option<String> = r.get(4)?;
    let middle: Option<String> = r.get(7)?;
    let names = Names {
        first: &first,
        middle: middle.as_deref(),
        last: &last,
        preferred: preferred.as_deref(),
        order: order_of(r.get(8)?),
    };
    Ok((
        crate::names::sort_key(&first, middle.as_deref(), &last),
        summarise(
            r.get(0)?,
            r.get(1)?,
            &names,
            r.get(5)?,
            status_of(&r.get::<_, String>(6)?),
        ),
    ))
}

pub(crate) fn summary_of(c: &Client) -> ClientSummary {
    summarise(
        c.id,
        c.record_number.clone(),
        &Names {
            first: &c.legal_first_name,
            middle: c.middle_name.as_deref(),
            last: &c.legal_last_name,
            preferred: c.preferred_name.as_deref(),
            order: c.name_order,
        },
        c.date_of_birth.clone(),
        c.status,
    )
}

fn summarise(
    id: i64,
    record_number: String,
    names: &Names<'_>,
    date_of_birth: Option<String>,
    status: ClientStatus,
) -> ClientSummary {
    ClientSummary {
        id,
        record_number,
        display_name: names.display_name(),
        legal_name: names.legal_name(),
        date_of_birth,
        status,
    }
}

/// Brings every stored `search_key` up to the current folding rules (a
/// vault from before transliteration, say). Cheap enough to run at every
/// sign-in; writes only the rows that differ, in one transaction.
pub(crate) fn refresh_search_keys(conn: &Connection) -> Result<usize> {
    type KeyRow = (i64, String, Option<String>, String, Option<String>, String);
    let rows: Vec<KeyRow> = conn
        .prepare(
            "SELECT id, legal_first_name, middle_name, legal_last_name, preferred_name, search_key
             FROM clients",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let stale: Vec<(i64, String)> = rows
        .into_iter()
        .filter_map(|(id, first, middle, last, preferred, stored)| {
            let key =
                crate::names::search_key(&first, middle.as_deref(), &last, preferred.as_deref());
            (key != stored).then_some((id, key))
        })
        .collect();
    if stale.is_empty() {
        return Ok(0);
    }
    let tx = crate::vault::db::write_transaction(conn)?;
    for (id, key) in &stale {
        tx.execute(
            "UPDATE clients SET search_key = ?1 WHERE id = ?2",
            rusqlite::params![key, id],
        )?;
    }
    tx.commit()?;
    Ok(stale.len())
}

/// A retention purge: the client's row goes, after everything that refers
/// to it. The caller holds the transaction.
pub(crate) fn forget(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM clients WHERE id = ?1", [id])?;
    Ok(())
}
