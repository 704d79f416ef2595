//! The timeline above the table: outcomes per time bucket over the current range.
//!
//! The bucket width is the smallest of a list of round widths (1 minute … 1 day) that
//! covers the range in at most `max_buckets` buckets. Buckets are aligned to whole
//! multiples of the width since the Unix epoch, so the same records always fall in the
//! same bucket whatever the range's exact start.

use chrono::{DateTime, Duration, Utc};

use crate::stats::Stats;
use crate::wire::SyncLog;

/// The widths offered, in minutes.
const WIDTHS_MIN: [i64; 11] = [1, 5, 10, 15, 30, 60, 180, 360, 720, 1_440, 10_080];

/// One bucket: `[start, start + width)` and the outcomes of its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub stats: Stats,
}

/// The buckets of one timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub width: Duration,
    pub buckets: Vec<Bucket>,
}

impl Timeline {
    /// The largest bucket total (at least 1, so bar heights never divide by zero).
    pub fn peak(&self) -> usize {
        self.buckets
            .iter()
            .map(|b| b.stats.total)
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// The width for `[from, to)` in at most `max_buckets` buckets.
pub fn bucket_width(from: DateTime<Utc>, to: DateTime<Utc>, max_buckets: usize) -> Duration {
    let span = (to - from).num_minutes().max(1);
    let max = max_buckets.max(1) as i64;
    let minutes = WIDTHS_MIN
        .iter()
        .copied()
        .find(|w| (span + w - 1) / w <= max)
        .unwrap_or_else(|| (span + max - 1) / max);
    Duration::minutes(minutes)
}

/// Counts the rows at `indexes` per bucket over `[from, to)`; rows outside are left out.
pub fn timeline(
    rows: &[SyncLog],
    indexes: &[u32],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    max_buckets: usize,
) -> Timeline {
    let width = bucket_width(from, to, max_buckets);
    let step = width.num_milliseconds().max(1);
    let align = |at: DateTime<Utc>| at.timestamp_millis().div_euclid(step) * step;
    let first = align(from);
    let count = if to > from {
        ((to.timestamp_millis() - 1 - first).div_euclid(step) + 1).max(1) as usize
    } else {
        0
    };
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|k| Bucket {
            start: DateTime::from_timestamp_millis(first + k as i64 * step).unwrap_or(from),
            stats: Stats::default(),
        })
        .collect();
    for &i in indexes {
        let Some(row) = rows.get(i as usize) else {
            continue;
        };
        if row.started_at < from || row.started_at >= to {
            continue;
        }
        let k = ((row.started_at.timestamp_millis() - first) / step) as usize;
        if let Some(bucket) = buckets.get_mut(k) {
            bucket.stats.add(row.status.tone());
        }
    }
    Timeline { width, buckets }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn row(started: &str, status: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": status, "instance": "A", "entity_type": "order",
            "source_id": "S", "started_at": started,
        }))
        .unwrap()
    }

    #[test]
    fn widths_are_round_and_fit_the_range() {
        let from = at("2026-11-20T00:00:00Z");
        let width = |hours: i64| bucket_width(from, from + Duration::hours(hours), 60);
        assert_eq!(width(1), Duration::minutes(1));
        assert_eq!(width(24), Duration::minutes(30));
        assert_eq!(width(5 * 24), Duration::hours(3));
        assert_eq!(width(15 * 24), Duration::hours(6));
        assert_eq!(width(24 * 400), Duration::weeks(1));
        assert_eq!(width(24 * 3650), Duration::minutes(24 * 3650 * 60 / 60));
    }

    #[test]
    fn rows_land_in_their_bucket_and_boundaries_are_half_open() {
        let from = at("2026-11-20T00:00:00Z");
        let to = at("2026-11-20T01:00:00Z");
        let rows = vec![
            row("2026-11-20T00:00:00Z", "success"), // first bucket, at its start
            row("2026-11-20T00:00:59Z", "failed"),  // still the first (1-minute buckets)
            row("2026-11-20T00:01:00Z", "failed"),  // the second
            row("2026-11-20T00:59:59Z", "pending"), // the last
            row("2026-11-20T01:00:00Z", "failed"),  // at `to`: outside
            row("2026-11-19T23:59:59Z", "failed"),  // before `from`: outside
        ];
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let t = timeline(&rows, &all, from, to, 60);
        assert_eq!(t.width, Duration::minutes(1));
        assert_eq!(t.buckets.len(), 60);
        assert_eq!(
            (t.buckets[0].stats.success, t.buckets[0].stats.failed),
            (1, 1)
        );
        assert_eq!(t.buckets[1].stats.failed, 1);
        assert_eq!(t.buckets[59].stats.in_flight, 1);
        let total: usize = t.buckets.iter().map(|b| b.stats.total).sum();
        assert_eq!(total, 4);
        assert_eq!(t.peak(), 2);
    }

    #[test]
    fn buckets_align_to_the_width_whatever_the_start() {
        let from = at("2026-11-20T00:07:30Z");
        let to = at("2026-11-20T12:07:30Z");
        let t = timeline(&[], &[], from, to, 60);
        assert_eq!(t.width, Duration::minutes(15));
        assert_eq!(t.buckets[0].start, at("2026-11-20T00:00:00Z"));
        assert_eq!(t.buckets.last().unwrap().start, at("2026-11-20T12:00:00Z"));
        assert_eq!(t.peak(), 1, "an empty timeline still has a drawable scale");
        assert!(timeline(&[], &[], to, from, 60).buckets.is_empty());
    }
}
