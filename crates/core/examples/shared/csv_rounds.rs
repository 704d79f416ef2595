//! The CSV benchmark's work, the same natively and in wasm: `rounds` exports of `rows`
//! with the default columns, in UTC, taken 5,000 rows at a time as the app does. Returns
//! the best time (milliseconds, by `now`) and the file's size in bytes.

use chrono::FixedOffset;
use sync_logs_core::columns::default_columns;
use sync_logs_core::csv_export::CsvExport;
use sync_logs_core::SyncLog;

pub fn best_of(rows: &[SyncLog], rounds: usize, now: impl Fn() -> f64) -> (f64, usize) {
    let columns = default_columns();
    let utc = FixedOffset::east_opt(0).unwrap();
    let mut best = f64::MAX;
    let mut size = 0;
    for _ in 0..rounds {
        let t = now();
        let mut export = CsvExport::new(&columns, utc, "UTC");
        let mut written = 0;
        for chunk in rows.chunks(5_000) {
            export.push(chunk);
            written += export.take().len();
        }
        written += export.finish().len();
        best = best.min(now() - t);
        size = written;
    }
    (best, size)
}
