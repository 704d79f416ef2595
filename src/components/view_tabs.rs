//! The tabs between the log, the runs and the dead-letter queue (with its count, and
//! left out when the backend has no queue), keeping the query (instance, range, …) when
//! switching.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};
use sync_logs_core::text::format_count;

use crate::api::QueueSize;
use crate::app::{app_href, AppContext};

#[component]
pub fn ViewTabs() -> impl IntoView {
    let location = use_location();
    let search = move || location.search.get();
    let with_query = move |path: &str| {
        let search = search();
        // Refinements of the log (search, column filters, card) do not apply to runs.
        let kept: Vec<(String, String)> = sync_logs_core::query::decode_pairs(&search)
            .into_iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "instance" | "entity_type" | "source_id" | "status" | "from" | "to" | "limit"
                )
            })
            .collect();
        if kept.is_empty() {
            path.to_owned()
        } else {
            let query = sync_logs_core::query::encode_pairs(
                kept.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
            format!("{path}?{query}")
        }
    };
    let AppContext {
        client,
        queue_epoch,
        ..
    } = expect_context::<AppContext>();
    let on_queue = move || location.pathname.with(|p| p.ends_with("/dead-letter"));
    let size = LocalResource::new(move || {
        queue_epoch.track();
        let client = client.clone();
        async move { client.queue_size().await }
    });
    // While the first count is asked, the tab shows only on its own page: a backend
    // without a queue never shows it.
    let shown = move || match size.get() {
        Some(Ok(QueueSize::Absent)) => false,
        Some(_) => true,
        None => on_queue(),
    };
    let count = move || match size.get() {
        Some(Ok(QueueSize::Count(n))) => Some(format_count(n as usize)),
        _ => None,
    };
    let title = move || match size.get() {
        Some(Ok(QueueSize::Count(n))) => format!(
            "{} waiting in the dead-letter queue (any date)",
            sync_logs_core::text::count_of(n as usize, "record", "records")
        ),
        Some(Ok(QueueSize::Uncounted)) => "This backend does not count its queue".to_owned(),
        Some(Err(error)) => format!("The queue could not be counted: {error}"),
        _ => "Records whose last allowed attempt failed".to_owned(),
    };
    view! {
        <nav class="view-tabs" aria-label="Views">
            <A href=move || app_href(&with_query("/sync-logs"))>"Records"</A>
            <A href=move || app_href(&with_query("/runs"))>"Runs"</A>
            <Show when=shown>
                <A href=move || app_href(&with_query("/dead-letter"))>
                    <span title=title>"Dead letter"</span>
                    {move || count().map(|n| view! { <span class="tab-count" data-testid="queue-count">{n}</span> })}
                </A>
            </Show>
        </nav>
    }
}
