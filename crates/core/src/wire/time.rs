//! Reading the times of records. Nearly every time a backend sends has the one form
//! `2026-11-20T10:00:05.123Z` (or an offset such as `+05:30` in place of `Z`): that form
//! is read here directly, digit by digit, because chrono's general parser was the
//! largest single part of decoding a page. Anything else, and any value this reading
//! has a doubt about (a leap second, more than nine digits of fraction, a lowercase `t`
//! or `z`, a space), goes to chrono, so the result is always chrono's.

use chrono::{DateTime, NaiveDate, Utc};

/// An RFC 3339 time, as `text.parse::<DateTime<Utc>>()` reads it.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    usual_form(text).or_else(|| text.parse().ok())
}

/// The usual form, or `None` to leave the text to chrono.
fn usual_form(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let digit = |i: usize| {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let year = two(0)? * 100 + two(2)?;
    let (month, day) = (two(5)?, two(8)?);
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let mut i = 19;
    let mut nanos = 0;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start == 9 {
                return None;
            }
            nanos = nanos * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        nanos *= 10_u32.pow((9 - digits) as u32);
    }
    let east = match b.get(i)? {
        b'Z' if i + 1 == b.len() => 0,
        &sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (h, m) = (two(i + 1)?, two(i + 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    // Leap seconds (`:60`) and out-of-range fields are chrono's to judge.
    let local = NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_opt(hour, minute, second)?
        .and_utc()
        .timestamp();
    DateTime::from_timestamp(local - east, nanos)
}

#[cfg(test)]
mod tests;
