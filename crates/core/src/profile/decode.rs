//! Decoding a page of a profiled backend in one pass, as the native decoder does: the
//! body is walked once, a record's mapped paths are followed key by key (nested objects
//! included) and everything else is skipped unread, with strings borrowed where they
//! have no escapes. The record rules are the native ones (`wire::decode`): what cannot
//! be used is flagged, never fatal; flags name the source path the profile reads.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{BackendProfile, JsonPath, NextUrlFrom, Paging, RecordsMap, TimeFormat, TotalFrom};
use crate::columns::Kind;
use crate::status::Status;
use crate::wire::{not_a_record, read, Conversions, Gathered, Num, Operation, Raw, SyncLog};
use crate::wire::{parse_time, REQUIRED_FIELDS, WIRE_FIELDS};

/// One page as a profiled backend sent it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProfilePage {
    pub items: Vec<SyncLog>,
    /// The next token or URL read from the body, when the paging style reads one.
    pub next: Option<String>,
    /// The number of matching records read from the body, when the profile says where.
    pub total: Option<u64>,
    pub diagnostics: Diagnostics,
}

/// How well the profile's paths matched: for each mapped field, how many items had a
/// value there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics {
    pub items: usize,
    /// Per mapped field (in `RecordsMap::fields` order), the items with a value.
    pub hits: Vec<usize>,
    /// Per extra column, the items with a value.
    pub extra_hits: Vec<usize>,
}

impl Diagnostics {
    /// Adds another page's counts.
    pub fn add(&mut self, other: &Diagnostics) {
        self.items += other.items;
        for (mine, theirs) in [
            (&mut self.hits, &other.hits),
            (&mut self.extra_hits, &other.extra_hits),
        ] {
            if mine.len() < theirs.len() {
                mine.resize(theirs.len(), 0);
            }
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m += t;
            }
        }
    }

    /// One sentence per required field or extra column that no item had, e.g. "0 of 100
    /// items had a value at `data.attributes.uuid` (the id)."; empty when all matched
    /// or nothing was received.
    pub fn messages(&self, records: &RecordsMap) -> Vec<String> {
        if self.items == 0 {
            return Vec::new();
        }
        let n = self.items;
        let mut out = Vec::new();
        for ((field, path), hits) in records.fields.iter().zip(&self.hits) {
            if *hits == 0 && REQUIRED_FIELDS.contains(field) {
                out.push(format!(
                    "0 of {n} items had a value at `{path}` (the {}); check \
                     backend.records.fields.{field} in config.json.",
                    field.replace('_', " ")
                ));
            }
        }
        for ((column, path), hits) in records.extras.iter().zip(&self.extra_hits) {
            if *hits == 0 {
                out.push(format!(
                    "0 of {n} items had a value at `{path}` (the {} column).",
                    column.label
                ));
            }
        }
        out
    }
}

/// Why a page could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// Not JSON, or cut short.
    NotJson(String),
    /// The body has no list where the profile says the records are.
    NoList {
        at: String,
        /// What is there instead, for the message.
        found: String,
    },
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::NotJson(detail) => write!(f, "the answer is not JSON ({detail})"),
            PageError::NoList { at, found } => write!(
                f,
                "the answer has no list of records at `{at}` ({found}); check \
                 backend.records.items in config.json"
            ),
        }
    }
}

/// Decodes one page of the list endpoint through `profile`.
pub fn decode_page(profile: &BackendProfile, body: &[u8]) -> Result<ProfilePage, PageError> {
    decode_records(profile, body, &profile.records.items, true)
}

/// Decodes records at `items` of `body` through the profile's record mapping; with
/// `paged`, the next token or URL and the total are read too.
pub fn decode_records(
    profile: &BackendProfile,
    body: &[u8],
    items: &JsonPath,
    paged: bool,
) -> Result<ProfilePage, PageError> {
    let records = &profile.records;
    let plan = Plan::new(records);
    let mut envelope = Node::default();
    if !items.is_root() {
        envelope.insert(&items.0, Slot::Items);
    }
    let next_path = match &profile.paging {
        Paging::Cursor { next, .. } => Some(next),
        Paging::NextUrl {
            next: NextUrlFrom::Body(next),
        } => Some(next),
        _ => None,
    };
    if let Some(path) = next_path.filter(|_| paged) {
        envelope.insert(&path.0, Slot::Next);
    }
    if let Some(TotalFrom::Body(path)) = profile.total.as_ref().filter(|_| paged) {
        envelope.insert(&path.0, Slot::Total);
    }
    let mut out = PageOut {
        page: ProfilePage {
            diagnostics: Diagnostics {
                hits: vec![0; records.fields.len()],
                extra_hits: vec![0; records.extras.len()],
                ..Diagnostics::default()
            },
            ..ProfilePage::default()
        },
        found_items: false,
        top_keys: Vec::new(),
        top_kind: "",
    };
    let text = crate::wire::body_text(body);
    let mut de = serde_json::Deserializer::from_str(&text);
    let seed = EnvelopeSeed {
        plan: &plan,
        node: &envelope,
        out: &mut out,
        root_items: items.is_root(),
        depth: 0,
    };
    seed.deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|err| PageError::NotJson(err.to_string()))?;
    if !out.found_items {
        let found = match (out.top_kind, out.top_keys.is_empty()) {
            ("an object", false) => format!("it is an object with {}", out.top_keys.join(", ")),
            (kind, _) => format!("it is {kind}"),
        };
        return Err(PageError::NoList {
            at: if items.is_root() {
                "the top level".to_owned()
            } else {
                items.to_string()
            },
            found,
        });
    }
    Ok(out.page)
}

/// Where a mapped value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The n-th of `RecordsMap::fields`.
    Field(usize),
    Extra(usize),
    Items,
    Next,
    Total,
}

/// A tree of the paths to follow: at each level, the keys that matter.
#[derive(Debug, Default)]
struct Node {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    key: Box<str>,
    /// Values read at this key.
    slots: Vec<Slot>,
    /// Paths that go deeper.
    child: Option<Node>,
}

impl Node {
    fn insert(&mut self, path: &[String], slot: Slot) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        let at = match self.entries.iter().position(|e| *e.key == **first) {
            Some(at) => at,
            None => {
                self.entries.push(Entry {
                    key: first.as_str().into(),
                    slots: Vec::new(),
                    child: None,
                });
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[at];
        if rest.is_empty() {
            entry.slots.push(slot);
        } else {
            entry
                .child
                .get_or_insert_with(Node::default)
                .insert(rest, slot);
        }
    }

    /// The entry of `key`. Length and first byte are compared before the text: most
    /// keys of a record are not followed, and are turned away without a `memcmp`.
    fn find(&self, key: &str) -> Option<&Entry> {
        let bytes = key.as_bytes();
        self.entries.iter().find(|e| {
            let own = e.key.as_bytes();
            own.len() == bytes.len() && own.first() == bytes.first() && own == bytes
        })
    }
}

/// How to read one record, prepared once per page.
struct Plan<'p> {
    records: &'p RecordsMap,
    tree: Node,
    /// For each mapped field, its position among `WIRE_FIELDS`.
    wire_slot: Vec<usize>,
    /// For flags: wire field → where it is read from.
    sources: Vec<(&'static str, Arc<str>)>,
}

impl<'p> Plan<'p> {
    fn new(records: &'p RecordsMap) -> Plan<'p> {
        let mut tree = Node::default();
        let mut wire_slot = Vec::new();
        let mut sources = Vec::new();
        for (n, (field, path)) in records.fields.iter().enumerate() {
            tree.insert(&path.0, Slot::Field(n));
            wire_slot.push(
                WIRE_FIELDS
                    .iter()
                    .position(|f| f == field)
                    .unwrap_or(usize::MAX),
            );
            sources.push((*field, Arc::from(path.to_string())));
        }
        for (n, (_, path)) in records.extras.iter().enumerate() {
            tree.insert(&path.0, Slot::Extra(n));
        }
        Plan {
            records,
            tree,
            wire_slot,
            sources,
        }
    }
}

/// The profile's readings of statuses, operations and times.
impl Conversions for RecordsMap {
    fn status(&self, raw: &str) -> Status {
        RecordsMap::status(self, raw)
    }
    fn operation(&self, raw: &str) -> Operation {
        RecordsMap::operation(self, raw)
    }
    fn numeric_times(&self) -> bool {
        self.times != TimeFormat::Rfc3339
    }
    fn time_from_number(&self, n: Num) -> Option<DateTime<Utc>> {
        epoch(n.as_f64(), self.times)
    }
    fn time_from_text(&self, text: &str) -> Option<DateTime<Utc>> {
        let text = text.trim();
        match self.times {
            TimeFormat::Rfc3339 => parse_time(text),
            // Epoch numbers sent as strings, and RFC 3339 as a courtesy.
            format => text
                .parse::<f64>()
                .ok()
                .and_then(|n| epoch(n, format))
                .or_else(|| parse_time(text)),
        }
    }
}

/// An epoch number in `format`; fractions are kept to the millisecond.
fn epoch(value: f64, format: TimeFormat) -> Option<DateTime<Utc>> {
    if !value.is_finite() {
        return None;
    }
    let millis = match format {
        TimeFormat::EpochSeconds => value * 1000.0,
        TimeFormat::EpochMillis => value,
        TimeFormat::Rfc3339 => return None,
    };
    if millis.abs() > 8.0e15 {
        return None;
    }
    DateTime::from_timestamp_millis(millis.round() as i64)
}

/// The values of one record, gathered while its object is walked: our fields straight
/// into the native decoder's slots, so a record costs no allocation of its own.
struct RecordOut<'a, 'de> {
    fields: Gathered<'de>,
    /// Position among `WIRE_FIELDS` of each mapped field.
    wire_slot: &'a [usize],
    /// Only allocated when the profile has extra columns.
    extras: Vec<Option<Raw<'de>>>,
}

impl<'de> RecordOut<'_, 'de> {
    fn store(&mut self, slots: &[Slot], raw: Raw<'de>) {
        match slots {
            [one] => self.put(*one, raw),
            many => {
                for slot in many {
                    self.put(*slot, raw.clone());
                }
            }
        }
    }

    fn put(&mut self, slot: Slot, raw: Raw<'de>) {
        let target = match slot {
            Slot::Field(n) => match self.wire_slot.get(n) {
                Some(&wire) => self.fields.slot(wire),
                None => None,
            },
            Slot::Extra(n) => self.extras.get_mut(n),
            _ => None,
        };
        if let Some(target) = target {
            *target = Some(raw);
        }
    }
}

/// Follows the keys of `node` through one object.
struct WalkSeed<'a, 'b, 'de> {
    node: &'a Node,
    out: &'a mut RecordOut<'b, 'de>,
}

impl<'de> DeserializeSeed<'de> for WalkSeed<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for WalkSeed<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let Some(entry) = self.node.find(&key.0) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match (&entry.slots[..], &entry.child) {
                (slots, None) => {
                    let raw = map.next_value::<Raw<'de>>()?;
                    self.out.store(slots, raw);
                }
                ([], Some(child)) => map.next_value_seed(WalkSeed {
                    node: child,
                    out: self.out,
                })?,
                // A path that is both a value and a parent of others: read it whole.
                (slots, Some(child)) => {
                    let value = map.next_value::<serde_json::Value>()?;
                    self.out.store(slots, Raw::Other(value.to_string()));
                    resolve(child, &value, self.out);
                }
            }
        }
        Ok(())
    }

    // A path through something that is not an object finds nothing.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// The values of `node`'s paths in a value already read whole.
fn resolve<'de>(node: &Node, value: &serde_json::Value, out: &mut RecordOut<'_, 'de>) {
    let Some(object) = value.as_object() else {
        return;
    };
    for entry in &node.entries {
        let Some(inner) = object.get(&*entry.key) else {
            continue;
        };
        if !entry.slots.is_empty() {
            let raw = match inner {
                serde_json::Value::String(s) => Raw::Text(Cow::Owned(s.clone())),
                serde_json::Value::Number(n) => Raw::Number(Num::from_json(n)),
                serde_json::Value::Null => Raw::Null,
                other => Raw::Other(other.to_string()),
            };
            out.store(&entry.slots, raw);
        }
        if let Some(child) = &entry.child {
            resolve(child, inner, out);
        }
    }
}

/// An object key, borrowed where it can be.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads one record through the plan.
struct RecordSeed<'a, 'p> {
    plan: &'a Plan<'p>,
    diagnostics: &'a mut Diagnostics,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = SyncLog;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<SyncLog, D::Error> {
        let plan = self.plan;
        let mut out = RecordOut {
            fields: Gathered::default(),
            wire_slot: &plan.wire_slot,
            extras: if plan.records.extras.is_empty() {
                Vec::new()
            } else {
                vec![None; plan.records.extras.len()]
            },
        };
        let value = d.deserialize_any(RecordVisitor {
            node: &plan.tree,
            out: &mut out,
        })?;
        if let Some(not_an_object) = value {
            return Ok(not_a_record(&not_an_object));
        }
        self.diagnostics.items += 1;
        let present = |raw: &Option<Raw<'_>>| !matches!(raw, None | Some(Raw::Null));
        let mut gathered = out.fields;
        for (hits, wire) in self.diagnostics.hits.iter_mut().zip(&plan.wire_slot) {
            if gathered.slot(*wire).is_some_and(|raw| present(raw)) {
                *hits += 1;
            }
        }
        for (hits, raw) in self.diagnostics.extra_hits.iter_mut().zip(&out.extras) {
            *hits += usize::from(present(raw));
        }
        let mut log = read(gathered, plan.records);
        if !log.flags.is_empty() {
            log.flags.set_sources(|field| {
                plan.sources
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, path)| path.clone())
            });
        }
        if !out.extras.is_empty() {
            log.extras = out
                .extras
                .into_iter()
                .zip(&plan.records.extras)
                .map(|(raw, (column, _))| extra_text(raw, column.kind, plan.records.times))
                .collect();
        }
        Ok(log)
    }
}

/// An extra value as the text a column holds: strings as sent, numbers as digits (epoch
/// times as RFC 3339), anything else as its JSON text.
fn extra_text(raw: Option<Raw<'_>>, kind: Kind, times: TimeFormat) -> Option<String> {
    match raw? {
        Raw::Null => None,
        Raw::Text(text) => Some(text.into_owned()),
        Raw::Number(n) => match kind {
            Kind::Time => Some(
                epoch(n.as_f64(), times)
                    .map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
                    .unwrap_or_else(|| n.text()),
            ),
            _ => Some(n.text()),
        },
        Raw::Other(json) => Some(json),
    }
}

/// Walks a record object; anything else comes back as its JSON text.
struct RecordVisitor<'a, 'b, 'de> {
    node: &'a Node,
    out: &'a mut RecordOut<'b, 'de>,
}

impl<'de> Visitor<'de> for RecordVisitor<'_, '_, 'de> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
        WalkSeed {
            node: self.node,
            out: self.out,
        }
        .visit_map(map)?;
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<String>, A::Error> {
        let value = <serde_json::Value as de::Deserialize>::deserialize(
            de::value::SeqAccessDeserializer::new(seq),
        )?;
        Ok(Some(value.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
        Ok(Some(serde_json::Value::from(v).to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<String>, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(Some("null".to_owned()))
    }
}

/// What the envelope walk found.
struct PageOut {
    page: ProfilePage,
    found_items: bool,
    /// The first keys of the top-level object, for a "no list here" message.
    top_keys: Vec<String>,
    top_kind: &'static str,
}

/// Walks the answer to the records list and the next/total values.
struct EnvelopeSeed<'a, 'p> {
    plan: &'a Plan<'p>,
    node: &'a Node,
    out: &'a mut PageOut,
    /// The body itself is the list.
    root_items: bool,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON answer")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if !self.root_items {
            if self.depth == 0 {
                self.out.top_kind = "a list";
            }
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        self.out.found_items = true;
        let page = &mut self.out.page;
        if let Some(size) = seq.size_hint() {
            page.items.reserve(size);
        }
        while let Some(log) = seq.next_element_seed(RecordSeed {
            plan: self.plan,
            diagnostics: &mut page.diagnostics,
        })? {
            page.items.push(log);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth == 0 {
            self.out.top_kind = "an object";
        }
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if self.depth == 0 && self.out.top_keys.len() < 8 {
                self.out.top_keys.push(format!("`{}`", key.0));
            }
            let Some(entry) = (!self.root_items).then(|| self.node.find(&key.0)).flatten() else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            match entry.slots.first() {
                Some(Slot::Items) => map.next_value_seed(EnvelopeSeed {
                    plan: self.plan,
                    node: self.node,
                    out: self.out,
                    root_items: true,
                    depth: self.depth + 1,
                })?,
                Some(slot @ (Slot::Next | Slot::Total)) => {
                    let raw = map.next_value::<Raw<'de>>()?;
                    let text = match raw {
                        Raw::Text(t) => Some(t.into_owned()),
                        Raw::Number(n) => Some(n.text()),
                        _ => None,
                    };
                    if *slot == Slot::Next {
                        self.out.page.next = text.filter(|t| !t.is_empty());
                    } else {
                        self.out.page.total = text
                            .and_then(|t| t.trim().parse::<f64>().ok())
                            .filter(|n| *n >= 0.0 && n.is_finite())
                            .map(|n| n as u64);
                    }
                }
                _ => match &entry.child {
                    Some(child) => map.next_value_seed(EnvelopeSeed {
                        plan: self.plan,
                        node: child,
                        out: self.out,
                        root_items: false,
                        depth: self.depth + 1,
                    })?,
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar("true or false")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar("a number")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar("a string")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar("null")
    }
}

impl EnvelopeSeed<'_, '_> {
    fn scalar<E>(self, kind: &'static str) -> Result<(), E> {
        if self.depth == 0 || self.root_items {
            self.out.top_kind = kind;
        }
        Ok(())
    }
}
