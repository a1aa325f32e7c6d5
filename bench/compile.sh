#!/usr/bin/env bash
# Benchmark: `auditmd compile --format json` against `cmark-gfm --to xml` on the
# same generated audit (40,000 findings, about 18 MB), in the same run.
# Prints a Markdown table of the median wall time and peak memory of each
# over RUNS side-by-side runs (bench/lib.sh), the anchor's, the ratios and
# the targets.
#
#   bench/compile.sh [BUILD_DIR] [FINDINGS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-release}
N=${2:-40000}
# Eleven runs by default: on a busy host the median of five moves by more
# than the distance to the targets.
RUNS=${3:-11}
command -v cmark-gfm >/dev/null || { echo "needs cmark-gfm (apt-get install cmark-gfm)"; exit 1; }
if [ ! -x "$BUILD/src/cli/auditmd" ]; then
  meson setup "$BUILD" --buildtype=release >/dev/null
fi
ninja -C "$BUILD" >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. bench/lib.sh
python3 bench/gen_audit.py "$N" >"$work/audit.md"
size=$(stat -c %s "$work/audit.md")

# The anchor named by the targets: plain `cmark-gfm --to xml`; and cmark-gfm
# with the extensions auditmd parses with, for reference.
bench_add cmark /dev/null cmark-gfm --to xml "$work/audit.md"
bench_add cmark_ext /dev/null cmark-gfm -e table -e tasklist --to xml "$work/audit.md"
bench_add auditmd /dev/null "$BUILD/src/cli/auditmd" compile -q --format json "$work/audit.md"
bench_add auditmd_one /dev/null "$BUILD/src/cli/auditmd" compile -q --threads 1 --format json "$work/audit.md"
bench_run "$RUNS"

echo "input: $N findings, $size bytes; median of $RUNS side-by-side runs after one warm-up"
echo
bench_header "s or KiB"
bench_row "time: \`auditmd compile --format json\` vs \`cmark-gfm --to xml\`" auditmd cmark "<= 0.70"
bench_row "time: the same vs \`cmark-gfm -e table -e tasklist --to xml\` (reference)" auditmd cmark_ext
bench_row "time: \`auditmd compile --threads 1\` vs \`cmark-gfm --to xml\` (reference)" auditmd_one cmark
bench_mem_row "peak memory: \`auditmd compile --format json\` vs \`cmark-gfm --to xml\`" auditmd cmark "<= 0.50"
bench_mem_row "peak memory: \`auditmd compile --threads 1\` vs \`cmark-gfm --to xml\` (reference)" auditmd_one cmark
for key in "${!ERR[@]}"; do echo "$key: ${ERR[$key]}"; done
