/*
 * check.c: pull-request mode, on top of verify, diff and the git module.
 *
 * For each audit: its text at base and at head, each compiled once (once
 * in all when they are the same; head from base's compile when the change
 * kept most of the text); the findings paired by diff; the audit
 * lines the change added or edited, from git's diff of the two texts; an
 * audit missing at base is looked for among the change's renames.
 *
 *   broken       the evidence citations on those lines, verified at head
 *                (no as-of: they were written against head), switched off
 *                as lint and verify switch them off;
 *   touched,     the base revision's evidence of the findings open at base
 *   unconfirmed  and open or resolved at head, located at base (verify,
 *                without reading a file, from the commit that wrote that
 *                revision to base), then followed through the change:
 *                one diff from base to head for every audit's cited files.
 *                Lines edited before base confirm a resolution (the code
 *                changed since the audit said open), never a notice.
 *
 * Cost: one tree diff (the cited code; another for renamed audits when an
 * audit is missing at base), hunks only for the files the base revisions
 * cite, and no cited file read but those of the citations the change
 * wrote.
 */
#include "auditmd/check.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/compile.h"
#include "auditmd/lint.h"
#include "cite.h"
#include "compile_cache.h"
#include "discover_int.h"
#include "gitrepo.h"
#include "jobs.h"
#include "source.h"
#include "util.h"
#include "verify_int.h"

struct am_check_private {
	struct am_arena *arena;
	am_report *empty; /* the stand-in for a side without the audit */
};

const char *am_check_kind_name(am_check_kind kind)
{
	switch (kind) {
	case AM_CHECK_BROKEN: return "broken";
	case AM_CHECK_TOUCHED: return "touched";
	case AM_CHECK_UNCONFIRMED: return "unconfirmed";
	default: return "unknown";
	}
}

const char *am_check_audit_change_name(am_check_audit_change change)
{
	switch (change) {
	case AM_CHECK_AUDIT_UNCHANGED: return "unchanged";
	case AM_CHECK_AUDIT_EDITED: return "edited";
	case AM_CHECK_AUDIT_RENAMED: return "renamed";
	case AM_CHECK_AUDIT_ADDED: return "added";
	case AM_CHECK_AUDIT_DELETED: return "deleted";
	default: return "unknown";
	}
}

am_level am_check_kind_level(am_check_kind kind)
{
	return kind == AM_CHECK_BROKEN ? AM_LEVEL_ERROR : kind == AM_CHECK_TOUCHED ? AM_LEVEL_NOTE : AM_LEVEL_WARNING;
}

char *am_check_message(const am_check_item *it)
{
	am_buf b = AM_BUF_INIT;
	const am_verify_result *r = it->result;
	switch (it->kind) {
	case AM_CHECK_BROKEN:
		am_cite__spec(&b, it->citation->path, it->citation->start, it->citation->end);
		am_buf_printf(&b, " does not hold at head: %s", am_verify_state_name(r->state));
		if (r->state == AM_VERIFY_AMBIGUOUS) {
			am_buf_puts(&b, " (matches ");
			am_verify__candidates_text(&b, r);
			am_buf_putc(&b, ')');
		} else if (r->detail) {
			am_buf_printf(&b, " (%s)", r->detail);
		}
		am_buf_printf(&b, " (finding %s)", it->finding->id);
		break;
	case AM_CHECK_TOUCHED:
		am_buf_printf(&b, "this change edits code cited by open finding %s (", it->finding->id);
		am_cite__spec(&b, it->path, it->start, it->end);
		am_buf_puts(&b, ") — resolved?");
		break;
	default:
		am_buf_printf(&b, "finding %s is marked resolved, but this change does not touch the code it cites (",
			      it->finding->id);
		am_cite__spec(&b, it->path, it->start, it->end);
		am_buf_putc(&b, ')');
		break;
	}
	if (it->baseline == AM_BASELINE_UNCHANGED)
		am_buf_puts(&b, " (in the baseline)");
	return am_buf_detach(&b);
}

void am_check_tally(am_tally *out, const am_check *c)
{
	memset(out, 0, sizeof(*out));
	out->absent = c->baseline_absent;
	for (size_t i = 0; i < c->naudits; i++)
		out->citations += c->audits[i].verify ? c->audits[i].verify->nresults : 0;
	for (size_t i = 0; i < c->nitems; i++)
		am_verify__count(out, am_check_kind_level(c->items[i].kind),
				 c->items[i].baseline == AM_BASELINE_UNCHANGED);
}

char *am_check_summary_text(const am_check *c)
{
	am_buf b = AM_BUF_INIT;
	am_tally t;
	am_check_tally(&t, c);
	am_buf_printf(&b, "%zu error%s, %zu warning%s, %zu note%s; ", t.errors, t.errors == 1 ? "" : "s",
		      t.warnings, t.warnings == 1 ? "" : "s", t.notes, t.notes == 1 ? "" : "s");
	am_buf_printf(&b, "%zu resolved, %zu new, %zu regressed, %zu removed", c->changes[AM_CHANGE_RESOLVED],
		      c->changes[AM_CHANGE_NEW], c->changes[AM_CHANGE_REGRESSED], c->changes[AM_CHANGE_REMOVED]);
	if (c->baseline)
		am_buf_printf(&b, "; %zu unchanged since the baseline, %zu gone", t.unchanged, t.absent);
	return am_buf_detach(&b);
}

int am_check_fails(const am_check *c, unsigned mask)
{
	for (size_t i = 0; i < c->nitems; i++)
		if ((mask & AM_CHECK_FAIL_KIND(c->items[i].kind)) && c->items[i].baseline != AM_BASELINE_UNCHANGED)
			return 1;
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		if ((mask & AM_CHECK_FAIL_CHANGE(k)) && c->changes[k])
			return 1;
	return 0;
}

/* A base citation located at base, waiting for the change's diff. */
typedef struct {
	size_t audit, change;        /* its audit, and the change of that audit's diff */
	const am_citation *citation; /* as the base revision wrote it */
	const char *path;            /* at base (at the revision's as-of when drifted) */
	uint32_t start, end;
	bool drifted;                /* its lines were edited before base: the code did
					change since the revision said open */
} located;

typedef struct {
	am_check *c;
	const am_check_options *o;
	am_git *g;
	struct am_arena *arena;
	const char *head_rev; /* head's commit id; NULL: the working tree */
	size_t max_size;
	am_git_delta *audit_deltas; /* Markdown files and audits, base to head */
	size_t naudit_deltas;
	bool audit_deltas_read;
	am_git_tree *base_tree, *head_tree; /* head_tree NULL: the working tree */
	am_strset listed;           /* the audits' paths (for the diff above) */
	located *located;
	size_t nlocated, cap_located;
	am_check_item *items;
	size_t cap_items;
	struct code_ahead *ahead; /* the change's code diff, being made */
} run;

/* Audits are Markdown files. */
static bool is_markdown(const char *path)
{
	size_t n = strlen(path);
	return (n > 3 && am_span_ieq((am_span){ path + n - 3, 3 }, AM_SPAN(".md"))) ||
	       (n > 9 && am_span_ieq((am_span){ path + n - 9, 9 }, AM_SPAN(".markdown")));
}

static am_check_item *new_item(run *x, am_check_kind kind, size_t audit, const am_finding *f)
{
	am_grow((void **)&x->items, &x->cap_items, x->c->nitems + 1, sizeof(am_check_item));
	am_check_item *it = &x->items[x->c->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->audit = audit;
	it->finding = f;
	return it;
}

/* ---- the audits --------------------------------------------------------------------- */

typedef struct {
	run *x;
	const char **paths;
	size_t n, cap;
} path_list;

static void list_add(path_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->paths[i], path))
			return;
	am_grow((void **)&l->paths, &l->cap, l->n + 1, sizeof(char *));
	l->paths[l->n++] = am_arena_strdup(l->x->arena, path);
}

/* A file at head that may be an audit (discover_int.h). */
static void add_markdown(const char *path, void *payload)
{
	if (am_discover__markdown(path))
		list_add(payload, path);
}

/* What the configuration's pattern `entry` (a shell pattern such as
 * docs, a slash and *.md) names: a file at head, in the list the payload
 * points to. */
typedef struct {
	path_list *l;
	const char *entry;
} pattern_walk;

static void add_match(const char *path, void *payload)
{
	pattern_walk *w = payload;
	if (am_discover__matches(w->entry, path))
		list_add(w->l, path);
}

/* The files at head (in the index, for the working tree) the pattern
 * names, sorted. */
static int expand_pattern(run *x, path_list *l, const char *entry)
{
	path_list found = { x, NULL, 0, 0 };
	pattern_walk w = { &found, entry };
	int rc = x->head_tree ? am_git__each_file(x->head_tree, add_match, &w)
			      : am_git__each_index_file(x->g, add_match, &w);
	am_sort_strings(found.paths, found.n);
	for (size_t i = 0; i < found.n; i++)
		list_add(l, found.paths[i]);
	free(found.paths);
	return rc;
}

/* An audit path as the options give it, relative to the root; `given`
 * paths are the working tree's (relative to the current directory). */
static int audit_path(run *x, path_list *l, const char *path, bool given)
{
	char *rel = given ? am_git__relative(x->g, path) : am_xstrdup(path);
	am_buf norm = AM_BUF_INIT;
	int rc = 0;
	if (!rel || am_verify__normalise_path(&norm, rel) != 0) {
		am_error_set("%s: not a file of the repository's working tree", path);
		rc = AM_EUSAGE;
	} else {
		list_add(l, norm.ptr);
	}
	am_buf_free(&norm);
	free(rel);
	return rc;
}

/* An audit's bytes: a blob of a revision (borrowed from it, and read
 * through `own` when it is not NULL: a handle the text keeps), or a file
 * of the working tree. */
typedef struct {
	am_git_blob *blob;
	am_git *own;
	am_buf disk;
	const char *data;
	size_t len;
	bool found;
} audit_text;

/* One audit's two revisions, read and compiled, until they are paired;
 * the lines the change wrote (git's diff of the two texts), once made. */
typedef struct {
	audit_text base, head;
	bool in_base, in_head, same;
	bool hunked; /* hunks made (by the code diff's thread, or at pairing) */
	am_git_delta hunks;
} audit_texts;

static void text_free(audit_text *t)
{
	am_git__blob_free(t->blob);
	am_git__free(t->own);
	am_buf_free(&t->disk);
	memset(t, 0, sizeof(*t));
}

/* Reads an audit from a revision's tree (NULL: the working tree); found is
 * false when it is not there. `rev` names the revision in messages. */
static int read_audit(audit_text *t, am_git *g, size_t max, am_git_tree *tree, const char *rev,
		      const char *path)
{
	am_git_entry e;
	size_t size = 0;
	int binary = 0, rc = 0;
	text_free(t);
	if (!tree) {
		rc = am_git__workdir_read(&t->disk, &binary, g, path, max);
		if (rc == AM_ENOTFOUND) {
			am_error_clear();
			return 0;
		}
		t->data = am_buf_cstr(&t->disk);
		t->len = t->disk.size;
		t->found = rc == 0;
		return rc;
	}
	am_git__lookup(&e, tree, path);
	if (e.kind == AM_GIT_ENTRY_NONE)
		return 0;
	if (e.kind != AM_GIT_ENTRY_FILE) {
		am_error_set("%s:%s: not a file in revision %s (a directory, a submodule or a symbolic link)",
			     rev, path, rev);
		return AM_EPARSE;
	}
	if ((rc = am_git__blob_size(&size, g, e.blob)) < 0)
		return rc;
	if (size > max) {
		am_error_set("%s:%s: over the size limit of %zu bytes (see --max-size)", rev, path,
			     max);
		return AM_ELIMIT;
	}
	if ((rc = am_git__blob(&t->blob, g, e.blob)) < 0)
		return rc;
	t->data = am_git__blob_data(t->blob, &t->len);
	t->found = true;
	return 0;
}

/* The run's compile options for a text named `source`. */
static am_compile_options compile_options(const run *x, const char *source)
{
	am_compile_options co = AM_COMPILE_OPTIONS_INIT;
	co.source = source;
	co.max_size = x->max_size;
	co.vocab = x->o->vocab;
	co.threads = x->o->threads;
	return co;
}

static int compile(am_report **out, run *x, const audit_text *text, const char *source)
{
	am_compile_options co = compile_options(x, source);
	return am_compile(out, text->data, text->len, &co);
}

/* Every Markdown file at head (in the index, for the working tree)
 * outside hidden directories that compiles to a finding with an evidence
 * citation: the audits am_discover_audits finds in that tree. */
static int discover(run *x, path_list *l)
{
	path_list all = { x, NULL, 0, 0 };
	audit_text text = { 0 };
	int rc;
	if (x->head_tree)
		rc = am_git__each_file(x->head_tree, add_markdown, &all);
	else
		rc = am_git__each_index_file(x->g, add_markdown, &all);
	for (size_t i = 0; i < all.n && rc == 0; i++) {
		am_report *r = NULL;
		/* Not an audit: a file that cannot be read or compiled, or
		 * that cites no evidence. */
		if (read_audit(&text, x->g, x->max_size, x->head_tree, "HEAD", all.paths[i]) == 0 && text.found &&
		    compile(&r, x, &text, all.paths[i]) == 0 && am_discover__is_audit(r))
			list_add(l, all.paths[i]);
		am_report_free(r);
		am_error_clear();
	}
	free(all.paths);
	text_free(&text);
	return rc;
}

static int want_audit(const char *old_path, void *payload)
{
	return is_markdown(old_path) || am_strset_has(payload, old_path);
}

/* The audit an audit missing at base was renamed from: the Markdown files
 * (and listed audits) changed base..head, looked at once, on first need. */
static int renamed_from(const char **out, run *x, const char *path)
{
	int rc;
	*out = NULL;
	if (!x->audit_deltas_read) {
		x->audit_deltas_read = true;
		if ((rc = am_git__changes(&x->audit_deltas, &x->naudit_deltas, x->g, x->c->base.commit,
					  x->head_rev, want_audit, &x->listed, x->max_size, x->o->threads,
					  x->arena)) < 0)
			return rc;
	}
	for (size_t i = 0; i < x->naudit_deltas; i++) {
		const am_git_delta *d = &x->audit_deltas[i];
		if (d->status == AM_GIT_DELTA_RENAMED && !strcmp(d->new_path, path))
			*out = d->old_path;
	}
	return 0;
}

/* Marks in changed[1..nlines] the lines at head the change added or
 * edited. */
static void mark_changed(unsigned char *changed, uint32_t nlines, const am_git_delta *d)
{
	bool all = !d || d->binary || d->too_large;
	for (size_t h = 0; !all && h < d->nhunks; h++)
		for (uint32_t k = 0; k < d->hunks[h].new_lines; k++)
			if (d->hunks[h].new_start + k <= nlines)
				changed[d->hunks[h].new_start + k] = 1;
	if (all)
		memset(changed + 1, 1, nlines);
}

/* A report of the findings `keep` of r, with their evidence citations
 * that `want` keeps (changed lines, or all): what verify is asked about.
 * Copies in the arena; *index[i] is finding i's index in r. */
static am_report *part_of(run *x, const am_report *r, const bool *keep,
			  const unsigned char *changed, uint32_t nlines, size_t **index)
{
	am_report *p = am_arena_alloc(x->arena, sizeof(*p));
	*p = *r;
	p->findings = am_arena_alloc(x->arena, (r->nfindings ? r->nfindings : 1) * sizeof(am_finding));
	*index = am_arena_alloc(x->arena, (r->nfindings ? r->nfindings : 1) * sizeof(size_t));
	p->nfindings = 0;
	p->diags = NULL;
	p->ndiags = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		const am_finding *f = &r->findings[i];
		if (keep && !keep[i])
			continue;
		am_citation *cs = am_arena_alloc(x->arena, (f->ncitations ? f->ncitations : 1) *
							       sizeof(am_citation));
		size_t n = 0;
		for (size_t k = 0; k < f->ncitations; k++) {
			const am_citation *ci = &f->citations[k];
			if (ci->role == AM_CITE_EVIDENCE &&
			    (!changed || (ci->line <= nlines && changed[ci->line])))
				cs[n++] = *ci;
		}
		if (!n)
			continue;
		am_finding *copy = &p->findings[p->nfindings];
		*copy = *f;
		copy->citations = cs;
		copy->ncitations = n;
		(*index)[p->nfindings++] = i;
	}
	return p->nfindings ? p : NULL;
}

/* broken: the citations the change wrote, at head. */
static int check_written(run *x, size_t ai, am_check_audit *a, const audit_text *text,
			 const unsigned char *changed, uint32_t nlines)
{
	size_t *index = NULL;
	am_report *part = part_of(x, a->head, NULL, changed, nlines, &index);
	am_verify *v = NULL;
	int rc;
	if (!part)
		return 0;
	am_verify_options vo = AM_VERIFY_OPTIONS_INIT;
	vo.repo = x->o->repo;
	vo.target = x->head_rev ? x->head_rev : "HEAD";
	vo.worktree = x->head_rev == NULL;
	vo.as_of = "none";
	vo.resolution = 0;
	vo.vocab = x->o->vocab;
	vo.max_blob = x->o->max_blob;
	vo.threads = x->o->threads;
	if ((rc = am_verify_run(&v, part, &vo)) < 0)
		return rc;
	a->verify = v;
	am_lint_options lo = AM_LINT_OPTIONS_INIT;
	lo.vocab = x->o->vocab;
	lo.text = text->data;
	lo.len = text->len;
	if ((rc = am_lint_suppress(v, &lo)) < 0)
		return rc;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if (r->state == AM_VERIFY_OK || r->state_suppressed)
			continue;
		size_t fi = index[(size_t)(r->finding - part->findings)];
		am_check_item *it = new_item(x, AM_CHECK_BROKEN, ai, &a->head->findings[fi]);
		it->citation = r->citation;
		it->result = r;
	}
	return 0;
}

/* Whether the change of a pair of findings is asked about its code: open
 * at base, and open or resolved (not won't fix) at head. */
static bool asks_about_code(const am_change *ch)
{
	return ch->kind == AM_CHANGE_OPEN ||
	       (ch->kind == AM_CHANGE_RESOLVED && ch->new_finding->status == AM_STATUS_RESOLVED);
}

/* touched and unconfirmed, first half: the base revision's evidence of the
 * findings in question, located at base. */
static int locate_at_base(run *x, size_t ai, am_check_audit *a)
{
	const am_diff *d = a->diff;
	bool *keep = am_xcalloc(a->base->nfindings ? a->base->nfindings : 1, sizeof(bool));
	size_t *change_of = am_xcalloc(a->base->nfindings ? a->base->nfindings : 1, sizeof(size_t));
	size_t *index = NULL;
	am_verify *v = NULL;
	am_git_commit wrote;
	int rc = 0;
	bool any = false;
	for (size_t i = 0; i < d->nchanges; i++) {
		const am_change *ch = &d->changes[i];
		if (!ch->old_finding || !ch->new_finding || !asks_about_code(ch))
			continue;
		size_t fi = (size_t)(ch->old_finding - a->base->findings);
		keep[fi] = any = true;
		change_of[fi] = i;
	}
	am_report *part = any ? part_of(x, a->base, keep, NULL, 0, &index) : NULL;
	if (!part)
		goto done;
	/* The lines are those of the commit that wrote the base revision. */
	if (am_git__writer(&wrote, x->g, x->c->base.commit, a->base_path) == 0)
		memcpy(a->base_as_of, wrote.id, sizeof(a->base_as_of));
	else
		memcpy(a->base_as_of, x->c->base.commit, sizeof(a->base_as_of));
	am_error_clear();
	am_verify_options vo = AM_VERIFY_OPTIONS_INIT;
	vo.repo = x->o->repo;
	vo.target = x->c->base.commit;
	vo.as_of = a->base_as_of;
	vo.resolution = 0;
	vo.vocab = x->o->vocab;
	vo.max_blob = x->o->max_blob;
	vo.threads = x->o->threads;
	if ((rc = am_verify__run(&v, part, &vo, AM_VERIFY__LOCATE)) < 0)
		goto done;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		bool drifted = r->state == AM_VERIFY_CHANGED || r->state == AM_VERIFY_DELETED ||
			       r->state == AM_VERIFY_TOO_LARGE;
		if (!r->now_path && !drifted)
			continue; /* not there at the revision's as-of */
		size_t fi = index[(size_t)(r->finding - part->findings)];
		/* The citation as the base revision wrote it: the report's own,
		 * where the part holds a copy. */
		const am_finding *f = &a->base->findings[fi];
		const am_citation *ci = NULL;
		for (size_t k = 0; k < f->ncitations && !ci; k++)
			if (f->citations[k].path == r->citation->path &&
			    f->citations[k].line == r->citation->line &&
			    f->citations[k].column == r->citation->column &&
			    f->citations[k].start == r->citation->start)
				ci = &f->citations[k];
		am_grow((void **)&x->located, &x->cap_located, x->nlocated + 1, sizeof(located));
		x->located[x->nlocated++] = (located){
			ai, change_of[fi], ci ? ci : r->citation,
			am_arena_strdup(x->arena, drifted ? r->path : r->now_path),
			drifted ? r->citation->start : r->now_start, drifted ? r->citation->end : r->now_end,
			drifted
		};
	}
done:
	am_verify_free(v);
	free(keep);
	free(change_of);
	return rc;
}

/* The first line at head of the edit to lines [s, e] (0 when the lines
 * left nothing behind). */
static uint32_t edit_line(const am_git_delta *d, uint32_t s, uint32_t e)
{
	for (size_t i = 0; i < d->nhunks; i++) {
		const am_git_hunk *h = &d->hunks[i];
		uint32_t last = h->old_lines ? h->old_start + h->old_lines - 1 : h->old_start;
		if (!s || (last >= s && h->old_start <= e))
			return h->new_lines ? h->new_start : h->new_start ? h->new_start : 1;
	}
	return 0;
}

/* The hunks of an audit's change (the lines it wrote), unless made. */
static int make_hunks(audit_texts *t, struct am_arena *arena)
{
	int rc;
	if (t->hunked)
		return 0;
	rc = t->base.blob && t->head.blob
		     ? am_git__blob_hunks(&t->hunks, t->base.blob, t->head.blob, arena)
		     : am_git__text_hunks(&t->hunks, t->base.data, t->base.len, t->head.data, t->head.len,
					  arena);
	t->hunked = rc == 0;
	return rc;
}

/*
 * The change's code diff made ahead, on a thread of its own with its own
 * repository handle and arena, from the start, while the audits are
 * compiled, paired and their evidence located. First the lines each
 * edited audit's change wrote (git's diff of its two texts), which the
 * caller waits for before compiling head (compile_pair). Then the code
 * diff, for every file the base revisions cite: the paths their texts
 * cite as the citation grammar finds them (every citation, not only the
 * evidence of open findings the caller locates: the diff of a file
 * asked about too many is not used), which holds the files located
 * there unless a citation was followed elsewhere (then those are diffed
 * after, alone). What the diff says of a file does not depend on which
 * others are asked about. When it fails, the diff is made again as if
 * there were none; when the run ends without it, it asks for no more
 * files. The hunks are made from blobs read through the caller's
 * repository handles: until the first token, the caller's thread only
 * compiles, and uses no handle.
 */
typedef struct code_ahead {
	const char *repo, *from, *to; /* to NULL: the working tree */
	audit_texts *texts;           /* the audits' (read before the thread starts) */
	size_t ntexts;
	const am_vocab *vocab;
	am_strset paths;
	am_queue *done; /* a token once the hunks are made, another once the
			   thread is done with the texts (their paths made) */
	int tokens;     /* the tokens the caller has */
	atomic_bool unwanted; /* the run ends without the diff: ask for no more files */
	size_t max_blob;
	unsigned threads;
	struct am_arena *arena;
	am_git_delta *deltas;
	size_t ndeltas;
	int rc;
	am_thread *thread;
} code_ahead;

/* Whether an audit is located at base (locate_at_base): in both
 * revisions. */
static bool located_at_base(const audit_texts *t)
{
	return t->in_base && t->in_head;
}

static int ahead_wants(const char *old_path, void *payload)
{
	code_ahead *a = payload;
	return !atomic_load(&a->unwanted) && am_strset_has(&a->paths, old_path);
}

typedef struct {
	code_ahead *a;
	const char *text; /* the text scanned */
	am_buf path;
} cited_paths;

static int add_cited(const am_cite_hit *hit, void *payload)
{
	cited_paths *p = payload;
	am_buf_clear(&p->path);
	am_buf_put(&p->path, p->text + hit->path_off, hit->path_len);
	if (!am_strset_has(&p->a->paths, am_buf_cstr(&p->path)))
		am_strset_add(&p->a->paths, am_arena_strndup(p->a->arena, p->path.ptr, p->path.size));
	return 0;
}

/* Scans the text of an audit's base revision for the paths it cites:
 * as the compiler reads it (am_source__prepare: valid UTF-8, as the
 * pattern engine needs), unless it cannot, which compiling it tells. */
static int scan_base(am_cite_scanner *sc, cited_paths *p, const audit_text *t)
{
	am_buf norm = AM_BUF_INIT;
	am_mojibake_info moj;
	const char *text = t->data;
	size_t len = t->len;
	int rc = 0;
	if (!am_source__clean(text, len)) {
		if (am_source__prepare(&norm, &moj, text, len, "", len) < 0) {
			am_error_clear();
			return 0;
		}
		if (!moj.unchanged) {
			text = am_buf_cstr(&norm);
			len = norm.size;
		}
	}
	p->text = text;
	rc = am_cite__scan(sc, text, len, add_cited, p);
	am_buf_free(&norm);
	return rc;
}

/* The paths the base revisions of the audits located at base cite. */
static int cite_paths(code_ahead *a)
{
	am_vocab *own = NULL;
	am_cite_scanner sc;
	cited_paths p = { a, NULL, AM_BUF_INIT };
	int rc;
	if (!a->vocab && (rc = am_vocab_new(&own)) < 0)
		return rc;
	if ((rc = am_cite__scanner_init(&sc, a->vocab ? a->vocab : own)) == 0) {
		for (size_t i = 0; i < a->ntexts && rc >= 0; i++)
			if (located_at_base(&a->texts[i]))
				rc = scan_base(&sc, &p, &a->texts[i].base);
		am_cite__scanner_free(&sc);
	}
	am_buf_free(&p.path);
	am_vocab_free(own);
	return rc < 0 ? rc : 0;
}

static void *code_ahead_run(void *arg)
{
	code_ahead *a = arg;
	am_git *g = NULL;
	for (size_t i = 0; i < a->ntexts; i++) {
		audit_texts *t = &a->texts[i];
		if (located_at_base(t) && !t->same && make_hunks(t, a->arena) < 0)
			am_error_clear(); /* made again at pairing, which tells */
	}
	am_queue__put(a->done, a);
	a->rc = cite_paths(a);
	am_queue__put(a->done, a);
	if (a->rc == 0 && (a->rc = am_git__open(&g, a->repo)) == 0)
		a->rc = am_verify__changes_of(&a->deltas, &a->ndeltas, g, a->from, a->to, ahead_wants, a,
					      a->max_blob, a->threads, a->arena);
	am_git__free(g);
	am_error_clear();
	return NULL;
}

/* Starts the diff made ahead when a thread may be used and an audit is
 * located at base. */
static void code_ahead_start(run *x, audit_texts *texts, size_t n)
{
	size_t k = 0, size = 0;
	while (k < n && !located_at_base(&texts[k]))
		k++;
	if (x->o->threads == 1 || k == n)
		return;
	for (size_t i = 0; i < n; i++)
		size += texts[i].base.len + (texts[i].same ? 0 : texts[i].head.len);
	code_ahead *a = am_xcalloc(1, sizeof(*a));
	a->repo = x->o->repo ? x->o->repo : ".";
	a->from = x->c->base.commit;
	a->to = x->head_rev;
	a->texts = texts;
	a->ntexts = n;
	a->vocab = x->o->vocab;
	a->max_blob = x->o->max_blob ? x->o->max_blob : AM_VERIFY_DEFAULT_MAX_BLOB;
	/* Its files on one thread while the caller compiles a large audit
	 * (on one thread, or in pieces on two: compile_pair); on as many as
	 * asked when the audits are small, as the caller soon waits for it. */
	a->threads = size >= AM_DEFAULT_SPLIT_MIN ? 1 : x->o->threads;
	a->arena = am_arena_new();
	atomic_init(&a->unwanted, false);
	am_strset_init(&a->paths, 64);
	a->done = am_queue__new(2);
	if (am_jobs__start(&a->thread, code_ahead_run, a) != 0) {
		am_queue__free(a->done);
		am_strset_free(&a->paths);
		am_arena_free(a->arena);
		free(a);
		return;
	}
	x->ahead = a;
}

/* Waits for the thread's token n: 1, the audits' hunks are made
 * (texts[].hunked); 2, the thread is done with the texts, which may be
 * freed. */
static void code_ahead_wait(run *x, int n)
{
	code_ahead *a = x->ahead;
	for (; a && a->tokens < n; a->tokens++)
		am_queue__get(a->done);
}

/* Waits for the diff made ahead; its arena becomes the run's. */
static void code_ahead_join(run *x)
{
	code_ahead *a = x->ahead;
	if (!a || !a->thread)
		return;
	am_jobs__join(a->thread);
	a->thread = NULL;
	am_arena_adopt(x->arena, a->arena);
	a->arena = NULL;
}

static void code_ahead_end(run *x)
{
	code_ahead *a = x->ahead;
	if (!a)
		return;
	atomic_store(&a->unwanted, true); /* unless joined before */
	code_ahead_join(x);
	free(a->deltas);
	am_strset_free(&a->paths);
	am_queue__free(a->done);
	free(a);
	x->ahead = NULL;
}

/* The change's diff for `paths`: the one made ahead when it holds them
 * all, else made now (for those it lacks, merged with it). */
static int code_changes(run *x, const am_strset *paths, am_git_delta **out, size_t *n)
{
	code_ahead *a = x->ahead;
	size_t max_blob = x->o->max_blob ? x->o->max_blob : AM_VERIFY_DEFAULT_MAX_BLOB;
	am_strset missing;
	int rc;

	*out = NULL;
	*n = 0;
	code_ahead_join(x);
	if (!a || a->rc < 0)
		return am_verify__changes(out, n, x->g, x->c->base.commit, x->head_rev, paths, max_blob,
					  x->o->threads, x->arena);
	am_strset_init(&missing, 16);
	for (size_t i = 0; i < paths->cap; i++)
		if (paths->slots[i] && !am_strset_has(&a->paths, paths->slots[i]))
			am_strset_add(&missing, paths->slots[i]);
	am_git_delta *more = NULL;
	size_t nmore = 0;
	rc = missing.n ? am_verify__changes(&more, &nmore, x->g, x->c->base.commit, x->head_rev, &missing,
					    max_blob, x->o->threads, x->arena)
		       : 0;
	am_strset_free(&missing);
	if (rc < 0)
		return rc;
	*n = a->ndeltas + nmore;
	*out = am_xmalloc((*n ? *n : 1) * sizeof(am_git_delta));
	if (a->ndeltas)
		memcpy(*out, a->deltas, a->ndeltas * sizeof(am_git_delta));
	if (nmore)
		memcpy(*out + a->ndeltas, more, nmore * sizeof(am_git_delta));
	free(more);
	if (nmore)
		am_verify__sort_deltas(*out, *n);
	return 0;
}

/* touched and unconfirmed, second half: the located lines followed
 * through the change, for every audit at once. */
static int follow_change(run *x)
{
	am_strset paths;
	am_git_delta *deltas = NULL;
	size_t ndeltas = 0;
	int rc;
	am_strset_init(&paths, 64);
	for (size_t i = 0; i < x->nlocated; i++)
		if (!x->located[i].drifted)
			am_strset_add(&paths, x->located[i].path);
	rc = code_changes(x, &paths, &deltas, &ndeltas);
	am_strset_free(&paths);
	if (rc < 0)
		return rc;
	/* Per change of each audit: whether some located line was touched. */
	for (size_t i = 0, j; i < x->nlocated; i = j) {
		const located *first = &x->located[i];
		const am_check_audit *a = &x->c->audits[first->audit];
		const am_change *ch = &a->diff->changes[first->change];
		bool touched = false;
		for (j = i; j < x->nlocated && x->located[j].audit == first->audit &&
			    x->located[j].change == first->change;
		     j++) {
			const located *l = &x->located[j];
			if (l->drifted) {
				touched = true; /* since the revision, not by this change */
				continue;
			}
			const am_git_delta *d = am_verify__delta(deltas, ndeltas, l->path);
			am_trace t;
			am_verify__trace(&t, d, l->path, l->start, l->end);
			if (!t.touched)
				continue;
			touched = true;
			if (ch->kind != AM_CHANGE_OPEN)
				continue;
			am_check_item *it = new_item(x, AM_CHECK_TOUCHED, first->audit, ch->new_finding);
			it->citation = l->citation;
			it->path = l->path;
			it->start = l->start;
			it->end = l->end;
			if (d->status != AM_GIT_DELTA_DELETED && d->status != AM_GIT_DELTA_TYPECHANGE) {
				it->head_path = d->new_path;
				it->head_line = edit_line(d, l->start, l->end);
			}
		}
		if (ch->kind == AM_CHANGE_RESOLVED && !touched) {
			am_check_item *it = new_item(x, AM_CHECK_UNCONFIRMED, first->audit, ch->new_finding);
			it->path = first->path;
			it->start = first->start;
			it->end = first->end;
		}
	}
	free(deltas);
	return 0;
}

/* An audit's base revision read on a thread of its own, through a
 * repository handle and a tree of its own, while its head revision is
 * read: inflating each takes as long as compiling half of it. */
typedef struct {
	const run *x;
	const char *rev, *path;
	audit_text *t;
	am_git *g;
	int rc;
	char error[1024];
} base_reading;

static void *read_base(void *arg)
{
	base_reading *b = arg;
	am_git_tree *tree = NULL;
	if ((b->rc = am_git__tree(&tree, b->g, b->x->c->base.commit)) == 0)
		b->rc = read_audit(b->t, b->g, b->x->max_size, tree, b->rev, b->path);
	if (b->rc < 0)
		snprintf(b->error, sizeof(b->error), "%s", am_error_last());
	am_git__tree_free(tree);
	am_error_clear();
	return NULL;
}

/* Reads one audit's two revisions at path: base on a thread when both are
 * revisions; head's error first. */
static int read_both(run *x, const char *path, audit_texts *t)
{
	const char *base_rev = x->o->base, *head_rev = x->o->head ? x->o->head : "HEAD";
	base_reading b = { x, base_rev, path, &t->base, NULL, 0, "" };
	am_thread *reader = NULL;
	if (x->head_tree && x->o->threads != 1 &&
	    (am_git__reopen(&b.g, x->g) < 0 || am_jobs__start(&reader, read_base, &b) < 0)) {
		am_error_clear();
		am_git__free(b.g);
		b.g = NULL;
		reader = NULL;
	}
	int rc = read_audit(&t->head, x->g, x->max_size, x->head_tree, head_rev, path);
	if (!reader)
		return rc < 0 ? rc : read_audit(&t->base, x->g, x->max_size, x->base_tree, base_rev, path);
	am_jobs__join(reader);
	t->base.own = b.g; /* its blob is the handle's */
	if (rc == 0 && b.rc < 0) {
		am_error_set("%s", b.error);
		rc = b.rc;
	}
	return rc;
}

/* Reads one audit's two revisions (base where head's path was, when the
 * change renamed it). */
static int read_audit_texts(run *x, size_t ai, const char *path, audit_texts *t)
{
	am_check_audit *a = &x->c->audits[ai];
	const char *base_rev = x->o->base, *head_rev = x->o->head ? x->o->head : "HEAD";
	int rc;

	a->path = path;
	if ((rc = read_both(x, path, t)) < 0)
		return rc;
	bool in_base = t->base.found, in_head = t->head.found;
	const char *old_path = NULL;
	if (!in_base && in_head && (rc = renamed_from(&old_path, x, path)) < 0)
		return rc;
	if (old_path) {
		/* Renamed by the change: compared with where it was. */
		a->base_path = old_path;
		if ((rc = read_audit(&t->base, x->g, x->max_size, x->base_tree, base_rev, old_path)) < 0)
			return rc;
		in_base = t->base.found;
	} else if (in_base) {
		a->base_path = path;
	}
	if (!in_base && !in_head) {
		am_error_set("%s: no such audit at %s nor at %s", path, base_rev,
			     x->head_tree ? head_rev : "the working tree");
		return AM_ENOTFOUND;
	}
	t->in_base = in_base;
	t->in_head = in_head;
	t->same = in_base && in_head && t->base.len == t->head.len &&
		  !memcmp(t->base.data, t->head.data, t->base.len);
	return 0;
}

/* The lines of head the change wrote, from its hunks: at most half of
 * them, and head is mostly base's text (compile_pair). */
static bool mostly_kept(const audit_texts *t)
{
	uint64_t written = 0;
	if (t->same)
		return true;
	if (!t->hunked)
		return false;
	for (size_t h = 0; h < t->hunks.nhunks; h++)
		written += t->hunks.hunks[h].new_lines;
	return written * 2 <= am_count_lines(t->head.data, t->head.len);
}

/* Both revisions of an audit: base compiled first with a cache
 * (compile_cache.h), then head with it when the change kept most of
 * base's text, taking what the two share as base's compile made it;
 * otherwise head on its own. Head's error first. */
static int compile_both(run *x, audit_texts *t, const char *base_name, const char *path,
			am_report **base, am_report **head)
{
	am_compile_cache *cc = am_compile__cache_new();
	am_compile_options co = compile_options(x, base_name);
	char error[1024] = "";
	int rc, base_rc;
	if ((base_rc = am_compile__cached(base, t->base.data, t->base.len, &co, cc)) < 0) {
		snprintf(error, sizeof(error), "%s", am_error_last());
		am_error_clear();
	}
	if (x->ahead)
		code_ahead_wait(x, 1);
	else if (!t->same && make_hunks(t, x->arena) < 0)
		am_error_clear(); /* made again at pairing, which tells */
	if (base_rc == 0 && mostly_kept(t)) {
		co.source = path;
		rc = am_compile__cached(head, t->head.data, t->head.len, &co, cc);
	} else {
		rc = compile(head, x, &t->head, path);
	}
	am_compile__cache_free(cc);
	if (rc == 0 && base_rc < 0) {
		am_error_set("%s", error);
		rc = base_rc;
	}
	return rc;
}

/* Compiles one audit's two revisions: once when they are the same text
 * at the same path. */
static int compile_pair(run *x, size_t ai, audit_texts *t)
{
	am_check_audit *a = &x->c->audits[ai];
	am_buf name = AM_BUF_INIT;
	am_report *base = NULL, *head = NULL;
	const char *base_rev = x->o->base, *path = a->path;
	int rc = 0;

	bool own_base = t->in_base && !(t->same && !strcmp(a->base_path, path));
	if (own_base)
		am_buf_printf(&name, "%s:%s", base_rev, a->base_path);
	if (own_base && t->in_head)
		rc = compile_both(x, t, name.ptr, path, &base, &head);
	else if (t->in_head)
		rc = compile(&head, x, &t->head, path);
	else
		rc = compile(&base, x, &t->base, name.ptr);
	am_buf_free(&name);
	if (!own_base && rc == 0)
		base = t->in_base ? head : NULL;
	if (rc < 0) {
		if (base != head)
			am_report_free(base);
		am_report_free(head);
		return rc;
	}
	a->base = base;
	a->head = head;
	a->change = !t->in_base ? AM_CHECK_AUDIT_ADDED
		    : !t->in_head ? AM_CHECK_AUDIT_DELETED
		    : strcmp(a->base_path, path) ? AM_CHECK_AUDIT_RENAMED
		    : t->same ? AM_CHECK_AUDIT_UNCHANGED : AM_CHECK_AUDIT_EDITED;
	return 0;
}

/* Pairs one audit's findings; the lines its change wrote; its evidence
 * located at base. */
static int pair_audit(run *x, size_t ai, audit_texts *t)
{
	am_check_audit *a = &x->c->audits[ai];
	unsigned char *changed = NULL;
	int rc;

	am_diff *diff = NULL;
	if ((rc = am_diff_run(&diff, a->base ? a->base : x->c->priv->empty,
			      a->head ? a->head : x->c->priv->empty, NULL)) < 0)
		return rc;
	a->diff = diff;
	for (size_t i = 0; i < diff->nchanges; i++)
		x->c->changes[diff->changes[i].kind]++;
	if (t->in_head && !t->same) {
		uint32_t nlines = am_count_lines(t->head.data, t->head.len);
		changed = am_xcalloc((size_t)nlines + 2, 1);
		/* The lines the change wrote: git's diff of the two revisions
		 * (an added audit: every line). */
		if (t->in_base && (rc = make_hunks(t, x->arena)) < 0)
			goto done;
		mark_changed(changed, nlines, t->in_base ? &t->hunks : NULL);
		for (uint32_t k = 1; k <= nlines; k++)
			a->lines_changed += changed[k];
		if ((rc = check_written(x, ai, a, &t->head, changed, nlines)) < 0)
			goto done;
	}
	if (t->in_base && t->in_head)
		rc = locate_at_base(x, ai, a);
done:
	free(changed);
	return rc;
}

/* ---- the run ------------------------------------------------------------------------ */

static void set_commit(am_verify_commit *out, const am_git_commit *c)
{
	memcpy(out->commit, c->id, sizeof(out->commit));
	memcpy(out->date, c->date, sizeof(out->date));
	out->time = c->time;
}

static const char *item_cited(const am_check_item *it)
{
	return it->citation ? it->citation->path : it->path ? it->path : "";
}

static uint32_t item_line(const am_check_item *it)
{
	return it->kind == AM_CHECK_BROKEN ? it->citation->line : it->finding->line;
}

static int by_place(const void *pa, const void *pb)
{
	const am_check_item *a = pa, *b = pb;
	if (a->audit != b->audit)
		return a->audit < b->audit ? -1 : 1;
	if (item_line(a) != item_line(b))
		return item_line(a) < item_line(b) ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	uint32_t ca = a->citation ? a->citation->column : 0, cb = b->citation ? b->citation->column : 0;
	return ca < cb ? -1 : ca > cb;
}

static void finish_items(run *x)
{
	am_check *c = x->c;
	am_buf key = AM_BUF_INIT;
	c->items = x->items;
	x->items = NULL;
	if (c->nitems)
		qsort(c->items, c->nitems, sizeof(am_check_item), by_place);
	for (size_t i = 0; i < c->nitems; i++) {
		am_check_item *it = &c->items[i];
		c->counts[it->kind]++;
		am_buf_clear(&key);
		am_buf_printf(&key, "%s\x1f%s\x1f%s\x1f%s", c->audits[it->audit].path, it->finding->id,
			      am_check_kind_name(it->kind), item_cited(it));
		snprintf(it->fingerprint, sizeof(it->fingerprint), "%016llx",
			 (unsigned long long)am_hash64(key.ptr, key.size, AM_HASH_SEED));
	}
	am_buf_free(&key);
}

static int collect_audits(run *x, path_list *l)
{
	const am_check_options *o = x->o;
	size_t n = 0;
	const char *const *listed = am_vocab_audits(o->vocab, &n);
	int rc = 0;
	for (size_t i = 0; i < o->naudits && rc == 0; i++)
		rc = audit_path(x, l, o->audits[i], true);
	/* The configuration's: a path as it is (an audit may be gone at
	 * head), a pattern the files at head it names. */
	for (size_t i = 0; !o->naudits && i < n && rc == 0; i++)
		rc = am_discover__pattern(listed[i]) ? expand_pattern(x, l, listed[i])
						     : audit_path(x, l, listed[i], false);
	if (rc == 0 && !l->n && !o->naudits && !n)
		rc = discover(x, l);
	return rc;
}

int am_check_run(am_check **out, const am_check_options *opts)
{
	am_check *c = NULL;
	am_git_commit base, head;
	run x = { 0 };
	path_list audits = { &x, NULL, 0, 0 };
	audit_texts *texts = NULL;
	int rc;

	*out = NULL;
	if (!opts || opts->version != AM_CHECK_OPTIONS_VERSION || !opts->base) {
		am_error_set(!opts || opts->version != AM_CHECK_OPTIONS_VERSION
				     ? "check: unsupported options version"
				     : "check: the revision the change starts from (base) is needed");
		return AM_EUSAGE;
	}
	if ((rc = am_git__open(&x.g, opts->repo ? opts->repo : ".")) < 0)
		return rc;
	c = am_xcalloc(1, sizeof(*c));
	c->priv = am_xcalloc(1, sizeof(*c->priv));
	c->priv->arena = am_arena_new();
	x.c = c;
	x.o = opts;
	x.arena = c->priv->arena;
	x.max_size = opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	am_strset_init(&x.listed, 16);
	if ((rc = am_git__commit(&base, x.g, opts->base)) < 0 ||
	    (rc = am_git__commit(&head, x.g, opts->head ? opts->head : "HEAD")) < 0)
		goto done;
	set_commit(&c->base, &base);
	set_commit(&c->head, &head);
	c->worktree = opts->worktree != 0;
	if (c->worktree && !am_git__has_workdir(x.g)) {
		am_error_set("--worktree: %s is a bare repository, it has no working tree",
			     opts->repo ? opts->repo : ".");
		rc = AM_EGIT;
		goto done;
	}
	x.head_rev = c->worktree ? NULL : c->head.commit;
	if ((rc = am_git__tree(&x.base_tree, x.g, c->base.commit)) < 0 ||
	    (x.head_rev && (rc = am_git__tree(&x.head_tree, x.g, x.head_rev)) < 0) ||
	    (rc = am_compile(&c->priv->empty, "", 0, NULL)) < 0 || (rc = collect_audits(&x, &audits)) < 0)
		goto done;
	for (size_t i = 0; i < audits.n; i++)
		am_strset_add(&x.listed, audits.paths[i]);
	c->audits = am_xcalloc(audits.n ? audits.n : 1, sizeof(am_check_audit));
	c->naudits = audits.n;
	texts = am_xcalloc(audits.n ? audits.n : 1, sizeof(audit_texts));
	for (size_t i = 0; i < audits.n && rc == 0; i++)
		rc = read_audit_texts(&x, i, audits.paths[i], &texts[i]);
	/* The change's code diff is wanted at the end, for the files the base
	 * revisions cite: made meanwhile on a thread of its own. */
	if (rc == 0)
		code_ahead_start(&x, texts, audits.n);
	for (size_t i = 0; i < audits.n && rc == 0; i++)
		rc = compile_pair(&x, i, &texts[i]);
	code_ahead_wait(&x, 2); /* the texts are the run's again */
	for (size_t i = 0; i < audits.n && rc == 0; i++) {
		rc = pair_audit(&x, i, &texts[i]);
		text_free(&texts[i].base); /* and the handle it was read through */
		text_free(&texts[i].head);
	}
	for (size_t i = 0; i < audits.n; i++) {
		text_free(&texts[i].base);
		text_free(&texts[i].head);
	}
	if (rc == 0 && x.nlocated)
		rc = follow_change(&x);
	code_ahead_end(&x);
	if (rc < 0)
		goto done;
	finish_items(&x);
	*out = c;
	c = NULL;
done:
	code_ahead_end(&x);
	free(texts);
	free(x.items);
	free(x.located);
	free(x.audit_deltas);
	free(audits.paths);
	am_git__tree_free(x.base_tree);
	am_git__tree_free(x.head_tree);
	am_strset_free(&x.listed);
	am_check_free(c);
	am_git__free(x.g);
	return rc;
}

void am_check_free(am_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->naudits; i++) {
		am_check_audit *a = &c->audits[i];
		if (a->base != a->head)
			am_report_free((am_report *)a->base);
		am_report_free((am_report *)a->head);
		am_diff_free((am_diff *)a->diff);
		am_verify_free((am_verify *)a->verify);
	}
	free(c->audits);
	free(c->items);
	if (c->priv) {
		am_report_free(c->priv->empty);
		am_arena_free(c->priv->arena);
	}
	free(c->priv);
	free(c);
}
