//! Text helpers for display: bounded previews of long messages and relative times.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};

/// The first `max_chars` characters of `text` and whether anything was cut. Cells
/// render only this, so a 1 MB message costs the table nothing.
pub fn preview(text: &str, max_chars: usize) -> (&str, bool) {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// [`preview`] as shown: the first `max_chars` characters of `text`, with `…` after them
/// when something was cut, so a reader knows there is more.
pub fn shortened(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match preview(text, max_chars) {
        (shown, true) => format!("{shown}…").into(),
        (shown, false) => shown.into(),
    }
}

/// A count with thousands separators: 20000 → "20,000".
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 record", "2,000 records": a count with its noun, singular or plural.
pub fn count_of(n: usize, singular: &str, plural: &str) -> String {
    format!(
        "{} {}",
        format_count(n),
        if n == 1 { singular } else { plural }
    )
}

/// "just now", "12 min ago", "3 h ago", "2 days ago", or "in 5 min" for the future.
pub fn relative_time(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    let (ahead, s) = (seconds < 0, seconds.unsigned_abs());
    let span = match s {
        0..=44 => return "just now".to_owned(),
        45..=3_599 => format!("{} min", (s + 30) / 60),
        3_600..=86_399 => format!("{} h", (s + 1_800) / 3_600),
        _ => match (s + 43_200) / 86_400 {
            1 => "1 day".to_owned(),
            days => format!("{days} days"),
        },
    };
    if ahead {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// `2026-11-20 12:00:05`: the wall-clock time of `at` in its own zone, as chrono's
/// `%Y-%m-%d %H:%M:%S` writes it, without parsing a format on every call (the table
/// writes one for each row it shows). A leap second is `:60`.
pub fn wall_clock<Tz: TimeZone>(at: &DateTime<Tz>) -> String {
    let (date, time) = (at.date_naive(), at.time());
    let leap = u32::from(time.nanosecond() >= 1_000_000_000);
    let mut out = String::with_capacity(19);
    let year = date.year();
    if (0..=9999).contains(&year) {
        let _ = write!(out, "{year:04}");
    } else {
        // chrono's `%Y` signs a year of more than four digits.
        let _ = write!(out, "{year:+05}");
    }
    let _ = write!(
        out,
        "-{:02}-{:02} {:02}:{:02}:{:02}",
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second() + leap
    );
    out
}

/// `+05:30`, `-08:00`, `+00:00`: an offset east of UTC in seconds, as chrono's `%:z`
/// writes it (to the nearest minute).
pub fn utc_offset(seconds_east: i32) -> String {
    let sign = if seconds_east < 0 { '-' } else { '+' };
    let minutes = (seconds_east.unsigned_abs() + 30) / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, FixedOffset};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn wall_clock_writes_what_chrono_writes(
            millis in -62_135_596_800_000_i64..=253_402_300_799_999,
            offset in -86_399_i32..=86_399,
            leap in any::<bool>(),
        ) {
            let utc = DateTime::from_timestamp_millis(millis).unwrap();
            let at = utc.with_timezone(&FixedOffset::east_opt(offset).unwrap());
            prop_assert_eq!(wall_clock(&utc), utc.format("%Y-%m-%d %H:%M:%S").to_string());
            prop_assert_eq!(wall_clock(&at), at.format("%Y-%m-%d %H:%M:%S").to_string());
            prop_assert_eq!(utc_offset(offset), at.format("%:z").to_string());
            if leap {
                let second = utc.with_nanosecond(1_500_000_000).unwrap_or(utc);
                prop_assert_eq!(wall_clock(&second), second.format("%Y-%m-%d %H:%M:%S").to_string());
            }
        }
    }

    #[test]
    fn wall_clock_writes_chronos_forms_of_a_leap_second_and_far_years() {
        let leap = DateTime::parse_from_rfc3339("2016-12-31T23:59:60Z").unwrap();
        assert_eq!(wall_clock(&leap), "2016-12-31 23:59:60");
        for (year, written) in [
            (12_345, "+12345-06-07 08:09:10"),
            (-1, "-0001-06-07 08:09:10"),
        ] {
            let far = chrono::NaiveDate::from_ymd_opt(year, 6, 7)
                .and_then(|d| d.and_hms_opt(8, 9, 10))
                .unwrap()
                .and_utc();
            assert_eq!(wall_clock(&far), written);
            assert_eq!(
                wall_clock(&far),
                far.format("%Y-%m-%d %H:%M:%S").to_string()
            );
        }
        assert_eq!(utc_offset(19_800), "+05:30");
        assert_eq!(utc_offset(-28_800), "-08:00");
        assert_eq!(utc_offset(0), "+00:00");
    }

    #[test]
    fn previews_cut_on_character_boundaries() {
        assert_eq!(preview("short", 10), ("short", false));
        assert_eq!(preview("ééééé", 3), ("ééé", true));
        assert_eq!(preview("😀😀", 1), ("😀", true));
        let huge = "x".repeat(1_000_000);
        assert_eq!(preview(&huge, 200).0.len(), 200);
        assert_eq!(shortened("short", 5), "short");
        assert_eq!(shortened("ééééé", 3), "ééé…");
        assert_eq!(shortened(&huge, 200).chars().count(), 201);
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000), "1,000");
        assert_eq!(format_count(100_000), "100,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
        assert_eq!(count_of(1, "record", "records"), "1 record");
        assert_eq!(count_of(2_000, "record", "records"), "2,000 records");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = Utc::now();
        assert_eq!(relative_time(now, now), "just now");
        assert_eq!(
            relative_time(now - Duration::minutes(12), now),
            "12 min ago"
        );
        assert_eq!(relative_time(now - Duration::hours(3), now), "3 h ago");
        assert_eq!(relative_time(now - Duration::hours(26), now), "1 day ago");
        assert_eq!(relative_time(now - Duration::days(9), now), "9 days ago");
        assert_eq!(relative_time(now + Duration::minutes(5), now), "in 5 min");
    }
}
