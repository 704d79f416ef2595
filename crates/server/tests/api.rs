//! API tests against the real `sync-logs-server` binary: a free port on 127.0.0.1, a
//! temporary database seeded with a fixed anchor, real HTTP.

mod common;

use std::collections::HashSet;

use common::Server;
use serde_json::Value;
use sync_logs_core::{InstancesResponse, SyncLog};

fn assert_newest_first(rows: &[SyncLog]) {
    for pair in rows.windows(2) {
        let key = |r: &SyncLog| (r.started_at, r.id.clone());
        assert!(
            key(&pair[0]) > key(&pair[1]),
            "{:?} before {:?}",
            pair[0].id,
            pair[1].id
        );
    }
}

#[tokio::test]
async fn instances_list_every_job_with_its_entity_types() {
    let server = Server::start(&[]);
    let body: InstancesResponse = server.get("/api/v1/instances").await.json().await.unwrap();
    let names: Vec<_> = body.instances.iter().map(|i| i.name.as_str()).collect();
    assert!(names.contains(&"SAP B1 → Shopify"), "{names:?}");
    assert!(names.contains(&"Shopify → Brightpearl"), "{names:?}");
    assert!(body.instances.len() >= 5);
    assert!(body.instances.iter().all(|i| !i.entity_types.is_empty()));
}

#[tokio::test]
async fn default_page_is_newest_first_with_a_cursor() {
    let server = Server::start(&[]);
    let page = server.page("").await;
    assert_eq!(page.items.len(), 100);
    assert!(page.next_cursor.is_some());
    assert_newest_first(&page.items);
}

#[tokio::test]
async fn cursors_walk_every_row_exactly_once() {
    let server = Server::start(&[]);
    let rows = server.all("limit=700").await;
    assert_eq!(rows.len(), 3000);
    assert_newest_first(&rows);
    let ids: HashSet<_> = rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), 3000);
}

#[tokio::test]
async fn the_next_cursor_header_repeats_the_body_and_is_absent_on_the_last_page() {
    let server = Server::start(&[]);
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sync-logs?limit=1000&cursor={c}"),
            None => "/api/v1/sync-logs?limit=1000".to_owned(),
        };
        let response = server.get(&path).await;
        let header = response
            .headers()
            .get("next-cursor")
            .map(|v| v.to_str().unwrap().to_owned());
        let page: sync_logs_core::SyncLogPage = response.json().await.unwrap();
        assert_eq!(header, page.next_cursor, "page {pages}");
        pages += 1;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3, "3,000 rows in pages of 1,000");
    // The queue pages the same way.
    let response = server.get("/api/v1/dead-letter?limit=1").await;
    let header = response.headers().get("next-cursor").cloned();
    let page: sync_logs_core::SyncLogPage = response.json().await.unwrap();
    assert_eq!(
        header.map(|v| v.to_str().unwrap().to_owned()),
        page.next_cursor
    );
}

#[tokio::test]
async fn a_page_holds_at_most_ten_thousand_items() {
    let server = Server::start_seeded(10_005, &[]);
    let page = server.page("limit=50000").await;
    assert_eq!(page.items.len(), 10_000);
    let next = page.next_cursor.expect("more rows remain");
    let rest = server.page(&format!("limit=50000&cursor={next}")).await;
    assert_eq!(rest.items.len(), 5);
    assert_eq!(rest.next_cursor, None);
}

#[tokio::test]
async fn every_filter_narrows_the_rows() {
    let server = Server::start(&[]);
    let all = server.all("limit=10000").await;
    let instance = "Shopify → Brightpearl";
    let encoded = "Shopify%20%E2%86%92%20Brightpearl";

    let rows = server.all(&format!("instance={encoded}&limit=10000")).await;
    let expected = all.iter().filter(|r| r.instance == instance).count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);

    let rows = server
        .all(&format!("instance={encoded}&entity_type=order&limit=10000"))
        .await;
    let expected = all
        .iter()
        .filter(|r| r.instance == instance && r.entity_type == "order")
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);

    // Source id: case-insensitive substring.
    let rows = server.all("source_id=so-1&limit=10000").await;
    let expected = all
        .iter()
        .filter(|r| r.source_id.to_lowercase().contains("so-1"))
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);

    // One exact reference (few matching references: the indexed path), in lower case.
    let reference = all[17].source_id.to_lowercase();
    let encoded_ref = sync_logs_core::query::encode_pairs([("source_id", reference.as_str())]);
    let rows = server.all(&format!("{encoded_ref}&limit=10000")).await;
    let expected = all
        .iter()
        .filter(|r| r.source_id.to_lowercase().contains(&reference))
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);
    assert_newest_first(&rows);

    // One run.
    let run = all[40].correlation_id.clone().unwrap();
    let rows = server
        .all(&format!("correlation_id={run}&limit=10000"))
        .await;
    let expected = all
        .iter()
        .filter(|r| r.correlation_id.as_deref() == Some(&run))
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);

    // Status repeats.
    let rows = server.all("status=failed&status=ok&limit=10000").await;
    let expected = all
        .iter()
        .filter(|r| matches!(r.status.as_wire(), "failed" | "ok"))
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);
    assert_newest_first(&rows);

    // Range: both ends inclusive.
    let from = "2026-11-18T00:00:00Z";
    let to = "2026-11-19T00:00:00Z";
    let rows = server
        .all(&format!("from={from}&to={to}&limit=10000"))
        .await;
    let f: chrono::DateTime<chrono::Utc> = from.parse().unwrap();
    let t: chrono::DateTime<chrono::Utc> = to.parse().unwrap();
    let expected = all
        .iter()
        .filter(|r| r.started_at >= f && r.started_at <= t)
        .count();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);
}

#[tokio::test]
async fn like_wildcards_in_source_id_match_literally() {
    let server = Server::start(&[]);
    assert!(server.page("source_id=%25").await.items.is_empty());
    // As a wildcard `_` would match "SO-1…"; literally no reference contains "SO_1".
    assert!(server.page("source_id=SO_1").await.items.is_empty());
}

#[tokio::test]
async fn bad_parameters_answer_400_with_a_json_error() {
    let server = Server::start(&[]);
    let cases = [
        ("limit=0", "invalid_limit"),
        ("limit=abc", "invalid_limit"),
        ("from=yesterday", "invalid_timestamp"),
        (
            "from=2026-11-19T00:00:00Z&to=2026-11-18T00:00:00Z",
            "invalid_range",
        ),
        ("cursor=not-a-cursor", "invalid_cursor"),
    ];
    for (query, code) in cases {
        let response = server.get(&format!("/api/v1/sync-logs?{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{query}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 10);
    }
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_app_paths_serve_the_app() {
    let server = Server::start(&[]);
    let response = server.get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let response = server.get("/sync-logs?instance=x").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<title>app</title>"));
}

#[tokio::test]
async fn injected_faults_fail_the_chosen_requests_then_expire() {
    let server = Server::start(&["--enable-faults"]);
    let client = reqwest::Client::new();
    let plan = serde_json::json!({"rules":[{"path":"/api/v1/sync-logs","status":500,"times":1}]});
    let response = client
        .post(format!("{}/__faults", server.base))
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let failed = server.get("/api/v1/sync-logs").await;
    assert_eq!(failed.status(), 500);
    let body: Value = failed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "injected_fault");
    assert_eq!(server.get("/api/v1/sync-logs").await.status(), 200);

    // Static files can be broken too, e.g. a config.json that is not JSON.
    let plan = serde_json::json!({"rules":[{"path":"/config.json","status":200,"body":"{broken"}]});
    client
        .post(format!("{}/__faults", server.base))
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.get("/config.json").await.text().await.unwrap(),
        "{broken"
    );
}

#[tokio::test]
async fn the_fault_routes_do_not_exist_without_the_flag() {
    let server = Server::start(&[]);
    let response = reqwest::Client::new()
        .post(format!("{}/__faults", server.base))
        .json(&serde_json::json!({"rules":[]}))
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), 204);
}

#[tokio::test]
async fn attempts_list_every_try_of_one_record_oldest_first() {
    let server = Server::start(&[]);
    // A record tried more than once: the first on a page whose source id repeats.
    let page = server.page("?limit=2000").await;
    let mut seen = std::collections::HashMap::new();
    for row in &page.items {
        *seen
            .entry((
                row.instance.clone(),
                row.entity_type.clone(),
                row.source_id.clone(),
            ))
            .or_insert(0) += 1;
    }
    let row = page
        .items
        .iter()
        .find(|r| {
            seen[&(
                r.instance.clone(),
                r.entity_type.clone(),
                r.source_id.clone(),
            )] > 1
        })
        .expect("the demo data retries some records");
    let body: sync_logs_core::AttemptsResponse = server
        .get(&format!("/api/v1/sync-logs/{}/attempts", row.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(body.items.len() >= 2);
    assert!(
        body.items.iter().any(|a| a.id == row.id),
        "the record itself is one attempt"
    );
    for attempt in &body.items {
        assert_eq!(
            (&attempt.instance, &attempt.entity_type, &attempt.source_id),
            (&row.instance, &row.entity_type, &row.source_id)
        );
    }
    for pair in body.items.windows(2) {
        assert!(pair[0].started_at <= pair[1].started_at, "oldest first");
    }

    let missing = server.get("/api/v1/sync-logs/no-such-id/attempts").await;
    assert_eq!(missing.status(), 404);
    let error: Value = missing.json().await.unwrap();
    assert_eq!(error["error"]["code"], "not_found");
}

#[tokio::test]
async fn runs_group_the_matching_records_and_count_them_exactly() {
    let server = Server::start(&[]);
    let rows = server.all("?limit=3000").await;
    let from = rows.last().unwrap().started_at.to_rfc3339();
    let to = (rows[0].started_at + chrono::Duration::seconds(1)).to_rfc3339();
    let range = sync_logs_core::query::encode_pairs([("from", from.as_str()), ("to", to.as_str())]);
    let body: sync_logs_core::RunsResponse = server
        .get(&format!("/api/v1/runs?{range}"))
        .await
        .json()
        .await
        .unwrap();
    let total: u64 = body.items.iter().flat_map(|r| r.counts.values()).sum();
    assert_eq!(
        total as usize,
        rows.len(),
        "every record in exactly one run"
    );
    for pair in body.items.windows(2) {
        assert!(pair[0].started_at >= pair[1].started_at, "newest first");
    }
    // A run with an id holds exactly the records the log shows for that id.
    let run = body
        .items
        .iter()
        .find(|r| r.correlation_id.is_some())
        .expect("the demo data has runs with ids");
    let id = run.correlation_id.clone().unwrap();
    let query = sync_logs_core::query::encode_pairs([
        ("correlation_id", id.as_str()),
        ("from", from.as_str()),
        ("to", to.as_str()),
    ]);
    let of_run = server.all(&format!("?limit=10000&{query}")).await;
    assert_eq!(of_run.len() as u64, run.counts.values().sum::<u64>());

    let bad = server.get("/api/v1/runs?gap_minutes=0").await;
    assert_eq!(bad.status(), 400);
}
