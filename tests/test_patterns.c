/* The PCRE2 wrapper: compiling (and refusing) patterns, matches with their
 * groups and offsets, the flags, quoting, and the bound on backtracking. */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "patterns.h"
#include "testutil.h"

#define NONE SIZE_MAX

/* One match: rc is what am_re_match returns; g0 and g1 the byte offsets of
 * the whole match and of group 1 (NONE when it did not take part). */
static const struct {
	const char *pattern;
	uint32_t flags;
	const char *subject;
	size_t offset;
	int rc;
	size_t g0s, g0e, g1s, g1e;
} matches[] = {
	{ "b+", 0, "abbbc", 0, 1, 1, 4, NONE, NONE },
	{ "x", 0, "abc", 0, 0, 0, 0, 0, 0 },
	{ "(\\w+)\\.py:(\\d+)", 0, "see app.py:42 now", 0, 3, 4, 13, 4, 7 },
	{ "(a)|(b)", 0, "b", 0, 3, 0, 1, NONE, NONE },
	{ "a", 0, "a-a", 1, 1, 2, 3, NONE, NONE },
	{ "a", 0, "a-a", 3, 0, 0, 0, 0, 0 },          /* offset at the end */
	{ "a", 0, "a-a", 4, 0, 0, 0, 0, 0 },          /* offset past the end */
	{ "^b", 0, "a\nb", 0, 0, 0, 0, 0, 0 },        /* ^ is the subject's start */
	{ "^b", AM_RE_MULTILINE, "a\nb", 0, 1, 2, 3, NONE, NONE },
	{ "status", 0, "STATUS", 0, 0, 0, 0, 0, 0 },
	{ "status", AM_RE_CASELESS, "STATUS", 0, 1, 0, 6, NONE, NONE },
	{ "café", AM_RE_CASELESS, "CAFÉ", 0, 1, 0, 5, NONE, NONE }, /* UTF-8 case folding */
	{ "a.b", 0, "axb", 0, 1, 0, 3, NONE, NONE },
	{ "a.b", AM_RE_LITERAL, "axb", 0, 0, 0, 0, 0, 0 },
	{ "a.b", AM_RE_LITERAL, "xa.b", 0, 1, 1, 4, NONE, NONE },
	{ "(x", AM_RE_LITERAL, "a(x", 0, 1, 1, 3, NONE, NONE }, /* not a syntax error when literal */
	{ "^.$", 0, "é", 0, 1, 0, 2, NONE, NONE },   /* one character, two bytes */
	{ "(é+)", 0, "xééy", 0, 2, 1, 5, 1, 5 },
};

START_TEST(test_match)
{
	am_re *re = NULL;
	am_re_group g[2] = { { 7, 7 }, { 7, 7 } };
	const char *s = matches[_i].subject;
	ck_assert_int_eq(am_re_new(&re, matches[_i].pattern, matches[_i].flags), 0);
	int rc = am_re_match(re, s, strlen(s), matches[_i].offset, g, 2);
	ck_assert_msg(rc == matches[_i].rc, "/%s/ on '%s': rc %d", matches[_i].pattern, s, rc);
	if (rc > 0) {
		ck_assert_uint_eq(g[0].start, matches[_i].g0s);
		ck_assert_uint_eq(g[0].end, matches[_i].g0e);
		ck_assert_uint_eq(g[1].start, matches[_i].g1s);
		ck_assert_uint_eq(g[1].end, matches[_i].g1e);
		ck_assert(am_re_has(&g[0]));
		ck_assert(am_re_has(&g[1]) == (matches[_i].g1s != NONE));
	}
	am_re_free(re);
}
END_TEST

/* Only `len` bytes are the subject, whatever follows them. */
START_TEST(test_match_len)
{
	am_re *re = NULL;
	am_re_group g[1];
	ck_assert_int_eq(am_re_new(&re, "end$", 0), 0);
	ck_assert_int_eq(am_re_match(re, "the end of it", 7, 0, g, 1), 1);
	ck_assert_uint_eq(g[0].start, 4);
	ck_assert_int_eq(am_re_match(re, "the end of it", 13, 0, g, 1), 0);
	am_re_free(re);
}
END_TEST

/* A group that did not take part, among several. */
START_TEST(test_groups)
{
	am_re *re = NULL;
	am_re_group g[4];
	ck_assert_int_eq(am_re_new(&re, "(a)?(b)(c)?", 0), 0);
	int rc = am_re_match(re, "b", 1, 0, g, 4);
	ck_assert_int_eq(rc, 3); /* up to group 2, the last one set */
	ck_assert(!am_re_has(&g[1]));
	ck_assert(am_re_has(&g[2]));
	ck_assert_uint_eq(g[2].start, 0);
	ck_assert(!am_re_has(&g[3]));
	/* Asking for fewer groups than the pattern has. */
	ck_assert_int_gt(am_re_match(re, "abc", 3, 0, g, 1), 0);
	ck_assert_uint_eq(g[0].end, 3);
	am_re_free(re);
}
END_TEST

/* Every match in turn, each search starting where the last one ended. */
START_TEST(test_scan)
{
	am_re *re = NULL;
	am_re_group g[2];
	const char *s = "a.py:1 b.c:22 c.rs:333";
	am_buf found = AM_BUF_INIT;
	ck_assert_int_eq(am_re_new(&re, "\\w+\\.\\w+:(\\d+)", 0), 0);
	for (size_t at = 0; am_re_match(re, s, strlen(s), at, g, 2) > 0; at = g[0].end)
		am_buf_printf(&found, "%.*s;", (int)(g[1].end - g[1].start), s + g[1].start);
	ck_assert_str_eq(am_buf_cstr(&found), "1;22;333;");
	am_buf_free(&found);
	am_re_free(re);
}
END_TEST

static const struct {
	const char *pattern;
	const char *offset; /* "at offset N" in the message */
} bad[] = {
	{ "(unclosed", "at offset 9" },
	{ "[z-a]", "at offset 3" },
	{ "a{2,1}", "at offset 5" },
	{ "*", "at offset 0" },
	{ "\\", "at offset 1" },
	{ "(?<n>a)(?<n>b)", "at offset 12" },
};

START_TEST(test_bad_pattern)
{
	am_re *re = (am_re *)1;
	am_error_clear();
	ck_assert_int_eq(am_re_new(&re, bad[_i].pattern, 0), AM_EPARSE);
	ck_assert_ptr_null(re);
	ck_assert_msg(strstr(am_error_last(), bad[_i].offset) != NULL, "/%s/: %s", bad[_i].pattern,
		      am_error_last());
	ck_assert(strncmp(am_error_last(), "pattern error", 13) == 0);
}
END_TEST

/* Catastrophic backtracking ends at the match limit with AM_ELIMIT, not
 * after 2^40 steps. */
START_TEST(test_match_limit)
{
	am_re *re = NULL;
	am_re_group g[1];
	char s[64];
	memset(s, 'a', 40);
	s[40] = '!';
	s[41] = '\0';
	ck_assert_int_eq(am_re_new(&re, "^(a+)+$", 0), 0);
	am_error_clear();
	ck_assert_int_eq(am_re_match(re, s, strlen(s), 0, g, 1), AM_ELIMIT);
	ck_assert(strstr(am_error_last(), "pattern match failed") != NULL);
	/* The same object matches again afterwards. */
	ck_assert_int_gt(am_re_match(re, "aaa", 3, 0, g, 1), 0);
	ck_assert_uint_eq(g[0].end, 3);
	am_re_free(re);
}
END_TEST

/* Quoting: the exact text, and a pattern that matches the string itself
 * (spaces as any run of white space) and nothing else. */
static const struct {
	const char *in, *quoted, *also, *not;
} quotes[] = {
	{ "plain", "plain", "plain", "plaim" },
	{ "a.b", "a\\.b", "a.b", "axb" },
	{ "f(x)*2", "f\\(x\\)\\*2", "f(x)*2", "fxx2" },
	{ "[a]{1}^$|?+\\", "\\[a\\]\\{1\\}\\^\\$\\|\\?\\+\\\\", "[a]{1}^$|?+\\", "a" },
	{ "two words", "two\\s+words", "two \t words", "twowords" },
	{ "#1 a/b-c", "#1\\s+a/b-c", "#1 a/b-c", "#1 a/bxc" },
	{ "café ✅", "café\\s+✅", "café  ✅", "cafe ✅" },
};

START_TEST(test_quote)
{
	am_buf b = AM_BUF_INIT;
	am_re *re = NULL;
	am_re_group g[1];
	am_re_quote(&b, quotes[_i].in, strlen(quotes[_i].in));
	ck_assert_str_eq(am_buf_cstr(&b), quotes[_i].quoted);
	am_buf_putc(&b, '$');
	am_buf t = AM_BUF_INIT;
	am_buf_printf(&t, "^%s", b.ptr);
	ck_assert_int_eq(am_re_new(&re, t.ptr, 0), 0);
	ck_assert_int_eq(am_re_match(re, quotes[_i].in, strlen(quotes[_i].in), 0, g, 1), 1);
	ck_assert_int_eq(am_re_match(re, quotes[_i].also, strlen(quotes[_i].also), 0, g, 1), 1);
	ck_assert_int_eq(am_re_match(re, quotes[_i].not, strlen(quotes[_i].not), 0, g, 1), 0);
	am_re_free(re);
	am_buf_free(&t);
	am_buf_free(&b);
}
END_TEST

/* Two of one pattern share its compiled code but not their matches; the
 * same pattern with other flags is another one; either may go first. */
START_TEST(test_shared)
{
	am_re *a = NULL, *b = NULL, *c = NULL;
	am_re_group g[2];
	ck_assert_int_eq(am_re_new(&a, "(\\d+)", 0), 0);
	ck_assert_int_eq(am_re_new(&b, "(\\d+)", 0), 0);
	ck_assert_int_eq(am_re_new(&c, "status", AM_RE_CASELESS), 0);
	ck_assert_int_eq(am_re_match(a, "x12", 3, 0, g, 2), 2);
	ck_assert_int_eq(am_re_match(b, "345y", 4, 0, g, 2), 2);
	ck_assert_uint_eq(g[1].start, 0);
	ck_assert_uint_eq(g[1].end, 3);
	am_re_free(a); /* the other keeps matching */
	ck_assert_int_eq(am_re_match(b, "ab7", 3, 0, g, 2), 2);
	ck_assert_uint_eq(g[1].start, 2);
	am_re *d = NULL;
	ck_assert_int_eq(am_re_new(&d, "status", 0), 0);
	ck_assert_int_eq(am_re_match(c, "STATUS", 6, 0, g, 1), 1);
	ck_assert_int_eq(am_re_match(d, "STATUS", 6, 0, g, 1), 0); /* not the caseless one */
	am_re_free(c);
	am_re_free(b);
	ck_assert_int_eq(am_re_new(&a, "(\\d+)", 0), 0); /* made again once all are gone */
	ck_assert_int_eq(am_re_match(a, "9", 1, 0, g, 2), 2);
	am_re_free(a);
	am_re_free(d);
}
END_TEST

/* Threads making, matching and freeing one pattern at once. */
static void *match_many(void *arg)
{
	long *found = arg;
	am_re_group g[2];
	char s[32];
	for (int i = 0; i < 200; i++) {
		am_re *re = NULL;
		if (am_re_new(&re, "app\\.py:(\\d+)", 0) != 0)
			return NULL;
		int n = snprintf(s, sizeof(s), "see app.py:%d", i);
		if (am_re_match(re, s, (size_t)n, 0, g, 2) == 2 && g[1].end - g[1].start == (size_t)(n - 11))
			(*found)++;
		am_re_free(re);
	}
	return NULL;
}

START_TEST(test_shared_threads)
{
	pthread_t t[4];
	long found[4] = { 0 };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, match_many, &found[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(found[i], 200);
	}
}
END_TEST

START_TEST(test_version)
{
	char v[64] = "";
	am_re_version(v, sizeof(v));
	ck_assert_msg(strncmp(v, "10.", 3) == 0, "PCRE2 version '%s'", v);
	char small[4];
	am_re_version(small, sizeof(small)); /* cut, still terminated */
	ck_assert_str_eq(small, "10.");
	am_re_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("patterns");
	TCase *tc = tcase_create("patterns");
	TEST_LOOP(tc, test_match, matches);
	tcase_add_test(tc, test_match_len);
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_scan);
	TEST_LOOP(tc, test_bad_pattern, bad);
	tcase_add_test(tc, test_match_limit);
	TEST_LOOP(tc, test_quote, quotes);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_shared_threads);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
