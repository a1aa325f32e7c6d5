#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the plain build,
# then the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the unit tests under valgrind and under ThreadSanitizer. Ends with
# "N passed, N failed".
#
#   scripts/test.sh              # uses ../shared next to the checkout if present
#   AUDITMD_SHARED_DIR=DIR scripts/test.sh
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
am_install_deps strace python3 python3-jsonschema python3-yaml pre-commit zsh chromium || { echo "could not install the dependencies"; exit 1; }

shared=${AUDITMD_SHARED_DIR:-}
if [ -z "$shared" ] && [ -d ../shared ]; then shared=$(cd ../shared && pwd); fi
[ -n "$shared" ] || echo "note: no shared folder; the seeds and corpus tests will be skipped" >&2

passed=0; failed=0; skipped=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

# tally LABEL: adds the counts of the last meson test run.
tally() {
  local ok fail skip exp
  ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -1); fail=$(awk '/^Fail:/ {print $2}' "$log" | tail -1)
  skip=$(awk '/^Skipped:/ {print $2}' "$log" | tail -1); exp=$(awk '/^Timeout:/ {print $2}' "$log" | tail -1)
  passed=$((passed + ${ok:-0})); failed=$((failed + ${fail:-0} + ${exp:-0})); skipped=$((skipped + ${skip:-0}))
  echo "== $1: ${ok:-0} ok, ${fail:-0} failed, ${skip:-0} skipped"
}

# suite NAME BUILDDIR MESON_OPTIONS... -- TEST_OPTIONS...
suite() {
  local name=$1 dir=$2; shift 2
  local setup=() tests=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do setup+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  tests=("$@")
  echo "== $name: building in $dir"
  if [ -d "$dir" ]; then
    meson setup --reconfigure "$dir" -Dshared_dir="$shared" "${setup[@]}" >"$log" 2>&1
  else
    meson setup "$dir" -Dshared_dir="$shared" "${setup[@]}" >"$log" 2>&1
  fi || { cat "$log"; failed=$((failed + 1)); echo "== $name: setup FAILED"; return; }
  if ! ninja -C "$dir" >"$log" 2>&1; then
    cat "$log"; failed=$((failed + 1)); echo "== $name: build FAILED"; return
  fi
  meson test -C "$dir" --print-errorlogs "${tests[@]}" 2>&1 | tee "$log" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped):'
  tally "$name"
}

suite "plain" build
# Leaks inside third-party libraries are listed, with reasons, in tests/lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
suite "asan+ubsan" build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
suite "valgrind" build -- --setup=valgrind --suite unit
# The library's threads (a large audit's parts, a log's lanes, a site's
# pages, long JSON arrays) under ThreadSanitizer: a data race fails the test.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
suite "tsan" build-tsan -Db_sanitize=thread -Dbuildtype=debugoptimized -- --suite unit

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
