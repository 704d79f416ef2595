//! The banner that says the connection is gone (the browser is offline, or the server
//! did not answer) and that what is on screen stays until it is back.

use leptos::prelude::*;

use crate::hooks::use_connection::use_connection;

/// Shown only while offline or unreachable; announced politely.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let connection = use_connection();
    let message = move || {
        if !connection.online.get() {
            Some((
                "You are offline.",
                "What is loaded stays on screen; loading resumes by itself when the connection is back.",
            ))
        } else if connection.unreachable.get() {
            Some((
                "The server cannot be reached.",
                "What is loaded stays on screen; use Retry once the server is back.",
            ))
        } else {
            None
        }
    };
    view! {
        <div class="connection-banner-region" role="status" aria-live="polite">
            {move || message().map(|(title, next)| view! {
                <p class="notice notice-warning connection-banner">
                    <strong>{title}</strong>" "{next}
                </p>
            })}
        </div>
    }
}
