//! The second API (`--foreign-api`), read through a backend profile: page by page with
//! skip/take, it gives the same records as the native API, its unknown parameters are
//! ignored, and its replay endpoint queues records as the native resync does.

mod common;

use common::Server;
use serde_json::{json, Value};
use sync_logs_core::profile::{decode_page, BackendProfile, PageCursor};
use sync_logs_core::{LogQuery, Status};

fn profile() -> BackendProfile {
    let mut warnings = Vec::new();
    let profile = BackendProfile::from_json(
        &json!({
            "version": 1,
            "records": {
                "path": "/records", "items": "records",
                "fields": {"id": "uid", "status": "state", "instance": "job.title", "entity_type": "job.kind",
                    "source_system": "systems.from", "target_system": "systems.to", "source_id": "ref",
                    "target_id": "dest.ref", "operation": "op", "started_at": "at", "finished_at": "done_at",
                    "details": "note", "attempts": "tries", "correlation_id": "batch",
                    "endpoint_id": "endpoint", "latest_sync_info": "info"},
                "times": "epoch_seconds",
                "statuses": {"DONE": "ok", "ERROR": "failed", "QUEUED": "pending", "PARTIAL": "partial_success"}
            },
            "query": {"params": {"instance": "job", "source_id": "ref", "statuses": "state"},
                      "lists": "comma", "page_size_param": "take", "max_page_size": 1000},
            "paging": {"style": "offset", "param": "skip"},
            "total": {"path": "total"}
        }),
        &mut warnings,
    )
    .expect("a valid profile");
    assert!(warnings.is_empty(), "{warnings:?}");
    profile
}

#[tokio::test]
async fn read_through_its_profile_it_is_the_native_api() {
    let server = Server::start(&["--foreign-api"]);
    let profile = profile();
    let native = server.all("limit=10000").await;
    let base = format!("{}/api/foreign", server.base);
    let query = LogQuery {
        limit: 10_000,
        ..LogQuery::default()
    };
    let mut rows = Vec::new();
    let mut at = PageCursor::First;
    let mut pages = 0;
    while let Some(request) = profile.list_request(&query, 1000, &at) {
        let body = server
            .get(&format!("/api/foreign{request}"))
            .await
            .bytes()
            .await
            .unwrap();
        let page = decode_page(&profile, &body).unwrap();
        assert_eq!(page.total, Some(native.len() as u64));
        at = profile.after(&at, &page, None, 1000, &base).unwrap();
        rows.extend(page.items);
        pages += 1;
    }
    assert_eq!(pages, native.len().div_ceil(1000));
    assert_eq!(rows.len(), native.len());
    for (theirs, ours) in rows.iter().zip(&native) {
        assert!(
            theirs.flags.is_empty(),
            "{}: {}",
            theirs.id,
            theirs.flags.summary()
        );
        assert_eq!(theirs.id, ours.id);
        assert_eq!(theirs.status, ours.status, "{}", ours.id);
        assert_eq!(theirs.instance, ours.instance);
        assert_eq!(theirs.entity_type, ours.entity_type);
        assert_eq!(theirs.source_id, ours.source_id);
        assert_eq!(theirs.target_id, ours.target_id);
        assert_eq!(theirs.operation, ours.operation);
        assert_eq!(theirs.details, ours.details);
        assert_eq!(theirs.attempts, ours.attempts);
        assert_eq!(theirs.correlation_id, ours.correlation_id);
        // Epoch seconds: the same instant, to the second.
        assert_eq!(theirs.started_at.timestamp(), ours.started_at.timestamp());
    }
}

#[tokio::test]
async fn filters_it_knows_apply_and_others_are_ignored() {
    let server = Server::start(&["--foreign-api"]);
    let failed: Value = server
        .get("/api/foreign/records?state=ERROR&take=1000")
        .await
        .json()
        .await
        .unwrap();
    let native = server.all("limit=10000&status=failed").await;
    assert_eq!(failed["total"], native.len());
    let everything: Value = server
        .get("/api/foreign/records?reference=ITEM-1&job_name=x")
        .await
        .json()
        .await
        .unwrap();
    let all = server.all("limit=10000").await;
    assert_eq!(
        everything["total"],
        all.len(),
        "unknown parameters are ignored"
    );
}

#[tokio::test]
async fn replay_queues_records_like_the_native_resync() {
    let server = Server::start(&["--foreign-api"]);
    let native = server.all("limit=10000&status=failed").await;
    let target = native
        .iter()
        .find(|r| r.attempts.unwrap_or(1) < 3)
        .expect("a failed record with attempts left");
    let response = reqwest::Client::new()
        .post(format!("{}/api/foreign/replay", server.base))
        .json(&json!({"uids": [target.id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["accepted"], 1);
    let after: sync_logs_core::SyncLog = server
        .get(&format!("/api/v1/sync-logs/{}", target.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after.status, Status::Pending);
    assert_eq!(after.attempts, Some(target.attempts.unwrap_or(1) + 1));
}
