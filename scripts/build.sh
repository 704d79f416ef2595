#!/usr/bin/env bash
# Sets up what is missing, then builds the app (trunk build --release, into dist/) and
# the release reference server. Shared by demo.sh, screenshots.sh and bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
printf '\n==> Building the app (trunk build --release)\n'
trunk build --release --offline
printf '\n==> Building the reference server (release)\n'
cargo build --release -p sync-logs-server
