//! Letting go: how long client records are kept, which are due for review,
//! and the purge that destroys them for good.
//!
//! A record is due once the period after the client's last contact — a
//! session they were booked into, an appointment, a discharge, or the day
//! they were added when there is nothing else — has passed; for a client who
//! was a minor at that contact, not before the period after their 18th
//! birthday either. A client still in care (an open enrollment, or an
//! appointment to come) is never due. Everything here reads practice.db
//! only, so the practice manager, who cannot read notes, can review it.

use chrono::{Months, NaiveDate};
use rusqlite::params;

use crate::audit::{Action, Event};
use crate::clients::ClientSummary;
use crate::clock;
use crate::error::{Error, Result};
use crate::roles::{Capability, Role};
use crate::signed_in::SignedIn;

/// The practice's retention periods, in years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RetentionSettings {
    /// After the last contact (default 7).
    pub years_after_contact: u32,
    /// For a minor at their last contact: after they turn 18 (default 3).
    pub years_after_majority: u32,
}

/// A client whose record is due for review.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DueRecord {
    pub client: ClientSummary,
    /// "YYYY-MM-DD", in the practice's zone.
    pub last_contact: String,
    /// The day the record became due.
    pub due_on: String,
    /// Under 18 at the last contact (the longer rule applied).
    pub minor_at_last_contact: bool,
}

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    /// The record numbers of the clients purged.
    pub purged: Vec<String>,
    /// Signed notes of shared sessions whose shared part now names a
    /// purged member by a label.
    pub notes_relabelled: u32,
}

/// Owner and manager read the periods.
pub fn settings(signed_in: &SignedIn) -> Result<RetentionSettings> {
    signed_in.require(Capability::Administer)?;
    read(signed_in)
}

fn read(signed_in: &SignedIn) -> Result<RetentionSettings> {
    Ok(signed_in.conn().query_row(
        "SELECT years_after_contact, years_after_majority FROM retention_settings WHERE id = 1",
        [],
        |r| {
            Ok(RetentionSettings {
                years_after_contact: r.get(0)?,
                years_after_majority: r.get(1)?,
            })
        },
    )?)
}

/// Only the owner sets the periods (local law decides them).
pub fn set_settings(signed_in: &SignedIn, periods: RetentionSettings) -> Result<RetentionSettings> {
    signed_in.require(Capability::Administer)?;
    if signed_in.actor().role != Role::Owner {
        return Err(Error::Forbidden);
    }
    if !(1..=100).contains(&periods.years_after_contact) {
        return Err(Error::invalid(
            "yearsAfterContact",
            "Choose between 1 and 100 years.",
        ));
    }
    if periods.years_after_majority > 100 {
        return Err(Error::invalid(
            "yearsAfterMajority",
            "Choose between 0 and 100 years.",
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE retention_settings SET years_after_contact = ?1, years_after_majority = ?2, changed_at = ?3 WHERE id = 1",
        params![periods.years_after_contact, periods.years_after_majority, clock::now_text()],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged).detail(format!(
            "retention_years={} retention_minor_years={}",
            periods.years_after_contact, periods.years_after_majority
        )),
    )?;
    tx.commit()?;
    read(signed_in)
}

/// `date` plus `years` (chrono's calendar: 29 February plus a year is
/// 28 February); `None` past the calendar's end.
fn plus_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// The due day for a last contact, and whether the minor rule applied.
pub fn due_on(
    periods: RetentionSettings,
    last_contact: NaiveDate,
    date_of_birth: Option<NaiveDate>,
) -> Option<(NaiveDate, bool)> {
    let after_contact = plus_years(last_contact, periods.years_after_contact)?;
    match date_of_birth.and_then(|dob| plus_years(dob, 18)) {
        Some(adult) if adult > last_contact => {
            let after_majority = plus_years(adult, periods.years_after_majority)?;
            Some((after_contact.max(after_majority), true))
        }
        _ => Some((after_contact, false)),
    }
}

/// Clients whose records are due, oldest due first. Owner and manager;
/// audited as a review.
pub fn due(signed_in: &SignedIn) -> Result<Vec<DueRecord>> {
    signed_in.require(Capability::Administer)?;
    let due = due_records(signed_in)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RetentionReviewed)
            .detail(format!("due={}", due.len())),
    )?;
    Ok(due)
}

/// The due list, unaudited: [`purge`] checks its clients against it, and a
/// purge refused writes nothing, not even a review row (found by the fuzz
/// suite at stress size).
fn due_records(signed_in: &SignedIn) -> Result<Vec<DueRecord>> {
    let periods = read(signed_in)?;
    let conn = signed_in.conn();
    let tz = clock::practice_zone(conn)?;
    let today = clock::today_in(tz);
    let now = clock::now_text();
    let mut stmt = conn.prepare(
        "SELECT c.id, c.date_of_birth, c.created_at,
            (SELECT max(s.starts_at) FROM session_members m JOIN sessions s ON s.id = m.session_id
              WHERE m.client_id = c.id AND s.status = 'scheduled' AND s.starts_at <= ?1),
            (SELECT max(s.starts_at) FROM attendance t JOIN sessions s ON s.id = t.session_id
              WHERE t.client_id = c.id AND s.starts_at <= ?1),
            (SELECT max(a.starts_at) FROM appointments a
              WHERE a.client_id = c.id AND a.status = 'scheduled' AND a.starts_at <= ?1),
            (SELECT max(e.discharged_on) FROM enrollments e WHERE e.client_id = c.id)
         FROM clients c
         WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.client_id = c.id AND e.status <> 'discharged')
           AND NOT EXISTS (SELECT 1 FROM appointments a
                            WHERE a.client_id = c.id AND a.status = 'scheduled' AND a.starts_at > ?1)",
    )?;
    type Row = (i64, Option<String>, String, [Option<String>; 4]);
    let rows: Vec<Row> = stmt
        .query_map([&now], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let local_date = |text: &str| -> Option<NaiveDate> {
        match clock::parse_instant(text) {
            Ok(at) => Some(clock::local_date_of(tz, at)),
            // A discharge is already a local date.
            Err(_) => clock::read_date(text).ok(),
        }
    };
    let mut due = Vec::new();
    for (id, dob, created_at, contacts) in rows {
        // The day they were added counts only when nothing else does: an
        // imported client's history is older than their row.
        let last_contact = contacts
            .iter()
            .flatten()
            .filter_map(|t| local_date(t))
            .max()
            .or_else(|| local_date(&created_at));
        let Some(last_contact) = last_contact else {
            continue;
        };
        let dob = dob.as_deref().and_then(|d| clock::read_date(d).ok());
        let Some((due_on, minor)) = due_on(periods, last_contact, dob) else {
            continue;
        };
        if due_on <= today {
            let client = crate::clients::by_id(conn, id)?;
            due.push(DueRecord {
                client: crate::clients::summary_of(&client),
                last_contact: clock::format_date(last_contact),
                due_on: clock::format_date(due_on),
                minor_at_last_contact: minor,
            });
        }
    }
    due.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.client.id.cmp(&b.client.id)));
    Ok(due)
}

/// Purges the clients for good. `typed_count` is the number the person
/// typed to confirm: it must equal the number of clients. Only someone who
/// administers the practice and holds the clinical key (the owner) may, and
/// only clients on the due list.
///
/// Each client: clinical.db first (their notes, goals, private notes,
/// consents and disclosures; the trail and the one audit row, see
/// `notes::purge`), then practice.db (bookings, enrollments, the client
/// row). A stop between the two leaves the client on the due list with
/// nothing clinical left; purging them again finishes it. Then both
/// databases are compacted (VACUUM), so the pages are gone from the files.
/// Backups made before still hold the records until they rotate out.
pub fn purge(signed_in: &SignedIn, client_ids: &[i64], typed_count: u32) -> Result<PurgeReport> {
    signed_in.require(Capability::Administer)?;
    if !signed_in.has_clinical_access() {
        return Err(Error::ForbiddenBecause {
            reason: "Purging removes notes too, so it needs someone who holds the clinical key: the owner.",
        });
    }
    if client_ids.is_empty() {
        return Err(Error::invalid("clientIds", "Choose the records to purge."));
    }
    crate::limits::at_most("clientIds", client_ids, crate::limits::PURGE, "records")?;
    if usize::try_from(typed_count).ok() != Some(client_ids.len()) {
        return Err(Error::invalid(
            "typedCount",
            format!(
                "Type {} to confirm: the number of records to purge.",
                client_ids.len()
            ),
        ));
    }
    let due_now: std::collections::HashSet<i64> = due_records(signed_in)?
        .into_iter()
        .map(|d| d.client.id)
        .collect();
    if let Some(&not_due) = client_ids.iter().find(|id| !due_now.contains(id)) {
        let which = crate::clients::by_id(signed_in.conn(), not_due)
            .map(|c| c.record_number)
            .unwrap_or_else(|_| "One of them".into());
        return Err(Error::invalid(
            "clientIds",
            format!("{which} is not due for purging. Only records on the list can be purged."),
        ));
    }
    let conn = signed_in.conn();
    let actor = signed_in.actor().staff_id;
    let mut report = PurgeReport {
        purged: Vec::new(),
        notes_relabelled: 0,
    };
    for &id in client_ids {
        let client = crate::clients::by_id(conn, id)?;
        let purged = crate::notes::purge::PurgedClient {
            id,
            record_number: client.record_number.clone(),
            names: crate::notes::redaction::RosterMember {
                client_id: id,
                legal_first_name: client.legal_first_name.clone(),
                legal_last_name: client.legal_last_name.clone(),
                preferred_name: client.preferred_name.clone(),
                middle_name: client.middle_name.clone(),
                name_order: client.name_order,
            },
            sessions: crate::schedule::sessions_of_client(conn, id)?,
        };
        let tx = signed_in.clinical_write()?;
        let clinical = crate::notes::purge::purge_client(&tx, actor, &purged)?;
        tx.commit()?;
        let tx = crate::vault::db::write_transaction(conn)?;
        crate::schedule::forget_client(&tx, id)?;
        crate::groups::forget_client(&tx, id)?;
        crate::clients::forget(&tx, id)?;
        tx.commit()?;
        report.purged.push(client.record_number);
        report.notes_relabelled += clinical.notes_relabelled;
    }
    // The freed pages out of both files, not only unlinked.
    conn.execute_batch("VACUUM main; VACUUM clinical;")?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const DEFAULTS: RetentionSettings = RetentionSettings {
        years_after_contact: 7,
        years_after_majority: 3,
    };

    #[test]
    fn an_adult_is_due_seven_years_after_the_last_contact() {
        assert_eq!(
            due_on(DEFAULTS, d("2019-03-31"), Some(d("1980-01-01"))),
            Some((d("2026-03-31"), false))
        );
        assert_eq!(
            due_on(DEFAULTS, d("2020-02-29"), None),
            Some((d("2027-02-28"), false))
        );
    }

    #[test]
    fn a_minor_is_due_no_sooner_than_three_years_after_turning_18() {
        // Seen last at 10: seven years later they are 17; due at 21.
        assert_eq!(
            due_on(DEFAULTS, d("2020-06-01"), Some(d("2010-01-15"))),
            Some((d("2031-01-15"), true))
        );
        // Seen last at 17: seven years after the contact is later than 21.
        assert_eq!(
            due_on(DEFAULTS, d("2027-06-01"), Some(d("2010-01-15"))),
            Some((d("2034-06-01"), true))
        );
    }
}
