//! Decode time of 100,000 records: the native contract beside a backend profile (nested
//! fields, capital status words, epoch-millisecond times, one extra column), in one run,
//! compiled natively. Prints the best of several rounds for each and their ratio;
//! `tests/decode_bench_wasm.rs` measures the same in the browser.
//!
//! `cargo run --release -p sync-logs-core --example decode_bench [rows]`

use std::time::Instant;

use sync_logs_core::profile::decode_page;
use sync_logs_core::SyncLogPage;

#[path = "shared/decode_corpus.rs"]
mod decode_corpus;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let (native_body, foreign_body, profile) = decode_corpus::corpus(rows);
    let rounds = 7;
    let mut best_native = f64::MAX;
    let mut best_profile = f64::MAX;
    let mut best_sliced = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
        best_native = best_native.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.items.len(), rows);
        let t = Instant::now();
        let items = decode_corpus::in_slices(&native_body);
        best_sliced = best_sliced.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(items.len(), rows);
        let t = Instant::now();
        let page = decode_page(&profile, &foreign_body).unwrap();
        best_profile = best_profile.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.items.len(), rows);
        assert!(page.items.iter().all(|r| r.flags.is_empty()));
    }
    println!(
        "decode {rows} rows (best of {rounds}): native {best_native:.1} ms ({:.1} MB), profile {best_profile:.1} ms ({:.1} MB), ratio {:.2}x (target <= 1.30x)",
        native_body.len() as f64 / 1e6,
        foreign_body.len() as f64 / 1e6,
        best_profile / best_native
    );
    println!(
        "native contract in slices of 250, as the app reads a page: {best_sliced:.1} ms ({:.2}x one go)",
        best_sliced / best_native
    );
}
