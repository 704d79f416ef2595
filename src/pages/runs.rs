//! The runs view (`/runs`): what happened in each run of the current query, newest
//! first, with its totals per outcome, success rate and outcome mix. A run opens the log
//! filtered to exactly its records.
//!
//! The runs come from `GET /runs` when the backend offers it; when it answers 404 the
//! records are loaded and grouped here instead (by correlation id, else by pauses longer
//! than `run_gap_minutes` per instance), and the page says so.

use chrono::{Duration, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use sync_logs_core::{
    runs::group_runs, text::format_count, LogQuery, RunSummary, RunsResponse, Stats, Status,
    ViewState,
};

use crate::api::{ApiClient, ApiError};
use crate::app::app_href;
use crate::app::AppContext;
use crate::components::{
    page_top::PageTop, region::Region, states::ErrorState, time_cell::TimeCell,
};
use crate::hooks::{
    use_instances::use_instances,
    use_prefs::use_prefs,
    use_view_state::{use_view_state, UseViewStateReturn},
};

/// Where the runs shown came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Backend,
    /// Grouped here from this many loaded records.
    Grouped(usize),
}

#[component]
pub fn RunsPage() -> impl IntoView {
    let AppContext { config, client, .. } = expect_context::<AppContext>();
    let UseViewStateReturn { view, set_view, .. } = use_view_state(config.default_limit);
    let instances = use_instances(client.clone());
    let client_offers_instances = client.offers_instances();
    let (prefs, _) = use_prefs();
    let zone_default = config.timezone_default;
    let zone = Signal::derive(move || prefs.with(|p| p.time_zone).unwrap_or(zone_default));
    let range_days = config.default_range_days;
    let chosen = Memo::new(move |_| view.with(|v| v.query.clone()));
    let query = Memo::new(move |_| chosen.get().with_default_range(range_days, Utc::now()));
    let page_size = config.page_size;
    let gap = Duration::minutes(i64::from(config.run_gap_minutes));
    let runs = LocalResource::new(move || {
        let client = client.clone();
        let query = query.get();
        let chosen = chosen.get_untracked();
        async move { load_runs(&client, &query, &chosen, page_size, gap).await }
    });

    let default_limit = config.default_limit;

    let body = move || {
        match runs.get() {
        None => view! { <p class="muted" role="status">"Loading runs…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <ErrorState error on_retry=Callback::new(move |()| runs.refetch()) /> }.into_any()
        }
        Some(Ok((items, source))) if items.is_empty() => {
            let _ = source;
            view! { <p class="empty-runs" role="status">"No runs in this range. Widen the range or clear the filters."</p> }
                .into_any()
        }
        Some(Ok((items, source))) => view! {
            <p class="muted runs-source">
                {match source {
                    Source::Backend => format!("{} runs", format_count(items.len())),
                    Source::Grouped(n) => format!(
                        "{} runs grouped from {} loaded records (this backend offers no runs endpoint)",
                        format_count(items.len()),
                        format_count(n)
                    ),
                }}
            </p>
            <RunsTable items zone base=query.get_untracked() default_limit />
        }
        .into_any(),
    }
    };

    view! {
        <section class="page runs" aria-labelledby="page-title">
            <PageTop
                title="Runs"
                lead="What happened in each run, newest first."
                view
                set_view
                instances
                instances_from_rows=!client_offers_instances
                config=config.clone()
            />
            <Region name="the runs">{body}</Region>
        </section>
    }
}

async fn load_runs(
    client: &ApiClient,
    query: &LogQuery,
    chosen: &LogQuery,
    page_size: u32,
    gap: Duration,
) -> Result<(Vec<RunSummary>, Source), ApiError> {
    match client.runs(query, gap).await {
        Ok(RunsResponse { items }) => Ok((items, Source::Backend)),
        Err(error) if error.status() == Some(404) => {
            let outcome = client
                .load_logs(query, chosen, page_size, None, None, |_| {})
                .await;
            if let Some(error) = outcome.error {
                return Err(error);
            }
            let rows = outcome.rows;
            let all: Vec<u32> = (0..rows.len() as u32).collect();
            let runs = group_runs(&rows, &all, gap);
            Ok((
                runs.iter().map(|r| r.summary(&rows)).collect(),
                Source::Grouped(rows.len()),
            ))
        }
        Err(error) => Err(error),
    }
}

/// Totals per tone of a run's per-status counts.
fn stats_of(run: &RunSummary) -> Stats {
    let mut stats = Stats::default();
    for (status, n) in &run.counts {
        let tone = Status::parse(status).tone();
        for _ in 0..*n {
            stats.add(tone);
        }
    }
    stats
}

#[component]
fn RunsTable(
    items: Vec<RunSummary>,
    #[prop(into)] zone: Signal<sync_logs_core::TimeZonePref>,
    /// The query the runs are of.
    base: LogQuery,
    default_limit: u32,
) -> impl IntoView {
    let rows = items
        .into_iter()
        .map(|run| {
            let stats = stats_of(&run);
            let end = run.finished_at.unwrap_or(run.started_at);
            let duration = end - run.started_at;
            let label = run
                .correlation_id
                .clone()
                .unwrap_or_else(|| "by time".to_owned());
            let pct = |n: usize| {
                if stats.total == 0 {
                    0.0
                } else {
                    n as f64 * 100.0 / stats.total as f64
                }
            };
            let share = |n| format!("{:.2}%", pct(n));
            let open_label = format!(
                "Open the {} records of run {label}",
                format_count(stats.total)
            );
            let started = run.started_at;
            view! {
                <tr data-run=label.clone()>
                    <td class="mono">{label.clone()}</td>
                    <td>{run.instance.clone()}</td>
                    <td class="nowrap"><TimeCell at=started zone /></td>
                    <td class="nowrap"><TimeCell at=end zone /></td>
                    <td class="nowrap">{human(duration)}</td>
                    <td class="num run-total">{format_count(stats.total)}</td>
                    <td class="num">{format_count(stats.success)}</td>
                    <td class="num">{format_count(stats.partial)}</td>
                    <td class="num">{format_count(stats.in_flight)}</td>
                    <td class="num">{format_count(stats.failed)}</td>
                    <td class="num">{stats.success_rate_label()}</td>
                    <td>
                        <span
                            class="outcome-bar"
                            style:--s=share(stats.success)
                            style:--p=share(stats.partial)
                            style:--i=share(stats.in_flight)
                            style:--f=share(stats.failed)
                            role="img"
                            aria-label=format!(
                                "{} success, {} partial, {} in flight, {} failed",
                                stats.success, stats.partial, stats.in_flight, stats.failed
                            )
                        ></span>
                    </td>
                    <td>
                        <A href=app_href(&log_of(&run, &base, default_limit)) attr:class="button small" attr:aria-label=open_label>
                            "Open"
                        </A>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="runs-wrap">
            <table class="runs-table">
                <thead>
                    <tr>
                        <th scope="col">"Run"</th>
                        <th scope="col">"Instance"</th>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Ended"</th>
                        <th scope="col">"Duration"</th>
                        <th scope="col" class="num">"Records"</th>
                        <th scope="col" class="num">"Success"</th>
                        <th scope="col" class="num">"Partial"</th>
                        <th scope="col" class="num">"In flight"</th>
                        <th scope="col" class="num">"Failed"</th>
                        <th scope="col" class="num">"Success rate"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col"><span class="visually-hidden">"Open"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The log filtered to exactly the records of `run`.
fn log_of(run: &RunSummary, base: &LogQuery, default_limit: u32) -> String {
    let total: u64 = run.counts.values().sum();
    // The query's other filters (entity type, source id, status) made the run's counts.
    let mut view = ViewState {
        query: base.clone(),
        ..ViewState::default()
    };
    view.query.limit = u32::try_from(total)
        .unwrap_or(u32::MAX)
        .clamp(default_limit, 1_000_000);
    view.query.instance = Some(run.instance.clone());
    let end = run.finished_at.unwrap_or(run.started_at);
    match &run.correlation_id {
        Some(id) => view.query.correlation_id = Some(id.clone()),
        // Grouped by time: the instance's records from the first start to the last (runs
        // are at least `run_gap_minutes` apart, so a second either side is safe).
        None => view.query.correlation_id = None,
    }
    view.query.from = Some(run.started_at - Duration::seconds(1));
    view.query.to = Some(end + Duration::seconds(1));
    format!("/sync-logs?{}", view.to_query_string(default_limit))
}

/// "45 s", "3 min 20 s", "2 h 5 min".
fn human(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3_600, (s % 3_600) / 60),
    }
}
