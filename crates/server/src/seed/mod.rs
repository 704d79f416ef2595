//! Deterministic, realistic demo data: runs (batches with a correlation id) every few
//! minutes per instance over the 15 days before an anchor time, every status of both
//! vocabularies, and the error messages operators really meet, some of them long.
//!
//! The same options always give the same rows, so tests can rely on them.

mod catalogue;

use chrono::{DateTime, Duration, Utc};
use r2d2_sqlite::rusqlite::Connection;
use sync_logs_core::{Operation, Status, SyncLog};

use crate::db::{self, DbError};
use catalogue::{InstanceSpec, Vocabulary, INSTANCES};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub count: u64,
    /// The newest run starts just before this instant.
    pub anchor: DateTime<Utc>,
    /// The random seed; the same seed gives the same data.
    pub seed: u64,
}

/// The span of history the demo covers, matching the console's widest range.
pub const HISTORY_DAYS: i64 = 15;

/// Replaces the store's contents with generated records and indexes them.
pub fn seed(conn: &mut Connection, options: &SeedOptions) -> Result<u64, DbError> {
    let tx = conn.transaction()?;
    tx.execute_batch(
        "DELETE FROM sync_logs; DELETE FROM instances; DELETE FROM source_refs; DELETE FROM idempotency;
         DELETE FROM events;",
    )?;
    let mut chunk = Vec::with_capacity(10_000);
    for log in Generator::new(options) {
        chunk.push(log);
        if chunk.len() == chunk.capacity() {
            db::insert_rows(&tx, &chunk)?;
            chunk.clear();
        }
    }
    db::insert_rows(&tx, &chunk)?;
    tx.commit()?;
    db::create_indexes(conn)?;
    db::mark_superseded(conn)?;
    conn.execute_batch("ANALYZE;")?;
    db::count_logs(conn)
}

/// Yields `count` records, newest run first.
pub struct Generator {
    rng: fastrand::Rng,
    anchor: DateTime<Utc>,
    total: u64,
    remaining: u64,
    next_id: u64,
    run_gap_ms: i64,
    mean_batch: u64,
    run: Option<Run>,
}

/// The run being generated.
struct Run {
    instance: &'static InstanceSpec,
    correlation_id: String,
    started: DateTime<Utc>,
    left: u64,
    /// Time between two records of the run entering the pipeline.
    step_ms: i64,
    /// Set on runs during an outage: most records fail with this message.
    outage: Option<&'static str>,
}

impl Generator {
    pub fn new(options: &SeedOptions) -> Generator {
        // About one run every five minutes over the history; larger seeds get larger runs.
        let slots = (HISTORY_DAYS * 24 * 12) as u64;
        let mean_batch = (options.count / slots).clamp(5, 400);
        let runs = options.count.div_ceil(mean_batch).max(1);
        Generator {
            rng: fastrand::Rng::with_seed(options.seed),
            anchor: options.anchor,
            total: options.count.max(1),
            remaining: options.count,
            next_id: 10_000_000 + options.count,
            run_gap_ms: Duration::days(HISTORY_DAYS).num_milliseconds() / runs as i64,
            mean_batch,
            run: None,
        }
    }

    fn start_run(&mut self) -> Run {
        // Place the run by how much of the data is already generated, so the history spans
        // exactly HISTORY_DAYS whatever the batch sizes turned out to be.
        let done = (self.total - self.remaining) as f64 / self.total as f64;
        let history_ms = Duration::days(HISTORY_DAYS).num_milliseconds() - 60_000;
        let rng = &mut self.rng;
        let offset = (done * history_ms as f64) as i64 + rng.i64(0..=self.run_gap_ms / 2);
        let started = self.anchor - Duration::seconds(30) - Duration::milliseconds(offset);
        let instance = &INSTANCES[rng.usize(..INSTANCES.len())];
        let size = rng
            .u64(self.mean_batch / 2..=self.mean_batch * 3 / 2)
            .max(1);
        let outage = (rng.u8(..25) == 0).then(|| pick(rng, catalogue::CONNECTIVITY_ERRORS));
        Run {
            instance,
            correlation_id: format!("run_{:012x}", rng.u64(..) & 0xffff_ffff_ffff),
            started,
            left: size,
            step_ms: rng.i64(100..1_500),
            outage,
        }
    }

    fn record(&mut self, run: &Run, index_in_run: u64) -> SyncLog {
        let rng = &mut self.rng;
        let spec = run.instance;
        let entity_type = spec.entity_types[rng.usize(..spec.entity_types.len())];
        let started = run.started + Duration::milliseconds(index_in_run as i64 * run.step_ms);
        let recent = self.anchor - started < Duration::minutes(15);
        let status = pick_status(rng, spec.vocabulary, recent, run.outage.is_some());
        let source_id = source_reference(rng, spec, entity_type);
        let sku = format!(
            "{}-{}-{}",
            pick(rng, catalogue::STYLES),
            pick(rng, catalogue::SIZES),
            pick(rng, catalogue::COLOURS)
        );
        let fill = |template: &str, rng: &mut fastrand::Rng| {
            template
                .replace("{sku}", &sku)
                .replace("{shop}", spec.shop)
                .replace("{id}", &source_id)
                .replace("{n}", &rng.u32(1000..999_999).to_string())
        };
        let tone = status.tone();
        let details = match (&status, run.outage) {
            (Status::Failed, Some(message)) => Some(fill(message, rng)),
            (Status::Failed, None) => Some(fill(failure_template(rng), rng)),
            (Status::ExtractionFailed, _) => {
                Some(fill(pick(rng, catalogue::EXTRACTION_ERRORS), rng))
            }
            (Status::PartialSuccess | Status::PartiallyFailed, _) => {
                Some(fill(pick(rng, catalogue::PARTIAL_MESSAGES), rng))
            }
            (Status::Pending, _) => Some(format!(
                "Destination endpoint did not answer; retry {} of 4 scheduled",
                rng.u8(1..4)
            )),
            (Status::Sent, _) => {
                Some("File uploaded; awaiting acknowledgement from endpoint".into())
            }
            _ => None,
        };
        let operation = match rng.u8(..100) {
            0..=24 => Operation::Create,
            25..=92 => Operation::Update,
            _ => Operation::Delete,
        };
        let written = matches!(
            tone,
            sync_logs_core::Tone::Success | sync_logs_core::Tone::Partial
        ) || operation != Operation::Create;
        let in_flight = tone == sync_logs_core::Tone::InFlight;
        // A connectivity failure in an outage was retried by the worker until it ran
        // out of attempts: it is in the dead-letter queue. Other failures are data
        // errors, failed at once (and perhaps resynced by hand since).
        let dead_lettered = status == Status::Failed && run.outage.is_some();
        let attempts = match tone {
            _ if dead_lettered => crate::resync::MAX_ATTEMPTS,
            sync_logs_core::Tone::Failed => rng.u32(1..=3),
            _ if rng.u8(..10) == 0 => 2,
            _ => 1,
        };
        let finished_at =
            (!in_flight).then(|| started + Duration::milliseconds(rng.i64(150..25_000)));
        self.next_id -= 1;
        SyncLog {
            id: self.next_id.to_string(),
            status,
            instance: spec.name.into(),
            entity_type: entity_type.into(),
            source_system: Some(spec.source.into()),
            target_system: Some(spec.target.into()),
            target_id: written.then(|| target_reference(spec, &source_id)),
            source_id,
            operation: Some(operation),
            started_at: started,
            finished_at,
            dead_lettered_at: dead_lettered.then_some(finished_at).flatten(),
            dead_letter_reason: if dead_lettered { details.clone() } else { None },
            details,
            attempts: Some(attempts),
            correlation_id: Some(run.correlation_id.clone()),
            endpoint_id: Some(spec.endpoint.into()),
            latest_sync_info: Some(pick(rng, catalogue::SYNC_INFO).into()),
            flags: Default::default(),
            extras: Default::default(),
        }
    }
}

impl Iterator for Generator {
    type Item = SyncLog;

    fn next(&mut self) -> Option<SyncLog> {
        if self.remaining == 0 {
            return None;
        }
        let mut run = match self.run.take() {
            Some(run) if run.left > 0 => run,
            _ => self.start_run(),
        };
        run.left -= 1;
        // Records of a run are yielded newest first, like the API lists them.
        let log = self.record(&run, run.left);
        self.remaining -= 1;
        self.run = Some(run);
        Some(log)
    }
}

/// The success status an instance reports in: `ok` for the Patchworks-style jobs,
/// `success` for the others (and for instances the demo does not know).
pub fn success_status_of(instance: &str) -> &'static str {
    match INSTANCES.iter().find(|spec| spec.name == instance) {
        Some(spec) if spec.vocabulary == Vocabulary::Patchworks => "ok",
        _ => "success",
    }
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

fn pick_status(
    rng: &mut fastrand::Rng,
    vocabulary: Vocabulary,
    recent: bool,
    outage: bool,
) -> Status {
    let roll = rng.u8(..100);
    if outage && roll < 85 {
        return Status::Failed;
    }
    match (vocabulary, recent) {
        (Vocabulary::RunHistory, true) if roll < 25 => Status::InProgress,
        (Vocabulary::RunHistory, true) if roll < 35 => Status::Extracting,
        (Vocabulary::Patchworks, true) if roll < 20 => Status::Pending,
        (Vocabulary::Patchworks, true) if roll < 35 => Status::Sent,
        (Vocabulary::RunHistory, _) => match rng.u8(..100) {
            0..=71 => Status::Success,
            72..=77 => Status::Completed,
            78..=83 => Status::PartialSuccess,
            84..=86 => Status::PartiallyFailed,
            87..=96 => Status::Failed,
            _ => Status::ExtractionFailed,
        },
        (Vocabulary::Patchworks, _) => match rng.u8(..100) {
            0..=79 => Status::Ok,
            80..=83 => Status::Sent,
            84..=86 => Status::Pending,
            _ => Status::Failed,
        },
    }
}

/// A failure message: mostly short, sometimes a long echoed payload or an HTML page.
fn failure_template(rng: &mut fastrand::Rng) -> &'static str {
    match rng.u16(..1000) {
        0..=4 => catalogue::HTML_ERROR,
        5..=24 => long_error(),
        25..=549 => pick(rng, catalogue::DATA_ERRORS),
        _ => pick(rng, catalogue::CONNECTIVITY_ERRORS),
    }
}

/// A ~6 KB message, built once: the head followed by the echoed request payload.
fn long_error() -> &'static str {
    static LONG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LONG.get_or_init(|| {
        let mut text = String::from(catalogue::LONG_ERROR_HEAD);
        text.push('\n');
        for line in 0..60 {
            text.push_str(&format!(
                "  {{\"LineNum\": {line}, \"ItemCode\": \"{{id}}\", \"U_WebCategory\": \"Apparel > Tops > T-Shirts\", \"Quantity\": {}}}\n",
                line * 3 + 1
            ));
        }
        text
    })
}

fn source_reference(rng: &mut fastrand::Rng, spec: &InstanceSpec, entity_type: &str) -> String {
    let n = rng.u32(..2_000);
    match entity_type {
        "item" if spec.source == "SAP Business One" => format!("A{:05}", n),
        "item" | "price" => format!(
            "{}-{}-{}",
            pick(rng, catalogue::STYLES),
            pick(rng, catalogue::SIZES),
            pick(rng, catalogue::COLOURS)
        ),
        "bp" => format!("C{:05}", 20_000 + n),
        "order" if spec.source == "Shopify" => format!("#{}", 1_000 + n),
        "order" => format!("SO-{:06}", 100_000 + n),
        "inventory" => format!("A{:05}@WH-{}", n, rng.u8(1..=3)),
        "fulfillment" => format!("IF-{:06}", 300_000 + n),
        "customer" => format!("cust_{:07}", 4_000_000 + n),
        "refund" => format!("RF-{:06}", 500_000 + n),
        other => format!("{other}-{n}"),
    }
}

/// A stable target id per source record, so repeated syncs of one record agree.
fn target_reference(spec: &InstanceSpec, source_id: &str) -> String {
    // FNV-1a: a fixed, dependency-free hash, stable across runs and platforms.
    let hash = source_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    match spec.target {
        "Shopify" => format!(
            "gid://shopify/Product/{}",
            7_000_000_000 + hash % 1_000_000_000
        ),
        "Brightpearl" => format!("{}", 100_000 + hash % 900_000),
        _ => format!("orders_{:08}.csv", hash % 100_000_000),
    }
}

/// `count` new records that started in the minute before `now`, newest first, with ids
/// no other record has: what a live pipeline adds between two refreshes. Used by the
/// demo's `--live-every` and by tests (`POST /__generate`).
pub fn fresh(count: u64, now: DateTime<Utc>) -> Vec<SyncLog> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let options = SeedOptions {
        count,
        anchor: now,
        seed: now.timestamp_millis() as u64,
    };
    let step = 60_000 / count.max(1) as i64;
    Generator::new(&options)
        .enumerate()
        .map(|(n, mut log)| {
            let serial = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            log.id = format!(
                "{}",
                90_000_000_000 + now.timestamp() as u64 * 1_000 + serial % 1_000
            );
            let started = now - Duration::milliseconds(1 + step * n as i64);
            if let Some(finished) = log.finished_at {
                log.finished_at = Some(started + (finished - log.started_at));
            }
            log.started_at = started;
            log
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::BTreeSet;

    fn options(count: u64) -> SeedOptions {
        SeedOptions {
            count,
            anchor: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
            seed: 7,
        }
    }

    #[test]
    fn generates_exactly_count_unique_records_in_runs() {
        let logs: Vec<_> = Generator::new(&options(3_000)).collect();
        assert_eq!(logs.len(), 3_000);
        let ids: BTreeSet<_> = logs.iter().map(|l| l.id.clone()).collect();
        assert_eq!(ids.len(), 3_000);
        // Within a run, records are yielded newest first and share one instance.
        for pair in logs.windows(2) {
            if pair[0].correlation_id == pair[1].correlation_id {
                assert!(pair[0].started_at > pair[1].started_at);
                assert_eq!(pair[0].instance, pair[1].instance);
            }
        }
        let runs: BTreeSet<_> = logs.iter().map(|l| l.correlation_id.clone()).collect();
        assert!(runs.len() > 100, "{} runs", runs.len());
    }

    #[test]
    fn is_deterministic() {
        let a: Vec<_> = Generator::new(&options(500)).collect();
        let b: Vec<_> = Generator::new(&options(500)).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn covers_every_status_and_the_history_window() {
        let opts = options(20_000);
        let logs: Vec<_> = Generator::new(&opts).collect();
        let statuses: BTreeSet<_> = logs.iter().map(|l| l.status.clone()).collect();
        // Only an operator discards a record.
        for status in Status::KNOWN
            .into_iter()
            .filter(|s| *s != Status::Discarded)
        {
            assert!(statuses.contains(&status), "missing {status:?}");
        }
        let dead = logs.iter().filter(|l| l.dead_lettered_at.is_some()).count();
        assert!(dead > 20, "{dead} dead-lettered");
        let oldest = logs.last().unwrap().started_at;
        assert!(opts.anchor - oldest > Duration::days(HISTORY_DAYS - 1));
        assert!(opts.anchor - oldest < Duration::days(HISTORY_DAYS + 1));
        assert!(logs
            .iter()
            .any(|l| l.details.as_ref().is_some_and(|d| d.len() > 4_000)));
        assert!(logs.iter().all(|l| l.started_at <= opts.anchor));
    }

    #[test]
    fn fresh_records_are_new_and_recent() {
        let now = Utc::now();
        let logs = fresh(25, now);
        assert_eq!(logs.len(), 25);
        let ids: std::collections::HashSet<&str> = logs.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids.len(), 25);
        for log in &logs {
            assert!(log.started_at < now && log.started_at > now - Duration::minutes(1));
            assert!(log.finished_at.is_none_or(|f| f >= log.started_at));
        }
        assert!(logs.windows(2).all(|w| w[0].started_at > w[1].started_at));
    }
}
