//! The JSON wire format of the Sync Logs API (v1): snake_case fields, RFC 3339 UTC
//! timestamps. The same types serialise on the reference server and decode in the app.
//!
//! Decoding is tolerant where a foreign backend may differ without being wrong: unknown
//! fields are ignored, optional fields may be null or absent, unknown statuses and
//! operations keep their raw text, and ids may arrive as strings or numbers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::name::Name;
use crate::status::Status;

mod decode;
mod page;
mod time;

pub use decode::{
    drop_duplicate_ids, DuplicateIds, Flag, Keep, Problem, RowFlags, REQUIRED_FIELDS, WIRE_FIELDS,
};
pub(crate) use decode::{not_a_record, read, Conversions, Gathered, Num, Raw};
pub use page::{PageError, PageInSlices};
pub use time::parse_time;

/// A response body as text, the way a browser reads one: a byte that is not UTF-8 becomes
/// U+FFFD (borrowed when the body is valid). Every JSON body is read through this, so a
/// stray byte in one field is a `�` in that field, never a page that fails to load or a
/// page whose fate depends on whether the byte sits in a field the app reads.
pub fn body_text(body: &[u8]) -> std::borrow::Cow<'_, str> {
    // Checking a valid body (every body, nearly always) takes a word at a time where it
    // is ASCII; the lossy walk goes byte by byte, several times slower on a 5 MB page.
    match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    }
}

/// One record the pipeline moved: one attempt to sync one entity.
///
/// Decoding never rejects a record for its content: a field that
/// cannot be used is emptied and named in [`SyncLog::flags`], with its raw value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncLog {
    /// The sync id, unique per record; empty when the backend sent none.
    pub id: String,
    pub status: Status,
    /// The integration job (instance) that processed the record.
    pub instance: Name,
    pub entity_type: Name,
    pub source_system: Option<Name>,
    pub target_system: Option<Name>,
    /// The record's reference in the source system.
    pub source_id: String,
    /// The id assigned by the target; `None` until written.
    pub target_id: Option<String>,
    pub operation: Option<Operation>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Error or partial-result message: any length, any characters.
    pub details: Option<String>,
    pub attempts: Option<u32>,
    /// The run (batch) the record belongs to.
    pub correlation_id: Option<String>,
    pub endpoint_id: Option<String>,
    pub latest_sync_info: Option<String>,
    /// When the pipeline gave up on the record (its last allowed attempt failed) and
    /// moved it to the dead-letter queue; `None` for a record not dead-lettered.
    pub dead_lettered_at: Option<DateTime<Utc>>,
    /// Why it was dead-lettered: the last attempt's error.
    pub dead_letter_reason: Option<String>,
    /// The fields that could not be used as sent; empty for a clean record. Never
    /// serialised: it describes what this client received.
    #[serde(skip)]
    pub flags: RowFlags,
    /// The values of the backend profile's extra columns, in the profile's order, as
    /// text; empty without a profile. Never serialised.
    #[serde(skip)]
    pub extras: Box<[Option<String>]>,
}

/// What the pipeline did to the record in the target system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    Create,
    Update,
    Delete,
    /// A value outside create/update/delete, kept exactly as received.
    Other(String),
}

impl Operation {
    /// Parses a wire value, forgiving case and blanks; anything else becomes `Other`.
    pub fn parse(raw: &str) -> Operation {
        match raw.trim().to_ascii_lowercase().as_str() {
            "create" => Operation::Create,
            "update" => Operation::Update,
            "delete" => Operation::Delete,
            _ => Operation::Other(raw.to_owned()),
        }
    }

    /// The canonical wire value (the raw value for `Other`).
    pub fn as_wire(&self) -> &str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Other(raw) => raw,
        }
    }

    /// The label shown in the table.
    pub fn label(&self) -> &str {
        match self {
            Operation::Create => "Create",
            Operation::Update => "Update",
            Operation::Delete => "Delete",
            Operation::Other(raw) => raw,
        }
    }
}

impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_wire())
    }
}

impl<'de> Deserialize<'de> for Operation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Operation::parse(&raw))
    }
}

/// `GET /instances`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InstancesResponse {
    pub instances: Vec<Instance>,
}

/// An integration job and the entity types it moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub name: String,
    #[serde(default)]
    pub entity_types: Vec<String>,
}

/// `GET /sync-logs`: one page, newest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncLogPage {
    pub items: Vec<SyncLog>,
    /// Present when more rows match; pass it back as `cursor` for the next page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// `GET /sync-logs/{id}/attempts`: every attempt of one source record (same instance,
/// entity type and source id) across runs, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptsResponse {
    pub items: Vec<SyncLog>,
}

/// `GET /runs` answer, newest run first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunsResponse {
    pub items: Vec<RunSummary>,
}

/// `GET /runs`: one run (batch) and its outcome counts per status wire value. A run
/// recovered from timing (the records had no correlation id) has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub correlation_id: Option<String>,
    pub instance: String,
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub counts: std::collections::BTreeMap<String, u64>,
}

/// `POST /sync-logs/resync` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResyncRequest {
    pub ids: Vec<String>,
}

/// `POST /dead-letter/discard` body: the records and why they are given up on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscardRequest {
    pub ids: Vec<String>,
    pub reason: String,
}

/// The longest discard reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// `GET /sync-logs/{id}/events`: what operators did to a record, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsResponse {
    pub items: Vec<RecordEvent>,
}

/// One entry of a record's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEvent {
    pub at: DateTime<Utc>,
    /// `dead_lettered`, `replayed`, `discarded` or `restored`; other values are shown
    /// as sent.
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// Who asked: the host portal's `X-Sync-Logs-User`, `anonymous` without it, or
    /// `pipeline` for what the worker did.
    pub user: String,
}

/// `POST /sync-logs/resync` answer: one result per requested id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResyncResponse {
    pub results: Vec<ResyncResult>,
}

/// The outcome of resyncing one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResyncResult {
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub outcome: ResyncOutcome,
    #[serde(default)]
    pub message: Option<String>,
}

/// What became of one record of a resync, replay, discard or restore request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResyncOutcome {
    /// Accepted for another attempt (resync, replay).
    Queued,
    /// Taken out of the dead-letter queue as `discarded` (discard).
    Discarded,
    /// Put back in the dead-letter queue as it was before its discard (restore).
    Restored,
    Rejected,
    NotFound,
    /// An outcome this client does not know; treated as not queued.
    #[serde(other)]
    Unknown,
}

/// The body of every 4xx/5xx answer: `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

/// A machine-readable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    pub code: String,
    pub message: String,
}

/// Whether `id` can be one segment of a request path (`/sync-logs/{id}/attempts`) once
/// percent-encoded: `.` and `..` cannot, as a URL resolves them (`/sync-logs/../attempts`
/// is `/attempts`), encoded or not. Such an id is never put in a path.
pub fn path_safe_id(id: &str) -> bool {
    !matches!(id, "" | "." | "..")
}

impl ApiErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiErrorBody {
            error: ApiErrorDetail {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}

/// Accepts `"123"` or `123` for fields that are ids on one backend and numbers on another.
#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    String(String),
    Integer(i64),
    Unsigned(u64),
    Float(f64),
}

impl From<StringOrNumber> for String {
    fn from(value: StringOrNumber) -> String {
        match value {
            StringOrNumber::String(s) => s,
            StringOrNumber::Integer(n) => n.to_string(),
            StringOrNumber::Unsigned(n) => n.to_string(),
            StringOrNumber::Float(n) => n.to_string(),
        }
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    StringOrNumber::deserialize(deserializer).map(String::from)
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(Option::<StringOrNumber>::deserialize(deserializer)?.map(String::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A body reads as the browser would read it: what is valid UTF-8 unchanged (and
        /// not copied), each bad byte or cut-off sequence a U+FFFD, wherever it stands.
        #[test]
        fn a_body_reads_as_lossy_utf8(
            text in "\\PC{0,40}",
            stray in proptest::collection::vec((any::<prop::sample::Index>(), 0x80u8..=0xff), 0..3),
        ) {
            let mut body = text.clone().into_bytes();
            prop_assert!(matches!(body_text(&body), std::borrow::Cow::Borrowed(t) if t == text));
            for (at, byte) in stray {
                body.insert(at.index(body.len() + 1), byte);
            }
            prop_assert_eq!(body_text(&body), String::from_utf8_lossy(&body));
        }
    }

    const MINIMAL: &str = r#"{"id":"1","status":"ok","instance":"SAP B1 → Shopify",
        "entity_type":"item","source_id":"SKU-1","started_at":"2026-11-20T10:00:00Z"}"#;

    #[test]
    fn a_minimal_record_decodes_with_every_optional_field_none() {
        let log: SyncLog = serde_json::from_str(MINIMAL).unwrap();
        assert_eq!(log.id, "1");
        assert_eq!(log.status, Status::Ok);
        assert_eq!(log.instance, "SAP B1 → Shopify");
        assert_eq!(log.target_id, None);
        assert_eq!(log.operation, None);
        assert_eq!(log.details, None);
        assert_eq!(log.attempts, None);
        assert_eq!(log.finished_at, None);
    }

    #[test]
    fn nulls_unknown_fields_and_numeric_ids_are_tolerated() {
        let json = r#"{"id":42,"status":"Quarantined","instance":"i","entity_type":"order",
            "source_id":1001,"target_id":null,"operation":"UPSERT","started_at":"2026-11-20T10:00:00.250Z",
            "details":null,"attempts":2,"correlation_id":7,"shiny_new_field":{"a":[1]}}"#;
        let log: SyncLog = serde_json::from_str(json).unwrap();
        assert_eq!(log.id, "42");
        assert_eq!(log.source_id, "1001");
        assert_eq!(log.status, Status::Other("Quarantined".into()));
        assert_eq!(log.operation, Some(Operation::Other("UPSERT".into())));
        assert_eq!(log.correlation_id.as_deref(), Some("7"));
        assert_eq!(log.attempts, Some(2));
    }

    #[test]
    fn a_record_without_a_required_field_is_a_flagged_row() {
        let json = r#"{"id":"1","status":"ok","instance":"i","entity_type":"item"}"#;
        let log = serde_json::from_str::<SyncLog>(json).unwrap();
        let missing: Vec<&str> = log.flags.iter().map(|f| f.field).collect();
        assert_eq!(missing, ["source_id", "started_at"]);
        assert_eq!(log.source_id, "");
    }

    #[test]
    fn records_round_trip_through_json() {
        let mut log: SyncLog = serde_json::from_str(MINIMAL).unwrap();
        log.operation = Some(Operation::Update);
        log.details = Some("line 1\nline \"2\" <img src=x onerror=alert(1)>".into());
        let back: SyncLog = serde_json::from_str(&serde_json::to_string(&log).unwrap()).unwrap();
        assert_eq!(back, log);
    }

    #[test]
    fn operations_parse_case_insensitively() {
        assert_eq!(Operation::parse("Create"), Operation::Create);
        assert_eq!(Operation::parse(" DELETE"), Operation::Delete);
        assert_eq!(Operation::parse("merge").label(), "merge");
    }

    #[test]
    fn page_without_next_cursor_is_the_last_page() {
        let page: SyncLogPage = serde_json::from_str(r#"{"items":[]}"#).unwrap();
        assert_eq!(page.next_cursor, None);
    }

    #[test]
    fn unknown_resync_outcomes_do_not_fail_the_whole_answer() {
        let json = r#"{"results":[{"id":"1","outcome":"queued"},{"id":2,"outcome":"deferred","message":"later"}]}"#;
        let res: ResyncResponse = serde_json::from_str(json).unwrap();
        assert_eq!(res.results[0].outcome, ResyncOutcome::Queued);
        assert_eq!(res.results[1].outcome, ResyncOutcome::Unknown);
        assert_eq!(res.results[1].id, "2");
    }

    #[test]
    fn api_errors_have_code_and_message() {
        let body = ApiErrorBody::new("invalid_limit", "limit must be a whole number from 1");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(
            json,
            r#"{"error":{"code":"invalid_limit","message":"limit must be a whole number from 1"}}"#
        );
    }
}
