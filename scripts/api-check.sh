#!/usr/bin/env bash
# The API against its own description (issue 12 part 1): Schemathesis (PyPI) reads
# /api/v1/openapi.json from the real server with the demo loaded and calls every operation with
# generated requests, valid and invalid, a bounded number per operation. It fails on any 5xx, on
# a status the document does not list, on a content type or body that does not match the
# document — and since every 4xx is documented as `{"error","field"}`, on any 4xx without them.
#
#   scripts/api-check.sh [--pg] [--max-examples N] [other `st run` options, e.g. --seed 7]
#
# SQLite in a temporary directory by default; --pg on a throwaway PostgreSQL cluster
# (scripts/pg.sh). Needs the release build (`cargo leptos build --release`).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bin="${ARBEJDSBORD_BIN:-$CARGO_TARGET_DIR/release/arbejdsbord}"
[ -x "$bin" ] || { echo "api-check.sh: no release build at $bin" >&2; exit 1; }
SCHEMATHESIS_VERSION=4.32.5

venv="$ARBEJDSBORD_CACHE/schemathesis-$SCHEMATHESIS_VERSION"
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  step "pip install schemathesis==$SCHEMATHESIS_VERSION (into $venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

pg=
max_examples=25
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pg) pg=1 ;;
    --max-examples) max_examples="$2"; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

work="$(mktemp -d "${TMPDIR:-/tmp}/arbejdsbord-api-check.XXXXXX")"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$pg" ] && pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "$pg" ]; then
  # shellcheck source=pg.sh
  source "$ROOT/scripts/pg.sh"
  pg_install
  pg_start >/dev/null
  export DATABASE_URL="$(pg_fresh_db apicheck)"
else
  export DATABASE_URL="sqlite://$work/api.db"
fi
step "Schemathesis against /api/v1/openapi.json ($DATABASE_URL)"
"$bin" demo-load --work-dir "$work/demo" >/dev/null
token="$("$bin" token add --kommune 751 --name schemathesis)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}" \
  "$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

# Three callers: the finance system's token, the kommune's project lead and KOMBIT (by session),
# so every operation is reached by someone it lets in.
login() {
  curl -fsS -o /dev/null -D - -H 'accept: application/json' --data-urlencode "username=$1" \
    --data-urlencode "password=$DEMO_PASSWORD" "$base/sf/login" | tr -d '\r' |
    sed -n 's/^[Ss]et-[Cc]ookie: \(arbejdsbord_session=[^;]*\).*/\1/p'
}
DEMO_PASSWORD=demo1234
names=("the finance system's token" "aarhus.projektleder" "kombit")
callers=("Authorization: Bearer $token" "Cookie: $(login aarhus.projektleder)" "Cookie: $(login kombit)")
status=0
for i in "${!callers[@]}"; do
  caller="${callers[$i]}"
  [ "$caller" != "Cookie: " ] || { echo "api-check.sh: login as ${names[$i]} failed" >&2; exit 1; }
  step "Schemathesis as ${names[$i]}"
  # from the work folder: Schemathesis keeps a cache of what it found in the current directory
  (cd "$work" && "$venv/bin/st" run "$base/api/v1/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$max_examples" --header "$caller" --workers 2 \
    --generation-database none --no-color "${args[@]}") || status=$?
done
if grep -q ' ERROR \| panicked' "$work/server.log"; then
  echo "api-check.sh: the server logged errors:" >&2
  grep ' ERROR \| panicked' "$work/server.log" | head -20 >&2
  status=1
fi
exit "$status"
