/*
 * compile_post.c: post-processing of the whole audit's findings, once
 * every part is walked. A table row that re-lists a finding written
 * elsewhere (same explicit ID, same title, or same number with a shared
 * title word) is merged into it; then every finding gets its ID: explicit
 * ones stay (a duplicate is a warning), the others are F<number> or
 * F-<hash of the normalised title>, unique; parents recorded as indices
 * become IDs. Hands on the final list of findings.
 */
#include <string.h>
#include <strings.h>

#include "compile_int.h"

/* ---- table rows that re-list findings ------------------------------------------ */

/* The next word of a normalised title at *p (words are separated by
 * spaces), its length in *n; NULL at the end. */
static const char *next_word(const char **p, size_t *n)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return NULL;
	const char *w = *p;
	while (**p && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - w);
	return w;
}

/* Whether two normalised titles share a word of four letters or more,
 * or two words of one stem ("adapter", "adapters": the same first five
 * letters). */
static bool share_word(const char *a, const char *b)
{
	const char *w, *v;
	size_t n, m;

	for (const char *p = a; (w = next_word(&p, &n)) != NULL;)
		if (n >= 4)
			for (const char *q = b; (v = next_word(&q, &m)) != NULL;)
				if ((m == n && !memcmp(w, v, n)) || (n >= 5 && m >= 5 && !memcmp(w, v, 5)))
					return true;
	return false;
}

/* The findings that are not table rows, by explicit ID, normalised title
 * and number (the first of each). */
typedef struct {
	am_strmap by_id, by_title, by_number;
	am_strset reused_ids; /* explicit IDs that more than one finding has */
} finding_index;

static bool is_row(const am_finding *f)
{
	return f->kind == AM_FINDING_TABLE || f->kind == AM_FINDING_ITEM;
}

/* Each index sized for the keys it takes. */
static void index_findings(finding_index *x, const ctx *c)
{
	size_t ids = 0, titles = 0, numbers = 0;
	for (size_t i = 0; i < c->nfindings; i++) {
		const am_finding *f = &c->findings[i];
		if (!is_row(f)) {
			ids += f->id_explicit && f->id;
			titles += f->norm_title && f->norm_title[0];
			numbers += f->number != NULL;
		}
	}
	am_strmap_init(&x->by_id, ids);
	am_strmap_init(&x->by_title, titles);
	am_strmap_init(&x->by_number, numbers);
	am_strset_init(&x->reused_ids, 16);
	for (size_t i = 0; i < c->nfindings; i++) {
		const am_finding *f = &c->findings[i];
		size_t k;
		if (is_row(f))
			continue;
		if (f->id_explicit && f->id && am_strmap_get(&x->by_id, f->id, &k))
			am_strset_add(&x->reused_ids, f->id);
		if (f->id_explicit && f->id)
			am_strmap_put(&x->by_id, f->id, i);
		if (f->norm_title && f->norm_title[0])
			am_strmap_put(&x->by_title, f->norm_title, i);
		if (f->number)
			am_strmap_put(&x->by_number, f->number, i);
	}
}

static void index_free(finding_index *x)
{
	am_strmap_free(&x->by_id);
	am_strmap_free(&x->by_title);
	am_strmap_free(&x->by_number);
	am_strset_free(&x->reused_ids);
}

/* How many outer sections two findings share. */
static size_t common_sections(const am_finding *a, const am_finding *b)
{
	size_t n = 0;
	while (n < a->nsection && n < b->nsection && !strcmp(a->section[n], b->section[n]))
		n++;
	return n;
}

/* The finding with ID id that shares the most sections with row t (two
 * portfolios may both have an L-01); false when two share as many. */
static bool nearest_with_id(const ctx *c, const am_finding *t, size_t *h)
{
	size_t best = 0, found = 0;
	bool tie = false;
	for (size_t i = 0; i < c->nfindings; i++) {
		const am_finding *f = &c->findings[i];
		if (is_row(f) || !f->id_explicit || !f->id || strcmp(f->id, t->id))
			continue;
		size_t n = common_sections(f, t);
		if (!found || n > best) {
			best = n;
			*h = i;
			tie = false;
		} else if (n == best) {
			tie = true;
		}
		found++;
	}
	return found && !tie;
}

/* A row under an ID re-lists that finding when its title is the ID alone
 * or shares a word with the finding's ("| DEBT-002 Phase 1 |" is not the
 * "DEBT-002 Phase 2-3" heading: both stay, and the ID is reported twice). */
static bool same_subject(const am_finding *t, const am_finding *f)
{
	if (!t->norm_title || !t->norm_title[0] || !strcasecmp(t->title, t->id))
		return true;
	return f->norm_title && share_word(t->norm_title, f->norm_title);
}

/* Whether table row or list item t re-lists a finding; its index in *h. */
static bool relisted(const ctx *c, const finding_index *x, const am_finding *t, size_t *h)
{
	if (t->kind == AM_FINDING_ITEM) /* "- **QA-02 (router-only callers):** done" */
		return t->id_explicit && t->id && am_strmap_get(&x->by_id, t->id, h) &&
		       (!am_strset_has(&x->reused_ids, t->id) || nearest_with_id(c, t, h));
	if (t->kind != AM_FINDING_TABLE)
		return false;
	if (t->id_explicit && t->id && am_strmap_get(&x->by_id, t->id, h)) {
		if (am_strset_has(&x->reused_ids, t->id) && !nearest_with_id(c, t, h))
			return false; /* no one partner: the row stays a finding */
		return same_subject(t, &c->findings[*h]);
	}
	if (t->norm_title && t->norm_title[0] && am_strmap_get(&x->by_title, t->norm_title, h))
		return true;
	return t->number && am_strmap_get(&x->by_number, t->number, h) && t->norm_title &&
	       c->findings[*h].norm_title && share_word(t->norm_title, c->findings[*h].norm_title);
}

/* Row t's status fills in a status finding f does not state, and its
 * levels the levels; a contradiction is a warning (a row without a
 * status says none). */
static void merge_row(ctx *c, am_finding *f, const am_finding *t)
{
	if (!f->status_text && t->status_text) {
		f->status = t->status;
		f->status_text = t->status_text;
	} else if (t->status_text && t->status != AM_STATUS_UNKNOWN && f->status != AM_STATUS_UNKNOWN &&
		   am_status_is_closed(t->status) != am_status_is_closed(f->status)) {
		am_compile__diag(c, AM_DIAG_WARNING, t->line, t->column, "status-conflict",
				 "table row says '%s' (%s) but the finding '%s' on line %u says '%s' (%s)",
				 t->status_text ? t->status_text : "", am_status_name(t->status), f->title,
				 f->line, f->status_text ? f->status_text : "", am_status_name(f->status));
	}
	if (f->priority == AM_PRIORITY_NONE)
		f->priority = t->priority;
	if (f->severity == AM_SEVERITY_NONE)
		f->severity = t->severity;
}

void am_compile__merge_table_rows(ctx *c)
{
	finding_index x;
	size_t ntable = 0, out = 0;

	for (size_t i = 0; i < c->nfindings; i++)
		ntable += is_row(&c->findings[i]);
	if (!ntable || ntable == c->nfindings)
		return;
	index_findings(&x, c);
	/* Which finding each row re-lists, decided on the findings as they
	 * are (SIZE_MAX: none), before any moves. */
	size_t *partner = am_xmalloc((c->nfindings + 1) * sizeof(size_t));
	for (size_t i = 0; i < c->nfindings; i++)
		if (!relisted(c, &x, &c->findings[i], &partner[i]))
			partner[i] = SIZE_MAX;
	/* Where each finding moves (SIZE_MAX: merged away). */
	size_t *remap = am_xmalloc((c->nfindings + 1) * sizeof(size_t));
	for (size_t i = 0; i < c->nfindings; i++) {
		am_finding *t = &c->findings[i];
		size_t h = partner[i];
		if (h == SIZE_MAX) {
			remap[i] = out;
			c->findings[out++] = *t;
			continue;
		}
		/* h < i whenever the row comes after the finding; either way
		 * the finding is at remap[h] once moved. */
		merge_row(c, h < i ? &c->findings[remap[h]] : &c->findings[h], t);
		remap[i] = SIZE_MAX;
	}
	if (out != c->nfindings) {
		for (size_t i = 0; i < out; i++) {
			size_t p = c->findings[i].parent_index;
			if (p < c->nfindings && remap[p] != SIZE_MAX)
				c->findings[i].parent_index = remap[p];
		}
		c->nfindings = out;
	}
	free(remap);
	free(partner);
	index_free(&x);
}

/* ---- IDs ------------------------------------------------------------------- */

/* The ID of a finding without an explicit one, in c->scratch: "F<number>"
 * for the first finding of a number (the others, a table re-listing
 * numbered findings, get a title hash), else "F-<hash of the title>"; then
 * "-2", "-3"... if taken (the next free suffix of each base is remembered
 * in `suffix`: many findings of one title cost linear time, not
 * quadratic). */
static void derive_id(ctx *c, const am_finding *f, am_strset *seen, am_strmap *suffix)
{
	static const char hex[] = "0123456789abcdef";
	am_buf_clear(&c->scratch);
	if (f->number) {
		am_buf_putc(&c->scratch, 'F');
		am_buf_puts(&c->scratch, f->number);
	}
	if (!f->number || am_strset_has(seen, c->scratch.ptr)) {
		const char *norm = f->norm_title ? f->norm_title : "";
		uint64_t h = am_hash64(norm, strlen(norm), AM_HASH_SEED);
		char id[8] = "F-";
		for (int k = 7; k >= 2; k--, h >>= 4) /* the title hash's low 24 bits */
			id[k] = hex[h & 15];
		am_buf_clear(&c->scratch);
		am_buf_put(&c->scratch, id, sizeof(id));
	}
	size_t base = c->scratch.size;
	if (!am_strset_has(seen, c->scratch.ptr))
		return;
	const char *key = am_arena_strndup(c->arena, c->scratch.ptr, base);
	size_t k;
	if (!am_strmap_get(suffix, key, &k))
		k = 2;
	do {
		am_buf_truncate(&c->scratch, base);
		am_buf_printf(&c->scratch, "-%zu", k++);
	} while (am_strset_has(seen, c->scratch.ptr));
	am_strmap_set(suffix, key, k);
}

void am_compile__assign_ids(ctx *c)
{
	am_strset seen;
	am_strmap suffix;

	am_strset_init(&seen, c->nfindings);
	am_strmap_init(&suffix, 16); /* it grows: few IDs take a suffix */
	for (size_t i = 0; i < c->nfindings; i++) {
		am_finding *f = &c->findings[i];
		if (f->id_explicit && !am_strset_add(&seen, f->id))
			am_compile__diag(c, AM_DIAG_WARNING, f->line, f->column, "duplicate-id",
					 "ID '%s' is used by more than one finding", f->id);
	}
	for (size_t i = 0; i < c->nfindings; i++) {
		am_finding *f = &c->findings[i];
		if (f->id_explicit)
			continue;
		derive_id(c, f, &seen, &suffix);
		f->id = am_arena_strndup(c->arena, c->scratch.ptr, c->scratch.size);
		am_strset_add(&seen, f->id);
	}
	/* Parents were recorded as indices; now they have IDs. */
	for (size_t i = 0; i < c->nfindings; i++) {
		size_t p = c->findings[i].parent_index;
		if (p >= c->nfindings)
			c->findings[i].parent_index = AM_NO_PARENT;
		else
			c->findings[i].parent = c->findings[p].id;
	}
	am_strset_free(&seen);
	am_strmap_free(&suffix);
}
