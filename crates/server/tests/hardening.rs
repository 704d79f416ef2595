//! The defences of `docs/security.md`, against the real binary: each test asks what an
//! attacker or a careless client would, and checks the answer is the documented one.

mod common;

use common::Server;
use reqwest::{header, Client, Response, StatusCode};
use serde_json::{json, Value};

/// The envelope's code, checking the answer is JSON on the way.
async fn code_of(response: Response) -> String {
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(kind.starts_with("application/json"), "not JSON: {kind:?}");
    let body: Value = response.json().await.unwrap();
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no envelope: {body}"))
        .to_owned()
}

fn header_of<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The headers every API answer carries, error or not.
fn assert_api_headers(response: &Response) {
    assert_eq!(header_of(response, "cache-control"), "no-store");
    assert_eq!(
        header_of(response, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(header_of(response, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn a_missing_file_is_a_404_never_the_app_cached_for_a_year() {
    let server = Server::start(&[]);
    // A name like one of Trunk's hashed assets, from a release this server does not hold.
    for missing in [
        "/sync-logs-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
    ] {
        let response = server.get(missing).await;
        assert_eq!(response.status(), 404, "{missing}");
        assert_ne!(
            header_of(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{missing}"
        );
        assert_eq!(code_of(response).await, "not_found");
    }
    // API paths that do not exist are API 404s, not the app.
    for missing in ["/api/x", "/api/v1/nothing-here", "/api/v2/sync-logs"] {
        let response = server.get(missing).await;
        assert_eq!(response.status(), 404, "{missing}");
        assert_eq!(code_of(response).await, "not_found", "{missing}");
    }
    // A deep link is the app, revalidated every time.
    let response = server.get("/dead-letter").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header_of(&response, "cache-control"), "no-cache");
    assert!(header_of(&response, "content-type").starts_with("text/html"));
}

#[tokio::test]
async fn made_up_answers_carry_the_security_headers_and_set_no_cookie() {
    let server = Server::start(&["--enable-faults"]);
    server
        .faults(json!({"rules":[{"path":"/api/v1/instances","status":200,
            "content_type":"text/html","body":"<script>alert(1)</script>"},
            {"path":"/config.json","status":200,
            "content_type":"text/html","body":"<script>alert(2)</script>"}]}))
        .await;
    let response = server.get("/api/v1/instances").await;
    assert_eq!(response.status(), 200);
    assert_api_headers(&response);
    let response = server.get("/config.json").await;
    assert_eq!(response.status(), 200);
    assert!(header_of(&response, "content-security-policy").contains("script-src 'self'"));
    assert_eq!(header_of(&response, "x-content-type-options"), "nosniff");
    // A rule may not set a cookie or its own policy on the app's origin.
    for name in [
        "set-cookie",
        "Content-Security-Policy",
        "x-content-type-options",
    ] {
        let response = Client::new()
            .post(format!("{}/__faults", server.base))
            .json(&json!({"rules":[{"path":"/api/v1/instances","status":200,
                "headers":{ name: "x" }}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{name}");
        assert_eq!(code_of(response).await, "refused_header", "{name}");
    }
}

#[tokio::test]
async fn only_known_host_names_are_answered() {
    let get = |base: String, host: &'static str| async move {
        Client::new()
            .get(format!("{base}/api/v1/instances"))
            .header(header::HOST, host)
            .send()
            .await
            .unwrap()
    };
    let server = Server::start(&[]);
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    // A DNS-rebinding page reaches 127.0.0.1 under its own name.
    let response = get(server.base.clone(), "attacker.example").await;
    assert_eq!(response.status(), 421);
    assert_eq!(code_of(response).await, "unknown_host");
    let response = get(server.base.clone(), "logs.example.com").await;
    assert_eq!(response.status(), 421);
    for loopback in ["localhost", "127.0.0.1", "[::1]"] {
        let response = Client::new()
            .get(format!("{}/api/v1/instances", server.base))
            .header(header::HOST, format!("{loopback}:{port}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{loopback}");
    }
    let server = Server::start(&["--allowed-host", "logs.example.com"]);
    assert_eq!(
        get(server.base.clone(), "logs.example.com").await.status(),
        200
    );
    assert_eq!(
        get(server.base.clone(), "LOGS.example.com").await.status(),
        200
    );
    assert_eq!(
        get(server.base.clone(), "attacker.example").await.status(),
        421
    );
}

#[tokio::test]
async fn idempotency_keys_and_ids_have_a_bounded_size() {
    let server = Server::start(&[]);
    let post = |key: String, ids: Vec<String>| {
        Client::new()
            .post(format!("{}/api/v1/sync-logs/resync", server.base))
            .header("Idempotency-Key", key)
            .json(&json!({ "ids": ids }))
            .send()
    };
    let id = server.page("status=failed&limit=1").await.items[0]
        .id
        .clone();
    for key in ["k".repeat(256), "k".repeat(100_000), "tab\there".to_owned()] {
        let response = post(key.clone(), vec![id.clone()]).await.unwrap();
        assert_eq!(response.status(), 400, "a key of {} chars", key.len());
        assert_eq!(code_of(response).await, "invalid_idempotency_key");
    }
    let response = post("x".repeat(300), vec![id.clone()]).await.unwrap();
    assert_eq!(response.status(), 400);
    let response = post("k-1".into(), vec!["i".repeat(257)]).await.unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(code_of(response).await, "invalid_ids");
    // The longest allowed key and id are accepted.
    let response = post("k".repeat(255), vec![id.clone(), "i".repeat(256)])
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
}

#[tokio::test]
async fn heavy_reads_wait_their_turn_and_are_told_to_come_back_not_failed() {
    let server = Server::start_seeded(
        50_000,
        &["--max-heavy-queries", "1", "--heavy-wait-ms", "0"],
    );
    let client = Client::new();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = client.get(format!("{}/api/v1/runs", server.base)).send();
        calls.spawn(request);
    }
    let (mut ok, mut busy) = (0, 0);
    while let Some(done) = calls.join_next().await {
        let response = done.unwrap().unwrap();
        match response.status() {
            StatusCode::OK => ok += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(header_of(&response, "retry-after"), "2");
                assert_eq!(code_of(response).await, "busy");
                busy += 1;
            }
            other => panic!("a heavy read answered {other}"),
        }
    }
    assert!(ok >= 1, "{ok} answered, {busy} busy");
    assert!(
        busy >= 1,
        "one turn for eight calls, yet none was told to wait"
    );
    // Ordinary reads are not heavy and keep working.
    assert_eq!(server.get("/api/v1/sync-logs?limit=1").await.status(), 200);
    // A range over a year and a day is refused.
    let response = server
        .get("/api/v1/runs?from=2024-01-01T00:00:00Z&to=2026-11-20T00:00:00Z")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(code_of(response).await, "invalid_range");
}

#[tokio::test]
async fn every_error_is_the_json_envelope_and_says_nothing_of_the_internals() {
    let server = Server::start(&[]);
    // A text filter too long for the database's LIKE is refused before it gets there.
    let response = server
        .get(&format!(
            "/api/v1/sync-logs?source_id={}",
            "a".repeat(60_000)
        ))
        .await;
    assert_eq!(response.status(), 400);
    assert_api_headers(&response);
    let body = response.text().await.unwrap();
    assert!(body.contains("invalid_parameter"), "{body}");
    assert!(
        !body.contains("LIKE") && !body.contains("database"),
        "{body}"
    );
    // The framework's own answers.
    let response = Client::new()
        .delete(format!("{}/api/v1/sync-logs", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_api_headers(&response);
    assert_eq!(code_of(response).await, "method_not_allowed");
    let response = Client::new()
        .post(format!("{}/api/v1/sync-logs/resync", server.base))
        .header("Idempotency-Key", "big")
        .header(header::CONTENT_TYPE, "application/json")
        .body(vec![b' '; 3 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(code_of(response).await, "body_too_large");
    let response = server.get("/api/v1/sync-logs/%FF").await;
    assert_eq!(response.status(), 400);
    assert_api_headers(&response);
    assert_eq!(code_of(response).await, "bad_request");
    // Success answers are never cached either.
    assert_api_headers(&server.get("/api/v1/instances").await);
    // Under a base path, what is outside the app is a JSON 404.
    let server = Server::start(&["--base-path", "/console"]);
    for outside in ["/", "/elsewhere", "/console-old/app.js"] {
        let response = server.get(outside).await;
        assert_eq!(response.status(), 404, "{outside}");
        assert_eq!(code_of(response).await, "not_found", "{outside}");
    }
}

#[tokio::test]
async fn a_frame_ancestor_that_is_not_an_origin_stops_the_server_at_start() {
    for bad in [
        "*",
        "'unsafe-inline'",
        "https://portal.example.com; script-src *",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sync-logs-server"))
            .args(["--port", "0", "--frame-ancestor", bad])
            .arg("--db")
            .arg(dir.path().join("db.sqlite3"))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad} was accepted");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("--frame-ancestor"), "{bad}: {said}");
        assert!(said.contains("origin"), "{bad}: {said}");
    }
    // An origin is taken (the server starts and answers).
    let server = Server::start(&["--frame-ancestor", "https://portal.example.com"]);
    let response = server.get("/").await;
    let csp = header_of(&response, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors https://portal.example.com"),
        "{csp}"
    );
}

#[tokio::test]
async fn nothing_outside_the_app_files_is_served() {
    let server = Server::start(&[]);
    // The database lies next to `dist/`, one level up.
    for attempt in [
        "/%2e%2e/test.sqlite3",
        "/%2E%2E/test.sqlite3",
        "/..%2ftest.sqlite3",
        "/..%5ctest.sqlite3",
        "/dist/%2e%2e/%2e%2e/test.sqlite3",
    ] {
        let response = server.get(attempt).await;
        let body = response.bytes().await.unwrap();
        assert!(
            !body.starts_with(b"SQLite format"),
            "{attempt} served the database"
        );
    }
}
