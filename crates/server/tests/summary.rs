//! `GET /sync-logs/summary` against the real binary: its counts equal what paging the
//! list finds for the same filters, bucket by bucket on the shared grid.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use common::Server;
use serde_json::Value;
use sync_logs_core::summary::{check, SummaryResponse};
use sync_logs_core::timeline::Grid;

/// The seed's anchor (tests/common) and a range inside its 15 days of history.
const FROM: &str = "2026-11-15T12:00:00Z";
const TO: &str = "2026-11-20T12:00:00Z";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

async fn summary(server: &Server, query: &str) -> SummaryResponse {
    let response = server
        .get(&format!("/api/v1/sync-logs/summary?{query}"))
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// Pages the list for `filters` and checks the summary against it, status by status and
/// bucket by bucket; returns the total.
async fn agrees_with_the_list(server: &Server, filters: &str) -> i64 {
    let rows = server.all(&format!("{filters}&limit=10000")).await;
    let answer = summary(server, filters).await;
    assert_eq!(answer.total, rows.len() as i64, "{filters}");
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    for row in &rows {
        *by_status
            .entry(row.status.as_wire().to_owned())
            .or_default() += 1;
    }
    assert_eq!(answer.statuses, by_status, "{filters}");

    let grid = Grid::with_step(
        answer.from.timestamp_millis(),
        answer.to.timestamp_millis(),
        answer.bucket_ms,
    );
    assert_eq!(answer.buckets.len(), grid.count, "{filters}");
    let mut expected = vec![BTreeMap::<String, i64>::new(); grid.count];
    for row in &rows {
        let k = grid
            .index_of(row.started_at.timestamp_millis())
            .unwrap_or_else(|| panic!("{filters}: {} is off the grid", row.started_at));
        *expected[k]
            .entry(row.status.as_wire().to_owned())
            .or_default() += 1;
    }
    for (k, (bucket, want)) in answer.buckets.iter().zip(&expected).enumerate() {
        assert_eq!(bucket.start.timestamp_millis(), grid.start_ms(k));
        assert_eq!(&bucket.counts, want, "{filters}: bucket {k}");
    }
    let checked = check(&answer, answer.from.into(), None);
    assert!(
        checked.problems.is_empty(),
        "{filters}: {:?}",
        checked.problems
    );
    answer.total
}

#[tokio::test]
async fn the_counts_equal_the_lists_for_every_kind_of_filter() {
    let server = Server::start(&[]);
    let range = format!("from={FROM}&to={TO}");
    let instance = "instance=Shopify%20%E2%86%92%20Brightpearl";
    let whole = agrees_with_the_list(&server, &range).await;
    assert!(whole > 500, "the range holds most of the seed: {whole}");
    for filters in [
        format!("{range}&{instance}"),
        format!("{range}&{instance}&entity_type=order"),
        format!("{range}&entity_type=item"),
        format!("{range}&status=failed&status=extraction_failed"),
        format!("{range}&source_id=10"),
        format!("{range}&source_id=1&status=failed&status=extraction_failed"),
        // No range: from the oldest record to now.
        instance.to_owned(),
    ] {
        let total = agrees_with_the_list(&server, &filters).await;
        assert!(total > 0 && total < 3000, "{filters}: {total}");
    }
    assert_eq!(agrees_with_the_list(&server, "").await, 3000);
}

#[tokio::test]
async fn the_grid_is_the_shared_one_and_the_end_is_inclusive() {
    let server = Server::start(&[]);
    let answer = summary(&server, &format!("from={FROM}&to={TO}")).await;
    let grid = Grid::new(
        at(FROM),
        at(TO) + chrono::Duration::milliseconds(1),
        sync_logs_core::summary::DEFAULT_BUCKETS,
    );
    assert_eq!(answer.bucket_ms, 3 * 3_600_000, "5 days in 96 buckets");
    assert_eq!(answer.buckets.len(), grid.count);
    assert_eq!(answer.from, at(FROM));
    let fewer = summary(&server, &format!("from={FROM}&to={TO}&buckets=10")).await;
    assert_eq!(
        fewer.bucket_ms,
        720 * 60_000,
        "12-hour buckets for 10 at most"
    );
    assert!(fewer.buckets.len() <= 11);
    assert_eq!(fewer.total, answer.total);
}

#[tokio::test]
async fn nothing_matching_is_a_zero_summary() {
    let server = Server::start(&[]);
    let answer = summary(
        &server,
        &format!("from={FROM}&to={TO}&source_id=no-such-reference"),
    )
    .await;
    assert_eq!(answer.total, 0);
    assert!(answer.statuses.is_empty());
    assert!(!answer.buckets.is_empty());
    assert!(answer.buckets.iter().all(|b| b.counts.is_empty()));
}

#[tokio::test]
async fn bad_parameters_are_refused_with_a_code() {
    let server = Server::start(&[]);
    for (query, code) in [
        ("buckets=0", "invalid_buckets"),
        ("buckets=201", "invalid_buckets"),
        ("buckets=many", "invalid_buckets"),
        ("from=yesterday", "invalid_timestamp"),
        (
            "from=2026-11-20T00:00:00Z&to=2026-11-19T00:00:00Z",
            "invalid_range",
        ),
    ] {
        let response = server
            .get(&format!("/api/v1/sync-logs/summary?{query}"))
            .await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{query}");
    }
    // The list's own limit and cursor are not the summary's business.
    let answer = summary(&server, "limit=5&cursor=anything").await;
    assert_eq!(answer.total, 3000);
}

#[tokio::test]
async fn a_server_started_without_it_answers_404() {
    let server = Server::start(&["--no-summary"]);
    let response = server.get("/api/v1/sync-logs/summary").await;
    assert_eq!(response.status(), 404);
    assert_eq!(server.page("limit=5").await.items.len(), 5);
}
