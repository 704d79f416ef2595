//! The tabs between the log and the runs, keeping the query (instance, range, …) when
//! switching.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::app::app_href;

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
    view! {
        <nav class="view-tabs" aria-label="Views">
            <A href=move || app_href(&with_query("/sync-logs"))>"Records"</A>
            <A href=move || app_href(&with_query("/runs"))>"Runs"</A>
        </nav>
    }
}
