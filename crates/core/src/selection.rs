//! The selection of rows for a mass action. "Select all matching" is a state, not a list:
//! it costs nothing over 100,000 rows, and ids are only listed when the action is sent.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::clusters::normalise;

use crate::status::Tone;
use crate::wire::{Operation, SyncLog};

/// Which rows are selected.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    None,
    /// Rows picked one by one (or "this page").
    Ids(BTreeSet<String>),
    /// Every row matching the current view, minus the ones unticked since.
    AllMatching { except: BTreeSet<String> },
}

/// The header checkbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderCheck {
    Unchecked,
    Indeterminate,
    Checked,
}

impl Selection {
    pub fn contains(&self, id: &str) -> bool {
        match self {
            Selection::None => false,
            Selection::Ids(ids) => ids.contains(id),
            Selection::AllMatching { except } => !except.contains(id),
        }
    }

    /// Ticks or unticks one row.
    pub fn toggle(&mut self, id: &str) {
        match self {
            Selection::None => *self = Selection::Ids(BTreeSet::from([id.to_owned()])),
            Selection::Ids(ids) => {
                if !ids.remove(id) {
                    ids.insert(id.to_owned());
                }
                if ids.is_empty() {
                    *self = Selection::None;
                }
            }
            Selection::AllMatching { except } => {
                if !except.remove(id) {
                    except.insert(id.to_owned());
                }
            }
        }
    }

    /// Adds these rows (e.g. the rows on screen) to the selection.
    pub fn add<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        match self {
            Selection::AllMatching { except } => {
                for id in ids {
                    except.remove(id);
                }
            }
            _ => {
                let mut set = match std::mem::take(self) {
                    Selection::Ids(set) => set,
                    _ => BTreeSet::new(),
                };
                // A record without an id cannot be named to the server: never selected.
                set.extend(
                    ids.into_iter()
                        .filter(|id| !id.is_empty())
                        .map(str::to_owned),
                );
                *self = if set.is_empty() {
                    Selection::None
                } else {
                    Selection::Ids(set)
                };
            }
        }
    }

    /// How many of the `matching` rows are selected. Cheap for "all matching": the
    /// exclusions are always rows of the view (see [`Selection::carry_over`]).
    pub fn count(&self, matching: usize) -> usize {
        match self {
            Selection::None => 0,
            Selection::Ids(ids) => ids.len(),
            Selection::AllMatching { except } => matching.saturating_sub(except.len()),
        }
    }

    pub fn header(&self, matching: usize) -> HeaderCheck {
        match self.count(matching) {
            0 => HeaderCheck::Unchecked,
            n if n == matching => HeaderCheck::Checked,
            _ => HeaderCheck::Indeterminate,
        }
    }

    /// The selected ids among `matching`, in that order: what a mass action sends.
    /// Records without an id (or a blank one) are left out: the server could not tell
    /// them apart, and refuses a request with a blank id.
    pub fn resolve<'a>(&self, matching: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        matching
            .into_iter()
            .filter(|id| !id.trim().is_empty() && self.contains(id))
            .map(str::to_owned)
            .collect()
    }

    /// The selection after the view changed from `before` to `after` matching rows: only
    /// the selected rows still in view stay selected. Returns it and how many were dropped.
    pub fn carry_over<'a>(
        &self,
        before: impl IntoIterator<Item = &'a str>,
        after: impl IntoIterator<Item = &'a str>,
    ) -> (Selection, usize) {
        if *self == Selection::None {
            return (Selection::None, 0);
        }
        let selected: HashSet<String> = self.resolve(before).into_iter().collect();
        let kept: BTreeSet<String> = after
            .into_iter()
            .filter(|id| selected.contains(*id))
            .map(str::to_owned)
            .collect();
        let dropped = selected.len() - kept.len();
        let next = if kept.is_empty() {
            Selection::None
        } else {
            Selection::Ids(kept)
        };
        (next, dropped)
    }
}

/// What a resync of some rows would touch, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResyncPlan {
    pub total: usize,
    /// Status label → count.
    pub by_status: BTreeMap<String, usize>,
    /// Operation label → count.
    pub by_operation: BTreeMap<String, usize>,
    /// Records that already reached the target: resending rewrites them.
    pub succeeded: usize,
    /// Creates without a target id: resending may create duplicates if the first write
    /// landed unrecorded.
    pub creates_without_target: usize,
    /// Deletes: resending deletes again.
    pub deletes: usize,
    /// Rows with any of the three risks above (each row counted once).
    pub risky: usize,
    /// Error cluster (the normalised message) → count, largest first; rows without an
    /// error message under [`NO_ERROR`].
    pub by_error: Vec<(String, usize)>,
}

/// The group of rows without an error message, in [`ResyncPlan::by_error`].
pub const NO_ERROR: &str = "(no error message)";

impl ResyncPlan {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a SyncLog>) -> ResyncPlan {
        let mut plan = ResyncPlan::default();
        let mut by_error: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let cluster = row
                .details
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map_or_else(|| NO_ERROR.to_owned(), normalise);
            *by_error.entry(cluster).or_insert(0) += 1;
            plan.total += 1;
            *plan
                .by_status
                .entry(row.status.label().to_owned())
                .or_insert(0) += 1;
            let op = row.operation.as_ref().map_or("(none)", Operation::label);
            *plan.by_operation.entry(op.to_owned()).or_insert(0) += 1;
            plan.succeeded += usize::from(is_succeeded(row));
            plan.creates_without_target += usize::from(is_blind_create(row));
            plan.deletes += usize::from(row.operation == Some(Operation::Delete));
            plan.risky += usize::from(is_risky(row));
        }
        plan.by_error = by_error.into_iter().collect();
        plan.by_error
            .sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        plan
    }
}

impl ResyncPlan {
    /// The plan of an action that sends nothing to the target (a discard): nothing in it
    /// is risky to resend.
    pub fn without_risks(self) -> ResyncPlan {
        ResyncPlan {
            succeeded: 0,
            creates_without_target: 0,
            deletes: 0,
            risky: 0,
            ..self
        }
    }
}

fn is_succeeded(row: &SyncLog) -> bool {
    row.status.tone() == Tone::Success
}

fn is_blind_create(row: &SyncLog) -> bool {
    row.operation == Some(Operation::Create) && row.target_id.as_deref().is_none_or(str::is_empty)
}

/// Whether a row is one the confirmation warns about (and can leave out).
pub fn is_risky(row: &SyncLog) -> bool {
    is_succeeded(row) || is_blind_create(row) || row.operation == Some(Operation::Delete)
}

#[cfg(test)]
mod tests;
