/*
 * view.h: the pieces every report's view is made of (report.c, site.c):
 * members written with json.c's writer, inline Markdown as HTML, status
 * and severity pills, citations as text and links, and the counts the
 * reports show.
 */
#ifndef AM_VIEW_H
#define AM_VIEW_H

#include "auditmd/report.h"

#include "json_int.h"
#include "util.h"

typedef enum {
	AM_LINK_GITHUB = 0,
	AM_LINK_GITLAB,
	AM_LINK_BITBUCKET,
	AM_LINK_GITEA,
} am_link_style;

/* What a view is written for. */
typedef struct {
	const am_render_options *o;
	bool html;              /* the *_html members are made */
	am_link_style style;
} am_view;

/* The style named (NULL: github); -1 for a name no forge has. */
int am_view__link_style(const char *name);

/* Members of the object being written. */
void am_view__str(am_jw *w, const char *key, const char *s);
void am_view__buf(am_jw *w, const char *key, const am_buf *b);
void am_view__bool(am_jw *w, const char *key, bool v);
void am_view__int(am_jw *w, const char *key, long long v);
/* A count a template tests with a section: null when zero (Mustache
 * takes 0 as true). */
void am_view__count(am_jw *w, const char *key, size_t n);
/* A coordinate, as SVG is written: "12.5". */
void am_view__coord(am_jw *w, const char *key, double v);
/* key: the inline Markdown of `markdown` as HTML (markdown.c), or null
 * without it or when the view makes no HTML. */
void am_view__html(am_jw *w, const am_view *v, const char *key, const char *markdown);

/* "title" as written, "title_html" as shown beside its status pill. */
void am_view__title(am_jw *w, const am_view *v, const am_finding *f);
/* "status" (its name), "status_label" (its words), "mark" for a status;
 * prefix "old_" gives "old_status"... */
void am_view__status(am_jw *w, const char *prefix, am_status status);
/* "status_text" and "status_text_html": the words the audit gave the
 * status, as the field they came from writes them. */
void am_view__status_text(am_jw *w, const am_view *v, const am_finding *f);
/* "severity" and "priority": their names or null. */
void am_view__levels(am_jw *w, const am_finding *f);

/* What every view says of a finding: "label", "id", its title, status and
 * levels (the three above). */
void am_view__finding(am_jw *w, const am_view *v, const am_finding *f);

/* "#6" or the finding's ID; "Backend › Auth". */
void am_view__number_label(am_buf *b, const am_finding *f);
void am_view__section_text(am_buf *b, const am_finding *f);

/*
 * Links with the link base: a file's lines at a commit (NULL: the
 * options' commit, else HEAD), a commit's page. Appended to b; false (b
 * unchanged) without a link base, for a path that leaves the repository,
 * or for a commit page the link base does not show the way to.
 */
bool am_view__file_link(am_buf *b, const am_view *v, const char *commit, const char *path,
			uint32_t start, uint32_t end);
bool am_view__commit_link(am_buf *b, const am_view *v, const char *commit);

/* A citation: {text, href}, linked at `commit` when linked is true. */
void am_view__cite(am_jw *w, const am_view *v, const char *path, uint32_t start, uint32_t end,
		   const char *commit, bool linked);
/* "has_citations" and "citations": the evidence citations of f. */
void am_view__citations(am_jw *w, const am_view *v, const am_finding *f, const char *commit);

/*
 * The counts reports show of an audit's findings: by severity (NONE
 * first) and status, and the totals of open (open, in progress), closed
 * (resolved, won't fix) and unknown. Every report and page counts here,
 * and only here.
 */
#define AM_VIEW_SEVERITIES (AM_SEVERITY_INFO + 1)
#define AM_VIEW_STATUSES (AM_STATUS_WONTFIX + 1)
typedef struct {
	size_t by[AM_VIEW_SEVERITIES][AM_VIEW_STATUSES];
	size_t open, closed, unknown, total;
} am_view_counts;

void am_view__count_findings(am_view_counts *out, const am_report *r);

/* Severities from the worst down, the findings without one last; their
 * keys ("high", "none") and labels ("high", "no severity"). */
extern const am_severity am_view__severities[AM_VIEW_SEVERITIES];
const char *am_view__severity_key(am_severity s);
const char *am_view__severity_label(am_severity s);

/* The numbers of a verification, those of am_verify_tally (problems by
 * level), and the citations without a problem (holding). */
typedef struct {
	size_t citations, errors, warnings, notes, confirmed, unchanged, holding;
} am_view_evidence;

/* The groups a report lists citations in, by their worst problem: 0 error,
 * 1 warning, 2 note, 3 holding (no problem); their keys ("error", "ok"). */
#define AM_VIEW_GROUPS 4
int am_view__result_group(const am_verify *v, const am_verify_result *r);
const char *am_view__group_key(int group);

/* The numbers of the run (f NULL: am_verify_tally's), or of finding f's
 * citations alone. */
void am_view__count_evidence(am_view_evidence *out, const am_verify *v, const am_finding *f);

#endif
