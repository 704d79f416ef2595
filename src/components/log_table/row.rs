//! One record of the table: its selection box, its cells by column, and the row action
//! that opens its run. Every backend string is rendered as text.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{
    columns::{Kind, Value},
    refine::Column,
    selection::Selection,
    wire::{Flag, Problem},
    SyncLog, TimeZonePref,
};

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

/// One record. The row at `active` (the first row until the keyboard has been on one)
/// is the only one in the tab order (a roving tab stop); focusing a row makes it active.
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
    // Before the keyboard has been on any row, the first one is the table's tab stop.
    let is_tab_stop = move || active.get().map_or(position == 0, |a| a == position);
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
            tabindex=move || if is_tab_stop() { "0" } else { "-1" }
            on:focusin=move |_| active.set(Some(position))
        >
            <td class="col-select">
                <input
                    type="checkbox"
                    aria-label=if id.is_empty() {
                        "This record has no id and cannot be selected".to_owned()
                    } else {
                        format!("Select record {id}")
                    }
                    disabled=id.is_empty()
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

/// The cell of `column` for `log` (the row at `index` of the loaded rows), drawn as the
/// column's kind says.
fn cell(column: Column, log: &SyncLog, index: u32, zone: Signal<TimeZonePref>) -> AnyView {
    let kind = column.kind();
    // A field the backend sent in a form the app could not use: its raw value, marked.
    // Status and details show their raw text anyway; the row's ⚠ names the problem.
    if let Some(flag) = log.flags.get(column.field()) {
        if !matches!(kind, Kind::Status | Kind::Details) {
            return flagged_cell(flag, column, log);
        }
    }
    match (kind, column.value(log)) {
        (Kind::Status, _) => {
            let summary = (!log.flags.is_empty()).then(|| log.flags.summary());
            view! {
                <td>
                    <StatusBadge status=log.status.clone() />
                    {summary.map(|summary| view! {
                        <span
                            class="row-flag"
                            role="img"
                            title=format!("Unreadable data: {summary}")
                            aria-label=format!("Unreadable data: {summary}")
                        >"⚠"</span>
                    })}
                </td>
            }
            .into_any()
        }
        (Kind::Details, value) => view! {
            <td class="details">
                <DetailsCell
                    key=format!("{}#{}", log.id, index)
                    details=(!value.is_empty()).then(|| value.text().into_owned())
                    tone=log.status.tone()
                />
            </td>
        }
        .into_any(),
        (_, Value::Time(at)) => view! { <td class="nowrap"><TimeCell at zone /></td> }.into_any(),
        (_, Value::Empty) => {
            view! { <td><span class="muted" aria-label="none">"—"</span></td> }.into_any()
        }
        // Titles let truncated names and ids be read in full on hover.
        (kind, value) => {
            let text = value.text().into_owned();
            let title = text.clone();
            view! { <td class:mono=kind == Kind::Id title=title>{text}</td> }.into_any()
        }
    }
}

/// A cell whose field could not be used: the raw value (or "missing"), marked, with the
/// reason for screen readers and on hover. Text fields keep their JSON text as the value.
fn flagged_cell(flag: &Flag, column: Column, log: &SyncLog) -> AnyView {
    let shown = match flag.problem {
        Problem::Missing => "missing".to_owned(),
        // Text fields hold their value's JSON text in full; times and counts only the raw.
        _ => match column.kind() {
            Kind::Text | Kind::Id => match column.value(log) {
                Value::Text(text) => text.into_owned(),
                _ => flag.raw.clone(),
            },
            _ => flag.raw.clone(),
        },
    };
    let reason = flag.to_string();
    view! {
        <td class="flagged" title=reason.clone()>
            <span class="flagged-value">{shown}</span>
            <span class="visually-hidden">{format!(" ({reason})")}</span>
        </td>
    }
    .into_any()
}
