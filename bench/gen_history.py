#!/usr/bin/env python3
"""Generates a git repository holding the history of one growing audit, for log.

    gen_history.py OUTDIR [--revisions 127] [--final-size 400000] [--others 3]
                          [--edits 4] [--seed 1]

OUTDIR/repo: a git repository (branch main) whose docs/AUDIT.md is written
REVISIONS times, a commit each, with fixed names and dates (a day apart from
2025-01-01), so the same arguments give the same commits. The audit grows
from a few findings to about FINAL_SIZE bytes in the dialects of
gen_audit.py (numbered heading findings with fields, task lists, register
tables) in eight sections; each revision appends new findings to one
section (the area it is about), and makes EDITS small edits of the findings
already written (a status changed, a title or a sentence reworded, a
citation moved) and updates the date line. After every OTHERS-th revision a commit changes
another file only, which the history walk passes over.

Written with `git fast-import` (each blob a delta of the revision before, as
git packs a history). Prints the commit that last changed the audit.
"""
import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_audit import WORDS, path, title  # noqa: E402

NAME = "Bench Generator"
EMAIL = "bench@example.invalid"
DAY = 86400
START = 1735725600  # 2025-01-01T10:00:00Z
STATUSES = ["open", "open", "in progress", "resolved"]


def new_finding(rng, num, section):
    return {
        "num": num, "title": title(rng), "section": section, "kind": num % 3,
        "status": rng.choice(STATUSES),
        "cites": [(path(rng), s, s + rng.randint(0, 40)) for s in
                  (rng.randint(1, 900) for _ in range(rng.randint(1, 3)))],
        "risk": "%s %s." % (title(rng), title(rng).lower()),
        "body": "%s. %s, because %s." % (title(rng), title(rng), title(rng).lower()),
        "step": path(rng),
    }


def edit(rng, f):
    r = rng.random()
    if r < 0.4:
        f["status"] = rng.choice([s for s in STATUSES if s != f["status"]])
    elif r < 0.6:
        f["title"] = f["title"] + " " + rng.choice(WORDS)
    elif r < 0.8:
        f["body"] = "%s. %s." % (title(rng), f["body"])
    else:
        p, s, e = f["cites"][0]
        shift = rng.randint(1, 12)
        f["cites"][0] = (p, s + shift, e + shift)


def render(findings, day):
    out = ["# GENERATED_AUDIT", "", "Date: %s" % day, "Scope: synthetic history benchmark.", ""]
    by_section = {}
    for f in findings:
        by_section.setdefault(f["section"], []).append(f)
    for s in sorted(by_section):
        out += ["## Area %d %s" % (s, ["High Priority", "Medium Priority", "Low Priority"][s % 3]), ""]
        tasks, table = [], []
        for f in by_section[s]:
            ev = ", ".join("`%s:%d-%d`" % c for c in f["cites"])
            if f["kind"] == 0:
                out.append("### %d) %s%s" % (f["num"], f["title"],
                                             " (Resolved)" if f["status"] == "resolved" else ""))
                out.append("- Status: %s" % f["status"].capitalize())
                out.append("- Evidence: %s show the problem." % ev)
                out.append("- Risk: %s" % f["risk"])
                out.append("- Exact refactor steps:")
                out.append("  1) Move the logic into `%s`." % f["step"])
                out.append("")
                out.append(f["body"])
                out.append("")
            elif f["kind"] == 1:
                mark = "x" if f["status"] == "resolved" else " "
                tasks.append("- [%s] **%s** - %s in %s." % (mark, f["title"], f["body"], ev))
                tasks.append("  - **File:** `%s`" % f["cites"][0][0])
            else:
                table.append("| T-%d | %s | %s | %s |" % (f["num"], f["title"], f["status"].capitalize(), ev))
        if tasks:
            out += ["### Tasks", ""] + tasks + [""]
        if table:
            out += ["### Register", "", "| ID | Finding | Status | Location |",
                    "|----|---------|--------|----------|"] + table + [""]
    return ("\n".join(out) + "\n").encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--revisions", type=int, default=127)
    ap.add_argument("--final-size", type=int, default=400000)
    ap.add_argument("--others", type=int, default=3)
    ap.add_argument("--edits", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.revisions < 1 or a.final_size < 1000 or a.others < 1 or a.edits < 0:
        ap.error("need --revisions >= 1, --final-size >= 1000, --others >= 1, --edits >= 0")
    repo = os.path.join(a.outdir, "repo")
    if os.path.exists(repo):
        sys.exit("gen_history.py: %s exists; remove it first" % repo)
    os.makedirs(a.outdir, exist_ok=True)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=env, check=True)
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--done"],
                          stdin=subprocess.PIPE, env=env)
    w = fi.stdin.write
    who = ("%s <%s>" % (NAME, EMAIL)).encode()
    rng = random.Random(a.seed)
    # Findings in all, so that the last revision is near the size asked for
    # (a finding renders to about 325 bytes), added evenly.
    total = max(4, a.final_size // 325)
    findings, mark = [], 0
    for rev in range(a.revisions):
        for f in rng.sample(findings, min(a.edits, len(findings))):
            edit(rng, f)
        # This revision's new findings, in the area it is about.
        section = rng.randrange(8)
        while len(findings) < max(4, total * (rev + 1) // a.revisions):
            findings.append(new_finding(rng, len(findings) + 1, section))
        when = START + rev * DAY
        day = "%04d-%02d-%02d" % __import__("time").gmtime(when)[:3]
        mark += 1
        w(b"commit refs/heads/main\nmark :%d\n" % mark)
        w(b"author %s %d +0000\ncommitter %s %d +0000\n" % (who, when, who, when))
        msg = b"audit: revision %d\n" % (rev + 1)
        w(b"data %d\n%s" % (len(msg), msg))
        if mark > 1:
            w(b"from :%d\n" % (mark - 1))
        text = render(findings, day)
        w(b"M 100644 inline docs/AUDIT.md\ndata %d\n%s\n" % (len(text), text))
        if (rev + 1) % a.others == 0:
            mark += 1
            w(b"commit refs/heads/main\nmark :%d\n" % mark)
            w(b"author %s %d +0000\ncommitter %s %d +0000\n" % (who, when + 3600, who, when + 3600))
            msg = b"code: change %d\n" % (rev + 1)
            w(b"data %d\n%s" % (len(msg), msg))
            w(b"from :%d\n" % (mark - 1))
            code = ("# %s\n" % title(rng)).encode()
            w(b"M 100644 inline src/code_%d.py\ndata %d\n%s\n" % (rev % 7, len(code), code))
    w(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("gen_history.py: git fast-import failed")
    last = subprocess.run(["git", "-C", repo, "log", "-1", "--format=%H", "--", "docs/AUDIT.md"],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()
    print(last)


if __name__ == "__main__":
    main()
