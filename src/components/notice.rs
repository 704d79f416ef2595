//! A banner for things the user should know but that do not stop the page, such as a
//! broken `config.json`.

use leptos::prelude::*;

/// A dismissible banner listing one or more messages.
#[component]
pub fn Notice(#[prop(into)] tone: String, messages: Vec<String>) -> impl IntoView {
    let (open, set_open) = signal(true);
    view! {
        <Show when=move || open.get()>
            <div class=format!("notice notice-{tone}") role="status">
                <ul>
                    {messages.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                </ul>
                <button type="button" class="notice-close" on:click=move |_| set_open.set(false)>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}
