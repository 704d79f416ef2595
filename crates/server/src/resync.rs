//! Resync: sending records through the pipeline again, exactly once per request.
//!
//! Requests carry an `Idempotency-Key`. The key and the exact body are stored before the
//! records are touched: a replay of the same key and body gets the stored answer, the
//! same key with another body is refused (422), and a key whose first request is still
//! being applied is refused (409). Queued records then move pending → in_progress →
//! success or failed through [`advance`], run by a background worker; a record is
//! retried at most [`MAX_ATTEMPTS`] times.

use r2d2_sqlite::rusqlite::{self, params, OptionalExtension};
use sync_logs_core::{ResyncOutcome, ResyncResult};

use crate::db::DbError;
use crate::seed::success_status_of;

/// The most ids one request may carry.
pub const MAX_IDS: usize = 5_000;
/// Attempts after which a record stays failed.
pub const MAX_ATTEMPTS: u32 = 4;
/// How long a queued record waits before it is picked up.
pub const PENDING_MS: i64 = 800;
/// How long after being queued a record reaches its final status.
pub const FINAL_MS: i64 = 2_000;

/// What the idempotency store says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// First time this key is seen: apply the request, then [`finish`].
    New,
    /// Already answered: send this status and body again.
    Replay { status: u16, body: String },
    /// The first request with this key is still being applied.
    InFlight,
    /// The key was used with a different body.
    Mismatch,
}

/// Registers `key` for `body`, or says why it cannot be applied now.
pub fn begin(
    conn: &rusqlite::Connection,
    key: &str,
    body: &str,
    now_ms: i64,
) -> Result<Begin, DbError> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO idempotency (key, body, state, created_ms) VALUES (?1, ?2, 'in_flight', ?3)",
        params![key, body, now_ms],
    )?;
    if inserted == 1 {
        return Ok(Begin::New);
    }
    let (stored_body, state, status, response): (String, String, Option<u16>, Option<String>) =
        conn.query_row(
            "SELECT body, state, status, response FROM idempotency WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    Ok(if stored_body != body {
        Begin::Mismatch
    } else if state == "in_flight" {
        Begin::InFlight
    } else {
        Begin::Replay {
            status: status.unwrap_or(202),
            body: response.unwrap_or_default(),
        }
    })
}

/// Stores the answer of a request begun with [`begin`].
pub fn finish(
    conn: &rusqlite::Connection,
    key: &str,
    status: u16,
    response: &str,
) -> Result<(), DbError> {
    conn.execute(
        "UPDATE idempotency SET state = 'done', status = ?2, response = ?3 WHERE key = ?1",
        params![key, status, response],
    )?;
    Ok(())
}

/// Forgets a key whose request failed before it was applied, so it can be retried.
pub fn abandon(conn: &rusqlite::Connection, key: &str) -> Result<(), DbError> {
    conn.execute(
        "DELETE FROM idempotency WHERE key = ?1 AND state = 'in_flight'",
        [key],
    )?;
    Ok(())
}

/// Queues the records for another attempt, in one transaction.
pub fn apply(
    conn: &mut rusqlite::Connection,
    ids: &[String],
    now_ms: i64,
) -> Result<Vec<ResyncResult>, DbError> {
    let tx = write_transaction(conn)?;
    let mut results = Vec::with_capacity(ids.len());
    {
        let mut read = tx.prepare_cached("SELECT status, attempts FROM sync_logs WHERE id = ?1")?;
        let mut queue = tx.prepare_cached(
            "UPDATE sync_logs SET status = 'pending', attempts = ?2, resync_at_ms = ?3, finished_ms = NULL WHERE id = ?1",
        )?;
        for id in ids {
            let found: Option<(String, Option<u32>)> = read
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (outcome, message) = match found {
                None => (ResyncOutcome::NotFound, Some("no record has this sync id".to_owned())),
                Some((status, _)) if matches!(status.as_str(), "pending" | "in_progress" | "extracting") => (
                    ResyncOutcome::Rejected,
                    Some("the record is already being synced".to_owned()),
                ),
                Some((_, attempts)) if attempts.unwrap_or(1) >= MAX_ATTEMPTS => (
                    ResyncOutcome::Rejected,
                    Some(format!(
                        "already tried {MAX_ATTEMPTS} times: fix the record in the source, then resync"
                    )),
                ),
                Some((_, attempts)) => {
                    queue.execute(params![id, attempts.unwrap_or(1) + 1, now_ms])?;
                    (ResyncOutcome::Queued, None)
                }
            };
            results.push(ResyncResult {
                id: id.clone(),
                outcome,
                message,
            });
        }
    }
    tx.commit()?;
    Ok(results)
}

/// A transaction that holds the write lock from its start. A deferred one reads first
/// and asks for the lock at its first write; if another connection wrote in between,
/// SQLite cannot wait for it (the snapshot is stale) and fails with "database is locked"
/// at once. Taking the lock at `BEGIN` makes concurrent writers queue on the busy
/// timeout instead, and each reads what the previous one wrote.
pub fn write_transaction(
    conn: &mut rusqlite::Connection,
) -> Result<rusqlite::Transaction<'_>, DbError> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// Moves queued records along: pending → in_progress after [`PENDING_MS`], then to their
/// final status after [`FINAL_MS`] (about one in five fails again). Returns how many moved.
pub fn advance(
    conn: &mut rusqlite::Connection,
    now_ms: i64,
    rng: &mut fastrand::Rng,
) -> Result<usize, DbError> {
    let tx = write_transaction(conn)?;
    let mut moved = tx.execute(
        "UPDATE sync_logs SET status = 'in_progress' WHERE status = 'pending' AND resync_at_ms IS NOT NULL AND resync_at_ms <= ?1",
        [now_ms - PENDING_MS],
    )?;
    let due: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT id, instance FROM sync_logs WHERE status = 'in_progress' AND resync_at_ms IS NOT NULL AND resync_at_ms <= ?1",
        )?
        .query_map([now_ms - FINAL_MS], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    {
        let mut done = tx.prepare_cached(
            "UPDATE sync_logs SET status = ?2, details = CASE WHEN ?2 = 'failed' THEN details ELSE NULL END, finished_ms = ?3, resync_at_ms = NULL WHERE id = ?1",
        )?;
        for (id, instance) in &due {
            let status = if rng.u8(..100) < 20 {
                "failed"
            } else {
                success_status_of(instance)
            };
            done.execute(params![id, status, now_ms])?;
        }
    }
    moved += due.len();
    tx.commit()?;
    Ok(moved)
}

/// Runs [`advance`] every quarter second for as long as the server runs.
pub fn spawn_worker(pool: crate::db::Pool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tick.tick().await;
            let pool = pool.clone();
            let moved = tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().map_err(DbError::from)?;
                advance(
                    &mut conn,
                    chrono::Utc::now().timestamp_millis(),
                    &mut fastrand::Rng::new(),
                )
            })
            .await;
            if let Ok(Err(err)) = moved {
                eprintln!("sync-logs-server: resync worker: {err}");
            }
        }
    });
}

#[cfg(test)]
mod tests;
