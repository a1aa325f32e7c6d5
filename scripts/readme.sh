#!/usr/bin/env bash
# Regenerates README.md from docs/README.in.md with the output of real runs.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${AUDITMD:-build/src/cli/auditmd}
TEXT=$($A compile --format text examples/audit/PLATFORM_AUDIT-2026-01-16.md)
JQ=$($A compile examples/audit/PLATFORM_AUDIT-2026-01-15.md | jq -c '.findings[0] | {id, number, title, section, status, citations: [.citations[] | select(.role=="evidence") | {path, start, "end": .end, line, column}]}')
WARN=$($A compile tests/data/warnings.md 2>&1 >/dev/null | sed 's|^tests/data/||')
export TEXT JQ WARN
python3 - <<'PY'
import os
s = open("docs/README.in.md").read()
for k in ("TEXT", "JQ", "WARN"):
    s = s.replace("@@%s@@" % k, os.environ[k])
open("README.md", "w").write(s)
PY
