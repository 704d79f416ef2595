//! The Sync Logs page: the filter bar (server query), the stat cards, and the table of
//! the loaded rows refined by the view, with loading, empty and error states. Rows
//! already loaded stay on screen while a new query loads or if it fails.
//!
//! The Dead letter page is the same page over the dead-letter queue: its rows, filters,
//! search, sort, CSV and selection, with Replay and Discard in place of Resync.
//!
//! The URL holds the whole view. A URL without a range means the last
//! `default_range_days`; without a limit, `default_limit`.

use std::sync::Arc;

use chrono::{Duration, Utc};
use leptos::prelude::*;
use sync_logs_core::{
    csv_export::file_name,
    facets::{instances_seen, values_present},
    pipeline::{narrows, refine_within, Refined},
    query::format_timestamp,
    refine::{columns_from_keys, Column, Sort},
    text::{count_of, format_count},
    Instance, LogQuery, SyncLog, TimeZonePref, Tone, ViewState,
};

use crate::api::{Action, ApiError, Scope};
use crate::app::AppContext;
use crate::components::{
    action_panels::{ActionDialog, ActionReportView, SelectionBar, UndoBar},
    actions_menu::CsvStatus,
    column_filter::{ColumnFilterPanel, FilterChips},
    error_clusters::ErrorClusters,
    filter_bar::UnresolvedToggle,
    history_panel::HistoryPanel,
    load_more::LoadMore,
    log_table::LogTable,
    notice::Notice,
    page_top::PageTop,
    refresh_control::{NewRecordsBar, RefreshControl},
    region::Region,
    stat_cards::{RangeNotice, ServerStatusChip, StatCards},
    states::{EmptyState, ErrorState, LoadingState},
    timeline::Timeline,
    toolbar::Toolbar,
};
use crate::hooks::use_embedding::use_embedding;
use crate::hooks::{
    use_csv_export::{use_csv_export, CsvJob},
    use_instances::use_instances,
    use_live_refresh::{use_live_refresh, LiveRefreshInputs},
    use_log_loader::{use_log_loader, DataNotes, UseLogLoaderReturn},
    use_mass_action::{use_mass_action, RowChanges},
    use_prefs::{use_prefs, Density},
    use_row_indexes::{use_row_indexes, UseRowIndexesReturn},
    use_summary::{use_summary, SummaryInputs},
    use_view_state::{use_view_state, History, UseViewStateReturn},
};
use crate::perf::measured;
use sync_logs_core::{
    embed::{AppMessage, MAX_SELECTION_IDS},
    selection::Selection,
};

/// The log.
#[component]
pub fn SyncLogsPage() -> impl IntoView {
    view! { <LogPage scope=Scope::Log /> }
}

/// The dead-letter queue.
#[component]
pub fn DeadLetterPage() -> impl IntoView {
    view! { <LogPage scope=Scope::DeadLetter /> }
}

/// The page of either list.
#[component]
fn LogPage(scope: Scope) -> impl IntoView {
    let AppContext {
        config,
        client,
        queue_epoch,
    } = expect_context::<AppContext>();
    let client = client.with_scope(scope);
    let in_queue = scope == Scope::DeadLetter;
    let (title, lead) = if in_queue {
        (
            "Dead letter",
            "Records whose last allowed attempt failed: nothing retries them until they are replayed or discarded. The tab counts the whole queue; the table shows the chosen range.",
        )
    } else {
        (
            "Sync Logs",
            "Every record the pipeline moved, newest first.",
        )
    };
    let actions: Vec<Action> = if in_queue {
        vec![Action::Replay, Action::Discard]
    } else {
        vec![Action::Resync]
    }
    .into_iter()
    .filter(|a| client.offers(*a))
    .collect();
    let actions_off = if in_queue {
        (actions.is_empty()).then_some(
            "Replay and discard are off: this backend's profile in config.json maps no dead_letter.replay or dead_letter.discard.",
        )
    } else {
        client.resync_unavailable()
    };
    let UseViewStateReturn {
        view,
        dropped,
        set_view,
    } = use_view_state(config.default_limit);

    // Only a change of the server query reloads; card clicks refine loaded rows.
    let query = Memo::new(move |_| view.with(|v| v.query.clone()));
    let range_days = config.default_range_days;
    // The query as sent. Loading more of the same query keeps its default range, so the
    // new rows continue the old ones and the summary is not asked again.
    let asked_before = StoredValue::new(None::<LogQuery>);
    let effective = Memo::new(move |previous: Option<&LogQuery>| {
        let chosen = query.get();
        let before = asked_before
            .try_update_value(|b| b.replace(chosen.clone()))
            .flatten();
        match previous {
            Some(previous) if before.is_some_and(|b| b.differs_only_in_limit(&chosen)) => {
                LogQuery {
                    limit: chosen.limit,
                    ..previous.clone()
                }
            }
            _ => chosen.with_default_range(range_days, Utc::now()),
        }
    });
    let UseLogLoaderReturn {
        rows,
        progress,
        streaming,
        error,
        retrying,
        notes,
        cancelled,
        retry,
        cancel,
        patch,
        prepend,
        remove,
    } = use_log_loader(effective, query, client.clone(), config.page_size);
    let listed = use_instances(client.clone());

    let loaded = Memo::new(move |_| rows.get().unwrap_or_default());
    // A backend that lists no instances: the filter offers those seen so far.
    let offers_instances = client.offers_instances();
    let instances = Memo::new(
        move |previous: Option<&Option<Result<Vec<Instance>, ApiError>>>| {
            if offers_instances {
                return listed.get();
            }
            let known = previous
                .and_then(|p| p.as_ref())
                .and_then(|r| r.as_ref().ok())
                .cloned()
                .unwrap_or_default();
            Some(Ok(loaded.with(|rows| instances_seen(&known, rows))))
        },
    );
    // Changes only when the first rows arrive: the table is built once, not again for
    // every patch or refresh of the rows (which would lose its scroll position).
    let has_rows = Memo::new(move |_| rows.with(Option::is_some));
    let loading = Memo::new(move |_| progress.with(Option::is_some));
    // The search box refines on every keystroke; only its URL write waits for a pause.
    // This memo is equal before and after that write, so the write refines nothing again.
    let search_text = RwSignal::new(view.get_untracked().refine.search);
    let effective_view = Memo::new(move |_| {
        let mut v = view.get();
        v.refine.search = search_text.get();
        v
    });
    // The error-cluster keys of the loaded rows, built in the background after each load
    // (or patch), at once when a cluster is chosen sooner; the search text once the
    // search box is about to be used (src/hooks/use_row_indexes.rs).
    let searching = Memo::new(move |_| effective_view.with(|v| !v.refine.search.trim().is_empty()));
    let clustering = Memo::new(move |_| effective_view.with(|v| v.refine.cluster.is_some()));
    let UseRowIndexesReturn {
        clusters: cluster_index,
        search: index,
        prepare_search,
    } = use_row_indexes(loaded, searching, clustering);
    // The rows and view of the last refine: a search typed on from it looks only at its
    // candidates (the same answer, from a fraction of the rows). The rows are held, not
    // their address, so other rows at the same address are never taken for them.
    let last_refined = StoredValue::new(None::<(Arc<Vec<SyncLog>>, ViewState)>);
    // The refine of the last view without a search, kept while a search is typed: clearing
    // the search shows it again at once instead of refining every row again. It is the
    // refine shown before the search, so keeping it costs no memory at rest.
    let unsearched = StoredValue::new(None::<(Arc<Vec<SyncLog>>, ViewState, Arc<Refined>)>);
    let refined = Memo::new(move |previous: Option<&Arc<Refined>>| {
        // The keys only matter to a view narrowed to a cluster: the rows are not refined
        // again when the background finishes them.
        let clusters = clustering.get().then(|| cluster_index.get()).flatten();
        loaded.with(|rows| {
            // Untracked: the search text changes how fast, never what, a refine finds.
            index.with_untracked(|index| {
                effective_view.with(|v| {
                    let same_rows = |then: &Arc<Vec<SyncLog>>| Arc::ptr_eq(then, rows);
                    if unsearched.with_value(|u| u.as_ref().is_some_and(|u| !same_rows(&u.0))) {
                        unsearched.set_value(None);
                    }
                    let kept = unsearched
                        .with_value(|u| u.as_ref().filter(|u| u.1 == *v).map(|u| u.2.clone()));
                    let within = previous
                        .filter(|_| {
                            last_refined.with_value(|last| {
                                last.as_ref().is_some_and(|(rows_then, then)| {
                                    same_rows(rows_then) && narrows(v, then)
                                })
                            })
                        })
                        .map(|p| p.candidates.as_slice());
                    let refined = kept.unwrap_or_else(|| {
                        Arc::new(measured("sync-logs:refine", || {
                            refine_within(rows, v, index.as_deref(), clusters.as_deref(), within)
                        }))
                    });
                    last_refined.set_value(Some((rows.clone(), v.clone())));
                    if v.refine.search.is_empty() {
                        unsearched.set_value(Some((rows.clone(), v.clone(), refined.clone())));
                    }
                    refined
                })
            })
        })
    });
    // Shared, and changed only when the rows shown change: a keystroke that matches the
    // same rows re-renders nothing.
    let visible = Memo::new(move |_| Arc::new(refined.with(|r| r.visible.clone())));
    // Nothing to count until a load has succeeded (a first load that fails shows no zeros).
    let stats = Signal::derive(move || has_rows.get().then(|| refined.with(|r| r.stats)));
    let mass = use_mass_action(
        client.clone(),
        loaded,
        visible.into(),
        RowChanges {
            patch,
            remove,
            reload: retry,
            queue_changed: Callback::new(move |()| queue_epoch.update(|n| *n += 1)),
        },
    );
    let csv = use_csv_export();

    // Embedded in a portal: tell it the selection, ask it for a token on 401, and retry
    // once a token arrives (docs/embedding.md).
    let embedding = use_embedding();
    if embedding.active {
        Effect::new(move |_| {
            let message = mass.selection.with(|s| {
                visible.with(|shown| {
                    loaded.with_untracked(|rows| {
                        let ids = s.resolve(shown.iter().map(|&i| rows[i as usize].id.as_str()));
                        AppMessage::Selection {
                            count: ids.len(),
                            all_matching: matches!(s, Selection::AllMatching { .. }),
                            ids: ids.into_iter().take(MAX_SELECTION_IDS).collect(),
                        }
                    })
                })
            });
            embedding.post(&message);
        });
        Effect::new(move |_| {
            if error.with(|e| e.as_ref().and_then(ApiError::status)) == Some(401) {
                embedding.post(&AppMessage::TokenRequest);
            }
        });
        Effect::new(move |previous: Option<u32>| {
            let epoch = embedding.token_epoch.get();
            let expired =
                error.with_untracked(|e| e.as_ref().and_then(ApiError::status)) == Some(401);
            if previous.is_some_and(|p| p != epoch) && expired {
                retry.run(());
            }
            epoch
        });
    }

    let (prefs, set_prefs) = use_prefs();
    let zone_default = config.timezone_default;
    let zone = Signal::derive(move || prefs.with(|p| p.time_zone).unwrap_or(zone_default));
    let set_zone = move |tz: TimeZonePref| set_prefs.update(|p| p.time_zone = Some(tz));
    let columns = Signal::derive(move || prefs.with(|p| columns_from_keys(p.columns.as_deref())));
    let set_columns = Callback::new(move |chosen: Vec<Column>| {
        set_prefs.update(|p| p.columns = Some(chosen.iter().map(|c| c.key().to_owned()).collect()));
    });
    let compact = Signal::derive(move || prefs.with(|p| p.density) == Some(Density::Compact));
    let refresh_default = config.refresh_seconds;
    let default_limit = config.default_limit;
    let period =
        Signal::derive(move || prefs.with(|p| p.refresh_seconds).unwrap_or(refresh_default));
    let live = use_live_refresh(LiveRefreshInputs {
        query: effective,
        fixed_end: Signal::derive(move || view.with(|v| v.query.to.is_some())),
        rows: loaded,
        loading,
        period,
        client: client.clone(),
        page_size: config.page_size,
        prepend,
    });

    // The counts of the whole range, asked again when live refresh finds new records.
    let summary = use_summary(SummaryInputs {
        query: effective,
        // New records, or a queue that changed: either changes the counts.
        news: Signal::derive(move || live.pending.with(Vec::len) + queue_epoch.get() as usize),
        notes,
        client: client.clone(),
    });
    let server_tone = Signal::derive(move || view.with(|v| Tone::of_statuses(&v.query.statuses)));
    let load_server_tone = Callback::new(move |tone: Option<Tone>| {
        let mut next = view.get_untracked();
        next.query.statuses = tone.map(Tone::wire_statuses).unwrap_or_default();
        next.tone = None;
        set_view.run((next, History::Push));
    });

    let select_tone = Callback::new(move |tone| {
        let mut next = view.get_untracked();
        next.tone = tone;
        set_view.run((next, History::Push));
    });
    let sort = Signal::derive(move || view.with(|v| v.refine.sort));
    // Each header click: ascending, then descending, then the loaded (newest-first) order.
    let on_sort = Callback::new(move |column: Column| {
        let mut next = view.get_untracked();
        next.refine.sort = match next.refine.sort {
            Some(Sort {
                column: c,
                descending: false,
            }) if c == column => Some(Sort {
                column,
                descending: true,
            }),
            Some(Sort {
                column: c,
                descending: true,
            }) if c == column => None,
            _ => Some(Sort {
                column,
                descending: false,
            }),
        };
        set_view.run((next, History::Push));
    });
    let open_filter = RwSignal::new(None::<Column>);
    let history_of = RwSignal::new(None::<SyncLog>);
    let on_filter = Callback::new(move |column: Column| {
        open_filter.update(|open| {
            *open = if *open == Some(column) {
                None
            } else {
                Some(column)
            }
        });
    });
    let filtered =
        Signal::derive(move || view.with(|v| v.refine.filters.keys().copied().collect::<Vec<_>>()));
    let filter_values = Signal::derive(move || {
        let Some(column) = open_filter.get() else {
            return Vec::new();
        };
        match column {
            // Status counts ignore the status filter itself, so every choice shows its size.
            Column::Status => refined.with(|r| r.status_counts.clone().into_iter().collect()),
            _ => loaded.with(|rows| values_present(rows, column).unwrap_or_default()),
        }
    });

    let set_search = Callback::new(move |(text, history): (String, History)| {
        let mut next = view.get_untracked();
        next.refine.search = text;
        set_view.run((next, history));
    });
    // Exports exactly the rows shown (or the selected ones among them), as shown.
    let export_csv = move |selected_only: bool| {
        let rows = loaded.get_untracked();
        let order: Vec<u32> = refined.with_untracked(|r| {
            mass.selection.with_untracked(|s| {
                r.visible
                    .iter()
                    .copied()
                    .filter(|&i| !selected_only || s.contains(&rows[i as usize].id))
                    .collect()
            })
        });
        let query = effective.get_untracked();
        let from = query
            .from
            .map(format_timestamp)
            .unwrap_or_else(|| "start".into());
        let to = format_timestamp(query.to.unwrap_or_else(Utc::now));
        csv.start.run(CsvJob {
            rows,
            order,
            columns: columns.get_untracked(),
            zone: zone.get_untracked(),
            file_name: file_name(query.instance.as_deref(), &from, &to),
        });
    };
    let show_run = Callback::new(move |index: u32| {
        let next = loaded.with_untracked(|rows| {
            rows.get(index as usize)
                .map(|row| ViewState::run_of(row, view.with_untracked(|v| v.query.limit)))
        });
        if let Some(next) = next {
            set_view.run((next, History::Push));
        }
    });

    view! {
        <section class="page sync-logs" aria-labelledby="page-title">
            <PageTop
                title
                lead
                view
                set_view
                instances
                instances_from_rows=!offers_instances
                config=config.clone()
            />
            {move || dropped.get().map(|err| view! {
                <Notice tone="warning" messages=vec![format!("Ignored a link parameter: {err}.")] />
            })}
            {move || view.with(|v| v.query.correlation_id.clone()).map(|run| view! {
                <p class="chip-row">
                    <span class="chip">"Run " <code>{run}</code></span>
                    <button type="button" class="button small" on:click=move |_| {
                        let mut next = view.get_untracked();
                        next.query.correlation_id = None;
                        next.query.from = None;
                        next.query.to = None;
                        set_view.run((next, History::Push));
                    }>"Show all runs"</button>
                </p>
            })}
            <ServerStatusChip
                statuses=Signal::derive(move || view.with(|v| v.query.statuses.clone()))
                on_clear=Callback::new(move |()| load_server_tone.run(None))
            />
            <StatCards
                stats
                range=summary.counts
                active=Signal::derive(move || view.with(|v| v.tone))
                on_select=select_tone
                server_tone
                on_server=load_server_tone
            />
            <RangeNotice state=summary.state />
            <Toolbar
                shown=Signal::derive(move || refined.with(|r| r.visible.len()))
                loaded=Signal::derive(move || loaded.with(|r| r.len()))
                streaming
                search_text
                committed_search=Signal::derive(move || view.with(|v| v.refine.search.clone()))
                on_search=set_search
                on_search_intent=prepare_search
                columns
                on_columns=set_columns
                on_download=Callback::new(move |()| export_csv(false))
                zone
                on_zone=Callback::new(set_zone)
                resync_off=actions_off
            />
            <div class="view-controls">
            {(!in_queue).then(|| view! { <UnresolvedToggle view set_view /> })}
            <RefreshControl
                period
                on_period=Callback::new(move |seconds| set_prefs.update(|p| p.refresh_seconds = Some(seconds)))
                state=live.state
                compact=compact
                on_compact=Callback::new(move |on: bool| set_prefs.update(|p| {
                    p.density = Some(if on { Density::Compact } else { Density::Comfortable });
                }))
                on_reset=Callback::new(move |()| {
                    set_prefs.set(Default::default());
                    search_text.set(String::new());
                    let mut defaults = ViewState::default();
                    defaults.query.limit = default_limit;
                    set_view.run((defaults, History::Push));
                })
            />
            </div>
            <NewRecordsBar count=Signal::derive(move || live.pending.with(Vec::len)) on_show=live.show />
            <FilterChips view set_view />
            <Region name="the timeline">
            <Timeline
                rows=loaded
                visible
                range=Signal::derive(move || {
                    let q = effective.get();
                    let to = q.to.unwrap_or_else(Utc::now);
                    (q.from.unwrap_or(to - Duration::days(i64::from(range_days))), to)
                })
                zone
                whole=summary.buckets
                on_range=Callback::new(move |(from, to)| {
                    let mut next = view.get_untracked();
                    next.query.from = Some(from);
                    next.query.to = Some(to);
                    set_view.run((next, History::Push));
                })
            />
            </Region>
            <Region name="the errors in view">
            <ErrorClusters
                rows=loaded
                index=cluster_index
                among=Memo::new(move |_| Arc::new(refined.with(|r| r.unclustered.clone())))
                active=Signal::derive(move || view.with(|v| v.refine.cluster.clone()))
                zone
                on_show=Callback::new(move |key: Option<String>| {
                    let mut next = view.get_untracked();
                    next.refine.cluster = key;
                    set_view.run((next, History::Push));
                })
                on_select=mass.select_all
            />
            </Region>
            {move || mass.notice.get().map(|message| view! { <Notice tone="info" messages=vec![message] /> })}
            <SelectionBar
                selected=mass.selected
                matching=Signal::derive(move || refined.with(|r| r.visible.len()))
                sending=mass.run.sending
                on_select_all=mass.select_all
                on_clear=mass.clear
                actions
                on_action=mass.open_confirm
                on_download=Callback::new(move |()| export_csv(true))
            />
            <CsvStatus state=csv.state on_cancel=csv.cancel />
            <UndoBar offer=mass.undo sending=mass.run.sending on_undo=mass.undo_now />
            {move || mass.run.report.get().map(|_| view! {
                <ActionReportView
                    report=Signal::derive(move || mass.run.report.get().unwrap_or_default())
                    on_retry_failed=Callback::new(move |()| {
                        if let Some(again) = mass.run.report.with_untracked(|r| r.as_ref().map(|r| r.retry_failed())) {
                            mass.run.send.run(again);
                        }
                    })
                    on_dismiss=mass.run.dismiss
                />
            })}
            {
                let undoable = client.offers(Action::Restore);
                move || mass.confirming.get().map(|pending| view! {
                <ActionDialog
                    action=pending.action
                    plan=pending.plan
                    undoable
                    on_confirm=mass.confirm
                    on_cancel=Callback::new(move |()| mass.confirming.set(None))
                />
            })
            }
            {
                let client = client.clone();
                move || history_of.get().map(|record| view! {
                    <HistoryPanel
                        record
                        client=client.clone()
                        loaded
                        zone
                        on_close=Callback::new(move |()| history_of.set(None))
                    />
                })
            }
            {move || open_filter.get().map(|column| view! {
                <ColumnFilterPanel
                    column
                    view
                    set_view
                    values=filter_values
                    on_close=Callback::new(move |()| open_filter.set(None))
                />
            })}
            <Show when=move || loading.get()>
                <LoadingState progress retrying compact=has_rows on_cancel=cancel />
            </Show>
            {move || cancelled.get().map(|c| view! {
                <Notice tone="info" messages=vec![if c.received == 0 {
                    "Loading stopped before any records arrived; the previous results are still shown.".to_owned()
                } else {
                    format!(
                        "Loading stopped: showing the {} records received of up to {}.",
                        format_count(c.received),
                        format_count(c.limit as usize)
                    )
                }] />
            })}
            {move || error.get().map(|error| view! { <ErrorState error on_retry=retry /> })}
            {move || {
                let DataNotes { duplicates, flagged, backend, interrupted, .. } = notes.get();
                let mut messages = backend;
                if let Some((received, limit)) = interrupted {
                    messages.insert(0, format!(
                        "The load stopped with an error: showing the {} received of up to {}. Retry loads them all again.",
                        count_of(received, "record", "records"),
                        format_count(limit as usize)
                    ));
                }
                if duplicates > 0 {
                    messages.push(format!(
                        "The server sent {} with an id already received; each record is shown once.",
                        count_of(duplicates, "record", "records")
                    ));
                }
                if flagged > 0 {
                    messages.push(format!(
                        "{} had fields that could not be read; they are marked ⚠ and show the values as received.",
                        count_of(flagged, "record", "records")
                    ));
                }
                (!messages.is_empty()).then(|| view! { <Notice tone="warning" messages /> })
            }}
            // Not while the first rows stream in: "Showing the newest 500 of …" would
            // name a count that is about to change, beside buttons that cannot be used.
            {move || (has_rows.get() && !streaming.get()).then(|| view! {
                <LoadMore
                    loaded=Signal::derive(move || loaded.with(|r| r.len()))
                    total=summary.total
                    loading
                    limit=Signal::derive(move || view.with(|v| v.query.limit))
                    on_limit=Callback::new(move |limit| {
                        let mut next = view.get_untracked();
                        if next.query.limit == limit {
                            // The same limit after a cancelled load: load it again.
                            retry.run(());
                            return;
                        }
                        next.query.limit = limit;
                        set_view.run((next, History::Push));
                    })
                />
            })}
            {move || has_rows.get().then(|| {
                let empty = move || !loading.get() && refined.with(|r| r.visible.is_empty());
                view! {
                    <Region name="the table">
                    <Show when=move || !empty() fallback=|| view! { <EmptyState /> }>
                        <div class="rows" class:stale=move || loading.get() && !streaming.get()>
                            <LogTable
                                rows=loaded
                                visible
                                columns
                                zone
                                sort
                                on_sort
                                filtered
                                open_filter
                                on_filter
                                on_show_run=show_run
                                on_history=Callback::new(move |index: u32| {
                                    history_of.set(loaded.with_untracked(|r| r.get(index as usize).cloned()));
                                })
                                selection=mass.selection
                                header_check=mass.header
                                on_toggle=mass.toggle
                                on_toggle_all=mass.toggle_all
                                compact
                            />
                        </div>
                    </Show>
                    </Region>
                }
            })}
        </section>
    }
}
