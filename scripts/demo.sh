#!/usr/bin/env bash
# Runs auditmd on the bundled examples: installs what is missing, builds,
# compiles two dated revisions of an example audit, diffs them, and verifies
# the audit's evidence against an example repository built with fixed dates;
# writes the HTML reports, a site and their screenshots into build/reports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
am_install_deps
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
A=build/src/cli/auditmd

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step $A compile --format text examples/audit/PLATFORM_AUDIT-2026-01-15.md
step $A compile --format text examples/audit/PLATFORM_AUDIT-2026-01-16.md
step $A compile --format text examples/audit/SECURITY_REVIEW.md
echo
echo "\$ $A compile examples/audit/SECURITY_REVIEW.md | jq '.findings[0]'"
$A compile examples/audit/SECURITY_REVIEW.md | jq '.findings[0]'
step $A diff --format text examples/audit/PLATFORM_AUDIT-2026-01-15.md examples/audit/PLATFORM_AUDIT-2026-01-16.md

# The audited code: the 2026-01-15 audit committed with the code it
# describes, then drift (lines moved, a file renamed, one deleted, edits).
examples/make-repo.sh build/example examples/audit/PLATFORM_AUDIT-2026-01-15.md >/dev/null
A=$PWD/$A
cd build/example/repo
step git log --format='%h %ad %s' --date=short
step $A verify --format text HEAD~1:docs/AUDIT.md || true
step $A diff --repo . --format text HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
step $A lint --repo . docs/AUDIT.md || true

# The reports, as single self-contained HTML pages, and a site of a
# repository's audits (examples/make-site-repo.sh), with screenshots of
# each 1280 and 390 pixels wide.
cd ../../..
echo
if scripts/screenshots.sh build/reports; then
  echo "HTML reports and a site written:"
  for f in diff.html verify.html log.html site/index.html; do echo "  build/reports/$f"; done
else
  echo "(no screenshots: the reports are in build/reports)"
fi
