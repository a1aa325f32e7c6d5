#!/bin/sh
# Builds a repository with two audits and their histories, for `auditmd
# site`: DIR/repo, fixed authors and dates.
#
#   docs/SECURITY.md, seven revisions (2026-01-05 .. 2026-02-16):
#     r1  three findings: #1 SQL injection, #2 weak hashing, #3 missing CSRF
#     r2  #2 resolved
#     r3  a finding inserted first: the others renumbered (#2 -> #3 ...)
#     r4  #4 retitled ("Missing CSRF token" -> "CSRF token missing on ...");
#         #2 resolved
#     r5  #3 (weak hashing) reopened: a regression
#     r6  #2's evidence moves; #1 resolved
#     r7  #4 won't fix
#   docs/ops/RUNBOOK-AUDIT.md, three revisions, with a legend and a table
#   README.md: prose, no audit
#   src/*.py: the code the audits cite
#
# usage: make-site-repo.sh DIR   (the repository goes to DIR/repo)
set -eu
R="$1/repo"
rm -rf "$R"
mkdir -p "$R/docs/ops" "$R/src"
git -C "$R" init -q -b main
git -C "$R" config user.name "Ada Auditor"
git -C "$R" config user.email "ada@example.org"
git -C "$R" config commit.gpgsign false

commit() {
  git -C "$R" add -A
  GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" git -C "$R" commit -qm "$2"
}

code() { # FILE N: N lines of code
  awk -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "value_%d = compute(%d)\n", i, i }' >"$R/$1"
}

finding() { # N TITLE STATUS SEVERITY EVIDENCE
  printf '### %s) %s\n- Status: %s\n- Severity: %s\n- Evidence: `%s`\n\n' "$1" "$2" "$3" "$4" "$5"
}

security() { # DATE then findings on stdin
  { printf '# Security review of the `shop` service\n\nDate: %s\n\n## Findings\n\n' "$1"; cat; } >"$R/docs/SECURITY.md"
}

code src/search.py 60
code src/auth.py 40
code src/forms.py 30
code src/login.py 25
code src/deploy.sh 20
printf '# Shop\n\nThe shop service. See `src/search.py:1` for search.\n' >"$R/README.md"

{ finding 1 'SQL injection in `search`' Open High src/search.py:10-20
  finding 2 'Weak password hashing' Open Critical src/auth.py:5-9
  finding 3 'Missing CSRF token' Open Medium src/forms.py:1-4; } | security 2026-01-05
printf '# Runbook audit\n\nDate: 2026-01-06\n\nLegend: ⛔ = open, ✅ = resolved\n\n| ID | Finding | Status | Evidence |\n|---|---|---|---|\n| OPS-1 | Backups never restored | ⛔ | `src/deploy.sh:1-5` |\n| OPS-2 | Secrets in the environment | ⛔ | `src/deploy.sh:8-9` |\n' >"$R/docs/ops/RUNBOOK-AUDIT.md"
commit 2026-01-05 "audit: first security review"

{ finding 1 'SQL injection in `search`' Open High src/search.py:10-20
  finding 2 'Weak password hashing' Resolved Critical src/auth.py:5-9
  finding 3 'Missing CSRF token' Open Medium src/forms.py:1-4; } | security 2026-01-12
commit 2026-01-12 "security: hashing moved to bcrypt"

{ finding 1 'Open redirect after login' Open Low src/login.py:3-8
  finding 2 'SQL injection in `search`' Open High src/search.py:10-20
  finding 3 'Weak password hashing' Resolved Critical src/auth.py:5-9
  finding 4 'Missing CSRF token' Open Medium src/forms.py:1-4; } | security 2026-01-19
sed -i 's/| OPS-1 | Backups never restored | ⛔ |/| OPS-1 | Backups never restored | ✅ |/' "$R/docs/ops/RUNBOOK-AUDIT.md"
commit 2026-01-19 "audit: open redirect found; backups restored"

{ finding 1 'Open redirect after login' Open Low src/login.py:3-8
  finding 2 'SQL injection in `search`' Resolved High src/search.py:10-20
  finding 3 'Weak password hashing' Resolved Critical src/auth.py:5-9
  finding 4 'CSRF token missing on `/settings` forms' Open Medium src/forms.py:1-4; } | security 2026-01-26
commit 2026-01-26 "security: SQL injection fixed, CSRF finding retitled"

{ finding 1 'Open redirect after login' Open Low src/login.py:3-8
  finding 2 'SQL injection in `search`' Resolved High src/search.py:10-20
  finding 3 'Weak password hashing' Open Critical src/auth.py:5-9
  finding 4 'CSRF token missing on `/settings` forms' Open Medium src/forms.py:1-4; } | security 2026-02-02
commit 2026-02-02 "security: hashing regressed (cost lowered again)"

{ finding 1 'Open redirect after login' Resolved Low src/login.py:3-8
  finding 2 'SQL injection in `search`' Resolved High src/search.py:12-22
  finding 3 'Weak password hashing' Open Critical src/auth.py:5-9
  finding 4 'CSRF token missing on `/settings` forms' Open Medium src/forms.py:1-4; } | security 2026-02-09
printf '| OPS-3 | No alert on disk full | ⛔ | `src/deploy.sh:12-14` |\n' >>"$R/docs/ops/RUNBOOK-AUDIT.md"
commit 2026-02-09 "audit: redirect fixed; disk alerts"

{ finding 1 'Open redirect after login' Resolved Low src/login.py:3-8
  finding 2 'SQL injection in `search`' Resolved High src/search.py:12-22
  finding 3 'Weak password hashing' Open Critical src/auth.py:5-9
  finding 4 "CSRF token missing on \`/settings\` forms" "Won't fix" Medium src/forms.py:1-4; } | security 2026-02-16
commit 2026-02-16 "security: CSRF accepted as a risk"
