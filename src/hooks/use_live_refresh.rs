//! Live refresh: every `period` seconds, ask for the records newer than the newest one
//! loaded (same filters, `from` = that record's start, less [`LATE_ARRIVALS`] for the
//! records a pipeline writes after newer ones) and hold those not yet known, by id, as
//! "N new records"
//! until the user chooses to show them, so nothing moves under the reader. Showing them
//! prepends them to the loaded rows; the selection and the place in the table stay.
//!
//! It pauses while the tab is hidden (and refreshes as soon as it is visible again), skips
//! a turn while a load runs, stays off when the view has a fixed end (`to` in the
//! address), and backs off when the backend fails: the wait doubles per failure, up to
//! eight times the period, and a success brings it back.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::{prelude::*, task::spawn_local};
use leptos_use::use_document_visibility;
use sync_logs_core::{query::MAX_PAGE_SIZE, LogQuery, SyncLog};

use web_sys::VisibilityState;

use crate::api::{ApiClient, ApiError};

/// How far before the newest known start each turn asks from. A pipeline writes a batch
/// over a while, and a record can land after a newer one; without this overlap a turn
/// that ran in between would never see it. What comes back twice is dropped by id.
const LATE_ARRIVALS: chrono::Duration = chrono::Duration::minutes(2);

/// The choices of the auto-refresh control, in seconds (0 is off).
pub const PERIODS: [u32; 4] = [0, 15, 60, 300];

/// What the refresh is doing, for the control's caption.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshState {
    Off,
    /// Waiting for the next turn.
    Waiting,
    /// The tab is hidden.
    Paused,
    /// The last `failures` turns failed; the next one is in `wait`.
    BackingOff {
        failures: u32,
        wait: Duration,
        error: ApiError,
    },
}

/// What [`use_live_refresh`] exposes.
#[derive(Clone, Copy)]
pub struct UseLiveRefreshReturn {
    /// New records waiting to be shown, newest first.
    pub pending: ReadSignal<Vec<SyncLog>>,
    pub state: ReadSignal<RefreshState>,
    /// Prepends the pending records to the loaded rows.
    pub show: Callback<()>,
}

/// What [`use_live_refresh`] refreshes, and how often.
pub struct LiveRefreshInputs {
    /// The query in force; a new one starts over.
    pub query: Memo<LogQuery>,
    /// The view has a fixed end (`to` in the address): nothing new can match.
    pub fixed_end: Signal<bool>,
    /// The loaded rows, to ask from the newest one's start and to skip what is known.
    pub rows: Memo<Arc<Vec<SyncLog>>>,
    /// A load is running: the turn is skipped.
    pub loading: Memo<bool>,
    /// Seconds between turns; 0 is off.
    pub period: Signal<u32>,
    pub client: ApiClient,
    pub page_size: u32,
    /// Adds shown records to the loaded rows.
    pub prepend: Callback<Vec<SyncLog>>,
}

/// Refreshes the query every `period` seconds while rows are loaded and the tab is
/// visible.
pub fn use_live_refresh(inputs: LiveRefreshInputs) -> UseLiveRefreshReturn {
    let LiveRefreshInputs {
        query,
        fixed_end,
        rows,
        loading,
        period,
        client,
        page_size,
        prepend,
    } = inputs;
    let (pending, set_pending) = signal(Vec::<SyncLog>::new());
    let (state, set_state) = signal(RefreshState::Off);
    let visibility = use_document_visibility();
    let hidden = Memo::new(move |_| visibility.get() == VisibilityState::Hidden);

    // A new query starts over: what was pending belonged to the old one.
    Effect::new(move |_| {
        query.track();
        set_pending.set(Vec::new());
    });

    // One loop of turns per setting: a change of period, of the fixed end or of the tab's
    // visibility ends the loop and starts another. So nothing runs while the tab is
    // hidden, and the first turn after it shows again is at once.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |was_paused: Option<bool>| {
        let period = period.get();
        let off = period == 0 || fixed_end.get();
        let hidden = hidden.get();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        let current = move || generation.try_get_value() == Some(this);
        if off {
            set_state.set(RefreshState::Off);
            return false;
        }
        if hidden {
            set_state.set(RefreshState::Paused);
            return true;
        }
        set_state.set(RefreshState::Waiting);
        let client = client.clone();
        let base = Duration::from_secs(u64::from(period));
        let mut resume = was_paused == Some(true);
        spawn_local(async move {
            let mut failures = 0_u32;
            loop {
                let wait = if std::mem::take(&mut resume) {
                    Duration::ZERO
                } else {
                    backoff(base, failures)
                };
                gloo_timers::future::sleep(wait).await;
                if !current() {
                    return;
                }
                if loading.try_get_untracked() != Some(false) {
                    continue;
                }
                let Some(newest) = newest_start(rows, pending) else {
                    continue;
                };
                let Some(base_query) = query.try_get_untracked() else {
                    return;
                };
                // Never before the query's own start.
                let early = newest - LATE_ARRIVALS;
                let from = base_query.from.map_or(early, |start| early.max(start));
                let ask = LogQuery {
                    from: Some(from),
                    to: None,
                    limit: page_size.clamp(1, MAX_PAGE_SIZE),
                    ..base_query
                };
                match client.sync_logs_page(&ask, None, None, &mut |_| {}).await {
                    Ok(page) if current() => {
                        failures = 0;
                        set_state.try_set(RefreshState::Waiting);
                        let fresh = unseen(page.items, rows, pending);
                        if !fresh.is_empty() {
                            set_pending.try_update(|p| {
                                let mut next = fresh;
                                next.append(p);
                                *p = next;
                            });
                        }
                    }
                    Err(error) if current() => {
                        failures += 1;
                        set_state.try_set(RefreshState::BackingOff {
                            failures,
                            wait: backoff(base, failures),
                            error,
                        });
                    }
                    _ => return,
                }
            }
        });
        false
    });
    on_cleanup(move || generation.try_update_value(|g| *g += 1).unwrap_or_default());

    UseLiveRefreshReturn {
        pending,
        state,
        show: Callback::new(move |()| {
            let shown = std::mem::take(&mut *set_pending.write());
            if !shown.is_empty() {
                prepend.run(shown);
            }
        }),
    }
}

/// The wait before the next turn: the period, doubled per failure up to eight times.
fn backoff(period: Duration, failures: u32) -> Duration {
    period * 2_u32.pow(failures.min(3))
}

/// The latest start among the loaded and the pending records.
fn newest_start(
    rows: Memo<Arc<Vec<SyncLog>>>,
    pending: ReadSignal<Vec<SyncLog>>,
) -> Option<DateTime<Utc>> {
    let loaded = rows.try_with_untracked(|r| r.iter().map(|l| l.started_at).max())?;
    let waiting = pending.try_with_untracked(|p| p.iter().map(|l| l.started_at).max())?;
    loaded.into_iter().chain(waiting).max()
}

/// The records of `items` not already loaded or pending (the refresh asks from before the
/// newest start, so known records come back).
fn unseen(
    items: Vec<SyncLog>,
    rows: Memo<Arc<Vec<SyncLog>>>,
    pending: ReadSignal<Vec<SyncLog>>,
) -> Vec<SyncLog> {
    let Some(oldest) = items.iter().map(|l| l.started_at).min() else {
        return items;
    };
    let mut known: HashSet<String> = HashSet::new();
    let mut collect = |list: &[SyncLog]| {
        known.extend(
            list.iter()
                .filter(|l| l.started_at >= oldest)
                .map(|l| l.id.clone()),
        )
    };
    rows.with_untracked(|r| collect(r));
    pending.with_untracked(|p| collect(p));
    items
        .into_iter()
        .filter(|l| !known.contains(&l.id))
        .collect()
}
