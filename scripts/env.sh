# Sourced by the other scripts: installs what is missing (idempotently) and sets up the
# environment. Safe to run again; every step checks first and skips what is already there.
# Builds are cached under ~/.cache/arbejdsbord (cargo target dir, npm build tools).

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ARBEJDSBORD_CACHE="${ARBEJDSBORD_CACHE:-$HOME/.cache/arbejdsbord}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ARBEJDSBORD_CACHE/target}"
export PATH="$ARBEJDSBORD_CACHE/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"
CARGO_LEPTOS_VERSION=0.3.10

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  step "apt-get install $*"
  as_root apt-get install -y --no-install-recommends "$@" || { as_root apt-get update && as_root apt-get install -y --no-install-recommends "$@"; }
}

install_rust_tools() {
  command -v cargo >/dev/null || { echo "Rust (rustup, cargo) is required: https://rustup.rs" >&2; exit 1; }
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # 0.3.11 needs a newer rustc; no_downloads: it must not fetch binaries (no internet here).
    step "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (takes ~15 minutes once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  local wbg
  wbg="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    # Must equal the crate's version exactly; --locked fails on a missing registry entry.
    step "cargo install wasm-bindgen-cli $wbg"
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
}

install_node_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  local dir="$ARBEJDSBORD_CACHE/npm"
  mkdir -p "$dir"
  if ! cmp -s "$ROOT/scripts/tools/package-lock.json" "$dir/package-lock.json" || [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    step "npm: wasm-opt (binaryen 132) and sass"
    cp "$ROOT/scripts/tools/package.json" "$ROOT/scripts/tools/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

install_browser_tools() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  if ! cmp -s "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.package-lock.json.copy" 2>/dev/null; then
    step "npm ci (end2end: Playwright, axe-core)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.package-lock.json.copy)
  fi
}

install_all() {
  install_rust_tools
  install_node_tools
}
