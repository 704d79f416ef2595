//! Error-cluster keys of 100,000 records, compiled natively: the time
//! [`ClusterIndex::build`] takes over failed and partial rows whose messages carry their
//! particulars (ids, SKUs, hosts, URLs), best of several rounds. The browser figure is
//! `bench/compare.mjs`'s "error-cluster keys" line. Then the grouping of every row into
//! clusters ([`clusters`], what the "Errors in view" line shows after each keystroke),
//! best of several rounds too; its browser figure is the "grouping error clusters" line.
//!
//! `cargo run --release -p sync-logs-core --example cluster_bench [rows]`

use std::time::Instant;

use sync_logs_core::clusters::{clusters, ClusterIndex};
use sync_logs_core::SyncLogPage;

/// Messages as pipelines write them, with `{n}` filled in per record.
const TEMPLATES: &[&str] = &[
    "HTTP 422 Unprocessable Entity: variants.sku has already been taken (TEE-{n}-WHITE)",
    "Missing required field 'ItemName' on item A{n}",
    "HTTP 400 Bad Request: Product with id {n} not found in price list 'Wholesale EUR'",
    "Invalid value for field 'Weight': expected a number, got \"12,5 kg\"",
    "HTTP 429 Too Many Requests: exceeded 2 calls per second for api client; Retry-After: 2.0",
    "Request timed out after 30000 ms (POST https://shop-{n}.myshopify.com/admin/api/2024-10/graphql.json)",
    "Connection refused (os error 111) connecting to sap-b1.internal:50000",
    "Extraction failed: SAP B1 Service Layer returned -1116 'Session timeout' for OITM(IT{n})",
    "Product written; image sync failed for 2 of 5 images: https://cdn.example/img/SKU-{n}-3.jpg returned 404",
];

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let items: Vec<serde_json::Value> = (0..rows)
        .map(|i| {
            let failed = i % 4 != 0;
            let details =
                failed.then(|| TEMPLATES[i % TEMPLATES.len()].replace("{n}", &i.to_string()));
            serde_json::json!({
                "id": format!("log-{i}"), "instance_id": "erp-shopify", "entity_type": "product",
                "source_id": format!("S{i}"), "target_id": null, "operation": "update",
                "status": if failed { "failed" } else { "success" },
                "started_at": "2026-11-20T10:00:00Z", "details": details,
            })
        })
        .collect();
    let body = serde_json::json!({ "items": items, "next_cursor": null });
    let page: SyncLogPage = serde_json::from_value(body).unwrap();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        let index = ClusterIndex::build(&page.items);
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(index);
    }
    println!("cluster keys of {rows} rows (best of 20): {best:.1} ms");
    let index = ClusterIndex::build(&page.items);
    let all: Vec<u32> = (0..rows as u32).collect();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let started = Instant::now();
        let found = clusters(&page.items, &index, &all);
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(found);
    }
    println!("grouping {rows} rows into clusters (best of 20): {best:.1} ms");
}
