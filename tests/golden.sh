#!/usr/bin/env bash
# Golden tests of every built-in template: renders each report and the
# pages of a site from fixed inputs (the example audits, the example
# repository built with fixed dates)
# and compares it byte for byte with tests/golden/; and the compile JSON of
# every audit in DATA_DIR against tests/golden/compile/CASE.json (a golden
# file whose audit is gone fails). With --update, writes the files instead
# (scripts/golden.sh). The version the reports name (the one `auditmd
# --version` prints) is written @VERSION@ in the golden files, so a new
# version changes none of them.
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
  check "$name"
}

# check NAME: $tmp/NAME against $GOLDEN/NAME, or written there with --update.
check() {
  if [ -n "$UPDATE" ]; then
    cp "$tmp/$1" "$GOLDEN/$1"; ok "$1 written"
  elif cmp -s "$tmp/$1" "$GOLDEN/$1"; then
    ok "$1 matches its golden file"
  else
    fail "$1 matches its golden file" "$(diff "$GOLDEN/$1" "$tmp/$1" 2>&1 | head -8 | tr '\n' '|')"
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

# A site of the example repository: its index, the audit's page and a
# finding's page.
if (cd "$R" && "$AUDITMD" site --link-base "$LB" -o "$tmp/site") >/dev/null 2>"$tmp/err"; then
  for page in index.html docs-audit/index.html docs-audit/f5.html; do
    name=site-$(echo "$page" | tr / -)
    sed "s/auditmd $V_RE/auditmd @VERSION@/g" "$tmp/site/$page" >"$tmp/$name"
    check "$name"
  done
else
  fail "the site renders" "$(head -c 300 "$tmp/err")"
fi

# The compile JSON of every audit in DATA, named as CASE.md.
mkdir -p "$tmp/compile"
for md in "$DATA"/*.md; do
  name=compile/$(basename "$md" .md).json
  (cd "$DATA" && "$AUDITMD" compile --format json --pretty --quiet "${md##*/}") >"$tmp/$name" 2>"$tmp/err"
  rc=$?
  if [ "$rc" != 0 ]; then fail "$name: the audit compiles" "exit $rc: $(head -c 300 "$tmp/err")"; continue; fi
  check "$name"
done
for json in "$GOLDEN"/compile/*.json; do
  [ -e "$json" ] || continue
  md=$DATA/$(basename "$json" .json).md
  [ -f "$md" ] && continue
  if [ -n "$UPDATE" ]; then
    rm -f "$json"; ok "${json##*/} removed: no ${md##*/} in the data"
  else
    fail "compile/${json##*/} has its audit" "no ${md##*/} in the data (scripts/golden.sh removes the file)"
  fi
done
finish
