//! Profiles: reading them (and every way one can be wrong), decoding through them,
//! the requests they make, and a property that nothing panics whatever they say.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::columns::{set_extra_columns, Column, Value as CellValue};
use crate::query::LogQuery;

/// A json-server style backend: nested fields, capital status words, epoch-millisecond
/// times, `_page`/`_limit` paging with `X-Total-Count` and `Link`.
fn json_server_profile() -> serde_json::Value {
    json!({
        "version": 1,
        "records": {
            "path": "/records",
            "fields": {
                "id": "uuid", "status": "state", "instance": "job.name", "entity_type": "job.entity",
                "source_id": "source.ref", "target_id": "target.ref", "operation": "action",
                "started_at": "startedAt", "finished_at": "finishedAt", "details": "error.message",
                "attempts": "tries", "correlation_id": "batch"
            },
            "times": "epoch_millis",
            "statuses": {"OK": "ok", "SENT": "ok", "DONE": "ok", "PENDING": "pending", "FAILED": "failed", "ERROR": "failed"},
            "operations": {"INSERT": "create", "UPSERT": "update", "REMOVE": "delete"},
            "extra_columns": [{"key": "warehouse", "label": "Warehouse", "path": "meta.warehouse", "filter": "list"}]
        },
        "query": {
            "params": {"instance": "job.name", "source_id": "source.ref_like", "statuses": "state",
                       "from": "startedAt_gte", "to": "startedAt_lte"},
            "times": "epoch_millis",
            "constants": {"_sort": "startedAt", "_order": "desc"},
            "page_size_param": "_limit",
            "max_page_size": 1000
        },
        "paging": {"style": "page", "param": "_page", "first": 1},
        "total": {"header": "X-Total-Count"},
        "credentials": "omit"
    })
}

fn read(value: serde_json::Value) -> (Option<BackendProfile>, Vec<String>) {
    let mut warnings = Vec::new();
    let profile = BackendProfile::from_json(&value, &mut warnings);
    (profile, warnings)
}

fn profile() -> BackendProfile {
    let (profile, warnings) = read(json_server_profile());
    assert!(warnings.is_empty(), "{warnings:?}");
    profile.unwrap()
}

const RECORD: &str = r#"{"uuid": 17, "state": "Failed", "job": {"name": "SAP B1 → Shopify", "entity": "item"},
    "source": {"ref": "ITEM-00007"}, "target": {"ref": null}, "action": "UPSERT",
    "startedAt": 1763632800000, "finishedAt": "1763632805250", "error": {"message": "Product <b> not found"},
    "tries": 3, "batch": "run-1", "meta": {"warehouse": "Leeds", "ignored": [1, 2]}, "noise": {"a": {"b": 1}}}"#;

#[test]
fn a_nested_record_decodes_with_every_conversion() {
    let profile = profile();
    let page = decode_page(&profile, format!("[{RECORD}]").as_bytes()).unwrap();
    let log = &page.items[0];
    assert!(log.flags.is_empty(), "{}", log.flags.summary());
    assert_eq!(log.id, "17");
    assert_eq!(log.status, Status::Failed);
    assert_eq!(log.instance, "SAP B1 → Shopify");
    assert_eq!(log.entity_type, "item");
    assert_eq!(log.source_id, "ITEM-00007");
    assert_eq!(log.target_id, None);
    assert_eq!(log.operation, Some(Operation::Update));
    assert_eq!(
        log.started_at,
        Utc.with_ymd_and_hms(2025, 11, 20, 10, 0, 0).unwrap()
    );
    assert_eq!(
        log.finished_at,
        Some(Utc.timestamp_millis_opt(1_763_632_805_250).unwrap())
    );
    assert_eq!(log.details.as_deref(), Some("Product <b> not found"));
    assert_eq!(log.attempts, Some(3));
    assert_eq!(log.correlation_id.as_deref(), Some("run-1"));
    assert_eq!(&*log.extras, [Some("Leeds".to_owned())]);
    set_extra_columns(&profile.extra_columns());
    let warehouse = Column::from_key("warehouse").unwrap();
    assert_eq!(warehouse.value(log), CellValue::Text("Leeds".into()));
}

#[test]
fn an_unknown_status_word_stays_raw_and_any_case_maps() {
    let profile = profile();
    for (word, status) in [
        ("ok", Status::Ok),
        ("SENT", Status::Ok),
        ("error", Status::Failed),
        ("Quarantined", Status::Other("Quarantined".into())),
    ] {
        assert_eq!(profile.records.status(word), status, "{word}");
    }
    assert_eq!(
        profile.records.status_words("failed"),
        ["ERROR", "FAILED"],
        "a status filter sends every word meaning it"
    );
}

#[test]
fn a_field_that_cannot_be_read_is_flagged_with_its_source_path() {
    let profile = profile();
    let body = r#"[{"uuid": "1", "state": "OK", "job": {"name": "A", "entity": "item"},
        "source": {"ref": "S"}, "startedAt": "yesterday"}]"#;
    let page = decode_page(&profile, body.as_bytes()).unwrap();
    let flag = page.items[0].flags.get("started_at").unwrap();
    assert_eq!(
        flag.to_string(),
        "started_at (from `startedAt`) is not valid: yesterday"
    );
}

#[test]
fn paths_that_match_nothing_say_so() {
    let (profile, warnings) = read(json!({
        "records": {"path": "/records", "fields": {"id": "data.attributes.uuid"}}
    }));
    assert!(warnings.is_empty());
    let profile = profile.unwrap();
    let body = format!(
        "[{}]",
        vec![r#"{"id": "1", "data": {"attributes": {}}}"#; 100].join(",")
    );
    let page = decode_page(&profile, body.as_bytes()).unwrap();
    assert_eq!(page.items.len(), 100);
    let messages = page.diagnostics.messages(&profile.records);
    assert!(
        messages[0].starts_with("0 of 100 items had a value at `data.attributes.uuid` (the id)"),
        "{messages:?}"
    );
    // A list path that is not there is an error naming what is.
    let (profile, _) = read(json!({"records": {"path": "/x", "items": "data.items"}}));
    let err = decode_page(&profile.unwrap(), br#"{"rows": [], "count": 0}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the answer has no list of records at `data.items` (it is an object with `rows`, `count`); \
         check backend.records.items in config.json"
    );
}

#[test]
fn envelopes_give_items_next_and_total() {
    let (profile, warnings) = read(json!({
        "records": {"path": "/logs", "items": "data.items"},
        "paging": {"style": "cursor", "next": "meta.next", "param": "after"},
        "total": {"path": "meta.total"}
    }));
    assert!(warnings.is_empty(), "{warnings:?}");
    let profile = profile.unwrap();
    let body = r#"{"meta": {"total": 12, "next": "abc"}, "data": {"items": [
        {"id": "1", "status": "ok", "instance": "A", "entity_type": "e", "source_id": "s",
         "started_at": "2026-11-20T10:00:00Z"}]}}"#;
    let page = decode_page(&profile, body.as_bytes()).unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.items[0].flags.is_empty());
    assert_eq!(page.next.as_deref(), Some("abc"));
    assert_eq!(page.total, Some(12));
    let next = profile
        .after(
            &PageCursor::First,
            &page,
            None,
            100,
            "http://127.0.0.1:9/api",
        )
        .unwrap();
    assert_eq!(next, PageCursor::Token("abc".into()));
    assert_eq!(
        profile
            .list_request(&LogQuery::default(), 100, &next)
            .unwrap(),
        "/logs?after=abc"
    );
}

#[test]
fn filters_go_under_the_backends_names() {
    let profile = profile();
    let query = LogQuery {
        instance: Some("SAP B1 → Shopify".into()),
        source_id: Some("ITEM-00007".into()),
        entity_type: Some("item".into()),
        statuses: vec!["failed".into()],
        from: Some(Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap()),
        ..LogQuery::default()
    };
    let (pairs, unmapped) = profile.filter_pairs(&query);
    assert_eq!(
        unmapped,
        ["entity_type"],
        "no parameter: filtered in the browser"
    );
    let request = profile
        .list_request(&query, 5000, &PageCursor::First)
        .unwrap();
    assert_eq!(
        request,
        "/records?job.name=SAP+B1+%E2%86%92+Shopify&source.ref_like=ITEM-00007\
         &startedAt_gte=1795132800000&state=ERROR&state=FAILED&_order=desc&_sort=startedAt\
         &_limit=1000&_page=1"
    );
    assert_eq!(pairs.len(), 5);
}

#[test]
fn every_paging_style_moves_on_and_stops() {
    let page = |n: usize| ProfilePage {
        items: (0..n)
            .map(|i| serde_json::from_value(json!({"id": i.to_string()})).unwrap())
            .collect(),
        ..ProfilePage::default()
    };
    let base = "http://127.0.0.1:4000/api";
    // Page numbers: a full page moves on, a short one ends.
    let p = profile();
    let next = p
        .after(&PageCursor::First, &page(1000), None, 5000, base)
        .unwrap();
    assert_eq!(next, PageCursor::Page(2));
    assert_eq!(
        p.after(&next, &page(10), None, 5000, base).unwrap(),
        PageCursor::Done
    );
    // Offsets.
    let (o, _) = read(
        json!({"records": {"path": "/r"}, "paging": {"style": "offset", "param": "skip"},
        "query": {"page_size_param": "take"}}),
    );
    let o = o.unwrap();
    let next = o
        .after(&PageCursor::First, &page(100), None, 100, base)
        .unwrap();
    assert_eq!(next, PageCursor::Offset(100));
    assert_eq!(
        o.list_request(&LogQuery::default(), 100, &next).unwrap(),
        "/r?take=100&skip=100"
    );
    // Next URLs from a Link header, on the API's origin only.
    let (l, _) = read(
        json!({"records": {"path": "/r"}, "paging": {"style": "next_url", "link_header": true}}),
    );
    let l = l.unwrap();
    let link = r#"<http://127.0.0.1:4000/api/r?_page=1>; rel="first", <http://127.0.0.1:4000/api/r?_page=2>; rel="next""#;
    assert_eq!(
        l.after(&PageCursor::First, &page(5), Some(link), 5, base)
            .unwrap(),
        PageCursor::Url("http://127.0.0.1:4000/api/r?_page=2".into())
    );
    let hostile = r#"<https://evil.example/steal>; rel="next""#;
    assert!(l
        .after(&PageCursor::First, &page(5), Some(hostile), 5, base)
        .is_err());
    assert_eq!(
        l.after(&PageCursor::First, &page(5), None, 5, base)
            .unwrap(),
        PageCursor::Done
    );
    // An empty page ends every style.
    assert_eq!(
        p.after(&PageCursor::First, &page(0), None, 10, base)
            .unwrap(),
        PageCursor::Done
    );
}

#[test]
fn link_headers_parse() {
    assert_eq!(
        parse_link_next(r#"<a?p=3>; rel="next", <a?p=9>; rel="last""#).as_deref(),
        Some("a?p=3")
    );
    assert_eq!(parse_link_next(r#"<a?p=1>; rel="prev""#), None);
    assert_eq!(parse_link_next("garbage <"), None);
    assert_eq!(
        resolve_same_origin("http://h:1/api/r?x=1", "/api/r?p=2").unwrap(),
        "http://h:1/api/r?p=2"
    );
    assert_eq!(
        resolve_same_origin("http://h:1/api/r?x=1", "?p=2").unwrap(),
        "http://h:1/api/r?p=2"
    );
    assert!(resolve_same_origin("http://h:1/api/r", "//evil/x").is_err());
    assert!(resolve_same_origin("http://h:1/api/r", "http://h:2/api/r").is_err());
}

#[test]
fn resync_bodies_fill_the_template() {
    let (p, warnings) = read(json!({"records": {"path": "/r"},
        "resync": {"path": "/replay", "body": {"record_ids": "{ids}", "reason": "console"}, "batch_size": 2}}));
    assert!(warnings.is_empty(), "{warnings:?}");
    let p = p.unwrap();
    assert_eq!(
        p.resync_body(&["a".into(), "b".into()]).unwrap(),
        json!({"record_ids": ["a", "b"], "reason": "console"})
    );
    assert_eq!(p.resync.unwrap().batch_size, 2);
}

#[test]
fn a_dead_letter_queue_maps_its_list_and_three_actions() {
    let (p, warnings) = read(json!({"records": {"path": "/records?kind=log"},
    "dead_letter": {
        "path": "/dead",
        "replay": {"path": "/dead/replay", "idempotency_key": true, "results": true},
        "discard": {"path": "/dead/discard", "method": "put",
                    "body": {"records": "{ids}", "note": "{reason}"}},
        "restore": {"path": "/dead/restore"}
    }}));
    assert!(warnings.is_empty(), "{warnings:?}");
    let p = p.unwrap();
    let queue = p.dead_letter.clone().unwrap();
    let ids = ["a".to_owned(), "b".to_owned()];
    let replay = queue.replay.unwrap();
    assert!(replay.idempotency_key && replay.results);
    assert_eq!(replay.body_for(&ids, None), json!({"ids": ["a", "b"]}));
    let discard = queue.discard.unwrap();
    assert_eq!(discard.method, "PUT");
    assert_eq!(
        discard.body_for(&ids, Some("duplicate \"order\"")),
        json!({"records": ["a", "b"], "note": "duplicate \"order\""})
    );
    assert_eq!(
        queue.restore.unwrap().body_for(&ids, None),
        json!({"ids": ["a", "b"]})
    );
    // The queue's list is read as the records are, from its own path.
    let scoped = p.for_dead_letter().unwrap();
    assert_eq!(scoped.records.path, "/dead");
    assert_eq!(scoped.records.statuses, p.records.statuses);
    assert_eq!(p.records.path, "/records?kind=log");
}

#[test]
fn a_discard_without_a_place_for_the_reason_is_refused() {
    let (p, warnings) = read(json!({"records": {"path": "/r"},
        "dead_letter": {"path": "/dead", "discard": {"path": "/d", "body": {"ids": "{ids}"}}}}));
    let queue = p.unwrap().dead_letter.unwrap();
    assert!(queue.discard.is_none() && queue.replay.is_none());
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("dead_letter.discard.body") && w.contains("{reason}")),
        "{warnings:?}"
    );
    // Without a list path there is no queue at all.
    let (p, warnings) =
        read(json!({"records": {"path": "/r"}, "dead_letter": {"replay": {"path": "/x"}}}));
    assert!(p.unwrap().dead_letter.is_none());
    assert!(
        warnings.iter().any(|w| w.contains("dead_letter.path")),
        "{warnings:?}"
    );
    let (p, _) = read(json!({"records": {"path": "/r"}}));
    assert!(p.unwrap().for_dead_letter().is_none());
}

// ---- malformed profiles: each bad key is named, with the form expected ----

#[test]
fn wrong_types_are_named_and_fall_back_one_by_one() {
    let (profile, warnings) = read(json!({
        "records": {"path": "/r", "fields": {"id": 7, "colour": "c"}, "times": "sundial",
                    "statuses": {"DONE": "finished"}, "extra_columns": "warehouse"},
        "query": {"params": {"source_id": ["x"]}, "lists": "semicolon", "max_page_size": 0},
        "credentials": true,
        "headers": {"Authorization": "Bearer secret", "X-Tenant": "acme"}
    }));
    let profile = profile.expect("a profile with bad keys still works");
    let text = warnings.join("\n");
    for key in [
        "backend.records.fields.id",
        "backend.records.fields.colour",
        "backend.records.times",
        "backend.records.statuses.DONE",
        "backend.records.extra_columns",
        "backend.query.params.source_id",
        "backend.query.lists",
        "backend.query.max_page_size",
        "backend.credentials",
        "backend.headers.Authorization",
    ] {
        assert!(text.contains(key), "{key} not named in:\n{text}");
    }
    assert_eq!(warnings.len(), 10, "{text}");
    assert_eq!(profile.records.path_of("id").unwrap().to_string(), "id");
    assert_eq!(
        profile.headers,
        [("X-Tenant".to_owned(), "acme".to_owned())]
    );
    assert_eq!(profile.credentials, Credentials::Include);
}

#[test]
fn an_unknown_paging_style_reads_one_page_and_says_so() {
    let (profile, warnings) =
        read(json!({"records": {"path": "/r"}, "paging": {"style": "scroll"}}));
    assert_eq!(profile.unwrap().paging, Paging::None);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("backend.paging.style must be"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("only the first page is read"));
}

#[test]
fn a_profile_that_cannot_work_is_ignored_with_a_reason() {
    for (value, key) in [
        (json!("yes"), "backend must be an object"),
        (
            json!({"version": 2, "records": {"path": "/r"}}),
            "backend.version",
        ),
        (
            json!({"records": {"path": "https://evil.example/r"}}),
            "backend.records.path",
        ),
        (json!({"records": []}), "backend.records"),
    ] {
        let (profile, warnings) = read(value);
        assert!(profile.is_none());
        assert!(
            warnings.iter().any(|w| w.contains(key)),
            "{key}: {warnings:?}"
        );
    }
}

// ---- never a panic ----

fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "[a-z_.{}/]{0,12}".prop_map(serde_json::Value::from),
        prop::sample::select(vec![
            "/r",
            "a.b",
            "{ids}",
            "page",
            "cursor",
            "offset",
            "next_url",
            "none",
            "epoch_millis",
            "epoch_seconds",
            "list",
            "number",
            "time",
            "OK",
            "ok",
            "x.y.z"
        ])
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "records",
                    "path",
                    "items",
                    "fields",
                    "id",
                    "status",
                    "started_at",
                    "times",
                    "statuses",
                    "extra_columns",
                    "key",
                    "label",
                    "kind",
                    "paging",
                    "style",
                    "next",
                    "param",
                    "total",
                    "header",
                    "query",
                    "params",
                    "resync",
                    "body",
                    "instances",
                    "name",
                    "a",
                    "b",
                    "x"
                ])
                .prop_map(String::from),
                inner,
                0..5,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever the profile and whatever the answer, reading, decoding and paging never
    /// panic.
    #[test]
    fn arbitrary_json_through_an_arbitrary_profile_never_panics(
        records in any_json(),
        rest in any_json(),
        body in any_json(),
    ) {
        let mut config = match rest {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        config.insert("records".into(), records);
        let mut warnings = Vec::new();
        if let Some(profile) = BackendProfile::from_json(&serde_json::Value::Object(config), &mut warnings) {
            set_extra_columns(&profile.extra_columns());
            let text = body.to_string();
            if let Ok(page) = decode_page(&profile, text.as_bytes()) {
                let _ = page.diagnostics.messages(&profile.records);
                for row in &page.items {
                    for column in Column::all() {
                        let _ = column.value(row).text();
                    }
                }
                let _ = profile.after(&PageCursor::First, &page, Some(&text), 10, "http://127.0.0.1:1/api");
            }
            let _ = profile.list_request(&LogQuery::default(), 10, &PageCursor::First);
            let _ = profile.resync_body(&["1".into()]);
        }
        prop_assert!(warnings.iter().all(|w| w.starts_with("config.json")));
    }
}

/// Every full `config.json` example in docs/backends.md reads without a warning, so the
/// page cannot drift from the parser.
#[test]
fn the_examples_in_the_docs_read_cleanly() {
    let page = include_str!("../../../../docs/backends.md");
    let mut checked = 0;
    for block in page.split("```json\n").skip(1) {
        let block = &block[..block.find("```").unwrap_or(block.len())];
        // Skeletons with `…` are not examples.
        if !block.trim_start().starts_with("{\n  \"api_base_url\"") || block.contains('…') {
            continue;
        }
        let (config, warnings) = crate::AppConfig::from_json(block);
        assert!(warnings.is_empty(), "{warnings:?} in\n{block}");
        assert!(config.backend.is_some(), "{block}");
        checked += 1;
    }
    assert_eq!(checked, 4, "the four worked examples");
}
