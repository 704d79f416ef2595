//! The API calls. Bodies are read as bytes and decoded with `serde_json` in wasm, which
//! is faster and lighter than building a JS object graph first; the status is checked
//! before anything is decoded.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use std::time::Duration;

use sync_logs_core::retry::{next_delay, TryOutcome, MAX_TRIES};
use sync_logs_core::wire::drop_duplicate_ids;
use sync_logs_core::{
    AttemptsResponse, InstancesResponse, LogQuery, RunsResponse, SyncLog, SyncLogPage,
};
use web_sys::{AbortSignal, RequestCredentials};

use super::error::{excerpt, ApiError};
use super::transport::{authorization, exchange, Answer, NoAnswer};

/// What a paged load produced: every row received, and the error that stopped it early.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOutcome {
    pub rows: Vec<SyncLog>,
    pub error: Option<ApiError>,
    /// Records dropped because an earlier one had the same id.
    pub duplicates: usize,
}

/// A request being tried again: which try comes next, after how long, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNotice {
    pub next_try: u32,
    pub max_tries: u32,
    pub wait: Duration,
    pub reason: ApiError,
}

/// What happens during a paged load, as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadEvent {
    /// This many rows have arrived in all.
    Received(usize),
    /// The last request failed and is about to be tried again.
    Retrying(RetryNotice),
}

/// A client for one backend, named by `api_base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    base_url: String,
    /// The deadline of each request, in milliseconds.
    timeout_ms: u32,
}

impl ApiClient {
    /// `base_url` is absolute or relative to the page (e.g. `/api/v1`); each request
    /// gives up after `timeout_seconds` (0: never).
    pub fn new(base_url: impl Into<String>, timeout_seconds: u32) -> ApiClient {
        ApiClient {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            timeout_ms: timeout_seconds.saturating_mul(1000),
        }
    }

    /// The deadline of each request, in milliseconds (0: none).
    pub(crate) fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// The base URL, without a trailing slash.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET /instances`.
    pub async fn instances(
        &self,
        signal: Option<&AbortSignal>,
    ) -> Result<InstancesResponse, ApiError> {
        self.get_json("/instances", signal, &mut |_| {}).await
    }

    /// `GET /sync-logs/{id}/attempts`: every attempt of that record, oldest first.
    pub async fn attempts(
        &self,
        id: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<AttemptsResponse, ApiError> {
        // A path segment: every character outside the unreserved set is escaped.
        let id = String::from(js_sys::encode_uri_component(id));
        self.get_json(&format!("/sync-logs/{id}/attempts"), signal, &mut |_| {})
            .await
    }

    /// `GET /runs` for `query` (its limit left out), grouping records without a
    /// correlation id by pauses longer than `gap`.
    pub async fn runs(
        &self,
        query: &LogQuery,
        gap: chrono::Duration,
    ) -> Result<RunsResponse, ApiError> {
        let pairs: Vec<(&str, String)> = query
            .to_pairs()
            .into_iter()
            .filter(|(k, _)| *k != "limit")
            .chain([("gap_minutes", gap.num_minutes().to_string())])
            .collect();
        let encoded =
            sync_logs_core::query::encode_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        self.get_json(&format!("/runs?{encoded}"), None, &mut |_| {})
            .await
    }

    /// One page of `GET /sync-logs`.
    pub async fn sync_logs_page(
        &self,
        query: &LogQuery,
        cursor: Option<&str>,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<SyncLogPage, ApiError> {
        let mut path = format!("/sync-logs?{}", query.to_query_string());
        if let Some(cursor) = cursor {
            path.push('&');
            path.push_str(&sync_logs_core::query::encode_pairs([("cursor", cursor)]));
        }
        self.get_json(&path, signal, on_retry).await
    }

    /// Loads up to `query.limit` records, following `next_cursor` page by page (at most
    /// `page_size` per request) and reporting the running count after each page, and each
    /// retry. Rows received before a failure or a cancel are returned with the error that
    /// stopped it.
    pub async fn load_logs(
        &self,
        query: &LogQuery,
        page_size: u32,
        signal: Option<&AbortSignal>,
        mut on_event: impl FnMut(LoadEvent),
    ) -> LoadOutcome {
        let total = query.limit as usize;
        let mut rows: Vec<SyncLog> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let remaining = total - rows.len();
            let page_query = LogQuery {
                limit: (remaining as u32).min(page_size.max(1)),
                ..query.clone()
            };
            let page = match self
                .sync_logs_page(&page_query, cursor.as_deref(), signal, &mut |notice| {
                    on_event(LoadEvent::Retrying(notice))
                })
                .await
            {
                Ok(page) => page,
                Err(error) => {
                    let duplicates = drop_duplicate_ids(&mut rows);
                    return LoadOutcome {
                        rows,
                        error: Some(error),
                        duplicates,
                    };
                }
            };
            let received = page.items.len();
            if rows.is_empty() && page.next_cursor.is_some() {
                // More pages follow: make room for all of them once, rather than growing
                // by doubling (wasm memory never shrinks, so the peak is what stays).
                rows.reserve_exact(remaining);
            }
            rows.extend(page.items.into_iter().take(remaining));
            on_event(LoadEvent::Received(rows.len()));
            match page.next_cursor {
                // An empty page with a cursor would loop forever; treat it as the end.
                Some(next) if received > 0 && rows.len() < total => cursor = Some(next),
                _ => {
                    let duplicates = drop_duplicate_ids(&mut rows);
                    rows.shrink_to_fit();
                    return LoadOutcome {
                        rows,
                        error: None,
                        duplicates,
                    };
                }
            }
        }
    }

    /// `GET` with the retry policy of `sync_logs_core::retry`: network failures, 5xx and
    /// 429 are tried again after a capped, jittered backoff (or the server's
    /// `Retry-After`); other statuses, timeouts and unreadable bodies are final. While the
    /// browser says it is offline nothing is retried: the page waits for the connection.
    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<T, ApiError> {
        decode(&self.get_ok(path, signal, on_retry).await?)
    }

    /// The 2xx answer to a `GET`, after the retries; not generic, so the retry loop is
    /// compiled once rather than once per answer type.
    async fn get_ok(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<Answer, ApiError> {
        let url = format!("{}{}", self.base_url, path);
        let mut tries = 0;
        loop {
            tries += 1;
            let (outcome, error) = match self.get_once(&url, signal).await {
                Ok(answer) if answer.ok => return Ok(answer),
                Ok(answer) => (
                    Some(TryOutcome::Status(answer.status, answer.retry_after)),
                    ApiError::from_status(answer.status, &answer.body),
                ),
                Err(NoAnswer { outcome, error }) => (outcome, error),
            };
            let wait = outcome
                .filter(|_| browser_online())
                .and_then(|outcome| next_delay(outcome, tries, js_sys::Math::random()));
            let Some(wait) = wait else {
                return Err(error);
            };
            on_retry(RetryNotice {
                next_try: tries + 1,
                max_tries: MAX_TRIES,
                wait,
                reason: error,
            });
            gloo_timers::future::sleep(wait).await;
        }
    }

    async fn get_once(&self, url: &str, signal: Option<&AbortSignal>) -> Result<Answer, NoAnswer> {
        exchange(
            |signal| {
                let mut request = Request::get(url)
                    .credentials(RequestCredentials::Include)
                    .header("Accept", "application/json");
                if let Some(auth) = authorization() {
                    request = request.header("Authorization", &auth);
                }
                request.abort_signal(Some(signal)).build()
            },
            signal,
            self.timeout_ms,
        )
        .await
    }
}

/// Decodes a 2xx body, or says why it could not be read.
fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    serde_json::from_slice(&answer.body).map_err(|err| ApiError::Decode {
        status: answer.status,
        detail: err.to_string(),
        excerpt: excerpt(&answer.body),
    })
}

/// `navigator.onLine`: false only when the browser knows it has no network.
pub(crate) fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
