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
  timeout 20 "$AUDITMD" compile -q "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" != 0 ] || ! jq -e '.schema == "auditmd/1"' "$tmp/out" >/dev/null 2>&1; then
    bad=$((bad + 1))
    echo "# $f: exit $rc: $(head -c 300 "$tmp/err")"
  fi
done < <(find "$C" -name '*.md' -print0 | sort -z)
[ "$bad" = 0 ] && ok "all $total corpus revisions compile" || fail "all $total corpus revisions compile" "$bad failed"

# Spot checks, counted by reading the documents (see docs/dialects.md).
. "$(dirname "$0")/corpus_spot.sh"

finish
