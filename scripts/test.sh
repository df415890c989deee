#!/usr/bin/env bash
# test.sh - the test command: installs dependencies (setup.sh), then builds
# with -Werror (-DCFZ_WERROR=ON) three times:
#   build/          clang RelWithDebInfo: every test (packaging included)
#   build-asan/     clang, AddressSanitizer + UndefinedBehaviorSanitizer
#                   (-DCFZ_SANITIZE=ON): every test but the packaging ones
#   build-default/  the default compiler (what `cmake -S . -B build` picks:
#                   gcc on Debian): the build, the unit tests and the quick
#                   integration tests (the long test_run and test_hardening
#                   and the packaging tests already ran in build/)
# Exits non-zero if any step or test fails.
#
# Environment: CFZ_JOBS (build and ctest parallelism, default: nproc),
# CFZ_SKIP_SETUP=1 (do not run setup.sh), CFZ_SKIP_ASAN=1 (no build-asan/),
# CFZ_SKIP_DEFAULT=1 (no build-default/).
# --stress: then run build/'s suite twice at once, each with ctest -j4 (a
# loaded machine: every test must be bounded by counts, not timing).
set -euo pipefail
stress=0
if [[ "${1:-}" == --stress ]]; then
  stress=1
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if [[ "${CFZ_SKIP_SETUP:-0}" != 1 ]]; then
  scripts/setup.sh
fi

jobs=${CFZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

# LeakSanitizer stays on: leaks in the driver or the harness are bugs.  It
# needs ptrace-like access to the process (it stops threads to scan them);
# where a sandbox forbids that, LSan aborts with "LeakSanitizer has
# encountered a fatal error" and every test fails: set
# ASAN_OPTIONS=detect_leaks=0 in the environment to run there.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summaries=()
failed=0

clang_args=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)

# run_suite NAME BUILD_DIR CTEST_EXCLUDE_REGEX CMAKE_ARGS...
run_suite() {
  local name=$1 dir=$2 exclude=$3 log
  shift 3
  echo "=== $name: configure and build in $dir/"
  # CC and CXX unset: the compiler is the one given, or CMake's default.
  if ! env -u CC -u CXX cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCFZ_WERROR=ON "$@" >/dev/null ||
    ! cmake --build "$dir" -j "$jobs"; then
    summaries+=("$name: BUILD FAILED")
    failed=1
    return 0
  fi
  echo "=== $name: ctest"
  log=$(mktemp)
  local rc=0
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$jobs" \
    ${exclude:+-E "$exclude"}) 2>&1 | tee "$log" || rc=$?
  # The summary line, e.g. "100% tests passed, 0 tests failed out of 12".
  summaries+=("$name: $(grep -E 'tests passed|No tests were found' "$log" |
    tail -n 1 || echo "ctest failed (exit $rc)")")
  rm -f "$log"
  if ((rc != 0)); then
    failed=1
  fi
}

run_suite "clang RelWithDebInfo" build "" "${clang_args[@]}"
if [[ "${CFZ_SKIP_ASAN:-0}" != 1 ]]; then
  run_suite "clang ASan+UBSan" build-asan "" "${clang_args[@]}" -DCFZ_SANITIZE=ON
fi
if [[ "${CFZ_SKIP_DEFAULT:-0}" != 1 ]]; then
  run_suite "default compiler ($(cc --version 2>/dev/null | head -n 1))" \
    build-default '^(test_run|test_hardening|cfz-install|cfz-deb)$'
fi
if ((stress)); then
  echo "=== stress: build/'s suite twice in parallel, ctest -j4 each"
  slog1=$(mktemp) slog2=$(mktemp)
  (cd build && ctest -j4 --output-on-failure >"$slog1" 2>&1) & p1=$!
  (cd build && ctest -j4 --output-on-failure >"$slog2" 2>&1) & p2=$!
  for p in "$p1:$slog1" "$p2:$slog2"; do
    if wait "${p%%:*}"; then
      summaries+=("stress: $(grep -E 'tests passed' "${p#*:}" | tail -n 1)")
    else
      cat "${p#*:}"
      summaries+=("stress: FAILED ($(grep -E 'tests passed' "${p#*:}" | tail -n 1))")
      failed=1
    fi
  done
  rm -f "$slog1" "$slog2"
fi

echo
echo "=== summary"
printf '  %s\n' "${summaries[@]}"
if ((failed)); then
  echo "test.sh: FAILED" >&2
  exit 1
fi
echo "test.sh: all passed"
