#!/usr/bin/env python3
"""Generates a synthetic git repository and an audit citing it, for verify.

    gen_repo.py OUTDIR [--files 10000] [--lines 200] [--citations 100000]
                       [--changed 1000] [--seed 1] [--no-checkout]

OUTDIR/repo: a git repository (branch main) of FILES code-ish files of about
LINES lines each under src/modNNN/pkgK/file_NNNNN.EXT, in two commits with
fixed names and dates, so the same arguments give the same commit ids:

  1. "audited" (2026-01-15): all files.
  2. "refactor" (2026-02-01): CHANGED of the files changed: 45% get lines
     inserted near the top, 45% lines edited in the middle (sometimes a
     different number of lines), 5% deleted, 5% renamed unchanged to another
     module (as `git mv`).

OUTDIR/audit.md: an audit of commit 1, "### N) Title" findings with Status
and Evidence bullets, CITATIONS `path:A-B` / `path:A` evidence citations in
all, spread evenly (every file is cited CITATIONS/FILES times, give or take
one) and within each file's length at commit 1.

Written with `git fast-import` into one pack without deltas; the working
tree is checked out at commit 2 unless --no-checkout. Prints the two commit ids, one a line: commit 1, then
commit 2.
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
EXTS = ["py", "py", "go", "ts", "rs", "c"]
NAME = "Bench Generator"
EMAIL = "bench@example.invalid"
DATE1 = "2026-01-15T10:00:00+00:00"
DATE2 = "2026-02-01T10:00:00+00:00"
TS1 = "1768471200 +0000"  # DATE1 as seconds
TS2 = "1769940000 +0000"  # DATE2 as seconds
FILES_PER_PKG = 20
PKGS_PER_MOD = 5


def line_pool(rng, style, n):
    """N plausible statement lines (without indentation) in STYLE."""
    w = lambda: rng.choice(WORDS)
    out = []
    for _ in range(n):
        k = rng.randrange(8)
        if style == "py":
            out.append([
                "%s = %s.get(%r, %d)" % (w(), w(), w(), rng.randrange(100)),
                "if %s is None or len(%s) > %d:" % (w(), w(), rng.randrange(1, 4096)),
                "    return %s_%s(%s, %s=%s)" % (w(), w(), w(), w(), w()),
                "for %s in self.%s_%s:" % (w(), w(), w()),
                "    self.%s.append(%s)" % (w(), w()),
                "# %s the %s before the %s is %s" % (w(), w(), w(), w()),
                "raise %sError(\"%s %s failed\")" % (w().capitalize(), w(), w()),
                "log.debug(\"%s %%s\", %s.%s)" % (w(), w(), w()),
            ][k])
        else:
            out.append([
                "%s = %s_%s(%s, %d);" % (w(), w(), w(), w(), rng.randrange(100)),
                "if (%s == NULL || %s_len > %d) {" % (w(), w(), rng.randrange(1, 4096)),
                "    return %s_%s(ctx, %s);" % (w(), w(), w()),
                "}",
                "for (i = 0; i < %s->%s; i++) {" % (w(), w()),
                "// %s the %s before the %s is %s" % (w(), w(), w(), w()),
                "%s->%s = %s;" % (w(), w(), w()),
                "log_debug(\"%s %%d\", %s->%s);" % (w(), w(), w()),
            ][k])
    return out


def file_path(i, n_files):
    width = max(5, len(str(n_files - 1)))
    mod, rest = divmod(i, FILES_PER_PKG * PKGS_PER_MOD)
    return "src/mod%03d/pkg%d/file_%0*d.%s" % (mod, rest // FILES_PER_PKG, width, i,
                                               EXTS[i % len(EXTS)])


def file_lines(rng, i, path, target, pools):
    """About TARGET lines: a header, then functions of pooled statements."""
    py = path.endswith(".py")
    pool = pools["py" if py else "c"]
    if py:
        lines = ["# %s: %s %s." % (path, rng.choice(WORDS), rng.choice(WORDS)),
                 "import %s" % rng.choice(WORDS), "import %s" % rng.choice(WORDS), ""]
    else:
        lines = ["// %s: %s %s." % (path, rng.choice(WORDS), rng.choice(WORDS)),
                 "#include \"%s.h\"" % rng.choice(WORDS), ""]
    k = 0
    while len(lines) < target:
        body = rng.choices(pool, k=rng.randint(4, 18))
        name = "%s_%s_%d_%d" % (rng.choice(WORDS), rng.choice(WORDS), i, k)
        if py:
            lines.append("def %s(self, %s):" % (name, rng.choice(WORDS)))
            lines += ["    " + b for b in body]
            lines.append("")
        else:
            lines.append("static int %s(struct ctx *ctx) {" % name)
            lines += ["    " + b for b in body]
            lines += ["}", ""]
        k += 1
    return lines[:target]


def blob(lines):
    return ("\n".join(lines) + "\n").encode()


def data(b):
    return b"data %d\n%s\n" % (len(b), b)


def plan_changes(a, paths, contents, pools):
    """Commit 2: (deleted, [(old, new)] renamed, edited, {i: new lines})."""
    crng = random.Random(a.seed + 1000)
    changed = crng.sample(range(a.files), a.changed)
    n_del = max(1 if a.changed >= 4 else 0, (a.changed * 5 + 50) // 100)  # 5%, at least one
    n_ren = n_del
    deleted, renamed = changed[:n_del], changed[n_del:n_del + n_ren]
    edited = changed[n_del + n_ren:]
    new_contents = {}
    for j, i in enumerate(edited):
        old = contents[i]
        new = list(old)
        if j % 2 == 0:  # insert 1-10 lines near the top (after the header)
            at = crng.randint(2, min(20, len(old)))
            new[at:at] = crng.choices(pools["py" if paths[i].endswith(".py") else "c"],
                                      k=crng.randint(1, 10))
        else:  # edit 1-5 lines in the middle, sometimes a different number of lines
            at = crng.randint(len(old) // 4, len(old) // 2)
            cut = crng.randint(1, 5)
            put = max(0, cut + crng.choice([0, 0, 0, -1, 1, 2]))
            new[at:at + cut] = ["    " + s for s in crng.choices(
                pools["py" if paths[i].endswith(".py") else "c"], k=put)]
            if new == old:
                new.insert(at, "    %s edited" % ("#" if paths[i].endswith(".py") else "//"))
        new_contents[i] = new
    n_mods = (a.files + FILES_PER_PKG * PKGS_PER_MOD - 1) // (FILES_PER_PKG * PKGS_PER_MOD)
    renames = []
    for i in renamed:
        d, base = paths[i].rsplit("/", 1)
        mod = (int(d[7:10]) + 1 + crng.randrange(max(1, n_mods - 1))) % max(1, n_mods)
        new = "src/mod%03d/%s/%s" % (mod, d.split("/")[2], base)
        if new == paths[i]:  # a single module: rename within it
            new = "%s/%s_moved.%s" % (d, *base.rsplit(".", 1))
        renames.append((paths[i], new))

    return deleted, renames, edited, new_contents


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--lines", type=int, default=200)
    ap.add_argument("--citations", type=int, default=100000)
    ap.add_argument("--changed", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-checkout", action="store_true", help="leave the working tree empty")
    a = ap.parse_args()
    if a.files < 1 or a.lines < 10 or a.citations < 0 or not 0 <= a.changed <= a.files:
        ap.error("need --files >= 1, --lines >= 10, --citations >= 0, 0 <= --changed <= --files")
    repo = os.path.join(a.outdir, "repo")
    if os.path.exists(repo):
        sys.exit("gen_repo.py: %s exists; remove it first" % repo)
    os.makedirs(a.outdir, exist_ok=True)

    rng = random.Random(a.seed)
    pools = {"py": line_pool(rng, "py", 4000), "c": line_pool(rng, "c", 4000)}
    paths = [file_path(i, a.files) for i in range(a.files)]

    # The repository, by git fast-import.
    env = dict(os.environ, GIT_AUTHOR_NAME=NAME, GIT_AUTHOR_EMAIL=EMAIL,
               GIT_COMMITTER_NAME=NAME, GIT_COMMITTER_EMAIL=EMAIL,
               GIT_AUTHOR_DATE=DATE2, GIT_COMMITTER_DATE=DATE2,
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    git = lambda *args, **kw: subprocess.run(("git", "-C", repo) + args, env=env, check=True, **kw)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], env=env, check=True)
    # --depth=0: no deltas. fast-import would otherwise make each blob a delta
    # of the one before (unrelated files here, sharing a pool of lines), in
    # chains up to 50 long that slow every reader, and take longer to write.
    fi = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--done", "--depth=0"],
                          stdin=subprocess.PIPE, env=env)
    w = fi.stdin.write
    who = ("%s <%s>" % (NAME, EMAIL)).encode()
    msg = b"audited\n"
    w(b"commit refs/heads/main\nmark :1\nauthor %s %s\ncommitter %s %s\n" % (who, TS1.encode(), who, TS1.encode()))
    w(data(msg))
    # Generated as written, so that git compresses one file while Python makes
    # the next.
    spread = max(1, a.lines // 5)
    contents = []
    for i, p in enumerate(paths):
        contents.append(file_lines(rng, i, p, a.lines + rng.randint(-spread, spread), pools))
        w(b"M 100644 inline %s\n" % p.encode())
        w(data(blob(contents[i])))
    deleted, renames, edited, new_contents = plan_changes(a, paths, contents, pools)
    msg = b"refactor: %d files changed, %d deleted, %d renamed\n" % (len(edited), len(deleted), len(renames))
    w(b"\ncommit refs/heads/main\nmark :2\nauthor %s %s\ncommitter %s %s\n" % (who, TS2.encode(), who, TS2.encode()))
    w(data(msg))
    w(b"from :1\n")
    for i in sorted(deleted):
        w(b"D %s\n" % paths[i].encode())
    for old, new in renames:
        w(b"R %s %s\n" % (old.encode(), new.encode()))
    for i in sorted(edited):
        w(b"M 100644 inline %s\n" % paths[i].encode())
        w(data(blob(new_contents[i])))
    w(b"\ndone\n")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("gen_repo.py: git fast-import failed")
    if not a.no_checkout:
        git("checkout", "-q", "-f", "main")
    ids = subprocess.run(["git", "-C", repo, "rev-parse", "main~1", "main"], env=env, check=True,
                         capture_output=True, text=True).stdout.split()

    # The audit: citations file i % FILES, shuffled, cut into findings.
    arng = random.Random(a.seed + 2000)
    cites = []
    for k in range(a.citations):
        i = k % a.files
        n = len(contents[i])
        if arng.random() < 0.3:
            s = arng.randint(1, n)
            cites.append("`%s:%d`" % (paths[i], s))
        else:
            s = arng.randint(1, max(1, n - 1))
            cites.append("`%s:%d-%d`" % (paths[i], s, min(n, s + arng.randint(1, 40))))
    arng.shuffle(cites)
    out = ["# Security and Code Quality Audit", "",
           "Date: 2026-01-15", "Scope: synthetic benchmark repository at commit %s." % ids[0], ""]
    sections = ["High Priority", "Medium Priority", "Low Priority"]
    num, at = 0, 0
    per_section = max(1, (a.citations // 5 + 2) // 3)
    while at < len(cites):
        if num % per_section == 0 and num // per_section < len(sections):
            out += ["## %s" % sections[num // per_section], ""]
        num += 1
        take = cites[at:at + arng.randint(1, 9)]
        at += len(take)
        t = " ".join(arng.choice(WORDS) for _ in range(arng.randint(3, 7))).capitalize()
        out.append("### %d) %s" % (num, t))
        out.append("- Status: Open")
        out.append("- Evidence: %s" % ", ".join(take))
        out.append("- Risk: %s %s can be %s by a %s." % (
            arng.choice(WORDS).capitalize(), arng.choice(WORDS), arng.choice(WORDS), arng.choice(WORDS)))
        out.append("")
    with open(os.path.join(a.outdir, "audit.md"), "w") as f:
        f.write("\n".join(out))
    print("\n".join(ids))


if __name__ == "__main__":
    main()
