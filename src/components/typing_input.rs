//! A text box whose value is committed (to the URL) after a pause in typing. The first
//! commit of a typing session (from focus to blur) is a new history entry and later ones
//! replace it, so Back returns to before the word rather than to each letter. The box
//! follows the committed value when it changes from outside (back/forward, Clear).

use leptos::prelude::*;
use leptos_use::use_debounce_fn_with_arg;

use crate::hooks::use_view_state::History;

/// The input element; wrap it in a `<label>` for its name.
#[component]
pub fn TypingInput(
    /// What the box shows; the caller may read it on every keystroke.
    text: RwSignal<String>,
    /// The value in force, which the box follows.
    #[prop(into)]
    committed: Signal<String>,
    /// Called after a pause with a value that differs from `committed`.
    on_commit: Callback<(String, History)>,
    /// The pause in milliseconds.
    pause_ms: f64,
    #[prop(into, optional)] placeholder: String,
    /// The most characters the box takes (`maxlength`).
    #[prop(optional)]
    max_chars: Option<usize>,
) -> impl IntoView {
    let pushed = StoredValue::new(false);
    Effect::new(move |_| {
        let from_outside = committed.get();
        if text.get_untracked() != from_outside {
            text.set(from_outside);
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
            on_commit.run((value, history));
        },
        pause_ms,
    );
    view! {
        <input
            type="search"
            placeholder=placeholder
            maxlength=max_chars.map(|n| n.to_string())
            autocomplete="off"
            spellcheck="false"
            prop:value=move || text.get()
            on:input=move |ev| {
                let value = event_target_value(&ev);
                text.set(value.clone());
                commit(value);
            }
            on:focus=move |_| pushed.set_value(false)
            on:blur=move |_| pushed.set_value(false)
        />
    }
}
