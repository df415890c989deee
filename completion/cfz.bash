# bash completion for cfz (installed as share/bash-completion/completions/cfz).
# Commands and options are read from cfz's own --help output, so this file
# lists none of them and cannot fall behind the program.

# _cfz_options CFZ WORDS...: "OPTION [ARG]" lines from `CFZ WORDS --help`,
# e.g. "-j N", "--parallel N", "--json".  Option lines are indented by at
# most 8 spaces; the option column ends at the first two spaces.
_cfz_options() {
  local cfz=$1
  shift
  "$cfz" "$@" --help 2>/dev/null | awk '
    /^options:/ { on = 1; next }
    !on || !match($0, /^ +-/) || RLENGTH > 9 { next }
    {
      spec = $0
      sub(/^ +/, "", spec)
      if ((i = index(spec, "  ")) > 0) spec = substr(spec, 1, i - 1)
      n = split(spec, part, /, */)
      arg = ""
      for (k = n; k >= 1; k--) {   # "-j, --parallel N": -j takes N too
        m = split(part[k], w, / +/)
        if (w[1] !~ /^-/) continue
        if (m > 1 && w[2] ~ /^[A-Z]/) arg = w[2]
        out[k] = w[1] (arg != "" ? " " arg : "")
      }
      for (k = 1; k <= n; k++) if (k in out) print out[k]
      delete out
    }'
}

# _cfz_words CFZ HEADER WORDS...: the first words of the lines indented by two
# spaces under "HEADER:" in `CFZ WORDS --help` (commands, subcommands).
_cfz_words() {
  local cfz=$1 header=$2
  shift 2
  "$cfz" "$@" --help 2>/dev/null | awk -v h="$header:" '
    $0 == h { on = 1; next }
    on && /^$/ { on = 0 }
    on && /^  [a-z]/ { print $1 }'
}

_cfz() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=""
  local cfz=${COMP_WORDS[0]} cmd="" sub="" i w opts arg last=0
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  cfz=${cfz/#\~/$HOME}
  COMPREPLY=()

  # The command (and corpus subcommand): the first words that are not options.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    [[ $w == -* ]] && continue
    if [[ -z $cmd ]]; then
      cmd=$w
      last=$i
    elif [[ $cmd == corpus && -z $sub ]]; then
      sub=$w
      last=$i
      break
    else
      break
    fi
  done

  # "help" (cfz(1)) is a command that --help does not list.
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$(_cfz_words "$cfz" commands) help" -- "$cur")
    fi
    return 0
  fi
  # "cfz help CMD" and "cfz corpus help SUB": one command word, then nothing.
  if [[ $cmd == help || ($cmd == corpus && $sub == help) ]]; then
    ((COMP_CWORD == last + 1)) || return 0
    if [[ $cmd == help ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$(_cfz_words "$cfz" commands)" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$(_cfz_words "$cfz" subcommands corpus)" -- "$cur")
    fi
    return 0
  fi
  if [[ $cmd == corpus && -z $sub ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_cfz_words "$cfz" subcommands corpus) help" -- "$cur")
    return 0
  fi

  local words=("$cmd")
  [[ -n $sub ]] && words+=("$sub")
  opts=$(_cfz_options "$cfz" "${words[@]}")

  # The argument of an option: directories, files, or nothing to offer
  # (numbers, durations, names).
  if [[ $prev == -* ]]; then
    arg=$(awk -v o="$prev" '$1 == o { print $2 }' <<<"$opts")
    case $arg in
      "") ;;
      DIR) compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0 ;;
      FILE | PATH) compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0 ;;
      *) return 0 ;;
    esac
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(awk '{ print $1 }' <<<"$opts")" -- "$cur")
    return 0
  fi
  # Targets, crash files, corpus files and directories.
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -F _cfz cfz
