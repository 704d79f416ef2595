//! Why an API call failed, separated the way the user must react: the network (check
//! the connection, retry), an HTTP status from the server (depends on the status), or an
//! answer that could not be read (the backend is misbehaving).

use thiserror::Error;

/// The ways an API call fails.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The request never got an answer (offline, DNS, refused, CORS).
    #[error("could not reach the server: {0}")]
    Network(String),
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
            ApiError::Network(_) | ApiError::Aborted | ApiError::Timeout { .. } => None,
        }
    }

    /// What the user can do about it, in one sentence.
    pub fn next_step(&self) -> &'static str {
        match self {
            ApiError::Network(_) => "Check your connection, then retry.",
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
        }
    }

    /// Whether the server could not be reached at all (rather than answering badly).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Network(_) | ApiError::Timeout { .. })
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
    fn excerpts_are_bounded_and_survive_broken_utf8() {
        let body = [b'a'; 5000];
        assert_eq!(excerpt(&body).chars().count(), 201);
        assert_eq!(excerpt(&[0xff, b'x']), "\u{fffd}x");
    }
}
