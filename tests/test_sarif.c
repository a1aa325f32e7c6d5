/* SARIF 2.1.0 from verify and lint: the log's structure, one rule per
 * state and warning (or lint rule) with results pointing at their rule,
 * levels from the error mask, locations in the audit and the cited code,
 * messages, and fingerprints that stay put when the audit moves around a
 * finding. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/json.h"
#include "auditmd/sarif.h"
#include "testutil.h"

/* Three findings; the second audit is the first with lines added above
 * each finding, as an edit would. */
static const char audit[] =
	"# A\n"
	"\n"
	"### 1) One\n"
	"- Evidence: `src/@scope/a+b.py:3-5`\n"
	"\n"
	"### 2) Two\n"
	"- Evidence: `src/old.py:10` and `lib/x.c`\n"
	"\n"
	"### 3) Three\n"
	"- Evidence: `gone.py:0`\n";
static const char audit_moved[] =
	"# A\n"
	"\n"
	"Intro.\n"
	"\n"
	"### 1) One\n"
	"- Evidence: `src/@scope/a+b.py:3-5`\n"
	"\n"
	"More.\n"
	"\n"
	"### 2) Two\n"
	"- Evidence: `src/old.py:10` and `lib/x.c`\n"
	"\n"
	"### 3) Three\n"
	"\n"
	"- Evidence: `gone.py:0`\n";

static const char *const candidates[] = { "a/x.c", "b/x.c", "c/x.c", "d/x.c", "e/x.c", "f/x.c", "g/x.c" };
static const char *const symbols[] = { "open_session", "close_session" };

/* A verification of `r` built by hand: one result per citation, with the
 * states and warnings listed here. */
static am_verify *fake_verify(const am_report *r, unsigned fail_on)
{
	static am_verify v;
	static am_verify_result results[4];
	memset(&v, 0, sizeof(v));
	memset(results, 0, sizeof(results));
	ck_assert_uint_eq(r->nfindings, 3);
	ck_assert_uint_eq(r->findings[0].ncitations, 1);
	ck_assert_uint_eq(r->findings[1].ncitations, 2);
	ck_assert_uint_eq(r->findings[2].ncitations, 1);
	/* 1: holds, but none of the symbols is there and it never changed. */
	results[0].finding = &r->findings[0];
	results[0].citation = &r->findings[0].citations[0];
	results[0].state = AM_VERIFY_OK;
	results[0].warnings = AM_VERIFY_WARN_SYMBOL_MISSING | AM_VERIFY_WARN_UNCONFIRMED;
	results[0].path = "src/@scope/a+b.py";
	results[0].symbols = (const char **)symbols;
	results[0].nsymbols = 2;
	/* 2: moved to another file and lines. */
	results[1].finding = &r->findings[1];
	results[1].citation = &r->findings[1].citations[0];
	results[1].state = AM_VERIFY_MOVED;
	results[1].path = "src/old.py";
	results[1].now_path = "src/new.py";
	results[1].now_start = results[1].now_end = 12;
	/* 2: a partial path that matches seven files. */
	results[2].finding = &r->findings[1];
	results[2].citation = &r->findings[1].citations[1];
	results[2].state = AM_VERIFY_AMBIGUOUS;
	results[2].candidates = (const char **)candidates;
	results[2].ncandidates = 7;
	results[2].candidates_total = 12; /* the first ten kept, as verify keeps them */
	/* 3: a line 0 (malformed): nothing is read, no code location. */
	results[3].finding = &r->findings[2];
	results[3].citation = &r->findings[2].citations[0];
	results[3].state = AM_VERIFY_MALFORMED;
	results[3].detail = "line 0";
	v.report = r;
	v.as_of_reason = AM_ASOF_NONE;
	memcpy(v.target.commit, "0123456789abcdef0123456789abcdef01234567", 41);
	v.results = results;
	v.nresults = 4;
	v.fail_on = fail_on;
	return &v;
}

/* The SARIF of a (fake) verification of `text`, parsed. */
static json_t *verify_sarif(const char *text, unsigned mask)
{
	am_report *r = test_compile_str(text);
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(am_verify_write_sarif(fp, fake_verify(r, mask), "docs/my audit.md", AM_JSON_PRETTY), 0);
	fclose(fp);
	json_error_t err;
	json_t *doc = json_loadb(out, len, 0, &err);
	ck_assert_msg(doc != NULL, "not JSON: %s at %d:%d", err.text, err.line, err.column);
	ck_assert_int_eq(out[len - 1], '\n');
	free(out);
	am_report_free(r);
	return doc;
}

static const char *str_at(json_t *v, const char *path)
{
	json_t *x = json_object_get(v, path);
	ck_assert_msg(json_is_string(x), "%s is no string", path);
	return json_string_value(x);
}

/* The parts of a SARIF log every consumer relies on; returns the run. */
static json_t *check_log(json_t *doc)
{
	ck_assert_str_eq(str_at(doc, "version"), "2.1.0");
	ck_assert(strstr(str_at(doc, "$schema"), "sarif-2.1.0") != NULL);
	json_t *runs = json_object_get(doc, "runs");
	ck_assert_uint_eq(json_array_size(runs), 1);
	json_t *run = json_array_get(runs, 0);
	json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
	ck_assert_str_eq(str_at(driver, "name"), "auditmd");
	ck_assert_str_eq(str_at(driver, "version"), am_version());
	ck_assert_str_eq(str_at(driver, "semanticVersion"), am_version());
	json_t *rules = json_object_get(driver, "rules");
	ck_assert(json_is_array(rules));
	size_t i, k;
	json_t *rule, *other, *result;
	json_array_foreach(rules, i, rule) {
		ck_assert(*str_at(rule, "id"));
		ck_assert(*str_at(json_object_get(rule, "shortDescription"), "text"));
		const char *level = str_at(json_object_get(rule, "defaultConfiguration"), "level");
		ck_assert(!strcmp(level, "error") || !strcmp(level, "warning"));
		json_array_foreach(rules, k, other)
			ck_assert(k == i || strcmp(str_at(rule, "id"), str_at(other, "id")));
	}
	json_array_foreach(json_object_get(run, "results"), i, result) {
		/* ruleIndex names the rule of ruleId. */
		json_t *index = json_object_get(result, "ruleIndex");
		ck_assert(json_is_integer(index));
		rule = json_array_get(rules, (size_t)json_integer_value(index));
		ck_assert_ptr_nonnull(rule);
		ck_assert_str_eq(str_at(rule, "id"), str_at(result, "ruleId"));
		ck_assert(*str_at(json_object_get(result, "message"), "text"));
		json_t *locs = json_object_get(result, "locations");
		ck_assert_uint_eq(json_array_size(locs), 1);
		json_t *phys = json_object_get(json_array_get(locs, 0), "physicalLocation");
		ck_assert(*str_at(json_object_get(phys, "artifactLocation"), "uri"));
		ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(phys, "region"), "startLine")), 1);
		ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(phys, "region"), "startColumn")), 1);
		json_t *fp = json_object_get(result, "partialFingerprints");
		ck_assert_uint_eq(json_object_size(fp), 1);
		const char *hash = json_string_value(json_object_iter_value(json_object_iter(fp)));
		ck_assert_msg(hash && strlen(hash) == 16 && strspn(hash, "0123456789abcdef") == 16, "%s", hash);
	}
	return run;
}

static json_t *result_at(json_t *run, size_t i)
{
	json_t *r = json_array_get(json_object_get(run, "results"), i);
	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_verify_log)
{
	unsigned mask = (1u << AM_VERIFY_AMBIGUOUS) | (1u << AM_VERIFY_MISSING);
	json_t *doc = verify_sarif(audit, mask);
	json_t *run = check_log(doc);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	/* Every state but ok, then the two warnings. */
	ck_assert_uint_eq(json_array_size(rules), AM_VERIFY__COUNT - 1 + AM_VERIFY_WARN__COUNT);
	ck_assert_str_eq(str_at(json_array_get(rules, 0), "id"), "moved");
	ck_assert_str_eq(str_at(json_array_get(rules, 0), "name"), "CitationMoved");
	for (int s = 1; s < AM_VERIFY__COUNT; s++) {
		json_t *rule = json_array_get(rules, (size_t)s - 1);
		ck_assert_str_eq(str_at(rule, "id"), am_verify_state_name((am_verify_state)s));
		ck_assert_str_eq(str_at(json_object_get(rule, "defaultConfiguration"), "level"),
				 mask & (1u << s) ? "error" : "warning");
	}
	ck_assert_str_eq(str_at(json_array_get(rules, AM_VERIFY__COUNT - 1), "id"), "symbol_missing");
	ck_assert_str_eq(str_at(json_array_get(rules, AM_VERIFY__COUNT), "id"), "unconfirmed");
	json_t *props = json_object_get(run, "properties");
	ck_assert(json_is_null(json_object_get(props, "asOf")));
	ck_assert_str_eq(str_at(props, "asOfReason"), am_asof_reason_name(AM_ASOF_NONE));
	ck_assert_str_eq(str_at(props, "target"), "0123456789abcdef0123456789abcdef01234567");
	ck_assert_str_eq(str_at(json_object_get(run, "automationDetails"), "id"), "auditmd/docs/my audit.md/");
	json_decref(doc);
}
END_TEST

/* The results in order: no result for a citation that holds, one per
 * problem state and one per warning. */
static const struct {
	const char *rule, *level, *message;
	const char *finding, *state;
	int line, column;           /* in the audit */
	const char *code;           /* the related location's uri, or NULL */
	int code_start, code_end;   /* its region, 0: none */
} results[] = {
	{ "symbol_missing", "warning",
	  "src/@scope/a+b.py:3-5 (finding F1): symbol_missing: none of `open_session`, `close_session` in the cited lines",
	  "F1", "ok", 4, 14, "src/%40scope/a%2Bb.py", 3, 5 },
	{ "unconfirmed", "warning",
	  "src/@scope/a+b.py:3-5 (finding F1): unconfirmed: the cited lines did not change since the finding was open",
	  "F1", "ok", 4, 14, "src/%40scope/a%2Bb.py", 3, 5 },
	{ "moved", "warning", "src/old.py:10 (finding F2): moved: now at src/new.py:12", "F2", "moved", 7, 14, "src/new.py", 12, 12 },
	{ "ambiguous", "error",
	  "lib/x.c (finding F2): ambiguous: matches a/x.c, b/x.c, c/x.c, d/x.c, e/x.c, f/x.c, g/x.c and 5 more", "F2", "ambiguous", 7, 34, NULL, 0, 0 },
	{ "malformed", "warning", "gone.py (finding F3): malformed (line 0)", "F3", "malformed", 10, 14, NULL, 0, 0 },
};

START_TEST(test_verify_results)
{
	unsigned mask = (1u << AM_VERIFY_AMBIGUOUS) | (1u << AM_VERIFY_MISSING);
	json_t *doc = verify_sarif(audit, mask);
	json_t *run = check_log(doc);
	ck_assert_uint_eq(json_array_size(json_object_get(run, "results")), 5);
	json_t *r = result_at(run, (size_t)_i);
	ck_assert_str_eq(str_at(r, "ruleId"), results[_i].rule);
	ck_assert_str_eq(str_at(r, "level"), results[_i].level);
	ck_assert_str_eq(str_at(json_object_get(r, "message"), "text"), results[_i].message);
	json_t *phys = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	ck_assert_str_eq(str_at(json_object_get(phys, "artifactLocation"), "uri"), "docs/my%20audit.md");
	json_t *region = json_object_get(phys, "region");
	ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")), results[_i].line);
	ck_assert_int_eq(json_integer_value(json_object_get(region, "startColumn")), results[_i].column);
	json_t *related = json_object_get(r, "relatedLocations");
	if (!results[_i].code) {
		ck_assert_ptr_null(related);
	} else {
		json_t *cp = json_object_get(json_array_get(related, 0), "physicalLocation");
		ck_assert_str_eq(str_at(json_object_get(cp, "artifactLocation"), "uri"), results[_i].code);
		json_t *cr = json_object_get(cp, "region");
		ck_assert_int_eq(json_integer_value(json_object_get(cr, "startLine")), results[_i].code_start);
		ck_assert_int_eq(json_integer_value(json_object_get(cr, "endLine")), results[_i].code_end);
	}
	json_t *props = json_object_get(r, "properties");
	ck_assert_str_eq(str_at(props, "finding"), results[_i].finding);
	ck_assert_str_eq(str_at(props, "state"), results[_i].state);
	json_decref(doc);
}
END_TEST

static const char *fingerprint(json_t *run, size_t i)
{
	json_t *fp = json_object_get(result_at(run, i), "partialFingerprints");
	return str_at(fp, "auditmdCitation/v1");
}

/* Lines added above every finding move every location, and no
 * fingerprint; the fingerprints of two results differ. */
START_TEST(test_verify_fingerprints)
{
	json_t *a = verify_sarif(audit, 0), *b = verify_sarif(audit_moved, 0);
	json_t *ra = check_log(a), *rb = check_log(b);
	size_t n = json_array_size(json_object_get(ra, "results"));
	ck_assert_uint_eq(n, json_array_size(json_object_get(rb, "results")));
	for (size_t i = 0; i < n; i++) {
		json_t *la = json_object_get(json_array_get(json_object_get(result_at(ra, i), "locations"), 0),
					     "physicalLocation");
		json_t *lb = json_object_get(json_array_get(json_object_get(result_at(rb, i), "locations"), 0),
					     "physicalLocation");
		ck_assert_int_ne(json_integer_value(json_object_get(json_object_get(la, "region"), "startLine")),
				 json_integer_value(json_object_get(json_object_get(lb, "region"), "startLine")));
		ck_assert_str_eq(fingerprint(ra, i), fingerprint(rb, i));
		for (size_t k = 0; k < i; k++)
			ck_assert_str_ne(fingerprint(ra, i), fingerprint(ra, k));
	}
	json_decref(a);
	json_decref(b);
}
END_TEST

/* A lint of tests/data/lint.md as SARIF: one rule per lint rule, one
 * result per issue in the audit's order, at its line. */
START_TEST(test_lint)
{
	char *text;
	am_report *r;
	am_lint *l = test_lint_file("lint.md", &r, &text);
	ck_assert_uint_gt(l->nissues, 3);
	char *out = NULL;
	size_t olen = 0;
	FILE *fp = open_memstream(&out, &olen);
	ck_assert_int_eq(am_lint_write_sarif(fp, l, "lint.md", 0), 0);
	fclose(fp);
	json_t *doc = json_loadb(out, olen, 0, NULL);
	ck_assert_ptr_nonnull(doc);
	json_t *run = check_log(doc);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	size_t nrules = 0;
	for (const am_lint_rule *lr = am_lint_rules(); lr->id; lr++, nrules++) {
		json_t *rule = json_array_get(rules, nrules);
		ck_assert_str_eq(str_at(rule, "id"), lr->id);
		ck_assert_str_eq(str_at(json_object_get(rule, "shortDescription"), "text"), lr->description);
		ck_assert_str_eq(str_at(json_object_get(rule, "defaultConfiguration"), "level"),
				 lr->severity == AM_DIAG_ERROR ? "error" : "warning");
	}
	ck_assert_uint_eq(json_array_size(rules), nrules);
	json_t *res = json_object_get(run, "results");
	ck_assert_uint_eq(json_array_size(res), l->nissues);
	for (size_t i = 0; i < l->nissues; i++) {
		json_t *x = json_array_get(res, i);
		ck_assert_str_eq(str_at(x, "ruleId"), l->issues[i].rule);
		ck_assert_str_eq(str_at(json_object_get(x, "message"), "text"), l->issues[i].text);
		ck_assert_str_eq(str_at(x, "level"), l->issues[i].severity == AM_DIAG_ERROR ? "error" : "warning");
		json_t *region = json_object_get(
			json_object_get(json_array_get(json_object_get(x, "locations"), 0), "physicalLocation"), "region");
		ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")),
				 l->issues[i].line ? l->issues[i].line : 1);
	}
	json_decref(doc);
	free(out);
	am_lint_free(l);
	am_report_free(r);
	free(text);
}
END_TEST

/* A stream that cannot be written: AM_EIO, not a silent short file. */
START_TEST(test_write_error)
{
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		return; /* no /dev/full on this system */
	am_report *r = test_compile_str(audit);
	ck_assert_int_eq(am_verify_write_sarif(full, fake_verify(r, 0), "a.md", 0), AM_EIO);
	fclose(full);
	am_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sarif");
	TCase *tc = tcase_create("sarif");
	tcase_add_test(tc, test_verify_log);
	TEST_LOOP(tc, test_verify_results, results);
	tcase_add_test(tc, test_verify_fingerprints);
	tcase_add_test(tc, test_lint);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
