//! Loads the records of a query whenever it changes, page by page.
//!
//! Deliberately not a `Resource` read under `<Suspense>`: the router holds a navigation
//! until the route's pending resources settle, so a slow query would delay the user's
//! next filter change. Here each change applies at once: the request in flight is
//! aborted, and a late answer from it is ignored by generation, so it can never
//! overwrite a newer one. The last loaded rows stay available while a new load runs or
//! after it fails, so nothing the user had is lost.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::{LogQuery, SyncLog};

use crate::api::{AbortSlot, ApiClient, ApiError};

/// What [`use_log_loader`] exposes.
#[derive(Clone, Copy)]
pub struct UseLogLoaderReturn {
    /// The rows of the last load that succeeded; `None` before the first.
    pub rows: ReadSignal<Option<Arc<Vec<SyncLog>>>>,
    /// `Some((received, limit))` while a load runs.
    pub progress: ReadSignal<Option<(usize, u32)>>,
    /// Why the latest load failed, until the next one starts.
    pub error: ReadSignal<Option<ApiError>>,
    /// Runs the current query again.
    pub retry: Callback<()>,
}

/// Loads `query` through `client`, at most `page_size` rows per request.
///
/// ```ignore
/// let load = use_log_loader(query, client, config.page_size);
/// view! { {move || load.rows.get().map(|rows| rows.len())} }
/// ```
pub fn use_log_loader(
    query: Memo<LogQuery>,
    client: ApiClient,
    page_size: u32,
) -> UseLogLoaderReturn {
    let (rows, set_rows) = signal(None::<Arc<Vec<SyncLog>>>);
    let (progress, set_progress) = signal(None::<(usize, u32)>);
    let (error, set_error) = signal(None::<ApiError>);
    let attempt = RwSignal::new(0_u32);
    let requests = StoredValue::new_local(AbortSlot::default());
    let generation = StoredValue::new(0_u64);

    Effect::new(move |_| {
        let query = query.get();
        attempt.track();
        let signal = requests.try_with_value(AbortSlot::renew).flatten();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        let current = move || generation.try_get_value() == Some(this);
        set_error.set(None);
        set_progress.set(Some((0, query.limit)));
        let client = client.clone();
        spawn_local(async move {
            let limit = query.limit;
            let result = client
                .load_logs(&query, page_size, signal.as_ref(), |received| {
                    if current() {
                        set_progress.try_set(Some((received, limit)));
                    }
                })
                .await;
            if !current() {
                return;
            }
            set_progress.try_set(None);
            match result {
                Ok(loaded) => {
                    set_rows.try_set(Some(Arc::new(loaded)));
                }
                Err(ApiError::Aborted) => {}
                Err(err) => {
                    set_error.try_set(Some(err));
                }
            }
        });
    });
    on_cleanup(move || {
        requests.try_with_value(AbortSlot::abort);
    });

    UseLogLoaderReturn {
        rows,
        progress,
        error,
        retry: Callback::new(move |()| attempt.update(|n| *n += 1)),
    }
}
