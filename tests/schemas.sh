#!/usr/bin/env bash
# Validates auditmd's JSON outputs against the JSON Schemas of docs/schema/:
# compile of every test audit and example, diff of revision pairs, verify,
# diff --repo and log (json and jsonl) on the example repository, and a few
# documents spoiled on purpose that must fail (so the validator is known to
# run). Needs python3 with jsonschema (draft 2020-12); skipped (exit 77)
# without it.
# usage: schemas.sh AUDITMD DATA_DIR SCHEMA_DIR
set -u
AUDITMD=$1
DATA=$2
SCHEMAS=$3
case $AUDITMD in */*) AUDITMD=$(cd "$(dirname "$AUDITMD")" && pwd)/$(basename "$AUDITMD") ;; esac
. "$(dirname "$0")/lib.sh"
EXAMPLES=$(cd "$(dirname "$0")/../examples" && pwd)
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp

# A python3 whose jsonschema knows draft 2020-12 (jsonschema >= 4.0).
PY=
for p in "${PYTHON:-python3}" python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then
    PY=$p
    break
  fi
done
if [ -z "$PY" ]; then
  echo "# SKIP schema validation: needs python3 with jsonschema >= 4.0 (python3-jsonschema)"
  exit 77
fi

# The validator reads a manifest, one check a line:
#   EXPECT <tab> SCHEMA <tab> json|jsonl <tab> FILE <tab> NAME [<tab> POINTER=JSON]
# EXPECT is valid or invalid; POINTER=JSON first sets the value at that JSON
# pointer (an RFC 6901 path; a missing last key is added) to spoil the document.
# It prints "ok NAME" or "fail NAME<tab>why" for each.
cat >"$tmp/validate.py" <<'PY'
import json, sys
import jsonschema

schema_dir = sys.argv[1]
validators = {}

def validator(name):
    if name not in validators:
        with open(f"{schema_dir}/{name}.schema.json") as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validators[name] = cls(schema)
    return validators[name]

def patch(doc, spec):
    pointer, value = spec.split("=", 1)
    keys = [k.replace("~1", "/").replace("~0", "~") for k in pointer.split("/")[1:]]
    node = doc
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = json.loads(value)
    else:
        node[last] = json.loads(value)

def problems(v, doc):
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return ["/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:300] for e in errs]

for line in sys.stdin:
    parts = line.rstrip("\n").split("\t")
    expect, schema, mode, path, name = parts[:5]
    spec = parts[5] if len(parts) > 5 else None
    try:
        v = validator(schema)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if mode == "jsonl":
            lines = text.splitlines()
            if not lines:
                raise ValueError("no lines")
            docs = [json.loads(l) for l in lines]
        else:
            docs = [json.loads(text)]
        if spec:
            patch(docs[0], spec)
        why = []
        for i, d in enumerate(docs):
            why += [(f"line {i + 1}: " if mode == "jsonl" else "") + p for p in problems(v, d)]
    except Exception as e:  # unreadable output, bad schema: a failure either way
        print(f"fail {name}\t{type(e).__name__}: {e}")
        continue
    if expect == "valid":
        print(f"ok {name}" if not why else f"fail {name}\t" + " | ".join(why[:5]))
    else:
        print(f"ok {name}" if why else f"fail {name}\tvalidated although spoiled ({spec})")
PY

: >"$tmp/manifest"
k=0
# check EXPECT SCHEMA MODE FILE NAME [PATCH]
check() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}" >>"$tmp/manifest"; }

# out RC_OK NAME CMD...: runs CMD into a new file $f; a failure to produce
# output is a failed check here, the schema check comes later.
out() {
  local want=$1 name=$2
  shift 2
  k=$((k + 1))
  f=$tmp/out$k.json
  "$@" >"$f" 2>"$tmp/err$k" </dev/null
  local got=$?
  case " $want " in
    *" $got "*) [ -s "$f" ] && return 0 ;;
  esac
  fail "$name: ran" "exit $got; stderr: $(head -c 300 "$tmp/err$k")"
  return 1
}

# --- the schemas themselves ---------------------------------------------------------
for s in auditmd-1 auditmd-diff-1 auditmd-log-1 auditmd-log-entry-1 auditmd-verify-1 auditmd-check-1 auditmd-lint-1 gitlab-code-quality; do
  if "$PY" - "$SCHEMAS/$s.schema.json" <<'PY' 2>"$tmp/err"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.validators.validator_for(schema).check_schema(schema)
assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
PY
  then ok "$s.schema.json is a valid draft 2020-12 schema"
  else fail "$s.schema.json is a valid draft 2020-12 schema" "$(tail -n 3 "$tmp/err")"
  fi
done

# --- compile ------------------------------------------------------------------------
# An audit with what the test data lacks: front matter, nested checklist items
# (parent), task lists (tasks), every status, a status conflict with a table
# row, malformed ranges (zero start, zero end, reversed), a File:/Lines: pair,
# whole-file citations and mentions.
cat >"$tmp/cov.md" <<'EOF'
---
title: Coverage
date: 2026-01-20
---
# COVERAGE_AUDIT

Scope: everything

## Findings

### 1) Heading with tasks
- Status: In progress
- Priority: High
- Severity: Critical
- Evidence: `services/api/app.py:0-5`, `deploy/Dockerfile:10-0`, `deploy/Dockerfile:20-10`, `deploy/Dockerfile:3`, `deploy/Dockerfile`
- Fix: edit `services/api/new_module.py`
- [x] step one
- [ ] step two

### 2) Won't fix this one
- Status: Won't fix
- File: services/api/app.py
- Lines: 10-12

### 3) Odd status
- Status: Pondering
- Evidence: `services/api/app.py:12` and `util.py:1`

## Checklist

- [ ] Parent item `web/src/lib/auth.ts:20`
  - [x] Child item `web/src/lib/auth.ts:21`
  - [ ] Other child

## Table

| ID | Finding | Status |
|----|---------|--------|
| T-1 | Heading with tasks | Resolved |
| T-2 | Table only row | Open |
EOF
# The next revision: an explicit ID retitled, one regressed, one removed, one new.
sed -e 's/Status: Won.t fix/Status: Open/' -e '/^### 3) Odd status/,/^$/d' \
  -e 's/| T-2 | Table only row | Open |/| T-2 | Table row, renamed | Resolved |/' \
  -e 's/^## Checklist$/### 4) Brand new finding\n- Evidence: `deploy\/Dockerfile:1`\n\n## Checklist/' \
  "$tmp/cov.md" >"$tmp/cov2.md"

for a in "$DATA"/*.md "$EXAMPLES"/audit/*.md "$tmp/cov.md" "$tmp/cov2.md"; do
  name="compile $(basename "$a")"
  out 0 "$name" "$AUDITMD" compile --format json "$a" && check valid auditmd-1 json "$f" "$name"
done
out 0 "compile --pretty" "$AUDITMD" compile --format json --pretty "$tmp/cov.md" &&
  check valid auditmd-1 json "$f" "compile --pretty"
k=$((k + 1)); f=$tmp/out$k.json
if "$AUDITMD" compile --format json - <"$DATA/todo.md" >"$f" 2>/dev/null; then
  check valid auditmd-1 json "$f" "compile of standard input"
else
  fail "compile of standard input: ran"
fi

# --- diff ---------------------------------------------------------------------------
diff_pair() {
  local name="diff $(basename "$1") $(basename "$2")${3:+ $3}"
  out "0" "$name" "$AUDITMD" diff --format json ${3:-} "$1" "$2" && check valid auditmd-diff-1 json "$f" "$name"
}
diff_pair "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md"
diff_pair "$DATA/modern-2026-01-16.md" "$DATA/modern-2026-01-15.md"
diff_pair "$EXAMPLES/audit/PLATFORM_AUDIT-2026-01-15.md" "$EXAMPLES/audit/PLATFORM_AUDIT-2026-01-16.md"
diff_pair "$EXAMPLES/audit/PLATFORM_AUDIT-2026-01-16.md" "$EXAMPLES/audit/PLATFORM_AUDIT-2026-01-15.md"
diff_pair "$EXAMPLES/audit/SECURITY_REVIEW.md" "$DATA/security.md"
diff_pair "$DATA/todo.md" "$DATA/session.md"
diff_pair "$tmp/cov.md" "$tmp/cov2.md"
diff_pair "$DATA/todo.md" "$DATA/session.md" "--threshold=0.05"
diff_pair "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md" "--pretty"

# --- the example repository: verify, diff --repo, log ----------------------------------
if "$EXAMPLES/make-repo.sh" "$tmp" "$EXAMPLES/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1; then
  R=$tmp/repo
  AUDITED=$(git -C "$R" rev-parse HEAD~2)

  # verify exits 1 when a citation is in a --fail-on state.
  v() {
    local name=$1
    shift
    out "0 1" "$name" "$@" && check valid auditmd-verify-1 json "$f" "$name"
  }
  v "verify REV:PATH with drift" "$AUDITMD" verify --repo "$R" --rev HEAD HEAD~1:docs/AUDIT.md
  v "verify a file outside (as-of from the date)" "$AUDITMD" verify --repo "$R" "$DATA/modern-2026-01-15.md"
  v "verify a committed file" sh -c 'cd "$1" && "$2" verify docs/AUDIT.md' sh "$R" "$AUDITMD"
  v "verify --as-of none" "$AUDITMD" verify --repo "$R" --as-of none HEAD~1:docs/AUDIT.md
  v "verify --as-of REV --rev REV" "$AUDITMD" verify --repo "$R" --as-of "$AUDITED" --rev HEAD~1 "$DATA/modern-2026-01-15.md"
  v "verify edge citations" "$AUDITMD" verify --repo "$R" --rev "$AUDITED" --as-of none "$DATA/verify-edge.md"
  v "verify edge citations --mentions" "$AUDITMD" verify --repo "$R" --as-of "$AUDITED" --mentions "$DATA/verify-edge.md"
  v "verify the coverage audit" "$AUDITMD" verify --repo "$R" --as-of "$AUDITED" --mentions "$tmp/cov.md"
  v "verify --max-blob-size" "$AUDITMD" verify --repo "$R" --as-of none --max-blob-size 10 "$DATA/verify-edge.md"
  v "verify an audit without a date" "$AUDITMD" verify --repo "$R" "$DATA/warnings.md"
  v "verify --pretty" "$AUDITMD" verify --repo "$R" --pretty HEAD~1:docs/AUDIT.md

  # check: the drift commit with the audit unchanged (touched), the next
  # revision of the audit (resolutions, one unconfirmed), the whole history
  # (an audit added), and the drift run backwards (the audit's code gone).
  ck() {
    local name=$1
    shift
    out "0 1" "$name" "$@" && check valid auditmd-check-1 json "$f" "$name"
  }
  ck "check: a change of code only" "$AUDITMD" check --repo "$R" --base HEAD~2 --head HEAD~1 --format json
  ck "check: a change of the audit" "$AUDITMD" check --repo "$R" --base HEAD~1 --format json --pretty
  ck "check: an audit added" "$AUDITMD" check --repo "$R" --base HEAD~3 --format json
  ck "check: backwards" "$AUDITMD" check --repo "$R" --base HEAD --head HEAD~3 --format json
  ck "check: --worktree" "$AUDITMD" check --repo "$R" --base HEAD~2 --worktree --format json
  "$AUDITMD" check --repo "$R" --base HEAD~1 --format sarif --fail-on none >"$tmp/check-base.sarif" 2>/dev/null
  ck "check: --baseline" "$AUDITMD" check --repo "$R" --base HEAD~3 --format json --baseline "$tmp/check-base.sarif"
  # Levels by status, a baseline.
  "$(dirname "$0")/status-repo.sh" "$tmp" >/dev/null 2>&1 || fail "the status repository was built"
  v "verify of closed findings (notes)" "$AUDITMD" verify --repo "$tmp/status" HEAD:docs/AUDIT.md
  "$AUDITMD" verify --repo "$tmp/status" --rev HEAD~1 --format sarif HEAD:docs/AUDIT.md >"$tmp/base.sarif" 2>/dev/null
  v "verify --baseline" "$AUDITMD" verify --repo "$tmp/status" --baseline "$tmp/base.sarif" HEAD:docs/AUDIT.md

  # lint, with the verification's problems, a baseline.
  l() {
    local name=$1
    shift
    out "0 1" "$name" "$@" && check valid auditmd-lint-1 json "$f" "$name"
  }
  for a in "$DATA"/*.md "$tmp/cov.md"; do
    l "lint $(basename "$a")" "$AUDITMD" lint --format json "$a"
  done
  l "lint --repo" "$AUDITMD" lint --format json --repo "$R" HEAD~1:docs/AUDIT.md
  l "lint --repo of closed findings (notes)" "$AUDITMD" lint --format json --repo "$tmp/status" HEAD:docs/AUDIT.md
  "$AUDITMD" lint --format sarif "$DATA/lint.md" >"$tmp/lint.sarif" 2>/dev/null
  l "lint --baseline" "$AUDITMD" lint --format json --baseline "$tmp/lint.sarif" "$DATA/lint.md"

  # GitLab Code Quality reports of verify and lint: the schema written from
  # GitLab's documented fields, and every fingerprint unique in its report.
  cq() {
    local name=$1
    shift
    out "0 1" "$name" "$@" || return
    check valid gitlab-code-quality json "$f" "$name"
    jq -e '(map(.fingerprint) | length) == (map(.fingerprint) | unique | length)' "$f" >/dev/null &&
      ok "$name: fingerprints unique" || fail "$name: fingerprints unique" "$(jq -c 'map(.fingerprint)' "$f")"
  }
  cq "codeclimate: verify REV:PATH with drift" "$AUDITMD" verify --repo "$R" --format codeclimate HEAD~1:docs/AUDIT.md
  cp "$DATA/verify-edge.md" "$R/verify-edge.md"
  cq "codeclimate: verify edge citations" sh -c 'cd "$1" && "$2" verify --as-of none --format codeclimate verify-edge.md' sh "$R" "$AUDITMD"
  rm "$R/verify-edge.md"
  cq "codeclimate: verify of closed findings" "$AUDITMD" verify --repo "$tmp/status" --format codeclimate --pretty HEAD:docs/AUDIT.md
  cq "codeclimate: lint --repo" "$AUDITMD" lint --repo "$tmp/status" --format codeclimate HEAD:docs/AUDIT.md
  cq "codeclimate: lint" sh -c 'cd "$1" && "$2" lint --format codeclimate lint.md' sh "$DATA" "$AUDITMD"
  cq "codeclimate: check" "$AUDITMD" check --repo "$R" --base HEAD~3 --format codeclimate
  cq_doc=$f

  dr() {
    local name=$1
    shift
    out 0 "$name" "$@" && check valid auditmd-diff-1 json "$f" "$name"
  }
  dr "diff --repo REV:PATH REV:PATH" "$AUDITMD" diff --repo "$R" HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
  dr "diff --repo REV:PATH and a file" "$AUDITMD" diff --repo "$R" HEAD~2:docs/AUDIT.md "$DATA/modern-2026-01-16.md"
  dr "diff --repo of two files" "$AUDITMD" diff --repo "$R" "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md"
  # Neither as-of found: resolutions unknown (and no "as_of").
  grep -v '^Date:' "$DATA/modern-2026-01-15.md" >"$tmp/undated-15.md"
  grep -v '^Date:' "$DATA/modern-2026-01-16.md" >"$tmp/undated-16.md"
  dr "diff --repo without dates" "$AUDITMD" diff --repo "$R" "$tmp/undated-15.md" "$tmp/undated-16.md"

  out 0 "log --format json" "$AUDITMD" log --repo "$R" --format json docs/AUDIT.md &&
    check valid auditmd-log-1 json "$f" "log --format json"
  out 0 "log --format jsonl" "$AUDITMD" log --repo "$R" --format jsonl docs/AUDIT.md &&
    check valid auditmd-log-entry-1 jsonl "$f" "log --format jsonl: every line"
  # A longer history: new, resolved, regressed and removed findings, a rename.
  commit() { GIT_AUTHOR_DATE="$1T12:00:00+02:00" GIT_COMMITTER_DATE="$1T12:00:00+02:00" git -C "$R" commit -qm "$2"; }
  cp "$DATA/modern-2026-01-16.md" "$R/docs/AUDIT.md" && git -C "$R" add docs && commit 2026-02-03 "next audit"
  cp "$DATA/modern-2026-01-15.md" "$R/docs/AUDIT.md" && git -C "$R" add docs && commit 2026-02-04 "reopened"
  git -C "$R" mv docs/AUDIT.md docs/PLATFORM.md && commit 2026-02-05 "renamed"
  cp "$tmp/cov.md" "$R/docs/PLATFORM.md" && git -C "$R" add docs && commit 2026-02-06 "another audit"
  out 0 "log of a longer history" "$AUDITMD" log --repo "$R" --format json docs/PLATFORM.md &&
    check valid auditmd-log-1 json "$f" "log of a longer history"
  out 0 "log --format jsonl of a longer history" "$AUDITMD" log --repo "$R" --format jsonl docs/PLATFORM.md &&
    check valid auditmd-log-entry-1 jsonl "$f" "log --format jsonl of a longer history"
  out 0 "log --since" "$AUDITMD" log --repo "$R" --format json --since 2026-02-04 docs/PLATFORM.md &&
    check valid auditmd-log-1 json "$f" "log --since"
else
  fail "the example repository was built" "examples/make-repo.sh failed"
fi

# --- spoiled documents must fail: the validator runs ---------------------------------
# Wrong types, values outside an enum, an unknown field, the wrong document.
c=$tmp/out1.json   # compile of the first test audit
check invalid auditmd-1 json "$c" "spoiled: a finding's line as a string" '/findings/0/line="9"'
check invalid auditmd-1 json "$c" "spoiled: title as a number" '/title=1'
check invalid auditmd-1 json "$c" "spoiled: an unknown status" '/findings/0/status="closed"'
check invalid auditmd-1 json "$c" "spoiled: an unknown top-level field" '/extra=true'
check invalid auditmd-1 json "$c" "spoiled: the wrong schema name" '/schema="auditmd/2"'
check invalid auditmd-diff-1 json "$c" "spoiled: a compile document is not a diff"
for i in $(seq 1 "$k"); do
  if grep -q '"schema": *"auditmd-verify/1"' "$tmp/out$i.json" 2>/dev/null; then
    check invalid auditmd-verify-1 json "$tmp/out$i.json" "spoiled: a verify state outside the enum" '/results/0/state="gone"'
    check invalid auditmd-verify-1 json "$tmp/out$i.json" "spoiled: a verify summary count as a string" '/summary/ok="2"'
    check invalid auditmd-verify-1 json "$tmp/out$i.json" "spoiled: a verify level outside the enum" '/results/0/level="fatal"'
    break
  fi
done
for i in $(seq 1 "$k"); do
  if grep -q '"schema": *"auditmd-check/1"' "$tmp/out$i.json" 2>/dev/null && grep -q '"kind": *"broken"' "$tmp/out$i.json"; then
    check invalid auditmd-check-1 json "$tmp/out$i.json" "spoiled: a check result of an unknown kind" '/results/0/kind="gone"'
    check invalid auditmd-check-1 json "$tmp/out$i.json" "spoiled: a broken result in state ok" '/results/0/state="ok"'
    check invalid auditmd-check-1 json "$tmp/out$i.json" "spoiled: an audit change outside the enum" '/audits/0/change="moved"'
    break
  fi
done
for i in $(seq 1 "$k"); do
  if grep -q '"schema": *"auditmd-lint/1"' "$tmp/out$i.json" 2>/dev/null && grep -q '"issues": *\[{' "$tmp/out$i.json"; then
    check invalid auditmd-lint-1 json "$tmp/out$i.json" "spoiled: a lint severity outside the enum" '/issues/0/severity="fatal"'
    check invalid auditmd-lint-1 json "$tmp/out$i.json" "spoiled: a lint fingerprint too short" '/issues/0/fingerprint="abc"'
    break
  fi
done

if [ -n "${cq_doc:-}" ]; then
  check invalid gitlab-code-quality json "$cq_doc" "spoiled: a Code Quality severity outside GitLab's" '/0/severity="warning"'
  check invalid gitlab-code-quality json "$cq_doc" "spoiled: a Code Quality path prefixed with ./" '/0/location/path="./lint.md"'
  check invalid gitlab-code-quality json "$cq_doc" "spoiled: a Code Quality issue without its line" '/0/location={"path": "lint.md"}'
fi

"$PY" "$tmp/validate.py" "$SCHEMAS" <"$tmp/manifest" >"$tmp/results" 2>"$tmp/err"
[ -s "$tmp/results" ] || fail "the validator ran" "$(tail -n 5 "$tmp/err")"
while IFS= read -r line; do
  case $line in
    "ok "*) ok "${line#ok }" ;;
    "fail "*) rest=${line#fail }; fail "${rest%%$'\t'*}" "${rest#*$'\t'}" ;;
  esac
done <"$tmp/results"
[ "$(wc -l <"$tmp/results")" = "$(wc -l <"$tmp/manifest")" ] ||
  fail "every document was checked" "$(wc -l <"$tmp/results") results for $(wc -l <"$tmp/manifest") checks; $(tail -n 5 "$tmp/err")"

finish
