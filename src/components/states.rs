//! The states a data region can be in besides "showing rows": loading (with progress for
//! large loads), empty, and failed (what happened, the status code, what to do, Retry).

use leptos::prelude::*;

use sync_logs_core::text::format_count;

use crate::api::ApiError;

/// Loading, with the running count when a load spans several pages.
#[component]
pub fn LoadingState(
    /// Rows received so far and the number asked for.
    #[prop(into)]
    progress: Signal<Option<(usize, u32)>>,
    /// A slim bar above rows already shown, rather than a whole panel.
    #[prop(into, optional)]
    compact: Signal<bool>,
    /// Offered as a Cancel button while loading.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let text = move || match progress.get() {
        Some((done, limit)) if done > 0 => format!(
            "Loading sync records… {} of up to {}",
            format_count(done),
            format_count(limit as usize)
        ),
        _ => "Loading sync records…".to_owned(),
    };
    view! {
        <div class="state state-loading" class:compact=compact role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{text}</span>
            {on_cancel.map(|cancel| view! {
                <button type="button" class="button small" on:click=move |_| cancel.run(())>
                    "Cancel"
                </button>
            })}
        </div>
    }
}

/// Nothing matches: say so and suggest how to find more.
#[component]
pub fn EmptyState() -> impl IntoView {
    view! {
        <div class="state state-empty" role="status">
            <h2>"No sync records match these filters"</h2>
            <p>"Widen the date range, raise the limit or clear the filters."</p>
        </div>
    }
}

/// A failed load: the message, the HTTP status when there is one, the next step and a
/// Retry button.
#[component]
pub fn ErrorState(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let status = error.status();
    let excerpt = match &error {
        ApiError::Decode { excerpt, .. } if !excerpt.is_empty() => Some(excerpt.clone()),
        _ => None,
    };
    view! {
        <div class="state state-error" role="alert">
            <h2>"Sync records could not be loaded"</h2>
            <p class="error-message">
                {status.map(|s| view! { <span class="error-status">{format!("HTTP {s}")}</span> })}
                {error.to_string()}
            </p>
            {excerpt.map(|text| view! { <pre class="error-excerpt">{text}</pre> })}
            <p class="error-next">{error.next_step()}</p>
            <button type="button" class="button primary" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
