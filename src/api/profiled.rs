//! The calls of a backend read through a profile (`config.json` → `backend`): the paged
//! list in any of the profile's paging styles, its instances and a record's attempts.
//! The rules (requests, decoding, paging, checks) are in `sync_logs_core::profile`; this
//! sends the requests and reads the headers they need.

use sync_logs_core::profile::{
    decode_page, decode_records, BackendProfile, Diagnostics, PageCursor, PageError, Paging,
    TotalFrom,
};
use sync_logs_core::verify::{recheck, Unapplied};
use sync_logs_core::wire::drop_duplicate_ids;
use sync_logs_core::{AttemptsResponse, InstancesResponse, LogQuery, SyncLog, SyncLogPage};
use web_sys::AbortSignal;

use super::client::{LoadEvent, LoadOutcome, RetryNotice};
use super::error::excerpt;
use super::transport::Answer;
use super::{ApiClient, ApiError};

impl ApiClient {
    /// The API base as an absolute URL (a relative `api_base_url` is resolved against
    /// the page), against which next-page URLs must stay on the same origin.
    fn absolute_base(&self) -> String {
        let page = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        web_sys::Url::new_with_base(self.base_url(), &page)
            .map(|url| url.href().trim_end_matches('/').to_owned())
            .unwrap_or_else(|_| self.base_url().to_owned())
    }

    /// A request the profile made: a path under the base, or an absolute next-page URL.
    fn url_of(&self, request: &str) -> String {
        if request.starts_with("http://") || request.starts_with("https://") {
            request.to_owned()
        } else {
            format!("{}{request}", self.base_url())
        }
    }

    /// Loads up to `query.limit` records the way the profile pages, re-checking every
    /// page against `chosen` (see `ApiClient::load_logs`).
    pub(crate) async fn load_profiled(
        &self,
        profile: &BackendProfile,
        query: &LogQuery,
        chosen: &LogQuery,
        page_size: u32,
        signal: Option<&AbortSignal>,
        on_event: &mut dyn FnMut(LoadEvent),
    ) -> LoadOutcome {
        let limit = query.limit as usize;
        let api_base = self.absolute_base();
        let (_, unmapped) = profile.filter_pairs(query);
        let mut outcome = LoadOutcome {
            unmapped,
            ..LoadOutcome::default()
        };
        let mut diagnostics = Diagnostics::default();
        let mut unapplied = Unapplied::default();
        let mut rows: Vec<SyncLog> = Vec::new();
        let mut received = 0;
        let mut at = PageCursor::First;
        // Page numbers count pages of one size, so that size is kept to the end (the last
        // page is cut to the limit); other styles ask for no more than remains.
        let fixed = matches!(profile.paging, Paging::Page { .. })
            .then(|| profile.page_size((limit as u32).min(page_size.max(1))));
        let mut first = true;
        let error = loop {
            let remaining = limit - received;
            let size = fixed
                .unwrap_or_else(|| profile.page_size((remaining as u32).min(page_size.max(1))));
            let Some(request) = profile.list_request(query, size, &at) else {
                break None;
            };
            let answer = match self
                .get_ok(&self.url_of(&request), signal, &mut |notice| {
                    on_event(LoadEvent::Retrying(notice))
                })
                .await
            {
                Ok(answer) => answer,
                Err(error) => break Some(error),
            };
            let mut page = match decode_page(profile, answer.body()) {
                Ok(page) => page,
                Err(error) => break Some(page_error(&answer, error)),
            };
            diagnostics.add(&page.diagnostics);
            page.total = page.total.or_else(|| header_total(profile, &answer));
            if page.total.is_some() {
                outcome.total = page.total;
            }
            let next = profile.after(
                &at,
                &page,
                answer.header("link").as_deref(),
                size,
                &api_base,
            );
            let mut items = page.items;
            items.truncate(remaining);
            received += items.len();
            unapplied.add(recheck(chosen, &mut items));
            if rows.is_empty() && outcome.total.is_some() {
                let expected = outcome.total.unwrap_or(0).min(limit as u64) as usize;
                rows.reserve_exact(expected.saturating_sub(items.len()));
            }
            rows.extend(items);
            on_event(LoadEvent::Received(rows.len()));
            let more = matches!(&next, Ok(next) if received < limit && *next != PageCursor::Done);
            if std::mem::take(&mut first) && more {
                on_event(LoadEvent::FirstRows(super::client::first_rows(&rows)));
            }
            match next {
                Ok(next) if received < limit && next != PageCursor::Done => at = next,
                Ok(_) => break None,
                Err(refused) => {
                    break Some(ApiError::Decode {
                        status: answer.status,
                        detail: refused,
                        excerpt: String::new(),
                    })
                }
            }
        };
        outcome.duplicates = drop_duplicate_ids(&mut rows);
        rows.shrink_to_fit();
        outcome.rows = rows;
        outcome.error = error;
        outcome.unapplied = unapplied;
        outcome.diagnostics = diagnostics.messages(&profile.records);
        outcome
    }

    /// The first page of the profile's list for `query`, re-checked against it.
    pub(crate) async fn profiled_first_page(
        &self,
        profile: &BackendProfile,
        query: &LogQuery,
        signal: Option<&AbortSignal>,
        on_retry: &mut dyn FnMut(RetryNotice),
    ) -> Result<SyncLogPage, ApiError> {
        let size = profile.page_size(query.limit);
        let Some(request) = profile.list_request(query, size, &PageCursor::First) else {
            return Ok(SyncLogPage::default());
        };
        let answer = self
            .get_ok(&self.url_of(&request), signal, on_retry)
            .await?;
        let mut items = decode_page(profile, answer.body())
            .map_err(|error| page_error(&answer, error))?
            .items;
        items.truncate(query.limit as usize);
        recheck(query, &mut items);
        Ok(SyncLogPage {
            items,
            next_cursor: None,
        })
    }

    /// The instances, from the profile's endpoint.
    pub(crate) async fn profiled_instances(
        &self,
        profile: &BackendProfile,
        signal: Option<&AbortSignal>,
    ) -> Result<InstancesResponse, ApiError> {
        let Some(endpoint) = &profile.instances else {
            return Ok(InstancesResponse::default());
        };
        let answer = self
            .get_ok(&self.url_of(&endpoint.path), signal, &mut |_| {})
            .await?;
        let value: serde_json::Value =
            serde_json::from_slice(answer.body()).map_err(|err| ApiError::Decode {
                status: answer.status,
                detail: err.to_string(),
                excerpt: excerpt(answer.body()),
            })?;
        endpoint
            .read(&value)
            .map(|instances| InstancesResponse { instances })
            .map_err(|detail| ApiError::Decode {
                status: answer.status,
                detail,
                excerpt: excerpt(answer.body()),
            })
    }

    /// A record's attempts, from the profile's endpoint; without one, a 404 the history
    /// panel answers by building the history from the loaded rows.
    pub(crate) async fn profiled_attempts(
        &self,
        profile: &BackendProfile,
        id: &str,
        signal: Option<&AbortSignal>,
    ) -> Result<AttemptsResponse, ApiError> {
        let (Some(endpoint), Some(path)) = (&profile.attempts, profile.attempts_path(id)) else {
            return Err(ApiError::Http {
                status: 404,
                code: Some("not_offered".into()),
                message: "this backend offers no attempts endpoint".into(),
            });
        };
        let answer = self
            .get_ok(&self.url_of(&path), signal, &mut |_| {})
            .await?;
        decode_records(profile, answer.body(), &endpoint.items, false)
            .map(|page| AttemptsResponse { items: page.items })
            .map_err(|error| page_error(&answer, error))
    }
}

/// The total from the response header the profile names.
fn header_total(profile: &BackendProfile, answer: &Answer) -> Option<u64> {
    match &profile.total {
        Some(TotalFrom::Header(name)) => answer.header(name)?.trim().parse().ok(),
        _ => None,
    }
}

fn page_error(answer: &Answer, error: PageError) -> ApiError {
    ApiError::Decode {
        status: answer.status,
        detail: error.to_string(),
        excerpt: excerpt(answer.body()),
    }
}
