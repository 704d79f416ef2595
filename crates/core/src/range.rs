//! The date/time range of the filter bar: quick choices and the rules a custom range must
//! meet before it is sent (ordered, and at most `max_range_days` wide).

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use thiserror::Error;

/// The quick choices, as (label, span).
pub const QUICK_RANGES: [(&str, i64); 4] = [
    ("Last hour", 3_600),
    ("Last 24 hours", 86_400),
    ("Last 5 days", 5 * 86_400),
    ("Last 15 days", 15 * 86_400),
];

/// Why a range was refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RangeError {
    #[error("Enter both From and To as dates and times (UTC).")]
    Unreadable,
    #[error("From must be before To.")]
    Inverted,
    #[error("The range is {days:.1} days wide; the most is {max} days.")]
    TooWide { days: f64, max: u32 },
}

/// Checks a range against the rules.
pub fn validate(from: DateTime<Utc>, to: DateTime<Utc>, max_days: u32) -> Result<(), RangeError> {
    if from >= to {
        return Err(RangeError::Inverted);
    }
    let width = to - from;
    if width > Duration::days(i64::from(max_days)) {
        return Err(RangeError::TooWide {
            days: width.num_minutes() as f64 / 1_440.0,
            max: max_days,
        });
    }
    Ok(())
}

/// Reads the value of an `<input type="datetime-local">` (`2026-11-20T10:00`, seconds
/// optional) as a UTC instant.
pub fn parse_input(value: &str) -> Option<DateTime<Utc>> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value.trim(), format).ok())
        .map(|naive| naive.and_utc())
}

/// Formats an instant for an `<input type="datetime-local">`, in UTC.
pub fn format_input(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads and checks a custom range from the two inputs.
pub fn from_inputs(
    from: &str,
    to: &str,
    max_days: u32,
) -> Result<(DateTime<Utc>, DateTime<Utc>), RangeError> {
    let (Some(from), Some(to)) = (parse_input(from), parse_input(to)) else {
        return Err(RangeError::Unreadable);
    };
    validate(from, to, max_days)?;
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_within_the_maximum_is_accepted() {
        let (from, to) = from_inputs("2026-11-01T00:00", "2026-11-16T00:00", 15).unwrap();
        assert_eq!(to - from, Duration::days(15));
    }

    #[test]
    fn sixteen_days_and_inverted_ranges_are_refused() {
        assert!(matches!(
            from_inputs("2026-11-01T00:00", "2026-11-17T00:00", 15),
            Err(RangeError::TooWide { max: 15, .. })
        ));
        assert_eq!(
            from_inputs("2026-11-05T00:00", "2026-11-01T00:00", 15),
            Err(RangeError::Inverted)
        );
        assert_eq!(
            from_inputs("", "2026-11-01T00:00", 15),
            Err(RangeError::Unreadable)
        );
    }

    #[test]
    fn inputs_round_trip_in_utc() {
        let at = parse_input("2026-11-20T10:07").unwrap();
        assert_eq!(format_input(at), "2026-11-20T10:07");
        assert_eq!(
            parse_input("2026-11-20T10:07:30").unwrap().timestamp() % 60,
            30
        );
    }
}
