//! The refine benchmark's work, the same natively and in wasm: what a keystroke costs the
//! pipeline over `rows` loaded records, without paint. The characters of each row (built
//! after every load) and the search text (built in the background once someone is about
//! to search), then views: none (the search cleared, every row shown again) and searches
//! of one to three letters, as the first keys of a word are: with both, with the
//! characters alone (before the search text is ready) and with neither (each row's
//! columns compared in place). Returns the best time of each (milliseconds, by `now`).

use std::sync::Arc;

use sync_logs_core::pipeline::{refine, SearchIndex, SearchIndexBuilder};
use sync_logs_core::row_chars::RowChars;
use sync_logs_core::{SyncLog, ViewState};

/// The searches timed: the first keys of the browser benchmark's words, a word, and two
/// letters every row holds (`sh`, in "Shopify"), as the first keys often are in real
/// data: the whole search text then matches at every row.
pub const SEARCHES: [&str; 6] = ["c", "co", "t", "ti", "sku", "sh"];

pub struct Best {
    pub chars: f64,
    pub search_text: f64,
    pub cleared: f64,
    /// For each of [`SEARCHES`]: with the search text (and the characters), with the
    /// characters alone, in place, and the rows kept.
    pub searches: Vec<(&'static str, f64, f64, f64, usize)>,
}

impl Best {
    /// One line per search: `"co": 12.3 ms (characters only 23.4 ms, in place 45.6 ms),
    /// 1234 rows kept`.
    pub fn lines(&self) -> String {
        self.searches
            .iter()
            .map(|(needle, text, chars, in_place, kept)| {
                format!(
                    "  {needle:?}: {text:.1} ms (characters only {chars:.1} ms, in place \
                     {in_place:.1} ms), {kept} rows kept"
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub fn best_of(rows: &[SyncLog], rounds: usize, now: impl Fn() -> f64) -> Best {
    let (mut chars, mut search_text) = (f64::MAX, f64::MAX);
    for _ in 0..rounds.min(3) {
        let t = now();
        let built = RowChars::build(rows);
        chars = chars.min(now() - t);
        drop(built);
        let t = now();
        let mut builder = SearchIndexBuilder::new();
        builder.extend(rows);
        let index = builder.finish();
        search_text = search_text.min(now() - t);
        drop(index);
    }
    let index = SearchIndex::build(rows);
    let chars_only = SearchIndex::default().with_chars(Arc::new(RowChars::build(rows)));
    let mut cleared = f64::MAX;
    for _ in 0..rounds {
        let t = now();
        let all = refine(rows, &ViewState::default(), Some(&index), None);
        cleared = cleared.min(now() - t);
        assert_eq!(all.visible.len(), rows.len());
    }
    let searches = SEARCHES
        .iter()
        .map(|&needle| {
            let mut view = ViewState::default();
            view.refine.search = needle.into();
            let (mut text, mut by_chars, mut in_place, mut kept) =
                (f64::MAX, f64::MAX, f64::MAX, 0);
            for _ in 0..rounds {
                let t = now();
                let some = refine(rows, &view, Some(&index), None);
                text = text.min(now() - t);
                kept = some.visible.len();
                let t = now();
                let from_chars = refine(rows, &view, Some(&chars_only), None);
                by_chars = by_chars.min(now() - t);
                let t = now();
                let without = refine(rows, &view, None, None);
                in_place = in_place.min(now() - t);
                assert_eq!(without.visible, some.visible, "{needle}");
                assert_eq!(from_chars.visible, some.visible, "{needle}");
            }
            (needle, text, by_chars, in_place, kept)
        })
        .collect();
    Best {
        chars,
        search_text,
        cleared,
        searches,
    }
}
