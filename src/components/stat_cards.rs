//! The stat cards: Total Operations, Success, Partial Success, Failed, In flight and
//! Success Rate over the rows matching the view. A tone card is a toggle that narrows
//! the table to that tone.

use leptos::prelude::*;
use sync_logs_core::{text::format_count, Stats, Tone};

use super::status_badge::tone_icon;

/// The row of cards.
#[component]
pub fn StatCards(
    #[prop(into)] stats: Signal<Stats>,
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
                <span class="stat-value">{move || format_count(stats.get().count(tone))}</span>
            </button>
        }
    };
    view! {
        <section class="stat-cards" aria-label="Summary of the matching records">
            <button
                type="button"
                class="stat-card card-total"
                aria-pressed=move || active.get().is_none().to_string()
                title="Show every status"
                on:click=move |_| on_select.run(None)
            >
                <span class="stat-label">"Total Operations"</span>
                <span class="stat-value">{move || format_count(stats.get().total)}</span>
            </button>
            {Tone::CARDS.into_iter().map(tone_card).collect_view()}
            <div class="stat-card card-rate" role="group" aria-label="Success Rate">
                <span class="stat-label">"Success Rate"</span>
                <span class="stat-value">{move || stats.get().success_rate_label()}</span>
            </div>
        </section>
    }
}
