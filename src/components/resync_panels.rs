//! The mass-action pieces: the selection bar (count, select all matching, clear,
//! Resync…), the confirmation that shows what a resync touches and what is risky to
//! resend, and the report of every record's outcome with "Retry the failed ones".

use leptos::prelude::*;
use sync_logs_core::{
    selection::ResyncPlan,
    text::{count_of, format_count},
    ResyncOutcome,
};
use wasm_bindgen::JsCast;

use crate::hooks::use_resync::ResyncReport;

/// The bar above the table while rows are selected.
#[component]
pub fn SelectionBar(
    #[prop(into)] selected: Signal<usize>,
    #[prop(into)] matching: Signal<usize>,
    #[prop(into)] sending: Signal<bool>,
    on_select_all: Callback<()>,
    on_clear: Callback<()>,
    on_resync: Callback<()>,
    on_download: Callback<()>,
    /// Set when the backend cannot resync: the button is left out.
    resync_off: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Show when=move || { selected.get() > 0 }>
            <div class="selection-bar" role="region" aria-label="Selection">
                <strong aria-live="polite">
                    {move || format!("{} of {} selected", format_count(selected.get()), format_count(matching.get()))}
                </strong>
                <Show when=move || { selected.get() < matching.get() }>
                    <button type="button" class="button small" on:click=move |_| on_select_all.run(())>
                        {move || format!("Select all {} matching", format_count(matching.get()))}
                    </button>
                </Show>
                <button type="button" class="button small" on:click=move |_| on_clear.run(())>"Clear selection"</button>
                <button type="button" class="button small" on:click=move |_| on_download.run(())>"Download CSV"</button>
                // aria-disabled rather than disabled while sending (rows selected again
                // while a resync runs): a focused button that became disabled would drop
                // the focus to the page.
                {resync_off.is_none().then(|| view! {
                    <button
                        type="button"
                        class="button small primary"
                        aria-disabled=move || sending.get().to_string()
                        on:click=move |_| {
                            if !sending.get_untracked() {
                                on_resync.run(());
                            }
                        }
                    >
                        {move || if sending.get() { "Sending…" } else { "Resync…" }}
                    </button>
                })}
            </div>
        </Show>
    }
}

/// Gives the focus back, when the current component goes away, to what had it when the
/// component was made (the button that opened a dialog), if that is still in the page.
fn return_focus_on_close() {
    let opener = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    // Local: an element cannot leave the thread. The owner's cleanups run before its
    // stored values are dropped, so the value is still there.
    let opener = StoredValue::new_local(opener);
    on_cleanup(move || {
        if let Some(opener) = opener
            .try_get_value()
            .flatten()
            .filter(|e| e.is_connected())
        {
            let _ = opener.focus();
        }
    });
}

/// The confirmation of a resync: how many records, by status and operation, and the
/// risky ones, which can be left out.
#[component]
pub fn ResyncDialog(
    plan: ResyncPlan,
    /// Called with whether to leave the risky records out.
    on_confirm: Callback<bool>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let leave_out = RwSignal::new(plan.risky > 0);
    let to_send = move || plan.total - if leave_out.get() { plan.risky } else { 0 };
    let list = |counts: &std::collections::BTreeMap<String, usize>| {
        counts
            .iter()
            .map(|(label, n)| view! { <li>{format!("{label}: {}", format_count(*n))}</li> })
            .collect_view()
    };
    let warnings = [
        (
            plan.succeeded,
            "already reached the target; resending writes them again",
        ),
        (
            plan.creates_without_target,
            "are creates with no target id; resending may create duplicates",
        ),
        (plan.deletes, "are deletes; resending deletes again"),
    ];
    let focus_confirm = NodeRef::<leptos::html::Button>::new();
    let dialog = NodeRef::<leptos::html::Div>::new();
    return_focus_on_close();
    // The focus moves into the dialog: onto "Resync" or, when there is nothing to send,
    // onto the dialog itself, so Tab and Escape work from there.
    Effect::new(move |_| match (focus_confirm.get(), dialog.get()) {
        (Some(button), _) if !button.disabled() => {
            let _ = button.focus();
        }
        (_, Some(dialog)) => {
            let _ = dialog.focus();
        }
        _ => {}
    });
    view! {
        <div class="modal-backdrop">
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="resync-title"
                tabindex="-1"
                node_ref=dialog
                on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                    "Escape" => on_cancel.run(()),
                    "Tab" => {
                        if let Some(dialog) = dialog.get_untracked() {
                            keep_focus_inside(&dialog, &ev);
                        }
                    }
                    _ => {}
                }
            >
                <h2 id="resync-title">{format!("Resync {}?", count_of(plan.total, "record", "records"))}</h2>
                <div class="modal-columns">
                    <div><h3>"By status"</h3><ul>{list(&plan.by_status)}</ul></div>
                    <div><h3>"By operation"</h3><ul>{list(&plan.by_operation)}</ul></div>
                </div>
                {(plan.risky > 0).then(|| view! {
                    <div class="modal-warning" role="note">
                        <ul>
                            {warnings
                                .into_iter()
                                .filter(|(n, _)| *n > 0)
                                .map(|(n, why)| view! { <li>{format!("{} {why}.", format_count(n))}</li> })
                                .collect_view()}
                        </ul>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || leave_out.get() on:change=move |_| leave_out.update(|v| *v = !*v) />
                            <span>{format!("Leave out these {}", count_of(plan.risky, "record", "records"))}</span>
                        </label>
                    </div>
                })}
                <div class="modal-actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button
                        type="button"
                        class="button primary"
                        node_ref=focus_confirm
                        disabled=move || to_send() == 0
                        on:click=move |_| on_confirm.run(leave_out.get_untracked())
                    >
                        {move || format!("Resync {}", count_of(to_send(), "record", "records"))}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// Progress, then the outcome of every record.
#[component]
pub fn ResyncReportView(
    #[prop(into)] report: Signal<ResyncReport>,
    on_retry_failed: Callback<()>,
    on_dismiss: Callback<()>,
) -> impl IntoView {
    let summary = move || {
        let r = report.get();
        if !r.finished {
            return format!(
                "Sending {}: batch {} of {}{}…",
                count_of(r.requested, "record", "records"),
                (r.batches_done + 1).min(r.batches),
                r.batches,
                if r.retries > 0 {
                    format!(" ({} retries)", r.retries)
                } else {
                    String::new()
                }
            );
        }
        let mut parts = vec![format!(
            "{} queued",
            format_count(r.count(&ResyncOutcome::Queued))
        )];
        for (outcome, label) in [
            (ResyncOutcome::Rejected, "rejected"),
            (ResyncOutcome::NotFound, "not found"),
        ] {
            let n = r.count(&outcome);
            if n > 0 {
                parts.push(format!("{} {label}", format_count(n)));
            }
        }
        let seconds = r.elapsed_ms.unwrap_or_default() / 1_000.0;
        format!(
            "Resync sent: {} (accepted in {seconds:.1} s).",
            parts.join(", ")
        )
    };
    let failures = move || {
        report.with(|r| {
            r.results
                .iter()
                .filter(|x| x.outcome != ResyncOutcome::Queued)
                .take(100)
                .map(|x| {
                    let reason = x.message.clone().unwrap_or_else(|| "not queued".into());
                    view! { <li><code>{x.id.clone()}</code>": "{reason}</li> }
                })
                .collect_view()
        })
    };
    let has_failures = move || report.with(|r| r.finished && !r.failed_ids().is_empty());
    // Confirming a resync closes the dialog and clears the selection, and with it the
    // bar whose button opened the dialog: the focus comes here, where the outcome is,
    // unless it went somewhere else meanwhile.
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = section.get() {
            if crate::components::focus_is_nowhere() {
                let _ = section.focus();
            }
        }
    });
    view! {
        <section
            class="resync-report"
            role="status"
            aria-live="polite"
            aria-label="Resync outcome"
            tabindex="-1"
            node_ref=section
        >
            <p class="resync-summary">{summary}</p>
            <Show when=has_failures>
                <ul class="resync-failures">{failures}</ul>
                <button type="button" class="button small primary" on:click=move |_| on_retry_failed.run(())>
                    "Retry the failed ones"
                </button>
            </Show>
            <Show when=move || report.with(|r| r.finished)>
                <button type="button" class="button small" on:click=move |_| on_dismiss.run(())>"Dismiss"</button>
            </Show>
        </section>
    }
}

/// A modal keeps the keyboard: Tab from its last control goes to its first, Shift+Tab
/// from its first to its last.
fn keep_focus_inside(dialog: &web_sys::HtmlElement, ev: &leptos::ev::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Ok(nodes) = dialog.query_selector_all("button:not([disabled]), input:not([disabled])")
    else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.as_ref() as &web_sys::Element)
    };
    let on_dialog = active
        .as_ref()
        .is_some_and(|a| a == dialog.as_ref() as &web_sys::Element);
    if ev.shift_key() && (is(first) || on_dialog) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && is(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}
