//! Many clients at once, for the import: each row checked by the same rules
//! as the client form, compared by the same duplicate rule, and written in
//! the caller's transaction.

use rusqlite::Connection;

use super::model::{ClientInput, ClientSummary};
use super::store::{insert, possible_duplicates, NameFields};
use super::validation::{validate, Clean};
use crate::error::Result;

/// A row that passed the client form's checks.
pub struct CheckedClient(Clean);

impl CheckedClient {
    /// The form's checks, field by field; `today` in the practice's zone.
    pub fn check(input: &ClientInput, today: chrono::NaiveDate) -> Result<Self> {
        validate(input, || Ok(today)).map(CheckedClient)
    }

    /// Existing clients the client form would warn about.
    pub fn existing_duplicates(&self, conn: &Connection) -> Result<Vec<ClientSummary>> {
        possible_duplicates(conn, &self.0)
    }

    /// The client form's duplicate rule between two rows of one file: the
    /// same date of birth (both given) and names that look alike.
    pub fn looks_like(&self, other: &CheckedClient) -> bool {
        match (&self.0.date_of_birth, &other.0.date_of_birth) {
            (Some(a), Some(b)) if a == b => {
                NameFields::of_clean(&self.0).looks_alike(&NameFields::of_clean(&other.0))
            }
            _ => false,
        }
    }

    /// The date of birth, "YYYY-MM-DD", if given.
    pub fn date_of_birth(&self) -> Option<&str> {
        self.0.date_of_birth.as_deref()
    }

    /// The name the practice will call them by, for the import's report.
    pub fn display_name(&self) -> String {
        crate::names::everyday_name(
            self.0
                .preferred_name
                .as_deref()
                .unwrap_or(&self.0.legal_first_name),
            &self.0.legal_last_name,
            self.0.name_order,
        )
    }

    /// Writes the client with the next record number; returns its id. The
    /// caller holds the write transaction and audits.
    pub(crate) fn insert(&self, conn: &Connection) -> Result<i64> {
        insert(conn, &self.0)
    }
}
