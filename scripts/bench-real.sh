#!/usr/bin/env bash
# bench-real.sh - cfz against libFuzzer on real C/C++ libraries and their own
# upstream libFuzzer-style fuzz targets (bench/real/, docs/performance.md).
#
#   scripts/bench-real.sh [--quick] [--build-only] [--libs a,b,...]
#                         [--seconds N | --execs N] [--seeds N] [--start empty|seeds|both]
#                         [--parallel N] [--speed cpu|wall] [--cfz-bin DIR] [--out DIR]
#                         [--stop-by HH:MM] [--profile S]
#
# Steps: fetch each library's pinned Debian source package (a private deb-src
# entry; the system's apt configuration is not touched), build it once with
# clang -O1 -g -fsanitize=fuzzer-no-link,address as a static archive plus the
# harness objects (bench/real/<lib>.sh), link it twice (libFuzzer and the cfz
# harness), then run the two engines one at a time (bench/real/run.py).
# --quick: the libraries marked quick in the manifest, 30 s, one seed.
# Default: every library, 120 s, 3 seeds, both starting corpora (~3.5 h on
# 2 cores: run it in the background, never as a test).
# --execs N: equal executions (both engines stop after N; edges at the end),
#   the comparison the machine's load cannot distort. --parallel N: N engine
#   runs at once (each in its own session). --speed: the speed criterion in
#   execs per CPU-second (default, for a shared machine) or per wall second.
# --cfz-bin DIR: link the cfz binaries of the libraries already built against
#   CFZ_BUILD's harness into DIR and run those (the shared bin/ is untouched).
# --out DIR: runs/ and results/ there instead of the work dir.
# --profile S: perf record the target's process (libFuzzer's, cfz's worker) for S s
#   in the middle of each run; the .md compares the harness functions' shares.
# --stop-by HH:MM (UTC): start no run that would end after it (runs go seed by
#   seed, so a benchmark cut short has every library at the first seeds).
#
# Environment: BENCH_REAL_DIR (work dir, default build-real/ in the repo),
# CFZ_BUILD (a cfz build dir holding cfz and libcfz_harness.a; default: built
# from this checkout in $BENCH_REAL_DIR/cfz-build, rebuilt each time unless
# CFZ_BUILD_KEEP=1), BENCH_REAL_REUSE=1 (keep libraries already built: READY-<lib>).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REAL=$ROOT/bench/real
D=${BENCH_REAL_DIR:-$ROOT/build-real}
mkdir -p "$D"
D=$(cd "$D" && pwd)
CFZ_BUILD=${CFZ_BUILD:-$D/cfz-build}

quick=0 build_only=0 libs="" seconds="" seeds="" start=""
execs=0 parallel=1 speed=cpu cfz_bin="" out="" stop_by="" profile=0
while [ $# -gt 0 ]; do
  case $1 in
  --quick) quick=1 ;;
  --build-only) build_only=1 ;;
  --libs) libs=$2; shift ;;
  --seconds) seconds=$2; shift ;;
  --seeds) seeds=$2; shift ;;
  --start) start=$2; shift ;;
  --execs) execs=$2; shift ;;
  --parallel) parallel=$2; shift ;;
  --speed) speed=$2; shift ;;
  --cfz-bin) cfz_bin=$2; shift ;;
  --out) out=$2; shift ;;
  --stop-by) stop_by=$2; shift ;;
  --profile) profile=$2; shift ;;
  -h | --help) sed -n '2,34p' "$0"; exit 0 ;;
  *) echo "bench-real.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ $quick = 1 ]; then
  seconds=${seconds:-30} seeds=${seeds:-1} start=${start:-seeds}
  [ -n "$libs" ] || libs=$(awk -F'\t' '!/^#/ && $6 == "yes" { printf "%s%s", s, $1; s = "," }' "$REAL/manifest.tsv")
else
  seconds=${seconds:-120} seeds=${seeds:-3} start=${start:-both}
  [ -n "$libs" ] || libs=$(awk -F'\t' '!/^#/ && NF { printf "%s%s", s, $1; s = "," }' "$REAL/manifest.tsv")
fi

log() { echo "bench-real: $*" >&2; }

# --- sources ---------------------------------------------------------------
APT=$D/apt
apt_opts() {
  echo -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$APT" \
    -o "Dir::State::Lists=$APT/lists" -o Dir::Cache="$APT/cache" \
    -o Debug::NoLocking=1
}
apt_setup() {
  [ -f "$APT/lists/.updated" ] && return 0
  mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial"
  cat >"$APT/bookworm-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # shellcheck disable=SC2046
  apt-get $(apt_opts) update >&2
  touch "$APT/lists/.updated"
}

# fetch SRCPKG VERSION -> prints the extracted source tree
fetch() {
  local pkg=$1 ver=$2 up
  up=${ver#*:}
  up=${up%-*}
  local tree=$D/src/$pkg-$up
  if [ ! -d "$tree" ]; then
    apt_setup
    mkdir -p "$D/src"
    # shellcheck disable=SC2046
    (cd "$D/src" && apt-get $(apt_opts) source --download-only "$pkg=$ver" >&2)
    local dsc
    dsc=$(cd "$D/src" && ls "${pkg}_${ver#*:}.dsc")
    # apt has checked the files against the signed Sources index already.
    (cd "$D/src" && dpkg-source --no-check -x "$dsc" >&2)
  fi
  echo "$tree"
}

# --- building --------------------------------------------------------------
CFLAGS_INSTR="-O1 -g -fsanitize=fuzzer-no-link,address -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"

build_cfz() {
  if [ -f "$CFZ_BUILD/libcfz_harness.a" ] && [ -x "$CFZ_BUILD/cfz" ] && [ -n "${CFZ_BUILD_KEEP:-}" ]; then
    return 0
  fi
  if [ ! -f "$CFZ_BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$CFZ_BUILD" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCFZ_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$CFZ_BUILD" -j2 --target cfz cfz_harness >/dev/null
}

# Helpers for the recipes (bench/real/<lib>.sh). They run in the source tree.
# cc_objs OUTDIR COMPILER FLAGS... -- FILES...: compile each file to OUTDIR.
cc_objs() {
  local out=$1 cc=$2
  shift 2
  local flags=()
  while [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
  mkdir -p "$out"
  local f o rc=0
  for f in "$@"; do
    o=$out/$(echo "$f" | tr '/' '_')
    o=${o%.*}.o
    "$cc" "${flags[@]}" -c "$f" -o "$o" &
    if [ "$(jobs -rp | wc -l)" -ge 2 ]; then wait -n || rc=1; fi
  done
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || rc=1; done
  return $rc
}

export -f cc_objs

# link_lib NAME libfuzzer|cfz OUT LOG: link the library's objects with one engine.
link_lib() {
  local name=$1 engine=$2 out=$3 logf=$4 obj=$D/obj/$1 linker=clang extra=""
  [ -f "$obj/lang" ] && [ "$(cat "$obj/lang")" = c++ ] && linker=clang++
  [ -f "$obj/link.txt" ] && extra=$(cat "$obj/link.txt")
  if [ "$engine" = libfuzzer ]; then
    # shellcheck disable=SC2086
    $linker -fsanitize=fuzzer,address "$obj"/harness/*.o "$obj/lib.a" $extra -o "$out" >>"$logf" 2>&1
  else
    # cfz: the harness whole, so that its __sanitizer_cov_* callbacks win over
    # the sanitizer runtime's weak ones (docs/build.md).
    # shellcheck disable=SC2086
    $linker -fsanitize=fuzzer-no-link,address "$obj"/harness/*.o "$obj/lib.a" \
      -Wl,--whole-archive "$CFZ_BUILD/libcfz_harness.a" -Wl,--no-whole-archive \
      -ljansson -lm -ldl $extra -o "$out" >>"$logf" 2>&1
  fi || { log "$name: $engine link failed, see $logf"; return 1; }
}

build_lib() {
  local name=$1 pkg=$2 ver=$3 tree obj
  tree=$(fetch "$pkg" "$ver")
  obj=$D/obj/$name
  rm -rf "$obj" "$D/READY-$name"
  mkdir -p "$obj/harness" "$obj/seeds" "$D/bin"
  log "$name: building $pkg $ver"
  (
    cd "$tree"
    export CC=clang CXX=clang++ CFLAGS="$CFLAGS_INSTR" CXXFLAGS="$CFLAGS_INSTR" OBJ=$obj
    # A separate shell, so that -e holds inside the recipe.
    bash -euo pipefail -c '. "$1"; recipe' recipe "$REAL/$name.sh"
  ) >"$obj/build.log" 2>&1 || {
    log "$name: build failed, see $obj/build.log"
    tail -20 "$obj/build.log" >&2
    return 1
  }
  link_lib "$name" libfuzzer "$D/bin/$name-libfuzzer" "$obj/build.log" || return 1
  link_lib "$name" cfz "$D/bin/$name-cfz" "$obj/build.log" || return 1
  date -u +%FT%TZ >"$D/READY-$name"
  log "$name: ready ($(find "$obj/seeds" -type f | wc -l) seed files)"
}

build_cfz
failed=""
IFS=, read -r -a want <<<"$libs"
for name in "${want[@]}"; do
  line=$(awk -F'\t' -v n="$name" '$1 == n' "$REAL/manifest.tsv")
  [ -n "$line" ] || { log "$name: not in the manifest"; exit 2; }
  IFS=$'\t' read -r _ pkg ver _ <<<"$line"
  if [ -f "$D/READY-$name" ] && [ -n "$cfz_bin" ]; then
    mkdir -p "$cfz_bin"
    link_lib "$name" cfz "$cfz_bin/$name-cfz" "$cfz_bin/$name-cfz.link.log" || failed="$failed $name"
    continue
  fi
  if [ -f "$D/READY-$name" ] && [ -n "${BENCH_REAL_REUSE:-}" ]; then continue; fi
  build_lib "$name" "$pkg" "$ver" || failed="$failed $name"
done
[ -z "$failed" ] || log "not built:$failed"
[ $build_only = 1 ] && exit 0

# The cfz build's source checkout and revision, for the table's header.
cfz_src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$CFZ_BUILD/CMakeCache.txt" 2>/dev/null || true)
cfz_rev=$(git -C "${cfz_src:-$ROOT}" describe --always --dirty 2>/dev/null || echo unknown)
label="cfz and its harness built from $cfz_rev"
[ -z "$cfz_bin" ] || label="$label (the -cfz binaries relinked against that harness)"
ok=()
for name in "${want[@]}"; do [ -f "$D/READY-$name" ] && ok+=("$name"); done
python3 "$REAL/run.py" --dir "$D" --cfz "$CFZ_BUILD/cfz" --seconds "$seconds" \
  --execs "$execs" --seeds "$seeds" --start "$start" --parallel "$parallel" --speed "$speed" --profile "$profile" \
  --label "$label" ${cfz_bin:+--cfz-bin "$cfz_bin"} ${out:+--out "$out"} ${stop_by:+--stop-by "$stop_by"} "${ok[@]}"
