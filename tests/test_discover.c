/* Which files of a repository are audits (am_discover_audits), in a
 * repository the test builds: the Markdown files that compile to findings
 * with evidence, or the configuration's list; at another revision; and
 * the errors. */
#include <check.h>
#include <string.h>

#include "auditmd/discover.h"
#include "testrepo.h"

static test_fixture fx;

#define AUDIT "# A\\n\\n### 1) Leak\\n- Status: Open\\n- Evidence: `src/a.py:1`\\n"

/*
 * c1 docs/AUDIT.md, audits/b.markdown, audits/NOTES.MD (audits), README.md
 *    (prose), plan.md (a finding, no evidence), .github/x.md (hidden),
 *    src/a.py, link.md (a symbolic link to docs/AUDIT.md)
 * c2 .auditmd.json lists docs/AUDIT.md and two patterns
 * c3 .auditmd.json lists a file that is not there
 * c4 .auditmd.json's "audits" is no list
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p docs audits .github src\n"
	"printf '" AUDIT "' >docs/AUDIT.md\n"
	"printf '" AUDIT "' >audits/b.markdown\n"
	"printf '" AUDIT "' >audits/NOTES.MD\n"
	"printf '" AUDIT "' >.github/x.md\n"
	"printf '# Readme\\n\\nSee `src/a.py:1`.\\n' >README.md\n"
	"printf '# Plan\\n\\n### 1) Later\\n- Status: Open\\n' >plan.md\n"
	"echo 'x = 1' >src/a.py\n"
	"ln -s docs/AUDIT.md link.md\n"
	"git add -A && commit 2026-01-10T12:00:00Z 'first' && id c1\n"
	"echo '{\"audits\": [\"docs/AUDIT.md\", \"audits/*.md\", \"docs/*.md\"]}' >.auditmd.json\n"
	"printf '" AUDIT "' >audits/c.md\n"
	"git add -A && commit 2026-01-11T12:00:00Z 'listed' && id c2\n"
	"echo '{\"audits\": [\"docs/GONE.md\"]}' >.auditmd.json\n"
	"git add -A && commit 2026-01-12T12:00:00Z 'gone' && id c3\n"
	"echo '{\"audits\": \"docs/AUDIT.md\"}' >.auditmd.json\n"
	"git add -A && commit 2026-01-13T12:00:00Z 'bad' && id c4\n";

static void setup(void)
{
	test_fixture_build(&fx, fixture);
}

static void teardown(void)
{
	test_fixture_free(&fx);
}

static const struct {
	const char *rev;
	int rc;
	const char *paths; /* "a;b;", or the message's part when rc < 0 */
} cases[] = {
	/* Markdown with evidence, any case of the extension; not a link, not
	 * a hidden directory's, not prose or a finding without evidence. */
	{ "HEAD~3", 0, "audits/NOTES.MD;audits/b.markdown;docs/AUDIT.md;" },
	/* The list: paths and patterns ("*" stays in its directory), each file
	 * once, sorted. */
	{ "HEAD~2", 0, "audits/c.md;docs/AUDIT.md;" },
	{ "HEAD~1", AM_ENOTFOUND, "lists docs/GONE.md, which is not a file of the repository" },
	{ "HEAD", AM_EPARSE, "\"audits\" must be a list of paths" },
	{ "no-such-rev", AM_ENOTFOUND, "no-such-rev" },
};

START_TEST(test_discover)
{
	am_discover_options o = AM_DISCOVER_OPTIONS_INIT;
	char **paths = NULL;
	size_t n = 0;
	o.rev = cases[_i].rev;
	int rc = am_discover_audits(&paths, &n, fx.repo.ptr, &o);
	ck_assert_msg(rc == cases[_i].rc, "rc %d: %s", rc, am_error_last());
	if (rc < 0) {
		ck_assert_ptr_null(paths);
		ck_assert_msg(strstr(am_error_last(), cases[_i].paths) != NULL, "%s", am_error_last());
		return;
	}
	am_buf got = AM_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		am_buf_printf(&got, "%s;", paths[i]);
	ck_assert_str_eq(am_buf_cstr(&got), cases[_i].paths);
	am_buf_free(&got);
	am_discover_free(paths, n);
}
END_TEST

START_TEST(test_errors)
{
	char **paths = (char **)1;
	size_t n = 9;
	am_discover_options o = AM_DISCOVER_OPTIONS_INIT;
	ck_assert_int_eq(am_discover_audits(&paths, &n, "/", NULL), AM_EGIT);
	ck_assert_ptr_null(paths);
	ck_assert_uint_eq(n, 0);
	o.version = 99;
	ck_assert_int_eq(am_discover_audits(&paths, &n, fx.repo.ptr, &o), AM_EUSAGE);
	/* Files over the size limit are not audits. */
	o.version = AM_DISCOVER_OPTIONS_VERSION;
	o.rev = "HEAD~3";
	o.max_size = 10;
	ck_assert_int_eq(am_discover_audits(&paths, &n, fx.repo.ptr, &o), 0);
	ck_assert_uint_eq(n, 0);
	am_discover_free(paths, n);
	am_discover_free(NULL, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("discover");
	TCase *tc = tcase_create("discover");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	TEST_LOOP(tc, test_discover, cases);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
