/* Files read by revision and path (revision.h), against a repository the
 * test builds with fixed authors and dates: an audit read as REV:PATH, and
 * the configuration found next to it in that revision's tree. */
#include <check.h>
#include <string.h>

#include "testrepo.h"

static test_fixture fx;

/*
 * c1 2026-01-10   docs/sub/AUDIT.md, docs/.auditmd.json (no-date off),
 *                 .auditmd.json (duplicate-id off), other/.auditmd.json
 *                 (malformed), dir/.auditmd.json/ (a directory),
 *                 big/.auditmd.json (over 1 MiB), empty.md
 * c2 2026-01-12   docs/.auditmd.json removed, the audit edited
 */
static const char fixture[] =
	"git init -q -b main repo && cd repo\n"
	"mkdir -p docs/sub other dir/.auditmd.json dir/sub big\n"
	"printf '# Audit\\n\\n### 1) First\\n- Status: Open\\n' >docs/sub/AUDIT.md\n"
	"echo '{\"lint\": {\"disable\": [\"no-date\"]}}' >docs/.auditmd.json\n"
	"echo '{\"lint\": {\"disable\": [\"duplicate-id\"]}}' >.auditmd.json\n"
	"echo '{' >other/.auditmd.json\n"
	"echo x >dir/.auditmd.json/keep\n"
	"{ printf '{\"x\": \"'; head -c 1100000 /dev/zero | tr '\\000' a; printf '\"}\\n'; } >big/.auditmd.json\n"
	": >empty.md\n"
	"git add -A\n"
	"commit 2026-01-10T12:00:00Z 'first'\n"
	"git rm -q docs/.auditmd.json\n"
	"printf -- '- Note: later\\n' >>docs/sub/AUDIT.md\n"
	"git add -A\n"
	"commit 2026-01-12T12:00:00Z 'second'\n";

static void setup(void)
{
	test_fixture_build(&fx, fixture);
}

static void teardown(void)
{
	test_fixture_free(&fx);
}

/* ---- am_revision_read ------------------------------------------------------------ */

static const struct {
	const char *rev, *path;
	size_t max;
	int rc;
	const char *content; /* the whole file, when rc is 0 */
} reads[] = {
	{ "HEAD~1", "docs/sub/AUDIT.md", 0, 0, "# Audit\n\n### 1) First\n- Status: Open\n" },
	{ "HEAD", "docs/sub/AUDIT.md", 0, 0, "# Audit\n\n### 1) First\n- Status: Open\n- Note: later\n" },
	{ "HEAD", "empty.md", 0, 0, "" },
	{ "HEAD", "docs/sub/AUDIT.md", 10, AM_ELIMIT, NULL },
	{ "HEAD", "docs/.auditmd.json", 0, AM_ENOTFOUND, NULL }, /* removed in c2 */
	{ "no-such-rev", "docs/sub/AUDIT.md", 0, AM_ENOTFOUND, NULL },
	{ "HEAD", "docs", 0, AM_EPARSE, NULL }, /* a directory */
};

START_TEST(test_read_file)
{
	char *text = (char *)"stale";
	size_t len = 99;
	am_error_clear();
	int rc = am_revision_read(&text, &len, fx.repo.ptr, reads[_i].rev, reads[_i].path, reads[_i].max);
	ck_assert_msg(rc == reads[_i].rc, "%s:%s: rc %d (%s)", reads[_i].rev, reads[_i].path, rc,
		      am_error_last());
	if (rc == 0) {
		ck_assert_ptr_nonnull(text);
		ck_assert_str_eq(text, reads[_i].content);
		ck_assert_uint_eq(len, strlen(reads[_i].content));
	} else {
		ck_assert_ptr_null(text);
		ck_assert_uint_eq(len, 0);
		ck_assert_msg(strstr(am_error_last(), reads[_i].path) || strstr(am_error_last(), reads[_i].rev),
			      "the message names the file or revision: %s", am_error_last());
	}
	free(text);
}
END_TEST

START_TEST(test_read_not_a_repository)
{
	char *text = NULL;
	size_t len = 0;
	ck_assert_int_eq(am_revision_read(&text, &len, "/", "HEAD", "a.md", 0), AM_EGIT);
	ck_assert_ptr_null(text);
	ck_assert(*am_error_last());
}
END_TEST

/* ---- am_revision_config_load ------------------------------------------------------ */

static const struct {
	const char *rev, *path;
	int rc;
	int no_date, duplicate_id; /* the rules still on after loading */
} configs[] = {
	/* the nearest file wins, and it alone is read */
	{ "HEAD~1", "docs/sub/AUDIT.md", 0, 0, 1 },
	{ "HEAD~1", "docs/AUDIT.md", 0, 0, 1 },
	/* docs/.auditmd.json is gone at HEAD: the root's */
	{ "HEAD", "docs/sub/AUDIT.md", 0, 1, 0 },
	{ "HEAD", "AUDIT.md", 0, 1, 0 },
	/* a directory of that name is passed over */
	{ "HEAD", "dir/sub/AUDIT.md", 0, 1, 0 },
	{ "HEAD", "other/AUDIT.md", AM_EPARSE, 1, 1 },
	{ "HEAD", "big/AUDIT.md", AM_ELIMIT, 1, 1 },
	/* an unknown revision has nothing to load (reading the audit says why) */
	{ "no-such-rev", "docs/sub/AUDIT.md", 0, 1, 1 },
};

START_TEST(test_config)
{
	am_vocab *vocab = NULL;
	ck_assert_int_eq(am_vocab_new(&vocab), 0);
	am_error_clear();
	int rc = am_revision_config_load(vocab, fx.repo.ptr, configs[_i].rev, configs[_i].path);
	ck_assert_msg(rc == configs[_i].rc, "%s:%s: rc %d (%s)", configs[_i].rev, configs[_i].path, rc,
		      am_error_last());
	if (rc == 0) {
		ck_assert_str_eq(am_error_last(), "");
		ck_assert_int_eq(am_vocab_rule_enabled(vocab, "no-date"), configs[_i].no_date);
		ck_assert_int_eq(am_vocab_rule_enabled(vocab, "duplicate-id"), configs[_i].duplicate_id);
	} else {
		/* The message names the file as REV:FILE. */
		ck_assert_msg(strstr(am_error_last(), ".auditmd.json") != NULL, "%s", am_error_last());
	}
	am_vocab_free(vocab);
}
END_TEST

START_TEST(test_config_not_a_repository)
{
	am_vocab *vocab = NULL;
	ck_assert_int_eq(am_vocab_new(&vocab), 0);
	ck_assert_int_eq(am_revision_config_load(vocab, "/", "HEAD", "docs/AUDIT.md"), 0);
	ck_assert_str_eq(am_error_last(), "");
	ck_assert_int_eq(am_vocab_rule_enabled(vocab, "no-date"), 1);
	am_vocab_free(vocab);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("revision");
	TCase *tc = tcase_create("revision");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	TEST_LOOP(tc, test_read_file, reads);
	tcase_add_test(tc, test_read_not_a_repository);
	TEST_LOOP(tc, test_config, configs);
	tcase_add_test(tc, test_config_not_a_repository);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
