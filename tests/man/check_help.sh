#!/usr/bin/env bash
# check_help.sh CFZ SOURCE_DIR - the man pages (docs/man/) are the reference
# for cfz's options; this checks them against what the binary prints:
#   - every option in `cfz CMD --help` is in the man page of CMD, and every
#     option in the man page is in `cfz CMD --help` (both ways, per command
#     and per `cfz corpus` subcommand);
#   - the commands of `cfz --help` and the subcommands of `cfz corpus --help`
#     are the ones the man pages describe;
#   - the options of cfz(1) work (`cfz --version` exits 0);
#   - every option in the option tables of README.md and docs/usage.md is in
#     some --help.
# It reads only the binary's output, never cmd/ sources.  Exit status 0 when
# everything matches.
set -uo pipefail

cfz=$1
src=$2
man=$src/docs/man

# Options documented (man page and docs) that the --help of a command leaves
# out, known and reported to be fixed in cmd/: "COMMAND OPTION".  They are
# reported as expected failures; once --help lists one, this script fails
# until it is removed from here.
known_gaps=(
)

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

is_known_gap() {
  local g
  for g in "${known_gaps[@]}"; do
    [[ "$g" == "$1 $2" ]] && return 0
  done
  return 1
}

# Options of an option-description line's first column ("-j, --parallel N",
# "--timeout D, --max-len N"), one per line.
opts_of_spec() {
  grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,]//'
}

# help_opts ARGS...: the options in the "options:" block of `cfz ARGS --help`.
help_opts() {
  local out
  if ! out=$("$cfz" "$@" --help 2>&1); then
    echo "cfz $* --help failed: $out" >&2
    return 1
  fi
  # Option lines are indented by at most 8 spaces (descriptions run on with
  # more); the option column ends at the first run of two spaces.
  awk '/^options:/ { on = 1; next }
    on && match($0, /^ +-/) && RLENGTH <= 9' <<<"$out" |
    sed -E 's/^ +//; s/  .*//' | opts_of_spec | sort -u
}

# help_words HEADER ARGS...: first words of the lines indented by two spaces
# under "HEADER:" in `cfz ARGS --help` (the command lists).
help_words() {
  local header=$1
  shift
  "$cfz" "$@" --help 2>&1 |
    awk -v h="$header:" '$0 == h { on = 1; next }
      on && /^$/ { on = 0 }
      on && /^  [a-z]/ { print $1 }' | sort -u
}

# De-roffs one line: \- to -, font escapes and quotes dropped.
deroff() { sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\\(em/--/g; s/"//g'; }

# man_opts PAGE [SUBSECTION]: options in the .TP tags of the OPTIONS section
# of PAGE (only under ".SS SUBSECTION" when given).
man_opts() {
  awk -v sub_="${2:-}" '
    /^\.SH/ { opts = ($2 == "OPTIONS"); ss = ""; next }
    /^\.SS/ { ss = $2; next }
    /^\.TP/ { tag = 1; next }
    tag { tag = 0; if (opts && (sub_ == "" || ss == sub_)) print }
  ' "$man/$1.1" | deroff | opts_of_spec | sort -u
}

# man_words PAGE SECTION: the words tagged (.TP then .B word) in SECTION.
man_words() {
  awk -v s="$2" '
    /^\.SH/ { on = ($2 == s); next }
    /^\.TP/ { tag = 1; next }
    tag { tag = 0; if (on && $1 == ".B") print $2 }
  ' "$man/$1.1" | deroff | sort -u
}

# compare WHAT MAN_LIST HELP_LIST GAP_CMD: both ways; GAP_CMD names the
# command in known_gaps ("" when none applies).
compare() {
  local what=$1 in_man=$2 in_help=$3 gap_cmd=$4 x
  if [[ -z "$in_man" || -z "$in_help" ]]; then
    fail "$what: nothing found (man: '${in_man//$'\n'/ }', help: '${in_help//$'\n'/ }')"
    return
  fi
  for x in $(comm -23 <(echo "$in_man") <(echo "$in_help")); do
    if [[ -n "$gap_cmd" ]] && is_known_gap "$gap_cmd" "$x"; then
      echo "KNOWN GAP (expected failure): $what: $x is documented but not in --help"
    else
      fail "$what: $x is in the man page but not in --help"
    fi
  done
  for x in $(comm -13 <(echo "$in_man") <(echo "$in_help")); do
    fail "$what: $x is in --help but not in the man page"
  done
}

# A known gap that --help now lists must leave known_gaps.
check_gaps_still_open() {
  local g cmd opt
  for g in "${known_gaps[@]}"; do
    cmd=${g% *}
    opt=${g##* }
    # shellcheck disable=SC2086 # the command may be two words
    if grep -qx -- "$opt" <<<"$(help_opts $cmd)"; then
      fail "cfz $cmd --help now lists $opt: remove \"$g\" from known_gaps in $0"
    fi
  done
}

# cfz(1): commands, and its options actually work.
compare "cfz(1) COMMANDS vs cfz --help" "$(man_words cfz COMMANDS)" \
  "$(help_words commands)" ""
for o in $(man_opts cfz); do
  if ! "$cfz" "$o" >/dev/null 2>&1; then
    fail "cfz(1) documents '$o' but 'cfz $o' exits non-zero"
  fi
done

compare "cfz-run(1) vs cfz run --help" "$(man_opts cfz-run)" "$(help_opts run)" run
compare "cfz-minimize(1) vs cfz minimize --help" "$(man_opts cfz-minimize)" \
  "$(help_opts minimize)" minimize
compare "cfz-test(1) vs cfz test --help" "$(man_opts cfz-test)" "$(help_opts test)" test
compare "cfz-plot(1) vs cfz plot --help" "$(man_opts cfz-plot)" "$(help_opts plot)" plot
compare "cfz-corpus(1) SUBCOMMANDS vs cfz corpus --help" \
  "$(man_words cfz-corpus SUBCOMMANDS)" "$(help_words subcommands corpus)" ""
for sub in $(help_words subcommands corpus); do
  compare "cfz-corpus(1) $sub vs cfz corpus $sub --help" \
    "$(man_opts cfz-corpus "$sub")" "$(help_opts corpus "$sub")" "corpus $sub"
done
check_gaps_still_open

# Option tables in the docs: every option is in some --help.
all_help=$( (
  help_opts run
  help_opts minimize
  help_opts test
  help_opts plot
  for sub in $(help_words subcommands corpus); do help_opts corpus "$sub"; done
) | sort -u)
for doc in README.md docs/usage.md; do
  for x in $(grep -E '^\| *`-' "$src/$doc" | cut -d'|' -f2 | tr -d '`' |
    opts_of_spec | sort -u); do
    if ! grep -qx -- "$x" <<<"$all_help"; then
      if is_known_gap run "$x"; then
        echo "KNOWN GAP (expected failure): $doc lists $x, which no --help shows"
      else
        fail "$doc lists $x, which no --help shows"
      fi
    fi
  done
done

if ((failures)); then
  echo "check_help: $failures mismatch(es) between the man pages, the docs and --help"
  exit 1
fi
echo "check_help: man pages, docs and --help agree"
