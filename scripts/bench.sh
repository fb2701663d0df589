#!/usr/bin/env bash
# Reruns the benchmarks and rewrites BENCHMARKS.md (machine and date included).
#   ./scripts/bench.sh                      # full size: 1,000,000 fordringer, 2,000 subscribers
#   BENCH_FORDRINGER=50000 ./scripts/bench.sh   # a quick run
#   BENCH_PG=0 ./scripts/bench.sh           # without the PostgreSQL runs (a throwaway cluster:
#                                           # import vs psql \copy, resolves vs pgbench, live
#                                           # counts with two instances)
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
install_all
install_browser_tools
command -v sqlite3 >/dev/null || apt_install sqlite3
# 2,000 subscribers and the server's 2,000 sockets on one machine
ulimit -n 65536 || true

step "cargo leptos build --release --split --precompress"
cargo leptos build --release --split --precompress
step "cargo build --release --bin bench"
# Same flags as cargo-leptos's server build, so the release artifacts are shared.
RUSTFLAGS="--cfg erase_components" cargo build --release -p server --bin bench

export ARBEJDSBORD_BIN="$CARGO_TARGET_DIR/release/arbejdsbord"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
WORK="${BENCH_WORK:-$ARBEJDSBORD_CACHE/bench}"
"$CARGO_TARGET_DIR/release/bench" --work "$WORK" --fordringer "${BENCH_FORDRINGER:-1000000}" \
  --subscribers "${BENCH_SUBSCRIBERS:-2000}" --only import,counts,resolve,live,wasm,rerank

if [ "${BENCH_PG:-1}" != 0 ]; then
  step "the same on PostgreSQL, two instances (a throwaway cluster)"
  # shellcheck source=pg.sh
  source "$ROOT/scripts/pg.sh"
  pg_install
  pg_start >/dev/null
  trap pg_stop EXIT
  "$CARGO_TARGET_DIR/release/bench" --work "$WORK" --fordringer "${BENCH_FORDRINGER:-1000000}" \
    --subscribers "${BENCH_SUBSCRIBERS:-2000}" --only import,resolve,live --pg "$ARBEJDSBORD_PG_URL"
  pg_stop
fi

if [ -f end2end/playwright.bench.config.ts ]; then
  step "browser benchmarks (Chromium)"
  (cd end2end && BENCH_RESULTS="$WORK/results.jsonl" npx playwright test --config playwright.bench.config.ts)
fi
"$CARGO_TARGET_DIR/release/bench" --work "$WORK" --only report --out "$ROOT/BENCHMARKS.md"
