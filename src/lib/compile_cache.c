/*
 * compile_cache.c: the revisions of one audit compiled one after the other
 * (log.c): what a revision shares with those compiled before is taken as
 * it was compiled, not compiled again.
 *
 * A revision is cut at every place am_compile__find_cuts knows, and walked
 * unit by unit, a unit being the parts from one cut to the first cut whose
 * heading closes everything before it (am_compile__window_open: no heading
 * judged on, no finding's body running on, past it). One pass walks a unit
 * alike wherever it stands, given its bytes, how its closing heading
 * closes it (its level; the line itself when being a field heading or not
 * decides it) and the walk's state where it starts: the open sections,
 * whether the walk is in the preamble, at the audit's first block, has met
 * a title or a date, takes a level-1 heading for the only one, the
 * metadata keys so far (a key is kept once) and the ID schemes of the
 * explicit IDs so far (an item's bold lead is a finding when an earlier
 * finding's ID has its scheme: "BUG" of BUG-001). A unit met again with
 * all of these the same, whose lookups among earlier findings (an item's
 * ID scheme, a finding listed again: "- H-01 (fixed in #231)") get the
 * same answers as the first time, gives the same findings, diagnostics,
 * count-table rows and metadata, moved by the lines it moved, and leaves the same
 * state: they are taken from the first time, not compiled. Every other
 * unit is compiled as one pass compiles it, and every revision is
 * post-processed whole (rows merged, IDs), as am_compile does.
 *
 * What the state cannot tell is left to am_compile: a legend (it acts
 * across the audit), an error or a diagnostic while collecting, a guess of
 * the only level-1 heading that the revision proves wrong, a limit
 * reached. Then 1: the revision is compiled as am_compile compiles it.
 */
#include <string.h>

#include "compile_cache.h"
#include "compile_int.h"

/* The walk's state where a unit starts. */
typedef struct {
	section *sections;
	int nsections;
	bool preamble, first, title, date, one_title;
	const char **meta; /* the metadata keys so far, in order */
	size_t nmeta;
	const char **schemes; /* the ID schemes so far, in no order */
	size_t nschemes;
} walk_state;

typedef struct unit unit;
struct unit {
	unit *next; /* another unit whose first part hashes alike */
	uint64_t first_hash;
	const char *bytes; /* its text */
	size_t len;
	bool at_end;            /* closed by the audit's end */
	int after_level;        /* the closing heading's level */
	int body_level, field_level; /* what it leaves open (am_compile__window_open) */
	const char *after_line; /* the closing heading's line, when it decides */
	size_t after_len;
	uint32_t line;          /* the line it started at */
	size_t first_finding;   /* the index of its first finding then */
	size_t nblocks;         /* its top-level blocks */
	walk_state in;
	am_buf lookups;         /* its lookups among earlier findings (see ctx), in the cache's arena */
	/* What it gives: findings (before post-processing), diagnostics,
	 * count-table rows and metadata, the title and date it found, the
	 * state after it. */
	am_finding *findings;
	size_t nfindings;
	am_diag *diags;
	size_t ndiags;
	am_summary_row *summary;
	size_t nsummary;
	am_field *meta;
	size_t nmeta;
	const char *title;
	char date[11];
	section *sections_out;
	int nsections_out;
	bool preamble_out;
	size_t titles;       /* its level-1 headings */
	bool one_title_used; /* it walked a level-1 heading that rule decides */
};

/* The matchers of one context, kept from compile to compile. */
typedef struct {
	am_vocab_matcher vm;
	am_cite_scanner cs;
	am_date_matcher dm;
	am_re *prefix_re;
} matchers;

struct am_compile_cache {
	am_vocab *own_vocab;   /* the built-in one, when no other is given */
	const am_vocab *vocab; /* the matchers' and the units' */
	bool ready;
	matchers m[2];          /* the walk's, the collector's */
	struct am_arena *arena; /* units */
	unit **slots;           /* by the hash of a unit's first part */
	size_t cap, n;
	unit *pending;          /* compiled by this compile: kept if it succeeds */
	bool one_title;         /* the last revision had one level-1 heading */
	size_t taken;           /* units taken, not compiled */
};

am_compile_cache *am_compile__cache_new(void)
{
	am_compile_cache *cc = am_xcalloc(1, sizeof(*cc));
	cc->one_title = true;
	return cc;
}

static void matchers_free(matchers *m)
{
	am_vocab__matcher_free(&m->vm);
	am_cite__scanner_free(&m->cs);
	am_date__matcher_free(&m->dm);
	am_re_free(m->prefix_re);
	memset(m, 0, sizeof(*m));
}

static int matchers_init(matchers *m, const am_vocab *vocab)
{
	int rc;
	memset(m, 0, sizeof(*m));
	if ((rc = am_vocab__matcher_init(&m->vm, vocab)) < 0 || (rc = am_cite__scanner_init(&m->cs, vocab)) < 0 ||
	    (rc = am_date__matcher_init(&m->dm)) < 0 || (rc = am_compile__title_re_new(&m->prefix_re)) < 0)
		return rc;
	return 0;
}

static void forget(am_compile_cache *cc)
{
	if (cc->ready) {
		matchers_free(&cc->m[0]);
		matchers_free(&cc->m[1]);
	}
	am_arena_free(cc->arena);
	free(cc->slots);
	cc->arena = NULL;
	cc->slots = NULL;
	cc->cap = cc->n = 0;
	cc->pending = NULL;
	cc->ready = false;
}

void am_compile__cache_free(am_compile_cache *cc)
{
	if (!cc)
		return;
	forget(cc);
	am_vocab_free(cc->own_vocab);
	free(cc);
}

size_t am_compile__cache_taken(const am_compile_cache *cc)
{
	return cc->taken;
}

const am_vocab *am_compile__cache_vocab(am_compile_cache *cc, const am_vocab *vocab)
{
	if (vocab)
		return vocab;
	if (!cc->own_vocab)
		am_vocab_new(&cc->own_vocab);
	return cc->own_vocab;
}

int am_compile__cache_lend(am_compile_cache *cc, const am_vocab *vocab, ctx *c, int which)
{
	int rc;
	if (!cc->ready || cc->vocab != vocab) {
		forget(cc);
		cc->ready = true;
		cc->vocab = vocab;
		cc->arena = am_arena_new();
		if ((rc = matchers_init(&cc->m[0], vocab)) < 0 || (rc = matchers_init(&cc->m[1], vocab)) < 0) {
			forget(cc);
			return rc;
		}
	}
	c->vm = cc->m[which].vm;
	c->cs = cc->m[which].cs;
	c->dm = cc->m[which].dm;
	c->prefix_re = cc->m[which].prefix_re;
	c->lent_matchers = true;
	return 0;
}

int am_compile__cache_take_back(am_compile_cache *cc, ctx *c, int which)
{
	matchers *m = &cc->m[which];
	if (!c->lent_matchers || !c->prefix_re)
		return 0;
	m->vm = c->vm;
	m->cs = c->cs;
	m->dm = c->dm;
	m->prefix_re = c->prefix_re;
	memset(&c->vm, 0, sizeof(c->vm));
	memset(&c->cs, 0, sizeof(c->cs));
	memset(&c->dm, 0, sizeof(c->dm));
	c->prefix_re = NULL;
	if (!m->vm.ndoc)
		return 0;
	/* The audit's own terms (a legend) are no others'. */
	am_vocab__matcher_free(&m->vm);
	return am_vocab__matcher_init(&m->vm, cc->vocab);
}

/* ---- the units kept ------------------------------------------------------------- */

static void insert(am_compile_cache *cc, unit *u)
{
	if ((cc->n + 1) * 2 > cc->cap) {
		size_t ncap = cc->cap ? cc->cap * 2 : 256;
		unit **ns = am_xcalloc(ncap, sizeof(unit *));
		for (size_t i = 0; i < cc->cap; i++)
			for (unit *v = cc->slots[i], *next; v; v = next) {
				next = v->next;
				v->next = ns[v->first_hash & (ncap - 1)];
				ns[v->first_hash & (ncap - 1)] = v;
			}
		free(cc->slots);
		cc->slots = ns;
		cc->cap = ncap;
	}
	u->next = cc->slots[u->first_hash & (cc->cap - 1)];
	cc->slots[u->first_hash & (cc->cap - 1)] = u;
	cc->n++;
}

void am_compile__cache_done(am_compile_cache *cc, bool ok, bool one_title)
{
	unit *u = cc->pending, *next;
	cc->pending = NULL;
	if (!ok)
		return; /* they point into a compile that is gone */
	for (; u; u = next) {
		next = u->next;
		insert(cc, u);
	}
	cc->one_title = one_title;
}

/* ---- a revision, unit by unit ------------------------------------------------------- */

typedef struct {
	ctx *c;
	ctx collector;
	am_compile_cache *cc;
	cut_point *cuts; /* part k runs from cut k-1 to cut k */
	size_t ncuts;
	window w;
	bool preamble;
	size_t nblocks; /* top-level blocks walked */
	size_t titles;
	bool one_title_used;
	am_strset schemes; /* the ID schemes so far (strings in the cache's arena) */
} run;

static size_t part_start(const run *r, size_t k)
{
	return k ? r->cuts[k - 1].at : 0;
}

static size_t part_end(const run *r, size_t k)
{
	return k < r->ncuts ? r->cuts[k].at : r->c->srclen;
}

/* The part that starts at byte `at`, or ncuts + 1 (none). */
static size_t part_at(const run *r, size_t at)
{
	size_t lo = 0, hi = r->ncuts;
	if (at == 0)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->cuts[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ncuts && r->cuts[lo].at == at ? lo + 1 : r->ncuts + 1;
}

/* The line at byte `at` of the source, without its newline. */
static am_span line_at(const ctx *c, size_t at)
{
	const char *nl = memchr(c->src + at, '\n', c->srclen - at);
	return (am_span){ c->src + at, nl ? (size_t)(nl - (c->src + at)) : c->srclen - at };
}

/* The ID schemes of the explicit IDs of f[0..n): what comes before each
 * '-' in them. */
static void add_schemes(run *r, const am_finding *f, size_t n)
{
	am_buf scheme = AM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *id = f[i].id;
		if (!f[i].id_explicit || !id)
			continue;
		for (const char *d = strchr(id, '-'); d; d = strchr(d + 1, '-')) {
			am_buf_clear(&scheme);
			am_buf_put(&scheme, id, (size_t)(d - id));
			if (!am_strset_has(&r->schemes, am_buf_cstr(&scheme)))
				am_strset_add(&r->schemes, am_arena_strndup(r->cc->arena, scheme.ptr, scheme.size));
		}
	}
	am_buf_free(&scheme);
}

/* Whether the walk's state now is st. */
static bool state_is(const run *r, const walk_state *st)
{
	const ctx *c = r->c;
	if (st->nsections != c->nsections || st->preamble != r->preamble || st->first != (r->nblocks == 0) ||
	    st->title != (c->doc_title_text != NULL) || st->date != (c->date[0] != '\0') ||
	    st->one_title != c->one_title || st->nmeta != c->nmeta || st->nschemes != r->schemes.n)
		return false;
	for (int i = 0; i < st->nsections; i++)
		if (!am_compile__same_section(&st->sections[i], &c->sections[i]))
			return false;
	for (size_t i = 0; i < st->nmeta; i++)
		if (strcmp(st->meta[i], c->meta[i].name))
			return false;
	for (size_t i = 0; i < st->nschemes; i++)
		if (!am_strset_has(&r->schemes, st->schemes[i]))
			return false;
	return true;
}

static void state_save(const run *r, walk_state *st, struct am_arena *arena)
{
	const ctx *c = r->c;
	st->nsections = c->nsections;
	st->sections = am_arena_memdup(arena, c->sections, (size_t)c->nsections, sizeof(section));
	st->preamble = r->preamble;
	st->first = r->nblocks == 0;
	st->title = c->doc_title_text != NULL;
	st->date = c->date[0] != '\0';
	st->one_title = c->one_title;
	st->nmeta = c->nmeta;
	st->meta = am_arena_alloc(arena, (c->nmeta + 1) * sizeof(char *));
	for (size_t i = 0; i < c->nmeta; i++)
		st->meta[i] = c->meta[i].name;
	st->nschemes = 0;
	st->schemes = am_arena_alloc(arena, (r->schemes.n + 1) * sizeof(char *));
	for (size_t i = 0; i < r->schemes.cap; i++)
		if (r->schemes.slots[i])
			st->schemes[st->nschemes++] = r->schemes.slots[i];
}

/* The unit met again at part k: same bytes, closed alike, same state. */
static const unit *find_unit(const run *r, size_t k)
{
	const ctx *c = r->c;
	size_t from = part_start(r, k), plen = part_end(r, k) - from;
	uint64_t h = am_hash_mem(c->src + from, plen);
	if (!r->cc->cap)
		return NULL;
	for (const unit *u = r->cc->slots[h & (r->cc->cap - 1)]; u; u = u->next) {
		if (u->first_hash != h || u->len > c->srclen - from ||
		    (u->len && memcmp(u->bytes, c->src + from, u->len)))
			continue;
		size_t end = from + u->len, next = part_at(r, end);
		if (u->at_end ? end != c->srclen : next > r->ncuts)
			continue;
		if (!u->at_end) {
			/* Its closing heading closes it again. */
			int level = r->cuts[next - 1].level;
			am_span l = line_at(c, end);
			if (level > u->body_level)
				continue;
			if (level > u->field_level &&
			    (!u->after_line || l.len != u->after_len || memcmp(l.ptr, u->after_line, l.len)))
				continue;
		}
		if (state_is(r, &u->in) && am_compile__lookups_hold(c, &u->lookups))
			return u;
	}
	return NULL;
}

/* Takes unit u, met again at part *k, as it was compiled; *k is the part
 * after it. 1 when a limit would be reached. */
static int take(run *r, const unit *u, size_t *k)
{
	ctx *c = r->c;
	size_t base = c->nfindings;
	int64_t delta = (int64_t)(*k ? r->cuts[*k - 1].line : 1) - (int64_t)u->line;

	if (c->nfindings + u->nfindings > AM_MAX_FINDINGS || c->ndiags + u->ndiags >= AM_COMPILE_MAX_DIAGS)
		return 1;
	am_compile__append(c,
			   &(walk_output){ u->findings, u->nfindings, u->first_finding, u->diags, u->ndiags,
					   u->summary, u->nsummary, u->meta, u->nmeta, u->title, u->date,
					   u->sections_out, u->nsections_out },
			   delta);
	r->preamble = u->preamble_out;
	r->nblocks += u->nblocks;
	r->titles += u->titles;
	r->one_title_used |= u->one_title_used;
	add_schemes(r, c->findings + base, u->nfindings);
	r->cc->taken++;
	*k = u->at_end ? r->ncuts + 1 : part_at(r, part_start(r, *k) + u->len);
	return 0;
}

/* Whether heading line `l` of `level` (a cut) is a field heading
 * ("### Impact"): collected alone. */
static int is_field_heading(run *r, am_span l, uint32_t line, bool *field)
{
	am_md_doc *doc = NULL;
	block_info *blocks = NULL;
	size_t n = 0;
	int rc = am_compile__collect_part(&r->collector, l.ptr, l.len, line, &doc, &blocks, &n);
	*field = rc == 0 && n && blocks[0].field_heading;
	free(blocks);
	am_md_free(doc);
	return rc;
}

/* Collects the parts of the unit u that starts at part *k into the window,
 * up to the heading that closes it (see the top); *k is the part after
 * it, and *body_level and *field_level what the unit leaves open. 1 when
 * one pass must compile the revision. */
static int collect_unit(run *r, unit *u, size_t *k, int *body_level, int *field_level)
{
	ctx *c = r->c;
	int rc;
	for (;;) {
		size_t pfrom = part_start(r, *k), pto = part_end(r, *k), ndiags = r->collector.ndiags;
		am_md_doc *doc = NULL;
		block_info *blocks = NULL;
		size_t n = 0;
		rc = am_compile__collect_part(&r->collector, c->src + pfrom, pto - pfrom,
					      *k ? r->cuts[*k - 1].line : 1, &doc, &blocks, &n);
		if (rc < 0 || r->collector.ndiags != ndiags || r->collector.vm.ndoc) {
			free(blocks);
			am_md_free(doc);
			return 1; /* an error, a diagnostic, a legend: one pass's way */
		}
		/* Its heading texts stay in the collector's arena: the walk copies
		 * into the revision's what it keeps of them. */
		am_compile__window_add(&r->w, &r->collector, doc, blocks, n);
		if (++*k > r->ncuts) {
			u->at_end = true;
			am_compile__window_stop(&r->w, true);
			return 0;
		}
		/* Does the next part's first heading close this one? */
		const cut_point *h = &r->cuts[*k - 1];
		am_compile__window_open(&r->w, body_level, field_level);
		if (h->level > *body_level)
			continue;
		if (h->level > *field_level) {
			am_span l = line_at(c, h->at);
			bool field;
			if ((rc = is_field_heading(r, l, h->line, &field)) < 0 || r->collector.vm.ndoc)
				return 1;
			if (field)
				continue;
			u->after_line = am_arena_strndup(r->cc->arena, l.ptr, l.len);
			u->after_len = l.len;
		}
		u->after_level = h->level;
		return 0;
	}
}

/* Keeps what unit u gives, compiled from byte `from` up to part k: the
 * findings, diagnostics, count-table rows and metadata from the indices
 * first[0..4) of the context's, and the state after it. */
static void keep_unit(run *r, unit *u, size_t from, size_t k, const size_t first[4], bool had_title,
		      bool had_date)
{
	ctx *c = r->c;
	am_compile_cache *cc = r->cc;
	size_t f0 = first[0], d0 = first[1], s0 = first[2], m0 = first[3];
	u->len = (u->at_end ? c->srclen : part_start(r, k)) - from;
	u->bytes = am_arena_memdup(cc->arena, c->src + from, u->len, 1);
	u->findings = am_arena_memdup(cc->arena, c->findings + f0, c->nfindings - f0, sizeof(am_finding));
	u->nfindings = c->nfindings - f0;
	u->diags = am_arena_memdup(cc->arena, c->diags + d0, c->ndiags - d0, sizeof(am_diag));
	u->ndiags = c->ndiags - d0;
	u->summary = am_arena_memdup(cc->arena, c->summary + s0, c->nsummary - s0, sizeof(am_summary_row));
	u->nsummary = c->nsummary - s0;
	u->meta = am_arena_memdup(cc->arena, c->meta + m0, c->nmeta - m0, sizeof(am_field));
	u->nmeta = c->nmeta - m0;
	u->title = had_title ? NULL : c->doc_title_text;
	if (!had_date)
		memcpy(u->date, c->date, sizeof(u->date));
	u->sections_out = am_arena_memdup(cc->arena, c->sections, (size_t)c->nsections, sizeof(section));
	u->nsections_out = c->nsections;
	u->preamble_out = r->preamble;
	u->next = cc->pending;
	cc->pending = u;
}

/* Compiles the unit that starts at part *k, as one pass does, and keeps
 * it; *k is the part after it. */
static int compile_unit(run *r, size_t *k)
{
	ctx *c = r->c;
	am_compile_cache *cc = r->cc;
	unit *u = am_arena_alloc(cc->arena, sizeof(unit));
	size_t from = part_start(r, *k);
	const size_t first[4] = { c->nfindings, c->ndiags, c->nsummary, c->nmeta };
	bool had_title = c->doc_title_text != NULL, had_date = c->date[0] != '\0';
	int body_level = 7, field_level = 7;

	memset(u, 0, sizeof(*u));
	u->first_hash = am_hash_mem(c->src + from, part_end(r, *k) - from);
	u->line = *k ? r->cuts[*k - 1].line : 1;
	u->first_finding = first[0];
	state_save(r, &u->in, cc->arena);
	r->w.base = r->nblocks;
	if (collect_unit(r, u, k, &body_level, &field_level))
		return 1;
	u->body_level = body_level;
	u->field_level = field_level;
	/* The walk, as one pass walks these blocks. */
	for (size_t i = 0; i < r->w.nwin && c->one_title; i++)
		u->one_title_used |= r->w.win[i].level == 1 && !r->w.win[i].candidate && r->w.base + i > 0;
	size_t nblocks = r->w.nwin, titles = r->w.titles;
	am_buf lookups = AM_BUF_INIT;
	c->lookups = &lookups;
	c->lookup_base = first[0];
	size_t walked = am_compile__walk_blocks(c, r->w.win, nblocks, nblocks, r->w.base == 0, &r->preamble);
	c->lookups = NULL;
	u->lookups.ptr = am_arena_memdup(cc->arena, lookups.ptr, lookups.size, 1);
	u->lookups.size = u->lookups.asize = lookups.size;
	am_buf_free(&lookups);
	if (walked != nblocks || c->error)
		return 1;
	am_compile__window_drop(&r->w, nblocks);
	r->w.titles = 0;
	r->nblocks += nblocks;
	r->titles += titles;
	r->one_title_used |= u->one_title_used;
	add_schemes(r, c->findings + first[0], c->nfindings - first[0]);
	if (c->ndiags >= AM_COMPILE_MAX_DIAGS)
		return 0; /* diagnostics were dropped: not one to take again */
	u->nblocks = nblocks;
	u->titles = titles;
	keep_unit(r, u, from, *k, first, had_title, had_date);
	return 0;
}

int am_compile__cached_parts(ctx *c, const am_compile_options *opts, am_compile_cache *cc)
{
	run r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.c = c;
	r.cc = cc;
	r.preamble = true;
	am_strset_init(&r.schemes, 16);
	am_compile__ctx_init_bare(&r.collector, opts);
	am_compile__share_source(&r.collector, c);
	r.collector.lent_matchers = true; /* none yet: none to free */
	if (!am_compile__find_cuts(c->src, c->srclen, &r.cuts, &r.ncuts))
		rc = 1; /* a link definition acts across the audit */
	else
		rc = am_compile__cache_lend(cc, cc->vocab, &r.collector, 1);
	/* The only level-1 heading: as the last revision had it. */
	c->one_title = cc->one_title;
	am_md_init();
	c->keep_trees = true; /* the parts' trees go whole (am_md_parse_part) */
	for (size_t k = 0; rc == 0 && k <= r.ncuts;) {
		const unit *u = find_unit(&r, k);
		rc = u ? take(&r, u, &k) : compile_unit(&r, &k);
	}
	c->keep_trees = false;
	if (rc == 0 && r.one_title_used && (r.titles == 1) != c->one_title)
		rc = 1;
	c->one_title = r.titles == 1;
	if (am_compile__cache_take_back(cc, &r.collector, 1) < 0 && rc == 0)
		rc = AM_ERROR;
	am_compile__window_free(&r.w);
	am_compile__ctx_free(&r.collector);
	am_strset_free(&r.schemes);
	free(r.cuts);
	return rc;
}
