//! What the demo data is made of: integration jobs in both status vocabularies, the
//! entity types they move, and the messages real targets answer with. `{n}`, `{sku}`,
//! `{shop}` and `{id}` in a message are filled in per record.

/// Which of the two status vocabularies an instance reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// success / completed / partial_success / partially_failed / in_progress /
    /// extracting / failed / extraction_failed.
    RunHistory,
    /// ok / sent / pending / failed.
    Patchworks,
}

/// An integration job of the demo.
pub struct InstanceSpec {
    pub name: &'static str,
    pub source: &'static str,
    pub target: &'static str,
    pub vocabulary: Vocabulary,
    pub entity_types: &'static [&'static str],
    pub endpoint: &'static str,
    /// The shop or account name used in messages.
    pub shop: &'static str,
}

pub const INSTANCES: &[InstanceSpec] = &[
    InstanceSpec {
        name: "SAP B1 → Shopify",
        source: "SAP Business One",
        target: "Shopify",
        vocabulary: Vocabulary::RunHistory,
        entity_types: &["item", "bp", "order", "inventory"],
        endpoint: "ep_shopify_eu_01",
        shop: "northwind-eu",
    },
    InstanceSpec {
        name: "Dynamics 365 → Shopify",
        source: "Dynamics 365 Business Central",
        target: "Shopify",
        vocabulary: Vocabulary::RunHistory,
        entity_types: &["item", "price", "bp"],
        endpoint: "ep_shopify_us_02",
        shop: "contoso-us",
    },
    InstanceSpec {
        name: "NetSuite → Shopify Plus",
        source: "NetSuite",
        target: "Shopify",
        vocabulary: Vocabulary::RunHistory,
        entity_types: &["item", "order", "fulfillment"],
        endpoint: "ep_shopify_plus_03",
        shop: "acme-plus",
    },
    InstanceSpec {
        name: "Shopify → Brightpearl",
        source: "Shopify",
        target: "Brightpearl",
        vocabulary: Vocabulary::Patchworks,
        entity_types: &["order", "customer", "refund"],
        endpoint: "ep_brightpearl_eu1",
        shop: "northwind-eu",
    },
    InstanceSpec {
        name: "Brightpearl → Shopify",
        source: "Brightpearl",
        target: "Shopify",
        vocabulary: Vocabulary::Patchworks,
        entity_types: &["inventory", "item"],
        endpoint: "ep_shopify_eu_01",
        shop: "northwind-eu",
    },
    InstanceSpec {
        name: "Shopify → 3PL (SFTP)",
        source: "Shopify",
        target: "SFTP",
        vocabulary: Vocabulary::Patchworks,
        entity_types: &["order"],
        endpoint: "ep_sftp_3pl_01",
        shop: "northwind-eu",
    },
];

/// Failures caused by the data itself: retrying will not help until it is fixed.
pub const DATA_ERRORS: &[&str] = &[
    "HTTP 422 Unprocessable Entity: variants.sku has already been taken ({sku})",
    "Missing required field 'ItemName' on item {id}",
    "Validation failed: email 'ops@@{shop}.example' is invalid",
    "Duplicate SKU '{sku}' found in source batch; record skipped",
    "HTTP 400 Bad Request: Product with id {n} not found in price list 'Wholesale EUR'",
    "HTTP 409 Conflict: order {n} was modified by another process",
    "Invalid value for field 'Weight': expected a number, got \"12,5 kg\"",
    "HTTP 404 Not Found: customer {n} does not exist in target",
    "Field 'CardCode' exceeds maximum length of 15 characters ({id})",
];

/// Failures of the connection or the credentials: often transient.
pub const CONNECTIVITY_ERRORS: &[&str] = &[
    "HTTP 401 Unauthorized: access token expired for shop {shop}.myshopify.com",
    "HTTP 429 Too Many Requests: exceeded 2 calls per second for api client; Retry-After: 2.0",
    "Request timed out after 30000 ms (POST https://{shop}.myshopify.com/admin/api/2024-10/graphql.json)",
    "Connection refused (os error 111) connecting to sap-b1.internal:50000",
    "HTTP 503 Service Unavailable from target API; the service may be down for maintenance",
    "DNS resolution failed for sftp.3pl-partner.example: no such host",
    "HTTP 403 Forbidden: the app is missing the write_inventory scope",
    "Connection reset by peer while reading response headers",
];

/// Failures of the source extractor (`extraction_failed`).
pub const EXTRACTION_ERRORS: &[&str] = &[
    "Extraction failed: SAP B1 Service Layer returned -1116 'Session timeout' for OITM({id})",
    "Extraction failed: source query exceeded 120 s and was cancelled",
    "Extraction failed: record {id} was deleted in the source before it could be read",
];

/// Partial results: the main write succeeded, a sub-step did not.
pub const PARTIAL_MESSAGES: &[&str] = &[
    "Product written; image sync failed for 2 of 5 images: https://cdn.{shop}.example/img/{sku}-3.jpg returned 404",
    "Metafield sync partial: custom.care_instructions rejected (value too long: 5120 > 5000)",
    "Inventory level update skipped for location 'Warehouse B' (location inactive)",
    "Order created; fulfillment hold could not be applied: HTTP 422 line item {n} already fulfilled",
    "Variant prices updated; compare_at_price ignored for 3 variants (lower than price)",
];

/// A long answer, as SAP's DI API and some gateways give: the whole payload echoed back.
pub const LONG_ERROR_HEAD: &str = "SAP B1 DI API error -5002 while updating OITM({id}): \
One of the inactive fields contains data [OITM.U_WebCategory][line: 1]. Request payload follows.";

/// An HTML error page returned where JSON was expected: shown as text, never markup.
pub const HTML_ERROR: &str =
    "HTTP 502 Bad Gateway: <html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>\
<script>alert('this must render as text')</script></body></html>";

/// Sizes, colours and styles that make SKU-like references (e.g. DEMOTEST-SS-YELLOW).
pub const STYLES: &[&str] = &["DEMOTEST", "TEE", "HOODIE", "CAP", "SOCK", "JACKET", "MUG"];
pub const SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "SS", "OS"];
pub const COLOURS: &[&str] = &["YELLOW", "BLACK", "WHITE", "NAVY", "RED", "OLIVE", "GREY"];

/// Notes for the "latest sync information" column.
pub const SYNC_INFO: &[&str] = &[
    "Synced 14 fields; 2 unchanged",
    "No changes since previous sync",
    "Created in target",
    "Price and stock updated",
    "Awaiting acknowledgement from endpoint",
];
