//! Search across the loaded rows: systems, sync id, reference, target id and details.
//! The text refines the rows on every keystroke (the page reads `text`); the URL follows
//! after a pause, with one history entry per typing session.

use leptos::prelude::*;

use super::typing_input::TypingInput;
use crate::hooks::use_view_state::History;

/// The search box.
#[component]
pub fn SearchBox(
    text: RwSignal<String>,
    /// The search in force (from the URL).
    #[prop(into)]
    committed: Signal<String>,
    on_change: Callback<(String, History)>,
    /// The box got the focus or the pointer: a search may follow.
    on_intent: Callback<()>,
) -> impl IntoView {
    view! {
        <label
            class="search-box"
            on:focusin=move |_| on_intent.run(())
            on:pointerenter=move |_| on_intent.run(())
        >
            <span class="visually-hidden">"Search loaded records"</span>
            // The URL waits for a pause: typing a word rewrites the address once.
            <TypingInput
                text
                committed
                on_commit=on_change
                pause_ms=300.0
                placeholder="Search system, sync id, reference, target id, details"
            />
        </label>
    }
}
