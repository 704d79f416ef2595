//! The decode benchmark in the browser: 100,000 records through the native contract and
//! through a backend profile, in wasm in headless Chromium, as the app decodes them.
//! Ignored in the test suite (it measures, it does not check); `bench/run.sh` runs it:
//!
//! `cargo test -p sync-logs-core --release --target wasm32-unknown-unknown --test
//! decode_bench_wasm -- --include-ignored --nocapture`
#![cfg(target_arch = "wasm32")]

use sync_logs_core::profile::decode_page;
use sync_logs_core::SyncLogPage;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

#[path = "shared/browser_clock.rs"]
mod browser_clock;
#[path = "../examples/shared/decode_corpus.rs"]
mod decode_corpus;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
#[ignore = "a benchmark: bench/run.sh runs it"]
fn decode_100k_native_and_through_a_profile() {
    let rows = 100_000;
    let (native_body, foreign_body, profile) = decode_corpus::corpus(rows);
    let rounds = 5;
    let (mut best_native, mut best_profile, mut best_sliced) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = browser_clock::now();
        let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
        best_native = best_native.min(browser_clock::now() - t);
        assert_eq!(page.items.len(), rows);
        drop(page);
        let t = browser_clock::now();
        let items = decode_corpus::in_slices(&native_body);
        best_sliced = best_sliced.min(browser_clock::now() - t);
        assert_eq!(items.len(), rows);
        drop(items);
        let t = browser_clock::now();
        let page = decode_page(&profile, &foreign_body).unwrap();
        best_profile = best_profile.min(browser_clock::now() - t);
        assert_eq!(page.items.len(), rows);
    }
    console_log!(
        "decode {rows} rows in wasm (best of {rounds}): native {best_native:.1} ms, profile {best_profile:.1} ms, ratio {:.2}x (target <= 1.30x); native in slices as the app reads a page {best_sliced:.1} ms ({:.2}x one go)",
        best_profile / best_native,
        best_sliced / best_native
    );
}
