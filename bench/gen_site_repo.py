#!/usr/bin/env python3
"""Generates a git repository of audits with long histories, for `auditmd site`.

    gen_site_repo.py OUTDIR [--audits 10] [--revisions 200] [--findings 40]
                            [--seed 1]

OUTDIR/repo (branch main): source files under src/ that the audits cite, and
AUDITS audits under audits/NN-AREA.md, each written REVISIONS times. A
commit revises one to three audits, so each audit gets about REVISIONS
revisions over the history: findings resolved, some reopened, added (at the
end, or inserted, which renumbers the rest), retitled, moved to another
severity, their evidence lines changed. Dates, authors and contents are
fixed by the seed, so the same arguments give the same commit ids. Written
with `git fast-import`; the working tree is checked out at the end.

Prints the number of commits and the audits' paths, one a line.
"""
import argparse
import os
import random
import subprocess
import sys

WORDS = ("token session cookie upload handler cache retry timeout query index "
         "admin tenant billing invoice export import webhook signature replay "
         "origin header proxy limit queue worker scheduler backup secret key "
         "audit logging metrics tracing config schema migration").split()
AREAS = ["api", "web", "workers", "billing", "auth", "deploy", "admin", "search", "mobile", "data",
         "infra", "payments", "ml", "docs", "sdk", "cli"]
SEVERITIES = ["Critical", "High", "Medium", "Low", "Info"]
START = 1767225600  # 2026-01-01T00:00:00Z
NAME, EMAIL = "Site Bench", "bench@example.invalid"


def code_file(rng, i):
    lines = ["# src/mod%02d.py" % i]
    while len(lines) < 400:
        w = [rng.choice(WORDS) for _ in range(4)]
        lines.append("def %s_%s(%s):" % (w[0], w[1], w[2]))
        lines.append("    return %s.get(%r)" % (w[2], w[3]))
    return "\n".join(lines) + "\n"


class Audit:
    def __init__(self, rng, k, nfind):
        self.rng = rng
        self.path = "audits/%02d-%s.md" % (k, AREAS[k % len(AREAS)])
        self.title = "%s audit" % AREAS[k % len(AREAS)].capitalize()
        self.findings = [self.new_finding() for _ in range(nfind)]
        self.revision = 0

    def new_finding(self):
        rng = self.rng
        start = rng.randint(1, 380)
        return {
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize(),
            "code": rng.choice(WORDS),
            "status": "Open",
            "severity": rng.choice(SEVERITIES),
            "evidence": "src/mod%02d.py:%d-%d" % (rng.randrange(20), start, start + rng.randint(1, 15)),
            "risk": "the %s %s can be %s." % (rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)),
        }

    def revise(self):
        rng = self.rng
        self.revision += 1
        for _ in range(rng.randint(1, 3)):
            f = rng.choice(self.findings)
            r = rng.random()
            if r < 0.45:
                f["status"] = "Resolved" if f["status"] != "Resolved" else "Open"
            elif r < 0.55:
                f["status"] = "In progress"
            elif r < 0.65:
                f["title"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
            elif r < 0.75:
                f["severity"] = rng.choice(SEVERITIES)
            else:
                start = rng.randint(1, 380)
                f["evidence"] = "src/mod%02d.py:%d-%d" % (rng.randrange(20), start, start + rng.randint(1, 15))
        r = rng.random()
        if r < 0.08:
            self.findings.append(self.new_finding())
        elif r < 0.12:
            self.findings.insert(rng.randrange(len(self.findings)), self.new_finding())

    def text(self, date):
        out = ["# %s" % self.title, "", "Date: %s" % date, "", "## Findings", ""]
        for i, f in enumerate(self.findings, 1):
            out.append("### %d) %s in `%s`" % (i, f["title"], f["code"]))
            out.append("- Status: %s" % f["status"])
            out.append("- Severity: %s" % f["severity"])
            out.append("- Evidence: `%s`" % f["evidence"])
            out.append("- Risk: %s" % f["risk"])
            out.append("")
        return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--audits", type=int, default=10)
    ap.add_argument("--revisions", type=int, default=200)
    ap.add_argument("--findings", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    repo = os.path.join(a.outdir, "repo")
    if os.path.exists(repo):
        sys.exit("gen_site_repo.py: %s exists; remove it first" % repo)
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=env, check=True)
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE, env=env)
    w = fi.stdin.write
    who = ("%s <%s>" % (NAME, EMAIL)).encode()

    def data(s):
        b = s.encode()
        return b"data %d\n%s\n" % (len(b), b)

    audits = [Audit(rng, k, a.findings) for k in range(a.audits)]
    t = START
    commits = 0

    def commit(msg, files, t):
        nonlocal commits
        w(b"commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\n"
          % (commits + 1, who, t, who, t))
        w(data(msg))
        if commits:
            w(b"from :%d\n" % commits)
        for path, text in files:
            w(b"M 100644 inline %s\n" % path.encode())
            w(data(text))
        w(b"\n")
        commits += 1

    date = lambda t: __import__("time").strftime("%Y-%m-%d", __import__("time").gmtime(t))
    files = [("src/mod%02d.py" % i, code_file(rng, i)) for i in range(20)]
    files += [(au.path, au.text(date(t))) for au in audits]
    commit("audits and code", files, t)
    # Each audit gets REVISIONS - 1 more revisions, one to three audits a commit.
    left = {k: a.revisions - 1 for k in range(a.audits)}
    while any(left.values()):
        t += rng.randint(3600, 86400)
        ks = [k for k in left if left[k]]
        pick = rng.sample(ks, min(len(ks), rng.randint(1, 3)))
        changed = []
        for k in pick:
            audits[k].revise()
            left[k] -= 1
            changed.append((audits[k].path, audits[k].text(date(t))))
        commit("audit: revise %s" % ", ".join(p for p, _ in changed), changed, t)
    w(b"done\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("gen_site_repo.py: git fast-import failed")
    subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], env=env, check=True)
    print(commits)
    for au in audits:
        print(au.path)


if __name__ == "__main__":
    main()
