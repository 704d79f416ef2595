//! Unresolved only (`latest=1`) against the real server binary: one row per source
//! record, its latest attempt, and none whose latest attempt succeeded; the summary
//! counts the same rows.

mod common;

use std::collections::{HashMap, HashSet};

use common::Server;
use serde_json::Value;
use sync_logs_core::{SyncLog, Tone};

fn key(r: &SyncLog) -> (String, String, String) {
    (
        r.instance.as_str().to_owned(),
        r.entity_type.as_str().to_owned(),
        r.source_id.clone(),
    )
}

/// What `latest=1` should hold, worked out from every record.
fn unresolved(all: &[SyncLog]) -> Vec<String> {
    let mut latest: HashMap<_, &SyncLog> = HashMap::new();
    for r in all {
        let slot = latest.entry(key(r)).or_insert(r);
        if (r.started_at, &r.id) > (slot.started_at, &slot.id) {
            *slot = r;
        }
    }
    let mut ids: Vec<String> = latest
        .into_values()
        .filter(|r| !matches!(r.status.tone(), Tone::Success | Tone::Neutral))
        .map(|r| r.id.clone())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn unresolved_only_keeps_the_latest_attempt_of_each_record_unless_it_succeeded() {
    let server = Server::start_seeded(6_000, &[]);
    let all = server.all("limit=1000000").await;
    assert_eq!(all.len(), 6_000);
    let expected = unresolved(&all);

    let got = server.all("latest=1&limit=1000000").await;
    let mut ids: Vec<String> = got.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, expected);
    let keys: HashSet<_> = got.iter().map(key).collect();
    assert_eq!(keys.len(), got.len(), "one row per source record");

    // A record that failed and later succeeded is gone; one whose latest attempt failed
    // shows once, with its latest error.
    let mut by_key: HashMap<_, Vec<&SyncLog>> = HashMap::new();
    for r in &all {
        by_key.entry(key(r)).or_default().push(r);
    }
    let fixed = by_key
        .values()
        .find(|rows| {
            let newest = rows
                .iter()
                .max_by_key(|r| (r.started_at, r.id.clone()))
                .unwrap();
            newest.status.tone() == Tone::Success
                && rows.iter().any(|r| r.status.tone() == Tone::Failed)
        })
        .expect("a record that failed, then succeeded");
    assert!(fixed.iter().all(|r| !ids.contains(&r.id)));
    let broken = by_key
        .values()
        .filter(|rows| rows.len() > 1)
        .find_map(|rows| {
            let newest = rows
                .iter()
                .max_by_key(|r| (r.started_at, r.id.clone()))
                .unwrap();
            (newest.status.tone() == Tone::Failed).then_some(*newest)
        })
        .expect("a record tried more than once whose latest attempt failed");
    let shown: Vec<_> = got.iter().filter(|r| key(r) == key(broken)).collect();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].id, broken.id);
    assert_eq!(shown[0].details, broken.details);

    // The summary counts what the list holds, and a filter narrows both.
    let summary: Value = server
        .get("/api/v1/sync-logs/summary?latest=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["total"], got.len());
    let failed = server.all("latest=1&status=failed&limit=1000000").await;
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|r| r.status.as_wire() == "failed"));
    assert_eq!(
        failed.len(),
        got.iter()
            .filter(|r| r.status.as_wire() == "failed")
            .count()
    );
}
