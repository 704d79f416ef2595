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
