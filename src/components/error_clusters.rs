//! The errors in view, grouped: each cluster of failed and partial rows that say the same
//! thing once ids and values are taken out, largest first, with how many, since when,
//! where, whether it is a data or a connectivity problem, and one full example. "Show"
//! filters the log to a cluster; once shown, "Select" ticks all of it for resync.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{
    clusters::{clusters, Cluster, ClusterIndex},
    text::{format_count, shortened},
    SyncLog, TimeZonePref,
};

use super::time_cell::TimeCell;
use crate::perf::measured;

/// Clusters listed before "Show all".
const FIRST: usize = 3;

#[component]
pub fn ErrorClusters(
    #[prop(into)] rows: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] index: Signal<Option<Arc<ClusterIndex>>>,
    /// The rows to group: those matching the view except the cluster and the card.
    #[prop(into)]
    among: Signal<Arc<Vec<u32>>>,
    /// The cluster the log is filtered to.
    #[prop(into)]
    active: Signal<Option<String>>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    /// Called with a cluster key to show (or `None` to show every row again).
    on_show: Callback<Option<String>>,
    /// Called to tick every row shown (the active cluster's).
    on_select: Callback<()>,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let opened = RwSignal::new(false);
    let is_open = move || opened.get() || active.with(Option::is_some);
    // The grouping of the most rows so far with these keys (normally the view without a
    // search), kept while the view narrows: widening back to it groups nothing again.
    type Widest = (Arc<ClusterIndex>, Arc<Vec<u32>>, Arc<Vec<Cluster>>);
    let widest = StoredValue::new(None::<Widest>);
    let found = Memo::new(move |previous: Option<&Arc<Vec<Cluster>>>| {
        index.with(|index| match index {
            Some(index) => rows.with(|r| {
                among.with(|a| {
                    let keys = |w: &Widest| Arc::ptr_eq(&w.0, index);
                    let kept = widest.with_value(|w| {
                        w.as_ref()
                            .filter(|w| keys(w) && w.1 == *a)
                            .map(|w| w.2.clone())
                    });
                    kept.unwrap_or_else(|| {
                        let found =
                            Arc::new(measured("sync-logs:clusters", || clusters(r, index, a)));
                        let wider = widest.with_value(|w| {
                            w.as_ref().is_none_or(|w| !keys(w) || w.1.len() <= a.len())
                        });
                        if wider {
                            widest.set_value(Some((index.clone(), a.clone(), found.clone())));
                        }
                        found
                    })
                })
            }),
            // The keys of new rows are on their way (built in the background): the last
            // list stays until they are ready, rather than the line blinking out.
            None if rows.with(|r| !r.is_empty()) => previous.cloned().unwrap_or_default(),
            None => Arc::new(Vec::new()),
        })
    });
    let shown = move || {
        let all = found.get();
        let n = if expanded.get() {
            all.len()
        } else {
            FIRST.min(all.len())
        };
        all.iter().take(n).cloned().collect::<Vec<_>>()
    };
    let item = move |cluster: Cluster| {
        let is_active = active.with(|a| a.as_deref() == Some(cluster.key.as_str()));
        let key = cluster.key.clone();
        let example = rows.with_untracked(|r| {
            r.get(cluster.example as usize)
                .and_then(|row| row.details.clone())
                .unwrap_or_default()
        });
        let places = format!(
            "{} · {}",
            join(cluster.instances.iter().map(|n| n.as_str())),
            join(cluster.entity_types.iter().map(|n| n.as_str()))
        );
        let count = cluster.count;
        view! {
            <li class="cluster" class:active=is_active>
                <span class="cluster-count">{format_count(count)}</span>
                <div class="cluster-body">
                    <p class="cluster-key mono" title=example.clone()>{cluster.key.clone()}</p>
                    <p class="cluster-meta">
                        <span class=format!("triage triage-{}", cluster.class.label().to_lowercase()) title=cluster.class.hint()>
                            {cluster.class.label()}
                        </span>
                        " " {places} " · first "
                        <TimeCell at=cluster.first_seen zone />
                        " · last "
                        <TimeCell at=cluster.last_seen zone />
                    </p>
                    <details class="cluster-example">
                        <summary>"Example"</summary>
                        <pre>{example}</pre>
                    </details>
                </div>
                <div class="cluster-actions">
                    {if is_active {
                        view! {
                            <button type="button" class="button small primary" on:click=move |_| on_select.run(())>
                                {format!("Select these {}", format_count(count))}
                            </button>
                            <button type="button" class="button small" on:click=move |_| on_show.run(None)>"Show all errors"</button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("Show the {} records of this error", format_count(count))
                                on:click=move |_| on_show.run(Some(key.clone()))
                            >
                                "Show"
                            </button>
                        }
                            .into_any()
                    }}
                </div>
            </li>
        }
    };

    view! {
        <Show when=move || found.with(|f| !f.is_empty())>
            <section class="clusters" aria-labelledby="clusters-title">
                // One line until opened, so the table keeps the screen; open while the log
                // is filtered to a cluster.
                <h2 id="clusters-title" class="clusters-title">
                    <button
                        type="button"
                        class="clusters-toggle"
                        aria-expanded=move || is_open().to_string()
                        aria-controls="cluster-list"
                        on:click=move |_| opened.update(|o| *o = !*o)
                    >
                        <span aria-hidden="true">{move || if is_open() { "▾ " } else { "▸ " }}</span>
                        "Errors in view "
                        <span class="muted">
                            {move || {
                                let f = found.get();
                                let rows: usize = f.iter().map(|c| c.count).sum();
                                let top = f
                                    .first()
                                    .map(|c| format!(" · most: {} ({})", shortened(&c.key, 70), format_count(c.count)))
                                    .unwrap_or_default();
                                format!("{} kinds, {} records{top}", format_count(f.len()), format_count(rows))
                            }}
                        </span>
                    </button>
                </h2>
                <Show when=is_open>
                <ol class="cluster-list" id="cluster-list">{move || shown().into_iter().map(item).collect_view()}</ol>
                </Show>
                <Show when=move || is_open() && found.with(|f| f.len() > FIRST)>
                    <button type="button" class="button small" on:click=move |_| expanded.update(|e| *e = !*e)>
                        {move || if expanded.get() {
                            "Show fewer".to_owned()
                        } else {
                            format!("Show all {} kinds", format_count(found.with(|f| f.len())))
                        }}
                    </button>
                </Show>
            </section>
        </Show>
    }
}

/// Up to three names, then "+N".
fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{} +{}", names[..3].join(", "), n - 3),
    }
}
