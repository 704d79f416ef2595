//! The CSV writer in the browser: 100,000 records with the default columns, in wasm in
//! headless Chromium, as the app writes them (5,000 rows a chunk), without the Blob.
//! Ignored in the test suite (it measures, it does not check); `bench/run.sh` runs it:
//!
//! `cargo test -p sync-logs-core --release --target wasm32-unknown-unknown --test
//! csv_bench_wasm -- --include-ignored --nocapture`
#![cfg(target_arch = "wasm32")]

use sync_logs_core::SyncLogPage;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "shared/browser_clock.rs"]
mod browser_clock;
#[path = "../examples/shared/csv_rounds.rs"]
mod csv_rounds;
#[path = "../examples/shared/decode_corpus.rs"]
mod decode_corpus;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "a benchmark: bench/run.sh runs it"]
fn csv_of_100k_rows() {
    let rows = 100_000;
    let (native_body, _, _) = decode_corpus::corpus(rows);
    let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
    let rounds = 10;
    let (best, size) = csv_rounds::best_of(&page.items, rounds, browser_clock::now);
    console_log!(
        "csv {rows} rows in wasm (best of {rounds}): {best:.1} ms, {:.1} MB",
        size as f64 / 1e6
    );
}
