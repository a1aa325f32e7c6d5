/* Lint rules: each row an audit and the rules it must raise, in order. */
#include <check.h>
#include <string.h>

#include "auditmd/lint.h"
#include "testutil.h"

static const struct {
	const char *name, *md, *rules;
} rows[] = {
	{ "clean", "# A\nDate: 2026-01-15\n### 1) Leak\n- Evidence: `a.py:1`\n", "" },
	{ "no date", "# A\n### 1) Leak\n- Evidence: `a.py:1`\n", "no-date;" },
	{ "bad date", "# A\nDate: someday\n### 1) Leak\n- Evidence: `a.py:1`\n", "bad-date;" },
	{ "duplicate id", "# A\nDate: 2026-01-15\n### [H-01] A\n- Evidence: `a.py:1`\n### [H-01] B\n- Evidence: `b.py:1`\n",
	  "duplicate-id;" },
	{ "duplicate title", "# A\nDate: 2026-01-15\n### 1) Leak\n- Evidence: `a.py:1`\n### 2) Leak\n- Evidence: `b.py:1`\n",
	  "duplicate-title;" },
	{ "heading and field disagree", "# A\nDate: 2026-01-15\n### 1) Leak (Resolved)\n- Status: Open\n- Evidence: `a.py:1`\n",
	  "status-conflict;" },
	{ "an empty box on a resolved item", "# A\nDate: 2026-01-15\n- [ ] **Leak** in `a.py:1`\n  - Status: Fixed\n",
	  "status-conflict;" },
	{ "a ticked box on an open item", "# A\nDate: 2026-01-15\n- [x] **Leak** in `a.py:1`\n  - Status: Open\n",
	  "status-conflict;" },
	{ "an empty box on a deferred item", "# A\nDate: 2026-01-15\n- [ ] **Leak** in `a.py:1`\n  - Status: Deferred\n", "" },
	{ "resolved without evidence", "# A\nDate: 2026-01-15\n### 1) Leak\n- Status: Resolved\n",
	  "resolved-without-evidence;" },
	{ "resolved by a commit", "# A\nDate: 2026-01-15\n### 1) Leak\n- Status: Fixed in 1a2b3c4\n", "" },
	{ "resolved with a Fix field", "# A\nDate: 2026-01-15\n### 1) Leak\n- Status: Resolved\n- Fix applied: rotated keys\n", "" },
	{ "open subtask", "# A\nDate: 2026-01-15\n### 1) Migrate\n- Status: Resolved\n- Evidence: `a.py:1`\n- [x] one\n- [ ] two\n",
	  "open-subtask;" },
	{ "a status no vocabulary knows", "# A\nDate: 2026-01-15\n### 1) Leak\n- Status: Bikeshedding\n- Evidence: `a.py:1`\n",
	  "unknown-status;" },
	{ "a status the audit's language knows", "# A\nDate: 2026-01-15\n### 1) Leck\n- Status: Offen\n- Evidence: `a.py:1`\n", "" },
	{ "a summary that no longer counts right",
	  "# A\nDate: 2026-01-15\n| Severity | Total | Fixed | Open |\n|---|---|---|---|\n| High | 2 | 2 | 0 |\n\n"
	  "### [H-1] Leak\n- Status: Fixed\n- Evidence: `a.py:1`\n### [H-2] Race\n- Status: Open\n- Evidence: `b.py:1`\n",
	  "summary-mismatch;summary-mismatch;" },
	{ "a summary that counts right", "# A\nDate: 2026-01-15\n| Severity | Count |\n|---|---|\n| High | 1 |\n| **Total** | **1** |\n\n"
	  "### [H-1] Leak\n- Status: Fixed\n- Evidence: `a.py:1`\n", "" },
	{ "malformed citation", "# A\nDate: 2026-01-15\n### 1) Leak\n- Evidence: `a.py:9-3`\n", "malformed-citation;" },
	{ "no evidence", "# A\nDate: 2026-01-15\n### 1) Leak\n- Risk: high\n", "no-evidence;" },
	{ "switched off on the next line",
	  "# A\nDate: 2026-01-15\n<!-- auditmd-disable-next-line no-evidence -->\n### 1) Leak\n- Risk: high\n", "" },
	{ "switched off for the file", "<!-- auditmd-disable -->\n# A\n### 1) Leak\n- Risk: high\n", "" },
	{ "switched off after a comment over several lines",
	  "# A\nDate: 2026-01-15\n<!-- a note\nover\nlines --><!-- x -->\n<!-- auditmd-disable-next-line no-evidence -->\n"
	  "### 1) Leak\n- Risk: high\n",
	  "" },
	{ "another rule switched off", "# A\nDate: 2026-01-15\n<!-- auditmd-disable-next-line no-date -->\n### 1) Leak\n- Risk: high\n",
	  "no-evidence;" },
};

START_TEST(test_rules)
{
	am_report *r = test_compile_str(rows[_i].md);
	am_lint_options o = AM_LINT_OPTIONS_INIT;
	am_lint *l = NULL;
	o.text = rows[_i].md;
	o.len = strlen(rows[_i].md);
	ck_assert_int_eq(am_lint_run(&l, r, &o), 0);
	am_buf got = AM_BUF_INIT;
	for (size_t i = 0; i < l->nissues; i++)
		am_buf_printf(&got, "%s;", l->issues[i].rule);
	ck_assert_msg(!strcmp(am_buf_cstr(&got), rows[_i].rules), "%s: got '%s', want '%s'", rows[_i].name,
		      am_buf_cstr(&got), rows[_i].rules);
	am_buf_free(&got);
	am_lint_free(l);
	am_report_free(r);
}
END_TEST

/* The configuration switches rules off. */
START_TEST(test_config_disables)
{
	am_vocab *v = NULL;
	am_vocab_new(&v);
	const char *cfg = "{\"lint\": {\"disable\": [\"no-date\"]}}";
	ck_assert_int_eq(am_config_load(v, cfg, strlen(cfg), "c.json"), 0);
	ck_assert(!am_vocab_rule_enabled(v, "no-date"));
	ck_assert(am_vocab_rule_enabled(v, "no-evidence"));
	am_report *r = test_compile_str("# A\n### 1) Leak\n- Evidence: `a.py:1`\n");
	am_lint_options o = AM_LINT_OPTIONS_INIT;
	am_lint *l = NULL;
	o.vocab = v;
	ck_assert_int_eq(am_lint_run(&l, r, &o), 0);
	ck_assert_uint_eq(l->nissues, 0);
	ck_assert_uint_eq(l->nsuppressed, 1);
	am_lint_free(l);
	am_report_free(r);
	am_vocab_free(v);
}
END_TEST

/* A verification's states and warnings are switched off as lint's issues:
 * the comment before the citation's line, or the configuration. */
START_TEST(test_suppress_verify)
{
	const char *md = "# A\nDate: 2026-01-15\n### 1) Leak\n"
			 "<!-- auditmd-disable-next-line citation-missing -->\n- Evidence: `a.py:1`\n"
			 "- Evidence: `b.py:1`\n";
	am_report *r = test_compile_str(md);
	ck_assert_uint_eq(r->findings[0].ncitations, 2);
	am_verify_result res[2] = { { 0 }, { 0 } };
	am_verify v = { 0 };
	for (size_t i = 0; i < 2; i++) {
		res[i].finding = &r->findings[0];
		res[i].citation = &r->findings[0].citations[i];
		res[i].state = AM_VERIFY_MISSING;
		res[i].warnings = i == 1 ? AM_VERIFY_WARN_SYMBOL_MISSING : 0;
	}
	v.report = r;
	v.results = res;
	v.nresults = 2;
	v.warning_counts[0] = 1;
	am_vocab *vocab = NULL;
	am_vocab_new(&vocab);
	const char *cfg = "{\"lint\": {\"disable\": [\"citation-symbol_missing\"]}}";
	ck_assert_int_eq(am_config_load(vocab, cfg, strlen(cfg), "c.json"), 0);
	am_lint_options o = AM_LINT_OPTIONS_INIT;
	o.vocab = vocab;
	o.text = md;
	o.len = strlen(md);
	ck_assert_int_eq(am_lint_suppress(&v, &o), 0);
	ck_assert_int_eq(res[0].state_suppressed, 1);  /* the comment */
	ck_assert_int_eq(res[1].state_suppressed, 0);  /* the next line: not switched off */
	ck_assert_uint_eq(res[1].warnings, 0);         /* the configuration */
	ck_assert_uint_eq(res[1].warnings_suppressed, AM_VERIFY_WARN_SYMBOL_MISSING);
	ck_assert_uint_eq(v.warning_counts[0], 0);
	ck_assert_uint_eq(v.nsuppressed, 2);
	am_vocab_free(vocab);
	am_report_free(r);
}
END_TEST

/* Every rule has an id, a severity and a description. */
START_TEST(test_rule_table)
{
	size_t n = 0;
	for (const am_lint_rule *r = am_lint_rules(); r->id; r++, n++) {
		ck_assert(r->description && *r->description);
		ck_assert(r->severity == AM_DIAG_ERROR || r->severity == AM_DIAG_WARNING);
	}
	ck_assert_uint_ge(n, 11);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");
	tcase_add_loop_test(tc, test_rules, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_config_disables);
	tcase_add_test(tc, test_rule_table);
	tcase_add_test(tc, test_suppress_verify);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
