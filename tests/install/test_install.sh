#!/usr/bin/env bash
# test_install.sh MODE BUILD_DIR SOURCE_DIR - cfz as a user gets it.
#
# MODE install: `cmake --install` into a scratch prefix, move the prefix,
#   check that nothing in it names the old place, then build the user
#   project of tests/install/project (a static library, a libFuzzer-style
#   target, a native target) against the moved prefix with clang and with
#   gcc, through find_package(cfz) and through pkg-config; run its
#   cfz_add_fuzz_test tests with CTest, and fuzz it; with clang, run cfz
#   cover on its coverage builds (cfz_add_coverage_target).  Also builds it once
#   against the build tree (cfz_DIR=BUILD_DIR).
# MODE deb: `cpack -G DEB`, unpack the .deb into a scratch root with
#   dpkg-deb -x, check that its files are where docs/build.md says (and
#   only there), then build and fuzz the user project against it with the
#   default compiler, through find_package and pkg-config.
#
# The fuzzing check is bounded by a count of executions: the planted bug
# sits behind four one-byte branches in the library, which cfz finds only
# when cfz_instrument (or the pkg-config coverage flags) instrumented it.
# Work happens in BUILD_DIR/install-test-MODE.XXXXXX/ (its own, so that two
# runs of the suite at once do not share it), removed when all passed.
set -euo pipefail

mode=$1
build=$(cd "$2" && pwd)
src=$(cd "$3" && pwd)
project=$src/tests/install/project
scratch=$(mktemp -d "$build/install-test-$mode.XXXXXX")
fuzz_execs=100000

export XDG_CACHE_HOME=$scratch/cache
unset CC CXX CFLAGS LDFLAGS PKG_CONFIG_PATH CMAKE_PREFIX_PATH

step() { echo "=== $*"; }
die() {
  echo "test_install: FAIL: $*" >&2
  echo "test_install: work files kept in $scratch" >&2
  exit 1
}

# Output of a command, shown only when it fails.
quiet() {
  local log=$scratch/last.log
  if ! "$@" >"$log" 2>&1; then
    cat "$log"
    die "failed: $*"
  fi
}

# fuzz_check DIR TARGET_EXE: `cfz run` in DIR finds the planted bug within
# $fuzz_execs executions, starting from the target's own seed only.
fuzz_check() {
  local dir=$1 exe=$2 cfz=$3 rc=0 out
  mkdir -p "$dir/empty-testdata"
  out=$(cd "$dir" && "$cfz" run -j 1 --seed 7 --fuzz-time "${fuzz_execs}x" \
    --minimize-time 0 --testdata empty-testdata --cache-dir cache "$exe" 2>&1) ||
    rc=$?
  if ((rc != 1)) || ! grep -q -- "--- FAIL" <<<"$out"; then
    echo "$out" | tail -n 20
    die "cfz run did not find the planted bug of $exe in $fuzz_execs executions" \
      "(exit $rc): is the library instrumented?"
  fi
  echo "found the planted bug: $(grep -m1 -E 'execs: [0-9]+' <<<"$out" | tail -n 1 || true)"
}

# with_cmake NAME PREFIX_ARGS CC: configure, build and ctest the project.
with_cmake() {
  local name=$1 where=$2 cc=$3 cfz=$4 bdir=$scratch/$1
  step "$name: find_package(cfz) with $cc ($where)"
  cp -r "$project" "$scratch/$name-src"
  quiet cmake -S "$scratch/$name-src" -B "$bdir" -DCMAKE_C_COMPILER="$cc" \
    "-D$where"
  grep -q "cfz package: ${where#*=}" "$scratch/last.log" ||
    die "$name: cfz was not found at ${where#*=}: $(grep 'cfz package' "$scratch/last.log")"
  quiet cmake --build "$bdir" -j 2
  # cfz_add_fuzz_test runs the cfz of the package itself.
  local cmds
  cmds=$(cd "$bdir" && ctest -N -V)
  grep -qF "Test command: $cfz " <<<"$cmds" ||
    die "$name: cfz_add_fuzz_test does not run $cfz"
  (cd "$bdir" && quiet ctest --output-on-failure --no-tests=error)
  grep -q "100% tests passed, 0 tests failed out of 2" "$scratch/last.log" ||
    die "$name: ctest: $(tail -n 3 "$scratch/last.log")"
  echo "ctest: 2 cfz_add_fuzz_test tests passed"
  fuzz_check "$scratch/$name-src" "$bdir/fuzz_record" "$cfz"
  if [[ "$("$cc" --version)" == *clang* ]]; then
    cover_check "$name" "$scratch/$name-src" "$bdir" "$cfz"
  fi
}

# cover_check NAME DIR BUILD_DIR CFZ: `cfz cover` on the coverage builds
# (cfz_add_coverage_target) reports the library's file record.c too.
cover_check() {
  local name=$1 dir=$2 bdir=$3 cfz=$4 t out
  for t in fuzz_record_cov fuzz_record_lf_cov; do
    out=$(cd "$dir" && "$cfz" cover -j 2 -o "cover-$t" "$bdir/$t" 2>&1) ||
      die "$name: cfz cover $t: $out"
    grep -qE '^[A-Za-z_]+: lines [0-9]+/[0-9]+ ' <<<"$out" ||
      die "$name: cfz cover $t printed no summary: $out"
    grep -q '"filename": *"[^"]*record\.c"' "$dir/cover-$t/summary.json" ||
      die "$name: cfz cover $t: record.c is not in the report"
    [[ -s "$dir/cover-$t/html/index.html" ]] ||
      die "$name: cfz cover $t wrote no HTML report"
  done
  echo "cfz cover: $(grep -E ': lines ' <<<"$out")"
}

# with_pkgconfig NAME PC_DIR CC KIND: the same project, by hand.
with_pkgconfig() {
  local name=$1 pcdir=$2 cc=$3 kind=$4 cfz=$5 dir=$scratch/$1 cov
  step "$name: pkg-config cfz with $cc"
  cp -r "$project" "$dir"
  export PKG_CONFIG_PATH=$pcdir
  cov=$(pkg-config --variable="coverage_$kind" cfz)
  [[ -n "$cov" ]] || die "$name: cfz.pc has no coverage_$kind"
  # shellcheck disable=SC2046,SC2086 # flags are word lists
  (
    cd "$dir"
    quiet "$cc" -c $cov record.c -o record.o
    quiet ar rcs librecord.a record.o
    for t in fuzz_record fuzz_record_lf; do
      quiet "$cc" $cov $(pkg-config --cflags cfz) -I. "$t.c" librecord.a \
        $(pkg-config --libs cfz) -o "$t"
    done
  )
  unset PKG_CONFIG_PATH
  local t
  for t in fuzz_record fuzz_record_lf; do
    (cd "$dir" && quiet "$cfz" test -j 2 "./$t")
  done
  echo "cfz test: both targets pass their seed corpora"
  fuzz_check "$dir" "$dir/fuzz_record" "$cfz"
}

# Fails when a file under $1 names the path $2 (the install is relocatable).
no_file_names() {
  local hits
  hits=$(grep -rl --binary-files=text -F "$2" "$1" || true)
  [[ -z "$hits" ]] || die "these files name the install prefix $2: $hits"
}

case $mode in
install)
  step "cmake --install into a scratch prefix, then move it"
  quiet cmake --install "$build" --prefix "$scratch/first"
  mv "$scratch/first" "$scratch/moved"
  prefix=$scratch/moved
  no_file_names "$prefix" "$scratch/first"
  cfz=$prefix/bin/cfz
  pc=$(dirname "$(find "$prefix" -name cfz.pc)")
  [[ -f "$pc/cfz.pc" ]] || die "no cfz.pc under $prefix"
  for cc in clang gcc; do
    kind=$cc
    with_cmake "cmake-$cc" "CMAKE_PREFIX_PATH=$prefix" "$cc" "$cfz"
    with_pkgconfig "pkgconfig-$cc" "$pc" "$cc" "$kind" "$cfz"
  done
  with_cmake "cmake-build-tree" "cfz_DIR=$build" clang "$build/cfz"
  ;;
deb)
  step "cpack -G DEB"
  quiet cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg"
  deb=$(find "$scratch/pkg" -maxdepth 1 -name 'cfz_*.deb')
  [[ -f "$deb" ]] || die "cpack wrote no cfz_*.deb in $scratch/pkg"
  echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "Depends: $depends"
  for d in libjansson-dev libuv1; do
    grep -q "$d" <<<"$depends" || die "the .deb does not depend on $d"
  done
  root=$scratch/root
  quiet dpkg-deb -x "$deb" "$root"

  # The paths of the table in docs/build.md's "Debian package" section.
  # A row whose description says "optional" may be absent (the compare
  # plugin, built only where LLVM's development files are).
  mapfile -t rows < <(awk '/^### The Debian package/ { on = 1; next }
    on && /^#/ { on = 0 } on && /^\| `\/usr\//' "$src/docs/build.md")
  documented=()
  for row in "${rows[@]}"; do
    p=$(cut -d'`' -f2 <<<"$row")
    documented+=("$p")
    [[ -e "$root$p" || "$row" == *optional* ]] ||
      die "docs/build.md says $p, the .deb has no such path"
  done
  ((${#documented[@]} >= 8)) ||
    die "docs/build.md: no table of .deb paths found (${#documented[@]} rows)"
  # ... and the .deb holds nothing else.
  while IFS= read -r f; do
    f=${f#"$root"}
    ok=0
    for p in "${documented[@]}"; do
      if [[ "$f" == "$p" || ("$p" == */ && "$f" == "$p"*) ]]; then
        ok=1
        break
      fi
    done
    ((ok)) || die "the .deb holds $f, which docs/build.md does not list"
  done < <(find "$root" -type f)
  echo "the ${#documented[@]} paths of docs/build.md are in the .deb, and nothing else"
  for m in "$root"/usr/share/man/man1/*.1.gz; do
    gzip -t "$m" || die "$m is not a valid gzip file"
  done

  prefix=$root/usr
  no_file_names "$prefix/lib/cmake" "$build"
  no_file_names "$prefix/lib/pkgconfig" "$build"
  cfz=$prefix/bin/cfz
  [[ "$("$cfz" --version)" == "cfz "* ]] || die "$cfz --version fails"
  cc=$(command -v cc)
  kind=gcc
  [[ "$("$cc" --version)" == *clang* ]] && kind=clang
  with_cmake cmake-deb "CMAKE_PREFIX_PATH=$prefix" "$cc" "$cfz"
  with_pkgconfig pkgconfig-deb "$prefix/lib/pkgconfig" "$cc" "$kind" "$cfz"
  ;;
*)
  die "unknown mode '$mode' (install or deb)"
  ;;
esac

rm -rf "$scratch"
echo "test_install $mode: passed"
