#!/usr/bin/env bash
# Regenerates README.md from docs/README.in.md with the output of real runs.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${AUDITMD:-build/src/cli/auditmd}
TEXT=$($A compile --format text examples/audit/PLATFORM_AUDIT-2026-01-16.md)
JQ=$($A compile examples/audit/PLATFORM_AUDIT-2026-01-15.md | jq -c '.findings[0] | {id, number, title, section, status, citations: [.citations[] | select(.role=="evidence") | {path, start, "end": .end, line, column}]}')
WARN=$($A compile tests/data/warnings.md 2>&1 >/dev/null | sed 's|^tests/data/||')
DIFF=$($A diff --format text examples/audit/PLATFORM_AUDIT-2026-01-15.md examples/audit/PLATFORM_AUDIT-2026-01-16.md)
# A history made on the spot, with fixed dates, for the log example.
R=$(mktemp -d); trap 'rm -rf "$R"' EXIT
git -C "$R" init -q -b main; mkdir -p "$R/docs"
for f in PLATFORM_AUDIT-2026-01-15.md PLATFORM_AUDIT-2026-01-16.md; do
  cp "examples/audit/$f" "$R/docs/AUDIT.md"; d=${f#PLATFORM_AUDIT-}; d=${d%.md}
  git -C "$R" add -A
  GIT_AUTHOR_NAME=Auditor GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=Auditor GIT_COMMITTER_EMAIL=a@example.com \
    GIT_AUTHOR_DATE="${d}T12:00:00Z" GIT_COMMITTER_DATE="${d}T12:00:00Z" git -C "$R" commit -qm "Audit of $d"
done
LOG=$($A log --repo "$R" docs/AUDIT.md | head -14)
AR=$(cd "$(dirname "$A")" && pwd)/$(basename "$A")
examples/make-repo.sh "$R/example" examples/audit/PLATFORM_AUDIT-2026-01-15.md >/dev/null
VERIFY=$(cd "$R/example/repo" && "$AR" verify --format text HEAD~1:docs/AUDIT.md || true)
DIFFREPO=$(cd "$R/example/repo" && "$AR" diff --repo . --format text HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md)
LINT=$($A lint tests/data/lint.md || true)
CHECK1=$(cd "$R/example/repo" && "$AR" check --base HEAD~2 --head HEAD~1 --format text || true)
CHECK2=$(cd "$R/example/repo" && "$AR" check --base HEAD~1 --format text || true)
# fix on the audit as committed before the revision that resolved 5 and 6.
git -C "$R/example/repo" reset -q --hard HEAD~1
FIX=$(cd "$R/example/repo" && "$AR" fix --dry-run docs/AUDIT.md 2>&1)
export TEXT JQ WARN DIFF LOG VERIFY DIFFREPO LINT CHECK1 CHECK2 FIX
python3 - <<'PY'
import os
s = open("docs/README.in.md").read()
for k in ("TEXT", "JQ", "WARN", "DIFF", "LOG", "VERIFY", "DIFFREPO", "LINT", "CHECK1", "CHECK2", "FIX"):
    s = s.replace("@@%s@@" % k, os.environ[k])
open("README.md", "w").write(s)
PY
