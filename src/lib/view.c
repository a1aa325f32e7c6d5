/*
 * view.c: the pieces every report's view is made of.
 *
 * A view is written with json.c's writer, which builds the values the
 * template engine renders. Everything in it is text a template escapes,
 * except the members named *_html: the inline Markdown of an audit's
 * titles and fields rendered by cmark-gfm in its safe mode (markdown.c),
 * which the built-in templates write as they are. Links are made here
 * from the link base, for the forge it belongs to.
 */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "cite.h"
#include "markdown.h"

/* Where a forge shows a file and a commit, and how it anchors lines:
 * "#L10" for one line, then the first line, `to` and the last. */
static const struct {
	const char *name;
	const char *blob;   /* what stands before {commit} in a link to a file */
	const char *commit; /* what stands before a commit id in a link to it */
	const char *anchor, *to;
} forges[] = {
	[AM_LINK_GITHUB] = { "github", "/blob/", "/commit/", "#L", "-L" },
	[AM_LINK_GITLAB] = { "gitlab", "/-/blob/", "/-/commit/", "#L", "-" },
	[AM_LINK_BITBUCKET] = { "bitbucket", "/src/", "/commits/", "#lines-", ":" },
	[AM_LINK_GITEA] = { "gitea", "/src/commit/", "/commit/", "#L", "-L" },
};

int am_view__link_style(const char *name)
{
	if (!name)
		return AM_LINK_GITHUB;
	for (size_t i = 0; i < sizeof(forges) / sizeof(forges[0]); i++)
		if (!strcmp(name, forges[i].name))
			return (int)i;
	return -1;
}

void am_view__str(am_jw *w, const char *key, const char *s)
{
	am_jw_key(w, key);
	am_jw_str(w, s);
}

void am_view__buf(am_jw *w, const char *key, const am_buf *b)
{
	am_jw_key(w, key);
	am_jw_strn(w, am_buf_cstr(b), b->size);
}

void am_view__bool(am_jw *w, const char *key, bool v)
{
	am_jw_key(w, key);
	am_jw_bool(w, v);
}

void am_view__count(am_jw *w, const char *key, size_t n)
{
	am_jw_key(w, key);
	if (n)
		am_jw_int(w, (long long)n);
	else
		am_jw_null(w);
}

void am_view__int(am_jw *w, const char *key, long long v)
{
	am_jw_key(w, key);
	am_jw_int(w, v);
}

void am_view__coord(am_jw *w, const char *key, double v)
{
	char num[32];
	if (am_tenths(num, v) < 0)
		snprintf(num, sizeof(num), "%.1f", v);
	am_view__str(w, key, num);
}

void am_view__html(am_jw *w, const am_view *v, const char *key, const char *markdown)
{
	am_jw_key(w, key);
	if (!v->html || !markdown) {
		am_jw_null(w);
		return;
	}
	am_buf b = AM_BUF_INIT;
	am_md_inline_html(&b, markdown, strlen(markdown));
	am_jw_strn(w, am_buf_cstr(&b), b.size);
	am_buf_free(&b);
}

void am_view__title(am_jw *w, const am_view *v, const am_finding *f)
{
	am_view__str(w, "title", f->title);
	if (v->html) {
		char *shown = am_finding_display_title(f, 1);
		am_view__html(w, v, "title_html", shown);
		free(shown);
	} else {
		am_view__html(w, v, "title_html", NULL);
	}
}

void am_view__status(am_jw *w, const char *prefix, am_status status)
{
	char key[32];
	snprintf(key, sizeof(key), "%sstatus", prefix);
	am_view__str(w, key, am_status_name(status));
	snprintf(key, sizeof(key), "%sstatus_label", prefix);
	am_view__str(w, key, am_status_label(status));
	snprintf(key, sizeof(key), "%smark", prefix);
	am_view__str(w, key, am_status_mark(status));
}

void am_view__status_text(am_jw *w, const am_view *v, const am_finding *f)
{
	const char *md = f->status_text;
	for (size_t k = 0; md && k < f->nfields; k++)
		if (f->fields[k].value_md && !strcmp(f->fields[k].value, f->status_text)) {
			md = f->fields[k].value_md;
			break;
		}
	am_view__str(w, "status_text", f->status_text);
	am_view__html(w, v, "status_text_html", md);
}

void am_view__levels(am_jw *w, const am_finding *f)
{
	am_view__str(w, "priority", am_priority_name(f->priority));
	am_view__str(w, "severity", am_severity_name(f->severity));
}

void am_view__finding(am_jw *w, const am_view *v, const am_finding *f)
{
	am_buf t = AM_BUF_INIT;
	am_view__number_label(&t, f);
	am_view__buf(w, "label", &t);
	am_buf_free(&t);
	am_view__str(w, "id", f->id);
	am_view__title(w, v, f);
	am_view__status(w, "", f->status);
	am_view__levels(w, f);
}

void am_view__number_label(am_buf *b, const am_finding *f)
{
	if (f->number)
		am_buf_printf(b, "#%s", f->number);
	else
		am_buf_puts(b, f->id);
}

void am_view__section_text(am_buf *b, const am_finding *f)
{
	for (size_t i = 0; i < f->nsection; i++) {
		if (i)
			am_buf_puts(b, " › ");
		am_buf_puts(b, f->section[i]);
	}
}

/* ---- links ----------------------------------------------------------------------- */

/* A path that stays inside the repository: relative, without "..". */
static bool inside(const char *path)
{
	return path[0] && path[0] != '/' && path[0] != '\\' && !strstr(path, "..") &&
	       !strstr(path, "://");
}

static const char *commit_or_default(const am_view *v, const char *commit)
{
	if (commit && *commit)
		return commit;
	return v->o->commit && *v->o->commit ? v->o->commit : "HEAD";
}

bool am_view__file_link(am_buf *b, const am_view *v, const char *commit, const char *path,
			uint32_t start, uint32_t end)
{
	const char *base = v->o->link_base;
	if (!base || !*base || !inside(path))
		return false;
	commit = commit_or_default(v, commit);
	bool has_path = false, has_lines = false;
	/* Where the fragment of the line placeholders starts: without lines
	 * (a whole file), the link ends there. */
	size_t hash = SIZE_MAX, cut = SIZE_MAX;
	for (const char *p = base; *p;) {
		if (!strncmp(p, "{commit}", 8)) {
			am_buf_puts(b, commit);
			p += 8;
		} else if (!strncmp(p, "{path}", 6)) {
			am_buf_put_uri_path(b, path);
			has_path = true;
			p += 6;
		} else if (!strncmp(p, "{start}", 7) || !strncmp(p, "{end}", 5)) {
			bool is_start = p[1] == 's';
			if (!has_lines)
				cut = hash;
			has_lines = true;
			if (start)
				am_buf_printf(b, "%u", is_start ? start : end);
			p += is_start ? 7 : 5;
		} else {
			if (*p == '#')
				hash = b->size;
			am_buf_putc(b, *p++);
		}
	}
	if (!has_path) {
		if (b->size && b->ptr[b->size - 1] != '/')
			am_buf_putc(b, '/');
		am_buf_put_uri_path(b, path);
	}
	if (has_lines && !start && cut != SIZE_MAX)
		am_buf_truncate(b, cut);
	else if (!has_lines && start) {
		am_buf_printf(b, "%s%u", forges[v->style].anchor, start);
		if (end != start)
			am_buf_printf(b, "%s%u", forges[v->style].to, end);
	}
	return true;
}

bool am_view__commit_link(am_buf *b, const am_view *v, const char *commit)
{
	const char *base = v->o->link_base, *at = base ? strstr(base, "{commit}") : NULL;
	const char *blob = forges[v->style].blob;
	size_t n = at ? (size_t)(at - base) : 0, len = strlen(blob);
	if (!at || !commit || !*commit || n < len || memcmp(at - len, blob, len))
		return false;
	am_buf_put(b, base, n - len);
	am_buf_puts(b, forges[v->style].commit);
	am_buf_puts(b, commit);
	return true;
}

void am_view__cite(am_jw *w, const am_view *v, const char *path, uint32_t start, uint32_t end,
		   const char *commit, bool linked)
{
	am_buf b = AM_BUF_INIT;
	am_jw_object(w);
	am_cite__spec(&b, path, start, end);
	am_view__buf(w, "text", &b);
	am_buf_clear(&b);
	if (linked && am_view__file_link(&b, v, commit, path, start, end))
		am_view__buf(w, "href", &b);
	else
		am_view__str(w, "href", NULL);
	am_buf_free(&b);
	am_jw_object_end(w);
}

void am_view__citations(am_jw *w, const am_view *v, const am_finding *f, const char *commit)
{
	size_t n = 0;
	for (size_t i = 0; i < f->ncitations; i++)
		n += f->citations[i].role == AM_CITE_EVIDENCE;
	am_view__bool(w, "has_citations", n > 0);
	am_jw_key(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++) {
		const am_citation *ci = &f->citations[i];
		if (ci->role == AM_CITE_EVIDENCE)
			am_view__cite(w, v, ci->path, ci->start, ci->end, commit, true);
	}
	am_jw_array_end(w);
}

/* ---- counts ------------------------------------------------------------------------ */

const am_severity am_view__severities[AM_VIEW_SEVERITIES] = {
	AM_SEVERITY_CRITICAL, AM_SEVERITY_HIGH, AM_SEVERITY_MEDIUM,
	AM_SEVERITY_LOW,      AM_SEVERITY_INFO, AM_SEVERITY_NONE,
};

const char *am_view__severity_key(am_severity s)
{
	return s == AM_SEVERITY_NONE ? "none" : am_severity_name(s);
}

const char *am_view__severity_label(am_severity s)
{
	return s == AM_SEVERITY_NONE ? "no severity" : am_severity_name(s);
}

void am_view__count_findings(am_view_counts *out, const am_report *r)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		unsigned sev = f->severity < AM_VIEW_SEVERITIES ? f->severity : AM_SEVERITY_NONE;
		unsigned st = f->status < AM_VIEW_STATUSES ? f->status : AM_STATUS_UNKNOWN;
		out->by[sev][st]++;
		if (st == AM_STATUS_UNKNOWN)
			out->unknown++;
		else if (am_status_is_closed((am_status)st))
			out->closed++;
		else
			out->open++;
	}
	out->total = r->nfindings;
}

int am_view__result_group(const am_verify *v, const am_verify_result *r)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	size_t n = am_verify_problems(p, v, r);
	am_level worst = AM_LEVEL_NONE;
	for (size_t k = 0; k < n; k++)
		if (p[k].level > worst)
			worst = p[k].level;
	return worst == AM_LEVEL_ERROR ? 0 : worst == AM_LEVEL_WARNING ? 1 : worst == AM_LEVEL_NOTE ? 2 : 3;
}

const char *am_view__group_key(int group)
{
	static const char *const keys[AM_VIEW_GROUPS] = { "error", "warning", "note", "ok" };
	return group >= 0 && group < AM_VIEW_GROUPS ? keys[group] : "ok";
}

void am_view__count_evidence(am_view_evidence *out, const am_verify *v, const am_finding *f)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	memset(out, 0, sizeof(*out));
	if (!f) {
		/* The whole run: the numbers every format gives. */
		am_tally t;
		am_verify_tally(&t, v);
		out->citations = t.citations;
		out->errors = t.errors;
		out->warnings = t.warnings;
		out->notes = t.notes;
		out->confirmed = t.confirmed;
		out->unchanged = t.unchanged;
		for (size_t i = 0; i < v->nresults; i++)
			out->holding += am_verify_problems(p, v, &v->results[i]) == 0;
		return;
	}
	/* One finding's: its problems by level, as am_verify_tally counts them. */
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if (r->finding != f)
			continue;
		size_t n = am_verify_problems(p, v, r);
		out->citations++;
		out->holding += n == 0;
		for (size_t k = 0; k < n; k++) {
			out->errors += p[k].level == AM_LEVEL_ERROR;
			out->warnings += p[k].level == AM_LEVEL_WARNING;
			out->notes += p[k].level == AM_LEVEL_NOTE;
			out->confirmed += p[k].confirmed;
			out->unchanged += p[k].baseline == AM_BASELINE_UNCHANGED;
		}
	}
}
