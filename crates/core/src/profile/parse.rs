//! Reading the `backend` object of `config.json`, key by key. Every warning names the
//! key as a dotted path from `backend` and the form it expects.

use serde_json::{Map, Value};

use super::*;
use crate::columns::MAX_EXTRA_COLUMNS;
use crate::wire::{REQUIRED_FIELDS, WIRE_FIELDS};

/// Collects warnings, each naming its key under `backend`.
struct Warn<'w>(&'w mut Vec<String>);

impl Warn<'_> {
    fn bad(&mut self, key: &str, expected: &str, fallback: &str) {
        self.0.push(format!(
            "config.json: backend.{key} must be {expected}; {fallback}."
        ));
    }
}

/// A string at `key` of `object`; `None` when absent, null or (with a warning) not text.
fn string<'v>(
    object: &'v Map<String, Value>,
    key: &str,
    at: &str,
    warn: &mut Warn<'_>,
) -> Option<&'v str> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            warn.bad(&format!("{at}{key}"), "a string", "ignored");
            None
        }
    }
}

fn path(object: &Map<String, Value>, key: &str, at: &str, warn: &mut Warn<'_>) -> Option<JsonPath> {
    let text = string(object, key, at, warn)?;
    let parsed = JsonPath::parse(text);
    if parsed.is_none() {
        warn.bad(
            &format!("{at}{key}"),
            "a dotted path such as \"data.items\"",
            "ignored",
        );
    }
    parsed
}

/// An API path under `api_base_url`: starts with `/`, no scheme, no `..`.
fn api_path(text: &str) -> bool {
    text.starts_with('/') && !text.starts_with("//") && !text.contains("..") && !text.contains(' ')
}

fn sub<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).filter(|v| !v.is_null())
}

fn time_format(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
    warn: &mut Warn<'_>,
) -> TimeFormat {
    match string(object, key, at, warn) {
        None => TimeFormat::Rfc3339,
        Some(text) => TimeFormat::parse(text).unwrap_or_else(|| {
            warn.bad(
                &format!("{at}{key}"),
                "\"rfc3339\", \"epoch_seconds\" or \"epoch_millis\"",
                "reading RFC 3339",
            );
            TimeFormat::Rfc3339
        }),
    }
}

/// A `{"word": "ours"}` vocabulary; entries whose value is not ours are skipped.
fn vocabulary<T>(
    object: &Map<String, Value>,
    key: &str,
    at: &str,
    warn: &mut Warn<'_>,
    read: impl Fn(&str) -> Option<T>,
    expected: &str,
) -> Vec<(String, T)> {
    let mut out = Vec::new();
    match sub(object, key) {
        None => {}
        Some(Value::Object(map)) => {
            for (word, ours) in map {
                match ours.as_str().and_then(&read) {
                    Some(value) => out.push((word.trim().to_owned(), value)),
                    None => warn.bad(&format!("{at}{key}.{word}"), expected, "ignored"),
                }
            }
        }
        Some(_) => warn.bad(
            &format!("{at}{key}"),
            "an object of the backend's words, e.g. {\"DONE\": \"ok\"}",
            "ignored",
        ),
    }
    out
}

pub(super) fn profile(value: &Value, warnings: &mut Vec<String>) -> Option<BackendProfile> {
    let mut warn = Warn(warnings);
    let Some(root) = object(value) else {
        warn.0.push(
            "config.json: backend must be an object (see docs/backends.md); using the \
             native contract."
                .into(),
        );
        return None;
    };
    match root.get("version") {
        None => {}
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => {
            warn.0.push(format!(
                "config.json: backend.version is {v}, but this build reads version {VERSION}; \
                 using the native contract."
            ));
            return None;
        }
    }
    let records = records(root, &mut warn)?;
    let query = query(root, &mut warn);
    let paging = paging(root, &mut warn);
    let total = match sub(root, "total") {
        None => None,
        Some(Value::Object(t)) => match (
            string(t, "header", "total.", &mut warn),
            path(t, "path", "total.", &mut warn),
        ) {
            (Some(header), _) if !header.trim().is_empty() => {
                Some(TotalFrom::Header(header.trim().to_owned()))
            }
            (_, Some(p)) if !p.is_root() => Some(TotalFrom::Body(p)),
            _ => {
                warn.bad(
                    "total",
                    "{\"header\": \"X-Total-Count\"} or {\"path\": \"meta.total\"}",
                    "no total is read",
                );
                None
            }
        },
        Some(_) => {
            warn.bad(
                "total",
                "{\"header\": \"X-Total-Count\"} or {\"path\": \"meta.total\"}",
                "no total is read",
            );
            None
        }
    };
    let credentials = match string(root, "credentials", "", &mut warn) {
        None => Credentials::Include,
        Some("include") => Credentials::Include,
        Some("same-origin") => Credentials::SameOrigin,
        Some("omit") => Credentials::Omit,
        Some(_) => {
            warn.bad(
                "credentials",
                "\"include\", \"same-origin\" or \"omit\"",
                "using \"include\"",
            );
            Credentials::Include
        }
    };
    let headers = headers(root, &mut warn);
    let instances = instances(root, &mut warn);
    let resync = resync(root, &mut warn);
    let dead_letter = dead_letter(root, &mut warn);
    let attempts = match sub(root, "attempts") {
        None => None,
        Some(Value::Object(a)) => match string(a, "path", "attempts.", &mut warn) {
            Some(p) if api_path(p) && p.contains("{id}") => Some(AttemptsEndpoint {
                path: p.to_owned(),
                items: path(a, "items", "attempts.", &mut warn).unwrap_or_default(),
            }),
            _ => {
                warn.bad(
                    "attempts.path",
                    "a path with {id}, such as \"/records/{id}/attempts\"",
                    "history is built from the loaded rows",
                );
                None
            }
        },
        Some(_) => {
            warn.bad(
                "attempts",
                "an object or null",
                "history is built from the loaded rows",
            );
            None
        }
    };
    let runs = match root.get("runs") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            warn.bad("runs", "true or false", "runs are grouped in the browser");
            false
        }
    };
    Some(BackendProfile {
        records,
        query,
        paging,
        total,
        credentials,
        headers,
        instances,
        resync,
        dead_letter,
        attempts,
        runs,
    })
}

fn records(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Option<RecordsMap> {
    let Some(Value::Object(r)) = sub(root, "records") else {
        warn.bad(
            "records",
            "an object with at least \"path\"",
            "using the native contract",
        );
        return None;
    };
    let list_path = match string(r, "path", "records.", warn) {
        Some(p) if api_path(p) => p.to_owned(),
        _ => {
            warn.bad(
                "records.path",
                "a path under api_base_url such as \"/logs\"",
                "using the native contract",
            );
            return None;
        }
    };
    let items = path(r, "items", "records.", warn).unwrap_or_default();
    let mut fields: Vec<(&'static str, JsonPath)> = WIRE_FIELDS
        .iter()
        .map(|f| (*f, JsonPath(vec![(*f).to_owned()])))
        .collect();
    match sub(r, "fields") {
        None => {}
        Some(Value::Object(map)) => {
            for (key, value) in map {
                let Some(slot) = fields.iter().position(|(f, _)| f == key) else {
                    warn.bad(
                        &format!("records.fields.{key}"),
                        &format!("one of our fields ({})", WIRE_FIELDS.join(", ")),
                        "ignored",
                    );
                    continue;
                };
                match value {
                    // This backend has no such field.
                    Value::Null if !REQUIRED_FIELDS.contains(&key.as_str()) => {
                        fields.remove(slot);
                    }
                    Value::String(text) => match JsonPath::parse(text) {
                        Some(p) if !p.is_root() => fields[slot].1 = p,
                        _ => warn.bad(
                            &format!("records.fields.{key}"),
                            "a dotted path such as \"source.ref\"",
                            &format!("reading \"{key}\""),
                        ),
                    },
                    _ => warn.bad(
                        &format!("records.fields.{key}"),
                        "a dotted path such as \"source.ref\" (null only for optional fields)",
                        &format!("reading \"{key}\""),
                    ),
                }
            }
        }
        Some(_) => warn.bad(
            "records.fields",
            "an object such as {\"id\": \"uuid\"}",
            "reading our field names",
        ),
    }
    let times = time_format(r, "times", "records.", warn);
    let statuses = vocabulary(
        r,
        "statuses",
        "records.",
        warn,
        |s| {
            let status = Status::parse(s);
            (!status.is_unknown()).then_some(status)
        },
        "one of our statuses (ok, failed, pending, …: docs/api.md)",
    );
    let operations = vocabulary(
        r,
        "operations",
        "records.",
        warn,
        |s| match Operation::parse(s) {
            Operation::Other(_) => None,
            op => Some(op),
        },
        "\"create\", \"update\" or \"delete\"",
    );
    let extras = extra_columns(r, warn);
    Some(RecordsMap {
        path: list_path,
        items,
        fields,
        times,
        statuses,
        operations,
        extras,
    })
}

fn extra_columns(r: &Map<String, Value>, warn: &mut Warn<'_>) -> Vec<(ExtraColumn, JsonPath)> {
    let mut out: Vec<(ExtraColumn, JsonPath)> = Vec::new();
    let Some(value) = sub(r, "extra_columns") else {
        return out;
    };
    let Some(list) = value.as_array() else {
        warn.bad(
            "records.extra_columns",
            "a list of {\"key\", \"label\", \"path\", \"kind\"}",
            "ignored",
        );
        return out;
    };
    for (n, item) in list.iter().enumerate() {
        let at = format!("records.extra_columns[{n}].");
        let Some(item) = item.as_object() else {
            warn.bad(
                &at[..at.len() - 1],
                "an object {\"key\", \"label\", \"path\", \"kind\"}",
                "ignored",
            );
            continue;
        };
        let key = string(item, "key", &at, warn).unwrap_or_default();
        let key_ok = !key.is_empty()
            && key.len() <= 40
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !is_reserved_key(key)
            && !out.iter().any(|(c, _)| c.key == key);
        if !key_ok {
            warn.bad(
                &format!("{at}key"),
                "a new name of letters, digits and _ (not a built-in column's)",
                "column ignored",
            );
            continue;
        }
        let Some(source) = path(item, "path", &at, warn).filter(|p| !p.is_root()) else {
            warn.bad(
                &format!("{at}path"),
                "a dotted path such as \"meta.warehouse\"",
                "column ignored",
            );
            continue;
        };
        let label = string(item, "label", &at, warn)
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(key);
        let kind = match string(item, "kind", &at, warn) {
            None => Kind::Text,
            Some(k) => kind_of(k).unwrap_or_else(|| {
                warn.bad(
                    &format!("{at}kind"),
                    "\"text\", \"id\", \"number\" or \"time\"",
                    "shown as text",
                );
                Kind::Text
            }),
        };
        // A status-kind extra would draw a badge it has no status for.
        let kind = if kind == Kind::Status {
            Kind::Text
        } else {
            kind
        };
        let default_filter = match kind {
            Kind::Text | Kind::Id => FilterKind::Contains,
            _ => FilterKind::None,
        };
        let filter = match string(item, "filter", &at, warn) {
            None => default_filter,
            Some(f) => filter_of(f).unwrap_or_else(|| {
                warn.bad(
                    &format!("{at}filter"),
                    "\"list\", \"contains\" or \"none\"",
                    "using the kind's default",
                );
                default_filter
            }),
        };
        if out.len() == MAX_EXTRA_COLUMNS {
            warn.bad(
                "records.extra_columns",
                &format!("at most {MAX_EXTRA_COLUMNS} columns"),
                "the rest are ignored",
            );
            break;
        }
        out.push((
            ExtraColumn {
                key: key.to_owned(),
                label: label.to_owned(),
                kind,
                filter,
            },
            source,
        ));
    }
    out
}

fn query(root: &Map<String, Value>, warn: &mut Warn<'_>) -> QueryMap {
    let mut map = QueryMap {
        max_page_size: crate::query::MAX_PAGE_SIZE,
        ..QueryMap::default()
    };
    let Some(value) = sub(root, "query") else {
        return map;
    };
    let Some(q) = value.as_object() else {
        warn.bad("query", "an object", "no filter is sent to the backend");
        return map;
    };
    match sub(q, "params") {
        None => {}
        Some(Value::Object(params)) => {
            for (filter, name) in params {
                let Some(known) = QUERY_FILTERS.iter().find(|f| **f == filter.as_str()) else {
                    warn.bad(
                        &format!("query.params.{filter}"),
                        &format!("one of {}", QUERY_FILTERS.join(", ")),
                        "ignored",
                    );
                    continue;
                };
                match name.as_str().map(str::trim) {
                    Some(n) if !n.is_empty() => {
                        map.params.insert(known, n.to_owned());
                    }
                    _ => warn.bad(
                        &format!("query.params.{filter}"),
                        "a parameter name such as \"reference__contains\"",
                        "filtered in the browser only",
                    ),
                }
            }
        }
        Some(_) => warn.bad(
            "query.params",
            "an object such as {\"source_id\": \"ref_like\"}",
            "no filter is sent to the backend",
        ),
    }
    map.lists = match string(q, "lists", "query.", warn) {
        None | Some("repeat") => ListStyle::Repeat,
        Some("comma") => ListStyle::Comma,
        Some(_) => {
            warn.bad("query.lists", "\"repeat\" or \"comma\"", "repeating");
            ListStyle::Repeat
        }
    };
    map.times = time_format(q, "times", "query.", warn);
    match sub(q, "constants") {
        None => {}
        Some(Value::Object(c)) => {
            for (k, v) in c {
                match v {
                    Value::String(s) => map.constants.push((k.clone(), s.clone())),
                    Value::Number(n) => map.constants.push((k.clone(), n.to_string())),
                    Value::Bool(b) => map.constants.push((k.clone(), b.to_string())),
                    _ => warn.bad(
                        &format!("query.constants.{k}"),
                        "a string or number",
                        "ignored",
                    ),
                }
            }
        }
        Some(_) => warn.bad(
            "query.constants",
            "an object such as {\"_sort\": \"startedAt\"}",
            "ignored",
        ),
    }
    map.page_size_param = string(q, "page_size_param", "query.", warn)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned);
    match q.get("max_page_size") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_u64() {
            Some(n) if (1..=u64::from(crate::query::MAX_PAGE_SIZE)).contains(&n) => {
                map.max_page_size = n as u32
            }
            _ => warn.bad(
                "query.max_page_size",
                &format!("a whole number from 1 to {}", crate::query::MAX_PAGE_SIZE),
                "using the page_size setting",
            ),
        },
    }
    map
}

const PAGING_FORMS: &str =
    "{\"style\": \"cursor\" | \"next_url\" | \"offset\" | \"page\" | \"none\", …} \
     (docs/backends.md)";

fn paging(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Paging {
    let fallback = "only the first page is read";
    let Some(value) = sub(root, "paging") else {
        return Paging::None;
    };
    let Some(p) = value.as_object() else {
        warn.bad("paging", PAGING_FORMS, fallback);
        return Paging::None;
    };
    let param = |p: &Map<String, Value>, warn: &mut Warn<'_>, default: &str| {
        string(p, "param", "paging.", warn)
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(default)
            .to_owned()
    };
    match string(p, "style", "paging.", warn) {
        Some("none") => Paging::None,
        Some("cursor") => match path(p, "next", "paging.", warn).filter(|n| !n.is_root()) {
            Some(next) => Paging::Cursor {
                next,
                param: param(p, warn, "cursor"),
            },
            None => {
                warn.bad(
                    "paging.next",
                    "the body path of the next token, such as \"meta.next_cursor\"",
                    fallback,
                );
                Paging::None
            }
        },
        Some("next_url") => {
            if p.get("link_header") == Some(&Value::Bool(true)) {
                Paging::NextUrl {
                    next: NextUrlFrom::LinkHeader,
                }
            } else {
                match path(p, "next", "paging.", warn).filter(|n| !n.is_root()) {
                    Some(next) => Paging::NextUrl {
                        next: NextUrlFrom::Body(next),
                    },
                    None => {
                        warn.bad(
                            "paging.next",
                            "the body path of the next URL, such as \"links.next\", or \
                             \"link_header\": true",
                            fallback,
                        );
                        Paging::None
                    }
                }
            }
        }
        Some("offset") => Paging::Offset {
            param: param(p, warn, "offset"),
        },
        Some("page") => Paging::Page {
            param: param(p, warn, "page"),
            first: p.get("first").and_then(Value::as_u64).unwrap_or(1),
        },
        _ => {
            warn.bad("paging.style", PAGING_FORMS, fallback);
            Paging::None
        }
    }
}

/// Header names that carry credentials: those come from the portal, never from a file
/// every visitor can read.
fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["authorization", "cookie", "proxy-authorization"].contains(&lower.as_str())
        || ["token", "secret", "key", "password", "auth"]
            .iter()
            .any(|word| lower.contains(word))
}

fn headers(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match sub(root, "headers") {
        None => {}
        Some(Value::Object(h)) => {
            for (name, value) in h {
                let valid_name = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if is_secret_header(name) {
                    warn.0.push(format!(
                        "config.json: backend.headers.{name} looks like a credential; \
                         config.json is public, so it is not sent. The portal hands the \
                         token over (docs/embedding.md)."
                    ));
                    continue;
                }
                match value.as_str() {
                    Some(v) if valid_name && !v.contains(['\r', '\n']) => {
                        out.push((name.clone(), v.to_owned()))
                    }
                    _ => warn.bad(
                        &format!("headers.{name}"),
                        "a header name with a string value",
                        "not sent",
                    ),
                }
            }
        }
        Some(_) => warn.bad(
            "headers",
            "an object such as {\"X-Tenant\": \"acme\"}",
            "none sent",
        ),
    }
    out
}

fn instances(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Option<InstancesEndpoint> {
    let fallback = "the instance filter offers those seen in loaded rows";
    let value = sub(root, "instances")?;
    let Some(i) = value.as_object() else {
        warn.bad("instances", "an object or null", fallback);
        return None;
    };
    match string(i, "path", "instances.", warn) {
        Some(p) if api_path(p) => Some(InstancesEndpoint {
            path: p.to_owned(),
            items: path(i, "items", "instances.", warn).unwrap_or_default(),
            name: path(i, "name", "instances.", warn).unwrap_or_default(),
            entity_types: path(i, "entity_types", "instances.", warn).filter(|p| !p.is_root()),
        }),
        _ => {
            warn.bad(
                "instances.path",
                "a path under api_base_url such as \"/jobs\"",
                fallback,
            );
            None
        }
    }
}

fn resync(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Option<ResyncEndpoint> {
    action(sub(root, "resync")?, "resync", "resync is off", &[], warn)
}

/// `dead_letter`: the queue's list (records shaped as `records`) and its actions.
fn dead_letter(root: &Map<String, Value>, warn: &mut Warn<'_>) -> Option<DeadLetterMap> {
    let fallback = "the Dead letter tab is hidden";
    let value = sub(root, "dead_letter")?;
    let Some(d) = value.as_object() else {
        warn.bad("dead_letter", "an object or null", fallback);
        return None;
    };
    let Some(p) = string(d, "path", "dead_letter.", warn).filter(|p| api_path(p)) else {
        warn.bad(
            "dead_letter.path",
            "a path under api_base_url such as \"/dead-letters\"",
            fallback,
        );
        return None;
    };
    let mut endpoint = |key: &str, extra: &[&str], off: &str| {
        let value = sub(d, key)?;
        action(value, &format!("dead_letter.{key}"), off, extra, warn)
    };
    Some(DeadLetterMap {
        path: p.to_owned(),
        replay: endpoint("replay", &[], "replay is off"),
        discard: endpoint("discard", &["{reason}"], "discard is off"),
        restore: endpoint("restore", &[], "Undo of a discard is off"),
    })
}

/// An action endpoint (resync, replay, discard, restore) at `at`: its method, path, body
/// template (with `"{ids}"`, and each of `extra`) and batching.
fn action(
    value: &Value,
    at: &str,
    fallback: &str,
    extra: &[&str],
    warn: &mut Warn<'_>,
) -> Option<ResyncEndpoint> {
    let Some(r) = value.as_object() else {
        warn.bad(at, "an object or null", fallback);
        return None;
    };
    let prefix = format!("{at}.");
    let Some(p) = string(r, "path", &prefix, warn).filter(|p| api_path(p)) else {
        warn.bad(
            &format!("{at}.path"),
            "a path under api_base_url such as \"/replay\"",
            fallback,
        );
        return None;
    };
    let method = match string(r, "method", &prefix, warn) {
        None => "POST".to_owned(),
        Some(m) if ["POST", "PUT", "PATCH"].contains(&m.to_ascii_uppercase().as_str()) => {
            m.to_ascii_uppercase()
        }
        Some(_) => {
            warn.bad(
                &format!("{at}.method"),
                "\"POST\", \"PUT\" or \"PATCH\"",
                fallback,
            );
            return None;
        }
    };
    let body = sub(r, "body").cloned().unwrap_or_else(|| {
        let mut body = serde_json::json!({ "ids": "{ids}" });
        for placeholder in extra {
            let key = placeholder.trim_matches(|c| c == '{' || c == '}');
            body[key] = Value::from(*placeholder);
        }
        body
    });
    for placeholder in std::iter::once(&"{ids}").chain(extra) {
        if !mentions(&body, placeholder) {
            warn.bad(
                &format!("{at}.body"),
                &format!("a JSON template with the string \"{placeholder}\" where it goes"),
                fallback,
            );
            return None;
        }
    }
    let batch_size = match r.get("batch_size") {
        None | Some(Value::Null) => 100,
        Some(v) => match v.as_u64() {
            Some(n) if (1..=1000).contains(&n) => n as usize,
            _ => {
                warn.bad(
                    &format!("{at}.batch_size"),
                    "a whole number from 1 to 1000",
                    "using 100",
                );
                100
            }
        },
    };
    let flag = |key: &str, warn: &mut Warn<'_>, default: bool| match r.get(key) {
        None | Some(Value::Null) => default,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            warn.bad(&format!("{at}.{key}"), "true or false", "using the default");
            default
        }
    };
    Some(ResyncEndpoint {
        method,
        path: p.to_owned(),
        body,
        batch_size,
        idempotency_key: flag("idempotency_key", warn, false),
        results: flag("results", warn, false),
    })
}

/// Whether a body template has the string `placeholder` somewhere.
fn mentions(value: &Value, placeholder: &str) -> bool {
    match value {
        Value::String(s) => s == placeholder,
        Value::Array(items) => items.iter().any(|v| mentions(v, placeholder)),
        Value::Object(map) => map.values().any(|v| mentions(v, placeholder)),
        _ => false,
    }
}
