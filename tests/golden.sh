#!/usr/bin/env bash
# Golden tests of every built-in template: renders each report from fixed
# inputs (the example audits, the example repository built with fixed dates)
# and compares it byte for byte with tests/golden/. With --update, writes the
# files instead (scripts/golden.sh). The version the reports name (the one
# `auditmd --version` prints) is written @VERSION@ in the golden files, so a
# new version changes none of them.
#   golden.sh AUDITMD DATA_DIR GOLDEN_DIR [--update]
set -u
AUDITMD=$1
DATA=$2
GOLDEN=$3
UPDATE=${4:-}
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp TZ=UTC
EX=$(cd "$(dirname "$0")/../examples" && pwd)
"$EX/make-repo.sh" "$tmp" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1 ||
  { echo "Bail out! the example repository could not be built"; exit 1; }
R=$tmp/repo
V=$("$AUDITMD" --version 2>/dev/null | sed -n '1s/^auditmd //p')
[ -n "$V" ] || { echo "Bail out! auditmd --version names no version"; exit 1; }
V_RE=$(printf '%s' "$V" | sed 's/[].[*^$\\/]/\\&/g')

# render NAME COMMAND...: runs it (in the example repository) into $tmp/NAME.
render() {
  name=$1; shift
  (cd "$R" && "$AUDITMD" "$@") >"$tmp/$name" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -gt 1 ]; then fail "$name renders" "exit $rc: $(head -c 300 "$tmp/err")"; return; fi
  sed -i "s/auditmd $V_RE/auditmd @VERSION@/g" "$tmp/$name"
  if [ -n "$UPDATE" ]; then
    cp "$tmp/$name" "$GOLDEN/$name"; ok "$name written"
  elif cmp -s "$tmp/$name" "$GOLDEN/$name"; then
    ok "$name matches its golden file"
  else
    fail "$name matches its golden file" "$(diff "$GOLDEN/$name" "$tmp/$name" 2>&1 | head -8 | tr '\n' '|')"
  fi
}

# Relative names: the reports show them.
cp "$EX"/audit/*.md "$tmp/"
OLD=../PLATFORM_AUDIT-2026-01-15.md
NEW=../PLATFORM_AUDIT-2026-01-16.md
LB='https://example.org/org/repo/blob/{commit}/'
render diff.md diff --format md "$OLD" "$NEW"
render diff.html diff --format html --link-base "$LB" "$OLD" "$NEW"
render diff-repo.md diff --repo . --format md HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
render compile.md compile --format md "$NEW"
render compile.html compile --format html ../SECURITY_REVIEW.md
render verify.md verify --format md HEAD~1:docs/AUDIT.md
render verify.html verify --format html --link-base "$LB" HEAD~1:docs/AUDIT.md
render log.md log --format md docs/AUDIT.md
render log.html log --format html docs/AUDIT.md
finish
