#!/usr/bin/env bash
# Benchmark: `auditmd compile --format json` against `cmark-gfm --to xml` on the
# same generated audit (40,000 findings, about 20 MB), in the same run.
# Prints the median wall time and peak memory of each over RUNS runs, and
# the ratios.
#
#   bench/compile.sh [BUILD_DIR] [FINDINGS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-release}
N=${2:-40000}
RUNS=${3:-5}
command -v cmark-gfm >/dev/null || { echo "needs cmark-gfm (apt-get install cmark-gfm)"; exit 1; }
if [ ! -x "$BUILD/src/cli/auditmd" ]; then
  meson setup "$BUILD" --buildtype=release >/dev/null
fi
ninja -C "$BUILD" >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 bench/gen_audit.py "$N" >"$work/audit.md"
size=$(stat -c %s "$work/audit.md")

# measure NAME CMD...: RUNS runs; median seconds and median peak KiB.
measure() {
  local name=$1; shift
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    # Wall time to the nanosecond (time(1) rounds to 10 ms), peak memory
    # from time(1).
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    t1=$(date +%s%N)
    read -r m <"$work/t"; times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')"); mems+=("$m")
  done
  local mt mm
  mt=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mm=$(printf '%s\n' "${mems[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s %8.4f s %10d KiB\n' "$name" "$mt" "$mm"
  eval "${name//[^a-z]/_}_t=$mt; ${name//[^a-z]/_}_m=$mm"
}

echo "input: $N findings, $size bytes; median of $RUNS runs"
# The anchor named by the target: plain `cmark-gfm --to xml`; and cmark-gfm
# with the extensions auditmd parses with, for reference.
measure "cmark" cmark-gfm --to xml "$work/audit.md"
measure "cmark ext" cmark-gfm -e table -e tasklist --to xml "$work/audit.md"
measure "auditmd" "$BUILD/src/cli/auditmd" compile -q --format json "$work/audit.md"
measure "auditmd one" "$BUILD/src/cli/auditmd" compile -q --threads 1 --format json "$work/audit.md"
awk -v a="$auditmd_t" -v a1="$auditmd_one_t" -v c="$cmark_t" -v ce="$cmark_ext_t" \
    -v am="$auditmd_m" -v cm="$cmark_m" 'BEGIN {
  printf "time   auditmd / cmark-gfm --to xml     = %.2f (target <= 1.00)\n", a / c
  printf "time   auditmd / cmark-gfm -e ... --to xml = %.2f\n", a / ce
  printf "time   auditmd --threads 1 / cmark-gfm  = %.2f\n", a1 / c
  printf "memory auditmd / cmark-gfm --to xml     = %.2f (target <= 1.00)\n", am / cm }'
