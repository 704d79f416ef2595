//! `GET /sync-logs/summary` (and `/dead-letter/summary`): the counts of everything a query matches (docs/api.md). It
//! is secondary to the records, so it is tried once: a backend without it (404, 501, or
//! a backend profile, which maps none) gets the cards of the loaded records, and any
//! other failure is reported beside them without touching the records.

use sync_logs_core::query::encode_pairs;
use sync_logs_core::summary::{SummaryResponse, DEFAULT_BUCKETS};
use sync_logs_core::LogQuery;
use web_sys::AbortSignal;

use super::client::decode;
use super::{ApiClient, ApiError};

impl ApiClient {
    /// The summary of `query` (its limit left out), or `None` when the backend offers
    /// none.
    pub async fn summary(
        &self,
        query: &LogQuery,
        signal: Option<&AbortSignal>,
    ) -> Result<Option<SummaryResponse>, ApiError> {
        if self.profile().is_some() {
            return Ok(None);
        }
        let buckets = DEFAULT_BUCKETS.to_string();
        let pairs = query.to_pairs();
        let encoded = encode_pairs(
            pairs
                .iter()
                .filter(|(k, _)| *k != "limit")
                .map(|(k, v)| (*k, v.as_str()))
                .chain([("buckets", buckets.as_str())]),
        );
        let url = format!("{}{}/summary?{encoded}", self.base_url(), self.list_path());
        let answer = self
            .get_once(&url, signal, None)
            .await
            .map_err(|no| no.error)?;
        match answer.status {
            404 | 501 => Ok(None),
            _ if answer.ok => decode(&answer).map(Some),
            status => Err(ApiError::from_status(status, answer.body())),
        }
    }
}
