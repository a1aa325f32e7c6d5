#!/usr/bin/env bash
# Benchmark: `auditmd verify` against git doing the same reading, in the same
# run, on a generated repository (10,000 files of about 200 lines, two
# commits, 1,000 files changed between them) and an audit of its first
# commit with 100,000 evidence citations (bench/gen_repo.py): verify at
# commit 1 against `git cat-file --batch` of the cited blobs, the drift
# check from commit 1 to commit 2 against cat-file of them at commit 2 plus
# `git diff -M -U0` of the two commits; and `auditmd check` on the same
# change as a pull request (commit 1 with the audit committed as
# docs/AUDIT.md as its base, commit 2's tree with the same audit as its head,
# and again with the audit resolving 100 findings; made here with git
# plumbing and fixed dates) against verify's drift check. Prints a Markdown
# table of median wall times (RUNS side-by-side runs after one warm-up,
# bench/lib.sh), the anchor's, the ratio and the target.
#
#   bench/verify.sh [--files N] [--citations N] [--lines N] [--changed N]
#                   [--seed N] [--runs N] [--no-cache]
#
# The repository and audit are kept in bench/.cache/ (one directory per set of
# arguments and version of gen_repo.py) unless --no-cache, which builds them
# in a temporary directory. The binary is $AUDITMD, or build/src/cli/auditmd
# of this checkout. A verify that fails (exit 2 or more) gives "n/a" and its
# error; exit 1 (citations that do not hold) is a result, and is timed.
#
# Output goes to /dev/null by redirection, not `-o /dev/null`: the same cost
# (auditmd writes a device in place), and safe with builds before b830f53,
# whose -o renamed a temporary file over its target, which for /dev/null (as
# root) replaces the device with a regular file.
set -euo pipefail
usage() { sed -n '/^#   bench/,/^#  *\[--seed/s/^# \{0,1\}//p' "$0"; exit 2; }
# Eleven runs by default, as bench/compile.sh.
FILES=10000 CITATIONS=100000 LINES=200 CHANGED=1000 SEED=1 RUNS=11 CACHE=1
while [ $# -gt 0 ]; do
  case $1 in
    --files) FILES=$2; shift 2 ;;
    --citations) CITATIONS=$2; shift 2 ;;
    --lines) LINES=$2; shift 2 ;;
    --changed) CHANGED=$2; shift 2 ;;
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

# The repository and audit: reuse the cache when it is complete (ids written).
if [ "$CACHE" = 1 ]; then
  mkdir -p bench/.cache
  [ -f bench/.cache/.gitignore ] || echo '*' >bench/.cache/.gitignore
  gen=$(sha1sum bench/gen_repo.py | cut -c1-10)
  data=$PWD/bench/.cache/f$FILES-l$LINES-c$CITATIONS-ch$CHANGED-s$SEED-$gen
  # Data from other versions of gen_repo.py is of no more use.
  find bench/.cache -mindepth 1 -maxdepth 1 -type d -name 'f*-l*-c*-ch*-s*-*' ! -name "*-$gen" \
    -exec rm -rf {} +
else
  data=$work/data
fi
if [ ! -s "$data/ids" ]; then
  rm -rf "$data"
  echo "generating $data ..." >&2
  python3 bench/gen_repo.py "$data" --files "$FILES" --lines "$LINES" --citations "$CITATIONS" \
    --changed "$CHANGED" --seed "$SEED" >"$work/ids"
  mv "$work/ids" "$data/ids"
fi
{ read -r C1; read -r C2; } <"$data/ids"
repo=$data/repo audit=$data/audit.md
# One `<commit1>:<path>` line per distinct cited file, for the anchor.
grep -oE '`[^`:]+:[0-9]+(-[0-9]+)?`' "$audit" | sed -E 's/^`([^`:]+):.*/\1/' | sort -u |
  sed "s|^|$C1:|" >"$work/blobs"
nblobs=$(wc -l <"$work/blobs")
ncites=$(grep -oE '`[^`:]+:[0-9]+(-[0-9]+)?`' "$audit" | wc -l)

# The second anchor: what git does for the drift check, reading the cited
# files at commit 2 and diffing the two commits with renames.
sed "s|^$C1:|$C2:|" "$work/blobs" >"$work/blobs2"
V1=("$A" verify "$audit" --repo "$repo" --rev "$C1" --as-of none --format json)
V2=("$A" verify "$audit" --repo "$repo" --rev "$C2" --as-of "$C1" --format json)
bench_add anchor "$work/blobs" git -C "$repo" cat-file --batch
bench_add anchor2 "$work/blobs2" git -C "$repo" cat-file --batch
bench_add anchor2 /dev/null git -C "$repo" diff -M -U0 "$C1" "$C2"
bench_add compile /dev/null "$A" compile -q --format json "$audit"
bench_add verify1 /dev/null "${V1[@]}"
bench_add verify2 /dev/null "${V2[@]}"

# The pull request: commit TREE + the audit BLOB as docs/AUDIT.md, on PARENT.
pr_commit() {
  GIT_INDEX_FILE=$work/index git -C "$repo" read-tree "$1" &&
    GIT_INDEX_FILE=$work/index git -C "$repo" update-index --add --cacheinfo "100644,$2,docs/AUDIT.md" &&
    GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=Bench \
      GIT_COMMITTER_EMAIL=bench@example.invalid GIT_AUTHOR_DATE=$4 GIT_COMMITTER_DATE=$4 \
      git -C "$repo" commit-tree "$(GIT_INDEX_FILE=$work/index git -C "$repo" write-tree)" -p "$3" -m "$5"
}
audit_blob=$(git -C "$repo" hash-object -w "$audit")
resolved_blob=$(awk '/^- Status: Open$/ && n < 100 { print "- Status: Resolved"; n++; next } { print }' "$audit" |
  git -C "$repo" hash-object -w --stdin)
B=$(pr_commit "$C1" "$audit_blob" "$C1" 2026-01-15T11:00:00Z "the audit")
H=$(pr_commit "$C2" "$audit_blob" "$B" 2026-02-01T11:00:00Z "the change")
H2=$(pr_commit "$C2" "$resolved_blob" "$B" 2026-02-01T11:00:00Z "the change, 100 findings resolved")
echo '{"audits": ["docs/AUDIT.md"]}' >"$work/audits.json"
K1=("$A" check --repo "$repo" --config "$work/audits.json" --base "$B" --head "$H" --format json)
K2=("$A" check --repo "$repo" --config "$work/audits.json" --base "$B" --head "$H2" --format json)
bench_add check1 /dev/null "${K1[@]}"
bench_add check2 /dev/null "${K2[@]}"
bench_run "$RUNS"

echo "input: $FILES files of ~$LINES lines, $ncites citations of $nblobs files in $(stat -c %s "$audit") bytes;"
echo "commit 1 ${C1:0:12} (audited), commit 2 ${C2:0:12} ($CHANGED files changed); median of $RUNS side-by-side runs after one warm-up"
echo "auditmd: $A"
echo
bench_header s
bench_row "\`auditmd compile\` vs \`git cat-file --batch\` ($nblobs blobs by path at commit 1) (reference)" compile anchor
bench_row "\`auditmd verify --rev C1 --as-of none\` (compile included) vs the same cat-file" verify1 anchor "<= 0.75"
bench_row "\`auditmd verify --rev C2 --as-of C1\` ($CHANGED files changed) vs cat-file at commit 2 + \`git diff -M -U0 C1 C2\`" verify2 anchor2 "<= 1.00"
bench_row "\`auditmd check\` (the same change, the audit unchanged) vs that verify" check1 verify2 "<= 1.00"
bench_row "\`auditmd check\` (the same change, 100 findings resolved) vs that verify" check2 verify2 "<= 1.00"
echo
# Each verify once more, for what it found.
for k in verify1 verify2 check1 check2; do
  if [ "${T[$k]}" = n/a ]; then
    echo "$k: ${ERR[$k]}"
    continue
  fi
  case $k in
    verify1) cmd=("${V1[@]}") ;;
    verify2) cmd=("${V2[@]}") ;;
    check1) cmd=("${K1[@]}") ;;
    check2) cmd=("${K2[@]}") ;;
  esac
  rc=0
  "${cmd[@]}" </dev/null >"$work/$k.out" 2>/dev/null || rc=$?
  [ "$rc" = 1 ] && echo "$k: exit 1 (some citations do not hold)"
  if command -v jq >/dev/null; then
    echo "$k: $(jq -c '.summary // (keys)' "$work/$k.out" 2>/dev/null || echo 'output is not JSON')"
  fi
done
