/* Citations rewritten in place (fix.c): an audit is compiled, its
 * citations given verification results by hand (moved, renamed, changed),
 * and the text rewritten: only the numbers and paths change, in every form
 * a citation is written in, whatever the line endings. */
#include <check.h>
#include <string.h>

#include "auditmd/compile.h"
#include "auditmd/fix.h"
#include "testutil.h"

/* Each case: an audit, and for its citations in order "state now" words:
 * "moved 13-23", "renamed NEWPATH 13-23", "ok", "changed". */
static const struct {
	const char *name, *audit, *results, *expected;
	size_t rewritten, left;
} cases[] = {
	{ "moved, CRLF kept",
	  "# A\r\n\r\n### 1) Leak\r\n- Evidence: `src/app.py:10-20` sets it.\r\n",
	  "moved 13-23",
	  "# A\r\n\r\n### 1) Leak\r\n- Evidence: `src/app.py:13-23` sets it.\r\n", 1, 0 },
	{ "a #L link",
	  "# A\n\n### 1) Leak\n- Evidence: [app](src/app.py#L10-L20) and `src/b.py:5`\n",
	  "moved 7-7 moved 110-120", /* the link's citation comes last */
	  "# A\n\n### 1) Leak\n- Evidence: [app](src/app.py#L110-L120) and `src/b.py:7`\n", 2, 0 },
	{ "lines in words, one of two ranges moved",
	  "# A\n\n### 1) Leak\n- Evidence: src/app.py (lines 10-20); src/c.py:12, 30-34\n",
	  "moved 9-19 ok moved 31-35",
	  "# A\n\n### 1) Leak\n- Evidence: src/app.py (lines 9-19); src/c.py:12, 31-35\n", 2, 0 },
	{ "renamed: full path, ./ prefix, partial path",
	  "# A\n\n### 1) Leak\n- Evidence: `services/api/billing.py:88-104`, `./services/api/billing.py:3`\n"
	  "\n### 2) Other\n- Evidence: `api/billing.py:5-6`\n",
	  "renamed services/api/payments.py 88-104 renamed services/api/payments.py 3-3 "
	  "renamed services/api/payments.py 5-6",
	  "# A\n\n### 1) Leak\n- Evidence: `services/api/payments.py:88-104`, `./services/api/payments.py:3`\n"
	  "\n### 2) Other\n- Evidence: `api/payments.py:5-6`\n", 3, 0 },
	{ "forge links: a branch is rewritten, a commit is not",
	  "# A\n\n### 1) Leak\n- Evidence: https://github.com/o/r/blob/main/src/app.py#L10-L20 and "
	  "https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567/src/app.py#L10-L20\n",
	  "moved 12-22 moved 12-22",
	  "# A\n\n### 1) Leak\n- Evidence: https://github.com/o/r/blob/main/src/app.py#L12-L22 and "
	  "https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567/src/app.py#L10-L20\n", 1, 1 },
	{ "a BOM before a citation on line 1, and changed lines left alone",
	  "\xEF\xBB\xBF" "- [ ] Leak at `src/app.py:10-20`\n- [ ] Other at `src/a.py:4`\n",
	  "moved 11-21 changed",
	  "\xEF\xBB\xBF" "- [ ] Leak at `src/app.py:11-21`\n- [ ] Other at `src/a.py:4`\n", 1, 1 },
	{ "lines apart from the file: left",
	  "# A\n\n### 1) Leak\n- File: `src/app.py`\n- Lines: 10-20\n",
	  "moved 12-22",
	  "# A\n\n### 1) Leak\n- File: `src/app.py`\n- Lines: 10-20\n", 0, 1 },
	{ "nothing moved: the same bytes",
	  "# A\r\n\r\n### 1) Leak\r\n- Evidence: `src/app.py:10-20`\r\n",
	  "ok",
	  "# A\r\n\r\n### 1) Leak\r\n- Evidence: `src/app.py:10-20`\r\n", 0, 0 },
};

/* Fills v's results for r's evidence citations from "state [path] range" words. */
static void results(am_verify *v, const am_report *r, const char *spec)
{
	char *words = strdup(spec), *save = NULL;
	char *w = strtok_r(words, " ", &save);
	size_t total = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		total += r->findings[i].ncitations;
	v->results = calloc(total ? total : 1, sizeof(am_verify_result));
	v->report = r;
	for (size_t i = 0; i < r->nfindings; i++)
		for (size_t k = 0; k < r->findings[i].ncitations; k++) {
			const am_citation *ci = &r->findings[i].citations[k];
			if (ci->role != AM_CITE_EVIDENCE)
				continue;
			ck_assert_msg(w != NULL, "%s: too few results for %s", spec, ci->path);
			am_verify_result *res = &v->results[v->nresults++];
			res->finding = &r->findings[i];
			res->citation = ci;
			res->path = ci->path[0] == '.' ? ci->path + 2 : ci->path;
			if (!strncmp(ci->path, "api/", 4))
				res->path = "services/api/billing.py";
			res->now_path = res->path;
			res->now_start = ci->start;
			res->now_end = ci->end;
			if (!strcmp(w, "ok"))
				res->state = AM_VERIFY_OK;
			else if (!strcmp(w, "changed"))
				res->state = AM_VERIFY_CHANGED;
			else {
				res->state = !strcmp(w, "moved") ? AM_VERIFY_MOVED : AM_VERIFY_RENAMED;
				if (res->state == AM_VERIFY_RENAMED)
					res->now_path = strtok_r(NULL, " ", &save);
				char *range = strtok_r(NULL, " ", &save);
				res->now_start = (uint32_t)strtoul(range, &range, 10);
				res->now_end = (uint32_t)strtoul(range + 1, NULL, 10);
			}
			if (res->state != AM_VERIFY_RENAMED && res->now_path != res->path)
				res->now_path = res->path;
			w = strtok_r(NULL, " ", &save);
		}
	ck_assert_msg(w == NULL, "%s: results left over", spec);
	/* The words hold the paths: kept until the test ends. */
	v->priv = (struct am_verify_private *)words;
}

static am_fix *fix_case(const char *audit, const char *spec, am_report **report, am_verify *v)
{
	am_fix *f = NULL;
	ck_assert_int_eq(am_compile(report, audit, strlen(audit), NULL), 0);
	memset(v, 0, sizeof(*v));
	results(v, *report, spec);
	ck_assert_msg(am_fix_run(&f, audit, strlen(audit), v, NULL) == 0, "%s", am_error_last());
	return f;
}

static void case_free(am_fix *f, am_verify *v, am_report *r)
{
	am_fix_free(f);
	free(v->results);
	free(v->priv);
	am_report_free(r);
}

START_TEST(test_fix_cases)
{
	am_report *r = NULL, *again = NULL;
	am_verify v;
	am_fix *f = fix_case(cases[_i].audit, cases[_i].results, &r, &v);
	ck_assert_msg(f->len == strlen(cases[_i].expected) && !memcmp(f->text, cases[_i].expected, f->len),
		      "%s: got\n%.*s", cases[_i].name, (int)f->len, f->text);
	ck_assert_uint_eq(f->nrewritten, cases[_i].rewritten);
	ck_assert_uint_eq(f->nleft, cases[_i].left);
	/* The rewritten audit compiles to the citations as they now read,
	 * each where it was written. */
	am_buf want = AM_BUF_INIT, got = AM_BUF_INIT;
	size_t e = 0;
	for (size_t i = 0; i < v.nresults; i++) {
		const am_verify_result *res = &v.results[i];
		if (e < f->nedits && f->edits[e].result == res && f->edits[e++].outcome == AM_FIX_REWRITTEN)
			am_buf_printf(&want, "%s;", f->edits[e - 1].now);
		else {
			char *spec = am_citation_spec(res->citation->path, res->citation->start,
						      res->citation->end);
			am_buf_printf(&want, "%s;", spec);
			free(spec);
		}
	}
	ck_assert_int_eq(am_compile(&again, f->text, f->len, NULL), 0);
	for (size_t i = 0; i < again->nfindings; i++)
		for (size_t k = 0; k < again->findings[i].ncitations; k++) {
			const am_citation *ci = &again->findings[i].citations[k];
			if (ci->role != AM_CITE_EVIDENCE)
				continue;
			char *spec = am_citation_spec(ci->path, ci->start, ci->end);
			am_buf_printf(&got, "%s;", spec);
			free(spec);
		}
	ck_assert_msg(!strcmp(am_buf_cstr(&want), am_buf_cstr(&got)), "%s: compiled to %s, want %s",
		      cases[_i].name, am_buf_cstr(&got), am_buf_cstr(&want));
	am_buf_free(&want);
	am_buf_free(&got);
	case_free(f, &v, r);
	am_report_free(again);
}
END_TEST

/* What each edit says: the citation as it now reads, or why it is left. */
START_TEST(test_fix_edits)
{
	am_report *r = NULL;
	am_verify v;
	am_fix *f = fix_case(cases[4].audit, cases[4].results, &r, &v);
	ck_assert_uint_eq(f->nedits, 2);
	ck_assert_int_eq(f->edits[0].outcome, AM_FIX_REWRITTEN);
	ck_assert_str_eq(f->edits[0].now, "src/app.py:12-22");
	ck_assert_int_eq(f->edits[1].outcome, AM_FIX_UNREACHABLE);
	ck_assert_str_eq(f->edits[1].reason, "a link to a commit, where its lines stay right");
	case_free(f, &v, r);

	f = fix_case(cases[6].audit, cases[6].results, &r, &v);
	ck_assert_int_eq(f->edits[0].outcome, AM_FIX_UNREACHABLE);
	ck_assert_str_eq(f->edits[0].reason, "its lines are written apart from its path");
	case_free(f, &v, r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("fix");
	tcase_add_loop_test(tc, test_fix_cases, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_fix_edits);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
