/*
 * compile.c: walks the Markdown tree of an audit and builds the finding
 * model. The rules are general, not one per dialect:
 *
 *  - a heading is a finding when it carries an ID (`[H-01]`, `BUG-001:`,
 *    `C1)`), an issue number (`Issue #1:`), or a number (`3)`) together
 *    with finding fields in its body, or finding fields alone; when findings
 *    nest, the deepest ones win and the outer heading is a section;
 *  - a task-list item outside heading findings is a finding;
 *  - a row of a table with a status-like column is a finding;
 *  - everything else is sections, metadata and prose.
 */
#include "auditmd/compile.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cite.h"
#include "compile_int.h"
#include "date.h"
#include "markdown.h"
#include "source.h"
#include "title.h"
#include "util.h"
#include "vocab.h"

void am_compile__error(ctx *c, int code, uint32_t line, uint32_t col, const char *what)
{
	if (c->error)
		return;
	c->error = code;
	am_error_set("%s:%u:%u: %s", c->name, line, col, what);
}

int am_compile__utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (int)len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return (int)max;
}

void am_compile__diag(ctx *c, am_diag_severity sev, uint32_t line, uint32_t col,
		      const char *code, const char *fmt, ...)
{
	am_buf b = AM_BUF_INIT;
	va_list ap;
	int n;

	if (c->ndiags >= AM_COMPILE_MAX_DIAGS)
		return; /* enough to act on; the rest would be noise */
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	am_buf_grow(&b, n > 0 ? (size_t)n : 0);
	va_start(ap, fmt);
	vsnprintf(b.ptr, (size_t)n + 1, fmt, ap);
	va_end(ap);
	am_grow((void **)&c->diags, &c->capdiags, c->ndiags + 1, sizeof(am_diag));
	am_diag *d = &c->diags[c->ndiags++];
	d->severity = sev;
	d->line = line;
	d->column = col;
	d->code = code;
	d->text = am_arena_strdup(c->arena, b.ptr);
	am_buf_free(&b);
}

/* ---- the driver ------------------------------------------------------------------ */

static int ctx_init(ctx *c, const am_compile_options *opts, const am_vocab *vocab)
{
	int rc;
	memset(c, 0, sizeof(*c));
	c->name = opts && opts->source ? opts->source : "<stdin>";
	if ((rc = am_vocab__matcher_init(&c->vm, vocab)) < 0)
		return rc;
	if ((rc = am_cite__scanner_init(&c->cs, vocab)) < 0)
		return rc;
	if ((rc = am_date__matcher_init(&c->dm)) < 0)
		return rc;
	return am_compile__title_re_new(&c->prefix_re);
}

static void ctx_free(ctx *c)
{
	am_vocab__matcher_free(&c->vm);
	am_cite__scanner_free(&c->cs);
	am_date__matcher_free(&c->dm);
	am_re_free(c->prefix_re);
	free(c->findings);
	free(c->diags);
	free(c->meta);
	free(c->line_off);
	am_buf_free(&c->scratch);
	while (c->npool > 0)
		am_compile__inl_release(&c->pool[--c->npool]);
}

static void index_lines(ctx *c)
{
	size_t cap = c->srclen / 32 + 16;
	c->line_off = am_xmalloc(cap * sizeof(size_t));
	c->nlines = 0;
	c->line_off[c->nlines++] = 0;
	for (const char *p = c->src, *end = c->src + c->srclen;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL;) {
		p++;
		am_grow((void **)&c->line_off, &cap, c->nlines + 1, sizeof(size_t));
		c->line_off[c->nlines++] = (size_t)(p - c->src);
	}
}

/* Phase 2: findings, sections and metadata from blocks[0..n). */
static void walk_blocks(ctx *c, block_info *blocks, size_t n, bool first_part, bool preamble)
{
	bool seen_title = false;
	size_t freed = 0;

	for (size_t i = 0; i < n && !c->error; i++) {
		/* Blocks already compiled go back to the allocator at once: the
		 * tree shrinks while the model grows. */
		for (; freed < i; freed++) {
			am_md_node_free(blocks[freed].node);
			blocks[freed].node = NULL;
		}
		am_md_node *k = blocks[i].node;
		am_md_type type = am_md_type_of(k);
		c->line_offset = blocks[i].line_offset;
		if (type == AM_MD_HEADING) {
			am_span text = am_span_trim((am_span){ blocks[i].text, blocks[i].len });
			if (!seen_title && blocks[i].level == 1) {
				seen_title = true;
				c->doc_title_text = am_arena_strndup(c->arena, text.ptr, text.len);
			}
			if (blocks[i].level >= 2)
				preamble = false;
			if (blocks[i].candidate) {
				size_t end = am_compile__heading_end(blocks, i, n);
				if (blocks[i].level == 1)
					am_compile__date_from(c, text);
				am_compile__heading_finding(c, blocks, i, end);
				preamble = false;
				i = end - 1;
				continue;
			}
			if (blocks[i].level == 1 && c->doc_title_text && i == 0 && first_part) {
				/* The document title is not a section. */
				am_compile__push_section(c, 1, NULL);
			} else {
				am_compile__push_section(c, blocks[i].level, am_arena_strndup(c->arena, text.ptr, text.len));
			}
			continue;
		}
		if (type == AM_MD_PARAGRAPH || type == AM_MD_LIST)
			am_compile__meta_block(c, k, preamble);
		if (type == AM_MD_LIST || type == AM_MD_BLOCK_QUOTE)
			am_compile__find_checklists(c, k, 0);
		else if (type == AM_MD_TABLE)
			am_compile__table_findings(c, k);
	}
}

/*
 * What walking blocks[0..n), the first part, leaves to the second: the
 * sections still open, pushed onto b, and whether the preamble (metadata
 * before the first section) goes on. walk_blocks's heading rules, without
 * compiling anything.
 */
static bool seed_second_part(ctx *b, const block_info *blocks, size_t n)
{
	bool preamble = true;
	for (size_t i = 0; i < n; i++) {
		if (am_md_type_of(blocks[i].node) != AM_MD_HEADING)
			continue;
		if (blocks[i].level >= 2)
			preamble = false;
		if (blocks[i].candidate) {
			preamble = false;
			i = am_compile__heading_end(blocks, i, n) - 1;
		} else if (blocks[i].level == 1 && i == 0) {
			am_compile__push_section(b, 1, NULL); /* the document title */
		} else {
			am_span text = am_span_trim((am_span){ blocks[i].text, blocks[i].len });
			am_compile__push_section(b, blocks[i].level, am_arena_strndup(b->arena, text.ptr, text.len));
		}
	}
	return preamble;
}

/* ---- splitting a large audit in two ------------------------------------------ */

/*
 * Where a large audit can be cut in two parts that parse exactly as the
 * whole does: at an ATX heading in column 1, outside fenced code and HTML
 * blocks, in a document without link reference definitions (they act
 * across the whole document). The second part starts with the sections the
 * first leaves open (seed_second_part), so any such heading would do; the
 * cut is at one no deeper than the heading before it (not the first
 * sub-heading of a finding, whose body would then reach past the cut and
 * make the walk sequential), of the shallowest level found near the middle
 * (the middle quarter of the text, else the middle half), closest to the
 * middle. Returns the byte offset, or 0 for no cut.
 */
size_t am_compile__split_min = (size_t)1 << 20;

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

size_t am_compile__find_split(const char *s, size_t len, uint32_t *split_line)
{
	/* The closest cut to the middle of each level, in each band (0: the
	 * middle quarter, 1: the middle half). */
	size_t best[2][7], bestd[2][7];
	uint32_t best_line[2][7];
	int prev_level = 0, fence_len = 0, fence_ind = 0;
	char fence = 0, html_end = 0; /* html_end: 'b' blank line, '-' -->, '>' >, ... */
	const char *html_close = NULL;
	bool first_heading = true, uncertain = false;
	uint32_t line = 1;

	if (len < am_compile__split_min || !len)
		return 0;
	for (int b = 0; b < 2; b++)
		for (int l = 0; l < 7; l++)
			bestd[b][l] = SIZE_MAX, best[b][l] = 0, best_line[b][l] = 0;
	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		const char *l = s + i;
		size_t n = e - i, ind = 0;
		while (ind < n && ind < 4 && l[ind] == ' ')
			ind++;
		/* Only looked at inside HTML blocks, which end at a blank line. */
#define BLANK() is_blank(l, n)
		if (uncertain) {
			/* Link definitions act across the document, wherever they are. */
			if (maybe_link_def(l, n))
				return 0;
		} else if (fence) {
			/* A fence opened indented (in a list item, maybe) is closed
			 * by a line indented less if its item ends there, and a
			 * later fence line then opens a block instead: past that,
			 * the scan cannot tell code from text, so no cut. */
			if (fence_ind > 0 && !is_blank(l, n) && ind < (size_t)fence_ind) {
				uncertain = true;
				i = e + 1;
				continue;
			}
			/* A closing fence: the same character, at least as long. */
			size_t k = ind;
			while (k < n && l[k] == fence)
				k++;
			if (ind < 4 && (int)(k - ind) >= fence_len) {
				size_t r = k;
				while (r < n && am_isspace((unsigned char)l[r]))
					r++;
				if (r == n)
					fence = 0;
			}
		} else if (html_end) {
			if (html_end == 'b' ? BLANK() : (html_close && memmem(l, n, html_close, strlen(html_close))))
				html_end = 0;
		} else if (ind < 4 && n - ind >= 3 && (l[ind] == '`' || l[ind] == '~')) {
			size_t k = ind;
			while (k < n && l[k] == l[ind])
				k++;
			if (k - ind >= 3 && !(l[ind] == '`' && memchr(l + k, '`', n - k))) {
				fence = l[ind];
				fence_len = (int)(k - ind);
				fence_ind = (int)ind;
			}
		} else if (ind < 4 && ind < n && l[ind] == '<') {
			/* HTML blocks: types 1-5 end at their closing marker, the
			 * others at a blank line. */
			static const struct { const char *open, *close; } kinds[] = {
				{ "<script", "</script>" }, { "<pre", "</pre>" }, { "<style", "</style>" },
				{ "<textarea", "</textarea>" }, { "<!--", "-->" }, { "<?", "?>" },
				{ "<![CDATA[", "]]>" }, { "<!", ">" },
			};
			html_end = 'b';
			html_close = NULL;
			for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
				if (n - ind >= strlen(kinds[k].open) &&
				    !strncasecmp(l + ind, kinds[k].open, strlen(kinds[k].open))) {
					html_end = 'c';
					html_close = kinds[k].close;
					break;
				}
			if (html_end == 'c' && memmem(l + ind + 2, n - ind - 2, html_close, strlen(html_close)))
				html_end = 0;
			else if (html_end == 'b' && BLANK())
				html_end = 0;
		} else if (maybe_link_def(l, n)) {
			return 0; /* a link reference definition, maybe in a list or quote */
		} else if (n > 0 && l[0] == '#') {
			int level = 0;
			while ((size_t)level < n && l[level] == '#')
				level++;
			if (level <= 6 && ((size_t)level == n || l[level] == ' ' || l[level] == '\t')) {
				bool title = first_heading && level == 1;
				first_heading = false;
				size_t d = i > len / 2 ? i - len / 2 : len / 2 - i;
				if (!title && level <= prev_level && d <= len / 4)
					for (int b = d <= len / 8 ? 0 : 1; b < 2; b++)
						if (d < bestd[b][level]) {
							bestd[b][level] = d;
							best[b][level] = i;
							best_line[b][level] = line;
						}
				prev_level = level;
			}
		}
		i = e + 1;
	}
#undef BLANK
	for (int b = 0; b < 2; b++)
		for (int l = 1; l < 7; l++)
			if (best[b][l]) {
				*split_line = best_line[b][l];
				return best[b][l];
			}
	*split_line = 0;
	return 0;
}

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
	int phase;
	int rc;
	char error[1024];
} part;

static void part_run(part *p)
{
	if (p->phase == 1) {
		int rc = am_md_parse(&p->doc, p->text, p->len);
		if (rc < 0) {
			p->rc = rc;
			return;
		}
		am_compile__collect_blocks(p->c, am_md_root(p->doc), p->line_offset, &p->blocks, &p->n);
	} else {
		walk_blocks(p->c, p->blocks, p->n, p->first, p->preamble);
		am_md_free(p->doc);
		p->doc = NULL;
	}
	if (p->c->error) {
		p->rc = p->c->error;
		snprintf(p->error, sizeof(p->error), "%s", am_error_last());
		am_utf8_trim(p->error);
	}
}

static void *part_thread(void *arg)
{
	part_run(arg);
	return NULL;
}

/* Runs phase `phase` of both parts, the second on its own thread. */
static void run_parts(part *a, part *b, int phase)
{
	pthread_t th;
	a->phase = b->phase = phase;
	if (!b->text) {
		part_run(a);
		return;
	}
	if (pthread_create(&th, NULL, part_thread, b) != 0) {
		part_run(a);
		part_run(b);
		return;
	}
	part_run(a);
	pthread_join(th, NULL);
}

/* Moves the results of part b's context into a's (they follow a's). */
static void merge_ctx(ctx *a, ctx *b)
{
	size_t base = a->nfindings;
	am_grow((void **)&a->findings, &a->capfindings, a->nfindings + b->nfindings, sizeof(am_finding));
	for (size_t i = 0; i < b->nfindings; i++) {
		am_finding f = b->findings[i];
		if (f.parent)
			f.parent = (const char *)((uintptr_t)f.parent + base);
		a->findings[a->nfindings++] = f;
	}
	/* The first AM_COMPILE_MAX_DIAGS in document order, as one pass keeps. */
	for (size_t i = 0; i < b->ndiags && a->ndiags < AM_COMPILE_MAX_DIAGS; i++) {
		am_grow((void **)&a->diags, &a->capdiags, a->ndiags + 1, sizeof(am_diag));
		a->diags[a->ndiags++] = b->diags[i];
	}
	for (size_t i = 0; i < b->nmeta; i++)
		am_compile__add_meta(a, am_span_from(b->meta[i].name), am_span_from(b->meta[i].value), b->meta[i].line);
	if (!a->doc_title_text)
		a->doc_title_text = b->doc_title_text;
	if (!a->date[0])
		memcpy(a->date, b->date, sizeof(a->date));
	am_arena_adopt(a->arena, b->arena);
	b->arena = NULL;
}

int am_compile(am_report **out, const char *text, size_t len, const am_compile_options *opts)
{
	am_vocab *own_vocab = NULL;
	const am_vocab *vocab = opts ? opts->vocab : NULL;
	am_buf src = AM_BUF_INIT;
	am_mojibake_info moj;
	am_report *r = NULL;
	ctx c, cb;
	bool have_cb = false;
	int rc;

	*out = NULL;
	if (opts && opts->version != AM_COMPILE_OPTIONS_VERSION) {
		am_error_set("am_compile: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if (!vocab) {
		am_vocab_new(&own_vocab);
		vocab = own_vocab;
	}
	if ((rc = ctx_init(&c, opts, vocab)) < 0)
		goto done;
	rc = am_source__prepare(&src, &moj, text, len, c.name,
				opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE);
	if (rc < 0)
		goto done;

	r = am_xcalloc(1, sizeof(*r));
	r->arena = c.arena = am_arena_new();
	c.r = r;
	if (moj.unchanged) {
		if (len >= 4 && !strncmp(text, "---\n", 4))
			am_buf_put(&src, text, len); /* front matter is blanked in a copy */
		else
			moj.unchanged = true;
	}
	if (moj.unchanged && !src.size) {
		c.src = text;
		c.srclen = len;
	} else {
		am_compile__front_matter(&c, src.ptr ? src.ptr : "", src.size);
		c.src = am_buf_cstr(&src);
		c.srclen = src.size;
	}
	index_lines(&c);
	if (moj.repaired)
		am_compile__diag(&c, AM_DIAG_WARNING, moj.line, moj.column, "mojibake",
			 "mojibake repaired in %u places (UTF-8 text that was read as Windows-1252 "
			 "and saved again)%s",
			 moj.repaired, moj.lost ? "; bytes lost on the way were replaced" : "");

	/* A large audit is parsed and compiled in two parts, on two threads. */
	uint32_t split_line = 0;
	size_t split = opts && opts->threads == 1 ? 0 : am_compile__find_split(c.src, c.srclen, &split_line);
	part pa = { &c, c.src, split ? split : c.srclen, 0, NULL, NULL, 0, true, true, 0, 0, "" };
	part pb = { &cb, NULL, 0, 0, NULL, NULL, 0, false, true, 0, 0, "" };
	if (split) {
		have_cb = true;
		if ((rc = ctx_init(&cb, opts, vocab)) < 0)
			goto done;
		cb.arena = am_arena_new();
		cb.src = c.src;
		cb.srclen = c.srclen;
		cb.line_off = c.line_off;
		cb.nlines = c.nlines;
		pb.text = c.src + split;
		pb.len = c.srclen - split;
		pb.line_offset = split_line - 1;
	}
	am_md_init();
	run_parts(&pa, &pb, 1);
	if (pa.rc < 0 || pb.rc < 0) {
		rc = pa.rc < 0 ? pa.rc : pb.rc;
		goto parts_done;
	}
	/* Findings may nest across the cut only under a heading above it: then
	 * the second part is walked after the first, by the same context. */
	block_info *all = NULL;
	size_t nall = pa.n + pb.n;
	all = am_xmalloc((nall ? nall : 1) * sizeof(block_info));
	if (pa.n)
		memcpy(all, pa.blocks, pa.n * sizeof(block_info));
	if (pb.n)
		memcpy(all + pa.n, pb.blocks, pb.n * sizeof(block_info));
	/* The last heading of the first part that is not a field heading is
	 * the only one whose body may go on past the cut (when the cut is at
	 * one of its field headings, "### Impact"): judged again on the whole. */
	if (split) {
		size_t k = pa.n;
		while (k > 0 && (!all[k - 1].level || all[k - 1].field_heading))
			k--;
		if (k > 0)
			am_compile__judge_heading(&c, all, k - 1, nall);
	}
	am_compile__demote_outer(all, nall);
	bool crossing = false;
	for (size_t i = 0; i < pa.n && split && !crossing; i++) {
		if (!all[i].candidate)
			continue;
		crossing = am_compile__heading_end(all, i, nall) > pa.n;
	}
	if (split && !crossing) {
		memcpy(pa.blocks, all, pa.n * sizeof(block_info));
		memcpy(pb.blocks, all + pa.n, pb.n * sizeof(block_info));
		pb.preamble = seed_second_part(&cb, pa.blocks, pa.n);
		run_parts(&pa, &pb, 2);
	} else {
		free(pa.blocks);
		pa.blocks = all;
		pa.n = nall;
		all = NULL;
		pb.n = 0;
		walk_blocks(&c, pa.blocks, pa.n, true, true);
		if (c.error) {
			pa.rc = c.error;
			snprintf(pa.error, sizeof(pa.error), "%s", am_error_last());
			am_utf8_trim(pa.error);
		}
	}
	free(all);
	if (pa.rc < 0 || pb.rc < 0) {
		rc = pa.rc < 0 ? pa.rc : pb.rc;
		am_error_set("%s", pa.rc < 0 ? pa.error : pb.error);
		goto parts_done;
	}
	if (split)
		merge_ctx(&c, &cb);
	if (c.nfindings > AM_MAX_FINDINGS) {
		am_error_set("%s: more findings than the limit of %d", c.name, AM_MAX_FINDINGS);
		rc = AM_ELIMIT;
		goto parts_done;
	}
	if (c.doc_title_text)
		am_compile__date_from(&c, am_span_from(c.doc_title_text));
parts_done:
	am_md_free(pa.doc);
	am_md_free(pb.doc);
	free(pa.blocks);
	free(pb.blocks);
	if (rc < 0)
		goto done;
	am_compile__merge_table_rows(&c);
	am_compile__assign_ids(&c);

	r->source = opts && opts->source ? am_arena_strdup(c.arena, opts->source) : NULL;
	r->title = c.doc_title_text;
	r->date = c.date[0] ? am_arena_strdup(c.arena, c.date) : NULL;
	r->metadata = am_arena_memdup(c.arena, c.meta, c.nmeta, sizeof(am_field));
	r->nmetadata = c.nmeta;
	r->findings = am_arena_memdup(c.arena, c.findings, c.nfindings, sizeof(am_finding));
	r->nfindings = c.nfindings;
	r->diags = am_arena_memdup(c.arena, c.diags, c.ndiags, sizeof(am_diag));
	r->ndiags = c.ndiags;
	r->mojibake_repaired = (int)moj.repaired;
	*out = r;
	r = NULL;
	rc = 0;
done:
	am_report_free(r);
	if (have_cb) {
		cb.line_off = NULL; /* shared with c */
		am_arena_free(cb.arena);
		ctx_free(&cb);
	}
	ctx_free(&c);
	am_buf_free(&src);
	am_vocab_free(own_vocab);
	return rc;
}
