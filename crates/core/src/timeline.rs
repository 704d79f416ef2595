//! The timeline above the table: outcomes per time bucket over the current range.
//!
//! The bucket width is the smallest of a list of round widths (1 minute … 1 week) that
//! covers the range in at most `max_buckets` buckets. Buckets are aligned to whole
//! multiples of the width since the Unix epoch, so the same records always fall in the
//! same bucket whatever the range's exact start. The reference server's summary
//! (`GET /sync-logs/summary`) lays its buckets on the same [`Grid`], so the app can set
//! the loaded rows beside the counts of the whole range bucket by bucket.

use chrono::{DateTime, Duration, Utc};

use crate::stats::Stats;
use crate::status::Tone;
use crate::wire::SyncLog;

/// The tones in the order [`Placed`] numbers them.
const TONES: [Tone; 6] = Tone::ALL;
/// The slot of a row outside the range.
const OUTSIDE: u16 = u16::MAX;

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

/// The buckets laid over `[from, to)`: `count` buckets of `step_ms`, the first starting
/// at `first_ms` (at or before `from`, on a multiple of the width).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grid {
    pub first_ms: i64,
    pub step_ms: i64,
    pub count: usize,
    /// The range itself, in milliseconds: times outside it belong to no bucket.
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Grid {
    /// The grid of [`bucket_width`] over `[from, to)`; empty when `to <= from`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>, max_buckets: usize) -> Grid {
        let step = bucket_width(from, to, max_buckets)
            .num_milliseconds()
            .max(1);
        Grid::with_step(from.timestamp_millis(), to.timestamp_millis(), step)
    }

    /// The grid of buckets `step_ms` wide over `[from_ms, to_ms)`.
    pub fn with_step(from_ms: i64, to_ms: i64, step_ms: i64) -> Grid {
        let step_ms = step_ms.max(1);
        let first_ms = from_ms.div_euclid(step_ms) * step_ms;
        let count = if to_ms > from_ms {
            ((to_ms - 1 - first_ms).div_euclid(step_ms) + 1).max(1) as usize
        } else {
            0
        };
        Grid {
            first_ms,
            step_ms,
            count,
            from_ms,
            to_ms,
        }
    }

    /// The bucket holding `ms`, if it is inside the range.
    pub fn index_of(&self, ms: i64) -> Option<usize> {
        if ms < self.from_ms || ms >= self.to_ms {
            return None;
        }
        let k = (ms - self.first_ms).div_euclid(self.step_ms) as usize;
        (k < self.count).then_some(k)
    }

    /// The start of bucket `k`, in milliseconds.
    pub fn start_ms(&self, k: usize) -> i64 {
        self.first_ms + k as i64 * self.step_ms
    }

    pub fn width(&self) -> Duration {
        Duration::milliseconds(self.step_ms)
    }

    /// Empty buckets, one per slot of the grid.
    pub fn empty(&self) -> Timeline {
        let buckets = (0..self.count)
            .map(|k| Bucket {
                start: DateTime::from_timestamp_millis(self.start_ms(k)).unwrap_or_default(),
                stats: Stats::default(),
            })
            .collect();
        Timeline {
            width: self.width(),
            buckets,
        }
    }

    /// Counts the rows at `indexes` per bucket; rows outside the range are left out.
    pub fn count(&self, rows: &[SyncLog], indexes: &[u32]) -> Timeline {
        let mut t = self.empty();
        for &i in indexes {
            let Some(row) = rows.get(i as usize) else {
                continue;
            };
            if let Some(k) = self.index_of(row.started_at.timestamp_millis()) {
                t.buckets[k].stats.add(row.status.tone());
            }
        }
        t
    }
}

impl Grid {
    /// Where each of `rows` falls on this grid, worked out once so that counting any
    /// subset of them reads no times ([`Placed::count`]).
    pub fn place(&self, rows: &[SyncLog]) -> Placed {
        // Bucket and tone in one u16; a grid too fine for that counts from the rows.
        let fits = self.count * TONES.len() < usize::from(OUTSIDE);
        let slots = if fits {
            rows.iter()
                .map(
                    |row| match self.index_of(row.started_at.timestamp_millis()) {
                        None => OUTSIDE,
                        Some(k) => {
                            let tone = TONES.iter().position(|t| *t == row.status.tone());
                            (k * TONES.len() + tone.unwrap_or(TONES.len() - 1)) as u16
                        }
                    },
                )
                .collect()
        } else {
            Vec::new()
        };
        Placed { grid: *self, slots }
    }
}

/// Each loaded row's bucket and tone on one [`Grid`] (two bytes a row): a keystroke
/// recounts the rows shown per bucket from these instead of from their times.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    grid: Grid,
    slots: Vec<u16>,
}

impl Placed {
    /// [`Grid::count`], for the `rows` this was placed from.
    pub fn count(&self, rows: &[SyncLog], indexes: &[u32]) -> Timeline {
        if self.slots.len() != rows.len() {
            return self.grid.count(rows, indexes);
        }
        let mut counts = vec![0_usize; self.grid.count * TONES.len()];
        for &i in indexes {
            match self.slots.get(i as usize) {
                Some(&OUTSIDE) | None => {}
                Some(&slot) => counts[usize::from(slot)] += 1,
            }
        }
        let mut t = self.grid.empty();
        for (bucket, counts) in t.buckets.iter_mut().zip(counts.chunks(TONES.len())) {
            for (tone, &n) in TONES.iter().zip(counts) {
                bucket.stats.add_n(*tone, n);
            }
        }
        t
    }
}

/// Counts the rows at `indexes` per bucket over `[from, to)`; rows outside are left out.
pub fn timeline(
    rows: &[SyncLog],
    indexes: &[u32],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    max_buckets: usize,
) -> Timeline {
    Grid::new(from, to, max_buckets).count(rows, indexes)
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

    #[test]
    fn the_grid_places_times_and_leaves_out_those_outside() {
        let from = at("2026-11-20T00:07:30Z").timestamp_millis();
        let grid = Grid::with_step(from, from + 3_600_000, 900_000);
        assert_eq!(grid.count, 5, "00:00, 00:15, 00:30, 00:45, 01:00");
        assert_eq!(
            grid.index_of(from - 1),
            None,
            "before the range, though in bucket 0"
        );
        assert_eq!(grid.index_of(from), Some(0));
        assert_eq!(grid.index_of(from + 3_600_000 - 1), Some(4));
        assert_eq!(grid.index_of(from + 3_600_000), None, "the end is open");
        assert_eq!(
            grid.start_ms(1),
            at("2026-11-20T00:15:00Z").timestamp_millis()
        );
        // Every time in the range has exactly one bucket, whatever the step.
        for step in [1, 7, 60_000, 899_999, 900_000, 3_600_000, 10_000_000] {
            let grid = Grid::with_step(from, from + 3_600_000, step);
            for ms in (from..from + 3_600_000).step_by(9_973) {
                let k = grid.index_of(ms).unwrap();
                assert!(grid.start_ms(k) <= ms && ms < grid.start_ms(k) + step);
            }
        }
        assert_eq!(Grid::with_step(from, from, 60_000).count, 0);
    }

    use proptest::prelude::*;

    proptest! {
        /// Counting placed rows gives what counting from their times gives, for any rows
        /// shown, on a grid of a few buckets and on one too fine to place (which counts
        /// from the times).
        #[test]
        fn placed_rows_count_as_their_times_do(
            rows in proptest::collection::vec(
                (0_i64..7_200, proptest::sample::select(vec!["success", "failed", "partial", "pending", "discarded", "odd"])),
                0..40,
            ),
            shown in proptest::collection::vec(0_u32..45, 0..40),
            step_ms in proptest::sample::select(vec![300_i64, 60_000, 600_000]),
        ) {
            let from = at("2026-11-20T00:00:00Z");
            let rows: Vec<SyncLog> = rows
                .iter()
                .map(|(s, status)| row(&(from + Duration::seconds(*s - 600)).to_rfc3339(), status))
                .collect();
            let from_ms = from.timestamp_millis();
            let grid = Grid::with_step(from_ms, from_ms + 3_600_000, step_ms);
            prop_assert_eq!(grid.place(&rows).count(&rows, &shown), grid.count(&rows, &shown));
        }
    }
}
