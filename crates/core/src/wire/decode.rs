//! Decoding one record without trusting it. The backend is someone else's, so a record
//! with a field of the wrong type, a missing field or an unreadable time is still a row:
//! what can be read is read, what cannot is replaced by an empty value, and the row
//! carries [`RowFlags`] naming each such field with the raw value as it arrived. Only
//! broken JSON (a truncated or non-JSON body) fails the whole answer.
//!
//! One pass over the input, with strings borrowed where they have no escapes, so a
//! well-formed record costs what a derived decoder would. The rules per field are listed
//! in `docs/api.md` ("What the app tolerates").

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Operation, SyncLog};
use crate::name::Name;
use crate::status::Status;

/// The longest raw value a flag keeps, in characters.
const MAX_RAW: usize = 200;

/// Why a field of a record could not be used as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Absent or null where the API requires a value.
    Missing,
    /// A value of the wrong JSON type (an object where text belongs, text where a
    /// number belongs); shown as its JSON text where the field is text.
    WrongType,
    /// The right type, but not a valid value (a time that is not RFC 3339).
    Invalid,
}

/// One field of one record that could not be used as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The wire name of the field, e.g. `started_at`.
    pub field: &'static str,
    /// Where a backend profile reads the field from (`data.attributes.uuid`); `None` on
    /// the native contract.
    pub source: Option<std::sync::Arc<str>>,
    pub problem: Problem,
    /// The value as received (JSON text for non-strings), at most 200 characters;
    /// empty when the field was missing.
    pub raw: String,
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        if let Some(source) = &self.source {
            write!(f, " (from `{source}`)")?;
        }
        match self.problem {
            Problem::Missing => write!(f, " is missing"),
            Problem::WrongType => write!(f, " has the wrong type: {}", self.raw),
            Problem::Invalid => write!(f, " is not valid: {}", self.raw),
        }
    }
}

/// The fields of a record that could not be used as sent; empty (and one word of memory)
/// for a clean record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowFlags(Option<Box<[Flag]>>);

impl RowFlags {
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Flag> {
        self.0.iter().flat_map(|flags| flags.iter())
    }

    /// The flag of one field, if it has one.
    pub fn get(&self, field: &str) -> Option<&Flag> {
        self.iter().find(|flag| flag.field == field)
    }

    /// Records a problem with `field`, keeping at most [`MAX_RAW`] characters of `raw`.
    pub fn push(&mut self, field: &'static str, problem: Problem, raw: &str) {
        let mut kept: String = raw.chars().take(MAX_RAW).collect();
        if kept.len() < raw.len() {
            kept.push('…');
        }
        // Rebuilt on each push: flags are rare and few, and a boxed slice keeps a clean
        // record's cost at one word.
        let mut flags = self.0.take().map(Vec::from).unwrap_or_default();
        flags.push(Flag {
            field,
            source: None,
            problem,
            raw: kept,
        });
        self.0 = Some(flags.into_boxed_slice());
    }

    /// Names where a backend profile reads each flagged field from.
    pub fn set_sources(&mut self, source_of: impl Fn(&str) -> Option<std::sync::Arc<str>>) {
        if let Some(flags) = self.0.as_mut() {
            for flag in flags.iter_mut() {
                flag.source = source_of(flag.field);
            }
        }
    }

    /// One sentence listing every problem, for a tooltip or a screen reader.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self.iter().map(Flag::to_string).collect();
        parts.join("; ")
    }
}

/// A JSON number as it arrived, kept unformatted: most are read as numbers (counts,
/// epoch times), and only ids need their digits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl Num {
    /// The number as text, as serde_json writes it.
    pub(crate) fn text(self) -> String {
        match self {
            Num::Int(n) => n.to_string(),
            Num::Uint(n) => n.to_string(),
            Num::Float(n) => n.to_string(),
        }
    }

    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::Int(n) => n as f64,
            Num::Uint(n) => n as f64,
            Num::Float(n) => n,
        }
    }

    /// A whole number from 0 to `u32::MAX`.
    fn as_u32(self) -> Option<u32> {
        match self {
            Num::Int(n) => u32::try_from(n).ok(),
            Num::Uint(n) => u32::try_from(n).ok(),
            Num::Float(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                Some(n as u32)
            }
            Num::Float(_) => None,
        }
    }

    pub(crate) fn from_json(n: &serde_json::Number) -> Num {
        match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Num::Uint(u),
            (_, Some(i)) => Num::Int(i),
            _ => Num::Float(n.as_f64().unwrap_or(f64::NAN)),
        }
    }
}

/// A field's value before the field's own rules apply.
#[derive(Clone)]
pub(crate) enum Raw<'de> {
    Text(Cow<'de, str>),
    /// A JSON number.
    Number(Num),
    Null,
    /// A boolean, array or object, as JSON text.
    Other(String),
}

impl Raw<'_> {
    /// The value as text, as far as text goes: strings as they are, anything else as JSON.
    pub(crate) fn json_text(&self) -> Cow<'_, str> {
        match self {
            Raw::Text(text) => Cow::Borrowed(text),
            Raw::Number(n) => Cow::Owned(n.text()),
            Raw::Other(n) => Cow::Borrowed(n),
            Raw::Null => Cow::Borrowed("null"),
        }
    }
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

pub(crate) struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Text(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(Num::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(Num::Uint(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::Number(Num::Float(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Other(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Raw<'de>, A::Error> {
        let value = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Raw::Other(value.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw<'de>, A::Error> {
        let value = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Raw::Other(value.to_string()))
    }
}

#[derive(serde::Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Id,
    Status,
    Instance,
    EntityType,
    SourceSystem,
    TargetSystem,
    SourceId,
    TargetId,
    Operation,
    StartedAt,
    FinishedAt,
    Details,
    Attempts,
    CorrelationId,
    EndpointId,
    LatestSyncInfo,
    DeadLetteredAt,
    DeadLetterReason,
    #[serde(other)]
    Unknown,
}

/// The raw fields of one record, gathered in any order.
#[derive(Default)]
pub(crate) struct Gathered<'de> {
    id: Option<Raw<'de>>,
    status: Option<Raw<'de>>,
    instance: Option<Raw<'de>>,
    entity_type: Option<Raw<'de>>,
    source_system: Option<Raw<'de>>,
    target_system: Option<Raw<'de>>,
    source_id: Option<Raw<'de>>,
    target_id: Option<Raw<'de>>,
    operation: Option<Raw<'de>>,
    started_at: Option<Raw<'de>>,
    finished_at: Option<Raw<'de>>,
    details: Option<Raw<'de>>,
    attempts: Option<Raw<'de>>,
    correlation_id: Option<Raw<'de>>,
    endpoint_id: Option<Raw<'de>>,
    latest_sync_info: Option<Raw<'de>>,
    dead_lettered_at: Option<Raw<'de>>,
    dead_letter_reason: Option<Raw<'de>>,
}

/// The wire fields of a record, in [`Gathered::slot`] order.
pub const WIRE_FIELDS: [&str; 18] = [
    "id",
    "status",
    "instance",
    "entity_type",
    "source_system",
    "target_system",
    "source_id",
    "target_id",
    "operation",
    "started_at",
    "finished_at",
    "details",
    "attempts",
    "correlation_id",
    "endpoint_id",
    "latest_sync_info",
    "dead_lettered_at",
    "dead_letter_reason",
];

/// The wire fields a record must have; one missing is flagged.
pub const REQUIRED_FIELDS: [&str; 6] = [
    "id",
    "status",
    "instance",
    "entity_type",
    "source_id",
    "started_at",
];

impl<'de> Gathered<'de> {
    /// The slot of the n-th of [`WIRE_FIELDS`].
    pub(crate) fn slot(&mut self, n: usize) -> Option<&mut Option<Raw<'de>>> {
        Some(match n {
            0 => &mut self.id,
            1 => &mut self.status,
            2 => &mut self.instance,
            3 => &mut self.entity_type,
            4 => &mut self.source_system,
            5 => &mut self.target_system,
            6 => &mut self.source_id,
            7 => &mut self.target_id,
            8 => &mut self.operation,
            9 => &mut self.started_at,
            10 => &mut self.finished_at,
            11 => &mut self.details,
            12 => &mut self.attempts,
            13 => &mut self.correlation_id,
            14 => &mut self.endpoint_id,
            15 => &mut self.latest_sync_info,
            16 => &mut self.dead_lettered_at,
            17 => &mut self.dead_letter_reason,
            _ => return None,
        })
    }
}

/// How a backend's values are turned into ours: the native contract's rules, or a
/// profile's vocabularies and time format.
pub(crate) trait Conversions {
    /// The status for a word the backend sent.
    fn status(&self, raw: &str) -> Status {
        Status::parse(raw)
    }
    /// The operation for a word the backend sent.
    fn operation(&self, raw: &str) -> Operation {
        Operation::parse(raw)
    }
    /// Whether times arrive as numbers (epoch seconds or milliseconds).
    fn numeric_times(&self) -> bool {
        false
    }
    /// A time sent as a JSON number, when [`Conversions::numeric_times`].
    fn time_from_number(&self, _n: Num) -> Option<DateTime<Utc>> {
        None
    }
    /// A time sent as text.
    fn time_from_text(&self, text: &str) -> Option<DateTime<Utc>> {
        super::parse_time(text.trim())
    }
}

/// The native contract: RFC 3339 times, our status and operation words.
pub(crate) struct Native;

impl Conversions for Native {}

/// Applies the rules of each field, flagging what it cannot use.
struct Reader {
    flags: RowFlags,
}

impl Reader {
    /// Text fields: strings as sent, numbers as their digits (ids are numbers on some
    /// backends); anything else kept as its JSON text and flagged.
    fn text(
        &mut self,
        field: &'static str,
        raw: Option<Raw<'_>>,
        required: bool,
    ) -> Option<String> {
        match raw {
            Some(Raw::Text(text)) => Some(text.into_owned()),
            Some(Raw::Number(n)) => Some(n.text()),
            Some(Raw::Other(json)) => {
                self.flags.push(field, Problem::WrongType, &json);
                Some(json)
            }
            None | Some(Raw::Null) => {
                if required {
                    self.flags.push(field, Problem::Missing, "");
                }
                None
            }
        }
    }

    fn name(&mut self, field: &'static str, raw: Option<Raw<'_>>, required: bool) -> Option<Name> {
        match raw {
            Some(Raw::Text(text)) => Some(Name::intern(&text)),
            other => self
                .text(field, other, required)
                .map(|text| Name::intern(&text)),
        }
    }

    /// Times: RFC 3339 strings (or what the conversions accept); anything else is
    /// flagged with its raw value.
    fn time(
        &mut self,
        field: &'static str,
        raw: Option<Raw<'_>>,
        required: bool,
        conv: &dyn Conversions,
    ) -> Option<DateTime<Utc>> {
        match raw {
            Some(Raw::Text(text)) => match conv.time_from_text(&text) {
                Some(at) => Some(at),
                None => {
                    self.flags.push(field, Problem::Invalid, &text);
                    None
                }
            },
            Some(Raw::Number(n)) if conv.numeric_times() => match conv.time_from_number(n) {
                Some(at) => Some(at),
                None => {
                    self.flags.push(field, Problem::Invalid, &n.text());
                    None
                }
            },
            None | Some(Raw::Null) => {
                if required {
                    self.flags.push(field, Problem::Missing, "");
                }
                None
            }
            Some(other) => {
                self.flags
                    .push(field, Problem::WrongType, &other.json_text());
                None
            }
        }
    }
}

impl<'de> Deserialize<'de> for SyncLog {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = SyncLog;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sync record object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SyncLog, A::Error> {
        let mut g = Gathered::default();
        while let Some(field) = map.next_key::<Field>()? {
            let slot = match field {
                Field::Id => &mut g.id,
                Field::Status => &mut g.status,
                Field::Instance => &mut g.instance,
                Field::EntityType => &mut g.entity_type,
                Field::SourceSystem => &mut g.source_system,
                Field::TargetSystem => &mut g.target_system,
                Field::SourceId => &mut g.source_id,
                Field::TargetId => &mut g.target_id,
                Field::Operation => &mut g.operation,
                Field::StartedAt => &mut g.started_at,
                Field::FinishedAt => &mut g.finished_at,
                Field::Details => &mut g.details,
                Field::Attempts => &mut g.attempts,
                Field::CorrelationId => &mut g.correlation_id,
                Field::EndpointId => &mut g.endpoint_id,
                Field::LatestSyncInfo => &mut g.latest_sync_info,
                Field::DeadLetteredAt => &mut g.dead_lettered_at,
                Field::DeadLetterReason => &mut g.dead_letter_reason,
                Field::Unknown => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value::<Raw<'de>>()?);
        }
        Ok(read(g, &Native))
    }

    // Anything but an object in place of a record: a row of its own, every field empty,
    // so the operator sees that the backend sent it.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<SyncLog, A::Error> {
        let raw = RawVisitor.visit_seq(seq)?;
        Ok(not_a_record(&raw.json_text()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<SyncLog, E> {
        Ok(not_a_record(&serde_json::Value::from(v).to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SyncLog, E> {
        Ok(not_a_record(&v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SyncLog, E> {
        Ok(not_a_record(&v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<SyncLog, E> {
        Ok(not_a_record(&v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<SyncLog, E> {
        Ok(not_a_record(&v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<SyncLog, E> {
        Ok(not_a_record("null"))
    }
}

pub(crate) fn not_a_record(raw: &str) -> SyncLog {
    let mut log = read(Gathered::default(), &Native);
    log.flags = RowFlags::default();
    log.flags.push("record", Problem::WrongType, raw);
    log
}

/// Builds the record from its raw fields, field by field.
pub(crate) fn read(g: Gathered<'_>, conv: &dyn Conversions) -> SyncLog {
    let mut r = Reader {
        flags: RowFlags::default(),
    };
    let id = r.text("id", g.id, true).unwrap_or_default();
    if !super::path_safe_id(&id) && !id.is_empty() {
        // Kept, so the row still shows and can be selected; flagged, as it cannot name
        // the record in a request path (its history is built from the loaded rows).
        r.flags.push("id", Problem::Invalid, &id);
    }
    let status = match g.status {
        Some(Raw::Text(text)) => conv.status(&text),
        // A number or other value is not a status we know: shown raw, like any unknown.
        Some(Raw::Number(n)) => conv.status(&n.text()),
        other => Status::Other(r.text("status", other, true).unwrap_or_default()),
    };
    let instance = r.name("instance", g.instance, true).unwrap_or_default();
    let entity_type = r
        .name("entity_type", g.entity_type, true)
        .unwrap_or_default();
    let source_system = r.name("source_system", g.source_system, false);
    let target_system = r.name("target_system", g.target_system, false);
    let source_id = r.text("source_id", g.source_id, true).unwrap_or_default();
    let target_id = r.text("target_id", g.target_id, false);
    let operation = match g.operation {
        Some(Raw::Text(text)) => Some(conv.operation(&text)),
        other => r.text("operation", other, false).map(Operation::Other),
    };
    // A record without a readable start still shows; it sorts as the oldest, outside
    // every range, and its cell shows the raw value.
    let started_at = r
        .time("started_at", g.started_at, true, conv)
        .unwrap_or(DateTime::UNIX_EPOCH);
    let finished_at = r.time("finished_at", g.finished_at, false, conv);
    let details = r.text("details", g.details, false);
    let attempts = match g.attempts {
        None | Some(Raw::Null) => None,
        Some(raw) => {
            let parsed = match &raw {
                Raw::Number(n) => n.as_u32(),
                Raw::Text(text) => text.trim().parse::<u32>().ok(),
                Raw::Null | Raw::Other(_) => None,
            };
            if parsed.is_none() {
                let problem = match raw {
                    Raw::Number(_) | Raw::Text(_) => Problem::Invalid,
                    Raw::Null | Raw::Other(_) => Problem::WrongType,
                };
                r.flags.push("attempts", problem, &raw.json_text());
            }
            parsed
        }
    };
    let correlation_id = r.text("correlation_id", g.correlation_id, false);
    let endpoint_id = r.text("endpoint_id", g.endpoint_id, false);
    let latest_sync_info = r.text("latest_sync_info", g.latest_sync_info, false);
    let dead_lettered_at = r.time("dead_lettered_at", g.dead_lettered_at, false, conv);
    let dead_letter_reason = r.text("dead_letter_reason", g.dead_letter_reason, false);
    SyncLog {
        id,
        status,
        instance,
        entity_type,
        source_system,
        target_system,
        source_id,
        target_id,
        operation,
        started_at,
        finished_at,
        details,
        attempts,
        correlation_id,
        endpoint_id,
        latest_sync_info,
        dead_lettered_at,
        dead_letter_reason,
        flags: r.flags,
        extras: Box::default(),
    }
}

/// Drops every record whose id was already seen (keeping the first, which on a
/// newest-first page is the latest), and returns how many were dropped. Records without
/// an id are all kept.
pub fn drop_duplicate_ids(rows: &mut Vec<SyncLog>) -> usize {
    let keep = DuplicateIds::new(rows).finish();
    keep.apply(rows)
}

/// [`drop_duplicate_ids`] a slice of records at a time, so a million records need not
/// be looked at in one go: [`step`](Self::step) until it says none are left, then
/// [`finish`](Self::finish) and [`Keep::apply`].
pub struct DuplicateIds<'a> {
    rows: &'a [SyncLog],
    seen: std::collections::HashSet<&'a str, rustc_hash::FxSeededState>,
    keep: Vec<bool>,
}

impl<'a> DuplicateIds<'a> {
    pub fn new(rows: &'a [SyncLog]) -> DuplicateIds<'a> {
        let seen = std::collections::HashSet::with_capacity_and_hasher(
            rows.len(),
            crate::hash::key_state(),
        );
        DuplicateIds {
            rows,
            seen,
            keep: Vec::with_capacity(rows.len()),
        }
    }

    /// Looks at up to `n` more records; returns whether any are left.
    pub fn step(&mut self, n: usize) -> bool {
        let at = self.keep.len();
        let end = self.rows.len().min(at.saturating_add(n));
        for row in &self.rows[at..end] {
            self.keep
                .push(row.id.is_empty() || self.seen.insert(row.id.as_str()));
        }
        end < self.rows.len()
    }

    /// Which records to keep, the ones not looked at yet looked at now.
    pub fn finish(mut self) -> Keep {
        self.step(usize::MAX);
        Keep(self.keep)
    }
}

/// Which records of a list to keep, from [`DuplicateIds`].
pub struct Keep(Vec<bool>);

impl Keep {
    /// Drops the records not kept from `rows` (the list it was found for); returns how
    /// many were dropped.
    pub fn apply(self, rows: &mut Vec<SyncLog>) -> usize {
        let dropped = self.0.iter().filter(|kept| !**kept).count();
        if dropped > 0 {
            let mut index = 0;
            rows.retain(|_| {
                index += 1;
                self.0.get(index - 1).copied().unwrap_or(true)
            });
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode(json: &str) -> SyncLog {
        serde_json::from_str(json).expect("a record never fails on its content")
    }

    fn flagged(log: &SyncLog) -> Vec<(&'static str, Problem, &str)> {
        log.flags
            .iter()
            .map(|f| (f.field, f.problem, f.raw.as_str()))
            .collect()
    }

    #[test]
    fn a_clean_record_has_no_flags() {
        let log = decode(
            r#"{"id":"7","status":"failed","instance":"i","entity_type":"order","source_id":"S",
            "started_at":"2026-11-20T10:00:00Z","finished_at":null,"attempts":"3"}"#,
        );
        assert!(log.flags.is_empty(), "{:?}", log.flags);
        assert_eq!(log.attempts, Some(3));
    }

    #[test]
    fn wrong_types_keep_their_json_text_and_are_flagged() {
        let log = decode(
            r#"{"id":{"n":1},"status":true,"instance":["a"],"entity_type":5,"source_id":"S",
            "started_at":1700000000,"details":{"code":"E1","text":"<b>x</b>"},"attempts":"many",
            "operation":42}"#,
        );
        assert_eq!(log.id, r#"{"n":1}"#);
        assert_eq!(log.instance, r#"["a"]"#);
        assert_eq!(log.entity_type, "5");
        assert_eq!(log.status, Status::Other("true".into()));
        assert_eq!(log.operation, Some(Operation::Other("42".into())));
        assert_eq!(
            log.details.as_deref(),
            Some(r#"{"code":"E1","text":"<b>x</b>"}"#)
        );
        assert_eq!(log.attempts, None);
        assert_eq!(log.started_at, DateTime::UNIX_EPOCH);
        assert_eq!(
            flagged(&log),
            [
                ("id", Problem::WrongType, r#"{"n":1}"#),
                ("status", Problem::WrongType, "true"),
                ("instance", Problem::WrongType, r#"["a"]"#),
                ("started_at", Problem::WrongType, "1700000000"),
                (
                    "details",
                    Problem::WrongType,
                    r#"{"code":"E1","text":"<b>x</b>"}"#
                ),
                ("attempts", Problem::Invalid, "many"),
            ]
        );
    }

    #[test]
    fn an_invalid_time_keeps_its_raw_text() {
        let log = decode(
            r#"{"id":"1","status":"ok","instance":"i","entity_type":"e","source_id":"s",
            "started_at":"yesterday at noon","finished_at":"2026-13-45T99:00:00Z"}"#,
        );
        assert_eq!(log.finished_at, None);
        assert_eq!(
            flagged(&log),
            [
                ("started_at", Problem::Invalid, "yesterday at noon"),
                ("finished_at", Problem::Invalid, "2026-13-45T99:00:00Z"),
            ]
        );
        assert_eq!(
            log.flags.summary(),
            "started_at is not valid: yesterday at noon; finished_at is not valid: 2026-13-45T99:00:00Z"
        );
    }

    #[test]
    fn something_that_is_not_an_object_is_a_row_saying_so() {
        let page: super::super::SyncLogPage =
            serde_json::from_str(r#"{"items":["oops",null,[1,2],{"id":"1"}]}"#).unwrap();
        assert_eq!(page.items.len(), 4);
        assert_eq!(
            flagged(&page.items[0]),
            [("record", Problem::WrongType, "\"oops\"")]
        );
        assert_eq!(
            flagged(&page.items[1]),
            [("record", Problem::WrongType, "null")]
        );
        assert_eq!(
            flagged(&page.items[2]),
            [("record", Problem::WrongType, "[1,2]")]
        );
        assert_eq!(page.items[3].id, "1");
        assert!(page.items[3].flags.get("status").is_some());
    }

    #[test]
    fn broken_json_still_fails_the_answer() {
        for body in [r#"{"items":[{"id":"1","sta"#, "<html>502</html>", ""] {
            assert!(serde_json::from_str::<super::super::SyncLogPage>(body).is_err());
        }
    }

    #[test]
    fn raw_values_kept_in_flags_are_bounded() {
        let giant = "x".repeat(100_000);
        let log = decode(&format!(r#"{{"started_at":"{giant}"}}"#));
        let flag = log.flags.get("started_at").unwrap();
        assert_eq!(flag.raw.chars().count(), MAX_RAW + 1);
    }

    proptest! {
        /// Looked at a slice at a time, any list keeps what one go keeps: the first
        /// record of each id, and every record without one.
        #[test]
        fn duplicates_found_in_slices_are_those_found_in_one_go(
            ids in prop::collection::vec(prop_oneof![Just(String::new()), "[a-d]{1,2}"], 0..60),
            step in 1..20_usize,
        ) {
            let rows: Vec<SyncLog> = ids
                .iter()
                .enumerate()
                .map(|(n, id)| decode(&format!(r#"{{"id":"{id}","details":"{n}"}}"#)))
                .collect();
            let mut in_slices = rows.clone();
            let mut finder = DuplicateIds::new(&rows);
            let mut steps = 0;
            while finder.step(step) {
                steps += 1;
            }
            prop_assert_eq!(steps, rows.len().saturating_sub(1) / step);
            let keep = finder.finish();
            let dropped = keep.apply(&mut in_slices);
            let mut seen = std::collections::HashSet::new();
            let expected: Vec<&SyncLog> =
                rows.iter().filter(|r| r.id.is_empty() || seen.insert(r.id.clone())).collect();
            prop_assert_eq!(dropped, rows.len() - expected.len());
            prop_assert_eq!(in_slices.iter().collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn duplicate_ids_keep_the_first_record() {
        let mut rows: Vec<SyncLog> = ["1", "2", "1", "", "", "3", "2"]
            .iter()
            .enumerate()
            .map(|(n, id)| decode(&format!(r#"{{"id":"{id}","details":"{n}"}}"#)))
            .collect();
        assert_eq!(drop_duplicate_ids(&mut rows), 2);
        let kept: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.id.as_str(), r.details.as_deref().unwrap()))
            .collect();
        assert_eq!(
            kept,
            [("1", "0"), ("2", "1"), ("", "3"), ("", "4"), ("3", "5")]
        );
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(serde_json::Value::from),
            ".{0,40}".prop_map(serde_json::Value::from),
            Just(serde_json::Value::from("2026-11-20T10:00:00Z")),
        ];
        leaf.prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
                prop::collection::btree_map("[a-z_]{1,12}", inner, 0..3)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever each field holds, the record decodes, and every field that is not
        /// what the API promises is named in the flags.
        #[test]
        fn any_record_decodes(values in prop::collection::vec(prop::option::of(any_json()), 16)) {
            let object: serde_json::Map<String, serde_json::Value> = WIRE_FIELDS
                .iter()
                .zip(values)
                .filter_map(|(field, value)| value.map(|v| ((*field).to_owned(), v)))
                .collect();
            let json = serde_json::Value::Object(object.clone()).to_string();
            let log: SyncLog = serde_json::from_str(&json).unwrap();
            let round = serde_json::to_string(&log).unwrap();
            prop_assert!(serde_json::from_str::<SyncLog>(&round).is_ok());
            for required in ["id", "instance", "entity_type", "source_id", "started_at"] {
                let usable = match object.get(required) {
                    Some(serde_json::Value::String(s)) => {
                        required != "started_at" || s.parse::<DateTime<Utc>>().is_ok()
                    }
                    Some(serde_json::Value::Number(_)) => required != "started_at",
                    _ => false,
                };
                prop_assert_eq!(usable, log.flags.get(required).is_none(), "{}", required);
            }
        }
    }
}
