/* Baselines: read from a run's own JSON and SARIF (and from a verify JSON
 * written before the JSON had fingerprints), applied as a multiset, refused
 * when they are no baseline or of the other kind. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/baseline.h"
#include "auditmd/json.h"
#include "auditmd/sarif.h"
#include "testutil.h"

/* Two findings; the first cites the same file twice. */
static const char audit[] =
	"# B\n"
	"\n"
	"### 1) One\n"
	"- Status: Open\n"
	"- Evidence: `a.py:1-2` and `a.py:5-6` call `open_session`\n"
	"\n"
	"### 2) Two\n"
	"- Status: Resolved\n"
	"- Evidence: `b.py:3`\n";

static const char *const symbols[] = { "open_session" };

typedef struct {
	am_report *report;
	am_verify v;
	am_verify_result results[3];
} fake;

/* A verification by hand: a.py:1-2 deleted (an error), a.py:5-6 deleted
 * too (the same fingerprint) with symbol_missing, b.py:3 moved (a note:
 * finding 2 is resolved). */
static void fake_init(fake *f)
{
	memset(f, 0, sizeof(*f));
	f->report = test_compile_str(audit);
	ck_assert_uint_eq(f->report->nfindings, 2);
	const am_finding *one = &f->report->findings[0], *two = &f->report->findings[1];
	ck_assert_uint_eq(one->ncitations, 2);
	for (int i = 0; i < 2; i++) {
		f->results[i].finding = one;
		f->results[i].citation = &one->citations[i];
		f->results[i].state = AM_VERIFY_DELETED;
		f->results[i].path = "a.py";
	}
	f->results[1].warnings = AM_VERIFY_WARN_SYMBOL_MISSING;
	f->results[1].symbols = (const char **)symbols;
	f->results[1].nsymbols = 1;
	f->results[2].finding = two;
	f->results[2].citation = &two->citations[0];
	f->results[2].state = AM_VERIFY_MOVED;
	f->results[2].path = f->results[2].now_path = "b.py";
	f->results[2].now_start = f->results[2].now_end = 4;
	f->v.report = f->report;
	f->v.results = f->results;
	f->v.nresults = 3;
	f->v.fail_on = AM_VERIFY_FAIL_ON_DEFAULT;
	memcpy(f->v.target.commit, "0123456789abcdef0123456789abcdef01234567", 41);
	memcpy(f->v.target.date, "2026-02-01", 11);
}

static void fake_free(fake *f)
{
	am_report_free(f->report);
}

/* What a writer writes, as a string. */
static char *written(int (*write)(FILE *, const am_verify *, int), const am_verify *v)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	ck_assert_int_eq(write(fp, v, 0), 0);
	fclose(fp);
	return out;
}

static int write_json(FILE *fp, const am_verify *v, int flags)
{
	return am_verify_write_json(fp, v, flags);
}

static int write_sarif(FILE *fp, const am_verify *v, int flags)
{
	return am_verify_write_sarif(fp, v, "docs/AUDIT.md", flags);
}

static am_baseline *load(const char *text)
{
	am_baseline *b = NULL;
	int rc = am_baseline_load(&b, text, strlen(text), "base.json");
	ck_assert_msg(rc == 0, "%s", am_error_last());
	return b;
}

/* A verify document with its "problems" left out: what earlier versions
 * wrote. */
static char *without_problems(const char *json)
{
	am_buf b = AM_BUF_INIT;
	const char *p = json, *at;
	while ((at = strstr(p, ",\"level\":"))) {
		am_buf_put(&b, p, (size_t)(at - p));
		/* "level", "confirmed" and "problems" end the result object. */
		const char *end = strstr(at, "]}");
		ck_assert_ptr_nonnull(end);
		am_buf_puts(&b, "}");
		p = end + 2;
	}
	am_buf_puts(&b, p);
	return am_buf_detach(&b);
}

/* The run's own output as its baseline: every problem unchanged, nothing
 * fails; read from the JSON, the SARIF, or a JSON without fingerprints. */
static int (*const writers[])(FILE *, const am_verify *, int) = { write_json, write_sarif, write_json };

START_TEST(test_own_output)
{
	fake f;
	fake_init(&f);
	am_tally t;
	am_verify_tally(&t, &f.v);
	ck_assert_uint_eq(t.errors, 2);
	ck_assert_uint_eq(t.new_errors, 2);
	char *text = written(writers[_i], &f.v);
	if (_i == 2) {
		char *old = without_problems(text);
		ck_assert_ptr_null(strstr(old, "fingerprint"));
		free(text);
		text = old;
	}
	am_baseline *b = load(text);
	ck_assert_int_eq(am_baseline_kind_of(b), AM_BASELINE_OF_CITATIONS);
	ck_assert_uint_eq(am_baseline_size(b), 4); /* two deleted, symbol_missing, moved */
	ck_assert_int_eq(am_baseline_apply(&f.v, b), 0);
	am_verify_tally(&t, &f.v);
	ck_assert_uint_eq(t.unchanged, 4);
	ck_assert_uint_eq(t.absent, 0);
	ck_assert_uint_eq(t.errors, 2); /* the levels stay */
	ck_assert_uint_eq(t.new_errors, 0);
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	for (size_t i = 0; i < f.v.nresults; i++) {
		size_t n = am_verify_problems(p, &f.v, &f.results[i]);
		for (size_t k = 0; k < n; k++) {
			ck_assert_int_eq(p[k].baseline, AM_BASELINE_UNCHANGED);
			ck_assert_int_eq(p[k].fails, 0);
			ck_assert(am_baseline_has(b, p[k].fingerprint));
		}
	}
	am_baseline_free(b);
	free(text);
	fake_free(&f);
}
END_TEST

/* A baseline holding a fingerprint once makes the first problem of it
 * unchanged and the second new; a problem it does not hold is new, and a
 * fingerprint of the baseline no problem has is counted absent. */
START_TEST(test_multiset)
{
	fake f;
	fake_init(&f);
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	ck_assert_uint_eq(am_verify_problems(p, &f.v, &f.results[0]), 1);
	am_baseline *b = am_baseline_new(AM_BASELINE_OF_CITATIONS);
	am_baseline_add(b, p[0].fingerprint);
	am_baseline_add(b, "no problem of this run has this fingerprint");
	ck_assert_uint_eq(am_baseline_count(b, p[0].fingerprint), 1);
	ck_assert_int_eq(am_baseline_apply(&f.v, b), 0);
	ck_assert_uint_eq(am_verify_problems(p, &f.v, &f.results[0]), 1);
	ck_assert_int_eq(p[0].baseline, AM_BASELINE_UNCHANGED);
	ck_assert_uint_eq(am_verify_problems(p, &f.v, &f.results[1]), 2);
	ck_assert_int_eq(p[0].baseline, AM_BASELINE_NEW);
	ck_assert_int_eq(p[0].fails, 1);
	ck_assert_int_eq(p[1].baseline, AM_BASELINE_NEW);
	am_tally t;
	am_verify_tally(&t, &f.v);
	ck_assert_uint_eq(t.unchanged, 1);
	ck_assert_uint_eq(t.new_errors, 1);
	ck_assert_uint_eq(t.absent, 1); /* the fingerprint no problem has: gone */
	/* Applied again: the same, not twice as many. */
	ck_assert_int_eq(am_baseline_apply(&f.v, b), 0);
	am_verify_tally(&t, &f.v);
	ck_assert_uint_eq(t.unchanged, 1);
	ck_assert_uint_eq(t.absent, 1);
	am_baseline_free(b);
	fake_free(&f);
}
END_TEST

/* Lint: its JSON and SARIF read back; a baseline of one kind refused for
 * the other. */
START_TEST(test_lint)
{
	char *text;
	am_report *r;
	am_lint *l = test_lint_file("lint.md", &r, &text);
	ck_assert_uint_gt(l->nissues, 3);
	for (int sarif = 0; sarif < 2; sarif++) {
		char *out = NULL;
		size_t olen = 0;
		FILE *fp = open_memstream(&out, &olen);
		ck_assert_int_eq(sarif ? am_lint_write_sarif(fp, l, "lint.md", 0) : am_lint_write_json(fp, l, 0), 0);
		fclose(fp);
		am_baseline *b = load(out);
		ck_assert_int_eq(am_baseline_kind_of(b), AM_BASELINE_OF_LINT);
		ck_assert_uint_eq(am_baseline_size(b), l->nissues);
		ck_assert_int_eq(am_baseline_apply_lint(l, b), 0);
		am_tally t;
		am_lint_tally(&t, l);
		ck_assert_uint_eq(t.unchanged, l->nissues);
		ck_assert_uint_eq(t.absent, 0);
		ck_assert_uint_eq(t.new_errors + t.new_warnings, 0);
		fake f;
		fake_init(&f);
		ck_assert_int_eq(am_baseline_apply(&f.v, b), AM_EUSAGE);
		ck_assert_str_eq(am_error_last(), "a baseline of lint issues, not of citations");
		fake_free(&f);
		am_baseline_free(b);
		free(out);
	}
	am_lint_free(l);
	am_report_free(r);
	free(text);
}
END_TEST

/* Check: its JSON and its SARIF read as results of a check, the multiset
 * applied to a check's results (unchanged ones fail nothing), and refused
 * for verify. */
static const char *const check_docs[] = {
	"{\"schema\": \"auditmd-check/1\", \"results\": [{\"kind\": \"broken\", \"fingerprint\": "
	"\"00000000000000aa\"}, {\"kind\": \"touched\", \"fingerprint\": \"00000000000000bb\"}]}",
	"{\"version\": \"2.1.0\", \"runs\": [{\"results\": ["
	"{\"partialFingerprints\": {\"auditmdCheck/v1\": \"00000000000000aa\"}},"
	"{\"partialFingerprints\": {\"auditmdCheck/v1\": \"00000000000000bb\"}}]}]}",
};

START_TEST(test_check)
{
	am_baseline *b = load(check_docs[_i]);
	am_check_item items[3] = { { .kind = AM_CHECK_BROKEN, .fingerprint = "00000000000000aa" },
				   { .kind = AM_CHECK_BROKEN, .fingerprint = "00000000000000cc" },
				   { .kind = AM_CHECK_TOUCHED, .fingerprint = "00000000000000bb" } };
	am_check c = { .items = items, .nitems = 3 };
	am_tally t;
	ck_assert_int_eq(am_baseline_kind_of(b), AM_BASELINE_OF_CHECK);
	ck_assert_uint_eq(am_baseline_size(b), 2);
	ck_assert_int_eq(am_baseline_apply_check(&c, b), 0);
	ck_assert_int_eq(c.baseline, 1);
	ck_assert_int_eq(items[0].baseline, AM_BASELINE_UNCHANGED);
	ck_assert_int_eq(items[1].baseline, AM_BASELINE_NEW);
	ck_assert_int_eq(items[2].baseline, AM_BASELINE_UNCHANGED);
	am_check_tally(&t, &c);
	ck_assert_uint_eq(t.errors, 2);
	ck_assert_uint_eq(t.notes, 1);
	ck_assert_uint_eq(t.unchanged, 2);
	ck_assert_uint_eq(t.new_errors, 1);
	ck_assert_int_eq(am_check_fails(&c, AM_CHECK_FAIL_KIND(AM_CHECK_BROKEN)), 1);
	ck_assert_int_eq(am_check_fails(&c, AM_CHECK_FAIL_KIND(AM_CHECK_TOUCHED)), 0);
	items[1].baseline = AM_BASELINE_UNCHANGED;
	ck_assert_int_eq(am_check_fails(&c, AM_CHECK_FAIL_KIND(AM_CHECK_BROKEN)), 0);
	fake f;
	fake_init(&f);
	ck_assert_int_eq(am_baseline_apply(&f.v, b), AM_EUSAGE);
	ck_assert_str_eq(am_error_last(), "a baseline of check results, not of citations");
	fake_free(&f);
	am_baseline_free(b);
}
END_TEST

/* What is no baseline: the message names the file and says why. */
static const struct {
	const char *text, *message;
} refused[] = {
	{ "{\"schema\": \"auditmd/1\", \"findings\": []}", "base.json: not a baseline" },
	{ "[1, 2]", "base.json: not a baseline" },
	{ "{\"schema\": \"auditmd-verify/1\", \"results\": ", "base.json:1:" },
	{ "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"ruleId\": \"x\"}]}]}",
	  "base.json: a SARIF log without auditmd's fingerprints" },
	{ "{\"version\": \"2.1.0\", \"runs\": [{\"results\": ["
	  "{\"partialFingerprints\": {\"auditmdCitation/v1\": \"0000000000000001\"}},"
	  "{\"partialFingerprints\": {\"auditmdLint/v1\": \"0000000000000002\"}}]}]}",
	  "base.json: a SARIF log that mixes the results of several commands" },
};

START_TEST(test_refused)
{
	am_baseline *b = (am_baseline *)1;
	ck_assert_int_eq(am_baseline_load(&b, refused[_i].text, strlen(refused[_i].text), "base.json"), AM_EPARSE);
	ck_assert_ptr_null(b);
	ck_assert_msg(strstr(am_error_last(), refused[_i].message) == am_error_last(), "%s", am_error_last());
}
END_TEST

/* A run without results fits any run: nothing is unchanged. */
START_TEST(test_empty)
{
	am_baseline *b = load("{\"version\": \"2.1.0\", \"runs\": [{\"results\": []}]}");
	ck_assert_int_eq(am_baseline_kind_of(b), AM_BASELINE_OF_NOTHING);
	fake f;
	fake_init(&f);
	ck_assert_int_eq(am_baseline_apply(&f.v, b), 0);
	am_tally t;
	am_verify_tally(&t, &f.v);
	ck_assert_uint_eq(t.unchanged, 0);
	ck_assert_uint_eq(t.new_errors, 2);
	fake_free(&f);
	am_baseline_free(b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *tc = tcase_create("baseline");
	TEST_LOOP(tc, test_own_output, writers);
	tcase_add_test(tc, test_multiset);
	tcase_add_test(tc, test_lint);
	TEST_LOOP(tc, test_check, check_docs);
	TEST_LOOP(tc, test_refused, refused);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
