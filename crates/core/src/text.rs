//! Text helpers for display: bounded previews of long messages and relative times.

use chrono::{DateTime, Utc};

/// The first `max_chars` characters of `text` and whether anything was cut. Cells
/// render only this, so a 1 MB message costs the table nothing.
pub fn preview(text: &str, max_chars: usize) -> (&str, bool) {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// A count with thousands separators: 20000 → "20,000".
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn previews_cut_on_character_boundaries() {
        assert_eq!(preview("short", 10), ("short", false));
        assert_eq!(preview("ééééé", 3), ("ééé", true));
        assert_eq!(preview("😀😀", 1), ("😀", true));
        let huge = "x".repeat(1_000_000);
        assert_eq!(preview(&huge, 200).0.len(), 200);
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
