//! One record of the table: its selection box, its cells by column, and the row action
//! that opens its run. Every backend string is rendered as text.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{refine::Column, selection::Selection, SyncLog, TimeZonePref};

use crate::components::details_cell::DetailsCell;
use crate::components::status_badge::StatusBadge;
use crate::components::time_cell::TimeCell;

/// One loaded record, by index, without copying it.
#[derive(Clone)]
pub struct RowRef {
    pub rows: Arc<Vec<SyncLog>>,
    pub index: u32,
    /// Position among the shown rows (0-based), for `aria-rowindex`.
    pub position: usize,
    pub columns: Arc<Vec<Column>>,
}

impl RowRef {
    fn get(&self) -> &SyncLog {
        &self.rows[self.index as usize]
    }
}

/// One record. The row at `active` is the one the keyboard is on: it alone is in the
/// tab order (a roving tab stop), and focusing any row makes it the active one.
#[component]
pub(super) fn LogRow(
    row: RowRef,
    zone: Signal<TimeZonePref>,
    on_show_run: Callback<u32>,
    on_history: Callback<u32>,
    selection: Signal<Selection>,
    on_toggle: Callback<String>,
    active: RwSignal<Option<usize>>,
) -> impl IntoView {
    let index = row.index;
    let position = row.position;
    let is_active = move || active.get() == Some(position);
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
        <tr
            data-id=log.id.clone()
            aria-rowindex=position + 2
            class:selected=checked
            class:active=is_active
            tabindex=move || if is_active() { "0" } else { "-1" }
            on:focusin=move |_| active.set(Some(position))
        >
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
                <button
                    type="button"
                    class="row-action"
                    title="Every attempt of this record"
                    aria-label=format!("History of record {}", log.source_id)
                    on:click=move |_| on_history.run(index)
                >
                    "History"
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
