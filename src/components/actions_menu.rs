//! The actions menu (the report's ellipsis): actions on every row matching the view, and
//! the line that shows a CSV export's progress or outcome.

use leptos::prelude::*;
use sync_logs_core::text::{count_of, format_count};

use crate::hooks::use_csv_export::CsvState;

/// The "⋯" button and its menu.
#[component]
pub fn ActionsMenu(
    #[prop(into)] matching: Signal<usize>,
    on_download: Callback<()>,
    /// Why resync is not offered, when the backend has none.
    resync_off: Option<&'static str>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="actions-menu">
            <button
                type="button"
                class="button small"
                aria-label="Actions"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "⋯"
            </button>
            <Show when=move || open.get()>
                <div
                    class="actions-menu-list"
                    role="menu"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }
                >
                    <button
                        type="button"
                        role="menuitem"
                        disabled=move || matching.get() == 0
                        on:click=move |_| {
                            open.set(false);
                            on_download.run(());
                        }
                    >
                        {move || format!("Download as CSV ({})", count_of(matching.get(), "row", "rows"))}
                    </button>
                    {resync_off.map(|why| view! { <p class="menu-note" role="note">{why}</p> })}
                </div>
            </Show>
        </div>
    }
}

/// Progress of a CSV export (with Cancel), then its outcome.
#[component]
pub fn CsvStatus(
    #[prop(into)] state: Signal<Option<CsvState>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    move || {
        state.get().map(|state| match state {
            CsvState::Writing { done, total } => view! {
                <p class="csv-status" role="status">
                    {format!("Preparing CSV… {} of {} rows", format_count(done), format_count(total))}
                    <button type="button" class="button small" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </p>
            }
            .into_any(),
            CsvState::Done { file_name, rows } => view! {
                <p class="csv-status" role="status">{format!("Downloaded {file_name} ({}).", count_of(rows, "row", "rows"))}</p>
            }
            .into_any(),
            CsvState::Cancelled => view! { <p class="csv-status" role="status">"CSV export cancelled."</p> }.into_any(),
            CsvState::Failed(why) => view! {
                <p class="csv-status" role="alert">{format!("The CSV could not be made: {why}. Try again, or narrow the filters.")}</p>
            }
            .into_any(),
        })
    }
}
