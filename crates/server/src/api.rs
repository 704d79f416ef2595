//! The v1 API routes (`/api/v1/…`) and their errors, which always answer
//! `{"error":{"code","message"}}` with a fitting status code.

use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use sync_logs_core::{
    query::{decode_pairs, MAX_PAGE_SIZE},
    ApiErrorBody, InstancesResponse, LogQuery, SyncLogPage,
};
use thiserror::Error;

use crate::db::{self, Cursor, DbError, Pool};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
}

/// Why a request failed, as the client sees it.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("no such resource: {0}")]
    NotFound(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the request could not be completed: {0}")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, *code),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Db(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        if status.is_server_error() {
            eprintln!("sync-logs-server: {self}");
        }
        (status, Json(ApiErrorBody::new(code, self.to_string()))).into_response()
    }
}

/// The `/api/v1` router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/instances", get(instances))
        .route("/sync-logs", get(sync_logs))
        .fallback(|| async { ApiError::NotFound("this API path does not exist".into()) })
        .with_state(state)
}

/// Runs blocking database work off the async executor.
async fn with_conn<T, F>(pool: &Pool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&r2d2_sqlite::rusqlite::Connection) -> Result<T, DbError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || work(&*pool.get().map_err(DbError::from)?))
        .await
        .map_err(|join| ApiError::Internal(join.to_string()))?
        .map_err(ApiError::from)
}

async fn instances(State(state): State<AppState>) -> Result<Json<InstancesResponse>, ApiError> {
    let instances = with_conn(&state.pool, db::list_instances).await?;
    Ok(Json(InstancesResponse { instances }))
}

async fn sync_logs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SyncLogPage>, ApiError> {
    let pairs = decode_pairs(raw.as_deref().unwrap_or(""));
    let query = LogQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(
        |err| ApiError::BadRequest {
            code: err.code(),
            message: err.to_string(),
        },
    )?;
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
        db::list_logs(conn, &query, cursor.as_ref(), page_size)
    })
    .await?;
    Ok(Json(SyncLogPage {
        items,
        next_cursor: next.map(|c| c.encode()),
    }))
}
