//! The column filters as the UI presents them: which are active (for the chip row and the
//! header marks), how to remove one, and the values present in the loaded rows (for the
//! multi-select lists).

use std::collections::BTreeMap;

use crate::refine::{Column, Refinements, TargetFilter};
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
        let list = |values: &[String], label: fn(&str) -> String| {
            values
                .iter()
                .map(|v| label(v))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut push = |column: Column, text: String| {
            active.push((Facet::Column(column), format!("{}: {text}", column.label())));
        };
        if !self.statuses.is_empty() {
            push(
                Column::Status,
                list(&self.statuses, |s| Status::parse(s).label().to_owned()),
            );
        }
        if !self.instances.is_empty() {
            push(Column::Instance, list(&self.instances, str::to_owned));
        }
        if !self.entity_types.is_empty() {
            push(Column::EntityType, list(&self.entity_types, str::to_owned));
        }
        if let Some(text) = &self.source_contains {
            push(Column::SourceId, format!("contains “{text}”"));
        }
        match &self.target {
            Some(TargetFilter::Contains(text)) => {
                push(Column::TargetId, format!("contains “{text}”"))
            }
            Some(TargetFilter::IsEmpty) => push(Column::TargetId, "is empty".to_owned()),
            None => {}
        }
        if !self.operations.is_empty() {
            push(Column::Operation, list(&self.operations, operation_label));
        }
        if let Some(text) = &self.details_contains {
            push(Column::Details, format!("contains “{text}”"));
        }
        if let Some(key) = &self.cluster {
            let (shown, cut) = crate::text::preview(key, 60);
            let more = if cut { "…" } else { "" };
            active.push((Facet::Cluster, format!("Error: {shown}{more}")));
        }
        active
    }

    /// Whether a column has a filter set (for its header mark).
    pub fn filters(&self, column: Column) -> bool {
        self.active()
            .iter()
            .any(|(f, _)| *f == Facet::Column(column))
    }

    /// The chosen values of a list column (Status, Instance, Entity Type, Operation).
    pub fn list_mut(&mut self, column: Column) -> Option<&mut Vec<String>> {
        match column {
            Column::Status => Some(&mut self.statuses),
            Column::Instance => Some(&mut self.instances),
            Column::EntityType => Some(&mut self.entity_types),
            Column::Operation => Some(&mut self.operations),
            _ => None,
        }
    }

    /// The "contains" text of a text column (Source ID, Details; Target ID has its own).
    pub fn text_mut(&mut self, column: Column) -> Option<&mut Option<String>> {
        match column {
            Column::SourceId => Some(&mut self.source_contains),
            Column::Details => Some(&mut self.details_contains),
            _ => None,
        }
    }

    /// Removes one refinement.
    pub fn clear(&mut self, facet: Facet) {
        match facet {
            Facet::Search => self.search.clear(),
            Facet::Cluster => self.cluster = None,
            Facet::Column(Column::Status) => self.statuses.clear(),
            Facet::Column(Column::Instance) => self.instances.clear(),
            Facet::Column(Column::EntityType) => self.entity_types.clear(),
            Facet::Column(Column::Operation) => self.operations.clear(),
            Facet::Column(Column::SourceId) => self.source_contains = None,
            Facet::Column(Column::TargetId) => self.target = None,
            Facet::Column(Column::Details) => self.details_contains = None,
            Facet::Column(_) => {}
        }
    }
}

/// The columns that have a filter control in their header.
pub const FILTERABLE: [Column; 7] = [
    Column::Status,
    Column::Instance,
    Column::EntityType,
    Column::SourceId,
    Column::TargetId,
    Column::Operation,
    Column::Details,
];

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
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let value = match column {
            Column::Status => row.status.as_wire().to_owned(),
            Column::Instance => row.instance.to_string(),
            Column::EntityType => row.entity_type.to_string(),
            Column::Operation => row
                .operation
                .as_ref()
                .map_or("", |o| o.as_wire())
                .to_owned(),
            _ => return None,
        };
        *counts.entry(value).or_insert(0) += 1;
    }
    Some(counts.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_refinements_read_as_chips_and_clear_one_at_a_time() {
        let mut r = Refinements {
            search: " shopify ".into(),
            statuses: vec!["failed".into(), "partially_failed".into()],
            operations: vec!["".into(), "create".into()],
            target: Some(TargetFilter::IsEmpty),
            ..Refinements::default()
        };
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
