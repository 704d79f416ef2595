//! The table of sync records: the run-history columns, a row action to open the record's
//! run, and windowed rendering: only the rows in view (plus a margin) are in the DOM,
//! whatever the number loaded, with spacer rows keeping the scrollbar true to the count.
//! Every backend string is rendered as text.

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use sync_logs_core::{SyncLog, TimeZonePref};

use super::details_cell::{DetailsCell, DetailsPopover};
use super::status_badge::StatusBadge;
use super::time_cell::{zone_label, TimeCell};

/// Height of one row in pixels; `style/table.css` sets the same.
pub const ROW_HEIGHT: f64 = 37.0;
/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

/// The column headers before Started, in display order.
pub const COLUMNS: [&str; 6] = [
    "Status",
    "Instance",
    "Entity Type",
    "Source ID",
    "Target ID",
    "Operation",
];

/// The table of `rows` at the indexes in `visible`, in that order.
#[component]
pub fn LogTable(
    #[prop(into)] rows: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] visible: Signal<Arc<Vec<u32>>>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    /// Called with the index (into `rows`) of the row whose run to open.
    on_show_run: Callback<u32>,
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
            <table class="log-table" aria-rowcount=move || window.get().2 + 1>
                <thead>
                    <tr aria-rowindex="1">
                        {COLUMNS.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                        <th scope="col">{move || format!("Started ({})", zone_label(zone.get()))}</th>
                        <th scope="col">"Details"</th>
                        <th scope="col" class="col-actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style=move || spacer(window.get().0)></tr>
                    <For
                        each=move || {
                            let (first, last, _) = window.get();
                            let rows = rows.get();
                            visible.with(|v| {
                                v[first..last]
                                    .iter()
                                    .enumerate()
                                    .map(|(k, &index)| RowRef { rows: rows.clone(), index, position: first + k })
                                    .collect::<Vec<_>>()
                            })
                        }
                        // A new load is a new Arc: its rows never reuse an older row's DOM.
                        key=|r| (Arc::as_ptr(&r.rows) as usize, r.index)
                        let:row
                    >
                        <LogRow row zone on_show_run />
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

/// One loaded record, by index, without copying it.
#[derive(Clone)]
pub struct RowRef {
    rows: Arc<Vec<SyncLog>>,
    index: u32,
    /// Position among the shown rows (0-based), for `aria-rowindex`.
    position: usize,
}

impl RowRef {
    fn get(&self) -> &SyncLog {
        &self.rows[self.index as usize]
    }
}

/// One record.
#[component]
fn LogRow(row: RowRef, zone: Signal<TimeZonePref>, on_show_run: Callback<u32>) -> impl IntoView {
    let index = row.index;
    let log = row.get();
    let empty = || view! { <span class="muted" aria-label="none">"—"</span> };
    let run_label = match &log.correlation_id {
        Some(run) => format!("Show run {run}"),
        None => "Show the records of this run (same instance, within 2 minutes)".to_owned(),
    };
    view! {
        <tr data-id=log.id.clone() aria-rowindex=row.position + 2>
            <td><StatusBadge status=log.status.clone() /></td>
            // Titles let truncated names and ids be read in full on hover.
            <td title=log.instance.clone()>{log.instance.clone()}</td>
            <td>{log.entity_type.clone()}</td>
            <td class="mono" title=log.source_id.clone()>{log.source_id.clone()}</td>
            <td class="mono" title=log.target_id.clone()>
                {match &log.target_id {
                    Some(id) => view! { <span>{id.clone()}</span> }.into_any(),
                    None => empty().into_any(),
                }}
            </td>
            <td>{log.operation.as_ref().map(|op| op.label().to_owned())}</td>
            <td class="nowrap"><TimeCell at=log.started_at zone /></td>
            <td class="details">
                <DetailsCell
                    key=format!("{}#{}", log.id, index)
                    details=log.details.clone()
                    tone=log.status.tone()
                />
            </td>
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
