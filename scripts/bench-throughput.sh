#!/usr/bin/env bash
# bench-throughput.sh - executions per second on a trivial target: cfz (one
# worker, and all cores) next to libFuzzer (one process) on the same source,
# measured in the same run.  Usage: scripts/bench-throughput.sh [SECONDS]
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
SECS=${1:-10}
bench_build
libfuzzer_build trivial
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# libFuzzer: empty corpus, fixed time, its own final statistics.
"$BENCH_DIR/trivial.libfuzzer" -max_total_time="$SECS" -print_final_stats=1 \
  >"$work/lf.log" 2>&1 || true
lf=$(awk '/stat::average_exec_per_sec/ { print $NF }' "$work/lf.log")

cfz_rate() {
  "$CFZ" run --cache-dir "$work/cache" --json -j "$1" --fuzz-time "${SECS}s" \
    "$BUILD/targets/trivial" >"$work/cfz.json" 2>"$work/cfz.log" || true
  tail -n 1 "$work/cfz.json" |
    awk '{ match($0, /"execs": *[0-9]+/); e = substr($0, RSTART, RLENGTH); sub(/.*: */, "", e);
           match($0, /"elapsed": *[0-9.]+/); t = substr($0, RSTART, RLENGTH); sub(/.*: */, "", t);
           if (t > 0) printf "%d", e / t; else print 0 }'
}
cfz1=$(cfz_rate 1)
ncpu=$(nproc)
cfzn=$(cfz_rate "$ncpu")

printf '%-28s %14s %8s\n' "engine (trivial target)" "execs/sec" "ratio"
printf '%-28s %14s %8s\n' "libFuzzer (1 process)" "$lf" "1.00"
printf '%-28s %14s %8s\n' "cfz -j 1" "$cfz1" "$(ratio "$cfz1" "$lf")"
printf '%-28s %14s %8s\n' "cfz -j $ncpu" "$cfzn" "$(ratio "$cfzn" "$lf")"
