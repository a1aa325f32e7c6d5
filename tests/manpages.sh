#!/usr/bin/env bash
# The man pages: auditmd(1) and one page per command render through groff
# without a warning, have the usual sections, and document every option of
# the command's table (src/cli/opt.h, listed by CLI_OPTIONS) and every exit
# code its --help prints; --help itself lists the options of the table;
# auditmd(1) points at the command pages.
# usage: manpages.sh AUDITMD DOCS_DIR CLI_OPTIONS
set -u
AUDITMD=$1
DOCS=$2
CLI_OPTIONS=$3
. "$(dirname "$0")/lib.sh"

# skip MESSAGE: a check that could not run, said on stdout and stderr.
skip() { echo "# SKIP $1"; echo "auditmd man page test: SKIPPED: $1" >&2; }

"$CLI_OPTIONS" >"$tmp/tables" || { fail "cli_options lists the tables"; finish; exit; }
# The commands of the command table.
commands=$(awk -F'\t' '$1 == "command" { print $2 }' "$tmp/tables")
[ -n "$commands" ] && ok "the command table lists commands" || fail "the command table lists commands"

# table_options COMMAND: the options of its table, short and long, one a line.
table_options() {
  awk -F'\t' -v c="$1" '$1 == "option" && $2 == c { if ($3 != "") print $3; print $4 }' "$tmp/tables" | sort -u
}
# help_options COMMAND: the options 'auditmd COMMAND --help' lists, one a line.
help_options() {
  "$AUDITMD" "$1" --help 2>/dev/null |
    sed -nE 's/^ +(-[A-Za-z]), (--[a-z][a-z-]*).*/\1\n\2/p; t; s/^ +(--[a-z][a-z-]*).*/\1/p' | sort -u
}
# help_exit_codes COMMAND: the exit codes its --help names ("exit codes: 0 ..., 1 ...").
help_exit_codes() {
  "$AUDITMD" "$1" --help 2>/dev/null | sed -n '/^exit codes:/,$p' | tr '\n' ' ' |
    grep -oE '(codes:|,) [0-9] ' | grep -oE '[0-9]'
}
# section PAGE NAME: the roff source of one section, '\-' read as '-' and
# font changes dropped.
section() {
  sed -n "/^\.SH \"\{0,1\}$2\"\{0,1\}\$/,/^\.SH/p" "$1" | sed '1d; ${/^\.SH/d}' |
    sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\f\(..//g'
}

# render PAGE: groff with every warning on must say nothing.
render() {
  local page=$1
  if groff -man -Tutf8 -ww -z "$page" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
    ok "${page##*/}: groff -man -ww renders it without a warning"
  else
    fail "${page##*/}: groff -man -ww renders it without a warning" "$(head -c 600 "$tmp/err")"
  fi
}
have_groff=1
command -v groff >/dev/null || { have_groff=0; skip "groff is not installed: the pages were not rendered (apt-get install groff-base)"; }

[ "$have_groff" = 1 ] && render "$DOCS/auditmd.1"
for c in $commands; do
  page=$DOCS/auditmd-$c.1
  [ -f "$page" ] && ok "auditmd-$c.1 exists" || { fail "auditmd-$c.1 exists" "no $page"; continue; }
  [ "$have_groff" = 1 ] && render "$page"
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$page" >"$tmp/out" 2>"$tmp/err" </dev/null
    [ -s "$tmp/out" ] && [ ! -s "$tmp/err" ] && ok "auditmd-$c.1: man -l shows it quietly" ||
      fail "auditmd-$c.1: man -l shows it quietly" "$(head -c 400 "$tmp/err")"
  fi
  grep -q "^\.TH AUDITMD\\\\-${c^^} 1 " "$page" && ok "auditmd-$c.1: .TH AUDITMD-${c^^} 1" ||
    fail "auditmd-$c.1: .TH AUDITMD-${c^^} 1" "$(grep '^\.TH' "$page")"
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    [ -n "$(section "$page" "$s")" ] && ok "auditmd-$c.1 has $s" || fail "auditmd-$c.1 has $s"
  done
  section "$page" NAME | grep -q "^auditmd-$c - " && ok "auditmd-$c.1: NAME is 'auditmd-$c - ...'" ||
    fail "auditmd-$c.1: NAME is 'auditmd-$c - ...'" "$(section "$page" NAME | tr '\n' ' ')"
  section "$page" SYNOPSIS | grep -q "^\.B auditmd $c\$" && ok "auditmd-$c.1: SYNOPSIS starts with auditmd $c" ||
    fail "auditmd-$c.1: SYNOPSIS starts with auditmd $c"

  # --help lists the options of the table; each is an entry of OPTIONS.
  opts=$(table_options "$c")
  [ -n "$opts" ] || { fail "the table of $c lists options"; continue; }
  [ "$(help_options "$c")" = "$opts" ] && ok "auditmd $c --help lists exactly the options of its table" ||
    fail "auditmd $c --help lists exactly the options of its table" \
      "$(diff <(echo "$opts") <(help_options "$c") | sed -n 's/^</missing:/p; s/^>/unknown:/p' | tr '\n' ' ')"
  section "$page" OPTIONS >"$tmp/options"
  missing=""
  for o in $opts; do
    grep -qE -- "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)" "$tmp/options" || missing+=" $o"
  done
  [ -z "$missing" ] && ok "auditmd-$c.1 documents every option of its table ($(echo $opts | wc -w))" ||
    fail "auditmd-$c.1 documents every option of its table" "undocumented:$missing"
  # ... and no option that the table does not know.
  unknown=""
  for o in $(grep -oE -- '(^|[ ,"])--?[a-zA-Z][a-z-]*' <(grep -E '^\.(TP|B|BR|BI) ' -A1 "$tmp/options" | grep -E '^\.(B|BR|BI) ') |
             sed -E 's/^[ ,"]//' | sort -u); do
    echo "$opts" | grep -qx -- "$o" || unknown+=" $o"
  done
  [ -z "$unknown" ] && ok "auditmd-$c.1 OPTIONS has no option that its table lacks" ||
    fail "auditmd-$c.1 OPTIONS has no option that its table lacks" "unknown:$unknown"
  # Every exit code of --help is in EXIT STATUS.
  codes=$(help_exit_codes "$c")
  section "$page" "EXIT STATUS" >"$tmp/exit"
  missing=""
  for e in $codes; do grep -qx "\.B $e" "$tmp/exit" || missing+=" $e"; done
  [ -n "$codes" ] && [ -z "$missing" ] && ok "auditmd-$c.1 documents the exit codes of --help ($(echo $codes))" ||
    fail "auditmd-$c.1 documents the exit codes of --help" "missing:$missing (help: $(echo $codes))"
  # auditmd(1) points at the page.
  section "$DOCS/auditmd.1" "SEE ALSO" | grep -q "^\.BR auditmd-$c (1)" && ok "auditmd.1 SEE ALSO names auditmd-$c(1)" ||
    fail "auditmd.1 SEE ALSO names auditmd-$c(1)"
  # It is installed.
  grep -q "'auditmd-$c.1'" "$DOCS/meson.build" && ok "docs/meson.build installs auditmd-$c.1" ||
    fail "docs/meson.build installs auditmd-$c.1"
done
# The limits 'auditmd compile --help' lists are the ones auditmd(1) and
# auditmd-compile(1) give under LIMITS and README's table of limits: each
# subject with its number close by.
help_limits=$("$AUDITMD" compile --help | sed -n '/^limits/,/^$/p' | tr '\n' ' ')
man_limits=$(section "$DOCS/auditmd.1" LIMITS | tr '\n' ' ')
page_limits=$(section "$DOCS/auditmd-compile.1" LIMITS | tr '\n' ' ')
for pair in "block quotes:256" "inline elements:256" "table:128" "findings:1,000,000" "64 MiB:--max-size"; do
  what=${pair%%:*}; num=${pair#*:}
  for where in help man page readme; do
    case $where in
      help) text=$help_limits ;; man) text=$man_limits ;; page) text=$page_limits ;;
      readme) text=$(sed -n '/^| limit | value/,/^$/p' "$DOCS/README.in.md" | grep -F -- "${what%% *}" | tr '\n' ' ') ;;
    esac
    grep -qE -- "$what.{0,140}$num|$num.{0,40}$what" <<<"$text" && ok "limits ($where): $what, $num" ||
      fail "limits ($where): $what, $num" "$(head -c 300 <<<"$text")"
  done
done

finish
