#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

    fuzz/make_corpus.py SHARED_DIR [AUDITMD]

Seeds come from tests/data, SHARED_DIR/seeds, a fixed sample of
SHARED_DIR/corpus (small revisions, one consecutive pair per audit for the
differ), SHARED_DIR/mustache-spec and the lists below; AUDITMD (a built
`auditmd`, optional) turns audits into JSON seeds for render_data. Only
files named seed-* are written or removed: reproducers of crashes found by
fuzzing (crash-*, leak-*, timeout-*, oom-*) stay as they are.
"""
import hashlib
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_AUDIT = 24 << 10      # one audit seed
MAX_PAIR = 32 << 10       # two revisions for the differ

CITATIONS = [
    "`src/app.py:10-52`", "see src/app.py:12, 30-34 and lib/x.ts:7", "`api/server.ts` (lines 246-255)",
    "backend/db.py (line 12)", "src/main.rs#L10-L20", "file.c#L5",
    "https://github.com/o/r/blob/main/src/a.py#L3-L9", "https://gitlab.com/o/r/-/blob/v1/x/y.go#L3",
    "https://bitbucket.org/o/r/src/abc123/lib/z.rb", "https://example.com/docs/page.html",
    "Makefile:3", "Dockerfile", ".env.local", ".gitignore:4", "app/(auth)/[id]/page.tsx:12",
    "`file.py:`", "Next.js and Node.js", "x.py:0", "x.py:30-10", "a.py:99999999999",
    "src/a.py:1–5", "src/a.py:1 — 5", "src/a.py:1 to 5", "lib/a.ts, ll. 4-9", "lib/a.ts ln 3",
    "`./scripts/run.sh:8`", "../up/two.md:1", "/abs/path/file.json:2", "@scope/pkg/index.mjs:1",
    "file:///etc/passwd", "postgres://user@host/db", "memory://x.py:3", "a.b.c.d.py:1",
    "path/to/dir/:3", "src/x.py:12,30,40-50,", "C:\\win\\file.cs:3", "src/Foo.test.tsx:1-2",
    "docs/README.md#L1-L2", "x.py:1.5", "x.py:12.", "v1.2.3", "e.g. foo.bar", "`src/x.ipynb` lines 1 to 2",
]
DATES = [
    "2026-01-16", "2026/01/16", "2025.12.31", "October 30, 2025", "Oct 30 2025", "Sept. 3rd, 2024",
    "30 October 2025", "1st Jan 2026", "January 2026", "Date: 2024-02-29", "2023-02-29", "1969-12-31",
    "3000-01-01", "2026-13-01", "2026-00-10", "20260116", "12026-01-16", "Last updated: June 2025",
    "dec 25th 2025", "May, 2026", "2026-1-5", "mar. 2 2026 and 2026-04-01",
]
STATUSES = [
    "✅ Fixed", "Status: **Resolved**", "Not fixed", "not yet fixed", "cannot be done", "never resolved",
    "isn’t fixed", "won't fix", "won’t fix", "wontfix", "Partially done", "in-progress", "WIP",
    "🚧 ongoing", "⏳ pending", "❌", "☑️ done", "🟢 done", "Risk accepted", "N/A", "no action",
    "Reopened", "Prefixed fixedness", "unfixed", "done-ish", "Severity: Critical (P0)", "High",
    "Medium / P2", "nice to have", "Informational", "crit", "P4 — trivial", "major-ish", "p5",
    "Priority: blocker", "status:\tnot \t fixed", "DONE", "Done.", "to do",
    "vocab:0:Shipped ✨\nShipped ✨ yesterday", "vocab:1:needs triage\nStatus: Needs   triage",
    "vocab:2:half way\nhalf way there", "vocab:3:parked\nParked until Q3",
    "vocab:8:abc\nfile.abc", "vocab:9:bogus\nbogus", "vocab:0:   \nempty", "vocab:0:ä\nÄ ä",
]


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(CORPUS, target, "seed-" + name), "wb") as f:
        f.write(data)


def clean():
    for target in os.listdir(CORPUS):
        d = os.path.join(CORPUS, target)
        for name in os.listdir(d):
            if name.startswith("seed-"):
                os.remove(os.path.join(d, name))


def short(data):
    return hashlib.sha1(data if isinstance(data, bytes) else data.encode()).hexdigest()[:8]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def revisions(folder):
    """The revisions of one corpus audit, oldest first."""
    rows = []
    with open(os.path.join(folder, "_revisions.tsv")) as f:
        for line in f:
            date, commit = line.split("\t")[:2]
            path = os.path.join(folder, "%s_%s.md" % (date, commit[:7]))
            if os.path.exists(path):
                rows.append(path)
    return rows[::-1]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    shared = sys.argv[1]
    auditmd = sys.argv[2] if len(sys.argv) > 2 else None
    rng = random.Random(20260116)
    clean()

    audits = []  # (name, bytes) for compile
    pairs = []   # (name, old, new) for diff
    data_dir = os.path.join(ROOT, "tests", "data")
    for name in sorted(os.listdir(data_dir)):
        if name.endswith(".md"):
            audits.append(("data-" + name, read(os.path.join(data_dir, name))))
    modern = [read(os.path.join(data_dir, "modern-2026-01-%d.md" % d)) for d in (15, 16)]
    pairs.append(("data-modern", modern[0], modern[1]))
    seeds = sorted(os.listdir(os.path.join(shared, "seeds")))
    for name in seeds:
        audits.append(("seeds-" + name.replace(".txt", ".md"), read(os.path.join(shared, "seeds", name))))
    for a, b in zip(seeds, seeds[1:]):
        pairs.append(("seeds-%s-%s" % (a[:3], b[:3]), read(os.path.join(shared, "seeds", a)),
                      read(os.path.join(shared, "seeds", b))))

    corpus = os.path.join(shared, "corpus")
    for repo in sorted(os.listdir(corpus)):
        if not os.path.isdir(os.path.join(corpus, repo)):
            continue
        for audit in sorted(os.listdir(os.path.join(corpus, repo))):
            revs = revisions(os.path.join(corpus, repo, audit))
            small = [p for p in revs if os.path.getsize(p) <= MAX_AUDIT]
            for p in rng.sample(small, min(2, len(small))):
                audits.append(("corpus-%s-%s" % (audit, os.path.basename(p)), read(p)))
            steps = [(a, b) for a, b in zip(revs, revs[1:])
                     if os.path.getsize(a) + os.path.getsize(b) <= MAX_PAIR and read(a) != read(b)]
            if steps:
                a, b = rng.choice(steps)
                pairs.append(("corpus-%s-%s" % (audit, os.path.basename(b)[:-3]), read(a), read(b)))

    for name, text in audits:
        write("compile", name, text)
    for name, old, new in pairs:
        write("diff", name + ".md", old + b"\0" + new)
    # Without a NUL the differ splits in half: the same audit against itself.
    write("diff", "data-security-self.md", read(os.path.join(data_dir, "security.md")) * 2)

    # Citations: the list above and lines of the corpus that hold one.
    for i, text in enumerate(CITATIONS):
        write("cite", "list-%02d.txt" % i, text)
    lines = set()
    for name, text in audits:
        for line in text.decode("utf-8", "replace").splitlines():
            if (".py" in line or ".ts" in line or ":" in line) and 20 < len(line) < 300 and "`" in line:
                lines.add(line)
    for line in rng.sample(sorted(lines), min(40, len(lines))):
        write("cite", "corpus-%s.txt" % short(line), line)

    for i, text in enumerate(DATES):
        write("date_status", "date-%02d.txt" % i, text)
    for i, text in enumerate(STATUSES):
        write("date_status", "status-%02d.txt" % i, text)

    # Mustache: every spec test as TEMPLATE NUL DATA.
    spec = os.path.join(shared, "mustache-spec")
    for name in sorted(os.listdir(spec)):
        if not name.endswith(".json"):
            continue
        module = name[:-5].lstrip("~")
        with open(os.path.join(spec, name)) as f:
            tests = json.load(f)["tests"]
        for i, test in enumerate(tests):
            data = json.dumps(test.get("data"), ensure_ascii=False)
            write("mustache", "spec-%s-%02d.txt" % (module, i), test["template"] + "\0" + data)
            write("render_data", "spec-%s-%02d.json" % (module, i), data)
    write("mustache", "template-only.txt", "{{#list}}{{.}}{{/list}} {{>node}} {{<parent}}{{/parent}}")
    write("mustache", "deep-partials.txt", "{{>loop}}\0{}")
    write("mustache", "broken-partial.txt", "{{>broken}}\0{}")
    write("mustache", "dynamic.txt", "{{>*template}}\0{\"template\": \"node\", \"content\": 1, \"nodes\": [{\"content\": 2, \"nodes\": []}]}")

    # render_data: the JSON contracts from real runs, and deep data.
    if auditmd:
        for name, text in audits[:14]:
            out = subprocess.run([auditmd, "compile", "--format", "json", "-q", "-"], input=text,
                                 capture_output=True).stdout
            if out:
                write("render_data", "compile-%s.json" % name[:-3], out)
        for name, old, new in pairs[:6]:
            tmp = os.path.join(CORPUS, ".old.md"), os.path.join(CORPUS, ".new.md")
            for path, text in zip(tmp, (old, new)):
                with open(path, "wb") as f:
                    f.write(text)
            out = subprocess.run([auditmd, "diff", "--format", "json", tmp[0], tmp[1]],
                                 capture_output=True).stdout
            for path in tmp:
                os.remove(path)
            if out:
                write("render_data", "diff-%s.json" % name, out)
    nested = {"name": "leaf"}
    for depth in range(40):
        nested = {"name": "n%d" % depth, "children": [nested]}
    write("render_data", "view-nested.json", json.dumps({"view": nested}))
    write("render_data", "scalars.json", '[1, -0.0, 1e300, "a\\u0000b", true, null, "<&>\\"\'", {}, []]')


if __name__ == "__main__":
    main()
