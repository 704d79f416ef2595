//! Resync over HTTP against the real server binary: Idempotency-Key semantics, the
//! worker moving records to a final status, and a dropped answer retried exactly once.

mod common;

use common::Server;
use serde_json::{json, Value};

async fn post(
    server: &Server,
    key: Option<&str>,
    body: &Value,
) -> reqwest::Result<reqwest::Response> {
    let mut request =
        reqwest::Client::new().post(format!("{}/api/v1/sync-logs/resync", server.base));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.json(body).send().await
}

/// Ids of failed records that have attempts left.
async fn failed_ids(server: &Server, n: usize) -> Vec<String> {
    let page = server.page("status=failed&limit=500").await;
    page.items
        .into_iter()
        .filter(|r| r.attempts.unwrap_or(1) < 4)
        .take(n)
        .map(|r| r.id)
        .collect()
}

#[tokio::test]
async fn bad_requests_are_refused_with_codes() {
    let server = Server::start(&[]);
    let cases = [
        (None, json!({"ids": ["1"]}), 400, "missing_idempotency_key"),
        (Some("k"), json!({"ids": []}), 400, "invalid_ids"),
        (
            Some("k"),
            json!({"ids": vec!["1"; 5001]}),
            400,
            "invalid_ids",
        ),
        (Some("k"), json!({"nope": 1}), 400, "invalid_body"),
    ];
    for (key, body, status, code) in cases {
        let response = post(&server, key, &body).await.unwrap();
        assert_eq!(response.status(), status, "{code}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code);
    }
    assert_eq!(
        server.get("/api/v1/sync-logs/no-such-id").await.status(),
        404
    );
}

#[tokio::test]
async fn queued_records_turn_pending_then_reach_a_final_status() {
    let server = Server::start(&[]);
    let ids = failed_ids(&server, 3).await;
    let before: Vec<u32> = attempts_of(&server, &ids).await;
    let response = post(&server, Some("key-a"), &json!({ "ids": ids }))
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.unwrap();
    let outcomes: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, vec!["queued"; 3]);
    for (id, attempts) in ids.iter().zip(&before) {
        let log = server.record(id).await;
        assert_eq!(log.status.as_wire(), "pending");
        assert_eq!(log.attempts, Some(attempts + 1));
    }
    // The id filter lists exactly these records, for following them.
    let query: String = ids.iter().map(|id| format!("id={id}&")).collect();
    assert_eq!(
        server.page(&format!("{query}limit=100")).await.items.len(),
        3
    );

    tokio::time::sleep(std::time::Duration::from_millis(3_000)).await;
    for (id, attempts) in ids.iter().zip(&before) {
        let log = server.record(id).await;
        match log.status.as_wire() {
            "ok" | "success" | "failed" => {}
            // The target could not be reached: the worker retries by itself.
            "pending" => {
                assert_eq!(log.attempts, Some(attempts + 2), "{id}");
                assert!(
                    log.details.unwrap().contains("Connection timed out"),
                    "{id}"
                );
            }
            other => panic!("{id}: {other}"),
        }
    }
}

async fn attempts_of(server: &Server, ids: &[String]) -> Vec<u32> {
    let mut attempts = Vec::new();
    for id in ids {
        attempts.push(server.record(id).await.attempts.unwrap_or(1));
    }
    attempts
}

#[tokio::test]
async fn a_replayed_key_returns_the_stored_answer_and_applies_nothing_twice() {
    let server = Server::start(&["--unreachable-percent", "0"]);
    let ids = failed_ids(&server, 2).await;
    let before = attempts_of(&server, &ids).await;
    let body = json!({ "ids": ids });
    let first: Value = post(&server, Some("key-b"), &body)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let again = post(&server, Some("key-b"), &body).await.unwrap();
    assert_eq!(again.status(), 202);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let after = attempts_of(&server, &ids).await;
    assert_eq!(after, before.iter().map(|a| a + 1).collect::<Vec<_>>());

    let other = post(&server, Some("key-b"), &json!({ "ids": [ids[0].clone()] }))
        .await
        .unwrap();
    assert_eq!(other.status(), 422);
    let code: Value = other.json().await.unwrap();
    assert_eq!(code["error"]["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn a_dropped_answer_retried_with_the_same_key_resyncs_exactly_once() {
    let server = Server::start(&["--enable-faults", "--unreachable-percent", "0"]);
    let ids = failed_ids(&server, 1).await;
    let before = attempts_of(&server, &ids).await;
    server
        .faults(json!({"rules":[{"path":"/api/v1/sync-logs/resync","drop_after":true,"times":1}]}))
        .await;
    let body = json!({ "ids": ids });
    // The request is applied, but its answer never arrives whole.
    let first = match post(&server, Some("key-c"), &body).await {
        Ok(response) => response.text().await.map(|_| ()),
        Err(err) => Err(err),
    };
    assert!(first.is_err(), "the connection should have been cut");
    let retry = post(&server, Some("key-c"), &body).await.unwrap();
    assert_eq!(retry.status(), 202);
    let result: Value = retry.json().await.unwrap();
    assert_eq!(result["results"][0]["outcome"], "queued");
    assert_eq!(attempts_of(&server, &ids).await, vec![before[0] + 1]);
}

/// Ten resyncs of the same records at once, each with its own key, while the list, the
/// runs and single records are read and the worker moves queued records along: every
/// answer is a proper one (never a 500), and each record is queued exactly once. Three
/// rounds, each on other records; a barrier releases each round's requests together.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_resyncs_and_reads_each_get_a_proper_answer() {
    const POSTS: usize = 10;
    const READS: usize = 20;
    const IDS: usize = 100;
    const ROUNDS: usize = 3;
    // Every worker attempt reaches the target: a retry (an unreachable first attempt)
    // would add an attempt the resyncs did not make.
    let server = Server::start_seeded(6_000, &["--unreachable-percent", "0"]);
    let candidates: Vec<String> = server
        .page("status=failed&limit=5000")
        .await
        .items
        .into_iter()
        .filter(|r| r.attempts.unwrap_or(1) < 4)
        .map(|r| r.id)
        .take(IDS * ROUNDS)
        .collect();
    assert_eq!(candidates.len(), IDS * ROUNDS);
    let client = reqwest::Client::new();
    // Batches of a hundred make each transaction long enough for the requests to overlap.
    for (round, ids) in candidates.chunks(IDS).enumerate() {
        let before = attempts_of(&server, ids).await;
        let body = json!({ "ids": ids });
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(POSTS + READS));
        let mut posts = tokio::task::JoinSet::new();
        for n in 0..POSTS {
            let request = client
                .post(format!("{}/api/v1/sync-logs/resync", server.base))
                .header("Idempotency-Key", format!("concurrent-{round}-{n}"))
                .json(&body);
            let barrier = barrier.clone();
            posts.spawn(async move {
                barrier.wait().await;
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.text().await.unwrap())
            });
        }
        let mut reads = tokio::task::JoinSet::new();
        for (n, id) in ids.iter().take(READS).enumerate() {
            let path = match n % 3 {
                0 => "/api/v1/sync-logs?limit=500".to_owned(),
                1 => "/api/v1/runs".to_owned(),
                _ => format!("/api/v1/sync-logs/{id}"),
            };
            let request = client.get(format!("{}{path}", server.base));
            let barrier = barrier.clone();
            reads.spawn(async move {
                barrier.wait().await;
                (path, request.send().await.unwrap().status().as_u16())
            });
        }

        let mut queued: std::collections::HashMap<String, usize> = Default::default();
        while let Some(answer) = posts.join_next().await {
            let (status, text) = answer.unwrap();
            assert_eq!(status, 202, "round {round}: {text}");
            let body: Value = serde_json::from_str(&text).unwrap();
            for result in body["results"].as_array().unwrap() {
                let id = result["id"].as_str().unwrap().to_owned();
                match result["outcome"].as_str().unwrap() {
                    "queued" => *queued.entry(id).or_default() += 1,
                    "rejected" => assert!(
                        result["message"]
                            .as_str()
                            .unwrap()
                            .contains("already being synced"),
                        "{result}"
                    ),
                    other => panic!("{id}: {other}"),
                }
            }
        }
        while let Some(answer) = reads.join_next().await {
            let (path, status) = answer.unwrap();
            assert_eq!(status, 200, "round {round}: {path}");
        }
        for id in ids {
            assert_eq!(queued.get(id), Some(&1), "{id} queued {queued:?}");
        }
        assert_eq!(
            attempts_of(&server, ids).await,
            before.iter().map(|a| a + 1).collect::<Vec<_>>()
        );
    }
}
