//! Refinements of the loaded rows, instant and client-side: search, a filter per column
//! and the sort order. They live in the URL beside the server query, under keys of their
//! own (`q`, `f_*`, `sort`) so they never collide with the API's parameters.

use crate::status::Status;
use crate::wire::SyncLog;

/// A sortable column, by its typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Status,
    Instance,
    EntityType,
    SourceId,
    TargetId,
    Operation,
    Started,
    Details,
    SourceSystem,
    EndpointId,
    LatestSyncInfo,
    Attempts,
    CorrelationId,
    SyncId,
}

impl Column {
    /// Every column, in the order the chooser lists them.
    pub const ALL: [Column; 14] = [
        Column::Status,
        Column::Instance,
        Column::EntityType,
        Column::SourceId,
        Column::TargetId,
        Column::Operation,
        Column::Started,
        Column::Details,
        Column::SourceSystem,
        Column::EndpointId,
        Column::LatestSyncInfo,
        Column::Attempts,
        Column::CorrelationId,
        Column::SyncId,
    ];

    /// The stable name used in URLs and storage.
    pub fn key(self) -> &'static str {
        match self {
            Column::Status => "status",
            Column::Instance => "instance",
            Column::EntityType => "entity_type",
            Column::SourceId => "source_id",
            Column::TargetId => "target_id",
            Column::Operation => "operation",
            Column::Started => "started",
            Column::Details => "details",
            Column::SourceSystem => "source_system",
            Column::EndpointId => "endpoint_id",
            Column::LatestSyncInfo => "latest_sync_info",
            Column::Attempts => "attempts",
            Column::CorrelationId => "correlation_id",
            Column::SyncId => "sync_id",
        }
    }

    /// The column named by [`Column::key`].
    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The header label.
    pub fn label(self) -> &'static str {
        match self {
            Column::Status => "Status",
            Column::Instance => "Instance",
            Column::EntityType => "Entity Type",
            Column::SourceId => "Source ID",
            Column::TargetId => "Target ID",
            Column::Operation => "Operation",
            Column::Started => "Started",
            Column::Details => "Details",
            Column::SourceSystem => "Source",
            Column::EndpointId => "Endpoint ID",
            Column::LatestSyncInfo => "Latest Sync Information",
            Column::Attempts => "Attempts",
            Column::CorrelationId => "Correlation ID",
            Column::SyncId => "Sync ID",
        }
    }
}

/// The columns shown when the user has chosen none.
pub const DEFAULT_COLUMNS: [Column; 8] = [
    Column::Status,
    Column::Instance,
    Column::EntityType,
    Column::SourceId,
    Column::TargetId,
    Column::Operation,
    Column::Started,
    Column::Details,
];

/// "Show additional fields" (the source and destination connectors).
pub const ADDITIONAL_FIELDS: [Column; 2] = [Column::SourceSystem, Column::EndpointId];

/// "Show additional sync data".
pub const ADDITIONAL_SYNC_DATA: [Column; 3] = [
    Column::LatestSyncInfo,
    Column::Attempts,
    Column::CorrelationId,
];

/// The columns to show, in display order, from stored column keys; unknown keys are
/// skipped and an empty or missing choice means the defaults.
pub fn columns_from_keys(keys: Option<&[String]>) -> Vec<Column> {
    let chosen: Vec<Column> = keys
        .unwrap_or_default()
        .iter()
        .filter_map(|k| Column::from_key(k))
        .collect();
    if chosen.is_empty() {
        return DEFAULT_COLUMNS.to_vec();
    }
    Column::ALL
        .into_iter()
        .filter(|c| chosen.contains(c))
        .collect()
}

/// The sort order: a column and a direction. Ties keep the loaded (newest-first) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

/// The Target ID column filter, which can also ask for records not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetFilter {
    Contains(String),
    IsEmpty,
}

/// Every client-side refinement except the stat-card tone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refinements {
    /// Search across systems, sync id, source id, target id and details.
    pub search: String,
    /// Status column: any of these wire values (empty = all).
    pub statuses: Vec<String>,
    pub instances: Vec<String>,
    pub entity_types: Vec<String>,
    /// Operation column: any of these wire values; `""` matches a record without one.
    pub operations: Vec<String>,
    pub source_contains: Option<String>,
    pub target: Option<TargetFilter>,
    pub details_contains: Option<String>,
    /// Only the rows of this error cluster (a key of `clusters::normalise`).
    pub cluster: Option<String>,
    pub sort: Option<Sort>,
}

impl Refinements {
    /// URL parameters, blanks left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        let many = |pairs: &mut Vec<_>, key, values: &[String]| {
            pairs.extend(values.iter().map(|v| (key, v.clone())));
        };
        many(&mut pairs, "f_status", &self.statuses);
        many(&mut pairs, "f_instance", &self.instances);
        many(&mut pairs, "f_entity_type", &self.entity_types);
        many(&mut pairs, "f_operation", &self.operations);
        if let Some(text) = &self.source_contains {
            pairs.push(("f_source_id", text.clone()));
        }
        match &self.target {
            Some(TargetFilter::Contains(text)) => pairs.push(("f_target_id", text.clone())),
            Some(TargetFilter::IsEmpty) => pairs.push(("f_target_empty", "1".to_owned())),
            None => {}
        }
        if let Some(text) = &self.details_contains {
            pairs.push(("f_details", text.clone()));
        }
        if let Some(key) = &self.cluster {
            pairs.push(("f_cluster", key.clone()));
        }
        if let Some(sort) = self.sort {
            let sign = if sort.descending { "-" } else { "" };
            pairs.push(("sort", format!("{sign}{}", sort.column.key())));
        }
        pairs
    }

    /// Reads URL parameters; unknown keys and unreadable values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Refinements {
        let mut r = Refinements::default();
        let text = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        for (key, value) in pairs {
            match key {
                "q" => r.search = value.to_owned(),
                "f_status" => r.statuses.push(value.to_owned()),
                "f_instance" => r.instances.push(value.to_owned()),
                "f_entity_type" => r.entity_types.push(value.to_owned()),
                "f_operation" => r.operations.push(value.to_owned()),
                "f_source_id" => r.source_contains = text(value),
                "f_target_id" => r.target = text(value).map(TargetFilter::Contains),
                "f_target_empty" if value == "1" => r.target = Some(TargetFilter::IsEmpty),
                "f_details" => r.details_contains = text(value),
                "f_cluster" => r.cluster = text(value),
                "sort" => {
                    let (descending, name) = match value.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, value),
                    };
                    r.sort = Column::from_key(name).map(|column| Sort { column, descending });
                }
                _ => {}
            }
        }
        r
    }

    /// True when any column filter or the search is set (not counting the sort).
    pub fn is_filtering(&self) -> bool {
        Refinements {
            sort: None,
            ..self.clone()
        } != Refinements::default()
    }
}

/// Case-insensitive (Unicode lowercase) containment; `needle` must already be lowercase.
pub fn contains_folded(haystack: &str, needle_lower: &str) -> bool {
    needle_lower.is_empty() || haystack.to_lowercase().contains(needle_lower)
}

/// The text search looks through, lowercased once per load: systems, sync id, source id,
/// target id and details, separated so a match never spans two fields.
pub fn search_text(row: &SyncLog) -> String {
    let mut text = String::new();
    push_search_text(row, &mut text);
    text
}

/// Appends [`search_text`] of `row` to `out`, lowercasing as it copies.
pub fn push_search_text(row: &SyncLog, out: &mut String) {
    for (n, part) in search_parts(row).iter().enumerate() {
        if n > 0 {
            out.push('\u{1f}');
        }
        if part.is_ascii() {
            out.extend(part.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.push_str(&part.to_lowercase());
        }
    }
}

/// The length of [`search_text`] of `row` before lowercasing (the same for ASCII).
pub fn search_text_len(row: &SyncLog) -> usize {
    let parts = search_parts(row);
    parts.iter().map(|p| p.len()).sum::<usize>() + parts.len() - 1
}

fn search_parts(row: &SyncLog) -> [&str; 6] {
    [
        row.source_system.as_deref().unwrap_or(""),
        row.target_system.as_deref().unwrap_or(""),
        row.id.as_str(),
        row.source_id.as_str(),
        row.target_id.as_deref().unwrap_or(""),
        row.details.as_deref().unwrap_or(""),
    ]
}

/// The lowercase forms of the text column filters, prepared once per refinement.
pub(crate) struct Prepared<'a> {
    pub search: String,
    pub source: Option<String>,
    pub target: Option<Result<String, ()>>,
    pub details: Option<String>,
    pub refinements: &'a Refinements,
}

impl<'a> Prepared<'a> {
    pub fn new(refinements: &'a Refinements) -> Prepared<'a> {
        Prepared {
            search: refinements.search.trim().to_lowercase(),
            source: refinements
                .source_contains
                .as_ref()
                .map(|s| s.to_lowercase()),
            target: refinements.target.as_ref().map(|t| match t {
                TargetFilter::Contains(s) => Ok(s.to_lowercase()),
                TargetFilter::IsEmpty => Err(()),
            }),
            details: refinements
                .details_contains
                .as_ref()
                .map(|s| s.to_lowercase()),
            refinements,
        }
    }

    /// Every filter except the status column (which the status facet counts around).
    pub fn matches_except_status(&self, row: &SyncLog, search_text: Option<&str>) -> bool {
        let r = self.refinements;
        let any =
            |values: &[String], value: &str| values.is_empty() || values.iter().any(|v| v == value);
        any(&r.instances, &row.instance)
            && any(&r.entity_types, &row.entity_type)
            && any(
                &r.operations,
                row.operation.as_ref().map_or("", |o| o.as_wire()),
            )
            && self
                .source
                .as_deref()
                .is_none_or(|s| contains_folded(&row.source_id, s))
            && match &self.target {
                None => true,
                Some(Err(())) => row.target_id.as_deref().is_none_or(str::is_empty),
                Some(Ok(s)) => row
                    .target_id
                    .as_deref()
                    .is_some_and(|t| contains_folded(t, s)),
            }
            && self.details.as_deref().is_none_or(|s| {
                row.details
                    .as_deref()
                    .is_some_and(|d| contains_folded(d, s))
            })
            && (self.search.is_empty()
                || match search_text {
                    Some(text) => text.contains(&self.search),
                    None => search_text_of(row).contains(&self.search),
                })
    }

    pub fn matches_status(&self, status: &Status) -> bool {
        let wanted = &self.refinements.statuses;
        wanted.is_empty() || wanted.iter().any(|w| w == status.as_wire())
    }
}

/// [`search_text`], for callers without a prebuilt index.
fn search_text_of(row: &SyncLog) -> String {
    search_text(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_columns_come_back_in_display_order() {
        let keys: Vec<String> = ["attempts", "status", "nonsense", "details"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            columns_from_keys(Some(&keys)),
            vec![Column::Status, Column::Details, Column::Attempts]
        );
        assert_eq!(columns_from_keys(None), DEFAULT_COLUMNS.to_vec());
        assert_eq!(columns_from_keys(Some(&[])), DEFAULT_COLUMNS.to_vec());
    }

    #[test]
    fn every_column_key_round_trips() {
        for column in Column::ALL {
            assert_eq!(Column::from_key(column.key()), Some(column));
        }
    }
}
