//! The server query of the log: which records to load. One model serves both ends: the
//! app turns it into request parameters, the reference server parses and validates those
//! parameters with the same rules, so the two can never disagree about what is valid.

use chrono::{DateTime, SecondsFormat, Utc};
use thiserror::Error;

/// Rows loaded when the user has not chosen a limit.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest limit anyone may ask for; larger loads are refused, not truncated.
pub const MAX_LIMIT: u32 = 1_000_000;
/// The most items one page of `GET /sync-logs` holds.
pub const MAX_PAGE_SIZE: u32 = 10_000;

/// Which records to load: the filter bar's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    /// `None` means every instance.
    pub instance: Option<String>,
    pub entity_type: Option<String>,
    /// Case-insensitive substring of the source id.
    pub source_id: Option<String>,
    /// Exact run (batch) id; used by "show this run".
    pub correlation_id: Option<String>,
    /// Exact sync ids (repeatable `id`); used to follow resynced records.
    pub ids: Vec<String>,
    /// Wire values; empty means every status.
    pub statuses: Vec<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Unresolved only (`latest=1`): of each source record (instance, entity type and
    /// source id) only its latest attempt, and only when that did not succeed (nor was
    /// discarded).
    pub latest: bool,
    /// How many rows to load in all (across pages).
    pub limit: u32,
}

impl Default for LogQuery {
    fn default() -> Self {
        LogQuery {
            instance: None,
            entity_type: None,
            source_id: None,
            correlation_id: None,
            ids: Vec::new(),
            statuses: Vec::new(),
            from: None,
            to: None,
            latest: false,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// Why a set of query parameters was refused. `code()` is the API error code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("limit must be a whole number from 1 to {MAX_LIMIT}, got {0:?}")]
    InvalidLimit(String),
    #[error("{param} must be an RFC 3339 timestamp such as 2026-01-31T23:59:00Z, got {value:?}")]
    InvalidTimestamp { param: &'static str, value: String },
    #[error("from ({from}) is after to ({to})")]
    InvertedRange { from: String, to: String },
    #[error("{param} must be at most {MAX_TEXT_CHARS} characters")]
    TooLong { param: &'static str },
}

/// The longest value a text filter (instance, entity type, source id, id, status,
/// correlation id) may have: longer ones are no one's ids, and make searches slow.
pub const MAX_TEXT_CHARS: usize = 256;

/// The text parameters, each as the one-element list [`QueryError::params`] answers.
const TEXT_PARAMS: [[&str; 1]; 6] = [
    ["instance"],
    ["entity_type"],
    ["source_id"],
    ["correlation_id"],
    ["id"],
    ["status"],
];

impl QueryError {
    /// The parameters at fault, so a forgiving reader can drop just those.
    pub fn params(&self) -> &'static [&'static str] {
        match self {
            QueryError::InvalidLimit(_) => &["limit"],
            QueryError::InvalidTimestamp { param: "from", .. } => &["from"],
            QueryError::InvalidTimestamp { .. } => &["to"],
            QueryError::InvertedRange { .. } => &["from", "to"],
            QueryError::TooLong { param } => TEXT_PARAMS
                .iter()
                .find(|p| p[0] == *param)
                .map_or(&[], |p| p.as_slice()),
        }
    }

    /// The machine-readable code sent in API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::InvalidLimit(_) => "invalid_limit",
            QueryError::InvalidTimestamp { .. } => "invalid_timestamp",
            QueryError::InvertedRange { .. } => "invalid_range",
            QueryError::TooLong { .. } => "invalid_parameter",
        }
    }
}

impl LogQuery {
    /// Whether `other` asks for the same records as this one, only more or fewer of them.
    pub fn differs_only_in_limit(&self, other: &LogQuery) -> bool {
        LogQuery {
            limit: other.limit,
            ..self.clone()
        } == *other
    }

    /// The query as sent: one without a range covers the last `days` before `now`.
    pub fn with_default_range(mut self, days: u32, now: DateTime<Utc>) -> LogQuery {
        if self.from.is_none() && self.to.is_none() {
            self.from = Some(now - chrono::Duration::days(i64::from(days)));
        }
        self
    }

    /// The request parameters, in a fixed order, blanks left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |key, value: &Option<String>| {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((key, v.to_owned()));
            }
        };
        push("instance", &self.instance);
        push("entity_type", &self.entity_type);
        push("source_id", &self.source_id);
        push("correlation_id", &self.correlation_id);
        for id in self.ids.iter().filter(|s| !s.is_empty()) {
            pairs.push(("id", id.clone()));
        }
        for status in self.statuses.iter().filter(|s| !s.is_empty()) {
            pairs.push(("status", status.clone()));
        }
        if let Some(from) = self.from {
            pairs.push(("from", format_timestamp(from)));
        }
        if let Some(to) = self.to {
            pairs.push(("to", format_timestamp(to)));
        }
        if self.latest {
            pairs.push(("latest", "1".to_owned()));
        }
        pairs.push(("limit", self.limit.to_string()));
        pairs
    }

    /// `to_pairs` encoded as `a=b&c=d` (form encoding, UTF-8).
    pub fn to_query_string(&self) -> String {
        encode_pairs(self.to_pairs().iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// Parses request parameters. Unknown keys are ignored; blank values mean "not set";
    /// a missing limit is the default.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<LogQuery, QueryError> {
        let mut query = LogQuery::default();
        let non_blank = |v: &str| (!v.trim().is_empty()).then(|| v.to_owned());
        for (key, value) in pairs {
            if let Some([param]) = TEXT_PARAMS.iter().find(|p| p[0] == key) {
                if value.chars().count() > MAX_TEXT_CHARS {
                    return Err(QueryError::TooLong { param });
                }
            }
            match key {
                "instance" => query.instance = non_blank(value),
                "entity_type" => query.entity_type = non_blank(value),
                "source_id" => query.source_id = non_blank(value),
                "correlation_id" => query.correlation_id = non_blank(value),
                "id" => query.ids.extend(non_blank(value)),
                "status" => query.statuses.extend(non_blank(value)),
                "from" => query.from = parse_timestamp("from", value)?,
                "to" => query.to = parse_timestamp("to", value)?,
                "latest" => query.latest = matches!(value.trim(), "1" | "true"),
                "limit" if !value.trim().is_empty() => query.limit = parse_limit(value)?,
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (query.from, query.to) {
            if from > to {
                return Err(QueryError::InvertedRange {
                    from: format_timestamp(from),
                    to: format_timestamp(to),
                });
            }
        }
        Ok(query)
    }

    /// Parses a form-encoded query string (with or without a leading `?`).
    pub fn from_query_string(query: &str) -> Result<LogQuery, QueryError> {
        let pairs = decode_pairs(query);
        LogQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// Formats a timestamp the way the API and URLs carry it: RFC 3339, UTC, `Z`, whole
/// seconds unless there is a fraction.
pub fn format_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn parse_timestamp(param: &'static str, value: &str) -> Result<Option<DateTime<Utc>>, QueryError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| QueryError::InvalidTimestamp {
            param,
            value: value.to_owned(),
        })
}

fn parse_limit(value: &str) -> Result<u32, QueryError> {
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(QueryError::InvalidLimit(value.to_owned())),
    }
}

/// Form-encodes key/value pairs.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Decodes a form-encoded query string (a leading `?` is skipped).
pub fn decode_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_filter_longer_than_the_cap_is_refused_by_name() {
        let at_cap = "x".repeat(MAX_TEXT_CHARS);
        let query = LogQuery::from_pairs([("source_id", at_cap.as_str())]).unwrap();
        assert_eq!(query.source_id.as_deref(), Some(at_cap.as_str()));
        // Characters, not bytes: 256 emoji are allowed.
        let wide = "🙂".repeat(MAX_TEXT_CHARS);
        assert!(LogQuery::from_pairs([("instance", wide.as_str())]).is_ok());
        let over = "x".repeat(60_000);
        for param in [
            "instance",
            "entity_type",
            "source_id",
            "correlation_id",
            "id",
            "status",
        ] {
            let err = LogQuery::from_pairs([(param, over.as_str())]).unwrap_err();
            assert_eq!(err.code(), "invalid_parameter");
            assert_eq!(err.params(), [param]);
            assert_eq!(
                err.to_string(),
                format!("{param} must be at most 256 characters")
            );
        }
    }

    #[test]
    fn a_query_without_a_range_covers_the_last_days() {
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .to_utc();
        let q = LogQuery::default().with_default_range(5, now);
        assert_eq!(q.from, Some(now - chrono::Duration::days(5)));
        assert_eq!(q.to, None);
        let chosen = LogQuery {
            to: Some(now),
            ..LogQuery::default()
        };
        assert_eq!(
            chosen.clone().with_default_range(5, now),
            chosen,
            "a chosen range is kept"
        );
    }

    #[test]
    fn only_the_limit_may_differ_for_more_of_the_same() {
        let base = LogQuery {
            instance: Some("A".into()),
            ..LogQuery::default()
        };
        let more = LogQuery {
            limit: 1_100,
            ..base.clone()
        };
        assert!(base.differs_only_in_limit(&more));
        assert!(base.differs_only_in_limit(&base));
        let other = LogQuery {
            statuses: vec!["failed".into()],
            ..more.clone()
        };
        assert!(!base.differs_only_in_limit(&other));
    }
    use chrono::TimeZone;

    fn full_query() -> LogQuery {
        LogQuery {
            instance: Some("SAP B1 → Shopify & co".into()),
            entity_type: Some("item".into()),
            source_id: Some("a+b=c?%/#".into()),
            correlation_id: Some("run_00ff 'q' \"x\"".into()),
            ids: vec!["10000001".into(), "a b&c".into()],
            statuses: vec!["failed".into(), "partial_success".into()],
            from: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2026, 11, 5, 12, 30, 0).unwrap()),
            latest: true,
            limit: 5000,
        }
    }

    #[test]
    fn every_filter_survives_a_round_trip_with_odd_characters() {
        let query = full_query();
        let encoded = query.to_query_string();
        assert_eq!(LogQuery::from_query_string(&encoded).unwrap(), query);
        assert_eq!(
            LogQuery::from_query_string(&format!("?{encoded}")).unwrap(),
            query
        );
    }

    #[test]
    fn the_default_query_sends_only_the_limit() {
        assert_eq!(LogQuery::default().to_query_string(), "limit=100");
        assert_eq!(
            LogQuery::from_query_string("").unwrap(),
            LogQuery::default()
        );
    }

    #[test]
    fn blank_values_and_unknown_keys_are_ignored() {
        let q = LogQuery::from_query_string("instance=&status=&cursor=abc&x=1").unwrap();
        assert_eq!(q, LogQuery::default());
    }

    #[test]
    fn bad_limits_are_refused_with_a_code() {
        for bad in ["0", "-1", "ten", "1.5", "1000001"] {
            let err = LogQuery::from_query_string(&format!("limit={bad}")).unwrap_err();
            assert_eq!(err.code(), "invalid_limit", "{bad}");
        }
        assert_eq!(
            LogQuery::from_query_string("limit=1000000").unwrap().limit,
            MAX_LIMIT
        );
    }

    #[test]
    fn bad_and_inverted_timestamps_are_refused() {
        let err = LogQuery::from_query_string("from=yesterday").unwrap_err();
        assert_eq!(err.code(), "invalid_timestamp");
        assert!(err.to_string().contains("from"));
        let err = LogQuery::from_query_string("from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z")
            .unwrap_err();
        assert_eq!(err.code(), "invalid_range");
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let q = LogQuery::from_query_string("from=2026-11-01T02:00:00%2B02:00").unwrap();
        assert_eq!(
            q.from,
            Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap())
        );
    }
}
