//! The `postMessage` protocol between Sync Logs in an iframe and the portal around it
//! (`docs/embedding.md`). Messages are JSON objects with a `type` starting `sync-logs:`.
//! What arrives is untrusted: a message is used only when its sender's origin is listed
//! in `allowed_parent_origins` and its shape is exactly right; anything else is ignored.

use serde_json::Value;
use thiserror::Error;

/// The largest message accepted, as JSON text.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// A message from the host portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Show this view: a query string in the app's URL format
    /// (`instance=SAP%20B1&tone=failed`). It replaces the whole view.
    SetView { query: String },
    /// A bearer token for API requests, kept in memory only; `None` forgets it.
    Token { token: Option<String> },
    /// CSS custom properties (`--sl-…`) to set on the page.
    Theme { vars: Vec<(String, String)> },
}

/// A message to the host portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppMessage {
    /// The app is listening.
    Ready,
    /// The page's height in CSS pixels, whenever it changes.
    Height { px: u32 },
    /// The selection changed: how many records, and their ids (at most
    /// [`MAX_SELECTION_IDS`]; `all_matching` says when every matching row is selected).
    Selection {
        count: usize,
        ids: Vec<String>,
        all_matching: bool,
    },
    /// An API request was refused with 401: please send a fresh token.
    TokenRequest,
    /// The view changed (the same query string as `SetView` takes).
    View { query: String },
}

/// At most this many ids travel in a selection message.
pub const MAX_SELECTION_IDS: usize = 5_000;

/// Why a message was ignored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MessageError {
    #[error("not a Sync Logs message")]
    NotOurs,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("{0}")]
    Malformed(&'static str),
}

/// Whether `origin` (as the browser reports it, e.g. `https://portal.example.com`) is one
/// of `allowed`. Exact match only, scheme and port included; `"null"` (sandboxed or file
/// pages) and `"*"` never match.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    origin != "null"
        && origin != "*"
        && !origin.is_empty()
        && allowed.iter().any(|a| a.trim_end_matches('/') == origin)
}

/// The `embed` parameter of the page's address: `Some(true)` for `embed=1` or
/// `embed=true`, `Some(false)` for `embed=0` or `embed=false`, `None` when it is absent
/// or has another value. When present it overrides `embedded` in `config.json`, and the
/// app keeps it in every address it writes, so a reload stays as it was opened.
pub fn embed_flag(query: &str) -> Option<bool> {
    // The last one wins, as it would for any repeated single-valued parameter.
    crate::query::decode_pairs(query)
        .into_iter()
        .rev()
        .filter(|(key, _)| key == "embed")
        .find_map(|(_, value)| match value.as_str() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        })
}

/// `query` (a view's query string, without `?`) with the `embed` flag the page was opened
/// with, if any, so writing the view does not change whether the app is embedded.
pub fn with_embed_flag(query: &str, flag: Option<bool>) -> String {
    let Some(on) = flag else {
        return query.to_owned();
    };
    let pair = if on { "embed=1" } else { "embed=0" };
    if query.is_empty() {
        pair.to_owned()
    } else {
        format!("{query}&{pair}")
    }
}

impl HostMessage {
    /// Reads a message's data.
    pub fn parse(data: &Value) -> Result<HostMessage, MessageError> {
        let object = data.as_object().ok_or(MessageError::NotOurs)?;
        let kind = object
            .get("type")
            .and_then(Value::as_str)
            .and_then(|t| t.strip_prefix("sync-logs:"))
            .ok_or(MessageError::NotOurs)?;
        match kind {
            "set-view" => {
                let query = object
                    .get("query")
                    .and_then(Value::as_str)
                    .ok_or(MessageError::Malformed("set-view needs a string `query`"))?;
                if query.len() > 8 * 1024 {
                    return Err(MessageError::Malformed("the query is too long"));
                }
                Ok(HostMessage::SetView {
                    query: query.trim_start_matches('?').to_owned(),
                })
            }
            "token" => match object.get("token") {
                Some(Value::Null) => Ok(HostMessage::Token { token: None }),
                Some(Value::String(token))
                    if !token.is_empty()
                        && token.len() <= 8 * 1024
                        && token.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(HostMessage::Token {
                        token: Some(token.clone()),
                    })
                }
                _ => Err(MessageError::Malformed(
                    "token needs `token`: printable ASCII without spaces, or null",
                )),
            },
            "theme" => {
                let vars = object
                    .get("vars")
                    .and_then(Value::as_object)
                    .ok_or(MessageError::Malformed("theme needs an object `vars`"))?;
                let mut out = Vec::new();
                for (name, value) in vars {
                    let value = value
                        .as_str()
                        .ok_or(MessageError::Malformed("theme values must be strings"))?;
                    if !theme_name_ok(name) || !theme_value_ok(value) {
                        return Err(MessageError::Malformed(
                            "theme names are --sl-… and values plain colours or lengths",
                        ));
                    }
                    out.push((name.clone(), value.to_owned()));
                }
                Ok(HostMessage::Theme { vars: out })
            }
            other => Err(MessageError::UnknownType(other.to_owned())),
        }
    }
}

/// `--sl-` and then lowercase letters, digits and dashes.
fn theme_name_ok(name: &str) -> bool {
    name.strip_prefix("--sl-").is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 40
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// Colours (`#123abc`, `rgb(1 2 3 / 50%)`), lengths and font names: no `url(`, no
/// semicolons, braces, quotes or backslashes, at most 200 characters.
fn theme_value_ok(value: &str) -> bool {
    value.len() <= 200
        && !value.to_ascii_lowercase().contains("url(")
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%/-+_".contains(c))
}

impl AppMessage {
    /// The JSON the host receives.
    pub fn to_json(&self) -> Value {
        match self {
            AppMessage::Ready => serde_json::json!({"type": "sync-logs:ready"}),
            AppMessage::Height { px } => {
                serde_json::json!({"type": "sync-logs:height", "height": px})
            }
            AppMessage::Selection {
                count,
                ids,
                all_matching,
            } => serde_json::json!({
                "type": "sync-logs:selection",
                "count": count,
                "ids": ids.iter().take(MAX_SELECTION_IDS).collect::<Vec<_>>(),
                "all_matching": all_matching,
            }),
            AppMessage::TokenRequest => serde_json::json!({"type": "sync-logs:token-request"}),
            AppMessage::View { query } => {
                serde_json::json!({"type": "sync-logs:view", "query": query})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_embed_flag_is_read_once_and_written_back_as_read() {
        assert_eq!(embed_flag(""), None);
        assert_eq!(embed_flag("?embed=1"), Some(true));
        assert_eq!(embed_flag("tone=failed&embed=true"), Some(true));
        assert_eq!(embed_flag("?embed=0&q=x"), Some(false));
        assert_eq!(embed_flag("embed=false"), Some(false));
        assert_eq!(embed_flag("embed=maybe"), None);
        assert_eq!(embed_flag("embedded=1&xembed=1"), None);
        assert_eq!(embed_flag("embed=1&embed=0"), Some(false));
        // Percent-encoded keys and values are decoded first.
        assert_eq!(embed_flag("%65mbed=%31"), Some(true));

        assert_eq!(with_embed_flag("tone=failed", None), "tone=failed");
        assert_eq!(with_embed_flag("", Some(true)), "embed=1");
        assert_eq!(
            with_embed_flag("tone=failed", Some(false)),
            "tone=failed&embed=0"
        );
        // What is written reads back as the same flag.
        for flag in [None, Some(true), Some(false)] {
            assert_eq!(embed_flag(&with_embed_flag("q=embed%3D1", flag)), flag);
        }
    }

    #[test]
    fn only_listed_origins_are_heard() {
        let allowed = vec![
            "https://portal.example.com".to_owned(),
            "http://127.0.0.1:4000/".to_owned(),
        ];
        assert!(origin_allowed("https://portal.example.com", &allowed));
        assert!(origin_allowed("http://127.0.0.1:4000", &allowed));
        for other in [
            "https://portal.example.com:8443",
            "http://portal.example.com",
            "https://evil.example.com",
            "http://127.0.0.1:4001",
            "null",
            "*",
            "",
        ] {
            assert!(!origin_allowed(other, &allowed), "{other}");
        }
        assert!(!origin_allowed("https://portal.example.com", &[]));
    }

    #[test]
    fn well_formed_messages_are_read() {
        assert_eq!(
            HostMessage::parse(
                &json!({"type": "sync-logs:set-view", "query": "?instance=a&tone=failed"})
            ),
            Ok(HostMessage::SetView {
                query: "instance=a&tone=failed".into()
            })
        );
        assert_eq!(
            HostMessage::parse(&json!({"type": "sync-logs:token", "token": "eyJ.abc-_"})),
            Ok(HostMessage::Token {
                token: Some("eyJ.abc-_".into())
            })
        );
        assert_eq!(
            HostMessage::parse(&json!({"type": "sync-logs:token", "token": null})),
            Ok(HostMessage::Token { token: None })
        );
        assert_eq!(
            HostMessage::parse(
                &json!({"type": "sync-logs:theme", "vars": {"--sl-accent": "#7b2cbf", "--sl-radius": "2px"}})
            ),
            Ok(HostMessage::Theme {
                vars: vec![
                    ("--sl-accent".into(), "#7b2cbf".into()),
                    ("--sl-radius".into(), "2px".into())
                ]
            })
        );
    }

    #[test]
    fn anything_else_is_ignored_with_a_reason() {
        for data in [
            json!("sync-logs:set-view"),
            json!(null),
            json!([1, 2]),
            json!({"type": "other-app:hello"}),
            json!({"query": "instance=a"}),
        ] {
            assert_eq!(
                HostMessage::parse(&data),
                Err(MessageError::NotOurs),
                "{data}"
            );
        }
        for data in [
            json!({"type": "sync-logs:set-view"}),
            json!({"type": "sync-logs:set-view", "query": 42}),
            json!({"type": "sync-logs:set-view", "query": "x".repeat(9000)}),
            json!({"type": "sync-logs:token", "token": "has space"}),
            json!({"type": "sync-logs:token", "token": ""}),
            json!({"type": "sync-logs:theme", "vars": {"color": "red"}}),
            json!({"type": "sync-logs:theme", "vars": {"--sl-bg": "url(https://x.test/a.png)"}}),
            json!({"type": "sync-logs:theme", "vars": {"--sl-bg": "red; background: blue"}}),
            json!({"type": "sync-logs:theme", "vars": {"--sl-bg": 3}}),
        ] {
            assert!(
                matches!(HostMessage::parse(&data), Err(MessageError::Malformed(_))),
                "{data}"
            );
        }
        assert_eq!(
            HostMessage::parse(&json!({"type": "sync-logs:delete-everything"})),
            Err(MessageError::UnknownType("delete-everything".into()))
        );
    }

    #[test]
    fn app_messages_have_the_documented_shape() {
        let ids: Vec<String> = (0..6000).map(|n| n.to_string()).collect();
        let json = AppMessage::Selection {
            count: 6000,
            ids,
            all_matching: true,
        }
        .to_json();
        assert_eq!(json["type"], "sync-logs:selection");
        assert_eq!(json["count"], 6000);
        assert_eq!(json["ids"].as_array().unwrap().len(), MAX_SELECTION_IDS);
        assert_eq!(
            AppMessage::Height { px: 812 }.to_json(),
            json!({"type": "sync-logs:height", "height": 812})
        );
    }
}
