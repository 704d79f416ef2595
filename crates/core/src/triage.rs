//! Error triage: is a failure a data problem (retrying will not help until the record is
//! fixed) or a connectivity/auth problem (often transient)? Decided from the message by
//! rules, no regex: an HTTP status named in the message decides first, then phrases.

/// What kind of problem a failure message describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorClass {
    /// A missing, invalid or duplicate value; fix the data, then resend.
    Data,
    /// Authentication, rate limits, timeouts, unreachable hosts, server errors.
    Connectivity,
    /// The rules do not recognise the message.
    Unknown,
}

impl ErrorClass {
    /// The short tag shown on a row.
    pub fn label(self) -> &'static str {
        match self {
            ErrorClass::Data => "Data",
            ErrorClass::Connectivity => "Connectivity",
            ErrorClass::Unknown => "Unclassified",
        }
    }

    /// A sentence for the tag's tooltip: what the class means for the operator.
    pub fn hint(self) -> &'static str {
        match self {
            ErrorClass::Data => "A data problem: fix the record in the source, then resync.",
            ErrorClass::Connectivity => {
                "A connectivity or access problem: often transient; resync once the target is reachable."
            }
            ErrorClass::Unknown => "Not recognised as a data or connectivity problem.",
        }
    }
}

/// Words before a number that make it an HTTP status ("HTTP 401", "status 503").
pub(crate) const STATUS_LEAD: &[&str] =
    &["http", "status", "code", "returned", "answered", "error"];
/// Words after a number that make it an HTTP status ("429 Too Many Requests").
const STATUS_TAIL: &[&str] = &[
    "unauthorized",
    "forbidden",
    "not",
    "too",
    "bad",
    "unprocessable",
    "conflict",
    "request",
    "service",
    "gateway",
    "internal",
    "proxy",
];

const CONNECTIVITY_PHRASES: &[&str] = &[
    "timed out",
    "timeout",
    "connection refused",
    "connection reset",
    "reset by peer",
    "dns",
    "name resolution",
    "no such host",
    "unreachable",
    "unauthorized",
    "forbidden",
    "access token",
    "too many requests",
    "rate limit",
    "service unavailable",
    "bad gateway",
    "gateway timeout",
    "ssl",
    "tls",
    "certificate",
    "econnrefused",
    "econnreset",
    "socket hang up",
];

const DATA_PHRASES: &[&str] = &[
    "missing required",
    "required field",
    "is required",
    "invalid",
    "duplicate",
    "already been taken",
    "already exists",
    "not found",
    "does not exist",
    "validation",
    "exceeds maximum",
    "too long",
    "unprocessable",
    "conflict",
    "expected a",
    "must be",
];

/// Classifies a failure or partial-result message.
pub fn classify(message: &str) -> ErrorClass {
    let lower = message.to_lowercase();
    if let Some(status) = http_status(&lower) {
        return match status {
            401 | 403 | 407 | 408 | 429 | 500..=599 => ErrorClass::Connectivity,
            400 | 404 | 409 | 422 => ErrorClass::Data,
            _ => ErrorClass::Unknown,
        };
    }
    if CONNECTIVITY_PHRASES.iter().any(|p| lower.contains(p)) {
        ErrorClass::Connectivity
    } else if DATA_PHRASES.iter().any(|p| lower.contains(p)) {
        ErrorClass::Data
    } else {
        ErrorClass::Unknown
    }
}

/// The first 4xx/5xx number that reads as an HTTP status in a lowercased message.
fn http_status(lower: &str) -> Option<u16> {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().find_map(|(i, word)| {
        let code: u16 = word
            .parse()
            .ok()
            .filter(|c| (400..600).contains(c) && word.len() == 3)?;
        let lead = i > 0 && STATUS_LEAD.contains(&words[i - 1]);
        let tail = words.get(i + 1).is_some_and(|w| STATUS_TAIL.contains(w));
        (lead || tail || i == 0).then_some(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_looking_messages_are_classified() {
        let cases = [
            (
                "HTTP 401 Unauthorized: access token expired for shop x.myshopify.com",
                ErrorClass::Connectivity,
            ),
            (
                "HTTP 403 Forbidden: the app is missing the write_inventory scope",
                ErrorClass::Connectivity,
            ),
            (
                "407 Proxy Authentication Required",
                ErrorClass::Connectivity,
            ),
            ("HTTP 408 Request Timeout", ErrorClass::Connectivity),
            (
                "HTTP 429 Too Many Requests: exceeded 2 calls per second",
                ErrorClass::Connectivity,
            ),
            (
                "HTTP 503 Service Unavailable from target API",
                ErrorClass::Connectivity,
            ),
            (
                "HTTP 502 Bad Gateway: <html><h1>502</h1></html>",
                ErrorClass::Connectivity,
            ),
            (
                "Request timed out after 30000 ms (POST https://a.example/graphql.json)",
                ErrorClass::Connectivity,
            ),
            (
                "Connection refused (os error 111) connecting to sap-b1.internal:50000",
                ErrorClass::Connectivity,
            ),
            (
                "Connection reset by peer while reading response headers",
                ErrorClass::Connectivity,
            ),
            (
                "DNS resolution failed for sftp.3pl-partner.example: no such host",
                ErrorClass::Connectivity,
            ),
            (
                "HTTP 400 Bad Request: Product with id 4411 not found in price list",
                ErrorClass::Data,
            ),
            (
                "HTTP 404 Not Found: customer 1001 does not exist in target",
                ErrorClass::Data,
            ),
            (
                "HTTP 409 Conflict: order 5512 was modified by another process",
                ErrorClass::Data,
            ),
            (
                "HTTP 422 Unprocessable Entity: variants.sku has already been taken",
                ErrorClass::Data,
            ),
            (
                "Missing required field 'ItemName' on item A00012",
                ErrorClass::Data,
            ),
            (
                "Validation failed: email 'ops@@x.example' is invalid",
                ErrorClass::Data,
            ),
            (
                "Duplicate SKU 'TEE-S-RED' found in source batch; record skipped",
                ErrorClass::Data,
            ),
            (
                "Field 'CardCode' exceeds maximum length of 15 characters",
                ErrorClass::Data,
            ),
            ("Something odd happened", ErrorClass::Unknown),
            ("", ErrorClass::Unknown),
        ];
        for (message, expected) in cases {
            assert_eq!(classify(message), expected, "{message}");
        }
    }

    #[test]
    fn numbers_that_are_not_statuses_do_not_decide() {
        // 404 here is a quantity, 500 an id: neither reads as a status.
        assert_eq!(
            classify("Stock for 404 units of item 500 is invalid"),
            ErrorClass::Data
        );
        assert_eq!(classify("Order 503 timed out"), ErrorClass::Connectivity);
    }

    #[test]
    fn a_status_outranks_phrases() {
        // "not found" is a data phrase, but the 503 decides.
        assert_eq!(
            classify("HTTP 503: upstream not found"),
            ErrorClass::Connectivity
        );
    }
}
