//! The view state of the Sync Logs page, read from and written to the URL, so a copied
//! link reopens the same view and back/forward walk through filter changes.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::hooks::use_embedding::with_embed_flag;
use leptos_router::NavigateOptions;
use sync_logs_core::{QueryError, ViewState};

/// Whether a change gets its own history entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A deliberate change (a select, a button): Back returns to the view before it.
    Push,
    /// A refinement of the change just made (further typing): no new entry.
    Replace,
}

/// What [`use_view_state`] exposes.
#[derive(Clone, Copy)]
pub struct UseViewStateReturn {
    pub view: Memo<ViewState>,
    /// A URL parameter that could not be read and was ignored.
    pub dropped: Memo<Option<QueryError>>,
    pub set_view: Callback<(ViewState, History)>,
}

/// Reads the view from the URL; `default_limit` is the limit a URL without one means.
pub fn use_view_state(default_limit: u32) -> UseViewStateReturn {
    let url = use_query_map();
    let parsed = Memo::new(move |_| {
        let pairs: Vec<(String, String)> = url.with(|map| {
            map.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        ViewState::from_pairs(&pairs, default_limit)
    });
    let view = Memo::new(move |_| parsed.with(|(view, _)| view.clone()));
    let dropped = Memo::new(move |_| parsed.with(|(_, error)| error.clone()));
    let navigate = use_navigate();
    let path = use_location().pathname;
    let set_view = Callback::new(move |(next, history): (ViewState, History)| {
        let query = with_embed_flag(&next.to_query_string(default_limit));
        let path = path.get_untracked();
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                // `path` is the whole current path, base included.
                resolve: false,
                replace: history == History::Replace,
                scroll: false,
                ..Default::default()
            },
        );
    });
    UseViewStateReturn {
        view,
        dropped,
        set_view,
    }
}
