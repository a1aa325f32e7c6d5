# Shared helpers of the shell tests: run a command, check its outputs.
# Every check prints "ok N - name" or "not ok N - name"; finish() prints the
# totals and sets the exit status.
n=0
failed=0
# Files the tests write are the user's own, writable by nobody else (a
# .auditmd.json the group can write is not used).
umask 022
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '#   %s\n' "$2"; }

# guard SECONDS CMD...: runs CMD under a hang guard of SECONDS times
# AM_TIME_FACTOR (10 in sanitised builds, set by tests/meson.build). SECONDS
# is at least 10x the command's time in a plain build on an idle machine:
# the guard catches hangs, it never measures speed.
guard() {
  local s=$1; shift
  timeout "$((s * ${AM_TIME_FACTOR:-1}))" "$@"
}

# bounded RC NAME MAXKB COMMAND...: exit code RC, under 20 s and MAXKB of
# memory (times AM_MEM_FACTOR, 4 in sanitised builds); needs /usr/bin/time.
bounded() {
  local want=$1 name=$2 maxkb=$(( $3 * ${AM_MEM_FACTOR:-1} )); shift 3
  /usr/bin/time -f '%M' -o "$tmp/mem" timeout "$((20 * ${AM_TIME_FACTOR:-1}))" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  expect_rc "$want" "$name"
  local kb; kb=$(tail -1 "$tmp/mem")
  [ "${kb:-0}" -le "$maxkb" ] 2>/dev/null && ok "$name: memory bounded (${kb} KB)" || fail "$name: memory bounded" "${kb} KB > ${maxkb} KB"
}

# run CMD...: captures stdout, stderr and the exit code.
run() {
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}

expect_rc() { [ "$rc" = "$1" ] && ok "$2 (exit $1)" || fail "$2 (exit $1)" "got exit $rc; stderr: $(head -c 400 "$tmp/err")"; }
expect_out() { grep -qF -- "$1" "$tmp/out" && ok "$2" || fail "$2" "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$tmp/err" && ok "$2" || fail "$2" "stderr lacks: $1; got: $(head -c 400 "$tmp/err")"; }
expect_no_out() { [ ! -s "$tmp/out" ] && ok "$1" || fail "$1" "stdout not empty"; }
expect_err_lines() { l=$(wc -l <"$tmp/err"); [ "$l" = "$1" ] && ok "$2" || fail "$2" "stderr has $l lines"; }
# expect_jq FILTER EXPECTED NAME: the JSON on stdout gives EXPECTED through jq.
expect_jq() {
  got=$(jq -c "$1" <"$tmp/out" 2>&1)
  [ "$got" = "$2" ] && ok "$3" || fail "$3" "jq '$1' gave $got, want $2"
}

finish() {
  echo "1..$n"
  echo "$((n - failed)) passed, $failed failed"
  [ "$failed" = 0 ]
}
