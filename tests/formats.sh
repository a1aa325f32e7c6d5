#!/usr/bin/env bash
# One run, every format, the same numbers: each audit is verified in every
# format of verify (json, text, sarif, github, codeclimate, md, html) and
# linted in every format of lint (json, text, sarif, github, codeclimate);
# changes of the example and status repositories are checked in every
# format of check (json, text, sarif, github, md, codeclimate);
# each format's citations, errors, warnings and notes, as it states them and
# as it lists them, must be those of the JSON. Audits: the status and
# example repositories, an audit outside the repository, a baseline, and
# every audit of tests/data that cites evidence (with -Dshared_dir, also the
# seeds and every corpus revision that cites evidence) against a repository
# built for their citations and drifted (tests/drift-repo.py).
# Every SARIF written is then validated with Microsoft's SARIF Multitool
# (and against the SARIF 2.1.0 schema with -Dshared_dir), every Code
# Quality report against docs/schema/gitlab-code-quality.schema.json.
# usage: formats.sh AUDITMD DATA_DIR SCHEMA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
DATA=$2
SCHEMAS=$3
SHARED=${4:-}
case $AUDITMD in */*) AUDITMD=$(cd "$(dirname "$AUDITMD")" && pwd)/$(basename "$AUDITMD") ;; esac
. "$(dirname "$0")/lib.sh"
TESTS=$(cd "$(dirname "$0")" && pwd)
EX=$(cd "$TESTS/../examples" && pwd)
CACHE=${AM_TOOL_CACHE:-}
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
command -v jq >/dev/null || { echo "Bail out! jq is required"; exit 1; }
command -v python3 >/dev/null || { echo "Bail out! python3 is required"; exit 1; }

# skip MESSAGE: a check that could not run, said on stdout and stderr.
skip() { echo "# SKIP $1"; echo "auditmd formats test: SKIPPED: $1" >&2; }

VERIFY_FORMATS="json text sarif github codeclimate md html"
LINT_FORMATS="json text sarif github codeclimate"
CHECK_FORMATS="json text sarif github md codeclimate"
cases=0

# formats_case KIND NAME DIR ARGS...: `auditmd KIND --format F ARGS` for
# every format F of KIND, run in DIR (standard input from $STDIN), into
# $tmp/cases/N/KIND.F (.rc, .err); two cases at a time, in the background.
formats_case() {
  local kind=$1 name=$2 dir=$3 d fmt formats
  shift 3
  case $kind in
    verify) formats=$VERIFY_FORMATS ;;
    check) formats=$CHECK_FORMATS ;;
    *) formats=$LINT_FORMATS ;;
  esac
  cases=$((cases + 1))
  d=$tmp/cases/$cases
  mkdir -p "$d"
  printf '%s\n' "$name" >"$d/name"
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
  (
    for fmt in $formats; do
      (cd "$dir" && guard 60 "$AUDITMD" "$kind" --format "$fmt" "$@") >"$d/$kind.$fmt" 2>"$d/$kind.$fmt.err" <"${STDIN:-/dev/null}"
      echo $? >"$d/$kind.$fmt.rc"
    done
  ) &
}
verify_case() { formats_case verify "$@"; }
lint_case() { formats_case lint "$@"; }
check_case() { formats_case check "$@"; }

# --- the repositories built here ----------------------------------------------------
"$TESTS/status-repo.sh" "$tmp" >/dev/null 2>&1 || { echo "Bail out! the status repository could not be built"; exit 1; }
"$EX/make-repo.sh" "$tmp" "$DATA/modern-2026-01-15.md" >/dev/null 2>&1 || { echo "Bail out! the example repository could not be built"; exit 1; }
ST=$tmp/status R=$tmp/repo
verify_case "status: every status, drifted" "$ST" HEAD:docs/AUDIT.md
verify_case "status: closed findings only" "$ST" HEAD:docs/CLOSED.md
verify_case "status: --closed-drift check" "$ST" --closed-drift check HEAD:docs/AUDIT.md
"$AUDITMD" verify --repo "$ST" --rev HEAD~1 --format sarif HEAD:docs/AUDIT.md >"$tmp/base.sarif" 2>/dev/null
verify_case "status: with a baseline" "$ST" --baseline "$tmp/base.sarif" HEAD:docs/AUDIT.md
lint_case "status: lint --repo" "$ST" --repo . HEAD:docs/AUDIT.md
verify_case "example: drifted" "$R" HEAD~1:docs/AUDIT.md
verify_case "example: --fail-on symbol_missing,moved" "$R" --fail-on symbol_missing,moved HEAD~1:docs/AUDIT.md
verify_case "example: committed, resolved since" "$R" docs/AUDIT.md
verify_case "example: an audit outside the repository" "$R" --as-of none "$DATA/verify-edge.md"
verify_case "example: the audit above the current directory" "$R/services" ../docs/AUDIT.md
cp "$DATA/verify-edge.md" "$R/services/EDGE.md"
verify_case "example: an audit in the working tree, not committed" "$R/services/api" --as-of none ../EDGE.md
STDIN=$DATA/verify-edge.md verify_case "example: standard input" "$R" --as-of none -
lint_case "example: lint --repo" "$R" --repo . HEAD~1:docs/AUDIT.md
check_case "example: check of the drift (touched)" "$R" --base HEAD~2 --head HEAD~1
check_case "example: check of the resolutions (unconfirmed)" "$R" --base HEAD~1
check_case "example: check of both, --fail-on none" "$R" --base HEAD~2 --fail-on none
"$AUDITMD" check --repo "$R" --base HEAD~2 --head HEAD~1 --format sarif >"$tmp/check-base.sarif" 2>/dev/null
check_case "example: check with a baseline" "$R" --base HEAD~2 --baseline "$tmp/check-base.sarif"
check_case "status: check of the drift" "$ST" --base HEAD~1
lint_case "lint.md" "$DATA" lint.md
lint_case "lint.md, an absolute path" "$R" "$DATA/lint.md"
lint_case "lint.md above the current directory" "$DATA/recognition" ../lint.md

# --- the audits of tests/data, the seeds and the corpus, drifted -------------------------
# Every audit of tests/data that cites evidence; with -Dshared_dir, also the
# seeds and every corpus revision that cites evidence. One repository is
# built for all their citations (tests/drift-repo.py) and drifted.
cites_evidence() {
  local n
  n=$("$AUDITMD" compile -q "$1" 2>/dev/null | jq '[.findings[].citations[] | select(.role == "evidence")] | length')
  [ "${n:-0}" -gt 0 ]
}
own=() seeds=() with=()
for a in "$DATA"/*.md; do cites_evidence "$a" && own+=("$a"); done
[ ${#own[@]} -ge 8 ] && ok "${#own[@]} audits of tests/data cite evidence" || fail "audits of tests/data that cite evidence" "${#own[@]}"
if [ -n "$SHARED" ] && [ -d "$SHARED/seeds" ] && [ -d "$SHARED/corpus" ]; then
  mapfile -t seeds < <(find "$SHARED/seeds" -name '*.txt' | sort)
  mapfile -t revisions < <(find "$SHARED/corpus" -name '*.md' ! -name README.md | sort)
  for a in "${revisions[@]}"; do cites_evidence "$a" && with+=("$a"); done
  [ ${#with[@]} -gt 100 ] && ok "${#with[@]} of ${#revisions[@]} corpus revisions cite evidence" ||
    fail "corpus revisions that cite evidence" "${#with[@]} of ${#revisions[@]}"
  # A sanitised build runs ten times slower: there, the newest revision of
  # each document (the plain build runs them all).
  if [ "${AM_TIME_FACTOR:-1}" -gt 1 ]; then
    declare -A newest=()
    for a in "${with[@]}"; do newest[$(dirname "$a")]=$a; done
    with=("${newest[@]}")
    skip "a sanitised build: the newest of each document's revisions that cite evidence (${#with[@]}), not all"
  fi
else
  skip "the seeds and the corpus: needs -Dshared_dir=DIR with seeds/ and corpus/"
fi
D=$(python3 "$TESTS/drift-repo.py" "$tmp" "$AUDITMD" "${own[@]}" "${seeds[@]}" "${with[@]}") ||
  { fail "the drift repository was built"; D=; }
if [ -n "$D" ]; then
  # The audits are copied into the working tree (not committed): a Code
  # Quality report locates them relative to the repository, as GitLab
  # wants. Lint runs on the audits of tests/data and the seeds.
  mkdir -p "$D/audits"
  k=0
  for a in "${own[@]}" "${seeds[@]}" "${with[@]}"; do
    k=$((k + 1))
    cp "$a" "$D/audits/$k.md"
    case $a in "$DATA"/*) name="tests/data/${a#$DATA/}" ;; *) name=${a#$SHARED/} ;; esac
    verify_case "$name (drifted)" "$D" --as-of HEAD~1 --rev HEAD "audits/$k.md"
    [ "$k" -le $((${#own[@]} + ${#seeds[@]})) ] && lint_case "$name (lint --repo, drifted)" "$D" --repo . --as-of HEAD~1 --rev HEAD "audits/$k.md"
  done
fi

wait

# --- every format, the same numbers ----------------------------------------------------------
python3 - "$tmp/cases" "$cases" >"$tmp/compared" <<'PY'
import json, os, re, sys
base, n = sys.argv[1], int(sys.argv[2])

def read(d, f):
    with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fp:
        return fp.read()

def levels(items):
    c = {"error": 0, "warning": 0, "note": 0}
    for x in items:
        c[x] += 1
    return (c["error"], c["warning"], c["note"])

def verify_numbers(d):
    """format -> (citations, (errors, warnings, notes) as stated, as listed)"""
    out = {}
    doc = json.loads(read(d, "verify.json"))
    s = doc["summary"]
    listed = levels(p["level"] for r in doc["results"] for p in r["problems"])
    out["json"] = (s["citations"], (s["errors"], s["warnings"], s["notes"]), listed)
    text = read(d, "verify.text").splitlines()
    m = re.match(r"(\d+) citations?: .*; (\d+) errors?, (\d+) warnings?, (\d+) notes?", text[-1])
    listed = levels(m2.group(1) for l in text if (m2 := re.search(r":\d+:\d+: (error|warning|note): ", l)))
    out["text"] = (int(m.group(1)), tuple(int(x) for x in m.group(2, 3, 4)), listed)
    sarif = json.loads(read(d, "verify.sarif"))
    run = sarif["runs"][0]
    listed = levels(r["level"] for r in run["results"])
    out["sarif"] = (run["properties"]["citations"], listed, listed)
    gh = read(d, "verify.github").splitlines()
    summary = [l for l in gh if l.startswith("::notice title=auditmd verify::")]
    m = re.search(r"::(\d+) citations?: .*; (\d+) errors?, (\d+) warnings?, (\d+) notes?", summary[-1])
    cmds = {"error": "error", "warning": "warning", "notice": "note"}
    listed = levels(cmds[l[2:].split(" ", 1)[0]] for l in gh if not l.startswith("::notice title=auditmd verify::"))
    out["github"] = (int(m.group(1)), tuple(int(x) for x in m.group(2, 3, 4)), listed)
    cq = json.loads(read(d, "verify.codeclimate"))
    sev = {"major": "error", "minor": "warning", "info": "note"}
    listed = levels(sev[i["severity"]] for i in cq)
    out["codeclimate"] = (None, listed, listed)
    md = read(d, "verify.md")
    m = re.search(r"(\d+) citations, (\d+) errors, (\d+) warnings, (\d+) notes, (\d+) holding\.", md)
    rows, group = {"error": 0, "warning": 0, "note": 0}, None
    for l in md.splitlines():
        g = re.match(r"### (Errors|Warnings|Notes|Holding) \(\d+\)", l)
        if g:
            group = {"Errors": "error", "Warnings": "warning", "Notes": "note"}.get(g.group(1))
        elif group and l.startswith("| ") and not l.startswith("| Line "):
            rows[group] += 1
    out["md"] = (int(m.group(1)), tuple(int(x) for x in m.group(2, 3, 4)), (rows["error"], rows["warning"], rows["note"]))
    html = read(d, "verify.html")
    card = lambda what: int(re.search(r"<li><b>(\d+)</b>" + what, html).group(1))
    # A row a problem under its finding, its level in data-level.
    listed = levels(re.findall(r'<li class="result" data-state="[a-z_]+" data-level="(error|warning|note)">', html))
    out["html"] = (card("citations"), (card('<span class="pill v-error">'), card('<span class="pill v-warning">'),
                                       card('<span class="pill v-note">')), listed)
    return out

def check_numbers(d):
    """As verify_numbers, for check: no format states the citations."""
    out = {}
    doc = json.loads(read(d, "check.json"))
    s = doc["summary"]
    out["json"] = (None, (s["errors"], s["warnings"], s["notes"]), levels(r["level"] for r in doc["results"]))
    stated = r"(\d+) errors?, (\d+) warnings?, (\d+) notes?; "
    text = read(d, "check.text").splitlines()
    m = re.match(stated, text[-1])
    listed = levels(m2.group(1) for l in text if (m2 := re.search(r":\d+:\d+: (error|warning|note): ", l)))
    out["text"] = (None, tuple(int(x) for x in m.group(1, 2, 3)), listed)
    run = json.loads(read(d, "check.sarif"))["runs"][0]
    listed = levels(r["level"] for r in run["results"])
    out["sarif"] = (None, listed, listed)
    gh = read(d, "check.github").splitlines()
    summary = [l for l in gh if l.startswith("::notice title=auditmd check::")]
    m = re.match("::notice title=auditmd check::" + stated, summary[-1])
    cmds = {"error": "error", "warning": "warning", "notice": "note"}
    listed = levels(cmds[l[2:].split(" ", 1)[0]] for l in gh if not l.startswith("::notice title=auditmd check::"))
    out["github"] = (None, tuple(int(x) for x in m.group(1, 2, 3)), listed)
    md = read(d, "check.md")
    m = re.search(r"\d+ audits? read: " + stated, md)
    listed = levels(m2.group(1) for l in md.splitlines() if (m2 := re.match(r"\| \S+ (error|warning|note) \| ", l)))
    out["md"] = (None, tuple(int(x) for x in m.group(1, 2, 3)), listed)
    sev = {"major": "error", "minor": "warning", "info": "note"}
    listed = levels(sev[i["severity"]] for i in json.loads(read(d, "check.codeclimate")))
    out["codeclimate"] = (None, listed, listed)
    return out

def lint_numbers(d):
    out = {}
    doc = json.loads(read(d, "lint.json"))
    s = doc["summary"]
    out["json"] = (None, (s["errors"], s["warnings"], s["notes"]), levels(i["severity"] for i in doc["issues"]))
    text = read(d, "lint.text").splitlines()
    m = re.match(r"(\d+) errors?, (\d+) warnings?, (\d+) notes?", text[-1])
    listed = levels(m2.group(1) for l in text if (m2 := re.search(r":\d+:\d+: (error|warning|note): \[", l)))
    out["text"] = (None, tuple(int(x) for x in m.group(1, 2, 3)), listed)
    run = json.loads(read(d, "lint.sarif"))["runs"][0]
    listed = levels(r["level"] for r in run["results"])
    out["sarif"] = (None, listed, listed)
    cmds = {"error": "error", "warning": "warning", "notice": "note"}
    listed = levels(cmds[l[2:].split(" ", 1)[0]] for l in read(d, "lint.github").splitlines())
    out["github"] = (None, listed, listed)
    sev = {"major": "error", "minor": "warning", "info": "note"}
    listed = levels(sev[i["severity"]] for i in json.loads(read(d, "lint.codeclimate")))
    out["codeclimate"] = (None, listed, listed)
    return out

for k in range(1, n + 1):
    d = os.path.join(base, str(k))
    name = read(d, "name").strip()
    kind = next(k for k in ("verify", "check", "lint") if os.path.exists(os.path.join(d, k + ".json")))
    rcs = {f[len(kind) + 1:-3]: read(d, f).strip() for f in os.listdir(d) if f.endswith(".rc")}
    if len(set(rcs.values())) != 1 or set(rcs.values()) - {"0", "1"}:
        errs = {f: read(d, f"{kind}.{f}.err")[:200] for f in rcs}
        print(f"fail\t{kind} {name}: the same exit code 0 or 1 in every format\t{rcs} {errs}")
        continue
    try:
        got = {"verify": verify_numbers, "check": check_numbers, "lint": lint_numbers}[kind](d)
    except Exception as e:
        print(f"fail\t{kind} {name}: every format states its numbers\t{type(e).__name__}: {e}")
        continue
    want = got["json"]
    bad = [f"{f}: {v}" for f, v in got.items()
           if v[1] != want[1] or v[2] != want[1] or (v[0] is not None and v[0] != want[0])]
    if bad:
        print(f"fail\t{kind} {name}: every format gives {want[0]} citations and {want[1]} errors/warnings/notes\t" + "; ".join(bad))
    else:
        print(f"ok\t{kind} {name}: {len(got)} formats give {'' if want[0] is None else f'{want[0]} citations, '}"
              f"{want[1][0]} errors, {want[1][1]} warnings, {want[1][2]} notes")
PY
[ -s "$tmp/compared" ] || fail "the formats were compared"
notes_seen=0
while IFS=$'\t' read -r verdict name why; do
  case $verdict in
    ok) ok "$name"; case $name in *", 0 notes") ;; *) notes_seen=$((notes_seen + 1)) ;; esac ;;
    *) fail "$name" "$why" ;;
  esac
done <"$tmp/compared"
[ "$notes_seen" -gt 0 ] && ok "notes among the runs compared ($notes_seen)" || fail "notes among the runs compared"

# --- SARIF: the Multitool and the schema; Code Quality: its schema -------------------------
mapfile -t sarifs < <(find "$tmp/cases" -name '*.sarif' | sort)
mapfile -t reports < <(find "$tmp/cases" -name '*.codeclimate' | sort)
# The Multitool from npm, installed once into the tool cache.
MT=
if [ -n "${AM_SARIF_MULTITOOL:-}" ] && [ -x "$AM_SARIF_MULTITOOL" ]; then
  MT=$AM_SARIF_MULTITOOL
elif [ -n "$CACHE" ]; then
  if [ ! -x "$CACHE/sarif-multitool/node_modules/.bin/sarif-multitool" ] && command -v npm >/dev/null; then
    mkdir -p "$CACHE/sarif-multitool"
    guard 300 npm install --prefix "$CACHE/sarif-multitool" --no-audit --no-fund @microsoft/sarif-multitool \
      >"$tmp/npm.log" 2>&1 || echo "# npm install failed: $(tail -3 "$tmp/npm.log")"
  fi
  [ -x "$CACHE/sarif-multitool/node_modules/.bin/sarif-multitool" ] && MT=$CACHE/sarif-multitool/node_modules/.bin/sarif-multitool
fi
if [ -n "$MT" ]; then
  # validate exits 0 even when it finds errors: its ": error " lines say so.
  guard 600 "$MT" validate "${sarifs[@]}" >"$tmp/multitool" 2>&1
  mtrc=$?
  if [ "$mtrc" = 0 ] && grep -q "Analysis completed successfully" "$tmp/multitool"; then
    if grep -q ": error " "$tmp/multitool"; then
      fail "the SARIF Multitool finds no error in the ${#sarifs[@]} SARIF logs" "$(grep ": error " "$tmp/multitool" | head -5)"
    else
      ok "the SARIF Multitool finds no error in the ${#sarifs[@]} SARIF logs"
    fi
  else
    fail "the SARIF Multitool ran" "exit $mtrc: $(tail -5 "$tmp/multitool")"
  fi
else
  skip "SARIF Multitool validation: @microsoft/sarif-multitool could not be installed with npm (set AM_SARIF_MULTITOOL, or see $tmp/npm.log)"
fi
python3 - "$SHARED" "$SCHEMAS" "$tmp/validated" "${sarifs[@]}" --reports "${reports[@]}" <<'PY'
import json, sys
shared, schemas, out = sys.argv[1], sys.argv[2], sys.argv[3]
args = sys.argv[4:]
split = args.index("--reports")
sarifs, reports = args[:split], args[split + 1:]
try:
    import jsonschema
except ImportError:
    open(out, "w").write("skip\tjsonschema (python3-jsonschema) is not installed\n")
    sys.exit(0)
lines = []
def check(schema, cls, files, name):
    v = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = []
    for f in files:
        errs = list(v.iter_errors(json.load(open(f))))
        if errs:
            bad.append(f"{f}: /{'/'.join(map(str, errs[0].absolute_path))}: {errs[0].message[:200]}")
    lines.append(("fail" if bad else "ok") + f"\t{name} ({len(files)})\t" + "; ".join(bad[:3]))
path = f"{shared}/sarif/sarif-schema-2.1.0.json"
try:
    schema = json.load(open(path)) if shared else None
except OSError:
    schema = None
if schema:
    check(schema, jsonschema.Draft4Validator, sarifs, "every SARIF log validates against the SARIF 2.1.0 schema")
else:
    lines.append("skip\tthe SARIF 2.1.0 schema: needs -Dshared_dir with sarif/sarif-schema-2.1.0.json")
# A report of an audit outside any repository locates it by its absolute
# path, which GitLab cannot show: those are left out, and counted.
outside = [f for f in reports if any(i["location"]["path"].startswith("/") for i in json.load(open(f)))]
schema = json.load(open(f"{schemas}/gitlab-code-quality.schema.json"))
check(schema, jsonschema.Draft202012Validator, [f for f in reports if f not in outside],
      "every Code Quality report of an audit in its repository validates against its schema")
lines.append(("ok" if len(outside) <= 3 else "fail") +
             f"\tonly the reports of the audits outside any repository left out ({len(outside)})\t{outside}")
open(out, "w").write("\n".join(lines) + "\n")
PY
while IFS=$'\t' read -r verdict name why; do
  case $verdict in
    ok) ok "$name" ;;
    skip) skip "$name" ;;
    *) fail "$name" "$why" ;;
  esac
done <"$tmp/validated"

finish
