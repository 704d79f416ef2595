//! The built app as the reference server sends it: the precompressed copies the build
//! writes beside each hashed file (`scripts/post-build.mjs`), chosen by what the browser
//! accepts, with `Vary` so a cache in between keeps them apart.

mod common;

use common::Server;
use reqwest::{header, Client};

const WASM: &str = "/sync-logs-0123456789abcdef_bg.wasm";

#[tokio::test]
async fn a_hashed_file_goes_out_brotli_or_gzip_as_accepted() {
    let server = Server::start(&[]);
    let dist = server.dist();
    let name = WASM.trim_start_matches('/');
    std::fs::write(dist.join(name), b"\0asm plain body").unwrap();
    std::fs::write(dist.join(format!("{name}.br")), b"brotli body").unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), b"gzip body").unwrap();
    let client = Client::new();
    for (accepts, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "brotli body"),
        ("gzip", Some("gzip"), "gzip body"),
        ("identity", None, "\0asm plain body"),
    ] {
        let response = client
            .get(format!("{}{WASM}", server.base))
            .header(header::ACCEPT_ENCODING, accepts)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{accepts}");
        let headers = response.headers().clone();
        let value = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            value(header::CONTENT_ENCODING).as_deref(),
            encoding,
            "{accepts}"
        );
        assert_eq!(
            value(header::CONTENT_TYPE).as_deref(),
            Some("application/wasm"),
            "{accepts}"
        );
        assert_eq!(
            value(header::VARY).as_deref(),
            Some("accept-encoding"),
            "{accepts}"
        );
        assert_eq!(
            value(header::CACHE_CONTROL).as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{accepts}"
        );
        assert_eq!(response.text().await.unwrap(), body, "{accepts}");
    }
}

#[tokio::test]
async fn a_file_without_a_compressed_copy_goes_out_as_it_is() {
    let server = Server::start(&[]);
    std::fs::write(server.dist().join("config.json"), br#"{"page_size":500}"#).unwrap();
    let response = Client::new()
        .get(format!("{}/config.json", server.base))
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(
        response.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-cache"
    );
    assert_eq!(response.text().await.unwrap(), r#"{"page_size":500}"#);
}
