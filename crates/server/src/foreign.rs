//! A second API over the same records, shaped unlike the Sync Logs contract, the way an
//! adopter's existing backend might be: every field renamed and some nested, status
//! words of its own, times in epoch seconds, `skip`/`take` offset paging with the total
//! in the body, unknown parameters ignored (as many APIs do), and a replay endpoint that
//! answers `202` with a count. It exists so backend profiles (`docs/backends.md`) are
//! tested against a real server; it is mounted at `/api/foreign` only with
//! `--foreign-api`.
//!
//! - `GET /records?job=&kind=&ref=&state=&batch=&since=&until=&skip=&take=`
//! - `GET /records/{uid}/history`
//! - `GET /jobs`
//! - `POST /replay` with `{"uids": [...]}`

use axum::{
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::{json, Value};
use sync_logs_core::{query::decode_pairs, LogQuery, Status, SyncLog};

use crate::api::{ApiError, AppState};
use crate::db;

/// The largest `take`.
const MAX_TAKE: u64 = 1_000;

/// The routes, to nest under `/api/foreign`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/records", get(records))
        .route("/records/{uid}/history", get(history))
        .route("/jobs", get(jobs))
        .route("/replay", post(replay))
        .with_state(state)
}

/// This API's status words.
fn word(status: &Status) -> String {
    match status.as_wire() {
        "ok" => "DONE".into(),
        "failed" => "ERROR".into(),
        "pending" => "QUEUED".into(),
        "partial_success" => "PARTIAL".into(),
        other => other.to_uppercase(),
    }
}

fn from_word(word: &str) -> String {
    match word {
        "DONE" => "ok".into(),
        "ERROR" => "failed".into(),
        "QUEUED" => "pending".into(),
        "PARTIAL" => "partial_success".into(),
        other => other.to_lowercase(),
    }
}

/// One record in this API's shape.
fn shape(log: &SyncLog) -> Value {
    json!({
        "uid": log.id,
        "state": word(&log.status),
        "job": {"title": log.instance.as_str(), "kind": log.entity_type.as_str()},
        "systems": {"from": log.source_system.as_deref(), "to": log.target_system.as_deref()},
        "ref": log.source_id,
        "dest": {"ref": log.target_id},
        "op": log.operation.as_ref().map(|o| o.as_wire().to_uppercase()),
        "at": log.started_at.timestamp(),
        "done_at": log.finished_at.map(|t| t.timestamp()),
        "note": log.details,
        "tries": log.attempts,
        "batch": log.correlation_id,
        "endpoint": log.endpoint_id,
        "info": log.latest_sync_info,
        "region": format!("eu-{}", log.source_id.len() % 3 + 1),
    })
}

/// The query this API understands; everything else is ignored.
fn query_of(pairs: &[(String, String)]) -> (LogQuery, u64, u64) {
    let mut query = LogQuery::default();
    let (mut skip, mut take) = (0, 100);
    let time = |v: &str| {
        v.parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
    };
    for (key, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "job" => query.instance = Some(value.to_owned()),
            "kind" => query.entity_type = Some(value.to_owned()),
            "ref" => query.source_id = Some(value.to_owned()),
            "batch" => query.correlation_id = Some(value.to_owned()),
            "state" => query
                .statuses
                .extend(value.split(',').map(|w| from_word(w.trim()))),
            "uid" => query.ids.extend(value.split(',').map(str::to_owned)),
            "since" => query.from = time(value),
            "until" => query.to = time(value),
            "skip" => skip = value.parse().unwrap_or(0),
            "take" => take = value.parse::<u64>().unwrap_or(100).clamp(1, MAX_TAKE),
            _ => {}
        }
    }
    (query, skip, take)
}

/// Every record matching `query`, newest first.
fn matching(
    conn: &r2d2_sqlite::rusqlite::Connection,
    query: &LogQuery,
) -> Result<Vec<SyncLog>, db::DbError> {
    let mut rows = Vec::new();
    let mut cursor = None;
    loop {
        let (page, next) = db::list_logs(conn, query, cursor.as_ref(), 10_000)?;
        rows.extend(page);
        match next {
            Some(next) if rows.len() < 500_000 => cursor = Some(next),
            _ => return Ok(rows),
        }
    }
}

async fn records(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let (query, skip, take) = query_of(&pairs);
    let pool = state.pool.clone();
    let (total, page) = tokio::task::spawn_blocking(move || {
        let conn = pool.get().map_err(db::DbError::from)?;
        let rows = matching(&conn, &query)?;
        let page: Vec<Value> = rows
            .iter()
            .skip(skip as usize)
            .take(take as usize)
            .map(shape)
            .collect();
        Ok::<_, db::DbError>((rows.len(), page))
    })
    .await
    .map_err(|join| ApiError::Internal(join.to_string()))??;
    Ok(Json(json!({ "total": total, "records": page })))
}

async fn history(
    State(state): State<AppState>,
    Path(uid): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let pool = state.pool.clone();
    let wanted = uid.clone();
    let found = tokio::task::spawn_blocking(move || {
        let conn = pool.get().map_err(db::DbError::from)?;
        db::list_attempts(&conn, &wanted)
    })
    .await
    .map_err(|join| ApiError::Internal(join.to_string()))??;
    let items = found.ok_or_else(|| ApiError::NotFound(format!("no record has uid {uid:?}")))?;
    Ok(Json(
        json!({ "records": items.iter().map(shape).collect::<Vec<_>>() }),
    ))
}

async fn jobs(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let pool = state.pool.clone();
    let instances = tokio::task::spawn_blocking(move || {
        let conn = pool.get().map_err(db::DbError::from)?;
        db::list_instances(&conn)
    })
    .await
    .map_err(|join| ApiError::Internal(join.to_string()))??;
    let jobs: Vec<Value> = instances
        .iter()
        .map(|i| json!({"title": i.name, "kinds": i.entity_types}))
        .collect();
    Ok(Json(Value::from(jobs)))
}

/// Queues the records for another attempt, as the native resync does, and answers how
/// many were accepted.
async fn replay(State(state): State<AppState>, Json(body): Json<Value>) -> Response {
    let uids: Vec<String> = body
        .get("uids")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if uids.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": "send {\"uids\": [...]}"})),
        )
            .into_response();
    }
    let pool = state.pool.clone();
    let now = chrono::Utc::now().timestamp_millis();
    let applied = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(db::DbError::from)?;
        crate::resync::apply(&mut conn, &uids, now, state.max_attempts)
    })
    .await;
    match applied {
        Ok(Ok(results)) => {
            let accepted = results
                .iter()
                .filter(|r| r.outcome == sync_logs_core::ResyncOutcome::Queued)
                .count();
            (StatusCode::ACCEPTED, Json(json!({ "accepted": accepted }))).into_response()
        }
        Ok(Err(err)) => ApiError::from(err).into_response(),
        Err(join) => ApiError::Internal(join.to_string()).into_response(),
    }
}
