/*
 * report_int.h: the built-in templates, generated into templates.c; and
 * the parts of the reports' views a site's pages are made of.
 */
#ifndef AM_REPORT_INT_H
#define AM_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "view.h"

typedef struct {
	const char *name; /* "diff.html": the file name without ".mustache" */
	const char *text;
	size_t len;
} am_builtin_template;

/* Ends with a NULL name. */
extern const am_builtin_template am_builtin_templates[];

/*
 * What a site adds to a report's view: each finding's page ("page"),
 * written into the finding's object by finding_page(w, f, revision,
 * payload), where revision is the index of the log's entry the finding is
 * from.
 */
typedef struct {
	void (*finding_page)(am_jw *w, const am_finding *f, size_t revision, void *payload);
	void *payload;
} am_report_hooks;

/* The members of the views of compile (an audit's findings, their
 * citations linked at `commit`), log and verify, written into the object
 * open in w; hooks may be NULL. */
void am_report__compile_members(am_jw *w, const am_view *v, const am_report *r, const char *commit,
				const am_report_hooks *h, size_t revision);
void am_report__log_members(am_jw *w, const am_view *v, const am_log *log, const am_report_hooks *h);
void am_report__verify_members(am_jw *w, const am_view *v, const am_verify *vr,
			       const am_report_hooks *h, size_t revision);

/* A row of a checked citation: its finding, state, the rule and text of
 * problem p (NULL: the citation holds), its line, citation then and now,
 * detail, warnings. */
void am_report__result_view(am_jw *w, const am_view *v, const am_verify *vr, const am_verify_result *r,
			    const am_verify_problem *p);
/* The rows of citation r: one a problem (am_verify_problems), or one
 * saying it holds. */
void am_report__result_rows(am_jw *w, const am_view *v, const am_verify *vr, const am_verify_result *r);

/* A view, written by view(w, obj, v) for the am_view v. */
typedef void (*am_report_view_fn)(am_jw *w, const void *obj, const void *v);

/*
 * Pages of HTML through the template `name` ("site-index.html"), read as a
 * partial is (the template directory first, then the built-in ones):
 * am_report__page_new reads and parses it and its partials once, failing
 * as am_report_render_to() does on them; am_report__page_write renders
 * {"view": view(obj)} with it after what `out` holds, from any number of
 * threads at once.
 * opts is not NULL and outlives the page.
 */
typedef struct am_report__page am_report__page;
int am_report__page_new(am_report__page **out, const char *name, const am_render_options *opts);
int am_report__page_write(am_buf *out, const am_report__page *page, am_report_view_fn view, const void *obj);
void am_report__page_free(am_report__page *page);

#endif
