//! The stat cards: counts per tone and the success rate over a set of rows.

use crate::status::Tone;
use crate::wire::SyncLog;

/// Counts over a set of rows. `total` includes unknown statuses, which have no card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub total: usize,
    pub success: usize,
    pub partial: usize,
    pub in_flight: usize,
    pub failed: usize,
    /// Discarded: closed by an operator; no card of its own.
    pub neutral: usize,
    pub unknown: usize,
}

impl Stats {
    /// Counts the rows at `indexes` of `rows`.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a SyncLog>) -> Stats {
        let mut stats = Stats::default();
        for row in rows {
            stats.add(row.status.tone());
        }
        stats
    }

    /// Counts one more row of `tone`.
    pub fn add(&mut self, tone: Tone) {
        self.add_n(tone, 1);
    }

    /// Counts `n` more rows of `tone`.
    pub fn add_n(&mut self, tone: Tone, n: usize) {
        self.total += n;
        match tone {
            Tone::Success => self.success += n,
            Tone::Partial => self.partial += n,
            Tone::InFlight => self.in_flight += n,
            Tone::Failed => self.failed += n,
            Tone::Neutral => self.neutral += n,
            Tone::Unknown => self.unknown += n,
        }
    }

    /// Both sets of counts together.
    pub fn merged(self, other: Stats) -> Stats {
        Stats {
            total: self.total + other.total,
            success: self.success + other.success,
            partial: self.partial + other.partial,
            in_flight: self.in_flight + other.in_flight,
            failed: self.failed + other.failed,
            neutral: self.neutral + other.neutral,
            unknown: self.unknown + other.unknown,
        }
    }

    /// The count of one card.
    pub fn count(&self, tone: Tone) -> usize {
        match tone {
            Tone::Success => self.success,
            Tone::Partial => self.partial,
            Tone::InFlight => self.in_flight,
            Tone::Failed => self.failed,
            Tone::Neutral => self.neutral,
            Tone::Unknown => self.unknown,
        }
    }

    /// Success ÷ Total, or `None` when there are no rows (never NaN).
    pub fn success_rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.success as f64 / self.total as f64)
    }

    /// The rate as shown on its card: one decimal, or "—" for an empty set.
    pub fn success_rate_label(&self) -> String {
        match self.success_rate() {
            Some(rate) => format!("{:.1}%", rate * 100.0),
            None => "—".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    fn row(status: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": status, "instance": "i", "entity_type": "item",
            "source_id": "s", "started_at": "2026-11-20T10:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn every_status_lands_on_its_card() {
        let rows: Vec<_> = Status::KNOWN.iter().map(|s| row(s.as_wire())).collect();
        let stats = Stats::of(&rows);
        assert_eq!(
            stats,
            Stats {
                total: 12,
                success: 3,
                partial: 2,
                in_flight: 4,
                failed: 2,
                neutral: 1,
                unknown: 0
            }
        );
        assert_eq!(stats.success_rate_label(), "25.0%");
    }

    #[test]
    fn an_empty_set_has_no_rate_rather_than_nan() {
        let stats = Stats::of(&[]);
        assert_eq!(stats.total, 0);
        assert_eq!(stats.success_rate(), None);
        assert_eq!(stats.success_rate_label(), "—");
    }

    #[test]
    fn unknown_statuses_count_in_total_only() {
        let rows = vec![row("ok"), row("quarantined"), row("")];
        let stats = Stats::of(&rows);
        assert_eq!(stats.total, 3);
        assert_eq!(stats.success, 1);
        assert_eq!(stats.unknown, 2);
        assert_eq!(stats.success_rate_label(), "33.3%");
        assert_eq!(
            Tone::CARDS.iter().map(|t| stats.count(*t)).sum::<usize>(),
            1
        );
    }
}
