//! The SQLite store: schema, connection pool and the queries behind the API.
//!
//! Times are stored as milliseconds since the epoch so that ordering and range filters
//! are integer comparisons on an index. Pages are keyset-paginated on
//! `(started_ms, id)`, newest first, so page N costs the same as page 1.

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use r2d2_sqlite::rusqlite::{self, params_from_iter, types::Value, Row};
use r2d2_sqlite::SqliteConnectionManager;
use sync_logs_core::summary::{SummaryResponse, Tally};
use sync_logs_core::timeline::Grid;
use sync_logs_core::{Instance, LogQuery, Name, Operation, Status, SyncLog, Tone};
use thiserror::Error;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// A failure of the store; shown to API clients as a 500.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database pool error: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sync_logs (
    id               TEXT PRIMARY KEY NOT NULL,
    status           TEXT NOT NULL,
    instance         TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    source_system    TEXT,
    target_system    TEXT,
    source_id        TEXT NOT NULL,
    target_id        TEXT,
    operation        TEXT,
    started_ms       INTEGER NOT NULL,
    finished_ms      INTEGER,
    details          TEXT,
    attempts         INTEGER,
    correlation_id   TEXT,
    endpoint_id      TEXT,
    latest_sync_info TEXT,
    -- Set while a resync moves the record along (see resync.rs).
    resync_at_ms     INTEGER,
    -- Set when its last allowed attempt failed (see dead_letter.rs).
    dead_lettered_ms   INTEGER,
    dead_letter_reason TEXT,
    -- 1 when a later attempt of the same source record (instance, entity type and
    -- source id) exists: unresolved only (`latest=1`) reads the others. Kept by
    -- `insert_logs`, and set for a whole seed by `mark_superseded`.
    superseded         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- The audit trail: what was done to a record, by whom (see dead_letter.rs).
CREATE TABLE IF NOT EXISTS events (
    seq             INTEGER PRIMARY KEY,
    sync_id         TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    action          TEXT NOT NULL,
    reason          TEXT,
    user            TEXT NOT NULL,
    previous_status TEXT
);
CREATE INDEX IF NOT EXISTS events_record ON events (sync_id, seq);
-- State-changing requests by Idempotency-Key: a SHA-256 of the body and, once applied,
-- the answer; forgotten after a day.
CREATE TABLE IF NOT EXISTS idempotency (
    key        TEXT PRIMARY KEY NOT NULL,
    body_hash  BLOB NOT NULL,
    state      TEXT NOT NULL,
    status     INTEGER,
    response   TEXT,
    created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_age ON idempotency (created_ms);
-- Distinct source references: a substring search scans this small table, then
-- finds the records of the matching references through an index.
CREATE TABLE IF NOT EXISTS source_refs (
    source_id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS instances (
    name        TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    PRIMARY KEY (name, entity_type)
) WITHOUT ROWID;
";

/// Indexes serving the filter combinations of the filter bar, each ending in the sort key
/// so a filtered page is read in order and stops after `limit` rows. After the sort key
/// each carries the other filtered columns, the status and `superseded`: the summary
/// reads nothing else, so every combination it is asked for (unresolved only included)
/// is answered from one index, with no row looked up.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS sync_logs_started ON sync_logs (started_ms, id, status, instance, entity_type, source_id, superseded);
CREATE INDEX IF NOT EXISTS sync_logs_instance ON sync_logs (instance, started_ms, id, status, entity_type, source_id, superseded);
CREATE INDEX IF NOT EXISTS sync_logs_instance_entity ON sync_logs (instance, entity_type, started_ms, id, status, source_id, superseded);
CREATE INDEX IF NOT EXISTS sync_logs_status ON sync_logs (status, started_ms, id, instance, entity_type, source_id, superseded);
CREATE INDEX IF NOT EXISTS sync_logs_source ON sync_logs (source_id, started_ms, id, status, instance, entity_type, superseded);
CREATE INDEX IF NOT EXISTS sync_logs_correlation ON sync_logs (correlation_id);
CREATE INDEX IF NOT EXISTS sync_logs_record ON sync_logs (instance, entity_type, source_id, started_ms, id);
CREATE INDEX IF NOT EXISTS sync_logs_resync ON sync_logs (resync_at_ms) WHERE resync_at_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS sync_logs_dead ON sync_logs (started_ms, id, status, instance, entity_type, source_id)
    WHERE dead_lettered_ms IS NOT NULL AND status <> 'discarded';
";

/// The version of [`SCHEMA`], kept in `PRAGMA user_version`. Bump it when the schema
/// changes: a file with another version is rebuilt empty (and then reseeded), which is
/// right for a reference server whose data is generated.
const SCHEMA_VERSION: i64 = 7;

/// Opens (creating if needed) the database file and returns a pool of connections.
pub fn open(path: &Path) -> Result<Pool, DbError> {
    let manager = SqliteConnectionManager::file(path).with_init(|conn| {
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
        )
    });
    // A request that finds no free connection within 5 s is answered 503, not held.
    let pool = r2d2::Pool::builder()
        .max_size(8)
        .connection_timeout(std::time::Duration::from_secs(5))
        .build(manager)?;
    let conn = pool.get()?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        conn.execute_batch(
            "DROP TABLE IF EXISTS sync_logs; DROP TABLE IF EXISTS instances;
             DROP TABLE IF EXISTS source_refs; DROP TABLE IF EXISTS idempotency;
             DROP TABLE IF EXISTS events;",
        )?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))?;
    }
    conn.execute_batch(SCHEMA)?;
    drop(conn);
    Ok(pool)
}

/// Creates the indexes; done after a bulk load, which is faster than indexing per row.
pub fn create_indexes(conn: &rusqlite::Connection) -> Result<(), DbError> {
    conn.execute_batch(INDEXES)?;
    conn.execute_batch("ANALYZE;")?;
    Ok(())
}

/// How many records are stored.
pub fn count_logs(conn: &rusqlite::Connection) -> Result<u64, DbError> {
    let count: i64 = conn.query_row("SELECT count(*) FROM sync_logs", [], |r| r.get(0))?;
    Ok(count.unsigned_abs())
}

/// The start of the newest record, if any (read from the start-time index).
pub fn newest_start(conn: &rusqlite::Connection) -> Result<Option<DateTime<Utc>>, DbError> {
    let ms: Option<i64> =
        conn.query_row("SELECT max(started_ms) FROM sync_logs", [], |r| r.get(0))?;
    Ok(ms.and_then(DateTime::from_timestamp_millis))
}

/// Position after the last row of a page: the next page starts strictly below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub started_ms: i64,
    pub id: String,
}

impl Cursor {
    /// Opaque to clients; versioned so the format can change.
    pub fn encode(&self) -> String {
        format!("v1.{}.{}", self.started_ms, self.id)
    }

    pub fn decode(raw: &str) -> Option<Cursor> {
        let rest = raw.strip_prefix("v1.")?;
        let (ms, id) = rest.split_once('.')?;
        Some(Cursor {
            started_ms: ms.parse().ok()?,
            id: id.to_owned(),
        })
    }
}

/// Which records a list or summary reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole log.
    Log,
    /// The dead-letter queue.
    DeadLetter,
}

/// The `WHERE` clause of the records of `scope` matching `query` (its limit aside),
/// after `select`; `None` when nothing can match.
fn matching(
    conn: &rusqlite::Connection,
    select: &str,
    query: &LogQuery,
    scope: Scope,
) -> Result<Option<Sql>, DbError> {
    let mut sql = Sql::new(select);
    match scope {
        Scope::Log => sql.and(" WHERE 1 = 1", Vec::<Value>::new()),
        Scope::DeadLetter => sql.and(
            &format!(" WHERE {}", crate::dead_letter::IN_QUEUE),
            Vec::<Value>::new(),
        ),
    }
    if let Some(instance) = &query.instance {
        sql.and(" AND instance = ?", [instance.clone()]);
    }
    if let Some(entity) = &query.entity_type {
        sql.and(" AND entity_type = ?", [entity.clone()]);
    }
    if let Some(run) = &query.correlation_id {
        sql.and(" AND correlation_id = ?", [run.clone()]);
    }
    if !query.ids.is_empty() {
        let marks = vec!["?"; query.ids.len()].join(", ");
        sql.and(&format!(" AND id IN ({marks})"), query.ids.clone());
    }
    if let Some(source_id) = &query.source_id {
        let pattern = format!("%{}%", escape_like(source_id));
        match matching_references(conn, &pattern)? {
            // Nothing can match: skip the scan altogether.
            SourceMatch::None => return Ok(None),
            // Few references: read their rows through the source index.
            SourceMatch::Few(refs) => {
                let marks = vec!["?"; refs.len()].join(", ");
                sql.and(&format!(" AND source_id IN ({marks})"), refs);
            }
            // Many: matches are dense, so the ordered scan fills a page quickly; `+`
            // keeps SQLite from choosing the source index and sorting every match.
            SourceMatch::Many => sql.and(" AND +source_id LIKE ? ESCAPE '\\'", [pattern]),
        }
    }
    if !query.statuses.is_empty() {
        let marks = vec!["?"; query.statuses.len()].join(", ");
        sql.and(&format!(" AND status IN ({marks})"), query.statuses.clone());
    }
    if let Some(from) = query.from {
        sql.and(" AND started_ms >= ?", [from.timestamp_millis()]);
    }
    if let Some(to) = query.to {
        sql.and(" AND started_ms <= ?", [to.timestamp_millis()]);
    }
    if query.latest {
        // Unresolved only: not succeeded nor discarded, and no later attempt of the same
        // source record at all (a later success resolves it, even outside the range).
        let resolved: Vec<String> = Tone::Success
            .wire_statuses()
            .into_iter()
            .chain([Status::Discarded.as_wire().to_owned()])
            .collect();
        let marks = vec!["?"; resolved.len()].join(", ");
        sql.and(
            &format!(" AND superseded = 0 AND status NOT IN ({marks})"),
            resolved,
        );
    }
    Ok(Some(sql))
}

/// One page of records matching `query`, newest first, and the cursor of the next page.
pub fn list_logs(
    conn: &rusqlite::Connection,
    query: &LogQuery,
    after: Option<&Cursor>,
    page_size: u32,
) -> Result<(Vec<SyncLog>, Option<Cursor>), DbError> {
    list_in(conn, Scope::Log, query, after, page_size)
}

/// [`list_logs`] over the records of `scope`.
pub fn list_in(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &LogQuery,
    after: Option<&Cursor>,
    page_size: u32,
) -> Result<(Vec<SyncLog>, Option<Cursor>), DbError> {
    let Some(sql) = page_sql(conn, scope, query, after, page_size)? else {
        return Ok((Vec::new(), None));
    };
    let mut statement = conn.prepare_cached(&sql.text)?;
    let mut rows = statement
        .query_map(params_from_iter(sql.args), read_log)?
        .collect::<Result<Result<Vec<_>, _>, _>>()??;
    let next = if rows.len() > page_size as usize {
        rows.truncate(page_size as usize);
        rows.last().map(|last| Cursor {
            started_ms: last.started_at.timestamp_millis(),
            id: last.id.clone(),
        })
    } else {
        None
    };
    Ok((rows, next))
}

/// The query of one page of [`list_in`]: `page_size` records and one more (which tells
/// whether another page exists); `None` when nothing can match.
fn page_sql(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &LogQuery,
    after: Option<&Cursor>,
    page_size: u32,
) -> Result<Option<Sql>, DbError> {
    let Some(mut sql) = matching(conn, "SELECT * FROM sync_logs", query, scope)? else {
        return Ok(None);
    };
    if let Some(cursor) = after {
        // A row value, so the cursor bounds the index range the page is read from: with
        // `started_ms < ? OR (started_ms = ? AND id < ?)` SQLite could not start its range
        // at the cursor (its plan was an OR of two ranges and a sort of what they read),
        // and a page took longer the deeper it was (at 1,000,000 records, the 33rd page
        // of 10,000 took five times the first).
        sql.and(
            " AND (started_ms, id) < (?, ?)",
            [
                Value::from(cursor.started_ms),
                Value::from(cursor.id.clone()),
            ],
        );
    }
    sql.and(
        " ORDER BY started_ms DESC, id DESC LIMIT ?",
        [i64::from(page_size + 1)],
    );
    Ok(Some(sql))
}

/// The summary of the records matching `query` (its limit aside): the total, a count
/// per wire status and per bucket of `buckets` at most over the range (see
/// `sync_logs_core::summary`). A range without an end ends at `now` (or the newest
/// match, if later); one without a start begins at the oldest match.
pub fn summarize(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &LogQuery,
    buckets: usize,
    now: DateTime<Utc>,
) -> Result<SummaryResponse, DbError> {
    // Only the two columns counted are read, so one covering index serves every filter.
    let mut seen: Vec<(i64, u8)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    if let Some(sql) = matching(
        conn,
        "SELECT started_ms, status FROM sync_logs",
        query,
        scope,
    )? {
        let mut statement = conn.prepare_cached(&sql.text)?;
        let mut rows = statement.query(params_from_iter(sql.args))?;
        while let Some(row) = rows.next()? {
            let started_ms: i64 = row.get(0)?;
            let status = row.get_ref(1)?.as_str().unwrap_or("");
            let k = match names.iter().position(|n| n == status) {
                Some(k) => k,
                None if names.len() < usize::from(u8::MAX) => {
                    names.push(status.to_owned());
                    names.len() - 1
                }
                // Past 255 distinct statuses the rest are counted together.
                None => names.len() - 1,
            };
            seen.push((started_ms, k as u8));
        }
    }
    let oldest = seen.iter().map(|(ms, _)| *ms).min();
    let newest = seen.iter().map(|(ms, _)| *ms).max();
    let to_ms = match query.to {
        // The list's `to` is inclusive; the grid's end is open.
        Some(to) => to.timestamp_millis() + 1,
        None => newest.unwrap_or(i64::MIN).max(now.timestamp_millis()) + 1,
    };
    let from_ms = match query.from {
        Some(from) => from.timestamp_millis(),
        None => oldest.unwrap_or(to_ms - 86_400_000).min(to_ms - 1),
    };
    let grid = match (from_millis(from_ms), from_millis(to_ms)) {
        (Some(from), Some(to)) => Grid::new(from, to, buckets),
        _ => Grid::with_step(from_ms, to_ms, 86_400_000),
    };
    // Counted per (bucket, status) first: a handful of tally entries, not one per row.
    let mut counts = vec![0_i64; (grid.count + 1) * names.len()];
    for (ms, k) in seen {
        let bucket = grid.index_of(ms).unwrap_or(grid.count);
        counts[bucket * names.len() + usize::from(k)] += 1;
    }
    let mut tally = Tally::new(grid);
    for (slot, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
        let (bucket, k) = (slot / names.len(), slot % names.len());
        // Records off the grid (none, for a range given in full) count in the totals.
        let at = if bucket < grid.count {
            grid.start_ms(bucket).max(grid.from_ms)
        } else {
            i64::MIN
        };
        tally.add(at, &names[k], n);
    }
    Ok(tally.finish())
}

/// SQL text and its positional arguments, built clause by clause.
struct Sql {
    text: String,
    args: Vec<Value>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    fn and<V: Into<Value>>(&mut self, clause: &str, values: impl IntoIterator<Item = V>) {
        self.text.push_str(clause);
        self.args.extend(values.into_iter().map(Into::into));
    }
}

/// How many distinct source references a substring matches.
enum SourceMatch {
    None,
    Few(Vec<String>),
    Many,
}

/// Above this many matching references, scanning in date order beats an IN list.
const FEW_REFERENCES: usize = 200;

fn matching_references(conn: &rusqlite::Connection, pattern: &str) -> Result<SourceMatch, DbError> {
    let mut statement = conn.prepare_cached(
        "SELECT source_id FROM source_refs WHERE source_id LIKE ?1 ESCAPE '\\' LIMIT ?2",
    )?;
    let refs = statement
        .query_map(rusqlite::params![pattern, FEW_REFERENCES as i64 + 1], |r| {
            r.get(0)
        })?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(match refs.len() {
        0 => SourceMatch::None,
        n if n <= FEW_REFERENCES => SourceMatch::Few(refs),
        _ => SourceMatch::Many,
    })
}

/// One record by its sync id.
pub fn get_log(conn: &rusqlite::Connection, id: &str) -> Result<Option<SyncLog>, DbError> {
    let mut statement = conn.prepare_cached("SELECT * FROM sync_logs WHERE id = ?1")?;
    let mut rows = statement.query_map([id], read_log)?;
    match rows.next() {
        Some(row) => Ok(Some(row??)),
        None => Ok(None),
    }
}

/// The most attempts of one record returned.
pub const MAX_ATTEMPTS_LISTED: u32 = 500;

/// Every attempt of the record `id` belongs to (same instance, entity type and source
/// id), oldest first; `None` when no record has that id.
pub fn list_attempts(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<Option<Vec<SyncLog>>, DbError> {
    let Some(record) = get_log(conn, id)? else {
        return Ok(None);
    };
    let mut statement = conn.prepare_cached(
        "SELECT * FROM sync_logs WHERE instance = ?1 AND entity_type = ?2 AND source_id = ?3
         ORDER BY started_ms DESC, id DESC LIMIT ?4",
    )?;
    let rows = statement.query_map(
        rusqlite::params![
            record.instance.as_str(),
            record.entity_type.as_str(),
            record.source_id,
            MAX_ATTEMPTS_LISTED
        ],
        read_log,
    )?;
    // The newest are kept when there are more; they are returned oldest first.
    let mut attempts = rows.collect::<Result<Result<Vec<_>, _>, _>>()??;
    attempts.reverse();
    Ok(Some(attempts))
}

/// Every instance with its entity types, sorted by name.
pub fn list_instances(conn: &rusqlite::Connection) -> Result<Vec<Instance>, DbError> {
    let mut statement =
        conn.prepare_cached("SELECT name, entity_type FROM instances ORDER BY name, entity_type")?;
    let mut instances: Vec<Instance> = Vec::new();
    let pairs = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
    for pair in pairs {
        let (name, entity_type) = pair?;
        match instances.last_mut() {
            Some(last) if last.name == name => last.entity_types.push(entity_type),
            _ => instances.push(Instance {
                name,
                entity_types: vec![entity_type],
            }),
        }
    }
    Ok(instances)
}

/// Inserts records (prepared statements, the caller's transaction), registers their
/// instance/entity type pairs and source references, and marks which attempts of their
/// source records are superseded now.
pub fn insert_logs(conn: &rusqlite::Connection, logs: &[SyncLog]) -> Result<(), DbError> {
    insert_rows(conn, logs)?;
    let mut keys: Vec<(&str, &str, &str)> = logs
        .iter()
        .map(|l| {
            (
                l.instance.as_str(),
                l.entity_type.as_str(),
                l.source_id.as_str(),
            )
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut mark = conn.prepare_cached(
        "UPDATE sync_logs SET superseded = EXISTS (SELECT 1 FROM sync_logs AS later
            WHERE later.instance = sync_logs.instance AND later.entity_type = sync_logs.entity_type
              AND later.source_id = sync_logs.source_id
              AND (later.started_ms > sync_logs.started_ms
                   OR (later.started_ms = sync_logs.started_ms AND later.id > sync_logs.id)))
         WHERE instance = ?1 AND entity_type = ?2 AND source_id = ?3",
    )?;
    for (instance, entity_type, source_id) in keys {
        mark.execute([instance, entity_type, source_id])?;
    }
    Ok(())
}

/// Marks every attempt that a later one of the same source record supersedes, in one
/// pass over the record index; after a bulk load with [`insert_rows`].
pub fn mark_superseded(conn: &rusqlite::Connection) -> Result<(), DbError> {
    conn.execute_batch(
        "UPDATE sync_logs SET superseded = 1 WHERE id IN (
            SELECT id FROM (
                SELECT id, row_number() OVER (
                    PARTITION BY instance, entity_type, source_id ORDER BY started_ms DESC, id DESC
                ) AS newer FROM sync_logs)
            WHERE newer > 1);",
    )?;
    Ok(())
}

/// [`insert_logs`] without marking superseded attempts: for a bulk load, followed by
/// [`mark_superseded`].
pub fn insert_rows(conn: &rusqlite::Connection, logs: &[SyncLog]) -> Result<(), DbError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO sync_logs (id, status, instance, entity_type, source_system, target_system,
            source_id, target_id, operation, started_ms, finished_ms, details, attempts,
            correlation_id, endpoint_id, latest_sync_info, dead_lettered_ms, dead_letter_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut pair =
        conn.prepare_cached("INSERT OR IGNORE INTO instances (name, entity_type) VALUES (?1, ?2)")?;
    let mut reference =
        conn.prepare_cached("INSERT OR IGNORE INTO source_refs (source_id) VALUES (?1)")?;
    for log in logs {
        insert.execute(rusqlite::params![
            log.id,
            log.status.as_wire(),
            log.instance.as_str(),
            log.entity_type.as_str(),
            log.source_system.as_deref(),
            log.target_system.as_deref(),
            log.source_id,
            log.target_id,
            log.operation.as_ref().map(Operation::as_wire),
            log.started_at.timestamp_millis(),
            log.finished_at.map(|t| t.timestamp_millis()),
            log.details,
            log.attempts,
            log.correlation_id,
            log.endpoint_id,
            log.latest_sync_info,
            log.dead_lettered_at.map(|t| t.timestamp_millis()),
            log.dead_letter_reason,
        ])?;
        if let Some(at) = log.dead_lettered_at {
            crate::dead_letter::append_event(
                conn,
                &crate::dead_letter::Event {
                    id: &log.id,
                    at_ms: at.timestamp_millis(),
                    action: "dead_lettered",
                    reason: log.dead_letter_reason.as_deref(),
                    user: crate::dead_letter::PIPELINE,
                    previous_status: None,
                },
            )?;
        }
        pair.execute([log.instance.as_str(), log.entity_type.as_str()])?;
        reference.execute([&log.source_id])?;
    }
    Ok(())
}

fn read_log(row: &Row<'_>) -> rusqlite::Result<Result<SyncLog, DbError>> {
    let started_ms: i64 = row.get("started_ms")?;
    let finished_ms: Option<i64> = row.get("finished_ms")?;
    let Some(started_at) = from_millis(started_ms) else {
        return Ok(Err(DbError::Corrupt(format!("started_ms {started_ms}"))));
    };
    Ok(Ok(SyncLog {
        id: row.get("id")?,
        status: Status::parse(&row.get::<_, String>("status")?),
        instance: row.get::<_, String>("instance")?.into(),
        entity_type: row.get::<_, String>("entity_type")?.into(),
        source_system: row
            .get::<_, Option<String>>("source_system")?
            .map(Name::from),
        target_system: row
            .get::<_, Option<String>>("target_system")?
            .map(Name::from),
        source_id: row.get("source_id")?,
        target_id: row.get("target_id")?,
        operation: row
            .get::<_, Option<String>>("operation")?
            .map(|op| Operation::parse(&op)),
        started_at,
        finished_at: finished_ms.and_then(from_millis),
        details: row.get("details")?,
        attempts: row.get("attempts")?,
        correlation_id: row.get("correlation_id")?,
        endpoint_id: row.get("endpoint_id")?,
        latest_sync_info: row.get("latest_sync_info")?,
        dead_lettered_at: row
            .get::<_, Option<i64>>("dead_lettered_ms")?
            .and_then(from_millis),
        dead_letter_reason: row.get("dead_letter_reason")?,
        flags: Default::default(),
        extras: Default::default(),
    }))
}

pub(crate) fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            started_ms: 1_763_000_000_123,
            id: "10000042".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "v1.", "v2.1.2", "v1.abc.1", "garbage"] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn inserted_attempts_supersede_older_ones_of_the_same_record_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(&dir.path().join("latest.sqlite3")).unwrap();
        let conn = pool.get().unwrap();
        let log = |id: &str, source: &str, status: &str, at: &str| -> SyncLog {
            serde_json::from_value(serde_json::json!({
                "id": id, "status": status, "instance": "i", "entity_type": "order",
                "source_id": source, "started_at": at,
            }))
            .unwrap()
        };
        let unresolved = |conn: &rusqlite::Connection| -> Vec<String> {
            let query = LogQuery {
                latest: true,
                ..LogQuery::default()
            };
            let (rows, _) = list_logs(conn, &query, None, 100).unwrap();
            rows.into_iter().map(|r| r.id).collect()
        };
        insert_logs(&conn, &[log("1", "A", "failed", "2026-11-20T09:00:00Z")]).unwrap();
        insert_logs(&conn, &[log("2", "B", "failed", "2026-11-20T09:30:00Z")]).unwrap();
        assert_eq!(unresolved(&conn), ["2", "1"]);
        // A later success resolves A.
        insert_logs(&conn, &[log("3", "A", "ok", "2026-11-20T10:00:00Z")]).unwrap();
        assert_eq!(unresolved(&conn), ["2"]);
        // An attempt older than the latest (arriving late) is superseded at once.
        insert_logs(&conn, &[log("4", "B", "pending", "2026-11-20T08:00:00Z")]).unwrap();
        assert_eq!(unresolved(&conn), ["2"]);
        // A later failure of A makes it unresolved again, with its latest error.
        insert_logs(&conn, &[log("5", "A", "failed", "2026-11-20T11:00:00Z")]).unwrap();
        assert_eq!(unresolved(&conn), ["5", "2"]);
    }

    /// A record that succeeded, of source `S-<id>`, started `at`.
    fn ok_record(id: u32, at: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": id.to_string(), "status": "ok", "instance": "i", "entity_type": "order",
            "source_id": format!("S-{id}"), "started_at": at,
        }))
        .unwrap()
    }

    /// A store holding `logs`, its indexes built.
    fn store_of(logs: &[SyncLog]) -> (tempfile::TempDir, Pool) {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(&dir.path().join("logs.sqlite3")).unwrap();
        let conn = pool.get().unwrap();
        insert_logs(&conn, logs).unwrap();
        create_indexes(&conn).unwrap();
        drop(conn);
        (dir, pool)
    }

    /// Pages after a cursor, with a tie on the time of the last row of a page: every
    /// record once, in order, whatever the page size.
    #[test]
    fn cursor_pages_read_every_record_once_in_order() {
        // Three records share each second; ids sort as text ("10" < "9").
        let logs: Vec<SyncLog> = (0..30)
            .map(|n| ok_record(n + 1, &format!("2026-11-20T09:00:{:02}Z", n / 3)))
            .collect();
        let (_dir, pool) = store_of(&logs);
        let conn = pool.get().unwrap();
        let (all, _) = list_logs(&conn, &LogQuery::default(), None, 100).unwrap();
        assert_eq!(all.len(), 30);
        for size in [1, 2, 3, 4, 7] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let (page, next) =
                    list_logs(&conn, &LogQuery::default(), after.as_ref(), size).unwrap();
                seen.extend(page.into_iter().map(|r| r.id));
                match next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            let expected: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
            assert_eq!(seen, expected, "pages of {size}");
        }
    }

    /// A page after a cursor is read from the cursor on, through the time index, with
    /// no sort: its cost does not grow with how deep the page is.
    #[test]
    fn a_page_after_a_cursor_starts_its_index_range_at_the_cursor() {
        let logs: Vec<SyncLog> = (0..2_000)
            .map(|n| {
                let at = format!("2026-11-{:02}T09:{:02}:00Z", 2 + n / 100, n % 60);
                ok_record(10_000_000 + n, &at)
            })
            .collect();
        let (_dir, pool) = store_of(&logs);
        let conn = pool.get().unwrap();
        let query = LogQuery {
            from: Some("2026-11-01T00:00:00Z".parse().unwrap()),
            ..LogQuery::default()
        };
        let cursor = Cursor {
            started_ms: 1_763_000_000_123,
            id: "10000042".into(),
        };
        let sql = page_sql(&conn, Scope::Log, &query, Some(&cursor), 100)
            .unwrap()
            .unwrap();
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", sql.text))
            .unwrap();
        let plan: Vec<String> = statement
            .query_map(params_from_iter(sql.args), |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(
            plan[0].contains("USING INDEX sync_logs_started")
                && plan[0].contains("(started_ms,id)<(?,?)"),
            "{plan:?}"
        );
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }
}
