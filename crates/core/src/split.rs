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
    let (newer, older) = std::mem::take(items)
        .into_iter()
        .partition(|row| row.started_at > at);
    *items = newer;
    older
}

/// Appends the older part's rows to the newer part's, less any the newer part holds
/// already: a record at the cut, which a backend that compares times more coarsely than
/// the cut's milliseconds lists in both parts. Returns how many were left out.
pub fn append_older(rows: &mut Vec<SyncLog>, older: Vec<SyncLog>, at: DateTime<Utc>) -> usize {
    // Only rows within a second of the cut can be in both.
    let near = at + Duration::seconds(1);
    let repeated: Vec<bool> = {
        let both: std::collections::HashSet<&str> = rows
            .iter()
            .rev()
            .take_while(|row| row.started_at <= near)
            .map(|row| row.id.as_str())
            .filter(|id| !id.is_empty())
            .collect();
        older
            .iter()
            .map(|row| both.contains(row.id.as_str()))
            .collect()
    };
    let left_out = repeated.iter().filter(|r| **r).count();
    rows.reserve(older.len() - left_out);
    rows.extend(
        older
            .into_iter()
            .zip(repeated)
            .filter(|(_, repeated)| !repeated)
            .map(|(row, _)| row),
    );
    left_out
}

#[cfg(test)]
mod tests;
