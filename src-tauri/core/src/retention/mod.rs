//! Letting go: how long client records are kept, and which are due for
//! review. (The purge itself is issue 17's next step.)
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

/// Clients whose records are due, oldest due first. Owner and manager.
pub fn due(signed_in: &SignedIn) -> Result<Vec<DueRecord>> {
    signed_in.require(Capability::Administer)?;
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
        let last_contact = contacts
            .iter()
            .flatten()
            .chain(std::iter::once(&created_at))
            .filter_map(|t| local_date(t))
            .max();
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
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RetentionReviewed)
            .detail(format!("due={}", due.len())),
    )?;
    Ok(due)
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
