//! CSV of 100,000 records, compiled natively: the time [`CsvExport`] takes to write them
//! with the columns shown by default, best of several rounds. The browser figure (with
//! the Blob) is `bench/compare.mjs`'s "CSV of every row → Blob".
//!
//! `cargo run --release -p sync-logs-core --example csv_bench [rows]`

use std::time::Instant;

use chrono::FixedOffset;
use sync_logs_core::columns::default_columns;
use sync_logs_core::csv_export::CsvExport;
use sync_logs_core::SyncLogPage;

#[path = "shared/decode_corpus.rs"]
mod decode_corpus;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let (native_body, _, _) = decode_corpus::corpus(rows);
    let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
    let columns = default_columns();
    let utc = FixedOffset::east_opt(0).unwrap();
    let rounds = 40;
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let mut export = CsvExport::new(&columns, utc, "UTC");
        let mut written = 0;
        for chunk in page.items.chunks(5_000) {
            export.push(chunk);
            written += export.take().len();
        }
        written += export.finish().len();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        size = written;
    }
    println!(
        "csv {rows} rows (best of {rounds}): {best:.1} ms, {:.1} MB",
        size as f64 / 1e6
    );
}
