//! The records both decode benchmarks read: 100,000 (or `rows`) records as the native
//! contract sends them and as a profiled backend sends the same (nested and renamed
//! fields, capital status words, epoch-millisecond times, one extra column), and that
//! backend's profile. Shared by `examples/decode_bench.rs` (native) and
//! `tests/decode_bench_wasm.rs` (in the browser).

use serde_json::json;
use sync_logs_core::profile::BackendProfile;

const STATUSES: [(&str, &str); 4] = [
    ("ok", "OK"),
    ("failed", "FAILED"),
    ("pending", "PENDING"),
    ("partial_success", "DONE"),
];

/// The native body, the profiled body, and the profile.
pub fn corpus(rows: usize) -> (Vec<u8>, Vec<u8>, BackendProfile) {
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
    (native_body, foreign_body, profile)
}

/// The records of a native page read as the app reads one: the body as text, then
/// 250 records at a time (`sync_logs_core::wire::PageInSlices`). Only the decode
/// benchmarks use it; the others share the corpus.
#[allow(dead_code)]
pub fn in_slices(body: &[u8]) -> Vec<sync_logs_core::SyncLog> {
    let text = sync_logs_core::wire::body_text(body);
    let mut page = sync_logs_core::wire::PageInSlices::read(&text).unwrap();
    let mut items = Vec::new();
    while page.decode_next(250, &mut items).unwrap() {}
    items
}
