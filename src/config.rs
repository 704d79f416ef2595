//! Loads `config.json` from beside `index.html` at start. Parsing (and every fallback) is
//! in `sync_logs_core::AppConfig`; this only fetches the file and turns a missing or
//! unreachable file into a warning the app shows.

use gloo_net::http::Request;
use sync_logs_core::AppConfig;

/// The configuration in force and what was wrong with the file, for a visible notice.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub config: AppConfig,
    pub warnings: Vec<String>,
}

/// Fetches and reads `config.json`, relative to the document base so that a build
/// served under a sub-path finds its own file. Never fails: defaults fill every gap.
pub async fn load() -> LoadedConfig {
    let fallback = |why: String| LoadedConfig {
        config: AppConfig::default(),
        warnings: vec![why],
    };
    let response = match Request::get("config.json").send().await {
        Ok(response) => response,
        Err(err) => {
            return fallback(format!(
                "config.json could not be loaded ({err}); using defaults."
            ))
        }
    };
    if !response.ok() {
        return fallback(format!(
            "config.json could not be loaded (HTTP {}); using defaults.",
            response.status()
        ));
    }
    match response.text().await {
        Ok(text) => {
            let (config, warnings) = AppConfig::from_json(&text);
            LoadedConfig { config, warnings }
        }
        Err(err) => fallback(format!(
            "config.json could not be read ({err}); using defaults."
        )),
    }
}
