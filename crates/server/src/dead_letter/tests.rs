//! The requester's name and the queue's rules, against a real SQLite file.

use super::*;
use crate::db::{self, Pool};
use sync_logs_core::SyncLog;

#[test]
fn the_requester_is_the_portal_header_cleaned_or_anonymous() {
    assert_eq!(requester(None), ANONYMOUS);
    assert_eq!(requester(Some("   ")), ANONYMOUS);
    assert_eq!(requester(Some(" ops@example.com ")), "ops@example.com");
    assert_eq!(requester(Some("a\u{7}b\nc")), "abc");
    assert_eq!(
        requester(Some(&"é".repeat(300))).chars().count(),
        MAX_USER_CHARS
    );
}

fn store() -> (tempfile::TempDir, Pool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(&dir.path().join("queue.sqlite3")).unwrap();
    let logs: Vec<SyncLog> = [
        ("1", "failed", true),
        ("2", "failed", false),
        ("3", "pending", false),
    ]
    .iter()
    .map(|(id, status, dead)| {
        serde_json::from_value(serde_json::json!({
            "id": id, "status": status, "instance": "i", "entity_type": "order",
            "source_id": format!("#{id}"), "started_at": "2026-11-20T10:00:00Z",
            "attempts": 4,
            "dead_lettered_at": dead.then_some("2026-11-20T10:05:00Z"),
            "dead_letter_reason": dead.then_some("HTTP 503"),
        }))
        .unwrap()
    })
    .collect();
    db::insert_logs(&pool.get().unwrap(), &logs).unwrap();
    (dir, pool)
}

#[test]
fn only_queued_records_are_replayed_or_discarded_and_only_discarded_ones_restored() {
    let (_dir, pool) = store();
    let mut conn = pool.get().unwrap();
    let ids: Vec<String> = ["1", "2", "3", "4"].map(String::from).to_vec();
    let outcomes = |results: Vec<ResyncResult>| -> Vec<ResyncOutcome> {
        results.into_iter().map(|r| r.outcome).collect()
    };
    use ResyncOutcome::*;
    assert_eq!(
        outcomes(discard(&mut conn, &ids, "dup", 1, "u").unwrap()),
        [Discarded, Rejected, Rejected, NotFound]
    );
    assert_eq!(
        outcomes(replay(&mut conn, &ids, 2, "u").unwrap()),
        [Rejected, Rejected, Rejected, NotFound]
    );
    assert_eq!(
        outcomes(restore(&mut conn, &ids, 3, "u").unwrap()),
        [Restored, Rejected, Rejected, NotFound]
    );
    assert_eq!(
        outcomes(replay(&mut conn, &ids, 4, "u").unwrap()),
        [Queued, Rejected, Rejected, NotFound]
    );
    let actions: Vec<String> = list_events(&conn, "1")
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["dead_lettered", "discarded", "restored", "replayed"]
    );
    assert_eq!(list_events(&conn, "2").unwrap(), Some(vec![]));
    assert_eq!(list_events(&conn, "nope").unwrap(), None);
}
