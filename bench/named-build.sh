#!/usr/bin/env bash
# A copy of the release build whose wasm keeps its function names, for CPU profiles of
# the app in Chromium (DevTools, or CDP's Profiler): the same code as dist/, optimised the
# same way (wasm-opt -Oz), with the name section kept (-g) and no compressed copies or
# integrity hashes (the wasm differs from the one they were made for).
#
#   bash bench/named-build.sh [out-dir]     # default target/dist-names
#   BENCH_DIST=target/dist-names node bench/timeline.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export PATH="$PWD/node_modules/.bin:$PATH"
out="${1:-target/dist-names}"
wasm="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/sync-logs.wasm"
# dist/'s file names (with their hash) are kept, so its index.html loads the named copy.
name="$(basename "$(ls dist/*_bg.wasm)" _bg.wasm)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --keep-debug --no-typescript --out-name "$name" --out-dir "$work" "$wasm"
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-simd "$work/${name}_bg.wasm" -o "$work/named.wasm"
rm -rf "$out"
cp -r dist "$out"
rm -f "$out"/*.br "$out"/*.gz
cp "$work/named.wasm" "$out/${name}_bg.wasm"
cp "$work/$name.js" "$out/$name.js"
sed -i 's/ integrity="[^"]*"//g' "$out"/*.html
printf 'A build with function names is in %s: BENCH_DIST=%s node bench/timeline.mjs\n' "$out" "$out"
