#!/usr/bin/env bash
# Fuzzing (issue 12 part 2): the cargo fuzz targets of fuzz/ — the extract parser on a whole CSV
# file, the small parsers (CPR, amounts, dates, kommune numbers, a login's `next`), and the
# ændringsønske template's validation — each for a bounded time from the committed seed corpus.
# Fails on any crash, panic or broken property; libFuzzer leaves the input in fuzz/artifacts/.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]     (default: 60 s each, all targets)
#
# New inputs a run finds go to fuzz/corpus-run/ (not committed); the seeds stay as they are.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT/fuzz"
CARGO_FUZZ_VERSION=0.13.1

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION\$"; then
  step "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)

# Without a sanitizer (the code under test is safe Rust): libFuzzer's coverage and the
# properties' asserts, with debug assertions and overflow checks on. Its own target dir: the
# instrumented build shares nothing with the product's. Views type-erased, as in the product.
toolchain=()
rustup toolchain list 2>/dev/null | grep -q '^nightly' && toolchain=(+nightly)
fuzz_target_dir="$ARBEJDSBORD_CACHE/target-fuzz"
export RUSTFLAGS="--cfg erase_components"
step "cargo fuzz build (every target)"
cargo "${toolchain[@]}" fuzz build -s none --debug-assertions --target-dir "$fuzz_target_dir"

for t in "${targets[@]}"; do
  step "cargo fuzz run $t for ${seconds} s"
  mkdir -p "corpus-run/$t"
  cargo "${toolchain[@]}" fuzz run -s none --debug-assertions --target-dir "$fuzz_target_dir" "$t" \
    "corpus-run/$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1
done
step "fuzzing: no crash in ${targets[*]} (${seconds} s each)"
