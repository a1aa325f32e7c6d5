#!/usr/bin/env bash
# Runs auditmd on the bundled examples: installs what is missing, builds,
# and compiles two dated revisions of an example audit and a security review.
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
