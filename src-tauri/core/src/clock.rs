//! The clock: every instant, zone, date and wall-clock time Circle handles
//! goes through here. Nothing else calls `Utc::now()` or parses dates.
//!
//! # Instants
//!
//! Stored as RFC 3339 UTC text with whole seconds and "Z"
//! (`2026-03-03T18:00:00Z`), so text order is time order ([`instant_text`],
//! [`parse_instant`]). The audit log alone keeps milliseconds
//! ([`precise_instant_text`]); the keyring counts Unix seconds
//! ([`now_unix`], [`from_unix`]).
//!
//! # Now, and a clock tests can set
//!
//! [`now`] is the system clock. Test and debug builds also have
//! [`set_now_for_tests`], which pins `now` **for the calling thread only** (so
//! tests running in parallel never see each other's clock; circle-core does
//! all its work on the caller's thread). Release builds compile the override
//! out: there `now` is `Utc::now()` and nothing else, and no environment
//! variable or setting can change it.
//!
//! # The practice's zone
//!
//! [`practice_zone`] reads `practice_settings.timezone`. One policy: a missing
//! row, an empty value or a name chrono-tz does not know is a storage error
//! ([`Error::Storage`]). Circle never guesses a zone: a wrong one would move
//! every session by hours and put notes on the wrong day. The zone is checked
//! when it is entered ([`parse_zone`]), so this only happens to a damaged or
//! hand-edited vault.
//!
//! # Wall time to instant
//!
//! [`local_to_utc`] turns a local date and time into an instant. Most wall
//! times happen exactly once. The two exceptions are settled like this:
//!
//! - **Ambiguous** (clocks fall back, so 01:30 happens twice): the *earlier*
//!   instant, i.e. the session happens the first time 01:30 comes round.
//! - **Nonexistent** (clocks spring forward, so 02:30 never happens): the same
//!   wall time shifted later by the size of the gap, i.e. the instant the wall
//!   time would have named under the offset in force just before the change
//!   (02:30 on the spring-forward night in America/New_York is 03:30 EDT).
//!
//! All zone arithmetic is chrono-tz's.
//!
//! # Dates and times people type
//!
//! One parser each. A date is exactly `YYYY-MM-DD` (a real calendar date,
//! years 1900 to 2200); a time is exactly `HH:MM` on a 24-hour clock. Seconds
//! are refused: Circle schedules in whole minutes, stores `HH:MM`, and every
//! form sends `HH:MM`. Surrounding spaces are ignored. Errors name the field
//! ([`Error::Invalid`]). The year bound keeps date arithmetic (a week view, a
//! 90-day search, a series of 1,000 sessions) far from chrono's limits.

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeDelta,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// Earliest year a parsed date may have.
pub const MIN_YEAR: i32 = 1900;
/// Latest year a parsed date may have.
pub const MAX_YEAR: i32 = 2200;

const DATE_REASON: &str = "Enter a date like 2026-03-03.";
const DATE_RANGE_REASON: &str = "Enter a date between the years 1900 and 2200.";
const TIME_REASON: &str = "Enter a time like 18:00.";
const ZONE_REASON: &str =
    "Choose a time zone from the list, such as Europe/London or America/Chicago.";

// ---------------------------------------------------------------- now

#[cfg(any(test, debug_assertions, feature = "bench"))]
thread_local! {
    static PINNED_NOW: std::cell::Cell<Option<DateTime<Utc>>> =
        const { std::cell::Cell::new(None) };
}

/// The current instant (or, in test, debug and bench builds, the one
/// [`set_now_for_tests`] pinned on this thread).
pub fn now() -> DateTime<Utc> {
    #[cfg(any(test, debug_assertions, feature = "bench"))]
    if let Some(pinned) = PINNED_NOW.with(std::cell::Cell::get) {
        return pinned;
    }
    Utc::now()
}

/// Pins [`now`] to `at` on the calling thread; `None` goes back to the system
/// clock. Test, debug and bench builds only (the `bench` feature lets the
/// reliability suites run optimised in `make stress`); absent from the app's
/// release build and the installers. Note the audit log stamps its entries
/// with [`now`] too.
#[cfg(any(test, debug_assertions, feature = "bench"))]
pub fn set_now_for_tests(at: Option<DateTime<Utc>>) {
    PINNED_NOW.with(|pinned| pinned.set(at));
}

/// [`now`] as stored: `2026-03-03T18:00:00Z`.
pub fn now_text() -> String {
    instant_text(now())
}

/// [`now`] in whole seconds since 1970 (the keyring's failure times).
pub fn now_unix() -> i64 {
    now().timestamp()
}

/// The instant `seconds` after 1970, if chrono can represent it.
pub fn from_unix(seconds: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0)
}

// ---------------------------------------------------------------- instants

/// Stored instants: RFC 3339 UTC with whole seconds and "Z", so text order is
/// time order.
pub fn instant_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The audit log's stamps: as [`instant_text`], with milliseconds.
pub fn precise_instant_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored instant. Anything else is a storage error (stored text is
/// never typed by a person).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Storage {
            detail: "a stored time is not RFC 3339".into(),
        })
}

// ---------------------------------------------------------------- zones

/// The practice's zone, from `practice_settings`. Missing, empty or unknown
/// is a storage error (see the module documentation).
pub fn practice_zone(conn: &Connection) -> Result<Tz> {
    let name: Option<String> = conn
        .query_row(
            "SELECT timezone FROM practice_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    zone_from_setting(name.as_deref())
}

/// The missing-or-unknown policy on its own: `None`, blank or a name
/// chrono-tz does not know is [`Error::Storage`].
pub fn zone_from_setting(name: Option<&str>) -> Result<Tz> {
    name.map(str::trim)
        .filter(|n| !n.is_empty())
        .and_then(|n| n.parse::<Tz>().ok())
        .ok_or_else(|| Error::Storage {
            detail: "the practice time zone is missing or not a known IANA zone".into(),
        })
}

/// A zone a person chose ("Europe/London"), refused with a field error.
pub fn parse_zone(field: &str, text: &str) -> Result<Tz> {
    text.trim()
        .parse::<Tz>()
        .map_err(|_| Error::invalid(field, ZONE_REASON))
}

/// Today's date in `tz`.
pub fn today_in(tz: Tz) -> NaiveDate {
    local_date_of(tz, now())
}

// ---------------------------------------------------------------- local <-> UTC

/// The instant a local wall-clock time names in `tz`.
///
/// - A time that happens once is that instant.
/// - A time that happens twice (clocks fall back) is the **earlier** instant:
///   01:30 on 2026-11-01 in America/New_York is 05:30Z (01:30 EDT), not 06:30Z.
/// - A time that never happens (clocks spring forward) is the same wall time
///   shifted later by the gap, read with the offset in force just before the
///   change: 02:30 on 2026-03-08 in America/New_York is 07:30Z (03:30 EDT).
///   The gap is found in chrono-tz's tables, so 30-minute and whole-day gaps
///   work the same way.
pub fn local_to_utc(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        chrono::LocalResult::None => across_gap(tz, local),
    }
}

/// `local` falls in a spring-forward gap: read it with the offset in force
/// just before the transition.
fn across_gap(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let wall = |u: DateTime<Utc>| u.with_timezone(&tz).naive_local();
    // Find the transition: the first instant whose wall time is past `local`.
    // Offsets lie well within a day, so the wall time a day before `local`
    // read as UTC is not past it, and a day after is. Between them the wall
    // time only moves forward (a gap has no fall-back beside it).
    let as_utc = local.and_utc();
    let mut before = as_utc - TimeDelta::days(1);
    let mut after = as_utc + TimeDelta::days(1);
    while after - before > TimeDelta::seconds(1) {
        let mid = before + (after - before) / 2;
        if wall(mid) > local {
            after = mid;
        } else {
            before = mid;
        }
    }
    let offset = tz.offset_from_utc_datetime(&before.naive_utc()).fix();
    Utc.from_utc_datetime(&(local - TimeDelta::seconds(i64::from(offset.local_minus_utc()))))
}

/// The instant local `date` begins in `tz` (its midnight, or the first
/// moment after it where midnight is skipped).
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(tz, date, NaiveTime::MIN)
}

/// The local date of an instant in `tz`.
pub fn local_date_of(tz: Tz, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// The local wall-clock time of an instant in `tz`.
pub fn local_time_of(tz: Tz, instant: DateTime<Utc>) -> NaiveTime {
    instant.with_timezone(&tz).time()
}

// ---------------------------------------------------------------- parsing

/// Why a typed date was refused, for forms that word it their own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD`, or no such day (2026-02-30).
    Malformed,
    /// Before 1 January [`MIN_YEAR`].
    TooEarly,
    /// After 31 December [`MAX_YEAR`].
    TooLate,
}

impl DateProblem {
    fn reason(self) -> &'static str {
        match self {
            DateProblem::Malformed => DATE_REASON,
            DateProblem::TooEarly | DateProblem::TooLate => DATE_RANGE_REASON,
        }
    }
}

/// Exactly `YYYY-MM-DD` (spaces around it ignored), a real date, years
/// [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn read_date(text: &str) -> std::result::Result<NaiveDate, DateProblem> {
    let text = text.trim();
    if !has_shape(text, "dddd-dd-dd") {
        return Err(DateProblem::Malformed);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| DateProblem::Malformed)?;
    match date.year() {
        y if y < MIN_YEAR => Err(DateProblem::TooEarly),
        y if y > MAX_YEAR => Err(DateProblem::TooLate),
        _ => Ok(date),
    }
}

/// A date a person typed, or a field error naming `field`.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate> {
    read_date(text).map_err(|problem| Error::invalid(field, problem.reason()))
}

/// A time a person typed: exactly `HH:MM` (24-hour, no seconds), or a field
/// error naming `field`.
pub fn parse_time(field: &str, text: &str) -> Result<NaiveTime> {
    let text = text.trim();
    has_shape(text, "dd:dd")
        .then(|| NaiveTime::parse_from_str(text, "%H:%M").ok())
        .flatten()
        .ok_or_else(|| Error::invalid(field, TIME_REASON))
}

/// `text` is ASCII matching `pattern`, where `d` is any digit and every other
/// character stands for itself.
fn has_shape(text: &str, pattern: &str) -> bool {
    text.len() == pattern.len()
        && text.bytes().zip(pattern.bytes()).all(|(b, p)| match p {
            b'd' => b.is_ascii_digit(),
            _ => b == p,
        })
}

// ---------------------------------------------------------------- formatting

/// `2026-03-03`, as forms and the database take dates.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `18:00`, as forms and the database take times.
pub fn format_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// "Tue 3 Mar, 18:00–19:30": a span in `tz`, as conflict messages name it.
pub fn format_span(tz: Tz, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (s, e) = (starts.with_timezone(&tz), ends.with_timezone(&tz));
    format!("{}–{}", s.format("%a %-d %b, %H:%M"), e.format("%H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America::New_York, Europe::Dublin};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        parse_instant(text).unwrap()
    }

    fn invalid(result: Result<impl std::fmt::Debug>) -> (String, String) {
        match result {
            Err(Error::Invalid { field, reason }) => (field, reason),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn parse_errors_name_the_field() {
        assert_eq!(
            parse_date("firstDate", " 2026-03-03 ").unwrap(),
            d(2026, 3, 3)
        );
        for bad in [
            "",
            "  ",
            "2026-02-30",
            "30/06/2026",
            "2026-3-3",
            "2026-03-03T10:00",
        ] {
            assert_eq!(
                invalid(parse_date("untilDate", bad)),
                ("untilDate".into(), DATE_REASON.into()),
                "{bad:?}"
            );
        }
        assert_eq!(parse_time("startTime", "18:00").unwrap(), t(18, 0));
        assert_eq!(parse_time("startTime", " 00:05 ").unwrap(), t(0, 5));
        // HH:MM only: seconds, 12-hour and one-digit hours are refused.
        for bad in [
            "",
            "18:00:00",
            "24:00",
            "18:60",
            "9:00",
            "6pm",
            "18h00",
            "１８:００",
        ] {
            assert_eq!(
                invalid(parse_time("arrivedAt", bad)),
                ("arrivedAt".into(), TIME_REASON.into()),
                "{bad:?}"
            );
        }
        let (field, reason) = invalid(parse_zone("timezone", "Mars/Olympus_Mons"));
        assert_eq!((field.as_str(), reason.as_str()), ("timezone", ZONE_REASON));
        assert_eq!(parse_zone("timezone", " Europe/Dublin ").unwrap(), Dublin);
    }

    #[test]
    fn parsed_dates_stay_within_1900_to_2200() {
        assert_eq!(read_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert_eq!(read_date("2200-12-31"), Ok(d(2200, 12, 31)));
        assert_eq!(read_date("1899-12-31"), Err(DateProblem::TooEarly));
        assert_eq!(read_date("0000-01-01"), Err(DateProblem::TooEarly));
        assert_eq!(read_date("2201-01-01"), Err(DateProblem::TooLate));
        assert_eq!(read_date("9999-12-31"), Err(DateProblem::TooLate));
        // Years chrono itself would take (or overflow on) are field errors, not panics.
        for far in [
            "+262143-01-01",
            "262143-01-01",
            "-0001-01-01",
            "+2026-03-03",
        ] {
            assert_eq!(read_date(far), Err(DateProblem::Malformed), "{far}");
            assert_eq!(invalid(parse_date("date", far)).0, "date");
        }
        assert_eq!(
            invalid(parse_date("fromDate", "2201-01-01")),
            ("fromDate".into(), DATE_RANGE_REASON.into())
        );
        assert_eq!(
            invalid(parse_date("startedOn", "1850-06-01")).0,
            "startedOn"
        );
    }

    #[test]
    fn dublin_gap_and_overlap() {
        // Irish clocks go 01:00 GMT -> 02:00 IST on 2026-03-29: 01:30 never
        // happens and is read as 02:30 IST.
        let gap = local_to_utc(Dublin, d(2026, 3, 29), t(1, 30));
        assert_eq!(gap, utc("2026-03-29T01:30:00Z"));
        assert_eq!(local_time_of(Dublin, gap), t(2, 30));
        // They go 02:00 IST -> 01:00 GMT on 2026-10-25: 01:30 happens twice,
        // the earlier (IST, 00:30Z) wins.
        assert_eq!(
            local_to_utc(Dublin, d(2026, 10, 25), t(1, 30)),
            utc("2026-10-25T00:30:00Z")
        );
        // Either side of the changes, plain offsets.
        assert_eq!(
            local_to_utc(Dublin, d(2026, 3, 28), t(18, 0)),
            utc("2026-03-28T18:00:00Z")
        );
        assert_eq!(
            local_to_utc(Dublin, d(2026, 3, 30), t(18, 0)),
            utc("2026-03-30T17:00:00Z")
        );
    }

    #[test]
    fn new_york_gap_and_overlap() {
        // 02:30 on 2026-03-08 does not exist: it is 03:30 EDT (07:30Z).
        let gap = local_to_utc(New_York, d(2026, 3, 8), t(2, 30));
        assert_eq!(gap, utc("2026-03-08T07:30:00Z"));
        assert_eq!(local_time_of(New_York, gap), t(3, 30));
        assert_eq!(local_date_of(New_York, gap), d(2026, 3, 8));
        // 01:30 on 2026-11-01 happens twice: the EDT one (05:30Z), not 06:30Z.
        let overlap = local_to_utc(New_York, d(2026, 11, 1), t(1, 30));
        assert_eq!(overlap, utc("2026-11-01T05:30:00Z"));
        assert_eq!(local_time_of(New_York, overlap), t(1, 30));
        // Local midnight, and the local date of an instant just before it.
        let midnight = start_of_day(New_York, d(2026, 7, 1));
        assert_eq!(midnight, utc("2026-07-01T04:00:00Z"));
        assert_eq!(
            local_date_of(New_York, midnight - TimeDelta::seconds(1)),
            d(2026, 6, 30)
        );
    }

    #[test]
    fn a_missing_or_unknown_zone_is_a_storage_error_never_a_guess() {
        for setting in [
            None,
            Some(""),
            Some("  "),
            Some("Mars/Olympus_Mons"),
            Some("GMT+25"),
        ] {
            assert!(
                matches!(zone_from_setting(setting), Err(Error::Storage { .. })),
                "{setting:?}"
            );
        }
        assert_eq!(zone_from_setting(Some("Europe/Dublin")).unwrap(), Dublin);

        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE practice_settings (id INTEGER PRIMARY KEY, timezone TEXT)",
        )
        .unwrap();
        // No settings row yet.
        assert!(matches!(practice_zone(&conn), Err(Error::Storage { .. })));
        conn.execute_batch("INSERT INTO practice_settings VALUES (1, NULL)")
            .unwrap();
        assert!(matches!(practice_zone(&conn), Err(Error::Storage { .. })));
        conn.execute_batch("UPDATE practice_settings SET timezone = 'Nowhere/Atlantis'")
            .unwrap();
        assert!(matches!(practice_zone(&conn), Err(Error::Storage { .. })));
        conn.execute_batch("UPDATE practice_settings SET timezone = 'America/New_York'")
            .unwrap();
        assert_eq!(practice_zone(&conn).unwrap(), New_York);
    }

    #[test]
    fn instants_keep_the_stored_format() {
        let at = utc("2026-03-03T18:00:00.250+01:00");
        assert_eq!(instant_text(at), "2026-03-03T17:00:00Z");
        assert_eq!(precise_instant_text(at), "2026-03-03T17:00:00.250Z");
        assert_eq!(
            parse_instant(&instant_text(at)).unwrap(),
            at - TimeDelta::milliseconds(250)
        );
        assert!(matches!(
            parse_instant("yesterday"),
            Err(Error::Storage { .. })
        ));
        assert_eq!(
            from_unix(0).map(instant_text).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
        assert_eq!(from_unix(i64::MAX), None);
        assert_eq!(format_date(d(2026, 3, 3)), "2026-03-03");
        assert_eq!(format_time(t(9, 5)), "09:05");
        assert_eq!(
            format_span(
                Dublin,
                utc("2026-03-03T18:00:00Z"),
                utc("2026-03-03T19:30:00Z")
            ),
            "Tue 3 Mar, 18:00–19:30"
        );
    }

    #[test]
    fn tests_can_pin_now_on_their_own_thread() {
        let pinned = utc("2030-01-15T09:00:00Z");
        set_now_for_tests(Some(pinned));
        assert_eq!(now(), pinned);
        assert_eq!(now_text(), "2030-01-15T09:00:00Z");
        assert_eq!(now_unix(), pinned.timestamp());
        assert_eq!(today_in(New_York), d(2030, 1, 15));
        // Another thread still has the real clock.
        let elsewhere = std::thread::spawn(now).join().unwrap();
        assert_ne!(elsewhere, pinned);
        set_now_for_tests(None);
        assert_ne!(now(), pinned);
    }
}
