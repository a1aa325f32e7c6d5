/*
 * compile.c: the compiler's driver. An audit goes through five stages, in
 * am_compile at the end of this file:
 *
 *  1. prepare: the bytes become text (source.c: size limit, BOM, encoding,
 *     line endings, mojibake), front matter is read and blanked
 *     (compile_meta.c), lines are indexed;
 *  2. parse: cmark-gfm (behind markdown.c) parses the text, a large audit
 *     in parts (compile_split.c), in pieces on two threads at once
 *     (compile_pieces.c); the top-level blocks are collected and the
 *     headings judged (compile_heading.c);
 *  3. walk: the top-level blocks in order (walk_blocks, here): a heading
 *     is a heading finding (compile_heading.c) or opens a section
 *     (compile_section.c); field lines before the first section are
 *     metadata (compile_meta.c); task items are checklist findings
 *     (compile_checklist.c); a table may be a register of table findings
 *     (compile_table.c). A finding is built (compile_body.c) from its title
 *     (compile_title.c), fields (compile_field.c) and inline text with the
 *     positions of its pieces (compile_inline.c);
 *  4. post-process: table rows that re-list findings are merged into them
 *     and every finding gets its ID (compile_post.c);
 *  5. build the report: the model of model.h, in the context's arena.
 *
 * The rules are general, not one per dialect:
 *
 *  - a heading is a finding when it carries an ID (`[H-01]`, `BUG-001:`,
 *    `C1)`), an issue number (`Issue #1:`), or a number (`3)`) together
 *    with finding fields in its body, or finding fields alone; when findings
 *    nest, the deepest ones win and the outer heading is a section;
 *  - a task-list item outside heading findings is a finding;
 *  - a row of a table with a status-like column is a finding;
 *  - everything else is sections, metadata and prose.
 *
 * This file also holds the context's own services: errors, diagnostics.
 */
#include <stdio.h>
#include <string.h>

#include "compile_cache.h"
#include "compile_int.h"
#include "jobs.h"
#include "markdown.h"
#include "source.h"

/* ---- the context ---------------------------------------------------------------- */

/* The patterns, compiled once and lent to each compile (its context holds
 * copies of these structs; only its legend's terms are its own). */
struct am_compiler {
	am_vocab *own;     /* the built-in vocabulary, when none was given */
	const am_vocab *vocab;
	am_vocab_matcher vm;
	am_cite_scanner cs;
	am_date_matcher dm;
	am_re *prefix_re;
};

static int patterns_init(am_vocab_matcher *vm, am_cite_scanner *cs, am_date_matcher *dm, am_re **prefix_re,
			 const am_vocab *vocab)
{
	int rc;
	if ((rc = am_vocab__matcher_init(vm, vocab)) < 0 || (rc = am_cite__scanner_init(cs, vocab)) < 0 ||
	    (rc = am_date__matcher_init(dm)) < 0)
		return rc;
	return am_compile__title_re_new(prefix_re);
}

static void patterns_free(am_vocab_matcher *vm, am_cite_scanner *cs, am_date_matcher *dm, am_re *prefix_re)
{
	am_vocab__matcher_free(vm);
	am_cite__scanner_free(cs);
	am_date__matcher_free(dm);
	am_re_free(prefix_re);
}

int am_compiler_new(am_compiler **out, const am_vocab *vocab)
{
	am_compiler *cp = am_xcalloc(1, sizeof(*cp));
	int rc;
	if (!vocab)
		am_vocab_new(&cp->own);
	cp->vocab = vocab ? vocab : cp->own;
	if ((rc = patterns_init(&cp->vm, &cp->cs, &cp->dm, &cp->prefix_re, cp->vocab)) < 0) {
		am_compiler_free(cp);
		cp = NULL;
	}
	*out = cp;
	return rc;
}

void am_compiler_free(am_compiler *cp)
{
	if (!cp)
		return;
	patterns_free(&cp->vm, &cp->cs, &cp->dm, cp->prefix_re);
	am_vocab_free(cp->own);
	free(cp);
}

void am_compile__ctx_init_bare(ctx *c, const am_compile_options *opts)
{
	memset(c, 0, sizeof(*c));
	c->name = opts && opts->source ? opts->source : "<stdin>";
	c->arena = am_arena_new();
}

int am_compile__ctx_init(ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool borrow)
{
	am_compile__ctx_init_bare(c, opts);
	if (borrow && opts && opts->compiler) {
		const am_compiler *cp = opts->compiler;
		c->vm = cp->vm;
		c->cs = cp->cs;
		c->dm = cp->dm;
		c->prefix_re = cp->prefix_re;
		c->borrowed = true;
		return 0;
	}
	return patterns_init(&c->vm, &c->cs, &c->dm, &c->prefix_re, vocab);
}

void am_compile__ctx_free(ctx *c)
{
	if (c->borrowed)
		am_vocab__matcher_forget(&c->vm); /* the legend's terms: the rest is lent */
	else if (!c->lent_matchers) /* a cache's (compile_cache.c) are the cache's */
		patterns_free(&c->vm, &c->cs, &c->dm, c->prefix_re);
	am_arena_free(c->arena);
	free(c->findings);
	free(c->diags);
	free(c->summary);
	free(c->meta);
	if (!c->shared_lines)
		free(c->line_off);
	am_buf_free(&c->scratch);
	while (c->npool > 0)
		am_compile__inl_release(&c->pool[--c->npool]);
}

void am_compile__append(ctx *c, const walk_output *out, int64_t delta)
{
	size_t base = c->nfindings;

	am_grow((void **)&c->findings, &c->capfindings, c->nfindings + out->nfindings, sizeof(am_finding));
	for (size_t i = 0; i < out->nfindings; i++) {
		am_finding f = out->findings[i];
		if (f.parent_index != AM_NO_PARENT)
			f.parent_index = f.parent_index - out->first_finding + base;
		if (delta) {
			f.line = (uint32_t)(f.line + delta);
			f.end_line = (uint32_t)(f.end_line + delta);
			f.citations = am_arena_memdup(c->arena, f.citations, f.ncitations, sizeof(am_citation));
			for (size_t j = 0; j < f.ncitations; j++)
				f.citations[j].line = (uint32_t)(f.citations[j].line + delta);
			f.fields = am_arena_memdup(c->arena, f.fields, f.nfields, sizeof(am_field));
			for (size_t j = 0; j < f.nfields; j++)
				f.fields[j].line = (uint32_t)(f.fields[j].line + delta);
		}
		c->findings[c->nfindings++] = f;
	}
	for (size_t i = 0; i < out->ndiags && c->ndiags < AM_COMPILE_MAX_DIAGS; i++) {
		am_grow((void **)&c->diags, &c->capdiags, c->ndiags + 1, sizeof(am_diag));
		c->diags[c->ndiags] = out->diags[i];
		c->diags[c->ndiags++].line = (uint32_t)(out->diags[i].line + delta);
	}
	am_grow((void **)&c->summary, &c->capsummary, c->nsummary + out->nsummary, sizeof(am_summary_row));
	for (size_t i = 0; i < out->nsummary; i++) {
		c->summary[c->nsummary] = out->summary[i];
		c->summary[c->nsummary++].line = (uint32_t)(out->summary[i].line + delta);
	}
	am_grow((void **)&c->meta, &c->capmeta, c->nmeta + out->nmeta, sizeof(am_field));
	for (size_t i = 0; i < out->nmeta; i++) {
		c->meta[c->nmeta] = out->meta[i];
		c->meta[c->nmeta++].line = (uint32_t)(out->meta[i].line + delta);
	}
	if (!c->doc_title_text)
		c->doc_title_text = out->title;
	if (!c->date[0])
		memcpy(c->date, out->date, sizeof(c->date));
	if (out->nsections)
		memcpy(c->sections, out->sections, (size_t)out->nsections * sizeof(section));
	c->nsections = out->nsections;
	c->section_path_valid = false;
}

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

/* ---- 1. prepare ---------------------------------------------------------------- */

/* The starts of the lines after each line end in s[0..len), plus base,
 * appended to (*off)[*n..). */
static void line_starts(size_t **off, size_t *n, size_t *cap, const char *s, size_t len, size_t base)
{
	for (const char *p = s, *end = s + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;) {
		p++;
		am_grow((void **)off, cap, *n + 1, sizeof(size_t));
		(*off)[(*n)++] = base + (size_t)(p - s);
	}
}

static void index_lines(ctx *c)
{
	size_t cap = c->srclen / 32 + 16;
	c->line_off = am_xmalloc(cap * sizeof(size_t));
	c->nlines = 0;
	c->line_off[c->nlines++] = 0;
	line_starts(&c->line_off, &c->nlines, &cap, c->src, c->srclen, 0);
}

/*
 * A large text that needs no change is checked and indexed in two halves
 * at once: cut after a blank line near its middle (where the check of the
 * parser's limits starts afresh), each half checked as am_source__prepare
 * checks the whole, its lines indexed. 1 when the halves did not both
 * pass, or there is no such place: am_source__prepare then does it all,
 * and says why (its error names the place).
 */
typedef struct {
	const char *s;
	size_t len;
	bool ok;
	size_t *off, n, cap;
} text_half;

static void *check_half(void *arg)
{
	text_half *h = arg;
	h->ok = am_source__clean(h->s, h->len) && am_md_check_limits(h->s, h->len, NULL) == 0;
	if (h->ok) {
		if (!h->off) {
			h->cap = h->len / 32 + 16;
			h->off = am_xmalloc(h->cap * sizeof(size_t));
		}
		line_starts(&h->off, &h->n, &h->cap, h->s, h->len, 0);
	}
	return NULL;
}

static int prepare_halves(ctx *c, const char *text, size_t len, size_t max)
{
	const char *blank = len > max || (len >= 4 && !strncmp(text, "---\n", 4))
				    ? NULL
				    : memmem(text + len / 2, len - len / 2, "\n\n", 2);
	if (!blank)
		return 1;
	size_t cut = (size_t)(blank - text) + 2;
	/* The first half indexes into the whole text's index. */
	text_half a = { text, cut, false, NULL, 1, len / 32 + 16 }, b = { text + cut, len - cut, false, NULL, 0, 0 };
	a.off = am_xmalloc(a.cap * sizeof(size_t));
	a.off[0] = 0;
	am_thread *other = NULL;
	bool two = am_jobs__start(&other, check_half, &b) == 0;
	check_half(&a);
	if (two)
		am_jobs__join(other);
	else
		check_half(&b);
	int rc = 1;
	if (a.ok && b.ok) {
		am_grow((void **)&a.off, &a.cap, a.n + b.n, sizeof(size_t));
		for (size_t i = 0; i < b.n; i++)
			a.off[a.n++] = cut + b.off[i];
		c->src = text;
		c->srclen = len;
		c->line_off = a.off;
		c->nlines = a.n;
		a.off = NULL;
		rc = 0;
	}
	am_error_clear();
	free(a.off);
	free(b.off);
	return rc;
}

/* The text of the audit in c->src: `text` itself when it needs no change,
 * else a normalised copy in src (which front matter is blanked in). */
static int prepare(ctx *c, am_buf *src, am_mojibake_info *moj, const char *text, size_t len,
		   const am_compile_options *opts)
{
	size_t max = opts && opts->max_size ? opts->max_size : AM_DEFAULT_MAX_SIZE;
	size_t split = opts && opts->split_min ? opts->split_min : AM_DEFAULT_SPLIT_MIN;
	if (len >= split && !(opts && opts->threads == 1) && prepare_halves(c, text, len, max) == 0) {
		memset(moj, 0, sizeof(*moj));
		moj->unchanged = true;
		return 0;
	}
	int rc = am_source__prepare(src, moj, text, len, c->name, max);
	if (rc < 0)
		return rc;
	if (moj->unchanged && len >= 4 && !strncmp(text, "---\n", 4))
		am_buf_put(src, text, len); /* front matter is blanked in a copy */
	if (moj->unchanged && !src->size) {
		c->src = text;
		c->srclen = len;
	} else {
		am_compile__front_matter(c, src->ptr ? src->ptr : "", src->size);
		c->src = am_buf_cstr(src);
		c->srclen = src->size;
	}
	index_lines(c);
	if (moj->repaired)
		am_compile__diag(c, AM_DIAG_WARNING, moj->line, moj->column, "mojibake",
				 "mojibake repaired in %u places (UTF-8 text that was read as Windows-1252 "
				 "and saved again)%s",
				 moj->repaired, moj->lost ? "; bytes lost on the way were replaced" : "");
	return 0;
}

/* ---- 3. walk ------------------------------------------------------------------- */

/* Heading blocks[i] in the walk: a heading finding (the blocks of its body
 * with it), the document title, or a section. Returns the index of the
 * last block it took. */
static size_t walk_heading(ctx *c, block_info *blocks, size_t i, size_t n, bool first_part, bool *preamble)
{
	am_span text = am_span_trim((am_span){ blocks[i].text, blocks[i].len });

	if (blocks[i].level >= 2)
		*preamble = false;
	if (blocks[i].candidate) {
		size_t end = am_compile__heading_end(blocks, i, n);
		if (blocks[i].level == 1)
			am_compile__date_from(c, text);
		am_compile__close_sections(c, blocks[i].level);
		am_compile__heading_finding(c, blocks, i, end);
		/* The audit is the finding ("# DEBT-039: ..." over "**Created:**
		 * 2026-01-19"): its date fields date the audit. */
		if (blocks[i].level == 1 && c->nfindings && !c->date[0]) {
			const am_finding *f = &c->findings[c->nfindings - 1];
			for (size_t k = 0; k < f->nfields && !c->date[0]; k++)
				if (am_vocab__has(c->vm.vocab, AM_VOCAB_DATE_FIELDS, am_span_from(f->fields[k].name)))
					am_compile__date_from(c, am_span_from(f->fields[k].value));
		}
		*preamble = false;
		return end - 1;
	}
	if (blocks[i].level == 1 && c->doc_title_text && ((i == 0 && first_part) || c->one_title))
		am_compile__push_section(c, 1, NULL); /* the document title is not a section */
	else
		am_compile__push_section(c, blocks[i].level, am_arena_strndup(c->arena, text.ptr, text.len));
	return i;
}

size_t am_compile__walk_blocks(ctx *c, block_info *blocks, size_t stop, size_t n, bool first_part,
			       bool *preamble)
{
	size_t freed = 0, i;

	for (i = 0; i < stop && !c->error; i++) {
		/* Blocks already compiled go back to the allocator at once: the
		 * tree shrinks while the model grows (parts' trees go whole, on
		 * the thread that parsed them: compile_pieces.c). The one before
		 * stays: a paragraph whose position cmark-gfm lost is placed
		 * after it (compile_inline.c). */
		for (; freed + 1 < i && !c->keep_trees; freed++) {
			am_md_node_free(blocks[freed].node);
			blocks[freed].node = NULL;
		}
		am_md_node *k = blocks[i].node;
		am_md_type type = am_md_type_of(k);
		c->line_offset = blocks[i].line_offset;
		if (type == AM_MD_HEADING || (blocks[i].lead && blocks[i].candidate)) {
			/* The first level-1 heading the context meets is the title. */
			if (!c->doc_title_text && blocks[i].level == 1) {
				am_span text = am_span_trim((am_span){ blocks[i].text, blocks[i].len });
				c->doc_title_text = am_arena_strndup(c->arena, text.ptr, text.len);
			}
			i = walk_heading(c, blocks, i, n, first_part, preamble);
			continue;
		}
		if (type == AM_MD_PARAGRAPH || type == AM_MD_LIST)
			am_compile__meta_block(c, k, *preamble);
		if (type == AM_MD_LIST || type == AM_MD_BLOCK_QUOTE)
			am_compile__find_checklists(c, k, 0);
		else if (type == AM_MD_TABLE)
			am_compile__table_findings(c, k, am_compile__line_above(c, LINE(c, k)));
	}
	return i;
}

/* ---- 5. build the report ------------------------------------------------------- */

/* The report, which takes the context's arena. */
static am_report *build_report(ctx *c, const am_compile_options *opts, const am_mojibake_info *moj)
{
	am_report *r = am_xcalloc(1, sizeof(*r));
	am_arena *arena = c->arena;

	r->arena = arena;
	c->arena = NULL;
	r->source = opts && opts->source ? am_arena_strdup(arena, opts->source) : NULL;
	r->title = c->doc_title_text;
	r->date = c->date[0] ? am_arena_strdup(arena, c->date) : NULL;
	r->metadata = am_arena_memdup(arena, c->meta, c->nmeta, sizeof(am_field));
	r->nmetadata = c->nmeta;
	/* The findings' array goes with the report as it is: a copy of a large
	 * audit's would take pages the kernel has to clear first. */
	r->findings = c->nfindings ? c->findings : NULL;
	r->nfindings = c->nfindings;
	am_arena_own(arena, r->findings);
	if (r->findings) {
		c->findings = NULL;
		c->nfindings = c->capfindings = 0;
	}
	r->diags = am_arena_memdup(arena, c->diags, c->ndiags, sizeof(am_diag));
	r->ndiags = c->ndiags;
	r->mojibake_repaired = (int)moj->repaired;
	r->summary = am_arena_memdup(arena, c->summary, c->nsummary, sizeof(am_summary_row));
	r->nsummary = c->nsummary;
	return r;
}

/* ---- the pipeline ---------------------------------------------------------------- */

/* The stages, once; in parts when `parts` (see am_compile__compile_parts),
 * unit by unit with cache cc when not NULL (compile_cache.c): 1 when they
 * would not give what one pass gives, and the audit is to be compiled
 * again in one pass. *one_title: whether the audit has one level-1
 * heading, when known. */
static int compile_once(am_report **out, const char *text, size_t len, const am_compile_options *opts,
			const am_vocab *vocab, bool parts, am_compile_cache *cc, bool *one_title)
{
	am_buf src = AM_BUF_INIT;
	am_mojibake_info moj;
	ctx c;
	int rc;

	if (cc) {
		am_compile__ctx_init_bare(&c, opts);
		rc = am_compile__cache_lend(cc, vocab, &c, 0);
	} else {
		rc = am_compile__ctx_init(&c, opts, vocab, true);
	}
	if (rc < 0 || (rc = prepare(&c, &src, &moj, text, len, opts)) < 0 ||
	    (rc = cc ? am_compile__cached_parts(&c, opts, cc) : am_compile__compile_parts(&c, opts, vocab, parts)) != 0)
		goto done;
	if (c.nfindings > AM_MAX_FINDINGS) {
		am_error_set("%s: more findings than the limit of %d", c.name, AM_MAX_FINDINGS);
		rc = AM_ELIMIT;
		goto done;
	}
	if (c.doc_title_text)
		am_compile__date_from(&c, am_span_from(c.doc_title_text));
	am_compile__merge_table_rows(&c);
	am_compile__assign_ids(&c);
	*out = build_report(&c, opts, &moj);
done:
	*one_title = c.one_title;
	if (cc && am_compile__cache_take_back(cc, &c, 0) < 0 && rc >= 0) {
		am_report_free(*out);
		*out = NULL;
		rc = AM_ERROR;
	}
	am_compile__ctx_free(&c);
	am_buf_free(&src);
	return rc;
}

static int check_options(const am_compile_options *opts)
{
	if (opts && opts->version != AM_COMPILE_OPTIONS_VERSION) {
		am_error_set("am_compile: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	return 0;
}

int am_compile(am_report **out, const char *text, size_t len, const am_compile_options *opts)
{
	am_vocab *own_vocab = NULL;
	const am_vocab *vocab = opts ? opts->vocab : NULL;
	bool one_title;
	int rc;

	*out = NULL;
	if ((rc = check_options(opts)) < 0)
		return rc;
	if (opts && opts->compiler)
		vocab = opts->compiler->vocab;
	if (!vocab) {
		am_vocab_new(&own_vocab);
		vocab = own_vocab;
	}
	if ((rc = compile_once(out, text, len, opts, vocab, true, NULL, &one_title)) == 1) {
		am_error_clear();
		rc = compile_once(out, text, len, opts, vocab, false, NULL, &one_title);
	}
	am_vocab_free(own_vocab);
	return rc;
}

int am_compile__cached(am_report **out, const char *text, size_t len, const am_compile_options *opts,
		       am_compile_cache *cc)
{
	const am_vocab *vocab = am_compile__cache_vocab(cc, opts ? opts->vocab : NULL);
	bool one_title = false;
	int rc;

	*out = NULL;
	if ((rc = check_options(opts)) < 0)
		return rc;
	rc = compile_once(out, text, len, opts, vocab, true, cc, &one_title);
	am_compile__cache_done(cc, rc == 0, one_title);
	if (rc == 1) {
		am_error_clear();
		if ((rc = compile_once(out, text, len, opts, vocab, false, NULL, &one_title)) == 0)
			am_compile__cache_done(cc, true, one_title);
	}
	return rc;
}
