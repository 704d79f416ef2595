//! Search across the loaded rows: systems, sync id, reference, target id and details.
//! The text refines the rows on every keystroke (the page reads `text`); the URL follows
//! after a short pause, with one history entry per typing session.

use leptos::prelude::*;
use leptos_use::use_debounce_fn_with_arg;

use crate::hooks::use_view_state::History;

/// Milliseconds between the last keystroke and the URL write: typing a word rewrites the
/// address once, not per letter.
const PAUSE_MS: f64 = 300.0;

/// The search box.
#[component]
pub fn SearchBox(
    /// The text in the box (local while typing).
    text: RwSignal<String>,
    /// The search in force (from the URL), which the box follows on back/forward.
    #[prop(into)]
    committed: Signal<String>,
    on_change: Callback<(String, History)>,
) -> impl IntoView {
    let pushed = StoredValue::new(false);
    Effect::new(move |_| {
        let from_url = committed.get();
        if text.get_untracked() != from_url {
            text.set(from_url);
        }
    });
    let commit = use_debounce_fn_with_arg(
        move |value: String| {
            if committed.get_untracked() == value {
                return;
            }
            let history = if pushed.get_value() {
                History::Replace
            } else {
                History::Push
            };
            pushed.set_value(true);
            on_change.run((value, history));
        },
        PAUSE_MS,
    );
    view! {
        <label class="search-box">
            <span class="visually-hidden">"Search loaded records"</span>
            <input
                type="search"
                placeholder="Search system, sync id, reference, target id, details"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    text.set(value.clone());
                    commit(value);
                }
                on:focus=move |_| pushed.set_value(false)
            />
        </label>
    }
}
