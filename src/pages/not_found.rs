//! The page for an address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::app_href;

/// Says the address is unknown and offers the way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="state state-not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href=app_href("/sync-logs")>"Go to Sync Logs"</A>
        </section>
    }
}
