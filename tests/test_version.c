/* Versions (version.c): the library's from meson.build through the
 * generated header, and those of the libraries it is built on, as loaded. */
#include <check.h>
#include <cmark-gfm_version.h>
#include <git2/version.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "auditmd/common.h"
#include "testutil.h"

START_TEST(test_version)
{
	const char *want = getenv("AM_PROJECT_VERSION");
	ck_assert_msg(want != NULL, "AM_PROJECT_VERSION is set by tests/meson.build");
	ck_assert_str_eq(am_version(), want);
	ck_assert_str_eq(AUDITMD_VERSION, want);
	char parts[64];
	snprintf(parts, sizeof(parts), "%d.%d.%d", AUDITMD_VERSION_MAJOR, AUDITMD_VERSION_MINOR,
		 AUDITMD_VERSION_PATCH);
	ck_assert_str_eq(parts, want);
}
END_TEST

/* The four libraries in order, each with the version this test was built
 * against (the same packages are loaded). */
START_TEST(test_library_versions)
{
	am_library_version v[AM_LIBRARY_VERSIONS + 1];
	char pcre[32];
	memset(v, 0, sizeof(v));
	v[AM_LIBRARY_VERSIONS].name = "untouched";
	ck_assert_uint_eq(am_library_versions(v, AM_LIBRARY_VERSIONS + 1), AM_LIBRARY_VERSIONS);
	ck_assert_str_eq(v[0].name, "cmark-gfm");
	ck_assert_str_eq(v[0].version, CMARK_GFM_VERSION_STRING);
	ck_assert_str_eq(v[1].name, "libgit2");
	ck_assert_str_eq(v[1].version, LIBGIT2_VERSION);
	ck_assert_str_eq(v[2].name, "PCRE2");
	snprintf(pcre, sizeof(pcre), "%d.%d ", PCRE2_MAJOR, PCRE2_MINOR);
	ck_assert_msg(!strncmp(v[2].version, pcre, strlen(pcre)), "PCRE2 '%s'", v[2].version);
	ck_assert_str_eq(v[3].name, "Jansson");
	ck_assert_str_eq(v[3].version, JANSSON_VERSION);
	ck_assert_str_eq(v[AM_LIBRARY_VERSIONS].name, "untouched");
}
END_TEST

/* Fewer slots than libraries: those are filled, the count says more. */
START_TEST(test_library_versions_fewer_slots)
{
	am_library_version v[2] = { { "untouched", "" }, { "untouched", "" } };
	ck_assert_uint_eq(am_library_versions(NULL, 0), AM_LIBRARY_VERSIONS);
	ck_assert_uint_eq(am_library_versions(v, 1), AM_LIBRARY_VERSIONS);
	ck_assert_str_eq(v[0].name, "cmark-gfm");
	ck_assert_str_eq(v[1].name, "untouched");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version");
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_library_versions);
	tcase_add_test(tc, test_library_versions_fewer_slots);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
