/* The library's own utilities: the growable buffer, spans, the arena, the
 * string set and map, the hash, UTF-8 trimming, number parsing and the error
 * slot. */
#include <check.h>
#include <math.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

/* ---- buffers ------------------------------------------------------------------ */

START_TEST(test_buf_appends)
{
	am_buf b = AM_BUF_INIT;
	ck_assert_str_eq(am_buf_cstr(&b), "");
	am_buf_put(&b, "ab", 2);
	am_buf_putc(&b, 'c');
	am_buf_puts(&b, "de");
	am_buf_printf(&b, "-%d-%s", 42, "x");
	ck_assert_str_eq(b.ptr, "abcde-42-x");
	ck_assert_uint_eq(b.size, 10);
	ck_assert_uint_gt(b.asize, b.size); /* room for the NUL */
	am_buf_put(&b, "", 0);
	ck_assert_uint_eq(b.size, 10);
	am_buf_truncate(&b, 3);
	ck_assert_str_eq(b.ptr, "abc");
	am_buf_truncate(&b, 99); /* longer than the content: no change */
	ck_assert_str_eq(b.ptr, "abc");
	am_buf_clear(&b);
	ck_assert_str_eq(b.ptr, "");
	ck_assert_uint_eq(b.size, 0);
	am_buf_free(&b);
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.asize, 0);
}
END_TEST

/* A megabyte byte by byte, then as one printf: every byte lands, the NUL
 * follows. */
START_TEST(test_buf_grows)
{
	am_buf b = AM_BUF_INIT;
	for (size_t i = 0; i < (1u << 20); i++)
		am_buf_putc(&b, 'a' + (int)(i % 26));
	ck_assert_uint_eq(b.size, 1u << 20);
	ck_assert_int_eq(b.ptr[b.size], '\0');
	for (size_t i = 0; i < b.size; i += 4099)
		ck_assert_int_eq(b.ptr[i], 'a' + (int)(i % 26));
	am_buf_clear(&b);
	char big[70000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	am_buf_printf(&b, "<%s>", big);
	ck_assert_uint_eq(b.size, sizeof(big) + 1);
	ck_assert_int_eq(b.ptr[0], '<');
	ck_assert_int_eq(b.ptr[b.size - 1], '>');
	ck_assert_uint_eq(strlen(b.ptr), b.size);
	am_buf_free(&b);
}
END_TEST

START_TEST(test_buf_rtrim_detach)
{
	am_buf b = AM_BUF_INIT;
	am_buf_rtrim(&b); /* nothing allocated: no crash */
	am_buf_puts(&b, "  text \t\r\n\v\f ");
	am_buf_rtrim(&b);
	ck_assert_str_eq(b.ptr, "  text");
	char *s = am_buf_detach(&b);
	ck_assert_str_eq(s, "  text");
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.size, 0);
	free(s);
	s = am_buf_detach(&b); /* an empty buffer detaches as "" */
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* Bytes kept in a URI path: unreserved characters and '/'; the rest %XX. */
static const struct {
	const char *path, *uri;
} uri_paths[] = {
	{ "src/app.py", "src/app.py" },
	{ "a-b_c.d~e/f", "a-b_c.d~e/f" },
	{ "with space.md", "with%20space.md" },
	{ "q?x#y&z=%", "q%3Fx%23y%26z%3D%25" },
	{ "café.py", "caf%C3%A9.py" },
	{ "<script>", "%3Cscript%3E" },
	{ "", "" },
};

START_TEST(test_buf_uri_path)
{
	am_buf b = AM_BUF_INIT;
	am_buf_put_uri_path(&b, uri_paths[_i].path);
	ck_assert_str_eq(am_buf_cstr(&b), uri_paths[_i].uri);
	am_buf_free(&b);
}
END_TEST

/* ---- spans -------------------------------------------------------------------- */

static const struct {
	const char *in, *trimmed;
} trims[] = {
	{ "", "" },
	{ "   ", "" },
	{ "word", "word" },
	{ " \t two words \r\n", "two words" },
	{ "\v\fx\f\v", "x" },
	{ "a\xc2\xa0", "a\xc2\xa0" }, /* NBSP is not ASCII white space */
};

START_TEST(test_span_trim)
{
	am_span s = am_span_trim(am_span_from(trims[_i].in));
	ck_assert_uint_eq(s.len, strlen(trims[_i].trimmed));
	ck_assert(s.len == 0 || memcmp(s.ptr, trims[_i].trimmed, s.len) == 0);
}
END_TEST

static const struct {
	const char *a, *b;
	bool eq, ieq;
} span_pairs[] = {
	{ "", "", true, true },
	{ "Status", "Status", true, true },
	{ "Status", "status", false, true },
	{ "STATUS", "status", false, true },
	{ "Status", "Statu", false, false },
	{ "Ä", "ä", false, false }, /* ASCII only */
	{ "a[", "A{", false, false }, /* '[' | 0x20 == '{': not letters */
	{ "@", "`", false, false },
};

START_TEST(test_span_eq)
{
	am_span a = am_span_from(span_pairs[_i].a), b = am_span_from(span_pairs[_i].b);
	ck_assert_msg(am_span_eq(a, b) == span_pairs[_i].eq, "eq(%s, %s)", span_pairs[_i].a,
		      span_pairs[_i].b);
	ck_assert_msg(am_span_ieq(a, b) == span_pairs[_i].ieq, "ieq(%s, %s)", span_pairs[_i].a,
		      span_pairs[_i].b);
	ck_assert(am_span_eq(b, a) == span_pairs[_i].eq);
	ck_assert(am_span_ieq(b, a) == span_pairs[_i].ieq);
}
END_TEST

START_TEST(test_span_from)
{
	am_span s = am_span_from(NULL);
	ck_assert_ptr_null(s.ptr);
	ck_assert_uint_eq(s.len, 0);
	s = AM_SPAN("literal");
	ck_assert_uint_eq(s.len, 7);
	ck_assert(am_span_eq(s, am_span_from("literal")));
	ck_assert(am_span_eq(am_span_from(NULL), am_span_from("")));
}
END_TEST

/* ---- arena -------------------------------------------------------------------- */

START_TEST(test_arena)
{
	struct am_arena *a = am_arena_new();
	ck_assert_uint_eq(am_arena_used(a), 0);
	unsigned char *prev = NULL;
	for (size_t n = 1; n < 200; n++) {
		unsigned char *p = am_arena_alloc(a, n);
		ck_assert_uint_eq((uintptr_t)p % 8, 0);
		for (size_t k = 0; k < n; k++)
			ck_assert_uint_eq(p[k], 0);
		memset(p, (int)n, n);
		/* Filling this one left the previous one as it was. */
		if (prev)
			ck_assert_uint_eq(prev[n - 2], n - 1);
		prev = p;
	}
	char *s = am_arena_strndup(a, "abcdef", 3);
	ck_assert_str_eq(s, "abc");
	ck_assert_str_eq(am_arena_strdup(a, "whole"), "whole");
	ck_assert_ptr_null(am_arena_strdup(a, NULL));
	int ints[3] = { 7, 8, 9 };
	int *copy = am_arena_memdup(a, ints, 3, sizeof(int));
	ck_assert_ptr_ne(copy, ints);
	ck_assert_int_eq(copy[2], 9);
	ck_assert_ptr_null(am_arena_memdup(a, ints, 0, sizeof(int)));

	/* A big allocation gets a block of its own; small ones go on filling
	 * the current block. */
	size_t before = am_arena_used(a);
	char *small1 = am_arena_alloc(a, 16);
	char *big = am_arena_alloc(a, 100000);
	char *small2 = am_arena_alloc(a, 16);
	ck_assert_uint_eq(am_arena_used(a), before + 100000);
	ck_assert_ptr_eq(small2, small1 + 16);
	memset(big, 1, 100000);
	ck_assert_int_eq(small1[0], 0);
	ck_assert_int_eq(small2[0], 0);
	am_arena_free(a);
	am_arena_free(NULL);
}
END_TEST

START_TEST(test_arena_adopt)
{
	struct am_arena *dst = am_arena_new(), *src = am_arena_new();
	char *kept = am_arena_strdup(src, "from src");
	size_t used = am_arena_used(src);
	char *d1 = am_arena_alloc(dst, 8);
	am_arena_adopt(dst, src); /* frees src; its strings now live in dst */
	ck_assert_str_eq(kept, "from src");
	ck_assert_uint_eq(am_arena_used(dst), used * 2); /* two blocks of the same size */
	ck_assert_ptr_eq(am_arena_alloc(dst, 8), d1 + 8); /* dst's block keeps serving */
	am_arena_adopt(dst, NULL);
	struct am_arena *empty = am_arena_new();
	am_arena_adopt(dst, empty);
	ck_assert_uint_eq(am_arena_used(dst), used * 2);
	am_arena_free(dst);
}
END_TEST

/* Blocks of the heap an arena owns are freed with it, also after it took
 * another arena's, which owned some too (the sanitizers and valgrind tell a
 * leak or a second free). */
START_TEST(test_arena_own)
{
	struct am_arena *dst = am_arena_new(), *src = am_arena_new(), *none = am_arena_new();
	char *a = am_xstrdup("owned by dst"), *b = am_xmalloc(1 << 20), *c = am_xstrdup("owned by src");
	am_arena_own(dst, a);
	am_arena_own(dst, b);
	am_arena_own(src, c);
	am_arena_own(src, NULL);
	am_arena_adopt(dst, src);
	am_arena_adopt(dst, none);
	ck_assert_str_eq(c, "owned by src");
	ck_assert_str_eq(a, "owned by dst");
	am_arena_free(dst);
}
END_TEST

/* ---- string set and map ------------------------------------------------------- */

#define NKEYS 5000

START_TEST(test_strset)
{
	static char keys[NKEYS][16];
	am_strset set;
	am_strset_init(&set, 0);
	for (int i = 0; i < NKEYS; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%d", i);
		ck_assert(am_strset_add(&set, keys[i]));
	}
	ck_assert_uint_eq(set.n, NKEYS);
	ck_assert_uint_ge(set.cap, 2 * NKEYS); /* at most half full */
	for (int i = 0; i < NKEYS; i++) {
		char again[16];
		snprintf(again, sizeof(again), "key-%d", i);
		ck_assert(am_strset_has(&set, again));
		ck_assert(!am_strset_add(&set, again));
	}
	ck_assert(!am_strset_has(&set, "key-5000"));
	ck_assert(!am_strset_has(&set, ""));
	ck_assert(am_strset_add(&set, ""));
	ck_assert(am_strset_has(&set, ""));
	ck_assert_uint_eq(set.n, NKEYS + 1);
	am_strset_free(&set);
	ck_assert_ptr_null(set.slots);
}
END_TEST

START_TEST(test_strmap)
{
	static char keys[NKEYS][16];
	am_strmap m;
	size_t v = 0;
	am_strmap_init(&m, 4);
	for (size_t i = 0; i < NKEYS; i++) {
		snprintf(keys[i], sizeof(keys[i]), "F%zu", i);
		am_strmap_put(&m, keys[i], i);
	}
	ck_assert_uint_eq(m.n, NKEYS);
	for (size_t i = 0; i < NKEYS; i += 7) {
		ck_assert(am_strmap_get(&m, keys[i], &v));
		ck_assert_uint_eq(v, i);
	}
	am_strmap_put(&m, "F3", 999); /* put keeps the first value */
	ck_assert(am_strmap_get(&m, "F3", &v));
	ck_assert_uint_eq(v, 3);
	am_strmap_set(&m, "F3", 999); /* set replaces it */
	ck_assert(am_strmap_get(&m, "F3", &v));
	ck_assert_uint_eq(v, 999);
	ck_assert_uint_eq(m.n, NKEYS);
	am_strmap_set(&m, "new", 1);
	ck_assert_uint_eq(m.n, NKEYS + 1);
	v = 12345;
	ck_assert(!am_strmap_get(&m, "F5000", &v));
	ck_assert_uint_eq(v, 12345); /* untouched on a miss */
	am_strmap_free(&m);
}
END_TEST

/* ---- hash ------------------------------------------------------------------------ */

/* FNV-1a 64 test vectors (Fowler, Noll, Vo: the reference test suite). */
static const struct {
	const char *in;
	uint64_t h;
} hashes[] = {
	{ "", 0xcbf29ce484222325ULL },
	{ "a", 0xaf63dc4c8601ec8cULL },
	{ "b", 0xaf63df4c8601f1a5ULL },
	{ "foobar", 0x85944171f73967e8ULL },
};

START_TEST(test_hash64)
{
	ck_assert_uint_eq(am_hash64(hashes[_i].in, strlen(hashes[_i].in), AM_HASH_SEED), hashes[_i].h);
}
END_TEST

/* ---- UTF-8 and numbers --------------------------------------------------------------- */

/* An incomplete sequence at the end is cut off; complete ones stay. */
static const struct {
	const char *in, *out;
} utf8_trims[] = {
	{ "", "" },
	{ "plain", "plain" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "caf\xc3", "caf" },
	{ "check \xe2\x9c\x85", "check \xe2\x9c\x85" },
	{ "check \xe2\x9c", "check " },
	{ "check \xe2", "check " },
	{ "x\xf0\x9f\x98\x80", "x\xf0\x9f\x98\x80" },
	{ "x\xf0\x9f\x98", "x" },
	{ "x\xf0\x9f", "x" },
	{ "\xc3", "" },
};

START_TEST(test_utf8_trim)
{
	char s[32];
	snprintf(s, sizeof(s), "%s", utf8_trims[_i].in);
	am_utf8_trim(s);
	ck_assert_str_eq(s, utf8_trims[_i].out);
}
END_TEST

static const struct {
	const char *in;
	uint32_t max;
	bool ok;
	uint32_t v;
} uints[] = {
	{ "0", 10, true, 0 },
	{ "7", 10, true, 7 },
	{ "10", 10, true, 10 },
	{ "11", 10, false, 0 },
	{ "007", 10, true, 7 },
	{ "4294967295", UINT32_MAX, true, UINT32_MAX },
	{ "4294967296", UINT32_MAX, false, 0 },
	{ "99999999999999999999999", UINT32_MAX, false, 0 },
	{ "", 10, false, 0 },
	{ "-1", 10, false, 0 },
	{ "+1", 10, false, 0 },
	{ " 1", 10, false, 0 },
	{ "1a", 10, false, 0 },
	{ "١", 10, false, 0 }, /* ARABIC-INDIC DIGIT ONE: not ASCII */
};

START_TEST(test_parse_uint)
{
	uint32_t v = 4242;
	bool ok = am_parse_uint(uints[_i].in, strlen(uints[_i].in), uints[_i].max, &v);
	ck_assert_msg(ok == uints[_i].ok, "'%s' (max %u)", uints[_i].in, uints[_i].max);
	ck_assert_uint_eq(v, ok ? uints[_i].v : 4242);
}
END_TEST

/* Only `len` bytes are read. */
START_TEST(test_parse_uint_len)
{
	uint32_t v = 0;
	ck_assert(am_parse_uint("12-34", 2, 100, &v));
	ck_assert_uint_eq(v, 12);
	ck_assert(!am_parse_uint("12-34", 3, 100, &v));
}
END_TEST

/* ---- allocation, errors -------------------------------------------------- */

/* Strings in strcmp order (bytes, upper case first); none and one left
 * alone. */
START_TEST(test_sort_strings)
{
	const char *v[] = { "plan.md", "docs/AUDIT.md", "README.md", "docs/a.md", "docs/AUDIT.md" };
	am_sort_strings(v, 5);
	ck_assert_str_eq(v[0], "README.md");
	ck_assert_str_eq(v[1], "docs/AUDIT.md");
	ck_assert_str_eq(v[2], "docs/AUDIT.md");
	ck_assert_str_eq(v[3], "docs/a.md");
	ck_assert_str_eq(v[4], "plan.md");
	am_sort_strings(NULL, 0);
	am_sort_strings(v, 1);
	ck_assert_str_eq(v[0], "README.md");
}
END_TEST

START_TEST(test_grow)
{
	int *arr = NULL;
	size_t cap = 0;
	am_grow((void **)&arr, &cap, 1, sizeof(int));
	ck_assert_uint_ge(cap, 1);
	for (int i = 0; i < 1000; i++) {
		am_grow((void **)&arr, &cap, (size_t)i + 1, sizeof(int));
		arr[i] = i;
	}
	ck_assert_uint_ge(cap, 1000);
	size_t was = cap;
	am_grow((void **)&arr, &cap, 10, sizeof(int)); /* never shrinks */
	ck_assert_uint_eq(cap, was);
	ck_assert_int_eq(arr[999], 999);
	free(arr);
}
END_TEST

/* Lines counted as one byte at a time counts them: every length to 40,
 * newlines at every place, beside bytes one bit away. */
/* am_buf_put_int writes what "%lld" writes, at both ends of the range. */
START_TEST(test_put_int)
{
	static const long long values[] = { 0, 1, -1, 9, 10, -10, 42, 1000000007, -999999999999LL,
					    LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		am_buf b = AM_BUF_INIT;
		char want[32];
		am_buf_puts(&b, "x");
		am_buf_put_int(&b, values[i]);
		snprintf(want, sizeof(want), "x%lld", values[i]);
		ck_assert_str_eq(am_buf_cstr(&b), want);
		am_buf_free(&b);
	}
}
END_TEST

/* "%.1f" as printf writes it: ties (0.25, 0.35, 2.675), values a product
 * by ten rounds across a tenth, signs, zeros, huge and not finite values,
 * and a sweep of chart coordinates. */
START_TEST(test_put_tenths)
{
	static const double values[] = { 0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, -0.25, 2.675, 1.0049999999999999,
					 0.04, -0.04, 0.96, 9.95, 99.95, -99.95, 0.1 + 0.2, 1.2999999999999999,
					 123456.789, 1e11 + 0.05, 1e12, 1e300, -1e300, INFINITY, -INFINITY, NAN };
	char want[400];
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		am_buf b = AM_BUF_INIT;
		am_buf_put_tenths(&b, values[i]);
		snprintf(want, sizeof(want), "%.1f", values[i]);
		ck_assert_msg(!strcmp(am_buf_cstr(&b), want), "%.17g: %s, not %s", values[i], b.ptr, want);
		am_buf_free(&b);
	}
	for (int w = 1; w <= 400; w++)
		for (int i = 0; i <= w; i++) {
			double v = 16.0 + 568.0 * i / w, u = 200.0 * (1.0 - (double)i / w);
			am_buf b = AM_BUF_INIT;
			am_buf_put_tenths(&b, v);
			am_buf_putc(&b, ',');
			am_buf_put_tenths(&b, u);
			snprintf(want, sizeof(want), "%.1f,%.1f", v, u);
			ck_assert_msg(!strcmp(am_buf_cstr(&b), want), "%s, not %s", b.ptr, want);
			am_buf_free(&b);
		}
}
END_TEST

START_TEST(test_count_lines)
{
	char s[40];
	static const char fill[] = { 'a', 0x0B, 0x08, (char)0x8A, 0x0E, 0 };
	for (size_t len = 0; len <= sizeof(s); len++)
		for (size_t f = 0; f < sizeof(fill); f++)
			for (size_t at = 0; at <= len; at++) {
				for (size_t i = 0; i < len; i++)
					s[i] = (i % 7 == 3 || i == at) ? '\n' : fill[f];
				uint32_t want = 0;
				for (size_t i = 0; i < len; i++)
					want += s[i] == '\n';
				want += len && s[len - 1] != '\n';
				ck_assert_msg(am_count_lines(s, len) == want, "len %zu fill %zu at %zu: %u, want %u",
					      len, f, at, am_count_lines(s, len), want);
			}
	ck_assert_uint_eq(am_count_lines("a\nb", 3), 2);
	ck_assert_uint_eq(am_count_lines("a\nb\n", 4), 2);
	ck_assert_uint_eq(am_count_lines("", 0), 0);
	/* More blocks than a lane counts before they are summed, every byte
	 * a line feed, then every third one. */
	size_t big = 255 * 16 * 3 + 21;
	char *t = malloc(big);
	for (size_t k = 0; k < 2; k++) {
		size_t want = 0;
		for (size_t i = 0; i < big; i++) {
			t[i] = !k || i % 3 == 0 ? '\n' : 'x';
			want += t[i] == '\n';
		}
		want += t[big - 1] != '\n';
		ck_assert_uint_eq(am_count_lines(t, big), want);
	}
	free(t);
}
END_TEST

START_TEST(test_error_slot)
{
	am_error_clear();
	ck_assert_str_eq(am_error_last(), "");
	am_error_set("%s:%d: %s", "a.md", 3, "bad");
	ck_assert_str_eq(am_error_last(), "a.md:3: bad");
	/* Cut at the slot's size without splitting a character. */
	am_buf b = AM_BUF_INIT;
	for (int i = 0; i < 1022; i++)
		am_buf_putc(&b, 'a');
	am_buf_puts(&b, "é and more");
	am_error_set("%s", b.ptr);
	ck_assert_uint_eq(strlen(am_error_last()), 1022);
	ck_assert_int_eq(am_error_last()[1021], 'a');
	am_buf_free(&b);
	am_error_clear();
	ck_assert_str_eq(am_error_last(), "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");
	tcase_add_test(tc, test_buf_appends);
	tcase_add_test(tc, test_buf_grows);
	tcase_add_test(tc, test_buf_rtrim_detach);
	TEST_LOOP(tc, test_buf_uri_path, uri_paths);
	TEST_LOOP(tc, test_span_trim, trims);
	TEST_LOOP(tc, test_span_eq, span_pairs);
	tcase_add_test(tc, test_span_from);
	tcase_add_test(tc, test_arena);
	tcase_add_test(tc, test_arena_adopt);
	tcase_add_test(tc, test_arena_own);
	tcase_add_test(tc, test_strset);
	tcase_add_test(tc, test_strmap);
	TEST_LOOP(tc, test_hash64, hashes);
	TEST_LOOP(tc, test_utf8_trim, utf8_trims);
	TEST_LOOP(tc, test_parse_uint, uints);
	tcase_add_test(tc, test_parse_uint_len);
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_sort_strings);
	tcase_add_test(tc, test_error_slot);
	tcase_add_test(tc, test_count_lines);
	tcase_add_test(tc, test_put_int);
	tcase_add_test(tc, test_put_tenths);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
