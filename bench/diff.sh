#!/usr/bin/env bash
# Benchmark: `auditmd diff` of two 40,000-finding revisions (10% renumbered,
# 10% retitled, 5% moved, 20% status changes) against compiling the two
# documents, in the same run; then the scaling from 1k to 40k findings.
#
#   bench/diff.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-release}
RUNS=${2:-5}
if [ ! -x "$BUILD/src/cli/auditmd" ]; then
  meson setup "$BUILD" --buildtype=release >/dev/null
fi
ninja -C "$BUILD" >/dev/null
A=$BUILD/src/cli/auditmd
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# secs CMD...: median wall seconds of RUNS runs.
secs() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$work/t" "$@" >/dev/null 2>/dev/null
    cat "$work/t"
  done | median
}

printf '%8s %12s %12s %8s %10s\n' findings "compile x2" diff ratio "diff/1k"
for n in 1000 5000 10000 20000 40000; do
  python3 bench/gen_audit.py "$n" --revision 1 >"$work/old.md"
  python3 bench/gen_audit.py "$n" --revision 2 >"$work/new.md"
  c1=$(secs "$A" compile -q "$work/old.md")
  c2=$(secs "$A" compile -q "$work/new.md")
  d=$(secs "$A" diff -q --format json "$work/old.md" "$work/new.md")
  awk -v n="$n" -v c="$c1" -v c2="$c2" -v d="$d" 'BEGIN {
    printf "%8d %10.3f s %10.3f s %8.2f %10.4f\n", n, c + c2, d, d / (c + c2), d / (n / 1000) }'
done
echo "target: diff <= 1.5 x compiling both documents; near-linear scaling (flat diff/1k)"
"$A" diff -q --format json "$work/old.md" "$work/new.md" | jq -c '.summary'

# Rendering the HTML report against the diff itself, at 40k findings.
j=$(secs "$A" diff -q --format json "$work/old.md" "$work/new.md")
h=$(secs "$A" diff -q --format html "$work/old.md" "$work/new.md")
m=$(secs "$A" diff -q --format md "$work/old.md" "$work/new.md")
awk -v j="$j" -v h="$h" -v m="$m" 'BEGIN {
  printf "\n| 40k vs 40k | median s |\n|---|---:|\n| diff --format json | %.3f |\n| diff --format html | %.3f |\n| diff --format md | %.3f |\n", j, h, m
  printf "rendering html costs %.3f s over json: %.2f x the diff (target < 1)\n", h - j, (h - j) / j }'
