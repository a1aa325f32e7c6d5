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
#include "cite.h"
#include "json_int.h"
#include "mustache.h"
#include "report_int.h"
#include "source.h"
#include "util.h"
#include "verify_int.h"

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

/* ---- writing the view ---------------------------------------------------------- */

/* The view is written with json.c's writer, as the documents are; for a
 * template the writer builds the engine's values (am_json__template_data). */

static void set_str(am_jw *w, const char *key, const char *s)
{
	am_jw_key(w, key);
	am_jw_str(w, s);
}

static void set_buf(am_jw *w, const char *key, const am_buf *b)
{
	am_jw_key(w, key);
	am_jw_strn(w, am_buf_cstr(b), b->size);
}

static void set_bool(am_jw *w, const char *key, bool v)
{
	am_jw_key(w, key);
	am_jw_bool(w, v);
}

static void set_int(am_jw *w, const char *key, long long v)
{
	am_jw_key(w, key);
	am_jw_int(w, v);
}

/* A count a template tests with a section: null when zero (Mustache
 * takes 0 as true). */
static void set_count(am_jw *w, const char *key, size_t n)
{
	am_jw_key(w, key);
	if (n)
		am_jw_int(w, (long long)n);
	else
		am_jw_null(w);
}

/* base with {commit} replaced, then the path (percent-encoded) and #L. */
static void link_to(am_buf *b, const char *base, const char *commit, const char *path,
		    uint32_t start, uint32_t end)
{
	const char *at = strstr(base, "{commit}");
	if (at) {
		am_buf_put(b, base, (size_t)(at - base));
		am_buf_puts(b, commit && *commit ? commit : "HEAD");
		am_buf_puts(b, at + 8);
	} else {
		am_buf_puts(b, base);
	}
	if (b->size && b->ptr[b->size - 1] != '/')
		am_buf_putc(b, '/');
	am_buf_put_uri_path(b, path);
	if (start) {
		am_buf_printf(b, "#L%u", start);
		if (end != start)
			am_buf_printf(b, "-L%u", end);
	}
}

/* A citation for reading: {text, href}; href only with a link base and a
 * path that stays inside the repository. */
static void cite_view(am_jw *w, const char *path, uint32_t start, uint32_t end,
		      const char *link_base, const char *commit)
{
	am_buf b = AM_BUF_INIT;
	am_jw_object(w);
	am_cite__spec(&b, path, start, end);
	set_buf(w, "text", &b);
	am_buf_clear(&b);
	bool inside = path[0] && path[0] != '/' && path[0] != '\\' && !strstr(path, "..") &&
		      !strstr(path, "://");
	if (link_base && *link_base && inside) {
		link_to(&b, link_base, commit, path, start, end);
		set_buf(w, "href", &b);
	} else {
		set_str(w, "href", NULL);
	}
	am_buf_free(&b);
	am_jw_object_end(w);
}

/* "has_citations" and "citations": the evidence citations of f. */
static void citations_view(am_jw *w, const am_finding *f, const char *link_base, const char *commit)
{
	size_t n = 0;
	for (size_t i = 0; i < f->ncitations; i++)
		n += f->citations[i].role == AM_CITE_EVIDENCE;
	set_bool(w, "has_citations", n > 0);
	am_jw_key(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++) {
		const am_citation *ci = &f->citations[i];
		if (ci->role == AM_CITE_EVIDENCE)
			cite_view(w, ci->path, ci->start, ci->end, link_base, commit);
	}
	am_jw_array_end(w);
}

static void section_text(am_buf *b, const am_finding *f)
{
	for (size_t i = 0; i < f->nsection; i++) {
		if (i)
			am_buf_puts(b, " › ");
		am_buf_puts(b, f->section[i]);
	}
}

static void number_label(am_buf *b, const am_finding *f)
{
	if (f->number)
		am_buf_printf(b, "#%s", f->number);
	else
		am_buf_puts(b, f->id);
}

/* ---- diff ---------------------------------------------------------------------------- */

static const am_change_kind group_order[] = { AM_CHANGE_REGRESSED, AM_CHANGE_RESOLVED,
					      AM_CHANGE_NEW,       AM_CHANGE_REMOVED,
					      AM_CHANGE_OPEN,      AM_CHANGE_CLOSED };

static void change_view(am_jw *w, const am_change *ch, const char *link_base, const char *commit)
{
	const am_finding *a = ch->old_finding, *b = ch->new_finding, *f = b ? b : a;
	am_buf t = AM_BUF_INIT;
	am_jw_object(w);
	set_str(w, "kind", am_change_kind_name(ch->kind));
	set_str(w, "id", f->id);
	if (a && b && (ch->changed & AM_CHANGED_RENUMBERED)) {
		number_label(&t, a);
		am_buf_puts(&t, " → ");
		number_label(&t, b);
	} else {
		number_label(&t, f);
	}
	set_buf(w, "label", &t);
	set_str(w, "title", f->title);
	bool retitled = a && b && (ch->changed & AM_CHANGED_RETITLED);
	set_bool(w, "retitled", retitled);
	set_str(w, "old_title", retitled ? a->title : NULL);
	set_str(w, "status", am_status_name(f->status));
	set_str(w, "old_status", a ? am_status_name(a->status) : NULL);
	set_bool(w, "status_changed", a && b && a->status != b->status);
	set_str(w, "status_text", f->status_text);
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
	set_str(w, "changed", t.size ? am_buf_cstr(&t) : NULL);
	set_bool(w, "unchanged", a && b && !ch->changed);
	am_buf_clear(&t);
	section_text(&t, f);
	set_str(w, "section", t.size ? am_buf_cstr(&t) : NULL);
	set_str(w, "priority", am_priority_name(f->priority));
	set_str(w, "severity", am_severity_name(f->severity));
	set_str(w, "matched_by", am_match_kind_name(ch->matched_by));
	if (ch->matched_by == AM_MATCH_SIMILARITY) {
		char num[16];
		snprintf(num, sizeof(num), "%.2f", ch->similarity);
		set_str(w, "similarity", num);
	} else {
		set_str(w, "similarity", NULL);
	}
	set_bool(w, "unconfirmed", ch->resolution == AM_RESOLUTION_UNCONFIRMED);
	set_bool(w, "confirmed", ch->resolution == AM_RESOLUTION_CONFIRMED);
	set_bool(w, "arrived_closed", am_change_arrived_closed(ch));
	citations_view(w, f, link_base, commit);
	am_buf_free(&t);
	am_jw_object_end(w);
}

/* Groups of changes, in reading order; without `with_open` the unchanged
 * open and closed findings are left out (a changelog). */
static void groups_view(am_jw *w, const am_diff *d, const char *link_base, const char *commit,
			bool with_open)
{
	am_jw_array(w);
	for (size_t g = 0; g < sizeof(group_order) / sizeof(group_order[0]); g++) {
		am_change_kind k = group_order[g];
		if (!d->counts[k] || (!with_open && (k == AM_CHANGE_OPEN || k == AM_CHANGE_CLOSED)))
			continue;
		am_jw_object(w);
		set_str(w, "kind", am_change_kind_name(k));
		set_str(w, "heading", am_change_kind_heading(k));
		set_int(w, "count", (long long)d->counts[k]);
		set_bool(w, "changelog", k != AM_CHANGE_CLOSED);
		am_jw_key(w, "items");
		am_jw_array(w);
		for (size_t i = 0; i < d->nchanges; i++)
			if (d->changes[i].kind == k)
				change_view(w, &d->changes[i], link_base, commit);
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
}

static const char *side_label(const am_report *r, const char *fallback)
{
	return r->date ? r->date : r->source ? r->source : fallback;
}

static void diff_view(am_jw *w, const am_diff *d, const am_render_options *o)
{
	const am_report *n = d->new_report, *old = d->old_report;
	am_jw_object(w);
	set_str(w, "generator", "auditmd " AUDITMD_VERSION);
	set_str(w, "title", n->title ? n->title : old->title ? old->title : "Audit");
	set_str(w, "old_label", side_label(old, "old"));
	set_str(w, "new_label", side_label(n, "new"));
	set_str(w, "heading_date", n->date ? n->date : "Unreleased");
	bool unconfirmed = false;
	for (size_t i = 0; i < d->nchanges; i++)
		unconfirmed |= d->changes[i].resolution == AM_RESOLUTION_UNCONFIRMED;
	set_bool(w, "has_unconfirmed", unconfirmed);
	set_count(w, "new_closed", d->new_closed);
	/* Resolved findings whose code nobody looked at: say why. */
	set_str(w, "resolution_unchecked",
		d->counts[AM_CHANGE_RESOLVED] && !d->resolution_checked && d->resolution_skipped
			? d->resolution_skipped
			: NULL);
	am_jw_key(w, "groups");
	groups_view(w, d, o->link_base, d->new_as_of, true);
	am_jw_object_end(w);
}

/* ---- log ------------------------------------------------------------------------------ */

#define CHART_W 640
#define CHART_H 240
#define CHART_LEFT 44
#define CHART_RIGHT 40
#define CHART_TOP 16
#define CHART_BOTTOM 44

/* Where revision i is drawn: x, and y of its open and closed counts. */
static void chart_point(const am_log *log, size_t i, size_t max, double *x, double *yo, double *yc)
{
	double pw = CHART_W - CHART_LEFT - CHART_RIGHT, ph = CHART_H - CHART_TOP - CHART_BOTTOM;
	const am_log_entry *e = &log->entries[i];
	*x = log->nentries > 1 ? CHART_LEFT + pw * (double)i / (double)(log->nentries - 1)
			       : CHART_LEFT + pw / 2;
	*yo = CHART_TOP + ph * (1.0 - (double)e->open / (double)max);
	*yc = CHART_TOP + ph * (1.0 - (double)e->closed / (double)max);
}

/* A coordinate, as the chart's SVG writes it. */
static void set_coord(am_jw *w, const char *key, double v)
{
	char num[32];
	snprintf(num, sizeof(num), "%.1f", v);
	set_str(w, key, num);
}

static void chart_view(am_jw *w, const am_log *log)
{
	size_t max = 1;
	double x, yo, yc, ph = CHART_H - CHART_TOP - CHART_BOTTOM;
	for (size_t i = 0; i < log->nentries; i++) {
		if (log->entries[i].open > max)
			max = log->entries[i].open;
		if (log->entries[i].closed > max)
			max = log->entries[i].closed;
	}
	am_buf open_line = AM_BUF_INIT, closed_line = AM_BUF_INIT;
	for (size_t i = 0; i < log->nentries; i++) {
		chart_point(log, i, max, &x, &yo, &yc);
		am_buf_printf(&open_line, "%s%.1f,%.1f", i ? " " : "", x, yo);
		am_buf_printf(&closed_line, "%s%.1f,%.1f", i ? " " : "", x, yc);
	}
	am_jw_object(w);
	set_int(w, "width", CHART_W);
	set_int(w, "height", CHART_H);
	set_int(w, "left", CHART_LEFT);
	set_int(w, "right", CHART_W - CHART_RIGHT);
	set_int(w, "top", CHART_TOP);
	set_int(w, "bottom", CHART_H - CHART_BOTTOM);
	set_int(w, "label_y", CHART_H - CHART_BOTTOM + 18);
	set_int(w, "max", (long long)max);
	set_buf(w, "open_points", &open_line);
	set_buf(w, "closed_points", &closed_line);
	am_jw_key(w, "points");
	am_jw_array(w);
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		chart_point(log, i, max, &x, &yo, &yc);
		am_jw_object(w);
		set_coord(w, "x", x);
		set_coord(w, "y_open", yo);
		set_coord(w, "y_closed", yc);
		set_int(w, "open", (long long)e->open);
		set_int(w, "closed", (long long)e->closed);
		set_str(w, "date", e->date);
		char sh[8];
		snprintf(sh, sizeof(sh), "%.7s", e->commit);
		set_str(w, "commit", sh);
		/* Date labels: all of them when few, else about eight. */
		size_t every = log->nentries <= 8 ? 1 : (log->nentries + 7) / 8;
		set_bool(w, "labelled", i % every == 0 || i + 1 == log->nentries);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_key(w, "ticks");
	am_jw_array(w);
	for (int k = 0; k <= 2; k++) {
		size_t value = max * (size_t)k / 2;
		am_jw_object(w);
		set_coord(w, "y", CHART_TOP + ph * (1.0 - (double)value / (double)max));
		set_int(w, "value", (long long)value);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_buf_free(&open_line);
	am_buf_free(&closed_line);
}

static void log_view(am_jw *w, const am_log *log, const am_render_options *o)
{
	am_jw_object(w);
	set_str(w, "generator", "auditmd " AUDITMD_VERSION);
	set_str(w, "path", log->path);
	const am_report *last = log->nentries ? log->entries[log->nentries - 1].report : NULL;
	set_str(w, "title", last && last->title ? last->title : log->path);
	set_int(w, "revision_count", (long long)log->nentries);
	if (last) {
		const am_log_entry *e = &log->entries[log->nentries - 1];
		set_int(w, "open", (long long)e->open);
		set_int(w, "closed", (long long)e->closed);
		set_int(w, "findings", (long long)e->report->nfindings);
		set_str(w, "first_date", log->entries[0].date);
		set_str(w, "last_date", e->date);
	}
	/* Newest first, as changelogs are read. */
	am_jw_key(w, "revisions");
	am_jw_array(w);
	for (size_t i = log->nentries; i-- > 0;) {
		const am_log_entry *e = &log->entries[i];
		char sh[8];
		snprintf(sh, sizeof(sh), "%.7s", e->commit);
		am_jw_object(w);
		set_str(w, "commit", e->commit);
		set_str(w, "short", sh);
		set_str(w, "date", e->date);
		bool other = e->report->date && strcmp(e->report->date, e->date);
		set_str(w, "audit_date", other ? e->report->date : NULL);
		set_str(w, "message", e->summary && *e->summary ? e->summary : NULL);
		set_str(w, "author", e->author);
		set_int(w, "findings", (long long)e->report->nfindings);
		set_int(w, "open", (long long)e->open);
		set_int(w, "closed", (long long)e->closed);
		set_bool(w, "first", e->diff == NULL);
		if (e->diff) {
			am_jw_key(w, "counts");
			am_jw_object(w);
			for (int k = 0; k < AM_CHANGE__COUNT; k++)
				set_int(w, am_change_kind_name((am_change_kind)k), (long long)e->diff->counts[k]);
			set_count(w, "new_closed", e->diff->new_closed);
			am_jw_object_end(w);
			am_jw_key(w, "groups");
			groups_view(w, e->diff, o->link_base, e->commit, false);
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_key(w, "chart");
	chart_view(w, log);
	am_jw_object_end(w);
}

/* ---- verify ------------------------------------------------------------------------- */

/* One row of the report: a problem of a result (am_verify_problems), or,
 * p NULL, a result that holds. */
static void result_view(am_jw *w, const am_verify *vr, const am_verify_result *r,
			const am_verify_problem *p, const am_render_options *o)
{
	const am_citation *ci = r->citation;
	am_buf t = AM_BUF_INIT;
	am_jw_object(w);
	set_str(w, "finding", r->finding->id);
	set_str(w, "title", r->finding->title);
	set_str(w, "status", am_status_name(r->finding->status));
	set_str(w, "severity", p ? am_level_name(p->level) : "ok");
	set_str(w, "state", am_verify_state_name(r->state));
	set_str(w, "rule", p ? p->rule : am_verify_state_name(r->state));
	set_int(w, "line", ci->line);
	set_int(w, "column", ci->column);
	const char *commit = vr->as_of.commit[0] ? vr->as_of.commit : vr->target.commit;
	am_jw_key(w, "citation");
	if (r->path)
		cite_view(w, r->path, ci->start, ci->end, o->link_base, commit);
	else
		cite_view(w, ci->path, ci->start, ci->end, NULL, NULL);
	if (r->path && strcmp(r->path, ci->path))
		set_str(w, "written", ci->path);
	if (r->now_path && (r->state == AM_VERIFY_MOVED || r->state == AM_VERIFY_RENAMED)) {
		am_jw_key(w, "now");
		cite_view(w, r->now_path, r->now_start, r->now_end, o->link_base, vr->target.commit);
	}
	set_str(w, "detail", r->detail);
	/* What the problem says, as every format says it. */
	if (p)
		am_verify__problem_text(&t, p);
	else if (r->state_suppressed)
		am_buf_printf(&t, "%s: switched off", am_verify_state_name(r->state));
	set_str(w, "text", t.size ? am_buf_cstr(&t) : NULL);
	set_bool(w, "confirmed", p && p->confirmed);
	set_str(w, "baseline", p && p->baseline ? am_baseline_state_name(p->baseline) : NULL);
	set_bool(w, "unchanged", p && p->baseline == AM_BASELINE_UNCHANGED);
	am_buf_clear(&t);
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (r->warnings & (1u << b)) {
			if (t.size)
				am_buf_puts(&t, "; ");
			am_buf_puts(&t, am_verify_warning_name(1u << b));
		}
	if (r->state_suppressed || r->warnings_suppressed)
		am_buf_puts(&t, t.size ? "; switched off" : "switched off");
	set_str(w, "warnings", t.size ? am_buf_cstr(&t) : NULL);
	if (r->ncandidates) {
		am_buf_clear(&t);
		am_verify__candidates_text(&t, r);
		set_str(w, "candidates", am_buf_cstr(&t));
	}
	am_buf_free(&t);
	am_jw_object_end(w);
}

static void verify_view(am_jw *w, const am_verify *vr, const am_render_options *o)
{
	/* Problems by level, worst first (the numbers of am_verify_tally),
	 * then the citations that hold. */
	static const am_level levels[3] = { AM_LEVEL_ERROR, AM_LEVEL_WARNING, AM_LEVEL_NOTE };
	static const char *const headings[4] = { "Errors", "Warnings", "Notes", "Holding" };
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	am_tally t;
	size_t holding = 0;
	char sh[11];

	am_verify_tally(&t, vr);
	for (size_t i = 0; i < vr->nresults; i++)
		holding += am_verify_problems(p, vr, &vr->results[i]) == 0;
	const size_t counts[4] = { t.errors, t.warnings, t.notes, holding };
	am_jw_object(w);
	set_str(w, "generator", "auditmd " AUDITMD_VERSION);
	set_str(w, "title", vr->report->title ? vr->report->title : vr->report->source);
	set_str(w, "audit", vr->audit_path ? vr->audit_path : vr->report->source);
	set_str(w, "as_of", vr->as_of.commit[0] ? vr->as_of.commit : NULL);
	set_str(w, "as_of_date", vr->as_of.commit[0] ? vr->as_of.date : NULL);
	set_str(w, "as_of_reason", am_asof_reason_name(vr->as_of_reason));
	set_str(w, "target", vr->target.commit);
	snprintf(sh, sizeof(sh), "%.10s", vr->as_of.commit);
	set_str(w, "as_of_short", vr->as_of.commit[0] ? sh : NULL);
	snprintf(sh, sizeof(sh), "%.10s", vr->target.commit);
	set_str(w, "target_short", sh);
	set_bool(w, "worktree", vr->worktree);
	set_str(w, "target_date", vr->target.date);
	set_int(w, "citations", (long long)t.citations);
	set_int(w, "errors", (long long)t.errors);
	set_int(w, "warnings", (long long)t.warnings);
	set_int(w, "notes", (long long)t.notes);
	set_int(w, "confirmed", (long long)t.confirmed);
	set_int(w, "holding", (long long)holding);
	set_bool(w, "baseline", vr->baseline);
	set_int(w, "unchanged", (long long)t.unchanged);
	am_jw_key(w, "groups");
	am_jw_array(w);
	for (int g = 0; g < 4; g++) {
		if (!counts[g])
			continue;
		am_jw_object(w);
		set_str(w, "severity", g < 3 ? am_level_name(levels[g]) : "ok");
		set_str(w, "heading", headings[g]);
		set_int(w, "count", (long long)counts[g]);
		set_str(w, "noun", g == 3 ? (counts[g] == 1 ? "citation" : "citations")
					  : (counts[g] == 1 ? "problem" : "problems"));
		set_bool(w, "collapsed", g == 3);
		am_jw_key(w, "items");
		am_jw_array(w);
		for (size_t i = 0; i < vr->nresults; i++) {
			const am_verify_result *r = &vr->results[i];
			size_t n = am_verify_problems(p, vr, r);
			if (g == 3 && !n)
				result_view(w, vr, r, NULL, o);
			for (size_t k = 0; g < 3 && k < n; k++)
				if (p[k].level == levels[g])
					result_view(w, vr, r, &p[k], o);
		}
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

/* ---- check ----------------------------------------------------------------------------- */

static void short_commit(am_jw *w, const char *key, const char *commit)
{
	char sh[11];
	snprintf(sh, sizeof(sh), "%.10s", commit);
	set_str(w, key, sh);
}

static void check_view(am_jw *w, const am_check *c, const am_render_options *o)
{
	static const char *const marks[AM_CHECK__COUNT] = { "❌", "ℹ️", "⚠️" };
	const char *head = c->head.commit;
	am_jw_object(w);
	set_str(w, "generator", "auditmd " AUDITMD_VERSION);
	set_str(w, "title", "auditmd check");
	short_commit(w, "base_short", c->base.commit);
	short_commit(w, "head_short", head);
	set_str(w, "base_date", c->base.date);
	set_str(w, "head_date", c->head.date);
	set_bool(w, "worktree", c->worktree);
	am_buf read = AM_BUF_INIT;
	am_buf_printf(&read, "%zu audit%s", c->naudits, c->naudits == 1 ? "" : "s");
	set_buf(w, "audits_read", &read);
	am_buf_free(&read);
	char *summary = am_check_summary_text(c);
	set_str(w, "summary", summary);
	free(summary);
	am_tally t;
	am_check_tally(&t, c);
	set_int(w, "citations", (long long)t.citations);
	set_int(w, "errors", (long long)t.errors);
	set_int(w, "warnings", (long long)t.warnings);
	set_int(w, "notes", (long long)t.notes);
	set_bool(w, "baseline", c->baseline);
	set_int(w, "unchanged", (long long)t.unchanged);
	set_bool(w, "clean", c->nitems == 0);
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
			set_str(w, "kind", am_check_kind_name(it->kind));
			set_str(w, "level", am_level_name(am_check_kind_level(it->kind)));
			set_str(w, "mark", marks[it->kind]);
			set_str(w, "audit", c->audits[it->audit].path);
			set_int(w, "line", broken ? it->citation->line : it->finding->line);
			set_str(w, "finding", it->finding->id);
			set_str(w, "title", it->finding->title);
			set_str(w, "message", msg);
			am_jw_key(w, "code");
			if (broken)
				cite_view(w, it->citation->path, it->citation->start, it->citation->end,
					  it->result->path ? o->link_base : NULL, head);
			else
				cite_view(w, it->path, it->start, it->end, o->link_base, c->base.commit);
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
		set_str(w, "path", a->path);
		set_str(w, "base_path", a->base_path);
		set_str(w, "change", am_check_audit_change_name(a->change));
		set_bool(w, "renamed", a->change == AM_CHECK_AUDIT_RENAMED);
		set_bool(w, "added", a->change == AM_CHECK_AUDIT_ADDED);
		set_bool(w, "deleted", a->change == AM_CHECK_AUDIT_DELETED);
		set_bool(w, "unchanged", a->change == AM_CHECK_AUDIT_UNCHANGED);
		set_int(w, "lines_changed", (long long)a->lines_changed);
		set_int(w, "citations_checked", a->verify ? (long long)a->verify->nresults : 0);
		set_bool(w, "has_changelog", d->counts[AM_CHANGE_RESOLVED] || d->counts[AM_CHANGE_NEW] ||
						     d->counts[AM_CHANGE_REGRESSED] || d->counts[AM_CHANGE_REMOVED]);
		am_jw_key(w, "groups");
		groups_view(w, d, o->link_base, head, false);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

/* ---- compile ------------------------------------------------------------------------------ */

static void finding_view(am_jw *w, const am_finding *f, const am_render_options *o)
{
	am_buf t = AM_BUF_INIT;
	am_jw_object(w);
	number_label(&t, f);
	set_buf(w, "label", &t);
	am_buf_free(&t);
	set_str(w, "id", f->id);
	set_str(w, "title", f->title);
	set_str(w, "status", am_status_name(f->status));
	set_str(w, "mark", am_status_mark(f->status));
	set_str(w, "status_text", f->status_text);
	set_str(w, "priority", am_priority_name(f->priority));
	set_str(w, "severity", am_severity_name(f->severity));
	set_bool(w, "closed", am_status_is_closed(f->status));
	am_jw_key(w, "fields");
	am_jw_array(w);
	for (size_t k = 0; k < f->nfields; k++) {
		am_jw_object(w);
		set_str(w, "name", f->fields[k].name);
		set_str(w, "value", f->fields[k].value);
		char *one = am_xstrdup(f->fields[k].value);
		for (char *p = one; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		set_str(w, "value_line", one);
		free(one);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	citations_view(w, f, o->link_base, NULL);
	am_jw_object_end(w);
}

static void report_view(am_jw *w, const am_report *r, const am_render_options *o)
{
	am_buf sec = AM_BUF_INIT, prev = AM_BUF_INIT;
	size_t counts[5] = { 0 };
	bool open_section = false;
	for (size_t i = 0; i < r->nfindings; i++)
		counts[r->findings[i].status]++;
	am_jw_object(w);
	set_str(w, "generator", "auditmd " AUDITMD_VERSION);
	set_str(w, "title", r->title ? r->title : r->source ? r->source : "Audit");
	set_int(w, "open", (long long)(counts[AM_STATUS_OPEN] + counts[AM_STATUS_IN_PROGRESS]));
	set_int(w, "closed", (long long)(counts[AM_STATUS_RESOLVED] + counts[AM_STATUS_WONTFIX]));
	set_int(w, "unknown", (long long)counts[AM_STATUS_UNKNOWN]);
	set_bool(w, "has_unknown", counts[AM_STATUS_UNKNOWN] > 0);
	/* Consecutive findings of one section path make a section. */
	am_jw_key(w, "sections");
	am_jw_array(w);
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		am_buf_clear(&sec);
		section_text(&sec, f);
		if (!open_section || strcmp(am_buf_cstr(&sec), am_buf_cstr(&prev))) {
			if (open_section) {
				am_jw_array_end(w);
				am_jw_object_end(w);
			}
			am_jw_object(w);
			set_str(w, "heading", sec.size ? am_buf_cstr(&sec) : NULL);
			am_jw_key(w, "items");
			am_jw_array(w);
			open_section = true;
			am_buf_clear(&prev);
			am_buf_puts(&prev, am_buf_cstr(&sec));
		}
		finding_view(w, f, o);
	}
	if (open_section) {
		am_jw_array_end(w);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
	am_buf_free(&sec);
	am_buf_free(&prev);
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
 * the big array nobody asked for. */
typedef struct {
	const am_render_options *o;
	am_strset names, partials;
	char **owned;
	size_t nowned, cap;
	bool all;   /* a dynamic partial: anything may be used */
	int depth;
} usage;

static const char *usage_keep(usage *u, const char *name, size_t len)
{
	am_grow((void **)&u->owned, &u->cap, u->nowned + 1, sizeof(char *));
	return u->owned[u->nowned++] = am_xstrndup(name, len);
}

static void on_name(const char *name, size_t len, int kind, void *payload)
{
	usage *u = payload;
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
		u->depth++;
		am_template_each_name(tpl, on_name, u);
		u->depth--;
	}
	am_error_clear();
	am_template_free(tpl);
	free(text);
}

/* What a command's report is made of. */
typedef struct {
	void (*write_doc)(am_jw *w, const void *obj);                   /* json.c's */
	const char *bulk_key; /* the document's big array */
	void (*write_view)(am_jw *w, const void *obj, const void *opts); /* this file's */
	const char *kind;     /* "compile": templates compile.md, compile.html */
} report_kind;

static int render(am_template_sink sink, void *payload, const report_kind *k, const void *obj,
		  const char *format, const am_render_options *opts)
{
	am_render_options defaults = AM_RENDER_OPTIONS_INIT;
	const am_render_options *o = opts ? opts : &defaults;
	am_template *tpl = NULL;
	am_buf name = AM_BUF_INIT;
	char *text = NULL;
	size_t tlen = 0;
	struct json_t *data = NULL;
	usage u = { 0 };
	int rc;

	am_strset_init(&u.names, 64);
	am_strset_init(&u.partials, 8);
	if (opts && opts->version != AM_RENDER_OPTIONS_VERSION) {
		am_error_set("render: unsupported options version %u", opts->version);
		rc = AM_EUSAGE;
		goto done;
	}
	am_buf_printf(&name, "%s.%s", k->kind, format);
	if (o->template_path) {
		if ((rc = read_template(&text, &tlen, o->template_path)) < 0)
			goto done;
		rc = am_template_parse(&tpl, text, tlen, o->template_path);
	} else {
		const char *builtin = am_builtin_template_text(name.ptr, &tlen);
		if (!builtin) {
			am_error_set("no built-in %s template for format '%s'", k->kind, format);
			rc = AM_EUSAGE;
			goto done;
		}
		rc = am_template_parse(&tpl, builtin, tlen, name.ptr);
	}
	if (rc < 0)
		goto done;
	u.o = o;
	am_template_each_name(tpl, on_name, &u);
	bool bulk = u.all || am_strset_has(&u.names, k->bulk_key);
	/* Control characters shown: a report is read on a terminal or a page,
	 * where ESC, BEL or a bidi override from an audit or a file name must
	 * do nothing. Markdown keeps tabs; HTML also line endings, white space
	 * there. */
	data = am_json__template_data(k->write_doc, k->write_view, obj, o, bulk ? 0 : AM_JSON__NO_BULK,
				      !strcmp(format, "html") ? AM_VISIBLE_TAB | AM_VISIBLE_NEWLINE
							      : AM_VISIBLE_TAB);
	am_template_write_options wo = { load_partial, (void *)o, sink, payload, 0, 0 };
	rc = am_template_write(tpl, data, &wo);
done:
	for (size_t i = 0; i < u.nowned; i++)
		free(u.owned[i]);
	free(u.owned);
	am_strset_free(&u.names);
	am_strset_free(&u.partials);
	am_template_free(tpl);
	free(text);
	am_buf_free(&name);
	am_json__free(data);
	return rc;
}

static void report_view_of(am_jw *w, const void *obj, const void *o) { report_view(w, obj, o); }
static void diff_view_of(am_jw *w, const void *obj, const void *o) { diff_view(w, obj, o); }
static void log_view_of(am_jw *w, const void *obj, const void *o) { log_view(w, obj, o); }
static void verify_view_of(am_jw *w, const void *obj, const void *o) { verify_view(w, obj, o); }
static void check_view_of(am_jw *w, const void *obj, const void *o) { check_view(w, obj, o); }

static const report_kind compile_kind = { am_json__report_doc, "findings", report_view_of, "compile" };
static const report_kind diff_kind = { am_json__diff_doc, "changes", diff_view_of, "diff" };
static const report_kind log_kind = { am_json__log_doc, "entries", log_view_of, "log" };
static const report_kind verify_kind = { am_json__verify_doc, "results", verify_view_of, "verify" };
static const report_kind check_kind = { am_json__check_doc, "results", check_view_of, "check" };

static int to_buf(const char *bytes, size_t len, void *payload)
{
	am_buf_put(payload, bytes, len);
	return 0;
}

static int render_mem(char **out, size_t *len, const report_kind *k, const void *obj,
		      const char *format, const am_render_options *opts)
{
	am_buf b = AM_BUF_INIT;
	int rc = render(to_buf, &b, k, obj, format, opts);
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
	return render(am_template__file_sink, fp, &check_kind, c, format, opts);
}

int am_report_render_to(FILE *fp, const am_report *report, const char *format,
			const am_render_options *opts)
{
	return render(am_template__file_sink, fp, &compile_kind, report, format, opts);
}

int am_diff_render_to(FILE *fp, const am_diff *diff, const char *format, const am_render_options *opts)
{
	return render(am_template__file_sink, fp, &diff_kind, diff, format, opts);
}

int am_log_render_to(FILE *fp, const am_log *log, const char *format, const am_render_options *opts)
{
	return render(am_template__file_sink, fp, &log_kind, log, format, opts);
}

int am_verify_render_to(FILE *fp, const am_verify *v, const char *format, const am_render_options *opts)
{
	return render(am_template__file_sink, fp, &verify_kind, v, format, opts);
}
