//! Fault injection for tests: rules posted to `/__faults` make matching requests
//! slow or fail, so browser tests can drive error states against the real server.
//! Only mounted with `--enable-faults`; a production-like run has no such route.
//!
//! ```text
//! POST /__faults  {"rules":[{"path":"/api/v1/sync-logs","status":500,"times":1}]}
//! POST /__faults  {"rules":[{"path":"/api/v1/sync-logs","status":429,
//!                            "headers":{"retry-after":"2"},"times":1}]}
//! POST /__faults  {"rules":[{"path":"/api/v1/sync-logs","truncate_to":300}]}
//! DELETE /__faults
//! ```

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::{
    body::Body,
    extract::{OriginalUri, Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use futures_util::StreamExt;
use serde::Deserialize;
use sync_logs_core::ApiErrorBody;

/// One rule: requests whose path is `path`, or lies under it when `path` ends in `/`
/// (and whose query contains `query_contains`, when set), are delayed and/or answered
/// with `status`.
#[derive(Debug, Clone, Deserialize)]
pub struct FaultRule {
    pub path: String,
    #[serde(default)]
    pub query_contains: Option<String>,
    /// Answer with this status instead of the real handler.
    #[serde(default)]
    pub status: Option<u16>,
    /// The body to send with `status`; a JSON API error when absent.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Apply to this many matching requests, then expire; forever when absent.
    #[serde(default)]
    pub times: Option<u32>,
    /// Let the request be handled (and applied), then cut the connection part-way through
    /// the answer: the client sees a network failure for a request that took effect.
    #[serde(default)]
    pub drop_after: bool,
    /// Let the request be handled, send its status, headers and first byte, then hold the
    /// rest of the body back this long (a slow body after prompt headers).
    #[serde(default)]
    pub body_delay_ms: Option<u64>,
    /// Let the request be handled, then send only the first this-many bytes of its
    /// body as if they were all of it (a truncated JSON document with status 200).
    #[serde(default)]
    pub truncate_to: Option<usize>,
    /// Extra response headers, e.g. `{"retry-after": "2"}`.
    #[serde(default)]
    pub headers: std::collections::BTreeMap<String, String>,
}

/// Headers a rule may not set: made-up answers are for error states, never for cookies
/// or a weaker policy on the app's origin.
const REFUSED_HEADERS: [&str; 4] = [
    "set-cookie",
    "content-security-policy",
    "content-security-policy-report-only",
    "x-content-type-options",
];

impl FaultRule {
    /// The first of the rule's headers it may not set.
    fn refused_header(&self) -> Option<String> {
        self.headers
            .keys()
            .map(|name| name.trim().to_ascii_lowercase())
            .find(|name| REFUSED_HEADERS.contains(&name.as_str()))
    }
}

#[derive(Debug, Deserialize)]
struct FaultPlan {
    rules: Vec<FaultRule>,
}

/// The active rules, shared by the middleware and the control routes.
#[derive(Debug, Default, Clone)]
pub struct Faults(Arc<Mutex<Vec<FaultRule>>>);

impl Faults {
    /// Takes one use of the first rule matching the request, if any.
    fn take(&self, path: &str, query: &str) -> Option<FaultRule> {
        let mut rules = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let index = rules.iter().position(|rule| {
            (path == rule.path || (rule.path.ends_with('/') && path.starts_with(&rule.path)))
                && rule
                    .query_contains
                    .as_deref()
                    .is_none_or(|needle| query.contains(needle))
        })?;
        let rule = rules[index].clone();
        match &mut rules[index].times {
            Some(1) => {
                rules.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(rule)
    }

    fn replace(&self, new_rules: Vec<FaultRule>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = new_rules;
    }
}

/// `POST /__generate {"count": 5}`: adds that many new records, started in the last
/// minute, as a live pipeline would (for tests of live refresh).
#[derive(Debug, Deserialize)]
struct Generate {
    count: u64,
}

/// The `/__faults` and `/__generate` control routes.
pub fn control_router(faults: Faults, pool: crate::db::Pool) -> Router {
    let generate = Router::new()
        .route(
            "/__generate",
            post(
                |State(pool): State<crate::db::Pool>, Json(plan): Json<Generate>| async move {
                    let logs = crate::seed::fresh(plan.count.min(10_000), chrono::Utc::now());
                    let inserted = tokio::task::spawn_blocking(move || {
                        let conn = pool.get().map_err(|e| e.to_string())?;
                        crate::db::insert_logs(&conn, &logs).map_err(|e| e.to_string())
                    })
                    .await;
                    match inserted {
                        Ok(Ok(())) => StatusCode::NO_CONTENT,
                        _ => StatusCode::INTERNAL_SERVER_ERROR,
                    }
                },
            ),
        )
        .with_state(pool);
    Router::new()
        .route(
            "/__faults",
            post(
                |State(faults): State<Faults>, Json(plan): Json<FaultPlan>| async move {
                    if let Some(refused) = plan.rules.iter().find_map(FaultRule::refused_header) {
                        return crate::envelope::error(
                            StatusCode::BAD_REQUEST,
                            "refused_header",
                            format!("a fault rule may not set {refused}: it would change the app's cookies or security policy"),
                        );
                    }
                    faults.replace(plan.rules);
                    StatusCode::NO_CONTENT.into_response()
                },
            )
            .delete(|State(faults): State<Faults>| async move {
                faults.replace(Vec::new());
                StatusCode::NO_CONTENT
            }),
        )
        .with_state(faults)
        .merge(generate)
}

/// Middleware applying the first matching rule to a request.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    // Nested routers strip their prefix before the layer runs; rules name the full path.
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |original| original.0.clone());
    let (path, query) = (uri.path(), uri.query().unwrap_or(""));
    let Some(rule) = faults.take(path, query) else {
        return next.run(request).await;
    };
    if let Some(delay) = rule.delay_ms {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if rule.drop_after {
        // Status, headers and a first byte go out, then the connection is cut: the client
        // has started reading an answer it can never finish (a cut before any byte would
        // let a browser silently re-send the request itself).
        let (parts, _) = next.run(request).await.into_parts();
        // The pause lets the server flush what it has before the error aborts it.
        let first = futures_util::stream::once(async { Ok(axum::body::Bytes::from_static(b"{")) });
        let cut = futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Err(std::io::Error::other("connection cut by fault injection"))
        });
        return Response::from_parts(parts, Body::from_stream(first.chain(cut)));
    }
    if let Some(pause) = rule.body_delay_ms {
        let (parts, body) = next.run(request).await.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let rest = bytes.slice(1.min(bytes.len())..);
        let first = futures_util::stream::once(async move {
            Ok::<_, std::io::Error>(bytes.slice(..1.min(bytes.len())))
        });
        let later = futures_util::stream::once(async move {
            tokio::time::sleep(Duration::from_millis(pause)).await;
            Ok(rest)
        });
        let response = Response::from_parts(parts, Body::from_stream(first.chain(later)));
        return with_headers(response, &rule.headers);
    }
    if let Some(keep) = rule.truncate_to {
        let (mut parts, body) = next.run(request).await.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        parts.headers.remove(header::CONTENT_LENGTH);
        let cut = bytes.slice(..keep.min(bytes.len()));
        return with_headers(Response::from_parts(parts, Body::from(cut)), &rule.headers);
    }
    let Some(status) = rule.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        return with_headers(next.run(request).await, &rule.headers);
    };
    let response = match rule.body {
        Some(body) => {
            let content_type = rule
                .content_type
                .unwrap_or_else(|| "application/json".into());
            (
                status,
                [(header::CONTENT_TYPE, content_type)],
                Body::from(body),
            )
                .into_response()
        }
        None => (
            status,
            Json(ApiErrorBody::new(
                "injected_fault",
                format!("fault injected for tests: {status}"),
            )),
        )
            .into_response(),
    };
    with_headers(response, &rule.headers)
}

/// Adds a rule's extra headers (names or values that are not valid HTTP are skipped),
/// and marks the answer as made up, so it is sent as it is.
fn with_headers(
    mut response: Response,
    headers: &std::collections::BTreeMap<String, String>,
) -> Response {
    response.extensions_mut().insert(crate::envelope::Injected);
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::try_from(name.as_str()),
            header::HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(path: &str, times: Option<u32>) -> FaultRule {
        FaultRule {
            path: path.into(),
            query_contains: None,
            status: Some(500),
            body: None,
            content_type: None,
            delay_ms: None,
            times,
            drop_after: false,
            body_delay_ms: None,
            truncate_to: None,
            headers: Default::default(),
        }
    }

    #[test]
    fn counted_rules_expire_and_others_stay() {
        let faults = Faults::default();
        faults.replace(vec![
            rule("/api/v1/sync-logs", Some(2)),
            rule("/api/v1/instances", None),
        ]);
        assert!(faults.take("/api/v1/sync-logs", "").is_some());
        assert!(faults.take("/api/v1/sync-logs", "").is_some());
        assert!(faults.take("/api/v1/sync-logs", "").is_none());
        for _ in 0..5 {
            assert!(faults.take("/api/v1/instances", "").is_some());
        }
    }

    #[test]
    fn a_path_is_exact_unless_it_ends_in_a_slash() {
        let faults = Faults::default();
        faults.replace(vec![
            rule("/api/v1/sync-logs", None),
            rule("/api/v1/runs/", None),
        ]);
        assert!(faults.take("/api/v1/sync-logs", "").is_some());
        assert!(faults.take("/api/v1/sync-logs/summary", "").is_none());
        assert!(faults.take("/api/v1/sync-logs-other", "").is_none());
        assert!(faults.take("/api/v1/runs/7", "").is_some());
        assert!(faults.take("/api/v1/runs", "").is_none());
    }

    #[test]
    fn query_filter_narrows_a_rule() {
        let faults = Faults::default();
        let mut narrow = rule("/api/v1/sync-logs", None);
        narrow.query_contains = Some("instance=".into());
        faults.replace(vec![narrow]);
        assert!(faults.take("/api/v1/sync-logs", "limit=100").is_none());
        assert!(faults
            .take("/api/v1/sync-logs", "instance=x&limit=100")
            .is_some());
    }
}
