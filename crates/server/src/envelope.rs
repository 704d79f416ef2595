//! Every error the server answers is the JSON envelope of `docs/api.md`,
//! `{"error":{"code","message"}}`, including those the framework answers before a handler
//! runs (405, 413, a path that is not UTF-8, no route at all), and a 5xx never says more
//! than that something failed: the detail goes to the server's log.

use axum::{
    body::Body,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use sync_logs_core::ApiErrorBody;

/// What a 5xx says to the client, whatever went wrong.
pub const INTERNAL_MESSAGE: &str =
    "the server could not complete the request; try again, and tell the server's operator if it keeps failing";

/// Marks an answer the fault injection made up on purpose (an HTML page where JSON was
/// promised, …), which is sent as it is.
#[derive(Debug, Clone, Copy)]
pub struct Injected;

/// The most of a framework message kept in the envelope.
const MAX_MESSAGE_CHARS: usize = 200;

/// An error answer in the envelope.
pub fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    (status, Json(ApiErrorBody::new(code, message.into()))).into_response()
}

/// The envelope's code for a status.
fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "body_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        421 => "unknown_host",
        429 => "too_many_requests",
        503 => "busy",
        500..=599 => "internal",
        _ => "error",
    }
}

/// `response` itself unless it is an error that is not JSON; then the envelope with the
/// same status and headers (`Allow`, `Retry-After`, …), keeping a short framework message
/// of a 4xx and none of a 5xx.
pub async fn ensure(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error())
        || is_json
        || response.extensions().get::<Injected>().is_some()
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let message = if status.is_server_error() {
        INTERNAL_MESSAGE.to_owned()
    } else {
        let said = axum::body::to_bytes(body, 16 * 1024)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
            .filter(|text| !text.is_empty());
        let mut message = said.unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("the request was refused")
                .to_owned()
        });
        if message.chars().count() > MAX_MESSAGE_CHARS {
            message = message.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…";
        }
        message
    };
    let json = serde_json::to_vec(&ApiErrorBody::new(code_of(status), message))
        .unwrap_or_else(|_| b"{\"error\":{\"code\":\"error\",\"message\":\"\"}}".to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}
