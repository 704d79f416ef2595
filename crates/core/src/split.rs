//! A large load in two parts at once. Pages of one query follow each other's cursors, so
//! a load of 100,000 rows is ten requests in a row, each waiting for the backend; two
//! parts of the range, each following its own cursors, keep two requests in flight.
//!
//! After the first page, what is left of the range is cut at an instant: the **newer
//! part** goes on from the first page's cursor with the query as it was (so the cursor is
//! passed back with the same filters, as the contract asks) and keeps only the rows
//! after the cut; the **older part** is a query of its own whose `to` is the cut (`to`
//! is inclusive). The load is then the newer part's rows followed by the older part's,
//! cut to the limit: the same rows, in the same order, as one part would have loaded.
//! Where the cut falls only decides how the work is shared; a bad guess costs requests,
//! never rows.

use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::wire::SyncLog;

/// Where to cut what is left of a load after its first page, so that each part holds
/// about half of the rows still `wanted`: the first page's rate of records over time,
/// carried on towards `from`. `None` when the first page cannot tell (fewer than two
/// rows, or all at one instant), or when the range left is expected to hold fewer than
/// `min_rows` of the rows wanted (one part is then as quick).
pub fn split_point(
    first: &[SyncLog],
    from: DateTime<Utc>,
    wanted: usize,
    min_rows: usize,
) -> Option<DateTime<Utc>> {
    let newest = first.iter().map(|row| row.started_at).max()?;
    let oldest = first.iter().map(|row| row.started_at).min()?;
    let span_ms = (newest - oldest).num_milliseconds();
    if first.len() < 2 || span_ms <= 0 || oldest <= from {
        return None;
    }
    let per_ms = (first.len() - 1) as f64 / span_ms as f64;
    let left_ms = (oldest - from).num_milliseconds() as f64;
    let expected = (per_ms * left_ms).min(wanted as f64);
    if !expected.is_finite() || expected < min_rows as f64 {
        return None;
    }
    // Whole milliseconds: the cut is sent as a `to` and compared with the rows' times.
    let back_ms = (expected / 2.0 / per_ms).round() as i64;
    let at = oldest - Duration::milliseconds(back_ms.max(1));
    (at > from && at < oldest).then_some(at)
}

/// The newer part's page: keeps the rows started after `at` and returns the others (the
/// older part loads them; they are kept aside in case it has to be given up). Any row
/// returned means the newer part has reached the cut and is complete. Rows are split by
/// time, not by position, so a page that is not quite in order loses nothing.
pub fn split_off_older(items: &mut Vec<SyncLog>, at: DateTime<Utc>) -> Vec<SyncLog> {
    if items.iter().all(|row| row.started_at > at) {
        return Vec::new();
    }
    // In place: `items` keeps its allocation (the load decodes every page into it).
    items.extract_if(.., |row| row.started_at <= at).collect()
}

/// The rows of a load as its parts receive them, in one allocation for both: the newer
/// part's at the back in their order, the older part's at the front in reverse order.
/// Neither part's rows are moved or re-allocated while the load runs, and once joined
/// they are one vector in the same allocation. (Had each part a vector of its own, the
/// one that outgrew its share of the rows would double beside the other, and wasm memory
/// never shrinks: the peak would stay for as long as the page is open.)
#[derive(Debug, Default)]
pub struct Arrivals {
    rows: VecDeque<SyncLog>,
    older: usize,
}

impl Arrivals {
    /// Room for `total` rows in all, at once.
    pub fn reserve(&mut self, total: usize) {
        self.rows
            .reserve_exact(total.saturating_sub(self.rows.len()));
    }

    pub fn push_newer(&mut self, items: impl IntoIterator<Item = SyncLog>) {
        self.rows.extend(items);
    }

    pub fn push_older(&mut self, items: impl IntoIterator<Item = SyncLog>) {
        for row in items {
            self.rows.push_front(row);
            self.older += 1;
        }
    }

    /// The newer part's rows, in order.
    pub fn newer(&mut self) -> &[SyncLog] {
        &self.rows.make_contiguous()[self.older..]
    }

    pub fn older_len(&self) -> usize {
        self.older
    }

    /// Forgets the older part's rows (it was given up).
    pub fn drop_older(&mut self) {
        self.rows.drain(..self.older);
        self.older = 0;
    }

    /// The newer part's rows alone: the whole load when it was not split, or when the
    /// older part's rows cannot be used.
    pub fn into_newer(mut self) -> Vec<SyncLog> {
        self.drop_older();
        self.rows.into()
    }

    /// The newer part's rows followed by the first `room` of the older part's, less any
    /// the newer part holds already (a record at the cut `at`, which a backend comparing
    /// times more coarsely than the cut's milliseconds lists in both parts); and the
    /// index where the older part's rows begin.
    pub fn join(self, room: usize, at: DateTime<Utc>) -> (Vec<SyncLog>, usize) {
        let Arrivals { mut rows, older } = self;
        rows.rotate_left(older);
        let mut rows = Vec::from(rows);
        let start = rows.len() - older;
        rows[start..].reverse();
        rows.truncate(start + room.min(older));
        // Only rows within a second of the cut can be in both.
        let near = at + Duration::seconds(1);
        let both: HashSet<String> = rows[..start]
            .iter()
            .rev()
            .take_while(|row| row.started_at <= near)
            .filter(|row| !row.id.is_empty())
            .map(|row| row.id.clone())
            .collect();
        if !both.is_empty() {
            let mut index = 0;
            rows.retain(|row| {
                index += 1;
                index <= start || !both.contains(&row.id)
            });
        }
        (rows, start)
    }
}

#[cfg(test)]
mod tests;
