//! The filter bar: the server query. Instance (blank = all), Entity Type (options follow
//! the instance), Source ID (debounced as you type), Limit, and Clear; beside the view
//! controls, [`UnresolvedToggle`] (`latest=1`). Each control writes
//! the view to the URL; typing in Source ID adds one history entry per typing session,
//! not one per keystroke.

use leptos::ev::Event;
use leptos::prelude::*;
use sync_logs_core::{text::format_count, Instance, ViewState};

use super::{range_picker::RangePicker, typing_input::TypingInput};
use crate::api::ApiError;
use crate::hooks::use_view_state::History;

/// The limits offered; a URL may carry another, which is then offered too.
pub const LIMITS: [u32; 9] = [
    100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 250_000, 1_000_000,
];

/// The entity types to offer: the instance's, or every instance's when none is chosen.
pub fn entity_options(instances: &[Instance], instance: Option<&str>) -> Vec<String> {
    let mut types: Vec<String> = instances
        .iter()
        .filter(|i| instance.is_none_or(|name| i.name == name))
        .flat_map(|i| i.entity_types.iter().cloned())
        .collect();
    types.sort();
    types.dedup();
    types
}

/// `<option>`s for `values`, with `chosen` selected. A URL may name a value the list does
/// not (yet) have; it is offered too, so the control shows the view truthfully.
fn options(mut values: Vec<String>, chosen: Option<String>) -> impl IntoView {
    if let Some(extra) = chosen.clone().filter(|c| !values.contains(c)) {
        values.push(extra);
    }
    values
        .into_iter()
        .map(|value| {
            let selected = chosen.as_deref() == Some(value.as_str());
            view! { <option value=value.clone() selected=selected>{value.clone()}</option> }
        })
        .collect_view()
}

/// The bar.
#[component]
pub fn FilterBar(
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
    #[prop(into)] instances: Signal<Option<Result<Vec<Instance>, ApiError>>>,
    /// The backend lists no instances: those offered were seen in loaded rows.
    instances_from_rows: bool,
    /// The limit Clear goes back to (`default_limit` of the configuration).
    default_limit: u32,
    /// `max_range_days` and `default_range_days` of the configuration.
    max_days: u32,
    default_days: u32,
) -> impl IntoView {
    let known = move || {
        instances.with(|i| {
            i.as_ref()
                .and_then(|r| r.as_ref().ok())
                .cloned()
                .unwrap_or_default()
        })
    };
    let change = move |edit: &dyn Fn(&mut ViewState), history: History| {
        let mut next = view.get_untracked();
        edit(&mut next);
        set_view.run((next, history));
    };

    let on_instance = move |ev: Event| {
        let value = event_target_value(&ev);
        let all = known();
        change(
            &|v: &mut ViewState| {
                v.query.instance = (!value.is_empty()).then(|| value.clone());
                // An entity type the new instance does not move no longer applies.
                let options = entity_options(&all, v.query.instance.as_deref());
                if v.query
                    .entity_type
                    .as_ref()
                    .is_some_and(|e| !options.contains(e))
                {
                    v.query.entity_type = None;
                }
            },
            History::Push,
        );
    };
    let on_entity = move |ev: Event| {
        let value = event_target_value(&ev);
        change(
            &|v: &mut ViewState| v.query.entity_type = (!value.is_empty()).then(|| value.clone()),
            History::Push,
        );
    };
    let on_limit = move |ev: Event| {
        if let Ok(limit) = event_target_value(&ev).parse::<u32>() {
            change(&|v: &mut ViewState| v.query.limit = limit, History::Push);
        }
    };

    // Source ID: written to the URL after a pause in typing (see TypingInput).
    let source_text = RwSignal::new(view.get_untracked().query.source_id.unwrap_or_default());
    let source_committed =
        Signal::derive(move || view.with(|v| v.query.source_id.clone().unwrap_or_default()));
    let write_source = Callback::new(move |(text, history): (String, History)| {
        let value = text.trim().to_owned();
        if view.with_untracked(|v| v.query.source_id.clone().unwrap_or_default()) != value {
            change(
                &|v: &mut ViewState| v.query.source_id = (!value.is_empty()).then(|| value.clone()),
                history,
            );
        }
    });

    let clear = move |_| {
        source_text.set(String::new());
        let mut cleared = ViewState::default();
        cleared.query.limit = default_limit;
        set_view.run((cleared, History::Push));
    };

    let limit_options = move || {
        let current = view.with(|v| v.query.limit);
        let mut limits = LIMITS.to_vec();
        if !limits.contains(&current) {
            limits.push(current);
            limits.sort_unstable();
        }
        limits
            .into_iter()
            .map(|l| view! { <option value=l.to_string() selected=l == current>{format_count(l as usize)}</option> })
            .collect_view()
    };

    view! {
        <form class="filter-bar" role="search" aria-label="Filter sync records" on:submit=|ev| ev.prevent_default()>
            <label class="field">
                <span class="field-label">"Instance"</span>
                <select on:change=on_instance prop:value=move || view.with(|v| v.query.instance.clone().unwrap_or_default())>
                    <option value="">"All instances"</option>
                    {move || {
                        let names = known().into_iter().map(|i| i.name).collect();
                        options(names, view.with(|v| v.query.instance.clone()))
                    }}
                </select>
            </label>
            <label class="field">
                <span class="field-label">"Entity Type"</span>
                <select on:change=on_entity prop:value=move || view.with(|v| v.query.entity_type.clone().unwrap_or_default())>
                    <option value="">"All entity types"</option>
                    {move || {
                        let instance = view.with(|v| v.query.instance.clone());
                        let types = entity_options(&known(), instance.as_deref());
                        options(types, view.with(|v| v.query.entity_type.clone()))
                    }}
                </select>
            </label>
            <label class="field field-grow">
                <span class="field-label">"Source ID"</span>
                <TypingInput
                    text=source_text
                    committed=source_committed
                    on_commit=write_source
                    pause_ms=350.0
                    placeholder="Partial or full reference"
                    max_chars=sync_logs_core::query::MAX_TEXT_CHARS
                />
            </label>
            <RangePicker view set_view max_days default_days />
            <label class="field field-limit">
                <span class="field-label">"Limit"</span>
                <select on:change=on_limit>{limit_options}</select>
            </label>
            {move || instances.with(|i| matches!(i, Some(Err(_)))).then(|| view! {
                <span class="field-note" role="status">"Instance list unavailable; type filters in the URL or retry later."</span>
            })}
            {instances_from_rows.then(|| view! {
                <span class="field-note" role="note">"Instances and entity types seen in the loaded records (this backend does not list them)."</span>
            })}
            <button type="button" class="button" on:click=clear>"Clear"</button>
        </form>
    }
}

/// Unresolved only, a filter of the server query: of each record (instance, entity type
/// and source ID) its latest attempt, hidden when that succeeded or was discarded.
#[component]
pub fn UnresolvedToggle(
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
) -> impl IntoView {
    view! {
        <label
            class="check unresolved-toggle"
            title="One row per record (instance, entity type and source ID): its latest attempt, hidden when that succeeded or was discarded"
        >
            <input
                type="checkbox"
                prop:checked=move || view.with(|v| v.query.latest)
                on:change=move |ev| {
                    let mut next = view.get_untracked();
                    next.query.latest = event_target_checked(&ev);
                    set_view.run((next, History::Push));
                }
            />
            <span>"Unresolved only"</span>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(name: &str, types: &[&str]) -> Instance {
        Instance {
            name: name.into(),
            entity_types: types.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn entity_types_follow_the_instance() {
        let all = vec![
            instance("A", &["order", "item"]),
            instance("B", &["bp", "item"]),
        ];
        assert_eq!(entity_options(&all, Some("A")), vec!["item", "order"]);
        assert_eq!(entity_options(&all, None), vec!["bp", "item", "order"]);
        assert!(entity_options(&all, Some("missing")).is_empty());
    }
}
