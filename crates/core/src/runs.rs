//! Runs: the batches the pipeline worked in, recovered from loaded rows.
//!
//! A row with a correlation id belongs to the run of that id. Rows without one (some
//! backends send none) are grouped per instance by time: sorted by start, a gap longer
//! than `gap` between two consecutive rows starts a new run. Each run carries its
//! counts per tone, so its totals are exactly the log's counts for the same rows.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::name::Name;
use crate::stats::Stats;
use crate::wire::SyncLog;

/// How a run was recognised.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RunKey {
    /// The backend's correlation id.
    Correlation(String),
    /// Rows of one instance close together in time, from the first row's start.
    Cluster {
        instance: Name,
        start: DateTime<Utc>,
    },
}

/// One run and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub key: RunKey,
    pub instance: Name,
    /// The earliest start among its rows.
    pub started: DateTime<Utc>,
    /// The latest finish (or start, for rows not finished) among its rows.
    pub ended: DateTime<Utc>,
    pub stats: Stats,
    /// Indexes (into the loaded rows) of its rows, earliest first.
    pub rows: Vec<u32>,
}

impl Run {
    pub fn duration(&self) -> Duration {
        self.ended - self.started
    }
}

/// Groups the rows at `indexes` of `rows` into runs, newest first; `gap` separates runs
/// of rows without a correlation id.
pub fn group_runs(rows: &[SyncLog], indexes: &[u32], gap: Duration) -> Vec<Run> {
    let mut by_id: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut by_instance: HashMap<&str, Vec<u32>> = HashMap::new();
    for &i in indexes {
        let Some(row) = rows.get(i as usize) else {
            continue;
        };
        match row.correlation_id.as_deref() {
            Some(id) => by_id.entry(id).or_default().push(i),
            None => by_instance
                .entry(row.instance.as_str())
                .or_default()
                .push(i),
        }
    }
    let start = |i: &u32| rows[*i as usize].started_at;
    let mut runs = Vec::new();
    for (id, mut members) in by_id {
        members.sort_by_key(start);
        runs.push(run(rows, RunKey::Correlation(id.to_owned()), members));
    }
    for (_, mut members) in by_instance {
        members.sort_by_key(start);
        let mut current: Vec<u32> = Vec::new();
        for i in members {
            let split = current
                .last()
                .is_some_and(|last| start(&i) - start(last) > gap);
            if split {
                runs.push(cluster(rows, std::mem::take(&mut current)));
            }
            current.push(i);
        }
        if !current.is_empty() {
            runs.push(cluster(rows, current));
        }
    }
    // Newest first; ties (same start) in a stable, readable order.
    runs.sort_by(|a, b| {
        b.started
            .cmp(&a.started)
            .then_with(|| a.instance.cmp(&b.instance))
    });
    runs
}

fn cluster(rows: &[SyncLog], members: Vec<u32>) -> Run {
    let first = &rows[members[0] as usize];
    let key = RunKey::Cluster {
        instance: first.instance.clone(),
        start: first.started_at,
    };
    run(rows, key, members)
}

fn run(rows: &[SyncLog], key: RunKey, members: Vec<u32>) -> Run {
    let of = |i: &u32| &rows[*i as usize];
    let first = of(&members[0]);
    let started = members.iter().map(|i| of(i).started_at).min();
    let ended = members
        .iter()
        .map(|i| of(i).finished_at.unwrap_or(of(i).started_at))
        .max();
    Run {
        key,
        instance: first.instance.clone(),
        started: started.unwrap_or(first.started_at),
        ended: ended.unwrap_or(first.started_at),
        stats: Stats::of(members.iter().map(of)),
        rows: members,
    }
}

impl Run {
    /// The run as `GET /runs` describes it.
    pub fn summary(&self, rows: &[SyncLog]) -> crate::wire::RunSummary {
        let mut counts = std::collections::BTreeMap::new();
        for &i in &self.rows {
            if let Some(row) = rows.get(i as usize) {
                *counts.entry(row.status.as_wire().to_owned()).or_insert(0) += 1;
            }
        }
        crate::wire::RunSummary {
            correlation_id: match &self.key {
                RunKey::Correlation(id) => Some(id.clone()),
                RunKey::Cluster { .. } => None,
            },
            instance: self.instance.to_string(),
            started_at: self.started,
            finished_at: Some(self.ended),
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u32, instance: &str, minute: i64, status: &str, run: Option<&str>) -> SyncLog {
        let at = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc()
            + Duration::minutes(minute);
        serde_json::from_value(serde_json::json!({
            "id": id.to_string(), "status": status, "instance": instance, "entity_type": "order",
            "source_id": format!("SO-{id}"), "started_at": at.to_rfc3339(),
            "finished_at": (at + Duration::seconds(20)).to_rfc3339(), "correlation_id": run,
        }))
        .unwrap()
    }

    fn all(rows: &[SyncLog]) -> Vec<u32> {
        (0..rows.len() as u32).collect()
    }

    #[test]
    fn correlation_ids_make_the_runs_whatever_the_times() {
        let rows = vec![
            row(1, "A", 0, "success", Some("run-1")),
            row(2, "A", 30, "failed", Some("run-1")),
            row(3, "A", 1, "success", Some("run-2")),
            row(4, "B", 2, "partial_success", Some("run-2")),
        ];
        let runs = group_runs(&rows, &all(&rows), Duration::minutes(5));
        assert_eq!(runs.len(), 2);
        let one = runs
            .iter()
            .find(|r| r.key == RunKey::Correlation("run-1".into()))
            .unwrap();
        assert_eq!(one.rows, vec![0, 1]);
        assert_eq!(
            (one.stats.total, one.stats.success, one.stats.failed),
            (2, 1, 1)
        );
        assert_eq!(
            one.duration(),
            Duration::minutes(30) + Duration::seconds(20)
        );
        assert_eq!(
            runs[0].key,
            RunKey::Correlation("run-2".into()),
            "newest start first"
        );
    }

    #[test]
    fn without_ids_a_gap_longer_than_the_limit_starts_a_new_run() {
        let rows = vec![
            row(1, "A", 0, "success", None),
            row(2, "A", 4, "failed", None),
            row(3, "A", 9, "success", None), // exactly 5 minutes after: same run
            row(4, "A", 15, "success", None), // 6 minutes after: new run
            row(5, "B", 1, "pending", None), // another instance: its own run
        ];
        let runs = group_runs(&rows, &all(&rows), Duration::minutes(5));
        let sizes: Vec<(String, usize)> = runs
            .iter()
            .map(|r| (r.instance.to_string(), r.rows.len()))
            .collect();
        assert_eq!(
            sizes,
            vec![("A".into(), 1), ("B".into(), 1), ("A".into(), 3)]
        );
        assert_eq!(
            runs[2].key,
            RunKey::Cluster {
                instance: "A".into(),
                start: rows[0].started_at
            }
        );
    }

    #[test]
    fn only_the_given_rows_are_grouped_and_totals_add_up() {
        let rows: Vec<SyncLog> = (0..200)
            .map(|n| {
                let status = ["success", "failed", "pending", "partially_failed"][n % 4];
                let run = (n % 3 != 0).then(|| format!("run-{}", n / 50));
                row(n as u32, "A", (n / 10) as i64 * 7, status, run.as_deref())
            })
            .collect();
        let some: Vec<u32> = (0..200).filter(|n| n % 5 != 0).collect();
        let runs = group_runs(&rows, &some, Duration::minutes(5));
        let total: usize = runs.iter().map(|r| r.stats.total).sum();
        assert_eq!(total, some.len());
        let mut seen: Vec<u32> = runs.iter().flat_map(|r| r.rows.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, some);
        assert!(group_runs(&rows, &[], Duration::minutes(5)).is_empty());
    }
}
