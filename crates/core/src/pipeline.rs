//! The client-side row pipeline: loaded rows → the rows the stat cards count → the rows
//! the table shows, sorted. It works on indexes into the loaded rows, never on copies,
//! and searches a lowercase text built once per load, so a keystroke over 100,000 rows
//! allocates no row data.
//!
//! The cards count every row matching the view *except* the card choice itself, so the
//! other cards keep their counts and stay clickable while one is active. The status
//! column filter offers the statuses present with counts that ignore that same filter.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::clusters::{normalise, ClusterIndex};
use crate::columns::searched;
use crate::refine::{push_search_text, search_text_len, Column, Prepared, Sort};
use crate::stats::Stats;
use crate::status::{Status, Tone};
use crate::view::ViewState;
use crate::wire::SyncLog;

/// The lowercase search text of every loaded row, built once per load: one buffer for
/// all rows and the end offset of each, so 100,000 rows are two allocations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    text: String,
    ends: Vec<usize>,
}

impl SearchIndex {
    pub fn build(rows: &[SyncLog]) -> SearchIndex {
        let mut builder = SearchIndexBuilder::new(rows);
        builder.extend(rows);
        builder.finish()
    }

    /// The search text of row `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

/// A [`SearchIndex`] built a part at a time (so the page can paint between parts): the
/// rows are given in load order, in as many slices as wanted, then [`finish`]ed.
///
/// [`finish`]: SearchIndexBuilder::finish
#[derive(Debug)]
pub struct SearchIndexBuilder {
    text: String,
    ends: Vec<usize>,
    columns: Vec<Column>,
}

impl SearchIndexBuilder {
    /// Room for the search text of every row of `rows` at once (lowercasing rarely
    /// changes a length), so the buffer is not grown by doubling: wasm memory keeps its
    /// high-water mark.
    pub fn new(rows: &[SyncLog]) -> SearchIndexBuilder {
        let columns = searched();
        let total = rows.iter().map(|row| search_text_len(row, &columns)).sum();
        SearchIndexBuilder {
            text: String::with_capacity(total),
            ends: Vec::with_capacity(rows.len()),
            columns,
        }
    }

    /// Rows indexed so far: the next slice starts at this row.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Indexes the next rows.
    pub fn extend(&mut self, rows: &[SyncLog]) {
        for row in rows {
            push_search_text(row, &self.columns, &mut self.text);
            self.ends.push(self.text.len());
        }
    }

    pub fn finish(mut self) -> SearchIndex {
        self.text.shrink_to_fit();
        SearchIndex {
            text: self.text,
            ends: self.ends,
        }
    }
}

/// The outcome of refining the loaded rows for a view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refined {
    /// Indexes of rows matching every refinement but the card; what the cards count.
    pub base: Vec<u32>,
    /// Indexes of the rows to show, in display order.
    pub visible: Vec<u32>,
    /// Rows matching every refinement but the error cluster and the card: what the
    /// error-cluster list groups.
    pub unclustered: Vec<u32>,
    pub stats: Stats,
    /// Wire status → rows having it among those matching every other refinement.
    pub status_counts: BTreeMap<String, usize>,
    /// Rows in the run that match the search and the column filters (before the cluster,
    /// the status filter and the card), in load order: where a narrower search looks
    /// ([`refine_within`]).
    pub candidates: Vec<u32>,
}

/// Refines `rows` for `view`. `index` must be `SearchIndex::build(rows)` and `clusters`
/// `ClusterIndex::build(rows)` when given (without them the same answer is computed row by
/// row, more slowly).
///
/// The run filter (`correlation_id`) is applied here as well as on the server, so a
/// backend that ignores that parameter still shows exactly the run.
pub fn refine(
    rows: &[SyncLog],
    view: &ViewState,
    index: Option<&SearchIndex>,
    clusters: Option<&ClusterIndex>,
) -> Refined {
    refine_within(rows, view, index, clusters, None)
}

/// Whether every row matching `view` is among the [`Refined::candidates`] of `before`
/// over the same rows: the two differ only in the search, and the new search contains
/// the old one (typing on), so only those candidates need looking at.
pub fn narrows(view: &ViewState, before: &ViewState) -> bool {
    let key = |v: &ViewState| v.refine.search.trim().to_lowercase();
    let (now, then) = (key(view), key(before));
    if then.is_empty() || !now.contains(&then) {
        return false;
    }
    let mut same = before.clone();
    same.refine.search = view.refine.search.clone();
    same == *view
}

/// [`refine`], looking only at the rows of `within` (in load order) when given: the
/// candidates of an earlier refine that this view [`narrows`].
pub fn refine_within(
    rows: &[SyncLog],
    view: &ViewState,
    index: Option<&SearchIndex>,
    clusters: Option<&ClusterIndex>,
    within: Option<&[u32]>,
) -> Refined {
    let cluster = view.refine.cluster.as_deref();
    let in_cluster = |i: usize, row: &SyncLog| match (cluster, clusters) {
        (None, _) => true,
        (Some(key), Some(index)) => index.key_of(i) == Some(key),
        (Some(key), None) => {
            matches!(row.status.tone(), Tone::Failed | Tone::Partial)
                && row
                    .details
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty() && normalise(d) == key)
        }
    };
    let mut unclustered = Vec::new();
    let run = view.query.correlation_id.as_deref();
    let prepared = Prepared::new(&view.refine);
    // Known statuses are counted by their place in the taxonomy (no hashing per row),
    // others by borrowed wire value; owned keys are made once per distinct status.
    let mut known = [0_usize; Status::KNOWN.len()];
    let mut others: HashMap<&str, usize> = HashMap::new();
    let mut base = Vec::new();
    let mut candidates = Vec::new();
    let mut visit = |i: usize| {
        let Some(row) = rows.get(i) else {
            return;
        };
        if run.is_some_and(|id| row.correlation_id.as_deref() != Some(id)) {
            return;
        }
        let text = index.and_then(|idx| idx.get(i));
        if !prepared.matches_except_status(row, text) {
            return;
        }
        candidates.push(i as u32);
        let clustered = in_cluster(i, row);
        if clustered {
            match row.status.ordinal() {
                Some(k) => known[k] += 1,
                None => *others.entry(row.status.as_wire()).or_insert(0) += 1,
            }
        }
        if prepared.matches_status(&row.status) {
            unclustered.push(i as u32);
            if clustered {
                base.push(i as u32);
            }
        }
    };
    match within {
        Some(within) => within.iter().for_each(|&i| visit(i as usize)),
        None => (0..rows.len()).for_each(&mut visit),
    }
    let mut status_counts: BTreeMap<String, usize> = BTreeMap::new();
    let known = Status::KNOWN.iter().zip(known).filter(|&(_, n)| n > 0);
    for (status, n) in known.map(|(s, n)| (s.as_wire(), n)).chain(others) {
        *status_counts.entry(status.to_owned()).or_insert(0) += n;
    }
    let stats = Stats::of(base.iter().map(|&i| &rows[i as usize]));
    let mut visible: Vec<u32> = match view.tone {
        None => base.clone(),
        Some(tone) => base
            .iter()
            .copied()
            .filter(|&i| rows[i as usize].status.tone() == tone)
            .collect(),
    };
    if let Some(sort) = view.refine.sort {
        sort_indexes(rows, &mut visible, sort);
    }
    Refined {
        base,
        visible,
        unclustered,
        stats,
        status_counts,
        candidates,
    }
}

/// Sorts `indexes` by `sort`, stably: rows that compare equal keep their order.
pub fn sort_indexes(rows: &[SyncLog], indexes: &mut [u32], sort: Sort) {
    indexes.sort_by(|&a, &b| {
        let order = compare(&rows[a as usize], &rows[b as usize], sort.column);
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
}

/// Compares two rows by the typed value of `column`; a missing value sorts first.
pub fn compare(a: &SyncLog, b: &SyncLog, column: Column) -> Ordering {
    column.compare(a, b)
}

#[cfg(test)]
mod tests;
