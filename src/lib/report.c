/*
 * report.c: reports through Mustache templates.
 *
 * A report's data is the command's documented JSON document plus "view":
 * the same facts arranged for reading, so a template never has to compute
 * (Mustache cannot): changes grouped by kind, labels such as "#6 → #7",
 * citations as text and links, chart coordinates. Everything a template
 * prints is escaped by {{...}}, so hostile audit text stays text. The view
 * is written with json.c's writer, which builds the values the engine
 * renders: no JSON library here.
 */
#include "auditmd/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditmd/json.h"
#include "chart.h"
#include "json_int.h"
#include "mustache.h"
#include "report_int.h"
#include "source.h"
#include "util.h"
#include "verify_int.h"
#include "view.h"

#define MAX_TEMPLATE_SIZE ((size_t)16 << 20)

const char *am_builtin_template_text(const char *name, size_t *len)
{
	for (const am_builtin_template *t = am_builtin_templates; t->name; t++)
		if (!strcmp(t->name, name)) {
			if (len)
				*len = t->len;
			return t->text;
		}
	return NULL;
}

/* ---- compile ------------------------------------------------------------------------------ */

/* "page": a finding's page in a site, when the view is part of one, else
 * null (not left out: a template's {{#page}} must not find another). */
static void finding_page(am_jw *w, const am_report_hooks *h, const am_finding *f, size_t revision)
{
	if (h && h->finding_page)
		h->finding_page(w, f, revision, h->payload);
	else
		am_view__str(w, "page", NULL);
}

static void finding_view(am_jw *w, const am_view *v, const am_finding *f, const char *commit,
			 const am_report_hooks *h, size_t revision)
{
	am_jw_object(w);
	am_view__finding(w, v, f);
	am_view__status_text(w, v, f);
	am_view__bool(w, "closed", am_status_is_closed(f->status));
	am_jw_key(w, "fields");
	am_jw_array(w);
	for (size_t k = 0; k < f->nfields; k++) {
		am_jw_object(w);
		am_view__str(w, "name", f->fields[k].name);
		am_view__str(w, "value", f->fields[k].value);
		char *one = am_xstrdup(f->fields[k].value);
		for (char *p = one; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		am_view__str(w, "value_line", one);
		free(one);
		am_view__html(w, v, "value_html",
			      f->fields[k].value_md ? f->fields[k].value_md : f->fields[k].value);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_view__citations(w, v, f, commit);
	finding_page(w, h, f, revision);
	am_jw_object_end(w);
}

/* The counts, the chart and the findings of an audit by section. */
void am_report__compile_members(am_jw *w, const am_view *v, const am_report *r, const char *commit,
				const am_report_hooks *h, size_t revision)
{
	am_buf sec = AM_BUF_INIT, prev = AM_BUF_INIT;
	am_view_counts counts;
	bool open_section = false;

	am_view__count_findings(&counts, r);
	am_view__int(w, "findings", (long long)counts.total);
	am_view__int(w, "open", (long long)counts.open);
	am_view__int(w, "closed", (long long)counts.closed);
	am_view__int(w, "unknown", (long long)counts.unknown);
	am_view__bool(w, "has_unknown", counts.unknown > 0);
	am_jw_key(w, "bars");
	am_chart__bars(w, &counts);
	/* Consecutive findings of one section path make a section. */
	am_jw_key(w, "sections");
	am_jw_array(w);
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		am_buf_clear(&sec);
		am_view__section_text(&sec, f);
		if (!open_section || strcmp(am_buf_cstr(&sec), am_buf_cstr(&prev))) {
			if (open_section) {
				am_jw_array_end(w);
				am_jw_object_end(w);
			}
			am_jw_object(w);
			am_view__str(w, "heading", sec.size ? am_buf_cstr(&sec) : NULL);
			am_view__html(w, v, "heading_html", sec.size ? am_buf_cstr(&sec) : NULL);
			am_jw_key(w, "items");
			am_jw_array(w);
			open_section = true;
			am_buf_clear(&prev);
			am_buf_puts(&prev, am_buf_cstr(&sec));
		}
		finding_view(w, v, f, commit, h, revision);
	}
	if (open_section) {
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_buf_free(&sec);
	am_buf_free(&prev);
}

/* The audit's title: "title" and "title_html". */
static void audit_title(am_jw *w, const am_view *v, const char *title)
{
	am_view__str(w, "generator", "auditmd " AUDITMD_VERSION);
	am_view__str(w, "title", title);
	am_view__html(w, v, "title_html", title);
}

static void report_view(am_jw *w, const am_report *r, const am_view *v)
{
	am_jw_object(w);
	audit_title(w, v, r->title ? r->title : r->source ? r->source : "Audit");
	am_report__compile_members(w, v, r, NULL, NULL, 0);
	am_jw_object_end(w);
}

/* ---- diff ---------------------------------------------------------------------------- */

static const am_change_kind group_order[] = { AM_CHANGE_REGRESSED, AM_CHANGE_RESOLVED,
					      AM_CHANGE_NEW,       AM_CHANGE_REMOVED,
					      AM_CHANGE_OPEN,      AM_CHANGE_CLOSED };

static void change_view(am_jw *w, const am_view *v, const am_change *ch, const char *commit,
			const am_report_hooks *h, size_t revision)
{
	const am_finding *a = ch->old_finding, *b = ch->new_finding, *f = b ? b : a;
	am_buf t = AM_BUF_INIT;
	am_jw_object(w);
	am_view__str(w, "kind", am_change_kind_name(ch->kind));
	am_view__str(w, "id", f->id);
	if (a && b && (ch->changed & AM_CHANGED_RENUMBERED)) {
		am_view__number_label(&t, a);
		am_buf_puts(&t, " → ");
		am_view__number_label(&t, b);
	} else {
		am_view__number_label(&t, f);
	}
	am_view__buf(w, "label", &t);
	am_view__title(w, v, f);
	bool retitled = a && b && (ch->changed & AM_CHANGED_RETITLED);
	am_view__bool(w, "retitled", retitled);
	am_view__str(w, "old_title", retitled ? a->title : NULL);
	if (retitled && v->html) {
		char *shown = am_finding_display_title(a, 1);
		am_view__html(w, v, "old_title_html", shown);
		free(shown);
	} else {
		am_view__html(w, v, "old_title_html", NULL);
	}
	am_view__status(w, "", f->status);
	if (a) {
		am_view__status(w, "old_", a->status);
	} else {
		am_view__str(w, "old_status", NULL);
		am_view__str(w, "old_status_label", NULL);
	}
	am_view__bool(w, "status_changed", a && b && a->status != b->status);
	am_view__status_text(w, v, f);
	am_buf_clear(&t);
	for (unsigned bit = 0; bit < AM_CHANGED__COUNT; bit++) {
		unsigned m = 1u << bit;
		if (!(ch->changed & m) || m == AM_CHANGED_STATUS || m == AM_CHANGED_RENUMBERED ||
		    m == AM_CHANGED_RETITLED)
			continue;
		if (t.size)
			am_buf_puts(&t, ", ");
		am_buf_puts(&t, am_changed_name(m));
	}
	am_view__str(w, "changed", t.size ? am_buf_cstr(&t) : NULL);
	am_view__bool(w, "unchanged", a && b && !ch->changed);
	am_buf_clear(&t);
	am_view__section_text(&t, f);
	am_view__str(w, "section", t.size ? am_buf_cstr(&t) : NULL);
	am_view__html(w, v, "section_html", t.size ? am_buf_cstr(&t) : NULL);
	am_view__levels(w, f);
	am_view__str(w, "matched_by", am_match_kind_name(ch->matched_by));
	if (ch->matched_by == AM_MATCH_SIMILARITY) {
		char num[16];
		snprintf(num, sizeof(num), "%.2f", ch->similarity);
		am_view__str(w, "similarity", num);
	} else {
		am_view__str(w, "similarity", NULL);
	}
	am_view__bool(w, "unconfirmed", ch->resolution == AM_RESOLUTION_UNCONFIRMED);
	am_view__bool(w, "confirmed", ch->resolution == AM_RESOLUTION_CONFIRMED);
	am_view__bool(w, "arrived_closed", am_change_arrived_closed(ch));
	am_view__citations(w, v, f, commit);
	/* A removed finding's page is that of its last revision. */
	finding_page(w, h, f, b ? revision : revision - 1);
	am_buf_free(&t);
	am_jw_object_end(w);
}

/* Groups of changes, in reading order; without `with_open` the unchanged
 * open and closed findings are left out (a changelog). */
static void groups_view(am_jw *w, const am_view *v, const am_diff *d, const char *commit,
			bool with_open, const am_report_hooks *h, size_t revision)
{
	am_jw_array(w);
	for (size_t g = 0; g < sizeof(group_order) / sizeof(group_order[0]); g++) {
		am_change_kind k = group_order[g];
		if (!d->counts[k] || (!with_open && (k == AM_CHANGE_OPEN || k == AM_CHANGE_CLOSED)))
			continue;
		am_jw_object(w);
		am_view__str(w, "kind", am_change_kind_name(k));
		am_view__str(w, "heading", am_change_kind_heading(k));
		am_view__int(w, "count", (long long)d->counts[k]);
		am_view__bool(w, "changelog", k != AM_CHANGE_CLOSED);
		am_jw_key(w, "items");
		am_jw_array(w);
		for (size_t i = 0; i < d->nchanges; i++)
			if (d->changes[i].kind == k)
				change_view(w, v, &d->changes[i], commit, h, revision);
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
}

static const char *side_label(const am_report *r, const char *fallback)
{
	return r->date ? r->date : r->source ? r->source : fallback;
}

static void diff_view(am_jw *w, const am_diff *d, const am_view *v)
{
	const am_report *n = d->new_report, *old = d->old_report;
	am_view_counts counts;
	am_jw_object(w);
	audit_title(w, v, n->title ? n->title : old->title ? old->title : "Audit");
	am_view__str(w, "old_label", side_label(old, "old"));
	am_view__str(w, "new_label", side_label(n, "new"));
	am_view__str(w, "heading_date", n->date ? n->date : "Unreleased");
	bool unconfirmed = false;
	for (size_t i = 0; i < d->nchanges; i++)
		unconfirmed |= d->changes[i].resolution == AM_RESOLUTION_UNCONFIRMED;
	am_view__bool(w, "has_unconfirmed", unconfirmed);
	am_view__count(w, "new_closed", d->new_closed);
	/* Resolved findings whose code nobody looked at: say why. */
	am_view__str(w, "resolution_unchecked",
		     d->counts[AM_CHANGE_RESOLVED] && !d->resolution_checked && d->resolution_skipped
			     ? d->resolution_skipped
			     : NULL);
	am_view__count_findings(&counts, n);
	am_jw_key(w, "bars");
	am_chart__bars(w, &counts);
	/* Changes are shown with their section and citations here, not in a
	 * changelog. */
	am_view__bool(w, "details", true);
	am_jw_key(w, "groups");
	groups_view(w, v, d, d->new_as_of[0] ? d->new_as_of : NULL, true, NULL, 0);
	am_jw_object_end(w);
}

/* ---- log ------------------------------------------------------------------------------ */

void am_report__log_members(am_jw *w, const am_view *v, const am_log *log, const am_report_hooks *h)
{
	const am_log_entry *last = log->nentries ? &log->entries[log->nentries - 1] : NULL;
	am_buf link = AM_BUF_INIT;
	am_view__str(w, "path", log->path);
	am_view__int(w, "revision_count", (long long)log->nentries);
	if (last) {
		am_view__int(w, "open", (long long)last->open);
		am_view__int(w, "closed", (long long)last->closed);
		am_view__int(w, "findings", (long long)last->report->nfindings);
		am_view__str(w, "first_date", log->entries[0].date);
		am_view__str(w, "last_date", last->date);
	}
	/* Newest first, as changelogs are read. */
	am_jw_key(w, "revisions");
	am_jw_array(w);
	for (size_t i = log->nentries; i-- > 0;) {
		const am_log_entry *e = &log->entries[i];
		char sh[8];
		snprintf(sh, sizeof(sh), "%.7s", e->commit);
		am_jw_object(w);
		am_view__str(w, "commit", e->commit);
		am_view__str(w, "short", sh);
		am_buf_clear(&link);
		if (am_view__commit_link(&link, v, e->commit))
			am_view__buf(w, "href", &link);
		else
			am_view__str(w, "href", NULL);
		am_view__str(w, "date", e->date);
		bool other = e->report->date && strcmp(e->report->date, e->date);
		am_view__str(w, "audit_date", other ? e->report->date : NULL);
		am_view__str(w, "message", e->summary && *e->summary ? e->summary : NULL);
		am_view__str(w, "author", e->author);
		am_view__int(w, "findings", (long long)e->report->nfindings);
		am_view__int(w, "open", (long long)e->open);
		am_view__int(w, "closed", (long long)e->closed);
		am_view__bool(w, "first", e->diff == NULL);
		if (e->diff) {
			am_jw_key(w, "counts");
			am_jw_object(w);
			for (int k = 0; k < AM_CHANGE__COUNT; k++)
				am_view__int(w, am_change_kind_name((am_change_kind)k),
					     (long long)e->diff->counts[k]);
			am_view__count(w, "new_closed", e->diff->new_closed);
			am_jw_object_end(w);
			am_jw_key(w, "groups");
			groups_view(w, v, e->diff, e->commit, false, h, i);
		} else {
			am_view__str(w, "counts", NULL);
			am_view__str(w, "groups", NULL);
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_key(w, "chart");
	am_chart__burndown(w, log);
	am_jw_key(w, "trend");
	am_chart__trend(w, log);
	am_buf_free(&link);
}

static void log_view(am_jw *w, const am_log *log, const am_view *v)
{
	const am_report *last = log->nentries ? log->entries[log->nentries - 1].report : NULL;
	am_jw_object(w);
	audit_title(w, v, last && last->title ? last->title : log->path);
	am_report__log_members(w, v, log, NULL);
	am_jw_object_end(w);
}

/* ---- verify ------------------------------------------------------------------------- */

void am_report__result_view(am_jw *w, const am_view *v, const am_verify *vr, const am_verify_result *r,
			    const am_verify_problem *p)
{
	const am_citation *ci = r->citation;
	am_buf t = AM_BUF_INIT;
	am_jw_object(w);
	am_view__str(w, "finding", r->finding->id);
	am_view__str(w, "title", r->finding->title);
	am_view__str(w, "status", am_status_name(r->finding->status));
	am_view__str(w, "severity", p ? am_level_name(p->level) : "ok");
	am_view__str(w, "state", am_verify_state_name(r->state));
	am_buf_puts(&t, am_verify_state_name(r->state));
	for (char *c = t.ptr; *c; c++)
		if (*c == '_')
			*c = ' ';
	am_view__buf(w, "state_label", &t);
	/* The rule the row is about: the state, or one of the warnings. */
	const char *rule = p ? p->rule : am_verify_state_name(r->state);
	am_view__str(w, "rule", rule);
	am_buf_clear(&t);
	am_buf_puts(&t, rule);
	for (char *c = t.ptr; *c; c++)
		if (*c == '_')
			*c = ' ';
	am_view__buf(w, "rule_label", &t);
	am_buf_clear(&t);
	am_view__int(w, "line", ci->line);
	am_view__int(w, "column", ci->column);
	/* The audit's line, at the revision that was checked. */
	bool audit_at_as_of = vr->audit_path && vr->as_of.commit[0] &&
			      (vr->as_of_reason == AM_ASOF_REVISION || vr->as_of_reason == AM_ASOF_COMMITTED);
	if (audit_at_as_of && am_view__file_link(&t, v, vr->as_of.commit, vr->audit_path, ci->line, ci->line))
		am_view__buf(w, "line_href", &t);
	else
		am_view__str(w, "line_href", NULL);
	am_buf_clear(&t);
	const char *commit = vr->as_of.commit[0] ? vr->as_of.commit : vr->target.commit;
	am_jw_key(w, "citation");
	if (r->path)
		am_view__cite(w, v, r->path, ci->start, ci->end, commit, true);
	else
		am_view__cite(w, v, ci->path, ci->start, ci->end, NULL, false);
	/* Every member written, null when there is nothing to say: a template's
	 * {{#now}} must not find a page's "now". */
	am_view__str(w, "written", r->path && strcmp(r->path, ci->path) ? ci->path : NULL);
	am_jw_key(w, "now");
	if (r->now_path && (r->state == AM_VERIFY_MOVED || r->state == AM_VERIFY_RENAMED))
		am_view__cite(w, v, r->now_path, r->now_start, r->now_end, vr->target.commit, true);
	else
		am_jw_null(w);
	am_view__str(w, "detail", r->detail);
	/* What the problem says, as every format says it. */
	if (p)
		am_verify__problem_text(&t, p);
	else if (r->state_suppressed)
		am_buf_printf(&t, "%s: switched off", am_verify_state_name(r->state));
	am_view__str(w, "text", t.size ? am_buf_cstr(&t) : NULL);
	am_view__bool(w, "confirmed", p && p->confirmed);
	am_view__str(w, "baseline", p && p->baseline ? am_baseline_state_name(p->baseline) : NULL);
	am_view__bool(w, "unchanged", p && p->baseline == AM_BASELINE_UNCHANGED);
	am_buf_clear(&t);
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (r->warnings & (1u << b)) {
			if (t.size)
				am_buf_puts(&t, "; ");
			am_buf_puts(&t, am_verify_warning_name(1u << b));
		}
	if (r->state_suppressed || r->warnings_suppressed)
		am_buf_puts(&t, t.size ? "; switched off" : "switched off");
	am_view__str(w, "warnings", t.size ? am_buf_cstr(&t) : NULL);
	am_buf_clear(&t);
	if (r->ncandidates)
		am_verify__candidates_text(&t, r);
	am_view__str(w, "candidates", t.size ? am_buf_cstr(&t) : NULL);
	am_buf_free(&t);
	am_jw_object_end(w);
}

void am_report__result_rows(am_jw *w, const am_view *v, const am_verify *vr, const am_verify_result *r)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	size_t n = am_verify_problems(p, vr, r);
	if (!n)
		am_report__result_view(w, v, vr, r, NULL);
	for (size_t k = 0; k < n; k++)
		am_report__result_view(w, v, vr, r, &p[k]);
}

/* The citations of each finding under one header, the findings with an
 * error first, then those with a warning, then a note, then those whose
 * evidence holds, each in the audit's order; under it a row a problem (a
 * citation with two problems has two), a citation that holds one row. */
static void evidence_by_finding(am_jw *w, const am_view *v, const am_verify *vr, const am_report_hooks *h,
				size_t revision)
{
	size_t n = vr->nresults;
	const am_finding **order = am_xcalloc(n ? n : 1, sizeof(*order));
	int *worst = am_xcalloc(n ? n : 1, sizeof(*worst));
	size_t nf = 0;
	am_buf t = AM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const am_verify_result *r = &vr->results[i];
		int g = am_view__result_group(vr, r);
		size_t k = 0;
		while (k < nf && order[k] != r->finding)
			k++;
		if (k == nf) {
			order[nf] = r->finding;
			worst[nf++] = g;
		} else if (g < worst[k]) {
			worst[k] = g;
		}
	}
	am_jw_array(w);
	for (int g = 0; g < AM_VIEW_GROUPS; g++)
		for (size_t k = 0; k < nf; k++) {
			if (worst[k] != g)
				continue;
			const am_finding *f = order[k];
			am_view_evidence ev;
			am_view__count_evidence(&ev, vr, f);
			am_jw_object(w);
			am_view__finding(w, v, f);
			am_view__str(w, "worst", am_view__group_key(g));
			am_view__int(w, "errors", (long long)ev.errors);
			am_view__int(w, "warnings", (long long)ev.warnings);
			am_view__int(w, "notes", (long long)ev.notes);
			am_view__int(w, "holding", (long long)ev.holding);
			am_buf_clear(&t);
			const size_t counts[4] = { ev.errors, ev.warnings, ev.notes, ev.holding };
			static const char *const said[4] = { "broken", "with a warning", "noted", "holding" };
			for (int s = 0; s < 4; s++)
				if (counts[s])
					am_buf_printf(&t, "%s%zu %s", t.size ? " · " : "", counts[s], said[s]);
			am_view__buf(w, "summary", &t);
			am_view__bool(w, "collapsed", g >= 2);
			finding_page(w, h, f, revision);
			am_jw_key(w, "items");
			am_jw_array(w);
			for (size_t i = 0; i < n; i++)
				if (vr->results[i].finding == f)
					am_report__result_rows(w, v, vr, &vr->results[i]);
			am_jw_array_end(w);
			am_jw_object_end(w);
		}
	am_jw_array_end(w);
	am_buf_free(&t);
	free(order);
	free(worst);
}

void am_report__verify_members(am_jw *w, const am_view *v, const am_verify *vr,
			       const am_report_hooks *h, size_t revision)
{
	/* Problems by level, worst first (the numbers of am_verify_tally),
	 * then the citations that hold. */
	static const am_level levels[3] = { AM_LEVEL_ERROR, AM_LEVEL_WARNING, AM_LEVEL_NOTE };
	static const char *const headings[4] = { "Errors", "Warnings", "Notes", "Holding" };
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	am_view_evidence ev;
	am_view_counts counts;
	char sh[11];

	am_view__count_evidence(&ev, vr, NULL);
	const size_t group_counts[4] = { ev.errors, ev.warnings, ev.notes, ev.holding };
	am_view__str(w, "audit", vr->audit_path ? vr->audit_path : vr->report->source);
	am_view__str(w, "as_of", vr->as_of.commit[0] ? vr->as_of.commit : NULL);
	am_view__str(w, "as_of_date", vr->as_of.commit[0] ? vr->as_of.date : NULL);
	am_view__str(w, "as_of_reason", am_asof_reason_name(vr->as_of_reason));
	am_view__str(w, "target", vr->target.commit);
	snprintf(sh, sizeof(sh), "%.10s", vr->as_of.commit);
	am_view__str(w, "as_of_short", vr->as_of.commit[0] ? sh : NULL);
	snprintf(sh, sizeof(sh), "%.10s", vr->target.commit);
	am_view__str(w, "target_short", sh);
	am_view__bool(w, "worktree", vr->worktree);
	am_view__str(w, "target_date", vr->target.date);
	am_view__int(w, "citations", (long long)ev.citations);
	am_view__int(w, "errors", (long long)ev.errors);
	am_view__int(w, "warnings", (long long)ev.warnings);
	am_view__int(w, "notes", (long long)ev.notes);
	am_view__int(w, "confirmed", (long long)ev.confirmed);
	am_view__int(w, "holding", (long long)ev.holding);
	am_view__bool(w, "baseline", vr->baseline);
	am_view__int(w, "unchanged", (long long)ev.unchanged);
	am_view__count_findings(&counts, vr->report);
	am_jw_key(w, "bars");
	am_chart__bars(w, &counts);
	am_jw_key(w, "findings");
	evidence_by_finding(w, v, vr, h, revision);
	am_jw_key(w, "groups");
	am_jw_array(w);
	for (int g = 0; g < 4; g++) {
		if (!group_counts[g])
			continue;
		am_jw_object(w);
		am_view__str(w, "severity", am_view__group_key(g));
		am_view__str(w, "heading", headings[g]);
		am_view__int(w, "count", (long long)group_counts[g]);
		am_view__str(w, "noun", g == 3 ? (group_counts[g] == 1 ? "citation" : "citations")
					       : (group_counts[g] == 1 ? "problem" : "problems"));
		am_view__bool(w, "collapsed", g == 3);
		am_jw_key(w, "items");
		am_jw_array(w);
		for (size_t i = 0; i < vr->nresults; i++) {
			const am_verify_result *r = &vr->results[i];
			size_t n = am_verify_problems(p, vr, r);
			if (g == 3 && !n)
				am_report__result_view(w, v, vr, r, NULL);
			for (size_t k = 0; g < 3 && k < n; k++)
				if (p[k].level == levels[g])
					am_report__result_view(w, v, vr, r, &p[k]);
		}
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
}

/* ---- check ----------------------------------------------------------------------------- */

static void short_commit(am_jw *w, const char *key, const char *commit)
{
	char sh[11];
	snprintf(sh, sizeof(sh), "%.10s", commit);
	am_view__str(w, key, sh);
}

static void check_view(am_jw *w, const am_check *c, const am_view *v)
{
	static const char *const marks[AM_CHECK__COUNT] = { "❌", "ℹ️", "⚠️" };
	const char *head = c->head.commit;
	am_jw_object(w);
	am_view__str(w, "generator", "auditmd " AUDITMD_VERSION);
	am_view__str(w, "title", "auditmd check");
	short_commit(w, "base_short", c->base.commit);
	short_commit(w, "head_short", head);
	am_view__str(w, "base_date", c->base.date);
	am_view__str(w, "head_date", c->head.date);
	am_view__bool(w, "worktree", c->worktree);
	am_buf read = AM_BUF_INIT;
	am_buf_printf(&read, "%zu audit%s", c->naudits, c->naudits == 1 ? "" : "s");
	am_view__buf(w, "audits_read", &read);
	am_buf_free(&read);
	char *summary = am_check_summary_text(c);
	am_view__str(w, "summary", summary);
	free(summary);
	am_tally t;
	am_check_tally(&t, c);
	am_view__int(w, "citations", (long long)t.citations);
	am_view__int(w, "errors", (long long)t.errors);
	am_view__int(w, "warnings", (long long)t.warnings);
	am_view__int(w, "notes", (long long)t.notes);
	am_view__bool(w, "baseline", c->baseline);
	am_view__int(w, "unchanged", (long long)t.unchanged);
	am_view__bool(w, "clean", c->nitems == 0);
	am_jw_key(w, "problems");
	am_jw_array(w);
	/* Errors, warnings, then notes; each in the audits' order. */
	static const am_check_kind order[AM_CHECK__COUNT] = { AM_CHECK_BROKEN, AM_CHECK_UNCONFIRMED,
							      AM_CHECK_TOUCHED };
	for (int k = 0; k < AM_CHECK__COUNT; k++)
		for (size_t i = 0; i < c->nitems; i++) {
			const am_check_item *it = &c->items[i];
			if (it->kind != order[k])
				continue;
			char *msg = am_check_message(it);
			bool broken = it->kind == AM_CHECK_BROKEN;
			am_jw_object(w);
			am_view__str(w, "kind", am_check_kind_name(it->kind));
			am_view__str(w, "level", am_level_name(am_check_kind_level(it->kind)));
			am_view__str(w, "mark", marks[it->kind]);
			am_view__str(w, "audit", c->audits[it->audit].path);
			am_view__int(w, "line", broken ? it->citation->line : it->finding->line);
			am_view__str(w, "finding", it->finding->id);
			am_view__str(w, "title", it->finding->title);
			am_view__str(w, "message", msg);
			am_jw_key(w, "code");
			if (broken)
				am_view__cite(w, v, it->citation->path, it->citation->start, it->citation->end, head,
					      it->result->path != NULL);
			else
				am_view__cite(w, v, it->path, it->start, it->end, c->base.commit, true);
			am_jw_object_end(w);
			free(msg);
		}
	am_jw_array_end(w);
	am_jw_key(w, "audits");
	am_jw_array(w);
	for (size_t i = 0; i < c->naudits; i++) {
		const am_check_audit *a = &c->audits[i];
		const am_diff *d = a->diff;
		am_jw_object(w);
		am_view__str(w, "path", a->path);
		am_view__str(w, "base_path", a->base_path);
		am_view__str(w, "change", am_check_audit_change_name(a->change));
		am_view__bool(w, "renamed", a->change == AM_CHECK_AUDIT_RENAMED);
		am_view__bool(w, "added", a->change == AM_CHECK_AUDIT_ADDED);
		am_view__bool(w, "deleted", a->change == AM_CHECK_AUDIT_DELETED);
		am_view__bool(w, "unchanged", a->change == AM_CHECK_AUDIT_UNCHANGED);
		am_view__int(w, "lines_changed", (long long)a->lines_changed);
		am_view__int(w, "citations_checked", a->verify ? (long long)a->verify->nresults : 0);
		am_view__bool(w, "has_changelog", d->counts[AM_CHANGE_RESOLVED] || d->counts[AM_CHANGE_NEW] ||
						     d->counts[AM_CHANGE_REGRESSED] || d->counts[AM_CHANGE_REMOVED]);
		am_jw_key(w, "groups");
		groups_view(w, v, d, head, false, NULL, 0);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void verify_view(am_jw *w, const am_verify *vr, const am_view *v)
{
	am_jw_object(w);
	audit_title(w, v, vr->report->title ? vr->report->title : vr->report->source);
	am_report__verify_members(w, v, vr, NULL, 0);
	am_jw_object_end(w);
}

/* ---- rendering ------------------------------------------------------------------------------ */

/* Reads a template file: a regular file only, never waiting on a FIFO
 * (opened without blocking, refused after fstat). */
static int read_template(char **out, size_t *len, const char *path)
{
	/* O_NONBLOCK: a FIFO is refused below instead of blocking the open
	 * until a writer comes. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	am_buf b = AM_BUF_INIT;
	struct stat st;
	int rc = 0;
	if (fd < 0) {
		int e = errno;
		am_error_set("%s: %s", path, strerror(e));
		return e == ENOENT ? AM_ENOTFOUND : AM_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		am_error_set("%s: not a regular file", path);
		rc = AM_EIO;
		goto done;
	}
	if ((rc = am_buf_read_fd(&b, fd, path, MAX_TEMPLATE_SIZE)) < 0) {
		if (rc == AM_ELIMIT)
			am_error_set("%s: over the template size limit of 16 MiB", path);
		goto done;
	}
	*len = b.size;
	*out = b.ptr ? am_buf_detach(&b) : am_xstrdup("");
done:
	am_buf_free(&b);
	close(fd);
	return rc;
}

/* Partials: the template directory first, then the built-in ones. */
static int load_partial(char **out, size_t *outlen, const char *name, void *payload)
{
	const am_render_options *o = payload;
	if (!*name || strchr(name, '/') || strchr(name, '\\') || !strcmp(name, "..") || name[0] == '.')
		return AM_ENOTFOUND;
	if (o->template_dir) {
		am_buf path = AM_BUF_INIT;
		am_buf_printf(&path, "%s/%s.mustache", o->template_dir, name);
		int rc = read_template(out, outlen, path.ptr);
		am_buf_free(&path);
		if (rc != AM_ENOTFOUND)
			return rc;
		am_error_clear();
	}
	size_t len;
	const char *text = am_builtin_template_text(name, &len);
	if (!text)
		return AM_ENOTFOUND;
	*out = am_xstrndup(text, len);
	*outlen = len;
	return 0;
}

/* The names a template and its partials use, to leave out of the data
 * the big array nobody asked for, and every member nobody names. */
typedef struct {
	const am_render_options *o;
	am_strset names, partials;
	char **owned;
	size_t nowned, cap;
	bool all;   /* a dynamic partial: anything may be used */
	bool dot;   /* "{{.}}": a value itself, whatever its members */
	bool html;  /* an *_html member is named */
	int depth;
	/* The partials read on the way, parsed: rendering takes them. */
	am_template **ptpl;
	const char **pname;
	size_t np, pcap;
} usage;

/* The partial `name` parsed while collecting the names, or NULL. */
static const am_template *usage_partial(const char *name, size_t len, void *payload)
{
	const usage *u = payload;
	for (size_t i = 0; i < u->np; i++)
		if (!strncmp(u->pname[i], name, len) && !u->pname[i][len])
			return u->ptpl[i];
	return NULL;
}

static void usage_free(usage *u)
{
	for (size_t i = 0; i < u->nowned; i++)
		free(u->owned[i]);
	free(u->owned);
	for (size_t i = 0; i < u->np; i++)
		am_template_free(u->ptpl[i]);
	free(u->ptpl);
	free(u->pname);
	am_strset_free(&u->names);
	am_strset_free(&u->partials);
}

static const char *usage_keep(usage *u, const char *name, size_t len)
{
	am_grow((void **)&u->owned, &u->cap, u->nowned + 1, sizeof(char *));
	return u->owned[u->nowned++] = am_xstrndup(name, len);
}

static void on_name(const char *name, size_t len, int kind, void *payload)
{
	usage *u = payload;
	if (len >= 5 && !memcmp(name + len - 5, "_html", 5))
		u->html = true;
	if (kind == 3) {
		/* "a.b.c": b and c name members too (a came as kind 0). */
		for (size_t i = 0, j; i < len; i = j + 1) {
			for (j = i; j < len && name[j] != '.'; j++)
				;
			if (i > 0 && j > i)
				am_strset_add(&u->names, usage_keep(u, name + i, j - i));
		}
		return;
	}
	if (kind == 0 && len == 1 && name[0] == '.')
		u->dot = true;
	if (kind != 1) {
		am_strset_add(&u->names, usage_keep(u, name, len));
		if (kind == 2)
			u->all = true;
		return;
	}
	const char *pname = usage_keep(u, name, len);
	if (!am_strset_add(&u->partials, pname) || u->depth >= AM_TEMPLATE_MAX_DEPTH)
		return;
	char *text = NULL;
	size_t tlen = 0;
	am_template *tpl = NULL;
	if (load_partial(&text, &tlen, pname, (void *)u->o) == 0 &&
	    am_template_parse(&tpl, text, tlen, pname) == 0) {
		size_t cap = u->pcap;
		am_grow((void **)&u->ptpl, &u->pcap, u->np + 1, sizeof(am_template *));
		am_grow((void **)&u->pname, &cap, u->np + 1, sizeof(char *));
		u->ptpl[u->np] = tpl;
		u->pname[u->np++] = pname;
		u->depth++;
		am_template_each_name(tpl, on_name, u);
		u->depth--;
	}
	am_error_clear();
	free(text);
}

/* What a report is made of. */
typedef struct {
	void (*write_doc)(am_jw *w, const void *obj); /* json.c's */
	const char *bulk_key; /* the document's big array */
	am_report_view_fn write_view;
	const char *kind;     /* "compile": templates compile.md, compile.html */
} report_kind;

/* A template ready to render with: parsed, with the names it and its
 * partials use, and those partials parsed. */
typedef struct {
	am_template *tpl;
	char *text;
	usage u;
	int style;
	bool html;
} prepared;

static void prepared_free(prepared *p)
{
	usage_free(&p->u);
	am_template_free(p->tpl);
	free(p->text);
}

/* Reads and parses the template `name` and its partials: a page of a
 * site (`page`) is read as partials are, from the template directory
 * first; a command's report from the file the options name, else the
 * built-in one. */
static int prepare(prepared *p, const report_kind *k, const char *name, bool html, bool page,
		   const am_render_options *o)
{
	size_t tlen = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	p->html = html;
	p->u.o = o;
	am_strset_init(&p->u.names, 64);
	am_strset_init(&p->u.partials, 8);
	if (o->version != AM_RENDER_OPTIONS_VERSION) {
		am_error_set("render: unsupported options version %u", o->version);
		return AM_EUSAGE;
	}
	if ((p->style = am_view__link_style(o->link_style)) < 0) {
		am_error_set("unknown link style '%s' (github, gitlab, bitbucket or gitea)", o->link_style);
		return AM_EUSAGE;
	}
	if (page) {
		if ((rc = load_partial(&p->text, &tlen, name, (void *)o)) == AM_ENOTFOUND)
			am_error_set("no template '%s'", name);
		if (rc < 0)
			return rc;
		rc = am_template_parse(&p->tpl, p->text, tlen, name);
	} else if (o->template_path) {
		if ((rc = read_template(&p->text, &tlen, o->template_path)) < 0)
			return rc;
		rc = am_template_parse(&p->tpl, p->text, tlen, o->template_path);
	} else {
		const char *builtin = am_builtin_template_text(name, &tlen);
		if (!builtin) {
			am_error_set("no built-in %s template for format '%s'", k->kind, strchr(name, '.') + 1);
			return AM_EUSAGE;
		}
		rc = am_template_parse(&p->tpl, builtin, tlen, name);
	}
	if (rc < 0)
		return rc;
	am_template_each_name(p->tpl, on_name, &p->u);
	return 0;
}

/* Renders obj through a prepared template. */
static int render_prepared(am_template_sink sink, void *payload, const report_kind *k, const void *obj,
			   const prepared *p)
{
	const usage *u = &p->u;
	bool bulk = u->all || (k->bulk_key && am_strset_has(&u->names, k->bulk_key));
	am_view v = { u->o, p->html || u->all || u->html, (am_link_style)p->style };
	/* Control characters shown: a report is read on a terminal or a page,
	 * where ESC, BEL or a bidi override from an audit or a file name must
	 * do nothing. Markdown keeps tabs; HTML also line endings, white space
	 * there. */
	am_json__arena *arena = am_json__arena_begin();
	struct json_t *data = am_json__template_data(
		k->write_doc, k->write_view, obj, &v, bulk ? 0 : AM_JSON__NO_BULK,
		p->html ? AM_VISIBLE_TAB | AM_VISIBLE_NEWLINE : AM_VISIBLE_TAB, u->all || u->dot ? NULL : &u->names);
	am_template_write_options wo = { load_partial, (void *)u->o, sink, payload, 0, 0, usage_partial,
					 (void *)u };
	int rc = am_template_write(p->tpl, data, &wo);
	am_json__free(data);
	am_json__arena_end(arena);
	return rc;
}

/*
 * Renders obj through the template `name` ("diff.html"): the file the
 * options name for a command's report, else the built-in one. The view's
 * *_html members are made for HTML, or for a template that names one.
 */
static int render(am_template_sink sink, void *payload, const report_kind *k, const void *obj,
		  const char *name, bool html, const am_render_options *opts)
{
	am_render_options defaults = AM_RENDER_OPTIONS_INIT;
	prepared p;
	int rc = prepare(&p, k, name, html, false, opts ? opts : &defaults);
	if (rc == 0)
		rc = render_prepared(sink, payload, k, obj, &p);
	prepared_free(&p);
	return rc;
}

static int render_format(am_template_sink sink, void *payload, const report_kind *k, const void *obj,
			 const char *format, const am_render_options *opts)
{
	am_buf name = AM_BUF_INIT;
	am_buf_printf(&name, "%s.%s", k->kind, format);
	int rc = render(sink, payload, k, obj, name.ptr, !strcmp(format, "html"), opts);
	am_buf_free(&name);
	return rc;
}

static void report_view_of(am_jw *w, const void *obj, const void *v) { report_view(w, obj, v); }
static void diff_view_of(am_jw *w, const void *obj, const void *v) { diff_view(w, obj, v); }
static void log_view_of(am_jw *w, const void *obj, const void *v) { log_view(w, obj, v); }
static void verify_view_of(am_jw *w, const void *obj, const void *v) { verify_view(w, obj, v); }
static void check_view_of(am_jw *w, const void *obj, const void *v) { check_view(w, obj, v); }

static const report_kind compile_kind = { am_json__report_doc, "findings", report_view_of, "compile" };
static const report_kind diff_kind = { am_json__diff_doc, "changes", diff_view_of, "diff" };
static const report_kind log_kind = { am_json__log_doc, "entries", log_view_of, "log" };
static const report_kind verify_kind = { am_json__verify_doc, "results", verify_view_of, "verify" };
static const report_kind check_kind = { am_json__check_doc, "results", check_view_of, "check" };

/* A page of a site has no document of its own: its data is its view. */
static void no_doc(am_jw *w, const void *obj)
{
	(void)obj;
	am_jw_object(w);
	am_jw_object_end(w);
}

struct am_report__page {
	prepared p;
};

int am_report__page_new(am_report__page **out, const char *name, const am_render_options *opts)
{
	am_report__page *pg = am_xcalloc(1, sizeof(*pg));
	report_kind k = { no_doc, NULL, NULL, "site" };
	int rc = prepare(&pg->p, &k, name, true, true, opts);
	*out = NULL;
	if (rc < 0) {
		am_report__page_free(pg);
		return rc;
	}
	*out = pg;
	return 0;
}

static int to_buf(const char *bytes, size_t len, void *payload)
{
	am_buf_put(payload, bytes, len);
	return 0;
}

int am_report__page_write(am_buf *out, const am_report__page *pg, am_report_view_fn view, const void *obj)
{
	report_kind k = { no_doc, NULL, view, "site" };
	return render_prepared(to_buf, out, &k, obj, &pg->p);
}

void am_report__page_free(am_report__page *pg)
{
	if (!pg)
		return;
	prepared_free(&pg->p);
	free(pg);
}

static int render_mem(char **out, size_t *len, const report_kind *k, const void *obj,
		      const char *format, const am_render_options *opts)
{
	am_buf b = AM_BUF_INIT;
	int rc = render_format(to_buf, &b, k, obj, format, opts);
	*out = NULL;
	*len = 0;
	if (rc == 0) {
		*len = b.size;
		*out = b.ptr ? am_buf_detach(&b) : am_xstrdup("");
	}
	am_buf_free(&b);
	return rc;
}

int am_report_render(char **out, size_t *len, const am_report *report, const char *format,
		     const am_render_options *opts)
{
	return render_mem(out, len, &compile_kind, report, format, opts);
}

int am_diff_render(char **out, size_t *len, const am_diff *diff, const char *format,
		   const am_render_options *opts)
{
	return render_mem(out, len, &diff_kind, diff, format, opts);
}

int am_log_render(char **out, size_t *len, const am_log *log, const char *format,
		  const am_render_options *opts)
{
	return render_mem(out, len, &log_kind, log, format, opts);
}

int am_verify_render(char **out, size_t *len, const am_verify *v, const char *format,
		     const am_render_options *opts)
{
	return render_mem(out, len, &verify_kind, v, format, opts);
}

int am_check_render(char **out, size_t *len, const am_check *c, const char *format,
		     const am_render_options *opts)
{
	return render_mem(out, len, &check_kind, c, format, opts);
}

int am_check_render_to(FILE *fp, const am_check *c, const char *format, const am_render_options *opts)
{
	return render_format(am_template__file_sink, fp, &check_kind, c, format, opts);
}

int am_report_render_to(FILE *fp, const am_report *report, const char *format,
			const am_render_options *opts)
{
	return render_format(am_template__file_sink, fp, &compile_kind, report, format, opts);
}

int am_diff_render_to(FILE *fp, const am_diff *diff, const char *format, const am_render_options *opts)
{
	return render_format(am_template__file_sink, fp, &diff_kind, diff, format, opts);
}

int am_log_render_to(FILE *fp, const am_log *log, const char *format, const am_render_options *opts)
{
	return render_format(am_template__file_sink, fp, &log_kind, log, format, opts);
}

int am_verify_render_to(FILE *fp, const am_verify *v, const char *format, const am_render_options *opts)
{
	return render_format(am_template__file_sink, fp, &verify_kind, v, format, opts);
}
