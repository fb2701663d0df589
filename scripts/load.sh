#!/usr/bin/env bash
# A day's load (issue 12 part 4): 2,000 virtual caseworkers over real HTTP for 15 minutes
# (server/src/bin/load), on SQLite with one instance and on PostgreSQL with two; the figures go
# to LOAD_WORK/results.jsonl and the terminal, and BENCHMARKS.md quotes them.
#
#   scripts/load.sh                           # both, full size (~45 minutes with setup)
#   LOAD_PG=0 scripts/load.sh --minutes 2     # SQLite only, a short day (options go to `load`)
#
# Not part of CI (too long); CI runs a two-minute day on SQLite through scripts/test-all.sh.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
install_all
# 2,000 live boards: the servers' and the generator's sockets
ulimit -n "$(ulimit -Hn)" || true

if [ -z "${ARBEJDSBORD_BIN:-}" ]; then
  step "cargo leptos build --release --split --precompress"
  cargo leptos build --release --split --precompress
  export ARBEJDSBORD_BIN="$CARGO_TARGET_DIR/release/arbejdsbord"
fi
step "cargo build --release --bin load"
RUSTFLAGS="--cfg erase_components" cargo build --release -p server --bin load
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
WORK="${LOAD_WORK:-$ARBEJDSBORD_CACHE/load}"
rm -rf "$WORK/sqlite"
mkdir -p "$WORK"

step "a day on SQLite, one instance"
"$CARGO_TARGET_DIR/release/load" --work "$WORK/sqlite" --results "$WORK/results.jsonl" "$@"

if [ "${LOAD_PG:-1}" != 0 ]; then
  step "a day on PostgreSQL, two instances (a throwaway cluster)"
  # shellcheck source=pg.sh
  source "$ROOT/scripts/pg.sh"
  pg_install
  pg_start >/dev/null
  trap pg_stop EXIT
  rm -rf "$WORK/pg"
  "$CARGO_TARGET_DIR/release/load" --work "$WORK/pg" --results "$WORK/results.jsonl" \
    --database-url "$(pg_fresh_db load)" --instances 2 "$@"
fi
