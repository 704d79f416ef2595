//! The column filters as the UI presents them: which are active (for the chip row and the
//! header marks), how to remove one, and the values present in the loaded rows (for the
//! multi-select lists).

use std::collections::BTreeMap;

use crate::columns::{Column, FilterKind};
use crate::refine::{ColumnFilter, Refinements};
use crate::status::Status;
use crate::wire::SyncLog;

/// One removable refinement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Search,
    Column(Column),
    /// An error cluster.
    Cluster,
}

impl Refinements {
    /// The active refinements and a label for each, in column order (search first).
    pub fn active(&self) -> Vec<(Facet, String)> {
        let mut active = Vec::new();
        if !self.search.trim().is_empty() {
            active.push((Facet::Search, format!("Search: “{}”", self.search.trim())));
        }
        for (column, filter) in &self.filters {
            let text = match filter {
                ColumnFilter::AnyOf(values) => values
                    .iter()
                    .map(|v| value_label(*column, v))
                    .collect::<Vec<_>>()
                    .join(", "),
                ColumnFilter::Contains(text) => format!("contains “{text}”"),
                ColumnFilter::IsEmpty => "is empty".to_owned(),
            };
            active.push((
                Facet::Column(*column),
                format!("{}: {text}", column.label()),
            ));
        }
        if let Some(key) = &self.cluster {
            let shown = crate::text::shortened(key, 60);
            active.push((Facet::Cluster, format!("Error: {shown}")));
        }
        active
    }

    /// Whether a column has a filter set (for its header mark).
    pub fn filters(&self, column: Column) -> bool {
        self.filters.contains_key(&column)
    }

    /// Removes one refinement.
    pub fn clear(&mut self, facet: Facet) {
        match facet {
            Facet::Search => self.search.clear(),
            Facet::Cluster => self.cluster = None,
            Facet::Column(column) => {
                self.filters.remove(&column);
            }
        }
    }
}

/// How a list value of `column` reads: status and operation labels, `(none)` for a row
/// without a value.
pub fn value_label(column: Column, value: &str) -> String {
    match column {
        Column::Status => Status::parse(value).label().to_owned(),
        Column::Operation => operation_label(value),
        _ if value.is_empty() => "(none)".to_owned(),
        _ => value.to_owned(),
    }
}

/// How an operation value reads in lists; `""` is a record without one.
pub fn operation_label(wire: &str) -> String {
    match wire {
        "" => "(none)".to_owned(),
        other => crate::wire::Operation::parse(other).label().to_owned(),
    }
}

/// The values of a list column present in `rows`, with counts, sorted by value.
/// `None` for columns filtered by text rather than by a list.
pub fn values_present(rows: &[SyncLog], column: Column) -> Option<Vec<(String, usize)>> {
    if column.filter_kind() != FilterKind::List {
        return None;
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let value = column.value(row);
        let key = value.list_key();
        match counts.get_mut(key.as_ref()) {
            Some(n) => *n += 1,
            None => {
                counts.insert(key.into_owned(), 1);
            }
        }
    }
    Some(counts.into_iter().collect())
}

/// The instances and entity types seen in `rows`, added to `known` (so a list built
/// from several loads keeps what earlier ones saw), sorted by name: the instance filter's
/// choices for a backend that does not list its instances.
pub fn instances_seen(
    known: &[crate::wire::Instance],
    rows: &[SyncLog],
) -> Vec<crate::wire::Instance> {
    let mut seen: BTreeMap<String, std::collections::BTreeSet<String>> = known
        .iter()
        .map(|i| (i.name.clone(), i.entity_types.iter().cloned().collect()))
        .collect();
    for row in rows {
        if row.instance.is_empty() {
            continue;
        }
        let types = match seen.get_mut(row.instance.as_str()) {
            Some(types) => types,
            None => seen.entry(row.instance.to_string()).or_default(),
        };
        if !row.entity_type.is_empty() && !types.contains(row.entity_type.as_str()) {
            types.insert(row.entity_type.to_string());
        }
    }
    seen.into_iter()
        .map(|(name, types)| crate::wire::Instance {
            name,
            entity_types: types.into_iter().collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn instances_seen_accumulate_across_loads() {
        let rows: Vec<SyncLog> = [("B", "order"), ("A", "item"), ("B", "item"), ("", "x")]
            .iter()
            .map(|(i, e)| {
                serde_json::from_value(serde_json::json!({"instance": i, "entity_type": e}))
                    .unwrap()
            })
            .collect();
        let first = instances_seen(&[], &rows[..2]);
        let all = instances_seen(&first, &rows[2..]);
        let names: Vec<(&str, Vec<String>)> = all
            .iter()
            .map(|i| (i.name.as_str(), i.entity_types.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("A", vec!["item".to_owned()]),
                ("B", vec!["item".to_owned(), "order".to_owned()])
            ]
        );
    }

    use super::*;

    #[test]
    fn active_refinements_read_as_chips_and_clear_one_at_a_time() {
        let mut r = Refinements {
            search: " shopify ".into(),
            ..Refinements::default()
        };
        r.set_list(
            Column::Status,
            vec!["failed".into(), "partially_failed".into()],
        );
        r.set_list(Column::Operation, vec!["".into(), "create".into()]);
        r.set_empty(Column::TargetId, true);
        let labels: Vec<String> = r.active().into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            labels,
            vec![
                "Search: “shopify”",
                "Status: Failed, Partially Failed",
                "Target ID: is empty",
                "Operation: (none), Create",
            ]
        );
        assert!(r.filters(Column::TargetId));
        r.clear(Facet::Column(Column::TargetId));
        assert!(!r.filters(Column::TargetId));
        r.clear(Facet::Search);
        r.clear(Facet::Column(Column::Status));
        r.clear(Facet::Column(Column::Operation));
        assert!(!r.is_filtering());
    }

    #[test]
    fn values_present_count_each_value() {
        let rows: Vec<SyncLog> = ["ok", "failed", "ok"]
            .iter()
            .map(|s| {
                serde_json::from_value(serde_json::json!({
                    "id": "1", "status": s, "instance": "A", "entity_type": "item",
                    "source_id": "x", "started_at": "2026-11-20T10:00:00Z"
                }))
                .unwrap()
            })
            .collect();
        assert_eq!(
            values_present(&rows, Column::Status),
            Some(vec![("failed".into(), 1), ("ok".into(), 2)])
        );
        assert_eq!(
            values_present(&rows, Column::Operation),
            Some(vec![("".into(), 3)])
        );
        assert_eq!(values_present(&rows, Column::Details), None);
    }
}
