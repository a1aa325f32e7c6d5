/* Input hygiene: BOM, line endings, encodings, mojibake. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "source.h"

static const struct {
	const char *in;
	size_t len; /* 0: strlen */
	int rc;
	const char *out_or_error; /* normalised text, or a part of the message */
	unsigned repaired;
} rows[] = {
	{ "# A\r\nB\r\n", 0, 0, "# A\nB\n", 0 },
	{ "\xEF\xBB\xBF# A\n", 0, 0, "# A\n", 0 },
	{ "a\rb", 0, 0, "a\nb", 0 },
	{ "ok\nbad \xFF here", 0, AM_EPARSE, "t.md:2:5: invalid UTF-8 (byte 0xFF)", 0 },
	{ "a\nbc\0d", 6, AM_EPARSE, "t.md:2:3: NUL byte", 0 },
	{ "\xFF\xFE#\0", 4, AM_EPARSE, "t.md:1:1: UTF-16", 0 },
	{ "\xC0\xAF", 0, AM_EPARSE, "t.md:1:1: invalid UTF-8 (byte 0xC0)", 0 },     /* overlong */
	{ "\xED\xA0\x80", 0, AM_EPARSE, "t.md:1:1: invalid UTF-8", 0 },             /* surrogate */
	{ "Status: \xC3\xA2\xC5\x93\xE2\x80\xA6 done", 0, 0, "Status: \xE2\x9C\x85 done", 1 }, /* âœ… -> ✅ */
	{ "caf\xC3\x83\xC2\xA9", 0, 0, "caf\xC3\xA9", 1 },                           /* cafÃ© -> café */
	{ "## \xC3\xA2\xC5\xA1\xC2\xA0\xC3\xAF\xC2\xB8 W", 0, 0, "## \xE2\x9A\xA0\xEF\xB8\x8F W", 2 }, /* âš ï¸ */
	{ "\xC4\x9F\xC5\xB8\xE2\x80\xBA x", 0, 0, "\xEF\xBF\xBD x", 1 },            /* ğŸ› lost a byte */
	{ "na\xC3\xAFve \xC3\xA9t\xC3\xA9", 0, 0, "na\xC3\xAFve \xC3\xA9t\xC3\xA9", 0 }, /* real accents stay */
};

START_TEST(test_prepare)
{
	am_buf out = AM_BUF_INIT;
	am_mojibake_info info;
	size_t len = rows[_i].len ? rows[_i].len : strlen(rows[_i].in);
	int rc = am_source__prepare(&out, &info, rows[_i].in, len, "t.md", 1 << 20);

	ck_assert_int_eq(rc, rows[_i].rc);
	if (rc == 0) {
		ck_assert_str_eq(am_buf_cstr(&out), rows[_i].out_or_error);
		ck_assert_uint_eq(info.repaired, rows[_i].repaired);
	} else {
		ck_assert_msg(strstr(am_error_last(), rows[_i].out_or_error) != NULL,
			      "message '%s' lacks '%s'", am_error_last(), rows[_i].out_or_error);
	}
	am_buf_free(&out);
}
END_TEST

START_TEST(test_limit)
{
	am_buf out = AM_BUF_INIT;
	am_mojibake_info info;
	ck_assert_int_eq(am_source__prepare(&out, &info, "0123456789", 10, "big.md", 9), AM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(am_error_last(), "big.md: 10 bytes is over the size limit of 9"));
	am_buf_free(&out);
}
END_TEST

START_TEST(test_clean_input_is_read_in_place)
{
	am_buf out = AM_BUF_INIT;
	am_mojibake_info info;
	const char *text = "# Clean\n\n- [x] done \xE2\x9C\x85\n\tindented";
	ck_assert_int_eq(am_source__prepare(&out, &info, text, strlen(text), "c.md", 1 << 20), 0);
	ck_assert(info.unchanged);
	ck_assert_uint_eq(out.size, 0);
	/* A NUL byte is still found without the copy. */
	ck_assert_int_eq(am_source__prepare(&out, &info, "ab\0", 3, "c.md", 1 << 20), AM_EPARSE);
	am_buf_free(&out);
}
END_TEST

/* The clean-input check looks at sixteen bytes at a time, then eight: a
 * byte that is not printable ASCII is found at every offset of a block and
 * of a word, and the text around it comes out right. */
START_TEST(test_every_offset)
{
	static const struct {
		const char *bytes;
		size_t len;
		int rc;
		bool unchanged;
	} odd[] = {
		{ "\r", 1, 0, false },             /* CR: normalised */
		{ "\x01", 1, 0, false },           /* other controls: the slow path */
		{ "\t", 1, 0, true },
		{ "\n", 1, 0, true },
		{ "\x7f", 1, 0, true },            /* DEL is ASCII */
		{ "\xE2\x9C\x85", 3, 0, true },    /* ✅ */
		{ "\xFF", 1, AM_EPARSE, false },
		{ "\0", 1, AM_EPARSE, false },
	};
	for (size_t k = 0; k < sizeof(odd) / sizeof(odd[0]); k++) {
		for (size_t at = 0; at <= 40; at++) {
			char text[64];
			memset(text, 'a', sizeof(text));
			memcpy(text + at, odd[k].bytes, odd[k].len);
			size_t len = 40 + odd[k].len + (at % 3);
			am_buf out = AM_BUF_INIT;
			am_mojibake_info info;
			int rc = am_source__prepare(&out, &info, text, len, "o.md", 1 << 20);
			ck_assert_msg(rc == odd[k].rc, "byte %zu at %zu: rc %d", k, at, rc);
			if (rc == 0)
				ck_assert_msg(info.unchanged == odd[k].unchanged, "byte %zu at %zu", k, at);
			if (rc < 0) {
				char where[32];
				snprintf(where, sizeof(where), "o.md:1:%zu:", at + 1);
				ck_assert_msg(strstr(am_error_last(), where) != NULL, "'%s' lacks '%s'",
					      am_error_last(), where);
			}
			am_buf_free(&out);
		}
	}
}
END_TEST

/* A truncated string loses its incomplete last character, nothing more. */
static const struct {
	const char *in, *out;
} trims[] = {
	{ "abc", "abc" },
	{ "", "" },
	{ "a\xe2\x9c\x85", "a\xe2\x9c\x85" },
	{ "a\xe2\x9c", "a" },
	{ "a\xe2", "a" },
	{ "\xc3\xa9\xc3", "\xc3\xa9" },
	{ "x\xf0\x9f\x98", "x" },
	{ "x\xf0\x9f\x98\x80", "x\xf0\x9f\x98\x80" },
};

START_TEST(test_utf8_trim)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%s", trims[_i].in);
	am_utf8_trim(buf);
	ck_assert_str_eq(buf, trims[_i].out);
}
END_TEST

/* Lines of tables with too many cells are refused before parsing. The text
 * is PREFIX, REPEAT `count` times, SUFFIX. */
static const struct {
	const char *prefix, *repeat;
	int count;
	const char *suffix;
	const char *error; /* a part of the message, or NULL: accepted */
} tables[] = {
	{ "| a | b |\n|---|---|\n", "|", 129, "\n", "t.md:3:129: a table row with more than 128 cells (the limit)" },
	{ "| a | b |\n|---|---|\n", "|", 128, "\n", NULL },
	{ "| a | b |\n|---|---|\n", "x |", 200, "\n", "t.md:3:387:" },
	{ "", "|", 200, "\n|---|---|\n", "t.md:1:129:" },       /* the header row */
	{ "| a | b |\n", "|-", 200, "|\n", "t.md:2:257:" },      /* the delimiter row */
	{ "para\n\n", "|", 300, "\nmore text\n", NULL },       /* no table */
	{ "```\n", "|", 300, "\n```\n", NULL },                   /* no table */
	{ "| a |\n|---|\n\n", "|", 300, "\n", NULL },             /* a blank line ends it */
	{ "> | a |\n> |---|\n>\n> ", "|", 300, "\n", NULL },      /* so does a quote's */
	{ "> | a |\n> |---|\n> ", "|", 300, "\n", "t.md:3:131:" },
	{ "- | a |\n  |---|\n  ", "|", 300, "\n", "t.md:3:131:" },
	{ "| a |\n|---|\n", "\\|", 300, "\n", NULL },           /* escaped */
	{ "| a |\n|---|\n", "\\\\|", 300, "\n", "t.md:3:387:" }, /* an escaped backslash */
	{ "| a |\r\n|---|\r\n", "|", 300, "\r\n", "t.md:3:129:" }, /* after normalising */
};

START_TEST(test_table_cells)
{
	am_buf in = AM_BUF_INIT, out = AM_BUF_INIT;
	am_mojibake_info info;
	am_buf_puts(&in, tables[_i].prefix);
	for (int k = 0; k < tables[_i].count; k++)
		am_buf_puts(&in, tables[_i].repeat);
	am_buf_puts(&in, tables[_i].suffix);
	int rc = am_source__prepare(&out, &info, in.ptr, in.size, "t.md", 1 << 20);
	if (!tables[_i].error) {
		ck_assert_int_eq(rc, 0);
	} else {
		ck_assert_int_eq(rc, AM_ELIMIT);
		ck_assert_msg(strstr(am_error_last(), tables[_i].error) != NULL, "message '%s' lacks '%s'",
			      am_error_last(), tables[_i].error);
	}
	am_buf_free(&in);
	am_buf_free(&out);
}
END_TEST

/* Control characters made visible for terminals, logs and pages. */
static const struct {
	const char *in;
	size_t len; /* 0: strlen */
	unsigned keep;
	const char *out;
} visibles[] = {
	{ "plain text, caf\xC3\xA9 \xE2\x9C\x85", 0, 0, "plain text, caf\xC3\xA9 \xE2\x9C\x85" },
	{ "a\x1b[8mhidden\x1b[0m", 0, 0, "a\\x1b[8mhidden\\x1b[0m" },
	{ "osc \x1b]52;c;ZWNobw==\x07 end", 0, 0, "osc \\x1b]52;c;ZWNobw==\\x07 end" },
	{ "two\nlines\r\n", 0, 0, "two\\x0alines\\x0d\\x0a" },
	{ "two\nlines\r\n", 0, AM_VISIBLE_NEWLINE, "two\nlines\r\n" },
	{ "tab\there\x7f", 0, 0, "tab\\x09here\\x7f" },
	{ "tab\there", 0, AM_VISIBLE_TAB, "tab\there" },
	{ "nul\0byte", 8, 0, "nul\\x00byte" },
	{ "c1 \xC2\x9B" "31m next \xC2\x85", 0, 0, "c1 \\u009b31m next \\u0085" },
	{ "\xE2\x80\xAE" "evil\xE2\x80\xAC \xE2\x81\xA6" "x\xE2\x81\xA9", 0, 0, "\\u202eevil\\u202c \\u2066x\\u2069" },
	{ "line\xE2\x80\xA8sep\xE2\x80\xA9", 0, 0, "line\\u2028sep\\u2029" },
	{ "\xE2\x80\x8Fmark stays", 0, 0, "\xE2\x80\x8Fmark stays" }, /* U+200F RLM is not an override */
	{ "stray \xFF and \xC3", 0, 0, "stray \\xff and \\xc3" },
	{ "\xE2\x80", 0, 0, "\\xe2\\x80" }, /* a truncated sequence */
};

START_TEST(test_visible)
{
	size_t len = visibles[_i].len ? visibles[_i].len : strlen(visibles[_i].in);
	am_buf b = AM_BUF_INIT;
	am_buf_put_visible(&b, visibles[_i].in, len, visibles[_i].keep);
	ck_assert_str_eq(am_buf_cstr(&b), visibles[_i].out);
	ck_assert_int_eq(am_visible_changes(visibles[_i].in, len, visibles[_i].keep),
			 strcmp(visibles[_i].in, visibles[_i].out) != 0 || len != strlen(visibles[_i].out));
	/* The public copy says the same. */
	char *copy = am_visible(visibles[_i].in, len, visibles[_i].keep);
	ck_assert_str_eq(copy, visibles[_i].out);
	free(copy);
	am_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("prepare");
	tcase_add_loop_test(tc, test_prepare, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_limit);
	tcase_add_test(tc, test_clean_input_is_read_in_place);
	tcase_add_test(tc, test_every_offset);
	tcase_add_loop_test(tc, test_utf8_trim, 0, sizeof(trims) / sizeof(trims[0]));
	tcase_add_loop_test(tc, test_visible, 0, sizeof(visibles) / sizeof(visibles[0]));
	tcase_add_loop_test(tc, test_table_cells, 0, sizeof(tables) / sizeof(tables[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
