#!/usr/bin/env bash
# Installs everything Sync Logs needs to build, run and test, skipping what is present:
# the wasm target, Trunk, the wasm-bindgen CLI matching Cargo.lock, Debian's Chromium and
# ChromeDriver, and the npm tooling (wasm-opt from binaryen, Playwright). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
step() { printf '\n==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! have cargo || ! have rustup; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
if ! have node || ! have npm; then
  echo "Node.js 20+ and npm are missing: install them, then run this again." >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "${node_major}" -lt 20 ]; then
  echo "Node.js ${node_major} is too old: Playwright and the build tooling need 20 or later." >&2
  exit 1
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}"; then
  step "Installing Trunk ${TRUNK_VERSION} (several minutes, once)"
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock, or Trunk tries to download one.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen_version}$"; then
  step "Installing wasm-bindgen-cli ${bindgen_version} (a few minutes, once)"
  # Not --locked: the CLI's own lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "${bindgen_version}"
fi

if ! have chromium || ! have chromedriver; then
  step "Installing Chromium and ChromeDriver from Debian"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

# npm ci only when package-lock.json changed since the last install.
stamp=node_modules/.sync-logs-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  step "Installing npm tooling (binaryen's wasm-opt, Playwright)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$wanted" > "$stamp"
fi
