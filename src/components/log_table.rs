//! The table of sync records: the run-history columns, a row action to open the record's
//! run, and windowed rendering: only the rows in view (plus a margin) are in the DOM,
//! whatever the number loaded, with spacer rows keeping the scrollbar true to the count.
//! Every backend string is rendered as text.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use sync_logs_core::{
    facets::FILTERABLE,
    refine::{Column, Sort},
    selection::{HeaderCheck, Selection},
    SyncLog, TimeZonePref,
};

use super::details_cell::{DetailsCell, DetailsPopover};
use super::status_badge::StatusBadge;
use super::time_cell::{zone_label, TimeCell};

/// Height of one row in pixels; `style/table.css` sets the same.
pub const ROW_HEIGHT: f64 = 37.0;
/// The narrowest a column gets before the table scrolls sideways instead.
const MIN_COLUMN_WIDTH: usize = 104;
/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

/// The table of `rows` at the indexes in `visible`, in that order.
#[component]
pub fn LogTable(
    #[prop(into)] rows: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] visible: Signal<Arc<Vec<u32>>>,
    /// The columns to show, in order.
    #[prop(into)]
    columns: Signal<Vec<Column>>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    #[prop(into)] sort: Signal<Option<Sort>>,
    /// Called with the header clicked to sort by.
    on_sort: Callback<Column>,
    /// The columns with a filter set, marked on their headers.
    #[prop(into)]
    filtered: Signal<Vec<Column>>,
    /// The column whose filter panel is open.
    #[prop(into)]
    open_filter: Signal<Option<Column>>,
    /// Called with the column whose filter button was pressed.
    on_filter: Callback<Column>,
    /// Called with the index (into `rows`) of the row whose run to open.
    on_show_run: Callback<u32>,
    /// Which rows are ticked, and the header checkbox's state.
    #[prop(into)]
    selection: Signal<Selection>,
    #[prop(into)] header_check: Signal<HeaderCheck>,
    /// Called with the sync id of a row ticked or unticked.
    on_toggle: Callback<String>,
    /// Called when the header checkbox is clicked.
    on_toggle_all: Callback<()>,
) -> impl IntoView {
    let popover = DetailsPopover::provide();
    let wrap = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(800.0_f64);
    Effect::new(move |_| {
        if let Some(el) = wrap.get() {
            viewport.set(f64::from(el.client_height()));
        }
    });
    let window = Memo::new(move |_| {
        let count = visible.with(|v| v.len());
        let first = ((scroll_top.get() / ROW_HEIGHT) as usize)
            .saturating_sub(OVERSCAN)
            .min(count);
        let shown = (viewport.get() / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        (first, (first + shown).min(count), count)
    });
    let spacer = |rows: usize| format!("height: {}px", rows as f64 * ROW_HEIGHT);
    let on_scroll = move |_| {
        if let Some(el) = wrap.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()));
        }
        popover.close();
    };

    view! {
        <div class="table-wrap" node_ref=wrap on:scroll=on_scroll tabindex="-1">
            // Each column keeps a usable width; with many columns the table scrolls sideways.
            <table
                class="log-table"
                aria-rowcount=move || window.get().2 + 1
                style=move || format!("min-width: {}px", columns.with(Vec::len) * MIN_COLUMN_WIDTH + 200)
            >
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="col-select">
                            <input
                                type="checkbox"
                                aria-label="Select all matching records"
                                prop:checked=move || header_check.get() == HeaderCheck::Checked
                                prop:indeterminate=move || header_check.get() == HeaderCheck::Indeterminate
                                on:change=move |_| on_toggle_all.run(())
                            />
                        </th>
                        {move || {
                            columns
                                .get()
                                .into_iter()
                                .map(|column| {
                                    view! {
                                        <SortableHeader column zone sort on_sort filtered open_filter on_filter />
                                    }
                                })
                                .collect_view()
                        }}
                        <th scope="col" class="col-actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style=move || spacer(window.get().0)></tr>
                    <For
                        each=move || {
                            let (first, last, _) = window.get();
                            let rows = rows.get();
                            let columns = Arc::new(columns.get());
                            visible.with(|v| {
                                v[first..last]
                                    .iter()
                                    .enumerate()
                                    .map(|(k, &index)| RowRef {
                                        rows: rows.clone(),
                                        index,
                                        position: first + k,
                                        columns: columns.clone(),
                                    })
                                    .collect::<Vec<_>>()
                            })
                        }
                        // A new load (a new Arc) or another column choice renders rows anew.
                        key=|r| (Arc::as_ptr(&r.rows) as usize, r.index, r.columns.iter().map(|c| c.key()).collect::<Vec<_>>())
                        let:row
                    >
                        <LogRow row zone on_show_run selection on_toggle />
                    </For>
                    <tr
                        class="spacer"
                        aria-hidden="true"
                        style=move || {
                            let (_, last, count) = window.get();
                            spacer(count - last)
                        }
                    ></tr>
                </tbody>
            </table>
        </div>
    }
}

/// A header that sorts by its column when clicked, announcing the order in `aria-sort`,
/// with a filter button for the filterable columns.
#[component]
fn SortableHeader(
    column: Column,
    zone: Signal<TimeZonePref>,
    sort: Signal<Option<Sort>>,
    on_sort: Callback<Column>,
    filtered: Signal<Vec<Column>>,
    open_filter: Signal<Option<Column>>,
    on_filter: Callback<Column>,
) -> impl IntoView {
    let is_filtered = move || filtered.with(|f| f.contains(&column));
    let filter_button = FILTERABLE.contains(&column).then(|| {
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
    let label = move || match column {
        Column::Started => format!("Started ({})", zone_label(zone.get())),
        other => other.label().to_owned(),
    };
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

/// One loaded record, by index, without copying it.
#[derive(Clone)]
pub struct RowRef {
    rows: Arc<Vec<SyncLog>>,
    index: u32,
    /// Position among the shown rows (0-based), for `aria-rowindex`.
    position: usize,
    columns: Arc<Vec<Column>>,
}

impl RowRef {
    fn get(&self) -> &SyncLog {
        &self.rows[self.index as usize]
    }
}

/// One record.
#[component]
fn LogRow(
    row: RowRef,
    zone: Signal<TimeZonePref>,
    on_show_run: Callback<u32>,
    selection: Signal<Selection>,
    on_toggle: Callback<String>,
) -> impl IntoView {
    let index = row.index;
    let log = row.get();
    let id = log.id.clone();
    let checked = {
        let id = id.clone();
        Memo::new(move |_| selection.with(|s| s.contains(&id)))
    };
    let run_label = match &log.correlation_id {
        Some(run) => format!("Show run {run}"),
        None => "Show the records of this run (same instance, within 2 minutes)".to_owned(),
    };
    view! {
        <tr data-id=log.id.clone() aria-rowindex=row.position + 2 class:selected=checked>
            <td class="col-select">
                <input
                    type="checkbox"
                    aria-label=format!("Select record {id}")
                    prop:checked=checked
                    on:change=move |_| on_toggle.run(id.clone())
                />
            </td>
            {row.columns.iter().map(|&column| cell(column, log, index, zone)).collect_view()}
            <td class="col-actions">
                <button
                    type="button"
                    class="row-action"
                    title=run_label.clone()
                    aria-label=run_label
                    on:click=move |_| on_show_run.run(index)
                >
                    "Run"
                </button>
            </td>
        </tr>
    }
}

/// The cell of `column` for `log` (the row at `index` of the loaded rows).
fn cell(column: Column, log: &SyncLog, index: u32, zone: Signal<TimeZonePref>) -> AnyView {
    // Titles let truncated names and ids be read in full on hover.
    let text = |value: Option<&str>, mono: bool| match value {
        Some(value) => {
            view! { <td class:mono=mono title=value.to_owned()>{value.to_owned()}</td> }.into_any()
        }
        None => view! { <td><span class="muted" aria-label="none">"—"</span></td> }.into_any(),
    };
    match column {
        Column::Status => view! { <td><StatusBadge status=log.status.clone() /></td> }.into_any(),
        Column::Instance => text(Some(&log.instance), false),
        Column::EntityType => text(Some(&log.entity_type), false),
        Column::SourceId => text(Some(&log.source_id), true),
        Column::TargetId => text(log.target_id.as_deref(), true),
        Column::Operation => text(log.operation.as_ref().map(|op| op.label()), false),
        Column::Started => {
            view! { <td class="nowrap"><TimeCell at=log.started_at zone /></td> }.into_any()
        }
        Column::Details => view! {
            <td class="details">
                <DetailsCell
                    key=format!("{}#{}", log.id, index)
                    details=log.details.clone()
                    tone=log.status.tone()
                />
            </td>
        }
        .into_any(),
        Column::SourceSystem => text(log.source_system.as_deref(), false),
        Column::EndpointId => text(log.endpoint_id.as_deref(), true),
        Column::LatestSyncInfo => text(log.latest_sync_info.as_deref(), false),
        Column::Attempts => text(log.attempts.map(|a| a.to_string()).as_deref(), false),
        Column::CorrelationId => text(log.correlation_id.as_deref(), true),
        Column::SyncId => text(Some(&log.id), true),
    }
}
