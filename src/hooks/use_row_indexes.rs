//! The indexes the refine pipeline reads, built for every new set of loaded rows in the
//! background, in slices of at most [`SLICE_MS`] with the page painting between them,
//! rather than in the frame that shows the rows: after every load the characters of each
//! row's search text (8 bytes a row: they decide a one-letter search), then the
//! error-cluster keys (the "Errors in view" line needs them); the lowercase search text
//! itself once someone is about to search.
//!
//! Until an index is ready the pipeline gives the same answers without it: a keystroke
//! never waits for the search text (the rows it does not cover yet have their columns
//! compared in place; the part already built is published as it grows), and the
//! cluster keys are built at once only when a cluster is chosen.
//!
//! The time from the first slice to a ready index is recorded as the User Timing
//! measures `sync-logs:cluster-index`, `sync-logs:chars-index` and
//! `sync-logs:search-index`; the benchmark reports the first two for a load.

use std::sync::{Arc, Weak};

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::clusters::{ClusterIndex, ClusterIndexBuilder};
use sync_logs_core::pipeline::{SearchIndex, SearchIndexBuilder};
use sync_logs_core::row_chars::{RowChars, RowCharsBuilder};
use sync_logs_core::SyncLog;

use crate::perf::{measured, next_task, now, Span};

/// The longest one slice of background indexing holds the page.
const SLICE_MS: f64 = 8.0;
/// Rows indexed between two looks at the clock.
const STEP: usize = 1_000;
/// Up to this many rows, the cluster keys are built at once (about 10 ms in a release
/// build): the "Errors in view" line never waits for a small load or a patch.
const AT_ONCE: usize = 20_000;

type Built<T> = Option<(Source, Arc<T>)>;

/// The rows an index was built from, held weakly: the rows are freed as before, but
/// their allocation stays reserved while the index is kept, so no newer rows can get
/// its address and with it this index. An address alone could: the allocator often
/// puts the next set of rows (the next page of a load) where freed ones were.
#[derive(Clone)]
struct Source(Weak<Vec<SyncLog>>);

impl Source {
    fn of(rows: &Arc<Vec<SyncLog>>) -> Source {
        Source(Arc::downgrade(rows))
    }

    fn is(&self, rows: &Arc<Vec<SyncLog>>) -> bool {
        std::ptr::eq(self.0.as_ptr(), Arc::as_ptr(rows))
    }
}

#[derive(Clone, Copy)]
pub struct UseRowIndexesReturn {
    /// Error-cluster keys of the loaded rows, once built.
    pub clusters: Memo<Option<Arc<ClusterIndex>>>,
    /// What a search of the loaded rows looks through, as far as the background built
    /// it: the characters of each row after every load, the search text once someone is
    /// about to search, or searches (of the first rows while it is being built, then of
    /// all). Read it untracked: the answers are the same without it, so its arrival is no
    /// reason to refine again.
    pub search: Memo<Option<Arc<SearchIndex>>>,
    /// Someone is about to search (the search box has the focus or the pointer): build
    /// the search text in the background now.
    pub prepare_search: Callback<()>,
}

/// `searching`: the search box has text. `clustering`: the view is narrowed to an error
/// cluster.
pub fn use_row_indexes(
    rows: Memo<Arc<Vec<SyncLog>>>,
    searching: Memo<bool>,
    clustering: Memo<bool>,
) -> UseRowIndexesReturn {
    // What the background finished, for the rows it was built from.
    let ready_clusters = RwSignal::new(None::<(Source, Arc<ClusterIndex>)>);
    let ready_search = RwSignal::new(None::<(Source, Arc<SearchIndex>)>);
    let ready_chars = RwSignal::new(None::<(Source, Arc<RowChars>)>);
    // The rows whose search text the background is building, while it does.
    let building_search = StoredValue::new(None::<Source>);
    // Bumped for every new set of rows: a background build for older rows stops.
    let generation = StoredValue::new(0_u64);

    let built_clusters = Memo::new_with_compare(
        move |previous: Option<&Built<ClusterIndex>>| {
            let rows = rows.get();
            if let Some(kept) = previous.and_then(|p| built_for(p, &rows)) {
                return Some(kept);
            }
            let ready = ready_clusters.with(|r| built_for(r, &rows));
            ready.or_else(|| {
                // Few rows (a small load, a patch of one) cost less than a frame: at once.
                (rows.len() <= AT_ONCE || clustering.get()).then(|| {
                    let index = measured("sync-logs:cluster-index", || ClusterIndex::build(&rows));
                    (Source::of(&rows), Arc::new(index))
                })
            })
        },
        changed_index,
    );
    // The search text as far as it is built, with the rows' characters once they are.
    let built_search = Memo::new_with_compare(
        move |_: Option<&Built<SearchIndex>>| {
            rows.with(|rows| {
                let text = ready_search.with(|r| built_for(r, rows));
                let chars = ready_chars.with(|r| built_for(r, rows));
                if text.is_none() && chars.is_none() {
                    return None;
                }
                let index = text.map_or_else(SearchIndex::default, |(_, text)| (*text).clone());
                let index = match chars {
                    Some((_, chars)) => index.with_chars(chars),
                    None => index,
                };
                Some((Source::of(rows), Arc::new(index)))
            })
        },
        changed_index,
    );

    Effect::new(move |_| {
        let rows = rows.get();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        building_search.set_value(None);
        // The old rows' search text and characters are memory nobody can use any more.
        forget_other_rows(ready_search, &rows);
        forget_other_rows(ready_chars, &rows);
        if rows.is_empty() {
            return;
        }
        spawn_local(async move {
            let stale = move || generation.try_get_value() != Some(this);
            // Someone about to search is served first: these wait while the text builds.
            let text_first = move || building_search.try_with_value(Option::is_some) == Some(true);
            // First the characters of each row's search text (8 bytes a row), for every
            // load: a first keystroke comes before the search text can be built.
            let span = Span::begin("sync-logs:chars-index");
            let mut builder = RowCharsBuilder::new(rows.len());
            while !in_a_slice(|| {
                let (next, last) = next_rows(&rows, builder.len());
                builder.extend(next);
                last
            }) {
                if !pause_behind(stale, text_first).await {
                    return;
                }
            }
            span.end();
            ready_chars.try_set(Some((Source::of(&rows), Arc::new(builder.finish()))));
            // Then the error-cluster keys, unless they were built at once meanwhile (a
            // small load, or a cluster chosen).
            let keys_built = built_clusters
                .try_with_untracked(|b| built_for(b, &rows).is_some())
                .unwrap_or(true);
            if !keys_built {
                let span = Span::begin("sync-logs:cluster-index");
                let mut builder = ClusterIndexBuilder::new(&rows);
                while !in_a_slice(|| builder.step(STEP)) {
                    if !pause_behind(stale, text_first).await {
                        return;
                    }
                }
                span.end();
                ready_clusters.try_set(Some((Source::of(&rows), Arc::new(builder.finish()))));
            }
        });
    });

    // The search text is a copy of most of the rows' text: built once someone is about to
    // search, not for every load (it would be memory held by a page nobody searches).
    let prepare_search = Callback::new(move |()| {
        let rows = rows.get_untracked();
        let building = building_search.with_value(|b| b.as_ref().is_some_and(|b| b.is(&rows)));
        let ready = ready_search.with_untracked(|r| {
            built_for(r, &rows).is_some_and(|(_, index)| index.rows() == rows.len())
        });
        if rows.is_empty() || building || ready {
            return;
        }
        building_search.set_value(Some(Source::of(&rows)));
        let this = generation.get_value();
        spawn_local(async move {
            let stale = move || generation.try_get_value() != Some(this);
            let span = Span::begin("sync-logs:search-index");
            let mut builder = SearchIndexBuilder::new();
            while !in_a_slice(|| {
                let (next, last) = next_rows(&rows, builder.len());
                builder.extend(next);
                last
            }) {
                // What is built so far serves a search typed meanwhile (1,000,000 rows:
                // the second key's refine took 227-249 ms in place, 39 ms with it all).
                let part = builder.snapshot();
                let grew = ready_search
                    .with_untracked(|r| r.as_ref().is_none_or(|r| r.1.rows() < part.rows()));
                if grew {
                    ready_search.try_set(Some((Source::of(&rows), Arc::new(part))));
                }
                if !pause(stale).await {
                    return;
                }
            }
            span.end();
            ready_search.try_set(Some((Source::of(&rows), Arc::new(builder.finish()))));
            building_search.try_set_value(None);
        });
    });
    // A search that did not come through the search box (a shared link's `q`, a new load
    // while searching) builds it too. Created after the effect above, so it runs after
    // the new rows' generation began.
    Effect::new(move |_| {
        rows.track();
        if searching.get() {
            prepare_search.run(());
        }
    });

    UseRowIndexesReturn {
        clusters: Memo::new_with_compare(
            move |_| built_clusters.with(|b| b.as_ref().map(|b| b.1.clone())),
            changed,
        ),
        search: Memo::new_with_compare(
            move |_| built_search.with(|b| b.as_ref().map(|b| b.1.clone())),
            changed,
        ),
        prepare_search,
    }
}

/// The index in `built`, if it was built from `rows`.
fn built_for<T>(built: &Built<T>, rows: &Arc<Vec<SyncLog>>) -> Option<(Source, Arc<T>)> {
    built.as_ref().filter(|b| b.0.is(rows)).cloned()
}

/// The next rows to index after the first `done`, at most [`STEP`], and whether they
/// are the last.
fn next_rows<T>(rows: &[T], done: usize) -> (&[T], bool) {
    let end = (done + STEP).min(rows.len());
    (rows.get(done..end).unwrap_or_default(), end == rows.len())
}

/// Drops what `ready` holds unless it was built from `rows`.
fn forget_other_rows<T: Send + Sync + 'static>(
    ready: RwSignal<Built<T>>,
    rows: &Arc<Vec<SyncLog>>,
) {
    if ready.with_untracked(|r| r.as_ref().is_some_and(|r| !r.0.is(rows))) {
        ready.set(None);
    }
}

/// Runs `step` until it returns `true` (done) or the slice is used up; whether done.
fn in_a_slice(mut step: impl FnMut() -> bool) -> bool {
    let started = now();
    loop {
        if step() {
            return true;
        }
        if now() - started >= SLICE_MS {
            return false;
        }
    }
}

/// Lets the page paint and take input; whether the work is still wanted after.
async fn pause(stale: impl Fn() -> bool) -> bool {
    next_task().await;
    !stale()
}

/// [`pause`], and longer while `first` holds: other work goes first.
async fn pause_behind(stale: impl Fn() -> bool, first: impl Fn() -> bool) -> bool {
    loop {
        if !pause(&stale).await {
            return false;
        }
        if !first() {
            return true;
        }
    }
}

/// Whether a memo's index changed, by pointer: an index is never compared field by field.
fn changed_index<T>(a: Option<&Built<T>>, b: Option<&Built<T>>) -> bool {
    changed(
        a.map(|a| a.as_ref().map(|a| a.1.clone())).as_ref(),
        b.map(|b| b.as_ref().map(|b| b.1.clone())).as_ref(),
    )
}

fn changed<T>(a: Option<&Option<Arc<T>>>, b: Option<&Option<Arc<T>>>) -> bool {
    match (a.cloned().flatten(), b.cloned().flatten()) {
        (Some(a), Some(b)) => !Arc::ptr_eq(&a, &b),
        (a, b) => a.is_some() != b.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows are indexed in steps of at most `STEP`, each once, the last one said so.
    #[test]
    fn rows_are_indexed_a_step_at_a_time_to_the_last() {
        let rows = vec![0_u8; 2 * STEP + STEP / 2];
        let (mut done, mut steps) = (0, Vec::new());
        loop {
            let (next, last) = next_rows(&rows, done);
            done += next.len();
            steps.push(next.len());
            if last {
                break;
            }
        }
        assert_eq!(steps, [STEP, STEP, STEP / 2]);
        assert_eq!(next_rows::<u8>(&[], 0), (&[][..], true));
    }

    /// Rows freed while their index is kept never pass for newer rows, even where the
    /// allocator would put those newer rows in their place.
    #[test]
    fn an_index_is_never_taken_for_newer_rows() {
        let earlier = Arc::new(Vec::<SyncLog>::new());
        let source = Source::of(&earlier);
        assert!(source.is(&earlier));
        drop(earlier);
        let newer: Vec<_> = (0..1_000)
            .map(|_| Arc::new(Vec::<SyncLog>::new()))
            .collect();
        assert!(newer.iter().all(|rows| !source.is(rows)));
    }
}
