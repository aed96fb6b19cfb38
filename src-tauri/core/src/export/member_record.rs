//! A member's record over a date range, for the client themself, an
//! insurer, a court or a new clinician.
//!
//! Its notes are the chart's ([`crate::notes::chart::client_notes`]): the
//! member view, with every other member of a group replaced by a label, so
//! the PDF can never show more than the chart does. Drafts and private
//! notes are not part of the chart and so never reach the PDF; sessions in
//! range whose note is not signed are listed as "not yet signed" without
//! content.
//!
//! 42 CFR Part 2: when the client was in a substance-use group in the range
//! and the record goes to anyone but the client, a matching, unexpired,
//! unrevoked consent must be on file (else nothing is written), and every
//! page carries the §2.32 notice.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::dates::Dates;
use super::frame::{self, Head};
use super::{date_range, ClientRelease, ExportKind, Prepared};
use crate::error::{Error, Result};
use crate::notes::chart::ChartNote;
use crate::notes::model::note::{NoteStatus, RiskLevel};
use crate::schedule::attendance::AttendanceStatus;
use crate::signed_in::SignedIn;

pub const MAX_RECIPIENT_CHARS: usize = 200;
pub const MAX_PURPOSE_CHARS: usize = 500;

#[derive(Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordRequest {
    pub client_id: i64,
    /// "YYYY-MM-DD", first day covered.
    pub from: String,
    /// "YYYY-MM-DD", last day covered.
    pub to: String,
    /// None or empty: the client themself.
    pub recipient: Option<String>,
    /// Why it is released ("Continuity of care", "At the client's request").
    pub purpose: String,
}

impl std::fmt::Debug for RecordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecordRequest(client {})", self.client_id)
    }
}

/// Who it goes to and why, checked.
struct Recipient {
    name: String,
    purpose: String,
    third_party: bool,
}

fn recipient_of(request: &RecordRequest) -> Result<Recipient> {
    let named = request
        .recipient
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let purpose = request.purpose.trim();
    // Both go into the disclosure log, where SQLite reads text only up to
    // a NUL: refused here, by field, not as a storage failure at the end.
    for (field, text) in [
        ("recipient", named.unwrap_or_default()),
        ("purpose", purpose),
    ] {
        if text.contains('\0') {
            return Err(Error::invalid(
                field,
                format!("Remove the invisible null character from the {field}."),
            ));
        }
    }
    if purpose.chars().count() > MAX_PURPOSE_CHARS {
        return Err(Error::invalid(
            "purpose",
            format!("Keep the purpose under {MAX_PURPOSE_CHARS} characters."),
        ));
    }
    match named {
        None => Ok(Recipient {
            name: crate::disclosures::CLIENT_THEMSELF.to_owned(),
            purpose: if purpose.is_empty() {
                "At the client's request".to_owned()
            } else {
                purpose.to_owned()
            },
            third_party: false,
        }),
        Some(name) => {
            if name.chars().count() > MAX_RECIPIENT_CHARS {
                return Err(Error::invalid(
                    "recipient",
                    format!("Keep the recipient under {MAX_RECIPIENT_CHARS} characters."),
                ));
            }
            if purpose.is_empty() {
                return Err(Error::invalid(
                    "purpose",
                    "Say why the record is released (for example, continuity of care).",
                ));
            }
            Ok(Recipient {
                name: name.to_owned(),
                purpose: purpose.to_owned(),
                third_party: true,
            })
        }
    }
}

/// Checks the request and gathers the record. Clinical roles within the
/// notes scope only; refused for a Part 2 record without a consent.
pub fn prepare(signed_in: &SignedIn, request: &RecordRequest) -> Result<Prepared> {
    crate::notes::access::require_client(signed_in, request.client_id)?;
    let (from, to) = date_range(&request.from, &request.to)?;
    let recipient = recipient_of(request)?;
    let conn = signed_in.conn();
    let dates = Dates::of(conn)?;
    let client_id = request.client_id;

    let part2 = crate::disclosures::part2_applies(conn, client_id, from, to)?;
    let consent_id = if part2 && recipient.third_party {
        let today = crate::clock::today_in(dates.zone);
        Some(crate::disclosures::permitting_consent(
            conn,
            client_id,
            from,
            to,
            &recipient.name,
            today,
        )?)
    } else {
        None
    };

    let client = crate::clients::get(signed_in, client_id)?;
    let in_range = |starts_at: &str| -> Result<bool> {
        let day = dates.local_date(crate::clock::parse_instant(starts_at)?);
        Ok(from <= day && day <= to)
    };

    // Attendance in range, per session and per group.
    let lines = crate::schedule::attendance::for_client(signed_in, client_id)?;
    let now = crate::clock::now();
    let mut attendance_of: BTreeMap<i64, Option<AttendanceStatus>> = BTreeMap::new();
    let mut per_group: BTreeMap<String, (u32, u32, u32, u32)> = BTreeMap::new();
    let mut held_in_range = Vec::new();
    for line in &lines {
        if line.cancelled || !in_range(&line.starts_at)? {
            continue;
        }
        if crate::clock::parse_instant(&line.starts_at)? > now {
            continue;
        }
        attendance_of.insert(line.session_id, line.status);
        held_in_range.push(line);
        let counts = per_group.entry(line.group_name.clone()).or_default();
        counts.0 += 1;
        match line.status {
            Some(s) if s.attended() => counts.1 += 1,
            Some(AttendanceStatus::AbsentExcused) => counts.2 += 1,
            Some(AttendanceStatus::NoShow | AttendanceStatus::CancelledLate) => counts.3 += 1,
            _ => {}
        }
    }
    let enrollments = crate::groups::enrollments_of_client(signed_in, client_id)?;
    let groups: Vec<Value> = per_group
        .iter()
        .map(|(name, (held, attended, excused, unexcused))| {
            let status = enrollments
                .iter()
                .find(|e| &e.group_name == name)
                .map(|e| enrollment_words(e, &dates))
                .unwrap_or_default();
            json!({
                "name": name,
                "status": status,
                "attended": format!("{attended} of {held}"),
                "excused": excused.to_string(),
                "unexcused": unexcused.to_string(),
            })
        })
        .collect();

    // Signed notes in range, oldest first, as the chart shows them.
    let mut notes: Vec<ChartNote> = crate::notes::chart::client_notes(signed_in, client_id)?
        .into_iter()
        .filter(|n| in_range(&n.starts_at).unwrap_or(false))
        .collect();
    notes.reverse();
    let signed_sessions: HashSet<i64> = notes.iter().map(|n| n.session_id).collect();
    let own_heading = format!("{}'s section", client.first_name);
    let note_values = notes
        .iter()
        .map(|n| note_value(n, &dates, &own_heading, attendance_of.get(&n.session_id)))
        .collect::<Result<Vec<_>>>()?;
    // Sessions in range whose note is not signed at all (a signed note
    // without a section for them, when they were absent, is not pending).
    let mut pending = Vec::new();
    for line in held_in_range.iter().rev() {
        if !signed_sessions.contains(&line.session_id) && !note_signed(conn, line.session_id)? {
            pending.push(format!(
                "{} · {}",
                line.group_name,
                dates.instant_text(&line.starts_at)?
            ));
        }
    }

    let goals: Vec<Value> = crate::notes::goals::goals_of_client(signed_in, client_id)?
        .into_iter()
        .map(|progress| {
            let ratings: Vec<Value> = progress
                .ratings
                .iter()
                .filter(|r| {
                    crate::clock::read_date(&r.date)
                        .map(|d| from <= d && d <= to)
                        .unwrap_or(false)
                })
                .map(|r| {
                    json!({
                        "date": crate::clock::read_date(&r.date).map(|d| dates.date(d)).unwrap_or_default(),
                        "rating": r.rating.to_string(),
                        "comment": r.comment,
                    })
                })
                .collect();
            json!({
                "text": progress.goal.text,
                "status": goal_status_words(progress.goal.status),
                "ratings": ratings,
            })
        })
        .collect();

    let body = json!({
        "client": {
            "recordNumber": client.record_number,
            "dateOfBirth": client.date_of_birth.as_deref()
                .and_then(|d| crate::clock::read_date(d).ok())
                .map(|d| dates.date(d))
                .unwrap_or_else(|| "Not given".to_owned()),
            "pronouns": client.pronouns.clone().filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| "Not given".to_owned()),
        },
        "range": dates.range(from, to),
        "recipient": recipient.name,
        "purpose": recipient.purpose,
        "groups": groups,
        "goals": goals,
        "notes": note_values,
        "pending": pending,
    });
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Member record".to_owned(),
            concerns: format!("{} · {}", client.legal_name, client.record_number),
            subtitle: Some(dates.range(from, to)),
            part2,
        },
        body,
    )?;
    Ok(Prepared {
        kind: ExportKind::MemberRecord,
        suggested_file_name: format!(
            "record-{}-{}.pdf",
            client.record_number,
            crate::clock::today_in(dates.zone)
        ),
        template: "/member-record.typ",
        data: document.data,
        logo: document.logo,
        subject: Some(("client", client_id)),
        releases: vec![ClientRelease {
            client_id,
            recipient: recipient.name,
            purpose: recipient.purpose,
            covered_from: from,
            covered_to: to,
            consent_id,
        }],
    })
}

fn note_value(
    note: &ChartNote,
    dates: &Dates,
    own_heading: &str,
    attendance: Option<&Option<AttendanceStatus>>,
) -> Result<Value> {
    let sections = |items: &[crate::notes::chart::ChartSection]| -> Vec<Value> {
        items
            .iter()
            .filter(|s| !s.body.trim().is_empty())
            .map(|s| json!({ "label": s.label, "body": s.body }))
            .collect()
    };
    let mut signatures = Vec::new();
    if let (Some(by), Some(at)) = (&note.signed_by, &note.signed_at) {
        signatures.push(format!(
            "Signed by {} on {}",
            by.full_name,
            dates.instant_text(at)?
        ));
    }
    match (&note.cosigned_by, note.status) {
        (Some(by), _) => signatures.push(format!("Co-signed by {}", by.full_name)),
        (None, NoteStatus::PendingCosign) => {
            signatures.push("Waiting for the supervisor's co-signature".to_owned())
        }
        _ => {}
    }
    let risk = match note.risk_level {
        None => String::new(),
        Some(level) => {
            let words = risk_words(level);
            if note.risk_text.trim().is_empty() {
                words.to_owned()
            } else {
                format!("{words}. {}", note.risk_text.trim())
            }
        }
    };
    let addenda = note
        .addenda
        .iter()
        .map(|a| {
            Ok(json!({
                "by": a.author.full_name,
                "when": dates.instant_text(&a.signed_at)?,
                "body": a.body,
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(json!({
        "group": note.group_name,
        "when": dates.instant_text(&note.starts_at)?,
        "template": note.template_name,
        "attendance": match attendance {
            Some(Some(status)) => super::attendance_report::status_words(*status).1.to_owned(),
            _ => "Attendance not recorded".to_owned(),
        },
        "shared": sections(&note.shared),
        "sharedHeading": match note.format {
            crate::groups::GroupFormat::Group => "From the group session",
            crate::groups::GroupFormat::Individual => "From the session",
            crate::groups::GroupFormat::Family => "From the family/couple session",
        },
        "own": sections(&note.own),
        "ownHeading": own_heading,
        "goalRatings": note.goal_ratings.iter().map(|r| json!({
            "goal": r.goal_text,
            "rating": r.rating.map(|v| v.to_string()).unwrap_or_else(|| "not rated".to_owned()),
            "comment": r.comment,
        })).collect::<Vec<_>>(),
        "risk": risk,
        "addenda": addenda,
        "signatures": signatures.join(" · "),
    }))
}

pub(crate) fn risk_words(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::None => "No risk noted",
        RiskLevel::Low => "Low risk",
        RiskLevel::Moderate => "Moderate risk",
        RiskLevel::High => "High risk",
    }
}

fn goal_status_words(status: crate::notes::goals::GoalStatus) -> &'static str {
    use crate::notes::goals::GoalStatus;
    match status {
        GoalStatus::Active => "Active",
        GoalStatus::Met => "Met",
        GoalStatus::Revised => "Revised",
        GoalStatus::Discontinued => "Discontinued",
    }
}

fn enrollment_words(enrollment: &crate::groups::Enrollment, dates: &Dates) -> String {
    use crate::groups::EnrollmentStatus;
    let day = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| crate::clock::read_date(d).ok())
            .map(|d: NaiveDate| dates.date(d))
            .unwrap_or_default()
    };
    match enrollment.status {
        EnrollmentStatus::Active => format!("Active since {}", day(&enrollment.enrolled_on)),
        EnrollmentStatus::Discharged => format!("Discharged {}", day(&enrollment.discharged_on)),
        EnrollmentStatus::Waitlisted => "On the waitlist".to_owned(),
    }
}

/// Whether the session's note carries its author's signature.
fn note_signed(conn: &rusqlite::Connection, session_id: i64) -> Result<bool> {
    use crate::notes::model::{note, signature};
    Ok(match note::note_of_session(conn, session_id)? {
        Some(row) => matches!(
            signature::signatures(conn, row.id)?.status(),
            NoteStatus::Signed | NoteStatus::PendingCosign
        ),
        None => false,
    })
}
