/* The git module, against a repository the test builds with fixed authors
 * and dates: opening, resolving revisions, reading files and blobs (sizes
 * from the object header, limits, binary), tree and working-tree lookups
 * (links never followed), the history of a renamed file, the commit that
 * wrote a file, the commit at a date, changes between commits and against
 * the working tree, and what happens when objects are missing. */
#include <check.h>
#include <string.h>

#include "gitrepo.h"
#include "testrepo.h"

static test_fixture fx; /* DIR/repo, DIR/ids and the copies */

/*
 * c1 2026-01-10 Alice   src/app.py (10 lines), docs/AUDIT.md, bin.dat and
 *                       img.bin (binary), link.py -> src/app.py, srclink ->
 *                       src, empty.txt, a submodule at vendor/lib; tag v1
 * c2 2026-01-12 -05:00 Bob   app.py: two lines on top, line 8 edited; the
 *                       audit edited
 * c3 2026-01-15 +01:00 Alice   renames only: src/app.py -> src/main.py,
 *                       docs/AUDIT.md -> docs/REVIEW.md
 * c4 2026-01-20 Alice   REVIEW.md edited, bin.dat deleted
 * c5 2026-01-21 Carol   other.txt added
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p src docs\n"
	"seq -f 'line %g' 1 10 >src/app.py\n"
	"printf '# Audit\\n\\n### 1) First\\n- Status: Open\\n- Evidence: `src/app.py:3`\\n' >docs/AUDIT.md\n"
	"printf 'bin\\000ary\\n' >bin.dat\n"
	"printf '\\211PNG\\r\\n\\032\\n\\000\\000' >img.bin\n"
	"ln -s src/app.py link.py\n"
	"ln -s src srclink\n"
	": >empty.txt\n"
	"git add -A\n"
	"git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib\n"
	"mkdir -p vendor/lib\n" /* an uninitialised submodule: git add -A keeps it */
	"commit 2026-01-10T12:00:00Z 'first: the code and the audit'\n"
	"id c1\n"
	"GIT_COMMITTER_DATE=2026-01-10T12:00:00Z git tag -a -m 'version 1' v1\n"
	"{ printf 'new 1\\nnew 2\\n'; seq -f 'line %g' 1 7; echo 'line 8 edited'; seq -f 'line %g' 9 10; } >src/app.py\n"
	"printf -- '- Note: second look\\n' >>docs/AUDIT.md\n"
	"git add -A\n"
	"commit 2026-01-12T23:30:00-05:00 'second: app.py edited' 'Bob Builder'\n"
	"id c2\n"
	"git mv src/app.py src/main.py\n"
	"git mv docs/AUDIT.md docs/REVIEW.md\n"
	"commit 2026-01-15T08:00:00+01:00 'third: renames'\n"
	"id c3\n"
	"printf -- '- Status: Resolved\\n' >>docs/REVIEW.md\n"
	"git rm -q bin.dat\n"
	"git add -A\n"
	"commit 2026-01-20T12:00:00Z 'fourth: review edited, bin.dat deleted'\n"
	"id c4\n"
	"echo other >other.txt\n"
	"git add other.txt\n"
	"commit 2026-01-21T12:00:00Z 'fifth: other file' 'Carol Coder'\n"
	"id c5\n"
	"git rev-parse HEAD:src/main.py >../ids/main\n"
	"git rev-parse HEAD~2:bin.dat >../ids/bin\n"
	"git rev-parse HEAD:empty.txt >../ids/empty\n"
	"git rev-parse HEAD:img.bin >../ids/img\n";

static void setup(void)
{
	test_fixture_build(&fx, fixture);
}

static void teardown(void)
{
	test_fixture_free(&fx);
}

/* The id the fixture wrote under ids/NAME (free()). */
static char *fixture_id(const char *name)
{
	am_buf path = AM_BUF_INIT;
	am_buf_printf(&path, "ids/%s", name);
	char *id = test_read_line(fx.dir, path.ptr);
	am_buf_free(&path);
	ck_assert_uint_eq(strlen(id), 40);
	return id;
}

static am_git *open_repo(const char *path)
{
	am_git *g = NULL;
	ck_assert_msg(am_git__open(&g, path) == 0, "%s: %s", path, am_error_last());
	ck_assert_ptr_nonnull(g);
	return g;
}

/* The outcome of a call that resolves a commit: the fixture commit `name`,
 * or AM_ENOTFOUND when name is NULL. */
static void assert_commit(int rc, const am_git_commit *c, const char *name)
{
	if (!name) {
		ck_assert_int_eq(rc, AM_ENOTFOUND);
		return;
	}
	char *want = fixture_id(name);
	ck_assert_msg(rc == 0, "%s", am_error_last());
	ck_assert_str_eq(c->id, want);
	free(want);
}

/* A copy of the repository to damage or edit: DIR/NAME. */
static char *copy_repo(const char *name)
{
	am_buf script = AM_BUF_INIT, path = AM_BUF_INIT;
	am_buf_printf(&script, "rm -rf %s && cp -a repo %s", name, name);
	ck_assert_int_eq(test_sh(fx.dir, script.ptr), 0);
	am_buf_printf(&path, "%s/%s", fx.dir, name);
	am_buf_free(&script);
	return am_buf_detach(&path);
}

/* ---- opening ------------------------------------------------------------------ */

START_TEST(test_open)
{
	am_buf sub = AM_BUF_INIT;
	am_buf_printf(&sub, "%s/src", fx.repo.ptr);
	am_git *g = open_repo(sub.ptr); /* found by searching upward */
	ck_assert_int_eq(am_git__has_workdir(g), 1);
	ck_assert_int_eq(am_git__is_shallow(g), 0);
	am_git *again = NULL;
	ck_assert_int_eq(am_git__reopen(&again, g), 0);
	am_git_commit a, b;
	ck_assert_int_eq(am_git__commit(&a, g, "HEAD"), 0);
	ck_assert_int_eq(am_git__commit(&b, again, "HEAD"), 0);
	ck_assert_str_eq(a.id, b.id);
	am_git__free(again);
	am_git__free(g);
	am_git__free(NULL);
	am_buf_free(&sub);
}
END_TEST

START_TEST(test_not_a_repository)
{
	am_git *g = (am_git *)1;
	ck_assert_int_eq(test_sh(fx.dir, "mkdir -p plain"), 0);
	am_buf path = AM_BUF_INIT;
	am_buf_printf(&path, "%s/plain", fx.dir);
	ck_assert_int_eq(am_git__open(&g, path.ptr), AM_EGIT);
	ck_assert_ptr_null(g);
	ck_assert(strstr(am_error_last(), "not a git repository") != NULL);
	ck_assert(strstr(am_error_last(), path.ptr) != NULL);
	am_buf_free(&path);
}
END_TEST

/* ---- revisions ---------------------------------------------------------------- */

static const struct {
	const char *rev;
	const char *commit; /* fixture id, NULL: AM_ENOTFOUND */
	int64_t time;
	int offset;
	const char *date;
} commits[] = {
	{ "HEAD", "c5", 1768996800, 0, "2026-01-21" },
	{ "main", "c5", 1768996800, 0, "2026-01-21" },
	{ "HEAD~3", "c2", 1768278600, -300, "2026-01-12" }, /* 04:30 UTC on the 13th */
	{ "HEAD^^", "c3", 1768460400, 60, "2026-01-15" },
	{ "v1", "c1", 1768046400, 0, "2026-01-10" },         /* an annotated tag, peeled */
	{ "nosuchrev", NULL, 0, 0, NULL },
	{ "HEAD~9", NULL, 0, 0, NULL },
	{ "HEAD:src", NULL, 0, 0, NULL },                    /* a tree */
	{ "HEAD:src/main.py", NULL, 0, 0, NULL },            /* a blob */
};

START_TEST(test_commit)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_git_commit c;
	memset(&c, 0, sizeof(c));
	int rc = am_git__commit(&c, g, commits[_i].rev);
	assert_commit(rc, &c, commits[_i].commit);
	if (rc < 0) {
		ck_assert(strstr(am_error_last(), commits[_i].rev) != NULL);
	} else {
		ck_assert_int_eq(c.time, commits[_i].time);
		ck_assert_int_eq(c.offset, commits[_i].offset);
		ck_assert_str_eq(c.date, commits[_i].date);
	}
	am_git__free(g);
}
END_TEST

/* ---- reading files at a revision ------------------------------------------------ */

#define BIG ((size_t)1 << 20)

static const struct {
	const char *rev, *path;
	size_t max;
	int rc;
	const char *content; /* the start of it */
	size_t len;          /* the whole length */
} reads[] = {
	{ "HEAD", "src/main.py", BIG, 0, "new 1\nnew 2\nline 1\n", 90 },
	{ "v1", "src/app.py", BIG, 0, "line 1\nline 2\n", 71 },
	{ "HEAD~1", "docs/REVIEW.md", BIG, 0, "# Audit\n", 103 },
	{ "HEAD", "empty.txt", 0, 0, "", 0 },              /* 0 bytes fit a limit of 0 */
	{ "HEAD~2", "bin.dat", BIG, 0, "bin", 8 },         /* bytes after a NUL kept */
	{ "HEAD", "src/main.py", 90, 0, "new 1", 90 },     /* exactly the limit */
	{ "HEAD", "src/main.py", 89, AM_ELIMIT, NULL, 0 },
	{ "HEAD", "src/app.py", BIG, AM_ENOTFOUND, NULL, 0 },
	{ "HEAD", "bin.dat", BIG, AM_ENOTFOUND, NULL, 0 }, /* deleted in c4 */
	{ "nosuchrev", "src/main.py", BIG, AM_ENOTFOUND, NULL, 0 },
	{ "HEAD", "src", BIG, AM_EPARSE, NULL, 0 },        /* a directory */
	{ "HEAD", "vendor/lib", BIG, AM_EPARSE, NULL, 0 }, /* a submodule */
	{ "HEAD", "link.py", BIG, AM_EPARSE, NULL, 0 },    /* a link is not followed */
	{ "HEAD", "srclink/main.py", BIG, AM_ENOTFOUND, NULL, 0 },
};

START_TEST(test_read_revision)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_buf out = AM_BUF_INIT;
	am_buf_puts(&out, "stale");
	am_error_clear();
	int rc = am_git__read(&out, g, reads[_i].rev, reads[_i].path, reads[_i].max);
	ck_assert_msg(rc == reads[_i].rc, "%s:%s: rc %d (%s)", reads[_i].rev, reads[_i].path, rc,
		      am_error_last());
	if (rc == 0) {
		ck_assert_uint_eq(out.size, reads[_i].len);
		ck_assert(strncmp(am_buf_cstr(&out), reads[_i].content, strlen(reads[_i].content)) == 0);
	} else {
		ck_assert_msg(strstr(am_error_last(), reads[_i].path) != NULL ||
				      strstr(am_error_last(), reads[_i].rev) != NULL,
			      "the message names the file or revision: %s", am_error_last());
	}
	am_buf_free(&out);
	am_git__free(g);
}
END_TEST

/* ---- blobs --------------------------------------------------------------------- */

static const struct {
	const char *blob; /* fixture id */
	size_t size;
	int binary;
} blobs[] = {
	{ "main", 90, 0 },
	{ "bin", 8, 1 },  /* a NUL byte: binary, as git says */
	{ "img", 10, 1 },
	{ "empty", 0, 0 },
};

START_TEST(test_blob)
{
	am_git *g = open_repo(fx.repo.ptr);
	char *id = fixture_id(blobs[_i].blob);
	size_t size = 12345;
	ck_assert_int_eq(am_git__blob_size(&size, g, id), 0);
	ck_assert_uint_eq(size, blobs[_i].size);

	am_buf out = AM_BUF_INIT;
	ck_assert_int_eq(am_git__read_blob(&out, g, id, "test", blobs[_i].size), 0);
	ck_assert_uint_eq(out.size, blobs[_i].size);
	if (blobs[_i].size) {
		ck_assert_int_eq(am_git__read_blob(&out, g, id, "test", blobs[_i].size - 1), AM_ELIMIT);
		ck_assert(strstr(am_error_last(), "test") != NULL);
	}

	am_git_blob *b = NULL;
	size_t len = 0;
	ck_assert_int_eq(am_git__blob(&b, g, id), 0);
	const char *data = am_git__blob_data(b, &len);
	ck_assert_uint_eq(len, blobs[_i].size);
	ck_assert(len == 0 || memcmp(data, out.ptr, len) == 0);
	ck_assert_int_eq(am_git__blob_binary(b), blobs[_i].binary);
	am_git__blob_free(b);
	am_git__blob_free(NULL);
	am_buf_free(&out);
	free(id);
	am_git__free(g);
}
END_TEST

/* Ids of no object, or no id at all: AM_EGIT naming it, nothing returned. */
static const char *const bad_ids[] = {
	"0123456789abcdef0123456789abcdef01234567",
	"not-hex",
	"",
};

START_TEST(test_blob_missing)
{
	am_git *g = open_repo(fx.repo.ptr);
	size_t size = 0;
	am_buf out = AM_BUF_INIT;
	am_git_blob *b = (am_git_blob *)1;
	ck_assert_int_eq(am_git__blob_size(&size, g, bad_ids[_i]), AM_EGIT);
	ck_assert(strstr(am_error_last(), bad_ids[_i]) != NULL);
	ck_assert_int_eq(am_git__read_blob(&out, g, bad_ids[_i], "test", BIG), AM_EGIT);
	ck_assert_uint_eq(out.size, 0);
	ck_assert_int_eq(am_git__blob(&b, g, bad_ids[_i]), AM_EGIT);
	ck_assert_ptr_null(b);
	am_git__free(g);
}
END_TEST

/* ---- trees -------------------------------------------------------------------- */

static const struct {
	const char *commit, *path;
	am_git_entry_kind kind;
	const char *blob; /* fixture id of the blob, or NULL */
} lookups[] = {
	{ "c5", "src/main.py", AM_GIT_ENTRY_FILE, "main" },
	{ "c5", "empty.txt", AM_GIT_ENTRY_FILE, "empty" },
	{ "c5", "img.bin", AM_GIT_ENTRY_FILE, "img" },
	{ "c5", "link.py", AM_GIT_ENTRY_LINK, NULL },
	{ "c5", "srclink", AM_GIT_ENTRY_LINK, NULL },
	{ "c5", "srclink/main.py", AM_GIT_ENTRY_UNDER_LINK, NULL },
	{ "c5", "src", AM_GIT_ENTRY_DIR, NULL },
	{ "c5", "vendor/lib", AM_GIT_ENTRY_SUBMODULE, NULL },
	{ "c5", "vendor/lib/x.c", AM_GIT_ENTRY_NONE, NULL },
	{ "c5", "src/app.py", AM_GIT_ENTRY_NONE, NULL },
	{ "c5", "bin.dat", AM_GIT_ENTRY_NONE, NULL },
	{ "c5", "nope/deeper/file", AM_GIT_ENTRY_NONE, NULL },
	{ "c3", "bin.dat", AM_GIT_ENTRY_FILE, "bin" },
	{ "c1", "src/main.py", AM_GIT_ENTRY_NONE, NULL },
};

START_TEST(test_lookup)
{
	am_git *g = open_repo(fx.repo.ptr);
	char *commit = fixture_id(lookups[_i].commit);
	am_git_tree *t = NULL;
	am_git_entry e;
	ck_assert_int_eq(am_git__tree(&t, g, commit), 0);
	am_git__lookup(&e, t, lookups[_i].path);
	ck_assert_msg(e.kind == lookups[_i].kind, "%s: kind %d", lookups[_i].path, e.kind);
	if (lookups[_i].blob) {
		char *blob = fixture_id(lookups[_i].blob);
		ck_assert_str_eq(e.blob, blob);
		free(blob);
	} else if (e.kind == AM_GIT_ENTRY_NONE || e.kind == AM_GIT_ENTRY_UNDER_LINK) {
		ck_assert_str_eq(e.blob, "");
	}
	am_git__tree_free(t);
	free(commit);
	am_git__free(g);
}
END_TEST

static void collect(const char *path, void *payload)
{
	am_buf_printf(payload, "%s;", path);
}

START_TEST(test_each_file)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_git_tree *t = NULL;
	am_buf files = AM_BUF_INIT;
	ck_assert_int_eq(am_git__tree(&t, g, "HEAD"), 0);
	ck_assert_int_eq(am_git__each_file(t, collect, &files), 0);
	/* Blobs only (links are blobs; the submodule is not), in tree order. */
	ck_assert_str_eq(am_buf_cstr(&files),
			 "docs/REVIEW.md;empty.txt;img.bin;link.py;other.txt;src/main.py;srclink;");
	am_git__tree_free(t);
	ck_assert_int_eq(am_git__tree(&t, g, "nosuchrev"), AM_ENOTFOUND);
	ck_assert_ptr_null(t);
	am_buf_free(&files);
	am_git__free(g);
}
END_TEST

/* ---- history ------------------------------------------------------------------ */

static const struct {
	const char *path;
	const char *expect; /* "commit:path:author:offset;" oldest first */
} histories[] = {
	/* Renamed in c3 without an edit: that commit is not a revision. */
	{ "docs/REVIEW.md", "c1:docs/AUDIT.md:Alice Auditor:0;c2:docs/AUDIT.md:Bob Builder:-300;"
			    "c4:docs/REVIEW.md:Alice Auditor:0;" },
	{ "src/main.py", "c1:src/app.py:Alice Auditor:0;c2:src/app.py:Bob Builder:-300;" },
	{ "other.txt", "c5:other.txt:Carol Coder:0;" },
	{ "empty.txt", "c1:empty.txt:Alice Auditor:0;" },
	/* Not in HEAD: the history up to its deletion, or its renaming, as
	 * `git log --first-parent -- PATH` shows it. */
	{ "bin.dat", "c1:bin.dat:Alice Auditor:0;" },
	{ "docs/AUDIT.md", "c1:docs/AUDIT.md:Alice Auditor:0;c2:docs/AUDIT.md:Bob Builder:-300;" },
	{ "nope.md", "" },
};

START_TEST(test_history)
{
	static const struct {
		const char *name, *summary;
		int64_t time;
	} fixture_commits[] = {
		{ "c1", "first: the code and the audit", 1768046400 },
		{ "c2", "second: app.py edited", 1768278600 },
		{ "c3", "third: renames", 1768460400 },
		{ "c4", "fourth: review edited, bin.dat deleted", 1768910400 },
		{ "c5", "fifth: other file", 1768996800 },
	};
	am_git *g = open_repo(fx.repo.ptr);
	struct am_arena *arena = am_arena_new();
	am_git_revision *revs = NULL;
	size_t n = 99;
	am_buf got = AM_BUF_INIT;
	ck_assert_int_eq(am_git__history(&revs, &n, g, histories[_i].path, BIG, arena), 0);
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (; k < 5; k++) {
			char *id = fixture_id(fixture_commits[k].name);
			int same = !strcmp(id, revs[i].commit);
			free(id);
			if (same)
				break;
		}
		ck_assert_msg(k < 5, "revision %zu: %s is no fixture commit", i, revs[i].commit);
		am_buf_printf(&got, "%s:%s:%s:%d;", fixture_commits[k].name, revs[i].path, revs[i].author,
			      revs[i].offset);
		ck_assert_str_eq(revs[i].summary, fixture_commits[k].summary);
		ck_assert_int_eq(revs[i].time, fixture_commits[k].time);
		/* The blob is the file's content in that commit. */
		am_buf content = AM_BUF_INIT, by_path = AM_BUF_INIT;
		ck_assert_int_eq(am_git__read_blob(&content, g, revs[i].blob, "test", BIG), 0);
		ck_assert_int_eq(am_git__read(&by_path, g, revs[i].commit, revs[i].path, BIG), 0);
		ck_assert_str_eq(am_buf_cstr(&content), am_buf_cstr(&by_path));
		am_buf_free(&content);
		am_buf_free(&by_path);
	}
	ck_assert_str_eq(am_buf_cstr(&got), histories[_i].expect);
	free(revs);
	am_buf_free(&got);
	am_arena_free(arena);
	am_git__free(g);
}
END_TEST

/* ---- the commit that wrote a file, the commit at a date ----------------------------- */

static const struct {
	const char *rev, *path;
	const char *writer; /* fixture id, NULL: AM_ENOTFOUND */
} writers[] = {
	{ "HEAD", "src/main.py", "c3" },   /* the rename wrote this path */
	{ "HEAD", "docs/REVIEW.md", "c4" },
	{ "HEAD", "other.txt", "c5" },
	{ "HEAD", "empty.txt", "c1" },
	{ "HEAD", "link.py", "c1" },
	{ "HEAD~3", "src/app.py", "c2" },
	{ "v1", "docs/AUDIT.md", "c1" },
	{ "HEAD", "bin.dat", NULL },
	{ "HEAD", "src", NULL },
	{ "nosuchrev", "src/main.py", NULL },
};

START_TEST(test_writer)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_git_commit c;
	assert_commit(am_git__writer(&c, g, writers[_i].rev, writers[_i].path), &c, writers[_i].writer);
	am_git__free(g);
}
END_TEST

static const struct {
	const char *rev, *date;
	const char *commit; /* NULL: AM_ENOTFOUND */
} at_dates[] = {
	{ "HEAD", "2026-01-09", NULL },
	{ "HEAD", "2026-01-10", "c1" },
	{ "HEAD", "2026-01-11", "c1" },
	{ "HEAD", "2026-01-12", "c2" }, /* its own time zone's date, not UTC's 13th */
	{ "HEAD", "2026-01-13", "c2" },
	{ "HEAD", "2026-01-15", "c3" },
	{ "HEAD", "2026-01-20", "c4" },
	{ "HEAD", "2099-12-31", "c5" },
	{ "HEAD~2", "2099-12-31", "c3" },
	{ "nosuchrev", "2026-01-15", NULL },
};

START_TEST(test_commit_at_date)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_git_commit c;
	int rc = am_git__commit_at_date(&c, g, at_dates[_i].rev, at_dates[_i].date);
	assert_commit(rc, &c, at_dates[_i].commit);
	if (rc == 0)
		ck_assert(strcmp(c.date, at_dates[_i].date) <= 0);
	am_git__free(g);
}
END_TEST

/* ---- changes between commits ---------------------------------------------------- */

static int want_all(const char *old_path, void *payload)
{
	return payload == NULL || !strcmp(old_path, payload);
}

/* "STATUS old->new [hunks] binary;" for each delta, sorted by old path. */
static void describe(am_buf *out, const am_git_delta *d, size_t n)
{
	static const char *const st[] = { "?", "M", "D", "R", "T" };
	for (size_t i = 0; i < n; i++) {
		am_buf_printf(out, "%s %s->%s", st[d[i].status], d[i].old_path, d[i].new_path);
		for (size_t h = 0; h < d[i].nhunks; h++)
			am_buf_printf(out, " %u,%u,%u,%u", d[i].hunks[h].old_start, d[i].hunks[h].old_lines,
				      d[i].hunks[h].new_start, d[i].hunks[h].new_lines);
		am_buf_puts(out, d[i].binary ? " bin;" : d[i].too_large ? " large;" : ";");
	}
}

static const struct {
	const char *from, *to; /* revisions; to NULL: the working tree */
	const char *only;      /* the one old path wanted, or NULL */
	unsigned threads;
	const char *expect;
} changes[] = {
	{ "c1", "c2", NULL, 1, "M docs/AUDIT.md->docs/AUDIT.md 5,0,6,1;M src/app.py->src/app.py 0,0,1,2 8,1,10,1;" },
	{ "c1", "c2", NULL, 2, "M docs/AUDIT.md->docs/AUDIT.md 5,0,6,1;M src/app.py->src/app.py 0,0,1,2 8,1,10,1;" },
	{ "c2", "c3", NULL, 1, "R docs/AUDIT.md->docs/REVIEW.md;R src/app.py->src/main.py;" },
	{ "c1", "c5", NULL, 0,
	  "D bin.dat->bin.dat;R docs/AUDIT.md->docs/REVIEW.md 5,0,6,2;R src/app.py->src/main.py 0,0,1,2 8,1,10,1;" },
	{ "c1", "c5", "src/app.py", 0, "R src/app.py->src/main.py 0,0,1,2 8,1,10,1;" },
	{ "c1", "c5", "nothing", 0, "" },
	{ "c4", "c5", NULL, 0, "" }, /* an added file is no change to a cited one */
	{ "c5", NULL, NULL, 0, "" }, /* a clean working tree */
};

START_TEST(test_changes)
{
	am_git *g = open_repo(fx.repo.ptr);
	char *from = fixture_id(changes[_i].from), *to = changes[_i].to ? fixture_id(changes[_i].to) : NULL;
	struct am_arena *arena = am_arena_new();
	am_git_delta *d = NULL;
	size_t n = 0;
	am_buf got = AM_BUF_INIT;
	ck_assert_int_eq(am_git__changes(&d, &n, g, from, to, want_all, (void *)changes[_i].only,
					 BIG, changes[_i].threads, arena),
			 0);
	describe(&got, d, n);
	ck_assert_str_eq(am_buf_cstr(&got), changes[_i].expect);
	free(d);
	free(from);
	free(to);
	am_buf_free(&got);
	am_arena_free(arena);
	am_git__free(g);
}
END_TEST

START_TEST(test_changes_errors)
{
	am_git *g = open_repo(fx.repo.ptr);
	struct am_arena *arena = am_arena_new();
	am_git_delta *d = NULL;
	size_t n = 0;
	ck_assert_int_eq(am_git__changes(&d, &n, g, "nosuchrev", "HEAD", want_all, NULL, BIG, 1, arena),
			 AM_ENOTFOUND);
	ck_assert_int_eq(am_git__changes(&d, &n, g, "HEAD", "nosuchrev", want_all, NULL, BIG, 1, arena),
			 AM_ENOTFOUND);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
	am_arena_free(arena);
	am_git__free(g);
}
END_TEST

/* ---- modified files, diffed from the bytes of their old side ------------------- */

static const struct {
	const char *from, *to;
	size_t max; /* of the new side */
	const char *expect;
} modified[] = {
	/* the very hunks am_git__changes finds */
	{ "c1", "c2", BIG, "M docs/AUDIT.md->docs/AUDIT.md 5,0,6,1;M src/app.py->src/app.py 0,0,1,2 8,1,10,1;" },
	{ "c3", "c4", BIG, "M docs/REVIEW.md->docs/REVIEW.md 6,0,7,1;" },
	{ "c1", "c2", 8, "M docs/AUDIT.md->docs/AUDIT.md large;M src/app.py->src/app.py large;" },
	{ "c2", "c3", BIG, "" }, /* renamed files: no modification at one path */
	{ "c4", "c5", BIG, "" }, /* nor is an added file */
};

START_TEST(test_modified)
{
	am_git *g = open_repo(fx.repo.ptr);
	char *from = fixture_id(modified[_i].from), *to = fixture_id(modified[_i].to);
	struct am_arena *arena = am_arena_new();
	am_git_modified *m = NULL;
	size_t n = 0;
	am_buf old = AM_BUF_INIT, got = AM_BUF_INIT;
	ck_assert_int_eq(am_git__modified(&m, &n, g, from, to, arena), 0);
	am_git_delta *d = am_xcalloc(n ? n : 1, sizeof(*d));
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_eq(am_git__modified_find(m, n, m[i].path), &m[i]);
		ck_assert_int_eq(am_git__read_blob(&old, g, m[i].old_blob, m[i].path, BIG), 0);
		ck_assert_int_eq(am_git__diff_read(&d[i], g, &m[i], old.ptr, old.size, modified[_i].max, arena), 0);
	}
	ck_assert_ptr_null(am_git__modified_find(m, n, "src/nothing.py"));
	describe(&got, d, n);
	ck_assert_str_eq(am_buf_cstr(&got), modified[_i].expect);
	free(d);
	free(from);
	free(to);
	am_buf_free(&old);
	am_buf_free(&got);
	am_arena_free(arena);
	am_git__free(g);
}
END_TEST

/* ---- the working tree ----------------------------------------------------------- */

static const struct {
	const char *path;
	am_git_entry_kind kind;
	int rc;     /* of reading it with a limit of 1 MiB */
	size_t len;
	int binary;
} workdir[] = {
	{ "src/main.py", AM_GIT_ENTRY_FILE, 0, 90, 0 },
	{ "img.bin", AM_GIT_ENTRY_FILE, 0, 10, 1 },
	{ "empty.txt", AM_GIT_ENTRY_FILE, 0, 0, 0 },
	{ "link.py", AM_GIT_ENTRY_LINK, AM_ENOTFOUND, 0, 0 },
	{ "srclink", AM_GIT_ENTRY_LINK, AM_ENOTFOUND, 0, 0 },
	{ "srclink/main.py", AM_GIT_ENTRY_UNDER_LINK, AM_ENOTFOUND, 0, 0 },
	{ "src", AM_GIT_ENTRY_DIR, AM_ENOTFOUND, 0, 0 },
	{ "bin.dat", AM_GIT_ENTRY_NONE, AM_ENOTFOUND, 0, 0 },
	{ "nope/file", AM_GIT_ENTRY_NONE, AM_ENOTFOUND, 0, 0 },
};

START_TEST(test_workdir)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_git_entry e;
	am_buf out = AM_BUF_INIT;
	int binary = -1;
	am_git__workdir_lookup(&e, g, workdir[_i].path);
	ck_assert_msg(e.kind == workdir[_i].kind, "%s: kind %d", workdir[_i].path, e.kind);
	int rc = am_git__workdir_read(&out, &binary, g, workdir[_i].path, BIG);
	ck_assert_msg(rc == workdir[_i].rc, "%s: rc %d", workdir[_i].path, rc);
	if (rc == 0) {
		ck_assert_uint_eq(out.size, workdir[_i].len);
		ck_assert_int_eq(binary, workdir[_i].binary);
		if (workdir[_i].len)
			ck_assert_int_eq(am_git__workdir_read(&out, &binary, g, workdir[_i].path,
							      workdir[_i].len - 1),
					 AM_ELIMIT);
	} else {
		ck_assert(strstr(am_error_last(), workdir[_i].path) != NULL);
	}
	am_buf_free(&out);
	am_git__free(g);
}
END_TEST

/* Edits on disk: changes against the working tree (a file moved without
 * git is still a rename), and unmodified files. */
START_TEST(test_workdir_changes)
{
	char *dir = copy_repo("edited");
	ck_assert_int_eq(test_sh(dir, "sed -i 's/^new 1$/NEW 1/' src/main.py && mv other.txt moved.txt"), 0);
	am_git *g = open_repo(dir);
	struct am_arena *arena = am_arena_new();
	am_git_delta *d = NULL;
	size_t n = 0;
	am_buf got = AM_BUF_INIT;
	ck_assert_int_eq(am_git__changes(&d, &n, g, "HEAD", NULL, want_all, NULL, BIG, 1, arena), 0);
	describe(&got, d, n);
	ck_assert_str_eq(am_buf_cstr(&got), "R other.txt->moved.txt;M src/main.py->src/main.py 1,1,1,1;");
	ck_assert_int_eq(am_git__unmodified(g, "src/main.py"), 0);
	ck_assert_int_eq(am_git__unmodified(g, "docs/REVIEW.md"), 1);
	ck_assert_int_eq(am_git__unmodified(g, "other.txt"), 0); /* gone from disk */
	ck_assert_int_eq(am_git__unmodified(g, "moved.txt"), 0); /* not in HEAD */
	free(d);
	am_buf_free(&got);
	am_arena_free(arena);
	am_git__free(g);
	free(dir);
}
END_TEST

/* The index: what the next commit holds, a file staged but not
 * committed among it; links and the submodule are not files. */
START_TEST(test_index_files)
{
	char *dir = copy_repo("staged");
	ck_assert_int_eq(test_sh(dir, "echo new >docs/NEW.md && git add docs/NEW.md && echo x >untracked.txt"),
			 0);
	am_git *g = open_repo(dir);
	am_buf files = AM_BUF_INIT;
	ck_assert_int_eq(am_git__each_index_file(g, collect, &files), 0);
	ck_assert_str_eq(am_buf_cstr(&files), "docs/NEW.md;docs/REVIEW.md;empty.txt;img.bin;other.txt;src/main.py;");
	am_buf_free(&files);
	am_git__free(g);
	free(dir);
}
END_TEST

/* A unified diff of two texts as git prints it; nothing for equal texts,
 * and line endings kept as they are. */
START_TEST(test_diff_text)
{
	am_buf out = AM_BUF_INIT;
	const char *a = "one\r\ntwo\r\nthree\r\n", *b = "one\r\n2\r\nthree\r\n";
	ck_assert_int_eq(am_git__diff_text(&out, a, strlen(a), a, strlen(a), "x.md"), 0);
	ck_assert_uint_eq(out.size, 0);
	ck_assert_int_eq(am_git__diff_text(&out, a, strlen(a), b, strlen(b), "docs/x.md"), 0);
	ck_assert_str_eq(am_buf_cstr(&out), "diff --git a/docs/x.md b/docs/x.md\n"
					    "index e1587ff..d48bcb7 100644\n"
					    "--- a/docs/x.md\n"
					    "+++ b/docs/x.md\n"
					    "@@ -1,3 +1,3 @@\n"
					    " one\r\n"
					    "-two\r\n"
					    "+2\r\n"
					    " three\r\n");
	am_buf_free(&out);
}
END_TEST

START_TEST(test_relative)
{
	am_git *g = open_repo(fx.repo.ptr);
	am_buf p = AM_BUF_INIT;
	char *rel;
	am_buf_printf(&p, "%s/docs/REVIEW.md", fx.repo.ptr);
	ck_assert_str_eq(rel = am_git__relative(g, p.ptr), "docs/REVIEW.md");
	free(rel);
	am_buf_clear(&p);
	am_buf_printf(&p, "%s/src/../docs/REVIEW.md", fx.repo.ptr);
	ck_assert_str_eq(rel = am_git__relative(g, p.ptr), "docs/REVIEW.md");
	free(rel);
	am_buf_clear(&p);
	am_buf_printf(&p, "%s/srclink/main.py", fx.repo.ptr); /* resolved to where it is */
	ck_assert_str_eq(rel = am_git__relative(g, p.ptr), "src/main.py");
	free(rel);
	ck_assert_ptr_null(am_git__relative(g, fx.dir)); /* outside the working tree */
	ck_assert_ptr_null(am_git__relative(g, "/nonexistent/AUDIT.md"));
	/* An absolute path to a file not on disk: by its directory. */
	am_buf_clear(&p);
	am_buf_printf(&p, "%s/src/../docs/gone.md", fx.repo.ptr);
	ck_assert_str_eq(rel = am_git__relative(g, p.ptr), "docs/gone.md");
	free(rel);
	am_buf_clear(&p);
	am_buf_printf(&p, "%s/gone.md", fx.dir);
	ck_assert_ptr_null(am_git__relative(g, p.ptr));
	/* Not on disk: taken as relative to the root. */
	ck_assert_str_eq(rel = am_git__relative(g, "docs/gone.md"), "docs/gone.md");
	free(rel);
	am_buf_free(&p);
	am_git__free(g);
}
END_TEST

/* A bare clone is read through its object database; a shallow one says so. */
START_TEST(test_bare_and_shallow)
{
	ck_assert_int_eq(test_sh(fx.dir, "rm -rf bare.git shallow && git clone -q --bare repo bare.git && "
				      "git clone -q --depth 1 \"file://$PWD/repo\" shallow"),
			 0);
	am_buf path = AM_BUF_INIT;
	am_buf out = AM_BUF_INIT;
	am_buf_printf(&path, "%s/bare.git", fx.dir);
	am_git *g = open_repo(path.ptr);
	ck_assert_int_eq(am_git__has_workdir(g), 0);
	ck_assert_int_eq(am_git__read(&out, g, "HEAD", "src/main.py", BIG), 0);
	ck_assert_uint_eq(out.size, 90);
	ck_assert_int_eq(am_git__unmodified(g, "src/main.py"), 0);
	struct am_arena *arena = am_arena_new();
	am_git_delta *d = NULL;
	size_t n = 0;
	ck_assert_int_eq(am_git__changes(&d, &n, g, "HEAD", NULL, want_all, NULL, BIG, 1, arena), AM_EGIT);
	ck_assert(strstr(am_error_last(), "bare") != NULL);
	am_arena_free(arena);
	am_git__free(g);

	am_buf_clear(&path);
	am_buf_printf(&path, "%s/shallow", fx.dir);
	g = open_repo(path.ptr);
	ck_assert_int_eq(am_git__is_shallow(g), 1);
	ck_assert_int_eq(am_git__read(&out, g, "HEAD", "other.txt", BIG), 0);
	ck_assert_str_eq(out.ptr, "other\n");
	am_git__free(g);
	am_buf_free(&out);
	am_buf_free(&path);
}
END_TEST

/* Objects gone from the object database: errors, never a crash or a
 * partial read; what is still there is still read. */
START_TEST(test_missing_objects)
{
	char *dir = copy_repo("damaged");
	char *main_blob = fixture_id("main");
	am_buf script = AM_BUF_INIT, out = AM_BUF_INIT;
	am_buf_printf(&script, "rm .git/objects/%.2s/%s", main_blob, main_blob + 2);
	ck_assert_int_eq(test_sh(dir, script.ptr), 0);
	am_git *g = open_repo(dir);
	size_t size = 0;
	ck_assert_int_eq(am_git__blob_size(&size, g, main_blob), AM_EGIT);
	ck_assert(strstr(am_error_last(), main_blob) != NULL);
	am_buf_puts(&out, "stale");
	ck_assert_int_lt(am_git__read(&out, g, "HEAD", "src/main.py", BIG), 0);
	ck_assert_str_eq(am_buf_cstr(&out), "stale");
	ck_assert_int_eq(am_git__read_blob(&out, g, main_blob, "test", BIG), AM_EGIT);
	am_git_tree *t = NULL;
	am_git_entry e;
	ck_assert_int_eq(am_git__tree(&t, g, "HEAD"), 0); /* the tree is intact */
	am_git__lookup(&e, t, "src/main.py");
	ck_assert_int_eq(e.kind, AM_GIT_ENTRY_FILE);
	ck_assert_str_eq(e.blob, main_blob);
	am_git__tree_free(t);
	ck_assert_int_eq(am_git__read(&out, g, "HEAD", "docs/REVIEW.md", BIG), 0);
	ck_assert(strncmp(out.ptr, "# Audit", 7) == 0);
	/* Diffing through the missing blob fails as a git error. */
	struct am_arena *arena = am_arena_new();
	am_git_delta *d = NULL;
	size_t n = 0;
	ck_assert_int_eq(am_git__changes(&d, &n, g, "HEAD~4", "HEAD", want_all, NULL, BIG, 1, arena), AM_EGIT);
	am_arena_free(arena);
	am_git__free(g);
	am_buf_free(&script);
	am_buf_free(&out);
	free(main_blob);
	free(dir);
}
END_TEST

START_TEST(test_version)
{
	char v[32] = "";
	int major = -1, minor = -1, patch = -1;
	am_git__version(v, sizeof(v));
	ck_assert_int_eq(sscanf(v, "%d.%d.%d", &major, &minor, &patch), 3);
	ck_assert_int_ge(major, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("gitrepo");
	TCase *tc = tcase_create("gitrepo");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_not_a_repository);
	TEST_LOOP(tc, test_commit, commits);
	TEST_LOOP(tc, test_read_revision, reads);
	TEST_LOOP(tc, test_blob, blobs);
	TEST_LOOP(tc, test_blob_missing, bad_ids);
	TEST_LOOP(tc, test_lookup, lookups);
	tcase_add_test(tc, test_each_file);
	TEST_LOOP(tc, test_history, histories);
	TEST_LOOP(tc, test_writer, writers);
	TEST_LOOP(tc, test_commit_at_date, at_dates);
	TEST_LOOP(tc, test_changes, changes);
	tcase_add_test(tc, test_changes_errors);
	tcase_add_loop_test(tc, test_modified, 0, sizeof(modified) / sizeof(modified[0]));
	TEST_LOOP(tc, test_workdir, workdir);
	tcase_add_test(tc, test_workdir_changes);
	tcase_add_test(tc, test_relative);
	tcase_add_test(tc, test_index_files);
	tcase_add_test(tc, test_diff_text);
	tcase_add_test(tc, test_bare_and_shallow);
	tcase_add_test(tc, test_missing_objects);
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
