//! The practice itself: name, time zone, idle auto-lock.

use rusqlite::{params, Connection};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::staff::Capability;
use crate::vault::Session;

pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSettings {
    pub name: String,
    /// IANA zone, e.g. "Europe/Berlin": all local times are in this zone.
    pub timezone: String,
    pub idle_lock_minutes: u32,
    /// Clinicians read notes only of clients in groups they facilitate.
    pub notes_scope_limited: bool,
}

pub fn validate_name(name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid("practiceName", "Enter the practice's name."));
    }
    if trimmed.chars().count() > 120 {
        return Err(Error::invalid(
            "practiceName",
            "Keep the practice name under 120 characters.",
        ));
    }
    Ok(trimmed.to_owned())
}

pub fn validate_timezone(zone: &str) -> Result<String> {
    zone.trim()
        .parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| {
            Error::invalid(
                "timezone",
                "Choose a time zone from the list, such as Europe/London or America/Chicago.",
            )
        })
}

pub(crate) fn insert_settings(conn: &Connection, name: &str, timezone: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO practice_settings (id, name, timezone, idle_lock_minutes, created_at)
         VALUES (1, ?1, ?2, ?3, ?4)",
        params![
            name,
            timezone,
            DEFAULT_IDLE_LOCK_MINUTES,
            crate::staff::now_rfc3339()
        ],
    )?;
    Ok(())
}

/// Everyone signed in may read the settings (the name and zone are on every screen).
pub fn settings(session: &Session) -> Result<PracticeSettings> {
    Ok(session.conn().query_row(
        "SELECT name, timezone, idle_lock_minutes, notes_scope_limited FROM practice_settings WHERE id = 1",
        [],
        |r| {
            Ok(PracticeSettings {
                name: r.get(0)?,
                timezone: r.get(1)?,
                idle_lock_minutes: r.get(2)?,
                notes_scope_limited: r.get::<_, i64>(3)? == 1,
            })
        },
    )?)
}

/// Owner and manager only.
pub fn set_idle_lock_minutes(session: &Session, minutes: u32) -> Result<PracticeSettings> {
    session.require(Capability::Administer)?;
    if !(1..=240).contains(&minutes) {
        return Err(Error::invalid(
            "idleLockMinutes",
            "Choose between 1 and 240 minutes.",
        ));
    }
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE practice_settings SET idle_lock_minutes = ?1 WHERE id = 1",
        [minutes],
    )?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::SettingsChanged)
            .detail(format!("idle_lock_minutes={minutes}")),
    )?;
    tx.commit()?;
    settings(session)
}

/// Owner and manager only. On (the default), clinicians read and write notes
/// only for clients of groups they facilitate; off, for every client.
pub fn set_notes_scope_limited(session: &Session, limited: bool) -> Result<PracticeSettings> {
    session.require(Capability::Administer)?;
    let tx = session.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE practice_settings SET notes_scope_limited = ?1 WHERE id = 1",
        [i64::from(limited)],
    )?;
    session.audit(
        Event::new(Some(session.actor().staff_id), Action::SettingsChanged)
            .detail(format!("notes_scope_limited={limited}")),
    )?;
    tx.commit()?;
    settings(session)
}
