/*
 * compile_pieces.c: a large audit compiled in pieces on two threads at
 * once. The audit is cut at headings near the places that share it
 * evenly, each of the shallowest level found there (am_compile__piece_cut):
 * two pieces, or more for an audit many times the split size, up to
 * AM_COMPILE__MAX_PIECES. The caller's thread parses and walks the first
 * piece part by part (am_compile__find_cuts) in the audit's context, while
 * a thread of its own does the same with the second, from the walk's
 * state that the first will most likely leave: the sections of the
 * headings above the cut (their lines read alone), past the preamble, with
 * as many level-1 headings before it as their lines show. The pieces after
 * them go to whichever thread is free first, each in a context of its own,
 * from the state the headings above it give: a thread slowed down by
 * anything else on the machine takes fewer. Each part is walked right
 * after it is parsed, by the thread that parsed it.
 *
 * Then, piece after piece, a piece is taken as it was compiled when the
 * pieces before it end as one pass would end them there, in the state it
 * took: the cut's heading closes every body and judgement of the piece
 * before (am_compile__window_open); the open sections above the cut, the
 * preamble, the title and the count of level-1 headings are the same; and
 * no lookup the piece made among earlier findings (an item's ID scheme, a
 * finding listed again) finds one in the pieces before. Otherwise the
 * caller's thread goes on alone from that cut, as one pass does (or, when
 * the piece before it cannot end there, the audit is compiled again in
 * one pass). Either way the findings, diagnostics and metadata are one
 * pass's, in order, in the audit's context.
 */
#include <stdatomic.h>
#include <string.h>

#include "compile_int.h"
#include "jobs.h"

/* One piece: its walk's context and its collector, its window, and what
 * its walk took the state before it to be. */
typedef struct {
	ctx *c;
	ctx own; /* a later piece's walk (the first's is the audit's) */
	ctx col;
	window w;
	bool preamble, one_title_used;
	size_t titles_before; /* level-1 headings before the piece */
	size_t titles;        /* its own, once walked */
	bool first_field;     /* its first heading is a field heading */
	section sections[AM_MAX_NESTING]; /* open where it starts */
	int nsections;
	am_buf lookups;
	bool closes; /* the cut it ends at closes its bodies (its window walked) */
	int body;    /* the level of the body open at that cut, 7 for none */
	int rc;      /* 0: compiled; 1: not as one pass would */
	bool inited;
} piece;

typedef struct {
	const cut_point *const *cuts;
	size_t ncuts; /* part k runs from cut k-1 to cut k */
	const cut_point *heads;
	size_t nheads; /* every heading the cuts are found among */
	size_t npieces;
	size_t bound[AM_COMPILE__MAX_PIECES]; /* piece j > 0 starts at part bound[j] + 1 */
	piece h[AM_COMPILE__MAX_PIECES];
	atomic_size_t next; /* the next piece a thread takes */
	atomic_bool stop;   /* the pieces are needed no more */
	ctx *c;             /* the audit's */
	const am_compile_options *opts;
	const am_vocab *vocab;
} pieces;

/* Parses part k into the piece's window (`first`: the piece's first
 * part); 1 when the parts cannot give what one pass gives (an error, a
 * diagnostic or a legend while collecting). */
static int add_part(pieces *ps, piece *h, size_t k, bool first)
{
	ctx *c = h->c;
	size_t from = k ? ps->cuts[k - 1]->at : 0, to = k < ps->ncuts ? ps->cuts[k]->at : c->srclen;
	size_t ndiags = h->col.ndiags, n = 0;
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	int rc = am_compile__collect_part(&h->col, c->src + from, to - from, k ? ps->cuts[k - 1]->line : 1,
					  &doc, &blocks, &n);
	if (rc != 0 || h->col.ndiags != ndiags || h->col.vm.ndoc) {
		free(blocks);
		am_md_free(doc);
		return 1;
	}
	if (first)
		h->first_field = n && blocks[0].field_heading;
	/* Its heading texts stay in the collector's arena: the walk copies
	 * into the piece's context what it keeps of them. */
	am_compile__window_add(&h->w, &h->col, doc, blocks, n);
	return 0;
}

/* Walks what the piece's window lets it (all of it when `all`). */
static int walk_window(piece *h, bool all)
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

static int piece_init(piece *h, ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool own)
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
	h->inited = true;
	return rc;
}

static void piece_free(piece *h)
{
	if (!h->inited)
		return;
	am_compile__window_free(&h->w);
	am_compile__ctx_free(&h->col);
	if (h->c == &h->own)
		am_compile__ctx_free(&h->own);
	am_buf_free(&h->lookups);
}

/* A piece's walk starts in the state the headings above its cut leave
 * (`above`): their lines parsed alone and walked, giving no finding. */
static int walk_above(const heading_chain *above, piece *h)
{
	ctx *c = h->c;
	am_buf text = AM_BUF_INIT;
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	size_t n = 0;
	bool preamble = true;
	int rc;

	for (int l = 0; l < 6; l++)
		if (above->line[l].ptr) {
			am_buf_put(&text, above->line[l].ptr, above->line[l].len);
			am_buf_putc(&text, '\n');
		}
	rc = am_compile__collect_part(&h->col, text.ptr ? text.ptr : "", text.size, 1, &doc, &blocks, &n);
	/* Each holds the cut: a section, whatever it would be alone (one that
	 * is a finding has a body the cut does not close, and the piece is
	 * not taken). */
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
	/* The title before the cut, when there is one, is an earlier piece's:
	 * this one's walk only needs to know that there is one. */
	if (!c->doc_title_text && h->titles_before)
		c->doc_title_text = "";
	h->preamble = false;
	h->nsections = c->nsections;
	memcpy(h->sections, c->sections, (size_t)c->nsections * sizeof(section));
	return rc;
}

/* The last part of piece j. */
static size_t last_part(const pieces *ps, size_t j)
{
	return j + 1 < ps->npieces ? ps->bound[j + 1] : ps->ncuts;
}

/* The piece walked to the cut it ends at, of `level`: whether the cut
 * closes every body and judgement of the piece; when that does not hang
 * on how the next piece starts, the rest of its window is walked. */
static int end_at_cut(piece *h, int level)
{
	int field;
	am_compile__window_open(&h->w, &h->body, &field);
	h->closes = level <= h->body && level <= field;
	return h->closes ? walk_window(h, true) : 0;
}

/* Piece j (j > 0), by whichever thread takes it: from the state the
 * headings above it leave, in a context of its own. */
static void run_piece(pieces *ps, size_t j)
{
	piece *h = &ps->h[j];
	const cut_point *cut = ps->cuts[ps->bound[j]];
	heading_chain above;
	size_t last = last_part(ps, j);

	if (piece_init(h, ps->c, ps->opts, ps->vocab, true) != 0) {
		h->rc = 1;
		return;
	}
	am_compile__chain_above(ps->heads, ps->nheads, h->c->src, cut->at, cut->level, &above);
	h->titles_before = above.titles;
	h->rc = !above.deeper || walk_above(&above, h);
	h->c->lookups = &h->lookups;
	for (size_t k = ps->bound[j] + 1; h->rc == 0 && k <= last; k++) {
		if (atomic_load(&ps->stop) || add_part(ps, h, k, k == ps->bound[j] + 1) ||
		    walk_window(h, k == ps->ncuts))
			h->rc = 1;
	}
	if (h->rc == 0 && last < ps->ncuts && end_at_cut(h, ps->cuts[last]->level) != 0)
		h->rc = 1;
	h->titles = h->w.titles;
	/* Its trees, on the thread that made them: a piece whose window goes
	 * on past its cut is not taken. */
	am_compile__window_free(&h->w);
}

/* The pieces after the first not yet taken, taken one by one. */
static void take_pieces(pieces *ps)
{
	size_t j;
	while ((j = atomic_fetch_add(&ps->next, 1)) < ps->npieces)
		run_piece(ps, j);
}

/* The other thread: the second piece, then any left. */
static void *other_thread(void *arg)
{
	pieces *ps = arg;
	run_piece(ps, 1);
	take_pieces(ps);
	return NULL;
}

/* Whether the pieces before b, walked to its cut of `level` (their state
 * in a: the audit's context and its counts), left the state b took, and b
 * can follow them. */
static bool follows(const piece *a, const piece *b, int level)
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

/* Piece b's findings, diagnostics, count-table rows and title or date
 * after those in the audit's context, and its state in a's. */
static void take(piece *a, piece *b)
{
	ctx *c = a->c, *s = b->c;
	am_compile__append(c,
			   &(walk_output){ s->findings, s->nfindings, 0, s->diags, s->ndiags, s->summary,
					   s->nsummary, s->meta, s->nmeta, s->doc_title_text, s->date, s->sections,
					   s->nsections },
			   0);
	am_arena_adopt(c->arena, s->arena);
	s->arena = am_arena_new();
	a->w.titles += b->titles;
	a->one_title_used |= b->one_title_used;
	a->preamble = b->preamble;
}

/* The index of cut `mid` among cuts[0..*ncuts), added when it is not one
 * (cuts has room for it). */
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

/* The pieces' first cuts, near the places that share the audit evenly,
 * added to cuts[0..*ncuts): how many pieces (1: the audit is not cut). */
static size_t choose_pieces(pieces *ps, const cut_point *places, size_t n, const cut_point **cuts, size_t *ncuts,
			    size_t len, size_t split_min)
{
	size_t want = len / split_min / 2, np = 1;
	const cut_point *at[AM_COMPILE__MAX_PIECES];
	/* An even number: two threads, each as many pieces as the other
	 * when neither is held up. */
	want = want < 2 ? 2 : want > AM_COMPILE__MAX_PIECES ? AM_COMPILE__MAX_PIECES : want & ~(size_t)1;
	for (size_t j = 1; j < want; j++) {
		const cut_point *cut =
			am_compile__piece_cut(places, n, len / want * j, len / want / 8, np > 1 ? at[np - 1] : NULL);
		if (cut)
			at[np++] = cut;
	}
	for (size_t j = 1; j < np; j++)
		add_cut(cuts, ncuts, at[j]);
	for (size_t j = 1, i = 0; j < np; j++) {
		while (cuts[i] != at[j])
			i++;
		ps->bound[j] = i;
	}
	return np;
}

int am_compile__compile_pieces(ctx *c, const am_compile_options *opts, const am_vocab *vocab,
			       const cut_point *places, size_t n, const cut_point *heads, size_t nheads,
			       const cut_point **cuts, size_t ncuts)
{
	pieces ps;
	piece *a = &ps.h[0];
	am_thread *other = NULL;
	size_t resume = 0; /* the part the caller's thread goes on alone from */
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.opts = opts;
	ps.vocab = vocab;
	/* On one thread: one piece, its parts parsed and walked in turn. */
	ps.npieces = opts && opts->threads == 1
			     ? 1
			     : choose_pieces(&ps, places, n, cuts, &ncuts, c->srclen,
					     opts && opts->split_min ? opts->split_min : AM_DEFAULT_SPLIT_MIN);
	ps.cuts = cuts;
	ps.ncuts = ncuts;
	ps.heads = heads;
	ps.nheads = nheads;
	atomic_init(&ps.stop, false);
	atomic_init(&ps.next, 2);
	rc = piece_init(a, c, opts, vocab, false);
	if (rc != 0 || (ps.npieces > 1 && am_jobs__start(&other, other_thread, &ps) != 0))
		ps.npieces = 1;
	c->keep_trees = true;
	/* The first piece; the rest of the audit when there is no other. */
	size_t last = last_part(&ps, 0);
	for (size_t k = 0; rc == 0 && k <= last; k++)
		if ((rc = add_part(&ps, a, k, false)) == 0)
			rc = k < last || last == ps.ncuts ? walk_window(a, k == ps.ncuts)
							  : end_at_cut(a, cuts[k]->level);
	if (rc == 0)
		take_pieces(&ps);
	else
		atomic_store(&ps.stop, true);
	am_jobs__join(other);
	/* The pieces in order, each after the ones before. */
	for (size_t j = 1; rc == 0 && j < ps.npieces; j++) {
		piece *prev = &ps.h[j - 1], *b = &ps.h[j];
		int level = cuts[ps.bound[j]]->level;
		/* The cut closes the first piece, too, when its body stops
		 * there: when the next piece does not start with a field
		 * heading. */
		if (j == 1 && !a->closes && level <= a->body && !b->first_field) {
			a->closes = true;
			if ((rc = walk_window(a, true)) != 0)
				break;
		}
		if (!prev->closes) {
			/* The first piece's window is the audit's: the caller's
			 * thread goes on with it from the cut. A later piece's
			 * was its own: it goes on from where that one started. */
			resume = j == 1 ? ps.bound[1] + 1 : ps.bound[j - 1] + 1;
			break;
		}
		if (j > 1)
			take(a, prev);
		if (!follows(a, b, level)) {
			resume = ps.bound[j] + 1;
			break;
		}
		if (j + 1 == ps.npieces)
			take(a, b);
	}
	for (size_t k = resume; rc == 0 && resume && k <= ps.ncuts; k++)
		if ((rc = add_part(&ps, a, k, false)) == 0)
			rc = walk_window(a, k == ps.ncuts);
	c->keep_trees = false;
	if (rc == 0 && a->one_title_used && a->w.titles != 1)
		rc = 1;
	c->one_title = a->w.titles == 1;
	for (size_t j = 0; j < AM_COMPILE__MAX_PIECES; j++)
		piece_free(&ps.h[j]);
	return rc < 0 ? 1 : rc;
}
