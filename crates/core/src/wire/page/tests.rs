use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::wire::{body_text, SyncLogPage, WIRE_FIELDS};

/// What one page's body decodes to, in one go or in slices of `step` records, both read
/// as the app reads a body (`body_text`).
fn in_one_go(body: &[u8]) -> Result<SyncLogPage, String> {
    serde_json::from_str(&body_text(body)).map_err(|e| e.to_string())
}

fn in_slices(body: &[u8], step: usize) -> Result<SyncLogPage, String> {
    let text = body_text(body);
    let mut page = PageInSlices::read(&text).map_err(|e| e.to_string())?;
    let mut items = Vec::new();
    while page
        .decode_next(step, &mut items)
        .map_err(|e| e.to_string())?
    {}
    Ok(SyncLogPage {
        items,
        next_cursor: page.next_cursor,
    })
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
        Just(Value::from("2026-11-20T10:00:00Z")),
        Just(Value::from("ok")),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A record: some wire fields with any values (or, now and then, not an object at all).
fn any_item() -> impl Strategy<Value = Value> {
    prop_oneof![
        9 => prop::collection::vec(prop::option::of(any_value()), WIRE_FIELDS.len()).prop_map(|values| {
            Value::Object(
                WIRE_FIELDS
                    .iter()
                    .zip(values)
                    .filter_map(|(field, value)| value.map(|v| ((*field).to_owned(), v)))
                    .collect(),
            )
        }),
        1 => any_value(),
    ]
}

fn any_page() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(any_item(), 0..40),
        prop::option::of(prop_oneof![
            ".{0,12}".prop_map(Value::from),
            Just(Value::Null),
            any_value()
        ]),
        any_value(),
    )
        .prop_map(|(items, cursor, extra)| {
            let mut page = json!({ "items": items, "extra": extra });
            if let Some(cursor) = cursor {
                page["next_cursor"] = cursor;
            }
            page
        })
}

proptest! {
    /// Any page, in slices of any size: the records and the cursor decoded in one go.
    #[test]
    fn slices_decode_what_one_go_decodes(page in any_page(), step in 1..50_usize) {
        for body in [page.to_string(), serde_json::to_string_pretty(&page).unwrap()] {
            let body = body.into_bytes();
            prop_assert_eq!(in_slices(&body, step), in_one_go(&body));
        }
    }

    /// A body cut anywhere (a truncated answer), or with one byte changed: the envelope
    /// fails where one go fails, and otherwise the slices give the same page.
    #[test]
    fn a_damaged_body_fails_where_one_go_fails(
        page in any_page(),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        step in 1..50_usize,
    ) {
        let body = page.to_string().into_bytes();
        let truncated = &body[..cut.index(body.len() + 1)];
        prop_assert_eq!(in_slices(truncated, step).is_ok(), in_one_go(truncated).is_ok());
        let mut changed = body.clone();
        let i = at.index(changed.len());
        changed[i] = byte;
        let (sliced, whole) = (in_slices(&changed, step), in_one_go(&changed));
        prop_assert_eq!(sliced.is_ok(), whole.is_ok(), "{:?} / {:?}", sliced, whole);
        if let (Ok(sliced), Ok(whole)) = (sliced, whole) {
            prop_assert_eq!(sliced, whole);
        }
    }
}

#[test]
fn a_page_without_items_or_with_items_not_a_list_fails_at_the_envelope() {
    for body in [
        r#"{}"#,
        r#"{"items":null}"#,
        r#"{"items":{"a":1}}"#,
        "[]",
        "",
    ] {
        assert!(PageInSlices::read(body).is_err(), "{body}");
        assert!(in_one_go(body.as_bytes()).is_err(), "{body}");
    }
}

#[test]
fn asking_for_more_than_is_left_decodes_what_is_left() {
    let body = r#"{"items":[{"id":"1"},{"id":"2"}],"next_cursor":"c"}"#;
    let mut page = PageInSlices::read(body).unwrap();
    let mut out = Vec::new();
    assert!(page.decode_next(1, &mut out).unwrap());
    assert!(!page.decode_next(10, &mut out).unwrap());
    assert!(!page.decode_next(5, &mut out).unwrap());
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].id, "2");
    assert_eq!(page.next_cursor.as_deref(), Some("c"));
}

/// The usual envelope (an object, its keys once each, the cursor before or after the
/// list, other keys anywhere, white space anywhere) is read as it streams past, never
/// read whole a second time.
#[test]
fn the_usual_envelope_is_read_in_one_pass() {
    for body in [
        r#"{"items":[{"id":"1"},{"id":"2"}],"next_cursor":"c"}"#,
        r#"{"next_cursor":"c","total":{"n":[1,2]},"items":[{"id":"1"},{"id":"2"}]}"#,
        " {\n \"x\" : null ,\"items\"\t: [ {\"id\":\"1\"} ,\r\n{\"id\":\"2\"} ] , \"next_cursor\" : \"c\" } \n",
        r#"{"ite\u006ds":[{"id":"1"},{"id":"2"}],"next_cursor":"c","more":[[]]}"#,
    ] {
        let mut page = PageInSlices::read(body).unwrap();
        assert!(matches!(page.stage, Stage::Items { .. }), "{body}");
        let mut out = Vec::new();
        while page.decode_next(1, &mut out).unwrap() {}
        assert!(matches!(page.stage, Stage::Done), "{body}");
        let whole = in_one_go(body.as_bytes()).unwrap();
        assert_eq!(out, whole.items, "{body}");
        assert_eq!(page.next_cursor, whole.next_cursor, "{body}");
        assert_eq!(page.next_cursor.as_deref(), Some("c"), "{body}");
    }
}

/// Envelopes of other shapes decode exactly as in one go, and faults anywhere (before,
/// inside or after the list) fail the page as one go fails it.
#[test]
fn unusual_envelopes_decode_or_fail_as_in_one_go() {
    for body in [
        // A struct as a list: serde's other form of an object.
        r#"[[{"id":"1"}],"c"]"#,
        r#"{"items":[{"id":"1"}],"next_cursor":"c","next_cursor":"d"}"#,
        r#"{"items":[{"id":"1"}],"items":[]}"#,
        r#"{"next_cursor":"c","next_cursor":"d","items":[]}"#,
        r#"{"items":[{"id":"1"}]} x"#,
        r#"{"items":[{"id":"1"}],}"#,
        r#"{"items":[{"id":"1"},]}"#,
        r#"{"items":[,{"id":"1"}]}"#,
        r#"{"items":[{"id":"1"} {"id":"2"}]}"#,
        r#"{"items":[{"id":"1"}],"next_cursor":5}"#,
        r#"{"items":[{"id":"1"}],"next_cursor":null}"#,
        r#"{"items":[1,"x",null,[2]]}"#,
        r#"{"items":[{"id":"1"}] "next_cursor":"c"}"#,
        r#"{"items":[{"id":"1"}],"extra":tru}"#,
        r#"{"items":[{"id":"1"}]"#,
        r#"{"items":[{"id":"1"}"#,
        r#"{"items":[]}"#,
    ] {
        let sliced = in_slices(body.as_bytes(), 1);
        let whole = in_one_go(body.as_bytes());
        assert_eq!(
            sliced.is_ok(),
            whole.is_ok(),
            "{body}: {sliced:?} / {whole:?}"
        );
        if let (Ok(sliced), Ok(whole)) = (sliced, whole) {
            assert_eq!(sliced, whole, "{body}");
        }
    }
}

/// The error of a broken page is the one reading it whole gives, wherever the streamed
/// reading met it.
#[test]
fn a_broken_page_fails_with_the_error_of_the_whole_page() {
    let body = r#"{"items":[{"id":"1"},{"id":"2"}],"next_cursor":"c","next_cursor":"d"}"#;
    let whole = serde_json::from_str::<SyncLogPage>(body)
        .unwrap_err()
        .to_string();
    let mut page = PageInSlices::read(body).unwrap();
    let mut out = Vec::new();
    assert!(page.decode_next(1, &mut out).unwrap());
    let error = page.decode_next(5, &mut out).unwrap_err();
    assert!(matches!(error, PageError::Envelope(_)), "{error:?}");
    assert_eq!(error.to_string(), whole);
}

/// A byte that is not UTF-8 is a U+FFFD where it stands, whether in a field the app reads
/// or one it ignores, in one go and in slices alike (found by the proptest above: read
/// from bytes, a stray byte in an ignored field failed the sliced page and not the other).
#[test]
fn a_stray_byte_is_a_replacement_character_and_fails_nothing() {
    let mut body =
        br#"{"items":[{"id":"a?","status":"ok","x":"?"},{"id":"b"}],"extra":"?"}"#.to_vec();
    for byte in body.iter_mut().filter(|b| **b == b'?') {
        *byte = 0xd0;
    }
    assert!(std::str::from_utf8(&body).is_err());
    let (sliced, whole) = (in_slices(&body, 1).unwrap(), in_one_go(&body).unwrap());
    assert_eq!(sliced, whole);
    assert_eq!(sliced.items.len(), 2);
    assert_eq!(sliced.items[0].id, "a\u{fffd}");
    assert_eq!(sliced.items[1].id, "b");
}

/// A record nested past serde_json's limit fails the page as in one go; a record just
/// within the limit on its own, though not with the envelope's two levels, is a row.
#[test]
fn nesting_is_limited_per_record() {
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let page = |depth: usize| format!(r#"{{"items":[{{"id":"1","details":{}}}]}}"#, nested(depth));
    let deep = page(200);
    assert!(in_one_go(deep.as_bytes()).is_err());
    assert!(in_slices(deep.as_bytes(), 1).is_err());
    let within = page(126);
    assert!(in_one_go(within.as_bytes()).is_err());
    let rows = in_slices(within.as_bytes(), 1).unwrap().items;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].flags.get("details").is_some());
}
