#!/usr/bin/env python3
"""Generates a large synthetic audit in the dialects auditmd reads.

    gen_audit.py N [--seed S] [--mutate OLD.md]

N findings: numbered heading findings with Evidence bullets, checklists
under priority sections and register tables, in equal parts. With
--revision 2 the same findings come out as a later revision: 10% renumbered
(an inserted finding shifts the rest), 10% retitled, 5% moved to another
section, 20% with a new status.
"""
import argparse
import random

WORDS = ("token session cookie upload handler cache retry timeout query index "
         "admin tenant billing invoice export import webhook signature replay "
         "origin header proxy limit queue worker scheduler backup secret key "
         "audit logging metrics tracing config schema migration").split()
DIRS = ["services/api", "services/web", "workers", "lib/core", "deploy", "apps/admin"]
EXTS = ["py", "ts", "go", "rs", "tsx", "sql"]


def title(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8))).capitalize()


def path(rng):
    return "%s/%s_%s.%s" % (rng.choice(DIRS), rng.choice(WORDS), rng.choice(WORDS), rng.choice(EXTS))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--revision", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    findings = []
    for i in range(a.n):
        findings.append({
            "title": title(rng), "section": rng.randrange(8), "kind": i % 3,
            "status": rng.choice(["open", "open", "resolved", "in progress"]),
            "cites": [(path(rng), s, s + rng.randint(0, 40)) for s in
                      (rng.randint(1, 900) for _ in range(rng.randint(1, 3)))],
        })
    if a.revision > 1:
        mrng = random.Random(a.seed + 1000)
        for f in findings:
            r = mrng.random()
            if r < 0.10:
                f["title"] = f["title"] + " " + mrng.choice(WORDS)
            elif r < 0.15:
                f["section"] = (f["section"] + 1) % 8
            if mrng.random() < 0.20:
                f["status"] = "resolved" if f["status"] != "resolved" else "open"
        # Insert findings: everything after shifts number (renumbered).
        for k in range(max(1, a.n // 10)):
            findings.insert(mrng.randrange(len(findings)),
                            {"title": title(mrng), "section": mrng.randrange(8), "kind": 0,
                             "status": "open", "cites": [(path(mrng), 1, 5)]})
    out = ["# GENERATED_AUDIT", "", "Date: 2026-01-%02d" % (14 + a.revision),
           "Scope: synthetic benchmark input.", ""]
    by_section = {}
    for num, f in enumerate(findings, 1):
        by_section.setdefault(f["section"], []).append((num, f))
    for s in sorted(by_section):
        out += ["## Area %d %s" % (s, ["High Priority", "Medium Priority", "Low Priority"][s % 3]), ""]
        tasks, table = [], []
        for num, f in by_section[s]:
            ev = ", ".join("`%s:%d-%d`" % c for c in f["cites"])
            if f["kind"] == 0:
                out.append("### %d) %s%s" % (num, f["title"], " (Resolved)" if f["status"] == "resolved" else ""))
                out.append("- Status: %s" % f["status"].capitalize())
                out.append("- Evidence: %s show the problem in `%s`." % (ev, rng.choice(WORDS)))
                out.append("- Risk: %s %s." % (title(rng), title(rng).lower()))
                out.append("- Impact: %s, %s; %s." % (title(rng), title(rng).lower(), title(rng).lower()))
                out.append("- Exact refactor steps:")
                out.append("  1) Move the logic into `%s`." % path(rng))
                out.append("  2) %s." % title(rng))
                out.append("")
                out.append("%s. %s, because %s. %s. %s; %s." % (title(rng), title(rng), title(rng).lower(), title(rng), title(rng), title(rng).lower()))
                out.append("")
            elif f["kind"] == 1:
                mark = "x" if f["status"] == "resolved" else " "
                tasks.append("- [%s] **%s** - %s in %s." % (mark, f["title"], title(rng), ev))
                tasks.append("  - **File:** `%s`" % f["cites"][0][0])
                tasks.append("  - **Why:** %s; %s. %s." % (title(rng), title(rng).lower(), title(rng)))
            else:
                table.append("| T-%d | %s | %s | %s |" % (num, f["title"], f["status"].capitalize(), ev))
        if tasks:
            out += ["### Tasks", ""] + tasks + [""]
        if table:
            out += ["### Register", "", "| ID | Finding | Status | Location |", "|----|---------|--------|----------|"]
            out += table + [""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
