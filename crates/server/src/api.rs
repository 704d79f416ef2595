//! The v1 API routes (`/api/v1/…`) and their errors, which always answer
//! `{"error":{"code","message"}}` with a fitting status code.

use axum::{
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use sync_logs_core::{
    query::{decode_pairs, MAX_PAGE_SIZE},
    runs::group_runs,
    summary::{parse_buckets, SummaryResponse},
    wire::MAX_REASON_CHARS,
    ApiErrorBody, AttemptsResponse, DiscardRequest, EventsResponse, InstancesResponse, LogQuery,
    ResyncRequest, ResyncResponse, ResyncResult, RunsResponse, SyncLog, SyncLogPage,
};
use thiserror::Error;

use crate::db::{self, Cursor, DbError, Pool, Scope};
use crate::dead_letter;
use crate::resync::{self, Begin, MAX_IDS};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    /// Whether `GET /sync-logs/summary` is offered (off: it answers 404, as on a backend
    /// that has none).
    pub summary: bool,
    /// Whether the dead-letter endpoints are offered (off: 404, as on a backend without
    /// a queue).
    pub dead_letter: bool,
    /// The attempts a record gets before it is dead-lettered (`--max-attempts`).
    pub max_attempts: u32,
    /// Reads that scan a whole range (runs, summaries) at once; the rest wait.
    pub heavy: Heavy,
}

/// How many range-wide reads run at once, and how long one waits for its turn before it
/// is answered 503 with `Retry-After` (so a burst of them cannot take every database
/// connection and starve the cheap requests).
#[derive(Clone)]
pub struct Heavy {
    slots: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl Heavy {
    pub fn new(at_once: usize, wait: std::time::Duration) -> Heavy {
        Heavy {
            slots: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
            wait,
        }
    }

    /// A turn, or [`ApiError::Busy`] when none comes within the wait.
    async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        let slots = self.slots.clone();
        match tokio::time::timeout(self.wait, slots.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(ApiError::Busy),
        }
    }
}

/// Seconds a client is told to wait when the server is busy.
const RETRY_AFTER_SECONDS: &str = "2";

/// Why a request failed, as the client sees it.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("no such resource: {0}")]
    NotFound(String),
    /// A request that conflicts with the server's state (409, 422).
    #[error("{message}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the request could not be completed: {0}")]
    Internal(String),
    /// Too many range-wide reads at once, or no database connection free in time.
    #[error("the server is busy; try again in a few seconds")]
    Busy,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, *code),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Refused { status, code, .. } => (*status, *code),
            ApiError::Db(DbError::Pool(_)) | ApiError::Busy => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy")
            }
            ApiError::Db(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let message = match status {
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Busy.to_string(),
            // The detail (a database message, …) is for the server's log only.
            _ if status.is_server_error() => {
                eprintln!("sync-logs-server: {self}");
                crate::envelope::INTERNAL_MESSAGE.to_owned()
            }
            _ => self.to_string(),
        };
        let mut response = (status, Json(ApiErrorBody::new(code, message))).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

/// The `/api/v1` router.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    if state.summary {
        router = router.route("/sync-logs/summary", get(summary));
    }
    if state.dead_letter {
        router = router
            .route("/dead-letter", get(dead_letter_list))
            .route("/dead-letter/summary", get(dead_letter_summary))
            .route("/dead-letter/replay", post(replay))
            .route("/dead-letter/discard", post(discard))
            .route("/dead-letter/restore", post(restore));
    }
    router
        .route("/instances", get(instances))
        .route("/sync-logs", get(sync_logs))
        .route("/sync-logs/resync", post(resync_records))
        .route("/sync-logs/{id}", get(sync_log))
        .route("/sync-logs/{id}/attempts", get(attempts))
        .route("/sync-logs/{id}/events", get(events))
        .route("/runs", get(runs))
        .fallback(|| async { ApiError::NotFound("this API path does not exist".into()) })
        .with_state(state)
}

/// Runs blocking database work off the async executor.
async fn with_conn<T, F>(pool: &Pool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut r2d2_sqlite::rusqlite::Connection) -> Result<T, DbError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || work(&mut *pool.get().map_err(DbError::from)?))
        .await
        .map_err(|join| ApiError::Internal(join.to_string()))?
        .map_err(ApiError::from)
}

async fn instances(State(state): State<AppState>) -> Result<Json<InstancesResponse>, ApiError> {
    let instances = with_conn(&state.pool, |conn| db::list_instances(conn)).await?;
    Ok(Json(InstancesResponse { instances }))
}

async fn sync_logs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list(state, Scope::Log, raw).await
}

/// `GET /dead-letter`: the queue, with the log's filters and paging.
async fn dead_letter_list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    list(state, Scope::DeadLetter, raw).await
}

/// The header repeating a page's `next_cursor`: read before the body, it lets a client
/// ask for the next page while it reads this one (docs/api.md).
pub const NEXT_CURSOR_HEADER: &str = "next-cursor";

async fn list(state: AppState, scope: Scope, raw: Option<String>) -> Result<Response, ApiError> {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let query = parse_query(&pairs)?;
    let cursor = match pairs.iter().find(|(k, _)| k == "cursor") {
        Some((_, raw)) if !raw.is_empty() => {
            Some(Cursor::decode(raw).ok_or_else(|| ApiError::BadRequest {
                code: "invalid_cursor",
                message: "cursor is not one this server issued; start again without it".into(),
            })?)
        }
        _ => None,
    };
    let page_size = query.limit.min(MAX_PAGE_SIZE);
    let (items, next) = with_conn(&state.pool, move |conn| {
        db::list_in(conn, scope, &query, cursor.as_ref(), page_size)
    })
    .await?;
    let next_cursor = next.map(|c| c.encode());
    let header = next_cursor
        .as_deref()
        .and_then(|c| HeaderValue::from_str(c).ok());
    let mut response = Json(SyncLogPage { items, next_cursor }).into_response();
    if let Some(value) = header {
        response
            .headers_mut()
            .insert(HeaderName::from_static(NEXT_CURSOR_HEADER), value);
    }
    Ok(response)
}

async fn sync_log(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SyncLog>, ApiError> {
    let wanted = id.clone();
    with_conn(&state.pool, move |conn| db::get_log(conn, &wanted))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no record has sync id {id:?}")))
}

/// `GET /sync-logs/summary`: the list's filters (its limit and cursor aside) plus
/// `buckets`; the total, the count per status and the counts per time bucket.
async fn summary(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SummaryResponse>, ApiError> {
    summarize(state, Scope::Log, raw).await
}

/// `GET /dead-letter/summary`: [`summary`] of the queue.
async fn dead_letter_summary(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SummaryResponse>, ApiError> {
    summarize(state, Scope::DeadLetter, raw).await
}

async fn summarize(
    state: AppState,
    scope: Scope,
    raw: Option<String>,
) -> Result<Json<SummaryResponse>, ApiError> {
    let mut pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let buckets = pairs
        .iter()
        .position(|(k, _)| k == "buckets")
        .map(|at| pairs.remove(at).1);
    let buckets = parse_buckets(buckets.as_deref()).map_err(|message| ApiError::BadRequest {
        code: "invalid_buckets",
        message,
    })?;
    pairs.retain(|(k, _)| k != "limit" && k != "cursor");
    let query = parse_query(&pairs)?;
    let _turn = state.heavy.turn().await?;
    let now = chrono::Utc::now();
    let body = with_conn(&state.pool, move |conn| {
        db::summarize(conn, scope, &query, buckets, now)
    })
    .await?;
    Ok(Json(body))
}

/// The list's filters, validated by the rules the app builds them with.
fn parse_query(pairs: &[(String, String)]) -> Result<LogQuery, ApiError> {
    LogQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|err| {
        ApiError::BadRequest {
            code: err.code(),
            message: err.to_string(),
        }
    })
}

/// The most records `GET /runs` groups (the newest, for wide ranges).
const MAX_RUN_RECORDS: u32 = 200_000;
/// The range `GET /runs` covers without `from`: this many days up to `to` (or, without
/// it, up to the newest record).
const RUNS_DEFAULT_DAYS: i64 = 31;
/// The widest range `GET /runs` groups, as wide as the app's `max_range_days` goes.
const RUNS_MAX_DAYS: i64 = 366;

/// `GET /runs`: the records matching the query (the log's parameters, plus
/// `gap_minutes`, default 10) grouped into runs, newest first.
async fn runs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RunsResponse>, ApiError> {
    let mut pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let gap = match pairs.iter().position(|(k, _)| k == "gap_minutes") {
        Some(at) => {
            let (_, value) = pairs.remove(at);
            value
                .parse::<i64>()
                .ok()
                .filter(|m| (1..=1_440).contains(m))
                .ok_or_else(|| ApiError::BadRequest {
                    code: "invalid_gap_minutes",
                    message: "gap_minutes must be a whole number from 1 to 1440".into(),
                })?
        }
        None => 10,
    };
    pairs.retain(|(k, _)| k != "limit");
    let mut query = parse_query(&pairs)?;
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if to - from > chrono::Duration::days(RUNS_MAX_DAYS) {
            return Err(bad_request(
                "invalid_range",
                format!("runs cover at most {RUNS_MAX_DAYS} days; narrow from and to"),
            ));
        }
    }
    let _turn = state.heavy.turn().await?;
    let items = with_conn(&state.pool, move |conn| {
        if query.from.is_none() {
            let end = match query.to {
                Some(to) => Some(to),
                None => db::newest_start(conn)?,
            };
            query.from = end.map(|end| end - chrono::Duration::days(RUNS_DEFAULT_DAYS));
        }
        let mut rows = Vec::new();
        let mut cursor = None;
        loop {
            let want = (MAX_RUN_RECORDS as usize - rows.len()).min(MAX_PAGE_SIZE as usize) as u32;
            let (page, next) = db::list_logs(conn, &query, cursor.as_ref(), want)?;
            rows.extend(page);
            match next {
                Some(next) if rows.len() < MAX_RUN_RECORDS as usize => cursor = Some(next),
                _ => break,
            }
        }
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let runs = group_runs(&rows, &all, chrono::Duration::minutes(gap));
        Ok::<_, db::DbError>(runs.iter().map(|run| run.summary(&rows)).collect())
    })
    .await?;
    Ok(Json(RunsResponse { items }))
}

/// `GET /sync-logs/{id}/attempts`: every attempt of that record, oldest first.
async fn attempts(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<AttemptsResponse>, ApiError> {
    let wanted = id.clone();
    with_conn(&state.pool, move |conn| db::list_attempts(conn, &wanted))
        .await?
        .map(|items| Json(AttemptsResponse { items }))
        .ok_or_else(|| ApiError::NotFound(format!("no record has sync id {id:?}")))
}

/// `GET /sync-logs/{id}/events`: the record's audit trail, oldest first.
async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EventsResponse>, ApiError> {
    let wanted = id.clone();
    with_conn(&state.pool, move |conn| {
        dead_letter::list_events(conn, &wanted)
    })
    .await?
    .map(|items| Json(EventsResponse { items }))
    .ok_or_else(|| ApiError::NotFound(format!("no record has sync id {id:?}")))
}

/// `POST /sync-logs/resync`: applied once per `Idempotency-Key` (see `resync.rs`).
async fn resync_records(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let max = state.max_attempts;
    idempotent(state, "resync", &headers, body, move |conn, text, now| {
        let request = ids_of(text)?;
        Ok(resync::apply(conn, &request.ids, now, max)?)
    })
    .await
}

/// `POST /dead-letter/replay {ids}`: each record gets a fresh attempt budget and is
/// queued again; once per `Idempotency-Key`, like resync.
async fn replay(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = dead_letter::requester(user_header(&headers));
    idempotent(state, "replay", &headers, body, move |conn, text, now| {
        let request = ids_of(text)?;
        Ok(dead_letter::replay(conn, &request.ids, now, &user)?)
    })
    .await
}

/// `POST /dead-letter/discard {ids, reason}`: the records leave the queue as `discarded`;
/// the reason is required (1 to 500 characters).
async fn discard(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = dead_letter::requester(user_header(&headers));
    idempotent(state, "discard", &headers, body, move |conn, text, now| {
        let request: DiscardRequest = serde_json::from_str(text).map_err(|err| {
            bad_request(
                "invalid_body",
                format!("the body must be {{\"ids\":[…],\"reason\":\"…\"}}: {err}"),
            )
        })?;
        check_ids(&request.ids)?;
        let reason = request.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(bad_request(
                "invalid_reason",
                format!("say why the records are discarded, in 1 to {MAX_REASON_CHARS} characters"),
            ));
        }
        Ok(dead_letter::discard(
            conn,
            &request.ids,
            reason,
            now,
            &user,
        )?)
    })
    .await
}

/// `POST /dead-letter/restore {ids}`: undoes discards, putting each record back in the
/// queue as it was.
async fn restore(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = dead_letter::requester(user_header(&headers));
    idempotent(state, "restore", &headers, body, move |conn, text, now| {
        let request = ids_of(text)?;
        Ok(dead_letter::restore(conn, &request.ids, now, &user)?)
    })
    .await
}

/// The requester the host portal's proxy names, if any.
fn user_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-sync-logs-user")
        .and_then(|v| v.to_str().ok())
}

fn bad_request(code: &'static str, message: String) -> ApiError {
    ApiError::BadRequest { code, message }
}

/// A `{"ids":[…]}` body with 1 to [`MAX_IDS`] ids, none blank.
fn ids_of(text: &str) -> Result<ResyncRequest, ApiError> {
    let request: ResyncRequest = serde_json::from_str(text).map_err(|err| {
        bad_request(
            "invalid_body",
            format!("the body must be {{\"ids\":[…]}}: {err}"),
        )
    })?;
    check_ids(&request.ids)?;
    Ok(request)
}

fn check_ids(ids: &[String]) -> Result<(), ApiError> {
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(bad_request(
            "invalid_ids",
            format!(
                "send from 1 to {MAX_IDS} ids per request, got {}",
                ids.len()
            ),
        ));
    }
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(bad_request("invalid_ids", "an id is empty".into()));
    }
    if ids.iter().any(|id| id.chars().count() > MAX_ID_CHARS) {
        return Err(bad_request(
            "invalid_ids",
            format!("an id is longer than {MAX_ID_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The longest record id a request may name.
const MAX_ID_CHARS: usize = 256;

/// Why an idempotent request was not applied.
enum Held {
    Begin(Begin),
    Invalid(ApiError),
}

/// Applies a state-changing request once per `Idempotency-Key` (see `resync.rs`): the
/// body is checked by `apply`, which answers one result per id. Keys are per endpoint.
async fn idempotent<F>(
    state: AppState,
    endpoint: &'static str,
    headers: &HeaderMap,
    body: Bytes,
    apply: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(
            &mut r2d2_sqlite::rusqlite::Connection,
            &str,
            i64,
        ) -> Result<Vec<ResyncResult>, ApiError>
        + Send
        + 'static,
{
    let bad = |code, message: String| ApiError::BadRequest { code, message };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            bad(
                "missing_idempotency_key",
                "send an Idempotency-Key header (a fresh UUID per batch) so a retried request is applied once".into(),
            )
        })?
        .to_owned();
    if !resync::valid_key(&key) {
        return Err(bad(
            "invalid_idempotency_key",
            format!(
                "an Idempotency-Key is 1 to {} printable ASCII characters, such as a UUID",
                resync::MAX_KEY_CHARS
            ),
        ));
    }
    let key = format!("{endpoint}:{key}");
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| bad("invalid_body", "the body is not UTF-8 text".into()))?;
    let now = chrono::Utc::now().timestamp_millis();
    let outcome = with_conn(&state.pool, move |conn| {
        match resync::begin(conn, &key, &text, now)? {
            Begin::New => {}
            refused => return Ok(Err(Held::Begin(refused))),
        }
        match apply(conn, &text, now) {
            Ok(results) => {
                let body = serde_json::to_string(&ResyncResponse { results })
                    .map_err(|err| DbError::Corrupt(err.to_string()))?;
                resync::finish(conn, &key, 202, &body)?;
                Ok(Ok(body))
            }
            Err(err) => {
                // Nothing was applied: let a corrected retry with the same key through.
                resync::abandon(conn, &key)?;
                match err {
                    ApiError::Db(err) => Err(err),
                    invalid => Ok(Err(Held::Invalid(invalid))),
                }
            }
        }
    })
    .await?;
    let json = |status: StatusCode, body: String| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    match outcome {
        Ok(body) => Ok(json(StatusCode::ACCEPTED, body)),
        Err(Held::Invalid(err)) => Err(err),
        Err(Held::Begin(Begin::Replay { status, body })) => Ok(json(
            StatusCode::from_u16(status).unwrap_or(StatusCode::ACCEPTED),
            body,
        )),
        Err(Held::Begin(Begin::InFlight)) => Err(ApiError::Refused {
            status: StatusCode::CONFLICT,
            code: "idempotency_key_in_flight",
            message: "a request with this Idempotency-Key is still being applied; retry shortly with the same key".into(),
        }),
        Err(Held::Begin(Begin::Mismatch | Begin::New)) => Err(ApiError::Refused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "idempotency_key_reused",
            message: "this Idempotency-Key was used with a different body; use a fresh key for a new request".into(),
        }),
    }
}
