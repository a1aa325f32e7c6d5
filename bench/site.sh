#!/usr/bin/env bash
# Benchmark: `auditmd site` against `git log -p` over the same audit files,
# in the same run, on a generated repository of AUDITS audits with about
# REVISIONS revisions each (bench/gen_site_repo.py: findings resolved,
# reopened, inserted, retitled, their evidence moved). The target is a site
# in at most twice the anchor's time. Prints the median wall time of each,
# side by side (bench/lib.sh), as anchor, auditmd, ratio and target.
#
#   bench/site.sh [--audits N] [--revisions N] [--findings N] [--seed N]
#                 [--runs N] [--no-cache]
#
# The repository is kept in bench/.cache/ (one directory per set of
# arguments and version of gen_site_repo.py) unless --no-cache. The binary
# is $AUDITMD, or build/src/cli/auditmd of this checkout.
set -euo pipefail
usage() { sed -n '/^#   bench/,/^#  *\[--runs/s/^# \{0,1\}//p' "$0"; exit 2; }
AUDITS=10 REVISIONS=200 FINDINGS=40 SEED=1 RUNS=5 CACHE=1
while [ $# -gt 0 ]; do
  case $1 in
    --audits) AUDITS=$2; shift 2 ;;
    --revisions) REVISIONS=$2; shift 2 ;;
    --findings) FINDINGS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --no-cache) CACHE=0; shift ;;
    *) usage ;;
  esac
done
cd "$(dirname "$0")/.."
for c in git python3; do command -v $c >/dev/null || { echo "needs $c"; exit 1; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. bench/lib.sh
A=$(bench_auditmd "$PWD/build/src/cli/auditmd") || exit 1

if [ "$CACHE" = 1 ]; then
  mkdir -p bench/.cache
  [ -f bench/.cache/.gitignore ] || echo '*' >bench/.cache/.gitignore
  gen=$(sha1sum bench/gen_site_repo.py | cut -c1-10)
  data=$PWD/bench/.cache/site-a$AUDITS-r$REVISIONS-f$FINDINGS-s$SEED-$gen
  find bench/.cache -mindepth 1 -maxdepth 1 -type d -name 'site-a*' ! -name "*-$gen" -exec rm -rf {} +
else
  data=$work/data
fi
if [ ! -s "$data/audits" ]; then
  rm -rf "$data"
  echo "generating $data ..." >&2
  python3 bench/gen_site_repo.py "$data" --audits "$AUDITS" --revisions "$REVISIONS" \
    --findings "$FINDINGS" --seed "$SEED" >"$work/out"
  tail -n +2 "$work/out" >"$data/audits"
fi
repo=$data/repo
mapfile -t audits <"$data/audits"
ncommits=$(git -C "$repo" rev-list --count HEAD)

bench_add anchor /dev/null git -C "$repo" log -p -- "${audits[@]}"
# Written over the site of the round before (its unchanged pages linked),
# and into a directory of its own each round (every page written).
bench_add site /dev/null "$A" site --repo "$repo" -o "$work/site" "${audits[@]}"
mkdir "$work/fresh"
bench_add fresh /dev/null bash -c 'exec "$1" site --repo "$2" -o "$(mktemp -d -u "$3/s.XXXXXX")" "${@:4}"' \
  bash "$A" "$repo" "$work/fresh" "${audits[@]}"
bench_run "$RUNS"
[ "${T[site]}" = n/a ] && { echo "auditmd site failed: ${ERR[site]}"; exit 1; }
npages=$(find "$work/site" -name '*.html' | wc -l)
bytes=$(du -sb "$work/site" | cut -f1)

echo "input: $AUDITS audits of ~$FINDINGS findings, $ncommits commits (~$REVISIONS revisions an audit);"
echo "site: $npages pages, $bytes bytes; medians of $RUNS rounds after a warm-up; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "auditmd: $A"
echo
bench_header s
bench_row "\`auditmd site\` over the site before vs \`git log -p\` over the audits" site anchor "<= 2.00"
bench_row "\`auditmd site\` into a new directory vs \`git log -p\` over the audits" fresh anchor "<= 2.00"
bench_mem_row "peak memory (KiB)" site anchor
