//! The practice itself: name, time zone, idle auto-lock.

use rusqlite::{params, Connection};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

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
    crate::clock::parse_zone("timezone", zone).map(|tz| tz.name().to_owned())
}

pub(crate) fn insert_settings(conn: &Connection, name: &str, timezone: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO practice_settings (id, name, timezone, idle_lock_minutes, created_at)
         VALUES (1, ?1, ?2, ?3, ?4)",
        params![
            name,
            timezone,
            DEFAULT_IDLE_LOCK_MINUTES,
            crate::clock::now_text()
        ],
    )?;
    Ok(())
}

/// Everyone signed in may read the settings (the name and zone are on every screen).
pub fn settings(signed_in: &SignedIn) -> Result<PracticeSettings> {
    signed_in.require_own_passphrase()?;
    read_settings(signed_in.conn())
}

/// What the header and the idle lock need about the practice: its name, its
/// zone and the idle limit. The one read allowed before a sign-in has chosen
/// its own passphrase (see [`SignedIn::require_own_passphrase`]), so the
/// forced-change screen can say where it is and still lock when left idle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInSettings {
    pub name: String,
    pub timezone: String,
    pub idle_lock_minutes: u32,
}

pub fn sign_in_settings(signed_in: &SignedIn) -> Result<SignInSettings> {
    let settings = read_settings(signed_in.conn())?;
    Ok(SignInSettings {
        name: settings.name,
        timezone: settings.timezone,
        idle_lock_minutes: settings.idle_lock_minutes,
    })
}

fn read_settings(conn: &Connection) -> Result<PracticeSettings> {
    Ok(conn.query_row(
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
pub fn set_idle_lock_minutes(signed_in: &SignedIn, minutes: u32) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    if !(1..=240).contains(&minutes) {
        return Err(Error::invalid(
            "idleLockMinutes",
            "Choose between 1 and 240 minutes.",
        ));
    }
    let tx = signed_in.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE practice_settings SET idle_lock_minutes = ?1 WHERE id = 1",
        [minutes],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail(format!("idle_lock_minutes={minutes}")),
    )?;
    tx.commit()?;
    settings(signed_in)
}

/// Owner and manager only. On (the default), clinicians read and write notes
/// only for clients of groups they facilitate; off, for every client.
pub fn set_notes_scope_limited(signed_in: &SignedIn, limited: bool) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    let tx = signed_in.conn().unchecked_transaction()?;
    tx.execute(
        "UPDATE practice_settings SET notes_scope_limited = ?1 WHERE id = 1",
        [i64::from(limited)],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail(format!("notes_scope_limited={limited}")),
    )?;
    tx.commit()?;
    settings(signed_in)
}
