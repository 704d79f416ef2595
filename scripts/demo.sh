#!/usr/bin/env bash
# Sets up what is missing, builds the app, and runs it on the reference backend with
# fresh demo data. Open the printed 127.0.0.1 URL. PORT and SEED_COUNT may be set.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh

port="${PORT:-8080}"
if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
  echo "Port ${port} is taken; using a free one instead."
  port=0
fi
printf '\n==> Starting the reference server with %s demo records (Ctrl+C stops it)\n' "${SEED_COUNT:-20000}"
target_dir="${CARGO_TARGET_DIR:-target}"
exec "${target_dir}/release/sync-logs-server" --port "${port}" --db "${target_dir}/demo.sqlite3" --reseed \
  --seed-count "${SEED_COUNT:-20000}" --dist dist --live-every 20
