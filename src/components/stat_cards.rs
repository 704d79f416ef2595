//! The stat cards: Total Operations, Success, Partial Success, Failed, In flight and
//! Success Rate. Each shows two scopes when the backend can count the whole range (its
//! summary): the big figure is every matching record in the range, and under it the
//! rows loaded (and matching the view). Without a summary the cards count the loaded rows
//! and say "of loaded records".
//!
//! A card click narrows the loaded rows to that tone, as before; the card's "Load from
//! server" asks the server for that tone's statuses instead (a server `status` filter).
//! Until a load has succeeded there is nothing to count, and the cards say so rather than
//! show zeros.

use leptos::prelude::*;
use sync_logs_core::{status::Status, text::format_count, Stats, Tone};

use super::notice::Notice;
use super::status_badge::tone_icon;
use crate::hooks::use_summary::{RangeCounts, SummaryState};

/// The row of cards.
#[component]
pub fn StatCards(
    /// The counts of the loaded rows matching the view; `None` until a load has succeeded.
    #[prop(into)]
    stats: Signal<Option<Stats>>,
    /// The counts of the whole range.
    #[prop(into)]
    range: Signal<RangeCounts>,
    /// The card the table is narrowed to.
    #[prop(into)]
    active: Signal<Option<Tone>>,
    /// Called with the tone to narrow to, or `None` to show every tone.
    on_select: Callback<Option<Tone>>,
    /// The tone whose statuses the server query asks for, if it asks for exactly one.
    #[prop(into)]
    server_tone: Signal<Option<Tone>>,
    /// Called with the tone to load from the server, or `None` to drop that filter.
    on_server: Callback<Option<Tone>>,
) -> impl IntoView {
    let tone_card = move |tone: Tone| {
        let pressed = move || active.get() == Some(tone);
        let on_server_side = move || server_tone.get() == Some(tone);
        let label = tone.card_label().unwrap_or_default();
        view! {
            <div
                class=format!("stat-card tone-card card-{}", tone.key())
                class:card-active=pressed
                role="group"
                aria-label=label
            >
                <button
                    type="button"
                    class="stat-main"
                    aria-pressed=move || pressed().to_string()
                    title=format!("Show only the loaded {label} records; click again to show all")
                    on:click=move |_| on_select.run(if pressed() { None } else { Some(tone) })
                >
                    <span class="stat-label">
                        <span class="stat-icon" aria-hidden="true">{tone_icon(tone)}</span>
                        {label}
                    </span>
                    <Figures
                        stats
                        range
                        loaded=move |s: &Stats| format_count(s.count(tone))
                        in_range=move |r: &RangeCounts| r.stats().map(|s| format_count(s.count(tone)))
                    />
                </button>
                <button
                    type="button"
                    class="stat-server"
                    aria-pressed=move || on_server_side().to_string()
                    aria-label=move || if on_server_side() {
                        format!("Stop loading only {label} records from the server")
                    } else {
                        format!("Load only {label} records from the server")
                    }
                    on:click=move |_| on_server.run((!on_server_side()).then_some(tone))
                >
                    {move || if on_server_side() { "Server filter on ✕" } else { "Load from server" }}
                </button>
            </div>
        }
    };
    view! {
        <section
            class="stat-cards"
            aria-label="Summary of the matching records"
            aria-busy=move || (stats.with(Option::is_none) || range.with(|r| *r == RangeCounts::Counting)).to_string()
        >
            <div class="stat-card card-total" role="group" aria-label="Total Operations">
                <button
                    type="button"
                    class="stat-main"
                    aria-pressed=move || active.get().is_none().to_string()
                    title="Show every status"
                    on:click=move |_| on_select.run(None)
                >
                    <span class="stat-label">"Total Operations"</span>
                    <Figures
                        stats
                        range
                        loaded=|s: &Stats| format_count(s.total)
                        in_range=|r: &RangeCounts| r.total().map(|t| format_count(t as usize))
                    />
                </button>
            </div>
            {Tone::CARDS.into_iter().map(tone_card).collect_view()}
            <div class="stat-card card-rate" role="group" aria-label="Success Rate">
                <span class="stat-label">"Success Rate"</span>
                <Figures
                    stats
                    range
                    loaded=Stats::success_rate_label
                    in_range=|r: &RangeCounts| r.stats().map(|s| s.success_rate_label())
                />
            </div>
        </section>
    }
}

/// A card's figures: the range's and the loaded rows' when the range is counted, else the
/// loaded rows' alone, labelled so; a placeholder while nothing has loaded.
#[component]
fn Figures(
    stats: Signal<Option<Stats>>,
    range: Signal<RangeCounts>,
    loaded: impl Fn(&Stats) -> String + Send + Sync + 'static,
    in_range: impl Fn(&RangeCounts) -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let Some(loaded) = stats.with(|s| s.as_ref().map(&loaded)) else {
            return view! {
                <span class="stat-value stat-pending">
                    <span aria-hidden="true">"—"</span>
                    <span class="visually-hidden">"not loaded yet"</span>
                </span>
            }
            .into_any();
        };
        let counting = range.with(|r| *r == RangeCounts::Counting);
        match range.with(&in_range) {
            Some(whole) => view! {
                <span class="stat-figure">
                    <span class="stat-value stat-range">{whole}</span>
                    " "
                    <span class="stat-scope">"in range"</span>
                </span>
                <span class="stat-sub"><span class="stat-loaded">{loaded}</span>" loaded"</span>
            }
            .into_any(),
            None => view! {
                <span class="stat-value stat-loaded">{loaded}</span>
                <span class="stat-sub">
                    {if counting { "of loaded records (counting the range…)" } else { "of loaded records" }}
                </span>
            }
            .into_any(),
        }
    }
}

/// The server's status filter, when the query has one, and the way back to every status.
#[component]
pub fn ServerStatusChip(
    #[prop(into)] statuses: Signal<Vec<String>>,
    on_clear: Callback<()>,
) -> impl IntoView {
    move || {
        statuses.with(|statuses| {
            (!statuses.is_empty()).then(|| {
                let names = statuses
                    .iter()
                    .map(|s| Status::parse(s).label().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <p class="chip-row">
                        <span class="chip">"Status (server): " {names}</span>
                        <button type="button" class="button small" on:click=move |_| on_clear.run(())>
                            "Load every status"
                        </button>
                    </p>
                }
            })
        })
    }
}

/// What went wrong with the counts of the whole range, if anything: they could not be
/// had, or they disagree with themselves.
#[component]
pub fn RangeNotice(#[prop(into)] state: Signal<SummaryState>) -> impl IntoView {
    move || match state.get() {
        SummaryState::Failed(error) => Some(view! {
            <Notice tone="info" messages=vec![format!(
                "The counts of the whole range could not be loaded ({error}); the cards and the timeline count the loaded records."
            )] />
        }),
        SummaryState::Ready(known) if !known.problems.is_empty() => Some(view! {
            <Notice tone="warning" messages=vec![format!(
                "The backend's summary disagrees with itself: {}. Its figures are shown as sent; the loaded rows are not affected.",
                known.problems.join("; ")
            )] />
        }),
        _ => None,
    }
}
