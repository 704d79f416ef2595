//! The API calls. Bodies are read as bytes and decoded with `serde_json` in wasm, which
//! is faster and lighter than building a JS object graph first; the status is checked
//! before anything is decoded.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use sync_logs_core::{
    AttemptsResponse, InstancesResponse, LogQuery, RunsResponse, SyncLog, SyncLogPage,
};
use web_sys::{AbortSignal, RequestCredentials};

use super::error::{excerpt, ApiError};

/// What a paged load produced: every row received, and the error that stopped it early.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOutcome {
    pub rows: Vec<SyncLog>,
    pub error: Option<ApiError>,
}

/// A client for one backend, named by `api_base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    base_url: String,
}

impl ApiClient {
    /// `base_url` is absolute or relative to the page (e.g. `/api/v1`).
    pub fn new(base_url: impl Into<String>) -> ApiClient {
        ApiClient {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
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
        self.get_json("/instances", signal).await
    }

    /// `GET /sync-logs/{id}/attempts`: every attempt of that record, oldest first.
    pub async fn attempts(
        &self,
        id: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<AttemptsResponse, ApiError> {
        // A path segment: every character outside the unreserved set is escaped.
        let id = String::from(js_sys::encode_uri_component(id));
        self.get_json(&format!("/sync-logs/{id}/attempts"), signal)
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
        self.get_json(&format!("/runs?{encoded}"), None).await
    }

    /// One page of `GET /sync-logs`.
    pub async fn sync_logs_page(
        &self,
        query: &LogQuery,
        cursor: Option<&str>,
        signal: Option<&AbortSignal>,
    ) -> Result<SyncLogPage, ApiError> {
        let mut path = format!("/sync-logs?{}", query.to_query_string());
        if let Some(cursor) = cursor {
            path.push('&');
            path.push_str(&sync_logs_core::query::encode_pairs([("cursor", cursor)]));
        }
        self.get_json(&path, signal).await
    }

    /// Loads up to `query.limit` records, following `next_cursor` page by page (at most
    /// `page_size` per request) and reporting the running count after each page. Rows
    /// received before a failure or a cancel are returned with the error that stopped it.
    pub async fn load_logs(
        &self,
        query: &LogQuery,
        page_size: u32,
        signal: Option<&AbortSignal>,
        mut on_progress: impl FnMut(usize),
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
                .sync_logs_page(&page_query, cursor.as_deref(), signal)
                .await
            {
                Ok(page) => page,
                Err(error) => {
                    return LoadOutcome {
                        rows,
                        error: Some(error),
                    }
                }
            };
            let received = page.items.len();
            if rows.is_empty() && page.next_cursor.is_some() {
                // More pages follow: make room for all of them once, rather than growing
                // by doubling (wasm memory never shrinks, so the peak is what stays).
                rows.reserve_exact(remaining);
            }
            rows.extend(page.items.into_iter().take(remaining));
            on_progress(rows.len());
            match page.next_cursor {
                // An empty page with a cursor would loop forever; treat it as the end.
                Some(next) if received > 0 && rows.len() < total => cursor = Some(next),
                _ => {
                    rows.shrink_to_fit();
                    return LoadOutcome { rows, error: None };
                }
            }
        }
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        let url = format!("{}{}", self.base_url, path);
        let aborted = || signal.is_some_and(AbortSignal::aborted);
        let response = Request::get(&url)
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json")
            .abort_signal(signal)
            .send()
            .await
            .map_err(|err| {
                if aborted() {
                    ApiError::Aborted
                } else {
                    ApiError::Network(err.to_string())
                }
            })?;
        let status = response.status();
        let body = response.binary().await.map_err(|err| {
            if aborted() {
                ApiError::Aborted
            } else {
                ApiError::Network(format!("the answer was cut off: {err}"))
            }
        })?;
        if !response.ok() {
            return Err(ApiError::from_status(status, &body));
        }
        serde_json::from_slice(&body).map_err(|err| ApiError::Decode {
            status,
            detail: err.to_string(),
            excerpt: excerpt(&body),
        })
    }
}
