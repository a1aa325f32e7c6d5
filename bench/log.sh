#!/usr/bin/env bash
# Benchmark: `auditmd log` against `git log -p -- PATH` (the same history,
# its patches), in the same run, on two histories of a growing audit made by
# bench/gen_history.py: 127 revisions ending near 400 KB and 177 revisions
# ending near 200 KB, with small edits between revisions and commits of
# other files in between. Prints a Markdown table of median wall times, the
# anchor's, the ratio and the target.
#
#   bench/log.sh [BUILD_DIR] [RUNS]
#
# The repositories are kept in bench/.cache/ (one directory per shape and
# version of gen_history.py). The binary is $AUDITMD, else BUILD_DIR's.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-release}
RUNS=${2:-5}
for c in git python3; do command -v $c >/dev/null || { echo "needs $c"; exit 1; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. bench/lib.sh
A=$(bench_auditmd "$PWD/$BUILD/src/cli/auditmd") || exit 1

mkdir -p bench/.cache
[ -f bench/.cache/.gitignore ] || echo '*' >bench/.cache/.gitignore
gen=$(sha1sum bench/gen_history.py bench/gen_audit.py | sha1sum | cut -c1-10)
find bench/.cache -mindepth 1 -maxdepth 1 -type d -name 'history-*' ! -name "*-$gen" -exec rm -rf {} +
SHAPES=("127 400000 1" "177 200000 2") # revisions, final size, seed
for shape in "${SHAPES[@]}"; do
  read -r revs size seed <<<"$shape"
  data=bench/.cache/history-r$revs-s$size-$seed-$gen
  if [ ! -s "$data/last" ]; then
    rm -rf "$data"
    echo "generating $data ..." >&2
    python3 bench/gen_history.py "$data" --revisions "$revs" --final-size "$size" --seed "$seed" >"$work/last"
    mv "$work/last" "$data/last"
  fi
  bench_add "git$revs" /dev/null git -C "$data/repo" log -p -- docs/AUDIT.md
  bench_add "json$revs" /dev/null "$A" log --repo "$data/repo" --format json docs/AUDIT.md
  bench_add "md$revs" /dev/null "$A" log --repo "$data/repo" docs/AUDIT.md
done
bench_run "$RUNS"

echo "auditmd: $A; median of $RUNS side-by-side runs after one warm-up"
echo
bench_header s
for shape in "${SHAPES[@]}"; do
  read -r revs size seed <<<"$shape"
  data=bench/.cache/history-r$revs-s$size-$seed-$gen
  kb=$(( $(git -C "$data/repo" cat-file -s HEAD:docs/AUDIT.md) / 1024 ))
  what="$revs revisions, $kb KiB at the end"
  bench_row "\`auditmd log --format json\` vs \`git log -p -- PATH\` ($what)" "json$revs" "git$revs" "<= 1.50"
  bench_row "\`auditmd log\` (Markdown) vs \`git log -p -- PATH\` ($what)" "md$revs" "git$revs" "<= 1.50"
  bench_mem_row "peak memory (KiB): \`auditmd log --format json\` vs \`git log -p\` ($what)" "json$revs" "git$revs"
done
for key in "${!ERR[@]}"; do echo "$key: ${ERR[$key]}"; done
