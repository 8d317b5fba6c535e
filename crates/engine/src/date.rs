//! Article dates: `YYYY-MM-DD` or an ISO 8601 date-time, checked against the calendar.
//!
//! Parsed by hand because the build report must say exactly what is wrong
//! ("month 13 out of range"), which general date crates do not phrase for us.

use std::fmt;

use crate::quoted::Quoted;

/// A calendar date; any time of day in the source is validated, then dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a date string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidDate {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for InvalidDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date {}: {}", Quoted(&self.input), self.reason)
    }
}

impl std::error::Error for InvalidDate {}

impl Date {
    /// Parses `YYYY-MM-DD`, optionally followed by `Thh:mm[:ss[.fff]]` and a
    /// `Z` or `±hh:mm` offset.
    pub fn parse(input: &str) -> Result<Date, InvalidDate> {
        let fail = |reason: &str| InvalidDate { input: input.to_string(), reason: reason.to_string() };
        let (date, time) = match input.split_once(['T', 't', ' ']) {
            Some((date, time)) => (date, Some(time)),
            None => (input, None),
        };
        let fields: Vec<&str> = date.split('-').collect();
        let [y, m, d] = fields[..] else {
            return Err(fail("expected YYYY-MM-DD"));
        };
        let year = digits(y, 4).ok_or_else(|| fail("expected YYYY-MM-DD"))? as i32;
        let month = digits(m, 2).ok_or_else(|| fail("expected YYYY-MM-DD"))? as u8;
        let day = digits(d, 2).ok_or_else(|| fail("expected YYYY-MM-DD"))? as u8;
        if !(1..=12).contains(&month) {
            return Err(fail(&format!("month {month} out of range")));
        }
        let last = days_in_month(year, month);
        if !(1..=last).contains(&day) {
            return Err(fail(&format!("day {day} out of range (month {month} of {year} has {last} days)")));
        }
        if let Some(time) = time {
            check_time(time).map_err(|reason| fail(&reason))?;
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before), for recency and date ranges.
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let y = self.year - i32::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i32::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl Date {
    /// The date `days` after 1970-01-01 (the inverse of [`Date::days_since_epoch`]).
    pub fn from_days(days: i32) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date { year: yoe + era * 400 + i32::from(month <= 2), month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn check_time(time: &str) -> Result<(), String> {
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => (time, ""),
    };
    let mut fields = clock.split(':');
    let hour = fields.next().and_then(|h| digits(h, 2));
    let minute = fields.next().and_then(|m| digits(m, 2));
    let second = match fields.next() {
        None => Some(0),
        Some(s) => {
            let whole = s.split_once(['.', ',']).map_or(s, |(whole, frac)| {
                if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    ""
                } else {
                    whole
                }
            });
            digits(whole, 2)
        }
    };
    let (Some(hour), Some(minute), Some(second), None) = (hour, minute, second, fields.next()) else {
        return Err("expected a time of day as hh:mm or hh:mm:ss".into());
    };
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("time {clock} out of range"));
    }
    let offset_ok = match offset {
        "" | "Z" | "z" => true,
        _ => {
            let body = &offset[1..];
            let (h, m) = body.split_once(':').unwrap_or((body, "00"));
            matches!((digits(h, 2), digits(m, 2)), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
    };
    if offset_ok {
        Ok(())
    } else {
        Err(format!("bad time-zone offset {}", Quoted(offset)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_corpus_forms() {
        let d = Date::parse("2020-02-13").unwrap();
        assert_eq!((d.year, d.month, d.day), (2020, 2, 13));
        assert_eq!(Date::parse("2022-03-07T18:05:00").unwrap(), Date::parse("2022-03-07").unwrap());
        assert!(Date::parse("2022-03-07T18:05:00.123+05:00").is_ok());
        assert!(Date::parse("2022-03-07T18:05Z").is_ok());
        assert!(Date::parse("2024-02-29").is_ok());
    }

    #[test]
    fn names_the_out_of_range_field() {
        let err = Date::parse("2020-13-45").unwrap_err();
        assert_eq!(err.to_string(), "invalid date \"2020-13-45\": month 13 out of range");
        let err = Date::parse("2023-02-29").unwrap_err();
        assert!(err.reason.starts_with("day 29 out of range"), "{err}");
        assert!(Date::parse("2023-01-01T25:00:00").unwrap_err().reason.contains("out of range"));
    }

    #[test]
    fn refuses_other_shapes() {
        for bad in ["2020-1-5", "20-01-05", "2020/01/05", "yesterday", "", "2020-01-05T", "2020-01-05T10:00+5"] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn days_round_trip(days in -1_000_000i32..1_000_000) {
            proptest::prop_assert_eq!(Date::from_days(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn counts_days_from_the_epoch() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
    }
}
