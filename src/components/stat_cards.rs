//! The stat cards: Total Operations, Success, Partial Success, Failed, In flight and
//! Success Rate over the rows matching the view. A tone card is a toggle that narrows
//! the table to that tone. Until a load has succeeded there is nothing to count, and the
//! cards say so rather than show zeros.

use leptos::prelude::*;
use sync_logs_core::{text::format_count, Stats, Tone};

use super::status_badge::tone_icon;

/// The row of cards.
#[component]
pub fn StatCards(
    /// The counts; `None` until a load has succeeded.
    #[prop(into)]
    stats: Signal<Option<Stats>>,
    /// The card the table is narrowed to.
    #[prop(into)]
    active: Signal<Option<Tone>>,
    /// Called with the tone to narrow to, or `None` to show every tone.
    on_select: Callback<Option<Tone>>,
) -> impl IntoView {
    let tone_card = move |tone: Tone| {
        let pressed = move || active.get() == Some(tone);
        let label = tone.card_label().unwrap_or_default();
        view! {
            <button
                type="button"
                class=format!("stat-card tone-card card-{}", tone.key())
                aria-pressed=move || pressed().to_string()
                title=format!("Show only {label} records; click again to show all")
                on:click=move |_| on_select.run(if pressed() { None } else { Some(tone) })
            >
                <span class="stat-label">
                    <span class="stat-icon" aria-hidden="true">{tone_icon(tone)}</span>
                    {label}
                </span>
                <StatValue stats value=move |s: &Stats| format_count(s.count(tone)) />
            </button>
        }
    };
    view! {
        <section
            class="stat-cards"
            aria-label="Summary of the matching records"
            aria-busy=move || stats.with(Option::is_none).to_string()
        >
            <button
                type="button"
                class="stat-card card-total"
                aria-pressed=move || active.get().is_none().to_string()
                title="Show every status"
                on:click=move |_| on_select.run(None)
            >
                <span class="stat-label">"Total Operations"</span>
                <StatValue stats value=|s: &Stats| format_count(s.total) />
            </button>
            {Tone::CARDS.into_iter().map(tone_card).collect_view()}
            <div class="stat-card card-rate" role="group" aria-label="Success Rate">
                <span class="stat-label">"Success Rate"</span>
                <StatValue stats value=Stats::success_rate_label />
            </div>
        </section>
    }
}

/// One card's figure, or a placeholder while nothing has loaded.
#[component]
fn StatValue(
    stats: Signal<Option<Stats>>,
    value: impl Fn(&Stats) -> String + Send + Sync + 'static,
) -> impl IntoView {
    move || match stats.with(|s| s.as_ref().map(&value)) {
        Some(text) => view! { <span class="stat-value">{text}</span> }.into_any(),
        None => view! {
            <span class="stat-value stat-pending">
                <span aria-hidden="true">"—"</span>
                <span class="visually-hidden">"not loaded yet"</span>
            </span>
        }
        .into_any(),
    }
}
