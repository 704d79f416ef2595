//! The states a data region can be in besides "showing rows": loading (with progress for
//! large loads), empty, and failed (what happened, the status code, what to do, Retry).

use leptos::prelude::*;

use sync_logs_core::text::format_count;

use crate::api::{ApiError, RetryNotice};

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
    /// Set while a failed request waits to be tried again.
    #[prop(into, optional)]
    retrying: Signal<Option<RetryNotice>>,
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
            {move || progress.get().filter(|(done, _)| *done > 0).map(|(done, limit)| view! {
                <progress
                    class="load-progress"
                    max=limit.to_string()
                    value=done.to_string()
                    aria-label="Records received"
                ></progress>
            })}
            {move || retrying.get().map(|notice| view! {
                <span class="retrying">{retry_text(&notice)}</span>
            })}
            {on_cancel.map(|cancel| view! {
                <button type="button" class="button small" on:click=move |_| cancel.run(())>
                    "Cancel"
                </button>
            })}
        </div>
    }
}

/// "Retrying in 3 s (try 2 of 5): HTTP 503, the server had a problem."
fn retry_text(notice: &RetryNotice) -> String {
    let seconds = notice.wait.as_secs_f64().ceil().max(1.0);
    format!(
        "{}; retrying in {seconds} s (try {} of {})",
        notice.reason.summary(),
        notice.next_try,
        notice.max_tries
    )
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
    let heading = match status {
        Some(401) => "Your session has expired — sign in again",
        Some(403) => "You are not permitted to view these records",
        _ => "Sync records could not be loaded",
    };
    // Signing in again happens outside the app (the portal's login); reloading the same
    // address afterwards keeps every filter, since they live in the URL.
    let sign_in = (status == Some(401)).then(|| {
        view! {
            <button type="button" class="button" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }>"Sign in again"</button>
        }
    });
    view! {
        <div class="state state-error" role="alert" data-status=status.map(|s| s.to_string())>
            <h2>{heading}</h2>
            <p class="error-message">
                {status.map(|s| view! { <span class="error-status">{format!("HTTP {s}")}</span> })}
                {error.to_string()}
            </p>
            {excerpt.map(|text| view! { <pre class="error-excerpt">{text}</pre> })}
            {(!error.technical_detail().is_empty()).then(|| view! {
                <details class="error-technical">
                    <summary>"Technical details"</summary>
                    <code>{error.technical_detail().to_owned()}</code>
                </details>
            })}
            <p class="error-next">{error.next_step()}</p>
            <div class="state-actions">
                <button type="button" class="button primary" on:click=move |_| on_retry.run(())>
                    "Retry"
                </button>
                {sign_in}
            </div>
        </div>
    }
}
