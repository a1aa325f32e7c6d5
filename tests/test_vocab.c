/* Status and level vocabularies. */
#include <check.h>
#include <string.h>

#include "vocab.h"

static const struct {
	const char *text;
	am_status status;
} status_rows[] = {
	{ "Resolved.", AM_STATUS_RESOLVED },
	{ "✅ COMPLETED", AM_STATUS_RESOLVED },
	{ "Fixed in abc123", AM_STATUS_RESOLVED },
	{ "Not fixed yet", AM_STATUS_OPEN },
	{ "Unresolved", AM_STATUS_OPEN },
	{ "TODO", AM_STATUS_OPEN },
	{ "⏳ Pending review", AM_STATUS_OPEN },
	{ "In progress", AM_STATUS_IN_PROGRESS },
	{ "🚧 WIP", AM_STATUS_IN_PROGRESS },
	{ "Partially fixed", AM_STATUS_IN_PROGRESS },
	{ "Won't fix", AM_STATUS_WONTFIX },
	{ "Acknowledged by the team", AM_STATUS_WONTFIX },
	{ "Accepted risk", AM_STATUS_WONTFIX },
	{ "Cannot be done via code", AM_STATUS_OPEN },
	{ "Cannot be fixed in code", AM_STATUS_OPEN },
	{ "not yet fully resolved", AM_STATUS_OPEN },
	{ "Never fixed", AM_STATUS_OPEN },
	{ "Fixed, not deployed", AM_STATUS_RESOLVED },
	{ "[PASS]", AM_STATUS_RESOLVED },
	{ "RECLASSIFIED", AM_STATUS_WONTFIX },
	{ "None found", AM_STATUS_WONTFIX },
	{ "prefixed words like reopenable do not count", AM_STATUS_UNKNOWN },
	{ "", AM_STATUS_UNKNOWN },
};

START_TEST(test_status)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	am_status st = am_vocab__status(&m, status_rows[_i].text, strlen(status_rows[_i].text), NULL, NULL);
	ck_assert_msg(st == status_rows[_i].status, "%s: got %s", status_rows[_i].text, am_status_name(st));
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

static const struct {
	const char *text;
	am_priority priority;
	am_severity severity;
} level_rows[] = {
	{ "High", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
	{ "🔴 Critical", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
	{ "P2", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
	{ "low (nice to have)", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
	{ "Informational", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
	{ "highly unlikely", AM_PRIORITY_NONE, AM_SEVERITY_NONE },
};

START_TEST(test_level)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_priority p = AM_PRIORITY_NONE;
	am_severity s = AM_SEVERITY_NONE;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	am_vocab__level(&m, level_rows[_i].text, strlen(level_rows[_i].text), &p, &s);
	ck_assert_int_eq(p, level_rows[_i].priority);
	ck_assert_int_eq(s, level_rows[_i].severity);
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

START_TEST(test_extend)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab_add(v, AM_VOCAB_RESOLVED, "Shipped to prod"), 0);
	ck_assert_int_eq(am_vocab_add(v, AM_VOCAB_RESOLVED, ""), AM_EUSAGE);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	ck_assert_int_eq(am_vocab__status(&m, "shipped to PROD", 15, NULL, NULL), AM_STATUS_RESOLVED);
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vocab");
	TCase *tc = tcase_create("vocab");
	tcase_add_loop_test(tc, test_status, 0, sizeof(status_rows) / sizeof(status_rows[0]));
	tcase_add_loop_test(tc, test_level, 0, sizeof(level_rows) / sizeof(level_rows[0]));
	tcase_add_test(tc, test_extend);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
