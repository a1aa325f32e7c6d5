#!/usr/bin/env bash
# auditmd check (pull-request mode) and auditmd fix, end to end, on
# repositories the test builds with fixed dates: each output format of
# check, --fail-on, the audits it reads (given, configured, found), the
# working tree, usage and input errors; fix on moved, renamed, CRLF and
# `#L` citations, byte for byte, twice.
#   check.sh AUDITMD DATA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
SHARED=${3:-}
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$tmp TZ=UTC
export GIT_AUTHOR_NAME=Auditor GIT_AUTHOR_EMAIL=a@example.org GIT_COMMITTER_NAME=Committer \
  GIT_COMMITTER_EMAIL=c@example.org
unset GITHUB_STEP_SUMMARY
commit() { GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" git -C "$1" commit -qm "$3"; }

# --- a pull request ---------------------------------------------------------------
# base: the code and an audit of four findings; head: F1's code edited and F1
# resolved, F2's code edited (still open), F3 resolved without a code change,
# a new finding citing a new file, a missing file and a line past the end.
R=$tmp/repo
git init -q -b main "$R"
mkdir -p "$R/src" "$R/docs"
seq -f 'app %g' 1 20 >"$R/src/app.py"
seq -f 'billing %g' 1 30 >"$R/src/billing.py"
seq -f 'auth %g' 1 20 >"$R/src/auth.py"
printf '# Notes\n\nNo citation here.\n' >"$R/README.md"
cat >"$R/docs/AUDIT.md" <<'EOF'
# Audit
Date: 2026-01-10

### 1) Leak in app
- Status: Open
- Evidence: `src/app.py:5-8`

### 2) Billing blocks
- Status: Open
- Evidence: `src/billing.py:10-12`

### 3) Auth cookie
- Status: Open
- Evidence: `src/auth.py:3-4`

### 4) Old thing
- Status: Resolved
- Evidence: `src/app.py:15`
EOF
git -C "$R" add -A && commit "$R" 2026-01-10 base
change() {
  sed -i 's/^app 6$/app six/' "$1/src/app.py"
  sed -i 's/^billing 11$/billing eleven/' "$1/src/billing.py"
  seq -f 'new %g' 1 5 >"$1/src/new.py"
  sed -i -e '5s/Open/Resolved/' -e '13s/Open/Resolved/' "$1/docs/AUDIT.md"
  printf '\n### 5) New problem\n- Status: Open\n- Evidence: `src/new.py:1-3`, `src/gone.py:1`, `src/app.py:100`\n' >>"$1/docs/AUDIT.md"
}
cp -a "$R" "$tmp/wt"
change "$R"
git -C "$R" add -A && commit "$R" 2026-01-20 head
BASE=$(git -C "$R" rev-parse HEAD~1)

cd "$R" || exit 1
run "$AUDITMD" check --base HEAD~1 --format text
expect_rc 1 "check: a broken citation fails by default"
expect_out "check ${BASE:0:10}..$(git rev-parse --short=10 HEAD) (2026-01-10 → 2026-01-20), 1 audit" "text: the change on the first line"
expect_out "docs/AUDIT.md:22:32: error: src/gone.py:1 does not hold at head: missing (finding F5)" "text: broken, missing"
expect_out "docs/AUDIT.md:22:49: error: src/app.py:100 does not hold at head: out_of_range (file has 20 lines) (finding F5)" "text: broken, past the end"
expect_out "docs/AUDIT.md:8:1: note: this change edits code cited by open finding F2 (src/billing.py:10-12) — resolved?" "text: touched"
expect_out "docs/AUDIT.md:12:1: warning: finding F3 is marked resolved, but this change does not touch the code it cites (src/auth.py:3-4)" "text: unconfirmed"
expect_out "docs/AUDIT.md (edited, 6 lines written, 3 citations checked): 2 resolved, 1 new, 0 regressed, 0 removed" "text: the audit's change"
expect_out "  resolved   ✓ F3  Auth cookie" "text: the changelog"
expect_out "2 errors, 1 warning, 1 note; 2 resolved, 1 new, 0 regressed, 0 removed" "text: the summary"
grep -q "F1" "$tmp/out" && ! grep -q "finding F1" "$tmp/out" && ok "text: F1, resolved with its code edited, is no problem" ||
  fail "text: F1, resolved with its code edited, is no problem"

run "$AUDITMD" check --base HEAD~1 --fail-on none
expect_rc 0 "--fail-on none"
expect_jq '.summary | [.audits, .broken, .touched, .unconfirmed, .resolved, .new]' '[1,2,1,1,2,1]' "json (default in a pipe): the summary"
expect_jq '[.results[] | .kind + ":" + .level + ":" + .finding]' '["touched:note:F2","unconfirmed:warning:F3","broken:error:F5","broken:error:F5"]' "json: the results in the audit's order"
expect_jq '.results[0].edit' '{"path":"src/billing.py","line":11}' "json: where the change edits the cited code"
expect_jq '[.audits[0].changes[] | .kind + " " + .new.id]' '["resolved F1","resolved F3","new F5"]' "json: the changelog"
run "$AUDITMD" check --base HEAD~1 --fail-on unconfirmed,regressed -o /dev/null
expect_rc 1 "--fail-on unconfirmed"
run "$AUDITMD" check --base HEAD --head HEAD~1 --fail-on regressed -o /dev/null
expect_rc 1 "--fail-on regressed: the change run backwards"
run "$AUDITMD" check --base HEAD --head HEAD~1 --fail-on unknown
expect_rc 2 "--fail-on: an unknown kind"
expect_err "--fail-on: unknown kind 'unknown' (broken, touched, unconfirmed, regressed, resolved, new, removed, open, closed; or none)" "--fail-on names the kinds"

run "$AUDITMD" check --base HEAD~1 --format sarif --fail-on none
cp "$tmp/out" "$tmp/check.sarif"
expect_jq '[.runs[0].results[] | .ruleId + ":" + .level]' '["touched:note","unconfirmed:warning","broken:error","broken:error"]' "sarif: a rule and a level per kind"
expect_jq '.runs[0].results[0].relatedLocations[0].physicalLocation | [.artifactLocation.uri, .region.startLine]' '["src/billing.py",11]' "sarif: the edit as the related location"
expect_jq '[.runs[0].results[] | .partialFingerprints["auditmdCheck/v1"] | test("^[0-9a-f]{16}$")] | all' 'true' "sarif: fingerprints"
expect_jq '.runs[0].results[0].locations[0].physicalLocation | [.artifactLocation.uri, .region.startLine]' '["docs/AUDIT.md",8]' "sarif: located in the audit"
if [ -n "$SHARED" ] && [ -f "$SHARED/sarif/sarif-schema-2.1.0.json" ] && python3 -c 'import jsonschema' 2>/dev/null; then
  python3 - "$SHARED/sarif/sarif-schema-2.1.0.json" "$tmp/check.sarif" <<'PY' && ok "sarif validates against the SARIF 2.1.0 schema" || fail "sarif validates against the SARIF 2.1.0 schema"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
else
  echo "# SKIP SARIF schema validation: needs -Dshared_dir (with sarif/) and python3-jsonschema"
fi

# Baselines: absent, every result unchanged, one new; JSON or SARIF.
run "$AUDITMD" check --base HEAD~1 --format json --fail-on none --write-baseline "$tmp/base.json" -o "$tmp/plain.json"
expect_rc 0 "--write-baseline"
jq -e '[.results[] | has("baseline")] == [false,false,false,false] and (.summary | has("unchanged") | not)
  and .summary.errors == 2 and .summary.warnings == 1 and .summary.notes == 1' "$tmp/plain.json" >/dev/null &&
  ok "no baseline: nothing said of one" || fail "no baseline: nothing said of one" "$(jq -c .summary "$tmp/plain.json")"
cmp -s "$tmp/base.json" "$tmp/plain.json" && ok "--write-baseline: the JSON document" || fail "--write-baseline: the JSON document"
run "$AUDITMD" check --base HEAD~1 --format json --baseline "$tmp/base.json"
expect_rc 0 "--baseline: every result in the baseline, nothing fails"
expect_jq '[([.results[].baseline] | unique), .summary.unchanged, .summary.errors, .summary.absent]' '[["unchanged"],4,2,0]' "--baseline: each result unchanged, still counted"
jq '.results += [.results[0] | .fingerprint = "ffffffffffffffff"]' "$tmp/base.json" >"$tmp/base-more.json"
run "$AUDITMD" check --base HEAD~1 --format json --baseline "$tmp/base-more.json"
expect_jq '[.summary.unchanged, .summary.absent]' '[4,1]' "--baseline: a result of the baseline gone since, counted absent"
jq 'del(.results[] | select(.kind == "broken" and .citation.path == "src/app.py"))' "$tmp/base.json" >"$tmp/base-less.json"
run "$AUDITMD" check --base HEAD~1 --format text --baseline "$tmp/base-less.json"
expect_rc 1 "--baseline: a result not in it fails"
grep -qxF "docs/AUDIT.md:22:49: error: src/app.py:100 does not hold at head: out_of_range (file has 20 lines) (finding F5)" "$tmp/out" &&
  ok "--baseline: the new result as it was" || fail "--baseline: the new result as it was" "$(grep app.py:100 "$tmp/out")"
expect_out "docs/AUDIT.md:22:32: error: src/gone.py:1 does not hold at head: missing (finding F5) (in the baseline)" "--baseline text: the unchanged result said so"
expect_out "2 errors, 1 warning, 1 note; 2 resolved, 1 new, 0 regressed, 0 removed; 3 unchanged since the baseline, 0 gone" "--baseline text: the summary"
run "$AUDITMD" check --base HEAD~1 --format sarif --baseline "$tmp/check.sarif" --fail-on broken,unconfirmed
expect_rc 0 "--baseline: an earlier SARIF"
expect_jq '[.runs[0].results[] | .baselineState + ":" + .suppressions[0].status]' '["unchanged:accepted","unchanged:accepted","unchanged:accepted","unchanged:accepted"]' "--baseline sarif: baselineState and an accepted suppression"
run "$AUDITMD" check --base HEAD~1 --format md --baseline "$tmp/base-less.json"
expect_out "| ❌ error | \`docs/AUDIT.md\` | 22 | src/gone.py:1 does not hold at head: missing (finding F5) (in the baseline) |" "--baseline md: the unchanged result said so"
"$AUDITMD" verify --format json --fail-on none docs/AUDIT.md >"$tmp/verify.json" 2>/dev/null
run "$AUDITMD" check --base HEAD~1 --baseline "$tmp/verify.json"
expect_rc 2 "--baseline: verify's results are no baseline of check"
expect_err "auditmd: error: --baseline $tmp/verify.json: a baseline of citations, not of check results" "--baseline of another command: said so"

# GitLab Code Quality: one issue per result, at its line in its audit.
run "$AUDITMD" check --base HEAD~1 --format codeclimate
expect_rc 1 "codeclimate: fails as the other formats do"
expect_jq '[.[] | [.check_name, .severity, .location.path, .location.lines.begin]]' '[["touched","info","docs/AUDIT.md",8],["unconfirmed","minor","docs/AUDIT.md",12],["broken","major","docs/AUDIT.md",22],["broken","major","docs/AUDIT.md",22]]' "codeclimate: the results"
expect_jq '[.[].fingerprint] | (length == (unique | length)) and all(test("^[0-9a-f]{16}$"))' 'true' "codeclimate: fingerprints unique, SARIF's"

: >"$tmp/summary.md"
GITHUB_STEP_SUMMARY=$tmp/summary.md run "$AUDITMD" check --base HEAD~1 --format github
expect_rc 1 "github"
expect_out "::error file=docs/AUDIT.md,line=22,col=32,title=auditmd check%3A broken (finding F5)::src/gone.py:1 does not hold at head: missing (finding F5)" "github: errors on the audit"
expect_out "::warning file=docs/AUDIT.md,line=12,col=1,title=auditmd check%3A unconfirmed (finding F3)::" "github: a warning for the unconfirmed resolution"
expect_out "::notice file=src/billing.py,line=11,title=auditmd check%3A touched (finding F2)::this change edits code cited by open finding F2 (src/billing.py:10-12) — resolved? (docs/AUDIT.md:8)" "github: the notice on the edit"
[ "$(sed -nE 's/^::([a-z]+) .*/\1/p' "$tmp/out" | tr '\n' ' ')" = "error error warning notice notice " ] &&
  ok "github: errors first, the summary last" || fail "github: errors first, the summary last" "$(cut -c1-40 "$tmp/out")"
[ "$(head -1 "$tmp/summary.md")" = "<!-- auditmd-check -->" ] && grep -q "^| ❌ error | \`docs/AUDIT.md\` | 22 |" "$tmp/summary.md" &&
  ok "github: the md report appended to the step summary" || fail "github: the md report appended to the step summary" "$(head -c 300 "$tmp/summary.md")"

run "$AUDITMD" check --base HEAD~1 --format md
expect_rc 1 "md"
[ "$(head -1 "$tmp/out")" = "<!-- auditmd-check -->" ] && ok "md: opens with the hidden marker" || fail "md: opens with the hidden marker" "$(head -1 "$tmp/out")"
expect_out "1 audit read: 2 errors, 1 warning, 1 note; 2 resolved, 1 new, 0 regressed, 0 removed." "md: the summary"
expect_out "| ⚠️ warning | \`docs/AUDIT.md\` | 12 | finding F3 is marked resolved, but this change does not touch the code it cites (src/auth.py:3-4) |" "md: a row per result"
expect_out "- **#5** New problem" "md: the changelog"
run "$AUDITMD" check --base HEAD --format md
expect_rc 0 "md: no change"
expect_out "Every citation this change wrote holds at its head" "md: a clean change says so"

# The audits: given, listed by the configuration, or found.
run "$AUDITMD" check --base HEAD~1 --format json --fail-on none README.md docs/AUDIT.md
expect_jq '[.audits[] | .path + " " + .change]' '["README.md unchanged","docs/AUDIT.md edited"]' "audits given, in order"
(cd docs && "$AUDITMD" check --base HEAD~1 --format json --fail-on none AUDIT.md) >"$tmp/out" 2>"$tmp/err"
expect_jq '[.audits[].path]' '["docs/AUDIT.md"]' "an audit given relative to the current directory"
echo '{"audits": ["README.md"]}' >.auditmd.json
git add .auditmd.json && commit . 2026-01-21 config
run "$AUDITMD" check --base HEAD~2 --format json --fail-on none
expect_jq '[.audits[].path]' '["README.md"]' "the configuration's audits, at head"
git rm -q .auditmd.json && commit . 2026-01-22 "no config"
run "$AUDITMD" check --base HEAD~3 --format json --fail-on none
expect_jq '[.audits[].path]' '["docs/AUDIT.md"]' "else the Markdown files that cite"

# Errors.
run "$AUDITMD" check docs/AUDIT.md
expect_rc 2 "no --base"
expect_err "auditmd: error: check: --base REV is needed (see 'auditmd check --help')" "no --base: said so"
run "$AUDITMD" check --base HEAD --head HEAD --worktree
expect_rc 2 "--head and --worktree"
run "$AUDITMD" check --base HEAD -
expect_rc 2 "standard input is no audit for check"
run "$AUDITMD" check --base nosuchrev
expect_rc 3 "an unknown revision"
expect_err "nosuchrev" "the unknown revision named"
run "$AUDITMD" check --base HEAD~1 docs/NOPE.md
expect_rc 3 "an audit in neither revision"
expect_err "auditmd: error: docs/NOPE.md: no such audit at HEAD~1 nor at HEAD" "an audit in neither revision: said so"
run "$AUDITMD" check --base HEAD --repo "$tmp"
expect_rc 4 "not a repository"
cd "$tmp" || exit 1

# The same change, uncommitted: the working tree; an audit only staged is
# found in the index.
change "$tmp/wt"
cp "$tmp/wt/docs/AUDIT.md" "$tmp/wt/docs/STAGED.md"
git -C "$tmp/wt" add docs/STAGED.md
run "$AUDITMD" check --repo "$tmp/wt" --base HEAD --worktree --format json
expect_rc 1 "--worktree"
expect_jq '[.worktree, (.audits | map(.path + " " + .change))]' '[true,["docs/AUDIT.md edited","docs/STAGED.md added"]]' "--worktree: the audits of the index"
expect_jq '[.results[] | select(.audit == "docs/AUDIT.md") | .kind]' '["touched","unconfirmed","broken","broken"]' "--worktree: the same results as the commit"

# --- fix ------------------------------------------------------------------------------
# An audit with CRLF line endings, a #L link, a moved range, a renamed file
# and a partial path to it, a changed range and a deleted file; then the
# drift.
F=$tmp/fixrepo
git init -q -b main "$F"
mkdir -p "$F/services/api" "$F/docs"
seq -f 'app %g' 1 150 >"$F/services/api/app.py"
seq -f 'billing %g' 1 120 >"$F/services/api/billing.py"
seq -f 'auth %g' 1 50 >"$F/services/api/auth.py"
seq -f 'upload %g' 1 60 >"$F/services/api/upload.py"
printf '%s\r\n' '# Fix audit' 'Date: 2026-01-15' '' '### 1) Cookies' \
  '- Evidence: `services/api/app.py:120-131` and [the handler](services/api/app.py#L10-L12).' '' \
  '### 2) Billing' '- Evidence: `services/api/billing.py:88-104`, see also api/billing.py (lines 5-6).' '' \
  '### 3) Auth' '- Evidence: `services/api/auth.py:15-33`' '' \
  '### 4) Upload' '- Evidence: `services/api/upload.py:12-40`' >"$F/docs/AUDIT.md"
git -C "$F" add -A && commit "$F" 2026-01-15 audited
{ printf 'import os\nimport sys\nimport logging\n'; seq -f 'app %g' 1 150; } >"$F/services/api/app.py"
git -C "$F" mv services/api/billing.py services/api/payments.py
sed -i 's/^auth 25$/auth twenty-five/' "$F/services/api/auth.py"
git -C "$F" rm -q services/api/upload.py
git -C "$F" add -A && commit "$F" 2026-02-01 drift
chmod 640 "$F/docs/AUDIT.md"
cp "$F/docs/AUDIT.md" "$tmp/audit.orig"
printf '%s\r\n' '# Fix audit' 'Date: 2026-01-15' '' '### 1) Cookies' \
  '- Evidence: `services/api/app.py:123-134` and [the handler](services/api/app.py#L13-L15).' '' \
  '### 2) Billing' '- Evidence: `services/api/payments.py:88-104`, see also api/payments.py (lines 5-6).' '' \
  '### 3) Auth' '- Evidence: `services/api/auth.py:15-33`' '' \
  '### 4) Upload' '- Evidence: `services/api/upload.py:12-40`' >"$tmp/audit.want"

cd "$F" || exit 1
run "$AUDITMD" fix --dry-run docs/AUDIT.md
expect_rc 0 "fix --dry-run"
cmp -s docs/AUDIT.md "$tmp/audit.orig" && ok "fix --dry-run: the audit untouched" || fail "fix --dry-run: the audit untouched"
expect_out "-- Evidence: \`services/api/app.py:120-131\` and [the handler](services/api/app.py#L10-L12)." "fix --dry-run: a unified diff, the old line"
expect_out "+- Evidence: \`services/api/app.py:123-134\` and [the handler](services/api/app.py#L13-L15)." "fix --dry-run: the new line"
expect_err "docs/AUDIT.md:5:14: moved: services/api/app.py:120-131 → services/api/app.py:123-134" "fix: the rewritten citations listed"
expect_err "docs/AUDIT.md:11:14: left alone: services/api/auth.py:15-33: changed (the cited lines were edited)" "fix: changed citations left alone, and said so"
expect_err "docs/AUDIT.md:14:14: left alone: services/api/upload.py:12-40: deleted (file deleted)" "fix: deleted citations left alone"
expect_err "4 citations rewritten, 2 left alone (dry run: nothing written)" "fix --dry-run: the count"
run "$AUDITMD" fix docs/AUDIT.md
expect_rc 0 "fix"
expect_no_out "fix: nothing on standard output"
cmp -s docs/AUDIT.md "$tmp/audit.want" && ok "fix: moved, renamed (the path rewritten, a partial path too) and #L citations rewritten, CRLF and every other byte kept" ||
  fail "fix: the rewritten audit" "$(diff <(cat -A "$tmp/audit.want") <(cat -A docs/AUDIT.md) | head -10)"
[ "$(stat -c %a docs/AUDIT.md)" = 640 ] && ok "fix: the file keeps its mode" || fail "fix: the file keeps its mode" "$(stat -c %a docs/AUDIT.md)"
run "$AUDITMD" verify --format json --as-of none docs/AUDIT.md
expect_jq '[([.results[] | select(.state == "ok")] | length), ([.results[] | .state] | unique)]' '[5,["missing","ok"]]' "verify: the rewritten citations hold at HEAD"
cp docs/AUDIT.md "$tmp/audit.once"
run "$AUDITMD" fix docs/AUDIT.md
expect_rc 0 "fix twice"
cmp -s docs/AUDIT.md "$tmp/audit.once" && ok "fix twice: nothing changes" || fail "fix twice: nothing changes" "$(diff "$tmp/audit.once" docs/AUDIT.md | head -5)"
expect_err "0 citations rewritten" "fix twice: nothing to rewrite"
git -C "$F" commit -qam "fixed" && git -C "$F" checkout -q HEAD~1 -- docs/AUDIT.md && git -C "$F" commit -qm "unfixed"
run "$AUDITMD" fix --as-of HEAD~3 -o "$tmp/elsewhere.md" docs/AUDIT.md
expect_rc 0 "fix --as-of -o"
cmp -s "$tmp/elsewhere.md" "$tmp/audit.want" && cmp -s docs/AUDIT.md "$tmp/audit.orig" &&
  ok "fix -o: the rewritten audit written elsewhere, the audit untouched" || fail "fix -o: the rewritten audit written elsewhere"
run "$AUDITMD" fix HEAD:docs/AUDIT.md
expect_rc 2 "fix: REV:PATH refused"
expect_err "auditmd: error: fix: AUDIT must be a file (it is rewritten), not REV:PATH" "fix: REV:PATH refused, said so"
"$AUDITMD" fix - <docs/AUDIT.md >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 2 "fix: standard input refused"
ln -s docs/AUDIT.md LINKED.md
cp docs/AUDIT.md "$tmp/audit.before"
run "$AUDITMD" fix --as-of HEAD~3 LINKED.md
expect_rc 2 "fix: a symbolic link refused"
expect_err "auditmd: error: fix: LINKED.md is a symbolic link: give the file it points to, or -o FILE" "fix: a symbolic link refused, said so"
[ -L LINKED.md ] && cmp -s docs/AUDIT.md "$tmp/audit.before" && ! grep -q rewritten "$tmp/err" &&
  ok "fix: the link and its file untouched, nothing listed as rewritten" || fail "fix: the link and its file untouched" "$(ls -l LINKED.md; cat "$tmp/err")"
run "$AUDITMD" fix --as-of HEAD~3 --dry-run LINKED.md
expect_rc 0 "fix --dry-run of a symbolic link: only read"
expect_out "+- Evidence: \`services/api/app.py:123-134\`" "fix --dry-run of a symbolic link: the diff"
finish
