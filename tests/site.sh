#!/usr/bin/env bash
# auditmd site on a repository the test builds (examples/make-site-repo.sh:
# two audits, seven revisions of one with a finding inserted, one retitled,
# one reopened): the pages it writes, the same bytes twice, the directory
# written whole or not at all, the errors; then the index, an audit page
# and a finding page in headless Chromium: their counts, timeline and
# links against the audits' own JSON, a crawl from the index through the
# rendered pages (every internal link resolves to a file, every page is
# reached), and no page of the site or report wider than a 390-pixel screen.
#   site.sh AUDITMD
set -u
AUDITMD=$1
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp TZ=UTC
EX=$(cd "$(dirname "$0")/../examples" && pwd)
"$EX/make-site-repo.sh" "$tmp" >/dev/null 2>&1 || { echo "Bail out! the fixture repository could not be built"; exit 1; }
R=$tmp/repo
LB='https://forge.example/org/shop/blob/{commit}/'

# --- the site ---------------------------------------------------------------------
run guard 60 "$AUDITMD" site --repo "$R" --link-base "$LB" -o "$tmp/site"
expect_rc 0 "site of a repository with two audits"
expect_no_out "nothing on standard output"
pages=$(cd "$tmp/site" && find . -type f -name '*.html' | sort | tr '\n' ' ')
[ "$pages" = "./docs-ops-runbook-audit/index.html ./docs-ops-runbook-audit/ops-1.html ./docs-ops-runbook-audit/ops-2.html ./docs-ops-runbook-audit/ops-3.html ./docs-security/f1.html ./docs-security/f2.html ./docs-security/f3.html ./docs-security/f4.html ./docs-security/index.html ./index.html " ] &&
  ok "an index, a page an audit, a page a finding (discovered: README.md is no audit)" ||
  fail "an index, a page an audit, a page a finding" "$pages"
[ -f "$tmp/site/.auditmd-site" ] && ok "the directory says it is a site" || fail "the directory says it is a site"
ls -a "$tmp" | grep -q '^\.site\.' && fail "no temporary directory left" || ok "no temporary directory left"
# Self-contained: nothing loaded, no script.
if grep -l '<script\|<link\|<img\|@import\|url(' "$tmp"/site/*.html "$tmp"/site/*/*.html >/dev/null; then
  fail "pages are self-contained: no script, stylesheet, image or font from elsewhere"
else
  ok "pages are self-contained: no script, stylesheet, image or font from elsewhere"
fi
# The same repository, the same bytes; the audits named as discovered.
run guard 60 "$AUDITMD" site --repo "$R" --link-base "$LB" -o "$tmp/again" docs/SECURITY.md docs/ops/RUNBOOK-AUDIT.md
expect_rc 0 "site of the audits named"
diff -r "$tmp/site" "$tmp/again" >/dev/null && ok "the same repository gives the same bytes" ||
  fail "the same repository gives the same bytes" "$(diff -r "$tmp/site" "$tmp/again" | head -3)"
# Replaced whole: a site over a site, not over anything else. Its pages
# that did not change are the same files (linked, not written again); one
# changed there is written anew.
echo stale >"$tmp/site/stale.html"
before=$(stat -c %i "$tmp/site/index.html")
echo stale >"$tmp/site/docs-security/index.html"
run guard 60 "$AUDITMD" site --repo "$R" --link-base "$LB" -o "$tmp/site"
expect_rc 0 "a site replaces the site there"
[ ! -e "$tmp/site/stale.html" ] && [ -f "$tmp/site/index.html" ] && ok "nothing of the old site is left" ||
  fail "nothing of the old site is left"
[ "$(stat -c %i "$tmp/site/index.html")" = "$before" ] && ok "an unchanged page is the same file" ||
  fail "an unchanged page is the same file"
cmp -s "$tmp/site/docs-security/index.html" "$tmp/again/docs-security/index.html" &&
  ok "a page changed there is written anew" || fail "a page changed there is written anew"
mkdir "$tmp/mine" && echo precious >"$tmp/mine/notes.txt"
run "$AUDITMD" site --repo "$R" -o "$tmp/mine"
expect_rc 4 "a directory that is no site is not replaced"
expect_err "not empty and not a site auditmd wrote" "it says why"
[ "$(cat "$tmp/mine/notes.txt")" = precious ] && ok "its files are untouched" || fail "its files are untouched"
echo file >"$tmp/afile"
run "$AUDITMD" site --repo "$R" -o "$tmp/afile"
expect_rc 4 "-o a file"
run "$AUDITMD" site --repo "$R"
expect_rc 2 "-o is required"
expect_err "-o DIR is required" "it says so"
expect_err_lines 1 "in one line"
run "$AUDITMD" site --repo "$R" -o "$tmp/x" docs/NOPE.md
expect_rc 3 "an audit not in the history"
expect_err "docs/NOPE.md" "the audit named"
[ ! -e "$tmp/x" ] && ok "no directory after a failure" || fail "no directory after a failure"
run "$AUDITMD" site --repo "$R" --rev no-such-rev -o "$tmp/x"
expect_rc 3 "an unknown revision"
ls -a "$tmp" | grep -q '^\.x\.' && fail "no temporary directory left after a failure" ||
  ok "no temporary directory left after a failure"
# Another revision: its tree's audits and history.
run guard 60 "$AUDITMD" site --repo "$R" --rev HEAD~4 -o "$tmp/old"
expect_rc 0 "--rev HEAD~4"
grep -q "docs/SECURITY.md</code> at <code>$(git -C "$R" rev-parse --short=7 HEAD~4)</code>" "$tmp/old/docs-security/index.html" &&
  ok "--rev: the pages show that revision" || fail "--rev: the pages show that revision"
[ "$(grep -c '<section class="entry"' "$tmp/old/docs-security/index.html")" = 3 ] &&
  ok "--rev: its history (3 revisions)" || fail "--rev: its history (3 revisions)"
# "audits" in the configuration.
echo '{"audits": ["docs/ops/*.md"]}' >"$R/.auditmd.json"
git -C "$R" add -A && GIT_AUTHOR_DATE=2026-02-20T10:00:00Z GIT_COMMITTER_DATE=2026-02-20T10:00:00Z git -C "$R" commit -qm config
run guard 60 "$AUDITMD" site --repo "$R" -o "$tmp/listed"
expect_rc 0 "the audits the configuration lists"
[ -d "$tmp/listed/docs-ops-runbook-audit" ] && [ ! -e "$tmp/listed/docs-security" ] &&
  ok "only those" || fail "only those" "$(ls "$tmp/listed")"
git -C "$R" reset -q --hard HEAD~1

# --- the pages, read --------------------------------------------------------------------
S=$tmp/site
counts() { # REV:PATH: "open closed" as compile counts them
  "$AUDITMD" compile --repo "$R" --format json "$1" 2>/dev/null |
    jq -r '[([.findings[] | select(.status == "open" or .status == "in_progress")] | length),
            ([.findings[] | select(.status == "resolved" or .status == "wontfix")] | length)] | "\(.[0]) \(.[1])"'
}
want_sec=$(counts HEAD:docs/SECURITY.md)
want_ops=$(counts HEAD:docs/ops/RUNBOOK-AUDIT.md)
card() { grep -o "<li class=\"audit\" data-health=\"[a-z]*\" data-open=\"[0-9]*\" data-closed=\"[0-9]*\">" "$1" | sed -n "$2p" |
  sed 's/.*data-open="\([0-9]*\)" data-closed="\([0-9]*\)".*/\1 \2/'; }

# Links of a page: the relative ones, without their fragment.
links() { grep -o 'href="[^"]*"' "$1" | sed 's/^href="//; s/"$//' | grep -Ev '^(https?:|mailto:|#)' | sed 's/#.*//' | sort -u; }
# Every internal link of every page resolves to a file of the site.
broken=0; nlinks=0
while IFS= read -r page; do
  dir=$(dirname "$page")
  while IFS= read -r l; do
    [ -n "$l" ] || continue
    nlinks=$((nlinks + 1))
    [ -f "$dir/$l" ] || { broken=$((broken + 1)); echo "# $page: $l"; }
  done < <(links "$page")
done < <(find "$S" -name '*.html')
[ "$broken" = 0 ] && [ "$nlinks" -gt 20 ] && ok "every internal link of the site resolves ($nlinks links, all pages)" ||
  fail "every internal link of the site resolves" "$broken of $nlinks broken"
grep -q 'href="f3.html"' "$S/docs-security/index.html" && grep -q 'href="../index.html"' "$S/docs-security/f3.html" &&
  grep -q 'href="docs-security/index.html"' "$S/index.html" && ok "index → audit → finding → back" ||
  fail "index → audit → finding → back"
grep -q "href=\"https://forge.example/org/shop/commit/$(git -C "$R" rev-parse HEAD)\"" "$S/docs-security/index.html" &&
  ok "commits link to the forge" || fail "commits link to the forge"

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "# SKIP Chromium not installed: the rendered-page checks did not run (scripts/test.sh installs it)"
  finish
  exit
fi
# chrome ARGS...: headless, no network, no sandbox, a profile of its own.
chrome() {
  guard 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" "$@" 2>/dev/null
}
dom() { chrome --dump-dom "file://$1" >"$2"; }
dom "$S/index.html" "$tmp/index.dom"
dom "$S/docs-security/index.html" "$tmp/audit.dom"
dom "$S/docs-security/f3.html" "$tmp/f3.dom"
dom "$S/docs-security/f4.html" "$tmp/f4.dom"
grep -q '</html>' "$tmp/index.dom" && ok "Chromium rendered the index" || fail "Chromium rendered the index"
[ "$(grep -c '<li class="audit"' "$tmp/index.dom")" = 2 ] && ok "index: a card an audit" || fail "index: a card an audit"
[ "$(card "$tmp/index.dom" 1)" = "$want_sec" ] && [ "$(card "$tmp/index.dom" 2)" = "$want_ops" ] &&
  ok "index: each card's open and closed are compile's ($want_sec; $want_ops)" ||
  fail "index: each card's open and closed are compile's" "$(card "$tmp/index.dom" 1); $(card "$tmp/index.dom" 2) vs $want_sec; $want_ops"
grep -q '<svg class="spark"' "$tmp/index.dom" && ok "index: sparklines" || fail "index: sparklines"
# The audit page: its findings, its evidence, its seven revisions.
nf=$(grep -c '<li class="finding"' "$tmp/audit.dom")
want=$("$AUDITMD" compile --repo "$R" --format json HEAD:docs/SECURITY.md 2>/dev/null | jq '.findings | length')
[ "$nf" = "$want" ] && ok "audit page: $nf findings, as compile" || fail "audit page: findings as compile" "$nf, want $want"
[ "$(grep -c '<section class="entry"' "$tmp/audit.dom")" = 7 ] && ok "audit page: seven revisions in its changelog" ||
  fail "audit page: seven revisions in its changelog"
nres=$(grep -c '<li class="result"' "$tmp/audit.dom")
# A row a problem, or one for a citation that holds, as verify lists them.
wantres=$("$AUDITMD" verify --repo "$R" --format json HEAD:docs/SECURITY.md 2>/dev/null |
  jq '[.results[] | (.problems | length) as $n | if $n == 0 then 1 else $n end] | add')
[ "$nres" = "$wantres" ] && ok "audit page: every citation checked, a row a problem ($nres)" ||
  fail "audit page: every citation checked, a row a problem" "$nres, want $wantres"
# The reopened finding: added, closed, renumbered, reopened.
kinds=$(grep -o '<li class="t-[a-z]*" data-kind="[a-z]*"' "$tmp/f3.dom" | sed 's/.*data-kind="\([a-z]*\)"/\1/' | tr '\n' ' ')
[ "$kinds" = "added resolved changed regressed " ] && ok "finding page: its timeline (added, closed, renumbered, reopened)" ||
  fail "finding page: its timeline" "got: $kinds"
grep -q '<li data-what="number"><b>number</b>: <span class="was">#2</span> → #3</li>' "$tmp/f3.dom" &&
  ok "finding page: the renumbering, old → new" || fail "finding page: the renumbering, old → new"
grep -q "href=\"https://forge.example/org/shop/commit/$(git -C "$R" rev-parse HEAD~2)\"" "$tmp/f3.dom" &&
  ok "finding page: the reopening commit linked" || fail "finding page: the reopening commit linked"
# The retitled finding: one page across its two titles.
grep -q '<li data-what="title"><b>title</b>: <span class="was">Missing CSRF token</span> → CSRF token missing on <code>/settings</code> forms</li>' "$tmp/f4.dom" &&
  ok "finding page: the retitling, old → new, as one finding" || fail "finding page: the retitling"
grep -q '<span class="pill st-wontfix">won.t fix</span>' "$tmp/f4.dom" && ok "finding page: its status now" ||
  fail "finding page: its status now"

# A crawl from the index through the rendered pages: every internal link
# of every page reached resolves to a file, and every page is reached.
declare -A seen=(["$S/index.html"]=1)
queue=("$S/index.html"); crawled=0; dangling=0; followed=0
while [ "${#queue[@]}" -gt 0 ]; do
  page=${queue[0]}; queue=("${queue[@]:1}")
  dom "$page" "$tmp/crawl.dom"
  crawled=$((crawled + 1))
  while IFS= read -r l; do
    [ -n "$l" ] || continue
    followed=$((followed + 1))
    target=$(realpath -m "$(dirname "$page")/$l")
    if [ ! -f "$target" ]; then
      dangling=$((dangling + 1)); echo "# ${page#"$S"/}: $l"
    elif [ -z "${seen[$target]:-}" ]; then
      seen[$target]=1; queue+=("$target")
    fi
  done < <(links "$tmp/crawl.dom")
done
npages=$(find "$S" -name '*.html' | wc -l)
[ "$dangling" = 0 ] && [ "$followed" -gt 20 ] && ok "crawled from the index: $followed internal links of $crawled rendered pages resolve" ||
  fail "crawled from the index: every internal link resolves" "$dangling of $followed dangling"
[ "$crawled" = "$npages" ] && ok "crawled from the index: every page of the site is reached ($npages)" ||
  fail "crawled from the index: every page of the site is reached" "$crawled of $npages"

# Nothing wider than a phone. A page is measured in a frame 390 pixels wide
# (srcdoc: the page's own bytes, in the origin of a wrapper whose script,
# the test's alone, writes the frame's scroll and client widths into the
# DOM; the site's pages have no script). Headless Chromium's window is
# wider than a phone's, hence the frame.
widths() { # PAGE: "scroll client"
  { printf '<!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="width:390px;height:844px;border:0" srcdoc="'
    sed 's/&/\&amp;/g; s/"/\&quot;/g' "$1"
    printf '"></iframe><script>var f = document.getElementById("f"); f.addEventListener("load", function () {'
    printf ' var d = f.contentDocument.documentElement; document.body.setAttribute("data-widths", d.scrollWidth + " " + d.clientWidth); });</script></body></html>'
  } >"$tmp/measure.html"
  chrome --hide-scrollbars --window-size=800,900 --dump-dom "file://$tmp/measure.html" |
    grep -o 'data-widths="[0-9]* [0-9]*"' | grep -o '[0-9]* [0-9]*'
}
# The measure sees an overflow when there is one.
printf '<!DOCTYPE html><html><body><div style="width:600px">wide</div></body></html>' >"$tmp/wide.html"
[ "$(widths "$tmp/wide.html")" = "608 390" ] && ok "the measure sees a page 600 pixels wide overflow" ||
  fail "the measure sees a page 600 pixels wide overflow" "got $(widths "$tmp/wide.html")"
# The reports too, of the same repository and of the example one (long
# paths, deleted and moved citations).
mkdir "$tmp/reports"
"$EX/make-repo.sh" "$tmp/ex" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1
"$AUDITMD" log --repo "$R" --format html --link-base "$LB" -o "$tmp/reports/log.html" docs/SECURITY.md
"$AUDITMD" diff --repo "$R" --format html --link-base "$LB" -o "$tmp/reports/diff.html" HEAD~6:docs/SECURITY.md HEAD:docs/SECURITY.md
"$AUDITMD" compile --repo "$R" --format html --link-base "$LB" -o "$tmp/reports/compile.html" HEAD:docs/SECURITY.md
"$AUDITMD" verify --repo "$tmp/ex/repo" --format html --link-base "$LB" -o "$tmp/reports/verify.html" HEAD~1:docs/AUDIT.md
"$AUDITMD" diff --repo "$tmp/ex/repo" --format html --link-base "$LB" -o "$tmp/reports/diff-ex.html" HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md
[ "$(ls "$tmp/reports" | wc -l)" = 5 ] && ok "the reports to measure are written" || fail "the reports to measure are written" "$(ls "$tmp/reports")"
wide=0; measured=0
while IFS= read -r page; do
  w=$(widths "$page")
  measured=$((measured + 1))
  set -- $w
  if [ -z "$w" ] || [ "$2" != 390 ] || [ "$1" -gt "$2" ]; then
    wide=$((wide + 1)); echo "# ${page#"$tmp"/}: scroll width ${1:-?}, client width ${2:-?}"
  fi
done < <(find "$S" "$tmp/reports" -name '*.html' | sort)
[ "$wide" = 0 ] && ok "no page of the site and no report overflows 390 pixels ($measured pages measured)" || fail "no page overflows 390 pixels" "$wide of $measured"
finish
