#!/usr/bin/env bash
# The shell completions: bash's are sourced and asked for COMPREPLY as
# readline would; both files must offer exactly the options that
# 'auditmd <command> --help' prints. zsh's are syntax-checked when zsh is
# installed (and skipped, with a message, when it is not).
# usage: completions.sh AUDITMD COMPLETIONS_DIR
set -u
AUDITMD=$1
DIR=$2
. "$(dirname "$0")/lib.sh"
# The commands 'auditmd --help' lists.
commands=$("$AUDITMD" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')

# skip MESSAGE: a check that could not run, said on stdout and stderr.
skip() { echo "# SKIP $1"; echo "auditmd completions test: SKIPPED: $1" >&2; }

# help_options COMMAND: the options 'auditmd COMMAND --help' lists, one a line.
help_options() {
  "$AUDITMD" "$1" --help 2>/dev/null |
    sed -nE 's/^ +(-[A-Za-z]), (--[a-z][a-z-]*).*/\1\n\2/p; t; s/^ +(--[a-z][a-z-]*).*/\1/p' | sort -u
}

# --- bash ------------------------------------------------------------------------
bash -n "$DIR/auditmd.bash" && ok "auditmd.bash: bash -n" || fail "auditmd.bash: bash -n"
# shellcheck source=/dev/null
. "$DIR/auditmd.bash"
spec=$(complete -p auditmd 2>&1)
[ "$spec" = "complete -F _auditmd auditmd" ] && ok "auditmd.bash registers a completion for auditmd" ||
  fail "auditmd.bash registers a completion for auditmd" "complete -p: $spec"

# comp WORD...: COMPREPLY for the command line WORD... with the cursor at the
# end of the last word (split where readline splits: '=' and ':' are words
# of their own), one reply a line, sorted.
comp() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  _auditmd auditmd "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}
# expect_comp 'WANT WORDS' NAME WORD...: the replies are exactly WANT.
expect_comp() {
  local want got name=$2
  want=$(printf '%s\n' $1 | sed '/^$/d' | sort)
  shift 2
  got=$(comp "$@")
  [ "$got" = "$want" ] && ok "bash: $name" || fail "bash: $name" "got [$(echo $got)], want [$(echo $want)]"
}

[ -n "$commands" ] && ok "auditmd --help lists commands: $commands" || fail "auditmd --help lists commands"
for c in compile diff verify log render lint; do
  case " $commands " in *" $c "*) ok "auditmd --help lists $c" ;; *) fail "auditmd --help lists $c" ;; esac
done
expect_comp "$commands" "auditmd <TAB> lists the commands of auditmd --help" auditmd ""
expect_comp "diff" "auditmd d<TAB>" auditmd d
expect_comp "--help --version" "auditmd --<TAB>" auditmd --
expect_comp "--format" "auditmd verify --for<TAB>" auditmd verify --for
expect_comp "text json sarif github md html" "auditmd verify --format <TAB>" auditmd verify --format ""
expect_comp "text json sarif github md html" "auditmd verify -f <TAB>" auditmd verify -f ""
expect_comp "json jsonl" "auditmd log --format=j<TAB>" auditmd log --format = j
expect_comp "md text html json jsonl" "auditmd log --format=<TAB>" auditmd log --format = ""
expect_comp "json text md html" "auditmd compile --format <TAB>" auditmd compile --format ""
expect_comp "text json md html" "auditmd diff --format <TAB>" auditmd diff --format ""
expect_comp "text json sarif github" "auditmd lint --format <TAB>" auditmd lint --format ""
expect_comp "error warning none" "auditmd lint --fail-on <TAB>" auditmd lint --fail-on ""
expect_comp "regressed,removed regressed,resolved regressed,regressed" "auditmd diff --fail-on regressed,re<TAB>" auditmd diff --fail-on regressed,re
expect_comp "out_of_range outside_repo" "auditmd verify --fail-on out<TAB>" auditmd verify --fail-on out
expect_comp "auto none" "auditmd verify --as-of <TAB>" auditmd verify --as-of ""
expect_comp "1 2 auto" "auditmd verify --threads <TAB>" auditmd verify --threads ""
expect_comp "1 auto" "auditmd compile --threads <TAB>" auditmd compile --threads ""
expect_comp "" "auditmd verify --rev <TAB> completes nothing" auditmd verify --rev ""
expect_comp "" "an unknown command completes nothing" auditmd nope -

# File names: arguments, -o FILE, REV:PATH (after the colon), directories.
mkdir -p "$tmp/files/sub dir"
touch "$tmp/files/a.md" "$tmp/files/b c.md" "$tmp/files/sub dir/x.md"
got=$(comp auditmd compile "$tmp/files/")
want=$(printf '%s\n' "$tmp/files/a.md" "$tmp/files/b c.md" "$tmp/files/sub dir" | sort)
[ "$got" = "$want" ] && ok "bash: auditmd compile DIR/<TAB> lists its files" || fail "bash: auditmd compile DIR/<TAB> lists its files" "got: $got"
got=$(comp auditmd diff HEAD~3 : "$tmp/files/a")
[ "$got" = "$tmp/files/a.md" ] && ok "bash: auditmd diff REV:PATH<TAB> completes the path" || fail "bash: auditmd diff REV:PATH<TAB> completes the path" "got: $got"
got=$(comp auditmd verify -o "$tmp/files/b")
[ "$got" = "$tmp/files/b c.md" ] && ok "bash: -o FILE<TAB> (a name with a space)" || fail "bash: -o FILE<TAB> (a name with a space)" "got: $got"
got=$(comp auditmd verify --repo "$tmp/files/")
[ "$got" = "$tmp/files/sub dir" ] && ok "bash: --repo <TAB> lists directories only" || fail "bash: --repo <TAB> lists directories only" "got: $got"
got=$(comp auditmd compile -- "$tmp/files/a")
[ "$got" = "$tmp/files/a.md" ] && ok "bash: after -- every word is a file" || fail "bash: after -- every word is a file" "got: $got"

# Every command: the options offered are exactly those of --help.
for c in $commands; do
  want=$(help_options "$c")
  if [ -z "$want" ]; then
    skip "auditmd $c --help prints no options (no '$c' command in this build?): its completions are not checked against it"
    continue
  fi
  got=$(comp auditmd "$c" -)
  [ "$got" = "$want" ] && ok "bash: auditmd $c -<TAB> offers exactly the options of --help" ||
    fail "bash: auditmd $c -<TAB> offers exactly the options of --help" \
      "$(diff <(echo "$want") <(echo "$got") | sed -n 's/^</missing:/p; s/^>/unknown:/p' | tr '\n' ' ')"
done

# --- zsh -------------------------------------------------------------------------
head -1 "$DIR/_auditmd" | grep -qx '#compdef auditmd' && ok "_auditmd starts with #compdef auditmd" ||
  fail "_auditmd starts with #compdef auditmd"
if command -v zsh >/dev/null; then
  zsh -n "$DIR/_auditmd" 2>"$tmp/err" && ok "_auditmd: zsh -n" || fail "_auditmd: zsh -n" "$(head -c 400 "$tmp/err")"
else
  skip "zsh is not installed: _auditmd was not syntax-checked (apt-get install zsh)"
fi
# The options each command's function offers (the shared template options
# count for the functions that use them), against --help.
shared=$(sed -n '/^_auditmd_render_opts=(/,/^)/p' "$DIR/_auditmd")
for c in $commands; do
  want=$(help_options "$c")
  [ -n "$want" ] || continue
  body=$(sed -n "/^_auditmd_$c() {/,/^}/p" "$DIR/_auditmd")
  [ -n "$body" ] || { fail "zsh: _auditmd_$c exists"; continue; }
  case $body in *_auditmd_render_opts*) body+=$shared ;; esac
  got=$(printf '%s\n' "$body" | tr '{,' '\n\n' | sed -E "s/^[[:space:]]*'?//" |
    grep -oE '^--?[a-zA-Z][a-z-]*([[+=}]|$)' | sed 's/[[+=}]$//' | sort -u)
  [ "$got" = "$want" ] && ok "zsh: _auditmd_$c offers exactly the options of auditmd $c --help" ||
    fail "zsh: _auditmd_$c offers exactly the options of auditmd $c --help" \
      "$(diff <(echo "$want") <(echo "$got") | sed -n 's/^</missing:/p; s/^>/unknown:/p' | tr '\n' ' ')"
done
for c in $commands; do
  grep -q "^ *'$c:" "$DIR/_auditmd" && ok "zsh: the command list has $c" || fail "zsh: the command list has $c"
done

finish
