#!/usr/bin/env bash
# setup.sh - installs the Debian/Ubuntu packages cfz needs to build and test.
#
# Idempotent: checks with dpkg-query first and runs apt-get only when
# something is missing (quiet otherwise).  Uses sudo when not root.
# dpkg-dev provides dpkg-shlibdeps, which `cpack -G DEB` uses for the .deb's
# dependencies.  gnuplot-nox (gnuplot without X11) draws `cfz plot`'s
# pictures (docs/stats.md); only that command and its test need it.
# llvm gives llvm-profdata and llvm-cov (cfz cover).
# CFZ_WITH_AFL=1 also installs afl++ (for comparisons only).
set -euo pipefail

packages=(cmake make gcc g++ clang pkg-config libuv1-dev libjansson-dev check
  libssl-dev dpkg-dev gnuplot-nox llvm)
if [[ "${CFZ_WITH_AFL:-0}" == 1 ]]; then
  packages+=(afl++)
fi

# Prints the packages (arguments) that are not installed.
missing_of() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
      printf '%s\n' "$p"
    fi
  done
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup.sh: need root to run: $*" >&2
    echo "setup.sh: run this script as root, or install sudo" >&2
    exit 1
  fi
}

updated=0
install_missing() {
  local missing
  mapfile -t missing < <(missing_of "$@")
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "setup.sh: installing ${missing[*]}"
  if ((updated == 0)); then
    as_root apt-get update -qq
    updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup.sh: dpkg-query not found: this script supports Debian and" \
    "Ubuntu only; install the equivalents of: ${packages[*]}" >&2
  exit 1
fi

install_missing "${packages[@]}"

# clang's sanitizer and libFuzzer runtimes (libclang_rt.*.a) come in a
# separate package named after clang's major version (Debian 12:
# libclang-rt-14-dev), which --no-install-recommends may leave out.  Install
# it when a -fsanitize=fuzzer,address program does not link.
runtimes_link() {
  local tmp rc=0
  tmp=$(mktemp -d)
  printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {' \
    '  (void)d; (void)n; return 0; }' >"$tmp/t.c"
  clang -fsanitize=fuzzer,address "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1 ||
    rc=1
  rm -rf "$tmp"
  return "$rc"
}

# The compare plugin (docs/build.md) builds against the LLVM development
# files of clang's own version (Debian: llvm-14-dev for clang 14); without
# them it is skipped and so are its tests.
llvm_dev="llvm-$(clang -dumpversion | cut -d. -f1)-dev"
if ! install_missing "$llvm_dev"; then
  echo "setup.sh: warning: could not install $llvm_dev; the compare plugin" \
    "will not be built" >&2
fi

if ! runtimes_link; then
  rt_pkg="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
  if ! install_missing "$rt_pkg" || ! runtimes_link; then
    echo "setup.sh: warning: clang -fsanitize=fuzzer,address does not link" \
      "(tried $rt_pkg); sanitizer builds will fail" >&2
  fi
fi
