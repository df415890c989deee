#!/usr/bin/env bash
# bench-minimize.sh - minimize the same crash with cfz and with libFuzzer
# (-minimize_crash=1): size before and after, executions, seconds.
# The crash is found by libFuzzer itself (a raw crash-<sha1> file) on a
# libFuzzer-style example target (both built with ASan), then padded with
# valid records so that minimization has work to do.
# Usage: scripts/bench-minimize.sh [TARGET] [RUNS]
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
T=${1:-example_libfuzzer}
RUNS=${2:-20000}
bench_build
libfuzzer_asan_build "$T"
cfz_asan_build "$T"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir corpus
# Find a crash with libFuzzer; -max_len 512 lets it be large, as found
# crashes usually are.
"$BENCH_DIR/$T.libfuzzer-asan" -seed=1 -max_len=512 -max_total_time=120 corpus \
  >lf-find.log 2>&1 || true
crash=$(find . -maxdepth 1 -name "crash-*" | head -n 1)
if [ -z "$crash" ]; then
  echo "libFuzzer found no crash in 120 s; nothing to compare" >&2
  exit 1
fi
# Prepend 64 valid integer records ("I", length 1, a byte) so that both
# minimizers have work to do; the crash itself stays the same.
for _ in $(seq 64); do printf 'I\001x'; done >padded
cat "$crash" >>padded
mv padded "$crash"
orig=$(stat -c %s "$crash")
cp "$crash" crash-cfz

t0=$(now)
"$CFZ" minimize --minimize-time "${RUNS}x" -o min-cfz crash-cfz \
  "$BENCH_DIR/$T.cfz-asan" >cfz.log 2>&1 || true
t1=$(now)
cfz_size=$(stat -c %s min-cfz 2>/dev/null || echo n/a)
cfz_execs=$(grep -o 'in [0-9]* executions' cfz.log | grep -o '[0-9]*' || echo n/a)

t2=$(now)
"$BENCH_DIR/$T.libfuzzer-asan" -minimize_crash=1 -runs="$RUNS" \
  -exact_artifact_path=min-lf "$crash" >lf.log 2>&1 || true
t3=$(now)
lf_size=$(stat -c %s min-lf 2>/dev/null || echo n/a)
# Each libFuzzer minimization round is a child run of up to -runs inputs.
lf_rounds=$(grep -c 'CRASH_MIN: minimizing crash input' lf.log || true)

printf '%-12s %10s %10s %22s %8s\n' engine "orig bytes" "min bytes" executions seconds
printf '%-12s %10s %10s %22s %8s\n' cfz "$orig" "$cfz_size" "$cfz_execs" \
  "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
printf '%-12s %10s %10s %22s %8s\n' libFuzzer "$orig" "$lf_size" \
  "<= $lf_rounds x $RUNS" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.2f", b - a }')"
