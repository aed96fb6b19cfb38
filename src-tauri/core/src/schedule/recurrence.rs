//! Recurrence rules to occurrences.
//!
//! A series repeats weekly (every N weeks) or monthly on the n-th (or last)
//! weekday, until a local date (inclusive) or for a number of sessions, at a
//! wall-clock time in the practice's IANA time zone: 18:00 stays 18:00 across
//! daylight-saving changes, so the UTC instants move instead.
//!
//! Everything here is pure: no database, no session, no clock reading. Dates
//! and times are parsed, and wall times turned into instants, by
//! [`crate::clock`]: a wall time that happens twice (clocks fall back) is the
//! earlier instant, one that never happens (clocks spring forward) is shifted
//! later by the gap (see [`local_to_utc`]).
//!
//! A session's end is its start plus its duration, so one that spans a change
//! lasts its real length.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;

use crate::clock::{self, local_to_utc};
use crate::error::{Error, Result};

/// Most sessions one series may have.
pub const MAX_OCCURRENCES: u32 = 1000;
/// Shortest session, in minutes.
pub const MIN_DURATION_MINUTES: u32 = 5;
/// Longest session, in minutes (twelve hours).
pub const MAX_DURATION_MINUTES: u32 = 720;
/// Widest weekly interval: once a year.
pub const MAX_INTERVAL_WEEKS: u32 = 52;
/// The last year a series may have a session in. chrono-tz's tables hold no
/// daylight-saving rule after 2099 (London has no summer time in 2100), so a
/// later 18:00 would silently land an hour off; such series are refused.
pub const LAST_SERIES_YEAR: i32 = 2099;

const PAST_LAST_YEAR_START_REASON: &str =
    "A series must start by 31 December 2099: Circle does not know the daylight-saving rules after that.";
const PAST_LAST_YEAR_COUNT_REASON: &str =
    "These sessions would run past 31 December 2099, after which Circle does not know the daylight-saving rules. Choose fewer sessions.";
const PAST_LAST_YEAR_UNTIL_REASON: &str =
    "These sessions would run past 31 December 2099, after which Circle does not know the daylight-saving rules. Choose an end date on or before 2099-12-31.";

const CAP_REASON: &str = "A series can have at most 1,000 sessions.";
const NO_SESSIONS_REASON: &str = "This pattern has no sessions before the end date.";

/// Which week of the month a monthly series meets in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum NthWeek {
    First,
    Second,
    Third,
    Fourth,
    /// The last such weekday of the month (the 4th or the 5th).
    Last,
}

impl NthWeek {
    /// As stored in `series.nth_week`: 1..=4, or -1 for the last.
    pub fn as_db(self) -> i64 {
        match self {
            NthWeek::First => 1,
            NthWeek::Second => 2,
            NthWeek::Third => 3,
            NthWeek::Fourth => 4,
            NthWeek::Last => -1,
        }
    }

    pub fn from_db(value: i64) -> Option<NthWeek> {
        match value {
            1 => Some(NthWeek::First),
            2 => Some(NthWeek::Second),
            3 => Some(NthWeek::Third),
            4 => Some(NthWeek::Fourth),
            -1 => Some(NthWeek::Last),
            _ => None,
        }
    }

    /// The date this names in the month of `month_start` (its 1st), if any.
    fn date_in(self, month_start: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
        let (year, month) = (month_start.year(), month_start.month());
        let n = match self {
            NthWeek::First => 1,
            NthWeek::Second => 2,
            NthWeek::Third => 3,
            NthWeek::Fourth => 4,
            // Every month has at least four of each weekday, some have five.
            NthWeek::Last => {
                return NaiveDate::from_weekday_of_month_opt(year, month, weekday, 5)
                    .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, weekday, 4));
            }
        };
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
    }
}

/// A day of the week as the UI sends it (`"monday"` … `"sunday"`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum DayOfWeek {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl DayOfWeek {
    /// As stored in `series.weekday` (and `availability_blocks.weekday`):
    /// 0 = Monday … 6 = Sunday.
    pub fn as_db(self) -> i64 {
        i64::from(Weekday::from(self).num_days_from_monday())
    }

    pub fn from_db(value: i64) -> Option<DayOfWeek> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 6)
            .and_then(|v| Weekday::try_from(v).ok())
            .map(DayOfWeek::from)
    }
}

impl From<DayOfWeek> for Weekday {
    fn from(day: DayOfWeek) -> Weekday {
        match day {
            DayOfWeek::Monday => Weekday::Mon,
            DayOfWeek::Tuesday => Weekday::Tue,
            DayOfWeek::Wednesday => Weekday::Wed,
            DayOfWeek::Thursday => Weekday::Thu,
            DayOfWeek::Friday => Weekday::Fri,
            DayOfWeek::Saturday => Weekday::Sat,
            DayOfWeek::Sunday => Weekday::Sun,
        }
    }
}

impl From<Weekday> for DayOfWeek {
    fn from(day: Weekday) -> DayOfWeek {
        match day {
            Weekday::Mon => DayOfWeek::Monday,
            Weekday::Tue => DayOfWeek::Tuesday,
            Weekday::Wed => DayOfWeek::Wednesday,
            Weekday::Thu => DayOfWeek::Thursday,
            Weekday::Fri => DayOfWeek::Friday,
            Weekday::Sat => DayOfWeek::Saturday,
            Weekday::Sun => DayOfWeek::Sunday,
        }
    }
}

/// The kind of repetition, as the UI's pattern picker sends it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Pattern {
    Weekly,
    MonthlyNthWeekday,
}

impl Pattern {
    /// As stored in `series.rule`.
    pub fn as_db(self) -> &'static str {
        match self {
            Pattern::Weekly => "weekly",
            Pattern::MonthlyNthWeekday => "monthly_nth_weekday",
        }
    }

    pub fn from_db(text: &str) -> Option<Pattern> {
        [Pattern::Weekly, Pattern::MonthlyNthWeekday]
            .into_iter()
            .find(|p| p.as_db() == text)
    }
}

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Every `interval_weeks` weeks (1 = every week, 2 = every other week),
    /// on `first_date`'s weekday. 1..=52.
    Weekly { interval_weeks: u32 },
    /// The `nth` (or last) `weekday` of every month.
    MonthlyNthWeekday { nth: NthWeek, weekday: Weekday },
}

impl Frequency {
    pub fn pattern(&self) -> Pattern {
        match self {
            Frequency::Weekly { .. } => Pattern::Weekly,
            Frequency::MonthlyNthWeekday { .. } => Pattern::MonthlyNthWeekday,
        }
    }
}

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The last local date a session may fall on (inclusive).
    Until(NaiveDate),
    /// This many sessions, 1..=1,000.
    Count(u32),
}

/// A parsed recurrence: what a row of `series` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecurrenceRule {
    /// Local date the series starts on. For weekly series this is the first
    /// session; for monthly ones the first session is the first matching date
    /// on or after it.
    pub first_date: NaiveDate,
    /// Local wall-clock start time.
    pub start_time: NaiveTime,
    pub duration_minutes: u32,
    pub frequency: Frequency,
    pub end: End,
    pub timezone: Tz,
}

impl RecurrenceRule {
    /// Checks the bounds that do not need the dates worked out: duration,
    /// interval, count, end date, and a first date by 2099. [`occurrences`]
    /// checks the rest (that the pattern yields a session, no more than
    /// 1,000, and none after 2099).
    pub fn validate(&self) -> Result<()> {
        if !(MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&self.duration_minutes) {
            return Err(Error::invalid(
                "durationMinutes",
                "A session must last between 5 and 720 minutes.",
            ));
        }
        if let Frequency::Weekly { interval_weeks } = self.frequency {
            if !(1..=MAX_INTERVAL_WEEKS).contains(&interval_weeks) {
                return Err(Error::invalid(
                    "intervalWeeks",
                    "A series repeats every 1 to 52 weeks.",
                ));
            }
        }
        match self.end {
            End::Count(0) => Err(Error::invalid(
                "count",
                "A series needs at least one session.",
            )),
            End::Count(n) if n > MAX_OCCURRENCES => Err(Error::invalid("count", CAP_REASON)),
            End::Until(until) if until < self.first_date => Err(Error::invalid(
                "untilDate",
                "The end date must be on or after the first date.",
            )),
            _ if self.first_date.year() > LAST_SERIES_YEAR => {
                Err(Error::invalid("firstDate", PAST_LAST_YEAR_START_REASON))
            }
            _ => Ok(()),
        }
    }
}

/// One session of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// Position in the series, from 1.
    pub seq: u32,
    /// The date in the series' time zone.
    pub local_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    /// `starts_at` plus the duration (real elapsed time, even across a change).
    pub ends_at: DateTime<Utc>,
}

/// The local dates a rule names, in order, before any end is applied.
/// Never empty-handed for long: every week or month yields a date.
fn candidate_dates(rule: &RecurrenceRule) -> Box<dyn Iterator<Item = NaiveDate>> {
    let first = rule.first_date;
    match rule.frequency {
        Frequency::Weekly { interval_weeks } => {
            let step = Days::new(7 * u64::from(interval_weeks));
            Box::new(std::iter::successors(Some(first), move |d| {
                d.checked_add_days(step)
            }))
        }
        Frequency::MonthlyNthWeekday { nth, weekday } => {
            let month_start = first.with_day(1).unwrap_or(first);
            Box::new(
                std::iter::successors(Some(month_start), |m| m.checked_add_months(Months::new(1)))
                    .filter_map(move |m| nth.date_in(m, weekday))
                    .filter(move |d| *d >= first),
            )
        }
    }
}

/// Works out every session of a series, in order.
///
/// Weekly: `first_date`, then every `7 × interval_weeks` days. Monthly: the
/// n-th (or last) weekday of each month from `first_date`'s month on, leaving
/// out dates before `first_date`. Stops after the `Until` date (inclusive) or
/// at `Count` sessions.
///
/// Refuses ([`Error::Invalid`]) a rule that fails [`RecurrenceRule::validate`],
/// one that yields no session before its end date, one that would yield
/// more than 1,000 sessions, and one with a session after 2099
/// ([`LAST_SERIES_YEAR`]; the field named is `firstDate` when even the first
/// session is, else `count` or `untilDate`, whichever ends the series).
pub fn occurrences(rule: &RecurrenceRule) -> Result<Vec<Occurrence>> {
    rule.validate()?;
    let duration = TimeDelta::minutes(i64::from(rule.duration_minutes));
    let mut out: Vec<Occurrence> = Vec::new();
    for local_date in candidate_dates(rule) {
        match rule.end {
            End::Until(until) if local_date > until => break,
            End::Count(n) if out.len() as u32 >= n => break,
            _ => {}
        }
        if out.len() as u32 >= MAX_OCCURRENCES {
            // Only an end date can get here: counts above the cap fail validate().
            return Err(Error::invalid("untilDate", CAP_REASON));
        }
        if local_date.year() > LAST_SERIES_YEAR {
            return Err(match rule.end {
                _ if out.is_empty() => Error::invalid("firstDate", PAST_LAST_YEAR_START_REASON),
                End::Count(_) => Error::invalid("count", PAST_LAST_YEAR_COUNT_REASON),
                End::Until(_) => Error::invalid("untilDate", PAST_LAST_YEAR_UNTIL_REASON),
            });
        }
        let starts_at = local_to_utc(rule.timezone, local_date, rule.start_time);
        let ends_at = starts_at
            .checked_add_signed(duration)
            .ok_or_else(too_far_ahead)?;
        out.push(Occurrence {
            seq: out.len() as u32 + 1,
            local_date,
            starts_at,
            ends_at,
        });
    }
    match rule.end {
        End::Until(_) if out.is_empty() => Err(Error::invalid("untilDate", NO_SESSIONS_REASON)),
        // The calendar ran out before the count did (dates near year 262,000).
        End::Count(n) if (out.len() as u32) < n => Err(too_far_ahead()),
        _ => Ok(out),
    }
}

fn too_far_ahead() -> Error {
    Error::invalid("firstDate", "That date is too far in the future.")
}

/// A recurrence as the series form sends it (and gets it back to edit).
///
/// Dates are `"YYYY-MM-DD"`, the start time `"HH:MM"`, the zone an IANA name
/// (`"Europe/London"`). Weekly series use `intervalWeeks` (absent means 1);
/// monthly ones use `nthWeek` and `weekday`. Exactly one of `untilDate` and
/// `count` ends the series; a blank `untilDate` counts as absent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RecurrenceInput {
    pub first_date: String,
    pub start_time: String,
    pub duration_minutes: u32,
    pub pattern: Pattern,
    pub interval_weeks: Option<u32>,
    pub nth_week: Option<NthWeek>,
    pub weekday: Option<DayOfWeek>,
    pub until_date: Option<String>,
    pub count: Option<u32>,
    pub timezone: String,
}

impl RecurrenceInput {
    /// Parses and validates into a rule. Errors name the form field
    /// (`firstDate`, `startTime`, `durationMinutes`, `intervalWeeks`,
    /// `nthWeek`, `weekday`, `untilDate`, `count`, `timezone`).
    /// Does not work out the dates: [`occurrences`] refuses patterns with no
    /// sessions or too many.
    pub fn parse(&self) -> Result<RecurrenceRule> {
        if self.first_date.trim().is_empty() {
            return Err(Error::invalid(
                "firstDate",
                "Enter the date of the first session.",
            ));
        }
        let first_date = clock::parse_date("firstDate", &self.first_date)?;
        if self.start_time.trim().is_empty() {
            return Err(Error::invalid("startTime", "Enter the start time."));
        }
        let start_time = clock::parse_time("startTime", &self.start_time)?;
        let frequency = match self.pattern {
            Pattern::Weekly => Frequency::Weekly {
                interval_weeks: self.interval_weeks.unwrap_or(1),
            },
            Pattern::MonthlyNthWeekday => Frequency::MonthlyNthWeekday {
                nth: self.nth_week.ok_or_else(|| {
                    Error::invalid("nthWeek", "Choose which week of the month the group meets.")
                })?,
                weekday: self
                    .weekday
                    .ok_or_else(|| {
                        Error::invalid("weekday", "Choose the day of the week the group meets.")
                    })?
                    .into(),
            },
        };
        let until = self
            .until_date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let end = match (until, self.count) {
            (Some(text), None) => End::Until(clock::parse_date("untilDate", text)?),
            (None, Some(n)) => End::Count(n),
            (None, None) => {
                return Err(Error::invalid(
                    "untilDate",
                    "Choose an end date or a number of sessions.",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "count",
                    "Choose an end date or a number of sessions, not both.",
                ))
            }
        };
        let timezone = clock::parse_zone("timezone", &self.timezone)?;
        let rule = RecurrenceRule {
            first_date,
            start_time,
            duration_minutes: self.duration_minutes,
            frequency,
            end,
            timezone,
        };
        rule.validate()?;
        Ok(rule)
    }
}

/// The `series` columns this input fills, as stored. Meaningful once
/// [`RecurrenceInput::parse`] has accepted the input.
impl RecurrenceInput {
    /// `series.rule`.
    pub fn rule_code(&self) -> &'static str {
        self.pattern.as_db()
    }

    /// `series.interval_weeks` (NOT NULL): the interval for weekly series
    /// (absent means 1), 1 for monthly ones.
    pub fn interval_weeks_or_default(&self) -> u32 {
        match self.pattern {
            Pattern::Weekly => self.interval_weeks.unwrap_or(1),
            Pattern::MonthlyNthWeekday => 1,
        }
    }

    /// `series.nth_week`: 1..=4 or -1 (last) for monthly series, else NULL.
    pub fn nth_week_code(&self) -> Option<i64> {
        match self.pattern {
            Pattern::Weekly => None,
            Pattern::MonthlyNthWeekday => self.nth_week.map(NthWeek::as_db),
        }
    }

    /// `series.weekday`: 0 = Monday … 6 = Sunday for monthly series, else
    /// NULL (a weekly series meets on its first date's weekday).
    pub fn weekday_code(&self) -> Option<i64> {
        match self.pattern {
            Pattern::Weekly => None,
            Pattern::MonthlyNthWeekday => self.weekday.map(DayOfWeek::as_db),
        }
    }
}

impl From<&RecurrenceRule> for RecurrenceInput {
    fn from(rule: &RecurrenceRule) -> RecurrenceInput {
        let (interval_weeks, nth_week, weekday) = match rule.frequency {
            Frequency::Weekly { interval_weeks } => (Some(interval_weeks), None, None),
            Frequency::MonthlyNthWeekday { nth, weekday } => {
                (None, Some(nth), Some(DayOfWeek::from(weekday)))
            }
        };
        let (until_date, count) = match rule.end {
            End::Until(d) => (Some(clock::format_date(d)), None),
            End::Count(n) => (None, Some(n)),
        };
        RecurrenceInput {
            first_date: clock::format_date(rule.first_date),
            start_time: clock::format_time(rule.start_time),
            duration_minutes: rule.duration_minutes,
            pattern: rule.frequency.pattern(),
            interval_weeks,
            nth_week,
            weekday,
            until_date,
            count,
            timezone: rule.timezone.name().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{local_date_of, local_time_of};
    use chrono::Timelike;
    use chrono_tz::{America::New_York, Europe::London};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn weekly(
        first: NaiveDate,
        time: NaiveTime,
        interval: u32,
        end: End,
        tz: Tz,
    ) -> RecurrenceRule {
        RecurrenceRule {
            first_date: first,
            start_time: time,
            duration_minutes: 90,
            frequency: Frequency::Weekly {
                interval_weeks: interval,
            },
            end,
            timezone: tz,
        }
    }

    fn monthly(first: NaiveDate, nth: NthWeek, weekday: Weekday, end: End) -> RecurrenceRule {
        RecurrenceRule {
            first_date: first,
            start_time: t(18, 0),
            duration_minutes: 90,
            frequency: Frequency::MonthlyNthWeekday { nth, weekday },
            end,
            timezone: London,
        }
    }

    fn dates(occ: &[Occurrence]) -> Vec<NaiveDate> {
        occ.iter().map(|o| o.local_date).collect()
    }

    fn input() -> RecurrenceInput {
        RecurrenceInput {
            first_date: "2026-03-03".into(),
            start_time: "18:00".into(),
            duration_minutes: 90,
            pattern: Pattern::Weekly,
            interval_weeks: Some(1),
            nth_week: None,
            weekday: None,
            until_date: None,
            count: Some(12),
            timezone: "Europe/London".into(),
        }
    }

    fn invalid_field(result: Result<impl std::fmt::Debug>) -> (String, String) {
        match result {
            Err(Error::Invalid { field, reason }) => (field, reason),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn weekly_london_keeps_local_time_across_march_change() {
        // BST starts on Sunday 2026-03-29.
        let rule = weekly(d(2026, 3, 17), t(18, 0), 1, End::Count(4), London);
        let occ = occurrences(&rule).unwrap();
        assert_eq!(
            dates(&occ),
            vec![
                d(2026, 3, 17),
                d(2026, 3, 24),
                d(2026, 3, 31),
                d(2026, 4, 7)
            ]
        );
        let starts: Vec<_> = occ.iter().map(|o| o.starts_at).collect();
        assert_eq!(
            starts,
            vec![
                utc("2026-03-17T18:00:00Z"),
                utc("2026-03-24T18:00:00Z"),
                utc("2026-03-31T17:00:00Z"),
                utc("2026-04-07T17:00:00Z"),
            ]
        );
        for o in &occ {
            assert_eq!(local_time_of(London, o.starts_at), t(18, 0));
            assert_eq!(local_date_of(London, o.starts_at), o.local_date);
            assert_eq!(local_time_of(London, o.ends_at), t(19, 30));
        }
        assert_eq!(
            occ.iter().map(|o| o.seq).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
    }

    #[test]
    fn weekly_new_york_keeps_local_time_across_november_change() {
        // EDT (-4) ends on Sunday 2026-11-01; 18:00 EDT is 22:00Z, 18:00 EST is 23:00Z.
        let rule = weekly(d(2026, 10, 20), t(18, 0), 1, End::Count(4), New_York);
        let occ = occurrences(&rule).unwrap();
        let starts: Vec<_> = occ.iter().map(|o| o.starts_at).collect();
        assert_eq!(
            starts,
            vec![
                utc("2026-10-20T22:00:00Z"),
                utc("2026-10-27T22:00:00Z"),
                utc("2026-11-03T23:00:00Z"),
                utc("2026-11-10T23:00:00Z"),
            ]
        );
        for o in &occ {
            assert_eq!(local_time_of(New_York, o.starts_at), t(18, 0));
        }
    }

    #[test]
    fn every_two_weeks_until_is_inclusive() {
        let rule = weekly(
            d(2026, 1, 6),
            t(10, 0),
            2,
            End::Until(d(2026, 3, 3)),
            London,
        );
        assert_eq!(
            dates(&occurrences(&rule).unwrap()),
            vec![
                d(2026, 1, 6),
                d(2026, 1, 20),
                d(2026, 2, 3),
                d(2026, 2, 17),
                d(2026, 3, 3)
            ]
        );
        let day_before = weekly(
            d(2026, 1, 6),
            t(10, 0),
            2,
            End::Until(d(2026, 3, 2)),
            London,
        );
        assert_eq!(occurrences(&day_before).unwrap().len(), 4);
        // An end date on the first date gives that one session.
        let one = weekly(
            d(2026, 1, 6),
            t(10, 0),
            2,
            End::Until(d(2026, 1, 6)),
            London,
        );
        assert_eq!(dates(&occurrences(&one).unwrap()), vec![d(2026, 1, 6)]);
    }

    #[test]
    fn monthly_second_tuesday() {
        let rule = monthly(d(2026, 1, 1), NthWeek::Second, Weekday::Tue, End::Count(4));
        assert_eq!(
            dates(&occurrences(&rule).unwrap()),
            vec![
                d(2026, 1, 13),
                d(2026, 2, 10),
                d(2026, 3, 10),
                d(2026, 4, 14)
            ]
        );
        // First date after that month's 2nd Tuesday: the series starts next month.
        let late = monthly(d(2026, 1, 14), NthWeek::Second, Weekday::Tue, End::Count(2));
        assert_eq!(
            dates(&occurrences(&late).unwrap()),
            vec![d(2026, 2, 10), d(2026, 3, 10)]
        );
        // First date exactly on it: included.
        let on = monthly(d(2026, 1, 13), NthWeek::Second, Weekday::Tue, End::Count(1));
        assert_eq!(dates(&occurrences(&on).unwrap()), vec![d(2026, 1, 13)]);
    }

    #[test]
    fn monthly_last_friday_including_five_friday_months() {
        // January and May 2026 have five Fridays.
        let rule = monthly(
            d(2026, 1, 1),
            NthWeek::Last,
            Weekday::Fri,
            End::Until(d(2026, 6, 30)),
        );
        assert_eq!(
            dates(&occurrences(&rule).unwrap()),
            vec![
                d(2026, 1, 30),
                d(2026, 2, 27),
                d(2026, 3, 27),
                d(2026, 4, 24),
                d(2026, 5, 29),
                d(2026, 6, 26)
            ]
        );
        let fourth = monthly(d(2026, 1, 1), NthWeek::Fourth, Weekday::Fri, End::Count(1));
        assert_eq!(dates(&occurrences(&fourth).unwrap()), vec![d(2026, 1, 23)]);
    }

    #[test]
    fn monthly_across_year_end_and_first_weekday() {
        let rule = monthly(d(2026, 11, 20), NthWeek::First, Weekday::Mon, End::Count(3));
        assert_eq!(
            dates(&occurrences(&rule).unwrap()),
            vec![d(2026, 12, 7), d(2027, 1, 4), d(2027, 2, 1)]
        );
    }

    #[test]
    fn count_and_until_agree() {
        let by_count = monthly(d(2026, 1, 1), NthWeek::Second, Weekday::Tue, End::Count(3));
        let by_until = monthly(
            d(2026, 1, 1),
            NthWeek::Second,
            Weekday::Tue,
            End::Until(d(2026, 3, 10)),
        );
        let a = occurrences(&by_count).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a, occurrences(&by_until).unwrap());
        let until_before_third = monthly(
            d(2026, 1, 1),
            NthWeek::Second,
            Weekday::Tue,
            End::Until(d(2026, 3, 9)),
        );
        assert_eq!(occurrences(&until_before_third).unwrap().len(), 2);
    }

    #[test]
    fn nonexistent_time_moves_later_by_the_gap() {
        // 02:30 on 2026-03-08 does not exist in New York: it is 03:30 EDT.
        let at = local_to_utc(New_York, d(2026, 3, 8), t(2, 30));
        assert_eq!(at, utc("2026-03-08T07:30:00Z"));
        assert_eq!(local_time_of(New_York, at), t(3, 30));
        // 01:30 on 2026-03-29 does not exist in London: it is 02:30 BST.
        assert_eq!(
            local_to_utc(London, d(2026, 3, 29), t(1, 30)),
            utc("2026-03-29T01:30:00Z")
        );
        // A 30-minute gap: Lord Howe goes 02:00 -> 02:30 on 2026-10-04.
        let lord_howe = chrono_tz::Australia::Lord_Howe;
        let at = local_to_utc(lord_howe, d(2026, 10, 4), t(2, 15));
        assert_eq!(local_time_of(lord_howe, at), t(2, 45));
        // A whole missing day: Samoa skipped 2011-12-30.
        let apia = chrono_tz::Pacific::Apia;
        let at = local_to_utc(apia, d(2011, 12, 30), t(10, 0));
        assert_eq!(local_date_of(apia, at), d(2011, 12, 31));
        assert_eq!(local_time_of(apia, at), t(10, 0));
    }

    #[test]
    fn ambiguous_time_takes_the_earlier_instant() {
        // 01:30 on 2026-11-01 happens twice in New York: the EDT one is 05:30Z.
        assert_eq!(
            local_to_utc(New_York, d(2026, 11, 1), t(1, 30)),
            utc("2026-11-01T05:30:00Z")
        );
        // 01:30 on 2026-10-25 happens twice in London: the BST one is 00:30Z.
        assert_eq!(
            local_to_utc(London, d(2026, 10, 25), t(1, 30)),
            utc("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn series_on_change_nights_follows_the_policy_and_lasts_its_real_duration() {
        let spring = weekly(d(2026, 3, 1), t(2, 30), 1, End::Count(2), New_York);
        let occ = occurrences(&spring).unwrap();
        assert_eq!(occ[1].local_date, d(2026, 3, 8));
        assert_eq!(occ[1].starts_at, utc("2026-03-08T07:30:00Z"));
        assert_eq!(occ[1].ends_at, utc("2026-03-08T09:00:00Z"));

        // 01:00 EDT for two hours on fall-back night ends at 02:00 EST.
        let mut fall = weekly(d(2026, 11, 1), t(1, 0), 1, End::Count(1), New_York);
        fall.duration_minutes = 120;
        let o = occurrences(&fall).unwrap()[0];
        assert_eq!(o.starts_at, utc("2026-11-01T05:00:00Z"));
        assert_eq!(o.ends_at, utc("2026-11-01T07:00:00Z"));
        assert_eq!(local_time_of(New_York, o.ends_at), t(2, 0));
    }

    #[test]
    fn invalid_rules_name_their_field() {
        let base = weekly(d(2026, 3, 3), t(18, 0), 1, End::Count(3), London);

        let mut r = base;
        r.duration_minutes = 4;
        assert_eq!(invalid_field(occurrences(&r)).0, "durationMinutes");
        r.duration_minutes = 721;
        assert_eq!(invalid_field(occurrences(&r)).0, "durationMinutes");
        r.duration_minutes = 5;
        assert!(occurrences(&r).is_ok());
        r.duration_minutes = 720;
        assert!(occurrences(&r).is_ok());

        let mut r = base;
        r.frequency = Frequency::Weekly { interval_weeks: 0 };
        assert_eq!(invalid_field(occurrences(&r)).0, "intervalWeeks");
        r.frequency = Frequency::Weekly { interval_weeks: 53 };
        assert_eq!(invalid_field(occurrences(&r)).0, "intervalWeeks");
        r.frequency = Frequency::Weekly { interval_weeks: 52 };
        assert_eq!(
            dates(&occurrences(&r).unwrap())[1],
            d(2027, 3, 2) // 364 days on
        );

        let mut r = base;
        r.end = End::Count(0);
        assert_eq!(invalid_field(occurrences(&r)).0, "count");

        let mut r = base;
        r.end = End::Until(d(2026, 3, 2));
        let (field, reason) = invalid_field(occurrences(&r));
        assert_eq!(field, "untilDate");
        assert_eq!(reason, "The end date must be on or after the first date.");
    }

    #[test]
    fn pattern_with_no_sessions_before_the_end_is_refused() {
        // 2nd Tuesday of March is the 10th (before the first date), of April the 14th.
        let rule = monthly(
            d(2026, 3, 20),
            NthWeek::Second,
            Weekday::Tue,
            End::Until(d(2026, 4, 10)),
        );
        let (field, reason) = invalid_field(occurrences(&rule));
        assert_eq!(field, "untilDate");
        assert_eq!(reason, "This pattern has no sessions before the end date.");
    }

    #[test]
    fn at_most_one_thousand_sessions() {
        let exactly = weekly(d(2026, 1, 5), t(9, 0), 1, End::Count(1000), London);
        let occ = occurrences(&exactly).unwrap();
        assert_eq!(occ.len(), 1000);
        assert_eq!(occ.last().unwrap().seq, 1000);

        let over = weekly(d(2026, 1, 5), t(9, 0), 1, End::Count(1001), London);
        assert_eq!(
            invalid_field(occurrences(&over)),
            (
                "count".into(),
                "A series can have at most 1,000 sessions.".into()
            )
        );

        // 1,000 weekly sessions from 2026-01-05 end on 2045-02-27 (999 weeks on).
        let last = d(2026, 1, 5).checked_add_days(Days::new(7 * 999)).unwrap();
        let until_last = weekly(d(2026, 1, 5), t(9, 0), 1, End::Until(last), London);
        assert_eq!(occurrences(&until_last).unwrap().len(), 1000);
        let until_after = weekly(
            d(2026, 1, 5),
            t(9, 0),
            1,
            End::Until(last.checked_add_days(Days::new(7)).unwrap()),
            London,
        );
        assert_eq!(
            invalid_field(occurrences(&until_after)),
            (
                "untilDate".into(),
                "A series can have at most 1,000 sessions.".into()
            )
        );
        let far = weekly(
            d(2026, 1, 5),
            t(9, 0),
            1,
            End::Until(d(9999, 12, 31)),
            London,
        );
        assert_eq!(invalid_field(occurrences(&far)).0, "untilDate");
    }

    #[test]
    fn sessions_after_2099_are_refused_by_the_field_that_ends_them() {
        // The last Tuesday of 2099 is the 29th.
        let to_the_end = weekly(d(2099, 12, 1), t(18, 0), 1, End::Count(5), London);
        assert_eq!(
            occurrences(&to_the_end).unwrap().last().unwrap().local_date,
            d(2099, 12, 29)
        );
        let one_more = weekly(d(2099, 12, 1), t(18, 0), 1, End::Count(6), London);
        assert_eq!(invalid_field(occurrences(&one_more)).0, "count");
        let until = weekly(
            d(2099, 12, 1),
            t(18, 0),
            1,
            End::Until(d(2100, 1, 5)),
            London,
        );
        assert_eq!(invalid_field(occurrences(&until)).0, "untilDate");
        // An end date after 2099 with no session after it is fine.
        let quiet = monthly(
            d(2099, 11, 1),
            NthWeek::Second,
            Weekday::Tue,
            End::Until(d(2100, 1, 5)),
        );
        assert_eq!(occurrences(&quiet).unwrap().len(), 2);
        // The first session after 2099 names the first date.
        let late_start = monthly(d(2099, 12, 20), NthWeek::First, Weekday::Mon, End::Count(1));
        assert_eq!(invalid_field(occurrences(&late_start)).0, "firstDate");
        let far = weekly(d(2199, 1, 1), t(18, 0), 1, End::Count(1000), London);
        let (field, reason) = invalid_field(far.validate());
        assert_eq!(field, "firstDate");
        assert!(reason.contains("2099"), "{reason}");
    }

    #[test]
    fn input_parses_into_a_rule() {
        let rule = input().parse().unwrap();
        assert_eq!(
            rule,
            weekly(d(2026, 3, 3), t(18, 0), 1, End::Count(12), London)
        );

        let json = r#"{
            "firstDate": "2026-01-01", "startTime": "18:30", "durationMinutes": 60,
            "pattern": "monthlyNthWeekday", "intervalWeeks": null,
            "nthWeek": "last", "weekday": "friday",
            "untilDate": "2026-06-30", "count": null, "timezone": "America/New_York"
        }"#;
        let parsed: RecurrenceInput = serde_json::from_str(json).unwrap();
        let rule = parsed.parse().unwrap();
        assert_eq!(
            rule.frequency,
            Frequency::MonthlyNthWeekday {
                nth: NthWeek::Last,
                weekday: Weekday::Fri
            }
        );
        assert_eq!(rule.end, End::Until(d(2026, 6, 30)));
        assert_eq!(rule.timezone, New_York);
        assert_eq!(rule.start_time, t(18, 30));

        // Round trip through the form shape.
        let back = RecurrenceInput::from(&rule);
        assert_eq!(back, parsed);
        assert_eq!(back.parse().unwrap(), rule);
        let value = serde_json::to_value(&back).unwrap();
        assert_eq!(value["nthWeek"], "last");
        assert_eq!(value["pattern"], "monthlyNthWeekday");
        assert_eq!(value["untilDate"], "2026-06-30");

        // A blank end date is absent; no interval means every week.
        let mut i = input();
        i.until_date = Some("  ".into());
        i.interval_weeks = None;
        assert_eq!(
            i.parse().unwrap().frequency,
            Frequency::Weekly { interval_weeks: 1 }
        );
    }

    #[test]
    fn input_errors_name_their_field() {
        type Change = Box<dyn Fn(&mut RecurrenceInput)>;
        let cases: Vec<(&str, Change)> = vec![
            (
                "firstDate",
                Box::new(|i| i.first_date = "2026-02-30".into()),
            ),
            ("firstDate", Box::new(|i| i.first_date = "".into())),
            ("startTime", Box::new(|i| i.start_time = "25:00".into())),
            ("startTime", Box::new(|i| i.start_time = "6pm".into())),
            ("durationMinutes", Box::new(|i| i.duration_minutes = 4)),
            ("durationMinutes", Box::new(|i| i.duration_minutes = 721)),
            ("intervalWeeks", Box::new(|i| i.interval_weeks = Some(0))),
            ("intervalWeeks", Box::new(|i| i.interval_weeks = Some(53))),
            (
                "nthWeek",
                Box::new(|i| {
                    i.pattern = Pattern::MonthlyNthWeekday;
                    i.weekday = Some(DayOfWeek::Tuesday);
                }),
            ),
            (
                "weekday",
                Box::new(|i| {
                    i.pattern = Pattern::MonthlyNthWeekday;
                    i.nth_week = Some(NthWeek::Second);
                }),
            ),
            (
                "untilDate",
                Box::new(|i| {
                    i.count = None;
                    i.until_date = Some("30/06/2026".into());
                }),
            ),
            (
                "untilDate",
                Box::new(|i| {
                    i.count = None;
                    i.until_date = Some("2026-03-02".into());
                }),
            ),
            ("untilDate", Box::new(|i| i.count = None)),
            (
                "count",
                Box::new(|i| i.until_date = Some("2026-06-30".into())),
            ),
            ("count", Box::new(|i| i.count = Some(0))),
            ("count", Box::new(|i| i.count = Some(1001))),
            (
                "timezone",
                Box::new(|i| i.timezone = "Mars/Olympus_Mons".into()),
            ),
            ("timezone", Box::new(|i| i.timezone = "".into())),
        ];
        for (field, change) in cases {
            let mut i = input();
            change(&mut i);
            let (got, reason) = invalid_field(i.parse());
            assert_eq!(got, field, "{i:?}");
            assert!(reason.ends_with('.'), "{reason}");
        }
    }

    #[test]
    fn db_codes_round_trip() {
        for nth in [
            NthWeek::First,
            NthWeek::Second,
            NthWeek::Third,
            NthWeek::Fourth,
            NthWeek::Last,
        ] {
            assert_eq!(NthWeek::from_db(nth.as_db()), Some(nth));
        }
        assert_eq!(NthWeek::Last.as_db(), -1);
        assert_eq!(NthWeek::from_db(0), None);
        assert_eq!(
            Pattern::from_db("monthly_nth_weekday"),
            Some(Pattern::MonthlyNthWeekday)
        );
        assert_eq!(Pattern::from_db("weekly"), Some(Pattern::Weekly));
        assert_eq!(Pattern::from_db("daily"), None);
        assert_eq!(DayOfWeek::Monday.as_db(), 0);
        assert_eq!(DayOfWeek::Sunday.as_db(), 6);
        for code in 0..=6 {
            assert_eq!(DayOfWeek::from_db(code).map(DayOfWeek::as_db), Some(code));
        }
        assert_eq!(DayOfWeek::from_db(7), None);
        assert_eq!(DayOfWeek::from_db(-1), None);

        let mut i = input();
        i.nth_week = Some(NthWeek::Last); // ignored by a weekly series
        i.interval_weeks = Some(2);
        assert_eq!(
            (
                i.rule_code(),
                i.interval_weeks_or_default(),
                i.nth_week_code(),
                i.weekday_code()
            ),
            ("weekly", 2, None, None)
        );
        i.pattern = Pattern::MonthlyNthWeekday;
        i.weekday = Some(DayOfWeek::Friday);
        assert_eq!(
            (
                i.rule_code(),
                i.interval_weeks_or_default(),
                i.nth_week_code(),
                i.weekday_code()
            ),
            ("monthly_nth_weekday", 1, Some(-1), Some(4))
        );
    }

    #[test]
    fn local_helpers() {
        let at = utc("2026-07-01T03:30:00Z");
        assert_eq!(local_date_of(New_York, at), d(2026, 6, 30));
        assert_eq!(local_time_of(New_York, at), t(23, 30));
        assert_eq!(local_date_of(London, at), d(2026, 7, 1));
        assert_eq!(local_time_of(London, at).hour(), 4);
    }
}
