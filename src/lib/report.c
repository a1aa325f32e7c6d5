/*
 * report.c: reports through Mustache templates.
 *
 * A report's data is the command's documented JSON document plus "view":
 * the same facts arranged for reading, so a template never has to compute
 * (Mustache cannot): changes grouped by kind, labels such as "#6 → #7",
 * citations as text and links, chart coordinates. Everything a template
 * prints is escaped by {{...}}, so hostile audit text stays text.
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

/* ---- small JSON helpers -------------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static void set_buf(json_t *o, const char *key, const am_buf *b)
{
	json_object_set_new(o, key, json_stringn(am_buf_cstr(b), b->size));
}

static void set_bool(json_t *o, const char *key, bool v)
{
	json_object_set_new(o, key, json_boolean(v));
}

static void set_int(json_t *o, const char *key, long long v)
{
	json_object_set_new(o, key, json_integer(v));
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
static json_t *cite_view(const char *path, uint32_t start, uint32_t end, const char *link_base,
			 const char *commit)
{
	json_t *c = json_object();
	am_buf b = AM_BUF_INIT;
	am_cite__spec(&b, path, start, end);
	set_buf(c, "text", &b);
	am_buf_clear(&b);
	bool inside = path[0] && path[0] != '/' && path[0] != '\\' && !strstr(path, "..") &&
		      !strstr(path, "://");
	if (link_base && *link_base && inside) {
		link_to(&b, link_base, commit, path, start, end);
		set_buf(c, "href", &b);
	} else {
		set_str(c, "href", NULL);
	}
	am_buf_free(&b);
	return c;
}

static json_t *citations_view(const am_finding *f, const char *link_base, const char *commit)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->ncitations; i++) {
		const am_citation *ci = &f->citations[i];
		if (ci->role == AM_CITE_EVIDENCE)
			json_array_append_new(a, cite_view(ci->path, ci->start, ci->end, link_base, commit));
	}
	return a;
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

static json_t *change_view(const am_change *ch, const char *link_base, const char *commit)
{
	const am_finding *a = ch->old_finding, *b = ch->new_finding, *f = b ? b : a;
	json_t *c = json_object();
	am_buf t = AM_BUF_INIT;
	set_str(c, "kind", am_change_kind_name(ch->kind));
	set_str(c, "id", f->id);
	if (a && b && (ch->changed & AM_CHANGED_RENUMBERED)) {
		number_label(&t, a);
		am_buf_puts(&t, " → ");
		number_label(&t, b);
	} else {
		number_label(&t, f);
	}
	set_buf(c, "label", &t);
	set_str(c, "title", f->title);
	bool retitled = a && b && (ch->changed & AM_CHANGED_RETITLED);
	set_bool(c, "retitled", retitled);
	set_str(c, "old_title", retitled ? a->title : NULL);
	set_str(c, "status", am_status_name(f->status));
	set_str(c, "old_status", a ? am_status_name(a->status) : NULL);
	set_bool(c, "status_changed", a && b && a->status != b->status);
	set_str(c, "status_text", f->status_text);
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
	set_str(c, "changed", t.size ? am_buf_cstr(&t) : NULL);
	set_bool(c, "unchanged", a && b && !ch->changed);
	am_buf_clear(&t);
	section_text(&t, f);
	set_str(c, "section", t.size ? am_buf_cstr(&t) : NULL);
	set_str(c, "priority", am_priority_name(f->priority));
	set_str(c, "severity", am_severity_name(f->severity));
	set_str(c, "matched_by", am_match_kind_name(ch->matched_by));
	if (ch->matched_by == AM_MATCH_SIMILARITY) {
		char num[16];
		snprintf(num, sizeof(num), "%.2f", ch->similarity);
		set_str(c, "similarity", num);
	} else {
		set_str(c, "similarity", NULL);
	}
	set_bool(c, "unconfirmed", ch->resolution == AM_RESOLUTION_UNCONFIRMED);
	set_bool(c, "confirmed", ch->resolution == AM_RESOLUTION_CONFIRMED);
	json_t *cites = citations_view(f, link_base, commit);
	set_bool(c, "has_citations", json_array_size(cites) > 0);
	json_object_set_new(c, "citations", cites);
	am_buf_free(&t);
	return c;
}

/* Groups of changes, in reading order; `changelog` leaves "Still closed"
 * out, and `changelog_only` lists unchanged findings only in "Still open". */
static json_t *groups_view(const am_diff *d, const char *link_base, const char *commit,
			   bool with_open)
{
	json_t *groups = json_array();
	for (size_t g = 0; g < sizeof(group_order) / sizeof(group_order[0]); g++) {
		am_change_kind k = group_order[g];
		if (!d->counts[k] || (!with_open && (k == AM_CHANGE_OPEN || k == AM_CHANGE_CLOSED)))
			continue;
		json_t *grp = json_object(), *list = json_array();
		set_str(grp, "kind", am_change_kind_name(k));
		set_str(grp, "heading", am_change_kind_heading(k));
		set_int(grp, "count", (long long)d->counts[k]);
		set_bool(grp, "changelog", k != AM_CHANGE_CLOSED);
		for (size_t i = 0; i < d->nchanges; i++)
			if (d->changes[i].kind == k)
				json_array_append_new(list, change_view(&d->changes[i], link_base, commit));
		json_object_set_new(grp, "items", list);
		json_array_append_new(groups, grp);
	}
	return groups;
}

static const char *side_label(const am_report *r, const char *fallback)
{
	return r->date ? r->date : r->source ? r->source : fallback;
}

static json_t *diff_view(const am_diff *d, const am_render_options *o)
{
	json_t *v = json_object();
	const am_report *n = d->new_report, *old = d->old_report;
	set_str(v, "generator", "auditmd " AUDITMD_VERSION);
	set_str(v, "title", n->title ? n->title : old->title ? old->title : "Audit");
	set_str(v, "old_label", side_label(old, "old"));
	set_str(v, "new_label", side_label(n, "new"));
	set_str(v, "heading_date", n->date ? n->date : "Unreleased");
	bool unconfirmed = false;
	for (size_t i = 0; i < d->nchanges; i++)
		unconfirmed |= d->changes[i].resolution == AM_RESOLUTION_UNCONFIRMED;
	set_bool(v, "has_unconfirmed", unconfirmed);
	json_object_set_new(v, "groups", groups_view(d, o->link_base, d->new_as_of, true));
	return v;
}

/* ---- log ------------------------------------------------------------------------------ */

#define CHART_W 640
#define CHART_H 240
#define CHART_LEFT 44
#define CHART_RIGHT 40
#define CHART_TOP 16
#define CHART_BOTTOM 44

static json_t *chart_view(const am_log *log)
{
	json_t *c = json_object(), *pts = json_array(), *ticks = json_array();
	size_t max = 1;
	for (size_t i = 0; i < log->nentries; i++) {
		if (log->entries[i].open > max)
			max = log->entries[i].open;
		if (log->entries[i].closed > max)
			max = log->entries[i].closed;
	}
	double pw = CHART_W - CHART_LEFT - CHART_RIGHT, ph = CHART_H - CHART_TOP - CHART_BOTTOM;
	am_buf open_line = AM_BUF_INIT, closed_line = AM_BUF_INIT;
	for (size_t i = 0; i < log->nentries; i++) {
		const am_log_entry *e = &log->entries[i];
		double x = log->nentries > 1 ? CHART_LEFT + pw * (double)i / (double)(log->nentries - 1)
					     : CHART_LEFT + pw / 2;
		double yo = CHART_TOP + ph * (1.0 - (double)e->open / (double)max);
		double yc = CHART_TOP + ph * (1.0 - (double)e->closed / (double)max);
		am_buf_printf(&open_line, "%s%.1f,%.1f", i ? " " : "", x, yo);
		am_buf_printf(&closed_line, "%s%.1f,%.1f", i ? " " : "", x, yc);
		json_t *p = json_object();
		char num[32];
		snprintf(num, sizeof(num), "%.1f", x);
		set_str(p, "x", num);
		snprintf(num, sizeof(num), "%.1f", yo);
		set_str(p, "y_open", num);
		snprintf(num, sizeof(num), "%.1f", yc);
		set_str(p, "y_closed", num);
		set_int(p, "open", (long long)e->open);
		set_int(p, "closed", (long long)e->closed);
		set_str(p, "date", e->date);
		char sh[8];
		snprintf(sh, sizeof(sh), "%.7s", e->commit);
		set_str(p, "commit", sh);
		/* Date labels: all of them when few, else about eight. */
		size_t every = log->nentries <= 8 ? 1 : (log->nentries + 7) / 8;
		set_bool(p, "labelled", i % every == 0 || i + 1 == log->nentries);
		json_array_append_new(pts, p);
	}
	for (int k = 0; k <= 2; k++) {
		json_t *t = json_object();
		size_t value = max * (size_t)k / 2;
		char num[32];
		snprintf(num, sizeof(num), "%.1f", CHART_TOP + ph * (1.0 - (double)value / (double)max));
		set_str(t, "y", num);
		set_int(t, "value", (long long)value);
		json_array_append_new(ticks, t);
	}
	set_int(c, "width", CHART_W);
	set_int(c, "height", CHART_H);
	set_int(c, "left", CHART_LEFT);
	set_int(c, "right", CHART_W - CHART_RIGHT);
	set_int(c, "top", CHART_TOP);
	set_int(c, "bottom", CHART_H - CHART_BOTTOM);
	set_int(c, "label_y", CHART_H - CHART_BOTTOM + 18);
	set_int(c, "max", (long long)max);
	set_buf(c, "open_points", &open_line);
	set_buf(c, "closed_points", &closed_line);
	json_object_set_new(c, "points", pts);
	json_object_set_new(c, "ticks", ticks);
	am_buf_free(&open_line);
	am_buf_free(&closed_line);
	return c;
}

static json_t *log_view(const am_log *log, const am_render_options *o)
{
	json_t *v = json_object(), *entries = json_array();
	set_str(v, "generator", "auditmd " AUDITMD_VERSION);
	set_str(v, "path", log->path);
	const am_report *last = log->nentries ? log->entries[log->nentries - 1].report : NULL;
	set_str(v, "title", last && last->title ? last->title : log->path);
	set_int(v, "revision_count", (long long)log->nentries);
	if (last) {
		const am_log_entry *e = &log->entries[log->nentries - 1];
		set_int(v, "open", (long long)e->open);
		set_int(v, "closed", (long long)e->closed);
		set_int(v, "findings", (long long)e->report->nfindings);
		set_str(v, "first_date", log->entries[0].date);
		set_str(v, "last_date", e->date);
	}
	/* Newest first, as changelogs are read. */
	for (size_t i = log->nentries; i-- > 0;) {
		const am_log_entry *e = &log->entries[i];
		json_t *x = json_object();
		char sh[8];
		snprintf(sh, sizeof(sh), "%.7s", e->commit);
		set_str(x, "commit", e->commit);
		set_str(x, "short", sh);
		set_str(x, "date", e->date);
		bool other = e->report->date && strcmp(e->report->date, e->date);
		set_str(x, "audit_date", other ? e->report->date : NULL);
		set_str(x, "message", e->summary && *e->summary ? e->summary : NULL);
		set_str(x, "author", e->author);
		set_int(x, "findings", (long long)e->report->nfindings);
		set_int(x, "open", (long long)e->open);
		set_int(x, "closed", (long long)e->closed);
		set_bool(x, "first", e->diff == NULL);
		if (e->diff) {
			json_t *counts = json_object();
			for (int k = 0; k < AM_CHANGE__COUNT; k++)
				set_int(counts, am_change_kind_name((am_change_kind)k),
					(long long)e->diff->counts[k]);
			json_object_set_new(x, "counts", counts);
			json_object_set_new(x, "groups", groups_view(e->diff, o->link_base, e->commit, false));
		}
		json_array_append_new(entries, x);
	}
	json_object_set_new(v, "revisions", entries);
	json_object_set_new(v, "chart", chart_view(log));
	return v;
}

/* ---- verify ------------------------------------------------------------------------- */

static json_t *verify_view(const am_verify *vr, const am_render_options *o)
{
	unsigned mask = o->error_mask;
	if (!mask)
		for (int s = 0; s < AM_VERIFY__COUNT; s++)
			if (am_verify_state_is_error((am_verify_state)s))
				mask |= 1u << s;
	json_t *v = json_object();
	json_t *lists[3] = { json_array(), json_array(), json_array() }; /* error, warning, ok */
	set_str(v, "generator", "auditmd " AUDITMD_VERSION);
	set_str(v, "title", vr->report->title ? vr->report->title : vr->report->source);
	set_str(v, "audit", vr->audit_path ? vr->audit_path : vr->report->source);
	set_str(v, "as_of", vr->as_of.commit[0] ? vr->as_of.commit : NULL);
	set_str(v, "as_of_date", vr->as_of.commit[0] ? vr->as_of.date : NULL);
	set_str(v, "as_of_reason", am_asof_reason_name(vr->as_of_reason));
	set_str(v, "target", vr->target.commit);
	char sh[11];
	snprintf(sh, sizeof(sh), "%.10s", vr->as_of.commit);
	set_str(v, "as_of_short", vr->as_of.commit[0] ? sh : NULL);
	snprintf(sh, sizeof(sh), "%.10s", vr->target.commit);
	set_str(v, "target_short", sh);
	set_bool(v, "worktree", vr->worktree);
	set_str(v, "target_date", vr->target.date);
	size_t counts[3] = { 0 };
	for (size_t i = 0; i < vr->nresults; i++) {
		const am_verify_result *r = &vr->results[i];
		const am_citation *ci = r->citation;
		/* A state switched off holds, and says so. */
		bool problem = r->state != AM_VERIFY_OK && !r->state_suppressed;
		int sev = problem && (mask & (1u << r->state)) ? 0 : problem || r->warnings ? 1 : 2;
		json_t *x = json_object();
		am_buf t = AM_BUF_INIT;
		set_str(x, "finding", r->finding->id);
		set_str(x, "title", r->finding->title);
		set_str(x, "severity", sev == 0 ? "error" : sev == 1 ? "warning" : "ok");
		set_str(x, "state", am_verify_state_name(r->state));
		set_int(x, "line", ci->line);
		set_int(x, "column", ci->column);
		const char *commit = vr->as_of.commit[0] ? vr->as_of.commit : vr->target.commit;
		json_object_set_new(x, "citation",
				    r->path ? cite_view(r->path, ci->start, ci->end, o->link_base, commit)
					    : cite_view(ci->path, ci->start, ci->end, NULL, NULL));
		if (r->path && strcmp(r->path, ci->path))
			set_str(x, "written", ci->path);
		if (r->now_path && (r->state == AM_VERIFY_MOVED || r->state == AM_VERIFY_RENAMED))
			json_object_set_new(x, "now", cite_view(r->now_path, r->now_start, r->now_end,
							       o->link_base, vr->target.commit));
		set_str(x, "detail", r->detail);
		for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
			if (r->warnings & (1u << b)) {
				if (t.size)
					am_buf_puts(&t, "; ");
				am_buf_puts(&t, am_verify_warning_name(1u << b));
				if ((1u << b) == AM_VERIFY_WARN_SYMBOL_MISSING) {
					am_buf_puts(&t, ": none of");
					for (size_t k = 0; k < r->nsymbols; k++)
						am_buf_printf(&t, "%s%s", k ? ", " : " ", r->symbols[k]);
				}
			}
		if (r->state_suppressed || r->warnings_suppressed)
			am_buf_puts(&t, t.size ? "; switched off" : "switched off");
		set_str(x, "warnings", t.size ? am_buf_cstr(&t) : NULL);
		if (r->ncandidates) {
			am_buf_clear(&t);
			am_verify__candidates_text(&t, r);
			set_str(x, "candidates", am_buf_cstr(&t));
		}
		am_buf_free(&t);
		json_array_append_new(lists[sev], x);
		counts[sev]++;
	}
	static const char *const headings[3] = { "Errors", "Warnings", "Holding" };
	static const char *const keys[3] = { "error", "warning", "ok" };
	json_t *groups = json_array();
	for (int s = 0; s < 3; s++) {
		if (!counts[s]) {
			json_decref(lists[s]);
			continue;
		}
		json_t *g = json_object();
		set_str(g, "severity", keys[s]);
		set_str(g, "heading", headings[s]);
		set_int(g, "count", (long long)counts[s]);
		set_bool(g, "collapsed", s == 2);
		json_object_set_new(g, "items", lists[s]);
		json_array_append_new(groups, g);
	}
	set_int(v, "errors", (long long)counts[0]);
	set_int(v, "warnings", (long long)counts[1]);
	set_int(v, "holding", (long long)counts[2]);
	json_object_set_new(v, "groups", groups);
	return v;
}

/* ---- compile ------------------------------------------------------------------------------ */

static json_t *report_view(const am_report *r, const am_render_options *o)
{
	json_t *v = json_object(), *sections = json_array(), *cur = NULL;
	am_buf sec = AM_BUF_INIT, prev = AM_BUF_INIT;
	size_t counts[5] = { 0 };
	set_str(v, "generator", "auditmd " AUDITMD_VERSION);
	set_str(v, "title", r->title ? r->title : r->source ? r->source : "Audit");
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		counts[f->status]++;
		am_buf_clear(&sec);
		section_text(&sec, f);
		if (!cur || strcmp(am_buf_cstr(&sec), am_buf_cstr(&prev))) {
			cur = json_object();
			set_str(cur, "heading", sec.size ? am_buf_cstr(&sec) : NULL);
			json_object_set_new(cur, "items", json_array());
			json_array_append_new(sections, cur);
			am_buf_clear(&prev);
			am_buf_puts(&prev, am_buf_cstr(&sec));
		}
		json_t *x = json_object(), *fields = json_array();
		am_buf t = AM_BUF_INIT;
		number_label(&t, f);
		set_buf(x, "label", &t);
		am_buf_free(&t);
		set_str(x, "id", f->id);
		set_str(x, "title", f->title);
		set_str(x, "status", am_status_name(f->status));
		set_str(x, "mark", am_status_mark(f->status));
		set_str(x, "status_text", f->status_text);
		set_str(x, "priority", am_priority_name(f->priority));
		set_str(x, "severity", am_severity_name(f->severity));
		set_bool(x, "closed", am_status_is_closed(f->status));
		for (size_t k = 0; k < f->nfields; k++) {
			json_t *fl = json_object();
			set_str(fl, "name", f->fields[k].name);
			set_str(fl, "value", f->fields[k].value);
			char *one = am_xstrdup(f->fields[k].value);
			for (char *p = one; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			set_str(fl, "value_line", one);
			free(one);
			json_array_append_new(fields, fl);
		}
		json_object_set_new(x, "fields", fields);
		json_t *cites = citations_view(f, o->link_base, NULL);
		set_bool(x, "has_citations", json_array_size(cites) > 0);
		json_object_set_new(x, "citations", cites);
		json_array_append_new(json_object_get(cur, "items"), x);
	}
	set_int(v, "open", (long long)(counts[AM_STATUS_OPEN] + counts[AM_STATUS_IN_PROGRESS]));
	set_int(v, "closed", (long long)(counts[AM_STATUS_RESOLVED] + counts[AM_STATUS_WONTFIX]));
	set_int(v, "unknown", (long long)counts[AM_STATUS_UNKNOWN]);
	set_bool(v, "has_unknown", counts[AM_STATUS_UNKNOWN] > 0);
	json_object_set_new(v, "sections", sections);
	am_buf_free(&sec);
	am_buf_free(&prev);
	return v;
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

/* Every string of the data with its control characters shown
 * (am_buf_put_visible): a report is read on a terminal or a page, where
 * ESC, BEL or a bidi override from an audit or a file name must do
 * nothing. Markdown keeps tabs; HTML also line endings, white space there. */
static void show_controls(json_t *v, unsigned keep, am_buf *scratch)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, item)
			show_controls(item, keep, scratch);
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
			show_controls(item, keep, scratch);
		break;
	case JSON_STRING:
		if (am_visible_changes(json_string_value(v), json_string_length(v), keep)) {
			am_buf_clear(scratch);
			am_buf_put_visible(scratch, json_string_value(v), json_string_length(v), keep);
			json_string_setn(v, scratch->ptr, scratch->size);
		}
		break;
	default:
		break;
	}
}

typedef int (*to_json_fn)(char **out, const void *obj, int flags);
typedef json_t *(*view_fn)(const void *obj, const am_render_options *o);

/* What a command's report is made of. */
typedef struct {
	to_json_fn to_json;
	const char *bulk_key; /* the document's big array */
	view_fn make_view;
	const char *kind;     /* "compile": templates compile.md, compile.html */
} report_kind;

static int render(am_template_sink sink, void *payload, const report_kind *k, const void *obj,
		  const char *format, const am_render_options *opts)
{
	am_render_options defaults = AM_RENDER_OPTIONS_INIT;
	const am_render_options *o = opts ? opts : &defaults;
	am_template *tpl = NULL;
	am_buf name = AM_BUF_INIT, scratch = AM_BUF_INIT;
	char *text = NULL, *json = NULL;
	size_t tlen = 0;
	json_t *doc = NULL;
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
	if ((rc = k->to_json(&json, obj, bulk ? 0 : AM_JSON__NO_BULK)) < 0)
		goto done;
	doc = json_loads(json, 0, NULL);
	if (!doc)
		doc = json_object();
	json_object_set_new(doc, "view", k->make_view(obj, o));
	show_controls(doc, !strcmp(format, "html") ? AM_VISIBLE_TAB | AM_VISIBLE_NEWLINE : AM_VISIBLE_TAB,
		      &scratch);
	am_template_write_options wo = { load_partial, (void *)o, sink, payload, 0, 0 };
	rc = am_template_write(tpl, doc, &wo);
done:
	for (size_t i = 0; i < u.nowned; i++)
		free(u.owned[i]);
	free(u.owned);
	am_strset_free(&u.names);
	am_strset_free(&u.partials);
	am_template_free(tpl);
	free(text);
	free(json);
	am_buf_free(&name);
	am_buf_free(&scratch);
	json_decref(doc);
	return rc;
}

static int report_json(char **out, const void *obj, int flags) { return am_report_to_json(out, obj, flags); }
static int diff_json(char **out, const void *obj, int flags) { return am_diff_to_json(out, obj, flags); }
static int log_json(char **out, const void *obj, int flags) { return am_log_to_json(out, obj, flags); }
static int verify_json(char **out, const void *obj, int flags) { return am_verify_to_json(out, obj, flags); }
static json_t *report_view_of(const void *obj, const am_render_options *o) { return report_view(obj, o); }
static json_t *diff_view_of(const void *obj, const am_render_options *o) { return diff_view(obj, o); }
static json_t *log_view_of(const void *obj, const am_render_options *o) { return log_view(obj, o); }
static json_t *verify_view_of(const void *obj, const am_render_options *o) { return verify_view(obj, o); }

static const report_kind compile_kind = { report_json, "findings", report_view_of, "compile" };
static const report_kind diff_kind = { diff_json, "changes", diff_view_of, "diff" };
static const report_kind log_kind = { log_json, "entries", log_view_of, "log" };
static const report_kind verify_kind = { verify_json, "results", verify_view_of, "verify" };

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
