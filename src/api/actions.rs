//! The mass actions, one batch per request: resync (`POST /sync-logs/resync`) and the
//! dead-letter queue's replay, discard and restore (`POST /dead-letter/…`), or the
//! endpoints a backend profile maps for them. Each is retried safely: the batch keeps one
//! `Idempotency-Key` across its tries, so a retry after a lost answer is applied once.
//! Retries follow `sync_logs_core::retry` (backoff, `Retry-After`, never on 4xx other
//! than 409/429).

use gloo_net::http::Request;
use sync_logs_core::{
    profile::ResyncEndpoint,
    retry::{next_delay, TryOutcome},
    wire::body_text,
    DiscardRequest, ResyncOutcome, ResyncRequest, ResyncResponse, ResyncResult,
};

use super::{error::excerpt, transport::exchange, ApiClient, ApiError, NetworkFailure};

/// The most ids one request carries on the native contract.
pub const NATIVE_BATCH_SIZE: usize = 5_000;

/// A mass action on records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Action {
    /// Another attempt of records in the log.
    #[default]
    Resync,
    /// Out of the dead-letter queue, with a fresh attempt budget.
    Replay,
    /// Out of the dead-letter queue for good, with a reason (kept for audit).
    Discard,
    /// Back into the queue after a discard (Undo).
    Restore,
}

impl Action {
    /// The verb, capitalised, for buttons and headings.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Resync => "Resync",
            Action::Replay => "Replay",
            Action::Discard => "Discard",
            Action::Restore => "Restore",
        }
    }

    /// The outcome of a record the action was applied to.
    pub fn done(self) -> ResyncOutcome {
        match self {
            Action::Resync | Action::Replay => ResyncOutcome::Queued,
            Action::Discard => ResyncOutcome::Discarded,
            Action::Restore => ResyncOutcome::Restored,
        }
    }

    /// That outcome, in words ("3 queued").
    pub fn done_label(self) -> &'static str {
        match self {
            Action::Resync | Action::Replay => "queued",
            Action::Discard => "discarded",
            Action::Restore => "restored",
        }
    }

    /// The native contract's path.
    fn native_path(self) -> &'static str {
        match self {
            Action::Resync => "/sync-logs/resync",
            Action::Replay => "/dead-letter/replay",
            Action::Discard => "/dead-letter/discard",
            Action::Restore => "/dead-letter/restore",
        }
    }
}

impl ApiClient {
    /// The endpoint a backend profile maps for `action`; `None` on the native contract
    /// (or when the profile maps none, see [`ApiClient::offers`]).
    fn mapped(&self, action: Action) -> Option<&ResyncEndpoint> {
        let profile = self.profile()?;
        let queue = profile.dead_letter.as_ref();
        match action {
            Action::Resync => profile.resync.as_ref(),
            Action::Replay => queue?.replay.as_ref(),
            Action::Discard => queue?.discard.as_ref(),
            Action::Restore => queue?.restore.as_ref(),
        }
    }

    /// Whether the backend can do `action` (a backend profile must map it).
    pub fn offers(&self, action: Action) -> bool {
        self.profile().is_none() || self.mapped(action).is_some()
    }

    /// Ids per request for `action`: the API's maximum, or the profile's batch size.
    pub fn batch_size(&self, action: Action) -> usize {
        self.mapped(action)
            .map_or(NATIVE_BATCH_SIZE, |endpoint| endpoint.batch_size)
    }

    /// Applies `action` to one batch (at most [`ApiClient::batch_size`] ids), trying
    /// again while that is safe. `reason` goes with a discard. `on_retry` is told the
    /// number of the next try.
    pub async fn act_batch(
        &self,
        action: Action,
        ids: &[String],
        reason: Option<&str>,
        mut on_retry: impl FnMut(u32),
    ) -> Result<ResyncResponse, ApiError> {
        let key = uuid::Uuid::new_v4().to_string();
        let endpoint = self.mapped(action);
        let body = match (self.profile(), endpoint) {
            (Some(_), Some(endpoint)) => Some(endpoint.body_for(ids, reason).to_string()),
            (Some(_), None) => None,
            (None, _) if action == Action::Discard => serde_json::to_string(&DiscardRequest {
                ids: ids.to_vec(),
                reason: reason.unwrap_or_default().to_owned(),
            })
            .ok(),
            (None, _) => serde_json::to_string(&ResyncRequest { ids: ids.to_vec() }).ok(),
        };
        let Some(body) = body else {
            return Err(ApiError::Network {
                kind: NetworkFailure::NotSent,
                detail: format!(
                    "this backend has no {} endpoint",
                    action.verb().to_lowercase()
                ),
            });
        };
        // Without Idempotency-Key a retried batch could be applied twice: only an answer
        // that says it was not applied (429, 503) is tried again.
        let safe_to_repeat = endpoint.is_none_or(|r| r.idempotency_key);
        let mut tries = 0;
        loop {
            tries += 1;
            let (outcome, error) = match self.post_action(action, &key, &body, ids).await {
                Ok(response) => return Ok(response),
                Err((outcome, error)) => (outcome, error),
            };
            let not_applied = matches!(outcome, TryOutcome::Status(429 | 503, _));
            if !safe_to_repeat && !not_applied {
                return Err(error);
            }
            match next_delay(outcome, tries, js_sys::Math::random()) {
                Some(wait) => {
                    on_retry(tries + 1);
                    gloo_timers::future::sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }

    /// One try; on failure, how it ended (for the retry policy) and the error to show.
    async fn post_action(
        &self,
        action: Action,
        key: &str,
        body: &str,
        ids: &[String],
    ) -> Result<ResyncResponse, (TryOutcome, ApiError)> {
        let endpoint = self.mapped(action);
        let path = endpoint.map_or(action.native_path(), |e| e.path.as_str());
        let url = format!("{}{path}", self.base_url());
        let answer = exchange(
            |signal| {
                let request = match endpoint.map(|e| e.method.as_str()) {
                    Some("PUT") => Request::put(&url),
                    Some("PATCH") => Request::patch(&url),
                    _ => Request::post(&url),
                };
                let mut request = self
                    .builder(request)
                    .header("Content-Type", "application/json");
                if endpoint.is_none_or(|e| e.idempotency_key) {
                    request = request.header("Idempotency-Key", key);
                }
                request.abort_signal(Some(signal)).body(body.to_owned())
            },
            None,
            self.timeout_ms(),
            None,
        )
        .await
        // A timed-out POST may still have been applied: with the same key, trying again
        // is safe, so here a timeout counts as no answer.
        .map_err(|failed| (TryOutcome::NoAnswer, failed.error))?;
        if !answer.ok {
            return Err((
                TryOutcome::Status(answer.status, answer.retry_after),
                ApiError::from_status(answer.status, answer.body()),
            ));
        }
        // A backend whose answer is not our results: a 2xx means it was done to every id.
        if endpoint.is_some_and(|e| !e.results) {
            return Ok(ResyncResponse {
                results: ids
                    .iter()
                    .map(|id| ResyncResult {
                        id: id.clone(),
                        outcome: action.done(),
                        message: None,
                    })
                    .collect(),
            });
        }
        serde_json::from_str(&body_text(answer.body())).map_err(|err| {
            let error = ApiError::Decode {
                status: answer.status,
                detail: err.to_string(),
                excerpt: excerpt(answer.body()),
            };
            // A 2xx we cannot read was still applied: retrying with the same key replays it.
            (TryOutcome::NoAnswer, error)
        })
    }
}
