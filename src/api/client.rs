//! The API calls. Bodies are read as bytes and decoded with `serde_json` in wasm, which
//! is faster and lighter than building a JS object graph first; the status is checked
//! before anything is decoded.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use std::time::Duration;

use std::sync::Arc;

use sync_logs_core::profile::{BackendProfile, Credentials};
use sync_logs_core::retry::{next_delay, TryOutcome, MAX_TRIES};
use sync_logs_core::verify::Unapplied;
use sync_logs_core::wire::{body_text, drop_duplicate_ids};
use sync_logs_core::{
    AttemptsResponse, EventsResponse, InstancesResponse, LogQuery, RunsResponse, SyncLog,
    SyncLogPage,
};
use web_sys::{AbortSignal, RequestCredentials};

use super::error::{excerpt, ApiError};
use super::transport::{authorization, exchange, Answer, NoAnswer, OnHeaders};

/// What a paged load produced: every row received, and the error that stopped it early.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadOutcome {
    pub rows: Vec<SyncLog>,
    pub error: Option<ApiError>,
    /// Records dropped because an earlier one had the same id.
    pub duplicates: usize,
    /// Filters of the query the backend did not apply (rows it sent that did not match,
    /// which were dropped); see `sync_logs_core::verify`.
    pub unapplied: Unapplied,
    /// Filters of the query the backend profile has no parameter for: applied in the
    /// browser only.
    pub unmapped: Vec<&'static str>,
    /// How many records match, when the backend says.
    pub total: Option<u64>,
    /// What the backend profile's paths did not find, for whoever writes the profile.
    pub diagnostics: Vec<String>,
    /// Where the next rows start, when the load stopped at its limit with more to come
    /// (native contract only): a larger limit of the same query continues from here.
    pub next: Option<Resume>,
}

/// The place a load stopped at its limit: the cursor of the next page, and how many
/// rows the backend had sent until then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub cursor: String,
    pub received: usize,
    /// The `to` the cursor was issued with: an older part of a load split in two asks
    /// with the split instant as its `to` (`load.rs`), and its cursor goes on with it.
    pub to: Option<chrono::DateTime<chrono::Utc>>,
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
    /// The rows of the first page (each id once), sent once when more pages follow, so
    /// they can be shown while the rest arrives.
    FirstRows(Vec<SyncLog>),
    /// The last request failed and is about to be tried again.
    Retrying(RetryNotice),
}

/// The response header in which a backend may repeat a page's `next_cursor`, so the
/// next page is asked for before this one is read (docs/api.md). Optional: without it,
/// pages are asked for one after the other.
pub const NEXT_CURSOR_HEADER: &str = "next-cursor";

/// The most rows the first request of a load asks for (when the limit is larger): a
/// few screenfuls, so the first rows of a large load show without waiting for a full
/// page (500 rows took the reference server 5 ms, 10,000 rows 80 ms); the one extra
/// request costs little against the pages that follow. 200 rather than 500 showed the
/// first rows 30–75 ms sooner at 100,000 rows (`bench/timeline.mjs`, four runs each).
pub const FIRST_PAGE_ROWS: u32 = 200;

/// A copy of the rows of a first page, each id once (the complete load drops duplicates
/// the same way at its end).
pub(crate) fn first_rows(rows: &[SyncLog]) -> Vec<SyncLog> {
    let mut first = rows.to_vec();
    drop_duplicate_ids(&mut first);
    first
}

/// Which list of records a client reads: the log, or the dead-letter queue (the same
/// records, filters, paging and summary, under `/dead-letter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Log,
    DeadLetter,
}

/// How many records wait in the dead-letter queue, as far as the backend says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueSize {
    /// The backend has no queue (404, or a profile that maps none).
    Absent,
    /// It has one but does not count it (a backend profile).
    Uncounted,
    Count(u64),
}

/// A client for one backend, named by `api_base_url`, speaking the native contract or
/// the backend profile of `config.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiClient {
    base_url: String,
    /// The deadline of each request, in milliseconds.
    timeout_ms: u32,
    profile: Option<Arc<BackendProfile>>,
    scope: Scope,
    /// A profile that maps a dead-letter queue, read as [`Scope::DeadLetter`] does.
    queue_profile: Option<Arc<BackendProfile>>,
}

impl ApiClient {
    /// `base_url` is absolute or relative to the page (e.g. `/api/v1`); each request
    /// gives up after `timeout_seconds` (0: never).
    pub fn new(base_url: impl Into<String>, timeout_seconds: u32) -> ApiClient {
        ApiClient {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            timeout_ms: timeout_seconds.saturating_mul(1000),
            profile: None,
            scope: Scope::Log,
            queue_profile: None,
        }
    }

    /// The same client reading the backend through `profile` (`None`: the native
    /// contract).
    pub fn with_profile(mut self, profile: Option<Arc<BackendProfile>>) -> ApiClient {
        self.queue_profile = profile
            .as_deref()
            .and_then(BackendProfile::for_dead_letter)
            .map(Arc::new);
        self.profile = profile;
        self
    }

    /// The same client listing `scope`: the log, or the dead-letter queue (through a
    /// profile: its `dead_letter.path`, read as its records are).
    pub fn with_scope(mut self, scope: Scope) -> ApiClient {
        self.scope = scope;
        self
    }

    /// The list this client reads.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The native list path of the scope (its summary is under it).
    pub(super) fn list_path(&self) -> &'static str {
        match self.scope {
            Scope::Log => "/sync-logs",
            Scope::DeadLetter => "/dead-letter",
        }
    }

    /// Whether the backend may have a dead-letter queue: always on the native contract
    /// (a 404 says otherwise), and with a profile when it maps one.
    pub fn may_have_queue(&self) -> bool {
        self.profile.is_none() || self.queue_profile.is_some()
    }

    /// How many records are in the dead-letter queue: `GET /dead-letter/summary`'s total.
    pub async fn queue_size(&self) -> Result<QueueSize, ApiError> {
        if !self.may_have_queue() {
            return Ok(QueueSize::Absent);
        }
        if self.profile().is_some() {
            return Ok(QueueSize::Uncounted);
        }
        let url = format!("{}/dead-letter/summary?buckets=1", self.base_url);
        let answer = self
            .get_once(&url, None, None)
            .await
            .map_err(|no| no.error)?;
        match answer.status {
            404 | 501 => Ok(QueueSize::Absent),
            _ if answer.ok => decode::<sync_logs_core::summary::SummaryResponse>(&answer)
                .map(|summary| QueueSize::Count(summary.total.max(0) as u64)),
            status => Err(ApiError::from_status(status, answer.body())),
        }
    }

    /// The backend profile in force, if any: in the dead-letter scope, the one reading
    /// the queue's list.
    pub fn profile(&self) -> Option<&BackendProfile> {
        self.scoped_profile().map(Arc::as_ref)
    }

    pub(super) fn scoped_profile(&self) -> Option<&Arc<BackendProfile>> {
        match (self.scope, &self.queue_profile) {
            (Scope::DeadLetter, Some(queue)) => Some(queue),
            _ => self.profile.as_ref(),
        }
    }

    /// The request parameter that carries a query filter (as `profile::QUERY_FILTERS`
    /// names them), for messages.
    pub fn param_name(&self, filter: &str) -> String {
        if let Some(name) = self.profile().and_then(|p| p.query.params.get(filter)) {
            return name.clone();
        }
        match filter {
            "statuses" => "status".to_owned(),
            "ids" => "id".to_owned(),
            other => other.to_owned(),
        }
    }

    /// Whether the backend lists its instances (else the filter offers those loaded).
    pub fn offers_instances(&self) -> bool {
        self.profile().is_none_or(|p| p.instances.is_some())
    }

    /// Whether the backend can resync, and if not, why (for the actions menu).
    pub fn resync_unavailable(&self) -> Option<&'static str> {
        (!self.offers(super::Action::Resync)).then_some(
            "Resync is off: this backend's profile in config.json maps no resync endpoint.",
        )
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
        if let Some(profile) = self.profile() {
            return self.profiled_instances(profile, signal).await;
        }
        self.get_json("/instances", signal, &mut |_| {}).await
    }

    /// `GET /sync-logs/{id}/attempts`: every attempt of that record, oldest first.
    pub async fn attempts(
        &self,
        id: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<AttemptsResponse, ApiError> {
        if !sync_logs_core::wire::path_safe_id(id) {
            return Err(ApiError::UnsafeId { id: id.to_owned() });
        }
        if let Some(profile) = self.profile() {
            return self.profiled_attempts(profile, id, signal).await;
        }
        // A path segment: every character outside the unreserved set is escaped.
        let id = String::from(js_sys::encode_uri_component(id));
        self.get_json(&format!("/sync-logs/{id}/attempts"), signal, &mut |_| {})
            .await
    }

    /// `GET /sync-logs/{id}/events`: what operators did to the record. `Ok(None)` when the
    /// backend keeps no audit trail (404, or a backend profile, which maps none).
    pub async fn events(
        &self,
        id: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<Option<EventsResponse>, ApiError> {
        // No audit trail can be asked for an id that is not a path segment.
        if self.profile().is_some() || !sync_logs_core::wire::path_safe_id(id) {
            return Ok(None);
        }
        let id = String::from(js_sys::encode_uri_component(id));
        match self
            .get_json(&format!("/sync-logs/{id}/events"), signal, &mut |_| {})
            .await
        {
            Ok(events) => Ok(Some(events)),
            Err(ApiError::Http { status: 404, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// `GET /runs` for `query` (its limit left out), grouping records without a
    /// correlation id by pauses longer than `gap`.
    pub async fn runs(
        &self,
        query: &LogQuery,
        gap: chrono::Duration,
    ) -> Result<RunsResponse, ApiError> {
        if self.profile().is_some_and(|p| !p.runs) {
            // Grouped in the browser, as for a backend that answers 404.
            return Err(ApiError::Http {
                status: 404,
                code: Some("not_offered".into()),
                message: "this backend offers no runs endpoint".into(),
            });
        }
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

    /// One page of `GET /sync-logs` (through a profile: the first page of its list,
    /// re-checked against `query`).
    pub async fn sync_logs_page(
        &self,
        query: &LogQuery,
        cursor: Option<&str>,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<SyncLogPage, ApiError> {
        if let Some(profile) = self.profile() {
            // Live refresh and following resynced records ask for one page only.
            return self
                .profiled_first_page(profile, query, signal, on_retry)
                .await;
        }
        let url = self.page_url(query, query.limit, cursor);
        decode(&self.get_ok(&url, signal, on_retry).await?)
    }

    /// The address of one page of the list: `query` with `limit` rows, from `cursor`.
    pub(super) fn page_url(&self, query: &LogQuery, limit: u32, cursor: Option<&str>) -> String {
        let page = LogQuery {
            limit,
            ..query.clone()
        };
        let mut url = format!(
            "{}{}?{}",
            self.base_url,
            self.list_path(),
            page.to_query_string()
        );
        if let Some(cursor) = cursor {
            url.push('&');
            url.push_str(&sync_logs_core::query::encode_pairs([("cursor", cursor)]));
        }
        url
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
        let url = format!("{}{}", self.base_url, path);
        decode(&self.get_ok(&url, signal, on_retry).await?)
    }

    /// The 2xx answer to a `GET` of `url`, after the retries; not generic, so the retry
    /// loop is compiled once rather than once per answer type.
    pub(crate) async fn get_ok(
        &self,
        url: &str,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<Answer, ApiError> {
        self.get_ok_heard(url, signal, on_retry, None).await
    }

    /// [`get_ok`](Self::get_ok), with `on_headers` hearing each 2xx answer's headers
    /// before its body is read.
    pub(crate) async fn get_ok_heard(
        &self,
        url: &str,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
        on_headers: OnHeaders<'_>,
    ) -> Result<Answer, ApiError> {
        let mut tries = 0;
        loop {
            tries += 1;
            let (outcome, error) = match self.get_once(url, signal, on_headers).await {
                Ok(answer) if answer.ok => return Ok(answer),
                Ok(answer) => (
                    Some(TryOutcome::Status(answer.status, answer.retry_after)),
                    ApiError::from_status(answer.status, answer.body()),
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

    pub(crate) async fn get_once(
        &self,
        url: &str,
        signal: Option<&AbortSignal>,
        on_headers: OnHeaders<'_>,
    ) -> Result<Answer, NoAnswer> {
        exchange(
            |signal| {
                self.builder(Request::get(url))
                    .abort_signal(Some(signal))
                    .build()
            },
            signal,
            self.timeout_ms,
            on_headers,
        )
        .await
    }

    /// Every request's settings: the credentials mode, `Accept`, the profile's static
    /// headers and the portal's bearer token.
    pub(crate) fn builder(&self, request: RequestBuilder) -> RequestBuilder {
        let credentials = match self.profile().map(|p| p.credentials) {
            None | Some(Credentials::Include) => RequestCredentials::Include,
            Some(Credentials::SameOrigin) => RequestCredentials::SameOrigin,
            Some(Credentials::Omit) => RequestCredentials::Omit,
        };
        let mut request = request
            .credentials(credentials)
            .header("Accept", "application/json");
        for (name, value) in self.profile().map_or(&[][..], |p| &p.headers) {
            request = request.header(name, value);
        }
        if let Some(auth) = authorization() {
            request = request.header("Authorization", &auth);
        }
        request
    }
}

/// Decodes a 2xx body, or says why it could not be read.
pub(crate) fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    serde_json::from_str(&body_text(answer.body()))
        .map_err(|err| unreadable(answer, err.to_string()))
}

pub(super) fn unreadable(answer: &Answer, detail: String) -> ApiError {
    ApiError::Decode {
        status: answer.status,
        detail,
        excerpt: excerpt(answer.body()),
    }
}

/// `navigator.onLine`: false only when the browser knows it has no network.
pub(crate) fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
