//! The dead-letter queue over HTTP against the real server binary: a record whose every
//! attempt fails is dead-lettered; replay and discard are applied once per
//! Idempotency-Key; discard needs a reason; every action is in the record's events.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use serde_json::{json, Value};
use sync_logs_core::{EventsResponse, SyncLogPage};

async fn post(
    server: &Server,
    path: &str,
    key: &str,
    user: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/v1{path}", server.base))
        .header("Idempotency-Key", key);
    if let Some(user) = user {
        request = request.header("X-Sync-Logs-User", user);
    }
    request.json(body).send().await.unwrap()
}

async fn events(server: &Server, id: &str) -> Vec<(String, Option<String>, String)> {
    let response = server.get(&format!("/api/v1/sync-logs/{id}/events")).await;
    assert_eq!(response.status(), 200);
    let body: EventsResponse = response.json().await.unwrap();
    body.items
        .into_iter()
        .map(|e| (e.action, e.reason, e.user))
        .collect()
}

async fn queue(server: &Server, query: &str) -> SyncLogPage {
    let response = server.get(&format!("/api/v1/dead-letter?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// [`post`], answered 202, and its body.
async fn post_ok(server: &Server, path: &str, key: &str, body: &Value) -> Value {
    let answer = post(server, path, key, None, body).await;
    assert_eq!(answer.status(), 202, "{path} {body}");
    answer.json().await.unwrap()
}

fn outcomes(body: &Value) -> Vec<&str> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_record_that_fails_four_times_is_dead_lettered_and_listed() {
    let server = Server::start(&["--target-down", "--retry-backoff-ms", "0"]);
    // A record whose first attempt failed (a data error, so not retried by itself).
    let first = server
        .page("status=failed&limit=500")
        .await
        .items
        .into_iter()
        .find(|r| r.attempts == Some(1) && r.dead_lettered_at.is_none())
        .expect("a failed record with one attempt");
    post_ok(
        &server,
        "/sync-logs/resync",
        "resync-1",
        &json!({"ids": [first.id]}),
    )
    .await;
    // Attempts 2, 3 and 4 reach the unreachable target; about 2 s each.
    let deadline = Instant::now() + Duration::from_secs(30);
    let log = loop {
        let log = server.record(&first.id).await;
        if log.dead_lettered_at.is_some() || Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(log.status.as_wire(), "failed");
    assert_eq!(log.attempts, Some(4));
    let reason = log
        .dead_letter_reason
        .clone()
        .expect("a dead-letter reason");
    assert!(reason.contains("attempt 4 of 4"), "{reason}");
    let listed = queue(&server, &format!("id={}&limit=10", first.id)).await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].dead_lettered_at, log.dead_lettered_at);
    assert_eq!(
        events(&server, &first.id).await,
        vec![(
            "dead_lettered".to_owned(),
            Some(reason),
            "pipeline".to_owned()
        )]
    );
    // Resync does not take it: the queue does.
    let again = post_ok(
        &server,
        "/sync-logs/resync",
        "resync-2",
        &json!({"ids": [first.id]}),
    )
    .await;
    assert_eq!(outcomes(&again), ["rejected"]);
}

#[tokio::test]
async fn the_queue_is_paged_newest_first_with_the_log_filters_and_counted_by_its_summary() {
    let server = Server::start_seeded(6_000, &[]);
    let page = queue(&server, "limit=5000").await;
    assert!(
        page.items.len() >= 10,
        "the demo data dead-letters records: {}",
        page.items.len()
    );
    assert!(page.items.iter().all(|r| r.dead_lettered_at.is_some()
        && r.status.as_wire() == "failed"
        && r.dead_letter_reason.is_some()));
    let starts: Vec<_> = page.items.iter().map(|r| r.started_at).collect();
    assert!(starts.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // Paging by cursor reads the same records.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let next = queue(&server, &format!("limit=7{cursor}")).await;
        paged.extend(next.items.into_iter().map(|r| r.id));
        match next.next_cursor {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(
        paged,
        page.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    );
    // A filter of the log narrows the queue.
    let instance = page.items[0].instance.as_str().to_owned();
    let narrowed = queue(
        &server,
        &format!("instance={}&limit=5000", urlencoding(&instance)),
    )
    .await;
    assert!(!narrowed.items.is_empty());
    assert!(narrowed
        .items
        .iter()
        .all(|r| r.instance.as_str() == instance));
    // Its summary counts it.
    let summary: Value = server
        .get("/api/v1/dead-letter/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["total"], page.items.len());
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_replay_with_the_same_key_twice_gives_the_same_answer_and_one_replay() {
    let server = Server::start(&[]);
    let ids: Vec<String> = queue(&server, "limit=2")
        .await
        .items
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.len(), 2);
    let body = json!({"ids": [ids[0], ids[1], "no-such-id"]});
    let first = post(
        &server,
        "/dead-letter/replay",
        "replay-1",
        Some("ops@example.com"),
        &body,
    )
    .await;
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    assert_eq!(outcomes(&first), ["queued", "queued", "not_found"]);
    let again = post(
        &server,
        "/dead-letter/replay",
        "replay-1",
        Some("ops@example.com"),
        &body,
    )
    .await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    for id in &ids {
        let log = server.record(id).await;
        assert_eq!(log.status.as_wire(), "pending", "{id}");
        assert_eq!(log.attempts, Some(1), "a fresh attempt budget");
        assert!(log.dead_lettered_at.is_none());
        let replays: Vec<_> = events(&server, id)
            .await
            .into_iter()
            .filter(|(action, ..)| action == "replayed")
            .collect();
        assert_eq!(
            replays,
            [("replayed".to_owned(), None, "ops@example.com".to_owned())]
        );
    }
    assert!(queue(&server, &format!("id={}&id={}", ids[0], ids[1]))
        .await
        .items
        .is_empty());
    // The same key with another body is refused; a record out of the queue is rejected.
    let other = post(
        &server,
        "/dead-letter/replay",
        "replay-1",
        None,
        &json!({"ids": [ids[0]]}),
    )
    .await;
    assert_eq!(other.status(), 422);
    let out = post_ok(
        &server,
        "/dead-letter/replay",
        "replay-2",
        &json!({"ids": [ids[0]]}),
    )
    .await;
    assert_eq!(outcomes(&out), ["rejected"]);
}

#[tokio::test]
async fn a_discard_needs_a_reason_of_at_most_500_characters_and_real_ids() {
    let server = Server::start(&[]);
    let id = queue(&server, "limit=1").await.items[0].id.clone();
    let cases = [
        (json!({"ids": [id]}), "invalid_body"),
        (json!({"ids": [id], "reason": "   "}), "invalid_reason"),
        (
            json!({"ids": [id], "reason": "x".repeat(501)}),
            "invalid_reason",
        ),
        (json!({"ids": [], "reason": "dup"}), "invalid_ids"),
        (json!({"ids": [""], "reason": "dup"}), "invalid_ids"),
    ];
    for (n, (body, code)) in cases.into_iter().enumerate() {
        let response = post(
            &server,
            "/dead-letter/discard",
            &format!("bad-{n}"),
            None,
            &body,
        )
        .await;
        assert_eq!(response.status(), 400, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["code"], code, "{body}");
    }
    // Nothing was applied, and a corrected request with a refused key goes through.
    assert_eq!(server.record(&id).await.status.as_wire(), "failed");
    let fixed: Value = post_ok(
        &server,
        "/dead-letter/discard",
        "bad-1",
        &json!({"ids": [id], "reason": "x".repeat(500)}),
    )
    .await;
    assert_eq!(outcomes(&fixed), ["discarded"]);
}

#[tokio::test]
async fn a_discarded_record_leaves_the_queue_stays_in_the_log_and_restores_as_it_was() {
    let server = Server::start(&[]);
    let before = queue(&server, "limit=1").await.items.remove(0);
    let id = before.id.clone();
    let reason = "Duplicate of order #1001, fixed by hand <b>in the ERP</b>";
    let answer = post(
        &server,
        "/dead-letter/discard",
        "discard-1",
        Some("  Jane Ops  "),
        &json!({"ids": [id], "reason": reason}),
    )
    .await;
    assert_eq!(answer.status(), 202);
    assert_eq!(outcomes(&answer.json().await.unwrap()), ["discarded"]);
    assert!(queue(&server, &format!("id={id}")).await.items.is_empty());
    let discarded = server.record(&id).await;
    assert_eq!(discarded.status.as_wire(), "discarded");
    assert_eq!(
        server
            .page(&format!("status=discarded&id={id}"))
            .await
            .items
            .len(),
        1
    );
    let trail = events(&server, &id).await;
    assert_eq!(
        trail.last().unwrap(),
        &(
            "discarded".to_owned(),
            Some(reason.to_owned()),
            "Jane Ops".to_owned()
        )
    );
    // A discarded record cannot be discarded or replayed again, only restored.
    let twice: Value = post_ok(
        &server,
        "/dead-letter/discard",
        "discard-2",
        &json!({"ids": [id], "reason": "again"}),
    )
    .await;
    assert_eq!(outcomes(&twice), ["rejected"]);
    let restored: Value = post_ok(
        &server,
        "/dead-letter/restore",
        "restore-1",
        &json!({"ids": [id]}),
    )
    .await;
    assert_eq!(outcomes(&restored), ["restored"]);
    let after = server.record(&id).await;
    assert_eq!(after, before, "back in the queue exactly as it was");
    assert_eq!(queue(&server, &format!("id={id}")).await.items.len(), 1);
    assert_eq!(
        events(&server, &id).await.last().unwrap(),
        &("restored".to_owned(), None, "anonymous".to_owned())
    );
}

#[tokio::test]
async fn a_server_without_a_queue_answers_404_and_unknown_records_have_no_events() {
    let server = Server::start(&["--no-dead-letter"]);
    for path in ["/api/v1/dead-letter", "/api/v1/dead-letter/summary"] {
        assert_eq!(server.get(path).await.status(), 404, "{path}");
    }
    let replay = post(
        &server,
        "/dead-letter/replay",
        "k",
        None,
        &json!({"ids": ["1"]}),
    )
    .await;
    assert_eq!(replay.status(), 404);
    assert_eq!(
        server
            .get("/api/v1/sync-logs/no-such-id/events")
            .await
            .status(),
        404
    );
}
