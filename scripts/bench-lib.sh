# shellcheck shell=bash
# bench-lib.sh - shared helpers for the benchmark scripts (sourced).
# Builds cfz and the targets (build/), and builds libFuzzer versions of
# libFuzzer-style targets with clang -fsanitize=fuzzer into $BENCH_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
BENCH_DIR=${BENCH_DIR:-$BUILD/bench}
CFZ=$BUILD/cfz

bench_build() {
  if [ ! -x "$CFZ" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCFZ_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$BUILD" -j2 >/dev/null
  mkdir -p "$BENCH_DIR"
}

# libfuzzer_build NAME: targets/NAME.c -> $BENCH_DIR/NAME.libfuzzer
libfuzzer_build() {
  local name=$1
  clang -O2 -g -fsanitize=fuzzer "$ROOT/targets/$name.c" \
    -o "$BENCH_DIR/$name.libfuzzer"
}

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# cfz_asan_build NAME: targets/NAME.c with ASan + coverage, linked with the
# cfz harness -> $BENCH_DIR/NAME.cfz-asan (libFuzzer-style targets only).
cfz_asan_build() {
  local name=$1
  clang -O1 -g -fsanitize=fuzzer-no-link,address "$ROOT/targets/$name.c" \
    -Wl,--whole-archive "$BUILD/libcfz_harness.a" -Wl,--no-whole-archive \
    -ljansson -lm -ldl -o "$BENCH_DIR/$name.cfz-asan"
}

# libfuzzer_asan_build NAME -> $BENCH_DIR/NAME.libfuzzer-asan
libfuzzer_asan_build() {
  local name=$1
  clang -O1 -g -fsanitize=fuzzer,address "$ROOT/targets/$name.c" \
    -o "$BENCH_DIR/$name.libfuzzer-asan"
}
