#!/usr/bin/env bash
# End-to-end tests of `auditmd lint`: every rule on a fixture, the ways to
# switch rules off, the formats, exit codes, and verify states with --repo.
#   lint.sh AUDITMD DATA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
DATA=$2
SHARED=${3:-}
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
L=$DATA/lint.md

run "$AUDITMD" lint "$L"
expect_rc 1 "lint finds errors"
expect_out "lint.md:3:1: warning: [bad-date] 'Date: someday soon' is not a date" "bad-date with its position"
expect_out "lint.md:11:1: error: [duplicate-id] ID 'H-01' is used by more than one finding" "duplicate-id"
expect_out "lint.md:15:1: warning: [duplicate-title] finding 'Token leak in logs' has the title of H-01 on line 7" "duplicate-title"
expect_out "lint.md:19:1: warning: [status-conflict] the heading of 'Cache stampede (Resolved)' says resolved but its status is 'Open' (open)" "status-conflict"
expect_out "lint.md:23:1: warning: [resolved-without-evidence] finding 'Rate limits'" "resolved-without-evidence"
expect_out "lint.md:28:14: error: [malformed-citation] citation 'e.py:52-10'" "reversed range"
expect_out "lint.md:28:31: error: [malformed-citation] citation 'e.py:0'" "line zero"
expect_out "lint.md:34:1: warning: [open-subtask] finding 'Migration' is resolved but 1 of its 2 checklist items are open" "open-subtask"
expect_out "lint.md:40:1: warning: [no-evidence] finding 'No evidence at all'" "no-evidence"
expect_out "3 errors, 6 warnings, 0 notes (1 switched off in the audit or the configuration)" "summary with the switched-off count"
if grep -q "Quietly resolved\|Fixed in a commit" "$tmp/out"; then
  fail "disable-next-line and a commit id keep findings quiet"; else ok "disable-next-line and a commit id keep findings quiet"; fi

# Switching rules off: the configuration, a line, the whole file.
mkdir -p "$tmp/cfg"
cp "$L" "$tmp/cfg/AUDIT.md"
echo '{ "lint": { "disable": ["duplicate-id", "malformed-citation", "bad-date"] } }' >"$tmp/cfg/.auditmd.json"
run "$AUDITMD" lint "$tmp/cfg/AUDIT.md"
expect_rc 0 "no errors left once switched off in .auditmd.json"
expect_out "0 errors, 5 warnings, 0 notes (5 switched off" "configuration switches rules off"
echo '{ "lint": { "disable": "no-date" } }' >"$tmp/cfg/.auditmd.json"
run "$AUDITMD" lint "$tmp/cfg/AUDIT.md"
expect_rc 3 "a bad lint configuration"
expect_err "\"lint\" must be {\"disable\": [rule ids]}" "bad configuration named"
rm "$tmp/cfg/.auditmd.json"
{ echo "<!-- auditmd-disable duplicate-title no-evidence -->"; cat "$L"; } >"$tmp/cfg/AUDIT.md"
run "$AUDITMD" lint "$tmp/cfg/AUDIT.md"
grep -q "duplicate-title\|no-evidence" "$tmp/out" && fail "auditmd-disable for the whole file" || ok "auditmd-disable for the whole file"
sed 's/^- Evidence: `e.py:52-10` and `e.py:0`$/- Evidence: `e.py:52-10` and `e.py:0` <!-- auditmd-disable-line malformed-citation -->/' "$L" >"$tmp/cfg/AUDIT.md"
run "$AUDITMD" lint "$tmp/cfg/AUDIT.md"
expect_out "1 error, 6 warnings" "auditmd-disable-line on the line itself"
{ echo "<!-- auditmd-disable -->"; cat "$L"; } >"$tmp/cfg/AUDIT.md"
run "$AUDITMD" lint "$tmp/cfg/AUDIT.md"
expect_rc 0 "auditmd-disable without ids switches every rule off"

# Many findings of one title with open items under resolved ones: linear.
python3 -c 'import sys; sys.stdout.write("# T\nDate: 2026-01-01\n" + "".join("- [x] item\n  - [ ] sub %d\n" % i for i in range(100000)))' >"$tmp/many.md"
run guard 20 "$AUDITMD" lint --fail-on none "$tmp/many.md"
expect_rc 0 "lint of 200,000 findings in bounded time"
expect_out "0 errors, 299999 warnings" "every duplicate title and open subtask reported"

# Exit codes and formats.
run "$AUDITMD" lint --fail-on none "$L"
expect_rc 0 "--fail-on none"
run "$AUDITMD" lint --fail-on warning "$DATA/todo.md"
expect_rc 1 "--fail-on warning"
run "$AUDITMD" lint "$DATA/todo.md"
expect_rc 0 "warnings only: exit 0"
run "$AUDITMD" lint --fail-on sometimes "$L"
expect_rc 2 "--fail-on bad value"
run "$AUDITMD" lint --format json "$L"
expect_jq '.schema' '"auditmd-lint/1"' "json schema name"
expect_jq '.summary' '{"errors":3,"warnings":6,"suppressed":1,"notes":0}' "json summary"
expect_jq '.issues[1] | [.rule, .severity, .line, .column, .finding]' '["duplicate-id","error",11,1,"H-01"]' "json issue"
run "$AUDITMD" lint --format github "$L"
head -n 3 "$tmp/out" | grep -c '^::error ' | grep -qx 3 && ok "github: errors first" || fail "github: errors first" "$(head -3 "$tmp/out")"
expect_out "::warning file=" "github warnings"
run "$AUDITMD" lint --format sarif "$L"
expect_jq '[.runs[0].results[] | .ruleId] | length' '9' "sarif results"
jq -e '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)' "$tmp/out" >/dev/null &&
  ok "sarif ruleIndex" || fail "sarif ruleIndex"
if [ -n "$SHARED" ] && [ -f "$SHARED/sarif/sarif-schema-2.1.0.json" ] && python3 -c 'import jsonschema' 2>/dev/null; then
  python3 - "$SHARED/sarif/sarif-schema-2.1.0.json" "$tmp/out" <<'PY' && ok "lint SARIF validates against the SARIF 2.1.0 schema" || fail "lint SARIF validates against the SARIF 2.1.0 schema"
import json, sys, jsonschema
jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))
PY
else
  echo "# SKIP lint SARIF schema validation: needs -Dshared_dir and python3-jsonschema"
fi
run "$AUDITMD" lint "$tmp/nothere.md"
expect_rc 3 "missing audit"

# A title with line breaks cannot forge lint lines or workflow commands: one
# problem is one line that starts with the audit's name.
printf '# A\n\nDate: 2026-01-01\n\n- [ ] **Same\nother.md:1:1: error: [fake] injected\n::error::injected** a.py:1\n- [ ] **Same\nother.md:1:1: error: [fake] injected\n::error::injected** a.py:2\n' >"$tmp/nl.md"
run "$AUDITMD" lint "$tmp/nl.md"
expect_rc 0 "lint of titles with line breaks"
bad=$(grep -v "^$tmp/nl.md:[0-9]*:[0-9]*: \|^[0-9]* errors\?, " "$tmp/out")
[ -z "$bad" ] && ok "lint text: every line is a problem of nl.md or the summary" || fail "lint text: every line is a problem of nl.md or the summary" "$bad"
expect_out "finding 'Same\x0aother.md:1:1: error: [fake] injected\x0a::error::injected'" "lint text: the line breaks shown"
printf '# A \033]8;;http://x\007\n\n### 1) T \033[2J\n- Status: Open\n' >"$tmp/esc.md"
for fmt in text github; do
  run "$AUDITMD" lint --format "$fmt" "$tmp/esc.md"
  LC_ALL=C grep -q $'[\001-\010\013-\037\177]' "$tmp/out" && fail "lint --format $fmt: no raw control character" || ok "lint --format $fmt: no raw control character"
done
run "$AUDITMD" lint --format github "$tmp/nl.md"
bad=$(grep -v '^::\(error\|warning\) file=' "$tmp/out")
[ -z "$bad" ] && ok "lint github: every line is a workflow command of the audit" || fail "lint github: every line is a workflow command of the audit" "$bad"

# -q: errors only, in every format; --fail-on warning then fails on errors.
run "$AUDITMD" lint -q "$L"
expect_rc 1 "lint -q still fails on errors"
expect_out "3 errors, 0 warnings" "lint -q counts no warnings"
grep -q ": warning: " "$tmp/out" && fail "lint -q lists no warnings" || ok "lint -q lists no warnings"
run "$AUDITMD" lint --quiet --format json "$L"
expect_jq '[.summary.warnings, ([.issues[] | .severity] | unique)]' '[0,["error"]]' "lint --quiet: JSON without warnings"
run "$AUDITMD" lint -q --fail-on warning "$DATA/todo.md"
expect_rc 0 "lint -q --fail-on warning: warnings do not fail"

# --rev and --as-of say where the code is: they need --repo.
for opt in --rev --as-of; do
  run "$AUDITMD" lint "$opt" HEAD "$L"
  expect_rc 2 "lint $opt without --repo"
  expect_err "auditmd: error: lint: $opt needs --repo" "lint $opt without --repo: the error says so"
  expect_err_lines 1 "lint $opt without --repo: one line"
done
run "$AUDITMD" lint --fail-on '' "$L"
expect_rc 2 "lint --fail-on ''"

# With --repo, the verify states join in.
EX=$(cd "$(dirname "$0")/../examples" && pwd)
"$EX/make-repo.sh" "$tmp" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1
run "$AUDITMD" lint --repo "$tmp/repo" HEAD~1:docs/AUDIT.md
expect_rc 1 "lint --repo: deleted citations are errors"
expect_out "HEAD~1:docs/AUDIT.md:16:14: error: [citation-deleted] services/api/routes/upload.py:12-40: deleted (file deleted)" "citation-deleted"
expect_out "warning: [citation-moved] services/api/app.py:120-131: moved" "citation-moved"
expect_out "warning: [citation-symbol_missing] deploy/Dockerfile:1-20" "citation-symbol_missing"
(cd "$tmp/repo" && "$AUDITMD" lint --repo . docs/AUDIT.md) >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_out "[citation-unconfirmed] deploy/Dockerfile:1-20: unconfirmed (finding F6 is resolved, but the cited lines did not change since it was open)" "citation-unconfirmed"
# --- baselines: a lint fails only on issues that are not in the baseline ---------------
run "$AUDITMD" lint --write-baseline "$tmp/lint-base.json" "$L"
expect_rc 1 "lint --write-baseline: the run itself as usual"
"$AUDITMD" lint --format sarif "$L" >"$tmp/lint-base.sarif" 2>/dev/null
for base in lint-base.json lint-base.sarif; do
  run "$AUDITMD" lint --baseline "$tmp/$base" "$L"
  expect_rc 0 "lint --baseline $base: every error already there"
  expect_out "(in the baseline)" "lint --baseline $base: said on each line"
done
# A finding whose ID another one already uses: a new error.
cp "$L" "$tmp/lint-new.md"
printf '\n### [H-01] Yet another finding with the same ID\n- Status: Open\n- Evidence: `x.py:1`\n' >>"$tmp/lint-new.md"
run "$AUDITMD" lint --baseline "$tmp/lint-base.json" --format json "$tmp/lint-new.md"
expect_rc 1 "lint --baseline: a new error fails"
expect_jq '[.issues[] | select(.baseline == "new") | .rule] | unique' '["duplicate-id"]' "lint --baseline: the new issue is new"
expect_jq '.summary.unchanged == ([.issues[] | select(.baseline == "unchanged")] | length) and .summary.unchanged > 0' 'true' \
  "lint --baseline: the others unchanged, counted"
run "$AUDITMD" lint --baseline "$tmp/lint-base.json" --fail-on warning --format sarif "$tmp/lint-new.md"
expect_rc 1 "lint --baseline --fail-on warning"
expect_jq '[.runs[0].results[] | .baselineState] | unique' '["new","unchanged"]' "lint sarif: baselineState"
# The new audit as the baseline of the old one: the duplicate ID is gone.
"$AUDITMD" lint --format json "$tmp/lint-new.md" >"$tmp/lint-new.json" 2>/dev/null
run "$AUDITMD" lint --baseline "$tmp/lint-new.json" --format json "$L"
expect_rc 0 "lint --baseline: fewer issues than the baseline fail nothing"
expect_jq '.summary.absent' '1' "lint --baseline: the issue gone since the baseline counted (absent)"
expect_jq '[.issues[] | .baseline] | unique' '["unchanged"]' "lint --baseline: the rest unchanged"
run "$AUDITMD" lint --baseline "$tmp/lint-new.json" "$L"
expect_out " unchanged since the baseline, 1 gone" "lint text: the issue gone since the baseline"
run "$AUDITMD" lint --format json "$L"
expect_jq '.summary | has("absent")' 'false' "lint without a baseline: no absent"

finish
