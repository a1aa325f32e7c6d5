/* The verifier's pure parts: path normalisation (the guard against reading
 * outside the repository) and following line ranges through a diff. */
#include <check.h>
#include <string.h>

#include "auditmd/verify.h"
#include "testutil.h"
#include "verify_int.h"

static const struct {
	const char *in, *out;
	int rc;
} paths[] = {
	{ "src/app.py", "src/app.py", 0 },
	{ "./src/app.py", "src/app.py", 0 },
	{ "src/./app.py", "src/app.py", 0 },
	{ "src//app.py", "src/app.py", 0 },
	{ "src/lib/../app.py", "src/app.py", 0 },
	{ "src\\win\\app.py", "src/win/app.py", 0 },
	{ "../etc/passwd", "", -1 },
	{ "../../etc/passwd", "", -1 },
	{ "src/../../etc/passwd", "", -1 },
	{ "a/b/../../../x", "", -1 },
	{ "/etc/passwd", "", -1 },
	{ "\\etc\\passwd", "", -1 },
	{ "C:\\Windows\\win.ini", "", -1 },
	{ "c:/boot.ini", "", -1 },
	{ "~/.ssh/id_rsa", "", -1 },
	{ "./", "", -2 },
	{ "src/..", "", -2 },
	{ "..foo/bar", "..foo/bar", 0 },
};

START_TEST(test_normalise)
{
	am_buf b = AM_BUF_INIT;
	int rc = am_verify__normalise_path(&b, paths[_i].in);
	ck_assert_int_eq(rc, paths[_i].rc);
	if (rc == 0)
		ck_assert_str_eq(am_buf_cstr(&b), paths[_i].out);
	am_buf_free(&b);
}
END_TEST

/* Hunks without context, as git reports them. */
static const am_git_hunk insert_3_after_0[] = { { 0, 0, 1, 3 } };
static const am_git_hunk delete_2_at_5[] = { { 5, 2, 4, 0 } };
static const am_git_hunk edit_line_25[] = { { 25, 1, 25, 1 } };
static const am_git_hunk truncate_after_150[] = { { 151, 110, 150, 0 } };
static const am_git_hunk insert_inside[] = { { 12, 0, 13, 2 } };
static const am_git_hunk insert_after_end[] = { { 20, 0, 21, 2 } };
static const am_git_hunk replace_all[] = { { 10, 11, 10, 4 } };
static const am_git_hunk two_before[] = { { 1, 1, 1, 3 }, { 4, 2, 6, 0 } };

static const struct {
	const char *name;
	const am_git_hunk *hunks;
	size_t nhunks;
	uint32_t s, e;
	int rc;
	uint32_t ns, ne;
} ranges[] = {
	{ "no hunks", NULL, 0, 10, 20, 0, 10, 20 },
	{ "lines inserted above", insert_3_after_0, 1, 10, 20, 0, 13, 23 },
	{ "lines deleted above", delete_2_at_5, 1, 10, 20, 0, 8, 18 },
	{ "edit inside", edit_line_25, 1, 15, 33, 1, 0, 0 },
	{ "edit below", edit_line_25, 1, 1, 20, 0, 1, 20 },
	{ "edit on the first line", edit_line_25, 1, 25, 30, 1, 0, 0 },
	{ "edit on the last line", edit_line_25, 1, 20, 25, 1, 0, 0 },
	{ "truncated below the range", truncate_after_150, 1, 200, 236, 2, 0, 0 },
	{ "truncated through the range", truncate_after_150, 1, 140, 160, 1, 0, 0 },
	{ "truncated after the range", truncate_after_150, 1, 100, 150, 0, 100, 150 },
	{ "insertion inside", insert_inside, 1, 10, 20, 1, 0, 0 },
	{ "insertion after the last line", insert_after_end, 1, 10, 20, 0, 10, 20 },
	{ "replaced by other lines", replace_all, 1, 10, 20, 1, 0, 0 },
	{ "two hunks above", two_before, 2, 10, 12, 0, 10, 12 },
};

START_TEST(test_map_range)
{
	am_git_delta d = { 0 };
	d.status = AM_GIT_DELTA_MODIFIED;
	d.hunks = (am_git_hunk *)ranges[_i].hunks;
	d.nhunks = ranges[_i].nhunks;
	uint32_t ns = 0, ne = 0;
	int rc = am_verify__map_range(&d, ranges[_i].s, ranges[_i].e, &ns, &ne);
	ck_assert_msg(rc == ranges[_i].rc, "%s: got %d", ranges[_i].name, rc);
	if (rc == 0) {
		ck_assert_uint_eq(ns, ranges[_i].ns);
		ck_assert_uint_eq(ne, ranges[_i].ne);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(am_verify_state_name(AM_VERIFY_OUT_OF_RANGE), "out_of_range");
	ck_assert_str_eq(am_verify_state_name(AM_VERIFY_MALFORMED), "malformed");
	ck_assert_str_eq(am_verify_warning_name(AM_VERIFY_WARN_UNCONFIRMED), "unconfirmed");
	ck_assert_str_eq(am_asof_reason_name(AM_ASOF_REVISION), "revision");
	ck_assert(am_verify_state_is_error(AM_VERIFY_DELETED));
	ck_assert(!am_verify_state_is_error(AM_VERIFY_CHANGED));
}
END_TEST

/* The candidates of an ambiguous citation, as every format writes them. */
START_TEST(test_candidates_text)
{
	const char *two[] = { "a/util.py", "b/util.py" };
	am_verify_result r = { 0 };
	char *text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "");
	free(text);
	r.candidates = two;
	r.ncandidates = r.candidates_total = 2;
	text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "a/util.py, b/util.py");
	free(text);
	r.candidates_total = 100000;
	text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "a/util.py, b/util.py and 99998 more");
	free(text);
}
END_TEST

START_TEST(test_not_a_repository)
{
	am_report *r = test_compile_str("### 1) X\n- Evidence: `a.py:1`\n");
	am_verify *v = NULL;
	am_verify_options o = AM_VERIFY_OPTIONS_INIT;
	o.repo = "/";
	ck_assert_int_eq(am_verify_run(&v, r, &o), AM_EGIT);
	ck_assert_ptr_null(v);
	ck_assert(strstr(am_error_last(), "not a git repository") != NULL);
	am_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");
	tcase_add_loop_test(tc, test_normalise, 0, sizeof(paths) / sizeof(paths[0]));
	tcase_add_loop_test(tc, test_map_range, 0, sizeof(ranges) / sizeof(ranges[0]));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_candidates_text);
	tcase_add_test(tc, test_not_a_repository);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
