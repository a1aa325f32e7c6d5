#!/usr/bin/env bash
# Screenshots of the HTML reports in headless Chromium, 1280 and 390 pixels
# wide: diff, verify and log of the example repositories (built with fixed
# dates), and the index, an audit page and a finding page of a site. The
# pages are written first, and stay when Chromium is missing (exit 1).
#
#   scripts/screenshots.sh [OUT]   PNG files into OUT (default build/reports),
#                                  the pages beside them
#   scripts/screenshots.sh --docs  also docs/screenshots/KIND.png, one a report
#                                  kind at 1280 pixels, the pictures the README shows
#
# A page is shown in a frame of the width asked for (headless Chromium's
# window is never narrower than 500 pixels; the frame is what a phone shows),
# its own bytes in srcdoc, the picture cut to the frame.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=0
[ "${1:-}" = --docs ] && { docs=1; shift; }
OUT=$(mkdir -p "${1:-build/reports}" && cd "${1:-build/reports}" && pwd)
A=$PWD/${AUDITMD:-build/src/cli/auditmd}
[ -x "$A" ] || { echo "screenshots.sh: $A not built (ninja -C build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC GIT_CONFIG_NOSYSTEM=1
LB='https://github.com/example/shop/blob/{commit}/'

# The pages.
examples/make-repo.sh "$work/ex" examples/audit/PLATFORM_AUDIT-2026-01-15.md >/dev/null
examples/make-site-repo.sh "$work/site" >/dev/null
(cd "$work/ex/repo" &&
  "$A" diff --repo . --format html --link-base "$LB" -o "$OUT/diff.html" HEAD~2:docs/AUDIT.md HEAD:docs/AUDIT.md &&
  { "$A" verify --format html --link-base "$LB" -o "$OUT/verify.html" HEAD~1:docs/AUDIT.md || [ $? = 1 ]; })
(cd "$work/site/repo" &&
  "$A" log --format html --link-base "$LB" -o "$OUT/log.html" docs/SECURITY.md &&
  "$A" site --link-base "$LB" -o "$OUT/site")

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
  echo "screenshots.sh: Chromium not found: no screenshots (apt-get install chromium)" >&2
  exit 1
fi

# shot PAGE NAME WIDTH HEIGHT: OUT/NAME-WIDTH.png
shot() {
  local frame=$work/frame.html
  { printf '<!DOCTYPE html><html><body style="margin:0"><iframe style="width:%spx;height:%spx;border:0;display:block" srcdoc="' "$3" "$4"
    sed 's/&/\&amp;/g; s/"/\&quot;/g' "$1"
    printf '"></iframe></body></html>'
  } >"$frame"
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --user-data-dir="$work/profile" --window-size="$3,$4" \
    --screenshot="$OUT/$2-$3.png" "file://$frame" >/dev/null 2>&1
  [ -s "$OUT/$2-$3.png" ] || { echo "screenshots.sh: no screenshot of $1" >&2; exit 1; }
}
pages=(diff "$OUT/diff.html" verify "$OUT/verify.html" log "$OUT/log.html"
  site "$OUT/site/index.html" site-audit "$OUT/site/docs-security/index.html"
  site-finding "$OUT/site/docs-security/f3.html")
for ((i = 0; i < ${#pages[@]}; i += 2)); do
  shot "${pages[i + 1]}" "${pages[i]}" 1280 1000
  shot "${pages[i + 1]}" "${pages[i]}" 390 844
done
echo "screenshots in $OUT:"
(cd "$OUT" && ls ./*.png | sed 's|^\./|  |')
if [ "$docs" = 1 ]; then
  mkdir -p docs/screenshots
  for kind in diff verify log site site-finding; do cp "$OUT/$kind-1280.png" "docs/screenshots/$kind.png"; done
  echo "and docs/screenshots/{diff,verify,log,site,site-finding}.png"
fi
