//! The runtime configuration read from `config.json` beside `index.html`, so one build
//! serves every environment. Reading it never fails: a missing file, broken JSON or a
//! field of the wrong type falls back to the default and produces a warning the app shows.

use serde_json::{Map, Value};

use crate::profile::BackendProfile;
use crate::query::{DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE_SIZE};

/// Which clock times are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeZonePref {
    #[default]
    Utc,
    Local,
}

/// Every option of `config.json`, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    /// Where the API lives, absolute or relative to the page.
    pub api_base_url: String,
    pub default_range_days: u32,
    pub max_range_days: u32,
    pub default_limit: u32,
    /// Items asked for per request when following `next_cursor`.
    pub page_size: u32,
    pub timezone_default: TimeZonePref,
    /// Auto-refresh period; 0 is off.
    pub refresh_seconds: u32,
    /// Hide the app chrome when embedded in a portal.
    pub embedded: bool,
    pub title: String,
    /// Without correlation ids, a pause longer than this (minutes) between two records
    /// of one instance starts a new run.
    pub run_gap_minutes: u32,
    /// Each API request gives up after this many seconds; 0 waits forever.
    pub request_timeout_seconds: u32,
    /// Origins (`https://portal.example.com`) whose pages may drive the app by
    /// `postMessage` when it is embedded in them; empty means none.
    pub allowed_parent_origins: Vec<String>,
    /// How to read a backend that does not speak the Sync Logs contract
    /// (`docs/backends.md`); `None` is the native contract.
    pub backend: Option<std::sync::Arc<BackendProfile>>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            api_base_url: "/api/v1".into(),
            default_range_days: 5,
            max_range_days: 15,
            default_limit: DEFAULT_LIMIT,
            page_size: MAX_PAGE_SIZE,
            timezone_default: TimeZonePref::Utc,
            refresh_seconds: 0,
            embedded: false,
            title: "Sync Logs".into(),
            run_gap_minutes: 10,
            request_timeout_seconds: 30,
            allowed_parent_origins: Vec::new(),
            backend: None,
        }
    }
}

impl AppConfig {
    /// Reads `config.json` text. Returns the configuration and one warning per thing that
    /// was ignored; the warnings are meant for people.
    pub fn from_json(text: &str) -> (AppConfig, Vec<String>) {
        let mut config = AppConfig::default();
        let mut warnings = Vec::new();
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                warnings.push("config.json is not a JSON object; using defaults.".into());
                return (config, warnings);
            }
            Err(err) => {
                warnings.push(format!(
                    "config.json is not valid JSON ({err}); using defaults."
                ));
                return (config, warnings);
            }
        };
        let mut reader = FieldReader {
            object: &object,
            warnings: &mut warnings,
        };
        if let Some(url) = reader.string("api_base_url") {
            if url.trim().is_empty() {
                reader.warn("api_base_url", "must not be empty");
            } else {
                config.api_base_url = url.trim_end_matches('/').to_owned();
            }
        }
        reader.number("default_range_days", 1, 366, &mut config.default_range_days);
        reader.number("max_range_days", 1, 366, &mut config.max_range_days);
        reader.number("default_limit", 1, MAX_LIMIT, &mut config.default_limit);
        reader.number("page_size", 1, MAX_PAGE_SIZE, &mut config.page_size);
        reader.number("refresh_seconds", 0, 86_400, &mut config.refresh_seconds);
        reader.number("run_gap_minutes", 1, 1_440, &mut config.run_gap_minutes);
        reader.number(
            "request_timeout_seconds",
            0,
            600,
            &mut config.request_timeout_seconds,
        );
        if let Some(zone) = reader.string("timezone_default") {
            match zone.to_ascii_lowercase().as_str() {
                "utc" => config.timezone_default = TimeZonePref::Utc,
                "local" => config.timezone_default = TimeZonePref::Local,
                _ => reader.warn("timezone_default", "must be \"UTC\" or \"local\""),
            }
        }
        match object.get("embedded") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => config.embedded = *b,
            Some(_) => reader.warn("embedded", "must be true or false"),
        }
        match object.get("allowed_parent_origins") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    match item.as_str().map(|s| s.trim_end_matches('/')) {
                        Some(origin) if is_origin(origin) => {
                            config.allowed_parent_origins.push(origin.to_owned())
                        }
                        _ => reader.warnings.push(format!(
                            "config.json: allowed_parent_origins: {item} is not an origin \
                             like \"https://portal.example.com\"; ignored."
                        )),
                    }
                }
            }
            Some(_) => reader.warnings.push(
                "config.json: allowed_parent_origins must be a list of origins; ignored.".into(),
            ),
        }
        if let Some(value) = object.get("backend").filter(|v| !v.is_null()) {
            config.backend =
                BackendProfile::from_json(value, reader.warnings).map(std::sync::Arc::new);
        }
        if let Some(title) = reader.string("title") {
            config.title = title.to_owned();
        }
        if config.default_range_days > config.max_range_days {
            warnings.push(format!(
                "default_range_days ({}) is more than max_range_days ({}); using {}.",
                config.default_range_days, config.max_range_days, config.max_range_days
            ));
            config.default_range_days = config.max_range_days;
        }
        (config, warnings)
    }
}

/// `scheme://host[:port]` with an http(s) scheme and nothing after: what a browser
/// reports as a message's origin.
fn is_origin(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@', ' ', '*'])
        && rest
            .rsplit_once(':')
            .is_none_or(|(_, port)| port.parse::<u16>().is_ok())
}

/// Reads typed fields out of the JSON object, recording a warning for each bad one.
struct FieldReader<'a> {
    object: &'a Map<String, Value>,
    warnings: &'a mut Vec<String>,
}

impl FieldReader<'_> {
    fn warn(&mut self, key: &str, why: &str) {
        self.warnings
            .push(format!("config.json: {key} {why}; using the default."));
    }

    fn string(&mut self, key: &str) -> Option<&str> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                self.warn(key, "must be a string");
                None
            }
        }
    }

    fn number(&mut self, key: &str, min: u32, max: u32, target: &mut u32) {
        match self.object.get(key) {
            None | Some(Value::Null) => {}
            Some(value) => match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) if (min..=max).contains(&n) => *target = n,
                _ => self.warn(key, &format!("must be a whole number from {min} to {max}")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_is_read() {
        let (config, warnings) = AppConfig::from_json(
            r#"{"api_base_url":"https://api.example.test/v1/","default_range_days":3,
            "max_range_days":10,"default_limit":500,"page_size":2000,"timezone_default":"local",
            "refresh_seconds":60,"embedded":true,"title":"Ops","request_timeout_seconds":5}"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.api_base_url, "https://api.example.test/v1");
        assert_eq!(config.default_range_days, 3);
        assert_eq!(config.max_range_days, 10);
        assert_eq!(config.default_limit, 500);
        assert_eq!(config.page_size, 2000);
        assert_eq!(config.timezone_default, TimeZonePref::Local);
        assert_eq!(config.refresh_seconds, 60);
        assert!(config.embedded);
        assert_eq!(config.title, "Ops");
        assert_eq!(config.request_timeout_seconds, 5);
    }

    #[test]
    fn an_empty_object_gives_the_spec_defaults() {
        let (config, warnings) = AppConfig::from_json("{}");
        assert!(warnings.is_empty());
        assert_eq!(config, AppConfig::default());
        assert_eq!(config.api_base_url, "/api/v1");
        assert_eq!(config.default_range_days, 5);
        assert_eq!(config.max_range_days, 15);
        assert_eq!(config.default_limit, 100);
        assert_eq!(config.timezone_default, TimeZonePref::Utc);
    }

    #[test]
    fn broken_json_falls_back_with_a_warning() {
        for text in ["{", "<html>not found</html>", "[1,2]", ""] {
            let (config, warnings) = AppConfig::from_json(text);
            assert_eq!(config, AppConfig::default());
            assert_eq!(warnings.len(), 1, "{text}: {warnings:?}");
        }
    }

    #[test]
    fn each_bad_field_is_ignored_alone() {
        let (config, warnings) = AppConfig::from_json(
            r#"{"default_limit":"many","page_size":0,"timezone_default":"Mars","embedded":"yes",
            "title":"Kept","max_range_days":-3}"#,
        );
        assert_eq!(warnings.len(), 5, "{warnings:?}");
        assert_eq!(config.title, "Kept");
        assert_eq!(config.default_limit, 100);
        assert_eq!(config.max_range_days, 15);
    }

    #[test]
    fn parent_origins_are_origins_only() {
        let (config, warnings) = AppConfig::from_json(
            r#"{"allowed_parent_origins":["https://portal.example.com/","http://127.0.0.1:4000",
            "*","https://x.test/path","javascript:alert(1)",7]}"#,
        );
        assert_eq!(
            config.allowed_parent_origins,
            ["https://portal.example.com", "http://127.0.0.1:4000"]
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn a_default_range_wider_than_the_maximum_is_clamped() {
        let (config, warnings) =
            AppConfig::from_json(r#"{"default_range_days":20,"max_range_days":15}"#);
        assert_eq!(config.default_range_days, 15);
        assert_eq!(warnings.len(), 1);
    }
}
