/*
 * compile_split.c: the parts of an audit. A large audit (the option
 * split_min, 1 MiB by default, or more) is cut where its parts parse
 * exactly as the whole does (find_cuts), into parts of an eighth of
 * split_min, each parsed alone and its top-level blocks collected with the
 * headings judged; a window holds the blocks collected and not yet walked,
 * and says how far a walk can go before parts still to come may change
 * what it walks. compile_pieces.c walks the parts of pieces at once (of
 * one piece, on the caller's thread alone, with threads = 1),
 * compile_cache.c a revision's parts unit by unit. An audit under the
 * split size, one with no place to cut, or one the parts cannot compile as
 * one pass does (a legend) is compiled in one pass, here
 * (am_compile__compile_parts). Hands on the context holding
 * the whole audit's findings, diagnostics and metadata.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "compile_int.h"

/* ---- where to cut ------------------------------------------------------------ */

/*
 * Where a large audit can be cut into parts that parse exactly as the
 * whole does: at an ATX heading in column 1, outside fenced code and HTML
 * blocks, in a document without link reference definitions (they act
 * across the whole document). The walk goes on from part to part, so any
 * such heading would do; a cut is at one no deeper than the heading before
 * it (not the first sub-heading of a finding, whose body would then reach
 * past the cut and hold the walk back), of the shallowest level found near
 * where the parts share the text evenly, closest to it. An audit is cut
 * in pieces (compile_pieces.c) at am_compile__piece_cut, in two halves at
 * am_compile__middle_cut, and am_compile__find_split says where.
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

bool am_compile__find_cuts_heads(const char *s, size_t len, cut_point **out, size_t *nout, cut_point **heads,
				 size_t *nheads)
{
	scan_state st = { 0, 0, 0, 0, NULL, false };
	int prev_level = 0;
	bool first_heading = true;
	size_t n = 0, cap = 0, nh = 0, caph = 0;
	uint32_t line = 1;

	*out = NULL;
	*nout = 0;
	if (heads) {
		*heads = NULL;
		*nheads = 0;
	}
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		int level = scan_line(&st, s + i, e - i);
		if (level < 0) {
			free(*out);
			*out = NULL;
			if (heads) {
				free(*heads);
				*heads = NULL;
			}
			return false;
		}
		if (level > 0) {
			/* Not the title, nor deeper than the heading before. */
			if (!(first_heading && level == 1) && level <= prev_level) {
				am_grow((void **)out, &cap, n + 1, sizeof(cut_point));
				(*out)[n++] = (cut_point){ i, line, level };
			}
			if (heads) {
				am_grow((void **)heads, &caph, nh + 1, sizeof(cut_point));
				(*heads)[nh++] = (cut_point){ i, line, level };
			}
			first_heading = false;
			prev_level = level;
		}
		i = e + 1;
	}
	*nout = n;
	if (heads)
		*nheads = nh;
	return true;
}

bool am_compile__find_cuts(const char *s, size_t len, cut_point **out, size_t *nout)
{
	return am_compile__find_cuts_heads(s, len, out, nout, NULL, NULL);
}

void am_compile__chain_above(const cut_point *heads, size_t nheads, const char *s, size_t at, int level,
			     heading_chain *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nheads && heads[i].at < at; i++) {
		int l = heads[i].level;
		const char *nl = memchr(s + heads[i].at, '\n', at - heads[i].at);
		size_t e = nl ? (size_t)(nl - s) : at;
		out->titles += l == 1;
		out->deeper |= l > 1;
		if (l < level) {
			out->line[l - 1] = (am_span){ s + heads[i].at, e - heads[i].at };
			for (int d = l; d < 6; d++)
				out->line[d] = (am_span){ NULL, 0 };
		}
	}
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

const cut_point *am_compile__piece_cut(const cut_point *k, size_t n, size_t target, size_t width,
				      const cut_point *after)
{
	const cut_point *best = NULL;
	size_t best_d = 0;
	for (size_t i = 0; i < n; i++) {
		if (after && k[i].at <= after->at)
			continue;
		size_t d = k[i].at > target ? k[i].at - target : target - k[i].at;
		bool near = d <= width, best_near = best && best_d <= width;
		if (!best || (near && !best_near) ||
		    (near == best_near && (near && k[i].level != best->level ? k[i].level < best->level : d < best_d))) {
			best = &k[i];
			best_d = d;
		}
	}
	return best;
}

const cut_point *am_compile__middle_cut(const cut_point *k, size_t n, size_t len)
{
	return am_compile__piece_cut(k, n, len / 2, len / 16, NULL);
}

size_t am_compile__find_split(const char *s, size_t len, size_t min, uint32_t *split_line)
{
	cut_point *k = NULL;
	size_t n = 0;

	*split_line = 0;
	if (len < min || !len || !am_compile__find_cuts(s, len, &k, &n))
		return 0;
	const cut_point *cut = am_compile__middle_cut(k, n, len);
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
static int compile_one(ctx *c, size_t split_min)
{
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	size_t n = 0;
	bool preamble = true;
	int rc;

	/* A tree in an arena, freed whole, unless the audit is large: its
	 * blocks then go back one by one as they are walked. */
	c->keep_trees = c->srclen < split_min;
	rc = c->keep_trees ? am_md_parse_part(&doc, c->src, c->srclen) : am_md_parse(&doc, c->src, c->srclen);
	if (rc < 0)
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
	c->keep_trees = false;
	return c->error;
}

/* ---- parts ----------------------------------------------------------------------- */

int am_compile__collect_part(ctx *collector, const char *text, size_t len, uint32_t line,
			     am_md_doc **doc, block_info **blocks, size_t *n)
{
	int rc = am_md_parse_part(doc, text, len);
	if (rc == 0)
		am_compile__collect_blocks(collector, am_md_root(*doc), line - 1, blocks, n);
	return rc < 0 ? rc : collector->error;
}

/* ---- the window: blocks collected, not yet walked -------------------------------- */

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
static size_t last_judged(const window *w)
{
	for (size_t i = w->nwin; i-- > 0;)
		if (w->win[i].level && !w->win[i].field_heading)
			return i;
	return w->nwin;
}

void am_compile__window_drop(window *w, size_t walked)
{
	size_t k = 0;
	if (walked && walked < w->nwin) {
		memmove(w->win, w->win + walked, (w->nwin - walked) * sizeof(block_info));
		memmove(w->judged, w->judged + walked, (w->nwin - walked) * sizeof(bool));
	}
	w->nwin -= walked;
	w->base += walked;
	for (; k < w->ntrees && w->trees[k].end <= w->base; k++)
		am_md_free(w->trees[k].doc);
	if (k && k < w->ntrees)
		memmove(w->trees, w->trees + k, (w->ntrees - k) * sizeof(part_tree));
	w->ntrees -= k;
}

void am_compile__window_add(window *w, ctx *judge, am_md_doc *doc, block_info *blocks, size_t nblocks)
{
	size_t last = last_judged(w);
	bool again = last < w->nwin && judged_to_end(w->win, last, w->nwin);
	size_t n = w->nwin + nblocks;

	am_grow((void **)&w->win, &w->capwin, n, sizeof(block_info));
	am_grow((void **)&w->judged, &w->capjudged, n, sizeof(bool));
	if (nblocks)
		memcpy(w->win + w->nwin, blocks, nblocks * sizeof(block_info));
	for (size_t i = 0; i < nblocks; i++)
		w->judged[w->nwin + i] = blocks[i].candidate;
	w->nwin = n;
	free(blocks);
	am_grow((void **)&w->trees, &w->captrees, w->ntrees + 1, sizeof(part_tree));
	w->trees[w->ntrees++] = (part_tree){ doc, w->base + n };
	if (again) {
		am_compile__judge_heading(judge, w->win, last, n);
		w->judged[last] = w->win[last].candidate;
	}
	w->titles += count_titles(w->win + n - nblocks, nblocks);
}

/* The candidates from the judgements, the deepest winning. */
static void window_demote(window *w)
{
	for (size_t i = 0; i < w->nwin; i++)
		w->win[i].candidate = w->judged[i];
	am_compile__demote_outer(w->win, w->nwin);
}

size_t am_compile__window_stop(window *w, bool all)
{
	size_t i;
	window_demote(w);
	if (all)
		return w->nwin;
	for (i = 0; i < w->nwin; i++) {
		if (!w->win[i].level)
			continue;
		if (judged_to_end(w->win, i, w->nwin))
			break;
		if (w->win[i].candidate) {
			size_t end = am_compile__heading_end(w->win, i, w->nwin);
			if (end == w->nwin)
				break;
			i = end - 1;
		}
	}
	return i;
}

void am_compile__window_open(window *w, int *body_level, int *field_level)
{
	*body_level = *field_level = 7;
	window_demote(w);
	for (size_t i = 0; i < w->nwin; i++) {
		const block_info *b = &w->win[i];
		if (!b->level)
			continue;
		if (judged_to_end(w->win, i, w->nwin) && b->level < *field_level)
			*field_level = b->level;
		if (b->candidate) {
			size_t end = am_compile__heading_end(w->win, i, w->nwin);
			if (end == w->nwin && b->level < *body_level)
				*body_level = b->level;
			i = end - 1;
		}
	}
}

void am_compile__window_free(window *w)
{
	for (size_t k = 0; k < w->ntrees; k++)
		am_md_free(w->trees[k].doc);
	free(w->trees);
	free(w->win);
	free(w->judged);
	memset(w, 0, sizeof(*w));
}

void am_compile__share_source(ctx *part, const ctx *c)
{
	part->src = c->src;
	part->srclen = c->srclen;
	part->line_off = c->line_off;
	part->nlines = c->nlines;
	part->shared_lines = true;
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
	cut_point *heads = NULL;
	size_t nheads = 0;
	if (parts && c->srclen >= size &&
	    am_compile__find_cuts_heads(c->src, c->srclen, &k, &n, &heads, &nheads)) {
		/* Room for the pieces' cuts too. */
		cuts = am_xmalloc((c->srclen / part + 2 + AM_COMPILE__MAX_PIECES) * sizeof(*cuts));
		ncuts = choose_cuts(k, n, c->srclen, part, cuts);
	}
	am_md_init();
	rc = ncuts ? am_compile__compile_pieces(c, opts, vocab, k, n, heads, nheads, cuts, ncuts)
		   : compile_one(c, size);
	free(cuts);
	free(k);
	free(heads);
	return rc;
}
