//! Refining 200,000 loaded records in wasm in headless Chromium, as the app refines them
//! on a keystroke (without paint). Ignored in the test suite (it measures, it does not
//! check); `bench/run.sh` runs it:
//!
//! `cargo test -p sync-logs-core --release --target wasm32-unknown-unknown --test
//! refine_bench_wasm -- --include-ignored --nocapture`
#![cfg(target_arch = "wasm32")]

use sync_logs_core::SyncLogPage;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "shared/browser_clock.rs"]
mod browser_clock;
#[path = "../examples/shared/decode_corpus.rs"]
mod decode_corpus;
#[path = "../examples/shared/refine_rounds.rs"]
mod refine_rounds;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "a benchmark: bench/run.sh runs it"]
fn refine_of_200k_rows() {
    // Fewer than natively: the corpus is built in the page's memory first.
    let rows = 200_000;
    let (native_body, _, _) = decode_corpus::corpus(rows);
    let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
    drop(native_body);
    let rounds = 10;
    let best = refine_rounds::best_of(&page.items, rounds, browser_clock::now);
    console_log!(
        "refine {rows} rows (best of {rounds}): characters {:.1} ms, search text {:.1} ms, \
         search cleared {:.1} ms\n{}",
        best.chars,
        best.search_text,
        best.cleared,
        best.lines()
    );
}
