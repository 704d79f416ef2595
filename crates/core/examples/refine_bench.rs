//! Refining 1,000,000 loaded records (or `rows`), compiled natively: the pipeline's part
//! of a keystroke that clears the search and of one that searches a word, best of several
//! rounds. The browser figures are `bench/compare.mjs`'s "of which refining rows" lines.
//!
//! `cargo run --release -p sync-logs-core --example refine_bench [rows]`

use std::time::Instant;

use sync_logs_core::SyncLogPage;

#[path = "shared/decode_corpus.rs"]
mod decode_corpus;
#[path = "shared/refine_rounds.rs"]
mod refine_rounds;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let (native_body, _, _) = decode_corpus::corpus(rows);
    let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
    let rounds = 10;
    let started = Instant::now();
    let best = refine_rounds::best_of(&page.items, rounds, || {
        started.elapsed().as_secs_f64() * 1000.0
    });
    println!(
        "refine {rows} rows (best of {rounds}): characters {:.1} ms, search text {:.1} ms, \
         search cleared {:.1} ms\n{}",
        best.chars,
        best.search_text,
        best.cleared,
        best.lines()
    );
}
