//! The table of sync records: the columns of the run-history screen, one row per record,
//! keyed by sync id. Every backend string is rendered as text.

use leptos::prelude::*;
use sync_logs_core::SyncLog;

use super::status_badge::StatusBadge;

/// The column headers, in display order.
pub const COLUMNS: [&str; 8] = [
    "Status",
    "Instance",
    "Entity Type",
    "Source ID",
    "Target ID",
    "Operation",
    "Started (UTC)",
    "Details",
];

/// The table of loaded records.
#[component]
pub fn LogTable(rows: std::sync::Arc<Vec<SyncLog>>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="log-table" aria-rowcount=rows.len() + 1>
                <thead>
                    <tr>
                        {COLUMNS.iter().map(|c| view! { <th scope="col">{*c}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.iter().map(|row| view! { <LogRow row=row.clone() /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One record.
#[component]
fn LogRow(row: SyncLog) -> impl IntoView {
    let started_iso = sync_logs_core::query::format_timestamp(row.started_at);
    let started_text = row.started_at.format("%Y-%m-%d %H:%M:%S").to_string();
    let empty = || view! { <span class="muted" aria-label="none">"—"</span> };
    view! {
        <tr data-id=row.id.clone()>
            <td><StatusBadge status=row.status /></td>
            <td>{row.instance}</td>
            <td>{row.entity_type}</td>
            <td class="mono">{row.source_id}</td>
            <td class="mono">
                {match row.target_id {
                    Some(id) => view! { <span>{id}</span> }.into_any(),
                    None => empty().into_any(),
                }}
            </td>
            <td>{row.operation.map(|op| op.label().to_owned())}</td>
            <td class="nowrap"><time datetime=started_iso>{started_text}</time></td>
            <td class="details">
                {match row.details {
                    Some(text) => view! { <span class="details-text">{text}</span> }.into_any(),
                    None => empty().into_any(),
                }}
            </td>
        </tr>
    }
}
