#!/usr/bin/env bash
# long-functions.sh - lists the C functions longer than a limit (issue 14:
# "none of its functions longer than about 60 lines"), longest first, as
# "LINES FILE:LINE NAME".  Needs Universal Ctags.
#
# usage: scripts/long-functions.sh [LIMIT] [FILE...]
#   LIMIT  default 60; FILE... default lib/*/*.c cmd/*/*.c
# Exits 1 when a function is longer than LIMIT, else 0.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
limit=${1:-60}
shift || true
if [[ $# -eq 0 ]]; then
  set -- lib/*/*.c cmd/*/*.c
fi
if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
  echo "long-functions.sh: needs Universal Ctags (apt-get install universal-ctags)" >&2
  exit 2
fi
out=$(ctags -x --c-kinds=f --fields=+ne --_xformat='%{end} %n %N %F' "$@" |
  awk -v lim="$limit" '{ len = $1 - $2 + 1; if (len > lim) printf "%4d %s:%d %s\n", len, $4, $2, $3 }' |
  sort -rn)
if [[ -n "$out" ]]; then
  echo "$out"
  exit 1
fi
