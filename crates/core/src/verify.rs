//! Trust but verify: the server query re-applied to every row received, so a backend
//! that ignores a parameter (many do) still shows exactly the view asked for. A row is
//! dropped only when its value for a filter is readable and does not match; a row whose
//! value cannot be read (a flagged, unreadable time, say) is kept, and stays flagged.

use crate::profile::QUERY_FILTERS;
use crate::query::LogQuery;
use crate::refine::Folded;
use crate::status::Tone;
use crate::wire::SyncLog;
use chrono::{DateTime, Utc};

/// What the re-check found: for each filter (named as in `profile::QUERY_FILTERS`) the
/// backend did not apply, how many received rows did not match it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unapplied {
    pub filters: Vec<(&'static str, usize)>,
    /// Rows dropped in all (a row failing two filters counts once).
    pub dropped: usize,
}

impl Unapplied {
    pub fn is_empty(&self) -> bool {
        self.dropped == 0
    }

    /// Puts the filters in the query's order (`profile::QUERY_FILTERS`), whatever order
    /// the rows failed in.
    fn sort(&mut self) {
        self.filters
            .sort_by_key(|(filter, _)| QUERY_FILTERS.iter().position(|f| f == filter));
    }

    /// Adds another page's findings.
    pub fn add(&mut self, other: Unapplied) {
        self.dropped += other.dropped;
        for (filter, n) in other.filters {
            match self.filters.iter_mut().find(|(f, _)| *f == filter) {
                Some((_, count)) => *count += n,
                None => self.filters.push((filter, n)),
            }
        }
        self.sort();
    }
}

/// How a filter of the query reads in a sentence.
fn label(filter: &str) -> &str {
    match filter {
        "instance" => "instance",
        "entity_type" => "entity type",
        "source_id" => "Source ID",
        "correlation_id" => "run",
        "ids" => "sync ids",
        "statuses" => "status",
        "from" => "range start",
        "to" => "range end",
        "latest" => "unresolved only",
        other => other,
    }
}

/// The notices of one load, once each: the filters the backend did not apply (named by
/// the parameter sent, via `param_of`) and those the profile has no parameter for.
pub fn load_notices(
    unapplied: &Unapplied,
    unmapped: &[&str],
    param_of: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut notices = Vec::new();
    if !unapplied.is_empty() {
        let named: Vec<String> = unapplied
            .filters
            .iter()
            .map(|(filter, _)| format!("`{}` ({})", param_of(filter), label(filter)))
            .collect();
        let rows = if unapplied.dropped == 1 {
            "1 record it sent did not match and is not shown".to_owned()
        } else {
            format!(
                "{} records it sent did not match and are not shown",
                crate::text::format_count(unapplied.dropped)
            )
        };
        notices.push(format!(
            "The backend did not apply {}: {rows}. The view is exact; the limit counts what the backend sent.",
            named.join(" and ")
        ));
    }
    if !unmapped.is_empty() {
        let named: Vec<&str> = unmapped.iter().map(|f| label(f)).collect();
        notices.push(format!(
            "Filtered in the browser only ({}): the backend profile maps no parameter for it,              so the limit counts records the filter then hides.",
            named.join(", ")
        ));
    }
    notices
}

/// Whether the record needs nothing more: it succeeded, or an operator discarded it.
pub fn is_resolved(row: &SyncLog) -> bool {
    matches!(row.status.tone(), Tone::Success | Tone::Neutral)
}

/// For unresolved only: drops every row that is not the latest attempt of its source
/// record (instance, entity type, source id) among `rows`, which are newest first, and
/// says how many it dropped. A backend that applies `latest=1` sends none.
pub fn drop_older_attempts(rows: &mut Vec<SyncLog>) -> Unapplied {
    let mut newest: std::collections::HashMap<(&str, &str, &str), (DateTime<Utc>, &str)> =
        std::collections::HashMap::with_capacity(rows.len());
    for row in rows.iter() {
        let key = (
            row.instance.as_str(),
            row.entity_type.as_str(),
            row.source_id.as_str(),
        );
        let at = (row.started_at, row.id.as_str());
        newest
            .entry(key)
            .and_modify(|seen| *seen = (*seen).max(at))
            .or_insert(at);
    }
    let keep: Vec<bool> = rows
        .iter()
        .map(|row| {
            let key = (
                row.instance.as_str(),
                row.entity_type.as_str(),
                row.source_id.as_str(),
            );
            newest.get(&key) == Some(&(row.started_at, row.id.as_str()))
        })
        .collect();
    let mut keep = keep.into_iter();
    let before = rows.len();
    rows.retain(|_| keep.next().unwrap_or(true));
    let dropped = before - rows.len();
    Unapplied {
        filters: if dropped > 0 {
            vec![("latest", dropped)]
        } else {
            Vec::new()
        },
        dropped,
    }
}

/// Drops the rows of `rows` that do not match `query`, and says which filters they
/// failed.
pub fn recheck(query: &LogQuery, rows: &mut Vec<SyncLog>) -> Unapplied {
    recheck_from(query, rows, 0)
}

/// [`recheck`] of the rows from `start` on; those before it are kept as they are.
pub fn recheck_from(query: &LogQuery, rows: &mut Vec<SyncLog>, start: usize) -> Unapplied {
    let source = query
        .source_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|needle| Folded::new(&needle.to_lowercase()));
    let mut found = Unapplied::default();
    let mut count =
        |filter: &'static str| match found.filters.iter_mut().find(|(f, _)| *f == filter) {
            Some((_, n)) => *n += 1,
            None => found.filters.push((filter, 1)),
        };
    let mut dropped = 0;
    let mut index = 0;
    rows.retain(|row| {
        index += 1;
        if index <= start {
            return true;
        }
        let unreadable = |field: &str| row.flags.get(field).is_some();
        let mut keep = true;
        let mut fail = |filter: &'static str, matches: bool, field: &str| {
            if !matches && !unreadable(field) {
                count(filter);
                keep = false;
            }
        };
        if let Some(instance) = query.instance.as_deref().filter(|s| !s.is_empty()) {
            fail("instance", *row.instance == *instance, "instance");
        }
        if let Some(entity) = query.entity_type.as_deref().filter(|s| !s.is_empty()) {
            fail("entity_type", *row.entity_type == *entity, "entity_type");
        }
        if let Some(needle) = &source {
            fail("source_id", needle.found_in(&row.source_id), "source_id");
        }
        if let Some(run) = query.correlation_id.as_deref().filter(|s| !s.is_empty()) {
            fail(
                "correlation_id",
                row.correlation_id.as_deref() == Some(run),
                "correlation_id",
            );
        }
        if !query.ids.is_empty() {
            fail("ids", query.ids.contains(&row.id), "id");
        }
        if !query.statuses.is_empty() {
            let wire = row.status.as_wire();
            fail(
                "statuses",
                query.statuses.iter().any(|s| s == wire),
                "status",
            );
        }
        if let Some(from) = query.from {
            fail("from", row.started_at >= from, "started_at");
        }
        if let Some(to) = query.to {
            fail("to", row.started_at <= to, "started_at");
        }
        if query.latest {
            fail("latest", !is_resolved(row), "status");
        }
        if !keep {
            dropped += 1;
        }
        keep
    });
    found.dropped = dropped;
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn row(id: &str, instance: &str, source: &str, status: &str, started: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": id, "status": status, "instance": instance, "entity_type": "item",
            "source_id": source, "started_at": started
        }))
        .unwrap()
    }

    #[test]
    fn unresolved_only_keeps_the_latest_unresolved_attempt_of_each_record() {
        let mut rows = vec![
            row("6", "A", "S-1", "failed", "2026-11-20T12:00:00Z"),
            row("5", "A", "S-2", "ok", "2026-11-20T11:00:00Z"),
            row("4", "A", "S-1", "ok", "2026-11-20T10:00:00Z"),
            row("3", "A", "S-2", "failed", "2026-11-20T09:00:00Z"),
            row("2", "B", "S-1", "discarded", "2026-11-20T08:00:00Z"),
            row("1", "A", "S-3", "pending", "2026-11-20T07:00:00Z"),
        ];
        let older = drop_older_attempts(&mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["6", "5", "2", "1"]);
        assert_eq!(older.filters, [("latest", 2)]);
        let query = LogQuery {
            latest: true,
            ..LogQuery::default()
        };
        let resolved = recheck(&query, &mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["6", "1"], "S-2 succeeded last; B's S-1 was discarded");
        assert_eq!(resolved.filters, [("latest", 2)]);
        let notices = load_notices(&resolved, &["latest"], |f| f.to_owned());
        assert!(
            notices[0].contains("`latest` (unresolved only)"),
            "{notices:?}"
        );
        assert!(notices[1].contains("(unresolved only)"), "{notices:?}");
    }

    #[test]
    fn rows_a_backend_should_have_filtered_are_dropped_and_named() {
        let mut rows = vec![
            row("1", "A", "ITEM-00007", "failed", "2026-11-20T10:00:00Z"),
            row("2", "A", "ITEM-00008", "failed", "2026-11-20T10:00:00Z"),
            row("3", "B", "item-00007-b", "failed", "2026-11-20T10:00:00Z"),
            row("4", "A", "ITEM-00007", "ok", "2026-11-20T10:00:00Z"),
        ];
        let query = LogQuery {
            instance: Some("A".into()),
            source_id: Some("item-00007".into()),
            statuses: vec!["failed".into()],
            ..LogQuery::default()
        };
        let found = recheck(&query, &mut rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1"]);
        assert_eq!(found.dropped, 3);
        assert_eq!(
            found.filters,
            [("instance", 1), ("source_id", 1), ("statuses", 1)]
        );
    }

    #[test]
    fn rows_before_the_start_are_left_as_they_are() {
        let mut rows = vec![
            row("1", "B", "S", "failed", "2026-11-20T10:00:00Z"),
            row("2", "A", "S", "failed", "2026-11-20T10:00:00Z"),
            row("3", "B", "S", "failed", "2026-11-20T10:00:00Z"),
            row("4", "A", "S", "failed", "2026-11-20T10:00:00Z"),
        ];
        let query = LogQuery {
            instance: Some("A".into()),
            ..LogQuery::default()
        };
        let found = recheck_from(&query, &mut rows, 2);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "4"]);
        assert_eq!((found.dropped, found.filters), (1, vec![("instance", 1)]));
        // From the end on, nothing is checked.
        assert!(recheck_from(&query, &mut rows, 3).is_empty());
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn an_unreadable_value_keeps_its_row() {
        let mut rows = vec![
            row("1", "A", "S", "ok", "last tuesday"),
            row("2", "A", "S", "ok", "2020-01-01T00:00:00Z"),
        ];
        let query = LogQuery {
            from: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
            ..LogQuery::default()
        };
        let found = recheck(&query, &mut rows);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, "1");
        assert!(rows[0].flags.get("started_at").is_some());
        assert_eq!(found.filters, [("from", 1)]);
    }

    #[test]
    fn a_backend_that_applies_everything_loses_nothing() {
        let mut rows = vec![row("1", "A", "S-1", "ok", "2026-11-20T10:00:00Z")];
        let query = LogQuery {
            instance: Some("A".into()),
            source_id: Some("s-".into()),
            from: Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap()),
            ..LogQuery::default()
        };
        assert!(recheck(&query, &mut rows).is_empty());
        assert_eq!(rows.len(), 1);
    }
}
