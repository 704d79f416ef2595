//! Component tests in a real browser (headless Chromium through wasm-bindgen-test):
//! each mounts a component into the page and checks the DOM a user would see.
#![cfg(target_arch = "wasm32")]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use sync_logs::api::{decode_page_into, ApiError, NetworkFailure, SlicedError};
use sync_logs::components::{
    error_clusters::ErrorClusters, log_table::LogTable, stat_cards::StatCards, states::ErrorState,
    status_badge::StatusBadge,
};
use sync_logs::hooks::use_csv_export::FileParts;
use sync_logs::hooks::use_embedding::watch_scroll_height;
use sync_logs::hooks::use_summary::RangeCounts;
use sync_logs_core::{
    clusters::ClusterIndex, summary::Summary, Stats, Status, SyncLog, TimeZonePref, Tone,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element of the page and returns that element.
fn mount<F, N>(view: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

fn log(id: &str, status: &str, details: Option<&str>) -> SyncLog {
    serde_json::from_value(serde_json::json!({
        "id": id, "status": status, "instance": "SAP B1 → Shopify", "entity_type": "item",
        "source_id": format!("SKU-{id}"), "started_at": "2026-11-20T10:00:05Z",
        "operation": "update", "details": details,
    }))
    .unwrap()
}

#[wasm_bindgen_test]
fn every_known_status_has_its_label_tone_and_an_icon() {
    for status in Status::KNOWN {
        let label = status.label().to_owned();
        let tone = status.tone().key();
        let host = mount(move || view! { <StatusBadge status=status /> });
        let badge = host.query_selector(".badge").unwrap().unwrap();
        assert!(
            badge.class_list().contains(&format!("tone-{tone}")),
            "{label}"
        );
        assert_eq!(
            badge.get_attribute("title").as_deref(),
            Some(label.as_str())
        );
        assert_eq!(
            host.query_selector(".badge-label")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap(),
            label
        );
        let icon = host.query_selector(".badge-icon").unwrap().unwrap();
        assert!(!icon.text_content().unwrap().is_empty());
        assert_eq!(icon.get_attribute("aria-hidden").as_deref(), Some("true"));
    }
}

#[wasm_bindgen_test]
fn an_unknown_status_is_shown_raw_and_marked_unknown() {
    let host = mount(|| view! { <StatusBadge status=Status::parse("Quarantined") /> });
    let text = host.text_content().unwrap();
    assert!(text.contains("Quarantined"), "{text}");
    assert!(text.contains("unknown status"), "{text}");
    let badge = host.query_selector(".badge").unwrap().unwrap();
    assert!(badge.class_list().contains("tone-unknown"));
}

fn table(rows: Vec<SyncLog>) -> web_sys::HtmlElement {
    let visible: Arc<Vec<u32>> = Arc::new((0..rows.len() as u32).collect());
    let rows = Arc::new(rows);
    mount(move || {
        view! {
            <LogTable
                rows=Signal::stored(rows)
                visible=Signal::stored(visible)
                columns=Signal::stored(sync_logs_core::columns::default_columns())
                zone=Signal::stored(TimeZonePref::Utc)
                sort=Signal::stored(None)
                on_sort=Callback::new(|_| {})
                filtered=Signal::stored(Vec::new())
                open_filter=Signal::stored(None)
                on_filter=Callback::new(|_| {})
                on_show_run=Callback::new(|_: u32| {})
                on_history=Callback::new(|_: u32| {})
                selection=Signal::stored(sync_logs_core::selection::Selection::None)
                header_check=Signal::stored(sync_logs_core::selection::HeaderCheck::Unchecked)
                on_toggle=Callback::new(|_| {})
                on_toggle_all=Callback::new(|_| {})
            />
        }
    })
}

#[wasm_bindgen_test]
fn the_table_renders_one_row_per_record_and_backend_text_as_text() {
    let hostile = "<img src=x onerror=alert(1)> & <b>bold</b>";
    let host = table(vec![
        log("1", "failed", Some(hostile)),
        log("2", "ok", None),
        log("3", "partial_success", Some("image sync failed")),
    ]);
    let body_rows = host.query_selector_all("tbody tr[data-id]").unwrap();
    assert_eq!(body_rows.length(), 3);
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "markup was interpreted"
    );
    assert!(
        host.query_selector("b").unwrap().is_none(),
        "markup was interpreted"
    );
    let first = host
        .query_selector("tbody tr[data-id='1']")
        .unwrap()
        .unwrap();
    assert!(first.text_content().unwrap().contains(hostile));
    assert!(first
        .text_content()
        .unwrap()
        .contains("2026-11-20 10:00:05"));
    let headers = host.query_selector_all("thead th").unwrap();
    assert_eq!(headers.length(), 10);
    assert!(host.text_content().unwrap().contains("Started (UTC)"));
}

#[wasm_bindgen_test]
async fn only_the_rows_in_view_are_in_the_dom() {
    let rows: Vec<_> = (0..20_000)
        .map(|i| log(&i.to_string(), "ok", None))
        .collect();
    let host = table(rows);
    let rendered = || {
        host.query_selector_all("tbody tr[data-id]")
            .unwrap()
            .length()
    };
    assert!(
        rendered() > 0 && rendered() < 120,
        "{} rows rendered",
        rendered()
    );
    // Still so once the table has been measured, although nothing bounds its height in
    // this page: the rows in view never exceed the window's height.
    frames().await;
    frames().await;
    assert!(
        rendered() > 0 && rendered() < 120,
        "{} rows rendered",
        rendered()
    );
    let table = host.query_selector("table").unwrap().unwrap();
    assert_eq!(
        table.get_attribute("aria-rowcount").as_deref(),
        Some("20001")
    );
}

#[wasm_bindgen_test]
fn long_details_show_a_bounded_preview_and_a_triage_tag() {
    let long = format!("HTTP 401 Unauthorized: {}", "x".repeat(1_000_000));
    let host = table(vec![log("1", "failed", Some(&long))]);
    let trigger = host.query_selector(".details-trigger").unwrap().unwrap();
    assert!(trigger.text_content().unwrap().chars().count() <= 241);
    assert!(host.query_selector(".details-popover").unwrap().is_none());
    let tag = host.query_selector(".triage").unwrap().unwrap();
    assert_eq!(tag.text_content().as_deref(), Some("Connectivity"));
}

#[wasm_bindgen_test]
fn the_errors_line_marks_a_long_message_it_cuts() {
    let long = format!(
        "Payload rejected by the target: {}",
        "field mismatch ".repeat(10)
    );
    let rows = Arc::new(vec![
        log("1", "failed", Some(&long)),
        log("2", "failed", Some(&long)),
        log("3", "failed", Some("Timeout")),
    ]);
    let index = Arc::new(ClusterIndex::build(&rows));
    let host = mount(move || {
        view! {
            <ErrorClusters
                rows=Signal::stored(rows)
                index=Signal::stored(Some(index))
                among=Signal::stored(Arc::new(vec![0, 1, 2]))
                active=Signal::stored(None::<String>)
                zone=Signal::stored(TimeZonePref::Utc)
                on_show=Callback::new(|_| {})
                on_select=Callback::new(|()| {})
            />
        }
    });
    let line = host.query_selector(".clusters-toggle").unwrap().unwrap();
    let text = line.text_content().unwrap();
    let shown: String = long.trim().chars().take(70).collect();
    assert!(
        text.contains(&format!("most: {shown}… (2)")),
        "the cut message ends with an ellipsis: {text}"
    );
    assert!(text.contains("2 kinds, 3 records"), "{text}");
}

#[wasm_bindgen_test]
fn the_stat_cards_count_and_toggle_a_tone() {
    let rows = vec![
        log("1", "ok", None),
        log("2", "failed", None),
        log("3", "failed", None),
    ];
    let stats = Stats::of(&rows);
    let chosen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = chosen.clone();
    let host = mount(move || {
        let on_select = Callback::new(move |tone: Option<Tone>| seen.lock().unwrap().push(tone));
        view! {
            <StatCards
                stats=Signal::stored(Some(stats))
                range=Signal::stored(RangeCounts::Unknown)
                active=Signal::stored(Some(Tone::Failed))
                on_select
                server_tone=Signal::stored(None)
                on_server=Callback::new(|_| {})
            />
        }
    });
    let text = host.text_content().unwrap();
    assert!(
        text.contains("Total Operations3of loaded records"),
        "{text}"
    );
    assert!(
        text.contains("Success Rate33.3%of loaded records"),
        "{text}"
    );
    let failed: web_sys::HtmlElement = host
        .query_selector(".card-failed .stat-main")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        failed.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert!(failed.text_content().unwrap().contains('2'));
    failed.click();
    let success: web_sys::HtmlElement = host
        .query_selector(".card-success .stat-main")
        .unwrap()
        .unwrap()
        .unchecked_into();
    success.click();
    assert_eq!(*chosen.lock().unwrap(), vec![None, Some(Tone::Success)]);
}

#[wasm_bindgen_test]
async fn the_stat_cards_set_the_whole_range_beside_the_loaded_rows() {
    let loaded = Stats::of(&[log("1", "ok", None), log("2", "failed", None)]);
    let mut whole = Stats::default();
    whole.add_n(Tone::Success, 15_000);
    whole.add_n(Tone::Failed, 3_412);
    let summary = Summary {
        total: 18_412,
        stats: Some(whole),
        timeline: None,
        problems: Vec::new(),
    };
    let (range, set_range) = signal(RangeCounts::Counting);
    let (server_tone, set_server_tone) = signal(None::<Tone>);
    let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let host = mount(move || {
        let on_server = Callback::new(move |tone: Option<Tone>| {
            seen.lock().unwrap().push(tone);
            set_server_tone.set(tone);
        });
        view! {
            <StatCards
                stats=Signal::stored(Some(loaded))
                range
                active=Signal::stored(None)
                on_select=Callback::new(|_| {})
                server_tone
                on_server
            />
        }
    });
    let section = host.query_selector(".stat-cards").unwrap().unwrap();
    assert_eq!(section.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(host.text_content().unwrap().contains("counting the range"));

    set_range.set(RangeCounts::Known(summary));
    frames().await;
    assert_eq!(section.get_attribute("aria-busy").as_deref(), Some("false"));
    let card = |key: &str| {
        host.query_selector(&format!(".card-{key}"))
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert!(
        card("total").contains("18,412 in range2 loaded"),
        "{}",
        card("total")
    );
    assert!(card("failed").contains("3,412"), "{}", card("failed"));
    assert!(card("failed").contains("1 loaded"), "{}", card("failed"));
    assert!(card("rate").contains("81.5%"), "{}", card("rate"));
    assert!(card("rate").contains("50.0% loaded"), "{}", card("rate"));

    let server: web_sys::HtmlElement = host
        .query_selector(".card-failed .stat-server")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        server.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    server.click();
    frames().await;
    assert_eq!(
        server.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    server.click();
    assert_eq!(*asked.lock().unwrap(), vec![Some(Tone::Failed), None]);
}

#[wasm_bindgen_test]
fn the_error_state_shows_status_and_next_step_and_retries() {
    let retried = Arc::new(AtomicU32::new(0));
    let counter = retried.clone();
    let error = ApiError::Http {
        status: 503,
        code: None,
        message: "the server answered HTTP 503".into(),
    };
    let host = mount(move || {
        let on_retry = Callback::new(move |()| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        view! { <ErrorState error on_retry /> }
    });
    let text = host.text_content().unwrap();
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(text.contains("retry in a moment"), "{text}");
    let button: web_sys::HtmlElement = host
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    assert_eq!(retried.load(Ordering::Relaxed), 2);
}

#[wasm_bindgen_test]
async fn the_cards_show_placeholders_not_zeros_until_a_load_succeeds() {
    let (stats, set_stats) = signal(None::<Stats>);
    let host = mount(move || {
        view! {
            <StatCards
                stats
                range=Signal::stored(RangeCounts::Unknown)
                active=Signal::stored(None)
                on_select=Callback::new(|_| {})
                server_tone=Signal::stored(None)
                on_server=Callback::new(|_| {})
            />
        }
    });
    let section = host.query_selector(".stat-cards").unwrap().unwrap();
    assert_eq!(section.get_attribute("aria-busy").as_deref(), Some("true"));
    let values = host.query_selector_all(".stat-value").unwrap();
    assert_eq!(values.length(), 6);
    for i in 0..values.length() {
        let text = values.item(i).unwrap().text_content().unwrap();
        assert_eq!(text, "—not loaded yet");
    }
    assert!(!host.text_content().unwrap().contains('0'));

    set_stats.set(Some(Stats::of(&[log("1", "failed", None)])));
    frames().await;
    let text = host.text_content().unwrap();
    assert!(text.contains("Total Operations1"), "{text}");
    assert!(text.contains("Success Rate0.0%"), "{text}");
    assert!(!text.contains("in range"), "{text}");
    assert!(host.query_selector(".stat-pending").unwrap().is_none());
    assert_eq!(section.get_attribute("aria-busy").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn a_network_failure_is_said_in_words_with_the_browser_text_tucked_away() {
    let error = ApiError::Network {
        kind: NetworkFailure::Unreachable,
        detail: "TypeError: Failed to fetch".into(),
    };
    let host = mount(move || view! { <ErrorState error on_retry=Callback::new(|_| {}) /> });
    let message = host
        .query_selector(".error-message")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        message.starts_with("no answer from the server"),
        "{message}"
    );
    assert!(!message.contains("TypeError"), "{message}");
    let next = host.query_selector(".error-next").unwrap().unwrap();
    assert!(next.text_content().unwrap().contains("api_base_url"));
    let technical = host
        .query_selector("details.error-technical")
        .unwrap()
        .expect("technical details");
    assert!(technical
        .text_content()
        .unwrap()
        .contains("TypeError: Failed to fetch"));
    assert!(!technical.has_attribute("open"));
}

/// Waits for two animation frames: long enough for a ResizeObserver or an effect to run.
async fn frames() {
    for _ in 0..2 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .request_animation_frame(&resolve)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_height_watch_reports_changes_and_stops_when_its_owner_is_cleaned_up() {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&el).unwrap();
    el.style().set_property("height", "50px").unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::<u32>::new()));
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let mounted = {
        let (el, seen) = (el.clone(), seen.clone());
        leptos::mount::mount_to(host, move || {
            watch_scroll_height(el.clone().into(), vec![el.into()], move |px| {
                seen.lock().unwrap().push(px)
            });
        })
    };
    frames().await;
    assert_eq!(*seen.lock().unwrap(), vec![50]);
    el.style().set_property("height", "80px").unwrap();
    frames().await;
    assert_eq!(*seen.lock().unwrap(), vec![50, 80]);

    // Unmounted: the observer is disconnected, so a change is no longer reported.
    drop(mounted);
    el.style().set_property("height", "120px").unwrap();
    frames().await;
    assert_eq!(*seen.lock().unwrap(), vec![50, 80]);
    el.remove();
}

/// A page body of `n` records, as the reference server writes one.
fn page_body(n: usize) -> Vec<u8> {
    let items: Vec<SyncLog> = (0..n)
        .map(|i| {
            log(
                &i.to_string(),
                ["ok", "failed", "pending"][i % 3],
                Some("x \"y\""),
            )
        })
        .collect();
    serde_json::to_vec(&sync_logs_core::SyncLogPage {
        items,
        next_cursor: Some("next".into()),
    })
    .unwrap()
}

/// A page decoded into a vector of its own: its records and cursor, and how often the
/// decoding paused.
#[derive(Debug)]
struct DecodedPage {
    items: Vec<SyncLog>,
    next_cursor: Option<String>,
    pauses: usize,
}

async fn decode_page_in_slices(
    body: &[u8],
    signal: Option<&web_sys::AbortSignal>,
    slice_ms: f64,
) -> Result<DecodedPage, SlicedError> {
    let mut items = Vec::new();
    let (next_cursor, pauses) = decode_page_into(body, &mut items, 0, signal, slice_ms).await?;
    Ok(DecodedPage {
        items,
        next_cursor,
        pauses,
    })
}

#[wasm_bindgen_test]
async fn a_page_decoded_in_slices_is_the_page_decoded_in_one_go() {
    let body = page_body(1_200);
    let whole: sync_logs_core::SyncLogPage = serde_json::from_slice(&body).unwrap();
    // No time allowed per slice: the decoding pauses after every slice of records.
    let sliced = decode_page_in_slices(&body, None, 0.0).await.unwrap();
    assert!(sliced.pauses >= 4, "{} pauses", sliced.pauses);
    assert_eq!(sliced.items, whole.items);
    assert_eq!(sliced.next_cursor.as_deref(), Some("next"));
}

#[wasm_bindgen_test]
async fn pages_decoded_into_one_vector_replace_each_other_in_its_allocation() {
    let mut items = Vec::new();
    decode_page_into(&page_body(800), &mut items, 800, None, 0.0)
        .await
        .unwrap();
    let (at, room) = (items.as_ptr(), items.capacity());
    assert!(room >= 800, "room for {room}");
    let next = page_body(500);
    let whole: sync_logs_core::SyncLogPage = serde_json::from_slice(&next).unwrap();
    let (cursor, _) = decode_page_into(&next, &mut items, 500, None, 0.0)
        .await
        .unwrap();
    assert_eq!(items, whole.items);
    assert_eq!(cursor.as_deref(), Some("next"));
    assert_eq!((items.as_ptr(), items.capacity()), (at, room));
}

#[wasm_bindgen_test]
async fn an_aborted_load_stops_decoding_at_the_next_pause() {
    let body = page_body(1_200);
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let signal = controller.signal();
    let outcome = decode_page_in_slices(&body, Some(&signal), 0.0).await;
    assert_eq!(outcome.unwrap_err(), SlicedError::Aborted);
    // Without the pauses (a page decoded within its slice) there is nothing to stop.
    let small = page_body(100);
    assert_eq!(
        decode_page_in_slices(&small, Some(&signal), 0.0)
            .await
            .unwrap()
            .items
            .len(),
        100
    );
}

#[wasm_bindgen_test]
async fn a_broken_page_fails_whole_with_a_reason() {
    let mut body = page_body(600);
    body.truncate(body.len() / 2);
    match decode_page_in_slices(&body, None, 0.0).await {
        Err(SlicedError::Unreadable(reason)) => assert!(reason.contains("EOF"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_stray_byte_in_a_record_is_a_replacement_character_not_a_failed_page() {
    let mut body = page_body(600);
    let middle = body.len() / 2;
    let at = middle
        + body[middle..]
            .windows(3)
            .position(|w| w == b"\"x ")
            .unwrap()
        + 1;
    body[at] = 0xd0;
    let page = decode_page_in_slices(&body, None, 0.0).await.unwrap();
    assert_eq!(page.items.len(), 600);
    let marked: Vec<_> = page
        .items
        .iter()
        .filter(|row| row.details.as_deref() == Some("\u{fffd} \"y\""))
        .collect();
    assert_eq!(marked.len(), 1);
}

#[wasm_bindgen_test]
async fn work_started_now_runs_to_its_first_wait_before_the_caller_goes_on() {
    use std::{cell::RefCell, rc::Rc, time::Duration};
    // Mounting a view sets up the executor tasks run on.
    mount(|| view! { <span /> });
    let steps = Rc::new(RefCell::new(Vec::<&str>::new()));
    let record = |steps: &Rc<RefCell<Vec<&'static str>>>, step| steps.borrow_mut().push(step);
    let work = {
        let steps = steps.clone();
        async move {
            record(&steps, "asked");
            gloo_timers::future::sleep(Duration::from_millis(5)).await;
            record(&steps, "answered");
        }
    };
    sync_logs::task::start_now(work);
    // Up to its first wait, in the caller's task: before `start_now` returned.
    assert_eq!(*steps.borrow(), ["asked"]);
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
    // The rest ran as a task of its own, once.
    assert_eq!(*steps.borrow(), ["asked", "answered"]);

    // Work with no wait is done at once, and not run again.
    let once = {
        let steps = steps.clone();
        async move { record(&steps, "whole") }
    };
    sync_logs::task::start_now(once);
    assert_eq!(steps.borrow().last(), Some(&"whole"));
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
    assert_eq!(steps.borrow().len(), 3);

    // Unlike a spawned task, which starts only after the caller's task.
    let later = {
        let steps = steps.clone();
        async move { record(&steps, "spawned") }
    };
    leptos::task::spawn_local(later);
    assert_eq!(steps.borrow().len(), 3);
    gloo_timers::future::sleep(Duration::from_millis(20)).await;
    assert_eq!(steps.borrow().last(), Some(&"spawned"));
}

/// The CSV download's file holds every byte once, in order, whatever the pieces: ones that
/// fill the gathering buffer exactly, overflow it, are longer than it, or are empty. A
/// part made from the buffer must keep its bytes when the buffer is written again.
#[wasm_bindgen_test]
async fn a_file_gathered_in_parts_keeps_every_byte_in_order() {
    let pieces: Vec<Vec<u8>> = vec![
        b"abc".to_vec(),
        b"defgh".to_vec(),
        b"ij".to_vec(),
        Vec::new(),
        (b'A'..=b'T').collect(),
        b"k".to_vec(),
        b"lmnopqr".to_vec(),
        b"stuvwxyz".to_vec(),
    ];
    let mut parts = FileParts::new(8, pieces.len());
    for piece in &pieces {
        parts.push(piece).unwrap();
    }
    let blob = parts.finish().unwrap();
    assert_eq!(blob.type_(), "text/csv;charset=utf-8");
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buffer).to_vec(), pieces.concat());
}
