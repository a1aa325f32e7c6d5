#!/usr/bin/env bash
# The shell completions: bash's are sourced and asked for COMPREPLY as
# readline would; both files must offer exactly the options of each
# command's table (src/cli/opt.h, listed by CLI_OPTIONS), and for the
# options that take one of a list (--format, --fail-on, --threads) exactly
# its values. zsh's are syntax-checked when zsh is installed (and skipped,
# with a message, when it is not).
# usage: completions.sh AUDITMD COMPLETIONS_DIR CLI_OPTIONS
set -u
AUDITMD=$1
DIR=$2
CLI_OPTIONS=$3
. "$(dirname "$0")/lib.sh"
"$CLI_OPTIONS" >"$tmp/tables" || { fail "cli_options lists the tables"; finish; exit; }
# The commands of the command table.
commands=$(awk -F'\t' '$1 == "command" { print $2 }' "$tmp/tables" | tr '\n' ' ')

# skip MESSAGE: a check that could not run, said on stdout and stderr.
skip() { echo "# SKIP $1"; echo "auditmd completions test: SKIPPED: $1" >&2; }

# table_options COMMAND: the options of its table, short and long, one a line.
table_options() {
  awk -F'\t' -v c="$1" '$1 == "option" && $2 == c { if ($3 != "") print $3; print $4 }' "$tmp/tables" | sort -u
}
# table_values COMMAND OPTION: the values the option takes, one a line
# (nothing for an option whose value is free).
table_values() {
  awk -F'\t' -v c="$1" -v o="$2" '$1 == "option" && $2 == c && $4 == o { print $6 }' "$tmp/tables" |
    tr ' ' '\n' | sed '/^$/d' | sort
}
# The options that take one of a list: "COMMAND OPTION" a line.
listed=$(awk -F'\t' '$1 == "option" && $6 != "" { print $2, $4 }' "$tmp/tables")

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

[ -n "$commands" ] && ok "the command table: $commands" || fail "the command table lists commands"
help_commands=$("$AUDITMD" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ')
[ "$help_commands" = "$commands" ] && ok "auditmd --help lists the commands of the table" ||
  fail "auditmd --help lists the commands of the table" "help: $help_commands; table: $commands"
expect_comp "$commands" "auditmd <TAB> lists the commands of auditmd --help" auditmd ""
expect_comp "diff" "auditmd d<TAB>" auditmd d
expect_comp "--help --version" "auditmd --<TAB>" auditmd --
expect_comp "--format" "auditmd verify --for<TAB>" auditmd verify --for
expect_comp "json jsonl" "auditmd log --format=j<TAB>" auditmd log --format = j
expect_comp "$(table_values log --format)" "auditmd log --format=<TAB>" auditmd log --format = ""
expect_comp "$(table_values verify --format)" "auditmd verify -f <TAB>" auditmd verify -f ""
expect_comp "regressed,removed regressed,resolved regressed,regressed" "auditmd diff --fail-on regressed,re<TAB>" auditmd diff --fail-on regressed,re
expect_comp "out_of_range outside_repo" "auditmd verify --fail-on out<TAB>" auditmd verify --fail-on out
expect_comp "auto none" "auditmd verify --as-of <TAB>" auditmd verify --as-of ""
expect_comp "" "auditmd verify --rev <TAB> completes nothing" auditmd verify --rev ""
# Every option that takes one of a list: exactly the values of its table.
[ -n "$listed" ] && ok "the tables have options that take one of a list" || fail "the tables have options that take one of a list"
while read -r c o; do
  expect_comp "$(table_values "$c" "$o")" "auditmd $c $o <TAB> offers the values of its table" auditmd "$c" "$o" ""
done <<<"$listed"
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

# Every command: the options offered are exactly those of its table.
for c in $commands; do
  want=$(table_options "$c")
  [ -n "$want" ] || { fail "the table of $c lists options"; continue; }
  got=$(comp auditmd "$c" -)
  [ "$got" = "$want" ] && ok "bash: auditmd $c -<TAB> offers exactly the options of its table" ||
    fail "bash: auditmd $c -<TAB> offers exactly the options of its table" \
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
# count for the functions that use them), against its table; and the values
# of the options that take one of a list.
shared=$(sed -n '/^_auditmd_render_opts=(/,/^)/p' "$DIR/_auditmd")
for c in $commands; do
  want=$(table_options "$c")
  [ -n "$want" ] || continue
  body=$(sed -n "/^_auditmd_$c() {/,/^}/p" "$DIR/_auditmd")
  [ -n "$body" ] || { fail "zsh: _auditmd_$c exists"; continue; }
  case $body in *_auditmd_render_opts*) body+=$shared ;; esac
  got=$(printf '%s\n' "$body" | tr '{,' '\n\n' | sed -E "s/^[[:space:]]*'?//" |
    grep -oE '^--?[a-zA-Z][a-z-]*([[+=}]|$)' | sed 's/[[+=}]$//' | sort -u)
  [ "$got" = "$want" ] && ok "zsh: _auditmd_$c offers exactly the options of its table" ||
    fail "zsh: _auditmd_$c offers exactly the options of its table" \
      "$(diff <(echo "$want") <(echo "$got") | sed -n 's/^</missing:/p; s/^>/unknown:/p' | tr '\n' ' ')"
done
# zsh: an option's values are its spec's last words, "(a b c)" or after
# "_values -s , NOUN".
while read -r c o; do
  spec=$(sed -n "/^_auditmd_$c() {/,/^}/p" "$DIR/_auditmd" | grep -e "$o=" | head -1)
  got=$(printf '%s\n' "$spec" | sed -nE "s/.*:\(([^)]*)\)'.*/\1/p; s/.*_values -s , [a-z]+ ([^']*)'.*/\1/p" |
    tr ' ' '\n' | sed '/^$/d' | sort)
  want=$(table_values "$c" "$o")
  [ "$got" = "$want" ] && ok "zsh: auditmd $c $o offers the values of its table" ||
    fail "zsh: auditmd $c $o offers the values of its table" "got [$(echo $got)], want [$(echo $want)]"
done <<<"$listed"
# The command list: each command with its summary from the command table.
while IFS=$'\t' read -r kind c summary; do
  [ "$kind" = command ] || continue
  line=$(grep "^ *'$c:" "$DIR/_auditmd" | sed -E "s/^ *'//; s/'$//; s/'\\\\''/'/g")
  [ "$line" = "$c:$summary" ] && ok "zsh: the command list has $c with its summary" ||
    fail "zsh: the command list has $c with its summary" "got: $line"
done <"$tmp/tables"

finish
