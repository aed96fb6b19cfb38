//! Moving in: a practice's client list from a spreadsheet or another
//! system's CSV export.
//!
//! [`read_table`] reads the file (encoding and separator detected),
//! [`preview`] checks every row as the client form would and reports what
//! an import would do — rows refused by line, field and reason, likely
//! duplicates of existing clients and of earlier rows — and [`import`]
//! writes the rows that passed in one transaction: all or none, audited as
//! one event with the count. Nothing here reads or writes clinical.db:
//! notes are never imported.

mod columns;
mod dates;
mod decode;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use columns::{ImportField, LeftOut};
pub use dates::{DateOrder, OrderFound};
pub use decode::{read_table, Table, MAX_FILE_BYTES};

use crate::audit::{Action, Event};
use crate::clients::{CheckedClient, ClientInput, ClientStatus, ClientSummary};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// What the person chose in the preview (or on the command line).
#[derive(Debug, Clone, Default, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportChoices {
    /// One entry per column of the file: the field it fills, or none. When
    /// absent, the guess from the headers.
    pub columns: Option<Vec<Option<ImportField>>>,
    /// How to read dates written with slashes, when the file leaves it open.
    pub date_order: Option<DateOrder>,
    /// Lines flagged as likely duplicates to import all the same.
    pub import_anyway: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportColumn {
    pub header: String,
    pub field: Option<ImportField>,
    /// Why the column is left out, when Circle recognised what it holds.
    pub left_out: Option<LeftOut>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub line: u32,
    /// One per column; a notes column's cells are not shown.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RejectedRow {
    pub line: u32,
    /// The column's header in the file (the client form's field when no
    /// column fills it).
    pub column: String,
    pub field: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateRow {
    pub line: u32,
    pub name: String,
    pub date_of_birth: String,
    /// Existing clients it may be.
    pub existing: Vec<ClientSummary>,
    /// Earlier lines of the same file it may be.
    pub earlier_lines: Vec<u32>,
    /// Whether it will be imported all the same.
    pub importing: bool,
}

use serde::Serialize;

/// What an import did, or (from [`preview`]) would do.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// "UTF-8", "UTF-16" or "Windows-1252".
    pub encoding: String,
    /// "commas", "semicolons" or "tabs".
    pub separator: String,
    /// A known export recognised by its headers.
    pub layout: Option<String>,
    pub columns: Vec<ImportColumn>,
    /// Fields a client needs that no column fills yet (legal first and last
    /// name): rows are checked once they are chosen.
    pub missing: Vec<ImportField>,
    pub preview: Vec<PreviewRow>,
    /// What the file's dates say about day/month order.
    pub dates_found: OrderFound,
    /// The order used: evident from the file, or chosen.
    pub date_order: Option<DateOrder>,
    pub rows: u32,
    /// Rows that pass and will be imported (duplicates chosen included).
    pub ready: u32,
    pub rejected: Vec<RejectedRow>,
    pub duplicates: Vec<DuplicateRow>,
    /// Clients written: 0 for a preview.
    pub imported: u32,
}

/// A row checked, and whether it is written.
struct Planned {
    line: u32,
    client: CheckedClient,
    skipped_as_duplicate: bool,
}

/// Checks every row; writes nothing.
pub fn preview(
    signed_in: &SignedIn,
    table: &Table,
    choices: &ImportChoices,
) -> Result<ImportReport> {
    signed_in.require(Capability::Scheduling)?;
    let (report, _) = plan(signed_in, table, choices)?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::ClientsImportChecked,
        )
        .detail(format!("rows={} ready={}", report.rows, report.ready)),
    )?;
    Ok(report)
}

/// Checks every row and writes those ready, in one transaction: all of
/// them or, on any failure, none.
pub fn import(
    signed_in: &SignedIn,
    table: &Table,
    choices: &ImportChoices,
) -> Result<ImportReport> {
    signed_in.require(Capability::Scheduling)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    let (mut report, planned) = plan(signed_in, table, choices)?;
    if let Some(&needed) = report.missing.first() {
        return Err(Error::invalid(
            "columns",
            format!("Choose the column that holds the {}.", field_words(needed)),
        ));
    }
    if report.dates_found == OrderFound::Ask && report.date_order.is_none() {
        return Err(Error::invalid(
            "dateOrder",
            "Some dates of birth could be day/month or month/day. Choose how this file writes them.",
        ));
    }
    let mut written = 0u32;
    for row in planned.iter().filter(|p| !p.skipped_as_duplicate) {
        row.client.insert(&tx).map_err(|e| match e {
            Error::Invalid { .. } | Error::Conflict { .. } => e,
            other => Error::invalid(
                "file",
                format!(
                    "Line {} could not be saved, so nothing was imported: {other}",
                    row.line
                ),
            ),
        })?;
        written += 1;
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientsImported)
            .detail(format!("count={written}")),
    )?;
    tx.commit()?;
    report.imported = written;
    Ok(report)
}

/// The refused rows as they were in the file, with their line and the
/// reason, for the person to correct and import again.
pub fn rejected_csv(table: &Table, report: &ImportReport) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["Line".to_owned(), "Problem".to_owned()];
    header.extend(table.headers.iter().cloned());
    let failed = |e: csv::Error| Error::invalid("file", format!("Could not write the list: {e}"));
    writer.write_record(&header).map_err(failed)?;
    let by_line: HashMap<u32, &decode::TableRow> = table.rows.iter().map(|r| (r.line, r)).collect();
    for rejected in &report.rejected {
        let mut record = vec![
            rejected.line.to_string(),
            format!("{}: {}", rejected.column, rejected.reason),
        ];
        if let Some(row) = by_line.get(&rejected.line) {
            record.extend(row.cells.iter().cloned());
        }
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|_| Error::invalid("file", "Could not write the list."))
}

/// The mapping in force: the person's, checked, or the guess.
fn mapping(table: &Table, choices: &ImportChoices) -> Result<Vec<ImportColumn>> {
    let guessed = columns::guess_all(&table.headers);
    let fields: Vec<Option<ImportField>> = match &choices.columns {
        None => guessed.iter().map(|(f, _)| *f).collect(),
        Some(chosen) if chosen.len() != table.headers.len() => {
            return Err(Error::invalid(
                "columns",
                format!(
                    "The file has {} columns; choose what each holds.",
                    table.headers.len()
                ),
            ))
        }
        Some(chosen) => chosen.clone(),
    };
    for field in ImportField::ALL {
        let count = fields.iter().filter(|f| **f == Some(field)).count();
        if count > 1 {
            return Err(Error::invalid(
                "columns",
                format!(
                    "{count} columns are set to fill “{}”. Choose one of them.",
                    field_words(field)
                ),
            ));
        }
    }
    for (field, (_, left_out)) in fields.iter().zip(&guessed) {
        if field.is_some() && *left_out == Some(LeftOut::Notes) {
            return Err(Error::invalid(
                "columns",
                "Notes are never imported: leave the notes column out.",
            ));
        }
    }
    Ok(table
        .headers
        .iter()
        .zip(fields)
        .zip(guessed)
        .map(|((header, field), (_, left_out))| ImportColumn {
            header: header.clone(),
            field,
            left_out: if field.is_some() { None } else { left_out },
        })
        .collect())
}

/// The field in the words the client form uses.
pub fn field_words(field: ImportField) -> &'static str {
    match field {
        ImportField::LegalFirstName => "legal first name",
        ImportField::MiddleName => "middle name",
        ImportField::LegalLastName => "legal last name",
        ImportField::PreferredName => "preferred name",
        ImportField::Pronouns => "pronouns",
        ImportField::DateOfBirth => "date of birth",
        ImportField::Phone => "phone number",
        ImportField::Email => "email address",
        ImportField::EmergencyName => "emergency contact's name",
        ImportField::EmergencyPhone => "emergency contact's phone number",
        ImportField::Status => "status",
    }
}

/// A status as old systems write it; empty is an active client (the list
/// is of the practice's clients).
fn status_of(text: &str) -> Option<ClientStatus> {
    let folded = crate::names::fold(text.trim());
    Some(match folded.as_str() {
        "" | "active" | "current" | "open" | "yes" | "true" => ClientStatus::Active,
        "prospect" | "prospective" | "lead" | "potential" | "new" | "waitlist" | "waiting"
        | "enquiry" | "inquiry" | "intake" => ClientStatus::Prospect,
        "discharged" | "inactive" | "closed" | "archived" | "former" | "no" | "false" => {
            ClientStatus::Discharged
        }
        _ => return None,
    })
}

fn plan(
    signed_in: &SignedIn,
    table: &Table,
    choices: &ImportChoices,
) -> Result<(ImportReport, Vec<Planned>)> {
    let columns = mapping(table, choices)?;
    let column_of = |field: ImportField| columns.iter().position(|c| c.field == Some(field));
    let header_of = |field: &str| -> String {
        ImportField::ALL
            .into_iter()
            .find(|f| f.form_field() == field)
            .and_then(|f| column_of(f).map(|i| columns[i].header.clone()))
            .unwrap_or_else(|| field.to_owned())
    };
    let dob_column = column_of(ImportField::DateOfBirth);
    let dates_found = match dob_column {
        None => OrderFound::NotNeeded,
        Some(i) => dates::order_of(
            table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(String::as_str)),
        ),
    };
    let date_order = match dates_found {
        OrderFound::Evident(order) => Some(choices.date_order.unwrap_or(order)),
        OrderFound::Ask => choices.date_order,
        OrderFound::NotNeeded => None,
    };
    let today = crate::clock::today_in(crate::clock::practice_zone(signed_in.conn())?);
    let conn = signed_in.conn();

    let missing: Vec<ImportField> = [ImportField::LegalFirstName, ImportField::LegalLastName]
        .into_iter()
        .filter(|f| column_of(*f).is_none())
        .collect();
    // Without both names every row would be refused for the same reason:
    // the columns are chosen first.
    let rows: &[decode::TableRow] = if missing.is_empty() { &table.rows } else { &[] };
    let mut rejected = Vec::new();
    let mut planned: Vec<Planned> = Vec::new();
    let mut duplicates = Vec::new();
    // Accepted rows by date of birth, for the duplicate rule within the file.
    let mut by_birth: HashMap<String, Vec<usize>> = HashMap::new();
    for row in rows {
        let cell = |field: ImportField| -> Option<String> {
            column_of(field)
                .and_then(|i| row.cells.get(i))
                .filter(|c| !c.is_empty())
                .cloned()
        };
        let reject = |field: ImportField, reason: String| RejectedRow {
            line: row.line,
            column: header_of(field.form_field()),
            field: field.form_field().to_owned(),
            reason,
        };
        let date_of_birth = match cell(ImportField::DateOfBirth) {
            None => None,
            Some(text) => match dates::read(&text, date_order) {
                Ok(date) => Some(crate::clock::format_date(date)),
                // Undecided: checked once the person chooses; the row is
                // neither refused nor counted as a duplicate until then.
                Err(dates::DateProblem::OrderUndecided) => None,
                Err(dates::DateProblem::NotADate(reason)) => {
                    rejected.push(reject(ImportField::DateOfBirth, reason));
                    continue;
                }
            },
        };
        let status = match cell(ImportField::Status).as_deref().map(status_of) {
            None => ClientStatus::Active,
            Some(Some(status)) => status,
            Some(None) => {
                rejected.push(reject(
                    ImportField::Status,
                    "Circle does not know this status. Use active, prospect or discharged.".into(),
                ));
                continue;
            }
        };
        let input = ClientInput {
            legal_first_name: cell(ImportField::LegalFirstName).unwrap_or_default(),
            legal_last_name: cell(ImportField::LegalLastName).unwrap_or_default(),
            middle_name: cell(ImportField::MiddleName),
            preferred_name: cell(ImportField::PreferredName),
            name_order: Default::default(),
            pronouns: cell(ImportField::Pronouns),
            date_of_birth,
            phone: cell(ImportField::Phone),
            email: cell(ImportField::Email),
            emergency_name: cell(ImportField::EmergencyName),
            emergency_phone: cell(ImportField::EmergencyPhone),
            status,
        };
        let client = match CheckedClient::check(&input, today) {
            Ok(client) => client,
            Err(Error::Invalid { field, reason }) => {
                rejected.push(RejectedRow {
                    line: row.line,
                    column: header_of(&field),
                    field,
                    reason,
                });
                continue;
            }
            Err(other) => return Err(other),
        };
        let existing = client.existing_duplicates(conn)?;
        let earlier_lines: Vec<u32> = client
            .date_of_birth()
            .and_then(|dob| by_birth.get(dob))
            .into_iter()
            .flatten()
            .filter(|&&i| planned[i].client.looks_like(&client))
            .map(|&i| planned[i].line)
            .collect();
        let mut skipped_as_duplicate = false;
        if !existing.is_empty() || !earlier_lines.is_empty() {
            let importing = choices.import_anyway.contains(&row.line);
            skipped_as_duplicate = !importing;
            duplicates.push(DuplicateRow {
                line: row.line,
                name: client.display_name(),
                date_of_birth: client.date_of_birth().unwrap_or_default().to_owned(),
                existing,
                earlier_lines,
                importing,
            });
        }
        if let Some(dob) = client.date_of_birth() {
            by_birth
                .entry(dob.to_owned())
                .or_default()
                .push(planned.len());
        }
        planned.push(Planned {
            line: row.line,
            client,
            skipped_as_duplicate,
        });
    }

    let notes_columns: Vec<bool> = columns
        .iter()
        .map(|c| c.left_out == Some(LeftOut::Notes))
        .collect();
    let preview = table
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| PreviewRow {
            line: row.line,
            cells: (0..columns.len())
                .map(|i| match (notes_columns[i], row.cells.get(i)) {
                    (true, _) => String::new(),
                    (false, cell) => cell.cloned().unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let ready = planned.iter().filter(|p| !p.skipped_as_duplicate).count();
    let report = ImportReport {
        encoding: table.encoding.to_owned(),
        separator: table.separator.words().to_owned(),
        layout: columns::recognised_layout(&table.headers).map(str::to_owned),
        columns,
        missing,
        preview,
        dates_found,
        date_order,
        rows: u32::try_from(table.rows.len()).unwrap_or(u32::MAX),
        ready: u32::try_from(ready).unwrap_or(u32::MAX),
        rejected,
        duplicates,
        imported: 0,
    };
    Ok((report, planned))
}
