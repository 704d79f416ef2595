//! Why an API call failed, separated the way the user must react: the network (check
//! the connection, retry), an HTTP status from the server (depends on the status), or an
//! answer that could not be read (the backend is misbehaving).

use thiserror::Error;

/// How a request failed to get its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFailure {
    /// Nothing came back at all.
    Unreachable,
    /// The answer began, and the connection closed before its end.
    CutOff,
    /// The browser could not make the request.
    NotSent,
}

impl NetworkFailure {
    fn sentence(self) -> &'static str {
        match self {
            NetworkFailure::Unreachable => {
                "no answer from the server: the network may be down, the server stopped, \
                 or the browser blocked the request"
            }
            NetworkFailure::CutOff => {
                "the connection closed before the server's whole answer arrived"
            }
            NetworkFailure::NotSent => "this browser could not send the request",
        }
    }
}

/// The ways an API call fails.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The request got no answer, or not all of it (offline, DNS, refused, CORS, a
    /// connection closed mid-answer). Said in words; the browser's own text, which
    /// means little to an operator, is kept in `detail` for a bug report.
    #[error("{}", kind.sentence())]
    Network {
        kind: NetworkFailure,
        detail: String,
    },
    /// A newer request replaced this one; nothing to show.
    #[error("the request was cancelled")]
    Aborted,
    /// No answer within the configured time (`request_timeout_seconds`).
    #[error("the server did not answer within {seconds} s")]
    Timeout { seconds: u32 },
    /// The server answered with an error status.
    #[error("{message}")]
    Http {
        status: u16,
        /// The API error code, when the body was the documented error JSON.
        code: Option<String>,
        message: String,
    },
    /// A record id that cannot be put in a request path (`.` or `..`, which a URL
    /// resolves to another path): nothing was sent.
    #[error("the record id {id:?} cannot be put in a request path (it would name another API path), so nothing was asked of the server")]
    UnsafeId { id: String },
    /// The server answered 2xx but the body was not what the API promises.
    #[error("the server's answer could not be read: {detail}")]
    Decode {
        status: u16,
        detail: String,
        /// The start of the body, for the operator to report.
        excerpt: String,
    },
}

impl ApiError {
    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            ApiError::Network { .. }
            | ApiError::Aborted
            | ApiError::Timeout { .. }
            | ApiError::UnsafeId { .. } => None,
        }
    }

    /// What the user can do about it, in one sentence.
    pub fn next_step(&self) -> &'static str {
        match self {
            ApiError::Network {
                kind: NetworkFailure::Unreachable,
                ..
            } => {
                "Check your connection and that the server named by api_base_url is running, \
                 then retry. If it keeps failing, the browser's console says whether the \
                 request was blocked."
            }
            ApiError::Network {
                kind: NetworkFailure::CutOff,
                ..
            } => "Retry; if it keeps happening, lower the limit so each answer is smaller.",
            ApiError::Network {
                kind: NetworkFailure::NotSent,
                ..
            } => "Retry in a current browser.",
            ApiError::Aborted => "",
            ApiError::Timeout { .. } => {
                "Retry; if it keeps timing out, narrow the range or lower the limit."
            }
            ApiError::Http { status: 400, .. } => "Change the filters, then retry.",
            ApiError::Http { status: 401, .. } => {
                "Sign in again; your filters are kept in the address. Then retry."
            }
            ApiError::Http { status: 403, .. } => {
                "Your account may not view these records; ask an administrator."
            }
            ApiError::Http { status: 404, .. } => {
                "The API was not found: check api_base_url in config.json."
            }
            ApiError::Http { status: 429, .. } => "The server is busy: wait a moment, then retry.",
            ApiError::Http { .. } => "The server had a problem: retry in a moment.",
            ApiError::Decode { .. } => {
                "The backend sent something unexpected: retry, and report it if it persists."
            }
            ApiError::UnsafeId { .. } => {
                "Ask the backend's owners to give this record a real id; the loaded rows still show it."
            }
        }
    }

    /// A few words for a status line: "HTTP 503", "no answer from the server".
    pub fn summary(&self) -> String {
        match self {
            ApiError::Http { status, .. } | ApiError::Decode { status, .. } => {
                format!("HTTP {status}")
            }
            ApiError::Network {
                kind: NetworkFailure::CutOff,
                ..
            } => "the answer was cut off".to_owned(),
            ApiError::Network { .. } => "no answer from the server".to_owned(),
            ApiError::Timeout { seconds } => format!("no answer within {seconds} s"),
            ApiError::Aborted => "cancelled".to_owned(),
            ApiError::UnsafeId { .. } => "not sent".to_owned(),
        }
    }

    /// What the browser itself said, for a bug report; empty when there is nothing more.
    pub fn technical_detail(&self) -> &str {
        match self {
            ApiError::Network { detail, .. } => detail,
            _ => "",
        }
    }

    /// Whether the server could not be reached at all (rather than answering badly).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Network { .. } | ApiError::Timeout { .. })
    }

    /// Builds the error for a non-2xx answer from its body, using the API's
    /// `{"error":{"code","message"}}` when present.
    pub(crate) fn from_status(status: u16, body: &[u8]) -> ApiError {
        match serde_json::from_slice::<sync_logs_core::ApiErrorBody>(body) {
            Ok(parsed) => ApiError::Http {
                status,
                code: Some(parsed.error.code),
                message: parsed.error.message,
            },
            Err(_) => ApiError::Http {
                status,
                code: None,
                message: format!("the server answered HTTP {status}"),
            },
        }
    }
}

/// The first characters of a body, as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_bodies_give_code_and_message() {
        let err = ApiError::from_status(
            400,
            br#"{"error":{"code":"invalid_limit","message":"limit must be a whole number"}}"#,
        );
        assert_eq!(
            err,
            ApiError::Http {
                status: 400,
                code: Some("invalid_limit".into()),
                message: "limit must be a whole number".into()
            }
        );
        assert_eq!(err.status(), Some(400));
    }

    #[test]
    fn other_bodies_still_give_the_status() {
        let err = ApiError::from_status(502, b"<html>Bad Gateway</html>");
        assert_eq!(err.to_string(), "the server answered HTTP 502");
        assert!(!err.next_step().is_empty());
    }

    #[test]
    fn network_failures_are_said_in_words_with_the_browser_text_kept_apart() {
        let err = ApiError::Network {
            kind: NetworkFailure::Unreachable,
            detail: "TypeError: Failed to fetch".into(),
        };
        let shown = err.to_string();
        assert!(shown.starts_with("no answer from the server"), "{shown}");
        assert!(!shown.contains("TypeError"), "{shown}");
        assert!(err.next_step().contains("api_base_url"));
        assert_eq!(err.technical_detail(), "TypeError: Failed to fetch");
        assert_eq!(err.summary(), "no answer from the server");
        assert!(err.is_unreachable());
        let cut = ApiError::Network {
            kind: NetworkFailure::CutOff,
            detail: String::new(),
        };
        assert!(cut.to_string().contains("closed before"));
        assert!(cut.next_step().contains("lower the limit"));
    }

    #[test]
    fn excerpts_are_bounded_and_survive_broken_utf8() {
        let body = [b'a'; 5000];
        assert_eq!(excerpt(&body).chars().count(), 201);
        assert_eq!(excerpt(&[0xff, b'x']), "\u{fffd}x");
    }
}
