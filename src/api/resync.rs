//! `POST /sync-logs/resync` for one batch, retried safely: the batch keeps one
//! `Idempotency-Key` across its tries, so a retry after a lost answer is applied once.
//! Retries follow `sync_logs_core::retry` (backoff, `Retry-After`, never on 4xx other
//! than 409/429).

use gloo_net::http::Request;
use sync_logs_core::{
    retry::{next_delay, TryOutcome},
    ResyncRequest, ResyncResponse,
};
use web_sys::RequestCredentials;

use super::{
    error::excerpt,
    transport::{authorization, exchange},
    ApiClient, ApiError, NetworkFailure,
};

impl ApiClient {
    /// Resyncs one batch (at most 5,000 ids), trying again while that is safe.
    /// `on_retry` is told the number of the next try.
    pub async fn resync_batch(
        &self,
        ids: &[String],
        mut on_retry: impl FnMut(u32),
    ) -> Result<ResyncResponse, ApiError> {
        let key = uuid::Uuid::new_v4().to_string();
        let body = serde_json::to_string(&ResyncRequest { ids: ids.to_vec() }).map_err(|err| {
            ApiError::Network {
                kind: NetworkFailure::NotSent,
                detail: err.to_string(),
            }
        })?;
        let mut tries = 0;
        loop {
            tries += 1;
            let (outcome, error) = match self.post_resync(&key, &body).await {
                Ok(response) => return Ok(response),
                Err((outcome, error)) => (outcome, error),
            };
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
    ) -> Result<ResyncResponse, (TryOutcome, ApiError)> {
        let url = format!("{}/sync-logs/resync", self.base_url());
        let answer = exchange(
            |signal| {
                let mut request = Request::post(&url)
                    .credentials(RequestCredentials::Include)
                    .header("Idempotency-Key", key)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json");
                if let Some(auth) = authorization() {
                    request = request.header("Authorization", &auth);
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
