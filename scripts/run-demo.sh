#!/usr/bin/env bash
# Installs what is missing, builds the release, loads the demo (three kommuner, demo users of
# every role) into SQLite and serves the app. Re-running is safe: the demo load is idempotent.
#   PORT=3000 DATABASE_URL=sqlite://data/arbejdsbord.db ./scripts/run-demo.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
install_all

step "cargo leptos build --release --split"
cargo leptos build --release --split --precompress

export DATABASE_URL="${DATABASE_URL:-sqlite://$ROOT/data/arbejdsbord.db}"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:${PORT:-3000}}"
step "arbejdsbord demo-load ($DATABASE_URL)"
"$CARGO_TARGET_DIR/release/arbejdsbord" demo-load --work-dir "$ROOT/data/demo"

step "Arbejdsbord kører på http://$LEPTOS_SITE_ADDR  (Ctrl+C stopper)"
exec "$CARGO_TARGET_DIR/release/arbejdsbord" serve
