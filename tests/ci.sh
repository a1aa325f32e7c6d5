#!/usr/bin/env bash
# The CI integrations, run for real: the `run:` steps of
# examples/github/audit-check.yml (lint, verify, diff) in a repository with a
# base and a head commit, and examples/pre-commit's configuration (auditmd's
# own hooks) on a repository with a staged audit.
#   ci.sh AUDITMD DATA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
DATA=$2
SHARED=${3:-}
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp TZ=UTC
EX=$(cd "$(dirname "$0")/../examples" && pwd)
mkdir -p "$tmp/bin"
ln -s "$AUDITMD" "$tmp/bin/auditmd"
export PATH="$tmp/bin:$PATH"

# --- the GitHub workflow ---------------------------------------------------------
"$EX/make-repo.sh" "$tmp" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1
R=$tmp/repo
git -C "$R" mv docs/AUDIT.md docs/SECURITY_AUDIT.md
git -C "$R" -c user.name=A -c user.email=a@example.org commit -qm "rename the audit"
BASE=$(git -C "$R" rev-parse HEAD)
cp "$EX/audit/PLATFORM_AUDIT-2026-01-16.md" "$R/docs/SECURITY_AUDIT.md"
git -C "$R" -c user.name=A -c user.email=a@example.org commit -qam "audit of 2026-01-16"

# step ID: runs that step's `run:` script as the workflow would (bash -e),
# with the workflow's and the step's env and GitHub's variables.
step() {
  python3 - "$EX/github/audit-check.yml" "$1" >"$tmp/step.sh" <<'PY' || return 1
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
env = dict(wf.get("env", {}))
for job in wf["jobs"].values():
    for s in job["steps"]:
        if s.get("id") == sys.argv[2]:
            env.update(s.get("env", {}))
            for k, v in env.items():
                v = str(v).replace("${{ github.event.pull_request.base.sha }}", "$PR_BASE")
                print('export %s="%s"' % (k, v))
            print(s["run"])
            sys.exit(0)
sys.exit("no step " + sys.argv[2])
PY
  (cd "$R" && GITHUB_WORKSPACE=$R GITHUB_STEP_SUMMARY=$tmp/summary.md PR_BASE=$BASE bash -e "$tmp/step.sh") >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

python3 -c 'import yaml' 2>/dev/null || { echo "Bail out! python3-yaml is required"; exit 1; }
python3 -c "import yaml; yaml.safe_load(open('$EX/github/audit-check.yml'))" && ok "the workflow is valid YAML" || fail "the workflow is valid YAML"
: >"$tmp/summary.md"
step lint
expect_rc 0 "workflow step: lint"
step verify
expect_rc 1 "workflow step: verify fails on broken evidence"
[ -s "$R/auditmd.sarif" ] && jq -e '.version == "2.1.0" and (.runs[0].results | length) > 0' "$R/auditmd.sarif" >/dev/null &&
  ok "workflow step: SARIF written for upload" || fail "workflow step: SARIF written for upload"
expect_out "::error file=docs/SECURITY_AUDIT.md,line=" "workflow step: annotations on the audit file"
step diff
expect_rc 0 "workflow step: diff"
grep -q "^## 2026-01-16 — PLATFORM_AUDIT" "$tmp/summary.md" && grep -q "^### Resolved" "$tmp/summary.md" &&
  ok "the job summary holds the audit's changelog entry" || fail "the job summary holds the audit's changelog entry" "$(head -5 "$tmp/summary.md")"
# A regression in the pull request fails the step.
sed -i -e 's/^### 1) Session cookies lack the Secure flag (Resolved)$/### 1) Session cookies lack the Secure flag/' \
  -e '/^### 1)/,/^### 2)/s/^- Status: Resolved\.$/- Status: Open./' "$R/docs/SECURITY_AUDIT.md"
git -C "$R" -c user.name=A -c user.email=a@example.org commit -qam "reopen 1"
BASE=$(git -C "$R" rev-parse HEAD~1)
step diff
expect_rc 1 "workflow step: a regression fails the check"
expect_out "::error file=docs/SECURITY_AUDIT.md,title=auditmd::findings regressed" "regression annotated"
# An audit new in the pull request.
BASE=$(git -C "$R" rev-list --max-parents=0 HEAD)
: >"$tmp/summary.md"
step diff
expect_rc 0 "workflow step: a new audit"
grep -q "The audit is new in this pull request." "$tmp/summary.md" && grep -q "^# PLATFORM_AUDIT" "$tmp/summary.md" &&
  ok "a new audit is summarised" || fail "a new audit is summarised"

# --- pre-commit -----------------------------------------------------------------------
if command -v pre-commit >/dev/null; then
  # auditmd's hooks as a repository of their own, where the example's
  # `repo:` points.
  H=$tmp/hooks
  mkdir -p "$H/scripts"
  cp "$EX/../.pre-commit-hooks.yaml" "$H/"
  cp "$EX/../scripts/pre-commit-hook" "$H/scripts/"
  git init -q -b main "$H" && git -C "$H" add -A && git -C "$H" -c user.name=A -c user.email=a@example.org commit -qm hooks
  git -C "$H" tag v0
  P=$tmp/pc
  "$EX/make-repo.sh" "$tmp/pcx" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1
  mv "$tmp/pcx/repo" "$P"
  sed "s|repo: https://github.com/auditmd/auditmd|repo: $H|" "$EX/pre-commit/.pre-commit-config.yaml" >"$P/.pre-commit-config.yaml"
  git -C "$P" add .pre-commit-config.yaml
  git -C "$P" -c user.name=A -c user.email=a@example.org commit -qm "hooks"
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pre-commit-home pre-commit install) >"$tmp/out" 2>&1 || fail "pre-commit install" "$(cat "$tmp/out")"
  # A staged audit whose evidence holds: the commit goes through.
  cp "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" "$P/docs/NEW_AUDIT.md"
  sed -i 's|services/api/routes/upload.py:12-40|services/api/routes/admin.py:12-40|; s|services/api/routes/billing.py:88-104|services/api/routes/payments.py:88-104|; s|services/api/routes/admin.py (lines 200-236)|services/api/routes/admin.py (lines 100-136)|' "$P/docs/NEW_AUDIT.md"
  git -C "$P" add docs/NEW_AUDIT.md
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pre-commit-home git -c user.name=A -c user.email=a@example.org commit -qm "a good audit") >"$tmp/out" 2>&1; rc=$?
  expect_rc 0 "pre-commit: an audit whose evidence holds is committed"
  # A staged audit citing a deleted file: the hook stops the commit.
  cp "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" "$P/docs/OLD_AUDIT.md"
  git -C "$P" add docs/OLD_AUDIT.md
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pre-commit-home git -c user.name=A -c user.email=a@example.org commit -qm "a bad audit") >"$tmp/out" 2>&1; rc=$?
  expect_rc 1 "pre-commit: an audit citing missing code is refused"
  expect_out "services/api/routes/upload.py:12-40: missing" "pre-commit: the hook says why"
  [ "$(git -C "$P" log -1 --format=%s)" = "a good audit" ] && ok "pre-commit: nothing was committed" || fail "pre-commit: nothing was committed"
else
  echo "# SKIP pre-commit not installed: the hook test did not run (scripts/test.sh installs it)"
fi
finish
