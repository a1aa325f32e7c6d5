/*
 * site.c: a static site of a repository's audits (site.h).
 *
 * Built in two steps. am_site_build reads: the logs of every audit in one
 * walk of the history (log.c, on two threads), the evidence of each audit
 * at the revision (verify.c, switched off as lint says), and each finding
 * followed across its audit's revisions (am_log_follow). am_site_write
 * renders: the index, a page an audit and a page a finding, from views
 * written here with the pieces of the reports' views (report.c, view.c,
 * chart.c), each page through its template. Nothing in a page depends on
 * where or when it was made: the same repository gives the same bytes.
 */
#include "auditmd/site.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "auditmd/lint.h"
#include "auditmd/revision.h"
#include "auditmd/vocab.h"
#include "chart.h"
#include "cite.h"
#include "gitrepo.h"
#include "jobs.h"
#include "report_int.h"
#include "util.h"
#include "view.h"

typedef struct {
	char *path;       /* from the top of the tree */
	char *slug;       /* its directory in the site */
	am_vocab *vocab;  /* its configuration's, when read from the tree */
	am_log *log;
	am_verify *verify;
	am_log_threads *threads;
	char **keys;      /* a thread's page, without ".html" */
} site_audit;

struct am_site {
	char commit[41], date[11];
	site_audit *audits;
	size_t n;
};

/* ---- names ------------------------------------------------------------------------ */

/* s as a file name: lower-case letters, digits and single dashes (and a
 * dot before digits, "1.2"); `fallback` when nothing is left. */
static void slugify(am_buf *b, const char *s, size_t len, const char *fallback)
{
	size_t start = b->size;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (am_isalnum(c))
			am_buf_putc(b, am_tolower(c));
		else if (b->size > start && b->ptr[b->size - 1] != '-')
			am_buf_putc(b, '-');
	}
	while (b->size > start && b->ptr[b->size - 1] == '-')
		am_buf_truncate(b, b->size - 1);
	if (b->size == start)
		am_buf_puts(b, fallback);
}

/* names[0..n) made unique by a "-2", "-3"... after repeats, and never
 * `reserved`. */
static void unique(char **names, size_t n, const char *reserved)
{
	am_strset seen;
	am_strset_init(&seen, n * 2 + 8);
	for (size_t i = 0; i < n; i++) {
		am_buf b = AM_BUF_INIT;
		am_buf_puts(&b, names[i]);
		for (int k = 2; (reserved && !strcmp(b.ptr, reserved)) || am_strset_has(&seen, b.ptr); k++) {
			am_buf_clear(&b);
			am_buf_printf(&b, "%s-%d", names[i], k);
		}
		free(names[i]);
		names[i] = am_buf_detach(&b);
		am_strset_add(&seen, names[i]);
	}
	am_strset_free(&seen);
}

/* The finding at a place of a thread. */
static const am_finding *finding_at(const am_log *log, const am_log_place *p)
{
	return &log->entries[p->entry].report->findings[p->finding];
}

static const am_log_place *last_place(const am_log_thread *t)
{
	return &t->places[t->nplaces - 1];
}

/* ---- building ---------------------------------------------------------------------- */

/* The evidence of audit a at the revision: checked as `auditmd verify
 * REV:PATH` checks it, its states switched off as the audit and its
 * configuration say. */
static int check_evidence(site_audit *a, const char *repo, const char *rev, const am_vocab *vocab,
			  const am_site_options *opts)
{
	am_verify_options vo = AM_VERIFY_OPTIONS_INIT;
	am_lint_options lo = AM_LINT_OPTIONS_INIT;
	char *text = NULL;
	size_t len = 0;
	int rc;
	const am_report *now = a->log->entries[a->log->nentries - 1].report;

	if ((rc = am_revision_read(&text, &len, repo, rev, a->path, opts ? opts->max_size : 0)) < 0)
		return rc;
	vo.repo = repo;
	vo.target = rev;
	vo.audit_rev = rev;
	vo.audit_path = a->path;
	vo.vocab = vocab;
	vo.threads = opts ? opts->threads : 0;
	if ((rc = am_verify_run(&a->verify, now, &vo)) == 0) {
		lo.vocab = vocab;
		lo.text = text;
		lo.len = len;
		rc = am_lint_suppress(a->verify, &lo);
	}
	free(text);
	return rc;
}

/* Each finding's page, named by its ID at its last revision. */
static void name_pages(site_audit *a)
{
	const am_log_threads *t = a->threads;
	a->keys = am_xcalloc(t->nthreads ? t->nthreads : 1, sizeof(char *));
	for (size_t i = 0; i < t->nthreads; i++) {
		const am_finding *f = finding_at(a->log, last_place(&t->threads[i]));
		am_buf b = AM_BUF_INIT;
		slugify(&b, f->id, strlen(f->id), "finding");
		a->keys[i] = am_buf_detach(&b);
	}
	unique(a->keys, t->nthreads, "index");
}

/* One audit's evidence at the revision, its findings' threads and pages'
 * names: a job (each touches its own audit). */
typedef struct {
	site_audit *a;
	const char *repo, *rev;
	const am_vocab *vocab;
	const am_site_options *opts;
} audit_job;

static int audit_job_run(void *job, void *payload)
{
	audit_job *j = job;
	int rc;
	(void)payload;
	if ((rc = check_evidence(j->a, j->repo, j->rev, j->vocab, j->opts)) < 0 ||
	    (rc = am_log_follow(&j->a->threads, j->a->log)) < 0)
		return rc;
	name_pages(j->a);
	return 0;
}

int am_site_build(am_site **out, const char *repo, const char *const *audits, size_t n,
		  const am_site_options *opts)
{
	const char *rev = opts && opts->rev ? opts->rev : "HEAD";
	am_site *s = NULL;
	am_git *g = NULL;
	am_git_commit c;
	am_log **logs = NULL;
	const am_vocab **vocabs = NULL;
	char **slugs = NULL;
	int rc;

	*out = NULL;
	if (opts && opts->version != AM_SITE_OPTIONS_VERSION) {
		am_error_set("am_site_build: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if ((rc = am_git__open(&g, repo ? repo : ".")) < 0 || (rc = am_git__commit(&c, g, rev)) < 0)
		goto done;
	s = am_xcalloc(1, sizeof(*s));
	memcpy(s->commit, c.id, sizeof(s->commit));
	memcpy(s->date, c.date, sizeof(s->date));
	s->n = n;
	s->audits = am_xcalloc(n ? n : 1, sizeof(site_audit));
	logs = am_xcalloc(n ? n : 1, sizeof(am_log *));
	vocabs = am_xcalloc(n ? n : 1, sizeof(am_vocab *));
	slugs = am_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		site_audit *a = &s->audits[i];
		a->path = am_xstrdup(audits[i]);
		if (!(opts && opts->vocab)) {
			/* The configuration nearest the audit in the revision's tree. */
			am_vocab_new(&a->vocab);
			if ((rc = am_revision_config_load(a->vocab, repo, rev, a->path)) < 0)
				goto done;
		}
		vocabs[i] = a->vocab ? a->vocab : opts->vocab;
		am_buf b = AM_BUF_INIT;
		const char *dot = strrchr(a->path, '.'), *slash = strrchr(a->path, '/');
		size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - a->path) : strlen(a->path);
		slugify(&b, a->path, len, "audit");
		slugs[i] = am_buf_detach(&b);
	}
	unique(slugs, n, NULL);
	am_log_options lo = AM_LOG_OPTIONS_INIT;
	lo.rev = rev;
	lo.max_size = opts ? opts->max_size : 0;
	lo.threads = opts ? opts->threads : 0;
	if ((rc = am_log_run_many(logs, repo, audits, vocabs, n, &lo)) < 0)
		goto done;
	audit_job *jobs = am_xcalloc(n ? n : 1, sizeof(audit_job));
	for (size_t i = 0; i < n; i++) {
		site_audit *a = &s->audits[i];
		a->log = logs[i];
		a->slug = slugs[i];
		slugs[i] = NULL;
		jobs[i] = (audit_job){ a, repo, rev, vocabs[i], opts };
	}
	/* Each audit's evidence and finding threads, on two threads (jobs.c). */
	rc = am_jobs__run(jobs, n, sizeof(audit_job), audit_job_run, NULL,
			  opts && opts->threads == 1 ? 1 : 2);
	free(jobs);
	if (rc < 0)
		goto done;
	*out = s;
	s = NULL;
done:
	if (s) {
		for (size_t i = 0; i < n; i++)
			if (!s->audits[i].log)
				am_log_free(logs[i]);
		am_site_free(s);
	}
	for (size_t i = 0; slugs && i < n; i++)
		free(slugs[i]);
	free(slugs);
	free(logs);
	free(vocabs);
	am_git__free(g);
	return rc;
}

size_t am_site_pages(const am_site *s)
{
	size_t n = 1;
	for (size_t i = 0; i < s->n; i++)
		n += 1 + s->audits[i].threads->nthreads;
	return n;
}

void am_site_free(am_site *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		site_audit *a = &s->audits[i];
		for (size_t k = 0; a->keys && k < a->threads->nthreads; k++)
			free(a->keys[k]);
		free(a->keys);
		am_log_threads_free(a->threads);
		am_verify_free(a->verify);
		am_log_free(a->log);
		am_vocab_free(a->vocab);
		free(a->path);
		free(a->slug);
	}
	free(s->audits);
	free(s);
}

/* ---- views -------------------------------------------------------------------------- */

/* What a page's view is of. */
typedef struct {
	const am_site *site;
	const site_audit *audit;
	size_t thread;
} page;

static const am_report *report_now(const site_audit *a)
{
	return a->log->entries[a->log->nentries - 1].report;
}

static const char *audit_title(const site_audit *a)
{
	const am_report *r = report_now(a);
	return r->title ? r->title : a->path;
}

/* "page": the finding's page, relative to its audit's directory. */
static void finding_page(am_jw *w, const am_finding *f, size_t revision, void *payload)
{
	const site_audit *a = payload;
	const am_report *r = a->log->entries[revision].report;
	size_t k = (size_t)(f - r->findings), th = k < r->nfindings ? a->threads->thread[revision][k] : SIZE_MAX;
	am_buf b = AM_BUF_INIT;
	if (th != SIZE_MAX)
		am_buf_printf(&b, "%s.html", a->keys[th]);
	am_view__str(w, "page", b.size ? b.ptr : NULL);
	am_buf_free(&b);
}

/* A revision: its date, short commit, link, author and message. */
static void revision_view(am_jw *w, const am_view *v, const am_log_entry *e)
{
	char sh[8];
	am_buf link = AM_BUF_INIT;
	snprintf(sh, sizeof(sh), "%.7s", e->commit);
	am_view__str(w, "date", e->date);
	am_view__str(w, "commit", e->commit);
	am_view__str(w, "short", sh);
	if (am_view__commit_link(&link, v, e->commit))
		am_view__buf(w, "href", &link);
	else
		am_view__str(w, "href", NULL);
	am_view__str(w, "author", e->author);
	am_view__str(w, "message", e->summary && *e->summary ? e->summary : NULL);
	am_buf_free(&link);
}

/* The health of an audit's evidence: broken (an error), drifted (a
 * warning: moved, changed...), ok, or none (nothing cited). */
/* The health of an audit's evidence: broken (an error), drifted (a
 * warning: moved, changed...), ok (nothing, or notes alone: the drift of
 * closed findings), or none (nothing cited). The numbers are those of
 * every format (am_verify_tally). */
static void health_view(am_jw *w, const am_verify *vr)
{
	am_view_evidence ev;
	am_view__count_evidence(&ev, vr, NULL);
	const char *health = !vr->nresults ? "none" : ev.errors ? "broken" : ev.warnings ? "drifted" : "ok";
	const char *label = !vr->nresults ? "no evidence cited"
			    : ev.errors   ? "evidence broken"
			    : ev.warnings ? "evidence drifted"
					  : "evidence holds";
	am_view__str(w, "health", health);
	am_view__str(w, "health_label", label);
	am_view__int(w, "citations", (long long)ev.citations);
	am_view__int(w, "errors", (long long)ev.errors);
	am_view__int(w, "warnings", (long long)ev.warnings);
	am_view__int(w, "notes", (long long)ev.notes);
	am_view__int(w, "holding", (long long)ev.holding);
}

static void site_header(am_jw *w, const am_site *s)
{
	char sh[8];
	snprintf(sh, sizeof(sh), "%.7s", s->commit);
	am_view__str(w, "generator", "auditmd " AUDITMD_VERSION);
	am_view__str(w, "commit", s->commit);
	am_view__str(w, "short", sh);
	am_view__str(w, "date", s->date);
}

static void index_view(am_jw *w, const void *obj, const void *arg)
{
	const am_site *s = obj;
	const am_view *v = arg;
	size_t open = 0, closed = 0, findings = 0;
	am_jw_object(w);
	site_header(w, s);
	am_view__str(w, "title", "Audits");
	am_view__int(w, "count", (long long)s->n);
	am_view__str(w, "count_label", s->n == 1 ? "audit" : "audits");
	am_jw_key(w, "audits");
	am_jw_array(w);
	for (size_t i = 0; i < s->n; i++) {
		const site_audit *a = &s->audits[i];
		am_view_counts c;
		am_buf href = AM_BUF_INIT;
		am_view__count_findings(&c, report_now(a));
		open += c.open;
		closed += c.closed;
		findings += c.total;
		am_jw_object(w);
		am_view__str(w, "title", audit_title(a));
		am_view__html(w, v, "title_html", audit_title(a));
		am_view__str(w, "path", a->path);
		am_buf_printf(&href, "%s/index.html", a->slug);
		am_view__buf(w, "href", &href);
		am_view__int(w, "findings", (long long)c.total);
		am_view__int(w, "open", (long long)c.open);
		am_view__int(w, "closed", (long long)c.closed);
		am_view__int(w, "revisions", (long long)a->log->nentries);
		am_jw_key(w, "severities");
		am_jw_array(w);
		for (size_t k = 0; k < AM_VIEW_SEVERITIES; k++) {
			const size_t *by = c.by[am_view__severities[k]];
			size_t o = by[AM_STATUS_OPEN] + by[AM_STATUS_IN_PROGRESS], d = by[AM_STATUS_RESOLVED] + by[AM_STATUS_WONTFIX];
			if (!o && !d && !by[AM_STATUS_UNKNOWN])
				continue;
			am_jw_object(w);
			am_view__str(w, "severity", am_view__severity_key(am_view__severities[k]));
			am_view__str(w, "label", am_view__severity_label(am_view__severities[k]));
			am_view__int(w, "open", (long long)o);
			am_view__int(w, "closed", (long long)d);
			am_jw_object_end(w);
		}
		am_jw_array_end(w);
		am_jw_key(w, "last");
		am_jw_object(w);
		revision_view(w, v, &a->log->entries[a->log->nentries - 1]);
		am_jw_object_end(w);
		health_view(w, a->verify);
		am_jw_key(w, "spark");
		am_chart__sparkline(w, a->log);
		am_jw_object_end(w);
		am_buf_free(&href);
	}
	am_jw_array_end(w);
	am_view__int(w, "findings", (long long)findings);
	am_view__int(w, "open", (long long)open);
	am_view__int(w, "closed", (long long)closed);
	am_jw_object_end(w);
}

static void audit_view(am_jw *w, const void *obj, const void *arg)
{
	const page *p = obj;
	const am_view *v = arg;
	const site_audit *a = p->audit;
	const am_log *log = a->log;
	am_report_hooks h = { finding_page, (void *)a };
	am_jw_object(w);
	site_header(w, p->site);
	am_view__str(w, "title", audit_title(a));
	am_view__html(w, v, "title_html", audit_title(a));
	am_view__str(w, "path", a->path);
	am_jw_key(w, "last");
	am_jw_object(w);
	revision_view(w, v, &log->entries[log->nentries - 1]);
	am_jw_object_end(w);
	health_view(w, a->verify);
	/* The findings at the revision, their citations linked where the
	 * audit was written, as the evidence check links them. */
	const char *as_of = a->verify->as_of.commit[0] ? a->verify->as_of.commit : p->site->commit;
	am_jw_key(w, "now");
	am_jw_object(w);
	am_report__compile_members(w, v, report_now(a), as_of, &h, log->nentries - 1);
	am_jw_object_end(w);
	am_jw_key(w, "evidence");
	am_jw_object(w);
	am_report__verify_members(w, v, a->verify, &h, log->nentries - 1);
	am_jw_object_end(w);
	am_jw_key(w, "history");
	am_jw_object(w);
	am_report__log_members(w, v, log, &h);
	am_jw_object_end(w);
	am_jw_object_end(w);
}

/* The evidence citations of f as "path:1-2, other:5". */
static void evidence_text(am_buf *b, const am_finding *f)
{
	for (size_t i = 0; i < f->ncitations; i++) {
		const am_citation *ci = &f->citations[i];
		if (ci->role != AM_CITE_EVIDENCE)
			continue;
		if (b->size)
			am_buf_puts(b, ", ");
		am_cite__spec(b, ci->path, ci->start, ci->end);
	}
}

/* The evidence citation after citations[*i] of f, or NULL. */
static const am_citation *next_evidence(const am_finding *f, size_t *i)
{
	while (*i < f->ncitations && f->citations[*i].role != AM_CITE_EVIDENCE)
		(*i)++;
	return *i < f->ncitations ? &f->citations[(*i)++] : NULL;
}

/* Whether a and b cite the same evidence, in the same order: the same
 * evidence_text, without making it. */
static bool same_evidence(const am_finding *a, const am_finding *b)
{
	size_t i = 0, k = 0;
	for (;;) {
		const am_citation *x = next_evidence(a, &i), *y = next_evidence(b, &k);
		if (!x || !y)
			return !x && !y;
		if (strcmp(x->path, y->path) || x->start != y->start || (x->start && x->end != y->end))
			return false;
	}
}

/* What a timeline says changed about a finding. */
enum {
	D_STATUS = 1 << 0,
	D_TITLE = 1 << 1,
	D_NUMBER = 1 << 2,
	D_SEVERITY = 1 << 3,
	D_PRIORITY = 1 << 4,
	D_SECTION = 1 << 5,
	D_EVIDENCE = 1 << 6,
};

static bool same_text(am_buf *x, am_buf *y, void (*put)(am_buf *, const am_finding *), const am_finding *a,
		      const am_finding *b)
{
	am_buf_clear(x);
	am_buf_clear(y);
	put(x, a);
	put(y, b);
	return !strcmp(am_buf_cstr(x), am_buf_cstr(y));
}

/* Whether a and b have the same number label (am_view__number_label),
 * without writing it when their numbers or IDs say. */
static bool same_number(am_buf *x, am_buf *y, const am_finding *a, const am_finding *b)
{
	if (a->number && b->number)
		return !strcmp(a->number, b->number);
	if (!a->number && !b->number)
		return !strcmp(a->id, b->id);
	return same_text(x, y, am_view__number_label, a, b);
}

/* Whether a and b have the same section text (am_view__section_text),
 * without writing it when their headings are the same. */
static bool same_section(am_buf *x, am_buf *y, const am_finding *a, const am_finding *b)
{
	bool same = a->nsection == b->nsection;
	for (size_t i = 0; same && i < a->nsection; i++)
		same = a->section[i] == b->section[i] || !strcmp(a->section[i], b->section[i]);
	return same || same_text(x, y, am_view__section_text, a, b);
}

static unsigned differences(const am_finding *a, const am_finding *b)
{
	am_buf x = AM_BUF_INIT, y = AM_BUF_INIT;
	unsigned d = 0;
	d |= a->status != b->status ? D_STATUS : 0;
	d |= strcmp(a->norm_title ? a->norm_title : "", b->norm_title ? b->norm_title : "") ? D_TITLE : 0;
	d |= same_number(&x, &y, a, b) ? 0 : D_NUMBER;
	d |= a->severity != b->severity ? D_SEVERITY : 0;
	d |= a->priority != b->priority ? D_PRIORITY : 0;
	d |= same_section(&x, &y, a, b) ? 0 : D_SECTION;
	d |= same_evidence(a, b) ? 0 : D_EVIDENCE;
	am_buf_free(&x);
	am_buf_free(&y);
	return d;
}

/* One thing that changed about a finding: "what", its old and new value
 * (as text, and as HTML for titles and sections). */
static void change(am_jw *w, const am_view *v, const char *what, const char *old, const char *new,
		   bool markdown)
{
	am_jw_object(w);
	am_view__str(w, "what", what);
	am_view__str(w, "old", old && *old ? old : NULL);
	am_view__str(w, "new", new && *new ? new : NULL);
	am_view__html(w, v, "old_html", markdown && old && *old ? old : NULL);
	am_view__html(w, v, "new_html", markdown && new && *new ? new : NULL);
	am_view__bool(w, "status", false);
	am_jw_object_end(w);
}

/* The changes from a to b, one a difference. */
static void changes(am_jw *w, const am_view *v, const am_finding *a, const am_finding *b, unsigned d)
{
	am_buf x = AM_BUF_INIT, y = AM_BUF_INIT;
	if (d & D_STATUS) {
		am_jw_object(w);
		am_view__str(w, "what", "status");
		am_view__bool(w, "status", true);
		am_view__status(w, "old_", a->status);
		am_view__status(w, "new_", b->status);
		am_jw_object_end(w);
	}
	if (d & D_TITLE) {
		char *ta = am_finding_display_title(a, 1), *tb = am_finding_display_title(b, 1);
		change(w, v, "title", ta, tb, true);
		free(ta);
		free(tb);
	}
	if (d & D_NUMBER) {
		same_text(&x, &y, am_view__number_label, a, b);
		change(w, v, "number", x.ptr, y.ptr, false);
	}
	if (d & D_SEVERITY)
		change(w, v, "severity", am_severity_name(a->severity), am_severity_name(b->severity), false);
	if (d & D_PRIORITY)
		change(w, v, "priority", am_priority_name(a->priority), am_priority_name(b->priority), false);
	if (d & D_SECTION) {
		same_text(&x, &y, am_view__section_text, a, b);
		change(w, v, "section", am_buf_cstr(&x), am_buf_cstr(&y), true);
	}
	if (d & D_EVIDENCE) {
		same_text(&x, &y, evidence_text, a, b);
		change(w, v, "evidence", am_buf_cstr(&x), am_buf_cstr(&y), false);
	}
	am_buf_free(&x);
	am_buf_free(&y);
}

/* A timeline entry: what happened at a revision ("added", "changed",
 * "resolved", "regressed", "removed", "back"), with the changes d from
 * `before` to `f` (either may be NULL, d then 0). */
static void event(am_jw *w, const am_view *v, const am_log_entry *e, const char *kind, const char *label,
		  const am_finding *before, const am_finding *f, unsigned d)
{
	am_jw_object(w);
	am_view__str(w, "kind", kind);
	am_view__str(w, "kind_label", label);
	revision_view(w, v, e);
	if (f) {
		am_buf t = AM_BUF_INIT;
		am_view__number_label(&t, f);
		am_view__buf(w, "label", &t);
		am_buf_free(&t);
		am_view__status(w, "", f->status);
		am_view__str(w, "severity", am_severity_name(f->severity));
	} else {
		am_view__str(w, "label", NULL);
		am_view__str(w, "status", NULL);
		am_view__str(w, "severity", NULL);
	}
	am_view__bool(w, "has_changes", d != 0);
	am_jw_key(w, "changes");
	am_jw_array(w);
	changes(w, v, before, f, d);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void timeline_view(am_jw *w, const am_view *v, const site_audit *a, const am_log_thread *t)
{
	const am_log *log = a->log;
	am_jw_array(w);
	for (size_t i = 0; i < t->nplaces; i++) {
		const am_log_place *p = &t->places[i];
		const am_finding *f = finding_at(log, p);
		if (i == 0) {
			event(w, v, &log->entries[p->entry], "added", "added", NULL, f, 0);
			continue;
		}
		const am_log_place *q = &t->places[i - 1];
		const am_finding *before = finding_at(log, q);
		unsigned d = differences(before, f);
		if (p->entry > q->entry + 1) {
			event(w, v, &log->entries[q->entry + 1], "removed", "removed", NULL, NULL, 0);
			event(w, v, &log->entries[p->entry], "back", "back", before, f, d);
		} else if (d) {
			bool regressed = am_status_is_closed(before->status) && !am_status_is_closed(f->status);
			bool resolved = !am_status_is_closed(before->status) && am_status_is_closed(f->status);
			event(w, v, &log->entries[p->entry], regressed ? "regressed" : resolved ? "resolved" : "changed",
			      regressed ? "reopened" : resolved ? "closed" : "changed", before, f, d);
		}
	}
	const am_log_place *last = last_place(t);
	if (last->entry + 1 < log->nentries)
		event(w, v, &log->entries[last->entry + 1], "removed", "removed", NULL, NULL, 0);
	am_jw_array_end(w);
}

static void finding_view(am_jw *w, const void *obj, const void *arg)
{
	const page *p = obj;
	const am_view *v = arg;
	const site_audit *a = p->audit;
	const am_log *log = a->log;
	const am_log_thread *t = &a->threads->threads[p->thread];
	const am_log_place *first = &t->places[0], *last = last_place(t);
	const am_finding *f = finding_at(log, last), *f0 = finding_at(log, first);
	bool present = last->entry + 1 == log->nentries;
	am_buf b = AM_BUF_INIT;

	am_jw_object(w);
	site_header(w, p->site);
	am_view__str(w, "audit_title", audit_title(a));
	am_view__html(w, v, "audit_title_html", audit_title(a));
	am_view__str(w, "audit_path", a->path);
	am_view__finding(w, v, f);
	am_view__section_text(&b, f);
	am_view__str(w, "section", b.size ? b.ptr : NULL);
	am_view__html(w, v, "section_html", b.size ? b.ptr : NULL);
	am_view__bool(w, "present", present);
	am_view__int(w, "revisions", (long long)t->nplaces);
	am_jw_key(w, "first");
	am_jw_object(w);
	revision_view(w, v, &log->entries[first->entry]);
	am_jw_object_end(w);
	am_jw_key(w, "last");
	am_jw_object(w);
	revision_view(w, v, &log->entries[last->entry]);
	am_jw_object_end(w);
	am_jw_key(w, "timeline");
	timeline_view(w, v, a, t);
	/* Its citations then (where it was first written) and now. */
	am_jw_key(w, "then");
	am_jw_object(w);
	revision_view(w, v, &log->entries[first->entry]);
	am_view__citations(w, v, f0, log->entries[first->entry].commit);
	am_jw_object_end(w);
	am_jw_key(w, "now");
	am_jw_object(w);
	revision_view(w, v, &log->entries[last->entry]);
	am_view__citations(w, v, f, log->entries[last->entry].commit);
	am_jw_key(w, "items");
	am_jw_array(w);
	size_t checked = 0;
	for (size_t i = 0; present && i < a->verify->nresults; i++) {
		const am_verify_result *r = &a->verify->results[i];
		if (r->finding == f) {
			am_report__result_rows(w, v, a->verify, r);
			checked++;
		}
	}
	am_jw_array_end(w);
	am_view__bool(w, "checked", checked > 0);
	am_jw_object_end(w);
	am_jw_object_end(w);
	am_buf_free(&b);
}

/* ---- writing ------------------------------------------------------------------------ */

/* Whether the regular file `path` (not a link) holds bytes[0..len); then
 * *fd is it, open (to link that very file), else -1. */
static bool same_file(const char *path, const char *bytes, size_t len, int *fd)
{
	struct stat st;
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return false;
	bool same = fstat(*fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	char buf[65536];
	for (size_t off = 0; same && off < len;) {
		ssize_t got = read(*fd, buf, len - off < sizeof(buf) ? len - off : sizeof(buf));
		same = got > 0 && !memcmp(buf, bytes + off, (size_t)got);
		off += got > 0 ? (size_t)got : 0;
	}
	if (!same) {
		close(*fd);
		*fd = -1;
	}
	return same;
}

/* Page bytes[0..len) at `path`: a hard link to the same page in the
 * previous site when there is one (the very file compared, through
 * /proc/self/fd), else written. */
static int put_page(const char *path, const char *previous, const char *bytes, size_t len)
{
	int fd;
	if (previous && same_file(previous, bytes, len, &fd)) {
		char proc[64];
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		bool linked = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0;
		close(fd);
		if (linked)
			return 0;
	}
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		am_error_set("%s: %s", path, strerror(errno));
		return AM_EIO;
	}
	bool ok = fwrite(bytes, 1, len, fp) == len;
	if (fclose(fp) != 0 || !ok) {
		am_error_set("%s: write failed: %s", path, strerror(errno));
		return AM_EIO;
	}
	return 0;
}

/* A page rendered and put at `path` (the same page at `previous`, if
 * any, may be linked). */
static int write_page(const char *path, const char *previous, const am_report__page *tpl,
		      am_report_view_fn view, const void *obj)
{
	am_buf bytes = AM_BUF_INIT;
	int rc = am_report__page_write(&bytes, tpl, view, obj);
	if (rc == 0)
		rc = put_page(path, previous, am_buf_cstr(&bytes), bytes.size);
	am_buf_free(&bytes);
	return rc;
}

static bool cancelled(const am_site_options *opts)
{
	if (opts && opts->cancelled && opts->cancelled(opts->payload)) {
		am_error_set("interrupted");
		return true;
	}
	return false;
}

/* One page to write: its path, template, view and what the view shows
 * (the site for the index, else `p`). */
typedef enum { TPL_INDEX, TPL_AUDIT, TPL_FINDING, NTPL } page_kind;

static const char *const page_templates[NTPL] = { "site-index.html", "site-audit.html", "site-finding.html" };

typedef struct {
	char *path, *previous; /* previous: the same page in the site before, or NULL */
	page_kind kind;
	am_report_view_fn view;
	page p;
} page_job;

typedef struct {
	const am_site *s;
	const am_site_options *opts;
	am_report__page *tpl[NTPL]; /* each kind's template, read and parsed once */
	atomic_bool failed; /* a page failed or the writing was stopped: no more pages */
} page_run;

static int page_job_run(void *job, void *payload)
{
	page_job *j = job;
	page_run *run = payload;
	if (atomic_load(&run->failed))
		return 0; /* the first failure, earlier, is the error */
	int rc = cancelled(run->opts) ? AM_ERROR
				      : write_page(j->path, j->previous, run->tpl[j->kind], j->view,
						   j->kind == TPL_INDEX ? (const void *)run->s : &j->p);
	if (rc < 0)
		atomic_store(&run->failed, true);
	return rc;
}

/* Each page's place in the previous site: dir's path with `previous` for
 * dir. */
static void previous_paths(page_job *jobs, size_t n, const char *dir, const char *previous)
{
	size_t skip = strlen(dir);
	am_buf b = AM_BUF_INIT;
	for (size_t k = 0; previous && k < n; k++) {
		am_buf_printf(&b, "%s%s", previous, jobs[k].path + skip);
		jobs[k].previous = am_buf_detach(&b);
	}
}

/* The directory of each audit, and the pages to write into dir. */
static int plan_pages(const am_site *s, const char *dir, page_job **out, size_t *n)
{
	size_t cap = 1;
	for (size_t i = 0; i < s->n; i++)
		cap += 1 + s->audits[i].threads->nthreads;
	page_job *jobs = am_xcalloc(cap, sizeof(*jobs));
	am_buf path = AM_BUF_INIT;
	size_t k = 0;
	int rc = 0;

	am_buf_printf(&path, "%s/index.html", dir);
	jobs[k++] = (page_job){ am_buf_detach(&path), NULL, TPL_INDEX, index_view, { s, NULL, 0 } };
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		const site_audit *a = &s->audits[i];
		am_buf_printf(&path, "%s/%s", dir, a->slug);
		if (mkdir(path.ptr, 0777) != 0 && errno != EEXIST) {
			am_error_set("%s: %s", path.ptr, strerror(errno));
			rc = AM_EIO;
			break;
		}
		am_buf_puts(&path, "/index.html");
		jobs[k++] = (page_job){ am_buf_detach(&path), NULL, TPL_AUDIT, audit_view, { s, a, 0 } };
		for (size_t t = 0; t < a->threads->nthreads; t++) {
			am_buf_printf(&path, "%s/%s/%s.html", dir, a->slug, a->keys[t]);
			jobs[k++] = (page_job){ am_buf_detach(&path), NULL, TPL_FINDING, finding_view,
						{ s, a, t } };
		}
	}
	am_buf_free(&path);
	*out = jobs;
	*n = k;
	return rc;
}

/* The template of each kind of page in jobs[0..n), read and parsed; the
 * first that fails, in the order of the pages, is the error. */
static int read_templates(page_run *run, const page_job *jobs, size_t n, const am_render_options *ro)
{
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++)
		if (!run->tpl[jobs[k].kind])
			rc = am_report__page_new(&run->tpl[jobs[k].kind], page_templates[jobs[k].kind], ro);
	return rc;
}

int am_site_write(const am_site *s, const char *dir, const am_site_options *opts)
{
	am_render_options defaults = AM_RENDER_OPTIONS_INIT;
	page_run run = { s, opts, { NULL }, false };
	page_job *jobs = NULL;
	size_t n = 0;

	/* The pages are written on two threads (jobs.c; one with threads 1),
	 * each to its own file; the first that fails, in the order above, is
	 * the error. */
	int rc = plan_pages(s, dir, &jobs, &n);
	previous_paths(jobs, n, dir, opts ? opts->previous : NULL);
	if (rc == 0)
		rc = read_templates(&run, jobs, n, opts && opts->render ? opts->render : &defaults);
	if (rc == 0)
		rc = am_jobs__run(jobs, n, sizeof(page_job), page_job_run, &run,
				  opts && opts->threads == 1 ? 1 : 2);
	for (size_t k = 0; k < n; k++) {
		free(jobs[k].path);
		free(jobs[k].previous);
	}
	for (size_t t = 0; t < NTPL; t++)
		am_report__page_free(run.tpl[t]);
	free(jobs);
	return rc;
}
