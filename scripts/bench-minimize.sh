#!/usr/bin/env bash
# bench-minimize.sh - minimize the same crash with cfz and with libFuzzer
# (-minimize_crash=1): size before and after, executions, seconds.
# The crash is found by libFuzzer itself (a raw crash-<sha1> file) on a
# libFuzzer-style example target (both built with ASan), then padded with
# valid records so that minimization has work to do.
# Then issue 10's case: a 4096-byte crasher of targets/minimize_three_a.c
# (dies when at least 64 bytes long with three 'A' bytes; the optimum is 64
# bytes), generated deterministically, minimized by both.
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

# ---- issue 10's case: 4096 bytes -> 64 ----
libfuzzer_asan_build minimize_three_a
cfz_asan_build minimize_three_a
# 4096 pseudo-random bytes (a fixed LCG) without 'A', then 'A' at 3 places.
x=7
for ((i = 0; i < 4096; i++)); do
  x=$(((x * 1103515245 + 12345) % 2147483648))
  b=$(((x >> 16) % 256))
  if ((i == 1000 || i == 2500 || i == 3700)); then b=65; elif ((b == 65)); then b=66; fi
  printf -v ch '\\x%02x' "$b"
  printf "$ch"
done >crash-3a
cp crash-3a crash-3a-cfz
t0=$(now)
"$CFZ" minimize --minimize-time "${RUNS}x" -o min3a-cfz crash-3a-cfz \
  "$BENCH_DIR/minimize_three_a.cfz-asan" >cfz3a.log 2>&1 || true
t1=$(now)
cfz_size=$(stat -c %s min3a-cfz 2>/dev/null || echo n/a)
cfz_execs=$(grep -o 'in [0-9]* executions' cfz3a.log | grep -o '[0-9]*' || echo n/a)
t2=$(now)
"$BENCH_DIR/minimize_three_a.libfuzzer-asan" -minimize_crash=1 -runs="$RUNS" \
  -exact_artifact_path=min3a-lf crash-3a >lf3a.log 2>&1 || true
t3=$(now)
lf_size=$(stat -c %s min3a-lf 2>/dev/null || echo n/a)
lf_rounds=$(grep -c 'CRASH_MIN: minimizing crash input' lf3a.log || true)
echo
echo "issue 10 case: targets/minimize_three_a.c, 4096 bytes, optimum 64"
printf '%-12s %10s %10s %22s %8s\n' engine "orig bytes" "min bytes" executions seconds
printf '%-12s %10s %10s %22s %8s\n' cfz 4096 "$cfz_size" "$cfz_execs" \
  "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
printf '%-12s %10s %10s %22s %8s\n' libFuzzer 4096 "$lf_size" \
  "<= $lf_rounds x $RUNS" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.2f", b - a }')"
