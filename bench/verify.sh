#!/usr/bin/env bash
# Benchmark: `auditmd verify` against `git cat-file --batch` reading the same
# cited blobs, in the same run, on a generated repository (10,000 files of
# about 200 lines, two commits, 1,000 files changed between them) and an
# audit of its first commit with 100,000 evidence citations (bench/gen_repo.py);
# and `auditmd check` on the same change as a pull request: commit 1 with the
# audit committed (docs/AUDIT.md) as its base, commit 2's tree with the same
# audit as its head, and again with the audit editing 100 findings to
# resolved (made here with git plumbing and fixed dates).
# Prints a Markdown table of median wall times, the ratio of each to the
# cat-file anchor, and the median CPU time (user + system): on a shared
# machine under load the wall times of two commands measured a minute apart
# are not comparable, their CPU times are. Uses hyperfine when it is
# installed (its mean user and system times), otherwise RUNS timed runs after
# one warm-up.
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
FILES=10000 CITATIONS=100000 LINES=200 CHANGED=1000 SEED=1 RUNS=5 CACHE=1
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
# $AUDITMD as given (relative to where we were started, or on PATH), else the
# build of this checkout.
if [ -n "${AUDITMD:-}" ]; then
  case $AUDITMD in
    */*) A=$(cd "$(dirname "$AUDITMD")" && pwd)/$(basename "$AUDITMD") ;;
    *) A=$(command -v "$AUDITMD" || echo "$AUDITMD") ;;
  esac
fi
cd "$(dirname "$0")/.."
A=${A:-$PWD/build/src/cli/auditmd}
[ -x "$A" ] || { echo "no auditmd at $A (build it, or set AUDITMD)"; exit 1; }
for c in git python3; do command -v $c >/dev/null || { echo "needs $c"; exit 1; }; done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

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

if command -v hyperfine >/dev/null; then
  tool="hyperfine ($(hyperfine --version | cut -d' ' -f2)), $RUNS runs after 1 warm-up"
else
  tool="bash time, $RUNS runs after 1 warm-up"
fi
declare -A T CPU RC  # median wall and CPU seconds (or n/a) and exit status, by key
# measure KEY INPUT CMD...: median wall seconds of CMD <INPUT >/dev/null into
# T[KEY], its CPU seconds (user + system) into CPU[KEY]; any exit status
# below 2 counts as a run.
measure() {
  local key=$1 in=$2; shift 2
  local t c
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --runs "$RUNS" --warmup 1 -i --export-json "$work/$key.json" \
      "$(printf '%q ' "$@") <$(printf '%q' "$in") >/dev/null 2>&1" >/dev/null 2>"$work/$key.hf" || true
    read -r t c < <(python3 -c 'import json,sys; r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (r["median"], r["user"] + r["system"]))' "$work/$key.json" 2>/dev/null) ||
      { cat "$work/$key.hf" >&2; t=n/a c=n/a; }
  else
    local TIMEFORMAT='%3R %3U %3S'
    { time "$@" <"$in" >/dev/null 2>&1 || true; } 2>/dev/null
    for _ in $(seq "$RUNS"); do
      { time "$@" <"$in" >/dev/null 2>&1 || [ $? -lt 2 ]; } 2>>"$work/$key.times"
    done
    t=$(awk '{print $1}' "$work/$key.times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    c=$(awk '{print $2 + $3}' "$work/$key.times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  fi
  T[$key]=$t CPU[$key]=$c
}
# check KEY CMD...: run CMD once; its exit status into RC[KEY], its output in
# $work/KEY.out and .err. Returns 1 when it failed (status 2 or more).
check() {
  local key=$1; shift
  local rc=0
  "$@" </dev/null >"$work/$key.out" 2>"$work/$key.err" || rc=$?
  RC[$key]=$rc
  [ "$rc" -lt 2 ]
}

measure anchor "$work/blobs" git -C "$repo" cat-file --batch
check compile "$A" compile -q --format json "$audit" || { cat "$work/compile.err"; exit 1; }
measure compile /dev/null "$A" compile -q --format json "$audit"
V1=("$A" verify "$audit" --repo "$repo" --rev "$C1" --as-of none --format json)
V2=("$A" verify "$audit" --repo "$repo" --rev "$C2" --as-of "$C1" --format json)
if check verify1 "${V1[@]}"; then measure verify1 /dev/null "${V1[@]}"; else T[verify1]=n/a CPU[verify1]=n/a; fi
if check verify2 "${V2[@]}"; then measure verify2 /dev/null "${V2[@]}"; else T[verify2]=n/a CPU[verify2]=n/a; fi

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
if check check1 "${K1[@]}"; then measure check1 /dev/null "${K1[@]}"; else T[check1]=n/a CPU[check1]=n/a; fi
if check check2 "${K2[@]}"; then measure check2 /dev/null "${K2[@]}"; else T[check2]=n/a CPU[check2]=n/a; fi

echo "input: $FILES files of ~$LINES lines, $ncites citations of $nblobs files in $(stat -c %s "$audit") bytes;"
echo "commit 1 ${C1:0:12} (audited), commit 2 ${C2:0:12} ($CHANGED files changed); $tool"
echo "auditmd: $A"
echo
echo "| command | median s | ratio | CPU s |"
echo "|---|---:|---:|---:|"
# row LABEL KEY
row() {
  local t=${T[$2]}
  if [ "$t" = n/a ]; then
    printf '| %s | n/a | n/a | n/a |\n' "$1"
  else
    awk -v l="$1" -v t="$t" -v a="${T[anchor]}" -v c="${CPU[$2]}" 'BEGIN {
      printf "| %s | %.3f | %s | %.3f |\n", l, t, (a > 0 ? sprintf("%.2f", t / a) : "-"), c }'
  fi
}
row "\`git cat-file --batch\` ($nblobs blobs by path at commit 1; anchor)" anchor
row "\`auditmd compile\` (reference)" compile
row "\`auditmd verify --rev C1 --as-of none\` (compile included)" verify1
row "\`auditmd verify --rev C2 --as-of C1\` ($CHANGED files changed)" verify2
row "\`auditmd check\` (the same change, the audit unchanged)" check1
row "\`auditmd check\` (the same change, the audit resolving 100 findings)" check2
echo
for k in verify1 verify2 check1 check2; do
  rc=${RC[$k]}
  if [ "$rc" -ge 2 ]; then
    echo "$k: exit $rc: $(head -c 300 "$work/$k.err" | head -n 3)"
  elif [ "$rc" = 1 ]; then
    echo "$k: exit 1 (some citations do not hold)"
  fi
  if [ "$rc" -lt 2 ] && command -v jq >/dev/null; then
    echo "$k: $(jq -c '.summary // (keys)' "$work/$k.out" 2>/dev/null || echo 'output is not JSON')"
  fi
done
