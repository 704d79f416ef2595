//! The Sync Logs page: loads the records of the current query and shows them, with
//! loading, empty and error states. Rows already loaded stay on screen while a new
//! query loads or if it fails.
//!
//! The query comes from the URL (so a copied link reopens the same view); a missing
//! range defaults to the last `default_range_days`, a missing limit to `default_limit`.

use std::sync::Arc;

use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use sync_logs_core::{AppConfig, LogQuery, SyncLog};

use crate::app::AppContext;
use crate::components::{
    log_table::LogTable,
    states::{EmptyState, ErrorState, LoadingState},
};
use crate::hooks::use_log_loader::{use_log_loader, UseLogLoaderReturn};

/// The query of a URL, with the configured defaults for what it leaves out. A URL that
/// does not parse falls back to the defaults rather than to an error page.
fn query_from_url(pairs: &[(String, String)], config: &AppConfig) -> LogQuery {
    let mut query = LogQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .unwrap_or_default();
    let has = |key: &str| pairs.iter().any(|(k, v)| k == key && !v.is_empty());
    if !has("limit") {
        query.limit = config.default_limit;
    }
    if query.from.is_none() && query.to.is_none() {
        query.from = Some(Utc::now() - Duration::days(i64::from(config.default_range_days)));
    }
    query
}

/// The page.
#[component]
pub fn SyncLogsPage() -> impl IntoView {
    let AppContext { config, client } = expect_context::<AppContext>();
    let page_size = config.page_size;
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let pairs: Vec<(String, String)> = url.with(|map| {
            map.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        query_from_url(&pairs, &config)
    });
    let UseLogLoaderReturn {
        rows,
        progress,
        error,
        retry,
    } = use_log_loader(query, client, page_size);
    let loading = Memo::new(move |_| progress.with(Option::is_some));
    let has_rows = Memo::new(move |_| rows.with(Option::is_some));

    view! {
        <section class="page sync-logs" aria-labelledby="page-title">
            <div class="page-head">
                <h1 id="page-title">"Sync Logs"</h1>
                <p class="page-lead">"Every record the pipeline moved, newest first."</p>
            </div>
            <Show when=move || loading.get()>
                <LoadingState progress compact=has_rows />
            </Show>
            {move || error.get().map(|error| view! { <ErrorState error on_retry=retry /> })}
            {move || rows.get().map(|rows| rows_view(rows, loading))}
        </section>
    }
}

fn rows_view(rows: Arc<Vec<SyncLog>>, loading: Memo<bool>) -> impl IntoView {
    if rows.is_empty() {
        view! {
            <Show when=move || !loading.get()>
                <EmptyState />
            </Show>
        }
        .into_any()
    } else {
        let count = rows.len();
        view! {
            <p class="row-count">{format!("{count} records loaded")}</p>
            <div class="rows" class:stale=move || loading.get()>
                <LogTable rows />
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_url_gets_the_configured_defaults() {
        let config = AppConfig {
            default_limit: 250,
            ..AppConfig::default()
        };
        let query = query_from_url(&[], &config);
        assert_eq!(query.limit, 250);
        let from = query.from.expect("a default range");
        let days = (Utc::now() - from).num_hours() as f64 / 24.0;
        assert!((days - 5.0).abs() < 0.01, "{days}");
    }

    #[test]
    fn url_values_win_over_defaults() {
        let pairs = vec![
            ("limit".to_owned(), "5000".to_owned()),
            ("instance".to_owned(), "A → B".to_owned()),
            ("to".to_owned(), "2026-11-01T00:00:00Z".to_owned()),
        ];
        let query = query_from_url(&pairs, &AppConfig::default());
        assert_eq!(query.limit, 5000);
        assert_eq!(query.instance.as_deref(), Some("A → B"));
        assert_eq!(query.from, None);
    }
}
