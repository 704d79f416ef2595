//! `sync-logs-server`: runs the reference backend. See `--help`.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Utc};
use clap::Parser;
use sync_logs_server::{
    api::AppState,
    db,
    faults::Faults,
    headers::{self, SecurityHeaders},
    hosts::AllowedHosts,
    resync, seed,
};

/// The reference backend of Sync Logs: the v1 API on SQLite, serving the built app.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Port to listen on, on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The SQLite database file; created and seeded when empty.
    #[arg(long, default_value = "sync-logs.sqlite3")]
    db: PathBuf,
    /// How many demo records to generate when seeding.
    #[arg(long, default_value_t = 20_000)]
    seed_count: u64,
    /// The random seed of the demo data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Replace the stored records with fresh demo data at start.
    #[arg(long)]
    reseed: bool,
    /// The instant the demo data ends at (RFC 3339); now when absent.
    #[arg(long)]
    anchor: Option<DateTime<Utc>>,
    /// The built app (Trunk's `dist/`) to serve on the same origin.
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// Mount `/__faults` so tests can make API requests slow or fail.
    #[arg(long)]
    enable_faults: bool,
    /// A CSP `frame-ancestors` source allowed to embed the app (repeat for several): an
    /// origin such as `https://portal.example.com`, `'self'` or `'none'`; `'self'` when
    /// none is given. Anything else (`*`, keywords, paths) is refused at start.
    #[arg(long = "frame-ancestor", value_parser = source)]
    frame_ancestors: Vec<String>,
    /// A host name the server answers besides 127.0.0.1, localhost and [::1] (repeat for
    /// several), e.g. the public name of a deployment behind a proxy that keeps `Host`;
    /// `name:port` allows that port only. Other names get 421, against DNS rebinding.
    #[arg(long = "allowed-host")]
    allowed_hosts: Vec<String>,
    /// Serve the app under this path (e.g. `/console`) rather than at the root; build it
    /// with `trunk build --release --public-url /console/`. The API stays at `/api/v1`.
    #[arg(long, default_value = "")]
    base_path: String,
    /// Add a few new records every this many seconds, as a live pipeline would (for the
    /// demo of live refresh); 0 never.
    #[arg(long, default_value_t = 0)]
    live_every: u64,
    /// Also serve the same records in another shape at `/api/foreign` (renamed fields,
    /// offset paging), for trying backend profiles (`docs/backends.md`).
    #[arg(long)]
    foreign_api: bool,
    /// A CSP `connect-src` source the app may fetch from besides its own origin (repeat
    /// for several), e.g. `https://api.example.com` when the API is on another host.
    #[arg(long = "connect-src", value_parser = source)]
    connect_src: Vec<String>,
    /// Answer `GET /api/v1/sync-logs/summary` with 404, as a backend without it does (to
    /// try the app's "of loaded records" cards).
    #[arg(long)]
    no_summary: bool,
    /// Answer the dead-letter endpoints with 404, as a backend without a queue does.
    #[arg(long)]
    no_dead_letter: bool,
    /// The attempts a record gets (the first and the worker's automatic retries of
    /// connectivity failures) before it is dead-lettered.
    #[arg(long, default_value_t = resync::MAX_ATTEMPTS, value_parser = clap::value_parser!(u32).range(1..=100))]
    max_attempts: u32,
    /// The wait before the first automatic retry, in milliseconds; it doubles after each.
    #[arg(long, default_value_t = 1_000)]
    retry_backoff_ms: u32,
    /// Simulate an unreachable target: every attempt fails with a connectivity error,
    /// so resynced records are retried and then dead-lettered.
    #[arg(long)]
    target_down: bool,
    /// The share of attempts, in percent, that cannot reach the (simulated) target and
    /// are retried by the worker; 0 makes every attempt reach it.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=95))]
    unreachable_percent: u8,
    /// How many range-wide reads (runs, summaries) run at once; more wait for a turn.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    max_heavy_queries: u16,
    /// How long, in milliseconds, a range-wide read waits for its turn before it is
    /// answered 503 with Retry-After.
    #[arg(long, default_value_t = 2_000)]
    heavy_wait_ms: u64,
}

/// A CSP source from the command line, checked by `headers::check_source`.
fn source(value: &str) -> Result<String, String> {
    sync_logs_server::headers::check_source(value)
}

#[tokio::main]
async fn main() {
    if let Err(err) = run(Args::parse()).await {
        eprintln!("sync-logs-server: {err}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let hosts = AllowedHosts::new(&args.allowed_hosts)?;
    let pool = db::open(&args.db)?;
    let mut conn = pool.get()?;
    if args.reseed || db::count_logs(&conn)? == 0 {
        let started = Instant::now();
        let options = seed::SeedOptions {
            count: args.seed_count,
            anchor: args.anchor.unwrap_or_else(Utc::now),
            seed: args.seed,
        };
        let count = seed::seed(&mut conn, &options)?;
        eprintln!(
            "seeded {count} demo records into {} in {:.1} s",
            args.db.display(),
            started.elapsed().as_secs_f64()
        );
    }
    drop(conn);

    let dist = args
        .dist
        .join("index.html")
        .is_file()
        .then_some(args.dist.as_path());
    if dist.is_none() {
        eprintln!(
            "no built app at {}: serving the API only (build it with `trunk build --release`)",
            args.dist.display()
        );
    }
    let retries = resync::Retries {
        max_attempts: args.max_attempts,
        backoff_ms: i64::from(args.retry_backoff_ms),
        target: if args.target_down {
            resync::Target::Down
        } else {
            resync::Target::Flaky
        },
        unreachable_percent: args.unreachable_percent,
    };
    resync::spawn_worker(pool.clone(), retries);
    if args.live_every > 0 {
        let pool = pool.clone();
        let every = std::time::Duration::from_secs(args.live_every);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let pool = pool.clone();
                let added = tokio::task::spawn_blocking(move || {
                    let logs = seed::fresh(fastrand::u64(1..=8), Utc::now());
                    pool.get()
                        .map_err(|e| e.to_string())
                        .and_then(|conn| db::insert_logs(&conn, &logs).map_err(|e| e.to_string()))
                })
                .await;
                if let Ok(Err(err)) = added {
                    eprintln!("live records: {err}");
                }
            }
        });
    }
    let faults = args.enable_faults.then(Faults::default);
    let ancestors = if args.frame_ancestors.is_empty() {
        vec!["'self'".to_owned()]
    } else {
        args.frame_ancestors
    };
    let security = SecurityHeaders::with_connect_src(&ancestors, &args.connect_src);
    let state = AppState {
        pool,
        summary: !args.no_summary,
        dead_letter: !args.no_dead_letter,
        max_attempts: args.max_attempts,
        heavy: sync_logs_server::api::Heavy::new(
            usize::from(args.max_heavy_queries),
            std::time::Duration::from_millis(args.heavy_wait_ms),
        ),
    };
    let mut app =
        sync_logs_server::app_under(state.clone(), dist, &args.base_path, security, faults);
    if args.foreign_api {
        app = app.nest(
            "/api/foreign",
            sync_logs_server::foreign::router(state)
                .layer(axum::middleware::from_fn(headers::api_headers)),
        );
    }
    let app = sync_logs_server::guard(app, hosts);

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
    let address = listener.local_addr()?;
    // Tests and scripts read this line to find the port.
    println!("Sync Logs is running at http://{address}/");
    std::io::stdout().flush()?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
