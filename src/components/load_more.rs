//! "Showing the newest 100 of 18,432": shown when the backend counts more matching
//! records than are loaded, with "Load 1,000 more" and "Load all" (up to the largest
//! Limit). Both raise the query's limit; the loader continues where it stopped, and its
//! progress bar (with Cancel) shows the way.

use leptos::prelude::*;
use sync_logs_core::{query::MAX_LIMIT, text::format_count};

/// How many more records one "Load more" asks for.
pub const STEP: u32 = 1_000;

/// The limit that loads `STEP` more: after a complete load, the limit plus a step (the
/// rows live refresh added are not the server's to count); after a cancelled one, what
/// arrived plus a step.
pub fn more_limit(limit: u32, loaded: usize) -> u32 {
    let base = u64::from(limit).min(loaded as u64);
    (base + u64::from(STEP)).min(u64::from(MAX_LIMIT)) as u32
}

/// The limit that loads every matching record, or as many as any limit allows.
pub fn all_limit(total: u64) -> u32 {
    total.clamp(1, u64::from(MAX_LIMIT)) as u32
}

#[component]
pub fn LoadMore(
    /// Rows loaded.
    #[prop(into)]
    loaded: Signal<usize>,
    /// Records matching the query, when the backend counts them.
    #[prop(into)]
    total: Signal<Option<u64>>,
    /// A load is running (its own progress bar shows it).
    #[prop(into)]
    loading: Signal<bool>,
    /// The query's limit.
    #[prop(into)]
    limit: Signal<u32>,
    /// Called with the new limit.
    on_limit: Callback<u32>,
) -> impl IntoView {
    move || {
        let loaded = loaded.get();
        let total = total.get().filter(|t| *t > loaded as u64)?;
        let more = more_limit(limit.get(), loaded);
        let all = all_limit(total);
        let left = total - loaded as u64;
        let busy = loading.get();
        Some(view! {
            <div class="load-more" role="group" aria-label="Load more records">
                <p class="load-more-text">
                    {format!(
                        "Showing the newest {} of {} matching records.",
                        format_count(loaded),
                        format_count(total as usize)
                    )}
                </p>
                {(left > u64::from(STEP)).then(|| view! {
                    <button
                        type="button"
                        class="button small"
                        aria-disabled=busy.to_string()
                        on:click=move |_| if !busy { on_limit.run(more) }
                    >
                        {format!("Load {} more", format_count(STEP as usize))}
                    </button>
                })}
                <button
                    type="button"
                    class="button small"
                    aria-disabled=busy.to_string()
                    on:click=move |_| if !busy { on_limit.run(all) }
                >
                    {if total > u64::from(MAX_LIMIT) {
                        format!("Load the newest {}", format_count(MAX_LIMIT as usize))
                    } else {
                        format!("Load all {}", format_count(total as usize))
                    }}
                </button>
            </div>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_adds_a_step_to_what_is_loaded_or_asked_for() {
        assert_eq!(more_limit(100, 100), 1_100);
        assert_eq!(
            more_limit(100, 103),
            1_100,
            "rows added by live refresh aside"
        );
        assert_eq!(
            more_limit(5_000, 40),
            1_040,
            "after a cancel: what arrived, and more"
        );
        assert_eq!(more_limit(MAX_LIMIT, MAX_LIMIT as usize), MAX_LIMIT);
    }

    #[test]
    fn all_is_the_total_up_to_the_largest_limit() {
        assert_eq!(all_limit(18_432), 18_432);
        assert_eq!(all_limit(5_000_000), MAX_LIMIT);
        assert_eq!(all_limit(0), 1);
    }
}
