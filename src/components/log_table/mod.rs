//! The table of sync records: the run-history columns, a row action to open the record's
//! run, and windowed rendering: only the rows in view (plus a margin) are in the DOM,
//! whatever the number loaded, between two spacers that keep the scrollbar true to the
//! count. The layout arithmetic, including the capped height that keeps a million rows
//! reachable, is `sync_logs_core::viewport`.
//!
//! Keyboard: the rows form one tab stop; ↑ ↓ Page Up/Down Home End move between them
//! (scrolling as needed, so End reaches the last row however many are loaded), Space
//! ticks the row.

mod focus;
mod header;
mod row;

use std::sync::Arc;

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_use::use_resize_observer;
use sync_logs_core::{
    refine::{Column, Sort},
    selection::{HeaderCheck, Selection},
    viewport::{Layout, RowMove},
    SyncLog, TimeZonePref,
};
use wasm_bindgen::JsCast;

use super::details_cell::DetailsPopover;
use focus::{focus_row, focus_table, RowFocus};
use header::SortableHeader;
use row::{LogRow, RowRef};

/// Height of one row in pixels; `style/table.css` sets the same.
pub const ROW_HEIGHT: f64 = 37.0;
/// Height of one row in the compact density (`.log-table.compact` in `style/table.css`).
pub const COMPACT_ROW_HEIGHT: f64 = 29.0;
/// The narrowest a column gets before the table scrolls sideways instead.
const MIN_COLUMN_WIDTH: usize = 104;
/// Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps.
const OVERSCAN: usize = 10;

/// The table of `rows` at the indexes in `visible`, in that order.
#[component]
pub fn LogTable(
    #[prop(into)] rows: Signal<Arc<Vec<SyncLog>>>,
    #[prop(into)] visible: Signal<Arc<Vec<u32>>>,
    /// The columns to show, in order.
    #[prop(into)]
    columns: Signal<Vec<Column>>,
    #[prop(into)] zone: Signal<TimeZonePref>,
    #[prop(into)] sort: Signal<Option<Sort>>,
    /// Called with the header clicked to sort by.
    on_sort: Callback<Column>,
    /// The columns with a filter set, marked on their headers.
    #[prop(into)]
    filtered: Signal<Vec<Column>>,
    /// The column whose filter panel is open.
    #[prop(into)]
    open_filter: Signal<Option<Column>>,
    /// Called with the column whose filter button was pressed.
    on_filter: Callback<Column>,
    /// Called with the index (into `rows`) of the row whose run to open.
    on_show_run: Callback<u32>,
    /// Called with the index (into `rows`) of the row whose history to open.
    on_history: Callback<u32>,
    /// Which rows are ticked, and the header checkbox's state.
    #[prop(into)]
    selection: Signal<Selection>,
    #[prop(into)] header_check: Signal<HeaderCheck>,
    /// Shorter rows (the "compact" density preference).
    #[prop(into, optional)]
    compact: Signal<bool>,
    /// Called with the sync id of a row ticked or unticked.
    on_toggle: Callback<String>,
    /// Called when the header checkbox is clicked.
    on_toggle_all: Callback<()>,
) -> impl IntoView {
    let popover = DetailsPopover::provide();
    let wrap = NodeRef::<Div>::new();
    let scroll = Scroll::new(visible, compact);
    let active = RwSignal::new(None::<usize>);
    let row_focus = RowFocus::new(wrap);

    // The table's height changes with the window and with everything above it in the
    // page (notices, chips, the selection bar, the errors panel, the loading bar), so it
    // is measured whenever the wrapper itself is resized; the observer reports once when
    // it starts, and is disconnected with the table.
    use_resize_observer(wrap, move |_, _| {
        if let Some(el) = wrap.get_untracked() {
            scroll.measure(&el, Rendered::GrowOnly);
        }
    });
    scroll.keep_place_across_changes(rows, visible, wrap);

    let on_scroll = move |_| {
        if let Some(el) = wrap.get_untracked() {
            scroll.measure(&el, Rendered::Exact);
            scroll.note_anchor(rows, visible);
        }
        popover.close();
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let Some(el) = wrap.get_untracked() else {
            return;
        };
        let Some(on_row) = from_rows(&event) else {
            return;
        };
        if event.key() == " " && on_row {
            if let Some(id) = active_id(active, rows, visible) {
                event.prevent_default();
                on_toggle.run(id);
            }
            return;
        }
        let Some(step) = RowMove::from_key(&event.key()) else {
            return;
        };
        let layout = scroll.layout.get_untracked();
        let current = active
            .get_untracked()
            .unwrap_or_else(|| layout.row_at_top(scroll.top.get_untracked()));
        let Some(next) = step.apply(current, layout.count, layout.page_rows()) else {
            return;
        };
        event.prevent_default();
        active.set(Some(next));
        let target = layout.scroll_to_reveal(scroll.top.get_untracked(), next);
        if let Some(top) = target {
            scroll.scroll_to(&el, top);
        }
        // The row is rendered by the next frame; focus it then.
        request_animation_frame(move || {
            if let (Some(top), Some(el)) = (target, wrap.try_get_untracked().flatten()) {
                scroll.hold(&el, top);
            }
            focus_row(wrap, next);
        });
    };

    view! {
        <div
            class="table-wrap"
            node_ref=wrap
            on:scroll=on_scroll
            on:keydown=on_keydown
            on:focusin=move |event| row_focus.gained(&event)
            on:focusout=move |event| {
                row_focus.lost(&event, move |last_try| {
                    let back = active
                        .get_untracked()
                        .is_some_and(|position| focus_row(wrap, position));
                    if !back && last_try {
                        focus_table(wrap);
                    }
                })
            }
            tabindex="0"
            role="region"
            aria-label="Sync records"
        >
            // Each column keeps a usable width; with many columns the table scrolls sideways.
            <table
                class="log-table"
                class:compact=compact
                aria-rowcount=move || scroll.layout.get().count + 1
                style:min-width=move || format!("{}px", columns.with(Vec::len) * MIN_COLUMN_WIDTH + 200)
            >
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="col-select">
                            <input
                                type="checkbox"
                                aria-label="Select all matching records"
                                prop:checked=move || header_check.get() == HeaderCheck::Checked
                                prop:indeterminate=move || header_check.get() == HeaderCheck::Indeterminate
                                on:change=move |_| on_toggle_all.run(())
                            />
                        </th>
                        {move || {
                            columns
                                .get()
                                .into_iter()
                                .map(|column| {
                                    view! {
                                        <SortableHeader column zone sort on_sort filtered open_filter on_filter />
                                    }
                                })
                                .collect_view()
                        }}
                        <th scope="col" class="col-actions"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || spacer(scroll.window.get().before)></tr>
                    <For
                        each=move || {
                            let window = scroll.window.get();
                            let rows = rows.get();
                            let columns = Arc::new(columns.get());
                            visible.with(|v| {
                                v[window.first..window.last]
                                    .iter()
                                    .enumerate()
                                    .map(|(k, &index)| RowRef {
                                        rows: rows.clone(),
                                        index,
                                        position: window.first + k,
                                        columns: columns.clone(),
                                    })
                                    .collect::<Vec<_>>()
                            })
                        }
                        // A new load (a new Arc), another position or another column choice
                        // renders the row anew.
                        key=|r| (Arc::as_ptr(&r.rows) as usize, r.index, r.position, r.columns.iter().map(|c| c.key()).collect::<Vec<_>>())
                        let:row
                    >
                        <LogRow row zone on_show_run on_history selection on_toggle active />
                    </For>
                    <tr class="spacer" aria-hidden="true" style:height=move || spacer(scroll.window.get().after)></tr>
                </tbody>
            </table>
        </div>
    }
}

fn spacer(height: f64) -> String {
    format!("{height}px")
}

/// The scroll state of the table and the window of rows it implies.
#[derive(Clone, Copy)]
struct Scroll {
    /// The wrapper's `scrollTop`.
    top: RwSignal<f64>,
    /// The height rows can be seen in: the wrapper's, less the sticky header's. Keyboard
    /// moves (Page Down, revealing a row) use it.
    viewport: RwSignal<f64>,
    /// The height the rendered rows cover: the viewport's, or, until the next scroll,
    /// what it was before the table shrank or grew by less than the overscan margin
    /// (see [`Rendered`]).
    rendered: RwSignal<f64>,
    layout: Memo<Layout>,
    window: Memo<sync_logs_core::viewport::Window>,
    /// The sync id of the row at the top, kept in place when the rows shown change.
    anchor: StoredValue<Option<String>>,
}

/// How a measurement updates the height the rendered rows cover.
#[derive(Clone, Copy, PartialEq)]
enum Rendered {
    /// To the viewport exactly (scrolling, a keyboard move: the window is moving anyway).
    Exact,
    /// Only if the viewport grew past the rows rendered below it. The window renders
    /// [`OVERSCAN`] rows beyond the bottom edge, so a table that grows by less than that
    /// (a chip or a notice above it went away) still shows rendered rows, and one that
    /// shrank only hides some; rebuilding the window for those would change the table
    /// after every such layout shift for nothing. A larger growth would show a gap, so
    /// the window follows it at once. The next scroll makes it exact again.
    GrowOnly,
}

impl Scroll {
    fn new(visible: Signal<Arc<Vec<u32>>>, compact: Signal<bool>) -> Scroll {
        let top = RwSignal::new(0.0_f64);
        let viewport = RwSignal::new(800.0_f64);
        // Nothing until measured: the first measurement sets it (the observer reports
        // before the first paint).
        let rendered = RwSignal::new(0.0_f64);
        let layout = Memo::new(move |_| Layout {
            count: visible.with(|v| v.len()),
            row_height: if compact.get() {
                COMPACT_ROW_HEIGHT
            } else {
                ROW_HEIGHT
            },
            viewport: viewport.get(),
            overscan: OVERSCAN,
        });
        let window = Memo::new(move |_| {
            let covered = Layout {
                viewport: rendered.get(),
                ..layout.get()
            };
            covered.window(top.get())
        });
        Scroll {
            top,
            viewport,
            rendered,
            layout,
            window,
            anchor: StoredValue::new(None),
        }
    }

    fn measure(&self, el: &web_sys::HtmlDivElement, rendered: Rendered) {
        let header = el
            .query_selector("thead")
            .ok()
            .flatten()
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
            .map_or(0, |h| h.offset_height());
        // No more rows can be in view than the window is tall. Where the page leaves the
        // table's height to its content (no CSS, or a host page's), this keeps rendering
        // more rows from growing the table, which would be measured again, without end.
        let window_height = web_sys::window()
            .and_then(|w| w.inner_height().ok())
            .and_then(|h| h.as_f64())
            .unwrap_or(f64::MAX);
        let height = f64::from(el.client_height() - header)
            .min(window_height)
            .max(ROW_HEIGHT);
        // `try_*`: a late callback may run after the table was removed.
        self.viewport.try_set(height);
        let covered = self.rendered.try_get_untracked().unwrap_or(0.0);
        let margin = self
            .layout
            .try_get_untracked()
            .map_or(0.0, |l| l.row_height * OVERSCAN as f64);
        // The first measurement (nothing covered yet) always counts.
        if rendered == Rendered::Exact || covered == 0.0 || height > covered + margin {
            self.rendered.try_set(height);
        }
        self.top.try_set(f64::from(el.scroll_top()));
    }

    /// Scrolls the table to `top` and renders the rows there.
    fn scroll_to(&self, el: &web_sys::HtmlDivElement, top: f64) {
        el.set_scroll_top(top.round() as i32);
        self.measure(el, Rendered::Exact);
    }

    /// Puts the table back at `top` if the browser moved it while the rows were being
    /// replaced: it clamps the scroll position to the content's height at any layout in
    /// the middle of that (some rows gone, the spacers not yet resized), and the place
    /// the app chose would otherwise be lost.
    fn hold(&self, el: &web_sys::HtmlDivElement, top: f64) {
        if (f64::from(el.scroll_top()) - top.round()).abs() >= 1.0 {
            self.scroll_to(el, top);
        }
    }

    /// Notes which record is at the top, unless the table is scrolled to the very top
    /// (which is where it should stay).
    fn note_anchor(&self, rows: Signal<Arc<Vec<SyncLog>>>, visible: Signal<Arc<Vec<u32>>>) {
        let top = self.top.get_untracked();
        let id = (top > 0.0)
            .then(|| {
                let at = self.layout.get_untracked().row_at_top(top);
                let index = visible.with_untracked(|v| v.get(at).copied())?;
                rows.with_untracked(|r| r.get(index as usize).map(|row| row.id.clone()))
            })
            .flatten();
        self.anchor.set_value(id);
    }

    /// When the rows shown change (a filter, a sort, a reload), keeps the record that was
    /// at the top at the top if it is still shown; otherwise goes back to the top.
    fn keep_place_across_changes(
        self,
        rows: Signal<Arc<Vec<SyncLog>>>,
        visible: Signal<Arc<Vec<u32>>>,
        wrap: NodeRef<Div>,
    ) {
        Effect::new(move |previous: Option<usize>| {
            let shown = visible.get();
            let identity = Arc::as_ptr(&shown) as usize;
            if previous.is_some_and(|p| p != identity) {
                let position = self.anchor.get_value().and_then(|id| {
                    rows.with_untracked(|r| {
                        shown
                            .iter()
                            .position(|&i| r.get(i as usize).is_some_and(|row| row.id == id))
                    })
                });
                let top = position.map_or(0.0, |p| self.layout.get_untracked().scroll_to_top_of(p));
                // After the spacers have their new heights, or the browser would clamp it.
                // The table may be gone by then (a new load shows the loading state).
                request_animation_frame(move || {
                    if let Some(el) = wrap.try_get_untracked().flatten() {
                        self.scroll_to(&el, top);
                    }
                });
            }
            identity
        });
    }
}

/// Whether a key event is the table's to handle: `Some(true)` from a row, `Some(false)`
/// from the table itself or a control inside a row (they move between rows, but Space is
/// theirs, not a tick of a row that may be out of view), `None` from the header.
fn from_rows(event: &ev::KeyboardEvent) -> Option<bool> {
    let target = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())?;
    if target.closest("thead").ok().flatten().is_some() {
        return None;
    }
    Some(target.tag_name() == "TR")
}

fn active_id(
    active: RwSignal<Option<usize>>,
    rows: Signal<Arc<Vec<SyncLog>>>,
    visible: Signal<Arc<Vec<u32>>>,
) -> Option<String> {
    let position = active.get_untracked()?;
    let index = visible.with_untracked(|v| v.get(position).copied())?;
    rows.with_untracked(|r| r.get(index as usize).map(|row| row.id.clone()))
}
