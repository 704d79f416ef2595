//! Resync: sending records through the pipeline again, exactly once per request.
//!
//! Requests carry an `Idempotency-Key`. The key and the exact body are stored before the
//! records are touched: a replay of the same key and body gets the stored answer, the
//! same key with another body is refused (422), and a key whose first request is still
//! being applied is refused (409). Queued records then move pending → in_progress →
//! success or failed through [`advance`], run by a background worker. A connectivity
//! failure is retried by the worker itself, with a growing wait, until the record has
//! had [`Retries::max_attempts`]; a failure of the last allowed attempt dead-letters the
//! record (see `dead_letter.rs`). A data error fails at once: retrying cannot fix it.

use r2d2_sqlite::rusqlite::{self, params, OptionalExtension};
use sync_logs_core::{ResyncOutcome, ResyncResult};

use crate::db::DbError;
use crate::seed::success_status_of;

/// The most ids one request may carry.
pub const MAX_IDS: usize = 5_000;
/// Attempts after which a failing record is dead-lettered, unless `--max-attempts` says
/// otherwise.
pub const MAX_ATTEMPTS: u32 = 4;

/// How the worker retries, and what the target system does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retries {
    /// The attempts a record gets before it is dead-lettered.
    pub max_attempts: u32,
    /// The wait before the first automatic retry; it doubles for each one after.
    pub backoff_ms: i64,
    /// How the (simulated) target system answers.
    pub target: Target,
    /// For a flaky target: the share of attempts, in percent, that cannot reach it.
    pub unreachable_percent: u8,
}

/// How the simulated target system answers the worker's attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Mostly synced; [`Retries::unreachable_percent`] of the attempts cannot reach it,
    /// one in twenty is refused.
    Flaky,
    /// Unreachable: every attempt fails with a connectivity error (`--target-down`).
    Down,
    /// Every attempt is synced.
    Up,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            max_attempts: MAX_ATTEMPTS,
            backoff_ms: 1_000,
            target: Target::Flaky,
            unreachable_percent: 10,
        }
    }
}

impl Retries {
    /// The wait before the automatic retry that follows failed attempt `attempt`.
    pub fn backoff_after(&self, attempt: u32) -> i64 {
        self.backoff_ms
            .saturating_mul(1_i64 << attempt.saturating_sub(1).min(20))
            .min(10 * 60_000)
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    Synced,
    /// The target could not be reached: worth retrying.
    Unreachable,
    /// The target refused the data: retrying the same data fails the same way.
    Refused,
}
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

/// How long a key is remembered: a retry comes within seconds, and a day is what payment
/// APIs keep theirs.
pub const KEY_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// The longest `Idempotency-Key` accepted.
pub const MAX_KEY_CHARS: usize = 255;

/// Whether `key` is a usable `Idempotency-Key`: 1 to [`MAX_KEY_CHARS`] printable ASCII
/// characters.
pub fn valid_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len()) && key.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// What is kept of a body: its SHA-256, enough to tell a different body from the same.
fn body_hash(body: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(body.as_bytes()).to_vec()
}

/// Registers `key` for `body` (forgetting keys older than [`KEY_TTL_MS`] on the way), or
/// says why it cannot be applied now.
pub fn begin(
    conn: &rusqlite::Connection,
    key: &str,
    body: &str,
    now_ms: i64,
) -> Result<Begin, DbError> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_ms < ?1",
        [now_ms - KEY_TTL_MS],
    )?;
    let hash = body_hash(body);
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO idempotency (key, body_hash, state, created_ms) VALUES (?1, ?2, 'in_flight', ?3)",
        params![key, hash, now_ms],
    )?;
    if inserted == 1 {
        return Ok(Begin::New);
    }
    let (stored_hash, state, status, response): (Vec<u8>, String, Option<u16>, Option<String>) =
        conn.query_row(
            "SELECT body_hash, state, status, response FROM idempotency WHERE key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    Ok(if stored_hash != hash {
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
    max_attempts: u32,
) -> Result<Vec<ResyncResult>, DbError> {
    let tx = write_transaction(conn)?;
    let mut results = Vec::with_capacity(ids.len());
    {
        let mut read = tx.prepare_cached(
            "SELECT status, attempts, dead_lettered_ms IS NOT NULL FROM sync_logs WHERE id = ?1",
        )?;
        let mut queue = tx.prepare_cached(
            "UPDATE sync_logs SET status = 'pending', attempts = ?2, resync_at_ms = ?3, finished_ms = NULL WHERE id = ?1",
        )?;
        for id in ids {
            let found: Option<(String, Option<u32>, bool)> = read
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let (outcome, message) = match found {
                None => (ResyncOutcome::NotFound, Some("no record has this sync id".to_owned())),
                Some((status, _, _)) if matches!(status.as_str(), "pending" | "in_progress" | "extracting") => (
                    ResyncOutcome::Rejected,
                    Some("the record is already being synced".to_owned()),
                ),
                Some((status, _, _)) if status == "discarded" => (
                    ResyncOutcome::Rejected,
                    Some("the record was discarded from the dead-letter queue".to_owned()),
                ),
                Some((_, _, true)) => (
                    ResyncOutcome::Rejected,
                    Some("the record is in the dead-letter queue: replay it from there".to_owned()),
                ),
                Some((_, attempts, _)) if attempts.unwrap_or(1) >= max_attempts => (
                    ResyncOutcome::Rejected,
                    Some(format!(
                        "already tried {max_attempts} times: fix the record in the source, then resync"
                    )),
                ),
                Some((_, attempts, _)) => {
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

/// Moves queued records along: pending → in_progress after [`PENDING_MS`], then to an
/// outcome after [`FINAL_MS`]: mostly synced; about one in ten cannot reach the target
/// (retried after a wait, or dead-lettered after the last allowed attempt), one in
/// twenty is refused for its data (failed at once). Returns how many moved.
pub fn advance(
    conn: &mut rusqlite::Connection,
    now_ms: i64,
    rng: &mut fastrand::Rng,
    retries: Retries,
) -> Result<usize, DbError> {
    let tx = write_transaction(conn)?;
    let mut moved = tx.execute(
        "UPDATE sync_logs SET status = 'in_progress' WHERE status = 'pending' AND resync_at_ms IS NOT NULL AND resync_at_ms <= ?1",
        [now_ms - PENDING_MS],
    )?;
    let due: Vec<(String, String, Option<String>, u32)> = tx
        .prepare_cached(
            "SELECT id, instance, target_system, coalesce(attempts, 1) FROM sync_logs
             WHERE status = 'in_progress' AND resync_at_ms IS NOT NULL AND resync_at_ms <= ?1",
        )?
        .query_map([now_ms - FINAL_MS], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    {
        let mut synced = tx.prepare_cached(
            "UPDATE sync_logs SET status = ?2, details = NULL, finished_ms = ?3, resync_at_ms = NULL WHERE id = ?1",
        )?;
        let mut refused = tx.prepare_cached(
            "UPDATE sync_logs SET status = 'failed', finished_ms = ?2, resync_at_ms = NULL,
                details = coalesce(details, 'The target refused the record: a required field is missing') WHERE id = ?1",
        )?;
        let mut retry = tx.prepare_cached(
            "UPDATE sync_logs SET status = 'pending', attempts = ?2, details = ?3, resync_at_ms = ?4 WHERE id = ?1",
        )?;
        for (id, instance, target, attempt) in &due {
            let roll = rng.u8(..100);
            let unreachable = retries.unreachable_percent.min(95);
            let outcome = match retries.target {
                Target::Down => Attempt::Unreachable,
                Target::Up => Attempt::Synced,
                Target::Flaky if roll < unreachable => Attempt::Unreachable,
                Target::Flaky if roll < unreachable + 5 => Attempt::Refused,
                Target::Flaky => Attempt::Synced,
            };
            match outcome {
                Attempt::Synced => {
                    synced.execute(params![id, success_status_of(instance), now_ms])?;
                }
                Attempt::Refused => {
                    refused.execute(params![id, now_ms])?;
                }
                Attempt::Unreachable => {
                    let target = target.as_deref().unwrap_or("the target");
                    let error = format!(
                        "Connection timed out after 30 s connecting to {target} (attempt {attempt} of {})",
                        retries.max_attempts
                    );
                    if *attempt >= retries.max_attempts {
                        crate::dead_letter::dead_letter(&tx, id, &error, now_ms)?;
                    } else {
                        // Picked up again `PENDING_MS` after the wait.
                        let again = now_ms + retries.backoff_after(*attempt);
                        retry.execute(params![id, attempt + 1, error, again])?;
                    }
                }
            }
        }
    }
    moved += due.len();
    tx.commit()?;
    Ok(moved)
}

/// Runs [`advance`] every quarter second for as long as the server runs.
pub fn spawn_worker(pool: crate::db::Pool, retries: Retries) {
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
                    retries,
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
