//! A record's history across runs, and what it says: a record failing again and again
//! with the same data error will not be fixed by another resync, one failing on
//! connectivity may well be.

use crate::clusters::normalise;
use crate::status::Tone;
use crate::triage::{classify, ErrorClass};
use crate::wire::SyncLog;

/// What a record's attempts (oldest first) say about resending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No attempt failed.
    NeverFailed,
    /// It failed before, and the latest attempt did not.
    Recovered { failures: usize },
    /// The latest attempts failed with the same data (or unrecognised) error.
    Stuck { times: usize, error: String },
    /// The latest attempts failed on connectivity or access: a resync may help later.
    Transient { times: usize },
    /// The latest attempt failed, without a pattern yet.
    Failing { times: usize },
    /// An operator discarded the latest attempt from the dead-letter queue.
    Discarded,
}

impl Verdict {
    /// The sentence shown above the history.
    pub fn message(&self) -> String {
        match self {
            Verdict::NeverFailed => "Every attempt went through.".to_owned(),
            Verdict::Recovered { failures } => format!(
                "Failed {failures} time(s) before; the latest attempt went through."
            ),
            Verdict::Stuck { times, .. } => format!(
                "Failed {times} times in a row with the same error: retrying will not help, fix the data in the source first."
            ),
            Verdict::Transient { times } => format!(
                "Failed {times} time(s) in a row on connectivity or access: likely transient; resync once the target is reachable."
            ),
            Verdict::Failing { times } => {
                format!("The latest {times} attempt(s) failed, with different errors.")
            }
            Verdict::Discarded => "The latest attempt was discarded from the dead-letter queue: nothing retries it (the audit trail says who and why).".to_owned(),
        }
    }

    /// Whether resending as it is is pointless.
    pub fn retry_is_futile(&self) -> bool {
        matches!(self, Verdict::Stuck { .. })
    }
}

/// The attempts of `record` among `rows` (same instance, entity type and source id),
/// oldest first: the history of a backend that offers no attempts endpoint.
pub fn attempts_in(rows: &[SyncLog], record: &SyncLog) -> Vec<SyncLog> {
    let mut found: Vec<SyncLog> = rows
        .iter()
        .filter(|r| {
            r.source_id == record.source_id
                && r.instance == record.instance
                && r.entity_type == record.entity_type
        })
        .cloned()
        .collect();
    found.sort_by_key(|r| r.started_at);
    found
}

/// A discarded attempt had failed too (it was dead-lettered first).
fn failed(row: &SyncLog) -> bool {
    matches!(
        row.status.tone(),
        Tone::Failed | Tone::Partial | Tone::Neutral
    )
}

/// Reads `attempts` (oldest first).
pub fn assess(attempts: &[SyncLog]) -> Verdict {
    let latest = attempts
        .iter()
        .rev()
        .find(|a| a.status.tone() != Tone::InFlight);
    if latest.is_some_and(|a| a.status.tone() == Tone::Neutral) {
        return Verdict::Discarded;
    }
    let trailing: Vec<&SyncLog> = attempts
        .iter()
        .rev()
        .skip_while(|a| a.status.tone() == Tone::InFlight)
        .take_while(|a| failed(a))
        .collect();
    if trailing.is_empty() {
        let failures = attempts.iter().filter(|a| failed(a)).count();
        return if failures == 0 {
            Verdict::NeverFailed
        } else {
            Verdict::Recovered { failures }
        };
    }
    let times = trailing.len();
    let message = |a: &SyncLog| a.details.clone().unwrap_or_default();
    let latest = message(trailing[0]);
    let class = classify(&latest);
    if class == ErrorClass::Connectivity {
        return Verdict::Transient { times };
    }
    let same = times >= 2
        && trailing
            .iter()
            .all(|a| normalise(&message(a)) == normalise(&latest));
    if same {
        Verdict::Stuck {
            times,
            error: latest,
        }
    } else {
        Verdict::Failing { times }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(status: &str, details: &str) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": status, "instance": "A", "entity_type": "item",
            "source_id": "TEE-S-RED", "started_at": "2026-11-20T10:00:00Z", "details": details,
        }))
        .unwrap()
    }

    #[test]
    fn a_discarded_latest_attempt_is_said_so_rather_than_a_success() {
        let attempts = [
            attempt("ok", ""),
            attempt("failed", "Connection refused"),
            attempt("discarded", "Connection refused"),
        ];
        assert_eq!(assess(&attempts), Verdict::Discarded);
        assert!(assess(&attempts).message().contains("discarded"));
        // Replayed since: the latest attempt decides.
        let replayed = [attempt("discarded", "x"), attempt("ok", "")];
        assert_eq!(assess(&replayed), Verdict::Recovered { failures: 1 });
    }

    #[test]
    fn the_same_data_error_again_and_again_means_fix_the_data() {
        let history = [
            attempt("success", ""),
            attempt(
                "failed",
                "Missing required field 'weight' on item TEE-S-RED",
            ),
            attempt(
                "failed",
                "Missing required field 'weight' on item TEE-S-RED",
            ),
            attempt(
                "failed",
                "Missing required field 'weight' on item TEE-S-RED",
            ),
        ];
        let verdict = assess(&history);
        assert!(
            matches!(verdict, Verdict::Stuck { times: 3, .. }),
            "{verdict:?}"
        );
        assert!(verdict.retry_is_futile());
        assert!(verdict.message().contains("retrying will not help"));
    }

    #[test]
    fn connectivity_failures_are_transient_and_a_success_recovers() {
        let timeouts = [
            attempt("failed", "Request timed out after 30000 ms"),
            attempt("failed", "Request timed out after 30000 ms"),
        ];
        assert_eq!(assess(&timeouts), Verdict::Transient { times: 2 });
        assert!(!assess(&timeouts).retry_is_futile());
        let recovered = [
            attempt("failed", "HTTP 429 Too Many Requests"),
            attempt("success", ""),
            attempt("pending", ""),
        ];
        assert_eq!(assess(&recovered), Verdict::Recovered { failures: 1 });
        assert_eq!(assess(&[attempt("ok", "")]), Verdict::NeverFailed);
        assert_eq!(assess(&[]), Verdict::NeverFailed);
    }

    #[test]
    fn one_failure_or_different_errors_are_not_yet_a_pattern() {
        let once = [attempt(
            "failed",
            "Missing required field 'weight' on item X-1",
        )];
        assert_eq!(assess(&once), Verdict::Failing { times: 1 });
        let different = [
            attempt("failed", "Missing required field 'weight' on item X-1"),
            attempt(
                "partially_failed",
                "Duplicate SKU 'X-1' found in source batch",
            ),
        ];
        assert_eq!(assess(&different), Verdict::Failing { times: 2 });
        // A resync in flight after the failures does not hide them.
        let pending = [
            attempt("failed", "Duplicate SKU 'X-1' found in source batch"),
            attempt("failed", "Duplicate SKU 'X-2' found in source batch"),
            attempt("pending", ""),
        ];
        assert!(matches!(assess(&pending), Verdict::Stuck { times: 2, .. }));
    }
}
