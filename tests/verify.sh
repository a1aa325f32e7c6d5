#!/usr/bin/env bash
# End-to-end tests of `auditmd verify` (and of `diff --repo`'s resolution
# check) on a repository the test builds with fixed dates and authors.
# usage: verify.sh AUDITMD DATA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
DATA=$2
SHARED=${3:-}
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "jq is required (scripts/test.sh installs it)"; exit 1; }
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp

"$(dirname "$0")/../examples/make-repo.sh" "$tmp" "$DATA/modern-2026-01-15.md" >/dev/null 2>&1 ||
  { echo "Bail out! the fixture repository could not be built"; exit 1; }
R=$tmp/repo
AUDITED=$(git -C "$R" rev-parse HEAD~2)
DRIFT=$(git -C "$R" rev-parse HEAD~1)

# --- the drift: ok / moved / deleted / renamed / deleted / changed -------------
# states in the order of the audit's citations
STATES='["ok","moved","deleted","renamed","deleted","changed","ok"]'
run "$AUDITMD" verify --repo "$R" --rev HEAD HEAD~1:docs/AUDIT.md
expect_rc 1 "verify REV:PATH with drift fails on deleted"
expect_jq '.schema' '"auditmd-verify/1"' "schema name"
expect_jq '[.results[].state]' "$STATES" "each citation's state"
expect_jq ".as_of | [.commit, .date, .reason]" "[\"$AUDITED\",\"2026-01-15\",\"revision\"]" "as-of: the commit that wrote that revision"
expect_jq ".target | [.commit, .date]" "[\"$(git -C "$R" rev-parse HEAD)\",\"2026-02-02\"]" "target: HEAD"
expect_jq '.results[1].now' '{"path":"services/api/app.py","start":123,"end":134}' "moved: the new range"
expect_jq '.results[3].now' '{"path":"services/api/routes/payments.py","start":88,"end":104}' "renamed: the new path and range"
expect_jq '.results[2] | [.now, .detail]' '[null,"file deleted"]' "deleted file"
expect_jq '.results[4].detail' '"the cited lines were removed"' "truncated below the range: deleted"
expect_jq '.results[5].detail' '"the cited lines were edited"' "edited lines: changed"
expect_jq '.summary | [.citations, .ok, .moved, .renamed, .changed, .deleted]' '[7,2,1,1,1,2]' "summary counts"
expect_jq '.results[0] | [.finding, .path, .start, .end, .line, .column]' '["F1","services/api/auth/session.py",40,58,9,14]' "result names the finding and position"

# The same audit as a file outside the repository: as-of from its date.
run "$AUDITMD" verify --repo "$R" "$DATA/modern-2026-01-15.md"
expect_rc 1 "verify a file outside the repository"
expect_jq '[.results[].state]' "$STATES" "states with as-of from the date"
expect_jq '.as_of | [.commit, .reason]' "[\"$AUDITED\",\"date\"]" "as-of: last commit on or before the date"

# A committed, unmodified file: as-of is the commit that wrote it.
(cd "$R" && "$AUDITMD" verify docs/AUDIT.md) >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_jq '.as_of.reason' '"committed"' "as-of of a committed file"
expect_jq '.audit.path' '"docs/AUDIT.md"' "the audit's path in the repository"
expect_jq '[.results[].state]' '["ok","ok","missing","missing","out_of_range","ok","ok"]' "states at the audit's own commit"
expect_jq '[.results[] | select(.warnings | index("unconfirmed")) | .finding]' '["F6"]' "resolved without a code change: unconfirmed"
expect_jq '.summary.unconfirmed' '1' "unconfirmed counted"
# Edited in the working tree: no longer the committed revision.
echo "" >>"$R/docs/AUDIT.md"
(cd "$R" && "$AUDITMD" verify docs/AUDIT.md) >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_jq '.as_of.reason' '"date"' "a modified audit file falls back to its date"
git -C "$R" checkout -q -- docs/AUDIT.md

run "$AUDITMD" verify --repo "$R" --as-of none HEAD~1:docs/AUDIT.md
expect_jq '[.as_of.commit, .as_of.reason]' '[null,"none"]' "--as-of none"
expect_jq '[.results[].state]' '["ok","ok","missing","missing","out_of_range","ok","ok"]' "--as-of none checks at the target"
run "$AUDITMD" verify --repo "$R" --as-of "$AUDITED" --rev "$DRIFT" "$DATA/modern-2026-01-15.md"
expect_jq '[.as_of.reason, .target.commit]' "[\"given\",\"$DRIFT\"]" "--as-of REV and --rev REV"
expect_jq '[.results[].state]' "$STATES" "states between two given commits"

# --- symbols ---------------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" HEAD~1:docs/AUDIT.md
expect_jq '.results[0].symbols' '{"looked_for":["secure=True"],"found":["secure=True"]}' "symbol found in the cited lines"
expect_jq '.results[6] | [.symbols.looked_for, .warnings]' '[["USER"],["symbol_missing"]]' "symbol missing from the cited lines"
expect_jq '[.results[] | select(.warnings | index("symbol_missing"))] | length' '1' "only there"

# Which code spans are symbols: not citations nor bare cited paths, not
# from fields without evidence, each once, the first 64 of a finding; a
# finding of 2,000 citations and 2,000 spans is quick.
S=$tmp/syms
mkdir -p "$S/lib"
git -C "$S" init -q -b main
printf 'def handler():\n    return asyncio.run(main)\n' >"$S/lib/app.py"
{
  echo "# SYMBOLS"; echo; echo "Date: 2026-01-15"; echo
  echo "### 1) Blocking \`asyncio.run\` in \`handler\`"
  echo "- Status: Open"
  echo "- Evidence: \`lib/app.py:1-2\` calls \`asyncio.run\` twice: \`asyncio.run\`; see \`lib/app.py\`"
  echo "- Fix: use \`await main()\`"
  echo
  echo "### 2) Too many symbols"
  printf -- '- Evidence: `lib/app.py:1`'
  for i in $(seq 1 70); do printf ' `sym_%d`' "$i"; done; echo; echo
  echo "### 3) Many citations"
  printf -- '- Evidence:'
  for i in $(seq 1 2000); do printf ' `lib/app.py:%d` `s%d`' $((i % 2 + 1)) "$i"; done; echo
} >"$S/AUDIT.md"
git -C "$S" add -A && GIT_AUTHOR_DATE=2026-01-15T10:00:00Z GIT_COMMITTER_DATE=2026-01-15T10:00:00Z git -C "$S" -c user.name=A -c user.email=a@example.org commit -qm syms
run guard 10 "$AUDITMD" verify --repo "$S" --as-of none "$S/AUDIT.md"
expect_rc 0 "symbol_missing is a warning: exit 0"
expect_jq '.results[0].symbols' '{"looked_for":["asyncio.run","handler"],"found":["asyncio.run","handler"]}' \
  "symbols: code spans of evidence and title, each once, citations and the Fix field left out"
expect_jq '.results[2].symbols.looked_for | [length, .[0], .[63]]' '[64,"sym_1","sym_64"]' "the first 64 symbols of a finding"
expect_jq '[.results[2].warnings, .results[3].symbols.looked_for[0:2]]' '[["symbol_missing"],["s1","s2"]]' \
  "a finding of 2,000 citations and spans"

# --- text output --------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" --format text HEAD~1:docs/AUDIT.md
expect_rc 1 "text output"
expect_out "HEAD~1:docs/AUDIT.md:16:14: error: services/api/routes/upload.py:12-40: deleted (file deleted)" "compiler-style error line"
expect_out "HEAD~1:docs/AUDIT.md:9:55: warning: services/api/app.py:120-131: moved to services/api/app.py:123-134" "moved line"
expect_out "renamed to services/api/routes/payments.py:88-104" "renamed line"
expect_out "7 citations: 2 ok, 1 moved, 1 renamed, 1 changed, 2 deleted, 1 symbol_missing; 2 errors, 4 warnings" "summary line"
expect_out "as-of ${AUDITED:0:10} 2026-01-15 (the commit that wrote this revision of the audit)" "as-of said and why"
if grep -q ": info: " "$tmp/out"; then fail "ok citations hidden without --verbose"; else ok "ok citations hidden without --verbose"; fi
run "$AUDITMD" verify --repo "$R" --format text --verbose HEAD~1:docs/AUDIT.md
expect_out "HEAD~1:docs/AUDIT.md:9:14: info: services/api/auth/session.py:40-58: ok" "--verbose lists ok citations"

# --- exit codes -----------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" --fail-on none HEAD~1:docs/AUDIT.md
expect_rc 0 "--fail-on none"
run "$AUDITMD" verify --repo "$R" --fail-on moved HEAD~1:docs/AUDIT.md
expect_rc 1 "--fail-on moved"
run "$AUDITMD" verify --repo "$R" --fail-on missing HEAD~1:docs/AUDIT.md
expect_rc 0 "--fail-on a state nobody is in"
run "$AUDITMD" verify --repo "$R" --fail-on symbol_missing HEAD~1:docs/AUDIT.md
expect_rc 1 "--fail-on a warning"
run "$AUDITMD" verify --repo "$R" --fail-on bogus HEAD~1:docs/AUDIT.md
expect_rc 2 "--fail-on an unknown state"
expect_err "unknown state 'bogus'" "unknown state named"
run "$AUDITMD" verify --repo "$R" --format xml HEAD~1:docs/AUDIT.md
expect_rc 2 "unknown format"
run "$AUDITMD" verify
expect_rc 2 "no audit"
run "$AUDITMD" verify --help
expect_rc 0 "--help"
expect_out "usage: auditmd verify AUDIT" "--help text"

# --- repositories that cannot be used -----------------------------------------------
run "$AUDITMD" verify --repo "$tmp/nowhere" "$DATA/modern-2026-01-15.md"
expect_rc 4 "missing repository"
expect_err_lines 1 "missing repository: one line"
mkdir -p "$tmp/plain"
run "$AUDITMD" verify --repo "$tmp/plain" "$DATA/modern-2026-01-15.md"
expect_rc 4 "not a repository"
expect_err "not a git repository" "not a repository named"
run "$AUDITMD" verify --repo "$R" --rev nosuchrev "$DATA/modern-2026-01-15.md"
expect_rc 4 "unknown --rev"
expect_err "nosuchrev: unknown revision" "unknown --rev named"
run "$AUDITMD" verify --repo "$R" --as-of nosuchrev "$DATA/modern-2026-01-15.md"
expect_rc 4 "unknown --as-of"
run "$AUDITMD" verify --repo "$R" HEAD:docs/NOPE.md
expect_rc 3 "audit path not in the revision"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  cp -r "$R" "$tmp/others" && chown -R nobody "$tmp/others"
  run "$AUDITMD" verify --repo "$tmp/others" "$DATA/modern-2026-01-15.md"
  expect_rc 4 "a repository of another user"
  expect_err "$tmp/others: the repository belongs to another user" "another user's repository: said so, not 'not a git repository'"
else
  echo "# SKIP a repository of another user: needs root to chown"
fi
git clone -q --bare "$R" "$tmp/bare.git"
run "$AUDITMD" verify --repo "$tmp/bare.git" --rev "$DRIFT" "$DATA/modern-2026-01-15.md"
expect_rc 1 "a bare repository is read through its object database"
expect_jq '[.results[].state]' "$STATES" "states from a bare repository"
git clone -q --depth 1 "file://$R" "$tmp/shallow"
(cd "$tmp/shallow" && "$AUDITMD" verify docs/AUDIT.md) >"$tmp/out" 2>"$tmp/err"; rc=$?
expect_rc 4 "shallow history in the way"
expect_err "shallow clone" "shallow clone named"
expect_err_lines 1 "shallow: one line"
run "$AUDITMD" verify --repo "$tmp/shallow" --as-of none "$DATA/modern-2026-01-15.md"
expect_rc 1 "a shallow clone with --as-of none works"
# A corrupt repository: every tree and blob object gone, the commits kept.
# (Which objects go is fixed: deleting "the first 1,000 files find lists"
# depended on the file system's directory order.)
cp -r "$R" "$tmp/corrupt"
git -C "$tmp/corrupt" rev-list --objects --all | while read -r o _; do
  [ "$(git -C "$tmp/corrupt" cat-file -t "$o")" = commit ] || rm -f "$tmp/corrupt/.git/objects/${o:0:2}/${o:2}"
done
git -C "$tmp/corrupt" count-objects | grep -q '^0 objects' && fail "corrupt: commits kept" || ok "corrupt: commits kept"
run "$AUDITMD" verify --repo "$tmp/corrupt" --as-of none "$DATA/modern-2026-01-15.md"
expect_rc 4 "a corrupt repository"
expect_err "object not found" "corrupt: the missing object named"
expect_err_lines 1 "corrupt: one line"
# HEAD's own commit missing. libgit2 1.5 leaks the reference it looked up
# on this path (git_reference_dwim, see tests/lsan.supp); its frames are not
# always symbolised, so the leak check is off for this one command.
h=$(git -C "$tmp/corrupt" rev-parse HEAD)
rm -f "$tmp/corrupt/.git/objects/${h:0:2}/${h:2}"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run "$AUDITMD" verify --repo "$tmp/corrupt" --as-of none "$DATA/modern-2026-01-15.md"
expect_rc 4 "HEAD's commit missing"
expect_err "HEAD: an object it needs is missing from the repository (object not found - no match for id ($h))" \
  "HEAD's commit missing: said so, not 'unknown revision'"
expect_err_lines 1 "HEAD's commit missing: one line"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run "$AUDITMD" compile --repo "$tmp/corrupt" HEAD:docs/AUDIT.md
expect_rc 4 "REV:PATH whose commit is missing: a git error, not unreadable input"
expect_err "HEAD: an object it needs is missing from the repository" "REV:PATH whose commit is missing: said so"
printf 'not a zlib stream' >"$tmp/corrupt/.git/objects/${h:0:2}/${h:2}"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 run "$AUDITMD" verify --repo "$tmp/corrupt" --as-of none "$DATA/modern-2026-01-15.md"
expect_rc 4 "HEAD's commit corrupt"
expect_err "HEAD: an object it needs is corrupt (" "HEAD's commit corrupt: said so"

# --- edge citations ------------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" --rev "$AUDITED" --as-of none "$DATA/verify-edge.md"
expect_jq '[.results[] | .state]' '["outside_repo","outside_repo","outside_repo","ok","ok","ambiguous","not_text","symlink","not_file","not_file","out_of_range","malformed","malformed","ok","missing"]' "edge states"
expect_jq '.results[3] | [.path, .repo_path]' '["session.py","services/api/auth/session.py"]' "a basename resolved to the one file of that name"
expect_jq '.results[4].repo_path' '"services/api/app.py"' "a partial path resolved"
expect_jq '.results[5].candidates' '["a/util.py","b/util.py"]' "ambiguous lists the candidates"
expect_jq '.results[9].detail' '"a submodule"' "a submodule"
expect_jq '.results[10].detail' '"file has 25 lines"' "out_of_range says the length"
expect_jq '[.results[0,1,2] | .repo_path]' '[null,null,null]' "outside paths are not resolved"
# Nothing outside the repository is opened.
if command -v strace >/dev/null; then
  strace -f -e trace=open,openat,stat,newfstatat,lstat,readlink -o "$tmp/trace" \
    "$AUDITMD" verify --repo "$R" --as-of none "$DATA/verify-edge.md" >/dev/null 2>&1
  if grep -E '"/etc/(passwd|shadow)"|etc/passwd|etc/shadow' "$tmp/trace" >/dev/null; then
    fail "no file outside the repository is touched" "$(grep -E 'passwd|shadow' "$tmp/trace" | head -3)"
  else
    ok "no file outside the repository is touched"
  fi
else
  echo "# SKIP strace not installed: the no-read check did not run"
fi

# --- the working tree ----------------------------------------------------------------
W=$tmp/wt
git clone -q "$R" "$W"
sed -i '1i # a new first line' "$W/services/api/auth/session.py"
rm "$W/deploy/Dockerfile" && ln -s /etc/passwd "$W/deploy/Dockerfile"
run "$AUDITMD" verify --repo "$W" --worktree HEAD~1:docs/AUDIT.md
expect_rc 1 "--worktree"
expect_jq '[.target.commit, .worktree]' "[\"$(git -C "$R" rev-parse HEAD)\",true]" "--worktree: HEAD named, the working tree checked"
expect_jq '.results[0] | [.state, .now]' '["moved",{"path":"services/api/auth/session.py","start":41,"end":59}]' "--worktree: an uncommitted edit moves the lines"
expect_jq '[.results[1,3] | .state]' '["moved","renamed"]' "--worktree: committed drift still seen"
run "$AUDITMD" verify --repo "$W" --worktree --as-of none HEAD~1:docs/AUDIT.md
expect_jq '[.results[] | .state]' '["ok","ok","missing","missing","out_of_range","ok","symlink"]' "--worktree --as-of none: the files on disk"
expect_jq '.results[0].file_lines' '81' "--worktree: lines counted on disk"
if command -v strace >/dev/null; then
  strace -f -e trace=open,openat -o "$tmp/trace2" "$AUDITMD" verify --repo "$W" --worktree --as-of none HEAD~1:docs/AUDIT.md >/dev/null 2>&1
  grep -q '/etc/passwd' "$tmp/trace2" && fail "--worktree never follows a symbolic link out" "$(grep passwd "$tmp/trace2" | head -2)" ||
    ok "--worktree never follows a symbolic link out"
fi
run "$AUDITMD" verify --repo "$W" --worktree --rev HEAD HEAD~1:docs/AUDIT.md
expect_rc 2 "--worktree with --rev"
expect_err "auditmd: error: verify: --worktree and --rev cannot be given together; give one" "--worktree with --rev: the two named"
# A FIFO where a cited file is: not_file, never opened (a read would wait
# for a writer); as the target of a followed citation, a deleted file.
rm "$W/services/api/app.py" && mkfifo "$W/services/api/app.py"
run guard 10 "$AUDITMD" verify --repo "$W" --worktree --as-of none HEAD~1:docs/AUDIT.md
expect_jq '.results[1] | [.state, .detail, .file_lines]' '["not_file","a FIFO, socket or device: not opened",null]' \
  "--worktree: a FIFO is not_file"
run guard 10 "$AUDITMD" verify --repo "$W" --worktree HEAD~1:docs/AUDIT.md
expect_jq '.results[1] | [.state, .detail]' '["deleted","file deleted"]' "--worktree: a file that became a FIFO is gone"
rm "$W/services/api/app.py" && git -C "$W" checkout -q -- services/api/app.py
run "$AUDITMD" verify --repo "$tmp/bare.git" --worktree --as-of none "$DATA/modern-2026-01-15.md"
expect_rc 4 "--worktree in a bare repository"
expect_err "bare repository, it has no working tree" "bare repository named"

# --- hostile trees: entries named "..", ".git", ".GIT", "git~1" are never followed ----
# HEAD's tree (made with git mktree, never checked out) holds ../outside/secret.txt
# and .git/config, .GIT/config, git~1/config; the secret really is next to the
# working tree, and .git/config really is git's own.
H=$tmp/hostile
mkdir -p "$H/outside"
printf 'TOKEN=s3cret\nline 2\nline 3\n' >"$H/outside/secret.txt"
git -C "$H" init -q -b main repo
export GIT_AUTHOR_DATE=2026-01-15T10:00:00Z GIT_COMMITTER_DATE=2026-01-15T10:00:00Z
hgit() { git -C "$H/repo" -c user.name=A -c user.email=a@example.org "$@"; }
hb=$(printf 'TOKEN=decoy\n' | hgit hash-object -w --stdin)
hsecret=$(printf '100644 blob %s\tsecret.txt\n' "$hb" | hgit mktree)
houtside=$(printf '040000 tree %s\toutside\n' "$hsecret" | hgit mktree)
hconfig=$(printf '100644 blob %s\tconfig\n100644 blob %s\tsettings.py\n' "$hb" "$hb" | hgit mktree)
hok=$(printf 'ok\n' | hgit hash-object -w --stdin)
htree=$(printf '040000 tree %s\t..\n040000 tree %s\t.git\n040000 tree %s\t.GIT\n040000 tree %s\tgit~1\n100644 blob %s\tok.txt\n' \
  "$houtside" "$hconfig" "$hconfig" "$hconfig" "$hok" | hgit mktree)
hgit update-ref HEAD "$(hgit commit-tree -m hostile "$htree")"
unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE
printf 'ok\n' >"$H/repo/ok.txt"
cat >"$H/audit.md" <<'EOF'
# HOSTILE

### 1) Escape
- Status: Open
- Evidence: `outside/secret.txt:1-2` holds `TOKEN=s3cret`

### 2) Git's own files
- Status: Open
- Evidence: `.git/config:1` and `.GIT/config:1` and `git~1/config:1` hold `repositoryformatversion`

### 3) Partial
- Status: Open
- Evidence: `settings.py:1` and `ok.txt:1`
EOF
for mode in tree worktree; do
  [ $mode = worktree ] && wt=--worktree || wt=
  run "$AUDITMD" verify --repo "$H/repo" $wt --as-of none "$H/audit.md"
  expect_jq '[.results[] | .state]' '["missing","missing","missing","missing","missing","ok"]' \
    "$mode: entries named .., .git, .GIT, git~1 are never followed"
  expect_jq '[.results[] | .file_lines]' '[null,null,null,null,null,1]' "$mode: nothing read through them"
  expect_jq '[.results[] | .symbols.found | length] | add' '0' "$mode: no code span found through them"
  expect_jq '.results[1].detail' "\"git's own files (.git) are not evidence: not read\"" "$mode: .git named"
  if command -v strace >/dev/null; then
    strace -f -e trace=open,openat,stat,newfstatat,lstat -o "$tmp/trace3" \
      "$AUDITMD" verify --repo "$H/repo" $wt --as-of none "$H/audit.md" >/dev/null 2>&1
    # (libgit2 opens REPO/.git/config by its full path; the reader would
    # openat() "..", ".git" relative to the working tree.)
    grep -E 'secret\.txt|"\.\."|"\.git"|"\.GIT"|"git~1"' "$tmp/trace3" >/dev/null &&
      fail "$mode: nothing is opened through them" "$(grep -E 'secret|"\.|git~1' "$tmp/trace3" | head -3)" ||
      ok "$mode: nothing is opened through them"
  fi
done

# --- many files: two threads give what one gives ------------------------------------
M=$tmp/many
mkdir -p "$M/src"
git -C "$M" init -q -b main
{
  echo "# MANY"; echo; echo "Date: 2026-01-15"; echo
  for i in $(seq 1 300); do
    d=$((i % 7)); mkdir -p "$M/src/m$d"; seq 1 $((20 + i % 30)) | sed 's/^/x = /' >"$M/src/m$d/f$i.py"
    echo "### $i) Finding $i"; echo "- Evidence: \`src/m$d/f$i.py:$((i % 25 + 1))-$((i % 25 + 5))\` and \`f$i.py:2\`"; echo
  done
  echo "### 301) Ambiguous"; echo "- Evidence: \`nothere.py:1\`, \`../x.py:1\`"
} >"$M/AUDIT.md"
git -C "$M" add -A && GIT_AUTHOR_DATE=2026-01-15T10:00:00Z GIT_COMMITTER_DATE=2026-01-15T10:00:00Z git -C "$M" -c user.name=A -c user.email=a@example.org commit -qm many
"$AUDITMD" verify --repo "$M" --threads 1 --as-of none "$M/AUDIT.md" >"$tmp/one.json" 2>/dev/null
"$AUDITMD" verify --repo "$M" --threads 2 --as-of none "$M/AUDIT.md" >"$tmp/two.json" 2>/dev/null
jq -e '.summary.citations == 602' "$tmp/one.json" >/dev/null && ok "600 citations checked" || fail "600 citations checked" "$(jq -c .summary "$tmp/one.json")"
cmp -s "$tmp/one.json" "$tmp/two.json" && ok "two threads give exactly what one gives" || fail "two threads give exactly what one gives"
jq -e '[.results[] | select(.path | test("^f[0-9]+[.]py$")) | .repo_path | startswith("src/m")] | all' "$tmp/two.json" >/dev/null &&
  ok "partial paths resolved with two threads" || fail "partial paths resolved with two threads"
jq -e '[.results[].state] | (map(select(. == "out_of_range")) | length) > 0' "$tmp/two.json" >/dev/null &&
  ok "out_of_range found among many files" || fail "out_of_range found among many files"

# 120 of those files changed in a second commit: their hunks are computed
# on two threads as on one; one became binary.
for i in $(seq 1 120); do
  f=$M/src/m$((i % 7))/f$i.py
  case $((i % 3)) in
    0) sed -i '1i import os\nimport sys' "$f" ;;       # two lines above the range: moved
    1) sed -i "$((i % 25 + 2))s/.*/y = 0/" "$f" ;;     # a line inside it: changed
    2) echo "z = 1" >>"$f" ;;                          # below it: ok
  esac
done
printf 'x = 1\n\000\001binary\n' >"$M/src/m1/f1.py"
git -C "$M" add -A && GIT_AUTHOR_DATE=2026-01-16T10:00:00Z GIT_COMMITTER_DATE=2026-01-16T10:00:00Z git -C "$M" -c user.name=A -c user.email=a@example.org commit -qm change
"$AUDITMD" verify --repo "$M" --threads 1 --as-of HEAD~1 --rev HEAD "$M/AUDIT.md" >"$tmp/one.json" 2>/dev/null
"$AUDITMD" verify --repo "$M" --threads 2 --as-of HEAD~1 --rev HEAD "$M/AUDIT.md" >"$tmp/two.json" 2>/dev/null
cmp -s "$tmp/one.json" "$tmp/two.json" && ok "120 changed files: two threads give exactly what one gives" ||
  fail "120 changed files: two threads give exactly what one gives"
expect_file_jq() { # FILE FILTER EXPECTED NAME
  local got; got=$(jq -c "$2" "$1" 2>&1)
  [ "$got" = "$3" ] && ok "$4" || fail "$4" "got $got, expected $3"
}
expect_file_jq "$tmp/two.json" '[.results[] | select(.path == "src/m3/f3.py" or .path == "f3.py") | [.state, .start, .now.start]]' \
  '[["moved",4,6],["moved",2,4]]' "lines inserted above: moved by two"
expect_file_jq "$tmp/two.json" '[.results[] | select(.path == "src/m4/f4.py") | .state]' '["changed"]' "a line edited inside: changed"
expect_file_jq "$tmp/two.json" '[.results[] | select(.path == "src/m5/f5.py") | [.state, .now.start]]' '[["ok",6]]' "a line added below: ok"
expect_file_jq "$tmp/two.json" '[.results[] | select(.path == "src/m1/f1.py") | [.state, .detail]]' '[["changed","a binary change"]]' \
  "a file that became binary: a binary change"
# 40 files moved, both citations (f120.py's range is past its end already);
# 40 changed, plus f1.py:2 (binary), f25.py:2 and f100.py:2 (the edited line).
expect_file_jq "$tmp/two.json" '[.summary.moved, .summary.changed]' '[79,43]' "every moved and changed citation counted"
run "$AUDITMD" verify --threads 3 "$M/AUDIT.md"
expect_rc 2 "--threads 3 refused"

# --- switched off as in lint: auditmd-disable comments and lint.disable ------------------
mkdir -p "$tmp/sup"
cat >"$tmp/sup/AUDIT.md" <<'EOF'
# SUPPRESSED

Date: 2026-01-15

### 1) Known gap
- Status: Open
<!-- auditmd-disable-next-line citation-missing -->
- Evidence: `services/api/nothere.py:1`

### 2) Real gap
- Status: Open
- Evidence: `services/api/gone.py:1`

### 3) Symbol
- Status: Open
- Evidence: `services/api/app.py:1` calls `no_such_symbol_here`
EOF
echo '{"lint":{"disable":["citation-symbol_missing"]}}' >"$tmp/sup/.auditmd.json"
run "$AUDITMD" verify --repo "$R" --as-of none "$tmp/sup/AUDIT.md"
expect_rc 1 "a citation not switched off still fails"
expect_jq '[.results[] | [.state, .suppressed, .warnings]]' \
  '[["missing",["missing"],[]],["missing",null,[]],["ok",["symbol_missing"],[]]]' \
  "the comment switches a state off, lint.disable a warning; both kept, marked"
expect_jq '.summary | [.missing, .symbol_missing, .suppressed]' '[2,0,2]' "summary: states still counted, 2 switched off"
run "$AUDITMD" verify --repo "$R" --as-of none --format text "$tmp/sup/AUDIT.md"
if grep -q "nothere.py" "$tmp/out"; then fail "text: a switched-off state is not reported"; else ok "text: a switched-off state is not reported"; fi
expect_out "gone.py:1: missing" "text: the other one is"
expect_out "1 error, 0 warnings, 0 notes (2 switched off in the audit or the configuration)" "text: the summary says how many were switched off"
run "$AUDITMD" verify --repo "$R" --as-of none --format text --verbose "$tmp/sup/AUDIT.md"
expect_out "info: services/api/nothere.py:1: missing (switched off)" "text --verbose: an info line says it was switched off"
for fmt in github sarif; do
  run "$AUDITMD" verify --repo "$R" --as-of none --format $fmt "$tmp/sup/AUDIT.md"
  if grep -q "nothere.py\|no_such_symbol" "$tmp/out"; then fail "$fmt: nothing switched off is reported"; else ok "$fmt: nothing switched off is reported"; fi
done
sed -i 's/^- Evidence: `services\/api\/gone.py:1`$/& <!-- auditmd-disable-line citation-missing -->/' "$tmp/sup/AUDIT.md"
run "$AUDITMD" verify --repo "$R" --as-of none "$tmp/sup/AUDIT.md"
expect_rc 0 "every failing state switched off: exit 0"
run "$AUDITMD" lint --repo "$R" --as-of none "$tmp/sup/AUDIT.md"
expect_out "0 errors, 0 warnings, 0 notes (3 switched off" "lint agrees"
# REV:PATH: the lint.disable of that revision's .auditmd.json (next to the
# audit) and the revision's auditmd-disable comments, whatever the working
# tree holds.
C=$tmp/cfgrepo
mkdir -p "$C/docs/cites" "$C/app"
git -C "$C" init -q -b main
ccommit() { git -C "$C" add -A && GIT_AUTHOR_DATE=$1T12:00:00Z GIT_COMMITTER_DATE=$1T12:00:00Z \
  git -C "$C" -c user.name=A -c user.email=a@example.org commit -qm "$2"; }
printf 'one\ntwo\n' >"$C/app/short.py"
cat >"$C/docs/cites/AUDIT.md" <<'EOF'
# CITES

Date: 2026-01-13

### 1) Known gap
- Status: Open
<!-- auditmd-disable-next-line citation-missing -->
- Evidence: `app/nothere.py:1`

### 2) Short file
- Status: Open
- Evidence: `app/short.py:50`

### 3) Real gap
- Status: Open
- Evidence: `app/gone.py:1`
EOF
echo '{"lint":{"disable":["citation-out_of_range"]}}' >"$C/docs/cites/.auditmd.json"
ccommit 2026-01-13 "an audit with citations, and its configuration"
echo '{}' >"$C/docs/cites/.auditmd.json"   # the working tree's says otherwise
run "$AUDITMD" verify --repo "$C" HEAD:docs/cites/AUDIT.md
expect_rc 1 "verify REV:PATH: a citation not switched off still fails"
expect_jq '[.results[] | [.state, .suppressed]]' '[["missing",["missing"]],["out_of_range",["out_of_range"]],["missing",null]]' \
  "verify REV:PATH: the comment and the revision's lint.disable switch states off"
expect_jq '.summary.suppressed' '2' "verify REV:PATH: 2 switched off"
echo '{"lint":{"disable":["citation-out_of_range"]}}' >"$C/docs/cites/.auditmd.json"
sed -i 's/^- Evidence: `app\/gone.py:1`$/& <!-- auditmd-disable-line citation-missing -->/' "$C/docs/cites/AUDIT.md"
ccommit 2026-01-14 "the last gap switched off"
echo '{}' >"$C/docs/cites/.auditmd.json"
run "$AUDITMD" verify --repo "$C" HEAD:docs/cites/AUDIT.md
expect_rc 0 "verify REV:PATH: every failing state switched off, exit 0"
run "$AUDITMD" verify --repo "$C" HEAD~1:docs/cites/AUDIT.md
expect_rc 1 "verify REV:PATH: an earlier revision has its own comments"
run "$AUDITMD" lint --repo "$C" HEAD:docs/cites/AUDIT.md
expect_out "(3 switched off in the audit or the configuration)" "lint REV:PATH agrees"

# --- ambiguous partial paths: ten candidates kept and a count, in every format ----------
A=$tmp/amb
git -C "$tmp" init -q -b main amb
for i in $(seq 1 25); do mkdir -p "$A/d$i"; echo "x" >"$A/d$i/index.js"; done
printf '# AMB\n\n### 1) F\n- Status: Open\n- Evidence: `index.js:1`, `index.js:2`, `nope/index.js:1`\n' >"$A/AUDIT.md"
git -C "$A" add -A && GIT_AUTHOR_DATE=2026-01-15T10:00:00Z GIT_COMMITTER_DATE=2026-01-15T10:00:00Z \
  git -C "$A" -c user.name=A -c user.email=a@example.org commit -qm amb
run "$AUDITMD" verify --repo "$A" --as-of none "$A/AUDIT.md"
expect_jq '[.results[] | .state]' '["ambiguous","ambiguous","missing"]' "25 files of one name: ambiguous; a missing partial path"
expect_jq '.results[0] | [(.candidates | length), .candidates[0], .candidates[9], .candidates_total]' \
  '[10,"d1/index.js","d18/index.js",25]' "json: the first ten by path, and the total"
expect_jq '.results[2] | has("candidates")' 'false' "json: no candidates when none match"
for fmt in text github md html sarif; do
  run "$AUDITMD" verify --repo "$A" --as-of none --format $fmt "$A/AUDIT.md"
  expect_out "d18/index.js and 15 more" "$fmt: ten candidates and the count of the others"
  if grep -q "d19/index.js" "$tmp/out"; then fail "$fmt: no eleventh candidate"; else ok "$fmt: no eleventh candidate"; fi
done

# --- --max-blob-size at the target: files are measured, never loaded, past it ----------
# grow.c grows to 100 MB at the target; big-old.c (60 MB) is moved to
# big-new.c unchanged (found from the blob id, nothing read) while big.c
# (60 MB, an edited copy) is added, so rename detection would compare
# them; small.c is renamed with an edit next to them.
B=$tmp/bigblobs
git -C "$tmp" init -q -b main bigblobs
bcommit() { git -C "$B" add -A && GIT_AUTHOR_DATE=$1T10:00:00Z GIT_COMMITTER_DATE=$1T10:00:00Z \
  git -C "$B" -c user.name=A -c user.email=a@example.org commit -qm "$2"; }
seq 1 10 >"$B/grow.c"
seq 1 40 | sed 's/^/int small_/' >"$B/small.c"
yes 'int big = 1;' | head -c 60000000 >"$B/big-old.c"
printf '# BIG\n\n### 1) F\n- Status: Open\n- Evidence: `grow.c:1-3`, `big-old.c`, `small.c:1-3`\n' >"$B/AUDIT.md"
bcommit 2026-01-15 audited
yes 'int x = 1; // padding' | head -c 100000000 >"$B/grow.c"
git -C "$B" mv big-old.c big-new.c
{ echo 'int edited;'; cat "$B/big-new.c"; } >"$B/big.c"
git -C "$B" mv small.c small2.c && echo 'int tail;' >>"$B/small2.c"
bcommit 2026-01-16 grown
if [ -x /usr/bin/time ]; then
  bounded 0 "--max-blob-size: the target's blobs measured first" 40000 \
    "$AUDITMD" verify --repo "$B" --max-blob-size 1M --as-of HEAD~1 --fail-on none "$B/AUDIT.md"
  expect_jq '[.results[] | .state]' '["too_large","renamed","renamed"]' \
    "a file over the limit at the target is too_large"
  expect_jq '.results[1].now.path' '"big-new.c"' "a file over the limit moved unchanged is renamed"
  expect_jq '.results[0].detail' '"over the blob size limit at the target: not read"' "too_large at the target said"
  expect_jq '.results[2].now.path' '"small2.c"' "a rename next to big files is still found"
  # The working tree: grow.c is 100 MB on disk, committed as 10 lines.
  git -C "$B" checkout -q HEAD~1 -- grow.c && bcommit 2026-01-17 shrunk
  yes 'int x = 1; // padding' | head -c 100000000 >"$B/grow.c"
  bounded 0 "--worktree --max-blob-size: files on disk measured first" 40000 \
    "$AUDITMD" verify --repo "$B" --worktree --max-blob-size 1M --as-of HEAD --fail-on none "$B/AUDIT.md"
  expect_jq '.results[0] | [.state, .detail]' '["too_large","over the blob size limit at the target: not read"]' \
    "--worktree: a file over the limit on disk is too_large"
  # log follows an audit renamed next to two big files without reading them.
  git -C "$B" checkout -q -- grow.c
  git -C "$B" mv AUDIT.md AUDIT-2026.md && git -C "$B" mv big-new.c big-newer.c && bcommit 2026-01-18 "renamed"
  bounded 0 "log: big files renamed next to the audit are not read" 40000 \
    "$AUDITMD" log --repo "$B" --max-size 1K --format json AUDIT-2026.md
  # (A pure rename is no new revision: the one entry is the first commit's.)
  expect_jq '[.entries[] | .path]' '["AUDIT.md"]' "log follows the rename"
else
  echo "# SKIP --max-blob-size at the target: /usr/bin/time not installed"
fi

# --- github -----------------------------------------------------------------------
export GITHUB_STEP_SUMMARY=$tmp/summary.md
run "$AUDITMD" verify --repo "$R" --format github HEAD~1:docs/AUDIT.md
unset GITHUB_STEP_SUMMARY
expect_rc 1 "github format"
head -n 2 "$tmp/out" | grep -c '^::error ' | grep -qx 2 && ok "errors first" || fail "errors first" "$(head -3 "$tmp/out")"
expect_out "::error file=docs/AUDIT.md,line=16,col=14,title=auditmd deleted (finding F2)::services/api/routes/upload.py:12-40: deleted (file deleted)" "workflow command with position"
expect_out "::warning file=docs/AUDIT.md,line=9,col=55," "warnings after"
expect_out "::notice title=auditmd verify::7 citations" "summary notice"
grep -qF "| error | 16 | F2 | \`services/api/routes/upload.py:12-40\` |" "$tmp/summary.md" && ok "step summary table" || fail "step summary table" "$(cat "$tmp/summary.md" 2>/dev/null | head -12)"
grep -q "^## auditmd verify: docs/AUDIT.md" "$tmp/summary.md" && ok "step summary heading" || fail "step summary heading"
# A step summary that cannot be written is a write failure (exit 4, even
# with citations that fail); a FIFO there is refused at once, not waited on.
for where in "$tmp/no-such-dir/summary.md" "$tmp"; do
  GITHUB_STEP_SUMMARY=$where run "$AUDITMD" verify --repo "$R" --format github HEAD~1:docs/AUDIT.md
  expect_rc 4 "an unwritable step summary (${where#$tmp})"
  expect_err "auditmd: error: $where: cannot write the step summary" "the unwritable step summary named"
  expect_out "::error file=docs/AUDIT.md" "the workflow commands are still written"
done
mkfifo "$tmp/summary.fifo"
GITHUB_STEP_SUMMARY=$tmp/summary.fifo run guard 10 "$AUDITMD" verify --repo "$R" --format github HEAD~1:docs/AUDIT.md
expect_rc 4 "a FIFO as the step summary, nobody reading"
expect_err "$tmp/summary.fifo: cannot write the step summary" "the FIFO named"
sleep 30 <"$tmp/summary.fifo" & reader=$!
GITHUB_STEP_SUMMARY=$tmp/summary.fifo run guard 10 "$AUDITMD" verify --repo "$R" --format github HEAD~1:docs/AUDIT.md
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
expect_rc 4 "a FIFO as the step summary, with a reader"
expect_err "$tmp/summary.fifo: cannot write the step summary: not a regular file" "a FIFO is not a regular file"
# An audit whose name holds a line break and an escape: every problem is one
# line starting with that name, shown; no raw control character anywhere.
weird="$tmp/x"$'\n'"::error::y"$'\033'"[2J.md"
cp "$DATA/verify-edge.md" "$weird"
NO_COLOR=1 run "$AUDITMD" verify --repo "$R" --as-of none --format text "$weird"
bad=$(grep -v "^$tmp/x\\\\x0a::error::y\\\\x1b\[2J.md:[0-9]*:[0-9]*: \|^as-of \|^[0-9]* citations\?:" "$tmp/out")
[ -z "$bad" ] && [ -s "$tmp/out" ] && ok "verify text: each line a problem of the named audit, or context and summary" || fail "verify text: each line a problem of the named audit, or context and summary" "$bad"
GITHUB_STEP_SUMMARY=$tmp/weird-summary.md run "$AUDITMD" verify --repo "$R" --as-of none --format github "$weird"
LC_ALL=C grep -q $'[\001-\010\013-\037\177]' "$tmp/out" "$tmp/weird-summary.md" && fail "verify github and step summary: no raw control character" ||
  ok "verify github and step summary: no raw control character"
grep -v '^::\(error\|warning\|notice\) ' "$tmp/out" | grep -q . && fail "verify github: only workflow commands" || ok "verify github: only workflow commands"
# Property escaping: a comma and a colon in the audit's name.
cp "$DATA/verify-edge.md" "$tmp/a,b:c.md"
run "$AUDITMD" verify --repo "$R" --as-of none --format github "$tmp/a,b:c.md"
expect_out "a%2Cb%3Ac.md,line=" "file property escaped"

# --- sarif ----------------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" --format sarif HEAD~1:docs/AUDIT.md
expect_rc 1 "sarif format"
expect_jq '.version' '"2.1.0"' "SARIF version"
expect_jq '[.runs[0].results[] | .ruleId]' '["moved","deleted","renamed","deleted","changed","symbol_missing"]' "one result per problem"
expect_jq '.runs[0].results[1] | [.level, .locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine]' '["error","docs/AUDIT.md",16]' "located in the audit"
expect_jq '.runs[0].results[0].relatedLocations[0].physicalLocation | [.artifactLocation.uri, .region.startLine, .region.endLine]' '["services/api/app.py",123,134]' "cited code as related location"
expect_jq '[.runs[0].results[] | .partialFingerprints["auditmdCitation/v1"] | length] | unique' '[16]' "fingerprints"
expect_jq '[.runs[0].results[] | (.ruleIndex as $i | $i)] == [.runs[0].results[] | .ruleId as $r | 0] | not' 'true' "rule indexes present"
jq -e '.runs[0] as $run | all($run.results[]; $run.tool.driver.rules[.ruleIndex].id == .ruleId)' "$tmp/out" >/dev/null &&
  ok "ruleIndex points at the rule" || fail "ruleIndex points at the rule"
cp "$tmp/out" "$tmp/a.sarif"
run "$AUDITMD" verify --repo "$R" --as-of none --format sarif "$DATA/verify-edge.md"
cp "$tmp/out" "$tmp/b.sarif"
expect_jq "[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique" \
  "[\"file://$(python3 -c 'import os, sys, urllib.parse; print(urllib.parse.quote(os.path.realpath(sys.argv[1]), safe="/-._~"))' "$DATA/verify-edge.md")\"]" \
  "sarif: an audit outside the repository by an absolute file:// URI"
cp "$DATA/verify-edge.md" "$R/docs/NEW AUDIT.md"
(cd "$R/services" && "$AUDITMD" verify --as-of none --format sarif "../docs/NEW AUDIT.md") >"$tmp/out" 2>"$tmp/err"
expect_jq "[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri] | unique" '["docs/NEW%20AUDIT.md"]' \
  "sarif: an audit in the working tree, not committed, by its path in the repository"
rm "$R/docs/NEW AUDIT.md"
if [ -n "$SHARED" ] && [ -f "$SHARED/sarif/sarif-schema-2.1.0.json" ] && python3 -c 'import jsonschema' 2>/dev/null; then
  for f in a b; do
    if python3 - "$SHARED/sarif/sarif-schema-2.1.0.json" "$tmp/$f.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(sys.argv[2])))
PY
    then ok "SARIF $f validates against the SARIF 2.1.0 schema"; else fail "SARIF $f validates against the SARIF 2.1.0 schema"; fi
  done
else
  echo "# SKIP SARIF schema validation: needs -Dshared_dir (with sarif/) and python3-jsonschema"
fi

# --- output files -----------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" -o "$tmp/v.json" HEAD~1:docs/AUDIT.md
expect_rc 1 "verify -o"
jq -e '.results | length == 7' "$tmp/v.json" >/dev/null && ok "-o wrote the whole document" || fail "-o wrote the whole document"
echo previous >"$tmp/keep.json"
run "$AUDITMD" verify --repo "$R" --rev nosuchrev -o "$tmp/keep.json" HEAD~1:docs/AUDIT.md
[ "$(cat "$tmp/keep.json")" = previous ] && ok "a failed run leaves the previous file" || fail "a failed run leaves the previous file"
run "$AUDITMD" verify --repo "$R" -o /dev/full HEAD~1:docs/AUDIT.md
expect_rc 4 "a full disk"

# --- diff --repo: the resolution check -----------------------------------------------
run "$AUDITMD" diff --repo "$R" HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
expect_rc 0 "diff --repo"
expect_jq '[.changes[] | select(.kind == "resolved") | [.new.id, .resolution]]' '[["F5","confirmed"],["F6","unconfirmed"]]' "resolved: confirmed by the code, or not"
expect_jq '.as_of.old' "\"$AUDITED\"" "as-of of OLD"
run "$AUDITMD" diff --repo "$R" --format text HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
expect_out "unconfirmed: the cited code did not change" "text says unconfirmed"
run "$AUDITMD" diff --repo "$R" --format md HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
expect_out "*unconfirmed: the cited code did not change*" "changelog says unconfirmed"
run "$AUDITMD" diff HEAD~2:docs/AUDIT.md "$DATA/modern-2026-01-16.md" --repo "$R"
expect_rc 0 "diff --repo with a file outside"
# REV:PATH inside the repository: the repository is known, --repo or not.
for fmt in json text md html; do
  (cd "$R/services" && "$AUDITMD" diff --repo "$R" --format $fmt HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md) >"$tmp/with.$fmt" 2>&1
  (cd "$R/services" && "$AUDITMD" diff --format $fmt HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md) >"$tmp/without.$fmt" 2>&1
  cmp -s "$tmp/with.$fmt" "$tmp/without.$fmt" && ok "diff REV:PATH $fmt: the same with --repo or without" ||
    fail "diff REV:PATH $fmt: the same with --repo or without" "$(diff "$tmp/with.$fmt" "$tmp/without.$fmt" | head -5)"
done
jq -e '.resolution_check == {"ran": true, "reason": null} and ([.changes[] | .resolution // empty] == ["confirmed","unconfirmed"])' \
  "$tmp/without.json" >/dev/null && ok "diff REV:PATH without --repo: resolutions checked" || fail "diff REV:PATH without --repo: resolutions checked"
# Two files and no --repo: every format says the check did not run, and why.
WHY="no repository: both audits were read from files or standard input (give --repo DIR, or read them as REV:PATH)"
run "$AUDITMD" diff "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md"
expect_jq '.resolution_check' "{\"ran\":false,\"reason\":\"$WHY\"}" "diff of files, json: the check did not run, and why"
expect_jq '[.changes[] | has("resolution")] | any' 'false' "diff of files, json: no resolution"
run "$AUDITMD" diff --format text "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md"
expect_out "resolutions not checked against the code: $WHY" "diff of files, text: said"
for fmt in md html; do
  run "$AUDITMD" diff --format $fmt "$DATA/modern-2026-01-15.md" "$DATA/modern-2026-01-16.md"
  expect_out "Resolutions not checked against the code: $WHY." "diff of files, $fmt: said"
done

# --- extensions of the audited tree ---------------------------------------------------
# ".qux" is no built-in extension: an audit of a repository holding such
# files cites them anyway, read with the repository at hand.
X=$tmp/extrepo
git init -q "$X"
mkdir -p "$X/lib" && seq 1 20 >"$X/lib/solver.qux"
printf '# E\n\nDate: 2026-01-15\n\n### 1) Solver overflows\n- Status: Open\n- Evidence: solver.qux:3-5\n' >"$X/AUDIT.md"
git -C "$X" add -A && GIT_AUTHOR_DATE=2026-01-15T10:00:00Z GIT_COMMITTER_DATE=2026-01-15T10:00:00Z \
  git -C "$X" -c user.name=A -c user.email=a@example.org commit -qm audit
run "$AUDITMD" compile "$X/AUDIT.md"
expect_jq '.findings[0].citations | length' '0' "an unknown extension is no citation without a repository"
(cd "$X" && "$AUDITMD" compile HEAD:AUDIT.md) >"$tmp/out" 2>"$tmp/err"
expect_jq '.findings[0].citations[0] | [.path, .start, .end]' '["solver.qux",3,5]' "REV:PATH: the tree's extensions are citations"
# The tree is read while the audit compiles; an audit that writes one of
# its extensions is compiled again with it.
run "$AUDITMD" compile --repo "$X" "$X/AUDIT.md"
expect_jq '.findings[0].citations[0] | [.path, .start, .end]' '["solver.qux",3,5]' "compile --repo: the tree's extensions are citations"
printf '# E\n\n### 1) Solver overflows\n- Status: Open\n- Evidence: solver&#46;qux:3-5\n' >"$tmp/entity.md"
run "$AUDITMD" compile --repo "$X" "$tmp/entity.md"
expect_jq '.findings[0].citations[0] | [.path, .start, .end]' '["solver.qux",3,5]' "compile --repo: an extension after an entity for the dot"
run "$AUDITMD" verify --repo "$X" --as-of none --format json "$X/AUDIT.md"
expect_jq '[.results[0].path, .results[0].state, .results[0].repo_path]' '["solver.qux","ok","lib/solver.qux"]' "verify --repo: the file found and checked"

# --- status semantics: drift of closed findings is a note -------------------------------
"$(dirname "$0")/status-repo.sh" "$tmp" >/dev/null 2>&1 || { echo "Bail out! the status repository could not be built"; exit 1; }
ST=$tmp/status
run "$AUDITMD" verify --repo "$ST" HEAD:docs/AUDIT.md
expect_rc 1 "status: an open finding's deleted code and citations broken when written fail"
expect_jq '[.results[] | [.finding, .status, .state, .level, .confirmed]]' \
  '[["F1","open","deleted","error",false],["F2","resolved","deleted","note",false],["F3","wontfix","moved","note",false],["F4","resolved","ok","note",true],["F5","resolved","missing","error",false],["F6","resolved","out_of_range","error",false]]' \
  "status: drift of resolved and won't-fix findings is a note; missing and out_of_range are errors whatever the status"
expect_jq '.results[3].problems | map([.rule, .level, .confirmed])' '[["symbol_missing","note",true]]' \
  "status: symbol_missing of a resolved finding confirms the fix"
expect_jq '.summary | [.errors, .warnings, .notes, .confirmed]' '[3,0,3,1]' "status: the numbers by level"
run "$AUDITMD" verify --repo "$ST" --format text HEAD:docs/AUDIT.md
expect_out "HEAD:docs/AUDIT.md:11:14: note: app/old.py:1-5: deleted (file deleted)" "text: a resolved finding's deleted code is a note"
expect_out "HEAD:docs/AUDIT.md:15:14: note: app/auth.py:20-22: moved to app/auth.py:17-19" "text: a won't-fix finding's moved code is a note"
expect_out "HEAD:docs/AUDIT.md:19:14: note: app/sync.py:5-8: confirmed: \`asyncio.run\` no longer in the cited lines" "text: confirmed, not a warning"
expect_out "HEAD:docs/AUDIT.md:23:14: error: app/missing.py:1: missing" "text: missing when written is an error on a resolved finding"
expect_out "; 3 errors, 0 warnings, 3 notes (1 confirming a resolution)" "text: the summary counts notes"
run "$AUDITMD" verify --repo "$ST" HEAD:docs/CLOSED.md
expect_rc 0 "status: drift of closed findings alone fails nothing"
expect_jq '[.results[].level]' '["note","note","note"]' "status: closed findings: notes"
run "$AUDITMD" verify --repo "$ST" --fail-on deleted,moved,symbol_missing HEAD:docs/CLOSED.md
expect_rc 0 "status: --fail-on naming the drift still does not fail closed findings"
run "$AUDITMD" verify --repo "$ST" --closed-drift check HEAD:docs/CLOSED.md
expect_rc 1 "--closed-drift check: closed findings judged as open ones"
expect_jq '[.results[] | [.level, .confirmed]]' '[["error",false],["warning",false],["warning",false]]' \
  "--closed-drift check: deleted an error, moved and symbol_missing warnings"
run "$AUDITMD" verify --repo "$ST" --closed-drift bogus HEAD:docs/CLOSED.md
expect_rc 2 "--closed-drift: an unknown mode"
run "$AUDITMD" verify --repo "$ST" --format github HEAD:docs/CLOSED.md
expect_out "::notice file=docs/CLOSED.md,line=7,col=14,title=auditmd deleted (finding F2)::app/old.py:1-5: deleted (file deleted)" \
  "github: a note is a notice"
grep -q '^::\(error\|warning\)' "$tmp/out" && fail "github: no error or warning for closed drift" || ok "github: no error or warning for closed drift"
run "$AUDITMD" verify --repo "$ST" --format sarif HEAD:docs/AUDIT.md
expect_jq '[.runs[0].results[] | [.ruleId, .level, .properties.status]]' \
  '[["deleted","error","open"],["deleted","note","resolved"],["moved","note","wontfix"],["symbol_missing","note","resolved"],["missing","error","resolved"],["out_of_range","error","resolved"]]' \
  "sarif: levels by status"
expect_jq '.runs[0].results[3].properties.confirmed' 'true' "sarif: confirmed"
run "$AUDITMD" verify --repo "$ST" --format md HEAD:docs/AUDIT.md
expect_out "6 citations, 3 errors, 0 warnings, 3 notes, 0 holding." "md: the numbers by level"
expect_out "### Notes (3)" "md: the notes listed"
expect_out "| symbol_missing | confirmed: \`asyncio.run\` no longer in the cited lines |" "md: confirmed"
run "$AUDITMD" lint --repo "$ST" --format json HEAD:docs/CLOSED.md
expect_rc 0 "lint: closed drift fails nothing"
expect_jq '[.issues[] | select(.rule | startswith("citation-")) | [.rule, .severity]]' \
  '[["citation-deleted","note"],["citation-moved","note"],["citation-symbol_missing","note"]]' "lint: closed drift as notes"
expect_jq '.summary.notes' '3' "lint: notes counted"
# Broken when written, whatever the status: outside the repository, missing
# and out of range at the as-of commit are errors for closed findings too.
cat >"$tmp/closed-broken.md" <<'EOF'
# CLOSED_BROKEN

Date: 2026-01-20

### 1) Escapes the repository
- Status: Resolved
- Evidence: `../../etc/passwd:1`

### 2) Never there
- Status: Won't fix
- Evidence: `app/never.py:3`

### 3) Past the end
- Status: Won't fix
- Evidence: `app/sync.py:90`
EOF
run "$AUDITMD" verify --repo "$ST" "$tmp/closed-broken.md"
expect_rc 1 "status: citations of closed findings broken when written fail"
expect_jq '[.as_of.reason, ([.results[] | [.status, .state, .level]])]' \
  '["date",[["resolved","outside_repo","error"],["wontfix","missing","error"],["wontfix","out_of_range","error"]]]' \
  "status: outside_repo, missing, out_of_range at the as-of commit: errors for resolved and won't-fix findings"
run "$AUDITMD" verify --repo "$ST" --format github "$tmp/closed-broken.md"
[ "$(grep -c '^::error ' "$tmp/out")" = 3 ] && ok "github: three errors, no notice" || fail "github: three errors, no notice" "$(cat "$tmp/out")"

# --- baselines: only what is new fails ------------------------------------------------
# Before the drift (HEAD~1) the audit already had F5 missing, F6 out_of_range
# and F4's confirming note; the drift adds F1's deleted code (an error) and
# F2's and F3's notes.
run "$AUDITMD" verify --repo "$ST" --rev HEAD~1 --write-baseline "$tmp/base.json" --format sarif -o "$tmp/base.sarif" HEAD:docs/AUDIT.md
expect_rc 1 "--write-baseline: the run itself as usual"
"$AUDITMD" verify --repo "$ST" --rev HEAD~1 --format json HEAD:docs/AUDIT.md >"$tmp/plain.json" 2>/dev/null
cmp -s "$tmp/base.json" "$tmp/plain.json" && ok "--write-baseline writes the JSON document" || fail "--write-baseline writes the JSON document"
for base in base.json base.sarif; do
  run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/$base" HEAD:docs/AUDIT.md
  expect_rc 1 "--baseline $base: a new error fails"
  expect_jq '[.results[] | [.finding, .baseline]]' \
    '[["F1","new"],["F2","new"],["F3","new"],["F4","unchanged"],["F5","unchanged"],["F6","unchanged"]]' \
    "--baseline $base: new and unchanged"
  expect_jq '.summary | [.errors, .unchanged, .absent]' '[3,3,0]' "--baseline $base: the levels stay, unchanged counted, none gone"
done
# The other way round: the drifted run as the baseline of the earlier code.
# F1's, F2's and F3's problems are gone since.
"$AUDITMD" verify --repo "$ST" --format json HEAD:docs/AUDIT.md >"$tmp/drifted.json" 2>/dev/null
run "$AUDITMD" verify --repo "$ST" --rev HEAD~1 --baseline "$tmp/drifted.json" HEAD:docs/AUDIT.md
expect_rc 0 "--baseline: fewer problems than the baseline fail nothing"
expect_jq '.summary | [.errors, .unchanged, .absent]' '[2,3,3]' "--baseline: the problems gone since the baseline counted (absent)"
run "$AUDITMD" verify --repo "$ST" --rev HEAD~1 --baseline "$tmp/drifted.json" --format text HEAD:docs/AUDIT.md
expect_out "; 3 unchanged since the baseline, 3 gone" "text: the problems gone since the baseline"
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/base.json" --fail-on missing,out_of_range HEAD:docs/AUDIT.md
expect_rc 0 "--baseline: errors in the baseline fail nothing"
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/base.json" --format sarif HEAD:docs/AUDIT.md
expect_jq '[.runs[0].results[] | [.ruleId, .baselineState, (.suppressions // [] | length)]]' \
  '[["deleted","new",0],["deleted","new",0],["moved","new",0],["symbol_missing","unchanged",1],["missing","unchanged",1],["out_of_range","unchanged",1]]' \
  "sarif: baselineState new or unchanged, unchanged ones suppressed"
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/base.json" --format text HEAD:docs/AUDIT.md
expect_out "HEAD:docs/AUDIT.md:23:14: error: app/missing.py:1: missing (in the baseline)" "text: in the baseline"
expect_out "3 notes (1 confirming a resolution); 3 unchanged since the baseline, 0 gone" "text: the summary counts them"
run "$AUDITMD" verify --repo "$ST" --format sarif HEAD:docs/AUDIT.md
expect_jq '[.runs[0].results[] | has("baselineState")] | any' 'false' "no baseline: no baselineState"
run "$AUDITMD" verify --repo "$ST" HEAD:docs/AUDIT.md
expect_jq '[(.summary | has("unchanged")), (.summary | has("absent")), ([.results[] | has("baseline")] | any)]' '[false,false,false]' "no baseline: no baseline fields"
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/nothere.json" HEAD:docs/AUDIT.md
expect_rc 3 "--baseline: a missing file"
expect_err "auditmd: error: $tmp/nothere.json: No such file or directory" "--baseline: the missing file named"
"$AUDITMD" compile "$DATA/lint.md" >"$tmp/compiled.json" 2>/dev/null
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/compiled.json" HEAD:docs/AUDIT.md
expect_rc 3 "--baseline: a document that is no baseline"
expect_err "$tmp/compiled.json: not a baseline" "--baseline: no baseline, said so"
"$AUDITMD" lint --format json "$DATA/lint.md" >"$tmp/lint-base.json" 2>/dev/null
run "$AUDITMD" verify --repo "$ST" --baseline "$tmp/lint-base.json" HEAD:docs/AUDIT.md
expect_rc 2 "--baseline: a baseline of lint for verify"
expect_err "a baseline of lint issues, not of citations" "--baseline: the other kind named"

# --- codeclimate: a GitLab Code Quality report -------------------------------------------
run "$AUDITMD" verify --repo "$ST" --format codeclimate HEAD:docs/AUDIT.md
expect_rc 1 "codeclimate: the exit code as for every format"
expect_jq 'map([.check_name, .severity, .location.path, .location.lines.begin])' \
  '[["citation-deleted","major","docs/AUDIT.md",7],["citation-deleted","info","docs/AUDIT.md",11],["citation-moved","info","docs/AUDIT.md",15],["citation-symbol_missing","info","docs/AUDIT.md",19],["citation-missing","major","docs/AUDIT.md",23],["citation-out_of_range","major","docs/AUDIT.md",27]]' \
  "codeclimate: one issue per problem, major for errors, info for notes, at the citation in the audit"
expect_jq '.[3].description' '"finding F4, app/sync.py:5-8: confirmed: `asyncio.run` no longer in the cited lines"' "codeclimate: the description"
"$AUDITMD" verify --repo "$ST" --format sarif HEAD:docs/AUDIT.md >"$tmp/cq.sarif" 2>/dev/null
expect_jq 'map(.fingerprint)' "$(jq -c '[.runs[0].results[].partialFingerprints["auditmdCitation/v1"]]' "$tmp/cq.sarif")" \
  "codeclimate: the fingerprints SARIF has"
# Two citations of one file by one finding, both deleted: one fingerprint
# twice in SARIF, made unique for GitLab.
printf '# TWICE\n\nDate: 2026-01-15\n\n### 1) Twice\n- Status: Open\n- Evidence: `app/old.py:1-2` and `app/old.py:3-4`\n' >"$tmp/twice.md"
run "$AUDITMD" verify --repo "$ST" --as-of HEAD~1 --format codeclimate "$tmp/twice.md"
fp=$(jq -r '.[0].fingerprint' "$tmp/out")
expect_jq 'map(.fingerprint)' "[\"$fp\",\"$fp-2\"]" "codeclimate: a repeated fingerprint made unique"
run "$AUDITMD" lint --repo "$ST" --format codeclimate HEAD:docs/CLOSED.md
expect_rc 0 "lint codeclimate"
expect_jq '[.[] | select(.check_name | startswith("citation-")) | .severity] | unique' '["info"]' "lint codeclimate: notes are info"

finish
