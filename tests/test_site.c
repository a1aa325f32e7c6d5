/* A static site of a repository's audits (am_site_build, am_site_write),
 * in a repository the test builds: the pages and their names, a finding's
 * timeline across renumbering and retitling, the same bytes twice, and
 * the errors. */
#include <check.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditmd/site.h"
#include "testrepo.h"

static test_fixture fx;

#define F(n, title, status) "### " #n ") " title "\\n- Status: " status "\\n- Evidence: `src/a.py:1`\\n\\n"

/*
 * docs/AUDIT.md, three revisions:
 *   r1 #1 Leak (open), #2 Crash (open)
 *   r2 a finding inserted first: #1 Race, #2 Leak, #3 Crash; Crash resolved
 *   r3 #2 retitled "Memory leak in `parse`"; Crash reopened
 * docs/audit.markdown: one revision, one finding (the same directory name
 * as the other audit's, made unique)
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p docs src && printf 'x = 1\\ny = 2\\n' >src/a.py\n"
	"printf '# Audit\\n\\n" F(1, "Leak", "Open") F(2, "Crash", "Open") "' >docs/AUDIT.md\n"
	"printf '# Other\\n\\n" F(1, "Other", "Open") "' >docs/audit.markdown\n"
	"git add -A && commit 2026-01-10T12:00:00Z 'first'\n"
	"printf '# Audit\\n\\n" F(1, "Race", "Open") F(2, "Leak", "Open") F(3, "Crash", "Resolved") "' >docs/AUDIT.md\n"
	"git add -A && commit 2026-01-11T12:00:00Z 'second'\n"
	"printf '# Audit\\n\\n" F(1, "Race", "Open") F(2, "Memory leak in `parse`", "Open") F(3, "Crash", "Open")
	"' >docs/AUDIT.md\n"
	"git add -A && commit 2026-01-12T12:00:00Z 'third'\n";

static const char *const audits[] = { "docs/AUDIT.md", "docs/audit.markdown" };

static void setup(void)
{
	test_fixture_build(&fx, fixture);
}

static void teardown(void)
{
	test_fixture_free(&fx);
}

/* The site written into DIR/NAME, which is made. */
static char *write_site(const am_site *site, const char *name)
{
	am_buf dir = AM_BUF_INIT;
	am_buf_printf(&dir, "%s/%s", fx.dir, name);
	ck_assert_int_eq(mkdir(dir.ptr, 0777), 0);
	ck_assert_msg(am_site_write(site, dir.ptr, NULL) == 0, "%s", am_error_last());
	return am_buf_detach(&dir);
}

static char *page(const char *dir, const char *name)
{
	size_t len;
	return test_read(dir, name, &len);
}

START_TEST(test_pages)
{
	am_site *site = NULL;
	ck_assert_msg(am_site_build(&site, fx.repo.ptr, audits, 2, NULL) == 0, "%s", am_error_last());
	/* The index, two audit pages, four findings' pages. */
	ck_assert_uint_eq(am_site_pages(site), 1 + (1 + 3) + (1 + 1));
	char *dir = write_site(site, "site");
	static const char *const names[] = { "index.html",	    "docs-audit/index.html", "docs-audit/f1.html",
					     "docs-audit/f2.html",  "docs-audit/f3.html",    "docs-audit-2/index.html",
					     "docs-audit-2/f1.html" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		free(page(dir, names[i]));

	/* The index: a card an audit, linked to its page. */
	char *index = page(dir, "index.html");
	ck_assert_ptr_nonnull(strstr(index, "href=\"docs-audit/index.html\""));
	ck_assert_ptr_nonnull(strstr(index, "href=\"docs-audit-2/index.html\""));
	ck_assert_ptr_nonnull(strstr(index, "data-open=\"3\" data-closed=\"0\""));
	ck_assert_ptr_null(strstr(index, "<script"));
	free(index);

	/* Leak: one page across its renumbering and its new title. */
	char *leak = page(dir, "docs-audit/f2.html");
	ck_assert_ptr_nonnull(strstr(leak, "data-kind=\"added\""));
	ck_assert_ptr_nonnull(strstr(leak, "<b>number</b>: <span class=\"was\">#1</span> → #2"));
	ck_assert_ptr_nonnull(
		strstr(leak, "<b>title</b>: <span class=\"was\">Leak</span> → Memory leak in <code>parse</code>"));
	ck_assert_ptr_nonnull(strstr(leak, "href=\"../index.html\""));
	free(leak);

	/* Crash: added, closed (and renumbered), reopened. */
	char *crash = page(dir, "docs-audit/f3.html");
	const char *at = crash;
	static const char *const kinds[] = { "added", "resolved", "regressed" };
	for (size_t i = 0; i < 3; i++) {
		char want[64];
		snprintf(want, sizeof(want), "data-kind=\"%s\"", kinds[i]);
		at = strstr(at, want);
		ck_assert_msg(at != NULL, "%s not found in its place", kinds[i]);
	}
	ck_assert_ptr_null(strstr(crash, "data-kind=\"changed\""));
	free(crash);
	free(dir);
	am_site_free(site);
}
END_TEST

/* The same repository, the same bytes: built and written twice. */
START_TEST(test_same_bytes)
{
	am_site *a = NULL, *b = NULL;
	am_site_options o = AM_SITE_OPTIONS_INIT;
	o.threads = 1;
	ck_assert_int_eq(am_site_build(&a, fx.repo.ptr, audits, 2, NULL), 0);
	ck_assert_int_eq(am_site_build(&b, fx.repo.ptr, audits, 2, &o), 0);
	char *da = write_site(a, "a"), *db = write_site(b, "b");
	static const char *const names[] = { "index.html", "docs-audit/index.html", "docs-audit/f2.html" };
	for (size_t i = 0; i < 3; i++) {
		size_t la, lb;
		char *pa = test_read(da, names[i], &la), *pb = test_read(db, names[i], &lb);
		ck_assert_msg(la == lb && memcmp(pa, pb, la) == 0, "%s differs", names[i]);
		free(pa);
		free(pb);
	}
	free(da);
	free(db);
	am_site_free(a);
	am_site_free(b);
}
END_TEST

static ino_t inode_of(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	return st.st_ino;
}

/* Written again over a previous site: a page that did not change is a
 * hard link to its file there; a page that did (or whose file there is
 * not a regular file, or not its bytes) is written, and right. */
START_TEST(test_previous)
{
	am_site *site = NULL;
	am_site_options o = AM_SITE_OPTIONS_INIT;
	ck_assert_int_eq(am_site_build(&site, fx.repo.ptr, audits, 2, NULL), 0);
	char *old = write_site(site, "old");
	/* One page stale, one replaced by a link to a file of the same bytes. */
	char path[4200], *f1 = page(old, "docs-audit/f1.html");
	snprintf(path, sizeof(path), "%s/docs-audit/f2.html", old);
	FILE *fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs("stale", fp);
	fclose(fp);
	char target[4200];
	snprintf(target, sizeof(target), "%s/f1-copy", fx.dir);
	fp = fopen(target, "wb");
	fputs(f1, fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/docs-audit/f1.html", old);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(symlink(target, path), 0);

	am_buf dir = AM_BUF_INIT;
	am_buf_printf(&dir, "%s/new", fx.dir);
	ck_assert_int_eq(mkdir(dir.ptr, 0777), 0);
	o.previous = old;
	ck_assert_msg(am_site_write(site, dir.ptr, &o) == 0, "%s", am_error_last());
	/* Unchanged: the same files. */
	ck_assert(inode_of(dir.ptr, "index.html") == inode_of(old, "index.html"));
	ck_assert(inode_of(dir.ptr, "docs-audit/f3.html") == inode_of(old, "docs-audit/f3.html"));
	ck_assert(inode_of(dir.ptr, "docs-audit-2/index.html") == inode_of(old, "docs-audit-2/index.html"));
	/* Stale there: written anew, with the page's bytes. */
	ck_assert(inode_of(dir.ptr, "docs-audit/f2.html") != inode_of(old, "docs-audit/f2.html"));
	char *f2 = page(dir.ptr, "docs-audit/f2.html");
	ck_assert_ptr_nonnull(strstr(f2, "Memory leak in <code>parse</code>"));
	/* A link there, even to the right bytes: not followed, written anew. */
	char *f1_new = page(dir.ptr, "docs-audit/f1.html");
	ck_assert_str_eq(f1_new, f1);
	struct stat st;
	ck_assert_int_eq(stat(target, &st), 0);
	ck_assert(inode_of(dir.ptr, "docs-audit/f1.html") != st.st_ino);
	/* No previous site at all: every page written. */
	o.previous = "/nonexistent-auditmd-site";
	am_buf_printf(&dir, "2");
	ck_assert_int_eq(mkdir(dir.ptr, 0777), 0);
	ck_assert_msg(am_site_write(site, dir.ptr, &o) == 0, "%s", am_error_last());
	char *again = page(dir.ptr, "docs-audit/f2.html");
	ck_assert_str_eq(again, f2);
	free(again);
	free(f1);
	free(f1_new);
	free(f2);
	free(old);
	am_buf_free(&dir);
	am_site_free(site);
}
END_TEST

/* Stops the writing at the third page asked about (from either thread). */
static int stop(void *payload)
{
	int *calls = payload;
	return __atomic_add_fetch(calls, 1, __ATOMIC_SEQ_CST) > 2;
}

/* The files under dir, recursively. */
static int count_files(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "find '%s' -type f | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

START_TEST(test_errors)
{
	am_site *site = NULL;
	am_site_options o = AM_SITE_OPTIONS_INIT;
	const char *gone[] = { "docs/GONE.md" };
	ck_assert_int_lt(am_site_build(&site, fx.repo.ptr, gone, 1, NULL), 0);
	ck_assert_ptr_null(site);
	ck_assert_ptr_nonnull(strstr(am_error_last(), "docs/GONE.md"));
	o.rev = "no-such-rev";
	ck_assert_int_lt(am_site_build(&site, fx.repo.ptr, audits, 2, &o), 0);
	ck_assert_ptr_null(site);
	o.rev = NULL;
	o.version = 99;
	ck_assert_int_eq(am_site_build(&site, fx.repo.ptr, audits, 2, &o), AM_EUSAGE);
	o.version = AM_SITE_OPTIONS_VERSION;

	ck_assert_int_eq(am_site_build(&site, fx.repo.ptr, audits, 2, NULL), 0);
	/* A directory that is not there. */
	am_buf dir = AM_BUF_INIT;
	am_buf_printf(&dir, "%s/none/site", fx.dir);
	ck_assert_int_eq(am_site_write(site, dir.ptr, NULL), AM_EIO);
	ck_assert_ptr_nonnull(strstr(am_error_last(), "none/site"));
	/* Stopped between pages: at the third page asked about, two are
	 * written; on two threads the other thread's page in hand may be
	 * asked about too (and not written), and no page after. */
	for (unsigned threads = 1; threads < 3; threads++) {
		int calls = 0;
		o.cancelled = stop;
		o.payload = &calls;
		o.threads = threads == 1 ? 1 : 0;
		am_buf_clear(&dir);
		am_buf_printf(&dir, "%s/stopped%u", fx.dir, threads);
		ck_assert_int_eq(mkdir(dir.ptr, 0777), 0);
		ck_assert_int_eq(am_site_write(site, dir.ptr, &o), AM_ERROR);
		ck_assert_str_eq(am_error_last(), "interrupted");
		/* The two pages whose asking came first are written. */
		ck_assert_int_eq(count_files(dir.ptr), 2);
		if (threads == 1) {
			ck_assert_int_eq(calls, 3);
		} else {
			ck_assert_int_ge(calls, 3);
			ck_assert_int_le(calls, 4);
		}
	}
	am_buf_free(&dir);
	am_site_free(site);
	am_site_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("site");
	TCase *tc = tcase_create("site");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pages);
	tcase_add_test(tc, test_same_bytes);
	tcase_add_test(tc, test_previous);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
