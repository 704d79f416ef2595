//! A record's history: a side panel with every attempt of the same source record across
//! runs (oldest first), what they say about resending it, and the record's audit trail
//! (dead-lettered, replayed, discarded, restored: when, by whom, why) when the backend
//! keeps one.

use leptos::prelude::*;
use std::sync::Arc;

use sync_logs_core::{
    history::{assess, attempts_in},
    text::format_count,
    AttemptsResponse, EventsResponse, RecordEvent, SyncLog, TimeZonePref,
};

use super::region::Region;
use super::status_badge::StatusBadge;
use super::time_cell::TimeCell;
use crate::api::{ApiClient, ApiError};

#[component]
pub fn HistoryPanel(
    /// The record whose history to show.
    record: SyncLog,
    client: ApiClient,
    /// The loaded rows: the history of a backend without an attempts endpoint.
    #[prop(into)]
    loaded: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    on_close: Callback<()>,
) -> impl IntoView {
    let id = record.id.clone();
    let events = {
        let client = client.clone();
        let id = id.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let id = id.clone();
            async move { client.events(&id, None).await }
        })
    };
    // Why the attempts were built from the loaded rows, when they were.
    let from_rows = RwSignal::new(None::<&'static str>);
    let attempts = {
        let record = record.clone();
        LocalResource::new(move || {
            let client = client.clone();
            let id = id.clone();
            let record = record.clone();
            async move {
                match client.attempts(&id, None).await {
                    // No attempts endpoint, or an id no path can carry: what the loaded
                    // records say.
                    Err(
                        error @ (ApiError::Http { status: 404, .. } | ApiError::UnsafeId { .. }),
                    ) => {
                        from_rows.try_set(Some(match error {
                            ApiError::UnsafeId { .. } => "Built from the loaded records: this record's id (. or ..) cannot be sent in a request path, so the server was not asked.",
                            _ => "Built from the loaded records: this backend offers no history of a record.",
                        }));
                        let items = loaded.with_untracked(|rows| attempts_in(rows, &record));
                        Ok(AttemptsResponse { items })
                    }
                    other => other,
                }
            }
        })
    };
    // An answer that failed renders as `Err`, caught by the region around it.
    let body = move || -> Result<AnyView, ApiError> {
        let answer: Option<Result<AttemptsResponse, ApiError>> = attempts.get();
        Ok(match answer {
            None => view! { <p class="muted" role="status">"Loading the attempts…"</p> }.into_any(),
            Some(Err(error)) => return Err(error),
            Some(Ok(AttemptsResponse { items })) => {
                let verdict = assess(&items);
                let futile = verdict.retry_is_futile();
                view! {
                    <p class="history-verdict" class:futile=futile role="status">{verdict.message()}</p>
                    <p class="muted">{format!("{} attempt(s), oldest first", format_count(items.len()))}</p>
                    {move || from_rows.get().map(|why| view! {
                        <p class="muted" role="note">{why}</p>
                    })}
                    <ol class="history-list">
                        {items.into_iter().map(|a| view! {
                            <li class="history-item" data-id=a.id.clone()>
                                <div class="history-head">
                                    <StatusBadge status=a.status.clone() />
                                    <TimeCell at=a.started_at zone />
                                    <span class="muted mono">{a.correlation_id.clone().map(|r| format!("run {r}")).unwrap_or_default()}</span>
                                </div>
                                {a.dead_lettered_at.map(|at| view! {
                                    <p class="history-dead">"Dead-lettered " <TimeCell at zone /></p>
                                })}
                                {a.details.clone().filter(|d| !d.trim().is_empty()).map(|d| view! {
                                    <p class="history-details">{d}</p>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }
        })
    };
    let title = format!(
        "History of {} · {} · {}",
        record.source_id, record.entity_type, record.instance
    );
    let label = title.clone();
    view! {
        <aside
            class="history-panel"
            role="dialog"
            aria-label=label
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <header class="history-header">
                <h2>{title}</h2>
                <button type="button" class="button small" autofocus on:click=move |_| on_close.run(())>"Close"</button>
            </header>
            <Region name="the history of this record" on_retry=Callback::new(move |()| attempts.refetch())>
                {body}
            </Region>
            <Region name="the audit trail of this record" on_retry=Callback::new(move |()| events.refetch())>
                {move || -> Result<Option<AnyView>, ApiError> {
                    Ok(match events.get() {
                        None | Some(Ok(None)) => None,
                        Some(Err(error)) => return Err(error),
                        Some(Ok(Some(EventsResponse { items }))) => Some(view! { <AuditTrail items zone /> }.into_any()),
                    })
                }}
            </Region>
        </aside>
    }
}

/// The operators' actions on the record, oldest first.
#[component]
fn AuditTrail(items: Vec<RecordEvent>, zone: Signal<TimeZonePref>) -> impl IntoView {
    view! {
        <section class="history-audit" aria-label="Audit trail">
            <h3>"Audit trail"</h3>
            {if items.is_empty() {
                view! { <p class="muted">"No one has acted on this record."</p> }.into_any()
            } else {
                view! {
                    <ol class="history-list">
                        {items.into_iter().map(|e| view! {
                            <li class="audit-item" data-action=e.action.clone()>
                                <div class="history-head">
                                    <strong>{action_label(&e.action)}</strong>
                                    <TimeCell at=e.at zone />
                                    <span class="muted">"by " {e.user}</span>
                                </div>
                                {e.reason.filter(|r| !r.trim().is_empty()).map(|r| view! {
                                    <p class="history-details">{r}</p>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// How an audit action reads; an action this app does not know shows as sent.
fn action_label(action: &str) -> String {
    match action {
        "dead_lettered" => "Dead-lettered".to_owned(),
        "replayed" => "Replayed".to_owned(),
        "discarded" => "Discarded".to_owned(),
        "restored" => "Restored to the queue".to_owned(),
        other => other.to_owned(),
    }
}
