/*
 * compile_split.c: the parts of an audit and the threads that compile
 * them. A large audit (the option split_min, 1 MiB by default, or more)
 * is cut where its parts parse exactly as the whole does (find_cuts), into
 * parts of an eighth of split_min; while one thread parses a part and
 * collects its top-level blocks with the headings judged, the other walks
 * the blocks collected before, in order, with the audit's one context, so
 * that the walk is the one pass's and only a few parts' trees are in
 * memory at once (am_compile__compile_parts, below). An audit under the
 * split size, one with no place to cut, one compiled with threads = 1, or
 * one the parts cannot compile as one pass does (a legend, see below) is
 * one part. Hands on the context holding the whole audit's findings,
 * diagnostics and metadata.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "jobs.h"

/* ---- where to cut ------------------------------------------------------------ */

/*
 * Where a large audit can be cut into parts that parse exactly as the
 * whole does: at an ATX heading in column 1, outside fenced code and HTML
 * blocks, in a document without link reference definitions (they act
 * across the whole document). The walk goes on from part to part, so any
 * such heading would do; a cut is at one no deeper than the heading before
 * it (not the first sub-heading of a finding, whose body would then reach
 * past the cut and hold the walk back), of the shallowest level found near
 * where the parts share the text evenly, closest to it. am_compile__find_split
 * says where an audit would be cut in two: near the middle (the middle
 * quarter of the text, else the middle half).
 */

/* A line that may define a link reference: '[' first after any indent or
 * block-quote marks, and "]:" further on. */
static bool maybe_link_def(const char *l, size_t n)
{
	size_t k = 0;
	while (k < n && (l[k] == ' ' || l[k] == '\t' || l[k] == '>'))
		k++;
	return k < n && l[k] == '[' && memmem(l + k, n - k, "]:", 2);
}

static bool is_blank(const char *l, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (l[k] != ' ' && l[k] != '\t')
			return false;
	return true;
}

/* The blocks the scan is in, line after line. */
typedef struct {
	char fence; /* '`' or '~' inside fenced code, else 0 */
	int fence_len, fence_ind;
	char html_end; /* inside an HTML block: 'b' ends at a blank line, 'c' at html_close */
	const char *html_close;
	bool uncertain; /* code can no longer be told from text: no cut from here */
} scan_state;

/* A line l[0..n), indented `ind` spaces, in fenced code. */
static void fenced_line(scan_state *st, const char *l, size_t n, size_t ind)
{
	/* A fence opened indented (in a list item, maybe) is closed by a line
	 * indented less if its item ends there, and a later fence line then
	 * opens a block instead: past that, the scan cannot tell code from
	 * text, so no cut. */
	if (st->fence_ind > 0 && !is_blank(l, n) && ind < (size_t)st->fence_ind) {
		st->uncertain = true;
		return;
	}
	/* A closing fence: the same character, at least as long. */
	size_t k = ind;
	while (k < n && l[k] == st->fence)
		k++;
	if (ind < 4 && (int)(k - ind) >= st->fence_len) {
		size_t r = k;
		while (r < n && am_isspace((unsigned char)l[r]))
			r++;
		if (r == n)
			st->fence = 0;
	}
}

/* A line starting with three backticks or tildes: a fence opens unless a
 * backtick follows on the line. */
static void fence_start(scan_state *st, const char *l, size_t n, size_t ind)
{
	size_t k = ind;
	while (k < n && l[k] == l[ind])
		k++;
	if (k - ind >= 3 && !(l[ind] == '`' && memchr(l + k, '`', n - k))) {
		st->fence = l[ind];
		st->fence_len = (int)(k - ind);
		st->fence_ind = (int)ind;
	}
}

/* A line starting with '<': an HTML block. Types 1-5 end at their closing
 * marker, the others at a blank line. */
static void html_start(scan_state *st, const char *l, size_t n, size_t ind)
{
	static const struct {
		const char *open, *close;
	} kinds[] = {
		{ "<script", "</script>" }, { "<pre", "</pre>" }, { "<style", "</style>" },
		{ "<textarea", "</textarea>" }, { "<!--", "-->" }, { "<?", "?>" },
		{ "<![CDATA[", "]]>" }, { "<!", ">" },
	};

	st->html_end = 'b';
	st->html_close = NULL;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (n - ind >= strlen(kinds[k].open) &&
		    !strncasecmp(l + ind, kinds[k].open, strlen(kinds[k].open))) {
			st->html_end = 'c';
			st->html_close = kinds[k].close;
			break;
		}
	if (st->html_end == 'c' && memmem(l + ind + 2, n - ind - 2, st->html_close, strlen(st->html_close)))
		st->html_end = 0;
	else if (st->html_end == 'b' && is_blank(l, n))
		st->html_end = 0;
}

/* The level of an ATX heading line ("## Title"), else 0. */
static int atx_level(const char *l, size_t n)
{
	int level = 0;
	while ((size_t)level < n && l[level] == '#')
		level++;
	return level <= 6 && ((size_t)level == n || l[level] == ' ' || l[level] == '\t') ? level : 0;
}

/* Reads line l[0..n): -1 when the document can have no cut (a link
 * reference definition), the level of an ATX heading in column 1 outside
 * code and HTML, else 0. */
static int scan_line(scan_state *st, const char *l, size_t n)
{
	size_t ind = 0;
	while (ind < n && ind < 4 && l[ind] == ' ')
		ind++;
	if (st->uncertain)
		return maybe_link_def(l, n) ? -1 : 0; /* link definitions act wherever they are */
	if (st->fence) {
		fenced_line(st, l, n, ind);
		return 0;
	}
	if (st->html_end) {
		if (st->html_end == 'b' ? is_blank(l, n)
					: st->html_close && memmem(l, n, st->html_close, strlen(st->html_close)))
			st->html_end = 0;
		return 0;
	}
	if (ind < 4 && n - ind >= 3 && (l[ind] == '`' || l[ind] == '~')) {
		fence_start(st, l, n, ind);
		return 0;
	}
	if (ind < 4 && ind < n && l[ind] == '<') {
		html_start(st, l, n, ind);
		return 0;
	}
	if (maybe_link_def(l, n))
		return -1; /* maybe in a list or quote */
	return n > 0 && l[0] == '#' ? atx_level(l, n) : 0;
}

/* A place to cut: an ATX heading of `level` at byte `at`, line `line`. */
typedef struct {
	size_t at;
	uint32_t line;
	int level;
} cut_point;

/* The places text[0..len) can be cut (see above), in order, in *out
 * (free()); false when there is none (a link reference definition). */
static bool find_cuts(const char *s, size_t len, cut_point **out, size_t *nout)
{
	scan_state st = { 0, 0, 0, 0, NULL, false };
	int prev_level = 0;
	bool first_heading = true;
	size_t n = 0, cap = 0;
	uint32_t line = 1;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		int level = scan_line(&st, s + i, e - i);
		if (level < 0) {
			free(*out);
			*out = NULL;
			return false;
		}
		if (level > 0) {
			/* Not the title, nor deeper than the heading before. */
			if (!(first_heading && level == 1) && level <= prev_level) {
				am_grow((void **)out, &cap, n + 1, sizeof(cut_point));
				(*out)[n++] = (cut_point){ i, line, level };
			}
			first_heading = false;
			prev_level = level;
		}
		i = e + 1;
	}
	*nout = n;
	return true;
}

/* The cut among k[0..n) closest to byte `mid` of the shallowest level
 * within `width` bytes of it, after byte `after`; NULL when none. */
static const cut_point *cut_near(const cut_point *k, size_t n, size_t mid, size_t width, size_t after)
{
	const cut_point *best = NULL;
	size_t best_d = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = k[i].at > mid ? k[i].at - mid : mid - k[i].at;
		if (k[i].at <= after || d > width)
			continue;
		if (!best || k[i].level < best->level || (k[i].level == best->level && d < best_d)) {
			best = &k[i];
			best_d = d;
		}
	}
	return best;
}

size_t am_compile__find_split(const char *s, size_t len, size_t min, uint32_t *split_line)
{
	cut_point *k = NULL;
	size_t n = 0;
	const cut_point *cut = NULL;

	*split_line = 0;
	if (len < min || !len || !find_cuts(s, len, &k, &n))
		return 0;
	/* The middle quarter, else the middle half. */
	if (!(cut = cut_near(k, n, len / 2, len / 8, 0)))
		cut = cut_near(k, n, len / 2, len / 4, 0);
	size_t at = cut ? cut->at : 0;
	*split_line = cut ? cut->line : 0;
	free(k);
	return at;
}

/* ---- one pass ------------------------------------------------------------------ */

/* The number of level-1 headings among blocks[0..n). */
static size_t count_titles(const block_info *blocks, size_t n)
{
	size_t h1 = 0;
	for (size_t i = 0; i < n; i++)
		h1 += blocks[i].level == 1;
	return h1;
}

/* The whole audit parsed, its blocks collected and judged, then walked. */
static int compile_one(ctx *c)
{
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	size_t n = 0;
	bool preamble = true;
	int rc;

	if ((rc = am_md_parse(&doc, c->src, c->srclen)) < 0)
		return rc;
	am_compile__collect_blocks(c, am_md_root(doc), 0, &blocks, &n);
	if (!c->error) {
		/* The deepest findings win. A single level-1 heading is the
		 * audit's title wherever it stands (a dated entry may be
		 * prepended above it); of several, only a first one at the very
		 * top is. */
		am_compile__demote_outer(blocks, n);
		c->one_title = count_titles(blocks, n) == 1;
		am_compile__walk_blocks(c, blocks, n, n, true, &preamble);
	}
	free(blocks);
	am_md_free(doc);
	return c->error;
}

/* ---- parts: one walked while the next is parsed ------------------------------- */

/*
 * A large audit is cut into parts of an eighth of split_min. One thread
 * parses a part and collects its blocks (a context of its own, with no
 * walk state: `collector`) while the other walks the blocks collected
 * before (the audit's context, c): the walk is the one pass's, block after
 * block by one context, and only two or three parts' trees are in memory
 * at once. The walk stops short of what the next part may still change:
 * a heading whose judgement reads on past the blocks collected (its field
 * sub-headings), a finding whose body runs to their end. Once the next
 * part is in, the last heading not judged on all of its body is judged
 * again, and which findings win (the deepest) is decided again from the
 * judgements.
 *
 * One pass knows every legend and every level-1 heading before it walks.
 * Parts hold when the audit has no legend, and when the count of level-1
 * headings known so far (which makes one of them the title or a section)
 * is never taken for one that later parts change; an error or a
 * diagnostic while collecting goes the one pass's way too. Otherwise 1:
 * the audit is compiled again in one pass.
 */

typedef struct {
	am_md_doc *doc;
	size_t end; /* its blocks end before this index of the audit's */
} part_tree;

typedef struct {
	ctx *c;
	ctx collector;
	const cut_point *const *cuts;
	size_t ncuts, next; /* part k runs from cut k-1 to cut k; the next to collect */
	/* The blocks collected and not yet walked, the first being the
	 * audit's block `base`, and their judgements (before the deepest
	 * findings win). */
	block_info *win;
	bool *judged;
	size_t nwin, capwin, capjudged, base;
	part_tree *trees;
	size_t ntrees, captrees;
	bool preamble;
	size_t titles;       /* level-1 headings collected */
	bool one_title_used; /* a walk took "the only one" as known */
	/* the jobs of a step: the walk up to `stop`, the next part collected */
	size_t stop, walked;
	am_md_doc *doc;
	block_info *blocks;
	size_t nblocks;
	int rc;
} pipeline;

/* Part k of the pipeline's audit: bytes [*from, *to), its first line. */
static uint32_t part_range(const pipeline *pl, size_t k, size_t *from, size_t *to)
{
	*from = k ? pl->cuts[k - 1]->at : 0;
	*to = k < pl->ncuts ? pl->cuts[k]->at : pl->c->srclen;
	return k ? pl->cuts[k - 1]->line : 1;
}

static int pipeline_job(void *job, void *payload)
{
	pipeline *pl = payload;
	if (*(int *)job == 0) {
		pl->walked = am_compile__walk_blocks(pl->c, pl->win, pl->stop, pl->nwin, pl->base == 0,
						     &pl->preamble);
		return 0;
	}
	size_t from, to;
	uint32_t line = part_range(pl, pl->next, &from, &to);
	int rc = am_md_parse(&pl->doc, pl->c->src + from, to - from);
	if (rc == 0)
		am_compile__collect_blocks(&pl->collector, am_md_root(pl->doc), line - 1, &pl->blocks,
					   &pl->nblocks);
	pl->rc = rc < 0 ? rc : pl->collector.error;
	return 0;
}

/* Whether heading blocks[i]'s judgement reads on to the end of blocks[0..n)
 * (am_compile__judge_heading: finding fields up to a heading that is not
 * one of its field headings). */
static bool judged_to_end(const block_info *blocks, size_t i, size_t n)
{
	if (!blocks[i].level || blocks[i].field_heading)
		return false;
	for (size_t k = i + 1; k < n; k++)
		if (blocks[k].level && (!blocks[k].field_heading || blocks[k].level <= blocks[i].level))
			return false;
	return true;
}

/* The last heading of the window that is not a field heading (the only
 * one whose judgement can read to its end), or nwin. */
static size_t last_judged(const pipeline *pl)
{
	for (size_t i = pl->nwin; i-- > 0;)
		if (pl->win[i].level && !pl->win[i].field_heading)
			return i;
	return pl->nwin;
}

/* Blocks walked go; trees all of whose blocks are walked are freed. */
static void drop_walked(pipeline *pl)
{
	size_t w = pl->walked, k = 0;
	if (w && w < pl->nwin) {
		memmove(pl->win, pl->win + w, (pl->nwin - w) * sizeof(block_info));
		memmove(pl->judged, pl->judged + w, (pl->nwin - w) * sizeof(bool));
	}
	pl->nwin -= w;
	pl->base += w;
	while (k < pl->ntrees && pl->trees[k].end <= pl->base)
		am_md_free(pl->trees[k++].doc);
	if (k && k < pl->ntrees)
		memmove(pl->trees, pl->trees + k, (pl->ntrees - k) * sizeof(part_tree));
	pl->ntrees -= k;
}

/* The part just collected joins the window: the last heading judged to
 * the window's end is judged again with it. */
static void add_part(pipeline *pl)
{
	size_t last = last_judged(pl);
	bool again = last < pl->nwin && judged_to_end(pl->win, last, pl->nwin);
	size_t n = pl->nwin + pl->nblocks;

	am_grow((void **)&pl->win, &pl->capwin, n, sizeof(block_info));
	am_grow((void **)&pl->judged, &pl->capjudged, n, sizeof(bool));
	if (pl->nblocks)
		memcpy(pl->win + pl->nwin, pl->blocks, pl->nblocks * sizeof(block_info));
	for (size_t i = 0; i < pl->nblocks; i++)
		pl->judged[pl->nwin + i] = pl->blocks[i].candidate;
	pl->nwin = n;
	free(pl->blocks);
	pl->blocks = NULL;
	am_grow((void **)&pl->trees, &pl->captrees, pl->ntrees + 1, sizeof(part_tree));
	pl->trees[pl->ntrees++] = (part_tree){ pl->doc, pl->base + n };
	pl->doc = NULL;
	/* The heading texts live in the collector's arena: the audit's now. */
	am_arena_adopt(pl->c->arena, pl->collector.arena);
	pl->collector.arena = am_arena_new();
	if (again) {
		am_compile__judge_heading(&pl->collector, pl->win, last, n);
		pl->judged[last] = pl->win[last].candidate;
	}
	pl->titles += count_titles(pl->win + n - pl->nblocks, pl->nblocks);
	pl->nblocks = 0;
}

/* How far the walk can go before what a part still to come may change:
 * `all` when every part is in. The deepest findings win, from the
 * judgements. */
static size_t walk_stop(pipeline *pl, bool all)
{
	size_t i;
	for (i = 0; i < pl->nwin; i++)
		pl->win[i].candidate = pl->judged[i];
	am_compile__demote_outer(pl->win, pl->nwin);
	if (all)
		return pl->nwin;
	for (i = 0; i < pl->nwin; i++) {
		if (!pl->win[i].level)
			continue;
		if (judged_to_end(pl->win, i, pl->nwin))
			break;
		if (pl->win[i].candidate) {
			size_t end = am_compile__heading_end(pl->win, i, pl->nwin);
			if (end == pl->nwin)
				break;
			i = end - 1;
		}
	}
	return i;
}

/* One step: the walk up to `stop` and, when a part is left, the next one
 * collected, at once. */
static int step(pipeline *pl, size_t stop, bool collect)
{
	int jobs[2] = { 0, 1 };
	size_t ndiags = pl->collector.ndiags;

	pl->stop = stop;
	/* "The only level-1 heading" as far as known: a walk that meets a
	 * level-1 heading that is not a finding (past the very first block)
	 * takes it so. */
	pl->c->one_title = pl->titles == 1;
	for (size_t i = 0; i < stop && pl->c->one_title; i++)
		pl->one_title_used |= pl->win[i].level == 1 && !pl->win[i].candidate && pl->base + i > 0;
	pl->walked = 0;
	am_jobs__run(stop ? jobs : jobs + 1, (size_t)(stop != 0) + collect, sizeof(int), pipeline_job, pl,
		     2);
	if (pl->c->error || pl->rc < 0 || pl->collector.ndiags != ndiags || pl->collector.vm.ndoc)
		return 1;
	drop_walked(pl);
	if (collect) {
		add_part(pl);
		pl->next++;
	}
	return 0;
}

static int compile_pipeline(ctx *c, const am_compile_options *opts, const am_vocab *vocab,
			    const cut_point *const *cuts, size_t ncuts)
{
	pipeline pl;
	int rc;

	memset(&pl, 0, sizeof(pl));
	pl.c = c;
	pl.cuts = cuts;
	pl.ncuts = ncuts;
	pl.preamble = true;
	if ((rc = am_compile__ctx_init(&pl.collector, opts, vocab)) == 0) {
		pl.collector.src = c->src;
		pl.collector.srclen = c->srclen;
		pl.collector.line_off = c->line_off;
		pl.collector.nlines = c->nlines;
		am_md_init();
		while (rc == 0 && pl.next <= ncuts)
			rc = step(&pl, walk_stop(&pl, false), true);
		if (rc == 0)
			rc = step(&pl, walk_stop(&pl, true), false);
		if (rc == 0 && pl.nwin)
			rc = 1; /* cannot be: the last step walks all */
		if (rc == 0 && pl.one_title_used && pl.titles != 1)
			rc = 1;
		c->one_title = pl.titles == 1;
	}
	for (size_t k = 0; k < pl.ntrees; k++)
		am_md_free(pl.trees[k].doc);
	am_md_free(pl.doc);
	free(pl.blocks);
	free(pl.trees);
	free(pl.win);
	free(pl.judged);
	pl.collector.line_off = NULL; /* the audit's */
	am_compile__ctx_free(&pl.collector);
	return rc < 0 ? 1 : rc;
}

/* The cuts between parts of about `size` bytes of an audit of `len` bytes:
 * near the places that share it evenly, the shallowest and closest to
 * each within a quarter of a part. */
static size_t choose_cuts(const cut_point *k, size_t n, size_t len, size_t size, const cut_point **out)
{
	size_t nparts = (len + size / 2) / size, ncuts = 0;
	for (size_t i = 1; i < nparts; i++) {
		const cut_point *cut = cut_near(k, n, len / nparts * i, len / nparts / 4,
						ncuts ? out[ncuts - 1]->at : 0);
		if (cut)
			out[ncuts++] = cut;
	}
	return ncuts;
}

int am_compile__compile_parts(ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool parts)
{
	size_t size = opts && opts->split_min ? opts->split_min : AM_DEFAULT_SPLIT_MIN;
	cut_point *k = NULL;
	const cut_point **cuts = NULL;
	size_t n = 0, ncuts = 0;
	int rc;

	/* Parts of an eighth of split_min: the first is parsed alone, then
	 * the walk of one goes with the parsing of the next. */
	size_t part = size / 8 ? size / 8 : 1;
	if (parts && !(opts && opts->threads == 1) && c->srclen >= size &&
	    find_cuts(c->src, c->srclen, &k, &n)) {
		cuts = am_xmalloc((c->srclen / part + 2) * sizeof(*cuts));
		ncuts = choose_cuts(k, n, c->srclen, part, cuts);
	}
	am_md_init();
	rc = ncuts ? compile_pipeline(c, opts, vocab, cuts, ncuts) : compile_one(c);
	free(cuts);
	free(k);
	return rc;
}
