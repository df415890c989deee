#!/usr/bin/env bash
# bench-find.sh - executions and seconds to the first crash on the feedback
# targets (maze of byte checks, 32-bit magic, memcmp token, strcmp keywords),
# median over several seeds: cfz -j 1 next to libFuzzer with and without
# -use_value_profile=1, same sources, same run.
# Usage: scripts/bench-find.sh [SEEDS] [MAX_SECONDS_PER_RUN]
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
SEEDS=${1:-5}
LIMIT=${2:-120}
TARGETS="feedback_maze feedback_magic32 feedback_memcmp feedback_strcmp"
bench_build
for t in $TARGETS; do libfuzzer_build "$t"; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# run_cfz TARGET SEED -> "execs seconds" (or "inf LIMIT" when not found)
run_cfz() {
  rm -rf "$work/testdata" "$work/cache"
  local t0 t1 out
  t0=$(now)
  out=$("$CFZ" run --cache-dir "$work/cache" -j 1 --seed "$2" --minimize-time 0 \
    --fuzz-time "${LIMIT}s" "$BUILD/targets/$1" 2>&1 || true)
  t1=$(now)
  if grep -q -- '--- FAIL' <<<"$out"; then
    echo "$(grep -o 'execs: [0-9]*' <<<"$out" | tail -n 1 | cut -d' ' -f2) $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  else
    echo "inf $LIMIT"
  fi
}

# run_lf TARGET SEED [FLAGS] -> "execs seconds"
run_lf() {
  rm -rf "$work/lfcorpus"; mkdir -p "$work/lfcorpus"
  local t0 t1 out
  t0=$(now)
  out=$("$BENCH_DIR/$1.libfuzzer" -seed="$2" -max_total_time="$LIMIT" \
    -print_final_stats=1 ${3:+"$3"} "$work/lfcorpus" 2>&1 || true)
  t1=$(now)
  if grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|deadly signal' <<<"$out"; then
    echo "$(grep -o 'stat::number_of_executed_units: *[0-9]*' <<<"$out" | grep -o '[0-9]*$') $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  else
    echo "inf $LIMIT"
  fi
  rm -f crash-* leak-* timeout-*
}

printf '%-18s %-22s %12s %9s %14s %12s\n' target engine "med execs" "med s" "execs ratio" "time ratio"
for t in $TARGETS; do
  declare -A ex=() se=()
  for eng in cfz libfuzzer libfuzzer-vp; do
    : >"$work/e"; : >"$work/s"
    for seed in $(seq 1 "$SEEDS"); do
      case $eng in
        cfz) r=$(run_cfz "$t" "$seed") ;;
        libfuzzer) r=$(run_lf "$t" "$seed") ;;
        libfuzzer-vp) r=$(run_lf "$t" "$seed" -use_value_profile=1) ;;
      esac
      echo "${r% *}" >>"$work/e"; echo "${r#* }" >>"$work/s"
    done
    ex[$eng]=$(median <"$work/e"); se[$eng]=$(median <"$work/s")
  done
  for eng in cfz libfuzzer libfuzzer-vp; do
    printf '%-18s %-22s %12s %9s %14s %12s\n' "$t" "$eng" "${ex[$eng]}" "${se[$eng]}" \
      "$(ratio "${ex[$eng]}" "${ex[libfuzzer]}")" "$(ratio "${se[$eng]}" "${se[libfuzzer]}")"
  done
done
echo "(ratios are relative to libFuzzer without value profile; lower is better; inf = not found within ${LIMIT}s)"
