//! The real server binary on a free port with a temporary database, for API tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use sync_logs_core::{SyncLog, SyncLogPage};

const ANCHOR: &str = "2026-11-20T12:00:00Z";

/// A running server, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        Server::start_seeded(3000, extra)
    }

    pub fn start_seeded(count: u32, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("dist")).unwrap();
        std::fs::write(
            dir.path().join("dist/index.html"),
            "<!doctype html><title>app</title>",
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_sync-logs-server"))
            .args(["--port", "0", "--anchor", ANCHOR])
            .args(["--seed-count", &count.to_string()])
            .arg("--db")
            .arg(dir.path().join("test.sqlite3"))
            .arg("--dist")
            .arg(dir.path().join("dist"))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server {
            child,
            base: url,
            _dir: dir,
        }
    }

    /// The folder served as the app (`--dist`); files written there are served at once.
    pub fn dist(&self) -> std::path::PathBuf {
        self._dir.path().join("dist")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        reqwest::get(format!("{}{path}", self.base)).await.unwrap()
    }

    pub async fn page(&self, query: &str) -> SyncLogPage {
        let response = self.get(&format!("/api/v1/sync-logs?{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
        response.json().await.unwrap()
    }

    /// One record by its sync id.
    pub async fn record(&self, id: &str) -> SyncLog {
        let response = self.get(&format!("/api/v1/sync-logs/{id}")).await;
        assert_eq!(response.status(), 200, "{id}");
        response.json().await.unwrap()
    }

    /// Every row of a query, following cursors.
    pub async fn all(&self, query: &str) -> Vec<SyncLog> {
        let mut rows = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor {
                Some(c) => format!("{query}&cursor={c}"),
                None => query.to_owned(),
            };
            let page = self.page(&q).await;
            rows.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return rows,
            }
        }
    }
}

impl Server {
    /// Replaces the fault rules (the server must run with `--enable-faults`).
    pub async fn faults(&self, plan: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/__faults", self.base))
            .json(&plan)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
