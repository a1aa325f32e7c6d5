/*
 * compile_halves.c: a large audit compiled in two halves at once, on two
 * threads. The audit is cut at a heading near its middle, of the
 * shallowest level found there (am_compile__middle_cut). The caller's thread parses and walks the
 * first half part by part (am_compile__find_cuts), while a thread of its
 * own does the same with the second half, from the walk's state that the
 * first half will most likely leave: the sections of the headings above
 * the cut (their lines read alone), past the preamble, with as many
 * level-1 headings before it as their lines show. Each part is walked
 * right after it is parsed, by the thread that parsed it.
 *
 * The second half is taken as it was compiled when the first half ends as
 * one pass would end it there, in the state the second half took: the
 * cut's heading closes every body and judgement of the first half
 * (am_compile__window_open); the open sections above the cut, the
 * preamble, the title and the count of level-1 headings are the same; and
 * no lookup the second half made among earlier findings (an item's ID
 * scheme, a finding listed again) finds one in the first. Otherwise the
 * caller's thread goes on alone over the second half, as one pass does.
 * Either way the findings, diagnostics and metadata are one pass's, in
 * order, in the audit's context.
 */
#include <stdatomic.h>
#include <string.h>

#include "compile_int.h"
#include "jobs.h"

/* One half: its walk's context and its collector, its window, and what
 * the walk of the second took the state before it to be. */
typedef struct {
	ctx *c;
	ctx own; /* the second half's walk (the first's is the audit's) */
	ctx col;
	window w;
	bool preamble, one_title_used;
	size_t titles_before; /* level-1 headings before the half */
	size_t titles;        /* its own, once walked */
	bool first_field;     /* its first heading is a field heading */
	section sections[AM_MAX_NESTING]; /* open where it starts */
	int nsections;
	am_buf lookups;
	int rc; /* 0: compiled; 1: not as one pass would */
} half;

typedef struct {
	const cut_point *const *cuts;
	size_t ncuts; /* part k runs from cut k-1 to cut k */
	size_t cut;   /* the second half starts at part cut + 1 */
	heading_chain above;
	half h[2];
	atomic_bool stop; /* the first half needs the second no more */
} halves;

/* Parses part k into the half's window; 1 when the parts cannot give what
 * one pass gives (an error, a diagnostic or a legend while collecting). */
static int add_part(halves *hs, half *h, size_t k)
{
	ctx *c = h->c;
	size_t from = k ? hs->cuts[k - 1]->at : 0, to = k < hs->ncuts ? hs->cuts[k]->at : c->srclen;
	size_t ndiags = h->col.ndiags, n = 0;
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	int rc = am_compile__collect_part(&h->col, c->src + from, to - from, k ? hs->cuts[k - 1]->line : 1,
					  &doc, &blocks, &n);
	if (rc != 0 || h->col.ndiags != ndiags || h->col.vm.ndoc) {
		free(blocks);
		am_md_free(doc);
		return 1;
	}
	if (k == hs->cut + 1)
		h->first_field = n && blocks[0].field_heading;
	/* Its heading texts stay in the collector's arena: the walk copies
	 * into the half's context what it keeps of them. */
	am_compile__window_add(&h->w, &h->col, doc, blocks, n);
	return 0;
}

/* Walks what the half's window lets it (all of it when `all`). */
static int walk_window(half *h, bool all)
{
	ctx *c = h->c;
	window *w = &h->w;
	size_t stop = am_compile__window_stop(w, all);

	/* "The only level-1 heading" as far as known (see compile_split.c). */
	c->one_title = h->titles_before + w->titles == 1;
	for (size_t i = 0; i < stop && c->one_title; i++)
		h->one_title_used |= w->win[i].level == 1 && !w->win[i].candidate && w->base + i > 0;
	size_t walked = am_compile__walk_blocks(c, w->win, stop, w->nwin, w->base == 0, &h->preamble);
	if (c->error)
		return 1;
	am_compile__window_drop(w, walked);
	return 0;
}

/* The second half's walk starts in the state the headings above the cut
 * leave: their lines parsed alone and walked, giving no finding. */
static int walk_above(halves *hs, half *h)
{
	ctx *c = h->c;
	am_buf text = AM_BUF_INIT;
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	size_t n = 0;
	bool preamble = true;
	int rc;

	for (int l = 0; l < 6; l++)
		if (hs->above.line[l].ptr) {
			am_buf_put(&text, hs->above.line[l].ptr, hs->above.line[l].len);
			am_buf_putc(&text, '\n');
		}
	rc = am_compile__collect_part(&h->col, text.ptr ? text.ptr : "", text.size, 1, &doc, &blocks, &n);
	/* Each holds the cut: a section, whatever it would be alone (one that
	 * is a finding has a body the cut does not close, and the second half
	 * is not taken). */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = !blocks[i].level;
		blocks[i].candidate = false;
	}
	if (rc == 0 && !h->col.ndiags && !h->col.vm.ndoc) {
		c->one_title = h->titles_before == 1;
		am_compile__walk_blocks(c, blocks, n, n, false, &preamble);
		rc = c->error || c->nfindings || c->ndiags || c->nsummary || c->nmeta;
	} else {
		rc = 1;
	}
	free(blocks);
	am_md_free(doc);
	am_buf_free(&text);
	/* The title before the cut, when there is one, is the first half's:
	 * the second's walk only needs to know that there is one. */
	if (!c->doc_title_text && h->titles_before)
		c->doc_title_text = "";
	h->preamble = false;
	h->nsections = c->nsections;
	memcpy(h->sections, c->sections, (size_t)c->nsections * sizeof(section));
	return rc;
}

/* The second half's thread. */
static void *second_half(void *arg)
{
	halves *hs = arg;
	half *h = &hs->h[1];

	const cut_point *cut = hs->cuts[hs->cut];
	am_compile__headings_above(h->c->src, cut->at, cut->level, &hs->above);
	h->titles_before = hs->above.titles;
	h->rc = !hs->above.deeper || walk_above(hs, h);
	h->c->lookups = &h->lookups;
	for (size_t k = hs->cut + 1; h->rc == 0 && k <= hs->ncuts; k++) {
		if (atomic_load(&hs->stop) || add_part(hs, h, k) || walk_window(h, k == hs->ncuts))
			h->rc = 1;
	}
	h->titles = h->w.titles;
	am_compile__window_free(&h->w); /* its trees, on the thread that made them */
	return NULL;
}

/* Whether the first half, walked to the cut, left the state the second
 * took, and the second can follow it. */
static bool second_follows(const half *a, const half *b, int level)
{
	const ctx *c = a->c;
	int n = 0;

	if (b->rc || a->preamble != b->preamble || a->w.titles != b->titles_before ||
	    (c->doc_title_text != NULL) != (b->c->doc_title_text != NULL) ||
	    c->nfindings + b->c->nfindings > AM_MAX_FINDINGS)
		return false;
	/* The cut's heading closes the sections at its level and deeper. */
	while (n < c->nsections && c->sections[n].level < level)
		n++;
	if (n != b->nsections)
		return false;
	for (int i = 0; i < n; i++)
		if (!am_compile__same_section(&c->sections[i], &b->sections[i]))
			return false;
	return am_compile__lookups_hold(c, b->c->lookups);
}

/* The second half's findings, diagnostics, count-table rows and title or
 * date after the first's, in c. */
static void take_second(ctx *c, half *b)
{
	ctx *s = b->c;
	am_compile__append(c,
			   &(walk_output){ s->findings, s->nfindings, 0, s->diags, s->ndiags, s->summary,
					   s->nsummary, s->meta, s->nmeta, s->doc_title_text, s->date, s->sections,
					   s->nsections },
			   0);
	am_arena_adopt(c->arena, s->arena);
	s->arena = am_arena_new();
}

/* The index of cut `mid` among cuts[0..*ncuts), added when it is not one
 * (cuts has room for one more). */
static size_t add_cut(const cut_point **cuts, size_t *ncuts, const cut_point *mid)
{
	size_t i = 0;
	while (i < *ncuts && cuts[i]->at < mid->at)
		i++;
	if (i < *ncuts && cuts[i] == mid)
		return i;
	memmove(cuts + i + 1, cuts + i, (*ncuts - i) * sizeof(*cuts));
	cuts[i] = mid;
	++*ncuts;
	return i;
}

static int half_init(half *h, ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool own)
{
	int rc = 0;
	memset(h, 0, sizeof(*h));
	h->c = c;
	h->preamble = true;
	if (own) {
		h->c = &h->own;
		rc = am_compile__ctx_init(&h->own, opts, vocab, false);
		am_compile__share_source(&h->own, c);
		h->own.keep_trees = true;
		h->w.base = 1; /* not the audit's first block */
	}
	if (rc == 0)
		rc = am_compile__ctx_init(&h->col, opts, vocab, false);
	am_compile__share_source(&h->col, c);
	return rc;
}

static void half_free(half *h)
{
	am_compile__window_free(&h->w);
	am_compile__ctx_free(&h->col);
	if (h->c == &h->own)
		am_compile__ctx_free(&h->own);
	am_buf_free(&h->lookups);
}

int am_compile__compile_halves(ctx *c, const am_compile_options *opts, const am_vocab *vocab,
			       const cut_point *places, size_t n, const cut_point **cuts, size_t ncuts)
{
	halves hs;
	half *a = &hs.h[0], *b = &hs.h[1];
	am_thread *second = NULL;
	const cut_point *mid = am_compile__middle_cut(places, n, c->srclen);
	int rc;

	memset(&hs, 0, sizeof(hs));
	hs.cut = mid ? add_cut(cuts, &ncuts, mid) : ncuts;
	hs.cuts = cuts;
	hs.ncuts = ncuts;
	atomic_init(&hs.stop, false);
	rc = half_init(a, c, opts, vocab, false);
	bool ahead = rc == 0 && mid;
	if (ahead) {
		ahead = half_init(b, c, opts, vocab, true) == 0;
		ahead = ahead && am_jobs__start(&second, second_half, &hs) == 0;
	}
	c->keep_trees = true;
	for (size_t k = 0; rc == 0 && k <= ncuts; k++) {
		if ((rc = add_part(&hs, a, k)) != 0)
			break;
		if (ahead && k == hs.cut) {
			int body, field, level = cuts[k]->level;
			am_compile__window_open(&a->w, &body, &field);
			/* Whether the cut's heading closes the first half. When
			 * that does not hang on how the second half starts, the
			 * rest of the first is walked while the second runs. */
			bool closes = level <= body && level <= field;
			if (closes && (rc = walk_window(a, true)) != 0)
				break;
			am_jobs__join(second);
			ahead = false;
			if (!closes && level <= body && !b->first_field) {
				closes = true;
				if ((rc = walk_window(a, true)) != 0)
					break;
			}
			if (closes) {
				if (second_follows(a, b, level)) {
					take_second(c, b);
					a->w.titles += b->titles;
					a->one_title_used |= b->one_title_used;
					break;
				}
				continue;
			}
		}
		rc = walk_window(a, k == ncuts);
	}
	c->keep_trees = false;
	if (ahead) {
		atomic_store(&hs.stop, true);
		am_jobs__join(second);
	}
	if (rc == 0 && a->one_title_used && a->w.titles != 1)
		rc = 1;
	c->one_title = a->w.titles == 1;
	half_free(a);
	if (b->c)
		half_free(b);
	return rc < 0 ? 1 : rc;
}
