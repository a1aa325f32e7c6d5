/* The date recogniser. */
#include <check.h>
#include <string.h>

#include "date.h"

static const struct {
	const char *text;
	const char *iso; /* NULL: no date */
} rows[] = {
	{ "2026-01-16", "2026-01-16" },
	{ "Date: 2026/1/5", "2026-01-05" },
	{ "October 30, 2025", "2025-10-30" },
	{ "Oct 30 2025", "2025-10-30" },
	{ "January 21st, 2026", "2026-01-21" },
	{ "30 October 2025", "2025-10-30" },
	{ "Sept. 3, 2024", "2024-09-03" },
	{ "January 2026", "2026-01-01" },
	{ "Session: 2026-02-01 - Production", "2026-02-01" },
	{ "2026-02-30 then 2026-03-01", "2026-03-01" },
	{ "2025-02-29", NULL },
	{ "2024-02-29", "2024-02-29" },
	{ "version 10.42 2022", NULL },
	{ "no date here", NULL },
	{ "12345-01-01", NULL },
};

START_TEST(test_find)
{
	am_date_matcher m;
	char out[11] = "";
	ck_assert_int_eq(am_date__matcher_init(&m), 0);
	int found = am_date__find(&m, rows[_i].text, strlen(rows[_i].text), out);
	if (rows[_i].iso) {
		ck_assert_msg(found, "%s: no date found", rows[_i].text);
		ck_assert_str_eq(out, rows[_i].iso);
	} else {
		ck_assert_msg(!found, "%s: found %s", rows[_i].text, out);
	}
	am_date__matcher_free(&m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("find");
	tcase_add_loop_test(tc, test_find, 0, sizeof(rows) / sizeof(rows[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
