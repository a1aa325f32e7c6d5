/* Revisions of an audit compiled with a cache (compile_cache.c, as log.c
 * compiles a history) give what am_compile gives each of them: the JSON
 * model and the diagnostics, on every audit in tests/data and
 * tests/data/recognition, grown, edited and moved; and on a growing audit
 * of many findings, where most of each revision is taken from the cache. */
#include <dirent.h>

#include "compile_cache.h"
#include "testutil.h"

/* The model and the diagnostics of r, as text. */
static char *model_text(const am_report *r)
{
	char *json = NULL;
	am_buf b = AM_BUF_INIT;
	ck_assert_int_eq(am_report_to_json(&json, r, AM_JSON_PRETTY), 0);
	am_buf_puts(&b, json);
	free(json);
	for (size_t i = 0; i < r->ndiags; i++)
		am_buf_printf(&b, "\n%u:%u: %s: %s", r->diags[i].line, r->diags[i].column, r->diags[i].code,
			      r->diags[i].text);
	return am_buf_detach(&b);
}

/* Compiles revs[0..n) of `name` in turn with one cache and checks each
 * against am_compile; returns the units the cache took. */
static size_t check_history(const char *name, const char *const *revs, size_t n)
{
	am_compile_cache *cc = am_compile__cache_new();
	am_report **cached = am_xcalloc(n, sizeof(*cached));
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	opts.source = name;
	for (size_t i = 0; i < n; i++) {
		am_report *plain = NULL;
		int rc = am_compile(&plain, revs[i], strlen(revs[i]), &opts);
		int rcc = am_compile__cached(&cached[i], revs[i], strlen(revs[i]), &opts, cc);
		ck_assert_msg(rc == rcc, "%s, revision %zu: %d, with the cache %d", name, i, rc, rcc);
		if (rc == 0) {
			char *want = model_text(plain), *got = model_text(cached[i]);
			size_t at = 0;
			while (want[at] && want[at] == got[at])
				at++;
			at = at > 80 ? at - 80 : 0;
			ck_assert_msg(!strcmp(want, got), "%s, revision %zu differs with the cache at byte %zu:\n%.160s\n----\n%.160s",
				      name, i, at, want + at, got + at);
			free(want);
			free(got);
		}
		am_report_free(plain);
	}
	size_t taken = am_compile__cache_taken(cc);
	am_compile__cache_free(cc);
	for (size_t i = 0; i < n; i++)
		am_report_free(cached[i]);
	free(cached);
	return taken;
}

/* The byte where the line holding text[at] starts, or ends when at is its
 * end. */
static size_t line_start(const char *text, size_t at)
{
	while (at > 0 && text[at - 1] != '\n')
		at--;
	return at;
}

static char *spliced(const char *text, size_t at, size_t cut, const char *insert)
{
	am_buf b = AM_BUF_INIT;
	am_buf_put(&b, text, at);
	am_buf_puts(&b, insert);
	am_buf_puts(&b, text + at + cut);
	return am_buf_detach(&b);
}

/* An audit's history: its first half, all of it, a finding inserted at
 * the heading nearest the middle (the rest moved by four lines), a status
 * changed, all of it again, the insertion again. */
static void check_fixture(const char *dir, const char *name)
{
	size_t len;
	char *text = test_read(dir, name, &len);
	const char *mid = strstr(text + len / 2, "\n#");
	size_t at = mid ? (size_t)(mid - text) + 1 : len;
	const char *open = strstr(text, "Open");
	char *half = spliced(text, line_start(text, len / 2), len - line_start(text, len / 2), "");
	char *inserted = spliced(text, at, 0, "### 999) Inserted finding\n- Status: Open\n- Evidence: `x.c:9`\n\n");
	char *edited = open ? spliced(text, (size_t)(open - text), 4, "Resolved") : am_xstrdup(text);
	const char *revs[] = { half, text, inserted, edited, text, inserted };

	check_history(name, revs, sizeof(revs) / sizeof(revs[0]));
	free(half);
	free(inserted);
	free(edited);
	free(text);
}

static void check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l > 3 && !strcmp(e->d_name + l - 3, ".md")) {
			check_fixture(dir, e->d_name);
			n++;
		}
	}
	closedir(d);
	ck_assert_msg(n >= 5, "%s: %zu audits", dir, n);
}

START_TEST(test_fixtures)
{
	check_dir(test_data_dir());
}
END_TEST

START_TEST(test_recognition)
{
	am_buf dir = AM_BUF_INIT;
	am_buf_printf(&dir, "%s/recognition", test_data_dir());
	check_dir(dir.ptr);
	am_buf_free(&dir);
}
END_TEST

/* Finding `num` of a growing audit, in one of three shapes: a heading
 * finding, a task, a register row. */
static void growing_finding(am_buf *headings, am_buf *tasks, am_buf *rows, int num, const char *status)
{
	switch (num % 3) {
	case 0:
		am_buf_printf(headings, "### %d) Finding number %d\n- Status: %s\n- Evidence: `src/f%d.c:%d`\n\n"
					"Text of finding %d, because reasons.\n\n",
			      num, num, status, num, num + 1, num);
		break;
	case 1:
		am_buf_printf(tasks, "- [%c] **Task number %d** - fix it in `src/t%d.c:%d`.\n",
			      strcmp(status, "Resolved") ? ' ' : 'x', num, num, num + 2);
		break;
	default:
		am_buf_printf(rows, "| T-%d | Row finding number %d | %s | `src/r%d.c:%d` |\n", num, num, status,
			      num, num + 3);
	}
}

/* Revision `rev` of an audit growing by four findings a revision in four
 * areas, each revision changing the date and one status. */
static char *growing_revision(int rev)
{
	am_buf out = AM_BUF_INIT;
	am_buf_printf(&out, "# GROWING_AUDIT\n\nDate: 2026-01-%02d\n\n", rev + 1);
	for (int area = 0; area < 4; area++) {
		am_buf headings = AM_BUF_INIT, tasks = AM_BUF_INIT, rows = AM_BUF_INIT;
		for (int num = area; num < 4 * (rev + 2); num += 4)
			growing_finding(&headings, &tasks, &rows, num, num == 4 * rev + 1 ? "Resolved" : "Open");
		am_buf_printf(&out, "## Area %d %s Priority\n\n%s", area, area % 2 ? "High" : "Low", headings.ptr);
		if (tasks.size)
			am_buf_printf(&out, "### Tasks\n\n%s\n", tasks.ptr);
		if (rows.size)
			am_buf_printf(&out, "### Register\n\n| ID | Finding | Status | Location |\n"
					    "|----|---------|--------|----------|\n%s\n",
				      rows.ptr);
		am_buf_free(&headings);
		am_buf_free(&tasks);
		am_buf_free(&rows);
	}
	return am_buf_detach(&out);
}

START_TEST(test_growing_audit)
{
	enum { REVISIONS = 24 };
	char *revs[REVISIONS];
	for (int i = 0; i < REVISIONS; i++)
		revs[i] = growing_revision(i);
	size_t taken = check_history("growing.md", (const char *const *)revs, REVISIONS);
	/* Most units of each revision are the revision before's. */
	ck_assert_msg(taken >= 10 * REVISIONS, "%zu units taken from the cache", taken);
	for (int i = 0; i < REVISIONS; i++)
		free(revs[i]);
}
END_TEST

/* An audit of 300 findings, each a part of its own. */
static char *many_parts(void)
{
	am_buf b = AM_BUF_INIT;
	am_buf_puts(&b, "# Audit\n\n## Findings\n\n");
	for (int i = 1; i <= 300; i++)
		am_buf_printf(&b, "### %d) Finding number %d\n- Status: Open\n- Evidence: `src/m%d.c:%d`\n\n", i, i,
			      i % 7, i);
	return am_buf_detach(&b);
}

/* What a revision keeps grows with its findings, not with its parts: the
 * heading texts a part's collector makes are not kept a block a part (that
 * made a 300-finding audit of 21 KB keep 19 MB). Compiled alone, in two
 * halves, and through the cache. */
START_TEST(test_memory_per_part)
{
	char *text = many_parts();
	size_t len = strlen(text);
	am_compile_options whole = AM_COMPILE_OPTIONS_INIT, halves = AM_COMPILE_OPTIONS_INIT;
	whole.threads = 1;
	halves.split_min = 1;
	am_compile_cache *cc = am_compile__cache_new();
	am_report *r[3] = { NULL, NULL, NULL };
	ck_assert_int_eq(am_compile(&r[0], text, len, &whole), 0);
	ck_assert_int_eq(am_compile(&r[1], text, len, &halves), 0);
	ck_assert_int_eq(am_compile__cached(&r[2], text, len, &whole, cc), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(r[i]->nfindings, 300);
		ck_assert_msg(am_arena_used(r[i]->arena) < 64 * len, "compile %d keeps %zu bytes for %zu", i,
			      am_arena_used(r[i]->arena), len);
	}
	am_compile__cache_free(cc);
	for (int i = 0; i < 3; i++)
		am_report_free(r[i]);
	free(text);
}
END_TEST

/* A finding listed again under a status section ("- H-01 (fixed in
 * #231)") is one only while the audit has H-01 earlier on: when a later
 * revision drops H-01 (keeping other H- findings, so the ID schemes stay
 * the same), the unchanged section is no longer taken as it was. */
START_TEST(test_listed_again)
{
	static const char *const revs[] = {
		"# Review\n\n## Findings\n\n### H-01: SQL injection\n- Severity: High\n- Evidence: `a.py:1`\n\n"
		"### H-02: Weak hash\n- Severity: High\n- Evidence: `b.py:2`\n\n"
		"## Resolved since last review\n\n- H-01 (fixed in #231)\n",
		"# Review\n\n## Findings\n\n### H-02: Weak hash\n- Severity: High\n- Evidence: `b.py:2`\n\n"
		"## Resolved since last review\n\n- H-01 (fixed in #231)\n",
		"# Review\n\n## Findings\n\n### H-01: SQL injection\n- Severity: High\n- Evidence: `a.py:1`\n\n"
		"### H-02: Weak hash\n- Severity: High\n- Evidence: `b.py:2`\n\n"
		"## Resolved since last review\n\n- H-01 (fixed in #231)\n",
	};
	check_history("listed-again.md", revs, sizeof(revs) / sizeof(revs[0]));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compile_cache");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fixtures);
	tcase_add_test(tc, test_recognition);
	tcase_add_test(tc, test_growing_audit);
	tcase_add_test(tc, test_listed_again);
	tcase_add_test(tc, test_memory_per_part);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
