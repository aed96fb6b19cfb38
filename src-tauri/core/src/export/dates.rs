//! Dates and times as the PDFs print them: the practice's zone, and the
//! order and clock its locale uses ("Mon 23 Nov 2026, 18:00" in Ireland,
//! "Mon, Nov 23, 2026, 6:00 PM" in the United States). The words around
//! them are English, so the month and day names are too.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;

use crate::error::Result;

pub(crate) struct Dates {
    pub zone: Tz,
    month_first: bool,
    twelve_hour: bool,
    letter_paper: bool,
}

impl Dates {
    pub fn of(conn: &Connection) -> Result<Dates> {
        let zone = crate::clock::practice_zone(conn)?;
        let locale = crate::practice::read_settings(conn)?.locale;
        Ok(Dates::for_locale(zone, &locale))
    }

    pub fn for_locale(zone: Tz, locale: &str) -> Dates {
        // As Intl writes them by default for these locales (the UI's own
        // formatter), so the screen and the paper agree.
        Dates {
            zone,
            month_first: matches!(locale, "en-US" | "en-CA"),
            twelve_hour: matches!(locale, "en-US" | "en-CA" | "en-AU" | "en-NZ" | "es-MX"),
            letter_paper: matches!(locale, "en-US" | "en-CA" | "fr-CA" | "es-MX"),
        }
    }

    /// "us-letter" or "a4", as typst names them.
    pub fn paper(&self) -> &'static str {
        if self.letter_paper {
            "us-letter"
        } else {
            "a4"
        }
    }

    /// "Mon 23 Nov 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        if self.month_first {
            date.format("%a, %b %-d, %Y").to_string()
        } else {
            date.format("%a %-d %b %Y").to_string()
        }
    }

    /// "18:00" or "6:00 PM".
    pub fn time(&self, time: NaiveTime) -> String {
        if self.twelve_hour {
            time.format("%-I:%M %p").to_string()
        } else {
            time.format("%H:%M").to_string()
        }
    }

    /// "Mon 23 Nov 2026, 18:00" in the practice's zone.
    pub fn instant(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&self.zone);
        format!(
            "{}, {}",
            self.date(local.date_naive()),
            self.time(local.time())
        )
    }

    /// The same, from stored RFC 3339 text.
    pub fn instant_text(&self, text: &str) -> Result<String> {
        Ok(self.instant(crate::clock::parse_instant(text)?))
    }

    /// "18:00–19:30".
    pub fn span(&self, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
        format!(
            "{}–{}",
            self.time(starts.with_timezone(&self.zone).time()),
            self.time(ends.with_timezone(&self.zone).time())
        )
    }

    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        crate::clock::local_date_of(self.zone, at)
    }

    /// "1 Sep 2026 – 30 Nov 2026".
    pub fn range(&self, from: NaiveDate, to: NaiveDate) -> String {
        format!("{} – {}", self.date(from), self.date(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_locale_writes_dates_in_its_own_order_and_clock() {
        let at = crate::clock::parse_instant("2026-11-23T18:05:00Z").unwrap();
        let ireland = Dates::for_locale(chrono_tz::Europe::Dublin, "en-IE");
        assert_eq!(ireland.instant(at), "Mon 23 Nov 2026, 18:05");
        assert_eq!(ireland.paper(), "a4");
        let us = Dates::for_locale(chrono_tz::America::New_York, "en-US");
        assert_eq!(us.instant(at), "Mon, Nov 23, 2026, 1:05 PM");
        assert_eq!(us.paper(), "us-letter");
        let germany = Dates::for_locale(chrono_tz::Europe::Berlin, "de-DE");
        assert_eq!(germany.instant(at), "Mon 23 Nov 2026, 19:05");
    }
}
