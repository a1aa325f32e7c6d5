/* The compiler on the fixtures in tests/data and on small inline audits. */
#include <jansson.h>

#include "compile_int.h"
#include "testutil.h"

static const struct {
	const char *file;
	const char *title;
	const char *date;
	size_t findings, open, in_progress, resolved, wontfix;
	const char *evidence; /* all evidence citations, or NULL to skip */
} files[] = {
	{ "modern-2026-01-15.md", "PLATFORM_AUDIT", "2026-01-15", 6, 6, 0, 0, 0,
	  "services/api/auth/session.py:40-58;services/api/app.py:120-131;"
	  "services/api/routes/upload.py:12-40;services/api/routes/billing.py:88-104;"
	  "services/api/routes/admin.py:200-236;web/src/lib/auth.ts:15-33;deploy/Dockerfile:1-20;" },
	{ "modern-2026-01-16.md", "PLATFORM_AUDIT", "2026-01-16", 7, 1, 0, 6, 0, NULL },
	{ "todo.md", "Shop - Things To Fix", "2026-03-02", 10, 6, 0, 4, 0,
	  "config/secrets.py:0-0;shop/views.py:40-52;shop/cart.py:0-0;shop/models.py:0-0;" },
	{ "summary-mojibake.md", "Service Audit Summary", "2025-10-30", 2, 0, 0, 2, 0,
	  "src/server.py:12-12;src/server.py:88-88;" },
	{ "session.md", "Session: 2026-02-01 - Hardening pass", "2026-02-01", 6, 1, 0, 5, 0, NULL },
	{ "security.md", "Wallet service security review", "2025-11-03", 5, 1, 1, 1, 2,
	  "contracts/Wallet.sol:88-102;contracts/Wallet.sol:140-160;contracts/Wallet.sol:210-210;"
	  "contracts/Wallet.sol:1-1;contracts/Fees.sol:12-20;" },
};

START_TEST(test_fixture)
{
	am_report *r = test_compile_file(test_data_dir(), files[_i].file);
	ck_assert_str_eq(r->title, files[_i].title);
	ck_assert_str_eq(r->date, files[_i].date);
	ck_assert_uint_eq(r->nfindings, files[_i].findings);
	ck_assert_uint_eq(test_count_status(r, AM_STATUS_OPEN), files[_i].open);
	ck_assert_uint_eq(test_count_status(r, AM_STATUS_IN_PROGRESS), files[_i].in_progress);
	ck_assert_uint_eq(test_count_status(r, AM_STATUS_RESOLVED), files[_i].resolved);
	ck_assert_uint_eq(test_count_status(r, AM_STATUS_WONTFIX), files[_i].wontfix);
	if (files[_i].evidence) {
		char *ev = test_evidence(r);
		ck_assert_str_eq(ev, files[_i].evidence);
		free(ev);
	}
	am_report_free(r);
}
END_TEST

START_TEST(test_heading_finding_model)
{
	am_report *r = test_compile_file(test_data_dir(), "modern-2026-01-15.md");
	const am_finding *f = &r->findings[0];
	ck_assert_str_eq(f->id, "F1");
	ck_assert_str_eq(f->number, "1");
	ck_assert_str_eq(f->title, "Session cookies lack the Secure flag");
	ck_assert_uint_eq(f->nsection, 1);
	ck_assert_str_eq(f->section[0], "Backend");
	ck_assert_uint_eq(f->line, 8);
	ck_assert_str_eq(f->fields[0].name, "Evidence");
	ck_assert_str_eq(f->fields[1].name, "Risk");
	/* Paths in refactor steps are mentions, not evidence. */
	size_t mentions = 0;
	for (size_t k = 0; k < f->ncitations; k++)
		if (f->citations[k].role == AM_CITE_MENTION) {
			mentions++;
			ck_assert_str_eq(f->citations[k].field, "Exact refactor steps");
		}
	ck_assert_uint_eq(mentions, 2);
	/* Positions point at the path in the audit text. */
	ck_assert_uint_eq(f->citations[0].line, 9);
	ck_assert_uint_eq(f->citations[0].column, 14);
	ck_assert_str_eq(r->metadata[1].name, "Scope");
	am_report_free(r);
}
END_TEST

START_TEST(test_security_model)
{
	am_report *r = test_compile_file(test_data_dir(), "security.md");
	const am_finding *h = &r->findings[0];
	ck_assert_str_eq(h->id, "H-01");
	ck_assert(h->id_explicit);
	ck_assert_ptr_null(h->number);
	ck_assert_int_eq(h->severity, AM_SEVERITY_HIGH);
	ck_assert_str_eq(h->status_text, "Acknowledged");
	/* "#### Recommendation" is a field of H-01 and its path a mention. */
	ck_assert_str_eq(h->fields[h->nfields - 1].name, "Recommendation");
	ck_assert_int_eq(h->citations[h->ncitations - 1].role, AM_CITE_MENTION);
	ck_assert_str_eq(r->findings[1].title, "Unbounded loop in `withdrawAll`");
	ck_assert_int_eq(r->findings[1].status, AM_STATUS_RESOLVED); /* ~~Open~~ Fixed */
	ck_assert_str_eq(r->findings[3].id, "I-01");
	ck_assert_int_eq(r->findings[3].kind, AM_FINDING_TABLE);
	ck_assert_str_eq(r->metadata[0].name, "title");
	am_report_free(r);
}
END_TEST

START_TEST(test_todo_priorities)
{
	am_report *r = test_compile_file(test_data_dir(), "todo.md");
	size_t high = 0, medium = 0, low = 0, none = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		switch (r->findings[i].priority) {
		case AM_PRIORITY_HIGH: high++; break;
		case AM_PRIORITY_MEDIUM: medium++; break;
		case AM_PRIORITY_LOW: low++; break;
		default: none++; break;
		}
	ck_assert_uint_eq(high, 4);
	ck_assert_uint_eq(medium, 2);
	ck_assert_uint_eq(low, 2);
	ck_assert_uint_eq(none, 2);
	ck_assert_str_eq(r->findings[0].title, "Default admin password");
	ck_assert_int_eq(r->findings[0].kind, AM_FINDING_CHECKLIST);
	am_report_free(r);
}
END_TEST

START_TEST(test_mojibake_warning)
{
	am_report *r = test_compile_file(test_data_dir(), "summary-mojibake.md");
	ck_assert_int_gt(r->mojibake_repaired, 0);
	ck_assert_uint_ge(r->ndiags, 1);
	ck_assert_str_eq(r->diags[0].code, "mojibake");
	ck_assert_str_eq(r->findings[0].title, "Duplicate import - FIXED ✅");
	am_report_free(r);
}
END_TEST

/* Small audits, one rule each. */
static const struct {
	const char *md;
	size_t findings;
	const char *first_title;
	am_status first_status;
	const char *first_id;
} snippets[] = {
	{ "### BUG-001: Crash on empty cart\n**Severity:** High\n", 1, "Crash on empty cart", AM_STATUS_OPEN, "BUG-001" },
	{ "#### C1) Hard-coded key\n- Evidence: `a.py:3`\n", 1, "Hard-coded key", AM_STATUS_OPEN, "C1" },
	{ "## 1. Introduction\nThis audit covers the API.\n\n## 2. Scope\nAll of it.\n", 0, NULL, 0, NULL },
	{ "## Findings\n### 1) A\n- Evidence: `a.py:1`\n### 2) B\n- Status: Won't fix\n", 2, "A", AM_STATUS_OPEN, "F1" },
	{ "- [x] ~~Drop the cache~~\n", 1, "Drop the cache", AM_STATUS_RESOLVED, NULL },
	/* A status word in code is code. */
	{ "- [ ] **`except Exception: pass`** - swallows errors\n", 1, "`except Exception: pass`", AM_STATUS_OPEN, NULL },
	{ "### 4) Retry loop - `done` flag never set - Fixed\n- Evidence: `r.py:3`\n", 1, "Retry loop - `done` flag never set - Fixed", AM_STATUS_RESOLVED, NULL },
	{ "- [ ] Parent\n  - [x] Child\n", 2, "Parent", AM_STATUS_OPEN, NULL },
	{ "| Item | State |\n|---|---|\n| Backups | ✅ |\n| Alerts | 🚧 |\n", 2, "Backups", AM_STATUS_RESOLVED, NULL },
	{ "| A | B |\n|---|---|\n| x | y |\n", 0, NULL, 0, NULL },
	{ "### Weak session handling\n**Severity:** Medium\n**Location:** `s.py:4`\n", 1, "Weak session handling", AM_STATUS_OPEN, NULL },
	{ "### 3) Token leak (Resolved)\n- Evidence: `t.py:9`\n", 1, "Token leak (Resolved)", AM_STATUS_RESOLVED, "F3" },
	{ "#### Issue #4: Loose CORS - FIXED ✅\n**File:** `c.py` (line 2)\n", 1, "Loose CORS - FIXED ✅", AM_STATUS_RESOLVED, "F4" },
	{ "```\n- [ ] not a task\n```\n", 0, NULL, 0, NULL },
	{ "### [SEC-12] Weak hash\nStatus: In progress\n", 1, "Weak hash", AM_STATUS_IN_PROGRESS, "SEC-12" },
	{ "- [ ] **Fix login:** users loop\n", 1, "Fix login", AM_STATUS_OPEN, NULL },
	{ "> - [x] quoted task\n", 1, "quoted task", AM_STATUS_RESOLVED, NULL },
	{ "### Issue 1.1: Catastrophic loss\n- Evidence: `a.py:3`\n", 1, "Catastrophic loss", AM_STATUS_OPEN, "F1.1" },
	{ "## Problem 2 (Resolved): Stale cache\n### Impact\nSlow.\n", 1, "(Resolved): Stale cache", AM_STATUS_RESOLVED, "F2" },
	{ "### A1. Legacy format [P0] - ✅ COMPLETED\n**Location:** `x.py:4`\n", 1, "Legacy format [P0] - ✅ COMPLETED", AM_STATUS_RESOLVED, "A1" },
	{ "## Status\n\n**Status:** Active\n", 0, NULL, 0, NULL },
};

START_TEST(test_snippet)
{
	am_report *r = test_compile_str(snippets[_i].md);
	ck_assert_uint_eq(r->nfindings, snippets[_i].findings);
	if (snippets[_i].first_title) {
		ck_assert_str_eq(r->findings[0].title, snippets[_i].first_title);
		ck_assert_int_eq(r->findings[0].status, snippets[_i].first_status);
		if (snippets[_i].first_id)
			ck_assert_str_eq(r->findings[0].id, snippets[_i].first_id);
	}
	am_report_free(r);
}
END_TEST

START_TEST(test_derived_ids_stable_and_unique)
{
	am_report *a = test_compile_str("- [ ] Same\n- [ ] Same\n- [ ] Other\n");
	am_report *b = test_compile_str("# T\n\n- [ ] Other\n");
	ck_assert_str_ne(a->findings[0].id, a->findings[1].id);
	ck_assert_str_eq(a->findings[2].id, b->findings[0].id);
	am_report_free(a);
	am_report_free(b);
}
END_TEST

START_TEST(test_duplicate_id_warning)
{
	am_report *r = test_compile_str("### [H-01] A\nStatus: Open\n### [H-01] B\nStatus: Open\n");
	ck_assert_uint_eq(r->nfindings, 2);
	bool warned = false;
	for (size_t i = 0; i < r->ndiags; i++)
		warned |= !strcmp(r->diags[i].code, "duplicate-id");
	ck_assert(warned);
	am_report_free(r);
}
END_TEST

/* A table row re-listing a finding: merged, its status used when the
 * finding has none, a contradiction reported. */
START_TEST(test_table_rows_merge_into_findings)
{
	am_report *r = test_compile_str(
		"# A\n### 52. HIGH: Session token in localStorage\n**Location:** `s.ts:3`\n"
		"### 53. Missing CSRF token\n**Status:** Open\n**Location:** `c.ts:3`\n"
		"## Summary\n\n| # | Severity | Issue | Status |\n|---|---|---|---|\n"
		"| 52 | HIGH | Session tokens in localStorage | ✅ FIXED |\n"
		"| 53 | HIGH | CSRF token missing | ✅ FIXED |\n"
		"| 54 | LOW | Something else | 🔴 OPEN |\n");
	ck_assert_uint_eq(r->nfindings, 3);
	ck_assert_str_eq(r->findings[0].id, "F52");
	ck_assert_int_eq(r->findings[0].status, AM_STATUS_RESOLVED);
	ck_assert_str_eq(r->findings[0].status_text, "✅ FIXED");
	ck_assert_int_eq(r->findings[1].status, AM_STATUS_OPEN);
	ck_assert_str_eq(r->findings[2].title, "Something else");
	ck_assert_int_eq(r->findings[2].kind, AM_FINDING_TABLE);
	size_t conflicts = 0;
	for (size_t i = 0; i < r->ndiags; i++)
		if (!strcmp(r->diags[i].code, "status-conflict")) {
			conflicts++;
			ck_assert_uint_eq(r->diags[i].line, 12);
		}
	ck_assert_uint_eq(conflicts, 1);
	am_report_free(r);

	/* A summary row without a status column states none: no conflict
	 * with the finding's own "Fixed". */
	r = test_compile_str("# A\n## Summary\n\n| ID | Title | Severity |\n|---|---|---|\n"
			     "| 1 | Fee overflow | High |\n"
			     "## Details\n### 1. Fee overflow\n**Description**\n\nIn `f.rs:8`.\n\n"
			     "**Status:** Fixed\n");
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_int_eq(r->findings[0].status, AM_STATUS_RESOLVED);
	ck_assert_int_eq(r->findings[0].severity, AM_SEVERITY_HIGH);
	for (size_t i = 0; i < r->ndiags; i++)
		ck_assert_str_ne(r->diags[i].code, "status-conflict");
	am_report_free(r);

	/* A table of two columns in a finding's body states its fields; a
	 * wider one is data, whatever its cells say. */
	r = test_compile_str("# A\n### 1. Kept\n**Evidence:** `a.c:1`\n\n| | |\n|---|---|\n"
			     "| Status: Fixed | Severity: **High** |\n"
			     "### 2. Data\n**Evidence:** `b.c:1`\n\n| Step | Note | Owner |\n|---|---|---|\n"
			     "| 1 | Status: Fixed upstream | me |\n");
	ck_assert_uint_eq(r->nfindings, 2);
	ck_assert_int_eq(r->findings[0].status, AM_STATUS_RESOLVED);
	ck_assert_int_eq(r->findings[0].severity, AM_SEVERITY_HIGH);
	ck_assert_int_eq(r->findings[1].status, AM_STATUS_OPEN);
	am_report_free(r);
}
END_TEST

/* A table without a status column is findings only under a heading that
 * gives a status, and with a column naming them. */
START_TEST(test_status_less_tables)
{
	am_report *r = test_compile_str("# T\n## Resolved\n\n| Item | Resolution |\n|---|---|\n| Old cache | Removed |\n"
					"## Notes\n\n| Item | Owner |\n|---|---|\n| Not a finding | me |\n"
					"## Done\n\n| Owner | Date |\n|---|---|\n| me | today |\n");
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].title, "Old cache");
	ck_assert_int_eq(r->findings[0].status, AM_STATUS_RESOLVED);
	am_report_free(r);
}
END_TEST

/* A ticked box stands when its Status field says nothing we know. */
START_TEST(test_checkbox_when_status_unknown)
{
	am_report *r = test_compile_str("- [x] **Harden X:** thing\n  - **Status:** ⚠️ MANUAL ACTION REQUIRED\n"
					"- [ ] **Y** other\n  - **Status:** Done\n");
	ck_assert_uint_eq(r->nfindings, 2);
	ck_assert_int_eq(r->findings[0].status, AM_STATUS_RESOLVED);
	ck_assert_str_eq(r->findings[0].status_text, "⚠️ MANUAL ACTION REQUIRED");
	ck_assert_int_eq(r->findings[1].status, AM_STATUS_RESOLVED);
	am_report_free(r);
}
END_TEST

START_TEST(test_errors)
{
	am_report *r = NULL;
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	opts.source = "bad.md";
	ck_assert_int_eq(am_compile(&r, "ok\n\xff", 4, &opts), AM_EPARSE);
	ck_assert_str_eq(am_error_last(), "bad.md:2:1: invalid UTF-8 (byte 0xFF)");
	ck_assert_ptr_null(r);
	opts.max_size = 3;
	ck_assert_int_eq(am_compile(&r, "abcd", 4, &opts), AM_ELIMIT);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_deep_nesting_is_a_limit)
{
	am_buf md = AM_BUF_INIT;
	for (int i = 0; i < 2000; i++)
		am_buf_puts(&md, "> ");
	am_buf_puts(&md, "- [ ] deep\n");
	am_report *r = NULL;
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	int rc = am_compile(&r, md.ptr, md.size, &opts);
	ck_assert_int_eq(rc, AM_ELIMIT);
	ck_assert_ptr_nonnull(strstr(am_error_last(), "nested deeper than the limit"));
	am_buf_free(&md);
}
END_TEST

/* Compiles md[0..len) in one pass (never cut: split_min SIZE_MAX), and
 * in parts when it is at least split_min bytes (0 for the default) and
 * can be cut: in pieces on two threads, and part after part on one
 * thread. The JSON must be the same. Returns the one-pass report. */
static am_report *compile_both_ways(const char *md, size_t len, size_t split_min, const char *what)
{
	am_compile_options one = AM_COMPILE_OPTIONS_INIT, cut = AM_COMPILE_OPTIONS_INIT;
	one.threads = 1;
	one.split_min = SIZE_MAX;
	one.source = cut.source = "big.md";
	cut.split_min = split_min;
	am_report *a = NULL;
	char *ja = NULL;
	ck_assert_int_eq(am_compile(&a, md, len, &one), 0);
	am_report_to_json(&ja, a, 0);
	for (unsigned threads = 0; threads <= 1; threads++) {
		am_report *b = NULL;
		char *jb = NULL;
		cut.threads = threads;
		ck_assert_int_eq(am_compile(&b, md, len, &cut), 0);
		am_report_to_json(&jb, b, 0);
		ck_assert_uint_eq(a->nfindings, b->nfindings);
		ck_assert_msg(!strcmp(ja, jb), "%s: the compile in parts on %s differs from one pass", what,
			      threads ? "one thread" : "two threads");
		free(jb);
		am_report_free(b);
	}
	free(ja);
	return a;
}

/* The split size of the tests below: the two-part compile of a large audit
 * runs on audits of a few kilobytes (the option split_min lowered), which
 * take the same paths as megabytes do. */
#define SPLIT_MIN 1

/* An audit is compiled in two parts on two threads: the result must be
 * the one a single pass gives, for every kind of cut. */
static const char *const split_tails[] = {
	"",                                            /* plain */
	"```\n## fenced heading, not a cut\n```\n",  /* a fence around a heading */
	"<div>\n## html\n</div>\n",                  /* an HTML block around one */
	"[ref]: https://example.com\n",               /* link definitions: no cut */
};

START_TEST(test_split_is_invisible)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# BIG AUDIT\n\nDate: 2026-01-15\n\n");
	for (int i = 1; i <= 140; i++) {
		if (i % 10 == 1)
			am_buf_printf(&md, "## Area %d\n\n%s\n", i / 10, split_tails[_i]);
		am_buf_printf(&md, "### %d) Finding number %d\n- Status: %s\n- Evidence: `src/f%d.py:%d-%d` and more\n"
			      "- Fix: see `lib/x%d.py`\n\n- [x] **Task %d** done in `t%d.ts:3`\n\n",
			      i, i, i % 3 ? "Open" : "Resolved", i, i, i + 4, i, i, i);
		if (i % 14 == 0)
			am_buf_printf(&md, "| ID | Finding | Status |\n|---|---|---|\n| R-%d | Row | Done |\n\n", i);
	}
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line);
	if (_i == 3) {
		ck_assert_uint_eq(cut, 0); /* link definitions reach across a cut */
	} else {
		ck_assert_uint_gt(cut, 0);
		ck_assert(!strncmp(md.ptr + cut, "## Area ", 8));
	}
	am_report_free(compile_both_ways(md.ptr, md.size, SPLIT_MIN, split_tails[_i]));
	am_buf_free(&md);
}
END_TEST

/* An audit many times the split size is cut in more pieces, each compiled
 * from the state the headings above it predict and taken in order: for
 * two to eight pieces, the result is one pass's, with what crosses their
 * cuts (a table re-listing findings of other pieces, item IDs of one
 * scheme, a finding's field headings, a title in the middle, sections
 * several levels deep). Odd counts are rounded down to even ones. */
START_TEST(test_pieces_are_invisible)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# PIECES\n\nDate: 2026-01-15\n\n");
	for (int i = 1; i <= 160; i++) {
		if (i % 40 == 1)
			am_buf_printf(&md, "## Part %d\n\n", i / 40);
		if (i % 10 == 1)
			am_buf_printf(&md, "### Area %d\n\n", i / 10);
		if (i == 81)
			am_buf_puts(&md, "# A second title\n\n");
		if (i % 7 == 0) {
			am_buf_printf(&md, "#### %d) Finding with fields %d\n\n##### Status\n\nOpen\n\n"
				      "##### Evidence\n\n`src/e%d.py:%d`\n\n",
				      i, i, i, i);
			continue;
		}
		am_buf_printf(&md, "#### %d) Finding number %d\n- Status: %s\n- Evidence: `src/f%d.py:%d-%d`\n\n"
			      "- **BUG-%d (sub):** checked in `t%d.ts:3`\n- [ ] Task %d\n  - [x] Sub-task %d\n\n",
			      i, i, i % 3 ? "Open" : "Resolved", i, i, i + 4, i, i, i, i);
		if (i % 25 == 0)
			am_buf_printf(&md, "| ID | Finding | Status |\n|---|---|---|\n| F%d | Finding number %d | Done |\n"
				      "| BUG-%d | again | Open |\n\n",
				      i - 24, i - 24, i - 30);
	}
	uint32_t line = 0;
	ck_assert_uint_gt(am_compile__find_split(md.ptr, md.size, 1, &line), 0);
	size_t npieces = (size_t)_i;
	char what[32];
	snprintf(what, sizeof(what), "%zu pieces", npieces);
	am_report_free(compile_both_ways(md.ptr, md.size, md.size / (2 * npieces), what));
	am_buf_free(&md);
}
END_TEST

/* Patterns compiled once (am_compiler) give every audit the model it gets
 * alone, and one audit's legend does not reach the next. */
START_TEST(test_compiler_reused)
{
	static const char *const audits[] = {
		"# A\n\nLegend: ⛔ = resolved\n\n### 1) First ⛔\n- Evidence: `a.py:1`\n",
		"# B\n\n### 1) Second ⛔\n- Evidence: `b.py:2`\n",
		"# C\n\n- [x] **Done** in `c.py:3`\n- [ ] Open `d.py:4`\n",
	};
	am_compiler *cp = NULL;
	ck_assert_int_eq(am_compiler_new(&cp, NULL), 0);
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(audits) / sizeof(audits[0]); i++) {
			am_compile_options o = AM_COMPILE_OPTIONS_INIT;
			am_report *alone = NULL, *shared = NULL;
			char *ja = NULL, *jb = NULL;
			ck_assert_int_eq(am_compile(&alone, audits[i], strlen(audits[i]), &o), 0);
			o.compiler = cp;
			ck_assert_int_eq(am_compile(&shared, audits[i], strlen(audits[i]), &o), 0);
			ck_assert_int_eq(am_report_to_json(&ja, alone, 0), 0);
			ck_assert_int_eq(am_report_to_json(&jb, shared, 0), 0);
			ck_assert_str_eq(jb, ja);
			if (i == 0) /* A's legend: "⛔" is resolved there */
				ck_assert_int_eq(shared->findings[0].status, AM_STATUS_RESOLVED);
			if (i == 1) /* and open again without it */
				ck_assert_int_eq(shared->findings[0].status, AM_STATUS_OPEN);
			free(ja);
			free(jb);
			am_report_free(alone);
			am_report_free(shared);
		}
	am_compiler_free(cp);
	am_compiler_free(NULL);
}
END_TEST

/* An audit is cut from the split size up, never below it. */
START_TEST(test_split_size)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# T\n\n");
	for (int i = 0; i < 40; i++)
		am_buf_printf(&md, "## Area %d\n\nSome text about area %d.\n\n", i, i);
	uint32_t line = 0;
	ck_assert_uint_gt(am_compile__find_split(md.ptr, md.size, md.size, &line), 0);
	ck_assert_uint_gt(line, 1);
	ck_assert_uint_eq(am_compile__find_split(md.ptr, md.size, md.size + 1, &line), 0);
	ck_assert_uint_eq(am_compile__find_split(md.ptr, md.size, AM_DEFAULT_SPLIT_MIN, &line), 0);
	am_buf_free(&md);
}
END_TEST

/* Random audits of mixed structure — status and priority sections, findings
 * with sub-headings, checklists with sub-tasks, tables, metadata, fences —
 * cut wherever find_split says: the parts must compile exactly as the
 * whole does. */
static uint32_t lcg(uint32_t *st)
{
	*st = *st * 1103515245u + 12345u;
	return (*st >> 16) & 0x7fff;
}

START_TEST(test_split_random_structure)
{
	static const char *const sections[] = {
		"Resolved", "Open Items", "High Priority", "Medium Priority", "✅ Completed",
		"Critical Severity", "Notes", "Backlog (P2)",
	};
	uint32_t st = 0x9e3779b9u ^ (uint32_t)_i;
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# RANDOM AUDIT\n\nDate: 2026-01-15\nOwner: team\n\n");
	int n = 0;
	while (md.size < 20000) {
		uint32_t r = lcg(&st) % 100;
		int level = 2 + (int)(lcg(&st) % 3);
		if (r < 8) {
			/* Sections of every level, parts of the document too. */
			level = 1 + (int)(lcg(&st) % 4);
			am_buf_printf(&md, "%.*s %s\n\nStatus: %s\n\n", level, "######",
				      sections[lcg(&st) % 8], lcg(&st) % 2 ? "Open" : "Done");
		} else if (r < 60) {
			n++;
			am_buf_printf(&md, "%.*s %d) Finding %u about `x%u`\n- Status: %s\n- Evidence: `src/f%d.py:%d-%d`\n\n",
				      level, "######", n, lcg(&st), lcg(&st) % 50,
				      lcg(&st) % 3 ? "Open" : "Resolved", n, n % 90 + 1, n % 90 + 3);
			if (lcg(&st) % 4 == 0)
				am_buf_printf(&md, "%.*s Evidence\n- `lib/e%d.ts:4`\n\n%.*s Fix\nDo it.\n\n",
					      level + 1, "#######", n, level + 1, "#######");
		} else if (r < 75) {
			/* Some with sub-tasks: their parents are indices until
			 * the parts are merged. */
			for (int k = 0; k < 3; k++) {
				am_buf_printf(&md, "- [%c] Task %u in `t%u.go:3`\n", lcg(&st) % 2 ? 'x' : ' ',
					      lcg(&st), lcg(&st) % 40);
				if (lcg(&st) % 3 == 0)
					am_buf_printf(&md, "  - [%c] Sub-task %u\n", lcg(&st) % 2 ? 'x' : ' ', lcg(&st));
			}
			am_buf_puts(&md, "\n");
		} else if (r < 85) {
			am_buf_printf(&md, "| ID | Finding | Status |\n|---|---|---|\n| T-%u | Row %u | %s |\n\n",
				      lcg(&st), lcg(&st), lcg(&st) % 2 ? "Open" : "Fixed");
		} else if (r < 92) {
			am_buf_printf(&md, "Priority: P%u\nDate: 2026-0%u-1%u\n\n", lcg(&st) % 4,
				      1 + lcg(&st) % 9, lcg(&st) % 10);
		} else {
			am_buf_printf(&md, "```\n%.*s not a heading %u\n```\n\n", level, "######", lcg(&st));
		}
	}
	uint32_t line = 0;
	ck_assert_uint_gt(am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line), 0);
	char what[64];
	snprintf(what, sizeof(what), "seed %d, cut at line %u", _i, line);
	am_report_free(compile_both_ways(md.ptr, md.size, SPLIT_MIN, what));
	am_buf_free(&md);
}
END_TEST

/* The cut goes near the middle even when the shallowest headings are far
 * from it: at a finding heading, and the second part keeps the section it
 * starts in (its status and priority). */
START_TEST(test_split_balanced_inside_a_section)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# AUDIT\n\n## High Priority\n\n");
	for (int i = 1; i <= 90; i++) {
		if (i == 30)
			am_buf_puts(&md, "## Resolved (Low Priority)\n\n");
		am_buf_printf(&md, "### %d) Finding %d\n- Evidence: `src/f%d.py:%d`\n- Risk: something long enough "
			      "to make the audit large, with words\n\n", i, i, i, i);
	}
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line);
	ck_assert_uint_gt(cut, md.size * 3 / 8);
	ck_assert_uint_lt(cut, md.size * 5 / 8);
	ck_assert(!strncmp(md.ptr + cut, "### ", 4));
	am_report *a = compile_both_ways(md.ptr, md.size, SPLIT_MIN, "a section before the cut");
	ck_assert_uint_eq(a->nfindings, 90);
	const am_finding *last = &a->findings[89];
	ck_assert_int_eq(last->status, AM_STATUS_RESOLVED);
	ck_assert_int_eq(last->priority, AM_PRIORITY_LOW);
	ck_assert_uint_eq(last->nsection, 1);
	ck_assert_str_eq(last->section[0], "Resolved (Low Priority)");
	am_report_free(a);
	am_buf_free(&md);
}
END_TEST

/* A cut at a field heading ("### Impact") of the finding above it: that
 * finding is judged on its whole body, as in one pass. */
START_TEST(test_cut_at_a_field_heading)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# BUG-071 Appendix\n\n## High risk mocks\n\nThese define the shape of API responses.\n\n"
			 "### Current State\n\n| Component | Risk |\n|---|---|\n| client | Low |\n\n");
	for (int i = 0; i < 40; i++)
		am_buf_puts(&md, "Some words about the state of the mocks and their risk.\n\n");
	am_buf_puts(&md, "### Impact\n\n");
	for (int i = 0; i < 40; i++)
		am_buf_puts(&md, "Tests pass while the real API has changed under them.\n\n");
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line);
	ck_assert_msg(cut && !strncmp(md.ptr + cut, "### Impact", 10), "cut at %.20s", md.ptr + cut);
	am_report *a = compile_both_ways(md.ptr, md.size, SPLIT_MIN, "a cut at a field heading");
	ck_assert_uint_eq(a->nfindings, 1);
	ck_assert_str_eq(a->findings[0].title, "High risk mocks");
	am_report_free(a);
	am_buf_free(&md);
}
END_TEST

/* What one pass knows when it reaches a part, a part compiled while the
 * next is parsed knows too: the ID schemes of the findings before it, the
 * legend at the end (the audit is then compiled in one pass), a second
 * level-1 heading further on, field sub-headings and a finding's body past
 * a cut. Each audit is compiled in parts (every cut one) and in one pass;
 * the check says what one pass finds. */
static const struct {
	const char *what, *md;
	size_t nfindings;
	const char *last_id; /* of the last finding, or NULL */
	am_status last_status;
} one_pass[] = {
	{ "an item whose ID scheme a finding in an earlier part uses",
	  "# Audit\n\n## Findings\n\n### BUG-001: Token leak\n- Status: Open\n- Evidence: `a.py:1`\n\n"
	  "## Later notes\n\n- **Truthiness traps (BUG-021):** the check is wrong in `b.py:3`.\n",
	  2, "BUG-021", AM_STATUS_OPEN },
	{ "a legend in the last part",
	  "# Audit\n\n## Open\n\n### 1) First 🟢\n- Evidence: `a.py:1`\n\n### 2) Second\n- Evidence: `b.py:2`\n\n"
	  "## Legend\n\n🟢 = Fixed\n",
	  2, NULL, AM_STATUS_UNKNOWN },
	{ "a second level-1 heading in a later part",
	  "Intro words.\n\n# Audit\n\n## Open\n\n### 1) First\n- Status: Open\n- Evidence: `a.py:1`\n\n"
	  "## Closed\n\n### 2) Second\n- Status: Fixed\n- Evidence: `b.py:2`\n\n# Appendix\n\nMore words.\n",
	  2, NULL, AM_STATUS_RESOLVED },
	{ "a finding whose body ends with a Setext heading right before a cut",
	  "# Audit\n\n## Open\n\n# R-01: Split it\n- Status: Open\n- Evidence: `app.py:1-9`\n\nNotes\n-----\n# Why\n\ntext\n",
	  1, "R-01", AM_STATUS_OPEN },
	{ "a finding's field sub-headings and body past cuts",
	  "# Audit\n\n## BUG-7: Cache poisoning\n\nWords.\n\n### Evidence\n\n`c.py:9`\n\n### Impact\n\nBad.\n\n"
	  "### Status\n\nResolved\n\n## BUG-8: Other\n- Status: Open\n",
	  2, "BUG-8", AM_STATUS_OPEN },
};

START_TEST(test_parts_hold_one_pass)
{
	const char *md = one_pass[_i].md;
	am_report *a = compile_both_ways(md, strlen(md), SPLIT_MIN, one_pass[_i].what);
	ck_assert_uint_eq(a->nfindings, one_pass[_i].nfindings);
	const am_finding *last = &a->findings[a->nfindings - 1];
	if (one_pass[_i].last_id)
		ck_assert_str_eq(last->id, one_pass[_i].last_id);
	if (one_pass[_i].last_status != AM_STATUS_UNKNOWN)
		ck_assert_int_eq(last->status, one_pass[_i].last_status);
	am_report_free(a);
}
END_TEST

/* A large audit is compiled in two halves at once, the second from the
 * state the headings above its first line give (compile_pieces.c). Each
 * audit below is two halves of prose around one heading in its middle,
 * where it is cut; what the second half needs from the first (which the
 * halves cannot know in advance) must come out as one pass has it. */
static const struct {
	const char *what, *first, *second;
	size_t nfindings;
	const char *last_id; /* of the last finding, or NULL */
	am_status first_status, last_status;
	am_severity last_severity;
} halves[] = {
	{ "an item whose ID scheme only the first half uses",
	  "# Audit\n\n## Findings\n\n### BUG-001: Token leak\n- Status: Open\n- Evidence: `a.py:1`\n\n",
	  "## Later notes\n\n- **Truthiness traps (BUG-021):** the check is wrong in `b.py:3`.\n\n",
	  2, "BUG-021", AM_STATUS_OPEN, AM_STATUS_OPEN, AM_SEVERITY_NONE },
	{ "a finding of the first half listed again in the second",
	  "# Audit\n\n## Findings\n\n### BUG-001: Token leak\n- Severity: High\n- Evidence: `a.py:1`\n\n",
	  "## Resolved since the last review\n\n- BUG-001 (fixed in #231)\n\n",
	  1, "BUG-001", AM_STATUS_RESOLVED, AM_STATUS_RESOLVED, AM_SEVERITY_HIGH },
	{ "a section above the cut rates the second half's findings",
	  "# Audit\n\n## High severity\n\n### 1) First\n- Status: Open\n- Evidence: `a.py:1`\n\n",
	  "### 2) Second\n- Status: Fixed\n- Evidence: `b.py:2`\n\n",
	  2, NULL, AM_STATUS_OPEN, AM_STATUS_RESOLVED, AM_SEVERITY_HIGH },
	{ "a Setext section the lines above the cut do not show",
	  "# Audit\n\nHigh severity\n-------------\n\n### 1) First\n- Status: Open\n- Evidence: `a.py:1`\n\n",
	  "### 2) Second\n- Status: Fixed\n- Evidence: `b.py:2`\n\n",
	  2, NULL, AM_STATUS_OPEN, AM_STATUS_RESOLVED, AM_SEVERITY_HIGH },
	{ "a Setext title the lines above the cut do not show",
	  "Audit\n=====\n\n## Open\n\n### 1) First\n- Status: Open\n- Evidence: `a.py:1`\n\n",
	  "## Closed\n\n### 2) Second\n- Status: Fixed\n- Evidence: `b.py:2`\n\n",
	  2, NULL, AM_STATUS_OPEN, AM_STATUS_RESOLVED, AM_SEVERITY_NONE },
	{ "a status section the first half opens and the cut does not close",
	  "# Audit\n\n## Resolved\n\n### 1) First\n- Evidence: `a.py:1`\n\n",
	  "### 2) Second\n- Evidence: `b.py:2`\n\n",
	  2, NULL, AM_STATUS_RESOLVED, AM_STATUS_RESOLVED, AM_SEVERITY_NONE },
	{ "a second half in the first half's preamble",
	  "# Audit\n\nOwner: Platform team\n\n",
	  "# Appendix\n\nOwner: someone else\n\n### 1) Only\n- Status: Open\n- Evidence: `b.py:2`\n\n",
	  1, NULL, AM_STATUS_OPEN, AM_STATUS_OPEN, AM_SEVERITY_NONE },
};

START_TEST(test_halves_hold_one_pass)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, halves[_i].first);
	for (int i = 0; i < 40; i++)
		am_buf_puts(&md, "Words about the system and its parts, none of them a finding.\n\n");
	size_t cut = md.size;
	am_buf_puts(&md, halves[_i].second);
	while (md.size < 2 * cut)
		am_buf_puts(&md, "More words about the system, none of them a finding.\n\n");
	am_report *a = compile_both_ways(md.ptr, md.size, SPLIT_MIN, halves[_i].what);
	ck_assert_uint_eq(a->nfindings, halves[_i].nfindings);
	const am_finding *last = &a->findings[a->nfindings - 1];
	if (halves[_i].last_id)
		ck_assert_str_eq(last->id, halves[_i].last_id);
	ck_assert_int_eq(a->findings[0].status, halves[_i].first_status);
	ck_assert_int_eq(last->status, halves[_i].last_status);
	ck_assert_int_eq(last->severity, halves[_i].last_severity);
	am_report_free(a);
	am_buf_free(&md);
}
END_TEST

/* Struck-through items are resolved in both parts of a large audit, every
 * time: the two parts are parsed at once, and cmark-gfm's strikethrough
 * extension made '~' special for the process, not the parser (the part
 * that finished first took it away from the other). */
START_TEST(test_struck_items_in_both_parts)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# STRUCK\n\n");
	size_t n = 0;
	for (int sec = 0; md.size < 65536; sec++) {
		am_buf_printf(&md, "## Area %d\n\n", sec);
		for (int i = 0; i < 200; i++, n++)
			am_buf_printf(&md, "- [ ] %sItem %zu about the cache and its keys%s\n", n % 2 ? "~~" : "",
				      n, n % 2 ? "~~" : "");
		am_buf_puts(&md, "\n");
	}
	for (int run = 0; run < 4; run++) {
		am_report *a = compile_both_ways(md.ptr, md.size, SPLIT_MIN, "struck items");
		ck_assert_uint_eq(a->nfindings, n);
		size_t resolved = 0;
		for (size_t i = 0; i < a->nfindings; i++)
			resolved += a->findings[i].status == AM_STATUS_RESOLVED;
		ck_assert_uint_eq(resolved, n / 2);
		am_report_free(a);
	}
	am_buf_free(&md);
}
END_TEST

/* Past 10,000 diagnostics the rest are dropped: the first 10,000 in
 * document order, whether the audit was compiled in one part or two. */
START_TEST(test_diagnostics_limit_across_parts)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# MANY WARNINGS\n\n");
	for (int sec = 0; sec < 102; sec++) {
		am_buf_printf(&md, "## Area %d\n\n", sec);
		for (int i = 0; i < 100; i++)
			am_buf_printf(&md, "- [ ] **I%d.%d**\n  - Status: Fixed\n", sec, i);
		am_buf_puts(&md, "\n");
	}
	/* The diagnostics are in the JSON: compared there. */
	am_report *a = compile_both_ways(md.ptr, md.size, SPLIT_MIN, "over 10,000 diagnostics");
	ck_assert_uint_gt(a->nfindings, 10000);
	ck_assert_uint_eq(a->ndiags, 10000);
	am_report_free(a);
	am_buf_free(&md);
}
END_TEST

/* An error in the second part of an audit compiled in two parts reads as
 * it does in one pass: the part's thread has an error slot of its own,
 * and the message was lost ("auditmd: error: " and nothing after). */
START_TEST(test_error_in_the_second_part)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# T\n\n");
	for (int i = 0; i < 80; i++)
		am_buf_printf(&md, "## Area %d\n\nSome words about the area and its state.\n\n", i);
	size_t deep = md.size;
	am_buf_puts(&md, "#### ");
	for (int i = 0; i < 300; i++)
		am_buf_puts(&md, "![");
	am_buf_puts(&md, "x");
	for (int i = 0; i < 300; i++)
		am_buf_puts(&md, "](u)");
	am_buf_puts(&md, "\n");
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line);
	ck_assert_uint_gt(cut, 0);
	ck_assert_uint_lt(cut, deep);

	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *r = NULL;
	char one[512];
	opts.source = "deep.md";
	opts.threads = 1;
	ck_assert_int_eq(am_compile(&r, md.ptr, md.size, &opts), AM_ELIMIT);
	snprintf(one, sizeof(one), "%s", am_error_last());
	ck_assert_str_eq(one, "deep.md:323:518: inline nesting deeper than the limit of 256 levels");
	am_error_clear();
	opts.threads = 0;
	opts.split_min = SPLIT_MIN;
	ck_assert_int_eq(am_compile(&r, md.ptr, md.size, &opts), AM_ELIMIT);
	ck_assert_str_eq(am_error_last(), one);
	ck_assert_ptr_null(r);
	am_buf_free(&md);
}
END_TEST

/* A large text is checked in two halves at once, cut after a blank line
 * past its middle. Whatever is in the second half, the result, or the
 * error and its place, is one pass's: a table row over the cell limit, a
 * byte that is not UTF-8, CRLF line ends, a BOM-like character at the
 * half's start, Latin-1 mojibake, and nothing at all. */
static const char *const second_halves[] = {
	"| a | b |\n|---|---|\n| WIDE |\n",
	"Bytes: \xff\xfe here.\n",
	"## CRLF\r\n\r\n- Status: Open\r\n",
	"\xef\xbb\xbf## After a BOM\n",
	"Caf\xc3\x83\xc2\xa9 with mojibake.\n",
	"## Plain\n\n- Status: Open\n- Evidence: `z.py:9`\n",
};

START_TEST(test_checked_in_halves)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# T\n\n");
	for (int i = 0; i < 60; i++)
		am_buf_printf(&md, "### %d) Finding %d\n- Status: Open\n- Evidence: `a%d.py:%d`\n\n", i, i, i, i + 1);
	const char *tail = second_halves[_i];
	if (strstr(tail, "WIDE")) {
		am_buf_puts(&md, "| a | b |\n|---|---|\n|");
		for (int i = 0; i < 200; i++)
			am_buf_puts(&md, " c |");
		am_buf_puts(&md, "\n");
	} else {
		am_buf_puts(&md, tail);
	}
	am_compile_options one = AM_COMPILE_OPTIONS_INIT, two = AM_COMPILE_OPTIONS_INIT;
	one.threads = 1;
	one.source = two.source = "halves.md";
	two.split_min = 64;
	am_report *a = NULL, *b = NULL;
	char err[512] = "";
	int rc = am_compile(&a, md.ptr, md.size, &one);
	snprintf(err, sizeof(err), "%s", rc < 0 ? am_error_last() : "");
	am_error_clear();
	ck_assert_int_eq(am_compile(&b, md.ptr, md.size, &two), rc);
	if (rc < 0) {
		ck_assert_str_eq(am_error_last(), err);
		ck_assert(strstr(err, "halves.md:") == err);
	} else {
		char *ja = NULL, *jb = NULL;
		ck_assert_int_eq(am_report_to_json(&ja, a, 0), 0);
		ck_assert_int_eq(am_report_to_json(&jb, b, 0), 0);
		ck_assert_str_eq(jb, ja);
		free(ja);
		free(jb);
	}
	am_report_free(a);
	am_report_free(b);
	am_buf_free(&md);
}
END_TEST

/* A task item whose text starts with a block (code, a quote) reads each
 * block of its body once: the blocks after the first were read twice, and
 * their citations counted twice. */
START_TEST(test_task_item_starting_with_a_block)
{
	am_report *r = test_compile_str("- [ ] \n  ```\n  code a.py:3\n  ```\n\n  See `b.py:6`.\n\n"
					"1. [ ] \n   > quote `q.py:1`\n\n   More `m.py:2`\n");
	ck_assert_uint_eq(r->nfindings, 2);
	ck_assert_uint_eq(r->findings[0].ncitations, 2);
	ck_assert_str_eq(r->findings[0].citations[0].path, "a.py");
	ck_assert_uint_eq(r->findings[0].citations[0].line, 3);
	ck_assert_str_eq(r->findings[0].citations[1].path, "b.py");
	ck_assert_uint_eq(r->findings[0].citations[1].line, 6);
	ck_assert_uint_eq(r->findings[1].ncitations, 2);
	ck_assert_str_eq(r->findings[1].citations[0].path, "q.py");
	ck_assert_str_eq(r->findings[1].citations[1].path, "m.py");
	am_report_free(r);
}
END_TEST

/* A checklist item's own box is kept, and written as "checked". */
START_TEST(test_checkbox)
{
	am_report *r = test_compile_str("- [x] Alpha in `a.py:1`\n- [ ] Beta in `b.py:2`\n\n"
					"### 3) Gamma\n- Evidence: `c.py:3`\n");
	ck_assert_uint_eq(r->nfindings, 3);
	ck_assert_int_eq(r->findings[0].checkbox, AM_CHECKBOX_TICKED);
	ck_assert_int_eq(r->findings[1].checkbox, AM_CHECKBOX_EMPTY);
	ck_assert_int_eq(r->findings[2].checkbox, AM_CHECKBOX_NONE);
	char *json = NULL;
	ck_assert_int_eq(am_report_to_json(&json, r, 0), 0);
	json_t *v = json_loads(json, 0, NULL);
	json_t *fs = json_object_get(v, "findings");
	ck_assert(json_is_true(json_object_get(json_array_get(fs, 0), "checked")));
	ck_assert(json_is_false(json_object_get(json_array_get(fs, 1), "checked")));
	ck_assert_ptr_null(json_object_get(json_array_get(fs, 2), "checked"));
	json_decref(v);
	free(json);
	am_report_free(r);
}
END_TEST

/* A link definition acts across the document, even indented in a nested
 * list item or in a quote: no cut. */
static const char *const link_defs[] = {
	"- a\n  - b\n\n    [x]: https://example.com/x\n",
	"> [x]: https://example.com/x\n",
	"[x]: https://example.com/x\n",
};

START_TEST(test_no_cut_with_a_link_definition)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# T\n\n");
	for (int i = 0; i < 40; i++)
		am_buf_printf(&md, "## Area %d\n\nSee [x] for the details.\n\n", i);
	am_buf_puts(&md, link_defs[_i]);
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md.ptr, md.size, SPLIT_MIN, &line);
	ck_assert_uint_eq(cut, 0);
	am_buf_free(&md);
}
END_TEST

/* cmark-gfm gives no position to a paragraph a table header cuts short,
 * and lines from 0 to its text: citations there still get their lines and
 * columns. */
START_TEST(test_positions_above_a_table)
{
	am_report *r = test_compile_str("### 1) Leak\n- Status: Open\n\nsee `a.py:3` here\nand more `b.py:4` text\n"
					"| Check | Status |\n|---|---|\n| `c.py:5` | Open |\n");
	ck_assert_uint_ge(r->nfindings, 1);
	const am_finding *f = &r->findings[0];
	ck_assert_uint_eq(f->ncitations, 3);
	ck_assert_uint_eq(f->citations[2].line, 8);
	ck_assert_uint_eq(f->citations[2].column, 4);
	ck_assert_uint_eq(f->citations[0].line, 4);
	ck_assert_uint_eq(f->citations[0].column, 6);
	ck_assert_uint_eq(f->citations[1].line, 5);
	ck_assert_uint_eq(f->citations[1].column, 11);
	am_report_free(r);
}
END_TEST

/* A fence in a list item is closed by a line indented less (the item
 * ends); a later fence line opens a block, and what follows is code: no
 * cut there. */
START_TEST(test_no_cut_after_a_fence_left_by_its_item)
{
	const char *md = "# T\n\n## A\n- item\n  ```\n  code\nout\n  ```\n\n## B\n\ntext\n\n## C\n\n  ```\n\n## D\n";
	uint32_t line = 0;
	size_t cut = am_compile__find_split(md, strlen(md), SPLIT_MIN, &line);
	/* "## B" and "## D" are code for cmark-gfm; no cut at or after "out". */
	ck_assert(cut == 0 || cut < (size_t)(strstr(md, "out\n") - md));
}
END_TEST

START_TEST(test_title_levels_and_code_citations)
{
	am_report *r = test_compile_str(
		"### 3) Slow query [P1]\n- Status: Open\n\n```text\nsrc/db.py:12, 40\nimport os.py\n```\n\n"
		"### 4) Token leak (🔴 CRITICAL)\n- Status: Open\n");
	ck_assert_uint_eq(r->nfindings, 2);
	ck_assert_int_eq(r->findings[0].priority, AM_PRIORITY_HIGH);
	ck_assert_int_eq(r->findings[1].severity, AM_SEVERITY_CRITICAL);
	/* In code only `path:line` counts: two ranges, no bare path. */
	ck_assert_uint_eq(r->findings[0].ncitations, 2);
	ck_assert_str_eq(r->findings[0].citations[0].path, "src/db.py");
	ck_assert_uint_eq(r->findings[0].citations[0].line, 5);
	ck_assert_uint_eq(r->findings[0].citations[0].column, 1);
	ck_assert_uint_eq(r->findings[0].citations[1].start, 40);
	am_report_free(r);
}
END_TEST

START_TEST(test_single_item_document)
{
	am_report *r = test_compile_str(
		"# DEBT-043: Reduce god files\n\n## Status\n- **Severity:** CRITICAL\n"
		"- **Status:** ✅ Resolved (Archived)\n\n## Evidence\n- `src/cli.py:10-400` is too long\n\n"
		"## Acceptance Criteria\n- [x] cli split\n- [x] tests pass\n- [ ] docs\n");
	ck_assert_uint_eq(r->nfindings, 1);
	const am_finding *f = &r->findings[0];
	ck_assert_str_eq(f->id, "DEBT-043");
	ck_assert_int_eq(f->status, AM_STATUS_RESOLVED);
	ck_assert_int_eq(f->severity, AM_SEVERITY_CRITICAL);
	ck_assert_uint_eq(f->ntasks, 3);
	ck_assert_uint_eq(f->ntasks_done, 2);
	ck_assert_uint_eq(f->ncitations, 1);
	ck_assert_int_eq(f->citations[0].role, AM_CITE_EVIDENCE);
	am_report_free(r);
}
END_TEST

/* A sub-task's parent is an ID and the index of that finding, after table
 * rows merged into the findings they re-list have moved the findings
 * after them, whole and cut in two parts. */
START_TEST(test_parent_index)
{
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# A\n\n");
	for (int i = 1; i <= 6; i++)
		am_buf_printf(&md, "## Area %d\n\n### %d. Token in storage %d\n**Location:** `s%d.ts:3`\n\n"
			      "## Summary %d\n\n| # | Issue | Status |\n|---|---|---|\n| %d | Token in storage %d | Fixed |\n\n"
			      "## Tasks %d\n\n- [ ] Task %d\n  - [ ] Sub-task %d\n    - [x] Sub-sub-task %d\n  - [x] Other %d\n\n",
			      i, i, i, i, i, i, i, i, i, i, i, i);
	am_report *r = compile_both_ways(md.ptr, md.size, SPLIT_MIN, "parents");
	am_compile_options two = AM_COMPILE_OPTIONS_INIT;
	two.split_min = SPLIT_MIN;
	am_report *cut = NULL;
	ck_assert_int_eq(am_compile(&cut, md.ptr, md.size, &two), 0);
	const am_report *both[2] = { r, cut };
	for (int k = 0; k < 2; k++) {
		size_t children = 0;
		for (size_t i = 0; i < both[k]->nfindings; i++) {
			const am_finding *f = &both[k]->findings[i];
			if (!f->parent) {
				ck_assert(f->parent_index == AM_NO_PARENT);
				continue;
			}
			children++;
			ck_assert_uint_lt(f->parent_index, i);
			ck_assert_str_eq(both[k]->findings[f->parent_index].id, f->parent);
		}
		ck_assert_uint_eq(children, 18);
	}
	am_report_free(r);
	am_report_free(cut);
	am_buf_free(&md);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compile");
	TCase *tc = tcase_create("compile");
	tcase_add_loop_test(tc, test_fixture, 0, sizeof(files) / sizeof(files[0]));
	tcase_add_test(tc, test_heading_finding_model);
	tcase_add_test(tc, test_compiler_reused);
	tcase_add_test(tc, test_security_model);
	tcase_add_test(tc, test_todo_priorities);
	tcase_add_test(tc, test_mojibake_warning);
	tcase_add_loop_test(tc, test_snippet, 0, sizeof(snippets) / sizeof(snippets[0]));
	tcase_add_test(tc, test_derived_ids_stable_and_unique);
	tcase_add_test(tc, test_duplicate_id_warning);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_deep_nesting_is_a_limit);
	tcase_add_test(tc, test_split_size);
	tcase_add_loop_test(tc, test_split_random_structure, 0, 32);
	tcase_add_test(tc, test_split_balanced_inside_a_section);
	tcase_add_test(tc, test_cut_at_a_field_heading);
	tcase_add_test(tc, test_struck_items_in_both_parts);
	tcase_add_test(tc, test_diagnostics_limit_across_parts);
	tcase_add_test(tc, test_error_in_the_second_part);
	tcase_add_loop_test(tc, test_checked_in_halves, 0, sizeof(second_halves) / sizeof(second_halves[0]));
	tcase_add_test(tc, test_task_item_starting_with_a_block);
	tcase_add_test(tc, test_checkbox);
	tcase_add_test(tc, test_positions_above_a_table);
	tcase_add_test(tc, test_no_cut_after_a_fence_left_by_its_item);
	tcase_add_loop_test(tc, test_no_cut_with_a_link_definition, 0, sizeof(link_defs) / sizeof(link_defs[0]));
	tcase_add_test(tc, test_title_levels_and_code_citations);
	tcase_add_test(tc, test_single_item_document);
	tcase_add_test(tc, test_table_rows_merge_into_findings);
	tcase_add_test(tc, test_checkbox_when_status_unknown);
	tcase_add_test(tc, test_status_less_tables);
	tcase_add_test(tc, test_parent_index);
	tcase_add_loop_test(tc, test_split_is_invisible, 0, sizeof(split_tails) / sizeof(split_tails[0]));
	tcase_add_loop_test(tc, test_pieces_are_invisible, 2, AM_COMPILE__MAX_PIECES + 1);
	tcase_add_loop_test(tc, test_parts_hold_one_pass, 0, sizeof(one_pass) / sizeof(one_pass[0]));
	tcase_add_loop_test(tc, test_halves_hold_one_pass, 0, sizeof(halves) / sizeof(halves[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
