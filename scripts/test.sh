#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test of Sync Logs: formatting,
# clippy, native tests (core logic, the reference server's API against the real
# binary), component tests in headless Chromium, and Playwright end-to-end tests of the
# built app against the reference server.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n==> %s\n' "$*"; }

step "Formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings
# The app's browser tests compile for wasm only; lint them there too.
cargo clippy -p sync-logs --target wasm32-unknown-unknown --all-targets -- -D warnings

step "Native tests: sync-logs-core, sync-logs-server (API against the real binary), app logic"
cargo test --workspace

step "Component tests in headless Chromium (wasm-bindgen-test)"
cargo test -p sync-logs --target wasm32-unknown-unknown
# Built without DWARF (.cargo/config.toml): a test binary that Chromium must load before
# the runner's WebDriver call times out has to stay small. Printed to keep an eye on it.
find "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/debug/deps" -maxdepth 1 -name '*.wasm' \
  -newer Cargo.toml -printf '  wasm test binary %s bytes  %f\n' 2>/dev/null || true

step "Building the app (trunk build --release), and again for a /console/ sub-path"
trunk build --release --offline
# tests/e2e/hosting.spec.ts serves this one under /console (docs/deployment.md).
trunk build --release --offline --public-url /console/ --dist dist-sub

step "End-to-end tests in Chromium against the reference server (Playwright)"
# `cargo test` above built the debug sync-logs-server, which the tests start (also when
# CARGO_TARGET_DIR puts the build elsewhere).
cargo build -p sync-logs-server
npx playwright test -c tests/e2e

step "All checks and tests passed"
