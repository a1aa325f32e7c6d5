/* The libraries libauditmd uses, with the versions they report. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/auditmd.h"

START_TEST(test_libraries)
{
	static const char *const names[] = { "cmark-gfm", "libgit2", "PCRE2", "Jansson" };
	am_library libs[8];
	ck_assert_uint_eq(am_libraries(libs, 8), 4);
	for (size_t i = 0; i < 4; i++) {
		int major = -1, minor = -1;
		ck_assert_str_eq(libs[i].name, names[i]);
		/* "0.29.0.gfm.13", "1.5.1", "10.42 2022-12-11", "2.14" */
		ck_assert_msg(sscanf(libs[i].version, "%d.%d", &major, &minor) == 2 && major >= 0 &&
				      minor >= 0,
			      "%s: '%s'", libs[i].name, libs[i].version);
	}
}
END_TEST

/* Fewer entries than there are: as many as fit, and the count of all. */
START_TEST(test_fewer)
{
	am_library libs[2] = { { "untouched", "" }, { "untouched", "" } };
	ck_assert_uint_eq(am_libraries(libs, 1), 4);
	ck_assert_str_eq(libs[0].name, "cmark-gfm");
	ck_assert_str_eq(libs[1].name, "untouched");
	ck_assert_uint_eq(am_libraries(NULL, 0), 4);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("libraries");
	TCase *tc = tcase_create("libraries");
	tcase_add_test(tc, test_libraries);
	tcase_add_test(tc, test_fewer);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
