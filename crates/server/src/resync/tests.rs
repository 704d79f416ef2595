//! The idempotency store and the resync worker against a real SQLite file.

use super::*;
use crate::db::{self, Pool};
use chrono::{TimeZone, Utc};
use sync_logs_core::{Status, SyncLog};

fn store() -> (tempfile::TempDir, Pool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(&dir.path().join("resync.sqlite3")).unwrap();
    let logs: Vec<SyncLog> = [
        ("1", "failed", 1),
        ("2", "ok", 2),
        ("3", "pending", 1),
        ("4", "failed", 4),
    ]
    .iter()
    .map(|(id, status, attempts)| {
        serde_json::from_value(serde_json::json!({
            "id": id, "status": status, "instance": "Shopify → Brightpearl", "entity_type": "order",
            "source_id": format!("#{id}"), "started_at": "2026-11-20T10:00:00Z",
            "details": "HTTP 503 Service Unavailable", "attempts": attempts,
        }))
        .unwrap()
    })
    .collect();
    db::insert_logs(&pool.get().unwrap(), &logs).unwrap();
    (dir, pool)
}

fn status_of(pool: &Pool, id: &str) -> (Status, Option<u32>) {
    let log = db::get_log(&pool.get().unwrap(), id).unwrap().unwrap();
    (log.status, log.attempts)
}

#[test]
fn a_key_is_new_then_in_flight_then_replayed_and_never_reused_for_another_body() {
    let (_dir, pool) = store();
    let conn = pool.get().unwrap();
    let body = r#"{"ids":["1"]}"#;
    assert_eq!(begin(&conn, "k1", body, 0).unwrap(), Begin::New);
    assert_eq!(begin(&conn, "k1", body, 1).unwrap(), Begin::InFlight);
    assert_eq!(
        begin(&conn, "k1", r#"{"ids":["2"]}"#, 1).unwrap(),
        Begin::Mismatch
    );
    finish(&conn, "k1", 202, r#"{"results":[]}"#).unwrap();
    assert_eq!(
        begin(&conn, "k1", body, 2).unwrap(),
        Begin::Replay {
            status: 202,
            body: r#"{"results":[]}"#.into()
        }
    );
    assert_eq!(
        begin(&conn, "k1", r#"{"ids":["2"]}"#, 3).unwrap(),
        Begin::Mismatch
    );
}

#[test]
fn the_store_keeps_a_hash_of_the_body_and_forgets_keys_after_a_day() {
    let (_dir, pool) = store();
    let conn = pool.get().unwrap();
    let body = format!(r#"{{"ids":["{}"]}}"#, "x".repeat(100_000));
    assert_eq!(begin(&conn, "old", &body, 0).unwrap(), Begin::New);
    finish(&conn, "old", 202, r#"{"results":[]}"#).unwrap();
    let stored: i64 = conn
        .query_row(
            "SELECT length(body_hash) FROM idempotency WHERE key = 'old'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 32, "a SHA-256, not the 100 kB body");
    // Within the day the answer is replayed; after it, the key is gone and new again.
    assert!(matches!(
        begin(&conn, "old", &body, KEY_TTL_MS - 1).unwrap(),
        Begin::Replay { .. }
    ));
    assert_eq!(
        begin(&conn, "new", "{}", KEY_TTL_MS + 1).unwrap(),
        Begin::New
    );
    let left: Vec<String> = conn
        .prepare("SELECT key FROM idempotency ORDER BY key")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(left, ["new"]);
}

#[test]
fn keys_are_short_printable_ascii() {
    assert!(valid_key("0b9f8c6e-5d4a-4c3b-9a1e-2f7d6c5b4a39"));
    assert!(valid_key(&"k".repeat(MAX_KEY_CHARS)));
    assert!(!valid_key(&"k".repeat(MAX_KEY_CHARS + 1)));
    assert!(!valid_key(""));
    assert!(!valid_key("key\u{7f}"));
    assert!(!valid_key("clé"));
    assert!(!valid_key("a\tb"));
}

#[test]
fn an_abandoned_key_can_be_used_again() {
    let (_dir, pool) = store();
    let conn = pool.get().unwrap();
    assert_eq!(begin(&conn, "k2", "{}", 0).unwrap(), Begin::New);
    abandon(&conn, "k2").unwrap();
    assert_eq!(begin(&conn, "k2", "{}", 0).unwrap(), Begin::New);
}

#[test]
fn apply_queues_what_it_can_and_says_why_not_for_the_rest() {
    let (_dir, pool) = store();
    let ids: Vec<String> = ["1", "2", "3", "4", "missing"].map(String::from).to_vec();
    let results = apply(&mut pool.get().unwrap(), &ids, 10_000, MAX_ATTEMPTS).unwrap();
    let outcomes: Vec<_> = results.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        vec![
            ResyncOutcome::Queued,
            ResyncOutcome::Queued,
            ResyncOutcome::Rejected,
            ResyncOutcome::Rejected,
            ResyncOutcome::NotFound
        ]
    );
    assert!(results[3].message.as_deref().unwrap().contains("4 times"));
    assert_eq!(status_of(&pool, "1"), (Status::Pending, Some(2)));
    assert_eq!(status_of(&pool, "2"), (Status::Pending, Some(3)));
}

#[test]
fn queued_records_go_pending_then_in_progress_then_final() {
    let (_dir, pool) = store();
    let mut conn = pool.get().unwrap();
    let ids: Vec<String> = vec!["1".into(), "2".into()];
    apply(&mut conn, &ids, 10_000, MAX_ATTEMPTS).unwrap();
    let mut rng = fastrand::Rng::with_seed(3);
    let up = Retries {
        target: Target::Up,
        ..Retries::default()
    };
    assert_eq!(
        advance(&mut conn, 10_000 + PENDING_MS - 1, &mut rng, up).unwrap(),
        0
    );
    assert_eq!(
        advance(&mut conn, 10_000 + PENDING_MS, &mut rng, up).unwrap(),
        2
    );
    assert_eq!(status_of(&pool, "1").0, Status::InProgress);
    assert_eq!(
        advance(&mut conn, 10_000 + FINAL_MS, &mut rng, up).unwrap(),
        2
    );
    for id in ["1", "2"] {
        let log = db::get_log(&conn, id).unwrap().unwrap();
        assert!(matches!(log.status, Status::Ok), "{:?}", log.status);
        assert!(log.finished_at.is_some());
    }
    // Nothing is left to move.
    assert_eq!(
        advance(&mut conn, 10_000 + 10 * FINAL_MS, &mut rng, up).unwrap(),
        0
    );
}

#[test]
fn a_record_is_tried_at_most_four_times() {
    let (_dir, pool) = store();
    let mut conn = pool.get().unwrap();
    let ids = vec!["1".to_owned()];
    let mut now = Utc
        .with_ymd_and_hms(2026, 11, 20, 12, 0, 0)
        .unwrap()
        .timestamp_millis();
    let mut rng = fastrand::Rng::with_seed(1);
    let mut queued = 0;
    for _ in 0..6 {
        if apply(&mut conn, &ids, now, MAX_ATTEMPTS).unwrap()[0].outcome == ResyncOutcome::Queued {
            queued += 1;
        }
        now += FINAL_MS;
        let up = Retries {
            target: Target::Up,
            ..Retries::default()
        };
        advance(&mut conn, now, &mut rng, up).unwrap();
        // Make the record fail again so it stays eligible while attempts remain.
        conn.execute("UPDATE sync_logs SET status = 'failed' WHERE id = '1'", [])
            .unwrap();
    }
    assert_eq!(queued, 3, "attempts 2, 3 and 4");
    assert_eq!(status_of(&pool, "1").1, Some(MAX_ATTEMPTS));
}

#[test]
fn an_unreachable_target_is_retried_with_growing_waits_then_the_record_is_dead_lettered() {
    let (_dir, pool) = store();
    let mut conn = pool.get().unwrap();
    let down = Retries {
        target: Target::Down,
        backoff_ms: 1_000,
        ..Retries::default()
    };
    let mut rng = fastrand::Rng::with_seed(7);
    let mut now = 10_000;
    apply(&mut conn, &["1".to_owned()], now, down.max_attempts).unwrap();
    let mut seen = Vec::new();
    // Attempt 2 (the resync), then the worker's own retries 3 and 4.
    for _ in 0..200 {
        now += 250;
        advance(&mut conn, now, &mut rng, down).unwrap();
        let log = db::get_log(&conn, "1").unwrap().unwrap();
        if seen.last() != Some(&(log.status.clone(), log.attempts)) {
            seen.push((log.status.clone(), log.attempts));
        }
        if log.dead_lettered_at.is_some() {
            break;
        }
    }
    let log = db::get_log(&conn, "1").unwrap().unwrap();
    assert_eq!(log.status, Status::Failed);
    assert_eq!(log.attempts, Some(4));
    assert!(log.dead_lettered_at.is_some(), "{seen:?}");
    let reason = log.dead_letter_reason.unwrap();
    assert!(reason.contains("attempt 4 of 4"), "{reason}");
    assert_eq!(
        seen.iter()
            .filter(|(s, _)| *s == Status::InProgress)
            .count(),
        3,
        "attempts 2, 3 and 4 ran: {seen:?}"
    );
    // The waits grow: 2 s after attempt 2, 4 s after attempt 3.
    assert_eq!(down.backoff_after(2), 2_000);
    assert_eq!(down.backoff_after(3), 4_000);
}

#[test]
fn a_refused_record_fails_at_once_without_retries() {
    let (_dir, pool) = store();
    let mut conn = pool.get().unwrap();
    apply(&mut conn, &["1".to_owned()], 0, MAX_ATTEMPTS).unwrap();
    // Seeds until one attempt is refused (one in twenty).
    let mut rng = fastrand::Rng::with_seed(0);
    loop {
        let roll = rng.clone().u8(..100);
        if (10..=14).contains(&roll) {
            break;
        }
        rng.u8(..100);
    }
    advance(&mut conn, FINAL_MS, &mut rng, Retries::default()).unwrap();
    let log = db::get_log(&conn, "1").unwrap().unwrap();
    assert_eq!((log.status, log.attempts), (Status::Failed, Some(2)));
    assert!(log.dead_lettered_at.is_none());
    assert_eq!(
        advance(&mut conn, 100 * FINAL_MS, &mut rng, Retries::default()).unwrap(),
        0
    );
}

#[test]
fn a_file_with_an_older_schema_is_rebuilt_rather_than_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let conn = r2d2_sqlite::rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE sync_logs (id TEXT PRIMARY KEY, status TEXT); INSERT INTO sync_logs VALUES ('1', 'ok');")
            .unwrap();
    }
    let pool = db::open(&path).unwrap();
    assert_eq!(db::count_logs(&pool.get().unwrap()).unwrap(), 0);
    // And a current file is kept as it is.
    store_into(&pool);
    let again = db::open(&path).unwrap();
    assert_eq!(db::count_logs(&again.get().unwrap()).unwrap(), 1);
}

fn store_into(pool: &Pool) {
    let log: SyncLog = serde_json::from_value(serde_json::json!({
        "id": "9", "status": "ok", "instance": "i", "entity_type": "item",
        "source_id": "s", "started_at": "2026-11-20T10:00:00Z"
    }))
    .unwrap();
    db::insert_logs(&pool.get().unwrap(), &[log]).unwrap();
}
