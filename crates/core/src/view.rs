//! The whole view state that lives in the URL: the server query plus the refinements
//! applied to loaded rows (the stat-card tone, search, column filters, error cluster and
//! sort). A copied URL reopens the same view; parsing is forgiving so a hand-edited link
//! still opens something sensible.

use crate::query::{decode_pairs, encode_pairs, LogQuery, QueryError};
use crate::refine::Refinements;
use crate::status::Tone;

/// Everything the URL of the Sync Logs page carries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    pub query: LogQuery,
    /// The stat card the table is narrowed to, if any.
    pub tone: Option<Tone>,
    /// Search, column filters and sort on the loaded rows.
    pub refine: Refinements,
}

impl ViewState {
    /// URL parameters: the query's, then the refinements'. The limit is left out when it
    /// equals `default_limit`, which keeps shared links short.
    pub fn to_pairs(&self, default_limit: u32) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .query
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        pairs.retain(|(k, v)| !(k == "limit" && *v == default_limit.to_string()));
        if let Some(tone) = self.tone {
            pairs.push(("tone".to_owned(), tone.key().to_owned()));
        }
        pairs.extend(self.refine.to_pairs());
        pairs
    }

    /// The URL query string, without `?`; empty for the default view.
    pub fn to_query_string(&self, default_limit: u32) -> String {
        encode_pairs(
            self.to_pairs(default_limit)
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
    }

    /// Reads URL parameters, forgivingly: a parameter that does not parse is dropped and
    /// reported, the rest of the view is kept. A missing limit is `default_limit`; an
    /// unknown tone is ignored.
    pub fn from_pairs(
        pairs: &[(String, String)],
        default_limit: u32,
    ) -> (ViewState, Option<QueryError>) {
        let mut kept: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut first_error = None;
        let query = loop {
            match LogQuery::from_pairs(kept.iter().copied()) {
                Ok(query) => break query,
                Err(err) => {
                    let bad = err.params();
                    kept.retain(|(k, _)| !bad.contains(k));
                    first_error.get_or_insert(err);
                }
            }
        };
        let has_limit = kept
            .iter()
            .any(|(k, v)| *k == "limit" && !v.trim().is_empty());
        let query = LogQuery {
            limit: if has_limit {
                query.limit
            } else {
                default_limit
            },
            ..query
        };
        let tone = kept
            .iter()
            .find(|(k, _)| *k == "tone")
            .and_then(|(_, v)| Tone::from_key(v));
        let refine = Refinements::from_pairs(kept.iter().copied());
        (
            ViewState {
                query,
                tone,
                refine,
            },
            first_error,
        )
    }

    /// The view that shows the run of `row`: its correlation id when it has one (within a
    /// day either side of its start, whatever the current range), else its instance
    /// within two minutes either side of its start. At least 1,000 rows are loaded.
    pub fn run_of(row: &crate::wire::SyncLog, limit: u32) -> ViewState {
        use chrono::Duration;
        let mut query = LogQuery {
            instance: Some(row.instance.to_string()),
            limit: limit.max(1_000),
            ..LogQuery::default()
        };
        let margin = match &row.correlation_id {
            Some(run) => {
                query.correlation_id = Some(run.clone());
                Duration::hours(24)
            }
            None => Duration::minutes(2),
        };
        query.from = Some(row.started_at - margin);
        query.to = Some(row.started_at + margin);
        ViewState {
            query,
            ..ViewState::default()
        }
    }

    /// Reads a query string (a leading `?` is skipped); see [`ViewState::from_pairs`].
    pub fn from_query_string(query: &str, default_limit: u32) -> (ViewState, Option<QueryError>) {
        ViewState::from_pairs(&decode_pairs(query), default_limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn every_filter_and_refinement_round_trips_with_odd_characters() {
        let view = ViewState {
            query: LogQuery {
                instance: Some("SAP B1 → Shopify & \"co\" #1".into()),
                entity_type: Some("bp".into()),
                source_id: Some("50%_off+=?/é😀".into()),
                correlation_id: Some("run 1&2".into()),
                ids: Vec::new(),
                statuses: vec!["failed".into()],
                from: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
                to: Some(Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap()),
                latest: true,
                limit: 100_000,
            },
            tone: Some(Tone::Partial),
            refine: {
                use crate::refine::{Column, Refinements, Sort};
                let mut r = Refinements {
                    search: "50% & é".into(),
                    cluster: Some("Product '<value>' not found & <n>".into()),
                    sort: Some(Sort {
                        column: Column::Started,
                        descending: true,
                    }),
                    ..Refinements::default()
                };
                r.set_list(
                    Column::Status,
                    vec!["failed".into(), "Quarantined <b>".into()],
                );
                r.set_list(Column::Instance, vec!["A → B".into()]);
                r.set_list(Column::EntityType, vec!["order".into()]);
                r.set_list(Column::Operation, vec!["".into(), "create".into()]);
                r.set_contains(Column::SourceId, Some("#1".into()));
                r.set_empty(Column::TargetId, true);
                r.set_contains(Column::Details, Some("=HYPERLINK(".into()));
                r
            },
        };
        let (back, error) = ViewState::from_query_string(&view.to_query_string(100), 100);
        assert_eq!(error, None);
        assert_eq!(back, view);
    }

    fn row(run: Option<&str>) -> crate::wire::SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": "failed", "instance": "A → B", "entity_type": "item",
            "source_id": "s", "started_at": "2026-11-20T10:00:00Z", "correlation_id": run
        }))
        .unwrap()
    }

    #[test]
    fn a_run_with_a_correlation_id_is_found_by_it() {
        let view = ViewState::run_of(&row(Some("run_1")), 100);
        assert_eq!(view.query.correlation_id.as_deref(), Some("run_1"));
        assert_eq!(view.query.instance.as_deref(), Some("A → B"));
        assert_eq!(view.query.limit, 1_000);
    }

    #[test]
    fn a_run_without_one_is_its_instance_within_two_minutes() {
        let r = row(None);
        let view = ViewState::run_of(&r, 5_000);
        assert_eq!(view.query.correlation_id, None);
        assert_eq!(
            view.query.from,
            Some(r.started_at - chrono::Duration::minutes(2))
        );
        assert_eq!(
            view.query.to,
            Some(r.started_at + chrono::Duration::minutes(2))
        );
        assert_eq!(view.query.limit, 5_000);
    }

    #[test]
    fn the_default_view_is_an_empty_query_string() {
        assert_eq!(ViewState::default().to_query_string(100), "");
        assert_eq!(
            ViewState::from_query_string("", 100),
            (ViewState::default(), None)
        );
    }

    #[test]
    fn every_tone_round_trips_and_unknown_tones_are_ignored() {
        for tone in Tone::CARDS {
            let view = ViewState {
                tone: Some(tone),
                ..ViewState::default()
            };
            assert_eq!(
                ViewState::from_query_string(&view.to_query_string(100), 100).0,
                view
            );
        }
        assert_eq!(
            ViewState::from_query_string("tone=purple", 100).0.tone,
            None
        );
    }

    #[test]
    fn the_configured_default_limit_is_implied_both_ways() {
        let (view, _) = ViewState::from_query_string("instance=a", 500);
        assert_eq!(view.query.limit, 500);
        assert_eq!(view.to_query_string(500), "instance=a");
        let mut small = view.clone();
        small.query.limit = 100;
        assert_eq!(
            ViewState::from_query_string(&small.to_query_string(500), 500).0,
            small
        );
    }

    #[test]
    fn a_bad_parameter_is_dropped_and_reported_while_the_rest_is_kept() {
        let (view, error) =
            ViewState::from_query_string("instance=a&limit=lots&from=nope&tone=failed", 100);
        assert_eq!(view.query.instance.as_deref(), Some("a"));
        assert_eq!(view.query.limit, 100);
        assert_eq!(view.query.from, None);
        assert_eq!(view.tone, Some(Tone::Failed));
        assert_eq!(error.map(|e| e.code()), Some("invalid_limit"));
    }
}
