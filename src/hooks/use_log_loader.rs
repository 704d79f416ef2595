//! Loads the records of a query whenever it changes, page by page.
//!
//! Deliberately not a `Resource` read under `<Suspense>`: the router holds a navigation
//! until the route's pending resources settle, so a slow query would delay the user's
//! next filter change. Here each change applies at once: the request in flight is
//! aborted, and a late answer from it is ignored by generation, so it can never
//! overwrite a newer one. The last loaded rows stay available while a new load runs or
//! after it fails, so nothing the user had is lost.
//!
//! A larger limit of the same query ("Load 1,000 more") continues where the last load
//! stopped and appends the older rows, rather than loading everything again.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{
    verify::{drop_older_attempts, load_notices},
    wire::drop_duplicate_ids,
    LogQuery, SyncLog,
};

use crate::api::{AbortSlot, ApiClient, ApiError, LoadEvent, LoadOutcome, Resume, RetryNotice};
use crate::hooks::use_connection::use_connection;
use crate::task::start_now;

/// A load the user stopped: how many rows arrived of how many asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled {
    pub received: usize,
    pub limit: u32,
}

/// What was wrong with the records of the latest load, though they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataNotes {
    /// Records dropped because an earlier record had the same id.
    pub duplicates: usize,
    /// Records shown with fields that could not be read.
    pub flagged: usize,
    /// Filters the backend did not apply, filters applied in the browser only, and what
    /// a backend profile's paths did not find: one sentence each.
    pub backend: Vec<String>,
    /// How many records match, when the backend says.
    pub total: Option<u64>,
    /// Whether the backend sent rows a filter should have left out (so its total counts
    /// records the view does not hold).
    pub ignored_filters: bool,
    /// A load that failed part-way: the rows received before the failure (shown), and
    /// how many were asked for.
    pub interrupted: Option<(usize, u32)>,
}

/// What [`use_log_loader`] exposes.
#[derive(Clone, Copy)]
pub struct UseLogLoaderReturn {
    /// The rows of the last load that succeeded (or was cancelled); `None` before the first.
    pub rows: ReadSignal<Option<Arc<Vec<SyncLog>>>>,
    /// `Some((received, limit))` while a load runs.
    pub progress: ReadSignal<Option<(usize, u32)>>,
    /// Whether the rows shown are the first ones of the load that runs (the rest follow),
    /// rather than those of an earlier load.
    pub streaming: ReadSignal<bool>,
    /// Why the latest load failed, until the next one starts.
    pub error: ReadSignal<Option<ApiError>>,
    /// Set while the latest load waits to try a failed request again.
    pub retrying: ReadSignal<Option<RetryNotice>>,
    /// Problems with the data of the latest load (duplicates, unreadable fields).
    pub notes: ReadSignal<DataNotes>,
    /// Set when the user cancelled the latest load; its partial rows are shown (or the
    /// previous rows, when nothing had arrived).
    pub cancelled: ReadSignal<Option<Cancelled>>,
    /// Runs the current query again.
    pub retry: Callback<()>,
    /// Stops the load in flight, keeping what has arrived.
    pub cancel: Callback<()>,
    /// Replaces loaded rows by sync id with newer versions (e.g. after a resync).
    pub patch: Callback<Vec<SyncLog>>,
    /// Adds newer records before the loaded ones (live refresh).
    pub prepend: Callback<Vec<SyncLog>>,
    /// Takes records out of the loaded ones, by id (they left the list: replayed or
    /// discarded out of the dead-letter queue).
    pub remove: Callback<Vec<String>>,
}

/// Loads `query` through `client`, at most `page_size` rows per request, re-checking
/// the rows against `chosen`: the filters the user set, which `query` extends with the
/// default range (see `ApiClient::load_logs`).
///
/// ```ignore
/// let load = use_log_loader(effective, chosen, client, config.page_size);
/// view! { {move || load.rows.get().map(|rows| rows.len())} }
/// ```
pub fn use_log_loader(
    query: Memo<LogQuery>,
    chosen: Memo<LogQuery>,
    client: ApiClient,
    page_size: u32,
) -> UseLogLoaderReturn {
    let (rows, set_rows) = signal(None::<Arc<Vec<SyncLog>>>);
    let (progress, set_progress) = signal(None::<(usize, u32)>);
    let (streaming, set_streaming) = signal(false);
    let (error, set_error) = signal(None::<ApiError>);
    let (retrying, set_retrying) = signal(None::<RetryNotice>);
    let (notes, set_notes) = signal(DataNotes::default());
    let connection = use_connection();
    let (cancelled, set_cancelled) = signal(None::<Cancelled>);
    let attempt = RwSignal::new(0_u32);
    let requests = StoredValue::new_local(AbortSlot::default());
    let generation = StoredValue::new(0_u64);
    // Whether the user (rather than a newer query) aborted the current load.
    let user_cancelled = StoredValue::new(false);
    // Where the last complete load stopped at its limit, and the query it loaded.
    let resumable = StoredValue::new(None::<(LogQuery, Resume)>);

    // One load of the current query (read tracked inside the effect below); returns the
    // attempt it belongs to.
    let load = move |previous_attempt: Option<u32>| {
        let query = query.get();
        let chosen = chosen.get_untracked();
        let this_attempt = attempt.get();
        // More of the same query continues from where the last load stopped (a retry
        // loads everything again).
        let resume = resumable
            .try_update_value(Option::take)
            .flatten()
            .filter(|(loaded, resume)| {
                previous_attempt == Some(this_attempt)
                    && loaded.differs_only_in_limit(&query)
                    && query.limit as usize > resume.received
            })
            .filter(|_| rows.with_untracked(Option::is_some))
            .map(|(_, resume)| resume);
        let already = if resume.is_some() {
            rows.with_untracked(|r| r.as_ref().map_or(0, |r| r.len()))
        } else {
            0
        };
        let signal = requests.try_with_value(AbortSlot::renew).flatten();
        generation.update_value(|g| *g += 1);
        user_cancelled.set_value(false);
        let this = generation.get_value();
        let current = move || generation.try_get_value() == Some(this);
        set_error.set(None);
        set_retrying.set(None);
        set_cancelled.set(None);
        set_progress.set(Some((already, query.limit)));
        set_streaming.set(false);
        let client = client.clone();
        let resuming = resume.is_some();
        start_now(async move {
            let limit = query.limit;
            let LoadOutcome {
                rows: loaded,
                error,
                duplicates,
                mut unapplied,
                unmapped,
                total,
                diagnostics,
                next,
            } = client
                .load_logs(
                    &query,
                    &chosen,
                    page_size,
                    resume,
                    signal.as_ref(),
                    |event| {
                        if !current() {
                            return;
                        }
                        match event {
                            LoadEvent::Received(received) => {
                                set_retrying.try_set(None);
                                set_progress.try_set(Some((already + received, limit)));
                            }
                            LoadEvent::Retrying(notice) => {
                                set_retrying.try_set(Some(notice));
                            }
                            // The first page is shown at once (not when continuing a
                            // load: its earlier rows are on screen already); the rest
                            // replaces it when complete.
                            LoadEvent::FirstRows(first) if !resuming => {
                                set_rows.try_set(Some(Arc::new(first)));
                                set_streaming.try_set(true);
                            }
                            LoadEvent::FirstRows(_) => {}
                        }
                    },
                )
                .await;
            if !current() {
                return;
            }
            set_progress.try_set(None);
            set_retrying.try_set(None);
            let streamed = streaming.try_get_untracked() == Some(true);
            set_streaming.try_set(false);
            if error.is_none() {
                resumable.try_set_value(next.map(|next| (query.clone(), next)));
            }
            // Continued rows follow the ones already loaded (each record once).
            let (mut loaded, duplicates) = if resuming {
                let mut all = rows.with_untracked(|r| r.as_deref().cloned().unwrap_or_default());
                all.reserve_exact(loaded.len());
                all.extend(loaded);
                let dropped = drop_duplicate_ids(&mut all);
                (all, duplicates + dropped)
            } else {
                (loaded, duplicates)
            };
            // Unresolved only, across pages: a backend that applied it sent one row per
            // record; one that did not is caught here (and by the re-check per page).
            if query.latest {
                unapplied.add(drop_older_attempts(&mut loaded));
            }
            if !loaded.is_empty() || error.is_none() {
                let mut backend =
                    load_notices(&unapplied, &unmapped, |filter| client.param_name(filter));
                backend.extend(diagnostics);
                set_notes.try_set(DataNotes {
                    duplicates,
                    flagged: loaded.iter().filter(|row| !row.flags.is_empty()).count(),
                    backend,
                    total,
                    ignored_filters: !unapplied.is_empty(),
                    interrupted: (streamed
                        && error.as_ref().is_some_and(|e| *e != ApiError::Aborted))
                    .then_some((loaded.len(), limit)),
                });
            }
            if error.as_ref().is_some_and(ApiError::is_unreachable) {
                connection.unreachable();
            } else {
                connection.answered();
            }
            match error {
                None => {
                    set_rows.try_set(Some(Arc::new(loaded)));
                }
                Some(ApiError::Aborted) if user_cancelled.try_get_value() == Some(true) => {
                    let received = loaded.len();
                    // Nothing arrived yet: keep showing what was there before.
                    if received > 0 {
                        set_rows.try_set(Some(Arc::new(loaded)));
                    }
                    set_cancelled.try_set(Some(Cancelled { received, limit }));
                }
                Some(ApiError::Aborted) => {}
                Some(err) => {
                    // Part of this load is on screen already: show all that arrived
                    // with the error, rather than only its first page.
                    if streamed && !loaded.is_empty() {
                        set_rows.try_set(Some(Arc::new(loaded)));
                    }
                    set_error.try_set(Some(err));
                }
            }
        });
        this_attempt
    };
    // The first load starts now, while the page builds its view, so its first request is
    // on its way before the view is done; the effect starts the others, when the query
    // changes or a retry is asked for (and the first again, had the query changed before
    // the effect's first run).
    let first_query = query.get_untracked();
    let first = untrack({
        let load = load.clone();
        move || load(None)
    });
    Effect::new(move |previous_attempt: Option<u32>| {
        // On its first run only: the load started above is the one wanted (reading both
        // also subscribes the effect to them, as `load` does).
        if previous_attempt.is_none() && query.with(|q| *q == first_query) && attempt.get() == first
        {
            return first;
        }
        load(previous_attempt.or(Some(first)))
    });
    on_cleanup(move || {
        requests.try_with_value(AbortSlot::abort);
    });
    // Back online: a load that failed for want of a network runs again by itself.
    Effect::new(move |was_online: Option<bool>| {
        let online = connection.online.get();
        if online && was_online == Some(false) {
            let failed = error.with_untracked(|e| e.as_ref().is_some_and(ApiError::is_unreachable));
            if failed {
                attempt.update(|n| *n += 1);
            }
        }
        online
    });

    UseLogLoaderReturn {
        rows,
        progress,
        streaming,
        error,
        retrying,
        notes,
        cancelled,
        retry: Callback::new(move |()| attempt.update(|n| *n += 1)),
        cancel: Callback::new(move |()| {
            user_cancelled.set_value(true);
            requests.with_value(AbortSlot::abort);
        }),
        prepend: Callback::new(move |newer: Vec<SyncLog>| {
            if newer.is_empty() {
                return;
            }
            set_rows.update(|rows| {
                let old = rows.as_deref().map(Vec::as_slice).unwrap_or_default();
                let mut next = Vec::with_capacity(newer.len() + old.len());
                next.extend(newer);
                next.extend_from_slice(old);
                *rows = Some(Arc::new(next));
            });
        }),
        remove: Callback::new(move |gone: Vec<String>| {
            if gone.is_empty() {
                return;
            }
            let gone: std::collections::HashSet<String> = gone.into_iter().collect();
            set_rows.update(|rows| {
                if let Some(current) = rows {
                    let kept: Vec<SyncLog> = current
                        .iter()
                        .filter(|row| !gone.contains(&row.id))
                        .cloned()
                        .collect();
                    *current = Arc::new(kept);
                }
            });
        }),
        patch: Callback::new(move |updates: Vec<SyncLog>| {
            if updates.is_empty() {
                return;
            }
            let updates: std::collections::HashMap<String, SyncLog> = updates
                .into_iter()
                .map(|row| (row.id.clone(), row))
                .collect();
            set_rows.update(|rows| {
                if let Some(current) = rows {
                    let mut next = Vec::clone(current);
                    for row in next.iter_mut() {
                        if let Some(update) = updates.get(&row.id) {
                            *row = update.clone();
                        }
                    }
                    *current = Arc::new(next);
                }
            });
        }),
    }
}
