#!/usr/bin/env python3
"""Creates or updates one pull-request comment: the one whose body opens
with the marker (`auditmd check --format md` writes it first), edited in
place when it exists, created when it does not; never a second one.

    pr-comment.py --repo OWNER/NAME --pr N --body FILE [--api URL]
                  [--marker '<!-- auditmd-check -->']

The token is $GITHUB_TOKEN; --api is the REST API's base URL (default
$GITHUB_API_URL, else https://api.github.com). Prints what it did. A
token that may not comment (a pull request from a fork) is a warning, not
a failure. A report longer than a comment may be (65,536 characters) is
cut at a line, with a last line that says how much was left out and
where the whole report is (--more). Python's standard library only.
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.request

PER_PAGE = 100
# The longest body the API accepts for a comment, in characters.
MAX_BODY = 65536


def fit(body, more):
    """The body cut at a line so that it and a last line saying what was
    left out stay within MAX_BODY."""
    if len(body) <= MAX_BODY:
        return body
    lines = body.splitlines(keepends=True)
    kept, size = [], 0
    while True:
        note = "\n_… %d more lines of the report are not shown: %s._\n" % (len(lines) - len(kept), more)
        if size + len(lines[len(kept)]) + len(note) > MAX_BODY:
            return "".join(kept) + note
        size += len(lines[len(kept)])
        kept.append(lines[len(kept)])


def request(api, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api.rstrip("/") + path, data=data, method=method)
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    req.add_header("User-Agent", "auditmd-action")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read().decode() or "null")


def find(api, token, repo, pr, marker):
    """The first comment of the pull request opening with the marker."""
    page = 1
    while True:
        comments = request(api, token, "GET",
                           f"/repos/{repo}/issues/{pr}/comments?per_page={PER_PAGE}&page={page}")
        for c in comments:
            if (c.get("body") or "").lstrip().startswith(marker):
                return c
        if len(comments) < PER_PAGE:
            return None
        page += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--pr", required=True)
    ap.add_argument("--body", required=True, help="a file holding the comment")
    ap.add_argument("--api", default=os.environ.get("GITHUB_API_URL") or "https://api.github.com")
    ap.add_argument("--marker", default="<!-- auditmd-check -->")
    ap.add_argument("--more", default="see the job summary",
                    help="where the whole report is, said when it is cut")
    a = ap.parse_args()
    token = os.environ.get("GITHUB_TOKEN", "")
    if not token:
        print("pr-comment: no GITHUB_TOKEN", file=sys.stderr)
        return 2
    with open(a.body, encoding="utf-8") as f:
        body = f.read()
    if not body.lstrip().startswith(a.marker):
        body = a.marker + "\n" + body
    body = fit(body, a.more)
    try:
        old = find(a.api, token, a.repo, a.pr, a.marker)
        if old is None:
            c = request(a.api, token, "POST", f"/repos/{a.repo}/issues/{a.pr}/comments", {"body": body})
            print(f"created comment {c['id']}")
        elif old.get("body") == body:
            print(f"comment {old['id']} is up to date")
        else:
            c = request(a.api, token, "PATCH", f"/repos/{a.repo}/issues/comments/{old['id']}",
                        {"body": body})
            print(f"updated comment {c['id']}")
    except urllib.error.HTTPError as e:
        if e.code in (403, 404):
            print(f"::warning title=auditmd::could not comment on the pull request: HTTP {e.code} "
                  f"(the token needs pull-requests: write)")
            return 0
        print(f"pr-comment: HTTP {e.code}: {e.reason}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        print(f"pr-comment: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
