#!/usr/bin/env bash
# Every revision in the shared corpus compiles without crash or error, and a
# few documents give the counts verified by reading them. Skipped (exit 77)
# without -Dshared_dir.
set -u
AUDITMD=$1
SHARED=${2:-}
if [ -z "$SHARED" ] || [ ! -d "$SHARED/corpus" ]; then
  echo "SKIP: corpus test needs -Dshared_dir=DIR with corpus/ (not set)" >&2
  exit 77
fi
. "$(dirname "$0")/lib.sh"
C=$SHARED/corpus

total=0; bad=0
while IFS= read -r -d '' f; do
  total=$((total + 1))
  guard 20 "$AUDITMD" compile -q "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" != 0 ] || ! jq -e '.schema == "auditmd/1"' "$tmp/out" >/dev/null 2>&1; then
    bad=$((bad + 1))
    echo "# $f: exit $rc: $(head -c 300 "$tmp/err")"
  fi
done < <(find "$C" -name '*.md' -print0 | sort -z)
[ "$bad" = 0 ] && ok "all $total corpus revisions compile" || fail "all $total corpus revisions compile" "$bad failed"

# Every consecutive pair of revisions diffs without error, in the order of
# each folder's _revisions.tsv (newest first there).
pairs=0; badpairs=0
for dir in "$C"/*/*/; do
  tsv=$dir/_revisions.tsv
  [ -f "$tsv" ] || continue
  mapfile -t files < <(awk -F'\t' '{print $2}' "$tsv" | while read -r sha; do ls "$dir"*_"${sha:0:7}".md 2>/dev/null | head -1; done)
  for ((k = ${#files[@]} - 1; k > 0; k--)); do
    old=${files[$k]} new=${files[$((k - 1))]}
    [ -n "$old" ] && [ -n "$new" ] || continue
    pairs=$((pairs + 1))
    if ! guard 20 "$AUDITMD" diff -q "$old" "$new" >"$tmp/out" 2>"$tmp/err" ||
       ! jq -e '.schema == "auditmd-diff/1"' "$tmp/out" >/dev/null 2>&1; then
      badpairs=$((badpairs + 1))
      echo "# diff $old $new: $(head -c 300 "$tmp/err")"
    fi
  done
done
[ "$badpairs" = 0 ] && [ "$pairs" -gt 100 ] && ok "all $pairs consecutive corpus revision pairs diff" || fail "all $pairs consecutive corpus revision pairs diff" "$badpairs failed"

# The anomaly scan: no model feature a reader would call wrong (numeric
# titles, count rows as findings, unknown statuses, sections that are not
# the headings above, status flips of unchanged text) beyond the lines
# scripts/corpus-scan.explained explains.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if python3 "$ROOT/scripts/corpus-scan.py" --auditmd "$AUDITMD" --explained "$ROOT/scripts/corpus-scan.explained" \
     "$C" >"$tmp/scan" 2>&1; then
  ok "corpus scan: $(tail -1 "$tmp/scan")"
else
  fail "corpus scan: anomalies nobody explained" "$(head -20 "$tmp/scan")"
fi

# Spot checks, counted by reading the documents.
. "$(dirname "$0")/corpus_spot.sh"

finish
