//! The bar between the stat cards and the table: how many rows are shown, search, the
//! column chooser, the actions menu and the time-zone switch.

use leptos::prelude::*;
use sync_logs_core::{refine::Column, text::format_count, TimeZonePref};

use super::{actions_menu::ActionsMenu, column_chooser::ColumnChooser, search_box::SearchBox};
use crate::hooks::use_view_state::History;

/// The toolbar.
#[component]
pub fn Toolbar(
    /// Rows shown and rows loaded.
    #[prop(into)]
    shown: Signal<usize>,
    #[prop(into)] loaded: Signal<usize>,
    /// The rows loaded are the first of a load still running.
    #[prop(into)]
    streaming: Signal<bool>,
    search_text: RwSignal<String>,
    #[prop(into)] committed_search: Signal<String>,
    on_search: Callback<(String, History)>,
    /// The search box got the focus or the pointer.
    on_search_intent: Callback<()>,
    #[prop(into)] columns: Signal<Vec<Column>>,
    on_columns: Callback<Vec<Column>>,
    on_download: Callback<()>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    /// Why resync is not offered, shown in the actions menu.
    resync_off: Option<&'static str>,
    on_zone: Callback<TimeZonePref>,
) -> impl IntoView {
    let count = move || {
        let (shown, total) = (shown.get(), loaded.get());
        if streaming.get() {
            // Not "loaded": the count is still growing (the progress bar says to what).
            if shown == total {
                format!("{} records so far", format_count(total))
            } else {
                format!(
                    "{} of {} records so far",
                    format_count(shown),
                    format_count(total)
                )
            }
        } else if shown == total {
            format!("{} records loaded", format_count(total))
        } else {
            format!(
                "{} of {} loaded records shown",
                format_count(shown),
                format_count(total)
            )
        }
    };
    view! {
        <div class="toolbar">
            <p class="row-count" aria-live="polite">{count}</p>
            <SearchBox text=search_text committed=committed_search on_change=on_search on_intent=on_search_intent />
            <ColumnChooser columns on_change=on_columns />
            <ActionsMenu matching=shown on_download resync_off />
            <div class="segmented" role="radiogroup" aria-label="Time zone">
                {[(TimeZonePref::Utc, "UTC"), (TimeZonePref::Local, "Local")]
                    .into_iter()
                    .map(|(tz, label)| view! {
                        <button
                            type="button"
                            role="radio"
                            aria-checked=move || (zone.get() == tz).to_string()
                            on:click=move |_| on_zone.run(tz)
                        >
                            {label}
                        </button>
                    })
                    .collect_view()}
            </div>
        </div>
    }
}
