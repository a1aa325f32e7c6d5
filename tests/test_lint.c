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
	{ "malformed citation", "# A\nDate: 2026-01-15\n### 1) Leak\n- Evidence: `a.py:9-3`\n", "malformed-citation;" },
	{ "no evidence", "# A\nDate: 2026-01-15\n### 1) Leak\n- Risk: high\n", "no-evidence;" },
	{ "switched off on the next line",
	  "# A\nDate: 2026-01-15\n<!-- auditmd-disable-next-line no-evidence -->\n### 1) Leak\n- Risk: high\n", "" },
	{ "switched off for the file", "<!-- auditmd-disable -->\n# A\n### 1) Leak\n- Risk: high\n", "" },
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
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
