#!/bin/sh
# Builds a repository whose audits cite code of open and closed findings
# that drifted after the audit, for the status semantics of verify:
#   DIR/status, commit "code" on 2026-01-10, commit "audit" on 2026-01-15
#   writing docs/AUDIT.md (findings of every status) and docs/CLOSED.md
#   (closed findings only), then commit "drift" on 2026-02-01 that removes
#   lines 10-12 of app/auth.py (so lines 20-22 move up) and deletes
#   app/old.py. Fixed authors and dates.
#
#   docs/AUDIT.md              state at HEAD        level
#   F1 open      auth.py:10-12 deleted              error
#   F2 resolved  old.py:1-5    deleted              note
#   F3 won't fix auth.py:20-22 moved                note
#   F4 resolved  sync.py:5-8   ok, symbol_missing   note (confirmed)
#   F5 resolved  missing.py:1  missing              error (broken when written)
#   F6 resolved  auth.py:500   out_of_range         error (broken when written)
#   docs/CLOSED.md holds F2, F3 and F4 alone.
# usage: status-repo.sh DIR
set -eu
R="$1/status"
rm -rf "$R"
mkdir -p "$R/app" "$R/docs"
git -C "$R" init -q -b main
git -C "$R" config user.name "Fixture Author"
git -C "$R" config user.email "fixture@example.org"
git -C "$R" config commit.gpgsign false
commit() {
  git -C "$R" add -A
  GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" git -C "$R" commit -qm "$2"
}
seq 1 30 | sed 's/^/auth_line_/' >"$R/app/auth.py"
seq 1 10 | sed 's/^/old_line_/' >"$R/app/old.py"
seq 1 20 | sed 's/^/sync_line_/' >"$R/app/sync.py"
commit 2026-01-10 code

cat >"$R/docs/AUDIT.md" <<'AUDIT'
# STATUS_AUDIT

Date: 2026-01-15

### 1) Tokens logged in plain text
- Status: Open
- Evidence: `app/auth.py:10-12` logs the token.

### 2) Legacy endpoint without auth
- Status: Resolved
- Evidence: `app/old.py:1-5` served it.

### 3) Session length fixed
- Status: Won't fix
- Evidence: `app/auth.py:20-22` sets it.

### 4) Blocking `asyncio.run` in handlers
- Status: Resolved
- Evidence: `app/sync.py:5-8` called `asyncio.run`.

### 5) Config read twice
- Status: Resolved
- Evidence: `app/missing.py:1` reads it.

### 6) Retry loop unbounded
- Status: Resolved
- Evidence: `app/auth.py:500-510` loops.
AUDIT
# The closed findings alone: lines 9-20 of AUDIT.md are findings 2 to 4.
{ sed -n '1,4p' "$R/docs/AUDIT.md" | sed 's/STATUS_AUDIT/CLOSED_AUDIT/'; sed -n '9,20p' "$R/docs/AUDIT.md"; } >"$R/docs/CLOSED.md"
commit 2026-01-15 audit

sed -i '10,12d' "$R/app/auth.py"
git -C "$R" rm -q app/old.py
commit 2026-02-01 drift
