/*
 * codeclimate.c: verify, lint and check results as a GitLab Code Quality report,
 * the subset of the Code Climate issue format GitLab reads: an array of
 * {description, check_name, fingerprint, severity, location: {path, lines:
 * {begin}}}.
 *
 * GitLab keeps one issue per fingerprint and compares a merge request's
 * report with its target branch's by fingerprint: each is the result's
 * line-independent fingerprint, made unique in the report by the number of
 * its occurrence (counted in a baseline, baseline.h's multiset).
 */
#include "auditmd/codeclimate.h"

#include <string.h>

#include "auditmd/baseline.h"
#include "auditmd/json.h"
#include "cite.h"
#include "json_int.h"
#include "util.h"
#include "verify_int.h"

/* The fingerprint of an issue: the problem's, "-2", "-3" appended to its
 * second and third occurrence (`seen`: those written so far, a multiset). */
static void unique_fingerprint(am_jw *w, am_baseline *seen, const char *fingerprint)
{
	am_baseline_add(seen, fingerprint);
	size_t occurrence = am_baseline_count(seen, fingerprint);
	char text[48];
	if (occurrence == 1)
		snprintf(text, sizeof(text), "%s", fingerprint);
	else
		snprintf(text, sizeof(text), "%s-%zu", fingerprint, occurrence);
	am_jw_key(w, "fingerprint");
	am_jw_str(w, text);
}

/* One issue. */
static void jw_issue(am_jw *w, am_baseline *f, const char *description, const char *check,
		     const char *fingerprint, const char *severity, const char *path, uint32_t line)
{
	am_jw_object(w);
	am_jw_key(w, "description");
	am_jw_str(w, description);
	am_jw_key(w, "check_name");
	am_jw_str(w, check);
	unique_fingerprint(w, f, fingerprint);
	am_jw_key(w, "severity");
	am_jw_str(w, severity);
	am_jw_key(w, "location");
	am_jw_object(w);
	am_jw_key(w, "path");
	am_jw_str(w, path);
	am_jw_key(w, "lines");
	am_jw_object(w);
	am_jw_key(w, "begin");
	am_jw_int(w, line ? line : 1);
	am_jw_object_end(w);
	am_jw_object_end(w);
	am_jw_object_end(w);
}

/* Code Quality's severity of a level (an error fails: major), and of a
 * lint issue's severity. */
static const char *severity(am_level level)
{
	return level == AM_LEVEL_ERROR ? "major" : level == AM_LEVEL_NOTE ? "info" : "minor";
}

static const char *lint_severity(am_diag_severity s)
{
	return severity(s == AM_DIAG_ERROR ? AM_LEVEL_ERROR : s == AM_DIAG_NOTE ? AM_LEVEL_NOTE : AM_LEVEL_WARNING);
}

typedef struct {
	const void *doc;
	const char *path;
} args;

static void jw_verify(am_jw *w, const void *arg)
{
	const args *a = arg;
	const am_verify *v = a->doc;
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	am_baseline *seen = am_baseline_new(AM_BASELINE_OF_CITATIONS);
	am_buf text = AM_BUF_INIT, check = AM_BUF_INIT;
	am_jw_array(w);
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		const am_citation *ci = r->citation;
		size_t n = am_verify_problems(p, v, r);
		for (size_t k = 0; k < n; k++) {
			am_buf_clear(&text);
			am_buf_printf(&text, "finding %s, ", r->finding->id);
			am_cite__spec(&text, ci->path, ci->start, ci->end);
			am_buf_puts(&text, ": ");
			am_verify__problem_text(&text, &p[k]);
			am_buf_clear(&check);
			am_buf_printf(&check, "citation-%s", p[k].rule);
			jw_issue(w, seen, am_buf_cstr(&text), am_buf_cstr(&check), p[k].fingerprint,
				 severity(p[k].level), a->path, ci->line);
		}
	}
	am_jw_array_end(w);
	am_buf_free(&text);
	am_buf_free(&check);
	am_baseline_free(seen);
}

static void jw_lint(am_jw *w, const void *arg)
{
	const args *a = arg;
	const am_lint *l = a->doc;
	am_baseline *seen = am_baseline_new(AM_BASELINE_OF_LINT);
	am_jw_array(w);
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		jw_issue(w, seen, is->text, is->rule, is->fingerprint, lint_severity(is->severity), a->path, is->line);
	}
	am_jw_array_end(w);
	am_baseline_free(seen);
}

static void jw_check(am_jw *w, const void *arg)
{
	const am_check *c = arg;
	am_baseline *seen = am_baseline_new(AM_BASELINE_OF_CHECK);
	am_jw_array(w);
	for (size_t i = 0; i < c->nitems; i++) {
		const am_check_item *it = &c->items[i];
		char *text = am_check_message(it);
		uint32_t line = it->kind == AM_CHECK_BROKEN ? it->citation->line : it->finding->line;
		jw_issue(w, seen, text, am_check_kind_name(it->kind), it->fingerprint,
			 severity(am_check_kind_level(it->kind)), c->audits[it->audit].path, line);
		free(text);
	}
	am_jw_array_end(w);
	am_baseline_free(seen);
}

int am_verify_write_codeclimate(FILE *stream, const am_verify *v, const char *audit_path, int flags)
{
	args a = { v, audit_path };
	return am_json__emit(stream, jw_verify, &a, flags);
}

int am_lint_write_codeclimate(FILE *stream, const am_lint *l, const char *audit_path, int flags)
{
	args a = { l, audit_path };
	return am_json__emit(stream, jw_lint, &a, flags);
}

int am_check_write_codeclimate(FILE *stream, const am_check *c, int flags)
{
	return am_json__emit(stream, jw_check, c, flags);
}
