//! The column choice: the Patchworks report's "show additional fields" (source and
//! endpoint id) and "show additional sync data" (latest sync information, attempts,
//! correlation id) toggles, plus a checkbox per column. The choice is remembered.

use leptos::prelude::*;
use sync_logs_core::columns::{default_columns, in_group, Column, Group};

/// A toolbar button that opens the chooser.
#[component]
pub fn ColumnChooser(
    #[prop(into)] columns: Signal<Vec<Column>>,
    /// Called with the new set of shown columns.
    on_change: Callback<Vec<Column>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let set = move |column: Column, shown: bool| {
        let mut next = columns.get_untracked();
        next.retain(|c| *c != column);
        if shown {
            next.push(column);
        }
        // Never an empty table: the status stays when everything else is unticked.
        if next.is_empty() {
            next.push(Column::Status);
        }
        on_change.run(
            Column::all()
                .into_iter()
                .filter(|c| next.contains(c))
                .collect(),
        );
    };
    let group = move |label: &'static str, group: Group| {
        let group = StoredValue::new(in_group(group));
        let all_shown =
            move || columns.with(|c| group.with_value(|g| g.iter().all(|x| c.contains(x))));
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=all_shown
                    on:change=move |_| {
                        let show = !all_shown();
                        group.with_value(|g| g.iter().for_each(|column| set(*column, show)));
                    }
                />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <div class="column-chooser">
            <button
                type="button"
                class="button small"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Columns"
            </button>
            <Show when=move || open.get()>
                <section
                    class="column-chooser-panel"
                    aria-label="Choose columns"
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }
                >
                    {group("Show additional fields", Group::AdditionalFields)}
                    {group("Show additional sync data", Group::AdditionalSyncData)}
                    <hr />
                    <div class="checklist">
                        {Column::all()
                            .into_iter()
                            .map(|column| {
                                let shown = move || columns.with(|c| c.contains(&column));
                                view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=shown on:change=move |_| set(column, !shown()) />
                                        <span>{column.label()}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                    <button type="button" class="button small" on:click=move |_| on_change.run(default_columns())>
                        "Reset columns"
                    </button>
                </section>
            </Show>
        </div>
    }
}
