//! Measures entered per session and client, in clinical.db (migration 15),
//! and PHQ-9 item 9's risk flag until a clinician acknowledges it.
//!
//! Who: clinical roles that may read the session's notes, about a client
//! booked into it (the private note's rule). The front desk and the manager
//! hold no clinical key, so clinical.db is not even attached for them.
//! Every entry and every view is audited, without the answers or totals.

use rusqlite::{params, OptionalExtension};

use super::change::{change, Change};
use super::instruments::{Instrument, Severity};
use super::scoring::score;
use crate::audit::{Action, Event};
use crate::clock::{self, local_date_of, parse_instant, practice_zone};
use crate::error::{Error, Result};
use crate::notes::access;
use crate::notes::model::note::booked_members;
use crate::roles::Capability;
use crate::schedule::sessions;
use crate::signed_in::SignedIn;

/// The longest safety note: a few sentences, not a note of its own.
pub const MAX_SAFETY_NOTE_CHARS: usize = 1000;

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeasureInput {
    pub session_id: i64,
    pub client_id: i64,
    pub instrument: Instrument,
    /// One answer per item, item 1 first; `null` for an item left blank.
    pub answers: Vec<Option<i64>>,
}

/// One entry as the chart and the note show it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeasureEntry {
    pub id: i64,
    pub session_id: i64,
    pub client_id: i64,
    pub instrument: Instrument,
    /// The session's local date, "YYYY-MM-DD".
    pub date: String,
    pub answers: Vec<u8>,
    pub total: u8,
    pub severity: Severity,
    /// The band in the paper's words ("moderately severe").
    pub severity_words: &'static str,
    /// PHQ-9 item 9 above 0 and not yet acknowledged.
    pub open_risk: bool,
}

impl std::fmt::Debug for MeasureEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MeasureEntry({}, session {})", self.id, self.session_id)
    }
}

/// A client's scores on one measure, oldest first, with the change from
/// the first to the latest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeasureTrend {
    pub instrument: Instrument,
    pub entries: Vec<MeasureEntry>,
    /// None with fewer than two entries.
    pub change: Option<Change>,
}

/// An open risk flag, for the clinician's Today and the note being written.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RiskFlag {
    pub entry_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub session_id: i64,
    /// The session's local date, "YYYY-MM-DD".
    pub date: String,
    pub raised_at: String,
}

impl std::fmt::Debug for RiskFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RiskFlag(entry {})", self.entry_id)
    }
}

/// A clinical role that may read this session's notes, about a client
/// booked into it; the session's local date, "YYYY-MM-DD".
fn checked_session_date(signed_in: &SignedIn, session_id: i64, client_id: i64) -> Result<String> {
    access::require_notes(signed_in)?;
    let group_session = sessions::group_session(signed_in.conn(), session_id)?;
    access::require_group_notes(signed_in, group_session.group_id)?;
    let booked = booked_members(signed_in.conn(), session_id)?;
    if !booked.iter().any(|b| b.roster.client_id == client_id) {
        return Err(Error::invalid(
            "clientId",
            "This client is not booked into this session.",
        ));
    }
    let zone = practice_zone(signed_in.conn())?;
    Ok(clock::format_date(local_date_of(
        zone,
        parse_instant(&group_session.starts_at)?,
    )))
}

/// Scores the answers and stores them. Refused by item when an answer is
/// missing or out of range, and refused when this client already has this
/// measure for this session (an entry is not overwritten).
pub fn enter(signed_in: &SignedIn, input: MeasureInput) -> Result<MeasureEntry> {
    signed_in.require(Capability::ReadWriteNotes)?;
    let date = checked_session_date(signed_in, input.session_id, input.client_id)?;
    let scored = score(input.instrument, &input.answers)?;
    let actor = signed_in.actor().staff_id;
    let now = clock::now_text();
    let answers: String = scored.answers.iter().map(|a| a.to_string()).collect();

    let tx = signed_in.clinical_write()?;
    let taken: Option<i64> = tx
        .query_row(
            "SELECT id FROM measure_entries WHERE client_id = ?1 AND session_id = ?2 AND instrument = ?3",
            params![input.client_id, input.session_id, input.instrument],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(Error::Conflict {
            message: format!(
                "A {} is already entered for this client in this session.",
                input.instrument.name()
            ),
        });
    }
    tx.execute(
        "INSERT INTO measure_entries (client_id, session_id, instrument, answers, total, entered_by, entered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            input.client_id,
            input.session_id,
            input.instrument,
            answers,
            scored.total,
            actor,
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    if scored.raises_risk {
        tx.execute(
            "INSERT INTO measure_risk_flags (entry_id, client_id, raised_at) VALUES (?1, ?2, ?3)",
            params![id, input.client_id, now],
        )?;
    }
    tx.audit(
        Event::new(Some(actor), Action::MeasureEntered)
            .on("client", input.client_id)
            .detail(format!(
                "session={} measure={}",
                input.session_id,
                input.instrument.as_db()
            )),
    )?;
    tx.commit()?;
    Ok(MeasureEntry {
        id,
        session_id: input.session_id,
        client_id: input.client_id,
        instrument: input.instrument,
        date,
        answers: scored.answers,
        total: scored.total,
        severity: scored.severity,
        severity_words: scored.severity.words(),
        open_risk: scored.raises_risk,
    })
}

/// Every measure of a client, one trend per instrument entered, oldest
/// entry first (by session date, then entry).
pub fn client_trends(signed_in: &SignedIn, client_id: i64) -> Result<Vec<MeasureTrend>> {
    access::require_client(signed_in, client_id)?;
    let zone = practice_zone(signed_in.conn())?;
    let mut rows = signed_in
        .conn()
        .prepare_cached(
            "SELECT e.id, e.session_id, e.instrument, e.answers, s.starts_at,
                    EXISTS (SELECT 1 FROM measure_risk_flags f
                            WHERE f.entry_id = e.id AND f.acknowledged_at IS NULL)
             FROM measure_entries e JOIN sessions s ON s.id = e.session_id
             WHERE e.client_id = ?1
             ORDER BY s.starts_at, e.id",
        )?
        .query_map([client_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Instrument>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut trends: Vec<MeasureTrend> = Vec::new();
    for (id, session_id, instrument, answers, starts_at, open_risk) in rows.drain(..) {
        // The stored answers are re-scored, so the total shown is always
        // Circle's sum of what was answered.
        let given: Vec<Option<i64>> = answers
            .chars()
            .map(|c| c.to_digit(10).map(i64::from))
            .collect();
        let scored = score(instrument, &given).map_err(|_| Error::Corrupt {
            file: "clinical.db".into(),
        })?;
        let entry = MeasureEntry {
            id,
            session_id,
            client_id,
            instrument,
            date: clock::format_date(local_date_of(zone, parse_instant(&starts_at)?)),
            answers: scored.answers,
            total: scored.total,
            severity: scored.severity,
            severity_words: scored.severity.words(),
            open_risk,
        };
        match trends.iter_mut().find(|t| t.instrument == instrument) {
            Some(trend) => trend.entries.push(entry),
            None => trends.push(MeasureTrend {
                instrument,
                entries: vec![entry],
                change: None,
            }),
        }
    }
    for trend in &mut trends {
        if let [first, .., latest] = trend.entries.as_slice() {
            trend.change = Some(change(trend.instrument, first.total, latest.total));
        }
    }
    trends.sort_by_key(|t| Instrument::ALL.iter().position(|i| *i == t.instrument));
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::MeasuresViewed)
            .on("client", client_id),
    )?;
    Ok(trends)
}

/// The open risk flags of every client the signed-in clinician may read,
/// oldest first. Empty (and unaudited) for anyone without notes access:
/// Today asks for them whoever is signed in.
pub fn open_risk_flags(signed_in: &SignedIn) -> Result<Vec<RiskFlag>> {
    if access::require_notes(signed_in).is_err() {
        return Ok(Vec::new());
    }
    let zone = practice_zone(signed_in.conn())?;
    let candidates = signed_in
        .conn()
        .prepare_cached(
            "SELECT f.entry_id, f.client_id, e.session_id, s.starts_at, f.raised_at
             FROM measure_risk_flags f
             JOIN measure_entries e ON e.id = f.entry_id
             JOIN sessions s ON s.id = e.session_id
             WHERE f.acknowledged_at IS NULL
             ORDER BY f.raised_at, f.entry_id",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut flags = Vec::new();
    for (entry_id, client_id, session_id, starts_at, raised_at) in candidates {
        if !access::may_read_client(signed_in, client_id)? {
            continue;
        }
        flags.push(RiskFlag {
            entry_id,
            client_id,
            client_name: crate::clients::by_id(signed_in.conn(), client_id)?.display_name,
            session_id,
            date: clock::format_date(local_date_of(zone, parse_instant(&starts_at)?)),
            raised_at,
        });
    }
    if !flags.is_empty() {
        signed_in.audit(
            Event::new(Some(signed_in.actor().staff_id), Action::MeasuresViewed)
                .detail(format!("open_risk_flags={}", flags.len())),
        )?;
    }
    Ok(flags)
}

/// The acknowledgement's signature: SHA-256 over what was acknowledged,
/// by whom, when and with which words.
fn acknowledgement_signature(entry_id: i64, staff_id: i64, at: &str, note: &str) -> String {
    let mut hash = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [
        "circle/v1/measure-risk-acknowledgement".as_bytes(),
        entry_id.to_string().as_bytes(),
        staff_id.to_string().as_bytes(),
        at.as_bytes(),
        note.as_bytes(),
    ] {
        hash.update(&(part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finish())
}

/// A clinician who may sign, and may read the client, closes the flag with
/// a short safety note; signed and audited, and never changed afterwards.
pub fn acknowledge_risk(signed_in: &SignedIn, entry_id: i64, safety_note: &str) -> Result<()> {
    signed_in.require(Capability::Sign)?;
    access::require_notes(signed_in)?;
    let found: Option<(i64, Option<String>)> = signed_in
        .conn()
        .query_row(
            "SELECT client_id, acknowledged_at FROM measure_risk_flags WHERE entry_id = ?1",
            [entry_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((client_id, acknowledged_at)) = found else {
        return Err(Error::NotFound { what: "Risk flag" });
    };
    access::require_client(signed_in, client_id)?;
    if acknowledged_at.is_some() {
        return Err(Error::Conflict {
            message: "This risk flag has already been acknowledged.".into(),
        });
    }
    let note = safety_note.trim();
    if note.is_empty() {
        return Err(Error::invalid(
            "safetyNote",
            "Write what was done to keep the client safe (a sentence or two).",
        ));
    }
    if note.chars().count() > MAX_SAFETY_NOTE_CHARS {
        return Err(Error::invalid(
            "safetyNote",
            format!("Keep the safety note under {MAX_SAFETY_NOTE_CHARS} characters."),
        ));
    }
    let actor = signed_in.actor().staff_id;
    let now = clock::now_text();
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "UPDATE measure_risk_flags
         SET acknowledged_by = ?2, acknowledged_at = ?3, safety_note = ?4, signature = ?5
         WHERE entry_id = ?1",
        params![
            entry_id,
            actor,
            now,
            note,
            acknowledgement_signature(entry_id, actor, &now, note)
        ],
    )?;
    tx.audit(
        Event::new(Some(actor), Action::MeasureRiskAcknowledged)
            .on("client", client_id)
            .detail(format!("entry={entry_id}")),
    )?;
    tx.commit()?;
    Ok(())
}
