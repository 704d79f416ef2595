//! When to retry a request, and after how long: capped exponential backoff with jitter,
//! `Retry-After` honoured (seconds or HTTP date), and never on a client error other than
//! 409 (a request with the same key still in flight) and 429 (rate limited).

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The most tries of one request, the first included.
pub const MAX_TRIES: u32 = 5;
/// Backoff bounds.
pub const BASE_DELAY: Duration = Duration::from_millis(500);
pub const MAX_DELAY: Duration = Duration::from_secs(8);

/// How a try ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryOutcome {
    /// No usable answer: offline, refused, cut off, timed out.
    NoAnswer,
    /// An HTTP status, with the server's `Retry-After` when it sent one.
    Status(u16, Option<Duration>),
}

/// The wait before try number `tries + 1`, or `None` when the request must not be
/// retried. `jitter` in 0..=1 spreads clients apart (pass a random number).
pub fn next_delay(outcome: TryOutcome, tries: u32, jitter: f64) -> Option<Duration> {
    if tries >= MAX_TRIES {
        return None;
    }
    let backoff = || {
        let exponential = BASE_DELAY.saturating_mul(1 << (tries.saturating_sub(1)).min(16));
        let capped = exponential.min(MAX_DELAY);
        capped.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0)
    };
    match outcome {
        TryOutcome::NoAnswer => Some(backoff()),
        TryOutcome::Status(429 | 503, Some(after)) => Some(after.min(Duration::from_secs(60))),
        TryOutcome::Status(409 | 429 | 500..=599, _) => Some(backoff()),
        TryOutcome::Status(..) => None,
    }
}

/// Reads a `Retry-After` header: delay seconds, or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// Splits ids into batches of at most `size` (5,000 for resync), keeping their order.
pub fn batches<T>(items: &[T], size: usize) -> impl Iterator<Item = &[T]> {
    items.chunks(size.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn transient_failures_back_off_and_client_errors_are_final() {
        let no_answer = next_delay(TryOutcome::NoAnswer, 1, 0.0).unwrap();
        let later = next_delay(TryOutcome::NoAnswer, 3, 0.0).unwrap();
        assert!(later > no_answer);
        assert!(next_delay(TryOutcome::NoAnswer, 9, 1.0).is_none());
        assert!(next_delay(TryOutcome::NoAnswer, 4, 1.0).unwrap() <= MAX_DELAY);
        assert!(next_delay(TryOutcome::Status(503, None), 1, 0.5).is_some());
        assert!(next_delay(TryOutcome::Status(409, None), 1, 0.5).is_some());
        for status in [400, 401, 403, 404, 422] {
            assert_eq!(
                next_delay(TryOutcome::Status(status, None), 1, 0.5),
                None,
                "{status}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_or_as_a_date() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Fri, 20 Nov 2026 10:00:05 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            next_delay(
                TryOutcome::Status(429, Some(Duration::from_secs(3))),
                1,
                0.9
            ),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn batches_keep_order_and_size() {
        let ids: Vec<u32> = (0..12_001).collect();
        let sizes: Vec<usize> = batches(&ids, 5_000).map(<[u32]>::len).collect();
        assert_eq!(sizes, vec![5_000, 5_000, 2_001]);
        assert_eq!(
            batches(&ids, 5_000).flatten().copied().collect::<Vec<_>>(),
            ids
        );
    }
}
