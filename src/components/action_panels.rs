//! The mass-action pieces: the selection bar (count, select all matching, clear, and
//! the actions the list offers: Resync…, or Replay… and Discard… in the dead-letter
//! queue), the confirmation that shows what an action touches (by status, operation and
//! error cluster), what is risky to resend and, for a discard, asks for the reason; the
//! report of every record's outcome with "Retry the failed ones"; and the Undo of a
//! discard.

use leptos::prelude::*;
use sync_logs_core::{
    selection::ResyncPlan,
    text::{count_of, format_count},
    wire::MAX_REASON_CHARS,
    ResyncOutcome,
};
use wasm_bindgen::JsCast;

use crate::api::Action;
use crate::hooks::use_action::ActionReport;
use crate::hooks::use_mass_action::{Confirmed, UndoOffer, UNDO_SECONDS};

/// Error clusters listed in a confirmation; the rest are summed up.
const CLUSTERS_SHOWN: usize = 6;

/// The bar above the table while rows are selected.
#[component]
pub fn SelectionBar(
    #[prop(into)] selected: Signal<usize>,
    #[prop(into)] matching: Signal<usize>,
    #[prop(into)] sending: Signal<bool>,
    on_select_all: Callback<()>,
    on_clear: Callback<()>,
    /// The actions offered on the selection, in order; the first is the primary one.
    actions: Vec<Action>,
    on_action: Callback<Action>,
    on_download: Callback<()>,
) -> impl IntoView {
    let actions = StoredValue::new(actions);
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
                // while an action runs): a focused button that became disabled would drop
                // the focus to the page.
                {actions.get_value().into_iter().enumerate().map(|(i, action)| {
                    let class = match (i, action) {
                        (_, Action::Discard) => "button small danger",
                        (0, _) => "button small primary",
                        _ => "button small",
                    };
                    view! {
                        <button
                            type="button"
                            class=class
                            aria-disabled=move || sending.get().to_string()
                            on:click=move |_| {
                                if !sending.get_untracked() {
                                    on_action.run(action);
                                }
                            }
                        >
                            {move || if sending.get() { "Sending…".to_owned() } else { format!("{}…", action.verb()) }}
                        </button>
                    }
                }).collect_view()}
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

/// The confirmation of an action: how many records, by status, operation and error
/// cluster, the risky ones (which can be left out) and, for a discard, the reason, which
/// must be typed in. Discard is never the button Enter or the first focus lands on.
#[component]
pub fn ActionDialog(
    action: Action,
    plan: ResyncPlan,
    /// Whether a discard can be undone (the backend restores).
    #[prop(optional)]
    undoable: bool,
    on_confirm: Callback<Confirmed>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let discard = action == Action::Discard;
    let leave_out = RwSignal::new(plan.risky > 0);
    let reason = RwSignal::new(String::new());
    let reason_chars = move || reason.with(|r| r.trim().chars().count());
    let reason_ok = move || (1..=MAX_REASON_CHARS).contains(&reason_chars());
    let to_send = move || plan.total - if leave_out.get() { plan.risky } else { 0 };
    let verb = action.verb();
    let list = |counts: &std::collections::BTreeMap<String, usize>| {
        counts
            .iter()
            .map(|(label, n)| view! { <li>{format!("{label}: {}", format_count(*n))}</li> })
            .collect_view()
    };
    let clusters = plan
        .by_error
        .iter()
        .take(CLUSTERS_SHOWN)
        .map(|(key, n)| {
            view! {
                <li><span class="cluster-count">{format_count(*n)}</span>" "<span class="cluster-key">{key.clone()}</span></li>
            }
        })
        .collect_view();
    let more: usize = plan
        .by_error
        .iter()
        .skip(CLUSTERS_SHOWN)
        .map(|(_, n)| n)
        .sum();
    let more_groups = plan.by_error.len().saturating_sub(CLUSTERS_SHOWN);
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
    let focus_reason = NodeRef::<leptos::html::Textarea>::new();
    let dialog = NodeRef::<leptos::html::Div>::new();
    return_focus_on_close();
    // The focus moves into the dialog: onto the reason of a discard, onto the action's
    // button otherwise or, when there is nothing to send, onto the dialog itself, so Tab
    // and Escape work from there.
    Effect::new(
        move |_| match (focus_reason.get(), focus_confirm.get(), dialog.get()) {
            (Some(reason), _, _) => {
                let _ = reason.focus();
            }
            (None, Some(button), _) if !button.disabled() => {
                let _ = button.focus();
            }
            (_, _, Some(dialog)) => {
                let _ = dialog.focus();
            }
            _ => {}
        },
    );
    let confirm = move || {
        if discard && !reason_ok() {
            return;
        }
        on_confirm.run(Confirmed {
            leave_out_risky: leave_out.get_untracked(),
            reason: discard.then(|| reason.get_untracked()),
        });
    };
    view! {
        <div class="modal-backdrop">
            <div
                class="modal"
                role="dialog"
                aria-modal="true"
                aria-labelledby="action-title"
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
                <h2 id="action-title">{format!("{verb} {}?", count_of(plan.total, "record", "records"))}</h2>
                {match action {
                    Action::Replay => Some("They leave the dead-letter queue with a fresh attempt budget and turn Pending.".to_owned()),
                    Action::Discard => Some(format!(
                        "They leave the dead-letter queue as Discarded and are not retried; they stay in the log for audit. {}",
                        if undoable {
                            format!("You can undo for {UNDO_SECONDS} seconds.")
                        } else {
                            "This backend cannot undo a discard.".to_owned()
                        }
                    )),
                    _ => None,
                }.map(|lead| view! { <p class="modal-lead">{lead}</p> })}
                <div class="modal-columns">
                    <div><h3>"By status"</h3><ul>{list(&plan.by_status)}</ul></div>
                    <div><h3>"By operation"</h3><ul>{list(&plan.by_operation)}</ul></div>
                </div>
                <section class="modal-clusters" aria-label="By error">
                    <h3>"By error"</h3>
                    <ul>{clusters}</ul>
                    {(more_groups > 0).then(|| view! {
                        <p class="modal-more">{format!(
                            "and {} in {} other error groups",
                            count_of(more, "record", "records"),
                            format_count(more_groups)
                        )}</p>
                    })}
                </section>
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
                {discard.then(|| view! {
                    <label class="modal-reason">
                        <span>"Reason (required, kept in each record's audit trail)"</span>
                        <textarea
                            node_ref=focus_reason
                            rows="3"
                            maxlength=MAX_REASON_CHARS.to_string()
                            required=true
                            aria-describedby="reason-count"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                        <span id="reason-count" class="reason-count" class:over=move || { reason_chars() > MAX_REASON_CHARS }>
                            {move || format!("{} / {MAX_REASON_CHARS}", reason_chars())}
                        </span>
                    </label>
                })}
                <div class="modal-actions">
                    <button type="button" class="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button
                        type="button"
                        class=if discard { "button danger" } else { "button primary" }
                        node_ref=focus_confirm
                        disabled=move || to_send() == 0 || (discard && !reason_ok())
                        on:click=move |_| confirm()
                    >
                        {move || format!("{verb} {}", count_of(to_send(), "record", "records"))}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// The offer to undo a discard, counting down.
#[component]
pub fn UndoBar(
    #[prop(into)] offer: Signal<Option<UndoOffer>>,
    #[prop(into)] sending: Signal<bool>,
    on_undo: Callback<()>,
) -> impl IntoView {
    view! {
        {move || offer.get().map(|o| view! {
            <div class="undo-bar" role="status" aria-label="Undo discard">
                <span>{format!("Discarded {}.", count_of(o.ids.len(), "record", "records"))}</span>
                <button
                    type="button"
                    class="button small primary"
                    aria-disabled=move || sending.get().to_string()
                    on:click=move |_| on_undo.run(())
                >
                    "Undo"
                </button>
                <span class="undo-seconds" aria-hidden="true">{format!("{} s left", o.seconds)}</span>
            </div>
        })}
    }
}

/// Progress, then the outcome of every record.
#[component]
pub fn ActionReportView(
    #[prop(into)] report: Signal<ActionReport>,
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
            "{} {}",
            format_count(r.count(&r.action.done())),
            r.action.done_label()
        )];
        for (outcome, label) in [
            (ResyncOutcome::Rejected, "rejected"),
            (ResyncOutcome::NotFound, "not found"),
            (ResyncOutcome::Unknown, "with an unknown outcome"),
        ] {
            let n = r.count(&outcome);
            if n > 0 {
                parts.push(format!("{} {label}", format_count(n)));
            }
        }
        let seconds = r.elapsed_ms.unwrap_or_default() / 1_000.0;
        format!(
            "{} sent: {} (accepted in {seconds:.1} s).",
            r.action.verb(),
            parts.join(", ")
        )
    };
    let failures = move || {
        report.with(|r| {
            r.results
                .iter()
                .filter(|x| x.outcome != r.action.done())
                .take(100)
                .map(|x| {
                    let reason = x
                        .message
                        .clone()
                        .unwrap_or_else(|| format!("not {}", r.action.done_label()));
                    view! { <li><code>{x.id.clone()}</code>": "{reason}</li> }
                })
                .collect_view()
        })
    };
    let has_failures = move || report.with(|r| r.finished && !r.failed_ids().is_empty());
    // Confirming an action closes the dialog and clears the selection, and with it the
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
            aria-label=move || format!("{} outcome", report.with(|r| r.action.verb()))
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
    let Ok(nodes) = dialog.query_selector_all(
        "button:not([disabled]), input:not([disabled]), textarea:not([disabled])",
    ) else {
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
