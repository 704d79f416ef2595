//! The view settings row: the auto-refresh control (off, 15 s, 1 min, 5 min) with what
//! it is doing, the row density, and "Reset view"; and the "N new records" bar that shows
//! what a refresh found.

use leptos::prelude::*;
use sync_logs_core::text::{count_of, format_count};

use crate::hooks::use_live_refresh::{RefreshState, PERIODS};

fn period_label(seconds: u32) -> String {
    match seconds {
        0 => "Off".into(),
        s if s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The period select and its caption.
#[component]
pub fn RefreshControl(
    #[prop(into)] period: Signal<u32>,
    on_period: Callback<u32>,
    #[prop(into)] state: Signal<RefreshState>,
    on_reset: Callback<()>,
    /// The compact row density, and its setter.
    #[prop(into)]
    compact: Signal<bool>,
    on_compact: Callback<bool>,
) -> impl IntoView {
    // The configured period is offered even when it is not one of the usual ones.
    let choices = move || {
        let mut all: Vec<u32> = PERIODS.to_vec();
        let current = period.get();
        if !all.contains(&current) {
            all.push(current);
            all.sort_unstable();
        }
        all
    };
    let caption = move || match state.get() {
        RefreshState::Off | RefreshState::Waiting => String::new(),
        RefreshState::Paused => "Paused while the tab is hidden".into(),
        RefreshState::BackingOff {
            failures,
            wait,
            error,
        } => format!(
            "Refresh failed {} ({}); next try in {}",
            count_of(failures as usize, "time", "times"),
            error
                .status()
                .map_or_else(|| error.to_string(), |s| format!("HTTP {s}")),
            period_label(wait.as_secs() as u32)
        ),
    };
    view! {
        <div class="refresh-control">
            <label class="refresh-label">
                <span>"Auto-refresh"</span>
                <select
                    on:change=move |ev| {
                        if let Ok(seconds) = event_target_value(&ev).parse::<u32>() {
                            on_period.run(seconds);
                        }
                    }
                >
                    {move || choices().into_iter().map(|s| view! {
                        <option value=s.to_string() selected=move || period.get() == s>{period_label(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <span class="refresh-state muted" role="status">{caption}</span>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || compact.get()
                    on:change=move |ev| on_compact.run(event_target_checked(&ev))
                />
                <span>"Compact rows"</span>
            </label>
            <button type="button" class="button small" on:click=move |_| on_reset.run(())
                title="Columns, time zone, refresh and filters back to their defaults">
                "Reset view"
            </button>
        </div>
    }
}

/// "N new records · Show", announced politely; empty when nothing is waiting.
#[component]
pub fn NewRecordsBar(#[prop(into)] count: Signal<usize>, on_show: Callback<()>) -> impl IntoView {
    view! {
        <div class="new-records-region" role="status" aria-live="polite">
            {move || (count.get() > 0).then(|| view! {
                <p class="new-records">
                    <span>{move || {
                        let n = count.get();
                        format!("{} new {}", format_count(n), if n == 1 { "record" } else { "records" })
                    }}</span>
                    <button type="button" class="button small primary" on:click=move |_| on_show.run(())>
                        "Show"
                    </button>
                </p>
            })}
        </div>
    }
}
