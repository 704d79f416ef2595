//! `POST /sync-logs/resync` for one batch, retried safely: the batch keeps one
//! `Idempotency-Key` across its tries, so a retry after a lost answer is applied once.
//! Retries follow `sync_logs_core::retry` (backoff, `Retry-After`, never on 4xx other
//! than 409/429).

use gloo_net::http::Request;
use sync_logs_core::{
    retry::{next_delay, TryOutcome},
    ResyncOutcome, ResyncRequest, ResyncResponse, ResyncResult,
};

use super::{error::excerpt, transport::exchange, ApiClient, ApiError, NetworkFailure};

/// The most ids one request carries on the native contract.
pub const NATIVE_BATCH_SIZE: usize = 5_000;

impl ApiClient {
    /// Resyncs one batch (at most 5,000 ids), trying again while that is safe.
    /// `on_retry` is told the number of the next try.
    pub async fn resync_batch(
        &self,
        ids: &[String],
        mut on_retry: impl FnMut(u32),
    ) -> Result<ResyncResponse, ApiError> {
        let key = uuid::Uuid::new_v4().to_string();
        let body = match self.profile() {
            Some(profile) => profile.resync_body(ids).map(|v| v.to_string()),
            None => serde_json::to_string(&ResyncRequest { ids: ids.to_vec() }).ok(),
        };
        let Some(body) = body else {
            return Err(ApiError::Network {
                kind: NetworkFailure::NotSent,
                detail: "this backend has no resync endpoint".into(),
            });
        };
        // Without Idempotency-Key a retried batch could be applied twice: only an answer
        // that says it was not applied (429, 503) is tried again.
        let safe_to_repeat = self
            .profile()
            .and_then(|p| p.resync.as_ref())
            .is_none_or(|r| r.idempotency_key);
        let mut tries = 0;
        loop {
            tries += 1;
            let (outcome, error) = match self.post_resync(&key, &body, ids).await {
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
    async fn post_resync(
        &self,
        key: &str,
        body: &str,
        ids: &[String],
    ) -> Result<ResyncResponse, (TryOutcome, ApiError)> {
        let endpoint = self.profile().and_then(|p| p.resync.as_ref());
        let url = match endpoint {
            Some(endpoint) => format!("{}{}", self.base_url(), endpoint.path),
            None => format!("{}/sync-logs/resync", self.base_url()),
        };
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
        )
        .await
        // A timed-out POST may still have been applied: with the same key, trying again
        // is safe, so here a timeout counts as no answer.
        .map_err(|failed| (TryOutcome::NoAnswer, failed.error))?;
        if !answer.ok {
            return Err((
                TryOutcome::Status(answer.status, answer.retry_after),
                ApiError::from_status(answer.status, &answer.body),
            ));
        }
        // A backend whose answer is not our results: a 2xx means every id was queued.
        if endpoint.is_some_and(|e| !e.results) {
            return Ok(ResyncResponse {
                results: ids
                    .iter()
                    .map(|id| ResyncResult {
                        id: id.clone(),
                        outcome: ResyncOutcome::Queued,
                        message: None,
                    })
                    .collect(),
            });
        }
        serde_json::from_slice(&answer.body).map_err(|err| {
            let error = ApiError::Decode {
                status: answer.status,
                detail: err.to_string(),
                excerpt: excerpt(&answer.body),
            };
            // A 2xx we cannot read was still applied: retrying with the same key replays it.
            (TryOutcome::NoAnswer, error)
        })
    }
}
