#!/usr/bin/env bash
# Regenerates the golden files in tests/golden/ from the current build: the
# reports of the built-in templates and the compile JSON of every audit in
# tests/data (tests/golden/compile/); review the diff before committing it.
#   scripts/golden.sh [AUDITMD]
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(realpath "${1:-build/src/cli/auditmd}")
exec tests/golden.sh "$A" "$PWD/tests/data" "$PWD/tests/golden" --update
