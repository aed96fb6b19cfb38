//! One day at the front desk: every session and appointment with its time,
//! room, facilitators or clinician and who is booked. No clinical content.

use serde_json::{json, Value};

use super::dates::Dates;
use super::frame::{self, Head};
use super::{ExportKind, Prepared};
use crate::error::Result;
use crate::schedule::appointments::AppointmentKind;
use crate::schedule::sessions::SessionStatus;
use crate::signed_in::SignedIn;

pub fn prepare(signed_in: &SignedIn, date: &str) -> Result<Prepared> {
    signed_in.require(crate::roles::Capability::Scheduling)?;
    let day = crate::clock::parse_date("date", date)?;
    let agenda = crate::schedule::agenda::agenda(signed_in, day, 1)?;
    let conn = signed_in.conn();
    let dates = Dates::of(conn)?;
    let staff_name = |id: i64| crate::staff::by_id(conn, id).map(|s| s.full_name);
    let span = |starts: &str, ends: &str| -> Result<String> {
        Ok(dates.span(
            crate::clock::parse_instant(starts)?,
            crate::clock::parse_instant(ends)?,
        ))
    };
    let mut sessions: Vec<Value> = Vec::new();
    for s in &agenda.sessions {
        let cancelled = s.status == SessionStatus::Cancelled;
        let booked = if cancelled {
            Vec::new()
        } else {
            crate::schedule::attendance::check_in_list(signed_in, s.id)?
                .into_iter()
                .map(|row| row.client_name)
                .collect()
        };
        let facilitators = s
            .facilitator_ids
            .iter()
            .map(|id| staff_name(*id))
            .collect::<Result<Vec<_>>>()?;
        sessions.push(json!({
            "time": span(&s.starts_at, &s.ends_at)?,
            "group": s.group_name,
            "room": s.room_name,
            "facilitators": facilitators.join(", "),
            "cancelled": cancelled,
            "bookedCount": match booked.len() {
                0 => "Nobody booked".to_owned(),
                1 => "1 booked".to_owned(),
                n => format!("{n} booked"),
            },
            "booked": booked,
        }));
    }
    let appointments: Vec<Value> = agenda
        .appointments
        .iter()
        .filter(|a| !a.cancelled)
        .map(|a| {
            Ok(json!({
                "time": span(&a.starts_at, &a.ends_at)?,
                "client": a.client_name,
                "kind": match a.kind {
                    AppointmentKind::Intake => "Intake screening",
                    AppointmentKind::CheckIn => "Check-in",
                },
                "clinician": a.clinician_name,
                "room": a.room_name,
            }))
        })
        .collect::<Result<_>>()?;
    let body = json!({ "sessions": sessions, "appointments": appointments });
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Day sheet".to_owned(),
            concerns: dates.date(day),
            subtitle: None,
            part2: false,
        },
        body,
    )?;
    Ok(Prepared {
        kind: ExportKind::DaySheet,
        suggested_file_name: format!("day-{day}.pdf"),
        template: "/day-sheet.typ",
        data: document.data,
        logo: document.logo,
        subject: None,
        releases: Vec::new(),
    })
}
