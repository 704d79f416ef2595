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
use std::sync::Arc;

use crate::clusters::{normalise, ClusterIndex};
use crate::columns::searched;
use crate::refine::{push_search_text, Column, Lookup, Prepared, Sort};
use crate::row_chars::{NeedleBits, RowChars};
use crate::stats::Stats;
use crate::status::{Status, Tone};
use crate::view::ViewState;
use crate::wire::SyncLog;

/// The lowercase search text of every loaded row, built once per load: in chunks of
/// [`CHUNK_ROWS`] rows, each one buffer for its rows and the end offset of each, so
/// 100,000 rows are a few dozen allocations. Chunks (rather than one buffer sized by a
/// first pass over every row) let the text be built a slice at a time from the first
/// row, and a chunk that grows past its guess doubles only itself.
///
/// An index may cover only the first rows: a [`SearchIndexBuilder::snapshot`] while the
/// rest is still being built. A refine searches the rows it covers in it and the others
/// in place, so a search typed while the text is being built already gains from the part
/// that is done. Chunks are shared, so a snapshot costs no copy of the text.
///
/// It may also carry the [`RowChars`] of the rows (built after every load, long before
/// the text): they decide a one-letter search, and rule out the rows lacking one of a
/// search's characters, without looking at a row's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    chunks: Vec<Arc<Chunk>>,
    chars: Option<Arc<RowChars>>,
}

/// The search text of up to [`CHUNK_ROWS`] consecutive rows, [`ROW_END`] between rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Chunk {
    text: String,
    /// Where each row's text ends in `text`.
    ends: Vec<u32>,
}

/// Rows per chunk of the search text.
#[cfg(not(test))]
const CHUNK_ROWS: usize = 4096;
/// A few rows per chunk in the tests, so their few rows make many chunks.
#[cfg(test)]
const CHUNK_ROWS: usize = 3;

/// Between the search texts of two rows, so a search never matches across rows (the
/// fields of a row are separated by U+001F).
const ROW_END: char = '\u{1e}';

impl SearchIndex {
    /// The search text and the [`RowChars`] of `rows`.
    pub fn build(rows: &[SyncLog]) -> SearchIndex {
        let mut builder = SearchIndexBuilder::new();
        builder.extend(rows);
        builder.finish().with_chars(Arc::new(RowChars::build(rows)))
    }

    /// This index with the [`RowChars`] of the same rows.
    pub fn with_chars(self, chars: Arc<RowChars>) -> SearchIndex {
        SearchIndex {
            chars: Some(chars),
            ..self
        }
    }

    /// The rows covered: the first `rows()` rows it was built from.
    pub fn rows(&self) -> usize {
        self.chunks.iter().map(|c| c.ends.len()).sum()
    }

    /// The search text of row `i`, if the index covers it.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.chunks.get(i / CHUNK_ROWS)?.get(i % CHUNK_ROWS)
    }

    /// For each row covered, whether its search text contains `needle` (lowercase, not empty),
    /// found in one pass over each chunk: a row without it costs no searcher of its
    /// own. After a match the look moves on to the next row. Meant for needles of two
    /// bytes or more: one byte is found faster row by row (a word-at-a-time scan with
    /// nothing to prepare, where here every row that has it costs a restart). `None`
    /// when the needle holds the row separator: only [`SearchIndex::get`], row by row,
    /// answers that exactly.
    pub fn rows_containing(&self, needle: &str) -> Option<Vec<bool>> {
        if needle.contains(ROW_END) {
            return None;
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut hits = Vec::with_capacity(self.chunks.len() * CHUNK_ROWS);
        for chunk in &self.chunks {
            let first = hits.len();
            hits.resize(first + chunk.ends.len(), false);
            chunk.mark_containing(&finder, &mut hits[first..]);
        }
        Some(hits)
    }
}

impl Chunk {
    fn get(&self, j: usize) -> Option<&str> {
        let end = *self.ends.get(j)? as usize;
        let start = match j {
            0 => 0,
            _ => self.ends[j - 1] as usize + ROW_END.len_utf8(),
        };
        self.text.get(start..end)
    }

    /// Sets `hits[j]` for each row `j` of the chunk whose text contains `needle`.
    fn mark_containing(&self, needle: &memchr::memmem::Finder<'_>, hits: &mut [bool]) {
        let (mut from, mut row) = (0, 0);
        while let Some(rest) = self.text.as_bytes().get(from..) {
            let Some(at) = needle.find(rest).map(|at| (from + at) as u32) else {
                break;
            };
            // The row the match is in: usually one of the next few, so those are looked
            // at first (halving all 4,096 for every match made `sku` over 200,000 rows
            // 8.6 → 9.5 ms in wasm), then the rest by halves.
            let ends = self.ends.get(row..).unwrap_or_default();
            let near = &ends[..ends.len().min(8)];
            row += match near.partition_point(|&end| end <= at) {
                k if k < near.len() => k,
                k => k + ends[k..].partition_point(|&end| end <= at),
            };
            let (Some(hit), Some(&end)) = (hits.get_mut(row), self.ends.get(row)) else {
                break;
            };
            *hit = true;
            from = end as usize + ROW_END.len_utf8();
            row += 1;
        }
    }
}

/// A [`SearchIndex`] built a part at a time (so the page can paint between parts): the
/// rows are given in load order, in as many slices as wanted, then [`finish`]ed.
///
/// [`finish`]: SearchIndexBuilder::finish
#[derive(Debug)]
pub struct SearchIndexBuilder {
    done: Vec<Arc<Chunk>>,
    chunk: Chunk,
    columns: Vec<Column>,
}

impl Default for SearchIndexBuilder {
    fn default() -> Self {
        SearchIndexBuilder::new()
    }
}

impl SearchIndexBuilder {
    pub fn new() -> SearchIndexBuilder {
        SearchIndexBuilder {
            done: Vec::new(),
            chunk: Chunk::default(),
            columns: searched(),
        }
    }

    /// Rows indexed so far: the next slice starts at this row.
    pub fn len(&self) -> usize {
        self.done.len() * CHUNK_ROWS + self.chunk.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Indexes the next rows.
    pub fn extend(&mut self, rows: &[SyncLog]) {
        for row in rows {
            if self.chunk.ends.len() == CHUNK_ROWS {
                self.close_chunk();
            }
            let chunk = &mut self.chunk;
            if !chunk.ends.is_empty() {
                chunk.text.push(ROW_END);
            }
            push_search_text(row, &self.columns, &mut chunk.text);
            // A chunk's text past 4 GB is not text anyone loads; saturate.
            chunk
                .ends
                .push(u32::try_from(chunk.text.len()).unwrap_or(u32::MAX));
        }
    }

    /// Puts the full chunk with the done ones and starts the next, with room for as much
    /// text as this one had (rows of one load are much alike).
    fn close_chunk(&mut self) {
        let room = self.chunk.text.len() + self.chunk.text.len() / 16;
        let next = Chunk {
            text: String::with_capacity(room),
            ends: Vec::with_capacity(CHUNK_ROWS),
        };
        let mut full = std::mem::replace(&mut self.chunk, next);
        full.text.shrink_to_fit();
        self.done.push(Arc::new(full));
    }

    /// An index of the rows in the chunks filled so far (a multiple of the chunk size;
    /// the rows of the chunk being filled are left out), sharing their text.
    pub fn snapshot(&self) -> SearchIndex {
        SearchIndex {
            chunks: self.done.clone(),
            chars: None,
        }
    }

    pub fn finish(mut self) -> SearchIndex {
        if !self.chunk.ends.is_empty() {
            self.chunk.text.shrink_to_fit();
            self.chunk.ends.shrink_to_fit();
            self.done.push(Arc::new(self.chunk));
        }
        SearchIndex {
            chunks: self.done,
            chars: None,
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

/// A search looks through the whole search text rather than row by row when its
/// candidates are at least 1 / `WHOLE_TEXT_SHARE` of the rows.
const WHOLE_TEXT_SHARE: usize = 4;

/// Refines `rows` for `view`. `index` must be built from `rows` (all of them, or their
/// first rows: a [`SearchIndexBuilder::snapshot`]) and `clusters` `ClusterIndex::build(rows)`
/// when given (without them the same answer is computed row by row, more slowly).
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
    let mut stats = Stats::default();
    let mut candidates = Vec::new();
    // A search of two bytes or more over most rows looks through the whole search text
    // at once, with one substring finder (200,000 rows in wasm: `ti` 13.9 ms with a
    // `str::find` per match, 2.6 ms with memchr's finder and SIMD); over a few
    // candidates (typing on), through theirs only.
    let hits = match (index, within) {
        (Some(index), within)
            if prepared.search.len() > 1
                && within.is_none_or(|w| w.len() >= rows.len() / WHOLE_TEXT_SHARE) =>
        {
            index.rows_containing(&prepared.search)
        }
        _ => None,
    };
    // A row lacking one of the search's characters is ruled out by its set of them, and a
    // search of one letter or digit is decided by it (1,000,000 rows in place, `c`:
    // ~140 ms, reading every row's columns).
    let chars = index.and_then(|index| index.chars.as_deref());
    let needle = NeedleBits::of(&prepared.search);
    let mut visit = |i: usize| {
        let Some(row) = rows.get(i) else {
            return;
        };
        if run.is_some_and(|id| row.correlation_id.as_deref() != Some(id)) {
            return;
        }
        let decided = chars.and_then(|chars| chars.decide(i, needle));
        let search = match (decided, &hits, index) {
            (Some(found), ..) => Lookup::Decided(found),
            // Rows past a snapshot's are looked at in place.
            (None, Some(hits), _) => hits
                .get(i)
                .copied()
                .map_or(Lookup::InPlace, Lookup::Decided),
            (None, None, Some(index)) => index.get(i).map_or(Lookup::InPlace, Lookup::Text),
            (None, None, None) => Lookup::InPlace,
        };
        if !prepared.matches_except_status(row, search) {
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
                stats.add(row.status.tone());
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
