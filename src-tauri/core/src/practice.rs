//! The practice itself: name, time zone, locale, idle auto-lock.
//!
//! # Locale
//!
//! How dates and times are written (a BCP 47 tag from [`SUPPORTED_LOCALES`]).
//! A new vault gets the default for its time zone's country
//! ([`default_locale_for_zone`]); a vault from before locales existed stores
//! none and reads as that same default until the owner chooses one.
//!
//! # Changing the time zone
//!
//! Instants are stored in UTC, series and one-off moves are planned in local
//! wall time. When the owner changes the zone, every session and appointment
//! still to come keeps its local date and time (a weekly 18:00 group is at
//! 18:00 in the new zone) and so moves in absolute time; past ones stay the
//! instants they were (see [`crate::schedule::zone_change`]).

use rusqlite::{params, Connection};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::{Capability, Role};
use crate::signed_in::SignedIn;

pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PracticeSettings {
    pub name: String,
    /// IANA zone, e.g. "Europe/Berlin": all local times are in this zone.
    pub timezone: String,
    /// BCP 47 tag, e.g. "en-IE": how dates and times are written.
    pub locale: String,
    pub idle_lock_minutes: u32,
    /// Clinicians read notes only of clients in groups they facilitate.
    pub notes_scope_limited: bool,
    /// The letterhead of exported PDFs: address lines (may be empty).
    pub address: String,
    pub phone: String,
    /// A logo is set for the letterhead.
    pub has_logo: bool,
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

/// The locales a practice may choose, with their names as the settings list
/// shows them. Each is one Intl (and `@internationalized/date`) knows.
pub const SUPPORTED_LOCALES: &[(&str, &str)] = &[
    ("en-IE", "English (Ireland)"),
    ("en-GB", "English (United Kingdom)"),
    ("en-US", "English (United States)"),
    ("en-CA", "English (Canada)"),
    ("en-AU", "English (Australia)"),
    ("en-NZ", "English (New Zealand)"),
    ("de-DE", "Deutsch (Deutschland)"),
    ("de-AT", "Deutsch (Österreich)"),
    ("de-CH", "Deutsch (Schweiz)"),
    ("fr-FR", "Français (France)"),
    ("fr-CA", "Français (Canada)"),
    ("es-ES", "Español (España)"),
    ("es-MX", "Español (México)"),
    ("nl-NL", "Nederlands (Nederland)"),
    ("it-IT", "Italiano (Italia)"),
    ("pt-PT", "Português (Portugal)"),
    ("pt-BR", "Português (Brasil)"),
    ("sv-SE", "Svenska (Sverige)"),
    ("da-DK", "Dansk (Danmark)"),
    ("nb-NO", "Norsk bokmål (Norge)"),
    ("fi-FI", "Suomi (Suomi)"),
    ("pl-PL", "Polski (Polska)"),
];

/// What a practice whose zone says nothing more specific writes dates in.
pub const FALLBACK_LOCALE: &str = "en-GB";

/// One locale the settings offer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LocaleChoice {
    pub tag: String,
    pub label: String,
}

pub fn supported_locales() -> Vec<LocaleChoice> {
    SUPPORTED_LOCALES
        .iter()
        .map(|(tag, label)| LocaleChoice {
            tag: (*tag).to_owned(),
            label: (*label).to_owned(),
        })
        .collect()
}

/// The locale a practice in `zone` most likely writes dates in, from the
/// zone's country: Europe/Dublin → en-IE, Europe/London → en-GB,
/// Europe/Berlin → de-DE, Canadian zones → en-CA, Mexican → es-MX,
/// Brazilian → pt-BR, every other America/* and US zone → en-US,
/// Australia/* → en-AU, Pacific/Auckland → en-NZ, and so on for each
/// supported locale's country; anything else en-GB.
pub fn default_locale_for_zone(zone: &str) -> &'static str {
    const CANADA: &[&str] = &[
        "America/St_Johns",
        "America/Halifax",
        "America/Glace_Bay",
        "America/Moncton",
        "America/Goose_Bay",
        "America/Toronto",
        "America/Montreal",
        "America/Nipigon",
        "America/Thunder_Bay",
        "America/Iqaluit",
        "America/Pangnirtung",
        "America/Winnipeg",
        "America/Rainy_River",
        "America/Rankin_Inlet",
        "America/Resolute",
        "America/Regina",
        "America/Swift_Current",
        "America/Edmonton",
        "America/Cambridge_Bay",
        "America/Yellowknife",
        "America/Inuvik",
        "America/Creston",
        "America/Dawson_Creek",
        "America/Fort_Nelson",
        "America/Whitehorse",
        "America/Dawson",
        "America/Vancouver",
        "America/Atikokan",
        "America/Blanc-Sablon",
    ];
    const MEXICO: &[&str] = &[
        "America/Mexico_City",
        "America/Cancun",
        "America/Merida",
        "America/Monterrey",
        "America/Matamoros",
        "America/Chihuahua",
        "America/Ciudad_Juarez",
        "America/Ojinaga",
        "America/Mazatlan",
        "America/Bahia_Banderas",
        "America/Hermosillo",
        "America/Tijuana",
        "America/Ensenada",
        "America/Santa_Isabel",
    ];
    const BRAZIL: &[&str] = &[
        "America/Sao_Paulo",
        "America/Noronha",
        "America/Belem",
        "America/Fortaleza",
        "America/Recife",
        "America/Araguaina",
        "America/Maceio",
        "America/Bahia",
        "America/Campo_Grande",
        "America/Cuiaba",
        "America/Santarem",
        "America/Porto_Velho",
        "America/Boa_Vista",
        "America/Manaus",
        "America/Eirunepe",
        "America/Rio_Branco",
    ];
    let zone = zone.trim();
    match zone {
        "Europe/Dublin" | "Eire" => "en-IE",
        "Europe/London" | "Europe/Belfast" | "Europe/Guernsey" | "Europe/Isle_of_Man"
        | "Europe/Jersey" | "GB" | "GB-Eire" => "en-GB",
        "Europe/Berlin" | "Europe/Busingen" => "de-DE",
        "Europe/Vienna" => "de-AT",
        "Europe/Zurich" => "de-CH",
        "Europe/Paris" => "fr-FR",
        "Europe/Madrid" | "Africa/Ceuta" | "Atlantic/Canary" => "es-ES",
        "Europe/Amsterdam" => "nl-NL",
        "Europe/Rome" => "it-IT",
        "Europe/Lisbon" | "Atlantic/Madeira" | "Atlantic/Azores" | "Portugal" => "pt-PT",
        "Europe/Stockholm" => "sv-SE",
        "Europe/Copenhagen" => "da-DK",
        "Europe/Oslo" => "nb-NO",
        "Europe/Helsinki" => "fi-FI",
        "Europe/Warsaw" | "Poland" => "pl-PL",
        "Pacific/Auckland" | "Pacific/Chatham" | "NZ" | "NZ-CHAT" => "en-NZ",
        "Pacific/Honolulu" => "en-US",
        _ if CANADA.contains(&zone) || zone.starts_with("Canada/") => "en-CA",
        _ if MEXICO.contains(&zone) || zone.starts_with("Mexico/") => "es-MX",
        _ if BRAZIL.contains(&zone) || zone.starts_with("Brazil/") => "pt-BR",
        _ if zone.starts_with("America/") || zone.starts_with("US/") => "en-US",
        _ if zone.starts_with("Australia/") => "en-AU",
        _ => FALLBACK_LOCALE,
    }
}

/// A locale from [`SUPPORTED_LOCALES`], as the list spells it ("en-ie" is
/// read as "en-IE").
pub fn validate_locale(tag: &str) -> Result<String> {
    let wanted = tag.trim().replace('_', "-");
    SUPPORTED_LOCALES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(&wanted))
        .map(|(known, _)| (*known).to_owned())
        .ok_or_else(|| Error::invalid("locale", "Choose a locale from the list."))
}

pub(crate) fn insert_settings(conn: &Connection, name: &str, timezone: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO practice_settings (id, name, timezone, locale, idle_lock_minutes, created_at, practice_uid)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, lower(hex(randomblob(16))))",
        params![
            name,
            timezone,
            default_locale_for_zone(timezone),
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
    pub locale: String,
    pub idle_lock_minutes: u32,
}

pub fn sign_in_settings(signed_in: &SignedIn) -> Result<SignInSettings> {
    let settings = read_settings(signed_in.conn())?;
    Ok(SignInSettings {
        name: settings.name,
        timezone: settings.timezone,
        locale: settings.locale,
        idle_lock_minutes: settings.idle_lock_minutes,
    })
}

/// The practice's random id (a backup names it; see `backup`).
pub(crate) fn practice_uid(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT practice_uid FROM practice_settings WHERE id = 1",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn read_settings(conn: &Connection) -> Result<PracticeSettings> {
    Ok(conn.query_row(
        "SELECT name, timezone, idle_lock_minutes, notes_scope_limited, locale, address, phone,
                logo IS NOT NULL
         FROM practice_settings WHERE id = 1",
        [],
        |r| {
            let timezone: String = r.get(1)?;
            // Not chosen yet (a vault from before locales): the zone's default.
            // A stored tag no longer supported reads as that default too.
            let locale = r
                .get::<_, Option<String>>(4)?
                .and_then(|tag| validate_locale(&tag).ok())
                .unwrap_or_else(|| default_locale_for_zone(&timezone).to_owned());
            Ok(PracticeSettings {
                name: r.get(0)?,
                locale,
                timezone,
                idle_lock_minutes: r.get(2)?,
                notes_scope_limited: r.get::<_, i64>(3)? == 1,
                address: r.get(5)?,
                phone: r.get(6)?,
                has_logo: r.get(7)?,
            })
        },
    )?)
}

/// Only the owner changes where and how the practice keeps its calendar.
fn require_owner(signed_in: &SignedIn) -> Result<()> {
    signed_in.require(Capability::Administer)?;
    if signed_in.actor().role == Role::Owner {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// What changing the zone did: the settings as they now stand and how many
/// sessions and appointments still to come kept their local time (and so
/// moved in absolute time).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TimezoneChanged {
    pub settings: PracticeSettings,
    pub sessions_kept: u32,
    pub appointments_kept: u32,
}

/// Owner only. Moves the practice to `zone`: every session and appointment
/// from now on keeps its local date and time there (see the module
/// documentation); the locale stays what it was. Audited with the old and
/// new zone names (no PHI).
pub fn set_timezone(signed_in: &SignedIn, zone: &str) -> Result<TimezoneChanged> {
    require_owner(signed_in)?;
    let new_zone = crate::clock::parse_zone("timezone", zone)?;
    let conn = signed_in.conn();
    let current = read_settings(conn)?;
    let old_zone = crate::clock::practice_zone(conn)?;
    if old_zone == new_zone {
        return Ok(TimezoneChanged {
            settings: current,
            sessions_kept: 0,
            appointments_kept: 0,
        });
    }
    let tx = crate::vault::db::write_transaction(conn)?;
    // The locale was the old zone's default if never chosen: keep it.
    tx.execute(
        "UPDATE practice_settings SET timezone = ?1, locale = ?2 WHERE id = 1",
        params![new_zone.name(), current.locale],
    )?;
    let kept = crate::schedule::zone_change::keep_local_times(
        &tx,
        old_zone,
        new_zone,
        crate::clock::now(),
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged).detail(format!(
            "timezone={} from={} sessions_kept={} appointments_kept={}",
            new_zone.name(),
            old_zone.name(),
            kept.sessions,
            kept.appointments
        )),
    )?;
    tx.commit()?;
    Ok(TimezoneChanged {
        settings: read_settings(conn)?,
        sessions_kept: kept.sessions,
        appointments_kept: kept.appointments,
    })
}

/// Owner only. How dates and times are written, for every sign-in.
pub fn set_locale(signed_in: &SignedIn, tag: &str) -> Result<PracticeSettings> {
    require_owner(signed_in)?;
    let locale = validate_locale(tag)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE practice_settings SET locale = ?1 WHERE id = 1",
        [&locale],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail(format!("locale={locale}")),
    )?;
    tx.commit()?;
    read_settings(signed_in.conn())
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
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
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

pub const MAX_ADDRESS_CHARS: usize = 300;
pub const MAX_PHONE_CHARS: usize = 40;

/// The practice's address and phone as the letterhead prints them.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LetterheadInput {
    /// One or more lines.
    pub address: String,
    pub phone: String,
}

/// Owner and manager only. What every exported PDF's letterhead shows
/// besides the practice's name. Both may be left empty.
pub fn set_letterhead(signed_in: &SignedIn, input: LetterheadInput) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    // Lines trimmed, empty ones dropped: the letterhead prints each line.
    let address = input
        .address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if address.chars().count() > MAX_ADDRESS_CHARS {
        return Err(Error::invalid(
            "address",
            format!("Keep the address under {MAX_ADDRESS_CHARS} characters."),
        ));
    }
    if address.lines().count() > 5 {
        return Err(Error::invalid(
            "address",
            "Keep the address to five lines or fewer.",
        ));
    }
    let phone = input.phone.trim().to_owned();
    if phone.chars().count() > MAX_PHONE_CHARS {
        return Err(Error::invalid(
            "phone",
            format!("Keep the phone number under {MAX_PHONE_CHARS} characters."),
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE practice_settings SET address = ?1, phone = ?2 WHERE id = 1",
        params![address, phone],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail("letterhead=changed"),
    )?;
    tx.commit()?;
    settings(signed_in)
}

/// The largest logo kept: a letterhead logo needs a few kilobytes.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Owner and manager only. The letterhead's logo: a PNG or JPEG under
/// 1 MiB that typst can read (checked now, so no export fails on it later).
pub fn set_logo(signed_in: &SignedIn, bytes: &[u8]) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(Error::invalid(
            "logo",
            "Choose an image under 1 MB (a logo needs far less).",
        ));
    }
    crate::export::check_logo(bytes)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE practice_settings SET logo = ?1 WHERE id = 1",
        [bytes],
    )?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail("logo=changed"),
    )?;
    tx.commit()?;
    settings(signed_in)
}

/// Owner and manager only. PDFs carry the practice's name alone again.
pub fn clear_logo(signed_in: &SignedIn) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute("UPDATE practice_settings SET logo = NULL WHERE id = 1", [])?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::SettingsChanged)
            .detail("logo=removed"),
    )?;
    tx.commit()?;
    settings(signed_in)
}

/// The letterhead's logo, if one is set.
pub(crate) fn logo(conn: &Connection) -> Result<Option<Vec<u8>>> {
    Ok(
        conn.query_row("SELECT logo FROM practice_settings WHERE id = 1", [], |r| {
            r.get(0)
        })?,
    )
}

/// Owner and manager only. On (the default), clinicians read and write notes
/// only for clients of groups they facilitate; off, for every client.
pub fn set_notes_scope_limited(signed_in: &SignedIn, limited: bool) -> Result<PracticeSettings> {
    signed_in.require(Capability::Administer)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_locale_follows_the_zones_country() {
        for (zone, locale) in [
            ("Europe/Dublin", "en-IE"),
            ("Europe/London", "en-GB"),
            ("America/New_York", "en-US"),
            ("America/Los_Angeles", "en-US"),
            ("Pacific/Honolulu", "en-US"),
            ("America/Vancouver", "en-CA"),
            ("America/Mexico_City", "es-MX"),
            ("America/Sao_Paulo", "pt-BR"),
            ("Europe/Berlin", "de-DE"),
            ("Europe/Vienna", "de-AT"),
            ("Europe/Paris", "fr-FR"),
            ("Europe/Madrid", "es-ES"),
            ("Europe/Amsterdam", "nl-NL"),
            ("Europe/Rome", "it-IT"),
            ("Europe/Lisbon", "pt-PT"),
            ("Australia/Perth", "en-AU"),
            ("Pacific/Auckland", "en-NZ"),
            ("Asia/Kolkata", "en-GB"),
            ("UTC", "en-GB"),
        ] {
            assert_eq!(default_locale_for_zone(zone), locale, "{zone}");
        }
    }

    #[test]
    fn every_default_is_a_supported_locale_and_only_those_are_accepted() {
        for zone in chrono_tz::TZ_VARIANTS {
            let tag = default_locale_for_zone(zone.name());
            assert_eq!(validate_locale(tag).unwrap(), tag, "{}", zone.name());
        }
        assert_eq!(validate_locale(" de_de ").unwrap(), "de-DE");
        for bad in ["", "en", "xx-XX", "en-IE-x-private"] {
            match validate_locale(bad) {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, "locale"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
