//! One session's whole note, for those who may read all of it (the group's
//! facilitators within the notes scope, supervisors, the owner): attendance,
//! the shared part, every member's section, signatures and addenda.
//!
//! Made from a signed note only. A packet is for use inside the practice
//! (supervision, audit); each member's accounting of disclosures lists it.
//! A substance-use group's packet carries the 42 CFR Part 2 notice.

use serde_json::{json, Value};

use super::dates::Dates;
use super::frame::{self, Head};
use super::{ClientRelease, ExportKind, Prepared};
use crate::error::{Error, Result};
use crate::notes::model::note::{booked_members, NoteStatus};
use crate::notes::redaction;
use crate::signed_in::SignedIn;

/// The recipient a packet's disclosure entries name.
pub const PRACTICE_USE: &str = "Practice use (supervision and review)";

pub fn prepare(signed_in: &SignedIn, session_id: i64) -> Result<Prepared> {
    let note = crate::notes::session_note::unaudited_view(signed_in, session_id)?;
    if !matches!(note.status, NoteStatus::Signed | NoteStatus::PendingCosign) {
        return Err(Error::Conflict {
            message: "This session's note is not signed yet: a packet is made from a signed note."
                .to_owned(),
        });
    }
    crate::notes::session_note::audit_view(signed_in, session_id)?;
    let conn = signed_in.conn();
    let dates = Dates::of(conn)?;
    let group = crate::groups::group(conn, note.session.group_id)?;
    let roster: Vec<redaction::RosterMember> = booked_members(conn, session_id)?
        .into_iter()
        .map(|b| b.roster)
        .collect();
    let full = |text: &str| redaction::full_view(text, &roster);
    let label = |key: &str| note.template.label_of(key);

    let attendance: Vec<Value> = note
        .members
        .iter()
        .map(|m| {
            json!({
                "name": m.display_name,
                "status": m.attendance
                    .map(|s| {
                        let (symbol, word) = super::attendance_report::status_words(s);
                        format!("{symbol} {word}")
                    })
                    .unwrap_or_else(|| "Not recorded".to_owned()),
            })
        })
        .collect();
    let shared: Vec<Value> = note
        .shared
        .iter()
        .filter(|s| !s.body.trim().is_empty())
        .map(|s| json!({ "label": label(&s.key), "body": full(&s.body) }))
        .collect();
    let members: Vec<Value> = note
        .members
        .iter()
        .filter_map(|m| m.note.as_ref().map(|n| (m, n)))
        .map(|(m, n)| {
            let goal_text = |id: i64| {
                m.goals
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.text.clone())
                    .unwrap_or_default()
            };
            json!({
                "name": m.display_name,
                "sections": n.sections.iter()
                    .filter(|s| !s.body.trim().is_empty())
                    .map(|s| json!({ "label": label(&s.key), "body": full(&s.body) }))
                    .collect::<Vec<_>>(),
                "goalRatings": n.goal_ratings.iter()
                    .filter(|r| r.rating.is_some() || !r.comment.trim().is_empty())
                    .map(|r| json!({
                        "goal": goal_text(r.goal_id),
                        "rating": r.rating.map(|v| v.to_string()).unwrap_or_else(|| "not rated".to_owned()),
                        "comment": full(&r.comment),
                    }))
                    .collect::<Vec<_>>(),
                "risk": match n.risk_level {
                    None => String::new(),
                    Some(level) => {
                        let words = super::member_record::risk_words(level);
                        if n.risk_text.trim().is_empty() { words.to_owned() }
                        else { format!("{words}. {}", full(n.risk_text.trim())) }
                    }
                },
            })
        })
        .collect();
    let addenda = note
        .addenda
        .iter()
        .map(|a| {
            let about = match a.client_id {
                None => "The group session".to_owned(),
                Some(id) => note
                    .members
                    .iter()
                    .find(|m| m.client_id == id)
                    .map(|m| m.display_name.clone())
                    .unwrap_or_default(),
            };
            Ok(json!({
                "about": about,
                "by": a.author.full_name,
                "when": dates.instant_text(&a.signed_at)?,
                "body": full(&a.body),
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut signatures = Vec::new();
    if let Some(s) = &note.signature {
        signatures.push(format!(
            "Signed by {} on {} (content SHA-256 {})",
            s.staff.full_name,
            dates.instant_text(&s.signed_at)?,
            &s.content_hash
        ));
    }
    if let Some(s) = &note.cosignature {
        signatures.push(format!(
            "Co-signed by {} on {}",
            s.staff.full_name,
            dates.instant_text(&s.signed_at)?
        ));
    } else if let Some(who) = &note.awaiting_cosigner {
        signatures.push(format!("Waiting for {}'s co-signature", who.full_name));
    }
    let facilitators = crate::groups::facilitators(conn, group.id)?
        .into_iter()
        .map(|id| crate::notes::model::note::staff_ref(conn, id).map(|s| s.full_name))
        .collect::<Result<Vec<_>>>()?
        .join(", ");
    let starts = crate::clock::parse_instant(&note.session.starts_at)?;
    let ends = crate::clock::parse_instant(&note.session.ends_at)?;
    let when = format!(
        "{}, {}",
        dates.date(dates.local_date(starts)),
        dates.span(starts, ends)
    );
    let body = json!({
        "facilitators": facilitators,
        "room": note.session.room_name,
        "template": note.template.name,
        "status": match note.status {
            NoteStatus::PendingCosign => "Signed; waiting for co-signature",
            _ => "Signed",
        },
        "attendance": attendance,
        "shared": shared,
        "members": members,
        "addenda": addenda,
        "signatures": signatures,
    });
    let document = frame::document(
        signed_in,
        &dates,
        Head {
            title: "Session packet".to_owned(),
            concerns: format!("{} · {}", note.session.group_name, when),
            subtitle: None,
            part2: group.substance_use,
        },
        body,
    )?;
    let day = dates.local_date(starts);
    let releases = note
        .members
        .iter()
        .filter(|m| m.note.is_some())
        .map(|m| ClientRelease {
            client_id: m.client_id,
            recipient: PRACTICE_USE.to_owned(),
            purpose: "Session packet".to_owned(),
            covered_from: day,
            covered_to: day,
            consent_id: None,
        })
        .collect();
    Ok(Prepared {
        kind: ExportKind::SessionPacket,
        suggested_file_name: format!("session-{session_id}-{day}.pdf"),
        template: "/session-packet.typ",
        data: document.data,
        logo: document.logo,
        subject: Some(("session", session_id)),
        releases,
    })
}
