//! The counts of everything the query matches (`GET /sync-logs/summary`), for the cards
//! and the timeline. Asked again when the query changes, except for its limit (loading
//! more rows changes nothing the summary counts), and whenever live refresh finds new
//! records. A request superseded by a newer one is aborted. Without a summary, a backend
//! profile's total (from the load) still counts the matches.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::summary::{check, Summary};
use sync_logs_core::timeline::{Grid, Timeline};
use sync_logs_core::LogQuery;

use crate::api::{AbortSlot, ApiClient, ApiError};
use crate::hooks::use_log_loader::DataNotes;

/// What the cards know about the whole range.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeCounts {
    /// Being counted.
    Counting,
    /// Counted by the backend: per tone, or (a backend profile's total) the total only.
    Known(Summary),
    /// The backend cannot count it (or failed to): the cards count the loaded rows.
    Unknown,
}

impl RangeCounts {
    pub fn stats(&self) -> Option<sync_logs_core::Stats> {
        match self {
            RangeCounts::Known(summary) => summary.stats,
            _ => None,
        }
    }

    pub fn total(&self) -> Option<u64> {
        match self {
            RangeCounts::Known(summary) => Some(summary.total),
            _ => None,
        }
    }
}

/// Where the summary stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryState {
    /// Asked for; the previous summary (if the query is the same) is still shown.
    Loading,
    Ready(Summary),
    /// The backend has no summary endpoint: the cards count the loaded records.
    Unsupported,
    /// It could not be had; the cards count the loaded records and say why.
    Failed(ApiError),
}

impl SummaryState {
    pub fn summary(&self) -> Option<&Summary> {
        match self {
            SummaryState::Ready(summary) => Some(summary),
            _ => None,
        }
    }
}

/// What [`use_summary`] counts, and when again.
pub struct SummaryInputs {
    /// The query as sent.
    pub query: Memo<LogQuery>,
    /// How many new records live refresh holds: when it grows, the counts are asked again.
    pub news: Signal<usize>,
    /// The latest load's notes, for a backend profile's total.
    pub notes: ReadSignal<DataNotes>,
    pub client: ApiClient,
}

/// What [`use_summary`] exposes.
#[derive(Clone, Copy)]
pub struct UseSummaryReturn {
    pub state: ReadSignal<SummaryState>,
    /// What the cards show of the whole range.
    pub counts: Signal<RangeCounts>,
    /// How many records match, when the backend says.
    pub total: Signal<Option<u64>>,
    /// The buckets of the whole range, for the timeline.
    pub buckets: Signal<Option<(Grid, Timeline)>>,
}

/// Asks for the summary of the query whenever it (limit aside) changes, or live refresh
/// finds more records.
pub fn use_summary(inputs: SummaryInputs) -> UseSummaryReturn {
    let SummaryInputs {
        query,
        news,
        notes,
        client,
    } = inputs;
    let refresh = RwSignal::new(0_usize);
    Effect::new(move |before: Option<usize>| {
        let now = news.get();
        if before.is_some_and(|b| now > b) {
            refresh.update(|n| *n += 1);
        }
        now
    });
    let (state, set_state) = signal(SummaryState::Loading);
    let (kept, set_kept) = signal(None::<Summary>);
    let key = Memo::new(move |_| LogQuery {
        limit: 0,
        ..query.get()
    });
    let requests = StoredValue::new_local(AbortSlot::default());
    let generation = StoredValue::new(0_u64);

    // A new query forgets the old counts at once: they belong to other filters.
    Effect::new(move |_| {
        key.track();
        set_kept.set(None);
    });
    Effect::new(move |_| {
        let asked = key.get();
        refresh.track();
        let signal = requests.try_with_value(AbortSlot::renew).flatten();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        set_state.set(SummaryState::Loading);
        let client = client.clone();
        spawn_local(async move {
            let answer = client.summary(&asked, signal.as_ref()).await;
            if generation.try_get_value() != Some(this) {
                return;
            }
            let next = match answer {
                Ok(Some(response)) => {
                    let summary = check(&response, asked.from, asked.to);
                    set_kept.try_set(Some(summary.clone()));
                    SummaryState::Ready(summary)
                }
                Ok(None) => SummaryState::Unsupported,
                Err(ApiError::Aborted) => return,
                Err(error) => {
                    set_kept.try_set(None);
                    SummaryState::Failed(error)
                }
            };
            set_state.try_set(next);
        });
    });
    on_cleanup(move || {
        requests.try_with_value(AbortSlot::abort);
    });
    let counts = Signal::derive(move || {
        if let Some(known) = kept.get() {
            return RangeCounts::Known(known);
        }
        match state.get() {
            SummaryState::Loading => RangeCounts::Counting,
            SummaryState::Ready(known) => RangeCounts::Known(known),
            // A backend profile may count the matches without a summary; a backend that
            // ignored a filter counted records the view does not hold.
            _ => notes.with(|n| match n.total {
                Some(total) if !n.ignored_filters => RangeCounts::Known(Summary::total_only(total)),
                _ => RangeCounts::Unknown,
            }),
        }
    });
    UseSummaryReturn {
        state,
        counts,
        total: Signal::derive(move || counts.with(RangeCounts::total)),
        buckets: Signal::derive(move || kept.with(|s| s.as_ref().and_then(|s| s.timeline.clone()))),
    }
}
