/* The configuration file (config.c): what each member does, and the one
 * error a bad configuration gets, naming the file and what is wrong, the
 * first in document order (the vocabulary before "lint"). */
#include <check.h>
#include <string.h>

#include "auditmd/config.h"
#include "testutil.h"

static const struct {
	const char *config;
	int rc;
	const char *error; /* the message, or its beginning (ending in ':') */
} rows[] = {
	{ "{}", 0, "" },
	{ "{\"vocabulary\": {\"resolved\": [\"Shipped\"], \"open\": []}}", 0, "" },
	{ "{\"lint\": {\"disable\": [\"no-date\"]}}", 0, "" },
	{ "{\"lint\": {}}", 0, "" },
	{ "not json", AM_EPARSE, "c.json:1:" },
	{ "\"a string\"", AM_EPARSE, "c.json:1:" }, /* an object or array at the top */
	{ "{\"lint\": {}, \"lint\": {}}", AM_EPARSE, "c.json:1:" },
	{ "{\"vocabulary\": {\"open\": [\"a\\u0000b\"]}}", AM_EPARSE, "c.json:1:" },
	{ "[1]", AM_EPARSE, "c.json:1:1: the configuration must be a JSON object" },
	{ "{\"vocabulary\": []}", AM_EPARSE, "c.json: \"vocabulary\" must be an object of lists" },
	{ "{\"vocabulary\": {\"fixed\": [\"x\"]}}", AM_EPARSE, "c.json: unknown vocabulary list \"fixed\"" },
	{ "{\"vocabulary\": {\"open\": \"x\"}}", AM_EPARSE,
	  "c.json: vocabulary \"open\" must be a list of strings" },
	{ "{\"vocabulary\": {\"open\": [\"a\", 3]}}", AM_EPARSE,
	  "c.json: vocabulary \"open\" item 2 must be a string of 1 to 200 bytes" },
	{ "{\"vocabulary\": {\"open\": [\"\"]}}", AM_EPARSE,
	  "c.json: vocabulary \"open\" item 1 must be a string of 1 to 200 bytes" },
	{ "{\"lint\": {\"disable\": [\"no-date\"], \"x\": 1}}", AM_EPARSE,
	  "c.json: \"lint\" must be {\"disable\": [rule ids]}" },
	{ "{\"lint\": {\"disable\": \"no-date\"}}", AM_EPARSE,
	  "c.json: \"lint\" must be {\"disable\": [rule ids]}" },
	{ "{\"lint\": {\"disable\": [1]}}", AM_EPARSE, "c.json: lint \"disable\" item 1 must be a rule id" },
	{ "{\"lint\": 5, \"vocabulary\": {\"nope\": []}}", AM_EPARSE,
	  "c.json: unknown vocabulary list \"nope\"" },
	{ "{\"vocabulary\": {\"open\": [\"x\"], \"nope\": 1, \"wontfix\": 2}}", AM_EPARSE,
	  "c.json: unknown vocabulary list \"nope\"" },
	{ "{\"audits\": [\"docs/AUDIT.md\"]}", 0, "" },
	{ "{\"audits\": \"docs/AUDIT.md\"}", AM_EPARSE, "c.json: \"audits\" must be a list of paths" },
	{ "{\"audits\": [\"a.md\", \"\"]}", AM_EPARSE,
	  "c.json: \"audits\" item 2 must be a path of 1 to 4096 bytes" },
	{ "{\"audits\": [7]}", AM_EPARSE, "c.json: \"audits\" item 1 must be a path of 1 to 4096 bytes" },
	/* Patterns too (am_discover_audits reads them). */
	{ "{\"audits\": [\"docs/AUDIT.md\", \"audits/review-*.md\"]}", 0, "" },
};

START_TEST(test_config_rows)
{
	am_vocab *v = NULL;
	am_vocab_new(&v);
	const char *cfg = rows[_i].config, *want = rows[_i].error;
	am_error_clear();
	int rc = am_config_load(v, cfg, strlen(cfg), "c.json");
	ck_assert_msg(rc == rows[_i].rc, "%s: %d (%s)", cfg, rc, am_error_last());
	size_t n = strlen(want);
	if (n && want[n - 1] == ':')
		ck_assert_msg(!strncmp(am_error_last(), want, n), "%s: '%s'", cfg, am_error_last());
	else if (rc < 0)
		ck_assert_str_eq(am_error_last(), want);
	am_vocab_free(v);
}
END_TEST

/* A term reaches the compiler (rules switched off reach the linter:
 * test_lint.c). */
START_TEST(test_config_takes_effect)
{
	const char *cfg = "{\"vocabulary\": {\"resolved\": [\"Zorbled\"]}}";
	const char *md = "# A\n### 1) Leak\n- Status: Zorbled\n";
	am_compile_options o = AM_COMPILE_OPTIONS_INIT;
	am_report *r[2] = { NULL, NULL };
	am_vocab *v = NULL;
	am_vocab_new(&v);
	ck_assert_int_eq(am_config_load(v, cfg, strlen(cfg), "c.json"), 0);
	for (int k = 0; k < 2; k++) {
		o.vocab = k ? v : NULL;
		ck_assert_int_eq(am_compile(&r[k], md, strlen(md), &o), 0);
		ck_assert_int_eq(r[k]->findings[0].status == AM_STATUS_RESOLVED, k);
		am_report_free(r[k]);
	}
	am_vocab_free(v);
}
END_TEST

/* "audits": the paths, in order, for auditmd check. */
START_TEST(test_config_audits)
{
	const char *cfg = "{\"audits\": [\"docs/AUDIT.md\", \"security/REVIEW.md\"]}";
	am_vocab *v = NULL;
	size_t n = 9;
	am_vocab_new(&v);
	ck_assert_ptr_null(am_vocab_audits(v, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(am_config_load(v, cfg, strlen(cfg), "c.json"), 0);
	const char *const *audits = am_vocab_audits(v, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(audits[0], "docs/AUDIT.md");
	ck_assert_str_eq(audits[1], "security/REVIEW.md");
	am_vocab_free(v);
}
END_TEST

/* Without a source name the messages say "<config>". */
START_TEST(test_config_unnamed)
{
	am_vocab *v = NULL;
	am_vocab_new(&v);
	ck_assert_int_eq(am_config_load(v, "[]", 2, NULL), AM_EPARSE);
	ck_assert_str_eq(am_error_last(), "<config>:1:1: the configuration must be a JSON object");
	am_vocab_free(v);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	tcase_add_loop_test(tc, test_config_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_config_takes_effect);
	tcase_add_test(tc, test_config_unnamed);
	tcase_add_test(tc, test_config_audits);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
