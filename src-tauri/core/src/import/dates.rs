//! Dates of birth as old systems write them: ISO, `MM/DD/YYYY`,
//! `DD/MM/YYYY` and `3 Mar 1985`. Whether slashes mean day/month or
//! month/day is decided once for the whole file — from a date that can only
//! be read one way, else by asking — never guessed row by row.

use chrono::NaiveDate;

/// The order of day and month in dates written with slashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    /// 27/03/1984
    DayMonthYear,
    /// 03/27/1984
    MonthDayYear,
}

impl DateOrder {
    pub fn words(self) -> &'static str {
        match self {
            DateOrder::DayMonthYear => "day/month/year",
            DateOrder::MonthDayYear => "month/day/year",
        }
    }
}

/// What the file's dates say about their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum OrderFound {
    /// No date written with slashes: nothing to decide.
    NotNeeded,
    /// Some date can only be read this way, and none only the other way.
    Evident(DateOrder),
    /// Every slashed date reads both ways, or some read only one way and
    /// others only the other: the person decides.
    Ask,
}

/// The day and month parts of "a/b/yyyy" (or with dots), if it is one.
fn slashed(text: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = text.split(['/', '.']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if a.is_empty() || a.len() > 2 || b.is_empty() || b.len() > 2 || y.len() != 4 {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

/// Reads the order from every date cell of the file.
pub fn order_of<'a>(cells: impl Iterator<Item = &'a str>) -> OrderFound {
    let (mut day_first, mut month_first, mut any) = (false, false, false);
    for (a, b, _) in cells.filter_map(slashed) {
        any = true;
        day_first |= a > 12 && b <= 12;
        month_first |= b > 12 && a <= 12;
    }
    match (any, day_first, month_first) {
        (false, _, _) => OrderFound::NotNeeded,
        (true, true, false) => OrderFound::Evident(DateOrder::DayMonthYear),
        (true, false, true) => OrderFound::Evident(DateOrder::MonthDayYear),
        _ => OrderFound::Ask,
    }
}

/// Why a date cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Slashes, and the order is not decided yet.
    OrderUndecided,
    /// Not a date in any accepted form, or not a real day.
    NotADate(String),
}

/// The date in `text`, with slashes read in `order`.
pub fn read(text: &str, order: Option<DateOrder>) -> Result<NaiveDate, DateProblem> {
    let text = text.trim();
    // An ISO date with a time after it ("1984-03-27T00:00:00") is a date.
    let iso = text.split(['T', ' ']).next().unwrap_or(text);
    if let Ok(date) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        return Ok(date);
    }
    if let Some((a, b, year)) = slashed(text) {
        let (day, month) = match order {
            None => return Err(DateProblem::OrderUndecided),
            Some(DateOrder::DayMonthYear) => (a, b),
            Some(DateOrder::MonthDayYear) => (b, a),
        };
        return NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
            DateProblem::NotADate(format!(
                "“{text}” is not a date when read as {}.",
                order.map_or("", DateOrder::words)
            ))
        });
    }
    // "3 Mar 1985", "03 March 1985".
    let spaced = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for form in ["%d %b %Y", "%d %B %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(&spaced, form) {
            return Ok(date);
        }
    }
    Err(DateProblem::NotADate(format!(
        "“{text}” is not a date Circle reads. Write it as 1984-03-27, 27/03/1984 or 27 Mar 1984."
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn every_accepted_form_is_read() {
        let dmy = Some(DateOrder::DayMonthYear);
        let mdy = Some(DateOrder::MonthDayYear);
        assert_eq!(read("1984-03-27", None), Ok(d("1984-03-27")));
        assert_eq!(read("1984-03-27T00:00:00", None), Ok(d("1984-03-27")));
        assert_eq!(read("27/03/1984", dmy), Ok(d("1984-03-27")));
        assert_eq!(read("03/27/1984", mdy), Ok(d("1984-03-27")));
        assert_eq!(read("3/4/1984", dmy), Ok(d("1984-04-03")));
        assert_eq!(read("3/4/1984", mdy), Ok(d("1984-03-04")));
        assert_eq!(read("27.03.1984", dmy), Ok(d("1984-03-27")));
        assert_eq!(read("3 Mar 1985", None), Ok(d("1985-03-03")));
        assert_eq!(read("03 March 1985", None), Ok(d("1985-03-03")));
        assert_eq!(read("3/4/1984", None), Err(DateProblem::OrderUndecided));
        assert!(matches!(
            read("31/02/1990", dmy),
            Err(DateProblem::NotADate(_))
        ));
        assert!(matches!(
            read("13/27/1984", mdy),
            Err(DateProblem::NotADate(_))
        ));
        assert!(matches!(read("soon", None), Err(DateProblem::NotADate(_))));
    }

    #[test]
    fn the_order_is_decided_for_the_whole_file_or_asked() {
        assert_eq!(order_of(["1984-03-27"].into_iter()), OrderFound::NotNeeded);
        assert_eq!(
            order_of(["03/04/1984", "27/03/1984"].into_iter()),
            OrderFound::Evident(DateOrder::DayMonthYear)
        );
        assert_eq!(
            order_of(["03/04/1984", "03/27/1984"].into_iter()),
            OrderFound::Evident(DateOrder::MonthDayYear)
        );
        assert_eq!(order_of(["03/04/1984"].into_iter()), OrderFound::Ask);
        assert_eq!(
            order_of(["27/03/1984", "03/27/1984"].into_iter()),
            OrderFound::Ask
        );
    }
}
