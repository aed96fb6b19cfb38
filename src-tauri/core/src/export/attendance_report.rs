//! A group's attendance over a date range, for funders and the front desk:
//! members down, sessions across, a symbol and a word in each cell, and each
//! member's completion. No clinical content, so every role may print it.

use serde_json::{json, Value};

use super::dates::Dates;
use super::frame::{self, Head};
use super::{date_range, ExportKind, Prepared};
use crate::error::Result;
use crate::schedule::attendance::AttendanceStatus;
use crate::signed_in::SignedIn;

/// The symbol and the word a status prints as (the same as on screen:
/// never colour alone).
pub fn status_words(status: AttendanceStatus) -> (&'static str, &'static str) {
    match status {
        AttendanceStatus::Present => ("✓", "Present"),
        AttendanceStatus::Late => ("◔", "Late"),
        AttendanceStatus::LeftEarly => ("◑", "Left early"),
        AttendanceStatus::AbsentExcused => ("○", "Absent (excused)"),
        AttendanceStatus::NoShow => ("✕", "No-show"),
        AttendanceStatus::CancelledLate => ("⊘", "Late cancellation"),
    }
}

const NOT_RECORDED: (&str, &str) = ("·", "Not recorded");
const NOT_BOOKED: (&str, &str) = ("–", "Not booked");

pub fn prepare(signed_in: &SignedIn, group_id: i64, from: &str, to: &str) -> Result<Prepared> {
    signed_in.require(crate::roles::Capability::Scheduling)?;
    let (from, to) = date_range(from, to)?;
    let group = crate::groups::get_group(signed_in, group_id)?;
    let grid = crate::schedule::attendance::group_grid(signed_in, group_id, from, to)?;
    let dates = Dates::of(signed_in.conn())?;
    let sessions = grid
        .sessions
        .iter()
        .map(|(_, starts_at)| {
            let day = dates.local_date(crate::clock::parse_instant(starts_at)?);
            Ok(dates.date(day))
        })
        .collect::<Result<Vec<String>>>()?;
    let members: Vec<Value> = grid
        .members
        .iter()
        .map(|m| {
            let mut booked = 0;
            let mut attended = 0;
            let cells: Vec<String> = m
                .cells
                .iter()
                .map(|cell| {
                    let (symbol, word) = match cell {
                        None => NOT_BOOKED,
                        Some(None) => {
                            booked += 1;
                            NOT_RECORDED
                        }
                        Some(Some(status)) => {
                            booked += 1;
                            if status.attended() {
                                attended += 1;
                            }
                            status_words(*status)
                        }
                    };
                    format!("{symbol} {word}")
                })
                .collect();
            json!({
                "name": m.name,
                "cells": cells,
                "completion": format!("{attended} of {booked}"),
            })
        })
        .collect();
    let key: Vec<String> = [
        AttendanceStatus::Present,
        AttendanceStatus::Late,
        AttendanceStatus::LeftEarly,
        AttendanceStatus::AbsentExcused,
        AttendanceStatus::NoShow,
        AttendanceStatus::CancelledLate,
    ]
    .into_iter()
    .map(status_words)
    .chain([NOT_RECORDED, NOT_BOOKED])
    .map(|(symbol, word)| format!("{symbol} {word}"))
    .chain([
        "Completion: sessions attended (present, late or left early) of sessions booked."
            .to_owned(),
    ])
    .collect();
    let body = json!({ "sessions": sessions, "members": members, "key": key });
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Attendance report".to_owned(),
            concerns: group.name.clone(),
            subtitle: Some(dates.range(from, to)),
            part2: false,
        },
        body,
    )?;
    Ok(Prepared {
        kind: ExportKind::Attendance,
        suggested_file_name: format!("attendance-group-{group_id}-{from}-to-{to}.pdf"),
        template: "/attendance.typ",
        data: document.data,
        logo: document.logo,
        subject: Some(("group", group_id)),
        releases: Vec::new(),
    })
}
