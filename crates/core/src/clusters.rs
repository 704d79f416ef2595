//! Error clusters: failed and partial rows grouped by what their message says once the
//! particulars are taken out, so "Product 'RED-MUG' not found (SKU 1042)" and "Product
//! 'BLUE-CAP' not found (SKU 77)" are one problem with a count.
//!
//! [`normalise`] replaces quoted values, URLs, UUIDs, timestamps, numbers and ids with
//! placeholders (no regex: one pass over the words). An HTTP status after "HTTP",
//! "status" and the like is kept, since 429 and 500 are different problems. Keys are
//! computed once per load ([`ClusterIndex`]); grouping the rows in view is then a count
//! per key, cheap enough for every keystroke.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::name::Name;
use crate::status::Tone;
use crate::triage::{classify, ErrorClass, STATUS_LEAD};
use crate::wire::SyncLog;

/// The longest cluster key kept; longer messages (HTML error pages) are cut, with "…".
const MAX_KEY_CHARS: usize = 240;

/// `message` with its particulars replaced by placeholders: `<value>` (quoted), `<url>`,
/// `<host>`, `<uuid>`, `<time>`, `<n>` (a number), `<id>` (letters and digits mixed, or
/// an upper-case code like `TEE-S-WHITE`).
///
/// Run once per failed row of a load, so it allocates only the key and one copy of the
/// message (with quoted values replaced); the words are slices of that copy.
pub fn normalise(message: &str) -> String {
    let unquoted = replace_quoted(message);
    let mut out = String::with_capacity(unquoted.len().min(MAX_KEY_CHARS + 8));
    // Whether the word before is one that makes a number after it an HTTP status.
    let mut after_status_lead = false;
    for word in words(&unquoted) {
        // Bytes bound chars from above: only a key this long in bytes can be at the cut.
        if out.len() >= MAX_KEY_CHARS && out.chars().count() >= MAX_KEY_CHARS {
            out.push('…');
            break;
        }
        // Words split off at brackets join back without a space (all ASCII: a last or
        // first byte is one of them only when the char is).
        let glued = matches!(out.as_bytes().last(), Some(b'(' | b'[' | b'{' | b'='))
            || matches!(word.as_bytes()[0], b')' | b']' | b'}' | b',' | b';' | b'=');
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        // Keep surrounding punctuation: "(SKU 1042)," → "(SKU <n>),".
        let ascii = word.is_ascii();
        let mut start = if ascii {
            word.bytes()
                .position(|b| b.is_ascii_alphanumeric() || b == b'<')
        } else {
            word.find(|c: char| c.is_alphanumeric() || c == '<')
        }
        .unwrap_or(word.len());
        // A sign belongs to its number: "-3" is "<n>", not "-<n>".
        if start > 0
            && matches!(word.as_bytes()[start - 1], b'-' | b'+')
            && word.as_bytes().get(start).is_some_and(u8::is_ascii_digit)
        {
            start -= 1;
        }
        let end = if ascii {
            word.bytes()
                .rposition(|b| b.is_ascii_alphanumeric() || b == b'>' || b == b'/')
                .map_or(start, |i| i + 1)
        } else {
            word.rfind(|c: char| c.is_alphanumeric() || c == '>' || c == '/')
                .map_or(start, |i| {
                    i + word[i..].chars().next().map_or(1, char::len_utf8)
                })
        };
        let (lead, core, tail) = if start < end {
            (&word[..start], &word[start..end], &word[end..])
        } else {
            (word, "", "")
        };
        out.push_str(lead);
        out.push_str(placeholder(core, after_status_lead).unwrap_or(core));
        out.push_str(tail);
        after_status_lead = is_status_lead(core);
    }
    out
}

/// The words of `text`: split at whitespace (and U+0001), and after brackets and list
/// punctuation, which stay at the end of the word before ("OITM(TEE-S-WHITE):" is
/// "OITM(", "TEE-S-WHITE)" and ":"). Empty words are skipped. ASCII is read a byte at a
/// time; only a byte outside it is decoded as a char (Unicode has more whitespace).
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            // The word's end, and where the next one starts.
            let (end, next) = loop {
                let Some(&b) = bytes.get(at) else {
                    break (at, at);
                };
                if b.is_ascii() {
                    if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | 1) {
                        break (at, at + 1);
                    }
                    at += 1;
                    if matches!(
                        b,
                        b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b';' | b'='
                    ) {
                        break (at, at);
                    }
                } else {
                    let c = text[at..].chars().next().unwrap_or(' ');
                    if c.is_whitespace() {
                        break (at, at + c.len_utf8());
                    }
                    at += c.len_utf8();
                }
            };
            at = next;
            if end > start {
                return Some(&text[start..end]);
            }
        }
        None
    })
}

/// "HTTP", "status" and the like, in any case.
fn is_status_lead(word: &str) -> bool {
    if word.is_ascii() {
        STATUS_LEAD
            .iter()
            .any(|lead| word.eq_ignore_ascii_case(lead))
    } else {
        // A few letters outside ASCII lower-case into it (the Kelvin sign into 'k').
        STATUS_LEAD.contains(&word.to_lowercase().as_str())
    }
}

/// What a word stands for, or `None` to keep it.
fn placeholder(word: &str, after_status_lead: bool) -> Option<&'static str> {
    if word.is_empty() || word.starts_with('<') && word.ends_with('>') {
        return None;
    }
    if word.contains("://") || word.starts_with("www.") {
        return Some("<url>");
    }
    if is_uuid(word) {
        return Some("<uuid>");
    }
    if is_time(word) {
        return Some("<time>");
    }
    if is_host(word) {
        return Some("<host>");
    }
    if is_code(word) {
        return Some("<id>");
    }
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let numeric = word
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'));
    if numeric {
        // "HTTP 429", "status 503", "os error 111": the number is the problem.
        let status_like = digits == word.len() && after_status_lead;
        return (!status_like).then_some("<n>");
    }
    Some("<id>")
}

/// `shop-1.myshopify.com`, `api.example.io`: a dotted name with a top-level domain.
fn is_host(word: &str) -> bool {
    let parts = word.split('.').count();
    let tld = word.rsplit('.').next().unwrap_or("");
    parts >= 2
        && word
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
        && (parts >= 3 || matches!(tld, "com" | "net" | "org" | "io" | "dev" | "app"))
        && tld.len() >= 2
        && tld.bytes().all(|c| c.is_ascii_lowercase())
}

/// `TEE-S-WHITE`, `SKU_RED_XL`: an upper-case code of several parts.
fn is_code(word: &str) -> bool {
    word.len() >= 3
        && word.contains(['-', '_'])
        && word.split(['-', '_']).filter(|p| !p.is_empty()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && word.chars().any(|c| c.is_ascii_uppercase())
}

fn is_uuid(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `2026-11-20`, `2026-11-20T10:00:05Z`, `10:00:05` and the like.
fn is_time(word: &str) -> bool {
    let b = word.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    let clock = b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit);
    date || clock
}

/// Replaces the inside of quoted values ('…', "…", `…`) by `<value>`. A quote counts only
/// at the start of a word, so apostrophes ("doesn't") are left alone. The text between
/// quoted values is copied a run at a time, and ASCII read a byte at a time.
fn replace_quoted(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    // `message[copied..]` is not yet in `out`.
    let mut copied = 0;
    let mut at = 0;
    let mut after_space = true;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() && !matches!(b, b'\'' | b'"' | b'`') {
            // The common case, without decoding a char.
            after_space = matches!(
                b,
                b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b'(' | b'[' | b'=' | b':' | b','
            );
            at += 1;
            continue;
        }
        let c = message[at..].chars().next().unwrap_or(' ');
        let quote = matches!(c, '\'' | '"' | '`' | '“' | '‘');
        if quote && after_space {
            let close = match c {
                '“' => '”',
                '‘' => '’',
                other => other,
            };
            let inner = at + c.len_utf8();
            if let Some(end) = message[inner..].find(close) {
                out.push_str(&message[copied..inner]);
                out.push_str("<value>");
                out.push(close);
                at = inner + end + close.len_utf8();
                copied = at;
                after_space = false;
                continue;
            }
        }
        after_space = c.is_whitespace() || matches!(c, '(' | '[' | '=' | ':' | ',');
        at += c.len_utf8();
    }
    out.push_str(&message[copied..]);
    out
}

/// The cluster key of every loaded row (failed and partial rows with a message), built
/// once per load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterIndex {
    /// Per row: the index of its key in `keys`, if it belongs to a cluster.
    of_row: Vec<Option<u32>>,
    keys: Vec<String>,
}

impl ClusterIndex {
    pub fn build(rows: &[SyncLog]) -> ClusterIndex {
        let mut builder = ClusterIndexBuilder::new(rows);
        builder.step(rows.len());
        builder.finish()
    }

    /// The cluster key of row `i`, if it has one.
    pub fn key_of(&self, i: usize) -> Option<&str> {
        let id = (*self.of_row.get(i)?)?;
        self.keys.get(id as usize).map(String::as_str)
    }
}

/// A [`ClusterIndex`] built a part at a time over rows it borrows (so the page can
/// paint between parts): [`step`] until it returns `true`, then [`finish`].
///
/// [`step`]: ClusterIndexBuilder::step
/// [`finish`]: ClusterIndexBuilder::finish
pub struct ClusterIndexBuilder<'a> {
    rows: &'a [SyncLog],
    ids: HashMap<String, u32>,
    /// Pipelines repeat the same message word for word: each distinct text is
    /// normalised once.
    seen: HashMap<&'a str, u32>,
    keys: Vec<String>,
    of_row: Vec<Option<u32>>,
}

impl<'a> ClusterIndexBuilder<'a> {
    pub fn new(rows: &'a [SyncLog]) -> ClusterIndexBuilder<'a> {
        ClusterIndexBuilder {
            rows,
            ids: HashMap::new(),
            seen: HashMap::new(),
            keys: Vec::new(),
            of_row: Vec::with_capacity(rows.len()),
        }
    }

    /// Indexes up to `n` more rows; `true` once every row is indexed.
    pub fn step(&mut self, n: usize) -> bool {
        let start = self.of_row.len();
        let end = start.saturating_add(n).min(self.rows.len());
        for row in &self.rows[start..end] {
            let id = self.key_id(row);
            self.of_row.push(id);
        }
        self.of_row.len() == self.rows.len()
    }

    fn key_id(&mut self, row: &'a SyncLog) -> Option<u32> {
        let message = row.details.as_deref().filter(|d| !d.trim().is_empty())?;
        if !matches!(row.status.tone(), Tone::Failed | Tone::Partial) {
            return None;
        }
        if let Some(&id) = self.seen.get(message) {
            return Some(id);
        }
        let key = normalise(message);
        let next = self.keys.len() as u32;
        let keys = &mut self.keys;
        let id = *self.ids.entry(key).or_insert_with_key(|key| {
            keys.push(key.clone());
            next
        });
        self.seen.insert(message, id);
        Some(id)
    }

    /// The index, with any rows not yet stepped over indexed now.
    pub fn finish(mut self) -> ClusterIndex {
        self.step(self.rows.len());
        ClusterIndex {
            of_row: self.of_row,
            keys: self.keys,
        }
    }
}

/// One error cluster among the rows in view.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub key: String,
    pub count: usize,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub instances: BTreeSet<Name>,
    pub entity_types: BTreeSet<Name>,
    pub class: ErrorClass,
    /// Index (into the loaded rows) of the newest row, whose message is the example.
    pub example: u32,
    /// Indexes of its rows, in the order given.
    pub rows: Vec<u32>,
}

/// The clusters among the rows at `indexes`, largest first (then newest).
pub fn clusters(rows: &[SyncLog], index: &ClusterIndex, indexes: &[u32]) -> Vec<Cluster> {
    // Per key id: its place in `out` (keys are few, ids dense: no hashing per row).
    let mut place = vec![u32::MAX; index.keys.len()];
    let mut out: Vec<Cluster> = Vec::new();
    // Per cluster: the instance and entity type its last row named, by address. Rows of
    // one run name the same interned names, so the sets are seldom looked into.
    let mut last_names: Vec<(*const u8, *const u8)> = Vec::new();
    for &i in indexes {
        let (Some(row), Some(Some(id))) = (rows.get(i as usize), index.of_row.get(i as usize))
        else {
            continue;
        };
        let Some(slot) = place.get_mut(*id as usize) else {
            continue;
        };
        if *slot == u32::MAX {
            *slot = out.len() as u32;
            out.push(Cluster {
                key: index.keys[*id as usize].clone(),
                count: 0,
                first_seen: row.started_at,
                last_seen: row.started_at,
                instances: BTreeSet::new(),
                entity_types: BTreeSet::new(),
                class: classify(row.details.as_deref().unwrap_or("")),
                example: i,
                rows: Vec::new(),
            });
            last_names.push((std::ptr::null(), std::ptr::null()));
        }
        let (cluster, last) = (&mut out[*slot as usize], &mut last_names[*slot as usize]);
        cluster.count += 1;
        cluster.first_seen = cluster.first_seen.min(row.started_at);
        if row.started_at > cluster.last_seen {
            cluster.last_seen = row.started_at;
            cluster.example = i;
        }
        let names = (row.instance.as_ptr(), row.entity_type.as_ptr());
        if names.0 != last.0 && !cluster.instances.contains(row.instance.as_str()) {
            cluster.instances.insert(row.instance.clone());
        }
        if names.1 != last.1 && !cluster.entity_types.contains(row.entity_type.as_str()) {
            cluster.entity_types.insert(row.entity_type.clone());
        }
        *last = names;
        cluster.rows.push(i);
    }
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
