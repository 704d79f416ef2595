//! Sends a resync of many records: batches of at most 5,000 ids, one request each (with
//! its own Idempotency-Key, kept across that batch's retries), one run at a time, so a
//! double click sends nothing extra. Reports progress and every record's outcome.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::{retry::batches, ResyncOutcome, ResyncResult};

use crate::api::ApiClient;

/// Ids per request: the API's maximum.
pub const BATCH_SIZE: usize = crate::api::NATIVE_BATCH_SIZE;

/// A resync run, as it goes and once done.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResyncReport {
    pub requested: usize,
    pub batches: usize,
    pub batches_done: usize,
    /// Tries beyond the first, over all batches.
    pub retries: u32,
    /// One result per requested id, in order, once its batch is done.
    pub results: Vec<ResyncResult>,
    pub finished: bool,
    /// Milliseconds from sending to the last batch accepted.
    pub elapsed_ms: Option<f64>,
}

impl ResyncReport {
    pub fn count(&self, outcome: &ResyncOutcome) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == *outcome)
            .count()
    }

    /// The records that were not queued: what "Retry the failed ones" sends.
    pub fn failed_ids(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.outcome != ResyncOutcome::Queued)
            .map(|r| r.id.clone())
            .collect()
    }
}

/// What [`use_resync`] exposes.
#[derive(Clone, Copy)]
pub struct UseResyncReturn {
    pub report: ReadSignal<Option<ResyncReport>>,
    pub sending: Memo<bool>,
    /// Starts a run; ignored while one is running.
    pub send: Callback<Vec<String>>,
    pub dismiss: Callback<()>,
}

/// `on_queued` is called with the ids each batch queued.
pub fn use_resync(client: ApiClient, on_queued: Callback<Vec<String>>) -> UseResyncReturn {
    let (report, set_report) = signal(None::<ResyncReport>);
    let sending = Memo::new(move |_| report.with(|r| r.as_ref().is_some_and(|r| !r.finished)));
    let send = Callback::new(move |ids: Vec<String>| {
        if sending.get_untracked() || ids.is_empty() {
            return;
        }
        // A profiled backend takes the batches its profile says.
        let size = client
            .profile()
            .and_then(|p| p.resync.as_ref())
            .map_or(BATCH_SIZE, |r| r.batch_size);
        let chunks: Vec<Vec<String>> = batches(&ids, size).map(<[String]>::to_vec).collect();
        set_report.set(Some(ResyncReport {
            requested: ids.len(),
            batches: chunks.len(),
            ..ResyncReport::default()
        }));
        let client = client.clone();
        spawn_local(async move {
            let started = now_ms();
            for chunk in chunks {
                let outcome = client
                    .resync_batch(&chunk, |_| {
                        set_report.try_update(|r| {
                            if let Some(r) = r {
                                r.retries += 1;
                            }
                        });
                    })
                    .await;
                let results = match outcome {
                    Ok(response) => response.results,
                    // The batch could not be sent: every record in it says why.
                    Err(err) => chunk
                        .iter()
                        .map(|id| ResyncResult {
                            id: id.clone(),
                            outcome: ResyncOutcome::Rejected,
                            message: Some(format!("not sent: {err}")),
                        })
                        .collect(),
                };
                let queued: Vec<String> = results
                    .iter()
                    .filter(|r| r.outcome == ResyncOutcome::Queued)
                    .map(|r| r.id.clone())
                    .collect();
                set_report.try_update(|r| {
                    if let Some(r) = r {
                        r.results.extend(results);
                        r.batches_done += 1;
                    }
                });
                on_queued.run(queued);
            }
            set_report.try_update(|r| {
                if let Some(r) = r {
                    r.finished = true;
                    r.elapsed_ms = Some(now_ms() - started);
                }
            });
        });
    });
    UseResyncReturn {
        report,
        sending,
        send,
        dismiss: Callback::new(move |()| {
            if !sending.get_untracked() {
                set_report.set(None);
            }
        }),
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}
