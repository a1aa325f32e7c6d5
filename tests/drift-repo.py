#!/usr/bin/env python3
"""Builds a repository in which the evidence citations of any audits land
on real files, then drifts: DIR/drift, commit "audited" on 2026-01-15 where
each cited path (as written, when it stays inside the repository) is a file
long enough for its citations, except one in seven that is too short
(out_of_range); then commit "drift" on 2026-02-01 that, chosen by a hash of
the path, deletes the file, inserts lines at its top (moved), edits its
middle line (changed where a citation covers it), renames it, truncates it
to half (deleted or changed), or leaves it. Fixed authors and dates, the
same repository for the same audits.

usage: drift-repo.py DIR AUDITMD AUDIT...
"""
import hashlib
import json
import os
import subprocess
import sys

root, auditmd, audits = sys.argv[1], sys.argv[2], sys.argv[3:]
repo = os.path.join(root, "drift")
os.makedirs(repo, exist_ok=True)


def git(*args, date=None):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", repo, "-c", "user.name=Fixture Author", "-c",
                    "user.email=fixture@example.org", "-c", "commit.gpgsign=false", *args],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def usable(path):
    """A relative path that stays inside the repository and that git and
    the file system take as it is."""
    parts = path.replace("\\", "/").split("/")
    if not path or path.startswith(("/", "~")) or (len(path) > 1 and path[1] == ":"):
        return None
    if any(p in ("", ".", "..") or p.lower().startswith(".git") for p in parts):
        return None
    if any(c in path for c in "\0\n\r\t*?[]\\\"") or len(path.encode()) > 200:
        return None
    return "/".join(parts)


# The longest range cited in each file.
lines = {}
for audit in audits:
    out = subprocess.run([auditmd, "compile", "-q", audit], capture_output=True)
    if out.returncode != 0:
        continue
    for finding in json.loads(out.stdout)["findings"]:
        for c in finding["citations"]:
            path = usable(c["path"]) if c["role"] == "evidence" else None
            if path:
                lines[path] = max(lines.get(path, 0), c["end"] or c["start"] or 1)


def pick(path, n):
    return int(hashlib.sha256(path.encode()).hexdigest(), 16) % n


git("init", "-q", "-b", "main")
written = {}
for path, last in sorted(lines.items()):
    n = last + 10 if pick(path, 7) else max(last - 1, 0)
    full = os.path.join(repo, path)
    if any(os.path.isfile(os.path.join(repo, *path.split("/")[:k]))
           for k in range(1, len(path.split("/")))):
        continue  # a file already stands where this path needs a directory
    if os.path.isdir(full):
        continue
    os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
    with open(full, "w") as f:
        f.writelines("line %d of %s\n" % (i, path) for i in range(1, n + 1))
    written[path] = n
git("add", "-A")
git("commit", "-q", "--allow-empty", "-m", "audited", date="2026-01-15T12:00:00Z")

for path, n in sorted(written.items()):
    full = os.path.join(repo, path)
    how = pick(path + "/drift", 6)
    if how == 0:
        os.remove(full)
    elif how == 1:
        with open(full) as f:
            text = f.read()
        with open(full, "w") as f:
            f.write("inserted 1\ninserted 2\ninserted 3\n" + text)
    elif how == 2 and n:
        with open(full) as f:
            text = f.readlines()
        text[n // 2] = "edited\n"
        with open(full, "w") as f:
            f.writelines(text)
    elif how == 3:
        head, tail = os.path.split(path)
        git("mv", path, os.path.join(head, "renamed_" + tail))
    elif how == 4:
        with open(full) as f:
            text = f.readlines()
        with open(full, "w") as f:
            f.writelines(text[: n // 2])
git("add", "-A")
git("commit", "-q", "--allow-empty", "-m", "drift", date="2026-02-01T12:00:00Z")
print(repo)
