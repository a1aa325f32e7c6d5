#!/usr/bin/env bash
# What auditmd ships for CI, run for real on repositories the test builds
# with fixed dates: the steps of the GitHub Action (action.yml, through
# tests/run_action.py) on a pull request with a base and a head commit and
# on a push, its comment step against a stub of the REST API that records
# every request (created the first time, updated the next, never two);
# the pre-commit hooks of .pre-commit-hooks.yaml through `pre-commit
# try-repo`; the Dockerfile (its stages, the build script it shares with
# the tests, hadolint when installed); the GitLab example.
#   action.sh AUDITMD SOURCE_ROOT
set -u
AUDITMD=$1
SRC=$2
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp TZ=UTC
export GIT_AUTHOR_NAME=Auditor GIT_AUTHOR_EMAIL=a@example.org GIT_COMMITTER_NAME=Committer \
  GIT_COMMITTER_EMAIL=c@example.org
unset GITHUB_STEP_SUMMARY GITHUB_OUTPUT GITHUB_ENV GITHUB_PATH
commit() { GIT_AUTHOR_DATE="$2T12:00:00Z" GIT_COMMITTER_DATE="$2T12:00:00Z" git -C "$1" commit -qm "$3"; }
python3 -c 'import yaml' 2>/dev/null || { echo "Bail out! python3-yaml is required"; exit 1; }
mkdir -p "$tmp/bin"
ln -s "$AUDITMD" "$tmp/bin/auditmd"
export PATH="$tmp/bin:$PATH"

# --- the fixture: a pull request -------------------------------------------------
R=$tmp/repo
git init -q -b main "$R"
mkdir -p "$R/src" "$R/docs"
seq -f 'app %g' 1 20 >"$R/src/app.py"
seq -f 'billing %g' 1 30 >"$R/src/billing.py"
printf '# Audit\nDate: 2026-01-10\n\n### 1) Leak\n- Status: Open\n- Evidence: `src/app.py:5-8`\n\n### 2) Billing\n- Status: Open\n- Evidence: `src/billing.py:10-12`\n' >"$R/docs/AUDIT.md"
git -C "$R" add -A && commit "$R" 2026-01-10 base
BASE=$(git -C "$R" rev-parse HEAD)
sed -i 's/^billing 11$/billing eleven/' "$R/src/billing.py"
printf '\n### 3) New\n- Status: Open\n- Evidence: `src/gone.py:1`\n' >>"$R/docs/AUDIT.md"
git -C "$R" add -A && commit "$R" 2026-01-20 head

# --- a stub of the REST API: comments of issue 7 of o/r, every request recorded --
cat >"$tmp/stub.py" <<'PY'
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

log = open(sys.argv[1], "a", buffering=1)
comments = [{"id": 1, "body": "LGTM, with a <!-- auditmd-check --> quoted inside", "user": {"login": "someone"}}]

class Stub(BaseHTTPRequestHandler):
    def reply(self, code, value):
        data = json.dumps(value).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self, body=None):
        log.write(json.dumps({"method": self.command, "path": self.path,
                              "auth": self.headers.get("Authorization"), "body": body}) + "\n")

    def do_GET(self):
        self.record()
        if self.path.startswith("/repos/o/r/issues/7/comments"):
            page = int(self.path.rsplit("page=", 1)[1]) if "&page=" in self.path else 1
            return self.reply(200, comments if page == 1 else [])
        self.reply(404, {"message": "Not Found"})

    def body(self):
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def too_long(self, b):
        """As the API: a comment body over 65,536 characters is refused."""
        if len(b["body"]) <= 65536:
            return False
        self.reply(422, {"message": "Validation Failed", "errors": [{"message": "body is too long"}]})
        return True

    def do_POST(self):
        b = self.body()
        self.record(b)
        if self.path != "/repos/o/r/issues/7/comments":
            return self.reply(404, {"message": "Not Found"})
        if self.too_long(b):
            return
        c = {"id": 100 + len(comments), "body": b["body"], "user": {"login": "github-actions[bot]"}}
        comments.append(c)
        self.reply(201, c)

    def do_PATCH(self):
        b = self.body()
        self.record(b)
        if self.too_long(b):
            return
        for c in comments:
            if self.path == "/repos/o/r/issues/comments/%d" % c["id"]:
                c["body"] = b["body"]
                return self.reply(200, c)
        self.reply(404, {"message": "Not Found"})

    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Stub)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
: >"$tmp/requests"
python3 "$tmp/stub.py" "$tmp/requests" "$tmp/port" &
stub=$!
trap 'kill "$stub" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
PORT=$(cat "$tmp/port" 2>/dev/null)
[ -n "$PORT" ] && ok "the stub API listens" || { fail "the stub API listens"; finish; exit; }

# action EVENT [INPUT=VALUE...]: runs the action's steps in the fixture as
# GitHub would for EVENT, with the built auditmd (no build here).
action() {
  local event=$1
  shift
  mkdir -p "$tmp/runner"
  : >"$tmp/summary.md"
  python3 - "$event" "$BASE" "$PORT" "$R" "$tmp" "$AUDITMD" "$@" >"$tmp/context.json" <<'PY'
import json, sys
event, base, port, repo, tmp, auditmd = sys.argv[1:7]
inputs = {"auditmd": auditmd}
inputs.update(a.split("=", 1) for a in sys.argv[7:])
github = {"event_name": event, "repository": "o/r", "api_url": "http://127.0.0.1:" + port,
          "token": "t0ken", "sha": "HEAD", "workspace": repo}
if event == "pull_request":
    github["event"] = {"pull_request": {"number": 7, "base": {"sha": base}}}
print(json.dumps({"inputs": inputs, "github": github,
                  "runner": {"temp": tmp + "/runner", "tool_cache": tmp + "/tools"},
                  "env": {"RUNNER_TOOL_CACHE": tmp + "/tools"},
                  "cwd": repo, "summary": tmp + "/summary.md", "outputs_file": tmp + "/outputs.json"}))
PY
  python3 "$(dirname "$0")/run_action.py" "$SRC" "$tmp/context.json" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
requests() { jq -r '.method + " " + .path' "$tmp/requests" | tr '\n' ';'; }

python3 -c "import yaml; a = yaml.safe_load(open('$SRC/action.yml')); assert a['runs']['using'] == 'composite'" &&
  ok "action.yml is a composite action" || fail "action.yml is a composite action"

# A pull request: check, SARIF, annotations, the summary, one comment.
action pull_request comment=true
expect_rc 1 "action, pull request: the job fails on a broken citation"
expect_out "skip step1" "action: the cache is not used with an auditmd given"
expect_out "run install" "action: the install step"
expect_out "::error file=docs/AUDIT.md,line=14,col=14,title=auditmd check%3A broken (finding F3)::src/gone.py:1 does not hold at head: missing (finding F3)" "action: the broken citation annotated"
expect_out "::notice file=src/billing.py,line=11," "action: the edited code annotated"
expect_out "uses step4 github/codeql-action/upload-sarif@v3" "action: the SARIF uploaded"
expect_out "created comment 101" "action: the comment created"
[ "$(jq -r '.["exit-code"]' "$tmp/outputs.json")" = 1 ] && ok "action: output exit-code" || fail "action: output exit-code" "$(cat "$tmp/outputs.json")"
sarif=$(jq -r '.sarif' "$tmp/outputs.json")
[ -n "$sarif" ] && jq -e '.version == "2.1.0" and (.runs[0].results | map(.ruleId) | sort) == ["broken", "touched"]' "$sarif/check.sarif" >/dev/null &&
  ok "action: SARIF written for upload" || fail "action: SARIF written for upload" "$(ls "$sarif" 2>&1)"
[ "$(head -1 "$tmp/summary.md")" = "<!-- auditmd-check -->" ] && grep -q '^| ❌ error |' "$tmp/summary.md" &&
  ok "action: the report in the job summary" || fail "action: the report in the job summary" "$(head -3 "$tmp/summary.md")"
[ "$(requests)" = "GET /repos/o/r/issues/7/comments?per_page=100&page=1;POST /repos/o/r/issues/7/comments;" ] &&
  ok "action: the comments listed, one created" || fail "action: the comments listed, one created" "$(requests)"
jq -e 'select(.method == "POST") | (.auth == "Bearer t0ken") and (.body.body | startswith("<!-- auditmd-check -->\n## Audit check"))' "$tmp/requests" >/dev/null &&
  ok "action: the comment is the md report, sent with the workflow's token" || fail "action: the comment is the md report"

# A baseline that holds the broken citation: reported, failing nothing.
(cd "$R" && "$AUDITMD" check --base "$BASE" --format json --fail-on none -o "$tmp/check-baseline.json")
: >"$tmp/requests"
action pull_request baseline="$tmp/check-baseline.json"
expect_rc 0 "action, pull request: a broken citation in the baseline fails nothing"
expect_out "::error file=docs/AUDIT.md,line=14,col=14,title=auditmd check%3A broken (finding F3)::src/gone.py:1 does not hold at head: missing (finding F3) (in the baseline)" "action: the baseline's result annotated as such"
jq -e '.runs[0].results | map(.baselineState) | unique == ["unchanged"]' "$(jq -r '.sarif' "$tmp/outputs.json")/check.sarif" >/dev/null &&
  ok "action: the SARIF says unchanged" || fail "action: the SARIF says unchanged"

# The pull request moves on (the missing file added): the same comment,
# edited in place.
seq -f 'gone %g' 1 3 >"$R/src/gone.py"
git -C "$R" add -A && commit "$R" 2026-01-21 "add gone.py"
: >"$tmp/requests"
action pull_request comment=true
expect_rc 0 "action, pull request: the job passes once the citation holds"
expect_out "updated comment 101" "action: the comment updated"
[ "$(requests)" = "GET /repos/o/r/issues/7/comments?per_page=100&page=1;PATCH /repos/o/r/issues/comments/101;" ] &&
  ok "action: the comment found by its marker and edited, none created" || fail "action: the comment edited in place" "$(requests)"
jq -e 'select(.method == "PATCH") | .body.body | contains("0 errors")' "$tmp/requests" >/dev/null &&
  ok "action: the edited comment says what is true now" || fail "action: the edited comment says what is true now"
: >"$tmp/requests"
action pull_request comment=true
expect_out "comment 101 is up to date" "action: the same report again: nothing written"
[ "$(requests)" = "GET /repos/o/r/issues/7/comments?per_page=100&page=1;" ] && ok "action: a third run writes nothing" ||
  fail "action: a third run writes nothing" "$(requests)"
: >"$tmp/requests"
action pull_request
expect_out "skip step5" "action: no comment unless asked"
[ ! -s "$tmp/requests" ] && ok "action: no request without comment" || fail "action: no request without comment" "$(requests)"

# A report longer than a comment may be: cut at a line, and said so.
{ echo '<!-- auditmd-check -->'; echo '## Audit check'; echo; echo '| | Audit | Line | |'; echo '|---|---|---|---|'
  for i in $(seq 2000); do echo "| ℹ️ note | \`docs/AUDIT.md\` | $i | this change edits code cited by open finding F$i — resolved? |"; done
} >"$tmp/long.md"
: >"$tmp/requests"
(cd "$R" && GITHUB_TOKEN=t0ken python3 "$SRC/scripts/pr-comment.py" --api "http://127.0.0.1:$PORT" --repo o/r --pr 7 --body "$tmp/long.md") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "pr-comment: a report over 65,536 characters"
expect_out "updated comment 101" "pr-comment: the long report accepted"
jq -e 'select(.method == "PATCH") | .body.body | (length <= 65536) and startswith("<!-- auditmd-check -->\n## Audit check")
  and (split("\n") | map(select(test("^_… [0-9]+ more lines of the report are not shown: see the job summary\\._$"))) | length == 1)
  and (split("\n") | map(select(startswith("| ℹ️ note"))) | length > 500)' "$tmp/requests" >/dev/null &&
  ok "pr-comment: the long report cut at a line, what was left out said" || fail "pr-comment: the long report cut" "$(jq -c '.body.body | length' "$tmp/requests")"

# A push: verify each audit (found by check), SARIF per audit, no comment.
action push comment=true
expect_rc 1 "action, push: verify fails (the audit's revision was written before gone.py existed)"
expect_out "::error file=docs/AUDIT.md,line=14,col=14,title=auditmd missing (finding F3)::src/gone.py:1: missing" "action, push: verify's annotations"
sarif=$(jq -r '.sarif' "$tmp/outputs.json")
jq -e '.runs[0].tool.driver.name == "auditmd"' "$sarif/verify-1.sarif" >/dev/null && ok "action, push: SARIF of verify" ||
  fail "action, push: SARIF of verify" "$(ls "$sarif" 2>&1)"
expect_out "skip step5" "action, push: no comment"
# The install prefix and cache key, when auditmd is to be built.
: >"$tmp/where"
(cd "$R" && GITHUB_OUTPUT=$tmp/where RUNNER_TEMP=$tmp/runner RUNNER_TOOL_CACHE=$tmp/tools AUDITMD= "$SRC/scripts/action.sh" where)
grep -qE "^prefix=$tmp/tools/auditmd/[0-9a-f]{16}\$" "$tmp/where" && grep -qE '^key=auditmd-[a-z0-9._-]+-[0-9a-f]{16}$' "$tmp/where" &&
  ok "action: a cache key from the sources and the system" || fail "action: a cache key" "$(cat "$tmp/where")"

# --- pre-commit: the hooks of .pre-commit-hooks.yaml, tried on a fixture ----------
if command -v pre-commit >/dev/null; then
  H=$tmp/hooks
  mkdir -p "$H/scripts"
  cp "$SRC/.pre-commit-hooks.yaml" "$H/"
  cp "$SRC/scripts/pre-commit-hook" "$H/scripts/"
  git init -q -b main "$H" && git -C "$H" add -A && commit "$H" 2026-01-01 hooks
  P=$tmp/precommit
  git init -q -b main "$P"
  mkdir -p "$P/src" "$P/docs"
  seq -f 'x %g' 1 10 >"$P/src/old.py"
  git -C "$P" add -A && commit "$P" 2026-01-01 code
  # A file added in the same commit as the audit that cites it.
  seq -f 'y %g' 1 10 >"$P/src/new.py"
  printf '# Audit\nDate: 2026-01-02\n\n### 1) New code\n- Status: Open\n- Evidence: `src/new.py:2-4`, `src/old.py:1`\n' >"$P/docs/SECURITY_AUDIT.md"
  git -C "$P" add -A
  for hook in auditmd-lint auditmd-verify; do
    (cd "$P" && PRE_COMMIT_HOME=$tmp/pch pre-commit try-repo "$H" "$hook") >"$tmp/out" 2>&1; rc=$?
    expect_rc 0 "pre-commit $hook: a file added and cited in the same commit passes"
  done
  # A citation of a file that is in no commit nor staged.
  printf -- '- Evidence: `src/missing.py:3`\n' >>"$P/docs/SECURITY_AUDIT.md"
  git -C "$P" add -A
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pch pre-commit try-repo "$H" auditmd-verify) >"$tmp/out" 2>&1; rc=$?
  expect_rc 1 "pre-commit auditmd-verify: a missing file fails"
  expect_out "docs/SECURITY_AUDIT.md:7:14: error: src/missing.py:3: missing" "pre-commit auditmd-verify: the reason"
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pch pre-commit try-repo "$H" auditmd-lint) >"$tmp/out" 2>&1; rc=$?
  expect_rc 1 "pre-commit auditmd-lint: a missing file fails"
  expect_out "[citation-missing]" "pre-commit auditmd-lint: the rule"
  # What is staged is what the hooks read: a bad citation not staged is
  # not checked.
  sed -i '$d' "$P/docs/SECURITY_AUDIT.md"
  git -C "$P" add -A
  printf -- '- Evidence: `src/missing.py:3`\n' >>"$P/docs/SECURITY_AUDIT.md"
  (cd "$P" && PRE_COMMIT_HOME=$tmp/pch pre-commit try-repo "$H" auditmd-verify) >"$tmp/out" 2>&1; rc=$?
  expect_rc 0 "pre-commit auditmd-verify: an unstaged edit is not checked"
else
  echo "# SKIP pre-commit not installed: the hooks were not tried (scripts/test.sh installs it)"
fi

# --- the Dockerfile ------------------------------------------------------------------
D=$SRC/Dockerfile
[ "$(grep -c '^FROM ' "$D")" = 2 ] && grep -q '^FROM debian:12-slim AS build$' "$D" && grep -q '^COPY --from=build ' "$D" &&
  ok "Dockerfile: two stages, the runtime one copied from the build" || fail "Dockerfile: two stages"
grep -q '^RUN scripts/build.sh --deps --bundle ' "$D" && grep -q '"$SRC/scripts/build.sh"' "$(dirname "$0")/install.sh" &&
  ok "Dockerfile: built by scripts/build.sh, as tests/install.sh builds" || fail "Dockerfile: built by scripts/build.sh"
grep -q '^ENTRYPOINT \["auditmd"\]$' "$D" && ok "Dockerfile: auditmd is the entry point" || fail "Dockerfile: auditmd is the entry point"
for p in bin/ libexec/auditmd/ lib/auditmd/ share/auditmd/; do
  grep -q "^COPY --from=build /opt/auditmd/$p " "$D" && ok "Dockerfile: the runtime image holds $p" || fail "Dockerfile: the runtime image holds $p"
done
if command -v hadolint >/dev/null; then
  hadolint "$D" >"$tmp/out" 2>&1 && ok "hadolint: the Dockerfile is clean" || fail "hadolint: the Dockerfile is clean" "$(head -5 "$tmp/out")"
else
  echo "# SKIP hadolint is not installed: the Dockerfile was not linted"
fi

# --- GitLab -----------------------------------------------------------------------------
G=$SRC/examples/gitlab/.gitlab-ci.yml
python3 - "$G" <<'PY' && ok "examples/gitlab/.gitlab-ci.yml: valid YAML, a code quality report" || fail "examples/gitlab/.gitlab-ci.yml"
import sys, yaml
ci = yaml.safe_load(open(sys.argv[1]))
jobs = [j for k, j in ci.items() if isinstance(j, dict) and "script" in j]
assert any(j.get("artifacts", {}).get("reports", {}).get("codequality") == "gl-code-quality-report.json" for j in jobs)
assert any("auditmd verify --format codeclimate -o gl-code-quality-report.json" in " ".join(j["script"]) for j in jobs)
assert any("auditmd check" in " ".join(j["script"]) for j in jobs)
PY
# The merge request job's script, run as GitLab's shell would in the
# fixture, with the baseline variable set.
python3 -c 'import sys, yaml; print("\n".join(yaml.safe_load(open(sys.argv[1]))["audit-merge-request"]["script"]))' "$G" >"$tmp/mr.sh"
(cd "$R" && CI_MERGE_REQUEST_DIFF_BASE_SHA=$BASE AUDITMD_BASELINE=$tmp/check-baseline.json sh -e "$tmp/mr.sh") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "examples/gitlab: the merge request job passes"
grep -q "unchanged since the baseline" "$R/auditmd-check.md" 2>/dev/null && head -1 "$R/auditmd-check.md" | grep -qxF '<!-- auditmd-check -->' &&
  ok "examples/gitlab: the report, compared with AUDITMD_BASELINE" || fail "examples/gitlab: the report" "$(cat "$tmp/err")"

finish
