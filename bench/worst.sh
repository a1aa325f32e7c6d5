#!/usr/bin/env bash
# The quadratic-looking inputs, at doubling sizes: time must grow with the
# size (the last column, microseconds per KiB, stays flat), not with its
# square. Each case is a shape that has made Markdown tools slow: deep
# nesting, runs of backticks, many code spans or citations on one line,
# huge tables, rows as wide as the limit allows, one enormous line, emphasis
# that never closes.
#
#   bench/worst.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-3}
A=$BUILD/src/cli/auditmd
[ -x "$A" ] || { echo "build first: ninja -C $BUILD" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
secs() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e' -o "$work/t" "$A" "$@" >/dev/null 2>&1 || true
    cat "$work/t"
  done | median
}

gen() { # CASE N: writes the input to stdout
  python3 - "$1" "$2" <<'PY'
import sys
case, n = sys.argv[1], int(sys.argv[2])
w = sys.stdout.write
if case == "backticks":      w("### " + "`" * n + " x\n")
elif case == "code-spans":   w("### 1) " + "`a` " * n + "\n")
elif case == "citations":    w("### 1) T\n- Evidence: " + ", ".join("`f%d.py:%d-%d`" % (i, i + 1, i + 9) for i in range(n)) + "\n")
elif case == "table-rows":
    w("| ID | Finding | Status |\n|---|---|---|\n")
    for i in range(n): w("| T-%d | row %d | Open |\n" % (i, i))
elif case == "wide-rows":    # rows of 128 cells, the limit: cmark-gfm is quadratic in the cells
    w("| ID | Status |\n|---|---|\n" + ("|" * 128 + "\n") * n)
elif case == "one-line":     w("### 1) " + "word " * n + "\n")
elif case == "emphasis":     w("### 1) " + "*a **b " * n + "\n")
elif case == "quotes-lists": w(("> - [ ] item\n" * n))
elif case == "findings":
    for i in range(n): w("### %d) Finding %d\n- Status: Open\n- Evidence: `a%d.py:%d`\n\n" % (i, i, i, i + 1))
PY
}

printf '| case | n | KiB | seconds | µs per KiB |\n|---|---:|---:|---:|---:|\n'
for spec in backticks:25000 code-spans:25000 citations:1000 table-rows:25000 wide-rows:2000 one-line:250000 emphasis:25000 quotes-lists:12500 findings:5000; do
  case=${spec%%:*}; base=${spec#*:}
  for mult in 1 2 4 8; do
    n=$((base * mult))
    gen "$case" "$n" >"$work/in.md"
    kib=$(( $(stat -c %s "$work/in.md") / 1024 ))
    t=$(secs compile -q --max-size 1G "$work/in.md")
    awk -v c="$case" -v n="$n" -v k="$kib" -v t="$t" 'BEGIN {
      printf "| %s | %d | %d | %.3f | %.2f |\n", c, n, k, t, (k ? t * 1e6 / k : 0) }'
  done
done
