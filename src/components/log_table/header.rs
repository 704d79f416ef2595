//! A column header: sorts by its column when clicked, with a filter button where the
//! column is filterable.

use leptos::prelude::*;
use sync_logs_core::{
    columns::FilterKind,
    refine::{Column, Sort},
    TimeZonePref,
};

use crate::components::time_cell::zone_label;

/// A header that sorts by its column when clicked, announcing the order in `aria-sort`,
/// with a filter button for the filterable columns.
#[component]
pub(super) fn SortableHeader(
    column: Column,
    zone: Signal<TimeZonePref>,
    sort: Signal<Option<Sort>>,
    on_sort: Callback<Column>,
    filtered: Signal<Vec<Column>>,
    open_filter: Signal<Option<Column>>,
    on_filter: Callback<Column>,
) -> impl IntoView {
    let is_filtered = move || filtered.with(|f| f.contains(&column));
    let filter_button = (column.filter_kind() != FilterKind::None).then(|| {
        view! {
            <button
                type="button"
                class="filter-button"
                class:active=is_filtered
                aria-label=move || {
                    let state = if is_filtered() { " (filtered)" } else { "" };
                    format!("Filter {}{state}", column.label())
                }
                aria-expanded=move || (open_filter.get() == Some(column)).to_string()
                on:click=move |_| on_filter.run(column)
            >
                "▾"
            </button>
        }
    });
    let direction = move || {
        sort.get()
            .filter(|s| s.column == column)
            .map(|s| s.descending)
    };
    let label = move || column.header(&zone_label(zone.get()));
    view! {
        <th
            scope="col"
            class=format!("col-{}", column.key())
            aria-sort=move || match direction() {
                Some(false) => "ascending",
                Some(true) => "descending",
                None => "none",
            }
        >
            <div class="th-inner">
                <button type="button" class="sort-button" on:click=move |_| on_sort.run(column)>
                    <span class="sort-label">{label}</span>
                    <span class="sort-mark" aria-hidden="true">
                        {move || match direction() {
                            Some(false) => "▲",
                            Some(true) => "▼",
                            None => "",
                        }}
                    </span>
                </button>
                {filter_button}
            </div>
        </th>
    }
}
