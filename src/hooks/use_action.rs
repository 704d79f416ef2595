//! Sends a mass action (resync, replay, discard, restore) of many records: batches of at
//! most 5,000 ids (or the profile's size), one request each (with its own
//! Idempotency-Key, kept across that batch's retries), one run at a time, so a double
//! click sends nothing extra. Reports progress and every record's outcome.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::{retry::batches, ResyncOutcome, ResyncResult};

use crate::api::{Action, ApiClient};

/// What to send: the action, its records, and the reason of a discard.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionRequest {
    pub action: Action,
    pub ids: Vec<String>,
    pub reason: Option<String>,
}

/// A run of an action, as it goes and once done.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionReport {
    pub action: Action,
    /// The discard's reason, kept for "Retry the failed ones".
    pub reason: Option<String>,
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

impl ActionReport {
    pub fn count(&self, outcome: &ResyncOutcome) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == *outcome)
            .count()
    }

    /// The records the action was applied to.
    pub fn done_ids(&self) -> Vec<String> {
        let done = self.action.done();
        self.results
            .iter()
            .filter(|r| r.outcome == done)
            .map(|r| r.id.clone())
            .collect()
    }

    /// The records it was not applied to: what "Retry the failed ones" sends.
    pub fn failed_ids(&self) -> Vec<String> {
        let done = self.action.done();
        self.results
            .iter()
            .filter(|r| r.outcome != done)
            .map(|r| r.id.clone())
            .collect()
    }

    /// The same action again, for the records it was not applied to.
    pub fn retry_failed(&self) -> ActionRequest {
        ActionRequest {
            action: self.action,
            ids: self.failed_ids(),
            reason: self.reason.clone(),
        }
    }
}

/// What [`use_action`] exposes.
#[derive(Clone, Copy)]
pub struct UseActionReturn {
    pub report: ReadSignal<Option<ActionReport>>,
    pub sending: Memo<bool>,
    /// Starts a run; ignored while one is running, and for no ids.
    pub send: Callback<ActionRequest>,
    pub dismiss: Callback<()>,
}

/// `on_done` is called after each batch with the action and the ids it was applied to.
pub fn use_action(client: ApiClient, on_done: Callback<(Action, Vec<String>)>) -> UseActionReturn {
    let (report, set_report) = signal(None::<ActionReport>);
    let sending = Memo::new(move |_| report.with(|r| r.as_ref().is_some_and(|r| !r.finished)));
    let send = Callback::new(move |request: ActionRequest| {
        let ActionRequest {
            action,
            ids,
            reason,
        } = request;
        if sending.get_untracked() || ids.is_empty() {
            return;
        }
        let chunks: Vec<Vec<String>> = batches(&ids, client.batch_size(action))
            .map(<[String]>::to_vec)
            .collect();
        set_report.set(Some(ActionReport {
            action,
            reason: reason.clone(),
            requested: ids.len(),
            batches: chunks.len(),
            ..ActionReport::default()
        }));
        let client = client.clone();
        spawn_local(async move {
            let started = js_sys::Date::now();
            for chunk in chunks {
                let outcome = client
                    .act_batch(action, &chunk, reason.as_deref(), |_| {
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
                let done: Vec<String> = results
                    .iter()
                    .filter(|r| r.outcome == action.done())
                    .map(|r| r.id.clone())
                    .collect();
                set_report.try_update(|r| {
                    if let Some(r) = r {
                        r.results.extend(results);
                        r.batches_done += 1;
                    }
                });
                on_done.run((action, done));
            }
            set_report.try_update(|r| {
                if let Some(r) = r {
                    r.finished = true;
                    r.elapsed_ms = Some(js_sys::Date::now() - started);
                }
            });
        });
    });
    UseActionReturn {
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
