#!/usr/bin/env bash
# Benchmarks of Sync Logs in headless Chromium (not part of the test suite). Builds the
# app and the release server, then runs each benchmark script and prints its figures;
# results are also written as JSON under bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export PATH="$PWD/node_modules/.bin:$PATH"
mkdir -p bench/results
node bench/compare.mjs
# Decoding through a backend profile (docs/backends.md) beside the native contract, in one
# run each: in wasm in headless Chromium, as the app does, and compiled natively.
printf '\n==> Decode of 100,000 records: native contract vs a backend profile\n'
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" cargo test -p sync-logs-core --release \
  --target wasm32-unknown-unknown --test decode_bench_wasm -- --include-ignored --nocapture \
  | grep '^decode'
cargo run --release -q -p sync-logs-core --example decode_bench -- 100000
# The CSV writer alone (no Blob), in wasm as the app runs it, then natively.
printf '\n==> CSV of 100,000 records, the writer alone\n'
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" cargo test -p sync-logs-core --release \
  --target wasm32-unknown-unknown --test csv_bench_wasm -- --include-ignored --nocapture \
  | grep '^csv'
cargo run --release -q -p sync-logs-core --example csv_bench
# The pipeline's part of a keystroke (search cleared, then each search of refine_rounds.rs),
# in wasm, then natively: every line of both.
printf '\n==> Refining loaded records: 200,000 in wasm, 1,000,000 natively\n'
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" cargo test -p sync-logs-core --release \
  --target wasm32-unknown-unknown --test refine_bench_wasm -- --include-ignored --nocapture \
  | grep -E '^(refine|  ")'
cargo run --release -q -p sync-logs-core --example refine_bench
# Error-cluster keys (normalising every failed row's message), natively.
printf '\n==> Error-cluster keys of 100,000 records\n'
cargo run --release -q -p sync-logs-core --example cluster_bench
# GET /sync-logs/summary at 1,000,000 records, every filter combination of the bar.
node bench/summary.mjs
