//! The columns of the log, as data. One [`ColumnDef`] per column says everything the
//! rest of the app needs about it: header label, value accessor, kind, filter kind,
//! whether search looks at it, its group in the column chooser, and the wire field its
//! flags are filed under. Sorting, filtering, facets, search, CSV cells and table cells
//! all read the definition, so adding a column is one variant and one entry in
//! [`Column::def`] (the compiler points at the match), and a backend profile's extra
//! fields become columns without code ([`set_extra_columns`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::status::{Status, Tone};
use crate::wire::{Operation, SyncLog};

/// A column of the log: one of the built-in fields, or the n-th extra column of the
/// backend profile in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    TargetSystem,
    EndpointId,
    LatestSyncInfo,
    Attempts,
    CorrelationId,
    SyncId,
    /// An extra field of the backend profile, by its position in the profile.
    Extra(u8),
}

/// What a column holds, which decides how its cell is drawn and how it sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Names and free text.
    Text,
    /// Identifiers: drawn in a monospace face.
    Id,
    Time,
    Status,
    /// Whole or decimal numbers, sorted by value.
    Number,
    /// The error or result message, which expands on hover and focus.
    Details,
}

/// The filter a column offers in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    None,
    /// A checklist of the values present.
    List,
    /// "Contains" text.
    Contains,
    /// "Contains" text, or "is empty".
    ContainsOrEmpty,
}

/// Where the column chooser lists a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Shown when the user has chosen nothing.
    Default,
    /// "Show additional fields" (the connectors).
    AdditionalFields,
    /// "Show additional sync data".
    AdditionalSyncData,
    /// Offered one by one in the chooser.
    Other,
    /// A field of the backend profile.
    Backend,
}

/// One column's value in one row, typed, borrowed from the row where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Empty,
    Text(Cow<'a, str>),
    Status(&'a Status),
    Operation(&'a Operation),
    Time(DateTime<Utc>),
    Number(f64),
}

impl Value<'_> {
    /// The text a person reads (and a CSV cell holds): labels for statuses and
    /// operations, RFC 3339 UTC for times, `""` for an empty value.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => Cow::Borrowed(""),
            Value::Text(text) => Cow::Borrowed(text),
            Value::Status(status) => Cow::Borrowed(status.label()),
            Value::Operation(op) => Cow::Borrowed(op.label()),
            Value::Time(at) => Cow::Owned(at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            Value::Number(n) => Cow::Owned(n.to_string()),
        }
    }

    /// The value a list filter stores: wire values for statuses and operations, `""`
    /// for none, the text otherwise.
    pub fn list_key(&self) -> Cow<'_, str> {
        match self {
            Value::Status(status) => Cow::Borrowed(status.as_wire()),
            Value::Operation(op) => Cow::Borrowed(op.as_wire()),
            other => other.text(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.is_empty(),
            _ => false,
        }
    }

    /// The sort order: an empty value first; failures first among statuses; numbers and
    /// times by value; text by its characters. Values of different shapes (an extra
    /// column whose number did not parse) order by shape.
    pub fn compare(&self, other: &Value<'_>) -> Ordering {
        fn rank(v: &Value<'_>) -> u8 {
            match v {
                Value::Empty => 0,
                Value::Number(_) => 1,
                Value::Time(_) => 2,
                Value::Status(_) => 3,
                Value::Operation(_) => 4,
                Value::Text(_) => 5,
            }
        }
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => a.cmp(b),
            (Value::Status(a), Value::Status(b)) => {
                (tone_rank(a.tone()), a.label()).cmp(&(tone_rank(b.tone()), b.label()))
            }
            (Value::Operation(a), Value::Operation(b)) => a.as_wire().cmp(b.as_wire()),
            (Value::Time(a), Value::Time(b)) => a.cmp(b),
            (Value::Number(a), Value::Number(b)) => a.total_cmp(b),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

/// Failures first when ascending: what operators sort by status for.
fn tone_rank(tone: Tone) -> u8 {
    match tone {
        Tone::Failed => 0,
        Tone::Partial => 1,
        Tone::InFlight => 2,
        Tone::Success => 3,
        Tone::Neutral => 4,
        Tone::Unknown => 5,
    }
}

/// How a column reads its value out of a row.
#[derive(Clone, Copy)]
pub enum Accessor {
    Field(for<'a> fn(&'a SyncLog) -> Value<'a>),
    /// A text field, read without making a [`Value`]: what the search reads fastest.
    Text(for<'a> fn(&'a SyncLog) -> Option<&'a str>),
    /// The n-th extra value of the row, read as the column's kind.
    Extra(usize),
}

impl std::fmt::Debug for Accessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Accessor::Field(_) => f.write_str("Field"),
            Accessor::Text(_) => f.write_str("Text"),
            Accessor::Extra(n) => write!(f, "Extra({n})"),
        }
    }
}

/// Everything the app knows about one column.
#[derive(Debug, Clone, Copy)]
pub struct ColumnDef {
    /// The stable name used in URLs (`sort=`, `f_<key>`) and stored preferences.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub filter: FilterKind,
    /// Whether the search box looks at this column.
    pub searchable: bool,
    pub group: Group,
    /// The field its problems are filed under in [`SyncLog::flags`].
    pub field: &'static str,
    pub value: Accessor,
}

impl ColumnDef {
    /// This column's value in `row`. Loops over many rows look the definitions up once
    /// and call this, rather than [`Column::value`] per cell.
    pub fn read<'r>(&self, row: &'r SyncLog) -> Value<'r> {
        match self.value {
            Accessor::Field(read) => read(row),
            Accessor::Text(read) => {
                read(row).map_or(Value::Empty, |text| Value::Text(Cow::Borrowed(text)))
            }
            Accessor::Extra(n) => match row.extras.get(n).and_then(Option::as_deref) {
                None => Value::Empty,
                Some(raw) => typed(raw, self.kind),
            },
        }
    }
}

fn text(value: &Option<String>) -> Value<'_> {
    value
        .as_deref()
        .map_or(Value::Empty, |v| Value::Text(Cow::Borrowed(v)))
}

fn name(value: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(value))
}

use FilterKind as F;
use Group as G;
use Kind as K;

static STATUS: ColumnDef = ColumnDef {
    key: "status",
    label: "Status",
    kind: K::Status,
    filter: F::List,
    searchable: false,
    group: G::Default,
    field: "status",
    value: Accessor::Field(|r| Value::Status(&r.status)),
};
static INSTANCE: ColumnDef = ColumnDef {
    key: "instance",
    label: "Instance",
    kind: K::Text,
    filter: F::List,
    searchable: false,
    group: G::Default,
    field: "instance",
    value: Accessor::Field(|r| name(&r.instance)),
};
static ENTITY_TYPE: ColumnDef = ColumnDef {
    key: "entity_type",
    label: "Entity Type",
    kind: K::Text,
    filter: F::List,
    searchable: false,
    group: G::Default,
    field: "entity_type",
    value: Accessor::Field(|r| name(&r.entity_type)),
};
static SOURCE_ID: ColumnDef = ColumnDef {
    key: "source_id",
    label: "Source ID",
    kind: K::Id,
    filter: F::Contains,
    searchable: true,
    group: G::Default,
    field: "source_id",
    value: Accessor::Text(|r| Some(&r.source_id)),
};
static TARGET_ID: ColumnDef = ColumnDef {
    key: "target_id",
    label: "Target ID",
    kind: K::Id,
    filter: F::ContainsOrEmpty,
    searchable: true,
    group: G::Default,
    field: "target_id",
    value: Accessor::Text(|r| r.target_id.as_deref()),
};
static OPERATION: ColumnDef = ColumnDef {
    key: "operation",
    label: "Operation",
    kind: K::Text,
    filter: F::List,
    searchable: false,
    group: G::Default,
    field: "operation",
    value: Accessor::Field(|r| r.operation.as_ref().map_or(Value::Empty, Value::Operation)),
};
static STARTED: ColumnDef = ColumnDef {
    key: "started",
    label: "Started",
    kind: K::Time,
    filter: F::None,
    searchable: false,
    group: G::Default,
    field: "started_at",
    value: Accessor::Field(|r| Value::Time(r.started_at)),
};
static DETAILS: ColumnDef = ColumnDef {
    key: "details",
    label: "Details",
    kind: K::Details,
    filter: F::Contains,
    searchable: true,
    group: G::Default,
    field: "details",
    value: Accessor::Text(|r| r.details.as_deref()),
};
static SOURCE_SYSTEM: ColumnDef = ColumnDef {
    key: "source_system",
    label: "Source",
    kind: K::Text,
    filter: F::None,
    searchable: true,
    group: G::AdditionalFields,
    field: "source_system",
    value: Accessor::Text(|r| r.source_system.as_deref()),
};
static TARGET_SYSTEM: ColumnDef = ColumnDef {
    key: "target_system",
    label: "Target",
    kind: K::Text,
    filter: F::None,
    searchable: true,
    group: G::Other,
    field: "target_system",
    value: Accessor::Text(|r| r.target_system.as_deref()),
};
static ENDPOINT_ID: ColumnDef = ColumnDef {
    key: "endpoint_id",
    label: "Endpoint ID",
    kind: K::Id,
    filter: F::None,
    searchable: false,
    group: G::AdditionalFields,
    field: "endpoint_id",
    value: Accessor::Field(|r| text(&r.endpoint_id)),
};
static LATEST_SYNC_INFO: ColumnDef = ColumnDef {
    key: "latest_sync_info",
    label: "Latest Sync Information",
    kind: K::Text,
    filter: F::None,
    searchable: false,
    group: G::AdditionalSyncData,
    field: "latest_sync_info",
    value: Accessor::Field(|r| text(&r.latest_sync_info)),
};
static ATTEMPTS: ColumnDef = ColumnDef {
    key: "attempts",
    label: "Attempts",
    kind: K::Number,
    filter: F::None,
    searchable: false,
    group: G::AdditionalSyncData,
    field: "attempts",
    value: Accessor::Field(|r| {
        r.attempts
            .map_or(Value::Empty, |a| Value::Number(f64::from(a)))
    }),
};
static CORRELATION_ID: ColumnDef = ColumnDef {
    key: "correlation_id",
    label: "Correlation ID",
    kind: K::Id,
    filter: F::None,
    searchable: false,
    group: G::AdditionalSyncData,
    field: "correlation_id",
    value: Accessor::Field(|r| text(&r.correlation_id)),
};
static SYNC_ID: ColumnDef = ColumnDef {
    key: "sync_id",
    label: "Sync ID",
    kind: K::Id,
    filter: F::None,
    searchable: true,
    group: G::Other,
    field: "id",
    value: Accessor::Text(|r| Some(&r.id)),
};

/// The definition used for an extra column that the profile in force does not have
/// (a stale URL): never shown, empty everywhere.
static MISSING_EXTRA: ColumnDef = ColumnDef {
    key: "",
    label: "(unknown column)",
    kind: Kind::Text,
    filter: FilterKind::None,
    searchable: false,
    group: Group::Backend,
    field: "",
    value: Accessor::Extra(usize::MAX),
};

/// The built-in columns, in the order the chooser lists them.
pub const BUILT_IN: [Column; 15] = [
    Column::Status,
    Column::Instance,
    Column::EntityType,
    Column::SourceId,
    Column::TargetId,
    Column::Operation,
    Column::Started,
    Column::Details,
    Column::SourceSystem,
    Column::TargetSystem,
    Column::EndpointId,
    Column::LatestSyncInfo,
    Column::Attempts,
    Column::CorrelationId,
    Column::SyncId,
];

/// The most extra columns a profile may add.
pub const MAX_EXTRA_COLUMNS: usize = 32;

/// An extra column as a backend profile describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraColumn {
    /// Its URL and storage name (letters, digits, `_`), unique among the columns.
    pub key: String,
    pub label: String,
    pub kind: Kind,
    pub filter: FilterKind,
}

thread_local! {
    /// The extra columns of the profile in force. Set once at start, when the
    /// configuration is read; the definitions live as long as the page.
    static EXTRAS: RefCell<&'static [ColumnDef]> = const { RefCell::new(&[]) };
}

/// Installs the extra columns of the backend profile in force (at most
/// [`MAX_EXTRA_COLUMNS`]). Called once at start; each call keeps its definitions for
/// the life of the program, which is the life of the page.
pub fn set_extra_columns(extras: &[ExtraColumn]) {
    let defs: Vec<ColumnDef> = extras
        .iter()
        .take(MAX_EXTRA_COLUMNS)
        .enumerate()
        .map(|(n, extra)| ColumnDef {
            key: Box::leak(extra.key.clone().into_boxed_str()),
            label: Box::leak(extra.label.clone().into_boxed_str()),
            kind: extra.kind,
            filter: extra.filter,
            searchable: matches!(extra.kind, Kind::Text | Kind::Id | Kind::Details),
            group: Group::Backend,
            field: Box::leak(extra.key.clone().into_boxed_str()),
            value: Accessor::Extra(n),
        })
        .collect();
    EXTRAS.with(|slot| *slot.borrow_mut() = Box::leak(defs.into_boxed_slice()));
}

fn extras() -> &'static [ColumnDef] {
    EXTRAS.with(|slot| *slot.borrow())
}

impl Column {
    /// The definition of this column.
    pub fn def(self) -> &'static ColumnDef {
        match self {
            Column::Status => &STATUS,
            Column::Instance => &INSTANCE,
            Column::EntityType => &ENTITY_TYPE,
            Column::SourceId => &SOURCE_ID,
            Column::TargetId => &TARGET_ID,
            Column::Operation => &OPERATION,
            Column::Started => &STARTED,
            Column::Details => &DETAILS,
            Column::SourceSystem => &SOURCE_SYSTEM,
            Column::TargetSystem => &TARGET_SYSTEM,
            Column::EndpointId => &ENDPOINT_ID,
            Column::LatestSyncInfo => &LATEST_SYNC_INFO,
            Column::Attempts => &ATTEMPTS,
            Column::CorrelationId => &CORRELATION_ID,
            Column::SyncId => &SYNC_ID,
            Column::Extra(n) => extras().get(usize::from(n)).unwrap_or(&MISSING_EXTRA),
        }
    }

    /// Every column, built-in ones first, then the profile's, in chooser order.
    pub fn all() -> Vec<Column> {
        let extra = (0..extras().len()).map(|n| Column::Extra(n as u8));
        BUILT_IN.into_iter().chain(extra).collect()
    }

    /// The stable name used in URLs and storage.
    pub fn key(self) -> &'static str {
        self.def().key
    }

    /// The column named by [`Column::key`].
    pub fn from_key(key: &str) -> Option<Column> {
        if key.is_empty() {
            return None;
        }
        Column::all().into_iter().find(|c| c.key() == key)
    }

    /// The header label.
    pub fn label(self) -> &'static str {
        self.def().label
    }

    /// The header as shown and exported: time columns name the zone they are shown in
    /// (`Started (UTC)`).
    pub fn header(self, zone_label: &str) -> String {
        match self.kind() {
            Kind::Time => format!("{} ({zone_label})", self.label()),
            _ => self.label().to_owned(),
        }
    }

    pub fn kind(self) -> Kind {
        self.def().kind
    }

    pub fn filter_kind(self) -> FilterKind {
        self.def().filter
    }

    /// The wire field under which this column's problems are flagged.
    pub fn field(self) -> &'static str {
        self.def().field
    }

    /// The value of this column in `row`.
    pub fn value(self, row: &SyncLog) -> Value<'_> {
        self.def().read(row)
    }

    /// Compares two rows by this column's typed value.
    pub fn compare(self, a: &SyncLog, b: &SyncLog) -> Ordering {
        self.value(a).compare(&self.value(b))
    }
}

/// An extra value read as its column's kind; what does not parse stays text.
fn typed(raw: &str, kind: Kind) -> Value<'_> {
    match kind {
        Kind::Number => raw
            .trim()
            .parse::<f64>()
            .map_or(Value::Text(Cow::Borrowed(raw)), Value::Number),
        Kind::Time => raw
            .trim()
            .parse::<DateTime<Utc>>()
            .map_or(Value::Text(Cow::Borrowed(raw)), Value::Time),
        _ => Value::Text(Cow::Borrowed(raw)),
    }
}

/// The columns shown when the user has chosen none.
pub fn default_columns() -> Vec<Column> {
    in_group(Group::Default)
}

/// The columns of one chooser group, in order.
pub fn in_group(group: Group) -> Vec<Column> {
    Column::all()
        .into_iter()
        .filter(|c| c.def().group == group)
        .collect()
}

/// The columns search looks through, in order.
pub fn searched() -> Vec<Column> {
    Column::all()
        .into_iter()
        .filter(|c| c.def().searchable)
        .collect()
}

/// The columns with a filter in their header.
pub fn filterable() -> Vec<Column> {
    Column::all()
        .into_iter()
        .filter(|c| c.def().filter != FilterKind::None)
        .collect()
}

/// The columns to show, in display order, from stored column keys; unknown keys are
/// skipped and an empty or missing choice means the defaults.
pub fn columns_from_keys(keys: Option<&[String]>) -> Vec<Column> {
    let chosen: Vec<Column> = keys
        .unwrap_or_default()
        .iter()
        .filter_map(|k| Column::from_key(k))
        .collect();
    if chosen.is_empty() {
        return default_columns();
    }
    Column::all()
        .into_iter()
        .filter(|c| chosen.contains(c))
        .collect()
}

#[cfg(test)]
mod tests;
