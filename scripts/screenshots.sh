#!/usr/bin/env bash
# Regenerates the README's pictures (docs/images/*.png) from the demo: sets up what is
# missing, builds the app and the release server, then takes each picture in headless
# Chromium (scripts/screenshots.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export PATH="$PWD/node_modules/.bin:$PATH"
node scripts/screenshots.mjs
