//! The client services: create, edit, open and search, each checked and audited.

use rusqlite::{params, params_from_iter};

use super::model::*;
use super::store::{by_id, insert, possible_duplicates, row_to_summary, SUMMARY_COLUMNS};
use super::validation::{practice_today, validate};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::names::{fold, name_key};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

/// Saves a new client. Unless `confirm_possible_duplicate`, a client with the
/// same folded name (legal or preferred first name, and legal last name) and
/// the same date of birth makes this return [`Created::PossibleDuplicate`]
/// and save nothing.
pub fn create(
    signed_in: &SignedIn,
    input: ClientInput,
    confirm_possible_duplicate: bool,
) -> Result<Created> {
    signed_in.require(Capability::Scheduling)?;
    let clean = validate(&input, || practice_today(signed_in))?;

    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    if !confirm_possible_duplicate {
        let existing = possible_duplicates(&tx, &clean)?;
        if !existing.is_empty() {
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(Created::PossibleDuplicate { existing });
        }
    }
    let id = insert(&tx, &clean)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientCreated)
            .on("client", id)
            .detail(format!("status={}", clean.status.as_db())),
    )?;
    tx.commit()?;
    Ok(Created::Client {
        client: Box::new(by_id(signed_in.conn(), id)?),
    })
}

/// Saves an edit of every editable field. The record number never changes.
/// Sets a client's status from their enrollments, inside the roster write's
/// transaction: active while enrolled or waiting in any group, discharged
/// once the last enrollment is discharged. A client with no enrollment keeps
/// whatever the front desk chose, and the form can still override it until
/// the roster next changes. Audited (ids and the status only) when it changed.
pub(crate) fn follow_roster(
    signed_in: &SignedIn,
    conn: &rusqlite::Connection,
    client_id: i64,
) -> Result<()> {
    let (open, any): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(status <> 'discharged'), 0), count(*)
         FROM enrollments WHERE client_id = ?1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let status = match (open, any) {
        (0, 0) => return Ok(()),
        (0, _) => ClientStatus::Discharged,
        _ => ClientStatus::Active,
    };
    let changed = conn.execute(
        "UPDATE clients SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status <> ?2",
        params![client_id, status.as_db(), crate::clock::now_text()],
    )?;
    if changed > 0 {
        signed_in.audit(
            Event::new(Some(signed_in.actor().staff_id), Action::ClientUpdated)
                .on("client", client_id)
                .detail(format!("fields=status status={} by=roster", status.as_db())),
        )?;
    }
    Ok(())
}

/// The audit row names the fields that changed, not their values.
pub fn update(signed_in: &SignedIn, id: i64, input: ClientInput) -> Result<Client> {
    signed_in.require(Capability::Scheduling)?;
    let before = by_id(signed_in.conn(), id)?;
    let clean = validate(&input, || practice_today(signed_in))?;
    let changed = clean.changed_fields(&before);
    if changed.is_empty() {
        return Ok(before);
    }

    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE clients SET legal_first_name = ?2, legal_last_name = ?3, preferred_name = ?4,
             pronouns = ?5, date_of_birth = ?6, phone = ?7, email = ?8, emergency_name = ?9,
             emergency_phone = ?10, status = ?11, search_key = ?12, updated_at = ?13,
             middle_name = ?14, name_order = ?15
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
            crate::clock::now_text(),
            clean.middle_name,
            clean.name_order,
        ],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientUpdated)
            .on("client", id)
            .detail(format!("fields={}", changed.join(","))),
    )?;
    tx.commit()?;
    by_id(signed_in.conn(), id)
}

/// Opens a client's demographics (audited as a view).
pub fn get(signed_in: &SignedIn, id: i64) -> Result<Client> {
    signed_in.require(Capability::Scheduling)?;
    let client = by_id(signed_in.conn(), id)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientViewed).on("client", id),
    )?;
    Ok(client)
}

/// Clients whose legal, middle or preferred name contains every word of
/// `query` (folded, in any order: "zoe mart" finds Zoë Martin, "thi" finds
/// Nguyễn Thị Minh). A word with a digit in it also matches record numbers
/// ("000123" finds C-000123). An empty query lists everyone. Ordered by
/// [`crate::names::sort_key`]: family (legal last) name, then given, then
/// middle name, all folded, whatever order the name is written in; `limit`
/// is at most [`MAX_PAGE`]. Audited once per call, without
/// the query.
pub fn search(
    signed_in: &SignedIn,
    query: &str,
    status: Option<ClientStatus>,
    offset: u32,
    limit: u32,
) -> Result<ClientPage> {
    signed_in.require(Capability::Scheduling)?;
    // Names compare as their keys (no apostrophes, hyphens as spaces: the
    // stored search_key is built the same way); a word with a digit may be
    // a record number ("C-000123") and is kept whole.
    let mut terms: Vec<String> = Vec::new();
    for word in fold(query).split_whitespace() {
        let parts = if word.chars().any(|c| c.is_ascii_digit()) {
            vec![word.to_owned()]
        } else {
            name_key(word).split(' ').map(str::to_owned).collect()
        };
        for term in parts {
            if !term.is_empty() && !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
    if terms.len() > MAX_SEARCH_TERMS {
        return Err(Error::invalid(
            "query",
            format!("Search with fewer words (at most {MAX_SEARCH_TERMS})."),
        ));
    }

    let mut sql =
        format!("SELECT {SUMMARY_COLUMNS} FROM clients WHERE (?1 IS NULL OR status = ?1)");
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
        let mut stmt = signed_in.conn().prepare(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(values), row_to_summary)?
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

    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientsSearched)
            .detail(format!("total={total}")),
    )?;
    Ok(ClientPage { items, total })
}
