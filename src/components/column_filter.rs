//! The filter of one column, opened from its header, as its definition's filter kind
//! says: a checklist of the values present (with counts) for list columns (Status,
//! Instance, Entity Type, Operation); "contains" text for text columns (Source ID,
//! Details); "contains" or "is empty" for Target ID. Changes apply at once and go to the
//! URL.

use leptos::prelude::*;
use sync_logs_core::{
    columns::FilterKind, facets::value_label, refine::Column, text::format_count, ViewState,
};

use super::typing_input::TypingInput;
use crate::hooks::use_view_state::History;

/// The panel for `column`.
#[component]
pub fn ColumnFilterPanel(
    column: Column,
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
    /// For list columns: the values present and how many rows have each.
    #[prop(into)]
    values: Signal<Vec<(String, usize)>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let edit = move |change: &dyn Fn(&mut ViewState), history| {
        let mut next = view.get_untracked();
        change(&mut next);
        set_view.run((next, history));
    };
    let body = if column.filter_kind() == FilterKind::List {
        let checklist = move || {
            let chosen = view.with(|v| v.refine.list(column).to_vec());
            let mut items = values.get();
            for value in &chosen {
                if !items.iter().any(|(v, _)| v == value) {
                    items.push((value.clone(), 0));
                }
            }
            items
                .into_iter()
                .map(|(value, count)| {
                    let checked = chosen.contains(&value);
                    let toggled = value.clone();
                    let on_change = move |_| {
                        edit(
                            &|v: &mut ViewState| v.refine.toggle(column, &toggled),
                            History::Push,
                        )
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=checked on:change=on_change />
                            <span>{value_label(column, &value)}</span>
                            <span class="count">{format_count(count)}</span>
                        </label>
                    }
                })
                .collect_view()
        };
        view! { <div class="checklist" role="group" aria-label=format!("{} values", column.label())>{checklist}</div> }
            .into_any()
    } else {
        let current =
            move || view.with(|v| v.refine.contains(column).unwrap_or_default().to_owned());
        let text = RwSignal::new(untrack(current));
        let write = Callback::new(move |(text, history): (String, History)| {
            edit(
                &|v: &mut ViewState| v.refine.set_contains(column, Some(text.clone())),
                history,
            )
        });
        let is_empty = move || view.with(|v| v.refine.is_empty_filter(column));
        view! {
            <label class="field">
                <span class="field-label">"Contains"</span>
                <TypingInput text committed=Signal::derive(current) on_commit=write pause_ms=200.0 />
            </label>
            {(column.filter_kind() == FilterKind::ContainsOrEmpty).then(|| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=is_empty on:change=move |_| {
                        let empty = !is_empty();
                        edit(&|v: &mut ViewState| v.refine.set_empty(column, empty), History::Push)
                    } />
                    <span>"Is empty (not written to the target yet)"</span>
                </label>
            })}
        }
        .into_any()
    };
    view! {
        <section
            class="column-filter"
            aria-label=format!("Filter {}", column.label())
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { on_close.run(()) }
        >
            <header>
                <span class="column-filter-title">{format!("Filter: {}", column.label())}</span>
                <button type="button" class="button small" on:click=move |_| on_close.run(())>"Done"</button>
            </header>
            <div class="column-filter-body">{body}</div>
        </section>
    }
}

/// The active refinements as removable chips.
#[component]
pub fn FilterChips(
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
) -> impl IntoView {
    move || {
        let active = view.with(|v| v.refine.active());
        (!active.is_empty()).then(|| {
            view! {
                <ul class="chip-row filter-chips" aria-label="Active filters">
                    {active
                        .into_iter()
                        .map(|(facet, label)| {
                            let remove = move |_| {
                                let mut next = view.get_untracked();
                                next.refine.clear(facet);
                                set_view.run((next, History::Push));
                            };
                            view! {
                                <li class="chip">
                                    <span>{label.clone()}</span>
                                    <button type="button" class="chip-remove" aria-label=format!("Remove {label}") on:click=remove>"×"</button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}
