#!/usr/bin/env bash
# End-to-end tests of the auditmd command line: stdout, stderr, exit codes
# and the files left behind.
set -u
AUDITMD=$1
DATA=$2
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (scripts/test.sh installs it)"; exit 1; }

# --- compile: the model -----------------------------------------------------
run "$AUDITMD" compile "$DATA/modern-2026-01-15.md"
expect_rc 0 "compile a heading-style audit"
expect_jq '.schema' '"auditmd/1"' "schema name"
expect_jq '[.findings[].status] | unique' '["open"]' "all findings open"
expect_jq '.findings[2] | [.id, .number, .title, .section]' '["F3","3","Blocking `requests` calls inside async views",["Backend"]]' "finding fields"
expect_jq '.findings[0].citations[0] | [.path,.start,.end,.role,.line,.column]' '["services/api/auth/session.py",40,58,"evidence",9,14]' "citation with position"
expect_jq '.metadata.Scope' '"API, web client and deployment."' "metadata"
expect_jq '.date' '"2026-01-15"' "date"

run "$AUDITMD" compile --format text "$DATA/modern-2026-01-16.md"
expect_rc 0 "compile --format text"
expect_out "7 findings: 1 open, 0 in progress, 6 resolved" "text summary line"
expect_out "services/api/routes/refunds.py:44" "text shows citations"

run "$AUDITMD" compile - <"$DATA/todo.md"
rc_stdin=$rc
"$AUDITMD" compile - <"$DATA/todo.md" >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "compile from stdin"
expect_jq '.findings | length' '10' "stdin checklist findings"

NO_COLOR=1 run "$AUDITMD" compile --format text "$DATA/todo.md"
grep -q $'\033' "$tmp/out" && fail "no colour when not a terminal" || ok "no colour when not a terminal"

# --- -o writes atomically -----------------------------------------------------
run "$AUDITMD" compile -o "$tmp/model.json" "$DATA/security.md"
expect_rc 0 "compile -o"
expect_no_out "-o leaves stdout empty"
jq -e '.findings | length == 5' "$tmp/model.json" >/dev/null && ok "-o file has the model" || fail "-o file has the model"
ls -a "$tmp" | grep -q '^\.model\.json\.' && fail "no temporary file left" || ok "no temporary file left"

echo previous >"$tmp/keep.json"
printf 'bad \xff\n' >"$tmp/bad.md"
run "$AUDITMD" compile -o "$tmp/keep.json" "$tmp/bad.md"
expect_rc 3 "invalid UTF-8 with -o"
[ "$(cat "$tmp/keep.json")" = previous ] && ok "failed run leaves the old file untouched" || fail "failed run leaves the old file untouched"

run "$AUDITMD" compile -o "$tmp/missing/dir/out.json" "$DATA/todo.md"
expect_rc 4 "output in a missing directory"
expect_err "auditmd: error: $tmp/missing/dir/out.json: cannot create a file there" "missing directory error names the path"

if [ -w /dev/full ]; then
  run "$AUDITMD" compile "$DATA/todo.md"
  "$AUDITMD" compile "$DATA/todo.md" >/dev/full 2>"$tmp/err"; rc=$?
  expect_rc 4 "stdout on a full disk"
  expect_err "write failed" "full disk error"
  run "$AUDITMD" compile -o /dev/full "$DATA/todo.md"
  expect_rc 4 "-o on a full disk"
  expect_err "/dev/full: write failed" "-o full disk error names the path"
  [ -c /dev/full ] && ok "-o never replaces a device" || fail "-o never replaces a device"
fi
run "$AUDITMD" compile -o /dev/null "$DATA/todo.md"
expect_rc 0 "-o /dev/null"
[ -c /dev/null ] && ok "/dev/null is still a device" || fail "/dev/null is still a device"
run "$AUDITMD" compile -o "$tmp" "$DATA/todo.md"
expect_rc 4 "-o a directory"

# The mode a plain '>' would give: 0666 less the umask for a new file; an
# existing file keeps its mode (and, for root, its owner).
mode() { stat -c %a "$1"; }
(umask 077; "$AUDITMD" compile -o "$tmp/private.json" "$DATA/todo.md")
[ "$(mode "$tmp/private.json")" = 600 ] && ok "-o: a new file under umask 077 is 600" || fail "-o: a new file under umask 077 is 600" "mode $(mode "$tmp/private.json")"
(umask 022; "$AUDITMD" compile -o "$tmp/public.json" "$DATA/todo.md")
[ "$(mode "$tmp/public.json")" = 644 ] && ok "-o: a new file under umask 022 is 644" || fail "-o: a new file under umask 022 is 644" "mode $(mode "$tmp/public.json")"
for m in 600 640 755; do
  echo previous >"$tmp/kept.json"; chmod "$m" "$tmp/kept.json"
  (umask 022; "$AUDITMD" compile -o "$tmp/kept.json" "$DATA/todo.md")
  [ "$(mode "$tmp/kept.json")" = "$m" ] && ok "-o keeps an existing file's mode $m" || fail "-o keeps an existing file's mode $m" "mode $(mode "$tmp/kept.json")"
done
if [ "$(id -u)" = 0 ]; then
  echo previous >"$tmp/theirs.json"; chown 65534:65534 "$tmp/theirs.json"; chmod 640 "$tmp/theirs.json"
  "$AUDITMD" compile -o "$tmp/theirs.json" "$DATA/todo.md"
  [ "$(stat -c '%u:%g %a' "$tmp/theirs.json")" = "65534:65534 640" ] && ok "-o as root keeps the file's owner and mode" ||
    fail "-o as root keeps the file's owner and mode" "$(stat -c '%u:%g %a' "$tmp/theirs.json")"
fi
# A file that may not be written is not replaced either.
mkdir -p "$tmp/ro"; echo previous >"$tmp/ro/out.json"; chmod 444 "$tmp/ro/out.json"
ro_user=()
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && { chown -R 65534:65534 "$tmp/ro"; chmod 755 "$tmp"; ro_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); }
if [ "$(id -u)" != 0 ] || [ ${#ro_user[@]} -gt 0 ]; then
  run "${ro_user[@]}" "$AUDITMD" compile -o "$tmp/ro/out.json" "$DATA/todo.md"
  expect_rc 4 "-o a read-only file"
  expect_err "$tmp/ro/out.json: Permission denied" "-o a read-only file: the error says so"
  [ "$(cat "$tmp/ro/out.json")" = previous ] && ok "-o leaves a read-only file as it was" || fail "-o leaves a read-only file as it was"
else
  echo "# SKIP -o a read-only file: running as root without setpriv"
fi

# Symbolic links: to a device or FIFO they are written in place (/dev/stdout);
# to a file, or dangling, they are refused, the link and its target untouched.
echo target >"$tmp/target.json"; ln -s target.json "$tmp/link.json"; ln -s nowhere.json "$tmp/dangling.json"
for l in link.json dangling.json; do
  run "$AUDITMD" compile -o "$tmp/$l" "$DATA/todo.md"
  expect_rc 4 "-o $l refused"
  expect_err "auditmd: error: $tmp/$l: is a symbolic link; -o neither follows nor replaces one" "-o $l: the error says why"
  [ -L "$tmp/$l" ] && ok "-o $l: still a link" || fail "-o $l: still a link"
done
[ "$(cat "$tmp/target.json")" = target ] && [ ! -e "$tmp/nowhere.json" ] && ok "-o: nothing written through a link" || fail "-o: nothing written through a link"
ls -a "$tmp" | grep -q '^\.\(link\|dangling\)\.json\.' && fail "-o a link: no temporary file left" || ok "-o a link: no temporary file left"
ln -s /dev/null "$tmp/null.json"
run "$AUDITMD" compile -o "$tmp/null.json" "$DATA/todo.md"
expect_rc 0 "-o a link to /dev/null"
[ -L "$tmp/null.json" ] && ok "-o a link to a device: still a link" || fail "-o a link to a device: still a link"
"$AUDITMD" compile -o /dev/stdout "$DATA/security.md" 2>"$tmp/err" | jq -e '.findings | length == 5' >/dev/null &&
  ok "-o /dev/stdout into a pipe" || fail "-o /dev/stdout into a pipe" "$(cat "$tmp/err")"

# SIGINT or SIGTERM while the temporary file exists (delivered by strace when
# the file is synced, just before the rename): the file is removed, the
# previous output kept, and the run ends by that signal. (LeakSanitizer
# cannot run under ptrace: it is off for these runs.)
if command -v strace >/dev/null; then
  nolsan=ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
  # The signals' default actions, whatever the test was started under
  # (nohup ignores SIGHUP, a background job SIGINT; exec keeps that).
  dfl() { python3 -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
  for sig in INT TERM HUP; do
    echo previous >"$tmp/sig.json"
    dfl env "$nolsan" strace -f -qq -o /dev/null -e trace=fsync -e inject=fsync:signal=SIG$sig "$AUDITMD" compile -o "$tmp/sig.json" "$DATA/todo.md" 2>/dev/null; rc=$?
    want=$((128 + $(kill -l $sig)))
    [ "$rc" = "$want" ] && ok "SIG$sig during -o: the run ends by the signal (exit $want)" || fail "SIG$sig during -o: the run ends by the signal (exit $want)" "exit $rc"
    [ "$(cat "$tmp/sig.json")" = previous ] && ok "SIG$sig during -o: the previous file is kept" || fail "SIG$sig during -o: the previous file is kept"
    ls -a "$tmp" | grep -q '^\.sig\.json\.' && fail "SIG$sig during -o: no temporary file left" || ok "SIG$sig during -o: no temporary file left"
    rm -f "$tmp"/.sig.json.*
  done
  # An ignored SIGINT (a background job's) stays ignored.
  (trap '' INT; env "$nolsan" strace -f -qq -o /dev/null -e trace=fsync -e inject=fsync:signal=SIGINT "$AUDITMD" compile -o "$tmp/sig.json" "$DATA/todo.md"); rc=$?
  expect_rc 0 "an ignored SIGINT during -o"
  jq -e '.findings | length == 10' "$tmp/sig.json" >/dev/null && ok "an ignored SIGINT: the output is written" || fail "an ignored SIGINT: the output is written"
else
  echo "# SKIP signals during -o: strace is not installed"
fi

# --- bad input: one line, the position, exit 3 --------------------------------
run "$AUDITMD" compile "$tmp/bad.md"
expect_rc 3 "invalid UTF-8"
expect_err "auditmd: error: $tmp/bad.md:1:5: invalid UTF-8 (byte 0xFF)" "invalid UTF-8 position"
expect_err_lines 1 "invalid UTF-8 is one line"
expect_no_out "nothing on stdout for bad input"

printf 'a\nb\0c' >"$tmp/nul.md"
run "$AUDITMD" compile "$tmp/nul.md"
expect_rc 3 "NUL byte"
expect_err "$tmp/nul.md:2:2: NUL byte" "NUL byte position"

printf '\xff\xfe#\x00 \x00' >"$tmp/utf16.md"
run "$AUDITMD" compile "$tmp/utf16.md"
expect_rc 3 "UTF-16 with BOM"
expect_err "UTF-16" "UTF-16 named"

: >"$tmp/empty.md"
run "$AUDITMD" compile "$tmp/empty.md"
expect_rc 0 "empty file is an empty audit"
expect_jq '.findings | length' '0' "empty file has no findings"

printf '\xef\xbb\xbf# T\r\n\r\n- [ ] a\r\n' >"$tmp/crlf.md"
run "$AUDITMD" compile "$tmp/crlf.md"
expect_rc 0 "BOM and CRLF accepted"
expect_jq '[.title, .findings[0].title]' '["T","a"]' "BOM and CRLF compiled"

head -c 2000 /dev/zero | tr '\0' a >"$tmp/big.md"
run "$AUDITMD" compile --max-size 1K "$tmp/big.md"
expect_rc 3 "over --max-size"
expect_err "over the size limit of 1024 bytes" "size limit named"
for bad in 0 -5 12X 99999999999999999999 99999999999G; do
  run "$AUDITMD" compile --max-size "$bad" "$tmp/big.md"
  expect_rc 2 "--max-size $bad refused"
  expect_err "--max-size: '$bad' is not a size" "--max-size $bad: the error names it"
done
run "$AUDITMD" verify --max-blob-size 2Q "$tmp/big.md"
expect_err "--max-blob-size: '2Q' is not a size" "--max-blob-size checked"
run "$AUDITMD" log --format xml "$tmp/big.md"
expect_rc 2 "log --format xml refused"
expect_err "--format: unknown format 'xml' (md, text, html, json, jsonl)" "the formats listed"

run "$AUDITMD" compile "$tmp"
expect_rc 3 "a directory as input"
expect_err "is a directory" "directory named"

mkfifo "$tmp/fifo"
run guard 5 "$AUDITMD" compile "$tmp/fifo"
expect_rc 3 "a FIFO as input"
expect_err "not a regular file" "FIFO refused"

run "$AUDITMD" compile "$tmp/nope.md"
expect_rc 3 "missing file"
expect_err "$tmp/nope.md: No such file or directory" "missing file named"

# An unreadable file: as root, the test runs auditmd as nobody.
mkdir -p "$tmp/locked" && chmod 755 "$tmp" "$tmp/locked"
echo x >"$tmp/locked/secret.md"; chmod 000 "$tmp/locked/secret.md"
as_user=()
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  run "${as_user[@]}" "$AUDITMD" compile "$tmp/locked/secret.md"
  expect_rc 3 "unreadable file"
  expect_err "$tmp/locked/secret.md: Permission denied" "unreadable file named"
  expect_err_lines 1 "unreadable file: one line"
else
  echo "# SKIP unreadable file: running as root without setpriv"
fi

python3 -c 'print("> " * 100000 + "x")' >"$tmp/deep.md" 2>/dev/null || { for i in $(seq 1 20000); do printf '> '; done; echo x; } >"$tmp/deep.md"
run guard 20 "$AUDITMD" compile "$tmp/deep.md"
expect_rc 3 "100,000 nested block quotes"
expect_err "nested deeper than the limit" "nesting limit named"
# Inline elements nest 256 deep, as documented: 512 '_' on each side of a
# word are 256 levels of strong emphasis; one more '_' is one level too many.
for n in 512 513; do
  python3 -c "print('# A\n\nSigned: ' + '_' * $n + '.' + '_' * $n)" >"$tmp/inline.md"
  run guard 10 "$AUDITMD" compile -q "$tmp/inline.md"
  if [ "$n" = 512 ]; then expect_rc 0 "256 levels of inline elements"; else
    expect_rc 3 "257 levels of inline elements"
    expect_err "$tmp/inline.md:3:9: inline nesting deeper than the limit of 256 levels" "the inline nesting limit, with the position and the number"
  fi
done

# --- hostile shapes: each is refused or compiled, in bounded time and memory ----
if [ -x /usr/bin/time ]; then
  printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' >"$tmp/bin.md"
  bounded 3 "a binary file" 60000 "$AUDITMD" compile "$tmp/bin.md"
  expect_err "$tmp/bin.md:1:1: invalid UTF-8" "binary file: one line with the position"
  truncate -s 200M "$tmp/huge.md"
  bounded 3 "a 200 MB file" 60000 "$AUDITMD" compile "$tmp/huge.md"
  expect_err "over the size limit" "200 MB file refused by the size limit"
  python3 -c 'print("- " * 100000 + "x")' >"$tmp/lists.md"
  bounded 3 "100,000 nested list levels" 400000 "$AUDITMD" compile "$tmp/lists.md"
  expect_err "nested deeper than the limit" "list nesting limit named"
  python3 -c 'print("### 1) " + "a" * 10000000)' >"$tmp/line.md"
  bounded 0 "a 10 MB single line" 400000 "$AUDITMD" compile -q "$tmp/line.md"
  python3 -c '
print("| ID | Finding | Status |")
print("|---|---|---|")
for i in range(333334): print("| T-%d | row %d | Open |" % (i, i))' >"$tmp/cells.md"
  bounded 0 "1 million table cells" 1500000 "$AUDITMD" compile -q "$tmp/cells.md"
  expect_jq '.findings | length' '333334' "every row a finding"
  python3 -c 'print("### " + "`" * 100000 + " x")' >"$tmp/ticks.md"
  bounded 0 "a heading with 100,000 backticks" 200000 "$AUDITMD" compile -q "$tmp/ticks.md"
  python3 -c 'import sys; sys.stdout.write("> - [ ] item\n" * 200000)' >"$tmp/same.md"
  bounded 0 "200,000 checklist items of one title" 900000 "$AUDITMD" compile -q "$tmp/same.md"
  expect_jq '[.findings[0].id, .findings[-1].id]' '["F-d6f426","F-d6f426-200000"]' "their IDs stay unique"
  python3 -c 'print("### 1) T\n- Evidence: " + ", ".join("`f%d.py:%d`" % (i, i + 1) for i in range(10000)))' >"$tmp/cites.md"
  bounded 0 "10,000 citations on one line" 200000 "$AUDITMD" compile -q "$tmp/cites.md"
  expect_jq '.findings[0].citations[9999] | [.path, .column]' '["f9999.py",167780]' "the last one at its column"
  python3 -c 'print("### 1) " + "`a` " * 200000)' >"$tmp/spans.md"
  bounded 0 "a heading with 200,000 code spans" 600000 "$AUDITMD" compile -q "$tmp/spans.md"
fi
# Wide table rows: cmark-gfm's table parser is quadratic in the cells of a
# row, so a line of a table with more than 128 '|' is refused before parsing:
# one line naming the limit and the position, at once.
wide() { # FILE PIPES ROWS: a table whose body rows are PIPES '|' each
  python3 -c "import sys; sys.stdout.write('| ID | Status |\n|---|---|\n' + ('|' * $2 + '\n') * $3)" >"$1"
}
wide "$tmp/wide.md" 60000 4
run guard 10 "$AUDITMD" compile "$tmp/wide.md"
expect_rc 3 "a table row of 60,000 '|'"
expect_err "auditmd: error: $tmp/wide.md:3:129: a table row with more than 128 cells (the limit)" "the wide row: the limit and its position"
expect_err_lines 1 "the wide row: one line"
printf '| a | b |\n%s|\n' "$(printf -- '|-%.0s' $(seq 1 200))" >"$tmp/widedelim.md"
run guard 10 "$AUDITMD" compile "$tmp/widedelim.md"
expect_rc 3 "a delimiter row of 200 cells"
python3 -c "import sys; sys.stdout.write('|' * 300 + '\n' + '|' * 300 + ' text\n\n\`\`\`\n' + '|' * 300 + '\n\`\`\`\n')" >"$tmp/pipes.md"
run "$AUDITMD" compile -q "$tmp/pipes.md"
expect_rc 0 "300 '|' in a paragraph or code block, no table: compiled"
wide "$tmp/at-limit.md" 128 3
run "$AUDITMD" compile -q "$tmp/at-limit.md"
expect_rc 0 "rows of 128 '|': compiled"
# Instructions, counted by valgrind (a sanitised build cannot run under it):
# doubling the '|' of the rows costs next to nothing more, and doubling the
# rows at the limit doubles the work: linear, where the parser alone was
# quadratic (4x for twice the '|').
if command -v valgrind >/dev/null && [ "${AM_MEM_FACTOR:-1}" = 1 ]; then
  icount() { guard 120 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$AUDITMD" compile -q "$1" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,; }
  wide "$tmp/w1.md" 15000 4; wide "$tmp/w2.md" 30000 4
  wide "$tmp/r1.md" 128 2000; wide "$tmp/r2.md" 128 4000
  i1=$(icount "$tmp/w1.md"); i2=$(icount "$tmp/w2.md"); j1=$(icount "$tmp/r1.md"); j2=$(icount "$tmp/r2.md")
  [ -n "$i1" ] && [ -n "$i2" ] && [ "$((i2 * 10))" -lt "$((i1 * 15))" ] && ok "twice the '|' in the rows: under 1.5x the instructions ($i1, $i2)" ||
    fail "twice the '|' in the rows: under 1.5x the instructions" "$i1, $i2"
  [ -n "$j1" ] && [ -n "$j2" ] && [ "$((j2 * 10))" -lt "$((j1 * 25))" ] && ok "twice the rows of 128 '|': under 2.5x the instructions ($j1, $j2)" ||
    fail "twice the rows of 128 '|': under 2.5x the instructions" "$j1, $j2"
else
  echo "# SKIP instruction counts of wide tables: no valgrind, or a sanitised build"
fi

printf '### 1) Numbers\n- Evidence: `a.py:123456789012345678901234567890` and `b.py:0` and `c.py:-5` and `d.py:20-10` and `e.py:1-99999999999999999999`\n' >"$tmp/nums.md"
run "$AUDITMD" compile "$tmp/nums.md"
expect_rc 0 "absurd line numbers compile"
expect_jq '[.findings[0].citations[] | [.path, .malformed]]' '[["a.py",true],["b.py",true],["c.py",null],["d.py",true],["e.py",true]]' "30 digits, 0, reversed and overflowing ranges are malformed"
expect_err "citation 'a.py:123456789012345678901234567890' has an invalid line range" "30-digit line number named"

# --- control characters from an audit are shown, never sent -------------------------
# ESC sequences (hidden text, OSC 52 clipboard writes), BEL, C1 controls and
# bidi overrides in titles, sections, IDs and paths: text, md and html show
# them as \x1b or \u202e; no raw control byte reaches the output.
printf '# A \033]52;c;ZWNobw==\007\n\nDate: 2026-01-01\n\n## Sec \302\233 2J\n\n### [X-\033[1m] Fine \033[8mHIDDEN\033[0m \342\200\256evil\n\n- Status: Open\n- Evidence: `a.py:1`\n' >"$tmp/esc.md"
raw_controls() { LC_ALL=C grep -c $'[\001-\010\013-\037\177]\|\xc2[\x80-\x9f]\|\xe2\x80[\xa8-\xae]\|\xe2\x81[\xa6-\xa9]' "$1"; }
for fmt in text md html; do
  NO_COLOR=1 run "$AUDITMD" compile --format "$fmt" "$tmp/esc.md"
  expect_rc 0 "compile --format $fmt of an audit with control characters"
  [ "$(raw_controls "$tmp/out")" = 0 ] && ok "compile --format $fmt: no raw control character" || fail "compile --format $fmt: no raw control character" "$(grep -an $'\033' "$tmp/out" | cat -v | head -3)"
  expect_out 'Fine \x1b[8mHIDDEN\x1b[0m \u202eevil' "compile --format $fmt: the title's controls shown"
done
NO_COLOR=1 run "$AUDITMD" compile --format text "$tmp/esc.md"
expect_out 'A \x1b]52;c;ZWNobw==\x07 (2026-01-01)' "text: the audit title's OSC 52 shown"
expect_out 'Sec \u009b 2J' "text: a C1 control in a section shown"
expect_out 'X-\x1b[1m' "text: the ID's escape shown"
sed 's/HIDDEN/SHOWN/' "$tmp/esc.md" >"$tmp/esc2.md"
NO_COLOR=1 run "$AUDITMD" diff --format text "$tmp/esc.md" "$tmp/esc2.md"
[ "$(raw_controls "$tmp/out")" = 0 ] && ok "diff --format text: no raw control character" || fail "diff --format text: no raw control character"
expect_out 'Fine \x1b[8mHIDDEN\x1b[0m \u202eevil' "diff text: titles shown"
run "$AUDITMD" diff --format md "$tmp/esc.md" "$tmp/esc2.md"
[ "$(raw_controls "$tmp/out")" = 0 ] && ok "diff --format md: no raw control character" || fail "diff --format md: no raw control character"
# A title over two lines stays on one line of Markdown.
printf '# T\n\n- [ ] **Two\nforged line** a.py:1\n' >"$tmp/twoline.md"
run "$AUDITMD" compile --format md "$tmp/twoline.md"
grep -q '^forged' "$tmp/out" && fail "md: a title with a line break forges no line" || ok "md: a title with a line break forges no line"
expect_out '### F-' "md: the finding's heading"
expect_out 'Two\x0aforged line' "md: the line break shown"
# Warnings and errors: one line each, controls shown, names included.
printf '### 1) A \033[2J\n- Status: Open\n' >"$tmp/warn-esc.md"
run "$AUDITMD" compile "$tmp/warn-esc.md"
[ "$(raw_controls "$tmp/err")" = 0 ] && ok "warnings: no raw control character" || fail "warnings: no raw control character"
expect_err "warn-esc.md:1:1: warning: finding 'A \x1b[2J' cites no evidence" "warnings: the title's escape shown"
run "$AUDITMD" compile "$tmp/no"$'\033'"]52;c;x"$'\007\n'"such.md"
expect_rc 3 "a missing file whose name has controls"
expect_err_lines 1 "its error is one line"
expect_err 'no\x1b]52;c;x\x07\x0asuch.md: No such file or directory' "its name shown"

# --- warnings go to stderr as FILE:LINE:COL ------------------------------------
printf '### [H-01] A\nStatus: Open\n\n### [H-01] B\nStatus: Open\n- Evidence: `x.py:9-3`\n' >"$tmp/warn.md"
run "$AUDITMD" compile "$tmp/warn.md"
expect_rc 0 "warnings do not fail compile"
expect_err "$tmp/warn.md:4:1: warning: ID 'H-01' is used by more than one finding [duplicate-id]" "duplicate ID warning"
expect_err "$tmp/warn.md:6:14: warning: citation 'x.py:9-3' has an invalid line range [malformed-citation]" "malformed citation warning"
expect_err "$tmp/warn.md:1:1: warning: finding 'A' cites no evidence" "no-evidence warning"
run "$AUDITMD" compile -q "$tmp/warn.md"
[ ! -s "$tmp/err" ] && ok "--quiet silences warnings" || fail "--quiet silences warnings"

# --- configuration --------------------------------------------------------------
mkdir -p "$tmp/proj/docs"
printf '{"vocabulary": {"resolved": ["Shipped"]}}' >"$tmp/proj/.auditmd.json"
printf '### [X-1] Thing\nStatus: Shipped\n' >"$tmp/proj/docs/a.md"
run "$AUDITMD" compile "$tmp/proj/docs/a.md"
expect_jq '.findings[0].status' '"resolved"' ".auditmd.json found upward extends the vocabulary"
printf '{"vocabulary": {"resolved": [1]}}' >"$tmp/badconf.json"
run "$AUDITMD" compile --config "$tmp/badconf.json" "$tmp/proj/docs/a.md"
expect_rc 3 "bad config"
expect_err "badconf.json: vocabulary \"resolved\" item 1 must be a string" "bad config explained"
printf '{"vocabulary": ' >"$tmp/badjson.json"
run "$AUDITMD" compile --config "$tmp/badjson.json" "$tmp/proj/docs/a.md"
expect_rc 3 "config that is not JSON"
expect_err "badjson.json:1:" "config error has a position"

# Which .auditmd.json is used: up to the top of the audit's repository, and
# never one that someone else could have written. $S stands for a shared
# parent such as the temporary directory (world-writable, sticky).
S=$tmp/shared
mkdir -p "$S/victim"
chmod 1777 "$S"
printf '# V\n\n### 1) T\n- Status: Open\n' >"$S/victim/a.md"
echo '{"lint":{"disable":["no-date","no-evidence"]}}' >"$S/.auditmd.json"
run "$AUDITMD" lint "$S/victim/a.md"
expect_out "[no-date]" "a .auditmd.json in a directory anyone can write to is not used"
expect_err "auditmd: warning: $S/.auditmd.json: ignored: in a directory anyone can write to" "the warning says why"
rm "$S/.auditmd.json" && mkdir "$S/.auditmd.json"
run "$AUDITMD" compile "$S/victim/a.md"
expect_rc 0 "a directory named .auditmd.json is passed over, not an error"
rmdir "$S/.auditmd.json" && chmod 755 "$S"
mkdir -p "$tmp/gw/docs"
printf '# V\n\n### 1) T\n- Status: Open\n' >"$tmp/gw/docs/a.md"
echo '{"lint":{"disable":["no-date"]}}' >"$tmp/gw/.auditmd.json"
chmod 664 "$tmp/gw/.auditmd.json"
run "$AUDITMD" lint "$tmp/gw/docs/a.md"
if grep -q "no-date" "$tmp/out"; then fail "writable by the user's own group: used"; else ok "writable by the user's own group: used"; fi
other_gid=$(awk -F: -v me="$(id -g)" '$3 != me {print $3; exit}' /etc/group)
if [ -n "$other_gid" ] && chgrp "$other_gid" "$tmp/gw/.auditmd.json" 2>/dev/null; then
  run "$AUDITMD" lint "$tmp/gw/docs/a.md"
  expect_out "[no-date]" "a .auditmd.json writable by another group is not used"
  expect_err "$tmp/gw/.auditmd.json: ignored: writable by group or others" "group-writable: the warning says why"
  chgrp "$(id -g)" "$tmp/gw/.auditmd.json"
else
  echo "# SKIP writable by another group: cannot change the file's group"
fi
chmod 666 "$tmp/gw/.auditmd.json"
run "$AUDITMD" lint "$tmp/gw/docs/a.md"
expect_out "[no-date]" "a world-writable .auditmd.json is not used"
chmod 644 "$tmp/gw/.auditmd.json"
run "$AUDITMD" lint "$tmp/gw/docs/a.md"
if grep -q "no-date" "$tmp/out"; then fail "the same file, the user's own, is used"; else ok "the same file, the user's own, is used"; fi
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  chown nobody "$tmp/gw/.auditmd.json"
  run "$AUDITMD" lint "$tmp/gw/docs/a.md"
  expect_out "[no-date]" "a .auditmd.json owned by another user is not used"
  expect_err "ignored: owned by another user" "another owner: the warning says why"
  chown 0 "$tmp/gw/.auditmd.json"
else
  echo "# SKIP a .auditmd.json owned by another user: needs root to chown"
fi
# The search ends at the top of the audit's repository.
mkdir -p "$tmp/gw/repo/docs"
git -C "$tmp/gw/repo" init -q -b main
cp "$tmp/gw/docs/a.md" "$tmp/gw/repo/docs/a.md"
run "$AUDITMD" lint "$tmp/gw/repo/docs/a.md"
expect_out "[no-date]" "the search stops at the repository's top"
cp "$tmp/gw/.auditmd.json" "$tmp/gw/repo/.auditmd.json"
run "$AUDITMD" lint "$tmp/gw/repo/docs/a.md"
if grep -q "no-date" "$tmp/out"; then fail "the repository's own .auditmd.json is used"; else ok "the repository's own .auditmd.json is used"; fi

# --- diff ----------------------------------------------------------------------------
OLD=$DATA/modern-2026-01-15.md NEW=$DATA/modern-2026-01-16.md
run "$AUDITMD" diff "$OLD" "$NEW"
expect_rc 0 "diff two files"
expect_jq '.schema' '"auditmd-diff/1"' "diff schema"
expect_jq '.summary' '{"new":1,"removed":0,"resolved":5,"regressed":0,"open":1,"closed":0,"new_closed":1}' "diff summary: the new finding arrives resolved"
expect_jq '[.changes[] | select(.new.title == "Upload hardening (Resolved)") | .matched_by, .similarity > 0.5, .old.title]' '["similarity",true,"Upload handler trusts client MIME types"]' "retitled finding matched and explained"
expect_jq '[.changes[] | select(.new.number == "7") | .old.number, (.changed | index("renumbered") != null)]' '["6",true]' "renumbered finding"
expect_jq '[.old.date, .new.date]' '["2026-01-15","2026-01-16"]' "diff sides"

# An explicit Severity field wins over the ID's letter, and its escalation is a change.
printf '### [H-02] Weak token\n\n**Severity:** High\n**Status:** Open\n- Evidence: `t.py:3`\n' >"$tmp/sev1.md"
printf '### [H-02] Weak token\n\n**Severity:** Critical\n**Status:** Open\n- Evidence: `t.py:3`\n' >"$tmp/sev2.md"
run "$AUDITMD" diff "$tmp/sev1.md" "$tmp/sev2.md"
expect_jq '[.changes[0] | .kind, .changed, .old.severity, .new.severity]' '["open",["severity"],"high","critical"]' "severity High -> Critical in the field shows as severity"
printf '### [H-02] Weak token\n\n**Severity:** Low\n' >"$tmp/sev3.md"
run "$AUDITMD" compile -q "$tmp/sev3.md"
expect_jq '.findings[0].severity' '"low"' "the Severity field beats the H of H-02"

run "$AUDITMD" diff --format text "$OLD" "$NEW"
expect_rc 0 "diff --format text"
expect_out "5 resolved, 1 new (1 already closed), 0 regressed, 0 removed, 1 still open" "text summary"
expect_out "#6→#7" "text shows old→new numbers"
expect_out "Upload handler trusts client MIME types → Upload hardening (Resolved)" "text shows old→new titles"
head -3 "$tmp/out" | grep -q "Resolved" || ok "regressions and resolutions are listed before the rest"
grep -q $'\033' "$tmp/out" && fail "diff text has no colour off a terminal" || ok "diff text has no colour off a terminal"

run "$AUDITMD" diff --format md "$OLD" "$NEW"
expect_rc 0 "diff --format md"
expect_out "## 2026-01-16 — PLATFORM_AUDIT" "md heading"
expect_out "### Resolved" "md resolved section"
expect_out "### Still open" "md still-open section"
expect_out "- **#6 → #7** Containers run as root (Resolved)" "md entry with renumbering"

run "$AUDITMD" diff --fail-on regressed "$OLD" "$NEW"
expect_rc 0 "--fail-on regressed without regressions"
run "$AUDITMD" diff --fail-on regressed,new "$OLD" "$NEW"
expect_rc 1 "--fail-on new with a new finding"
run "$AUDITMD" diff --fail-on regressed "$NEW" "$OLD"
expect_rc 1 "--fail-on regressed on a regression"
expect_jq '.summary.regressed' '5' "reversed diff regresses"
run "$AUDITMD" diff --fail-on bogus "$OLD" "$NEW"
expect_rc 2 "--fail-on with an unknown kind"
for t in nan NaN inf -0.5 0 1.5 " 0.5" 0.5x; do
  run "$AUDITMD" diff --threshold "$t" "$OLD" "$NEW"
  expect_rc 2 "--threshold '$t' refused"
  expect_err "--threshold: '$t' is not a number in (0, 1]" "--threshold '$t': the error names it"
done
run "$AUDITMD" diff --threshold 1 "$OLD" "$NEW"
expect_rc 0 "--threshold 1 accepted"
for kinds in "" "," "new," ",new" "new,,resolved"; do
  run "$AUDITMD" diff --fail-on "$kinds" "$OLD" "$NEW"
  expect_rc 2 "diff --fail-on '$kinds' refused"
  expect_err_lines 1 "diff --fail-on '$kinds': one error line"
done
expect_err "--fail-on: an empty kind in 'new,,resolved'" "an empty kind named"
for states in "" "missing," "none,missing"; do
  run "$AUDITMD" verify --fail-on "$states" "$OLD"
  expect_rc 2 "verify --fail-on '$states' refused"
done
run "$AUDITMD" diff "$OLD"
expect_rc 2 "diff with one argument"
run "$AUDITMD" diff - -
expect_rc 2 "diff with two stdins"
"$AUDITMD" diff "$OLD" - <"$NEW" >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "diff NEW from stdin"
expect_jq '.new.source' '"<stdin>"' "stdin side named"

# REV:PATH from a repository the test builds, with fixed dates and author.
R=$tmp/repo
mkdir -p "$R/docs"
export GIT_AUTHOR_NAME=Auditor GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=Auditor GIT_COMMITTER_EMAIL=a@example.com
git -C "$R" init -q -b main
cp "$OLD" "$R/docs/AUDIT.md"
git -C "$R" add . && GIT_AUTHOR_DATE=2026-01-15T12:00:00Z GIT_COMMITTER_DATE=2026-01-15T12:00:00Z git -C "$R" commit -qm one
cp "$NEW" "$R/docs/AUDIT.md"
git -C "$R" add . && GIT_AUTHOR_DATE=2026-01-16T12:00:00Z GIT_COMMITTER_DATE=2026-01-16T12:00:00Z git -C "$R" commit -qm two
run "$AUDITMD" diff --repo "$R" HEAD~1:docs/AUDIT.md HEAD:docs/AUDIT.md
expect_rc 0 "diff REV:PATH against REV:PATH"
expect_jq '.summary.resolved' '5' "REV:PATH diff result"
(cd "$R/docs" && "$AUDITMD" diff HEAD~1:docs/AUDIT.md AUDIT.md) >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "REV:PATH from the repository around the current directory"
expect_jq '.summary.new' '1' "REV:PATH against a working file"
run "$AUDITMD" diff --repo "$R" nosuchrev:docs/AUDIT.md HEAD:docs/AUDIT.md
expect_rc 3 "unknown revision"
expect_err "auditmd: error: nosuchrev: unknown revision" "unknown revision named"
expect_err_lines 1 "unknown revision is one line"
run "$AUDITMD" diff --repo "$R" HEAD:docs/NOPE.md HEAD:docs/AUDIT.md
expect_rc 3 "path not in the revision"
expect_err "HEAD:docs/NOPE.md: no such path in revision HEAD" "missing path named"
run "$AUDITMD" diff --repo "$R" HEAD:docs HEAD:docs/AUDIT.md
expect_rc 3 "REV:PATH naming a directory"
run "$AUDITMD" diff --repo "$tmp/proj" HEAD:a.md HEAD:b.md
expect_rc 4 "REV:PATH outside a repository"
expect_err "not a git repository" "not a repository named"
cp "$OLD" "$tmp/HEAD:docs"
(cd "$tmp" && "$AUDITMD" diff "HEAD:docs" "$NEW") >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "an existing file wins over REV:PATH"

# REV:PATH takes the .auditmd.json of that revision: next to PATH or above it,
# a directory of that name passed over; the nearest one wins.
C=$tmp/cfgrepo
mkdir -p "$C/docs/sub"
git -C "$C" init -q -b main
ccommit() { git -C "$C" add -A && GIT_AUTHOR_DATE=$1T12:00:00Z GIT_COMMITTER_DATE=$1T12:00:00Z \
  git -C "$C" -c user.name=A -c user.email=a@example.org commit -qm "$2"; }
printf '# CFG\n\n### 1) Thing\n- Status: Fixed\n' >"$C/docs/sub/AUDIT.md"
ccommit 2026-01-10 "no configuration yet"
sed -i 's/Fixed/Zorbled/' "$C/docs/sub/AUDIT.md"
echo '{"vocabulary":{"resolved":["Zorbled"]},"lint":{"disable":["no-date"]}}' >"$C/.auditmd.json"
mkdir "$C/docs/sub/.auditmd.json" && touch "$C/docs/sub/.auditmd.json/keep"
ccommit 2026-01-11 "configuration at the root"
echo '{"vocabulary":{"wontfix":["Zorbled"]}}' >"$C/docs/.auditmd.json"
ccommit 2026-01-12 "a nearer configuration"
mv "$C/.auditmd.json" "$tmp/moved-away.json"   # nothing on disk helps
run "$AUDITMD" compile --repo "$C" HEAD~1:docs/sub/AUDIT.md
expect_rc 0 "REV:PATH with a configuration in that revision"
expect_jq '.findings[0].status' '"resolved"' "REV:PATH: the revision's root .auditmd.json applies"
run "$AUDITMD" lint --repo "$C" --as-of none HEAD~2:docs/sub/AUDIT.md
expect_out "[no-date]" "REV:PATH: a later revision's configuration does not apply"
run "$AUDITMD" compile --repo "$C" HEAD:docs/sub/AUDIT.md
expect_jq '.findings[0].status' '"wontfix"' "REV:PATH: the nearest .auditmd.json wins"
run "$AUDITMD" lint --repo "$C" --as-of none HEAD~1:docs/sub/AUDIT.md
expect_out "(1 switched off in the audit or the configuration)" "lint REV:PATH: the revision's lint.disable applies"
run "$AUDITMD" diff --repo "$C" --fail-on regressed HEAD~2:docs/sub/AUDIT.md HEAD~1:docs/sub/AUDIT.md
expect_rc 0 "diff REV:PATH REV:PATH: no false regression from a lost vocabulary"
mv "$tmp/moved-away.json" "$C/.auditmd.json"

# --- log: a history with dated commits, a rename and a regression --------------------
L=$tmp/logrepo
mkdir -p "$L/docs/_debt"
git -C "$L" init -q -b main
commit() { # DATE MESSAGE
  git -C "$L" add -A && GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" git -C "$L" commit -qm "$2"
}
audit() { # lines of the checklist
  { echo "# DEBT AUDIT"; echo; echo "Date: $1"; echo; shift; printf '%s\n' "$@"; } >"$L/docs/_debt/AUDIT.md"
}
audit 2026-01-10 "- [ ] Alpha in \`a.py:1\`" "- [ ] Beta" ; commit 2026-01-10 "first audit"
audit 2026-01-11 "- [x] Alpha in \`a.py:1\`" "- [ ] Beta" ; commit 2026-01-11 "alpha fixed"
echo unrelated >"$L/other.txt"; commit 2026-01-12 "unrelated change"
audit 2026-01-13 "- [x] Alpha in \`a.py:1\`" "- [ ] Beta" "- [ ] Gamma" ; commit 2026-01-13 "gamma found"
mkdir -p "$L/docs/_archive/debt"; git -C "$L" mv docs/_debt/AUDIT.md docs/_archive/debt/AUDIT.md; commit 2026-01-14 "archive the debt folder"
sed -i 's/- \[x\] Alpha/- [ ] Alpha/' "$L/docs/_archive/debt/AUDIT.md"; commit 2026-01-15 "alpha is back"
sed -i 's/- \[ \] Beta/- [x] Beta/; /Gamma/d' "$L/docs/_archive/debt/AUDIT.md"; commit 2026-01-16 "beta fixed, gamma dropped"
run "$AUDITMD" log --repo "$L" --format json docs/_archive/debt/AUDIT.md
expect_rc 0 "log over a history with a rename"
expect_jq '[.entries[] | .date]' '["2026-01-10","2026-01-11","2026-01-13","2026-01-15","2026-01-16"]' "one entry per revision that changed the audit, the rename followed"
expect_jq '[.entries[] | .path] | unique' '["docs/_archive/debt/AUDIT.md","docs/_debt/AUDIT.md"]' "paths before and after the rename"
expect_jq '[.entries[] | .summary.resolved]' '[null,1,0,0,1]' "resolved per revision"
expect_jq '[.entries[] | .summary.regressed]' '[null,0,0,1,0]' "the regression is found"
expect_jq '[.entries[] | .summary.removed]' '[null,0,0,0,1]' "the removal is found"
expect_jq '[.entries[] | [.totals.open, .totals.closed]]' '[[2,0],[1,1],[2,1],[3,0],[1,1]]' "open and closed totals per revision"
expect_jq '.compiled' '5' "identical contents compiled once"
run "$AUDITMD" log --repo "$L" --since 2026-01-13 --until 2026-01-15 --format jsonl docs/_archive/debt/AUDIT.md
expect_rc 0 "log --since --until --format jsonl"
[ "$(wc -l <"$tmp/out")" = 2 ] && ok "jsonl has one line per entry in range" || fail "jsonl has one line per entry in range"
run "$AUDITMD" log --repo "$L" docs/_archive/debt/AUDIT.md
expect_rc 0 "log as Markdown"
expect_out "## 2026-01-15 — " "md entry per revision"
expect_out "### Regressed" "md regressed section"
expect_out "- **F-" "md lists findings"
run "$AUDITMD" log --repo "$L" --format text docs/_archive/debt/AUDIT.md
expect_rc 0 "log --format text"
expect_out "DEBT AUDIT: docs/_archive/debt/AUDIT.md, 5 revisions" "text: the heading names the file and the revisions"
expect_out "2 findings: 1 open, 1 closed; 1 resolved, 0 new, 0 regressed, 1 removed" "text: the newest revision's counts"
expect_out "  Regressed" "text: a regressed group"
grep -q '^    F-[0-9a-f]*   Alpha in `a.py:1`  \[resolved → open\]' "$tmp/out" && ok "text: the regressed finding with its status change" ||
  fail "text: the regressed finding with its status change" "$(grep -a Alpha "$tmp/out")"
[ "$(grep -c '^20[0-9-]* [0-9a-f]\{10\}  ' "$tmp/out")" = 5 ] && ok "text: one entry per revision" || fail "text: one entry per revision"
head -3 "$tmp/out" | grep -q "^2026-01-16 " && ok "text: newest first" || fail "text: newest first"
# Two findings arrive: one open, one already done. The log tells them apart.
printf -- '- [ ] Epsilon\n- [x] Zeta, fixed as it was found\n' >>"$L/docs/_archive/debt/AUDIT.md"; commit 2026-01-17 "epsilon and zeta"
run "$AUDITMD" log --repo "$L" --format json docs/_archive/debt/AUDIT.md
expect_jq '.entries[-1] | [.summary.new, .summary.new_closed]' '[2,1]' "log json: two new findings, one already closed"
expect_jq '[.entries[-1].changes[] | select(.kind == "new") | [.new.title, .arrived]]' \
  '[["Epsilon","open"],["Zeta, fixed as it was found","closed"]]' "log json: each new finding says how it arrived"
expect_jq '[.entries[] | .changes[] | select(.kind != "new") | has("arrived")] | any' 'false' "log json: only new findings have arrived"
run "$AUDITMD" log --repo "$L" --format text docs/_archive/debt/AUDIT.md
expect_out "3 findings: 2 open, 1 closed" "log text: the totals"
expect_out "0 resolved, 2 new (1 already closed), 0 regressed, 0 removed" "log text: the new ones counted apart"
grep -q 'Zeta, fixed as it was found  \[already resolved\]' "$tmp/out" && grep -q 'Epsilon  \[open\]' "$tmp/out" &&
  ok "log text: the finding that arrives resolved is marked" || fail "log text: the finding that arrives resolved is marked" "$(grep -a -e Zeta -e Epsilon "$tmp/out")"
run "$AUDITMD" log --repo "$L" --format md docs/_archive/debt/AUDIT.md
expect_out "0 resolved, 2 new (1 already closed), 0 regressed, 0 removed." "log md: the new ones counted apart"
expect_out "Zeta, fixed as it was found — *already resolved when it appeared*" "log md: the finding that arrives resolved is marked"
grep -q "Epsilon — \*already" "$tmp/out" && fail "log md: the new open finding is not marked" || ok "log md: the new open finding is not marked"
run "$AUDITMD" log --repo "$L" --format html docs/_archive/debt/AUDIT.md
expect_out '<span class="title">Zeta, fixed as it was found</span> <span class="badge resolved">already resolved</span>' "log html: the finding that arrives resolved is marked"
expect_out "2 new (1 already closed)" "log html: the new ones counted apart"

# --- the default format: text on a terminal, else the command's own -----------------
# (json for compile, diff and verify; text for lint; md for log); -o FILE is
# no terminal. The terminal is a pseudo-terminal from script(1).
# on_terminal CMD...: CMD's output as a terminal shows it, in $tmp/out.
on_terminal() {
  NO_COLOR=1 script -qec "$(printf '%q ' "$@")" /dev/null </dev/null | tr -d '\r' >"$tmp/out"
}
LA=docs/_archive/debt/AUDIT.md
for c in "compile {" "diff {" "verify {" "lint : warning: [" "log # Changelog: "; do
  cmd=${c%% *} want=${c#* }
  case $cmd in
    compile) args=(compile "$L/$LA") ;;
    diff) args=(diff --repo "$L" "HEAD~1:$LA" "HEAD:$LA") ;;
    verify) args=(verify --repo "$L" "HEAD:$LA") ;;
    lint) args=(lint --fail-on none "$L/$LA") ;;
    log) args=(log --repo "$L" "$LA") ;;
  esac
  (cd "$L" && "$AUDITMD" "${args[@]}" >"$tmp/out" 2>"$tmp/err"); rc=$?
  [ "$rc" -le 1 ] && grep -qF -- "$want" <(head -1 "$tmp/out") && ok "$cmd in a pipe: its own format ($want...)" ||
    fail "$cmd in a pipe: its own format ($want...)" "exit $rc: $(head -2 "$tmp/out")"
  if command -v script >/dev/null; then
    (cd "$L" && on_terminal "$AUDITMD" "${args[@]}")
    ! grep -q '^{\|^#' "$tmp/out" && [ -s "$tmp/out" ] && ok "$cmd on a terminal: text" ||
      fail "$cmd on a terminal: text" "$(head -3 "$tmp/out")"
    (cd "$L" && on_terminal "$AUDITMD" "${args[@]}" -o "$tmp/file")
    grep -qF -- "$want" <(head -1 "$tmp/file") && ok "$cmd -o FILE on a terminal: its own format" ||
      fail "$cmd -o FILE on a terminal: its own format" "$(head -2 "$tmp/file")"
  else
    echo "# SKIP $cmd on a terminal: script(1) is not installed"
  fi
done

run "$AUDITMD" log --repo "$L" docs/nope.md
expect_rc 3 "log of a file never in history"
expect_err "docs/nope.md: not in the history of HEAD" "missing history named"
run "$AUDITMD" log --repo "$tmp/proj" a.md
expect_rc 4 "log outside a repository"
run "$AUDITMD" log --since yesterday x.md
expect_rc 2 "log with a bad date"

# --- revisions over --max-size: refused from the object header, never loaded ---------
# A 200 MB audit in git (a few hundred KB packed): REV:PATH for every command
# and log refuse it without inflating it.
HG=$tmp/hugerepo
git -C "$tmp" init -q -b main hugerepo
yes 'a' | head -c 200000000 >"$HG/huge.md"
git -C "$HG" add huge.md && GIT_AUTHOR_DATE=2026-01-15T12:00:00Z GIT_COMMITTER_DATE=2026-01-15T12:00:00Z \
  git -C "$HG" -c user.name=A -c user.email=a@example.org commit -qm huge
rm "$HG/huge.md"
if [ -x /usr/bin/time ]; then
  bounded 3 "compile REV:PATH over --max-size" 40000 "$AUDITMD" compile --repo "$HG" --max-size 1K HEAD:huge.md
  expect_err "HEAD:huge.md: 200000000 bytes is over the size limit of 1024 bytes" "compile REV:PATH: the size named"
  bounded 3 "diff REV:PATH over --max-size" 40000 "$AUDITMD" diff --repo "$HG" --max-size 1K HEAD:huge.md HEAD:huge.md
  bounded 3 "lint REV:PATH over --max-size" 40000 "$AUDITMD" lint --repo "$HG" --max-size 1K HEAD:huge.md
  bounded 3 "verify REV:PATH over --max-size" 40000 "$AUDITMD" verify --repo "$HG" --max-size 1K HEAD:huge.md
  bounded 3 "log of a revision over --max-size" 40000 "$AUDITMD" log --repo "$HG" --max-size 1K huge.md
  expect_err ":huge.md: 200000000 bytes is over the size limit of 1024 bytes" "log: the revision and the size named"
else
  echo "# SKIP revisions over --max-size: /usr/bin/time not installed"
fi

# --- render ------------------------------------------------------------------------
mkdir -p "$tmp/tpl"
printf 'Hi {{name}}!{{#items}}\r\n- {{.}}{{/items}}\n{{> part}}{{{name}}}' >"$tmp/tpl/t.mustache"
printf '[{{name}}]' >"$tmp/tpl/part.mustache"
echo '{"name":"<b>&","items":[1,2]}' >"$tmp/data.json"
run "$AUDITMD" render --data "$tmp/data.json" "$tmp/tpl/t.mustache"
expect_rc 0 "render a template"
printf 'Hi &lt;b&gt;&amp;!\r\n- 1\r\n- 2\n[&lt;b&gt;&amp;]<b>&' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" && ok "render writes the bytes exactly, escaped, CRLF kept" || fail "render writes the bytes exactly, escaped, CRLF kept"
printf '{{#findings}}{{id}} {{status}}\n{{/findings}}' >"$tmp/tpl/list.mustache"
"$AUDITMD" compile "$DATA/security.md" | "$AUDITMD" render "$tmp/tpl/list.mustache" >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 0 "compile JSON piped into render"
expect_out "H-01 wontfix" "render reads the model"
printf '{{#a}}x' >"$tmp/bad.mustache"
run "$AUDITMD" render --data "$tmp/data.json" "$tmp/bad.mustache"
expect_rc 3 "unclosed section"
expect_err "auditmd: error: $tmp/bad.mustache:1:1: unclosed section 'a'" "template error names file, line and column"
echo '{"a": [1,' >"$tmp/bad.json"
run "$AUDITMD" render --data "$tmp/bad.json" "$tmp/tpl/t.mustache"
expect_rc 3 "data that is not JSON"
expect_err "bad.json:2:0:" "data error names the position"
printf '{{> ../../etc/passwd}}' >"$tmp/tpl/escape.mustache"
run "$AUDITMD" render --data "$tmp/data.json" "$tmp/tpl/escape.mustache"
expect_rc 0 "a partial name leaving the directory renders empty"
expect_no_out "nothing read outside the partials directory"

# Templates whose nested sections multiply: the work limit stops them at once,
# with the position; output is streamed, so memory stays small; the output
# limit stops one that writes too much; a failed render leaves no file.
echo '{"a": [1, 2]}' >"$tmp/two.json"
python3 -c "import sys; sys.stdout.write('{{#a}}' * 28 + '{{/a}}' * 28)" >"$tmp/deep28.mustache"
run guard 30 "$AUDITMD" render --data "$tmp/two.json" "$tmp/deep28.mustache"
expect_rc 3 "sections nested 28 deep over two elements"
expect_err "auditmd: error: $tmp/deep28.mustache:1:157: over the work limit (100000000 steps more than the bytes written)" "the work limit, with the position"
expect_err_lines 1 "the work limit: one line"
if [ -x /usr/bin/time ]; then
  python3 -c "import sys; sys.stdout.write('{{#a}}' * 23 + 'xxxxxxxxxxxxxxxx' + '{{/a}}' * 23)" >"$tmp/body23.mustache"
  bounded 0 "134 MB of output streamed" 40000 "$AUDITMD" render --data "$tmp/two.json" -o /dev/null "$tmp/body23.mustache"
  python3 -c "import sys; sys.stdout.write('{{#a}}' * 40 + '\n' + 'x' * 100 + '{{/a}}' * 40)" >"$tmp/huge.mustache"
  echo previous >"$tmp/rendered.txt"
  bounded 3 "a render over the output limit" 40000 "$AUDITMD" render --data "$tmp/two.json" -o "$tmp/rendered.txt" "$tmp/huge.mustache"
  expect_err "auditmd: error: $tmp/huge.mustache:2:1: over the output limit of 1073741824 bytes" "the output limit, with the position"
  [ "$(cat "$tmp/rendered.txt")" = previous ] && ok "a failed render keeps the previous file" || fail "a failed render keeps the previous file"
  ls -a "$tmp" | grep -q '^\.rendered\.txt\.' && fail "a failed render leaves no temporary file" || ok "a failed render leaves no temporary file"
fi
python3 -c "import sys; sys.stdout.write('{{#findings}}' * 20 + '{{/findings}}' * 20)" >"$tmp/tenfold.mustache"
run guard 30 "$AUDITMD" compile --format html --template "$tmp/tenfold.mustache" -o "$tmp/never.html" "$DATA/todo.md"
expect_rc 3 "compile --template with multiplying sections"
expect_err "auditmd: error: $tmp/tenfold.mustache:1:" "compile --template: the template's position"
expect_err "over the work limit" "compile --template: the work limit"
[ ! -e "$tmp/never.html" ] && ok "compile --template over the limit: no output file" || fail "compile --template over the limit: no output file"

# --- usage ------------------------------------------------------------------------
# No option takes an empty value: one line naming the option, exit 2.
for args in "-o|" "--output=|" "--config|" "--repo|" "--template|" "--template-dir|" "--link-base|" "--max-size|"; do
  IFS='|' read -r opt val <<<"$args"
  if [ "${opt%=}" != "$opt" ]; then run "$AUDITMD" compile "$opt" "$DATA/todo.md"
  else run "$AUDITMD" compile "$opt" "" "$DATA/todo.md"; fi
  expect_rc 2 "compile $opt ''"
  expect_err_lines 1 "compile $opt '': one error line"
done
expect_err "auditmd: error: compile: option '--max-size' needs a value, not an empty string" "the empty option named"
run "$AUDITMD" compile -o "" "$DATA/todo.md"
expect_err "auditmd: error: compile: option '-o' needs a value, not an empty string" "-o '' named"
for cmd in "diff $OLD $NEW" "verify $OLD" "lint $OLD" "log x.md" "render x.mustache"; do
  run "$AUDITMD" $cmd -o ""
  expect_rc 2 "${cmd%% *} -o ''"
done
run "$AUDITMD" compile
expect_rc 2 "compile without AUDIT"
# One rule for the operands of every command, from its table.
for c in "compile exactly one AUDIT" "verify exactly one AUDIT" "lint exactly one AUDIT" \
         "log exactly one PATH" "render exactly one TEMPLATE" "diff OLD and NEW"; do
  run "$AUDITMD" ${c%% *} a b c
  expect_rc 2 "${c%% *} with three operands"
  expect_err "auditmd: error: ${c%% *} takes ${c#* } (see 'auditmd ${c%% *} --help')" "${c%% *}: the operands it takes"
done
# An option's value is checked as it is read, before the operands.
run "$AUDITMD" lint --fail-on sometimes
expect_rc 2 "lint --fail-on sometimes, without AUDIT"
expect_err "auditmd: error: --fail-on: 'sometimes' is not error, warning or none" "the bad value first"
run "$AUDITMD" compile --threads 2 "$DATA/todo.md"
expect_err "auditmd: error: --threads: '2' is not 1 or auto" "compile --threads: the choices named"
# --fail-on none: never fail, for diff as for verify and lint.
run "$AUDITMD" diff --fail-on none "$OLD" "$NEW"
expect_rc 0 "diff --fail-on none"
run "$AUDITMD" diff --fail-on new,bogus "$OLD" "$NEW"
expect_err "auditmd: error: --fail-on: unknown kind 'bogus' (regressed, resolved, new, removed, open, closed; or none)" "diff --fail-on: the kinds named"
run "$AUDITMD" compile --format yaml "$DATA/todo.md"
expect_rc 2 "unknown format"
run "$AUDITMD" frobnicate
expect_rc 2 "unknown command"
run "$AUDITMD" compile --help
expect_rc 0 "compile --help"
expect_out "usage: auditmd compile AUDIT" "compile --help text"
run "$AUDITMD" --version
expect_rc 0 "--version"
expect_out "cmark-gfm" "--version names cmark-gfm"
expect_out "libgit2" "--version names libgit2"
expect_out "PCRE2" "--version names PCRE2"
expect_out "Jansson" "--version names Jansson"

finish
