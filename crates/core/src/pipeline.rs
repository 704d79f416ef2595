//! The client-side row pipeline: loaded rows → the rows the stat cards count → the rows
//! the table shows. It works on indexes into the loaded rows, never on copies, so it
//! stays cheap with 100,000 rows loaded.
//!
//! The cards count every row matching the view *except* the card choice itself, so the
//! other cards keep their counts and stay clickable while one is active.

use crate::stats::Stats;
use crate::view::ViewState;
use crate::wire::SyncLog;

/// The outcome of refining the loaded rows for a view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refined {
    /// Indexes of rows matching every refinement but the card; what the cards count.
    pub base: Vec<u32>,
    /// Indexes of the rows to show, in display order.
    pub visible: Vec<u32>,
    pub stats: Stats,
}

/// Refines `rows` for `view`.
///
/// The run filter (`correlation_id`) is applied here as well as on the server, so a
/// backend that ignores that parameter still shows exactly the run.
pub fn refine(rows: &[SyncLog], view: &ViewState) -> Refined {
    let run = view.query.correlation_id.as_deref();
    let base: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| run.is_none_or(|id| row.correlation_id.as_deref() == Some(id)))
        .map(|(i, _)| i as u32)
        .collect();
    let stats = Stats::of(base.iter().map(|&i| &rows[i as usize]));
    let visible = match view.tone {
        None => base.clone(),
        Some(tone) => base
            .iter()
            .copied()
            .filter(|&i| rows[i as usize].status.tone() == tone)
            .collect(),
    };
    Refined {
        base,
        visible,
        stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Tone;

    fn row(id: usize, status: &str, run: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": id.to_string(), "status": status, "instance": "i", "entity_type": "item",
            "source_id": "s", "started_at": "2026-11-20T10:00:00Z", "correlation_id": run
        }))
        .unwrap()
    }

    fn rows() -> Vec<SyncLog> {
        vec![
            row(0, "ok", "a"),
            row(1, "failed", "a"),
            row(2, "partial_success", "b"),
            row(3, "failed", "b"),
            row(4, "weird", "a"),
        ]
    }

    #[test]
    fn without_refinements_everything_is_shown_and_counted() {
        let refined = refine(&rows(), &ViewState::default());
        assert_eq!(refined.visible, vec![0, 1, 2, 3, 4]);
        assert_eq!(refined.stats.total, 5);
    }

    #[test]
    fn a_card_narrows_the_table_but_not_the_cards() {
        let view = ViewState {
            tone: Some(Tone::Failed),
            ..ViewState::default()
        };
        let refined = refine(&rows(), &view);
        assert_eq!(refined.visible, vec![1, 3]);
        assert_eq!(refined.stats.total, 5);
        assert_eq!(refined.stats.success, 1);
    }

    #[test]
    fn the_run_filter_narrows_cards_and_table() {
        let mut view = ViewState::default();
        view.query.correlation_id = Some("a".into());
        let refined = refine(&rows(), &view);
        assert_eq!(refined.visible, vec![0, 1, 4]);
        assert_eq!(refined.stats.total, 3);
        assert_eq!(refined.stats.failed, 1);
        assert_eq!(refined.stats.unknown, 1);
    }
}
