//! Error clusters: real-looking messages and the keys they must reduce to.

use super::*;
use chrono::Duration;
use proptest::prelude::*;

#[test]
fn real_messages_reduce_to_their_cluster_keys() {
    let table = [
        (
            "Product 'RED-MUG-XL' not found in Shopify (SKU 1042)",
            "Product '<value>' not found in Shopify (SKU <n>)",
        ),
        (
            "Product \"Blue Cap, size M\" not found in Shopify (SKU 77)",
            "Product \"<value>\" not found in Shopify (SKU <n>)",
        ),
        ("HTTP 429 Too Many Requests: retry after 30 seconds", "HTTP 429 Too Many Requests: retry after <n> seconds"),
        ("HTTP 500 Internal Server Error", "HTTP 500 Internal Server Error"),
        ("Connection refused (os error 111)", "Connection refused (os error 111)"),
        (
            "POST https://shop-42.myshopify.com/admin/api/2024-01/orders.json timed out after 30000 ms",
            "POST <url> timed out after <n> ms",
        ),
        (
            "Customer 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b has no email",
            "Customer <uuid> has no email",
        ),
        (
            "Order SO-101430 rejected at 2026-11-20T10:00:05Z: customer cust_4001692 is on hold",
            "Order <id> rejected at <time>: customer <id> is on hold",
        ),
        ("Metafield namespace doesn't exist for gid://shopify/Product/8812", "Metafield namespace doesn't exist for <url>"),
        ("Inventory for item #1038 is -3", "Inventory for item #<n> is <n>"),
        ("Price 19.99 is below the floor 20.00", "Price <n> is below the floor <n>"),
        (
            "HTTP 422 Unprocessable Entity: variants.sku has already been taken (TEE-S-WHITE)",
            "HTTP 422 Unprocessable Entity: variants.sku has already been taken (<id>)",
        ),
        (
            "Extraction failed: SAP B1 Service Layer returned 404 'Not Found' for OITM(JACKET-SS-WHITE)",
            "Extraction failed: SAP <id> Service Layer returned 404 '<value>' for OITM(<id>)",
        ),
        (
            "HTTP 401 Unauthorized: access token expired for shop northwind-eu.myshopify.com",
            "HTTP 401 Unauthorized: access token expired for shop <host>",
        ),
        ("Connection reset by peer while reading response headers", "Connection reset by peer while reading response headers"),
    ];
    for (message, key) in table {
        assert_eq!(normalise(message), key, "{message}");
    }
    assert_eq!(
        normalise("Product 'A' not found (SKU 1)"),
        normalise("Product 'Something else entirely' not found (SKU 99999)")
    );
    assert_ne!(
        normalise("HTTP 429 Too Many Requests"),
        normalise("HTTP 500 Too Many Requests")
    );
}

#[test]
fn a_long_html_page_gives_a_bounded_key() {
    let page = format!(
        "<html><body>{}</body></html>",
        "<p>Service unavailable</p> ".repeat(500)
    );
    let key = normalise(&page);
    assert!(key.chars().count() <= MAX_KEY_CHARS + 30, "{}", key.len());
    assert!(key.ends_with('…'));
}

fn row(n: u32, status: &str, instance: &str, entity: &str, minute: i64, details: &str) -> SyncLog {
    let at = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .unwrap()
        .to_utc()
        + Duration::minutes(minute);
    serde_json::from_value(serde_json::json!({
        "id": n.to_string(), "status": status, "instance": instance, "entity_type": entity,
        "source_id": format!("S{n}"), "started_at": at.to_rfc3339(), "details": details,
    }))
    .unwrap()
}

#[test]
fn failed_and_partial_rows_cluster_by_key_largest_first() {
    let rows = vec![
        row(
            0,
            "failed",
            "A",
            "order",
            0,
            "Product 'X' not found (SKU 1)",
        ),
        row(1, "failed", "B", "item", 5, "Product 'Y' not found (SKU 2)"),
        row(
            2,
            "partially_failed",
            "A",
            "order",
            9,
            "Product 'Z' not found (SKU 3)",
        ),
        row(3, "failed", "A", "order", 3, "HTTP 429 Too Many Requests"),
        row(
            4,
            "success",
            "A",
            "order",
            4,
            "Product 'W' not found (SKU 4)",
        ), // not an error
        row(5, "failed", "A", "order", 6, ""), // no message
    ];
    let index = ClusterIndex::build(&rows);
    assert_eq!(index.key_of(4), None);
    assert_eq!(index.key_of(5), None);
    let all: Vec<u32> = (0..rows.len() as u32).collect();
    let found = clusters(&rows, &index, &all);
    assert_eq!(found.len(), 2);
    let top = &found[0];
    assert_eq!(top.key, "Product '<value>' not found (SKU <n>)");
    assert_eq!(top.count, 3);
    assert_eq!(top.rows, vec![0, 1, 2]);
    assert_eq!(top.example, 2, "the newest row is the example");
    assert_eq!(top.first_seen, rows[0].started_at);
    assert_eq!(top.last_seen, rows[2].started_at);
    assert_eq!(
        top.instances.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(top.entity_types.len(), 2);
    assert_eq!(found[1].class, ErrorClass::Connectivity);

    // Only the rows in view count.
    let some = clusters(&rows, &index, &[1, 3]);
    assert_eq!(some.iter().map(|c| c.count).collect::<Vec<_>>(), [1, 1]);
}

proptest! {
    #[test]
    fn any_text_gives_a_bounded_key(message in ".{0,400}") {
        let key = normalise(&message);
        // Every kept word is at most as long as in the message; only the cut adds "…".
        prop_assert!(key.chars().count() <= MAX_KEY_CHARS + message.chars().count().min(400) + 1);
        prop_assert!(!key.contains("  "));
    }

    #[test]
    fn messages_differing_only_in_particulars_share_a_key(
        sku in 0u32..1_000_000, name in "[A-Za-z0-9 -]{1,20}", minute in 0u32..60
    ) {
        let a = normalise(&format!("Product '{name}' not found at 2026-11-20T10:{minute:02}:00Z (SKU {sku})"));
        let b = normalise("Product 'other' not found at 2026-01-01T00:00:00Z (SKU 5)");
        prop_assert_eq!(a, b);
    }
}

/// Words of the kinds `normalise` tells apart, and the separators and quotes between
/// them, including Unicode whitespace, curly quotes and letters that lower-case into
/// ASCII (the Kelvin sign).
fn message_like() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("HTTP".to_owned()),
        Just("Status".to_owned()),
        Just("\u{212a}ode".to_owned()),
        Just("ERROR".to_owned()),
        Just("https://shop-1.myshopify.com/admin".to_owned()),
        Just("api.example.io".to_owned()),
        Just("0f8fad5b-d9cb-469f-a165-70867728950e".to_owned()),
        Just("2026-11-20T10:00:05Z".to_owned()),
        Just("TEE-S-WHITE".to_owned()),
        Just("doesn't".to_owned()),
        Just("Größe".to_owned()),
        "[A-Za-z]{1,8}",
        "[0-9]{1,6}",
        "[-+]?[0-9]{1,4}[.,][0-9]{1,3}",
        "[A-Z]{1,3}[0-9]{1,5}",
        "[()\\[\\]{},;=:'\"`“”‘’<>/.-]{1,3}",
    ];
    let gap = prop_oneof![
        Just(" "),
        Just(""),
        Just("  "),
        Just("\t"),
        Just("\u{a0}"),
        Just("\u{2003}"),
        Just("\u{1}"),
        Just("'"),
        Just("“"),
        Just("”"),
        Just("("),
        Just("),"),
        Just("="),
    ];
    prop::collection::vec((word, gap), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(w, g)| w + g).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The byte-at-a-time `normalise` gives the key the straightforward one gives.
    #[test]
    fn normalise_agrees_with_the_reference_on_messages(message in message_like()) {
        prop_assert_eq!(normalise(&message), reference::normalise(&message));
    }

    #[test]
    fn normalise_agrees_with_the_reference_on_any_text(message in ".{0,300}") {
        prop_assert_eq!(normalise(&message), reference::normalise(&message));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Past the cut, however the words are made.
    #[test]
    fn normalise_agrees_with_the_reference_on_long_messages(
        words in prop::collection::vec(message_like(), 6..10)
    ) {
        let message = words.join(" ");
        prop_assert_eq!(normalise(&message), reference::normalise(&message));
    }
}

proptest! {
    /// The grouping counts, dates, names and rows of each cluster as a plain pass over
    /// the rows in view does, whatever their order and however names repeat.
    #[test]
    fn grouping_agrees_with_a_plain_count(
        picks in prop::collection::vec((0u8..3, 0u8..3, 0u8..3, 0i64..50, 0u8..4), 0..60),
        view in prop::collection::vec(0u32..60, 0..80),
    ) {
        let names = ["A", "B", "C"];
        let messages = ["Product 'X' not found (SKU 1)", "HTTP 429 Too Many Requests", ""];
        let statuses = ["failed", "partially_failed", "success", "failed"];
        let rows: Vec<SyncLog> = picks
            .iter()
            .enumerate()
            .map(|(n, &(i, e, m, minute, s))| {
                row(n as u32, statuses[s as usize], names[i as usize], names[e as usize], minute, messages[m as usize])
            })
            .collect();
        let index = ClusterIndex::build(&rows);
        let view: Vec<u32> = view.into_iter().filter(|&i| (i as usize) < rows.len()).collect();
        let found = clusters(&rows, &index, &view);
        for cluster in &found {
            let members: Vec<u32> = view
                .iter()
                .copied()
                .filter(|&i| index.key_of(i as usize) == Some(cluster.key.as_str()))
                .collect();
            prop_assert_eq!(&cluster.rows, &members);
            prop_assert_eq!(cluster.count, members.len());
            let of = |i: &u32| &rows[*i as usize];
            let instances: BTreeSet<&str> = members.iter().map(|i| of(i).instance.as_str()).collect();
            let entities: BTreeSet<&str> = members.iter().map(|i| of(i).entity_type.as_str()).collect();
            prop_assert_eq!(cluster.instances.iter().map(|n| n.as_str()).collect::<BTreeSet<_>>(), instances);
            prop_assert_eq!(cluster.entity_types.iter().map(|n| n.as_str()).collect::<BTreeSet<_>>(), entities);
            prop_assert_eq!(Some(cluster.first_seen), members.iter().map(|i| of(i).started_at).min());
            prop_assert_eq!(Some(cluster.last_seen), members.iter().map(|i| of(i).started_at).max());
        }
        let clustered = view.iter().filter(|&&i| index.key_of(i as usize).is_some()).count();
        prop_assert_eq!(found.iter().map(|c| c.count).sum::<usize>(), clustered);
    }
}
