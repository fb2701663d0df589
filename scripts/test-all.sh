#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, unit and property tests,
# integration tests against real SQLite files and again against PostgreSQL, and the browser tests in
# Debian's Chromium on both databases, and two instances behind nginx; then the crash proof, the
# API against its OpenAPI document, a short day's load and the fuzzers.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
install_all
install_browser_tools

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (server and browser builds)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "cargo test (unit, property and integration tests)"
cargo test --workspace

step "the integration tests again, on PostgreSQL (a throwaway cluster)"
# shellcheck source=pg.sh
source "$ROOT/scripts/pg.sh"
pg_install
pg_start
trap pg_stop EXIT
# All but SQLite's own: the backup by VACUUM INTO and the group-commit writer.
pg_tests=()
for f in app/tests/*.rs; do
  name="$(basename "$f" .rs)"
  case "$name" in backup | writes) ;; *) pg_tests+=(--test "$name") ;; esac
done
ARBEJDSBORD_TEST_PG="$ARBEJDSBORD_PG_URL" cargo test -p app "${pg_tests[@]}"
# The server over HTTP (API, server functions, live streams, health, mail) on PostgreSQL too.
ARBEJDSBORD_TEST_PG="$ARBEJDSBORD_PG_URL" cargo test -p server --test http --test report_http --test mail

step "cargo leptos build --release --split"
cargo leptos build --release --split --precompress

step "Playwright in Chromium"
export ARBEJDSBORD_BIN="$CARGO_TARGET_DIR/release/arbejdsbord"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
(cd end2end && npx playwright test)

step "Playwright again, on PostgreSQL"
(cd end2end && E2E_DATABASE_URL="${ARBEJDSBORD_PG_URL%/*}/e2e" npx playwright test)

step "two instances on PostgreSQL behind nginx (Playwright)"
scripts/e2e-two-instances.sh

step "crash proof: SIGKILL under load, 20 cycles on SQLite and on PostgreSQL"
scripts/crash.sh --cycles 20
scripts/crash.sh --pg --cycles 20

step "the API against its OpenAPI document (Schemathesis), on SQLite and on PostgreSQL"
scripts/api-check.sh
scripts/api-check.sh --pg

step "a short day's load: 200 caseworkers for a minute, SQLite and two instances on PostgreSQL"
load_work="$(mktemp -d "${TMPDIR:-/tmp}/arbejdsbord-load.XXXXXX")"
LOAD_WORK="$load_work" scripts/load.sh --caseworkers 200 --minutes 1 --kommuner 2 --fordringer 5000 --think-secs 5 --scorers 6
rm -rf "$load_work"

step "fuzzing: each cargo fuzz target for 60 s from the committed seeds"
scripts/fuzz.sh --seconds 60

step "All tests passed"
