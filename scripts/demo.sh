#!/usr/bin/env bash
# demo.sh - the run command: installs dependencies (setup.sh), builds the cfz
# driver and the example target FuzzParser (targets/example_parser.c) in
# build/, and runs the example in a scratch directory build/demo/ that holds a
# copy of the repo's testdata/ (so nothing in the repo is written).
#
# Environment: CFZ_SKIP_SETUP=1 (do not run setup.sh), CFZ_JOBS (build
# parallelism), CFZ_DEMO_TIME (fuzzing time, default 30s).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if [[ "${CFZ_SKIP_SETUP:-0}" != 1 ]]; then
  scripts/setup.sh
fi

jobs=${CFZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
build="$repo/build"

echo "=== building cfz and example_parser in build/"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "$jobs" --target cfz example_parser

CFZ="$build/cfz"
demo="$build/demo"
rm -rf "$demo"
mkdir -p "$demo"
cp -R testdata "$demo/"
cp "$build/targets/example_parser" "$demo/"
cd "$demo"
nseeds=$(find testdata/fuzz/FuzzParser -type f | wc -l)
echo "=== in build/demo/"

# cfz exits 1 when it finds the planted crash (that is the demo's point), so
# keep the `|| rc=$?`; the end of the script turns that into success when a
# crasher was written.
rc=0
"$CFZ" run --fuzz-time "${CFZ_DEMO_TIME:-60s}" --cache-dir cache ./example_parser || rc=$?

echo "=== corpus: build/demo/testdata/fuzz/FuzzParser/"
ls -l testdata/fuzz/FuzzParser/
# Exit status 1 from cfz means "found a failure": the demo's expected outcome
# when the crasher was written next to the two seeds.
nfiles=$(find testdata/fuzz/FuzzParser -type f | wc -l)
if ((rc == 1 && nfiles > nseeds)); then
  echo "=== found the planted bug; the minimized crasher is in" \
    "build/demo/testdata/fuzz/FuzzParser/:"
  crasher=$(grep -l . testdata/fuzz/FuzzParser/* | while read -r f; do
    [ -e "$repo/testdata/fuzz/FuzzParser/$(basename "$f")" ] || echo "$f"; done | head -n 1)
  cat "$crasher"
  echo "=== replaying it by hand: ./example_parser $crasher"
  ./example_parser "$crasher" || true
  rc=0
fi
echo "=== done (exit status $rc)"
exit "$rc"
