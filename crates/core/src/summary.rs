//! The summary of everything a query matches, not only the rows loaded:
//! `GET /sync-logs/summary` (docs/api.md) answers the total, a count per wire status and
//! the counts per time bucket over the range, on the [`Grid`] of `timeline.rs`.
//!
//! The app never trusts a summary silently: [`check`] turns the wire form into counts
//! per tone and names everything in it that disagrees with itself (counts that do not
//! add up, negative numbers, buckets off the range or off the grid). The figures are
//! still shown, beside a notice that says what is wrong.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::stats::Stats;
use crate::status::Status;
use crate::text::format_count;
use crate::timeline::{Grid, Timeline};

/// Buckets when the request names none, and the most it may ask for.
pub const DEFAULT_BUCKETS: usize = 96;
pub const MAX_BUCKETS: usize = 200;
/// The most buckets the app draws from another backend's summary.
const MAX_DRAWN_BUCKETS: usize = 4 * MAX_BUCKETS;

/// The body of `GET /sync-logs/summary`. Counts are signed on the wire so that a
/// backend's negative number is seen and reported rather than refused as unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryResponse {
    /// How many records match the filters.
    pub total: i64,
    /// The matching records per wire status (statuses with none left out).
    pub statuses: BTreeMap<String, i64>,
    /// The range counted, `[from, to)`.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The width of every bucket, in milliseconds.
    pub bucket_ms: i64,
    /// Every bucket of the range, oldest first.
    pub buckets: Vec<SummaryBucket>,
}

/// One bucket: `[start, start + bucket_ms)` and its records per wire status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryBucket {
    pub start: DateTime<Utc>,
    pub counts: BTreeMap<String, i64>,
}

/// The `buckets` request parameter: a whole number from 1 to [`MAX_BUCKETS`].
pub fn parse_buckets(raw: Option<&str>) -> Result<usize, String> {
    match raw {
        None | Some("") => Ok(DEFAULT_BUCKETS),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_BUCKETS).contains(n))
            .ok_or_else(|| {
                format!("buckets must be a whole number from 1 to {MAX_BUCKETS}, got {raw:?}")
            }),
    }
}

/// Counts per wire status, gathered by the server as it reads matching records.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    grid: Option<Grid>,
    total: i64,
    statuses: BTreeMap<String, i64>,
    buckets: Vec<BTreeMap<String, i64>>,
}

impl Tally {
    /// A tally over `grid`'s buckets.
    pub fn new(grid: Grid) -> Tally {
        Tally {
            grid: Some(grid),
            buckets: vec![BTreeMap::new(); grid.count],
            ..Tally::default()
        }
    }

    /// Counts `n` records of `status` starting at `started_ms`.
    pub fn add(&mut self, started_ms: i64, status: &str, n: i64) {
        self.total += n;
        bump(&mut self.statuses, status, n);
        let k = self.grid.and_then(|g| g.index_of(started_ms));
        if let Some(bucket) = k.and_then(|k| self.buckets.get_mut(k)) {
            bump(bucket, status, n);
        }
    }

    /// The answer.
    pub fn finish(self) -> SummaryResponse {
        let grid = self.grid.unwrap_or_else(|| Grid::with_step(0, 0, 1));
        let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
        SummaryResponse {
            total: self.total,
            statuses: self.statuses,
            from: at(grid.from_ms),
            to: at(grid.to_ms),
            bucket_ms: grid.step_ms,
            buckets: self
                .buckets
                .into_iter()
                .enumerate()
                .map(|(k, counts)| SummaryBucket {
                    start: at(grid.start_ms(k)),
                    counts,
                })
                .collect(),
        }
    }
}

fn bump(counts: &mut BTreeMap<String, i64>, status: &str, n: i64) {
    match counts.get_mut(status) {
        Some(count) => *count += n,
        None => {
            counts.insert(status.to_owned(), n);
        }
    }
}

/// A summary as the app shows it: counts per tone, the buckets on their grid, and what
/// was wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The total as the backend gave it (never below zero).
    pub total: u64,
    /// The counts per tone of the whole range; `None` when the backend gave only a
    /// total (a profile's `total`).
    pub stats: Option<Stats>,
    /// The buckets, when the backend gave them.
    pub timeline: Option<(Grid, Timeline)>,
    /// One sentence per inconsistency; empty when the summary agrees with itself.
    pub problems: Vec<String>,
}

impl Summary {
    /// A summary that is only a count (a backend profile's total).
    pub fn total_only(total: u64) -> Summary {
        Summary {
            total,
            stats: None,
            timeline: None,
            problems: Vec::new(),
        }
    }
}

/// Reads `response`, which answered a summary from `from` to `to` (as asked; `None`
/// where the request left the server to choose), and names every
/// inconsistency in it. Nothing is dropped silently: a bucket off the range is left out
/// of the chart and said so; counts that do not add up are shown as given, and said so.
pub fn check(
    response: &SummaryResponse,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Summary {
    let mut problems = Vec::new();
    let mut negative = 0_usize;
    let mut count = |n: i64| -> usize {
        if n < 0 {
            negative += 1;
        }
        n.max(0) as usize
    };
    let total = count(response.total);
    let mut stats = Stats::default();
    for (status, n) in &response.statuses {
        let n = count(*n);
        add_tone(&mut stats, status, n);
    }
    let by_status = stats.total;

    let grid = Grid::with_step(
        response.from.timestamp_millis(),
        response.to.timestamp_millis(),
        response.bucket_ms,
    );
    // A width that is not positive, or so small that the range would need more buckets
    // than anyone draws, gives no chart (and no allocation sized by a hostile answer).
    let drawable = response.bucket_ms > 0 && grid.count <= MAX_DRAWN_BUCKETS;
    let mut timeline = if drawable {
        grid.empty()
    } else {
        Grid::with_step(0, 0, 1).empty()
    };
    let mut outside = 0_usize;
    let mut in_buckets = 0_usize;
    for bucket in response.buckets.iter().filter(|_| drawable) {
        let ms = bucket.start.timestamp_millis();
        let on_grid = (ms - grid.first_ms).rem_euclid(grid.step_ms) == 0
            && ms + grid.step_ms > grid.from_ms
            && ms < grid.to_ms;
        let k = on_grid.then(|| ((ms - grid.first_ms) / grid.step_ms) as usize);
        let mut sum = Stats::default();
        for (status, n) in &bucket.counts {
            add_tone(&mut sum, status, count(*n));
        }
        match k.and_then(|k| timeline.buckets.get_mut(k)) {
            Some(slot) => {
                in_buckets += sum.total;
                slot.stats = slot.stats.merged(sum);
            }
            None => outside += 1,
        }
    }

    if negative > 0 {
        problems.push(format!(
            "{} negative (counted as 0)",
            if negative == 1 {
                "one count is".to_owned()
            } else {
                format!("{negative} counts are")
            }
        ));
    }
    if by_status != total {
        problems.push(format!(
            "the counts per status add up to {}, not the total of {}",
            format_count(by_status),
            format_count(total)
        ));
    }
    if !drawable {
        problems.push(format!(
            "the bucket width of {} ms cannot be drawn over this range",
            response.bucket_ms
        ));
    }
    if outside > 0 {
        problems.push(format!(
            "{} outside the range or off its grid (left out of the chart)",
            if outside == 1 {
                "one bucket lies".to_owned()
            } else {
                format!("{outside} buckets lie")
            }
        ));
    }
    if drawable && in_buckets != total {
        problems.push(format!(
            "the buckets hold {} records, not the total of {}",
            format_count(in_buckets),
            format_count(total)
        ));
    }
    let short_at_start = from.is_some_and(|f| grid.from_ms > f.timestamp_millis());
    // The list's `to` is inclusive: a range to T must count T's own millisecond.
    let short_at_end = to.is_some_and(|t| grid.to_ms <= t.timestamp_millis());
    if short_at_start || short_at_end {
        problems.push("it covers less than the range asked for".to_owned());
    }
    Summary {
        total: total as u64,
        stats: Some(stats),
        timeline: drawable.then_some((grid, timeline)),
        problems,
    }
}

fn add_tone(stats: &mut Stats, status: &str, n: usize) {
    stats.add_n(Status::parse(status).tone(), n);
}

#[cfg(test)]
mod tests;
