//! The timeline above the table: outcomes per time bucket over the current range,
//! stacked by tone. With the backend's summary it draws every matching record of the
//! range and shades the span the loaded rows cover; without one it draws the loaded rows
//! shown, and says "of loaded records". Hovering reads out a bucket's counts (the
//! range's and the loaded rows'); dragging across buckets narrows the range to them (a
//! new server query, one history entry). The figure caption says the same in words, and
//! the range picker is the keyboard way to pick a range.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::ev;
use leptos::prelude::*;
use sync_logs_core::{
    text::format_count,
    timeline::{Bucket, Grid, Placed, Timeline as Buckets},
    Stats, SyncLog, TimeZonePref,
};
use wasm_bindgen::JsCast;

use super::time_cell::format_in;

/// Buckets at most; the width is chosen to fit.
const MAX_BUCKETS: usize = 96;
/// Drawing units per bucket and the drawing's height (the SVG stretches to its box).
const UNIT: f64 = 10.0;
const HEIGHT: f64 = 48.0;
/// A new load of more rows than this is placed on the grid a painted frame after it is
/// shown (see [`drawn_later`]); a smaller one at once.
const AT_ONCE: usize = 20_000;

#[component]
pub fn Timeline(
    #[prop(into)] rows: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] visible: Signal<Arc<Vec<u32>>>,
    /// The current range, `[from, to)`.
    #[prop(into)]
    range: Signal<(DateTime<Utc>, DateTime<Utc>)>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    /// The buckets of every matching record, from the backend's summary, if it has one.
    #[prop(into)]
    whole: Signal<Option<(Grid, Buckets)>>,
    /// Called with the range dragged over.
    on_range: Callback<(DateTime<Utc>, DateTime<Utc>)>,
) -> impl IntoView {
    let (rows, visible) = drawn_later(rows, visible);
    // The grid drawn on, with the range's buckets when the backend counted them.
    let grid = Memo::new(move |_| match whole.get() {
        Some((grid, buckets)) => (grid, Some(buckets)),
        None => {
            let (from, to) = range.get();
            (Grid::new(from, to, MAX_BUCKETS), None)
        }
    });
    // Each loaded row's bucket and tone, once per load and grid: a keystroke recounts the
    // rows shown without reading their times.
    let placed = Memo::new_with_compare(
        move |_| {
            let grid = grid.with(|g| g.0);
            rows.with(|r| Arc::new(grid.place(r)))
        },
        |a: Option<&Arc<Placed>>, b: Option<&Arc<Placed>>| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    // The span the loaded rows cover, in drawing units: once per load and grid.
    let span = Memo::new(move |_| {
        let grid = grid.with(|g| g.0);
        rows.with(|r| {
            // Both ends in one pass over the rows.
            let first = r.first()?.started_at;
            let (oldest, newest) = r.iter().fold((first, first), |(old, new), l| {
                (old.min(l.started_at), new.max(l.started_at))
            });
            let x = |at: DateTime<Utc>| {
                let k = (at.timestamp_millis() - grid.first_ms) as f64 / grid.step_ms as f64;
                k.clamp(0.0, grid.count as f64) * UNIT
            };
            Some(Span {
                x0: x(oldest),
                x1: x(newest).max(x(oldest) + UNIT / 2.0),
                rows: r.len(),
                oldest,
                newest,
            })
        })
    });
    // What is drawn: the range's buckets and, beside them, the loaded rows shown on the
    // same grid (or the loaded rows alone, without a summary).
    let chart = Memo::new(move |_| {
        let loaded = placed.with(|p| rows.with(|r| visible.with(|v| p.count(r, v))));
        Chart {
            loaded,
            whole: grid.with(|g| g.1.clone()),
            span: span.get(),
        }
    });
    let data = Memo::new(move |_| chart.with(|c| c.drawn().clone()));
    let hovered = RwSignal::new(None::<usize>);
    // The bucket a drag started on, and where it is now.
    let drag = RwSignal::new(None::<(usize, usize)>);

    let bucket_at = move |event: &ev::PointerEvent| -> Option<usize> {
        let target = event
            .current_target()?
            .dyn_into::<web_sys::Element>()
            .ok()?;
        let rect = target.get_bounding_client_rect();
        let n = data.with_untracked(|t| t.buckets.len());
        if n == 0 || rect.width() <= 0.0 {
            return None;
        }
        let x = (f64::from(event.client_x()) - rect.left()) / rect.width();
        Some(((x * n as f64).floor().max(0.0) as usize).min(n - 1))
    };
    let on_down = move |event: ev::PointerEvent| {
        if let Some(k) = bucket_at(&event) {
            drag.set(Some((k, k)));
            if let Some(target) = event
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = target.set_pointer_capture(event.pointer_id());
            }
        }
    };
    let on_move = move |event: ev::PointerEvent| {
        let k = bucket_at(&event);
        hovered.set(k);
        if let (Some(k), Some((start, _))) = (k, drag.get_untracked()) {
            drag.set(Some((start, k)));
        }
    };
    let on_up = move |event: ev::PointerEvent| {
        let Some((start, _)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        let end = bucket_at(&event).unwrap_or(start);
        let (a, b) = (start.min(end), start.max(end));
        // A click (no drag) on one bucket is a hover, not a range choice.
        if a == b && end == start {
            return;
        }
        let chosen = data.with_untracked(|t| {
            let first = t.buckets.get(a)?.start;
            let last = t.buckets.get(b)?.start + t.width;
            Some((first, last))
        });
        if let Some((from, to)) = chosen {
            let (range_from, range_to) = range.get_untracked();
            on_range.run((from.max(range_from), to.min(range_to)));
        }
    };

    // One path per tone, so a keystroke updates five attributes, not hundreds of bars.
    let paths = Memo::new(move |_| data.with(stacked_paths));
    let bars = move || {
        paths
            .get()
            .into_iter()
            .map(|(class, d)| view! { <path class=class d=d /> })
            .collect_view()
    };
    let chosen = move || {
        drag.get().map(|(a, b)| {
            let (a, b) = (a.min(b), a.max(b));
            view! {
                <rect
                    class="tl-chosen"
                    x=a as f64 * UNIT
                    y="0"
                    width=(b - a + 1) as f64 * UNIT
                    height=HEIGHT
                />
            }
        })
    };
    let loaded_span = move || {
        chart
            .with(|c| c.whole.is_some().then_some(c.span).flatten())
            .map(|Span { x0, x1, .. }| {
                view! {
                    <rect class="tl-loaded" x=x0 y="0" width=x1 - x0 height=HEIGHT />
                    <rect class="tl-loaded-edge" x=x0 y="0" width=x1 - x0 height="2" />
                }
            })
    };
    let readout = move || {
        let z = zone.get();
        chart.with(
            |c| match hovered.get().and_then(|k| c.drawn().buckets.get(k)) {
                Some(bucket) => {
                    let k = hovered.get().unwrap_or(0);
                    match &c.whole {
                        Some(t) => format!(
                            "{} in range · {} loaded",
                            describe(bucket, t, z),
                            format_count(c.loaded.buckets.get(k).map_or(0, |b| b.stats.total))
                        ),
                        None => format!("{} (loaded)", describe(bucket, &c.loaded, z)),
                    }
                }
                None => caption(c, z),
            },
        )
    };

    view! {
        <figure class="timeline">
            <svg
                class="timeline-chart"
                viewBox=move || format!("0 0 {} {HEIGHT}", data.with(|t| t.buckets.len()).max(1) as f64 * UNIT)
                preserveAspectRatio="none"
                role="img"
                aria-label="Outcomes over time; drag across it to narrow the range"
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointerleave=move |_| hovered.set(None)
            >
                {loaded_span}
                {bars}
                {chosen}
            </svg>
            <figcaption class="timeline-readout" aria-live="polite">{readout}</figcaption>
        </figure>
    }
}

/// The stacked bars as one path per tone, failed at the bottom where the eye starts.
fn stacked_paths(t: &Buckets) -> Vec<(&'static str, String)> {
    use std::fmt::Write;
    const TONES: [&str; 6] = [
        "tl-failed",
        "tl-partial",
        "tl-in-flight",
        "tl-success",
        "tl-neutral",
        "tl-unknown",
    ];
    let peak = t.peak() as f64;
    let mut paths: Vec<(&'static str, String)> =
        TONES.iter().map(|c| (*c, String::new())).collect();
    for (k, bucket) in t.buckets.iter().enumerate() {
        let s = bucket.stats;
        let mut y = HEIGHT;
        for (n, (_, d)) in [
            s.failed,
            s.partial,
            s.in_flight,
            s.success,
            s.neutral,
            s.unknown,
        ]
        .into_iter()
        .zip(paths.iter_mut())
        {
            if n == 0 {
                continue;
            }
            let h = n as f64 / peak * HEIGHT;
            y -= h;
            let x = k as f64 * UNIT + 1.0;
            let _ = write!(
                d,
                "M{x:.1} {y:.2}h{:.1}v{h:.2}h-{:.1}Z",
                UNIT - 2.0,
                UNIT - 2.0
            );
        }
    }
    paths
}

/// "11/20 10:00 – 10:30 UTC: 120 records: 100 success, 5 partial, 15 failed".
fn describe(bucket: &Bucket, t: &Buckets, zone: TimeZonePref) -> String {
    let from = format_in(bucket.start, zone);
    let to = format_in(bucket.start + t.width, zone);
    format!("{from} – {to}: {}", counts(&bucket.stats))
}

fn counts(s: &Stats) -> String {
    let mut parts = Vec::new();
    for (n, label) in [
        (s.success, "success"),
        (s.partial, "partial"),
        (s.in_flight, "in flight"),
        (s.failed, "failed"),
        (s.neutral, "discarded"),
        (s.unknown, "unknown"),
    ] {
        if n > 0 {
            parts.push(format!("{} {label}", format_count(n)));
        }
    }
    let total = format!("{} records", format_count(s.total));
    if parts.is_empty() {
        total
    } else {
        format!("{total}: {}", parts.join(", "))
    }
}

/// What the chart shows: the loaded rows on the grid, the whole range's buckets when the
/// backend counted them, and the span of the loaded rows.
#[derive(Debug, Clone, PartialEq)]
struct Chart {
    loaded: Buckets,
    whole: Option<Buckets>,
    span: Option<Span>,
}

/// Where the loaded rows lie on the chart (`x0`, `x1` in drawing units), how many they
/// are, and their oldest and newest start.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    x0: f64,
    x1: f64,
    rows: usize,
    oldest: DateTime<Utc>,
    newest: DateTime<Utc>,
}

impl Chart {
    fn drawn(&self) -> &Buckets {
        self.whole.as_ref().unwrap_or(&self.loaded)
    }
}

/// The caption when nothing is hovered: the scope, the scale and the busiest bucket.
fn caption(c: &Chart, zone: TimeZonePref) -> String {
    let t = c.drawn();
    let minutes = t.width.num_minutes();
    let width = match minutes {
        m if m % 1_440 == 0 => format!("{} day(s)", m / 1_440),
        m if m % 60 == 0 => format!("{} hour(s)", m / 60),
        m => format!("{m} minutes"),
    };
    let scope = match (&c.whole, c.span) {
        (Some(whole), Some(Span { rows: n, oldest, newest, .. })) => format!(
            "Outcomes per {width} of all {} records in the range; the shaded part is the span of the {} loaded ({} – {}).",
            format_count(whole.buckets.iter().map(|b| b.stats.total).sum()),
            format_count(n),
            format_in(oldest, zone),
            format_in(newest, zone)
        ),
        (Some(whole), None) => format!(
            "Outcomes per {width} of all {} records in the range.",
            format_count(whole.buckets.iter().map(|b| b.stats.total).sum())
        ),
        (None, _) => format!("Outcomes per {width}, of loaded records."),
    };
    let busiest = t.buckets.iter().max_by_key(|b| b.stats.total);
    match busiest.filter(|b| b.stats.total > 0) {
        Some(b) => format!(
            "{scope} Busiest: {}. Drag across the chart to narrow the range.",
            describe(b, t, zone)
        ),
        None => format!("{scope} No records in this range."),
    }
}

type Rows = Signal<Arc<Vec<SyncLog>>>;
type Shown = Signal<Arc<Vec<u32>>>;

/// `rows` and `visible` as the timeline reads them, always a matching pair: the rows
/// shown change at once (a keystroke keeps the rows), while a new load of more than
/// [`AT_ONCE`] rows arrives a painted frame after the table showed it. Placing a million
/// rows on the grid takes about 90 ms (each row's time read and bucketed), which would
/// otherwise join the frame that shows them, after the refining of the same rows.
fn drawn_later(rows: Rows, visible: Shown) -> (Rows, Shown) {
    let drawn_rows = RwSignal::new(rows.get_untracked());
    let drawn_visible = RwSignal::new(visible.get_untracked());
    Effect::new(move |_| {
        let (loaded, shown) = (rows.get(), visible.get());
        if drawn_rows.with_untracked(|drawn| Arc::ptr_eq(drawn, &loaded)) {
            drawn_visible.set(shown);
            return;
        }
        if loaded.len() <= AT_ONCE {
            drawn_rows.set(loaded);
            drawn_visible.set(shown);
            return;
        }
        leptos::task::spawn_local(async move {
            crate::perf::after_paint().await;
            // The newest pair: another load or a keystroke may have come meanwhile.
            if let (Some(loaded), Some(shown)) =
                (rows.try_get_untracked(), visible.try_get_untracked())
            {
                drawn_rows.try_set(loaded);
                drawn_visible.try_set(shown);
            }
        });
    });
    (drawn_rows.into(), drawn_visible.into())
}
