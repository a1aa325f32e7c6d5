/* The citation grammar, one row per form. */
#include <check.h>
#include <string.h>

#include "cite.h"

static const struct {
	const char *text;
	const char *expected; /* "path:start-end;..." with malformed marked "!" */
} rows[] = {
	{ "apps/api/app/core/deps.py:298-312 and apps/api/app/main.py:284-296 use",
	  "apps/api/app/core/deps.py:298-312;apps/api/app/main.py:284-296;" },
	{ "`api/auth.py` (lines 246-255)", "api/auth.py:246-255;" },
	{ "`x.ts` (Line 37)", "x.ts:37-37;" },
	{ "src/a.py:10–52", "src/a.py:10-52;" },
	{ "src/a.py#L10-L20", "src/a.py:10-20;" },
	{ "`Vault.sol:L120-L145` and Vault.sol:L7", "Vault.sol:120-145;Vault.sol:7-7;" },
	{ "see https://github.com/o/r/blob/main/src/a.py#L10-L20 now", "src/a.py:10-20;" },
	{ "https://gitlab.com/g/p/-/blob/v1/lib/x.rb#L4", "lib/x.rb:4-4;" },
	{ "http://localhost:8080/index.html and memory:// and redis://h:6379", "" },
	{ "kalshi/api.py:129, 175, 224", "kalshi/api.py:129-129;kalshi/api.py:175-175;kalshi/api.py:224-224;" },
	{ "path/file.py:12, 30-34", "path/file.py:12-12;path/file.py:30-34;" },
	{ "`asyncio.run` and Next.js and settings.FRONTEND_URL e.g. v3.11 at 10:30", "" },
	{ "apps/web/app/(app)/layout.tsx:1-49", "apps/web/app/(app)/layout.tsx:1-49;" },
	{ "app/[slug]/page.tsx:3", "app/[slug]/page.tsx:3-3;" },
	{ "../../etc/passwd:1 and /etc/passwd:1", "../../etc/passwd:1-1;/etc/passwd:1-1;" },
	{ "a.py:0", "a.py:0-0!;" },
	{ "b.py:52-10", "b.py:52-10!;" },
	{ "c.py:999999999999999999999999999999", "c.py:0-0!;" },
	{ "`d.py:`", "d.py:0-0!;" },
	{ "snag.jl:203", "snag.jl:203-203;" },
	{ "tests/test_x.py::test_y", "tests/test_x.py:0-0;" },
	{ "Dockerfile:3 and .env.example", "Dockerfile:3-3;.env.example:0-0;" },
	{ "the file main.py.", "main.py:0-0;" },
	{ "archive.tar.gz is not code", "" },
	{ "main.py, line 12", "main.py:12-12;" },
	{ "`apps/backend/src/main.py` (line 48)", "apps/backend/src/main.py:48-48;" },
	{ "user@example.com", "" },
};

static int collect(const am_cite_hit *hit, void *payload)
{
	void **p = payload;
	am_buf *out = p[0];
	const char *text = p[1];
	am_buf_put(out, text + hit->path_off, hit->path_len);
	am_buf_printf(out, ":%u-%u%s;", hit->start, hit->end, hit->malformed ? "!" : "");
	return 0;
}

/* Scans text with the built-in vocabulary; cb appends to out. */
static void scan(const char *text, am_cite_cb cb, am_buf *out)
{
	am_vocab *v;
	am_cite_scanner sc;
	void *payload[2] = { out, (void *)text };
	ck_assert_int_eq(am_vocab_new(&v), 0);
	ck_assert_int_eq(am_cite__scanner_init(&sc, v), 0);
	ck_assert_int_eq(am_cite__scan(&sc, text, strlen(text), cb, payload), 0);
	am_cite__scanner_free(&sc);
	am_vocab_free(v);
}

START_TEST(test_grammar)
{
	am_buf out = AM_BUF_INIT;
	scan(rows[_i].text, collect, &out);
	ck_assert_msg(!strcmp(am_buf_cstr(&out), rows[_i].expected), "%s: got '%s', want '%s'",
		      rows[_i].text, am_buf_cstr(&out), rows[_i].expected);
	am_buf_free(&out);
}
END_TEST

START_TEST(test_custom_extension)
{
	am_vocab *v;
	am_cite_scanner sc;
	am_buf out = AM_BUF_INIT;
	const char *text = "see model.foo:3";
	void *payload[2] = { &out, (void *)text };

	ck_assert_int_eq(am_vocab_new(&v), 0);
	ck_assert_int_eq(am_vocab_add(v, AM_VOCAB_EXTENSIONS, "foo"), 0);
	ck_assert_int_eq(am_cite__scanner_init(&sc, v), 0);
	am_cite__scan(&sc, text, strlen(text), collect, payload);
	ck_assert_str_eq(am_buf_cstr(&out), "model.foo:3-3;");
	am_buf_free(&out);
	am_cite__scanner_free(&sc);
	am_vocab_free(v);
}
END_TEST

/* Where each range's numbers are written, for rewriting them in place
 * (auditmd fix): "start|end;" per hit, as the text spells them. */
static const struct {
	const char *text, *expected;
} spans[] = {
	{ "src/a.py:10-52 ", "10|52;" },
	{ "src/a.py#L10-L20", "10|20;" },
	{ "`x.ts` (Line 37)", "37|;" },
	{ "path/file.py:12, 30-34", "12|;30|34;" },
	{ "see https://github.com/o/r/blob/main/src/a.py#L10-L20 now", "10|20;" },
	{ "src/a.py:10 – 52", "10|52;" },
	{ "【F:src/a.py†L3-L9】", "3|9;" },
	{ "the whole main.py.", "|;" },
};

static int collect_spans(const am_cite_hit *hit, void *payload)
{
	void **p = payload;
	am_buf *out = p[0];
	const char *text = p[1];
	am_buf_put(out, text + hit->start_off, hit->start_len);
	am_buf_putc(out, '|');
	am_buf_put(out, text + hit->end_off, hit->end_len);
	am_buf_putc(out, ';');
	return 0;
}

START_TEST(test_number_spans)
{
	am_buf out = AM_BUF_INIT;
	scan(spans[_i].text, collect_spans, &out);
	ck_assert_msg(!strcmp(am_buf_cstr(&out), spans[_i].expected), "%s: got '%s', want '%s'",
		      spans[_i].text, am_buf_cstr(&out), spans[_i].expected);
	am_buf_free(&out);
}
END_TEST

/* A citation written back: the form every output uses. */
static const struct {
	const char *path;
	uint32_t start, end;
	const char *spec;
} specs[] = {
	{ "src/a.py", 10, 52, "src/a.py:10-52" },
	{ "src/a.py", 48, 48, "src/a.py:48" },
	{ "Dockerfile", 0, 0, "Dockerfile" },
};

START_TEST(test_spec)
{
	char *spec = am_citation_spec(specs[_i].path, specs[_i].start, specs[_i].end);
	ck_assert_str_eq(spec, specs[_i].spec);
	free(spec);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cite");
	TCase *tc = tcase_create("grammar");
	tcase_add_loop_test(tc, test_grammar, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_loop_test(tc, test_number_spans, 0, sizeof(spans) / sizeof(spans[0]));
	tcase_add_test(tc, test_custom_extension);
	tcase_add_loop_test(tc, test_spec, 0, sizeof(specs) / sizeof(specs[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
