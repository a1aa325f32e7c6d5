/* The verifier's pure parts: path normalisation (the guard against reading
 * outside the repository) and following line ranges through a diff; and,
 * on a repository, the citations gathered in two halves at once. */
#include <check.h>
#include <string.h>

#include "auditmd/verify.h"
#include "testrepo.h"
#include "testutil.h"
#include "json_int.h"
#include "verify_int.h"

#include <jansson.h>

static const struct {
	const char *in, *out;
	int rc;
} paths[] = {
	{ "src/app.py", "src/app.py", 0 },
	{ "./src/app.py", "src/app.py", 0 },
	{ "src/./app.py", "src/app.py", 0 },
	{ "src//app.py", "src/app.py", 0 },
	{ "src/lib/../app.py", "src/app.py", 0 },
	{ "src\\win\\app.py", "src/win/app.py", 0 },
	{ "../etc/passwd", "", -1 },
	{ "../../etc/passwd", "", -1 },
	{ "src/../../etc/passwd", "", -1 },
	{ "a/b/../../../x", "", -1 },
	{ "/etc/passwd", "", -1 },
	{ "\\etc\\passwd", "", -1 },
	{ "C:\\Windows\\win.ini", "", -1 },
	{ "c:/boot.ini", "", -1 },
	{ "~/.ssh/id_rsa", "", -1 },
	{ "./", "", -2 },
	{ "src/..", "", -2 },
	{ "..foo/bar", "..foo/bar", 0 },
};

START_TEST(test_normalise)
{
	am_buf b = AM_BUF_INIT;
	int rc = am_verify__normalise_path(&b, paths[_i].in);
	ck_assert_int_eq(rc, paths[_i].rc);
	if (rc == 0)
		ck_assert_str_eq(am_buf_cstr(&b), paths[_i].out);
	am_buf_free(&b);
}
END_TEST

/* Hunks without context, as git reports them. */
static const am_git_hunk insert_3_after_0[] = { { 0, 0, 1, 3 } };
static const am_git_hunk delete_2_at_5[] = { { 5, 2, 4, 0 } };
static const am_git_hunk edit_line_25[] = { { 25, 1, 25, 1 } };
static const am_git_hunk truncate_after_150[] = { { 151, 110, 150, 0 } };
static const am_git_hunk insert_inside[] = { { 12, 0, 13, 2 } };
static const am_git_hunk insert_after_end[] = { { 20, 0, 21, 2 } };
static const am_git_hunk replace_all[] = { { 10, 11, 10, 4 } };
static const am_git_hunk two_before[] = { { 1, 1, 1, 3 }, { 4, 2, 6, 0 } };

static const struct {
	const char *name;
	const am_git_hunk *hunks;
	size_t nhunks;
	uint32_t s, e;
	int rc;
	uint32_t ns, ne;
} ranges[] = {
	{ "no hunks", NULL, 0, 10, 20, 0, 10, 20 },
	{ "lines inserted above", insert_3_after_0, 1, 10, 20, 0, 13, 23 },
	{ "lines deleted above", delete_2_at_5, 1, 10, 20, 0, 8, 18 },
	{ "edit inside", edit_line_25, 1, 15, 33, 1, 0, 0 },
	{ "edit below", edit_line_25, 1, 1, 20, 0, 1, 20 },
	{ "edit on the first line", edit_line_25, 1, 25, 30, 1, 0, 0 },
	{ "edit on the last line", edit_line_25, 1, 20, 25, 1, 0, 0 },
	{ "truncated below the range", truncate_after_150, 1, 200, 236, 2, 0, 0 },
	{ "truncated through the range", truncate_after_150, 1, 140, 160, 1, 0, 0 },
	{ "truncated after the range", truncate_after_150, 1, 100, 150, 0, 100, 150 },
	{ "insertion inside", insert_inside, 1, 10, 20, 1, 0, 0 },
	{ "insertion after the last line", insert_after_end, 1, 10, 20, 0, 10, 20 },
	{ "replaced by other lines", replace_all, 1, 10, 20, 1, 0, 0 },
	{ "two hunks above", two_before, 2, 10, 12, 0, 10, 12 },
};

START_TEST(test_map_range)
{
	am_git_delta d = { 0 };
	d.status = AM_GIT_DELTA_MODIFIED;
	d.hunks = (am_git_hunk *)ranges[_i].hunks;
	d.nhunks = ranges[_i].nhunks;
	uint32_t ns = 0, ne = 0;
	int rc = am_verify__map_range(&d, ranges[_i].s, ranges[_i].e, &ns, &ne);
	ck_assert_msg(rc == ranges[_i].rc, "%s: got %d", ranges[_i].name, rc);
	if (rc == 0) {
		ck_assert_uint_eq(ns, ranges[_i].ns);
		ck_assert_uint_eq(ne, ranges[_i].ne);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(am_verify_state_name(AM_VERIFY_OUT_OF_RANGE), "out_of_range");
	ck_assert_str_eq(am_verify_state_name(AM_VERIFY_MALFORMED), "malformed");
	ck_assert_str_eq(am_verify_warning_name(AM_VERIFY_WARN_UNCONFIRMED), "unconfirmed");
	ck_assert_str_eq(am_asof_reason_name(AM_ASOF_REVISION), "revision");
	ck_assert(am_verify_state_is_error(AM_VERIFY_DELETED));
	ck_assert(!am_verify_state_is_error(AM_VERIFY_CHANGED));
}
END_TEST

/* The candidates of an ambiguous citation, as every format writes them. */
START_TEST(test_candidates_text)
{
	const char *two[] = { "a/util.py", "b/util.py" };
	am_verify_result r = { 0 };
	char *text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "");
	free(text);
	r.candidates = two;
	r.ncandidates = r.candidates_total = 2;
	text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "a/util.py, b/util.py");
	free(text);
	r.candidates_total = 100000;
	text = am_verify_candidates_text(&r);
	ck_assert_str_eq(text, "a/util.py, b/util.py and 99998 more");
	free(text);
}
END_TEST

/* The level of each problem by the finding's status: drift and
 * symbol_missing of a closed finding are notes (symbol_missing of a
 * resolved one confirms the fix) unless closed drift is checked; a
 * citation broken when written is judged the same whatever the status. */
static const char status_audit[] =
	"# S\n"
	"\n"
	"### 1) Open one\n"
	"- Status: Open\n"
	"- Evidence: `a.py:1`\n"
	"\n"
	"### 2) Fixed one\n"
	"- Status: Resolved\n"
	"- Evidence: `a.py:1`\n"
	"\n"
	"### 3) Kept one\n"
	"- Status: Won't fix\n"
	"- Evidence: `a.py:1`\n";

static const struct {
	int finding; /* 0 open, 1 resolved, 2 won't fix */
	am_verify_state state;
	unsigned warnings;
	int closed_drift;
	/* the state's problem (none for ok), then the warning's */
	am_level level[2];
	int confirmed, fails;
	const char *text; /* of the last problem */
} levels[] = {
	{ 0, AM_VERIFY_DELETED, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_ERROR }, 0, 1, "deleted" },
	{ 1, AM_VERIFY_DELETED, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NOTE }, 0, 0, "deleted" },
	{ 2, AM_VERIFY_DELETED, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NOTE }, 0, 0, "deleted" },
	{ 1, AM_VERIFY_DELETED, 0, AM_CLOSED_DRIFT_CHECK, { AM_LEVEL_ERROR }, 0, 1, "deleted" },
	{ 1, AM_VERIFY_MOVED, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NOTE }, 0, 0, "moved to b.py:3" },
	{ 1, AM_VERIFY_CHANGED, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NOTE }, 0, 0, "changed" },
	{ 1, AM_VERIFY_RENAMED, 0, AM_CLOSED_DRIFT_CHECK, { AM_LEVEL_WARNING }, 0, 0, "renamed to b.py:3" },
	/* Broken when written: whatever the status. */
	{ 1, AM_VERIFY_MISSING, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_ERROR }, 0, 1, "missing" },
	{ 2, AM_VERIFY_OUT_OF_RANGE, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_ERROR }, 0, 1, "out_of_range" },
	{ 1, AM_VERIFY_OUTSIDE_REPO, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_ERROR }, 0, 1, "outside_repo" },
	{ 1, AM_VERIFY_AMBIGUOUS, 0, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_WARNING }, 0, 0, "ambiguous (matches )" },
	/* symbol_missing: a warning when open, evidence of the fix when resolved. */
	{ 0, AM_VERIFY_OK, AM_VERIFY_WARN_SYMBOL_MISSING, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NONE, AM_LEVEL_WARNING },
	  0, 0, "symbol_missing (none of `asyncio.run` in the cited lines)" },
	{ 1, AM_VERIFY_OK, AM_VERIFY_WARN_SYMBOL_MISSING, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NONE, AM_LEVEL_NOTE },
	  1, 0, "confirmed: `asyncio.run` no longer in the cited lines" },
	{ 2, AM_VERIFY_OK, AM_VERIFY_WARN_SYMBOL_MISSING, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NONE, AM_LEVEL_NOTE },
	  0, 0, "symbol_missing (none of `asyncio.run` in the cited lines)" },
	{ 1, AM_VERIFY_OK, AM_VERIFY_WARN_SYMBOL_MISSING, AM_CLOSED_DRIFT_CHECK,
	  { AM_LEVEL_NONE, AM_LEVEL_WARNING }, 0, 0, "symbol_missing (none of `asyncio.run` in the cited lines)" },
	/* unconfirmed is about the resolution, not drift: a warning. */
	{ 1, AM_VERIFY_MOVED, AM_VERIFY_WARN_UNCONFIRMED, AM_CLOSED_DRIFT_NOTE, { AM_LEVEL_NOTE, AM_LEVEL_WARNING },
	  0, 0, "unconfirmed (finding F2 is resolved, but the cited lines did not change since it was open)" },
};

static const char *const status_symbols[] = { "asyncio.run" };

START_TEST(test_problem_levels)
{
	am_report *rep = test_compile_str(status_audit);
	ck_assert_uint_eq(rep->nfindings, 3);
	ck_assert_int_eq(rep->findings[1].status, AM_STATUS_RESOLVED);
	ck_assert_int_eq(rep->findings[2].status, AM_STATUS_WONTFIX);
	am_verify v = { 0 };
	am_verify_result r = { 0 };
	const am_finding *f = &rep->findings[levels[_i].finding];
	r.finding = f;
	r.citation = &f->citations[0];
	r.state = levels[_i].state;
	r.warnings = levels[_i].warnings;
	r.path = "a.py";
	r.now_path = "b.py";
	r.now_start = r.now_end = 3;
	r.symbols = (const char **)status_symbols;
	r.nsymbols = 1;
	v.report = rep;
	v.results = &r;
	v.nresults = 1;
	v.fail_on = AM_VERIFY_FAIL_ON_DEFAULT;
	v.closed_drift = levels[_i].closed_drift;

	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	size_t n = am_verify_problems(p, &v, &r);
	size_t k = 0, want = (levels[_i].state != AM_VERIFY_OK) + (levels[_i].warnings != 0);
	ck_assert_uint_eq(n, want);
	if (levels[_i].state != AM_VERIFY_OK) {
		ck_assert_int_eq(p[0].warning, 0);
		ck_assert_str_eq(p[0].rule, am_verify_state_name(levels[_i].state));
		ck_assert_int_eq(p[0].level, levels[_i].level[0]);
		k++;
	}
	if (levels[_i].warnings)
		ck_assert_int_eq(p[k].level, levels[_i].level[1]);
	ck_assert_int_eq(p[n - 1].confirmed, levels[_i].confirmed);
	ck_assert_int_eq(p[0].fails, levels[_i].fails);
	ck_assert_int_eq(p[0].baseline, AM_BASELINE_NONE);
	char *text = am_verify_problem_text(&p[n - 1]);
	ck_assert_str_eq(text, levels[_i].text);
	free(text);

	/* The numbers agree with the problems. */
	am_tally t;
	am_verify_tally(&t, &v);
	size_t by_level[4] = { 0 };
	for (size_t i = 0; i < n; i++)
		by_level[p[i].level]++;
	ck_assert_uint_eq(t.citations, 1);
	ck_assert_uint_eq(t.errors, by_level[AM_LEVEL_ERROR]);
	ck_assert_uint_eq(t.warnings, by_level[AM_LEVEL_WARNING]);
	ck_assert_uint_eq(t.notes, by_level[AM_LEVEL_NOTE]);
	ck_assert_uint_eq(t.confirmed, (size_t)levels[_i].confirmed);
	ck_assert_uint_eq(t.new_errors, t.errors);

	/* In the baseline: reported at its level, failing nothing. */
	v.baseline = 1;
	r.unchanged = 1u | (AM_VERIFY_WARN_SYMBOL_MISSING << 1) | (AM_VERIFY_WARN_UNCONFIRMED << 1);
	n = am_verify_problems(p, &v, &r);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(p[i].baseline, AM_BASELINE_UNCHANGED);
		ck_assert_int_eq(p[i].fails, 0);
	}
	am_verify_tally(&t, &v);
	ck_assert_uint_eq(t.unchanged, n);
	ck_assert_uint_eq(t.new_errors, 0);
	/* Switched off: no problem at all. */
	r.state_suppressed = 1;
	r.warnings = 0;
	ck_assert_uint_eq(am_verify_problems(p, &v, &r), 0);
	am_report_free(rep);
}
END_TEST

/* The fingerprint does not depend on lines: the finding, the cited path,
 * the rule; it is the one earlier versions wrote in SARIF (code scanning
 * and baselines match on it). */
START_TEST(test_fingerprint)
{
	am_report *rep = test_compile_str(status_audit);
	am_verify v = { 0 };
	am_verify_result r = { 0 };
	r.finding = &rep->findings[0];
	r.citation = &rep->findings[0].citations[0];
	r.state = AM_VERIFY_MISSING;
	v.report = rep;
	v.results = &r;
	v.nresults = 1;
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	ck_assert_uint_eq(am_verify_problems(p, &v, &r), 1);
	ck_assert_str_eq(p[0].fingerprint, "2b57640ad1b1643e");
	am_report_free(rep);
}
END_TEST

START_TEST(test_not_a_repository)
{
	am_report *r = test_compile_str("### 1) X\n- Evidence: `a.py:1`\n");
	am_verify *v = NULL;
	am_verify_options o = AM_VERIFY_OPTIONS_INIT;
	o.repo = "/";
	ck_assert_int_eq(am_verify_run(&v, r, &o), AM_EGIT);
	ck_assert_ptr_null(v);
	ck_assert(strstr(am_error_last(), "not a git repository") != NULL);
	am_report_free(r);
}
END_TEST

/* An audit of 600 findings whose citations run through every way a path
 * resolves, verified on one thread and on two (the findings' halves
 * gathered at once, one path written two ways in both halves): the same
 * results, in the same order. Citation i of finding k is pattern (k + i)
 * % 6, counted down in the second half (which meets the paths in another
 * order). */
static size_t spread_at(size_t k, size_t i)
{
	return k < 300 ? (k + i) % 6 : 5 - (k + i) % 6;
}

static const struct {
	const char *cite;
	am_verify_state state;
} spread[] = {
	{ "`src/a.py:1-2`", AM_VERIFY_OK },
	{ "`./src/a.py:3`", AM_VERIFY_OK },
	{ "`src/b.py:50`", AM_VERIFY_OUT_OF_RANGE },
	{ "`src/gone.py:1`", AM_VERIFY_MISSING },
	{ "`../x.py:1`", AM_VERIFY_OUTSIDE_REPO },
	{ "`src/lib/../b.py:2-3`", AM_VERIFY_OK },
};

/* 300 cited files, read on two threads a few at a time; two of them
 * damaged (their objects gone): the error names the first in path order
 * (the file and its object), as one thread does, every run. */
START_TEST(test_first_damaged_file_named)
{
	test_fixture f;
	test_fixture_build(&f, "git init -q -b main repo && cd repo && mkdir src && "
			       "for i in $(seq 100 399); do seq 1 $i >src/f$i.py; done && "
			       "git add -A && commit 2026-01-10T12:00:00Z code && "
			       "git rev-parse HEAD:src/f150.py >../f150 && "
			       "for f in f150 f333; do b=$(git rev-parse HEAD:src/$f.py); "
			       "rm .git/objects/$(echo $b | cut -c1-2)/$(echo $b | cut -c3-); done");
	am_buf md = AM_BUF_INIT;
	am_buf_puts(&md, "# Audit\n\n");
	for (int k = 399; k >= 100; k--) /* the audit cites them last first */
		am_buf_printf(&md, "### %d) Finding %d\n- Status: Open\n- Evidence: `src/f%d.py:2`\n\n", 400 - k,
			      400 - k, k);
	am_report *r = test_compile_str(md.ptr);
	char first[1024] = "";
	for (int run = 0; run < 6; run++) {
		am_verify_options o = AM_VERIFY_OPTIONS_INIT;
		am_verify *v = NULL;
		o.repo = f.repo.ptr;
		o.threads = run % 2 ? 2 : 1;
		ck_assert_int_eq(am_verify_run(&v, r, &o), AM_EGIT);
		ck_assert_ptr_null(v);
		if (!run)
			snprintf(first, sizeof(first), "%s", am_error_last());
		else
			ck_assert_str_eq(am_error_last(), first);
	}
	char *f150 = test_read_line(f.dir, "f150");
	ck_assert_msg(strstr(first, f150) != NULL && !strncmp(first, "src/f150.py: ", 13), "%s", first);
	free(f150);
	am_report_free(r);
	am_buf_free(&md);
	test_fixture_free(&f);
}
END_TEST

/* v's compact JSON is what Jansson prints for the value the generic calls
 * build: the results' own writer (json.c) makes the same bytes. */
static void assert_json_as_values(const am_verify *v, size_t max_pad)
{
	char *text = NULL;
	ck_assert_int_eq(am_verify_to_json(&text, v, 0), 0);
	am_jw w;
	am_jw_init_values(&w, 0);
	am_json__verify_doc(&w, v);
	char *expect = json_dumps(w.root, JSON_COMPACT);
	ck_assert_str_eq(text, expect);
	json_decref(w.root);
	free(text);
	/* Written after 1 to max_pad bytes already in the buffer: every write
	 * meets the buffer's end at every place, where a write past the room
	 * it asked for shows (a debug build aborts, a sanitizer reports it). */
	for (size_t pad = 1; pad <= max_pad; pad++) {
		am_buf b = AM_BUF_INIT;
		am_buf_grow(&b, 256);
		for (size_t k = 0; k < pad; k++)
			am_buf_putc(&b, ' ');
		am_jw_init(&w, &b, NULL, 0);
		am_json__verify_doc(&w, v);
		ck_assert_str_eq(b.ptr + pad, expect);
		am_buf_free(&b);
	}
	free(expect);
}

START_TEST(test_halves_gathered_alike)
{
	char *dir = test_mkdtemp();
	ck_assert_int_eq(test_sh(dir, "git init -q -b main repo && cd repo && mkdir src && "
				      "seq 1 10 >src/a.py && seq 1 20 >src/b.py && git add -A && "
				      "commit 2026-01-10T12:00:00Z code"),
			 0);
	am_buf md = AM_BUF_INIT, repo = AM_BUF_INIT;
	am_buf_puts(&md, "# Audit\n\n");
	for (size_t k = 0; k < 600; k++)
		am_buf_printf(&md, "### %zu) Finding %zu\n- Status: Open\n- Evidence: %s, %s\n\n", k + 1, k + 1,
			      spread[spread_at(k, 0)].cite, spread[spread_at(k, 1)].cite);
	am_buf_printf(&repo, "%s/repo", dir);
	am_report *r = test_compile_str(md.ptr);
	ck_assert_uint_eq(r->nfindings, 600);
	am_verify *v[2] = { NULL, NULL };
	for (unsigned t = 0; t < 2; t++) {
		am_verify_options o = AM_VERIFY_OPTIONS_INIT;
		o.repo = repo.ptr;
		o.threads = t + 1;
		ck_assert_msg(am_verify_run(&v[t], r, &o) == 0, "%s", am_error_last());
		ck_assert_uint_eq(v[t]->nresults, 1200);
	}
	for (size_t i = 0; i < 1200; i++) {
		const am_verify_result *a = &v[0]->results[i], *b = &v[1]->results[i];
		size_t k = i / 2, want = spread_at(k, i % 2);
		ck_assert_ptr_eq(a->citation, b->citation);
		ck_assert_ptr_eq(a->citation, &r->findings[k].citations[i % 2]);
		ck_assert_msg(a->state == spread[want].state && b->state == spread[want].state,
			      "result %zu (%s): %s and %s", i, spread[want].cite, am_verify_state_name(a->state),
			      am_verify_state_name(b->state));
		ck_assert_str_eq(a->path ? a->path : "-", b->path ? b->path : "-");
		ck_assert_uint_eq(a->file_lines, b->file_lines);
	}
	assert_json_as_values(v[1], 0);
	for (unsigned t = 0; t < 2; t++)
		am_verify_free(v[t]);
	am_report_free(r);
	test_rmtree(dir);
	free(dir);
	am_buf_free(&md);
	am_buf_free(&repo);
}
END_TEST

/* A result in compact JSON is written on a path of its own: its bytes are
 * those Jansson prints for the value the generic calls build, for results
 * of every kind (moved, renamed, changed, deleted, missing, ambiguous with
 * candidates, outside the repository, symbols looked for, mentions), from
 * as-of to a target and with no as-of. */
START_TEST(test_results_json_compact)
{
	test_fixture f;
	test_fixture_build(&f, "git init -q -b main repo && cd repo && mkdir -p src lib x && "
			       "seq 1 20 >src/a.py && echo 'def foo(): pass' >>src/a.py && seq 1 9 >src/b.py && "
			       "seq 1 9 >src/c.py && seq 1 5 >src/d.py && seq 1 3 >lib/util.py && seq 1 4 >x/util.py && "
			       "git add -A && commit 2026-01-10T12:00:00Z one && "
			       "{ seq 100 130; cat src/a.py; } >t && mv t src/a.py && git mv src/b.py src/b2.py && "
			       "sed -i 3s/3/three/ src/c.py && git rm -q src/d.py && git add -A && "
			       "commit 2026-01-11T12:00:00Z two && git rev-parse HEAD~1 >../c1");
	am_report *r = test_compile_str("# Audit\n\n### 1) First \"quoted\\\"\n- Status: Open\n"
					"- Evidence: `src/a.py:21` calls `foo()`, `src/b.py:2-4`, `src/c.py:3`\n"
					"- Plan: touch `src/a.py`\n\n"
					"### 2) Second\n- Status: Fixed\n- Evidence: `src/d.py:1`, `util.py:2`, "
					"`../x.py:1`, `src/gone.py:1`, `src/c.py:50`\n");
	char *c1 = test_read_line(f.dir, "c1");
	for (int asof = 0; asof < 2; asof++) {
		am_verify_options o = AM_VERIFY_OPTIONS_INIT;
		am_verify *v = NULL;
		o.repo = f.repo.ptr;
		o.as_of = asof ? c1 : "none";
		o.mentions = 1;
		ck_assert_msg(am_verify_run(&v, r, &o) == 0, "%s", am_error_last());
		ck_assert_uint_ge(v->nresults, 9);
		static const am_verify_state seen[] = { AM_VERIFY_MISSING, AM_VERIFY_OUT_OF_RANGE,
							AM_VERIFY_OUTSIDE_REPO, AM_VERIFY_AMBIGUOUS,
							AM_VERIFY_MOVED,   AM_VERIFY_RENAMED,
							AM_VERIFY_CHANGED, AM_VERIFY_DELETED };
		for (size_t k = 0; k < (asof ? 8u : 4u); k++)
			ck_assert_msg(v->counts[seen[k]] > 0, "no result %s", am_verify_state_name(seen[k]));
		assert_json_as_values(v, 1500); /* more than a result's bytes */
		am_verify_free(v);
	}
	free(c1);
	am_report_free(r);
	test_fixture_free(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");
	tcase_add_loop_test(tc, test_normalise, 0, sizeof(paths) / sizeof(paths[0]));
	tcase_add_loop_test(tc, test_map_range, 0, sizeof(ranges) / sizeof(ranges[0]));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_candidates_text);
	tcase_add_loop_test(tc, test_problem_levels, 0, sizeof(levels) / sizeof(levels[0]));
	tcase_add_test(tc, test_fingerprint);
	tcase_add_test(tc, test_not_a_repository);
	tcase_add_test(tc, test_halves_gathered_alike);
	tcase_add_test(tc, test_results_json_compact);
	tcase_add_test(tc, test_first_damaged_file_named);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
