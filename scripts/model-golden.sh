#!/usr/bin/env bash
# Writes the reviewed-model files that tests/model.sh compares: for each
# AUDIT.md given, EXPECT_DIR/<its path under SOURCE_DIR, .jsonl>. Read every
# line against the audit before committing: the file says what a person
# found in the document, not what auditmd printed.
#
#   scripts/model-golden.sh EXPECT_DIR SOURCE_DIR AUDIT.md...
#   scripts/model-golden.sh tests/data/recognition tests/data/recognition tests/data/recognition/*.md
set -euo pipefail
cd "$(dirname "$0")/.."
A=${AUDITMD:-build/src/cli/auditmd}
EXPECT=$1 SOURCE=$2
shift 2
for md in "$@"; do
  rel=${md#"$SOURCE"/}
  out=$EXPECT/${rel%.md}.jsonl
  mkdir -p "$(dirname "$out")"
  "$A" compile -q "$md" | jq -c -f tests/model.jq >"$out"
  echo "$out: $(wc -l <"$out") findings"
done
