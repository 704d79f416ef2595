//! The date/time range of the filter bar, in UTC: quick choices, or an exact From/To that
//! is checked (ordered, at most `max_range_days` wide) before anything is sent.

use chrono::{Duration, Utc};
use leptos::prelude::*;
use sync_logs_core::{
    range::{format_input, from_inputs, QUICK_RANGES},
    ViewState,
};

use crate::hooks::use_view_state::History;

/// The range field.
#[component]
pub fn RangePicker(
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
    /// The widest range allowed (`max_range_days`).
    max_days: u32,
    /// The range a view without one shows (`default_range_days`).
    default_days: u32,
) -> impl IntoView {
    let range = move || view.with(|v| (v.query.from, v.query.to));
    let shown = move || {
        let (from, to) = range();
        let to = to.unwrap_or_else(Utc::now);
        let from = from.unwrap_or_else(|| to - Duration::days(i64::from(default_days)));
        (format_input(from), format_input(to))
    };
    let from_text = RwSignal::new(String::new());
    let to_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let (from, to) = shown();
        from_text.set(from);
        to_text.set(to);
        error.set(None);
    });
    let quick_value = move || match range() {
        (None, None) => (i64::from(default_days) * 86_400).to_string(),
        _ => String::new(),
    };
    let on_quick = move |ev: leptos::ev::Event| {
        let Ok(seconds) = event_target_value(&ev).parse::<i64>() else {
            return;
        };
        let mut next = view.get_untracked();
        // The default span is the implied one: leaving it out keeps the view relative to now.
        next.query.from = (seconds != i64::from(default_days) * 86_400)
            .then(|| Utc::now() - Duration::seconds(seconds));
        next.query.to = None;
        set_view.run((next, History::Push));
    };
    let apply = move |_| match from_inputs(
        &from_text.get_untracked(),
        &to_text.get_untracked(),
        max_days,
    ) {
        Ok((from, to)) => {
            let mut next = view.get_untracked();
            next.query.from = Some(from);
            next.query.to = Some(to);
            set_view.run((next, History::Push));
        }
        Err(err) => error.set(Some(err.to_string())),
    };
    view! {
        <fieldset class="field range-picker">
            <legend class="field-label">"Range (UTC)"</legend>
            <div class="range-inputs">
                <select aria-label="Quick range" on:change=on_quick prop:value=quick_value>
                    <option value="">"Custom"</option>
                    {QUICK_RANGES
                        .iter()
                        .filter(|(_, seconds)| *seconds <= i64::from(max_days) * 86_400)
                        .map(|(label, seconds)| view! { <option value=seconds.to_string()>{*label}</option> })
                        .collect_view()}
                </select>
                <input
                    type="datetime-local"
                    aria-label="From (UTC)"
                    prop:value=move || from_text.get()
                    on:input=move |ev| from_text.set(event_target_value(&ev))
                />
                <span aria-hidden="true">"–"</span>
                <input
                    type="datetime-local"
                    aria-label="To (UTC)"
                    prop:value=move || to_text.get()
                    on:input=move |ev| to_text.set(event_target_value(&ev))
                />
                <button type="button" class="button" on:click=apply>"Apply"</button>
            </div>
            {move || error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
        </fieldset>
    }
}
