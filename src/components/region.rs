//! A part of the page that can fail on its own. Its content may render `Err(...)` (for
//! example an API answer that could not be read); the boundary then shows what went
//! wrong in place of that part, and the rest of the page keeps working. When the
//! content renders `Ok` again (after a retry), the part comes back by itself.

use leptos::prelude::*;

/// Wraps `children` in an `ErrorBoundary` with a fallback that names the part.
#[component]
pub fn Region(
    /// What the part shows, for the message: "the history", "the runs".
    #[prop(into)]
    name: String,
    /// Offered as a "Retry" button in the fallback.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
    children: Children,
) -> impl IntoView {
    let fallback = move |errors: ArcRwSignal<Errors>| {
        let name = name.clone();
        view! {
            <div class="state state-error region-error" role="alert">
                <h2>{format!("{} could not be shown", capitalised(&name))}</h2>
                <ul>
                    {move || errors.with(|errors| {
                        errors.iter().map(|(_, error)| view! { <li>{error.to_string()}</li> }).collect_view()
                    })}
                </ul>
                <p class="error-next">"The rest of the page still works."</p>
                {on_retry.map(|retry| view! {
                    <button type="button" class="button" on:click=move |_| retry.run(())>"Retry"</button>
                })}
            </div>
        }
    };
    view! { <ErrorBoundary fallback>{children()}</ErrorBoundary> }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
