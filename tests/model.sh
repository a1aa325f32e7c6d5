#!/usr/bin/env bash
# Finding models checked against reviewed expectations: every EXPECT_DIR/X.jsonl
# (any depth) is the model of SOURCE_DIR/X.md, one finding a line as
# tests/model.jq projects it, written by scripts/model-golden.sh and read
# against the audit by a person before it was committed.
#
#   model.sh AUDITMD EXPECT_DIR SOURCE_DIR    (SOURCE_DIR empty: skipped, exit 77)
set -u
AUDITMD=$1
EXPECT=$2
SOURCE=${3:-}
if [ -z "$SOURCE" ] || [ ! -d "$SOURCE" ]; then
  echo "SKIP: $EXPECT needs its audits (-Dshared_dir=DIR for the corpus; not set)" >&2
  exit 77
fi
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (scripts/test.sh installs it)"; exit 1; }
JQ=$(dirname "$0")/model.jq

count=0
while IFS= read -r -d '' want; do
  rel=${want#"$EXPECT"/}
  md=$SOURCE/${rel%.jsonl}.md
  count=$((count + 1))
  if [ ! -f "$md" ]; then
    fail "$rel: its audit $md is missing"
    continue
  fi
  if ! guard 20 "$AUDITMD" compile -q "$md" >"$tmp/model.json" 2>"$tmp/err"; then
    fail "$rel: compiles" "$(head -c 300 "$tmp/err")"
    continue
  fi
  jq -c -f "$JQ" "$tmp/model.json" >"$tmp/got.jsonl"
  if cmp -s "$want" "$tmp/got.jsonl"; then
    ok "$rel: $(wc -l <"$want") findings as reviewed"
  else
    fail "$rel: the model differs from the reviewed one" "$(diff "$want" "$tmp/got.jsonl" | head -20)"
  fi
done < <(find "$EXPECT" -name '*.jsonl' -print0 | sort -z)
[ "$count" -gt 0 ] || fail "no expectations in $EXPECT"
finish
