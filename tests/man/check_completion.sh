#!/usr/bin/env bash
# check_completion.sh CFZ SOURCE_DIR - the bash completion (completion/cfz.bash)
# completes commands, subcommands, options and option arguments of the real
# binary CFZ.  Exit status 0 when every case completes as expected.
set -uo pipefail

cfz=$1
src=$2
# shellcheck source=../../completion/cfz.bash
source "$src/completion/cfz.bash"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/corpus-dir"
touch "$scratch/corpus-file"
cd "$scratch" || exit 1

failures=0
# expect "WORDS..." WANT...: completing the last of WORDS (after cfz) must
# offer each WANT; a WANT of "!X" must not be offered.
expect() {
  local line=$1 want
  shift
  read -r -a COMP_WORDS <<<"$line"
  COMP_WORDS=("$cfz" "${COMP_WORDS[@]}")
  [[ $line == *" " || -z $line ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _cfz
  local offered
  offered=$(printf '%s\n' "${COMPREPLY[@]}")
  for want in "$@"; do
    if [[ $want == !* ]]; then
      if grep -qx -- "${want#!}" <<<"$offered"; then
        echo "FAIL: 'cfz $line' offers ${want#!}: ${COMPREPLY[*]}"
        failures=$((failures + 1))
      fi
    elif ! grep -qx -- "$want" <<<"$offered"; then
      echo "FAIL: 'cfz $line' does not offer $want: ${COMPREPLY[*]}"
      failures=$((failures + 1))
    fi
  done
}

expect "" run minimize corpus test plot cover version help
expect "he" help
expect "help " run minimize corpus test plot cover version "!corpus-file" "!help"
expect "help r" run "!test"
expect "help run " "!corpus-file" "!run"
expect "corpus help " ls show add merge "!corpus-file"
expect "corpus help l" ls
expect "corpus h" help
expect "ru" run "!test"
expect "--v" --version
expect "run --fu" --fuzz-time "!--fuzz"
expect "run -" -j --parallel --json # the list itself: check_help.sh
expect "run --js" --json
expect "run --testdata " corpus-dir "!corpus-file"
expect "run --dict " corpus-file
expect "run -j " "!corpus-file"
expect "run ./" ./corpus-file
expect "corpus " ls show add merge
expect "corpus merge --ou" --output
expect "corpus ls --" --json --testdata "!--output"
expect "test --a" --all
expect "run --st" --stats --status-interval
expect "run --stats " corpus-file
expect "plot " corpus-file
expect "plot -" -o --output
expect "plot --output " corpus-file
expect "cover --llvm" --llvm-cov --llvm-profdata
expect "cover --llvm-cov " corpus-file
expect "cover -o " corpus-dir "!corpus-file"

if ((failures)); then
  echo "check_completion: $failures case(s) failed"
  exit 1
fi
echo "check_completion: all cases complete as expected"
