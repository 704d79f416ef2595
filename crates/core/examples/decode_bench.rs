//! Decode time of 100,000 records: the native contract beside a backend profile (nested
//! fields, capital status words, epoch-millisecond times, one extra column), in one run.
//! Prints the best of several rounds for each and their ratio.
//!
//! `cargo run --release -p sync-logs-core --example decode_bench [rows]`

use std::time::Instant;

use serde_json::json;
use sync_logs_core::profile::{decode_page, BackendProfile};
use sync_logs_core::SyncLogPage;

const STATUSES: [(&str, &str); 4] = [
    ("ok", "OK"),
    ("failed", "FAILED"),
    ("pending", "PENDING"),
    ("partial_success", "DONE"),
];

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let base_ms: i64 = 1_795_132_800_000;
    let mut native = Vec::with_capacity(rows);
    let mut foreign = Vec::with_capacity(rows);
    for i in 0..rows {
        let (ours, theirs) = STATUSES[i % STATUSES.len()];
        let started = chrono::DateTime::from_timestamp_millis(base_ms - i as i64 * 1000).unwrap();
        let details = (i % 3 == 0).then(|| format!("Product 'SKU-{i}' not found in the target"));
        native.push(json!({
            "id": format!("log-{i:07}"), "status": ours, "instance": "SAP B1 → Shopify",
            "entity_type": "item", "source_system": "SAP B1", "target_system": "Shopify",
            "source_id": format!("ITEM-{i:05}"), "target_id": format!("gid://shopify/Product/{i}"),
            "operation": "update", "started_at": started.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "details": details, "attempts": 1 + i % 3, "correlation_id": format!("run-{}", i / 500),
        }));
        foreign.push(json!({
            "uuid": format!("log-{i:07}"), "state": theirs, "job": {"name": "SAP B1 → Shopify", "entity": "item"},
            "systems": {"from": "SAP B1", "to": "Shopify"},
            "source": {"ref": format!("ITEM-{i:05}")}, "target": {"ref": format!("gid://shopify/Product/{i}")},
            "action": "UPSERT", "startedAt": base_ms - i as i64 * 1000,
            "error": {"message": details}, "tries": 1 + i % 3, "batch": format!("run-{}", i / 500),
            "meta": {"warehouse": "Leeds"},
        }));
    }
    let native_body = serde_json::to_vec(&json!({ "items": native })).unwrap();
    let foreign_body = serde_json::to_vec(&foreign).unwrap();
    let mut warnings = Vec::new();
    let profile = BackendProfile::from_json(
        &json!({
            "version": 1,
            "records": {
                "path": "/records",
                "fields": {"id": "uuid", "status": "state", "instance": "job.name", "entity_type": "job.entity",
                    "source_system": "systems.from", "target_system": "systems.to",
                    "source_id": "source.ref", "target_id": "target.ref", "operation": "action",
                    "started_at": "startedAt", "details": "error.message", "attempts": "tries",
                    "correlation_id": "batch"},
                "times": "epoch_millis",
                "statuses": {"OK": "ok", "FAILED": "failed", "PENDING": "pending", "DONE": "partial_success"},
                "operations": {"UPSERT": "update"},
                "extra_columns": [{"key": "warehouse", "label": "Warehouse", "path": "meta.warehouse"}]
            }
        }),
        &mut warnings,
    )
    .expect("the bench profile is valid");
    assert!(warnings.is_empty(), "{warnings:?}");

    let rounds = 7;
    let mut best_native = f64::MAX;
    let mut best_profile = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        let page: SyncLogPage = serde_json::from_slice(&native_body).unwrap();
        best_native = best_native.min(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.items.len(), rows);
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
}
