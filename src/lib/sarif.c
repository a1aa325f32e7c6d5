/*
 * sarif.c: verification, check and lint results as SARIF 2.1.0, for code
 * scanning.
 *
 * One rule per citation state and per warning; each result sits at the
 * citation in the audit, with the cited code as a related location and a
 * partial fingerprint that does not depend on line numbers, so a result
 * keeps its identity when the audit is edited around it.
 */
#include <string.h>

#include "auditmd/json.h"
#include "auditmd/sarif.h"
#include "cite.h"
#include "json_int.h"
#include "util.h"
#include "verify_int.h"

typedef struct {
	const char *id;
	const char *name;
	const char *text;
} rule;

/* Indexed by am_verify_state, then the warnings in bit order. */
static const rule rules[] = {
	{ "ok", "CitationHolds", "The cited lines hold at the target." },
	{ "moved", "CitationMoved", "The cited lines are unchanged but at other line numbers now." },
	{ "renamed", "CitationRenamed", "The cited file was renamed." },
	{ "changed", "CitationChanged", "The cited lines were edited since the audit was written." },
	{ "deleted", "CitationDeleted", "The cited lines or the whole file are gone." },
	{ "missing", "CitationMissing", "The cited file does not exist." },
	{ "out_of_range", "CitationOutOfRange", "The cited lines are past the end of the file." },
	{ "not_text", "CitationNotText", "The cited file is binary." },
	{ "outside_repo", "CitationOutsideRepository", "The citation points outside the repository." },
	{ "ambiguous", "CitationAmbiguous", "The cited partial path matches several files." },
	{ "symlink", "CitationSymlink", "The cited path is a symbolic link, which is not followed." },
	{ "not_file", "CitationNotFile", "The cited path is a directory or a submodule." },
	{ "too_large", "CitationTooLarge", "The cited file is over the size limit and was not read." },
	{ "malformed", "CitationMalformed", "The citation's line numbers are zero, reversed or unreadable." },
	{ "symbol_missing", "SymbolMissing", "None of the finding's code symbols is in the cited lines." },
	{ "unconfirmed", "ResolutionUnconfirmed",
	  "The finding is resolved, but the cited code did not change since it was open." },
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* A path as a URI: relative, or for an absolute path a file:// URI. */
static void jw_uri(am_jw *w, const char *path)
{
	am_buf b = AM_BUF_INIT;
	if (path[0] == '/')
		am_buf_puts(&b, "file://");
	am_buf_put_uri_path(&b, path);
	am_jw_strn(w, am_buf_cstr(&b), b.size);
	am_buf_free(&b);
}

static void jw_text(am_jw *w, const char *text)
{
	am_jw_object(w);
	am_jw_key(w, "text");
	am_jw_str(w, text);
	am_jw_object_end(w);
}

/* "locations": the one place a result is, in the audit. */
static void jw_locations(am_jw *w, const char *uri, uint32_t line, uint32_t column)
{
	am_jw_key(w, "locations");
	am_jw_array(w);
	am_jw_object(w);
	am_jw_key(w, "physicalLocation");
	am_jw_object(w);
	am_jw_key(w, "artifactLocation");
	am_jw_object(w);
	am_jw_key(w, "uri");
	jw_uri(w, uri);
	am_jw_object_end(w);
	am_jw_key(w, "region");
	am_jw_object(w);
	am_jw_key(w, "startLine");
	am_jw_int(w, line ? line : 1);
	am_jw_key(w, "startColumn");
	am_jw_int(w, column ? column : 1);
	am_jw_object_end(w);
	am_jw_object_end(w);
	am_jw_object_end(w);
	am_jw_array_end(w);
}

/* "relatedLocations": the one place in the code a result is about; its
 * lines when start is not 0. */
static void jw_related(am_jw *w, const char *path, uint32_t start, uint32_t end, const char *what)
{
	am_jw_key(w, "relatedLocations");
	am_jw_array(w);
	am_jw_object(w);
	am_jw_key(w, "id");
	am_jw_int(w, 1);
	am_jw_key(w, "physicalLocation");
	am_jw_object(w);
	am_jw_key(w, "artifactLocation");
	am_jw_object(w);
	am_jw_key(w, "uri");
	jw_uri(w, path);
	am_jw_object_end(w);
	if (start) {
		am_jw_key(w, "region");
		am_jw_object(w);
		am_jw_key(w, "startLine");
		am_jw_int(w, start);
		am_jw_key(w, "endLine");
		am_jw_int(w, end >= start ? end : start);
		am_jw_object_end(w);
	}
	am_jw_object_end(w);
	am_jw_key(w, "message");
	jw_text(w, what);
	am_jw_object_end(w);
	am_jw_array_end(w);
}

/* "partialFingerprints": the line-independent identity of a result. */
static void jw_fingerprint(am_jw *w, const char *name, const char *fingerprint)
{
	am_jw_key(w, "partialFingerprints");
	am_jw_object(w);
	am_jw_key(w, name);
	am_jw_str(w, fingerprint);
	am_jw_object_end(w);
}

/* "baselineState", and for a result in the baseline a suppression that
 * says so (code scanning then shows only the new ones). */
static void jw_baseline(am_jw *w, am_baseline_state state)
{
	if (state == AM_BASELINE_NONE)
		return;
	am_jw_key(w, "baselineState");
	am_jw_str(w, am_baseline_state_name(state));
	if (state != AM_BASELINE_UNCHANGED)
		return;
	am_jw_key(w, "suppressions");
	am_jw_array(w);
	am_jw_object(w);
	am_jw_key(w, "kind");
	am_jw_str(w, "external");
	am_jw_key(w, "status");
	am_jw_str(w, "accepted");
	am_jw_key(w, "justification");
	am_jw_str(w, "in the baseline");
	am_jw_object_end(w);
	am_jw_array_end(w);
}

/* The message of one result. */
static void result_message(am_buf *b, const am_verify_problem *p)
{
	const am_verify_result *r = p->result;
	const am_citation *ci = r->citation;
	am_cite__spec(b, ci->path, ci->start, ci->end);
	am_buf_printf(b, " (finding %s): %s", r->finding->id, p->rule);
	if (p->confirmed) {
		am_buf_puts(b, ": ");
		am_verify__problem_text(b, p);
	} else if (p->warning == AM_VERIFY_WARN_SYMBOL_MISSING) {
		am_buf_puts(b, ": none of");
		for (size_t i = 0; i < r->nsymbols; i++)
			am_buf_printf(b, "%s`%s`", i ? ", " : " ", r->symbols[i]);
		am_buf_puts(b, " in the cited lines");
	} else if (p->warning == AM_VERIFY_WARN_UNCONFIRMED) {
		am_buf_puts(b, ": the cited lines did not change since the finding was open");
	} else if (r->state == AM_VERIFY_MOVED || r->state == AM_VERIFY_RENAMED) {
		am_buf_puts(b, ": now at ");
		am_cite__spec(b, r->now_path, r->now_start, r->now_end);
	} else if (r->state == AM_VERIFY_AMBIGUOUS) {
		am_buf_puts(b, ": matches ");
		am_verify__candidates_text(b, r);
	} else if (r->detail) {
		am_buf_printf(b, " (%s)", r->detail);
	}
}

/* The index of a problem's rule in `rules`. */
static size_t rule_index(const am_verify_problem *p)
{
	size_t i = AM_VERIFY__COUNT;
	if (!p->warning)
		return (size_t)p->result->state;
	while ((1u << (i - AM_VERIFY__COUNT)) != p->warning)
		i++;
	return i;
}

static void jw_result(am_jw *w, const am_verify_problem *p, const char *audit_uri)
{
	const am_verify_result *r = p->result;
	const am_citation *ci = r->citation;
	am_buf msg = AM_BUF_INIT;
	am_jw_object(w);
	am_jw_key(w, "ruleId");
	am_jw_str(w, p->rule);
	am_jw_key(w, "ruleIndex");
	am_jw_int(w, (long long)rule_index(p) - 1); /* "ok" is not a rule */
	am_jw_key(w, "level");
	am_jw_str(w, am_level_name(p->level));
	am_jw_key(w, "message");
	result_message(&msg, p);
	jw_text(w, msg.ptr);
	jw_locations(w, audit_uri, ci->line, ci->column);
	/* The cited code, where it is safe to name it. */
	const char *code = r->now_path ? r->now_path : r->path;
	uint32_t start = r->now_path ? r->now_start : ci->start, end = r->now_path ? r->now_end : ci->end;
	if (code)
		jw_related(w, code, start, end, "cited code");
	/* Identity without line numbers: finding, cited path, rule. */
	jw_fingerprint(w, "auditmdCitation/v1", p->fingerprint);
	jw_baseline(w, p->baseline);
	am_jw_key(w, "properties");
	am_jw_object(w);
	am_jw_key(w, "finding");
	am_jw_str(w, r->finding->id);
	am_jw_key(w, "state");
	am_jw_str(w, am_verify_state_name(r->state));
	am_jw_key(w, "status");
	am_jw_str(w, am_status_name(r->finding->status));
	if (p->confirmed) {
		am_jw_key(w, "confirmed");
		am_jw_bool(w, true);
	}
	am_jw_object_end(w);
	am_jw_object_end(w);
	am_buf_free(&msg);
}

/* A SARIF log with one run, open up to the driver's rules array (closed
 * by jw_close_rules). */
static void jw_open_run(am_jw *w)
{
	am_jw_object(w);
	am_jw_key(w, "$schema");
	am_jw_str(w, "https://json.schemastore.org/sarif-2.1.0.json");
	am_jw_key(w, "version");
	am_jw_str(w, "2.1.0");
	am_jw_key(w, "runs");
	am_jw_array(w);
	am_jw_object(w);
	am_jw_key(w, "tool");
	am_jw_object(w);
	am_jw_key(w, "driver");
	am_jw_object(w);
	am_jw_key(w, "name");
	am_jw_str(w, "auditmd");
	am_jw_key(w, "version");
	am_jw_str(w, AUDITMD_VERSION);
	am_jw_key(w, "semanticVersion");
	am_jw_str(w, AUDITMD_VERSION);
	am_jw_key(w, "rules");
	am_jw_array(w);
}

/* The rules array, the driver and the tool. */
static void jw_close_rules(am_jw *w)
{
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_jw_object_end(w);
}

/* One reportingDescriptor; name may be NULL. */
static void jw_rule(am_jw *w, const char *id, const char *name, const char *text, const char *level)
{
	am_jw_object(w);
	am_jw_key(w, "id");
	am_jw_str(w, id);
	if (name) {
		am_jw_key(w, "name");
		am_jw_str(w, name);
	}
	am_jw_key(w, "shortDescription");
	jw_text(w, text);
	am_jw_key(w, "defaultConfiguration");
	am_jw_object(w);
	am_jw_key(w, "level");
	am_jw_str(w, level);
	am_jw_object_end(w);
	am_jw_object_end(w);
}

static void jw_sarif(am_jw *w, const am_verify *v, const char *audit_uri)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	jw_open_run(w);
	for (size_t i = 1; i < NRULES; i++) {
		unsigned bit = 1u << i; /* states, then warnings: their bits in fail_on */
		jw_rule(w, rules[i].id, rules[i].name, rules[i].text, (v->fail_on & bit) ? "error" : "warning");
	}
	jw_close_rules(w);
	am_jw_key(w, "automationDetails");
	am_jw_object(w);
	am_jw_key(w, "id");
	am_buf id = AM_BUF_INIT;
	am_buf_printf(&id, "auditmd/%s/", audit_uri);
	am_jw_str(w, id.ptr);
	am_buf_free(&id);
	am_jw_object_end(w);
	am_jw_key(w, "properties");
	am_jw_object(w);
	am_jw_key(w, "asOf");
	am_jw_str(w, v->as_of.commit[0] ? v->as_of.commit : NULL);
	am_jw_key(w, "asOfReason");
	am_jw_str(w, am_asof_reason_name(v->as_of_reason));
	am_jw_key(w, "target");
	am_jw_str(w, v->target.commit);
	am_jw_key(w, "citations");
	am_jw_int(w, (long long)v->nresults);
	am_jw_object_end(w);
	am_jw_key(w, "results");
	am_jw_array(w);
	for (size_t i = 0; i < v->nresults; i++) {
		/* Switched off: not reported. */
		size_t n = am_verify_problems(p, v, &v->results[i]);
		for (size_t k = 0; k < n; k++)
			jw_result(w, &p[k], audit_uri);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

typedef struct {
	const void *doc;
	const char *audit_uri;
} sarif_args;

static void doc_verify_sarif(am_jw *w, const void *arg)
{
	const sarif_args *a = arg;
	jw_sarif(w, a->doc, a->audit_uri);
}

int am_verify_write_sarif(FILE *stream, const am_verify *v, const char *audit_uri, int flags)
{
	sarif_args a = { v, audit_uri };
	return am_json__emit(stream, doc_verify_sarif, &a, flags);
}

/* ---- check ----------------------------------------------------------------------- */

static const rule check_rules[AM_CHECK__COUNT] = {
	{ "broken", "CitationBrokenByChange",
	  "A citation the change wrote on an audit line does not hold at the head of the change." },
	{ "touched", "CitedCodeEdited",
	  "The change edits code an open finding cites: is the finding resolved?" },
	{ "unconfirmed", "ResolutionUntouched",
	  "The change marks a finding resolved but does not touch the code it cites." },
};

/* The cited code of a check result: where it is at head when known. */
static void jw_check_code(am_jw *w, const am_check_item *it)
{
	const char *path = it->path;
	uint32_t start = it->start, end = it->end;
	if (it->kind == AM_CHECK_BROKEN) {
		const am_verify_result *r = it->result;
		path = r->path;
		start = it->citation->start;
		end = it->citation->end;
	} else if (it->kind == AM_CHECK_TOUCHED && it->head_path) {
		path = it->head_path;
		start = end = it->head_line;
	}
	if (path)
		jw_related(w, path, start, end, it->kind == AM_CHECK_TOUCHED ? "the edit" : "cited code");
}

static void jw_check_sarif(am_jw *w, const am_check *c)
{
	jw_open_run(w);
	for (size_t i = 0; i < AM_CHECK__COUNT; i++)
		jw_rule(w, check_rules[i].id, check_rules[i].name, check_rules[i].text,
			am_level_name(am_check_kind_level((am_check_kind)i)));
	jw_close_rules(w);
	am_jw_key(w, "automationDetails");
	am_jw_object(w);
	am_jw_key(w, "id");
	am_jw_str(w, "auditmd-check/");
	am_jw_object_end(w);
	am_jw_key(w, "properties");
	am_jw_object(w);
	am_jw_key(w, "base");
	am_jw_str(w, c->base.commit);
	am_jw_key(w, "head");
	am_jw_str(w, c->head.commit);
	am_jw_key(w, "worktree");
	am_jw_bool(w, c->worktree);
	am_jw_object_end(w);
	am_jw_key(w, "results");
	am_jw_array(w);
	for (size_t i = 0; i < c->nitems; i++) {
		const am_check_item *it = &c->items[i];
		bool broken = it->kind == AM_CHECK_BROKEN;
		char *msg = am_check_message(it);
		am_jw_object(w);
		am_jw_key(w, "ruleId");
		am_jw_str(w, check_rules[it->kind].id);
		am_jw_key(w, "ruleIndex");
		am_jw_int(w, (long long)it->kind);
		am_jw_key(w, "level");
		am_jw_str(w, am_level_name(am_check_kind_level(it->kind)));
		am_jw_key(w, "message");
		jw_text(w, msg);
		jw_locations(w, c->audits[it->audit].path, broken ? it->citation->line : it->finding->line,
			     broken ? it->citation->column : it->finding->column);
		jw_check_code(w, it);
		jw_fingerprint(w, "auditmdCheck/v1", it->fingerprint);
		jw_baseline(w, it->baseline);
		am_jw_key(w, "properties");
		am_jw_object(w);
		am_jw_key(w, "finding");
		am_jw_str(w, it->finding->id);
		am_jw_object_end(w);
		am_jw_object_end(w);
		free(msg);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void doc_check_sarif(am_jw *w, const void *arg)
{
	jw_check_sarif(w, arg);
}

int am_check_write_sarif(FILE *stream, const am_check *c, int flags)
{
	return am_json__emit(stream, doc_check_sarif, c, flags);
}

/* ---- lint ------------------------------------------------------------------------ */

static void jw_lint_sarif(am_jw *w, const am_lint *l, const char *audit_uri)
{
	const am_lint_rule *lr = am_lint_rules();
	jw_open_run(w);
	size_t nrules = 0;
	for (const am_lint_rule *r = lr; r->id; r++, nrules++)
		jw_rule(w, r->id, NULL, r->description, r->severity == AM_DIAG_ERROR ? "error" : "warning");
	jw_close_rules(w);
	am_jw_key(w, "results");
	am_jw_array(w);
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		size_t index = 0;
		while (index < nrules && strcmp(lr[index].id, is->rule))
			index++;
		am_jw_object(w);
		am_jw_key(w, "ruleId");
		am_jw_str(w, is->rule);
		if (index < nrules) {
			am_jw_key(w, "ruleIndex");
			am_jw_int(w, (long long)index);
		}
		am_jw_key(w, "level");
		am_jw_str(w, am_diag_severity_name(is->severity));
		am_jw_key(w, "message");
		jw_text(w, is->text);
		jw_locations(w, audit_uri, is->line, is->column);
		jw_fingerprint(w, "auditmdLint/v1", is->fingerprint);
		jw_baseline(w, is->baseline);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void doc_lint_sarif(am_jw *w, const void *arg)
{
	const sarif_args *a = arg;
	jw_lint_sarif(w, a->doc, a->audit_uri);
}

int am_lint_write_sarif(FILE *stream, const am_lint *l, const char *audit_uri, int flags)
{
	sarif_args a = { l, audit_uri };
	return am_json__emit(stream, doc_lint_sarif, &a, flags);
}
