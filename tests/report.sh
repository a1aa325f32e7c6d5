#!/usr/bin/env bash
# Reports through templates: --format md|html of every command, --template,
# --template-dir, --link-base and --link-style, template errors, hostile
# audits rendered as text (raw HTML, Mustache tags, and inline Markdown:
# links of every scheme, images, HTML in titles), the charts of a
# five-revision history, and the diff report opened in headless Chromium
# when it is installed.
#   report.sh AUDITMD DATA_DIR [SHARED_DIR]
set -u
AUDITMD=$1
DATA=$2
SHARED=${3:-}
. "$(dirname "$0")/lib.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=$tmp TZ=UTC
EX=$(cd "$(dirname "$0")/../examples" && pwd)
"$EX/make-repo.sh" "$tmp" "$EX/audit/PLATFORM_AUDIT-2026-01-15.md" >/dev/null 2>&1 ||
  { echo "Bail out! the example repository could not be built"; exit 1; }
R=$tmp/repo
OLD=$DATA/modern-2026-01-15.md
NEW=$DATA/modern-2026-01-16.md

# Only the template's own tags may appear, and links only to the link base.
# Inline Markdown adds code, em, strong, del and links (to ok.example, a
# mailto: and a relative one in hostile-inline.md).
ALLOWED='^(html|head|meta|style|title|body|main|nav|h1|h2|h3|p|ul|ol|li|b|i|span|div|section|footer|a|code|em|strong|del|svg|line|text|polyline|circle|rect|tspan|desc|figure|table|caption|thead|tbody|tr|th|td|details|summary)$'
check_html() { # FILE NAME
  bad=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$1" | cut -c2- | sort -u | grep -Ev "$ALLOWED" | tr '\n' ' ')
  [ -z "$bad" ] && ok "$2: only the template's tags" || fail "$2: only the template's tags" "found: $bad"
  # (and a site's pages to each other: "../index.html", "f3.html", "#evidence")
  hrefs=$(grep -o 'href="[^"]*"' "$1" |
    grep -Ev '^href="(https://example.org/|https://ok.example/|mailto:sec@ok.example"|docs/HOWTO.md"|(\.\./)?([a-z0-9-]+/)?[a-z0-9-]+\.html"|#[a-z]+")' | head -3)
  [ -z "$hrefs" ] && ok "$2: links only to the link base and the audit's own" || fail "$2: links only to the link base and the audit's own" "$hrefs"
  srcs=$(grep -oiE '<[a-z][^>]* (src|xlink:href|action|formaction|background)=' "$1" | head -3)
  [ -z "$srcs" ] && ok "$2: nothing loaded from anywhere" || fail "$2: nothing loaded from anywhere" "$srcs"
  schemes=$(grep -oiE '(href|src)="[[:space:]]*(javascript|vbscript|data|file):' "$1" | head -3)
  [ -z "$schemes" ] && ok "$2: no javascript:, vbscript:, data: or file: link" || fail "$2: no javascript:, vbscript:, data: or file: link" "$schemes"
  grep -q 'on[a-z]*=alert' "$1" && grep -E '<[^>]* on[a-z]*=' "$1" >/dev/null &&
    fail "$2: no event handler attributes" "$(grep -oE '<[^>]* on[a-z]*=[^>]*' "$1" | head -2)" ||
    ok "$2: no event handler attributes"
}

# --- a hostile audit renders as text -------------------------------------------------
H=$DATA/hostile.md
cp "$H" "$tmp/hostile-new.md"
sed -i 's/^- Status: Open$/- Status: Fixed/' "$tmp/hostile-new.md"
LB='https://example.org/org/repo/blob/{commit}/'
run "$AUDITMD" compile --format html --link-base "$LB" "$H"
expect_rc 0 "compile --format html of a hostile audit"
check_html "$tmp/out" "compile.html"
expect_out "<h1>&lt;script&gt;alert('title')&lt;/script&gt; AUDIT {{title}}</h1>" "title shown as text (raw HTML escaped), braces too"
expect_out "Second &lt;b onmouseover=&quot;alert(5)&quot;&gt;finding&lt;/b&gt; <code>&lt;script&gt;</code>" "raw HTML shown as text, a code span as code"
expect_out "{{evil}} {{{raw}}} {{&amp; amp}}" "mustache tags in an audit are text"
run "$AUDITMD" diff --format html --link-base "$LB" "$H" "$tmp/hostile-new.md"
expect_rc 0 "diff --format html of a hostile audit"
check_html "$tmp/out" "diff.html"
expect_out "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; Title {{evil}}" "a finding's title as text"
mkdir -p "$R/docs/h"
cp "$H" "$R/docs/h/AUDIT.md"
git -C "$R" add docs/h && git -C "$R" -c user.name=A -c user.email=a@example.org commit -qm hostile
cp "$tmp/hostile-new.md" "$R/docs/h/AUDIT.md"
git -C "$R" add docs/h && git -C "$R" -c user.name=A -c user.email=a@example.org commit -qm "hostile 2"
run "$AUDITMD" verify --repo "$R" --format html --link-base "$LB" --as-of none "$R/docs/h/AUDIT.md"
expect_rc 1 "verify --format html of a hostile audit"
check_html "$tmp/out" "verify.html"
expect_out 'href="https://example.org/org/repo/blob/' "links to the forge"
if grep -q 'href="[^"]*<' "$tmp/out" || grep -q 'href="[^"]*script' "$tmp/out"; then
  fail "hostile paths are not links"; else ok "hostile paths are not links"; fi
run "$AUDITMD" log --repo "$R" --format html docs/h/AUDIT.md
expect_rc 0 "log --format html of a hostile audit"
check_html "$tmp/out" "log.html"
for f in md; do
  run "$AUDITMD" diff --format md "$H" "$tmp/hostile-new.md"
  grep -q '<script>\|<img' "$tmp/out" && fail "diff.md escapes HTML" || ok "diff.md escapes HTML"
done

# --- inline Markdown, hostile: cmark-gfm's safe renderer, links of four kinds only ---------
HI=$DATA/hostile-inline.md
sed 's/^- Status: Open$/- Status: Fixed/' "$HI" >"$tmp/hostile-inline-new.md"
run "$AUDITMD" compile --format html --link-base "$LB" "$HI"
expect_rc 0 "compile --format html of inline Markdown"
check_html "$tmp/out" "inline: compile.html"
expect_out '<span class="title">Avoid <code>asyncio.run</code> in x handlers</span> <span class="pill st-resolved">resolved</span>' \
  "a code span renders; a javascript: link is its text; the '(Resolved)' the pill repeats is left out"
expect_out '<b>Status:</b> <strong>Fixed</strong> in <a href="https://ok.example/pr/12">#12</a> and y</div>' \
  "a field's emphasis and https link render, its vbscript: link is text"
expect_out '&lt;img src=x onerror=alert(2)&gt; and &lt;svg onload=alert(3)&gt; and d</div>' "raw HTML is text, a data: link its text"
expect_out 'tracker z javascript:alert(6) <a href="https://ok.example/t">t</a>' \
  "an image is its alt text, an entity-spelt javascript: its text, an autolink of it text, a link title dropped"
expect_out '&lt;script&gt;alert(8)&lt;/script&gt; <em>emphasis</em> <del>struck</del> f p</span>' \
  "a title's script is text; emphasis, strikethrough render; file: and //host links are text"
expect_out '<a href="mailto:sec@ok.example">m</a> and <a href="docs/HOWTO.md">r</a>' "mailto: and relative links render"
grep -q 'onload=alert\|onerror=alert' "$tmp/out" && ! grep -q '&lt;svg onload=alert(3)&gt;' "$tmp/out" &&
  fail "event handlers only as text" || ok "event handlers only as text"
run "$AUDITMD" compile --format md "$HI"
expect_out '### #1 Avoid `asyncio.run` in x handlers (Resolved)' "Markdown keeps the source syntax (the model's text)"
run "$AUDITMD" diff --format html --link-base "$LB" "$HI" "$tmp/hostile-inline-new.md"
expect_rc 0 "diff --format html of inline Markdown"
check_html "$tmp/out" "inline: diff.html"
expect_out '<del>struck</del>' "inline: the diff renders it too"

# --- link base -----------------------------------------------------------------------
run "$AUDITMD" verify --repo "$R" --format html --link-base "$LB" HEAD~3:docs/AUDIT.md
AUDITED=$(git -C "$R" rev-parse HEAD~4)
expect_out "href=\"https://example.org/org/repo/blob/$AUDITED/services/api/routes/upload.py#L12-L40\"" "{commit} is the as-of commit, lines as #L"
expect_out "https://example.org/org/repo/blob/$(git -C "$R" rev-parse HEAD)/services/api/app.py#L123-L134" "moved: the link goes to where the lines are now"
# The audit's own lines, at the commit that wrote it (REV:PATH read it there).
WROTE=$(git -C "$R" log -1 --format=%H HEAD~3 -- docs/AUDIT.md)
expect_out "href=\"https://example.org/org/repo/blob/$WROTE/docs/AUDIT.md#L" "verify: the audit's line numbers link to the audit at its revision"
# REV:PATH is a permalink: {commit} is the commit REV names, not HEAD.
run "$AUDITMD" compile --repo "$R" --format html --link-base "$LB" HEAD~3:docs/AUDIT.md
expect_out "href=\"https://example.org/org/repo/blob/$(git -C "$R" rev-parse HEAD~3)/services/api/routes/upload.py#L12-L40\"" \
  "compile REV:PATH: links name REV's commit"
run "$AUDITMD" compile --repo "$R" --format html --link-base 'https://gl.example/o/r/-/blob/{commit}/' --link-style gitlab HEAD~3:docs/AUDIT.md
expect_out "/services/api/routes/upload.py#L12-40\"" "--link-style gitlab: #L12-40"
run "$AUDITMD" compile --repo "$R" --format html --link-base 'https://bb.example/o/r/src/{commit}/{path}?at=x#lines-{start}:{end}' \
  --link-style bitbucket HEAD~3:docs/AUDIT.md
expect_out "href=\"https://bb.example/o/r/src/$(git -C "$R" rev-parse HEAD~3)/services/api/routes/upload.py?at=x#lines-12:40\"" \
  "{path}, {start} and {end} where the link base puts them"
run "$AUDITMD" compile --link-style gitlab "$OLD"
expect_rc 2 "--link-style needs --link-base"
run "$AUDITMD" compile --link-base "$LB" --link-style sourcehut "$OLD"
expect_rc 2 "--link-style: an unknown forge"
expect_err "'sourcehut' is not github, gitlab, bitbucket or gitea" "--link-style names the forges it knows"
# Log entries link their commits.
run "$AUDITMD" log --repo "$R" --format html --link-base "$LB" docs/AUDIT.md
expect_out "<a class=\"label\" href=\"https://example.org/org/repo/commit/$(git -C "$R" log -1 --format=%H -- docs/AUDIT.md)\">" \
  "log: each revision links its commit"

# The inline Markdown in a repository: its evidence check and its history.
cp "$HI" "$R/docs/h/INLINE.md"
git -C "$R" add docs/h && git -C "$R" -c user.name=A -c user.email=a@example.org commit -qm "inline"
cp "$tmp/hostile-inline-new.md" "$R/docs/h/INLINE.md"
git -C "$R" add docs/h && git -C "$R" -c user.name=A -c user.email=a@example.org commit -qm "inline 2"
run "$AUDITMD" verify --repo "$R" --format html --link-base "$LB" HEAD:docs/h/INLINE.md
[ "$rc" -le 1 ] && ok "verify --format html of inline Markdown" || fail "verify --format html of inline Markdown" "exit $rc"
check_html "$tmp/out" "inline: verify.html"
run "$AUDITMD" log --repo "$R" --format html --link-base "$LB" docs/h/INLINE.md
expect_rc 0 "log --format html of inline Markdown"
check_html "$tmp/out" "inline: log.html"

# The site of that repository, hostile audits among its audits: every page.
run guard 60 "$AUDITMD" site --repo "$R" --link-base "$LB" -o "$tmp/hsite" docs/AUDIT.md docs/h/AUDIT.md docs/h/INLINE.md
expect_rc 0 "site of hostile audits"
np=0
for page in "$tmp"/hsite/*.html "$tmp"/hsite/*/*.html; do
  np=$((np + 1))
  check_html "$page" "site: ${page#"$tmp"/hsite/}"
done
bad=$(grep -l '<script\|onload=alert\|onerror=alert' "$tmp"/hsite/*.html "$tmp"/hsite/*/*.html | xargs -r grep -L '&lt;script\|&lt;svg onload\|&lt;img' | head -3)
[ -z "$bad" ] && ok "site: hostile text is text on all $np pages" || fail "site: hostile text is text on all $np pages" "$bad"
grep -q 'Avoid <code>asyncio.run</code> in x handlers' "$tmp"/hsite/docs-h-inline/*.html &&
  ok "site: inline Markdown renders on a finding's page" || fail "site: inline Markdown renders on a finding's page"

# --- templates given by the user --------------------------------------------------------
printf '{{#view.groups}}{{heading}}={{count}};{{/view.groups}}\n' >"$tmp/mine.mustache"
run "$AUDITMD" diff --format md --template "$tmp/mine.mustache" "$OLD" "$NEW"
expect_rc 0 "--template"
expect_out "Resolved=5;New=1;Still open=1;" "--template renders the view"
mkdir -p "$tmp/parts"
printf '<style>/* mine */</style>' >"$tmp/parts/style.mustache"
run "$AUDITMD" diff --format html --template-dir "$tmp/parts" "$OLD" "$NEW"
expect_out "/* mine */" "--template-dir overrides a built-in partial"
printf '{{#view.groups}}\n{{heading}}\n' >"$tmp/bad.mustache"
run "$AUDITMD" diff --format md --template "$tmp/bad.mustache" -o "$tmp/never.md" "$OLD" "$NEW"
expect_rc 3 "an unclosed section"
expect_err "$tmp/bad.mustache:1:1: unclosed section 'view.groups'" "the error names template, line and column"
expect_err_lines 1 "one line"
[ ! -e "$tmp/never.md" ] && ok "no output file on a template error" || fail "no output file on a template error"
run "$AUDITMD" diff --format md --template "$tmp/nothere.mustache" "$OLD" "$NEW"
expect_rc 3 "a missing template"
# A template or partial that is a FIFO or a directory: refused at once.
mkfifo "$tmp/fifo.mustache"
mkdir -p "$tmp/fifoparts" && mkfifo "$tmp/fifoparts/style.mustache"
for args in "--template $tmp/fifo.mustache" "--template $tmp/parts" "--template-dir $tmp/fifoparts"; do
  run guard 10 "$AUDITMD" diff --format html $args "$OLD" "$NEW"
  expect_rc 3 "${args%% *} ${args##*/}: refused"
  expect_err "not a regular file" "${args%% *} ${args##*/}: not a regular file"
  expect_err_lines 1 "${args%% *} ${args##*/}: one line"
done
run "$AUDITMD" compile --format pdf "$OLD"
expect_rc 2 "an unknown format"
# A FIFO as the template or as a partial is refused, never waited on.
mkfifo "$tmp/fifo.mustache" "$tmp/parts/header.mustache"
printf '{{> header}}' >"$tmp/usesheader.mustache"
run guard 10 "$AUDITMD" compile --format md --template "$tmp/fifo.mustache" "$OLD"
expect_rc 3 "a FIFO as --template"
expect_err "fifo.mustache: not a regular file" "a FIFO template named"
run guard 10 "$AUDITMD" compile --format md --template "$tmp/usesheader.mustache" --template-dir "$tmp/parts" "$OLD"
expect_rc 3 "a FIFO as a partial"
expect_err "header.mustache: not a regular file" "a FIFO partial named"
rm "$tmp/parts/header.mustache"
printf '{{> ../../etc/passwd}}|{{> style}}' >"$tmp/inc.mustache"
run "$AUDITMD" compile --format md --template "$tmp/inc.mustache" --template-dir "$tmp/parts" "$OLD"
expect_out "|<style>/* mine */</style>" "partial names cannot leave the template directory"
if grep -q "root:" "$tmp/out"; then fail "no file read through a partial name"; else ok "no file read through a partial name"; fi

# --- log: five revisions, the burndown in SVG ---------------------------------------------
L=$tmp/five
mkdir -p "$L/docs"
git -C "$L" init -q -b main
commit() { git -C "$L" add -A && GIT_AUTHOR_DATE="$1T10:00:00Z" GIT_COMMITTER_DATE="$1T10:00:00Z" git -C "$L" -c user.name=A -c user.email=a@example.org commit -qm "$2"; }
audit() { # open findings then resolved ones, as checklist items
  { echo "# FIVE"; echo; for t in "$@"; do echo "- [${t%%:*}] ${t#*:}"; done; } >"$L/docs/AUDIT.md"
}
audit " :Alpha" " :Beta" " :Gamma" " :Delta"; commit 2026-01-01 one
audit "x:Alpha" " :Beta" " :Gamma" " :Delta" " :Epsilon"; commit 2026-01-08 two
audit "x:Alpha" "x:Beta" " :Gamma" " :Delta" " :Epsilon"; commit 2026-01-15 three
audit "x:Alpha" "x:Beta" "x:Gamma" " :Delta" " :Epsilon"; commit 2026-01-22 four
audit "x:Alpha" " :Beta" "x:Gamma" "x:Delta" "x:Epsilon"; commit 2026-01-29 five
run "$AUDITMD" log --repo "$L" --format html -o "$tmp/log.html" docs/AUDIT.md
expect_rc 0 "log --format html of five revisions"
opens=$(grep -o 'data-open="[0-9]*"' "$tmp/log.html" | grep -o '[0-9]*' | tr '\n' ' ')
closeds=$(grep -o 'data-closed="[0-9]*"' "$tmp/log.html" | grep -o '[0-9]*' | tr '\n' ' ')
[ "$opens" = "4 4 3 2 1 " ] && ok "burndown: open per revision" || fail "burndown: open per revision" "got $opens"
[ "$closeds" = "0 1 2 3 4 " ] && ok "burndown: closed per revision" || fail "burndown: closed per revision" "got $closeds"
grep -q '<svg id="burndown"' "$tmp/log.html" && grep -q '<polyline class="open" points="[0-9., ]*"' "$tmp/log.html" &&
  ok "an inline SVG chart, no script" || fail "an inline SVG chart, no script"
grep -q '<script' "$tmp/log.html" && fail "no script in the page" || ok "no script in the page"
# The points climb as findings close: y of closed goes down, x goes right.
xs=$(grep -o '<circle class="closed" cx="[0-9.]*" cy="[0-9.]*"' "$tmp/log.html" | sed 's/.*cx="\([0-9.]*\)" cy="\([0-9.]*\)"/\1 \2/')
echo "$xs" | awk 'NR > 1 && ($1 <= px || $2 >= py) { bad = 1 } { px = $1; py = $2 } END { exit bad }' &&
  ok "chart coordinates follow the numbers" || fail "chart coordinates follow the numbers" "$xs"
# The x axis: date and short commit, each label different.
labels=$(sed -n '/<svg id="burndown"/,/<\/svg>/p' "$tmp/log.html" |
  grep -o '<text class="date"[^>]*>[0-9-]*<tspan[^>]*>[0-9a-f]*</tspan>' | sed 's/<[^>]*>/ /g' | tr -s ' ')
[ "$(echo "$labels" | wc -l)" = 5 ] && [ "$(echo "$labels" | sort -u | wc -l)" = 5 ] &&
  echo "$labels" | grep -q "2026-01-29 $(git -C "$L" rev-parse --short=7 HEAD)" &&
  ok "dates and short commits on the axis, all different" || fail "dates and short commits on the axis, all different" "$labels"
# Every chart has its title, description and a table of its numbers.
nsvg=$(grep -c '<svg ' "$tmp/log.html"); ntitle=$(grep -c '<svg [^>]*role="img">' "$tmp/log.html")
ndesc=$(grep -c '^<desc>' "$tmp/log.html"); ntable=$(grep -c '<table class="numbers">' "$tmp/log.html")
[ "$nsvg" -ge 2 ] && [ "$nsvg" = "$ntitle" ] && [ "$nsvg" = "$ndesc" ] && [ "$nsvg" = "$ntable" ] &&
  ok "log: each of its $nsvg charts has a title, a description and its numbers" ||
  fail "log: each chart has a title, a description and its numbers" "svg $nsvg, role img $ntitle, desc $ndesc, tables $ntable"
run "$AUDITMD" log --repo "$L" --format md docs/AUDIT.md
expect_out "## 2026-01-29 — " "log md newest first"
expect_out "- **F-" "log md lists changes"

# --- headless Chromium ------------------------------------------------------------------------
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROME" ]; then
  A_OLD=$OLD A_NEW=$NEW
  if [ -n "$SHARED" ] && ls "$SHARED"/seeds/001_* >/dev/null 2>&1; then
    A_OLD=$(ls "$SHARED"/seeds/001_* | head -1); A_NEW=$(ls "$SHARED"/seeds/000_* | head -1)
  fi
  "$AUDITMD" diff "$A_OLD" "$A_NEW" --format html -o "$tmp/report.html" 2>/dev/null
  "$AUDITMD" diff "$A_OLD" "$A_NEW" --format json >"$tmp/d.json" 2>/dev/null
  if [ "$A_OLD" != "$OLD" ]; then
    [ "$(jq -c '[.summary.resolved, .summary.new, .summary.open]' "$tmp/d.json")" = "[6,1,1]" ] &&
      ok "seeds 001 → 000: six resolved, one new, one still open" ||
      fail "seeds 001 → 000: six resolved, one new, one still open" "$(jq -c .summary "$tmp/d.json")"
  fi
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1600 \
    --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null 2>&1
  [ -s "$tmp/report.png" ] && ok "Chromium took a screenshot of the report" || fail "Chromium took a screenshot of the report"
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>/dev/null
  # The page shows every resolved, new and still-open finding of the diff.
  missing=0
  for kind in resolved new open; do
    want=$(jq "[.changes[] | select(.kind == \"$kind\")] | length" "$tmp/d.json")
    shown=$(grep -o "data-kind=\"$kind\"" "$tmp/dom.html" | wc -l)
    [ "$want" = "$shown" ] || { missing=1; echo "# $kind: $want in the diff, $shown on the page"; }
    # Each title as the page shows it: code spans without their backticks,
    # without the status mark the pill beside it repeats.
    jq -r ".changes[] | select(.kind == \"$kind\") | .new.title" "$tmp/d.json" |
      sed -E 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/`//g; s/ *(\(|- |— )?(Resolved|RESOLVED|Fixed|FIXED|Done)[^A-Za-z]*$//' >"$tmp/titles"
    sed 's/<[^>]*>//g' "$tmp/dom.html" >"$tmp/dom.txt"
    while IFS= read -r t; do grep -qF -- "$t" "$tmp/dom.txt" || { missing=1; echo "# not on the page: $t"; }; done <"$tmp/titles"
  done
  [ "$missing" = 0 ] && ok "the rendered page shows the resolved, new and still-open findings" ||
    fail "the rendered page shows the resolved, new and still-open findings"
  grep -q 'id="summary"' "$tmp/dom.html" && ok "summary header in the DOM" || fail "summary header in the DOM"
  if [ -n "${AUDITMD_SCREENSHOT_DIR:-}" ]; then cp "$tmp/report.png" "$AUDITMD_SCREENSHOT_DIR/"; fi
else
  echo "# SKIP Chromium not installed: the rendered-page checks did not run (scripts/test.sh installs it)"
fi

finish
