/*
 * compile_split.c: the parts of an audit and the threads that compile
 * them. A large audit is cut in two where both parts parse exactly as the
 * whole does (am_compile__find_split); the parts are parsed at once, each
 * by its own context on its own thread, and their top-level blocks
 * collected with the headings judged (am_compile__parse_parts). Unless a
 * finding's body crosses the cut, they are then walked at once too, the
 * second part starting with the sections the first leaves open; else all
 * blocks are walked in order by the first context. The second context's
 * findings, diagnostics and metadata then follow the first's
 * (am_compile__walk_parts). An audit under the split size (the option
 * split_min, 1 MiB by default), one with no place to cut, or one compiled
 * with threads = 1 is one part. Hands on the first context holding the
 * whole audit's findings, diagnostics and metadata.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "jobs.h"

/* ---- where to cut ------------------------------------------------------------ */

/*
 * Where a large audit can be cut in two parts that parse exactly as the
 * whole does: at an ATX heading in column 1, outside fenced code and HTML
 * blocks, in a document without link reference definitions (they act
 * across the whole document). The second part starts with the sections the
 * first leaves open (am_compile__seed_second_part), so any such heading
 * would do; the cut is at one no deeper than the heading before it (not
 * the first sub-heading of a finding, whose body would then reach past the
 * cut and make the walk sequential), of the shallowest level found near
 * the middle (the middle quarter of the text, else the middle half),
 * closest to the middle.
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

/* The closest cut to the middle of a `len`-byte text at each heading
 * level, in each band (0: the middle quarter, 1: the middle half). */
typedef struct {
	size_t at[2][7], dist[2][7];
	uint32_t line[2][7];
	int prev_level;
	bool first_heading;
} cuts;

/* A heading at `level`, byte `at`, line `line`. */
static void consider_cut(cuts *k, size_t len, int level, size_t at, uint32_t line)
{
	bool title = k->first_heading && level == 1;
	size_t d = at > len / 2 ? at - len / 2 : len / 2 - at;

	k->first_heading = false;
	if (!title && level <= k->prev_level && d <= len / 4)
		for (int b = d <= len / 8 ? 0 : 1; b < 2; b++)
			if (d < k->dist[b][level]) {
				k->dist[b][level] = d;
				k->at[b][level] = at;
				k->line[b][level] = line;
			}
	k->prev_level = level;
}

size_t am_compile__find_split(const char *s, size_t len, size_t min, uint32_t *split_line)
{
	scan_state st = { 0, 0, 0, 0, NULL, false };
	cuts k;
	uint32_t line = 1;

	if (len < min || !len)
		return 0;
	memset(&k, 0, sizeof(k));
	k.first_heading = true;
	for (int b = 0; b < 2; b++)
		for (int l = 0; l < 7; l++)
			k.dist[b][l] = SIZE_MAX;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		int level = scan_line(&st, s + i, e - i);
		if (level < 0)
			return 0;
		if (level > 0)
			consider_cut(&k, len, level, i, line);
		i = e + 1;
	}
	for (int b = 0; b < 2; b++)
		for (int l = 1; l < 7; l++)
			if (k.at[b][l]) {
				*split_line = k.line[b][l];
				return k.at[b][l];
			}
	*split_line = 0;
	return 0;
}

/* ---- the parts and their threads ----------------------------------------------- */

typedef struct {
	ctx *c;
	const char *text;
	size_t len;
	uint32_t line_offset;
	am_md_doc *doc;
	block_info *blocks;
	size_t n;
	bool first;
	bool preamble; /* the walk starts in the preamble */
	int phase;     /* 1: parse and collect blocks; 2: walk them */
	int rc;
	char error[1024]; /* the message of rc, from the part's thread */
} part;

struct am_compile__parts {
	part a, b;        /* b.text is NULL when the audit is one part */
	ctx second;       /* b's context */
	bool have_second; /* `second` is initialised */
};

/* The error the part stopped at (rc, else its context's), with its
 * message: the part's thread has an error slot of its own. */
static void part_error(part *p, int rc)
{
	if (rc < 0 || p->c->error) {
		p->rc = rc < 0 ? rc : p->c->error;
		snprintf(p->error, sizeof(p->error), "%s", am_error_last());
		am_utf8_trim(p->error);
	}
}

static void part_run(part *p)
{
	int rc = 0;

	if (p->phase == 1) {
		rc = am_md_parse(&p->doc, p->text, p->len);
		if (rc == 0)
			am_compile__collect_blocks(p->c, am_md_root(p->doc), p->line_offset, &p->blocks, &p->n);
	} else {
		am_compile__walk_blocks(p->c, p->blocks, p->n, p->first, p->preamble);
		am_md_free(p->doc);
		p->doc = NULL;
	}
	part_error(p, rc);
}

/* The error of the first part, else the second's (0 if none), with its
 * message set in the calling thread. */
static int parts_error(const parts *p)
{
	const part *failed = p->a.rc < 0 ? &p->a : p->b.rc < 0 ? &p->b : NULL;

	if (!failed)
		return 0;
	am_error_set("%s", failed->error);
	return failed->rc;
}

static int part_job(void *job, void *payload)
{
	part_run(*(part **)job);
	return 0;
}

/* Runs phase `phase` of both parts, the second on another thread when it
 * can start (jobs.c). */
static void run_parts(part *a, part *b, int phase)
{
	part *both[2] = { a, b };
	a->phase = b->phase = phase;
	am_jobs__run(both, b->text ? 2 : 1, sizeof(part *), part_job, NULL, 2);
}

/* The second part, from byte `split` (line split_line) of c's source, with
 * its own context over the same source. */
static int second_part(parts *p, ctx *c, const am_compile_options *opts, const am_vocab *vocab,
		       size_t split, uint32_t split_line)
{
	int rc;
	ctx *cb = &p->second;

	p->have_second = true;
	/* Its own patterns: a pattern's match data is for one thread. */
	if ((rc = am_compile__ctx_init(cb, opts, vocab, false)) < 0)
		return rc;
	cb->src = c->src;
	cb->srclen = c->srclen;
	cb->line_off = c->line_off;
	cb->nlines = c->nlines;
	p->b.text = c->src + split;
	p->b.len = c->srclen - split;
	p->b.line_offset = split_line - 1;
	return 0;
}

int am_compile__parse_parts(parts **out, ctx *c, const am_compile_options *opts, const am_vocab *vocab)
{
	parts *p = am_xcalloc(1, sizeof(*p));
	size_t min = opts && opts->split_min ? opts->split_min : AM_DEFAULT_SPLIT_MIN;
	uint32_t split_line = 0;
	size_t split = opts && opts->threads == 1 ? 0
						  : am_compile__find_split(c->src, c->srclen, min, &split_line);
	int rc;

	*out = p;
	p->a = (part){ c, c->src, split ? split : c->srclen, 0, NULL, NULL, 0, true, true, 0, 0, "" };
	p->b = (part){ &p->second, NULL, 0, 0, NULL, NULL, 0, false, true, 0, 0, "" };
	if (split && (rc = second_part(p, c, opts, vocab, split, split_line)) < 0)
		return rc;
	am_md_init();
	run_parts(&p->a, &p->b, 1);
	return parts_error(p);
}

/* ---- walking the parts ----------------------------------------------------------- */

/* Both parts' blocks in one array (the caller frees it); the last heading
 * of the first part that is not a field heading is the only one whose body
 * may go on past the cut (when the cut is at one of its field headings,
 * "### Impact"): it is judged again on the whole. Then the deepest
 * findings win across the cut. */
static block_info *join_blocks(parts *p, size_t *nall)
{
	size_t n = p->a.n + p->b.n, k = p->a.n;
	block_info *all = am_xmalloc((n ? n : 1) * sizeof(block_info));

	if (p->a.n)
		memcpy(all, p->a.blocks, p->a.n * sizeof(block_info));
	if (p->b.n)
		memcpy(all + p->a.n, p->b.blocks, p->b.n * sizeof(block_info));
	if (p->b.text) {
		while (k > 0 && (!all[k - 1].level || all[k - 1].field_heading))
			k--;
		if (k > 0)
			am_compile__judge_heading(p->a.c, all, k - 1, n);
	}
	am_compile__demote_outer(all, n);
	*nall = n;
	return all;
}

/* Whether the body of a heading finding before the cut (blocks[0..cut))
 * goes on past it. */
static bool crosses_cut(const block_info *all, size_t cut, size_t nall)
{
	for (size_t i = 0; i < cut; i++)
		if (all[i].candidate && am_compile__heading_end(all, i, nall) > cut)
			return true;
	return false;
}

/* Moves the results of part b's context into a's (they follow a's). */
static void merge_ctx(ctx *a, ctx *b)
{
	size_t base = a->nfindings;
	am_grow((void **)&a->findings, &a->capfindings, a->nfindings + b->nfindings, sizeof(am_finding));
	for (size_t i = 0; i < b->nfindings; i++) {
		am_finding f = b->findings[i];
		if (f.parent_index != AM_NO_PARENT)
			f.parent_index += base;
		a->findings[a->nfindings++] = f;
	}
	/* The first AM_COMPILE_MAX_DIAGS in document order, as one pass keeps. */
	for (size_t i = 0; i < b->ndiags && a->ndiags < AM_COMPILE_MAX_DIAGS; i++) {
		am_grow((void **)&a->diags, &a->capdiags, a->ndiags + 1, sizeof(am_diag));
		a->diags[a->ndiags++] = b->diags[i];
	}
	for (size_t i = 0; i < b->nsummary; i++) {
		am_grow((void **)&a->summary, &a->capsummary, a->nsummary + 1, sizeof(am_summary_row));
		a->summary[a->nsummary++] = b->summary[i];
	}
	for (size_t i = 0; i < b->nmeta; i++)
		am_compile__add_meta(a, am_span_from(b->meta[i].name), am_span_from(b->meta[i].value),
				     b->meta[i].line);
	if (!a->doc_title_text)
		a->doc_title_text = b->doc_title_text;
	if (!a->date[0])
		memcpy(a->date, b->date, sizeof(a->date));
	am_arena_adopt(a->arena, b->arena);
	b->arena = NULL;
}

/* The parsed trees and blocks, once walked. */
static void release_parts(parts *p)
{
	am_md_free(p->a.doc);
	am_md_free(p->b.doc);
	free(p->a.blocks);
	free(p->b.blocks);
	p->a.doc = p->b.doc = NULL;
	p->a.blocks = p->b.blocks = NULL;
}

int am_compile__walk_parts(parts *p)
{
	ctx *c = p->a.c;
	size_t nall;
	block_info *all = join_blocks(p, &nall);
	int rc;

	/* A single level-1 heading is the audit's title wherever it stands (a
	 * dated entry may be prepended above it); of several, only a first one
	 * at the very top is. */
	size_t h1 = 0;
	for (size_t i = 0; i < nall; i++)
		h1 += all[i].level == 1;
	c->one_title = p->second.one_title = h1 == 1;
	/* A legend holds for the whole audit, whichever part it is in. */
	if (p->b.text) {
		am_vocab__matcher_share(&p->second.vm, &c->vm);
		am_vocab__matcher_share(&c->vm, &p->second.vm);
	}
	if (p->b.text && !crosses_cut(all, p->a.n, nall)) {
		memcpy(p->a.blocks, all, p->a.n * sizeof(block_info));
		memcpy(p->b.blocks, all + p->a.n, p->b.n * sizeof(block_info));
		p->b.preamble = am_compile__seed_second_part(&p->second, p->a.blocks, p->a.n);
		run_parts(&p->a, &p->b, 2);
		free(all);
	} else {
		/* Findings nest across the cut (under a heading above it): the
		 * second part is walked after the first, by the same context. */
		free(p->a.blocks);
		p->a.blocks = all;
		p->a.n = nall;
		p->b.n = 0;
		am_compile__walk_blocks(c, p->a.blocks, p->a.n, true, true);
		part_error(&p->a, 0);
	}
	if ((rc = parts_error(p)) == 0 && p->b.text)
		merge_ctx(c, &p->second);
	release_parts(p);
	return rc;
}

void am_compile__parts_free(parts *p)
{
	if (!p)
		return;
	release_parts(p);
	if (p->have_second) {
		p->second.line_off = NULL; /* the first context's */
		am_compile__ctx_free(&p->second);
	}
	free(p);
}
