/*
 * verify.c: the evidence verifier. Every evidence citation of an audit is
 * checked in the audited repository at the as-of commit, then followed to
 * the target commit through git's diff.
 *
 * Cost: citations are grouped by path, so each tree lookup and each blob
 * read happens once per distinct file. From as-of to a target commit, a
 * file modified in between (known from a comparison of the two trees) is
 * diffed when it is checked, on the bytes read for that: its new side is
 * read once and nothing is read twice; a file whose blob did not change
 * is neither read again nor diffed. One diff of the two commits gives the
 * rest (renames, deletions) and maps every range.
 */
#include "auditmd/verify.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/compile.h"
#include "cite.h"
#include "gitrepo.h"
#include "jobs.h"
#include "paths.h"
#include "patterns.h"
#include "util.h"
#include "verify_int.h"

struct am_verify_private {
	struct am_arena *arena;
};

static const char *const state_names[AM_VERIFY__COUNT] = {
	"ok", "moved", "renamed", "changed", "deleted", "missing", "out_of_range",
	"not_text", "outside_repo", "ambiguous", "symlink", "not_file", "too_large", "malformed",
};

const char *am_verify_state_name(am_verify_state state)
{
	return (unsigned)state < AM_VERIFY__COUNT ? state_names[state] : "unknown";
}

const char *am_verify_warning_name(unsigned bit)
{
	switch (bit) {
	case AM_VERIFY_WARN_SYMBOL_MISSING: return "symbol_missing";
	case AM_VERIFY_WARN_UNCONFIRMED: return "unconfirmed";
	default: return "unknown";
	}
}

const char *am_asof_reason_name(am_asof_reason reason)
{
	switch (reason) {
	case AM_ASOF_GIVEN: return "given";
	case AM_ASOF_REVISION: return "revision";
	case AM_ASOF_COMMITTED: return "committed";
	case AM_ASOF_DATE: return "date";
	default: return "none";
	}
}

const char *am_resolution_name(am_resolution r)
{
	switch (r) {
	case AM_RESOLUTION_CONFIRMED: return "confirmed";
	case AM_RESOLUTION_UNCONFIRMED: return "unconfirmed";
	case AM_RESOLUTION_UNKNOWN: return "unknown";
	default: return "unchecked";
	}
}

int am_verify_state_is_error(am_verify_state state)
{
	return (unsigned)state < AM_VERIFY__COUNT && (AM_VERIFY_FAIL_ON_DEFAULT & (1u << state));
}

int am_verify_state_is_drift(am_verify_state state)
{
	return state == AM_VERIFY_MOVED || state == AM_VERIFY_RENAMED || state == AM_VERIFY_CHANGED ||
	       state == AM_VERIFY_DELETED;
}

const char *am_level_name(am_level level)
{
	switch (level) {
	case AM_LEVEL_NOTE: return "note";
	case AM_LEVEL_WARNING: return "warning";
	case AM_LEVEL_ERROR: return "error";
	default: return "none";
	}
}

const char *am_baseline_state_name(am_baseline_state state)
{
	switch (state) {
	case AM_BASELINE_NEW: return "new";
	case AM_BASELINE_UNCHANGED: return "unchanged";
	default: return "none";
	}
}

/* ---- problems and their levels ---------------------------------------------------- */

/* The bit of a problem in fail_on and in a result's `unchanged`: the
 * state's, or warning bit w's. */
static unsigned fail_bit(const am_verify_result *r, unsigned warning)
{
	unsigned b = 0;
	if (!warning)
		return 1u << r->state;
	while ((1u << b) != warning)
		b++;
	return 1u << (AM_VERIFY__COUNT + b);
}

unsigned am_verify__unchanged_bit(unsigned warning)
{
	return warning ? warning << 1 : 1u;
}

/* The level of one problem, from the finding's status (see verify.h). */
static am_level problem_level(const am_verify *v, const am_verify_result *r, unsigned warning,
			      int *confirmed)
{
	am_status status = r->finding->status;
	*confirmed = 0;
	if (am_status_is_closed(status) && v->closed_drift != AM_CLOSED_DRIFT_CHECK &&
	    (warning ? warning == AM_VERIFY_WARN_SYMBOL_MISSING : am_verify_state_is_drift(r->state))) {
		*confirmed = warning && status == AM_STATUS_RESOLVED;
		return AM_LEVEL_NOTE;
	}
	return (v->fail_on & fail_bit(r, warning)) ? AM_LEVEL_ERROR : AM_LEVEL_WARNING;
}

static void problem(am_verify_problem *p, const am_verify *v, const am_verify_result *r,
		    unsigned warning)
{
	memset(p, 0, sizeof(*p));
	p->result = r;
	p->warning = warning;
	p->rule = warning ? am_verify_warning_name(warning) : am_verify_state_name(r->state);
	p->level = problem_level(v, r, warning, &p->confirmed);
	p->baseline = !v->baseline ? AM_BASELINE_NONE
		      : (r->unchanged & am_verify__unchanged_bit(warning)) ? AM_BASELINE_UNCHANGED
								  : AM_BASELINE_NEW;
	p->fails = p->level == AM_LEVEL_ERROR && p->baseline != AM_BASELINE_UNCHANGED;
	/* A line-independent identity: the finding, the cited path, the rule. */
	am_fingerprint(p->fingerprint, r->finding->id, r->citation->path, p->rule);
}

size_t am_verify_problems(am_verify_problem *out, const am_verify *v, const am_verify_result *r)
{
	size_t n = 0;
	if (r->state != AM_VERIFY_OK && !r->state_suppressed)
		problem(&out[n++], v, r, 0);
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (r->warnings & (1u << b))
			problem(&out[n++], v, r, 1u << b);
	return n;
}

void am_verify_tally(am_tally *out, const am_verify *v)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	memset(out, 0, sizeof(*out));
	out->citations = v->nresults;
	out->suppressed = v->nsuppressed;
	out->absent = v->baseline_absent;
	for (size_t i = 0; i < v->nresults; i++) {
		size_t n = am_verify_problems(p, v, &v->results[i]);
		for (size_t k = 0; k < n; k++) {
			out->confirmed += p[k].confirmed && p[k].level == AM_LEVEL_NOTE;
			am_verify__count(out, p[k].level, p[k].baseline == AM_BASELINE_UNCHANGED);
		}
	}
}

void am_verify__count(am_tally *t, am_level level, bool unchanged)
{
	t->unchanged += unchanged;
	switch (level) {
	case AM_LEVEL_ERROR:
		t->errors++;
		t->new_errors += !unchanged;
		break;
	case AM_LEVEL_WARNING:
		t->warnings++;
		t->new_warnings += !unchanged;
		break;
	default:
		t->notes++;
		break;
	}
}

/* The symbols of a result, "`a`, `b`". */
static void symbols_text(am_buf *b, const am_verify_result *r)
{
	for (size_t i = 0; i < r->nsymbols; i++)
		am_buf_printf(b, "%s`%s`", i ? ", " : "", r->symbols[i]);
}

void am_verify__problem_text(am_buf *b, const am_verify_problem *p)
{
	const am_verify_result *r = p->result;
	if (p->warning == AM_VERIFY_WARN_SYMBOL_MISSING && p->confirmed) {
		am_buf_puts(b, "confirmed: ");
		symbols_text(b, r);
		am_buf_puts(b, " no longer in the cited lines");
		return;
	}
	am_buf_puts(b, p->rule);
	if (p->warning == AM_VERIFY_WARN_SYMBOL_MISSING) {
		am_buf_puts(b, " (none of ");
		symbols_text(b, r);
		am_buf_puts(b, " in the cited lines)");
		return;
	}
	if (p->warning) {
		am_buf_printf(b, " (finding %s is resolved, but the cited lines did not change since it was open)",
			      r->finding->id);
		return;
	}
	switch (r->state) {
	case AM_VERIFY_MOVED:
	case AM_VERIFY_RENAMED:
		am_buf_puts(b, " to ");
		am_cite__spec(b, r->now_path, r->now_start, r->now_end);
		return;
	case AM_VERIFY_AMBIGUOUS:
		am_buf_puts(b, " (matches ");
		am_verify__candidates_text(b, r);
		am_buf_putc(b, ')');
		return;
	default:
		break;
	}
	if (r->detail)
		am_buf_printf(b, " (%s)", r->detail);
	else if (r->path && strcmp(r->path, r->citation->path))
		am_buf_printf(b, " (%s)", r->path);
}

char *am_verify_problem_text(const am_verify_problem *p)
{
	am_buf b = AM_BUF_INIT;
	am_verify__problem_text(&b, p);
	return am_buf_detach(&b);
}

void am_verify__candidates_text(am_buf *b, const am_verify_result *r)
{
	for (size_t i = 0; i < r->ncandidates; i++)
		am_buf_printf(b, "%s%s", i ? ", " : "", r->candidates[i]);
	if (r->candidates_total > r->ncandidates)
		am_buf_printf(b, " and %zu more", r->candidates_total - r->ncandidates);
}

char *am_verify_candidates_text(const am_verify_result *r)
{
	am_buf b = AM_BUF_INIT;
	am_verify__candidates_text(&b, r);
	return am_buf_detach(&b);
}

int am_verify__normalise_path(am_buf *out, const char *path)
{
	am_buf_clear(out);
	if (path[0] == '/' || path[0] == '\\' || path[0] == '~' ||
	    (am_isalpha(path[0]) && path[1] == ':' && (path[2] == '/' || path[2] == '\\')))
		return -1;
	const char *p = path;
	while (*p) {
		const char *q = p;
		while (*q && *q != '/' && *q != '\\')
			q++;
		size_t n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!out->size)
				return -1;
			char *slash = memrchr(out->ptr, '/', out->size);
			am_buf_truncate(out, slash ? (size_t)(slash - out->ptr) : 0);
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (out->size)
				am_buf_putc(out, '/');
			am_buf_put(out, p, n);
		}
		p = *q ? q + 1 : q;
	}
	return out->size ? 0 : -2;
}

int am_verify__map_range(const am_git_delta *d, uint32_t s, uint32_t e, uint32_t *ns,
			 uint32_t *ne)
{
	int64_t shift = 0;
	uint32_t removed = 0;
	int touched = 0, added_inside = 0;
	for (size_t i = 0; i < d->nhunks; i++) {
		const am_git_hunk *h = &d->hunks[i];
		if (h->old_lines == 0) {
			/* new lines after old line old_start */
			if (h->old_start < s)
				shift += h->new_lines;
			else if (h->old_start < e)
				touched = added_inside = 1;
		} else {
			uint32_t a = h->old_start, b = h->old_start + h->old_lines - 1;
			if (b < s) {
				shift += (int64_t)h->new_lines - (int64_t)h->old_lines;
			} else if (a <= e) {
				touched = 1;
				removed += (b < e ? b : e) - (a > s ? a : s) + 1;
				if (h->new_lines)
					added_inside = 1;
			}
		}
	}
	if (!touched) {
		*ns = (uint32_t)((int64_t)s + shift);
		*ne = (uint32_t)((int64_t)e + shift);
		return 0;
	}
	return removed == e - s + 1 && !added_inside ? 2 : 1;
}

/* Files of a tree, for resolving partial paths ("auth.py:12",
 * "services/x.py:3" when the file is apps/api/services/x.py). Built on
 * first need only. */
typedef struct {
	am_git_tree *tree;
	am_path_index *files;
} file_index;

static void add_file(const char *path, void *payload)
{
	am_path__index_add(payload, path, strlen(path));
}

/* The files whose path ends with "/" + path: the first
 * AM_VERIFY_MAX_CANDIDATES in *out (copied to the arena: the index goes
 * before the results), their number in *nout, and how many there are in
 * all in *total. */
static int index_find(file_index *ix, struct am_arena *arena, const char *path, const char ***out,
		      size_t *nout, size_t *total)
{
	if (!ix->files) {
		ix->files = am_path__index_new();
		int rc = am_git__each_file(ix->tree, add_file, ix->files);
		if (rc < 0)
			return rc;
	}
	const char *found[AM_VERIFY_MAX_CANDIDATES];
	*total = am_path__index_find(ix->files, path, found, AM_VERIFY_MAX_CANDIDATES);
	*nout = *total < AM_VERIFY_MAX_CANDIDATES ? *total : AM_VERIFY_MAX_CANDIDATES;
	*out = *nout ? am_arena_alloc(arena, *nout * sizeof(char *)) : NULL;
	for (size_t i = 0; i < *nout; i++)
		(*out)[i] = am_arena_strdup(arena, found[i]);
	return 0;
}

/* Symbols looked for per finding: the first ones of its text. */
#define MAX_SYMBOLS 64

/* Whether the code span s[0..len) holds the path of one of the finding's
 * citations. Spans and citations come from the same text in the same
 * order, so the search starts after the citation that matched last
 * (*cursor): linear in the common case. */
static int span_is_cited(const am_finding *f, const char *s, size_t len, size_t *cursor)
{
	size_t n = f->ncitations;
	for (size_t step = 0; step < n; step++) {
		size_t k = (*cursor + step) % n;
		const char *cp = f->citations[k].path;
		size_t cl = strlen(cp);
		if (cl && cl <= len && memmem(s, len, cp, cl)) {
			*cursor = k + 1;
			return 1;
		}
	}
	return 0;
}

/* Whether the code span s[0..len) starts with the path of the citation
 * after the one that matched last: most spans are that citation, and this
 * says so without a search. */
static int span_is_next_cited(const am_finding *f, const char *s, size_t len, size_t *cursor)
{
	if (!f->ncitations)
		return 0;
	size_t k = *cursor % f->ncitations;
	const char *cp = f->citations[k].path;
	size_t cl = strlen(cp);
	if (!cl || cl > len || memcmp(s, cp, cl) != 0)
		return 0;
	*cursor = k + 1;
	return 1;
}

/* The fields a finding's evidence citations were found in, when few. */
#define MAX_NAMES 8

/* Whether field i of f holds evidence citations: its name is among
 * names[0..nnames), or, when there were too many to list (nnames >
 * MAX_NAMES), among the fields of f's evidence citations. */
static int evidence_field(const am_finding *f, size_t i, const char *const *names, size_t nnames)
{
	const char *name = f->fields[i].name;
	if (nnames <= MAX_NAMES) {
		for (size_t k = 0; k < nnames; k++)
			if (names[k] == name || !strcmp(names[k], name))
				return 1;
		return 0;
	}
	for (size_t k = 0; k < f->ncitations; k++)
		if (f->citations[k].role == AM_CITE_EVIDENCE && f->citations[k].field &&
		    !strcmp(f->citations[k].field, name))
			return 1;
	return 0;
}

/* The symbols of a finding: code spans of its evidence fields and title
 * that are not citations, cut at the first space or parenthesis; the first
 * MAX_SYMBOLS of them. */
static void finding_symbols(const am_finding *f, struct am_arena *arena, const char ***out,
			    size_t *n)
{
	const char *syms[MAX_SYMBOLS];
	size_t nsyms = 0, cursor = 0;
	const char *names[MAX_NAMES];
	size_t nnames = 0;
	*out = NULL;
	*n = 0;
	/* Consecutive citations mostly share their field. */
	for (size_t k = 0; k < f->ncitations && nnames <= MAX_NAMES; k++) {
		const char *name = f->citations[k].field;
		if (f->citations[k].role != AM_CITE_EVIDENCE || !name ||
		    (nnames && (names[nnames - 1] == name || !strcmp(names[nnames - 1], name))))
			continue;
		if (nnames < MAX_NAMES)
			names[nnames] = name;
		nnames++;
	}
	for (size_t i = 0; i <= f->nfields && nsyms < MAX_SYMBOLS; i++) {
		const char *text;
		if (i == f->nfields)
			text = f->title;
		else if (evidence_field(f, i, names, nnames))
			text = f->fields[i].value;
		else
			continue;
		for (const char *p = strchr(text, '`'); p && nsyms < MAX_SYMBOLS; p = strchr(p, '`')) {
			size_t ticks = 0;
			while (*p == '`')
				p++, ticks++;
			if (ticks != 1)
				continue;
			const char *close = strchr(p, '`');
			if (!close)
				break;
			const char *s = p, *e = close;
			p = close + 1;
			while (s < e && am_isspace((unsigned char)*s))
				s++;
			if (span_is_next_cited(f, s, (size_t)(e - s), &cursor))
				continue;
			const char *cut = s;
			while (cut < e && !am_isspace((unsigned char)*cut) && *cut != '(')
				cut++;
			size_t len = (size_t)(cut - s);
			if (len < 2 || len > 100)
				continue;
			int alnum = 0;
			for (const char *q = s; q < cut; q++)
				alnum |= am_isalnum((unsigned char)*q);
			if (!alnum)
				continue;
			int dup = 0;
			for (size_t k = 0; k < nsyms && !dup; k++)
				dup = !strncmp(syms[k], s, len) && !syms[k][len];
			/* A citation, or a bare path, is not a symbol. */
			if (dup || span_is_cited(f, s, (size_t)(e - s), &cursor))
				continue;
			syms[nsyms++] = am_arena_strndup(arena, s, len);
		}
	}
	if (nsyms) {
		*out = am_arena_memdup(arena, syms, nsyms, sizeof(char *));
		*n = nsyms;
	}
}

typedef struct {
	am_git *g;
	struct am_arena *arena;
	const am_verify_options *opts;
	size_t max_blob;
	am_verify *v;
	am_git_tree *base;    /* as-of tree, or the target's without as-of */
	am_git_tree *target;
	file_index index;
	bool base_worktree; /* no as-of and --worktree: the base is the files on disk */
	/* From as-of to a target commit: the files modified in between, each
	 * diffed when it is checked, on the bytes read for that (the changes
	 * found so, in `known`, are not asked for again when following). */
	am_git_modified *modified;
	size_t nmodified;
	am_git_delta *known;
	size_t nknown, cap_known;
	bool locate_only;   /* AM_VERIFY__LOCATE: no file read, no symbol looked for */
	/* Symbol patterns, compiled once per thread: symbol -> sym_re[i]. */
	am_strmap sym_index;
	am_re **sym_re;
	size_t nsym_re, cap_sym_re;
} vctx;

static void symbols_init(vctx *c)
{
	am_strmap_init(&c->sym_index, 64);
	c->sym_re = NULL;
	c->nsym_re = c->cap_sym_re = 0;
}

static void symbols_free(vctx *c)
{
	for (size_t i = 0; i < c->nsym_re; i++)
		am_re_free(c->sym_re[i]);
	free(c->sym_re);
	am_strmap_free(&c->sym_index);
}

/* The literal pattern of a symbol, compiled on first use; NULL if it
 * cannot be. */
static am_re *symbol_re(vctx *c, const char *symbol)
{
	size_t i;
	if (am_strmap_get(&c->sym_index, symbol, &i))
		return c->sym_re[i];
	am_re *re = NULL;
	if (am_re_new(&re, symbol, AM_RE_LITERAL) < 0)
		re = NULL;
	am_grow((void **)&c->sym_re, &c->cap_sym_re, c->nsym_re + 1, sizeof(am_re *));
	c->sym_re[c->nsym_re] = re;
	am_strmap_set(&c->sym_index, symbol, c->nsym_re++);
	return re;
}

/* Looks a normalised path up in the tree, resolving partial paths. Sets
 * r->path, or a state. Returns 1 when r now names a file. */
/* A path at the base: a tree, or the working tree. */
static void base_lookup(vctx *c, am_git_entry *e, const char *path)
{
	if (c->base_worktree)
		am_git__workdir_lookup(e, c->g, path);
	else
		am_git__lookup(e, c->base, path);
}

static int resolve_path(vctx *c, am_verify_result *r, const char *norm, am_git_entry *e, int *err)
{
	base_lookup(c, e, norm);
	if (e->kind == AM_GIT_ENTRY_NONE && !strchr(norm, ':') && !c->index.tree) {
		*err = 1; /* needs the file index: left to the main thread */
		return 0;
	}
	if (e->kind == AM_GIT_ENTRY_NONE && !strchr(norm, ':')) {
		const char **cands = NULL;
		size_t n = 0, total = 0;
		if ((*err = index_find(&c->index, c->arena, norm, &cands, &n, &total)) < 0)
			return 0;
		if (total == 1) {
			norm = cands[0];
			base_lookup(c, e, norm);
		} else if (total > 1) {
			r->state = AM_VERIFY_AMBIGUOUS;
			r->candidates = cands;
			r->ncandidates = n;
			r->candidates_total = total;
			r->detail = "several files match";
			return 0;
		}
	}
	r->path = am_arena_strdup(c->arena, norm);
	switch (e->kind) {
	case AM_GIT_ENTRY_NONE:
		r->state = AM_VERIFY_MISSING;
		r->path = NULL;
		return 0;
	case AM_GIT_ENTRY_LINK:
	case AM_GIT_ENTRY_UNDER_LINK:
		r->state = AM_VERIFY_SYMLINK;
		r->detail = "a symbolic link: not followed";
		return 0;
	case AM_GIT_ENTRY_DIR:
		r->state = AM_VERIFY_NOT_FILE;
		r->detail = "a directory";
		return 0;
	case AM_GIT_ENTRY_SUBMODULE:
		r->state = AM_VERIFY_NOT_FILE;
		r->detail = "a submodule";
		return 0;
	case AM_GIT_ENTRY_SPECIAL:
		r->state = AM_VERIFY_NOT_FILE;
		r->detail = "a FIFO, socket or device: not opened";
		return 0;
	default:
		return 1;
	}
}

/* Starts of each line of a text; n lines (a last line without newline
 * counts). */
static uint32_t *line_starts(const char *data, size_t len, uint32_t *n)
{
	size_t cap = 64, k = 0;
	uint32_t *starts = am_xmalloc(cap * sizeof(uint32_t));
	size_t pos = 0;
	while (pos < len) {
		if (k == cap) {
			cap *= 2;
			starts = am_xrealloc(starts, cap * sizeof(uint32_t));
		}
		starts[k++] = (uint32_t)pos;
		const char *nl = memchr(data + pos, '\n', len - pos);
		pos = nl ? (size_t)(nl - data) + 1 : len;
	}
	*n = (uint32_t)k;
	return starts;
}

typedef struct {
	size_t result;    /* index into v->results */
	const char *norm; /* normalised path */
} work_item;

/* The symbols of r found in text[0..len): fills r->symbols_found. */
static void look_for_symbols(vctx *c, am_verify_result *r, const char *text, size_t len)
{
	const char **found = NULL;
	size_t n = 0;
	for (size_t k = 0; k < r->nsymbols; k++) {
		am_re *re = symbol_re(c, r->symbols[k]);
		am_re_group g[1];
		if (re && am_re_match(re, text, len, 0, g, 1) > 0) {
			if (!found)
				found = am_arena_alloc(c->arena, r->nsymbols * sizeof(char *));
			found[n++] = r->symbols[k];
		}
	}
	r->symbols_found = found;
	r->nsymbols_found = n;
	if (!n)
		r->warnings |= AM_VERIFY_WARN_SYMBOL_MISSING;
}

/* The change to the target of a file modified since as-of, diffed on the
 * bytes of its old side, data[0..len), when one of its citations still
 * holds (items[0..n)); *out NULL otherwise. */
/* rc, the error of a file's blob (a damaged repository) naming the file
 * as well as the object. */
static int named(int rc, const char *path)
{
	if (rc < 0) {
		char why[1024];
		snprintf(why, sizeof(why), "%s", am_error_last());
		am_error_set("%s: %s", path, why);
	}
	return rc;
}

static int diff_checked(vctx *c, work_item *items, size_t n, const char *path, const char *data,
			size_t len, am_git_delta **out)
{
	const am_git_modified *m = am_git__modified_find(c->modified, c->nmodified, path);
	bool holds = false;
	*out = NULL;
	for (size_t i = 0; i < n && m && !holds; i++)
		holds = c->v->results[items[i].result].state == AM_VERIFY_OK;
	if (!holds)
		return 0;
	*out = am_arena_alloc(c->arena, sizeof(am_git_delta));
	return named(am_git__diff_read(*out, c->g, m, data, len, c->max_blob, c->arena), path);
}

/* Checks the citations of one file (items[0..n), same resolved path); a
 * change to the target found on the way in *delta. */
/* The results of items[0..n) that cite lines (not the whole file) get
 * state and detail. */
static void mark_line_citations(vctx *c, work_item *items, size_t n, am_verify_state state,
				const char *detail)
{
	for (size_t i = 0; i < n; i++) {
		am_verify_result *r = &c->v->results[items[i].result];
		if (r->citation->start) {
			r->state = state;
			r->detail = detail;
		}
	}
}

/* The working-tree file at path into disk (*size over the limit when it
 * is); 1 when it was gone by then, its citations marked missing. */
static int read_worktree(vctx *c, work_item *items, size_t n, const char *path, am_buf *disk,
			 int *binary, size_t *size)
{
	int rc = am_git__workdir_read(disk, binary, c->g, path, c->max_blob);
	if (rc == AM_ELIMIT) {
		*size = c->max_blob + 1;
		return 0;
	}
	if (rc == AM_ENOTFOUND) {
		/* Removed, or replaced by something that is not a file, since it
		 * was looked up. */
		for (size_t i = 0; i < n; i++) {
			am_verify_result *r = &c->v->results[items[i].result];
			r->state = AM_VERIFY_MISSING;
			r->detail = "no longer a regular file when it was read";
			r->path = NULL;
		}
		am_error_clear();
		return 1;
	}
	*size = disk->size;
	return rc;
}

/* The citations of items[0..n) against the text data[0..len): in range,
 * and their symbols in the cited lines. */
static void check_lines(vctx *c, work_item *items, size_t n, const char *data, size_t len,
			bool need_symbols)
{
	uint32_t nlines = 0, *starts = NULL;
	if (need_symbols)
		starts = line_starts(data, len, &nlines);
	else
		nlines = am_count_lines(data, len);
	for (size_t i = 0; i < n; i++) {
		am_verify_result *r = &c->v->results[items[i].result];
		const am_citation *ci = r->citation;
		r->file_lines = nlines;
		r->file_read = 1;
		if (ci->start && ci->end > nlines) {
			r->state = AM_VERIFY_OUT_OF_RANGE;
			char buf[64];
			snprintf(buf, sizeof(buf), "file has %u line%s", nlines, nlines == 1 ? "" : "s");
			r->detail = am_arena_strdup(c->arena, buf);
			continue;
		}
		if (r->nsymbols) {
			size_t from = 0, to = len;
			if (ci->start) {
				from = starts[ci->start - 1];
				to = ci->end < nlines ? starts[ci->end] : len;
			}
			look_for_symbols(c, r, data + from, to - from);
		}
	}
	free(starts);
}

static int check_file(vctx *c, work_item *items, size_t n, const am_git_entry *e,
		      const char *path, am_git_delta **delta)
{
	size_t size = 0, len;
	bool need_lines = false, need_symbols = false;
	am_buf disk = AM_BUF_INIT;
	int disk_binary = 0, rc;
	*delta = NULL;
	for (size_t i = 0; i < n; i++) {
		am_verify_result *r = &c->v->results[items[i].result];
		need_lines |= r->citation->start != 0;
		need_symbols |= r->nsymbols != 0;
	}
	if (!need_lines && !need_symbols)
		return 0; /* whole-file citations: the file exists */
	rc = c->base_worktree ? read_worktree(c, items, n, path, &disk, &disk_binary, &size)
			      : named(am_git__blob_size(&size, c->g, e->blob), path);
	if (rc != 0 || size > c->max_blob) {
		am_buf_free(&disk);
		if (rc == 0)
			mark_line_citations(c, items, n, AM_VERIFY_TOO_LARGE,
					    "over the blob size limit: not read");
		return rc < 0 ? rc : 0;
	}
	am_git_blob *blob = NULL;
	const char *data;
	if (c->base_worktree) {
		data = am_buf_cstr(&disk);
		len = disk.size;
	} else {
		if ((rc = named(am_git__blob(&blob, c->g, e->blob), path)) < 0)
			return rc;
		data = am_git__blob_data(blob, &len);
	}
	if (c->base_worktree ? disk_binary : am_git__blob_binary(blob)) {
		mark_line_citations(c, items, n, AM_VERIFY_NOT_TEXT, "a binary file");
	} else {
		check_lines(c, items, n, data, len, need_symbols);
		rc = c->nmodified ? diff_checked(c, items, n, path, data, len, delta) : 0;
	}
	am_git__blob_free(blob);
	am_buf_free(&disk);
	return rc;
}

static int want_path(const char *old_path, void *payload)
{
	return am_strset_has(payload, old_path);
}

static int by_old_path(const void *a, const void *b)
{
	return strcmp(((const am_git_delta *)a)->old_path, ((const am_git_delta *)b)->old_path);
}

void am_verify__sort_deltas(am_git_delta *d, size_t n)
{
	qsort(d, n, sizeof(*d), by_old_path);
}

const am_git_delta *am_verify__delta(const am_git_delta *d, size_t n, const char *path)
{
	am_git_delta key = { 0 };
	key.old_path = path;
	return n ? bsearch(&key, d, n, sizeof(*d), by_old_path) : NULL;
}

int am_verify__changes_of(am_git_delta **out, size_t *n, am_git *g, const char *from, const char *to,
			  int (*want)(const char *old_path, void *payload), void *payload, size_t max_blob,
			  unsigned threads, struct am_arena *arena)
{
	int rc = am_git__changes(out, n, g, from, to, want, payload, max_blob, threads, arena);
	if (rc == 0 && *n)
		qsort(*out, *n, sizeof(**out), by_old_path);
	return rc;
}

int am_verify__changes(am_git_delta **out, size_t *n, am_git *g, const char *from, const char *to,
		       const am_strset *paths, size_t max_blob, unsigned threads,
		       struct am_arena *arena)
{
	return am_verify__changes_of(out, n, g, from, to, want_path, (void *)paths, max_blob, threads, arena);
}

void am_verify__trace(am_trace *out, const am_git_delta *d, const char *path, uint32_t start,
		      uint32_t end)
{
	memset(out, 0, sizeof(*out));
	out->now_path = path;
	out->now_start = start;
	out->now_end = end;
	if (!d)
		return;
	if (d->status == AM_GIT_DELTA_DELETED || d->status == AM_GIT_DELTA_TYPECHANGE) {
		out->outcome = d->status == AM_GIT_DELTA_DELETED ? AM_TRACE_FILE_DELETED : AM_TRACE_NOT_FILE;
		out->touched = 1;
		out->now_path = NULL;
		return;
	}
	int renamed = d->status == AM_GIT_DELTA_RENAMED;
	out->now_path = d->new_path;
	if (!start) {
		/* A whole file holds while the file is there. */
		out->outcome = renamed ? AM_TRACE_RENAMED : AM_TRACE_SAME;
		out->touched = d->nhunks || d->binary || d->too_large;
		return;
	}
	out->touched = 1;
	if (d->too_large || d->binary) {
		out->outcome = d->too_large ? AM_TRACE_TOO_LARGE : AM_TRACE_BINARY;
		out->now_path = NULL;
		return;
	}
	uint32_t ns, ne;
	switch (am_verify__map_range(d, start, end, &ns, &ne)) {
	case 0:
		out->touched = 0;
		out->now_start = ns;
		out->now_end = ne;
		out->outcome = renamed ? AM_TRACE_RENAMED : ns != start ? AM_TRACE_MOVED : AM_TRACE_SAME;
		return;
	case 1:
		out->outcome = AM_TRACE_EDITED;
		break;
	default:
		out->outcome = AM_TRACE_REMOVED;
		break;
	}
	out->now_path = NULL;
}

/* A citation whose lines cannot be followed to the target. */
static void not_followed(am_verify_result *r, am_verify_state state, const char *detail)
{
	r->state = state;
	r->detail = detail;
	r->now_path = NULL;
	r->now_start = r->now_end = 0;
}

/* The changes d[0..n) by old path, for one hash lookup a result instead
 * of a binary search of string comparisons (100,000 citations). */
static void index_deltas(am_strmap *m, const am_git_delta *d, size_t n)
{
	am_strmap_init(m, n);
	for (size_t i = 0; i < n; i++)
		am_strmap_put(m, d[i].old_path, i);
}

static const am_git_delta *indexed_delta(const am_strmap *m, const am_git_delta *d, const char *path)
{
	size_t i;
	return am_strmap_get(m, path, &i) ? &d[i] : NULL;
}

/* Follows the citations that hold at as-of to the target: the changes of
 * the files diffed while checked, and git's for the others. */
static int follow(vctx *c)
{
	am_verify *v = c->v;
	am_strset paths;
	am_git_delta *deltas = NULL;
	size_t ndeltas = 0;
	am_strmap index;
	int rc;

	am_strset_init(&paths, 64);
	index_deltas(&index, c->known, c->nknown);
	for (size_t i = 0; i < v->nresults; i++)
		if (v->results[i].state == AM_VERIFY_OK && v->results[i].path &&
		    !indexed_delta(&index, c->known, v->results[i].path))
			am_strset_add(&paths, v->results[i].path);
	am_strmap_free(&index);
	rc = am_verify__changes(&deltas, &ndeltas, c->g, v->as_of.commit,
				v->worktree ? NULL : v->target.commit, &paths, c->max_blob,
				c->opts->threads, c->arena);
	am_strset_free(&paths);
	if (rc < 0)
		return rc;
	if (c->nknown) {
		deltas = am_xrealloc(deltas, (ndeltas + c->nknown) * sizeof(*deltas));
		memcpy(deltas + ndeltas, c->known, c->nknown * sizeof(*deltas));
		ndeltas += c->nknown;
	}
	/* Those found while checking, and those just found: no path twice. */
	index_deltas(&index, deltas, ndeltas);
	for (size_t i = 0; i < v->nresults; i++) {
		am_verify_result *r = &v->results[i];
		if (r->state != AM_VERIFY_OK || !r->path)
			continue;
		am_trace t;
		am_verify__trace(&t, indexed_delta(&index, deltas, r->path), r->path,
				 r->citation->start, r->citation->end);
		r->now_path = t.now_path;
		r->now_start = t.now_start;
		r->now_end = t.now_end;
		switch (t.outcome) {
		case AM_TRACE_SAME: break;
		case AM_TRACE_MOVED: r->state = AM_VERIFY_MOVED; break;
		case AM_TRACE_RENAMED: r->state = AM_VERIFY_RENAMED; break;
		case AM_TRACE_EDITED: not_followed(r, AM_VERIFY_CHANGED, "the cited lines were edited"); break;
		case AM_TRACE_REMOVED: not_followed(r, AM_VERIFY_DELETED, "the cited lines were removed"); break;
		case AM_TRACE_FILE_DELETED: not_followed(r, AM_VERIFY_DELETED, "file deleted"); break;
		case AM_TRACE_NOT_FILE: not_followed(r, AM_VERIFY_DELETED, "no longer a regular file"); break;
		case AM_TRACE_BINARY: not_followed(r, AM_VERIFY_CHANGED, "a binary change"); break;
		case AM_TRACE_TOO_LARGE:
			not_followed(r, AM_VERIFY_TOO_LARGE, "over the blob size limit at the target: not read");
			break;
		}
	}
	am_strmap_free(&index);
	free(deltas);
	return 0;
}

static void copy_commit(am_verify_commit *out, const am_git_commit *c)
{
	memcpy(out->commit, c->id, sizeof(out->commit));
	memcpy(out->date, c->date, sizeof(out->date));
	out->time = c->time;
}

/* Chooses the as-of commit as the options say. *audit_rel receives the
 * audit's path in the repository when known (arena). */
static int choose_as_of(am_verify *v, am_git *g, const am_verify_options *o, const char *target,
			struct am_arena *arena)
{
	am_git_commit c;
	int rc;
	v->as_of_reason = AM_ASOF_NONE;
	v->audit_path = v->audit_location = NULL;
	if (o->audit_rev && o->audit_path) {
		v->audit_path = am_arena_strdup(arena, o->audit_path);
	} else if (o->audit_path) {
		char *rel = am_git__relative(g, o->audit_path);
		if (rel && am_git__unmodified(g, rel))
			v->audit_path = am_arena_strdup(arena, rel);
		else if (rel && am_git__has_workdir(g)) /* in the working tree, modified or new */
			v->audit_location = am_arena_strdup(arena, rel);
		free(rel);
	}
	if (v->audit_path)
		v->audit_location = v->audit_path;
	if (o->as_of && !strcmp(o->as_of, "none"))
		return 0;
	if (o->as_of && strcmp(o->as_of, "auto")) {
		if ((rc = am_git__commit(&c, g, o->as_of)) < 0)
			return rc;
		v->as_of_reason = AM_ASOF_GIVEN;
		copy_commit(&v->as_of, &c);
		return 0;
	}
	if (o->audit_rev && o->audit_path) {
		if ((rc = am_git__writer(&c, g, o->audit_rev, o->audit_path)) < 0)
			return rc;
		v->as_of_reason = AM_ASOF_REVISION;
		copy_commit(&v->as_of, &c);
		return 0;
	}
	if (v->audit_path) {
		if ((rc = am_git__writer(&c, g, "HEAD", v->audit_path)) == 0) {
			v->as_of_reason = AM_ASOF_COMMITTED;
			copy_commit(&v->as_of, &c);
			return 0;
		}
		if (rc == AM_EGIT)
			return rc; /* a shallow history: say so rather than guess */
	}
	if (v->report->date) {
		if ((rc = am_git__commit_at_date(&c, g, target, v->report->date)) == 0) {
			v->as_of_reason = AM_ASOF_DATE;
			copy_commit(&v->as_of, &c);
		} else if (rc == AM_EGIT) {
			return rc;
		}
	}
	am_error_clear();
	return 0;
}

static int check_options(const am_verify_options *o)
{
	if (o && o->version != AM_VERIFY_OPTIONS_VERSION) {
		am_error_set("verify: unsupported options version %u", o->version);
		return AM_EUSAGE;
	}
	return 0;
}

/* Opens the repository, refusing histories we cannot walk. */
static int open_repo(am_git **out, const am_verify_options *o)
{
	return am_git__open(out, o->repo ? o->repo : ".");
}

typedef struct {
	size_t i, j;  /* items[i..j) cite one path */
	int deferred; /* a partial path: resolved on the main thread */
	am_git_delta *delta; /* its change to the target, found while checking */
} path_group;

/* Checks groups[from..to): lookups, then the file's lines. */
static int check_groups(vctx *c, work_item *items, path_group *groups, size_t from, size_t to)
{
	am_verify *v = c->v;
	for (size_t g = from; g < to; g++) {
		size_t i = groups[g].i, j = groups[g].j;
		am_git_entry e;
		am_verify_result probe = { 0 };
		int err = 0;
		int file = resolve_path(c, &probe, items[i].norm, &e, &err);
		if (err == 1) {
			groups[g].deferred = 1;
			continue;
		}
		if (err < 0)
			return err;
		for (size_t k = i; k < j; k++) {
			am_verify_result *r = &v->results[items[k].result];
			r->state = probe.state;
			r->path = probe.path;
			r->detail = probe.detail;
			r->candidates = probe.candidates;
			r->ncandidates = probe.ncandidates;
			r->candidates_total = probe.candidates_total;
			if (!file)
				r->symbols = NULL, r->nsymbols = 0;
		}
		if (!file && probe.state == AM_VERIFY_MISSING && c->target != c->base && !c->base_worktree) {
			am_git_entry te;
			am_git__lookup(&te, c->target, items[i].norm);
			if (te.kind != AM_GIT_ENTRY_NONE)
				for (size_t k = i; k < j; k++)
					v->results[items[k].result].detail = "not there at as-of, but at the target";
		}
		if (file && !c->locate_only) {
			int rc = check_file(c, items + i, j - i, &e, probe.path, &groups[g].delta);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Groups taken a few at a time, in order, by whichever job is free: the
 * files' sizes differ, and halves fixed beforehand left one thread idle
 * while the other finished. The failure reported is the first group's
 * that fails, as in one pass: after one, groups past it are not taken. */
#define GROUPS_A_TAKE 32

typedef struct {
	atomic_size_t next;  /* the first group no job has taken */
	atomic_size_t first; /* the first group known to fail; n when none */
	size_t n;
} group_pool;

/* One job: groups taken from the pool and checked with its own context;
 * the first that failed, its code and message. */
typedef struct {
	vctx *c;
	work_item *items;
	path_group *groups;
	group_pool *pool;
	size_t failed;
	int rc;
	char error[1024];
} group_job;

static int group_job_run(void *job, void *payload)
{
	group_job *j = job;
	group_pool *pool = j->pool;
	(void)payload;
	for (;;) {
		size_t from = atomic_fetch_add(&pool->next, GROUPS_A_TAKE);
		if (from >= atomic_load(&pool->first))
			return 0;
		size_t to = pool->n - from > GROUPS_A_TAKE ? from + GROUPS_A_TAKE : pool->n;
		for (size_t g = from; g < to; g++) {
			int rc = check_groups(j->c, j->items, j->groups, g, g + 1);
			if (rc < 0) {
				j->failed = g;
				j->rc = rc;
				snprintf(j->error, sizeof(j->error), "%s", am_error_last());
				for (size_t cur = atomic_load(&pool->first); g < cur;)
					if (atomic_compare_exchange_weak(&pool->first, &cur, g))
						break;
				return 0;
			}
		}
	}
}

/* Below this many files one thread does it all. */
#define PARALLEL_MIN_FILES 256

/*
 * In two jobs (jobs.c) when many files are cited: the second with its own
 * repository handle, trees and arena (libgit2 objects are not shared
 * between threads); partial paths it meets are left to the caller, whose
 * context owns the file index, and resolved after both.
 */
static int check_groups_parallel(vctx *c, work_item *items, path_group *groups, size_t ngroups)
{
	vctx side = { 0 };
	group_pool pool = { 0, ngroups, ngroups };
	group_job jobs[2] = { { c, items, groups, &pool, ngroups, 0, "" },
			      { &side, items, groups, &pool, ngroups, 0, "" } };
	size_t njobs = 1;
	int rc;
	unsigned threads = c->opts->threads ? c->opts->threads : 2;

	if (threads > 1 && ngroups >= PARALLEL_MIN_FILES) {
		side = *c;
		symbols_init(&side);
		side.arena = am_arena_new();
		side.index.tree = NULL;
		side.index.files = NULL;
		side.base = side.target = NULL;
		if (am_git__reopen(&side.g, c->g) == 0 &&
		    am_git__tree(&side.target, side.g, c->v->target.commit) == 0 &&
		    (c->base == c->target ||
		     am_git__tree(&side.base, side.g, c->v->as_of.commit) == 0)) {
			if (c->base == c->target)
				side.base = side.target;
			side.base_worktree = c->base_worktree;
			njobs = 2;
		}
		am_error_clear();
	}
	rc = am_jobs__run(jobs, njobs, sizeof(group_job), group_job_run, NULL, threads);
	if (side.base && side.base != side.target)
		am_git__tree_free(side.base);
	am_git__tree_free(side.target);
	if (side.arena) {
		symbols_free(&side);
		am_arena_adopt(c->arena, side.arena);
	}
	am_git__free(side.g);
	const group_job *failed = jobs[1].failed < jobs[0].failed ? &jobs[1] : &jobs[0];
	/* The groups left to the caller, in order, up to the first failure. */
	for (size_t g = 0; g < failed->failed && g < ngroups && rc == 0; g++)
		if (groups[g].deferred)
			rc = check_groups(c, items, groups, g, g + 1);
	if (rc == 0 && failed->failed < ngroups) {
		am_error_set("%s", failed->error);
		rc = failed->rc;
	}
	return rc;
}

/* Where the citations of one raw path go: a group, or a state decided
 * from the path alone. */
#define TO_OUTSIDE ((size_t)-1)
#define TO_MISSING ((size_t)-2)
#define TO_GIT_DIR ((size_t)-3)

typedef struct {
	const char *norm;
	size_t n;   /* citations of this path */
	size_t key; /* its index in the keys, before sorting */
} path_key;

static int by_key_norm(const void *a, const void *b)
{
	return strcmp(((const path_key *)a)->norm, ((const path_key *)b)->norm);
}

/*
 * Gathers the evidence citations into results and groups them by normalised
 * path: each distinct path is normalised once (a map from the cited text),
 * and the items are laid out group after group, groups by path, citations
 * in audit order within each, by a counting sort.
 */
/* The cited paths: one key per normalised path (a path written two ways
 * is one key), and for paths not read TO_OUTSIDE, TO_MISSING or TO_GIT_DIR. */
typedef struct {
	am_strmap by_raw, by_norm;
	am_buf norm;
	path_key *keys;
	size_t nkeys, cap;
	struct am_arena *arena; /* the normalised paths */
} key_table;

static void key_table_init(key_table *kt, struct am_arena *arena)
{
	memset(kt, 0, sizeof(*kt));
	am_strmap_init(&kt->by_raw, 64);
	am_strmap_init(&kt->by_norm, 64);
	kt->arena = arena;
}

/* All but the keys. */
static void key_table_done(key_table *kt)
{
	am_buf_free(&kt->norm);
	am_strmap_free(&kt->by_raw);
	am_strmap_free(&kt->by_norm);
}

static size_t key_of(key_table *kt, const char *path)
{
	size_t key;
	if (am_strmap_get(&kt->by_raw, path, &key))
		return key;
	int nr = am_verify__normalise_path(&kt->norm, path);
	if (nr == -1) {
		key = TO_OUTSIDE;
	} else if (nr == -2) {
		key = TO_MISSING;
	} else if (!am_path__ok(kt->norm.ptr, kt->norm.size)) {
		key = TO_GIT_DIR; /* what normalising leaves: a .git name */
	} else if (!am_strmap_get(&kt->by_norm, am_buf_cstr(&kt->norm), &key)) {
		am_grow((void **)&kt->keys, &kt->cap, kt->nkeys + 1, sizeof(path_key));
		key = kt->nkeys++;
		kt->keys[key] = (path_key){ am_arena_strndup(kt->arena, kt->norm.ptr, kt->norm.size), 0, key };
		am_strmap_put(&kt->by_norm, kt->keys[key].norm, key);
	}
	am_strmap_put(&kt->by_raw, path, key);
	return key;
}

/* Result r for citation ci of finding f, its path key in *to. */
static void add_result(am_verify_result *r, key_table *kt, const am_finding *f, const am_citation *ci,
		       const char **syms, size_t nsyms, size_t *to)
{
	memset(r, 0, sizeof(*r));
	r->finding = f;
	r->citation = ci;
	r->state = AM_VERIFY_OK;
	*to = TO_MISSING;
	if (ci->malformed) {
		r->state = AM_VERIFY_MALFORMED;
		r->detail = "unreadable line numbers";
		return; /* *to says no group */
	}
	size_t key = *to = key_of(kt, ci->path);
	if (key == TO_OUTSIDE) {
		r->state = AM_VERIFY_OUTSIDE_REPO;
		r->detail = "outside the repository: not read";
	} else if (key == TO_MISSING || key == TO_GIT_DIR) {
		r->state = AM_VERIFY_MISSING;
		if (key == TO_GIT_DIR)
			r->detail = "git's own files (.git) are not evidence: not read";
	} else {
		r->symbols = syms;
		r->nsymbols = nsyms;
		kt->keys[key].n++;
	}
}

/* Whether citation ci is checked. */
static bool checked(const vctx *c, const am_citation *ci)
{
	return ci->role == AM_CITE_EVIDENCE || c->opts->mentions;
}

/* The results of findings [from, to): results[first, end), their path
 * keys in keys_of[first, end) (of its own key table), the findings'
 * symbols in its arena. */
typedef struct {
	const vctx *c;
	size_t from, to, first, end;
	size_t *keys_of;
	key_table kt;
} collect_job;

static int collect_job_run(void *job, void *payload)
{
	collect_job *j = job;
	const vctx *c = j->c;
	const am_report *rep = c->v->report;
	size_t ri = j->first;
	(void)payload;
	for (size_t fi = j->from; fi < j->to; fi++) {
		const am_finding *f = &rep->findings[fi];
		const char **syms = NULL;
		size_t nsyms = 0;
		bool have_syms = false;
		for (size_t k = 0; k < f->ncitations; k++) {
			const am_citation *ci = &f->citations[k];
			if (!checked(c, ci))
				continue;
			if (!have_syms && !c->locate_only) {
				finding_symbols(f, j->kt.arena, &syms, &nsyms);
				have_syms = true;
			}
			add_result(&c->v->results[ri], &j->kt, f, ci, syms, nsyms, &j->keys_of[ri]);
			ri++;
		}
	}
	j->end = ri;
	return 0;
}

/*
 * The results, one per citation checked, and to[ri] the path key of each
 * in *kt: the findings in two halves at once (their symbols, their paths
 * normalised and looked up), the second half's keys then merged into the
 * first's.
 */
static void collect_results(vctx *c, key_table *kt, size_t *to)
{
	const am_report *rep = c->v->report;
	size_t nf = rep->nfindings, njobs = nf >= 256 && c->opts->threads != 1 ? 2 : 1;
	size_t half = njobs == 2 ? nf / 2 : nf, before = 0; /* the first half's results */
	for (size_t fi = 0; njobs == 2 && fi < half; fi++)
		for (size_t k = 0; k < rep->findings[fi].ncitations; k++)
			before += checked(c, &rep->findings[fi].citations[k]);
	collect_job jobs[2];
	jobs[0] = (collect_job){ .c = c, .from = 0, .to = half, .first = 0, .keys_of = to };
	jobs[1] = (collect_job){ .c = c, .from = half, .to = nf, .first = before, .keys_of = to };
	key_table_init(&jobs[0].kt, c->arena);
	if (njobs == 2)
		key_table_init(&jobs[1].kt, am_arena_new());
	(void)am_jobs__run(jobs, njobs, sizeof(collect_job), collect_job_run, NULL, (unsigned)njobs);
	*kt = jobs[0].kt;
	size_t n = jobs[njobs - 1].end; /* the results in all */
	if (njobs == 2) {
		/* The second half's keys, as the first half's table has them. */
		key_table *b = &jobs[1].kt;
		size_t *remap = am_xmalloc((b->nkeys ? b->nkeys : 1) * sizeof(size_t));
		for (size_t k = 0; k < b->nkeys; k++) {
			size_t key;
			if (!am_strmap_get(&kt->by_norm, b->keys[k].norm, &key)) {
				am_grow((void **)&kt->keys, &kt->cap, kt->nkeys + 1, sizeof(path_key));
				key = kt->nkeys++;
				kt->keys[key] = (path_key){ b->keys[k].norm, 0, key };
				am_strmap_put(&kt->by_norm, kt->keys[key].norm, key);
			}
			kt->keys[key].n += b->keys[k].n;
			remap[k] = key;
		}
		for (size_t ri = before; ri < n; ri++)
			if (to[ri] < b->nkeys)
				to[ri] = remap[to[ri]];
		free(remap);
		am_arena_adopt(c->arena, b->arena);
		key_table_done(b);
		free(b->keys);
	}
	c->v->nresults = n;
}

/* The results read file by file, the groups in path order (pack locality,
 * and the same order every run); the changes found on the way kept for
 * follow(). */
static int check_by_path(vctx *c, const key_table *kt, const size_t *to)
{
	size_t nkeys = kt->nkeys, nitems = 0;
	path_key *sorted = am_xmalloc((nkeys ? nkeys : 1) * sizeof(path_key));
	size_t *rank = am_xmalloc((nkeys ? nkeys : 1) * sizeof(size_t)); /* key -> group */
	path_group *groups = am_xmalloc((nkeys ? nkeys : 1) * sizeof(path_group));
	if (nkeys) {
		memcpy(sorted, kt->keys, nkeys * sizeof(path_key));
		qsort(sorted, nkeys, sizeof(path_key), by_key_norm);
	}
	for (size_t g = 0; g < nkeys; g++) {
		rank[sorted[g].key] = g;
		groups[g] = (path_group){ nitems, nitems, 0, NULL };
		nitems += sorted[g].n;
	}
	work_item *items = am_xmalloc((nitems ? nitems : 1) * sizeof(work_item));
	for (size_t ri = 0; ri < c->v->nresults; ri++) {
		if (to[ri] == TO_OUTSIDE || to[ri] == TO_MISSING || to[ri] == TO_GIT_DIR)
			continue;
		path_group *gr = &groups[rank[to[ri]]];
		items[gr->j++] = (work_item){ ri, kt->keys[to[ri]].norm };
	}
	int rc = check_groups_parallel(c, items, groups, nkeys);
	for (size_t g = 0; g < nkeys; g++)
		if (groups[g].delta) {
			am_grow((void **)&c->known, &c->cap_known, c->nknown + 1, sizeof(am_git_delta));
			c->known[c->nknown++] = *groups[g].delta;
		}
	free(items);
	free(groups);
	free(sorted);
	free(rank);
	return rc;
}

static int check_citations(vctx *c)
{
	const am_report *rep = c->v->report;
	size_t total = 0;
	for (size_t fi = 0; fi < rep->nfindings; fi++)
		total += rep->findings[fi].ncitations;
	c->v->results = am_xmalloc((total ? total : 1) * sizeof(am_verify_result));
	size_t *to = am_xmalloc((total ? total : 1) * sizeof(size_t)); /* result -> key */
	key_table kt;
	collect_results(c, &kt, to);
	key_table_done(&kt);
	int rc = check_by_path(c, &kt, to);
	free(kt.keys);
	free(to);
	return rc;
}

/* The previous revision of the audit and its as-of; 0 when found, 1 when
 * there is none. */
static int previous_revision(am_report **out, am_git_commit *asof, am_git *g,
			     const am_verify *v, const am_verify_options *o)
{
	am_git_commit parent;
	am_buf rev = AM_BUF_INIT, text = AM_BUF_INIT;
	int rc = 1;
	*out = NULL;
	am_buf_printf(&rev, "%s~1", v->as_of.commit);
	if (am_git__commit(&parent, g, rev.ptr) < 0 ||
	    am_git__read(&text, g, parent.id, v->audit_path, AM_DEFAULT_MAX_SIZE) < 0 ||
	    am_git__writer(asof, g, parent.id, v->audit_path) < 0)
		goto done;
	am_compile_options copts = AM_COMPILE_OPTIONS_INIT;
	copts.vocab = o->vocab;
	copts.source = v->audit_path;
	if (am_compile(out, text.ptr, text.size, &copts) < 0)
		goto done;
	rc = 0;
done:
	am_error_clear();
	am_buf_free(&rev);
	am_buf_free(&text);
	return rc;
}

static int resolutions(am_resolution *out, am_git *g, const am_diff *diff, const char *old_commit,
		       const char *new_commit, size_t max_blob);

/* verify on one audit: the findings resolved since its previous revision
 * whose cited code never changed get the `unconfirmed` warning. */
static int check_resolved(vctx *c)
{
	am_verify *v = c->v;
	am_report *prev = NULL;
	am_git_commit prev_asof;
	am_diff *diff = NULL;
	am_resolution *res = NULL;
	int rc = 0;

	if (!v->audit_path || (v->as_of_reason != AM_ASOF_REVISION && v->as_of_reason != AM_ASOF_COMMITTED))
		return 0;
	if (previous_revision(&prev, &prev_asof, c->g, v, c->opts) != 0)
		return 0;
	if ((rc = am_diff_run(&diff, prev, v->report, NULL)) < 0)
		goto done;
	res = am_xcalloc(diff->nchanges ? diff->nchanges : 1, sizeof(*res));
	if ((rc = resolutions(res, c->g, diff, prev_asof.id, v->as_of.commit, c->max_blob)) < 0)
		goto done;
	for (size_t i = 0; i < diff->nchanges; i++) {
		if (diff->changes[i].kind != AM_CHANGE_RESOLVED)
			continue;
		v->nfindings_resolved_checked++;
		if (res[i] != AM_RESOLUTION_UNCONFIRMED)
			continue;
		for (size_t k = 0; k < v->nresults; k++)
			if (v->results[k].finding == diff->changes[i].new_finding)
				v->results[k].warnings |= AM_VERIFY_WARN_UNCONFIRMED;
	}
done:
	free(res);
	am_diff_free(diff);
	am_report_free(prev);
	return rc;
}

int am_verify_run(am_verify **out, const am_report *report, const am_verify_options *opts)
{
	return am_verify__run(out, report, opts, 0);
}

/* The trees checked: the target's, and the base's (as-of's, or the
 * target's when they are one; the files on disk with --worktree and no
 * as-of); the files modified between them. */
static int open_trees(vctx *c, const char *target, bool has_as_of)
{
	const am_verify_options *o = c->opts;
	am_verify *v = c->v;
	int rc;
	if (o->worktree && !am_git__has_workdir(c->g)) {
		am_error_set("--worktree: %s is a bare repository, it has no working tree",
			     o->repo ? o->repo : ".");
		return AM_EGIT;
	}
	if ((rc = am_git__tree(&c->target, c->g, target)) < 0)
		return rc;
	/* With --worktree, as-of is a commit and the target the files on disk. */
	if (has_as_of && (o->worktree || strcmp(v->as_of.commit, target))) {
		if ((rc = am_git__tree(&c->base, c->g, v->as_of.commit)) < 0)
			return rc;
	} else {
		c->base = c->target;
	}
	c->base_worktree = o->worktree && !has_as_of;
	c->index.tree = c->base; /* partial paths: HEAD's files when the base is the disk */
	if (c->base != c->target && !o->worktree)
		return am_git__modified(&c->modified, &c->nmodified, c->g, v->as_of.commit, target,
					c->arena);
	return 0;
}

/* Without a base apart from the target, each citation is where it was. */
static void unmoved(am_verify *v)
{
	for (size_t i = 0; i < v->nresults; i++) {
		am_verify_result *r = &v->results[i];
		if (r->state == AM_VERIFY_OK) {
			r->now_path = r->path;
			r->now_start = r->citation->start;
			r->now_end = r->citation->end;
		}
	}
}

int am_verify__run(am_verify **out, const am_report *report, const am_verify_options *opts,
		   unsigned flags)
{
	am_verify_options defaults = AM_VERIFY_OPTIONS_INIT;
	const am_verify_options *o = opts ? opts : &defaults;
	am_git *g = NULL;
	am_verify *v = NULL;
	am_git_commit target;
	vctx c = { 0 };
	int rc;

	*out = NULL;
	if ((rc = check_options(opts)) < 0)
		return rc;
	if ((rc = open_repo(&g, o)) < 0)
		return rc;
	v = am_xcalloc(1, sizeof(*v));
	v->priv = am_xcalloc(1, sizeof(*v->priv));
	v->priv->arena = am_arena_new();
	v->report = report;
	v->fail_on = o->fail_on;
	v->closed_drift = o->closed_drift;
	const char *target_rev = o->target ? o->target : "HEAD";
	if ((rc = am_git__commit(&target, g, target_rev)) < 0)
		goto done;
	copy_commit(&v->target, &target);
	if ((rc = choose_as_of(v, g, o, target.id, v->priv->arena)) < 0)
		goto done;

	c.g = g;
	c.arena = v->priv->arena;
	c.opts = o;
	c.max_blob = o->max_blob ? o->max_blob : AM_VERIFY_DEFAULT_MAX_BLOB;
	c.v = v;
	c.locate_only = (flags & AM_VERIFY__LOCATE) != 0;
	symbols_init(&c);
	bool has_as_of = v->as_of_reason != AM_ASOF_NONE;
	v->worktree = o->worktree != 0;
	if ((rc = open_trees(&c, target.id, has_as_of)) < 0)
		goto done;
	if ((rc = check_citations(&c)) < 0)
		goto done;
	if (c.base != c.target || (o->worktree && has_as_of))
		rc = follow(&c);
	else
		unmoved(v);
	if (rc < 0 || (o->resolution && (rc = check_resolved(&c)) < 0))
		goto done;
	for (size_t i = 0; i < v->nresults; i++) {
		v->counts[v->results[i].state]++;
		for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
			if (v->results[i].warnings & (1u << b))
				v->warning_counts[b]++;
	}
	*out = v;
	v = NULL;
done:
	if (c.base != c.target)
		am_git__tree_free(c.base);
	am_git__tree_free(c.target);
	am_path__index_free(c.index.files);
	free(c.known);
	symbols_free(&c);
	am_verify_free(v);
	am_git__free(g);
	return rc;
}

void am_verify_free(am_verify *v)
{
	if (!v)
		return;
	free(v->results);
	if (v->priv)
		am_arena_free(v->priv->arena);
	free(v->priv);
	free(v);
}

/* ---- resolution check ---------------------------------------------- */

static int resolutions(am_resolution *out, am_git *g, const am_diff *diff, const char *old_commit,
		       const char *new_commit, size_t max_blob)
{
	struct am_arena *arena = am_arena_new();
	am_strset paths;
	am_buf norm = AM_BUF_INIT;
	am_git_tree *tree = NULL;
	am_git_delta *deltas = NULL;
	size_t ndeltas = 0;
	const char **normed = NULL; /* per old citation of resolved changes, flattened */
	size_t nnormed = 0, cap = 0;
	int rc;

	am_strset_init(&paths, 64);
	if ((rc = am_git__tree(&tree, g, old_commit)) < 0)
		goto done;
	for (size_t i = 0; i < diff->nchanges; i++) {
		const am_change *ch = &diff->changes[i];
		if (ch->kind != AM_CHANGE_RESOLVED)
			continue;
		for (size_t k = 0; k < ch->old_finding->ncitations; k++) {
			const am_citation *ci = &ch->old_finding->citations[k];
			const char *p = NULL;
			am_git_entry e;
			if (ci->role == AM_CITE_EVIDENCE && !ci->malformed &&
			    am_verify__normalise_path(&norm, ci->path) == 0) {
				am_git__lookup(&e, tree, norm.ptr);
				if (e.kind == AM_GIT_ENTRY_FILE) {
					p = am_arena_strndup(arena, norm.ptr, norm.size);
					am_strset_add(&paths, p);
				}
			}
			am_grow((void **)&normed, &cap, nnormed + 1, sizeof(char *));
			normed[nnormed++] = p;
		}
	}
	if (strcmp(old_commit, new_commit) &&
	    (rc = am_verify__changes(&deltas, &ndeltas, g, old_commit, new_commit, &paths, max_blob, 0,
				     arena)) < 0)
		goto done;
	size_t at = 0;
	for (size_t i = 0; i < diff->nchanges; i++) {
		const am_change *ch = &diff->changes[i];
		if (ch->kind != AM_CHANGE_RESOLVED)
			continue;
		int usable = 0, changed = 0;
		for (size_t k = 0; k < ch->old_finding->ncitations; k++) {
			const am_citation *ci = &ch->old_finding->citations[k];
			const char *p = normed[at++];
			if (!p)
				continue;
			usable = 1;
			am_trace t;
			am_verify__trace(&t, am_verify__delta(deltas, ndeltas, p), p, ci->start, ci->end);
			changed |= t.touched;
		}
		out[i] = !usable ? AM_RESOLUTION_UNKNOWN
				 : changed ? AM_RESOLUTION_CONFIRMED : AM_RESOLUTION_UNCONFIRMED;
	}
	rc = 0;
done:
	free(normed);
	free(deltas);
	am_git__tree_free(tree);
	am_strset_free(&paths);
	am_buf_free(&norm);
	am_arena_free(arena);
	return rc;
}

int am_verify_resolutions(am_diff *diff, const am_verify_options *old_opts,
			  const am_verify_options *new_opts)
{
	am_git *g = NULL;
	am_verify vo = { 0 }, vn = { 0 };
	struct am_arena *arena = am_arena_new();
	am_resolution *res = am_xcalloc(diff->nchanges ? diff->nchanges : 1, sizeof(*res));
	int rc;

	diff->old_as_of[0] = diff->new_as_of[0] = '\0';
	diff->resolution_checked = 1;
	if ((rc = check_options(old_opts)) < 0 || (rc = check_options(new_opts)) < 0)
		goto done;
	if ((rc = open_repo(&g, new_opts)) < 0)
		goto done;
	vo.report = diff->old_report;
	vn.report = diff->new_report;
	am_git_commit head;
	if ((rc = am_git__commit(&head, g, new_opts->target ? new_opts->target : "HEAD")) < 0)
		goto done;
	if ((rc = choose_as_of(&vo, g, old_opts, head.id, arena)) < 0 ||
	    (rc = choose_as_of(&vn, g, new_opts, head.id, arena)) < 0)
		goto done;
	memcpy(diff->old_as_of, vo.as_of.commit, sizeof(diff->old_as_of));
	memcpy(diff->new_as_of, vn.as_of.commit, sizeof(diff->new_as_of));
	if (vo.as_of_reason == AM_ASOF_NONE || vn.as_of_reason == AM_ASOF_NONE) {
		for (size_t i = 0; i < diff->nchanges; i++)
			if (diff->changes[i].kind == AM_CHANGE_RESOLVED)
				res[i] = AM_RESOLUTION_UNKNOWN;
	} else if ((rc = resolutions(res, g, diff, vo.as_of.commit, vn.as_of.commit,
				     new_opts->max_blob ? new_opts->max_blob : AM_VERIFY_DEFAULT_MAX_BLOB)) < 0) {
		goto done;
	}
	for (size_t i = 0; i < diff->nchanges; i++)
		diff->changes[i].resolution = (int)res[i];
done:
	free(res);
	am_arena_free(arena);
	am_git__free(g);
	return rc;
}
