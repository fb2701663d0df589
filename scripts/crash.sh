#!/usr/bin/env bash
# Crash proof (issue 12): the real server under concurrent resolves and dækninger, killed with
# SIGKILL at random moments and restarted, N times; after every kill each acknowledged write must
# be in the database, the counters must equal a recount and the integrity check must pass
# (scripts/crash.py says how).
#
#   scripts/crash.sh [--pg] [--cycles N] [crash.py's other options, e.g. --seed 7 --report FILE]
#
# SQLite (the default) in a fresh file of a temporary directory; with --pg a throwaway PostgreSQL
# cluster (scripts/pg.sh), stopped afterwards. Needs the release build
# (`cargo leptos build --release`); builds nothing itself.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
export ARBEJDSBORD_BIN="${ARBEJDSBORD_BIN:-$CARGO_TARGET_DIR/release/arbejdsbord}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
[ -x "$ARBEJDSBORD_BIN" ] || { echo "crash.sh: no release build at $ARBEJDSBORD_BIN" >&2; exit 1; }

pg=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) pg=1 ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ -n "$pg" ]; then
  # shellcheck source=pg.sh
  source "$ROOT/scripts/pg.sh"
  pg_install
  pg_start >/dev/null
  trap pg_stop EXIT
  url="$(pg_fresh_db crash)"
  step "crash proof on PostgreSQL ($url)"
  python3 -B "$ROOT/scripts/crash.py" --bin "$ARBEJDSBORD_BIN" --site-root "$LEPTOS_SITE_ROOT" \
    --database-url "$url" "${args[@]}"
else
  step "crash proof on SQLite"
  python3 -B "$ROOT/scripts/crash.py" --bin "$ARBEJDSBORD_BIN" --site-root "$LEPTOS_SITE_ROOT" "${args[@]}"
fi
