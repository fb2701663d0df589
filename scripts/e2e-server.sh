#!/usr/bin/env bash
# Started by Playwright (end2end/playwright.config.ts): a fresh database with the demo loaded,
# served from the release build. Tests add their own kommuner and users with the CLI.
#
# E2E_DATABASE_URL is `sqlite://FILE` (the file is removed first) or `postgres://…/NAME` (the
# database NAME is dropped and created again on that server, which must be running: see
# scripts/test-all.sh). E2E_WORK_DIR holds the demo extract and the tests' kommune claims.
set -euo pipefail
: "${ARBEJDSBORD_BIN:?set by scripts/test-all.sh}" "${E2E_DATABASE_URL:?set by playwright.config.ts}" "${E2E_PORT:?}"
: "${E2E_WORK_DIR:?set by playwright.config.ts}"
case "$E2E_DATABASE_URL" in
  sqlite://*)
    db_file="${E2E_DATABASE_URL#sqlite://}"
    db_file="${db_file%%\?*}"
    rm -f "$db_file" "$db_file-wal" "$db_file-shm"
    mkdir -p "$(dirname "$db_file")"
    ;;
  postgres://* | postgresql://*)
    name="${E2E_DATABASE_URL##*/}"
    name="${name%%\?*}"
    [[ "$name" =~ ^[A-Za-z0-9_]{1,63}$ ]] || { echo "e2e-server.sh: database name '$name' in E2E_DATABASE_URL" >&2; exit 1; }
    psql -X -q -v ON_ERROR_STOP=1 "${E2E_DATABASE_URL%/*}/postgres" \
      -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" >/dev/null
    ;;
  *) echo "e2e-server.sh: E2E_DATABASE_URL must be sqlite:// or postgres://" >&2; exit 1 ;;
esac
rm -rf "$E2E_WORK_DIR/claims" "$E2E_WORK_DIR/demo"
mkdir -p "$E2E_WORK_DIR"
export DATABASE_URL="$E2E_DATABASE_URL"
"$ARBEJDSBORD_BIN" demo-load --work-dir "$E2E_WORK_DIR/demo" > /dev/null
export LEPTOS_SITE_ADDR="127.0.0.1:$E2E_PORT"
exec "$ARBEJDSBORD_BIN" serve
