//! Selection and mass actions for the Sync Logs page: the selection (kept to the rows
//! still in view when filters change, with a notice), the confirmation, sending, and what
//! follows. A resync turns rows Pending at once and follows them to their final status;
//! a replay or discard takes them out of the dead-letter queue's rows; a discard can be
//! undone for [`UNDO_SECONDS`], which restores them and reloads the queue.

use std::sync::Arc;

use leptos::prelude::*;
use sync_logs_core::{
    selection::{is_risky, HeaderCheck, ResyncPlan, Selection},
    Status, SyncLog,
};

use crate::api::{Action, ApiClient};
use crate::hooks::{
    use_action::{use_action, ActionRequest, UseActionReturn},
    use_follow::use_follow,
};

/// How long a discard can be undone.
pub const UNDO_SECONDS: u32 = 10;

/// An action waiting for confirmation: its plan and the ids it would send.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingAction {
    pub action: Action,
    pub plan: ResyncPlan,
    pub ids: Vec<String>,
    /// Records the confirmation warns about resending (none for a discard).
    pub risky: Vec<String>,
}

/// What the confirmation answered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Confirmed {
    pub leave_out_risky: bool,
    /// A discard's reason, as typed (trimmed before sending).
    pub reason: Option<String>,
}

/// The discard Undo can still take back.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoOffer {
    pub ids: Vec<String>,
    /// Seconds left.
    pub seconds: u32,
    /// Tells offers apart, so an old countdown never ends a newer offer.
    serial: u32,
}

/// What the page does when rows leave or come back to the list it shows.
#[derive(Clone, Copy)]
pub struct RowChanges {
    /// Updates loaded rows.
    pub patch: Callback<Vec<SyncLog>>,
    /// Takes rows out of the loaded ones, by id.
    pub remove: Callback<Vec<String>>,
    /// Loads the list again.
    pub reload: Callback<()>,
    /// The dead-letter queue changed (its count is asked again).
    pub queue_changed: Callback<()>,
}

/// What [`use_mass_action`] exposes to the page.
#[derive(Clone, Copy)]
pub struct UseMassActionReturn {
    pub selection: RwSignal<Selection>,
    pub header: Signal<HeaderCheck>,
    pub selected: Signal<usize>,
    /// Why some selected rows were unselected (a filter change hid them).
    pub notice: RwSignal<Option<String>>,
    pub toggle: Callback<String>,
    pub toggle_all: Callback<()>,
    pub select_all: Callback<()>,
    pub clear: Callback<()>,
    pub confirming: RwSignal<Option<PendingAction>>,
    pub open_confirm: Callback<Action>,
    pub confirm: Callback<Confirmed>,
    pub run: UseActionReturn,
    pub undo: RwSignal<Option<UndoOffer>>,
    /// Restores what the offer holds.
    pub undo_now: Callback<()>,
}

/// `rows` are the loaded rows, `visible` the indexes matching the view.
pub fn use_mass_action(
    client: ApiClient,
    rows: Memo<Arc<Vec<SyncLog>>>,
    visible: Signal<Arc<Vec<u32>>>,
    changes: RowChanges,
) -> UseMassActionReturn {
    let RowChanges {
        patch,
        remove,
        reload,
        queue_changed,
    } = changes;
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
    // A backend profile without a restore endpoint cannot undo a discard.
    let can_undo = client.offers(Action::Restore);
    let undo = RwSignal::new(None::<UndoOffer>);
    let serial = StoredValue::new(0u32);
    // A discard's batches add to one offer, whose countdown starts with the first.
    let offer_undo = move |ids: Vec<String>| {
        if ids.is_empty() {
            return;
        }
        let extended = undo
            .try_update(|offer| match offer {
                Some(offer) if offer.serial == serial.get_value() => {
                    offer.ids.extend(ids.iter().cloned());
                    true
                }
                _ => false,
            })
            .unwrap_or(true);
        if extended {
            return;
        }
        let this = serial.get_value();
        undo.set(Some(UndoOffer {
            ids,
            seconds: UNDO_SECONDS,
            serial: this,
        }));
        leptos::task::spawn_local(async move {
            for left in (0..UNDO_SECONDS).rev() {
                gloo_timers::future::sleep(std::time::Duration::from_secs(1)).await;
                let current = undo
                    .try_update(|offer| match offer {
                        Some(o) if o.serial == this => {
                            o.seconds = left;
                            if left == 0 {
                                *offer = None;
                            }
                            true
                        }
                        _ => false,
                    })
                    .unwrap_or(false);
                if !current {
                    return;
                }
            }
        });
    };
    // Queued rows turn Pending at once, then are followed to their final status.
    let resynced = move |ids: Vec<String>| {
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
    };
    let on_done = Callback::new(move |(action, ids): (Action, Vec<String>)| match action {
        Action::Resync => resynced(ids),
        Action::Replay => {
            remove.run(ids);
            queue_changed.run(());
        }
        Action::Discard => {
            remove.run(ids.clone());
            queue_changed.run(());
            if can_undo {
                offer_undo(ids);
            }
        }
        Action::Restore => {
            reload.run(());
            queue_changed.run(());
        }
    });
    let run = use_action(client, on_done);

    let confirming = RwSignal::new(None::<PendingAction>);
    UseMassActionReturn {
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
        open_confirm: Callback::new(move |action: Action| {
            let ids =
                selection.with_untracked(|s| s.resolve(visible_ids().iter().map(String::as_str)));
            let (plan, risky) = rows.with_untracked(|r| {
                let wanted: std::collections::HashSet<&str> =
                    ids.iter().map(String::as_str).collect();
                let chosen: Vec<&SyncLog> = r
                    .iter()
                    .filter(|row| wanted.contains(row.id.as_str()))
                    .collect();
                // Discarding sends nothing to the target: nothing is risky to resend.
                let risky = chosen
                    .iter()
                    .filter(|row| action != Action::Discard && is_risky(row))
                    .map(|row| row.id.clone())
                    .collect();
                let mut plan = ResyncPlan::of(chosen.iter().copied());
                if action == Action::Discard {
                    plan = plan.without_risks();
                }
                (plan, risky)
            });
            confirming.set(Some(PendingAction {
                action,
                plan,
                ids,
                risky,
            }));
        }),
        confirm: Callback::new(move |answer: Confirmed| {
            let Confirmed {
                leave_out_risky,
                reason,
            } = answer;
            let Some(pending) = confirming.get_untracked() else {
                return;
            };
            let reason = reason.map(|r| r.trim().to_owned());
            if pending.action == Action::Discard && reason.as_deref().is_none_or(str::is_empty) {
                // The dialog asks for it; nothing is sent without one.
                return;
            }
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
            if pending.action == Action::Discard {
                // A new discard, a new offer: the previous one can no longer be undone.
                serial.update_value(|n| *n += 1);
                undo.set(None);
            }
            run.send.run(ActionRequest {
                action: pending.action,
                ids,
                reason,
            });
        }),
        run,
        undo,
        undo_now: Callback::new(move |()| {
            if run.sending.get_untracked() {
                return;
            }
            let Some(offer) = undo.get_untracked() else {
                return;
            };
            serial.update_value(|n| *n += 1);
            undo.set(None);
            run.send.run(ActionRequest {
                action: Action::Restore,
                ids: offer.ids,
                reason: None,
            });
        }),
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
