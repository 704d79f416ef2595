//! CSV of 100,000 records, compiled natively: the time [`CsvExport`] takes to write them
//! with the columns shown by default, best of several rounds. The browser figure (with
//! the Blob) is `bench/compare.mjs`'s "CSV of every row → Blob".
//!
//! `cargo run --release -p sync-logs-core --example csv_bench [rows]`

use std::time::Instant;

use sync_logs_core::SyncLogPage;

#[path = "shared/csv_rounds.rs"]
mod csv_rounds;
#[path = "shared/decode_corpus.rs"]
mod decode_corpus;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let (native_body, _, _) = decode_corpus::corpus(rows);
    let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
    let rounds = 40;
    let started = Instant::now();
    let (best, size) = csv_rounds::best_of(&page.items, rounds, || {
        started.elapsed().as_secs_f64() * 1000.0
    });
    println!(
        "csv {rows} rows (best of {rounds}): {best:.1} ms, {:.1} MB",
        size as f64 / 1e6
    );
}
