//! Selection and mass resync for the Sync Logs page: the selection (kept to the rows
//! still in view when filters change, with a notice), the confirmation, sending, rows
//! turning Pending at once, and following them to their final status.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{
    selection::{is_risky, HeaderCheck, ResyncPlan, Selection},
    Status, SyncLog,
};

use crate::api::ApiClient;
use crate::hooks::{
    use_follow::use_follow,
    use_resync::{use_resync, UseResyncReturn},
};

/// A resync waiting for confirmation: its plan and the ids it would send.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingResync {
    pub plan: ResyncPlan,
    pub ids: Vec<String>,
    pub risky: Vec<String>,
}

/// What [`use_mass_resync`] exposes to the page.
#[derive(Clone, Copy)]
pub struct UseMassResyncReturn {
    pub selection: RwSignal<Selection>,
    pub header: Signal<HeaderCheck>,
    pub selected: Signal<usize>,
    /// Why some selected rows were unselected (a filter change hid them).
    pub notice: RwSignal<Option<String>>,
    pub toggle: Callback<String>,
    pub toggle_all: Callback<()>,
    pub select_all: Callback<()>,
    pub clear: Callback<()>,
    pub confirming: RwSignal<Option<PendingResync>>,
    pub open_confirm: Callback<()>,
    pub confirm: Callback<bool>,
    pub resync: UseResyncReturn,
}

/// `rows` are the loaded rows, `visible` the indexes matching the view; `patch` updates
/// loaded rows.
pub fn use_mass_resync(
    client: ApiClient,
    rows: Memo<Arc<Vec<SyncLog>>>,
    visible: Signal<Arc<Vec<u32>>>,
    patch: Callback<Vec<SyncLog>>,
) -> UseMassResyncReturn {
    let selection = RwSignal::new(Selection::None);
    let notice = RwSignal::new(None::<String>);
    let matching = Signal::derive(move || visible.with(|v| v.len()));
    let visible_ids = move || {
        rows.with(|r| {
            visible.with(|v| {
                v.iter()
                    .map(|&i| r[i as usize].id.clone())
                    .collect::<Vec<_>>()
            })
        })
    };

    // Keep only the selected rows still in view when the view changes. The view is
    // remembered as the two shared lists (a pointer copy, so ticking "select all" costs
    // the same for 100 rows as for 100,000); ids are read only when it changes.
    let previous = StoredValue::new(None::<Shown>);
    let shown_now = move || Shown {
        rows: rows.get_untracked(),
        visible: visible.get_untracked(),
    };
    Effect::new(move |_| {
        visible.track();
        rows.track();
        if selection.with_untracked(|s| *s == Selection::None) {
            previous.set_value(None);
            return;
        }
        let now = shown_now();
        if let Some(before) = previous.get_value() {
            let (kept, dropped) =
                selection.with_untracked(|s| s.carry_over(before.ids(), now.ids()));
            if dropped > 0 {
                notice.set(Some(format!(
                    "{dropped} selected record(s) are no longer in view and were unselected."
                )));
                selection.set(kept);
            }
        }
        previous.set_value(Some(now));
    });
    let remember_view = move || previous.set_value(Some(shown_now()));

    let follow = use_follow(client.clone(), patch);
    // Queued rows turn Pending at once, then are followed to their final status.
    let on_queued = Callback::new(move |ids: Vec<String>| {
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let pending: Vec<SyncLog> = rows.with_untracked(|r| {
            r.iter()
                .filter(|row| wanted.contains(row.id.as_str()))
                .map(|row| SyncLog {
                    status: Status::Pending,
                    attempts: Some(row.attempts.unwrap_or(1) + 1),
                    ..row.clone()
                })
                .collect()
        });
        patch.run(pending);
        follow.run(ids);
    });
    let resync = use_resync(client, on_queued);

    let confirming = RwSignal::new(None::<PendingResync>);
    UseMassResyncReturn {
        selection,
        header: Signal::derive(move || selection.with(|s| s.header(matching.get()))),
        selected: Signal::derive(move || selection.with(|s| s.count(matching.get()))),
        notice,
        toggle: Callback::new(move |id: String| {
            remember_view();
            notice.set(None);
            selection.update(|s| s.toggle(&id));
        }),
        toggle_all: Callback::new(move |()| {
            remember_view();
            notice.set(None);
            selection.update(|s| {
                *s = match s.header(matching.get_untracked()) {
                    HeaderCheck::Unchecked => Selection::AllMatching {
                        except: Default::default(),
                    },
                    _ => Selection::None,
                }
            });
        }),
        select_all: Callback::new(move |()| {
            remember_view();
            selection.set(Selection::AllMatching {
                except: Default::default(),
            });
        }),
        clear: Callback::new(move |()| {
            notice.set(None);
            selection.set(Selection::None);
        }),
        confirming,
        open_confirm: Callback::new(move |()| {
            let ids =
                selection.with_untracked(|s| s.resolve(visible_ids().iter().map(String::as_str)));
            let (plan, risky) = rows.with_untracked(|r| {
                let wanted: std::collections::HashSet<&str> =
                    ids.iter().map(String::as_str).collect();
                let chosen: Vec<&SyncLog> = r
                    .iter()
                    .filter(|row| wanted.contains(row.id.as_str()))
                    .collect();
                let risky = chosen
                    .iter()
                    .filter(|row| is_risky(row))
                    .map(|row| row.id.clone())
                    .collect();
                (ResyncPlan::of(chosen.iter().copied()), risky)
            });
            confirming.set(Some(PendingResync { plan, ids, risky }));
        }),
        confirm: Callback::new(move |leave_out_risky: bool| {
            let Some(pending) = confirming.get_untracked() else {
                return;
            };
            confirming.set(None);
            let ids: Vec<String> = if leave_out_risky {
                let risky: std::collections::HashSet<&String> = pending.risky.iter().collect();
                pending
                    .ids
                    .iter()
                    .filter(|id| !risky.contains(id))
                    .cloned()
                    .collect()
            } else {
                pending.ids
            };
            selection.set(Selection::None);
            resync.send.run(ids);
        }),
        resync,
    }
}

/// The rows shown at one moment: the loaded rows and the indexes of those in view.
#[derive(Clone)]
struct Shown {
    rows: Arc<Vec<SyncLog>>,
    visible: Arc<Vec<u32>>,
}

impl Shown {
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.visible
            .iter()
            .filter_map(|&i| self.rows.get(i as usize).map(|r| r.id.as_str()))
    }
}
