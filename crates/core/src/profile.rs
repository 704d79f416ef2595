//! Backend profiles: how the app reads someone else's API, described in `config.json`
//! under `backend` (see `docs/backends.md`). A profile says where the records live and
//! where each field sits in them, how times, statuses and operations are written, which
//! query parameters carry each filter, how pages follow one another, and which optional
//! endpoints exist. Without a profile the app speaks its own contract (`docs/api.md`).
//!
//! Reading a profile never fails: a bad key is named in a warning with the form
//! expected, and falls back on its own; a profile that cannot work at all (no records
//! path) is ignored as a whole, with a warning saying so.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::columns::{ExtraColumn, FilterKind, Kind, BUILT_IN};
use crate::status::Status;
use crate::wire::Operation;

mod decode;
mod parse;
mod request;

pub use decode::{decode_page, decode_records, Diagnostics, PageError, ProfilePage};
pub use request::{parse_link_next, resolve_same_origin, PageCursor};

/// The profile versions this build reads.
pub const VERSION: u64 = 1;

/// A dotted path into a JSON object (`data.items`, `source.ref`); empty means the value
/// itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonPath(pub Vec<String>);

impl JsonPath {
    /// Parses `a.b.c`; blank segments are refused.
    pub fn parse(text: &str) -> Option<JsonPath> {
        let text = text.trim();
        if text.is_empty() {
            return Some(JsonPath::default());
        }
        let parts: Vec<String> = text.split('.').map(str::to_owned).collect();
        parts
            .iter()
            .all(|p| !p.is_empty())
            .then_some(JsonPath(parts))
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The value at this path, if every step is an object key that exists.
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.0
            .iter()
            .try_fold(value, |at, key| at.as_object()?.get(key))
    }
}

impl std::fmt::Display for JsonPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// How a backend writes times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    #[default]
    Rfc3339,
    EpochSeconds,
    EpochMillis,
}

impl TimeFormat {
    fn parse(text: &str) -> Option<TimeFormat> {
        match text {
            "rfc3339" => Some(TimeFormat::Rfc3339),
            "epoch_seconds" => Some(TimeFormat::EpochSeconds),
            "epoch_millis" => Some(TimeFormat::EpochMillis),
            _ => None,
        }
    }
}

/// Where the records are and how to read one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordsMap {
    /// The list's path under `api_base_url`, e.g. `/logs`.
    pub path: String,
    /// Where the list sits in the answer; the root for a top-level array.
    pub items: JsonPath,
    /// For each of our wire fields (`wire::WIRE_FIELDS`), where it is in a record.
    pub fields: Vec<(&'static str, JsonPath)>,
    /// How `started_at` and `finished_at` (and time columns) are written.
    pub times: TimeFormat,
    /// The backend's status words → ours.
    pub statuses: Vec<(String, Status)>,
    /// The backend's operation words → ours.
    pub operations: Vec<(String, Operation)>,
    /// Extra fields, shown as columns of their own.
    pub extras: Vec<(ExtraColumn, JsonPath)>,
}

impl RecordsMap {
    /// The source path of one of our fields, if the profile maps it.
    pub fn path_of(&self, field: &str) -> Option<&JsonPath> {
        self.fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, path)| path)
    }

    /// Our status for a backend word: the profile's vocabulary (any case), else the
    /// native reading, which keeps an unknown word raw.
    pub fn status(&self, raw: &str) -> Status {
        lookup(&self.statuses, raw).map_or_else(|| Status::parse(raw), Status::clone)
    }

    /// Our operation for a backend word, likewise.
    pub fn operation(&self, raw: &str) -> Operation {
        lookup(&self.operations, raw).map_or_else(|| Operation::parse(raw), Operation::clone)
    }

    /// The backend's words for one of our statuses, for a status filter: every word the
    /// vocabulary maps onto it, or our own word when it maps none.
    pub fn status_words(&self, wire: &str) -> Vec<String> {
        let words: Vec<String> = self
            .statuses
            .iter()
            .filter(|(_, status)| status.as_wire() == wire)
            .map(|(word, _)| word.clone())
            .collect();
        if words.is_empty() {
            vec![wire.to_owned()]
        } else {
            words
        }
    }
}

/// The value of `raw` in a vocabulary, ignoring case and surrounding blanks. Exact and
/// ASCII matches cost no allocation, which matters once per row.
fn lookup<'v, T>(words: &'v [(String, T)], raw: &str) -> Option<&'v T> {
    let raw = raw.trim();
    words
        .iter()
        .find(|(word, _)| word == raw || word.eq_ignore_ascii_case(raw))
        .or_else(|| {
            if raw.is_ascii() {
                return None;
            }
            let lower = raw.to_lowercase();
            words.iter().find(|(word, _)| word.to_lowercase() == lower)
        })
        .map(|(_, value)| value)
}

/// How lists (several statuses, several ids) go in a query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListStyle {
    /// `status=a&status=b`.
    #[default]
    Repeat,
    /// `status=a,b`.
    Comma,
}

/// The server query's filters, as [`crate::LogQuery`] names them.
pub const QUERY_FILTERS: [&str; 9] = [
    "instance",
    "entity_type",
    "source_id",
    "correlation_id",
    "ids",
    "statuses",
    "from",
    "to",
    "latest",
];

/// Which query parameters carry the filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryMap {
    /// Filter (one of [`QUERY_FILTERS`]) → parameter name, which may carry an operator
    /// (`reference__contains`, `started_gte`).
    pub params: BTreeMap<&'static str, String>,
    pub lists: ListStyle,
    /// How `from` and `to` are written.
    pub times: TimeFormat,
    /// Sent with every list request, e.g. a sort order the backend needs.
    pub constants: Vec<(String, String)>,
    /// The page-size parameter; none means the backend picks.
    pub page_size_param: Option<String>,
    /// The largest page the backend serves.
    pub max_page_size: u32,
}

/// How one page leads to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// One request; no further pages.
    None,
    /// An opaque token at a body path, sent back as a parameter.
    Cursor { next: JsonPath, param: String },
    /// The next page's URL, at a body path or in an RFC 8288 `Link` header.
    NextUrl { next: NextUrlFrom },
    /// `offset` + page size.
    Offset { param: String },
    /// Page number (from `first`) + page size.
    Page { param: String, first: u64 },
}

/// Where a next-page URL is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextUrlFrom {
    Body(JsonPath),
    LinkHeader,
}

/// Where the number of matching records is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TotalFrom {
    Body(JsonPath),
    /// A response header such as `X-Total-Count`.
    Header(String),
}

/// The `credentials` mode of every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    #[default]
    Include,
    SameOrigin,
    Omit,
}

/// `GET` of the instances (jobs) and their entity types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstancesEndpoint {
    pub path: String,
    pub items: JsonPath,
    /// The instance's name in one item; the root when items are plain strings.
    pub name: JsonPath,
    /// Its entity types (a list of strings), if the backend gives them.
    pub entity_types: Option<JsonPath>,
}

/// The resync call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResyncEndpoint {
    /// `POST`, `PUT` or `PATCH`.
    pub method: String,
    pub path: String,
    /// The body, in which the string `"{ids}"` stands for the list of ids.
    pub body: Value,
    pub batch_size: usize,
    /// Whether the backend honours `Idempotency-Key`, so a retried batch is safe.
    pub idempotency_key: bool,
    /// Whether the answer is our `{"results": [...]}`; otherwise a 2xx answer means
    /// every id was queued.
    pub results: bool,
}

/// The dead-letter queue: its list (records shaped as [`RecordsMap`] says, with the same
/// query and paging) and its actions, each optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterMap {
    pub path: String,
    pub replay: Option<ResyncEndpoint>,
    /// Its body template has `"{reason}"` besides `"{ids}"`.
    pub discard: Option<ResyncEndpoint>,
    /// Undoes a discard.
    pub restore: Option<ResyncEndpoint>,
}

/// A record's attempts: a path with `{id}`, answered with records shaped as the list's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptsEndpoint {
    pub path: String,
    pub items: JsonPath,
}

/// Everything the app knows about a backend that does not speak its contract.
#[derive(Debug, Clone, PartialEq)]
pub struct BackendProfile {
    pub records: RecordsMap,
    pub query: QueryMap,
    pub paging: Paging,
    pub total: Option<TotalFrom>,
    pub credentials: Credentials,
    /// Static headers sent with every request (never credentials: see `parse`).
    pub headers: Vec<(String, String)>,
    pub instances: Option<InstancesEndpoint>,
    pub resync: Option<ResyncEndpoint>,
    pub dead_letter: Option<DeadLetterMap>,
    pub attempts: Option<AttemptsEndpoint>,
    /// Whether `GET /runs` exists in our shape; without it runs are grouped in the
    /// browser.
    pub runs: bool,
}

impl BackendProfile {
    /// Reads the `backend` object of `config.json`. `None` (with warnings) when it
    /// cannot be used at all.
    pub fn from_json(value: &Value, warnings: &mut Vec<String>) -> Option<BackendProfile> {
        parse::profile(value, warnings)
    }

    /// The same profile reading the dead-letter queue: its list path in place of the
    /// records' (`None` when the profile maps no queue).
    pub fn for_dead_letter(&self) -> Option<BackendProfile> {
        let queue = self.dead_letter.as_ref()?;
        let mut profile = self.clone();
        profile.records.path = queue.path.clone();
        Some(profile)
    }

    /// The extra columns this profile adds, for `columns::set_extra_columns`.
    pub fn extra_columns(&self) -> Vec<ExtraColumn> {
        self.records.extras.iter().map(|(c, _)| c.clone()).collect()
    }
}

impl InstancesEndpoint {
    /// The instances in an answer of this endpoint: items at `items`, each a name (or an
    /// object with the name at `name`) and optionally a list of entity types. Items
    /// without a readable name are skipped.
    pub fn read(&self, answer: &Value) -> Result<Vec<crate::wire::Instance>, String> {
        let list = self
            .items
            .get(answer)
            .and_then(Value::as_array)
            .ok_or_else(|| {
                format!(
                    "the instances answer has no list at `{}`; check backend.instances.items",
                    if self.items.is_root() {
                        "the top level".to_owned()
                    } else {
                        self.items.to_string()
                    }
                )
            })?;
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        Ok(list
            .iter()
            .filter_map(|item| {
                let name = text(self.name.get(item)?)?;
                let entity_types = self
                    .entity_types
                    .as_ref()
                    .and_then(|p| p.get(item))
                    .and_then(Value::as_array)
                    .map(|types| types.iter().filter_map(text).collect())
                    .unwrap_or_default();
                Some(crate::wire::Instance { name, entity_types })
            })
            .collect())
    }
}

/// The keys the extra columns may not take: the built-in columns'.
fn is_reserved_key(key: &str) -> bool {
    BUILT_IN.iter().any(|c| c.key() == key)
}

fn kind_of(text: &str) -> Option<Kind> {
    match text {
        "text" => Some(Kind::Text),
        "id" => Some(Kind::Id),
        "time" => Some(Kind::Time),
        "number" => Some(Kind::Number),
        "status" => Some(Kind::Status),
        _ => None,
    }
}

fn filter_of(text: &str) -> Option<FilterKind> {
    match text {
        "none" => Some(FilterKind::None),
        "list" => Some(FilterKind::List),
        "contains" => Some(FilterKind::Contains),
        _ => None,
    }
}

/// The JSON object of a value, for the parser.
fn object(value: &Value) -> Option<&Map<String, Value>> {
    value.as_object()
}

#[cfg(test)]
mod tests;
