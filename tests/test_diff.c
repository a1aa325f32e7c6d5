/* The differ: matching (renumbered, retitled, moved, duplicates, split
 * titles) and classification. */
#include <math.h>

#include "auditmd/diff.h"
#include "testutil.h"

static am_diff *diff_of(const char *old_md, const char *new_md, am_report **o, am_report **n)
{
	am_diff *d = NULL;
	*o = test_compile_str(old_md);
	*n = test_compile_str(new_md);
	ck_assert_int_eq(am_diff_run(&d, *o, *n, NULL), 0);
	return d;
}

/* The change whose NEW (or, for removed, OLD) title is `title`. */
static const am_change *change_for(const am_diff *d, const char *title)
{
	for (size_t i = 0; i < d->nchanges; i++) {
		const am_finding *f = d->changes[i].new_finding ? d->changes[i].new_finding
								: d->changes[i].old_finding;
		if (!strcmp(f->title, title))
			return &d->changes[i];
	}
	ck_abort_msg("no change for '%s'", title);
	return NULL;
}

static const struct {
	const char *name, *old_md, *new_md, *title;
	am_change_kind kind;
	unsigned changed;
	am_match_kind how;
} rows[] = {
	{ "resolved by status field",
	  "### 1) Leak\n- Evidence: `a.py:1`\n", "### 1) Leak\n- Status: Fixed\n- Evidence: `a.py:1`\n",
	  "Leak", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS, AM_MATCH_TITLE },
	{ "regressed checklist",
	  "- [x] Rotate keys\n", "- [ ] Rotate keys\n",
	  "Rotate keys", AM_CHANGE_REGRESSED, AM_CHANGED_STATUS, AM_MATCH_TITLE },
	{ "renumbered by an insertion",
	  "### 1) A thing\n- Evidence: `a.py:1`\n### 2) B thing\n- Evidence: `b.py:1`\n",
	  "### 1) A thing\n- Evidence: `a.py:1`\n### 2) New thing\n- Evidence: `n.py:1`\n### 3) B thing\n- Evidence: `b.py:1`\n",
	  "B thing", AM_CHANGE_OPEN, AM_CHANGED_RENUMBERED, AM_MATCH_TITLE },
	{ "retitled with the same evidence and section",
	  "## Backend\n### 2) WebSocket auth uses query tokens and lacks Origin checks\n- Evidence: `api/ws.py:22-77`\n",
	  "## Backend\n### 2) WebSocket auth hardening (Resolved)\n- Evidence: `api/ws.py:24-132`\n",
	  "WebSocket auth hardening (Resolved)", AM_CHANGE_RESOLVED,
	  AM_CHANGED_RETITLED | AM_CHANGED_STATUS | AM_CHANGED_EVIDENCE, AM_MATCH_SIMILARITY },
	{ "moved between sections",
	  "## Medium Priority\n- [ ] **Slow search** - index it\n", "## High Priority\n- [ ] **Slow search** - index it\n",
	  "Slow search", AM_CHANGE_OPEN, AM_CHANGED_MOVED | AM_CHANGED_PRIORITY, AM_MATCH_TITLE },
	{ "explicit IDs survive a new title",
	  "### [H-01] Replay of signatures\nStatus: Open\n", "### [H-01] Chain id missing from digest\nStatus: Resolved\n",
	  "Chain id missing from digest", AM_CHANGE_RESOLVED, AM_CHANGED_RETITLED | AM_CHANGED_STATUS, AM_MATCH_ID },
	{ "status suffix is not a retitle",
	  "#### Issue #1: Redundant import\n**File:** `m.py` (line 4)\n",
	  "#### Issue #1: Redundant import - FIXED ✅\n**File:** `m.py` (line 4)\n",
	  "Redundant import - FIXED ✅", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS, AM_MATCH_TITLE },
	{ "text change",
	  "- [ ] **Backups** - nightly\n", "- [ ] **Backups** - hourly\n",
	  "Backups", AM_CHANGE_OPEN, AM_CHANGED_TEXT, AM_MATCH_TITLE },
	{ "unrelated findings are not paired",
	  "## Backend\n### 1) Cache stampede\n- Evidence: `cache.py:3`\n",
	  "## Backend\n### 1) Password reset tokens never expire\n- Evidence: `reset.py:9`\n",
	  "Password reset tokens never expire", AM_CHANGE_NEW, 0, AM_MATCH_NONE },
	{ "renumbered table IDs follow the title",
	  "| ID | Finding | Status |\n|---|---|---|\n| T-1 | Alpha | Open |\n| T-2 | Beta | Open |\n",
	  "| ID | Finding | Status |\n|---|---|---|\n| T-1 | Gamma | Open |\n| T-2 | Alpha | Done |\n| T-3 | Beta | Open |\n",
	  "Alpha", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS, AM_MATCH_TITLE },
	{ "retitled in place: same number, section and a cited file",
	  "## Findings\n### 6. Missing Exa Search Parameters\n**Location:** `src/exa/search.py`\n",
	  "## Findings\n### 6. Exa Subpage Controls\n**Location:** `src/exa/search.py`, `docs/SPEC-030.md`\n",
	  "Exa Subpage Controls", AM_CHANGE_OPEN, AM_CHANGED_RETITLED | AM_CHANGED_EVIDENCE, AM_MATCH_SIMILARITY },
	{ "the same number alone does not pair",
	  "## Findings\n### 6. Cache stampede\n**Location:** `cache.py:3`\n",
	  "## Findings\n### 6. Password reset tokens never expire\n**Location:** `reset.py:9`\n",
	  "Password reset tokens never expire", AM_CHANGE_NEW, 0, AM_MATCH_NONE },
	{ "an ID column named '<word> ID'",
	  "### SPEC-005: Alerts\nStatus: Open\n",
	  "| Spec ID | Description | Status |\n|---|---|---|\n| SPEC-005 | Alerts system | ✅ Verified |\n",
	  "Alerts system", AM_CHANGE_RESOLVED, AM_CHANGED_RETITLED | AM_CHANGED_STATUS, AM_MATCH_ID },
	{ "a summary table re-listing a finding is that finding",
	  "# A\n### 52. Session token in localStorage\n**Location:** `storage.ts:3`\n",
	  "# A\n### 52. Session token in localStorage\n**Location:** `storage.ts:3`\n## Summary\n\n| # | Issue | Status |\n|---|---|---|\n| 52 | Session tokens in localStorage | ✅ FIXED |\n",
	  "Session token in localStorage", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS, AM_MATCH_TITLE },
	{ "moved into a Resolved table without a status column",
	  "# T\n## Outstanding Debt\n### 1. `cli.py` is 2,426 lines\n- Evidence: `cli.py:1`\n",
	  "# T\n## Resolved\n\n| Item | Resolution |\n|---|---|\n| `cli.py` is 2,426 lines | Refactored |\n",
	  "`cli.py` is 2,426 lines", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS | AM_CHANGED_MOVED | AM_CHANGED_EVIDENCE | AM_CHANGED_TEXT,
	  AM_MATCH_TITLE },
	{ "a box emptied beside an unchanged Status field",
	  "- [x] **Re-auth** - done\n  - **Status:** ✅ Implemented\n",
	  "- [ ] **Re-auth** - done\n  - **Status:** ✅ Implemented\n",
	  "Re-auth", AM_CHANGE_CLOSED, AM_CHANGED_CHECKBOX, AM_MATCH_TITLE },
	{ "a box emptied and its Status field removed",
	  "- [x] **Re-auth** - done\n  - **Status:** ✅ Implemented\n", "- [ ] **Re-auth** - done\n",
	  "Re-auth", AM_CHANGE_REGRESSED, AM_CHANGED_STATUS | AM_CHANGED_CHECKBOX, AM_MATCH_TITLE },
	{ "a checklist item that became a heading has no box to compare",
	  "- [ ] Rotate keys\n", "### Rotate keys\n**Status:** Open\n**Severity:** Low\n",
	  "Rotate keys", AM_CHANGE_OPEN, AM_CHANGED_SEVERITY, AM_MATCH_TITLE },
	{ "wontfix counts as closed",
	  "- [ ] Upgrade legacy TLS\n", "### Upgrade legacy TLS\n**Status:** Won't fix\n**Severity:** Low\n",
	  "Upgrade legacy TLS", AM_CHANGE_RESOLVED, AM_CHANGED_STATUS | AM_CHANGED_SEVERITY, AM_MATCH_TITLE },
};

START_TEST(test_row)
{
	am_report *o, *n;
	am_diff *d = diff_of(rows[_i].old_md, rows[_i].new_md, &o, &n);
	const am_change *ch = change_for(d, rows[_i].title);
	ck_assert_msg(ch->kind == rows[_i].kind, "%s: kind %s", rows[_i].name, am_change_kind_name(ch->kind));
	ck_assert_msg((ch->changed & rows[_i].changed) == rows[_i].changed, "%s: changed %#x",
		      rows[_i].name, ch->changed);
	ck_assert_msg(ch->matched_by == rows[_i].how, "%s: matched by %d", rows[_i].name, ch->matched_by);
	size_t total = 0;
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		total += d->counts[k];
	ck_assert_uint_eq(total, d->nchanges);
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

START_TEST(test_duplicates_pair_in_order)
{
	am_report *o, *n;
	am_diff *d = diff_of("- [ ] Same\n- [x] Same\n", "- [ ] Same\n- [x] Same\n- [ ] Same\n", &o, &n);
	ck_assert_uint_eq(d->counts[AM_CHANGE_OPEN], 1);
	ck_assert_uint_eq(d->counts[AM_CHANGE_CLOSED], 1);
	ck_assert_uint_eq(d->counts[AM_CHANGE_NEW], 1);
	ck_assert_ptr_eq(d->changes[0].old_finding, &o->findings[0]);
	ck_assert_ptr_eq(d->changes[1].old_finding, &o->findings[1]);
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

START_TEST(test_split_title)
{
	/* One finding becomes two: the closer title keeps the pairing, the
	 * other is new. */
	am_report *o, *n;
	am_diff *d = diff_of("## API\n### 1) Rate limits and auth on the admin API\n- Evidence: `admin.py:3`\n",
			     "## API\n### 1) Rate limits on the admin API\n- Evidence: `admin.py:3`\n"
			     "### 2) Auth on the admin API\n- Evidence: `auth.py:8`\n", &o, &n);
	ck_assert_int_eq(change_for(d, "Rate limits on the admin API")->matched_by, AM_MATCH_SIMILARITY);
	ck_assert_int_eq(change_for(d, "Auth on the admin API")->kind, AM_CHANGE_NEW);
	ck_assert_uint_eq(d->counts[AM_CHANGE_REMOVED], 0);
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

START_TEST(test_removed)
{
	am_report *o, *n;
	am_diff *d = diff_of("- [ ] Keep\n- [ ] Gone entirely\n", "- [ ] Keep\n", &o, &n);
	ck_assert_uint_eq(d->counts[AM_CHANGE_REMOVED], 1);
	ck_assert_ptr_null(d->changes[d->nchanges - 1].new_finding);
	ck_assert_str_eq(d->changes[d->nchanges - 1].old_finding->title, "Gone entirely");
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

START_TEST(test_fixture_pair)
{
	am_report *o = test_compile_file(test_data_dir(), "modern-2026-01-15.md");
	am_report *n = test_compile_file(test_data_dir(), "modern-2026-01-16.md");
	am_diff *d = NULL;
	ck_assert_int_eq(am_diff_run(&d, o, n, NULL), 0);
	ck_assert_uint_eq(d->counts[AM_CHANGE_RESOLVED], 5);
	ck_assert_uint_eq(d->counts[AM_CHANGE_NEW], 1);
	ck_assert_uint_eq(d->counts[AM_CHANGE_OPEN], 1);
	ck_assert_uint_eq(d->counts[AM_CHANGE_REMOVED], 0);
	const am_change *up = change_for(d, "Upload hardening (Resolved)");
	ck_assert_int_eq(up->matched_by, AM_MATCH_SIMILARITY);
	ck_assert_str_eq(up->old_finding->title, "Upload handler trusts client MIME types");
	const am_change *root = change_for(d, "Containers run as root (Resolved)");
	ck_assert(root->changed & AM_CHANGED_RENUMBERED);
	ck_assert_str_eq(root->old_finding->number, "6");
	ck_assert_str_eq(root->new_finding->number, "7");
	ck_assert_int_eq(change_for(d, "Rate limits missing on login (Resolved)")->kind, AM_CHANGE_NEW);
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

/* Thresholds outside (0, 1] are refused, NaN included (0 means the default). */
START_TEST(test_threshold_checked)
{
	static const double bad[] = { NAN, -0.5, 1.5, INFINITY };
	am_report *o = test_compile_str("- [ ] Keep\n"), *n = test_compile_str("- [x] Keep\n");
	am_diff_options opts = AM_DIFF_OPTIONS_INIT;
	am_diff *d = NULL;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.threshold = bad[i];
		ck_assert_int_eq(am_diff_run(&d, o, n, &opts), AM_EUSAGE);
		ck_assert_ptr_null(d);
		ck_assert_ptr_nonnull(strstr(am_error_last(), "is not in (0, 1]"));
	}
	opts.threshold = 0;
	ck_assert_int_eq(am_diff_run(&d, o, n, &opts), 0);
	ck_assert_uint_eq(d->counts[AM_CHANGE_RESOLVED], 1);
	am_diff_free(d);
	am_report_free(o);
	am_report_free(n);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("diff");
	tcase_add_loop_test(tc, test_row, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_duplicates_pair_in_order);
	tcase_add_test(tc, test_split_title);
	tcase_add_test(tc, test_removed);
	tcase_add_test(tc, test_fixture_pair);
	tcase_add_test(tc, test_threshold_checked);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
