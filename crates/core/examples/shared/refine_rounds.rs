//! The refine benchmark's work, the same natively and in wasm: what a keystroke costs the
//! pipeline over `rows` loaded records, without paint. The search text (built once per
//! load, at the first keystroke unless the search box had the focus long enough), then
//! two views: none (the search cleared, every row shown again) and a one-word search.
//! Returns the best time of each (milliseconds, by `now`).

use sync_logs_core::pipeline::{refine, SearchIndex};
use sync_logs_core::{SyncLog, ViewState};

pub struct Best {
    pub search_text: f64,
    pub cleared: f64,
    pub searched: f64,
    /// The same search without the search text: each row's columns compared in place.
    pub searched_in_place: f64,
    /// Rows the search kept, so the two views are seen to differ.
    pub matched: usize,
}

pub fn best_of(rows: &[SyncLog], rounds: usize, now: impl Fn() -> f64) -> Best {
    let mut search_text = f64::MAX;
    for _ in 0..rounds.min(3) {
        let t = now();
        let index = SearchIndex::build(rows);
        search_text = search_text.min(now() - t);
        drop(index);
    }
    let index = SearchIndex::build(rows);
    let cleared = ViewState::default();
    let mut searching = ViewState::default();
    searching.refine.search = "sku".into();
    let mut best = Best {
        search_text,
        cleared: f64::MAX,
        searched: f64::MAX,
        searched_in_place: f64::MAX,
        matched: 0,
    };
    for _ in 0..rounds {
        let t = now();
        let all = refine(rows, &cleared, Some(&index), None);
        best.cleared = best.cleared.min(now() - t);
        assert_eq!(all.visible.len(), rows.len());
        let t = now();
        let some = refine(rows, &searching, Some(&index), None);
        best.searched = best.searched.min(now() - t);
        best.matched = some.visible.len();
        let t = now();
        let in_place = refine(rows, &searching, None, None);
        best.searched_in_place = best.searched_in_place.min(now() - t);
        assert_eq!(in_place.visible, some.visible);
    }
    best
}
