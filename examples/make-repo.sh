#!/bin/sh
# Builds the example repository audited by examples/audit/PLATFORM_AUDIT-2026-01-15.md:
#   DIR/repo, commit "audited" on 2026-01-15 where every citation holds,
#   then commit "drift" on 2026-02-01 that inserts lines above one cited
#   range, deletes a cited file, renames another, truncates one below its
#   cited range and edits lines inside another; then commit "audit: 5 and 6
#   resolved" on 2026-02-02, a revision of docs/AUDIT.md that resolves one
#   finding whose code changed and one whose code did not. Fixed authors and
#   dates.
# usage: make-repo.sh DIR AUDIT   (the repository goes to DIR/repo)
set -eu
dir=$1
audit=$2
R="$dir/repo"
rm -rf "$R"
mkdir -p "$R"
git -C "$R" init -q -b main
git -C "$R" config user.name "Fixture Author"
git -C "$R" config user.email "fixture@example.org"
git -C "$R" config commit.gpgsign false

# lines FILE N [WORD@LINE ...]: N numbered lines, some carrying a word.
lines() {
  f=$1; n=$2; shift 2
  mkdir -p "$(dirname "$R/$f")"
  awk -v n="$n" -v marks="$*" 'BEGIN {
    k = split(marks, m, " ")
    for (i = 1; i <= k; i++) { split(m[i], p, "@"); word[p[2]] = p[1] }
    for (i = 1; i <= n; i++) {
      if (i in word) printf "    line_%d = %s\n", i, word[i]
      else printf "    line_%d = compute(%d)\n", i, i
    }
  }' >"$R/$f"
}

commit() {
  GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" git -C "$R" commit -qm "$2"
}

lines services/api/auth/session.py 80 "secure=True@45"
lines services/api/app.py 150 "secure=True@125"
lines services/api/routes/upload.py 60 "content_type@20"
lines services/api/routes/billing.py 120 "requests.post@90"
lines services/api/routes/admin.py 260 "query_all@210"
lines web/src/lib/auth.ts 50 "localStorage@20"
lines deploy/Dockerfile 25
# For the edge cases: two files of one name, a binary file, a symbolic
# link and a submodule.
lines a/util.py 5
lines b/util.py 5
mkdir -p "$R/assets"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000' >"$R/assets/logo.png"
ln -s services/api/app.py "$R/link.py"
git -C "$R" add -A
git -C "$R" update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib
mkdir -p "$R/vendor/lib" # an uninitialised submodule
commit 2026-01-14 "code"
mkdir -p "$R/docs"
cp "$audit" "$R/docs/AUDIT.md"
git -C "$R" add docs
commit 2026-01-15 "audited"

# The drift.
{ printf 'import logging\nimport os\nimport sys\n'; cat "$R/services/api/app.py"; } >"$R/tmp" && mv "$R/tmp" "$R/services/api/app.py"
git -C "$R" rm -q services/api/routes/upload.py
git -C "$R" mv services/api/routes/billing.py services/api/routes/payments.py
head -n 150 "$R/services/api/routes/admin.py" >"$R/tmp" && mv "$R/tmp" "$R/services/api/routes/admin.py"
sed -i 's/line_25 = compute(25)/line_25 = sessionStorage/' "$R/web/src/lib/auth.ts"
git -C "$R" add -u
commit 2026-02-01 "drift"

# The next revision of the audit says findings 5 and 6 are resolved: the
# code of 5 changed, the code of 6 did not.
sed -i -e 's/^### 5) \(.*\)$/### 5) \1 (Resolved)/' -e 's/^### 6) \(.*\)$/### 6) \1 (Resolved)/' "$R/docs/AUDIT.md"
git -C "$R" add docs
commit 2026-02-02 "audit: 5 and 6 resolved"
