#!/usr/bin/env bash
# soak.sh - a long cfz run on a target that leaks, hangs and crashes
# (targets/leak_slow.c), watching the driver from outside:
#
#   cfz run -j 2 --keep-going --timeout 1s --rss-limit 200 --fuzz-time Nx leak_slow
#
# in a temporary directory, sampling the driver's resident memory (VmRSS and
# VmHWM from /proc/<pid>/status) and its zombie children every second.  At the
# end it checks that
#   - the driver exited normally (0 or 1, not 2 or a signal),
#   - its peak resident memory stayed below a bound,
#   - it never held more zombie children than it has workers, nor more open
#     file descriptors than 24 + 8 per worker (no leak across restarts),
#   - no worker process is left and no /dev/shm/cfz-* object was added,
#   - every distinct failure is written exactly once: the number of files in
#     testdata/fuzz/FuzzLeakSlow/ equals the summary's "N distinct failure(s)",
#     and every file named in the summary exists,
# prints executions, failures written, peak driver RSS, and exits non-zero if
# a check fails.
#
# Usage: scripts/soak.sh [EXECS]        (default 2000000)
# Environment: BUILD (build directory, default build-soak; configured and
# built when needed), SOAK_RSS_BOUND_MB (default 64), SOAK_JOBS (default 2),
# SOAK_KEEP=1 (keep the work directory and print its path).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-soak}
EXECS=${1:-2000000}
BOUND_MB=${SOAK_RSS_BOUND_MB:-64}
JOBS=${SOAK_JOBS:-2}
CFZ=$BUILD/cfz
TARGET=$BUILD/targets/leak_slow
NAME=FuzzLeakSlow

case $EXECS in
'' | *[!0-9]*)
  echo "usage: $0 [EXECS]" >&2
  exit 2
  ;;
esac

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ >/dev/null
fi
cmake --build "$BUILD" -j2 --target cfz leak_slow >/dev/null

work=$(mktemp -d /tmp/cfz-soak-XXXXXX)
cleanup() {
  if [ "${SOAK_KEEP:-0}" = 1 ]; then
    echo "soak: work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

count_shm() { find /dev/shm -maxdepth 1 -name 'cfz-*' 2>/dev/null | wc -l; }

# Live processes (zombies included) running the target executable.
count_workers() {
  local want n=0 p exe
  want=$(readlink -f "$TARGET")
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null || true)
    if [ "$exe" = "$want" ]; then
      n=$((n + 1))
    elif [ -z "$exe" ] && grep -q "^[0-9]* (leak_slow) Z" "$p/stat" 2>/dev/null; then
      n=$((n + 1))
    fi
  done
  echo "$n"
}

# Zombie children of pid $1 (one pass over /proc; a process may vanish
# between the glob and the read, hence cat's 2>/dev/null).
count_zombies() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
    awk -v pp="$1" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == pp) n++ } END { print n + 0 }'
}

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

shm_before=$(count_shm)
echo "soak: $CFZ run -j $JOBS --keep-going --timeout 1s --rss-limit 200 --fuzz-time ${EXECS}x leak_slow"
start=$(date +%s)
(cd "$work" && exec "$CFZ" run --cache-dir "$work/cache" -j "$JOBS" --keep-going \
  --timeout 1s --rss-limit 200 --fuzz-time "${EXECS}x" "$TARGET") >"$work/log" 2>&1 &
pid=$!

peak_kb=0 hwm_kb=0 max_zombies=0 max_fds=0 samples=0
while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
  rss=$(status_kb "$pid" VmRSS)
  hwm=$(status_kb "$pid" VmHWM)
  if [ -n "$rss" ] && [ "$rss" -gt "$peak_kb" ]; then peak_kb=$rss; fi
  if [ -n "$hwm" ] && [ "$hwm" -gt "$hwm_kb" ]; then hwm_kb=$hwm; fi
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  if [ "$fds" -gt "$max_fds" ]; then max_fds=$fds; fi
  z=$(count_zombies "$pid")
  if [ "$z" -gt "$max_zombies" ]; then max_zombies=$z; fi
  samples=$((samples + 1))
  sleep 1
done
rc=0
wait "$pid" || rc=$?
elapsed=$(($(date +%s) - start))
if [ "$hwm_kb" -gt "$peak_kb" ]; then peak_kb=$hwm_kb; fi

# Workers die with the driver (they are killed, or see fd 3 close); give them
# a bounded moment (200 x 10 ms).
workers_left=$(count_workers)
for _ in $(seq 200); do
  [ "$workers_left" -eq 0 ] && break
  sleep 0.01
  workers_left=$(count_workers)
done

log=$work/log
execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
execs=${execs:-0}
distinct=$(sed -n 's/^cfz: \([0-9]*\) distinct failure(s):$/\1/p' "$log" | tail -n 1)
distinct=${distinct:-0}
seeds_dir=$work/testdata/fuzz/$NAME
written=0
if [ -d "$seeds_dir" ]; then
  written=$(find "$seeds_dir" -maxdepth 1 -type f ! -name '.*' | wc -l)
fi
seen=$(sed -n 's/^    seen \([0-9]*\) time(s), written to .*$/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
shm_after=$(count_shm)

failed=0
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    echo "  ok    $what"
  else
    echo "  FAIL  $what"
    failed=1
  fi
}
summary_files_exist() {
  local f
  while read -r f; do
    [ -f "$work/$f" ] || return 1
  done < <(sed -n 's/^    seen [0-9]* time(s), written to \(.*\)$/\1/p' "$log")
}

echo "soak: finished in ${elapsed}s (exit status $rc, $samples samples)"
echo "  executions:                 $execs"
echo "  distinct failures:          $distinct (seen $seen times in all)"
echo "  failures written:           $written"
echo "  peak driver RSS:            $((peak_kb / 1024)) MB ($peak_kb kB; bound $BOUND_MB MB)"
echo "  max zombie children seen:   $max_zombies"
echo "  max driver open fds:        $max_fds"
echo "  workers left after exit:    $workers_left"
echo "  /dev/shm/cfz-* before/after: $shm_before/$shm_after"
sed -n '/^cfz: [0-9]* distinct failure(s):$/,$p' "$log" | sed 's/^/  | /'
check "driver exited with 0 or 1" test "$rc" -le 1
check "ran all $EXECS executions" test "$execs" -eq "$EXECS"
check "peak driver RSS below $BOUND_MB MB" test "$peak_kb" -lt $((BOUND_MB * 1024))
check "at most $JOBS zombie children at a time" test "$max_zombies" -le "$JOBS"
check "driver open fds bounded (<= $((24 + 8 * JOBS)))" test "$max_fds" -le $((24 + 8 * JOBS))
check "no worker process left" test "$workers_left" -eq 0
check "no /dev/shm/cfz-* left" test "$shm_after" -le "$shm_before"
check "each distinct failure written once" test "$written" -eq "$distinct"
check "every file in the summary exists" summary_files_exist
if [ "$failed" -ne 0 ]; then
  echo "soak: FAILED; the last lines of the log:"
  tail -n 40 "$log"
  exit 1
fi
echo "soak: ok"
