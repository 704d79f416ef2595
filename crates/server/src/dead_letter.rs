//! The dead-letter queue: records whose last allowed attempt failed, which the worker no
//! longer retries. An operator replays them (a fresh attempt budget, back to pending) or
//! discards them (status `discarded`, kept in the log for audit); a discard can be
//! restored, which puts the record back in the queue as it was. Every one of these
//! appends an event to the record's audit trail, with who asked.

use r2d2_sqlite::rusqlite::{self, params, OptionalExtension};
use sync_logs_core::{RecordEvent, ResyncOutcome, ResyncResult};

use crate::db::{from_millis, DbError};
use crate::resync::write_transaction;

/// The SQL condition of a record in the queue. The partial index `sync_logs_dead`
/// carries the same condition, so the queue is read without scanning the log.
pub const IN_QUEUE: &str = "dead_lettered_ms IS NOT NULL AND status <> 'discarded'";

/// Who the worker's own events are by.
pub const PIPELINE: &str = "pipeline";
/// Who a request without `X-Sync-Logs-User` is by.
pub const ANONYMOUS: &str = "anonymous";
/// The longest user name kept; a longer one is cut.
pub const MAX_USER_CHARS: usize = 200;

/// The requester named by the host portal's `X-Sync-Logs-User` header: trimmed, control
/// characters dropped, at most [`MAX_USER_CHARS`]; [`ANONYMOUS`] when absent or blank.
pub fn requester(header: Option<&str>) -> String {
    let name: String = header
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_USER_CHARS)
        .collect();
    match name.trim() {
        "" => ANONYMOUS.to_owned(),
        name => name.to_owned(),
    }
}

/// Dead-letters one record whose last allowed attempt failed with `reason`.
pub fn dead_letter(
    conn: &rusqlite::Connection,
    id: &str,
    reason: &str,
    now_ms: i64,
) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE sync_logs SET status = 'failed', details = ?2, finished_ms = ?3, resync_at_ms = NULL,
            dead_lettered_ms = ?3, dead_letter_reason = ?2 WHERE id = ?1",
    )?
    .execute(params![id, reason, now_ms])?;
    append_event(
        conn,
        &Event {
            id,
            at_ms: now_ms,
            action: "dead_lettered",
            reason: Some(reason),
            user: PIPELINE,
            previous_status: None,
        },
    )
}

/// One entry for the audit trail.
pub struct Event<'a> {
    pub id: &'a str,
    pub at_ms: i64,
    pub action: &'a str,
    pub reason: Option<&'a str>,
    pub user: &'a str,
    /// The status before the action, for a discard (a restore puts it back).
    pub previous_status: Option<&'a str>,
}

pub fn append_event(conn: &rusqlite::Connection, event: &Event<'_>) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO events (sync_id, at_ms, action, reason, user, previous_status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        event.id,
        event.at_ms,
        event.action,
        event.reason,
        event.user,
        event.previous_status
    ])?;
    Ok(())
}

/// The most events of one record returned (the newest).
pub const MAX_EVENTS_LISTED: u32 = 500;

/// The audit trail of record `id`, oldest first; `None` when no record has that id.
pub fn list_events(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<Option<Vec<RecordEvent>>, DbError> {
    let known: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM sync_logs WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if known.is_none() {
        return Ok(None);
    }
    let mut statement = conn.prepare_cached(
        "SELECT at_ms, action, reason, user FROM events WHERE sync_id = ?1
         ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = statement.query_map(params![id, MAX_EVENTS_LISTED], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (at_ms, action, reason, user) = row?;
        let at =
            from_millis(at_ms).ok_or_else(|| DbError::Corrupt(format!("event at_ms {at_ms}")))?;
        events.push(RecordEvent {
            at,
            action,
            reason,
            user,
        });
    }
    events.reverse();
    Ok(Some(events))
}

/// Where one record stands, for the three actions.
struct Found {
    status: String,
    dead_lettered: bool,
}

fn find(conn: &rusqlite::Connection, id: &str) -> Result<Option<Found>, DbError> {
    Ok(conn
        .prepare_cached("SELECT status, dead_lettered_ms IS NOT NULL FROM sync_logs WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Found {
                status: r.get(0)?,
                dead_lettered: r.get(1)?,
            })
        })
        .optional()?)
}

/// Why a record in the queue cannot be replayed or discarded, if it cannot.
fn not_in_queue(found: &Found) -> Option<&'static str> {
    match found.status.as_str() {
        "discarded" => Some("the record was discarded; restore it to the queue first"),
        "pending" | "in_progress" | "extracting" => Some("the record is already being synced"),
        _ if !found.dead_lettered => Some("the record is not in the dead-letter queue"),
        _ => None,
    }
}

/// Why a record cannot be restored, if it cannot.
fn not_discarded(found: &Found) -> Option<&'static str> {
    (found.status != "discarded" || !found.dead_lettered).then_some("the record is not discarded")
}

/// One of the three actions, as [`act`] applies it.
struct Action<'a> {
    /// The event's name.
    name: &'a str,
    outcome: ResyncOutcome,
    /// Why a record cannot take it, if it cannot.
    refuse: fn(&Found) -> Option<&'static str>,
    /// The change to the record with this id.
    apply: &'a dyn Fn(&rusqlite::Transaction<'_>, &str) -> Result<(), DbError>,
    reason: Option<&'a str>,
}

/// Applies `action` to each of `ids` that can take it, in one transaction, with an event
/// for each; one result per id, in order.
fn act(
    conn: &mut rusqlite::Connection,
    ids: &[String],
    now_ms: i64,
    user: &str,
    action: Action<'_>,
) -> Result<Vec<ResyncResult>, DbError> {
    let tx = write_transaction(conn)?;
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let refused = match find(&tx, id)? {
            None => Some((ResyncOutcome::NotFound, "no record has this sync id")),
            Some(found) => match (action.refuse)(&found) {
                Some(why) => Some((ResyncOutcome::Rejected, why)),
                None => {
                    (action.apply)(&tx, id)?;
                    append_event(
                        &tx,
                        &Event {
                            id,
                            at_ms: now_ms,
                            action: action.name,
                            reason: action.reason,
                            user,
                            previous_status: Some(&found.status),
                        },
                    )?;
                    None
                }
            },
        };
        let (outcome, message) = match refused {
            Some((outcome, why)) => (outcome, Some(why.to_owned())),
            None => (action.outcome.clone(), None),
        };
        results.push(ResyncResult {
            id: id.clone(),
            outcome,
            message,
        });
    }
    tx.commit()?;
    Ok(results)
}

/// Replays dead-lettered records: each gets a fresh attempt budget, leaves the queue and
/// becomes pending (the worker then takes it, as a resync).
pub fn replay(
    conn: &mut rusqlite::Connection,
    ids: &[String],
    now_ms: i64,
    user: &str,
) -> Result<Vec<ResyncResult>, DbError> {
    let apply = |tx: &rusqlite::Transaction<'_>, id: &str| -> Result<(), DbError> {
        tx.prepare_cached(
            "UPDATE sync_logs SET status = 'pending', attempts = 1, resync_at_ms = ?2, finished_ms = NULL,
                dead_lettered_ms = NULL, dead_letter_reason = NULL WHERE id = ?1",
        )?
        .execute(params![id, now_ms])?;
        Ok(())
    };
    let action = Action {
        name: "replayed",
        outcome: ResyncOutcome::Queued,
        refuse: not_in_queue,
        apply: &apply,
        reason: None,
    };
    act(conn, ids, now_ms, user, action)
}

/// Discards dead-lettered records: status `discarded`, out of the queue, kept in the log.
/// `reason` has been checked by the caller.
pub fn discard(
    conn: &mut rusqlite::Connection,
    ids: &[String],
    reason: &str,
    now_ms: i64,
    user: &str,
) -> Result<Vec<ResyncResult>, DbError> {
    let apply = |tx: &rusqlite::Transaction<'_>, id: &str| -> Result<(), DbError> {
        tx.prepare_cached("UPDATE sync_logs SET status = 'discarded' WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    };
    let action = Action {
        name: "discarded",
        outcome: ResyncOutcome::Discarded,
        refuse: not_in_queue,
        apply: &apply,
        reason: Some(reason),
    };
    act(conn, ids, now_ms, user, action)
}

/// Undoes discards: each record goes back in the queue with the status it had before
/// (the discard event keeps it).
pub fn restore(
    conn: &mut rusqlite::Connection,
    ids: &[String],
    now_ms: i64,
    user: &str,
) -> Result<Vec<ResyncResult>, DbError> {
    let apply = |tx: &rusqlite::Transaction<'_>, id: &str| -> Result<(), DbError> {
        let before: Option<String> = tx
            .prepare_cached(
                "SELECT previous_status FROM events WHERE sync_id = ?1 AND action = 'discarded'
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten();
        tx.prepare_cached("UPDATE sync_logs SET status = ?2 WHERE id = ?1")?
            .execute(params![id, before.as_deref().unwrap_or("failed")])?;
        Ok(())
    };
    let action = Action {
        name: "restored",
        outcome: ResyncOutcome::Restored,
        refuse: not_discarded,
        apply: &apply,
        reason: None,
    };
    act(conn, ids, now_ms, user, action)
}

#[cfg(test)]
mod tests;
