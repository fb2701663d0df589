#!/usr/bin/env bash
# Started by Playwright (end2end/playwright.config.ts): a fresh database with the demo loaded,
# served from the release build. Tests add their own kommuner and users with the CLI.
set -euo pipefail
: "${ARBEJDSBORD_BIN:?set by scripts/test-all.sh}" "${E2E_DATABASE_URL:?set by playwright.config.ts}" "${E2E_PORT:?}"
db_file="${E2E_DATABASE_URL#sqlite://}"
rm -rf "$db_file" "$db_file-wal" "$db_file-shm" "$(dirname "$db_file")/claims"
mkdir -p "$(dirname "$db_file")"
export DATABASE_URL="$E2E_DATABASE_URL"
"$ARBEJDSBORD_BIN" demo-load --work-dir "$(dirname "$db_file")/demo" > /dev/null
export LEPTOS_SITE_ADDR="127.0.0.1:$E2E_PORT"
exec "$ARBEJDSBORD_BIN" serve
