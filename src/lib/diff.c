/*
 * diff.c: which finding of OLD is which finding of NEW, and what happened
 * to each.
 *
 * Matching goes in rounds, each over what the previous left:
 *  1. the same explicit ID (`[H-01]`, `BUG-001`) and the same title;
 *  2. the same normalised title (no numbering, status marks, Markdown, case
 *     or punctuation), whatever the IDs;
 *  3. the same explicit ID under a new title;
 *  4. a similarity score over title words, cited file names and section.
 *     Candidates come from an inverted index of those tokens (rarest tokens
 *     first, a bounded number of candidates per finding), never from all
 *     pairs; the pairs above the threshold are assigned best first, one to
 *     one.
 */
#include "auditmd/diff.h"

#include <string.h>

#include "util.h"

int am_change_arrived_closed(const am_change *ch)
{
	return ch->kind == AM_CHANGE_NEW && am_status_is_closed(ch->new_finding->status);
}

const char *am_change_kind_name(am_change_kind kind)
{
	static const char *const names[] = { "regressed", "resolved", "new", "removed", "open", "closed" };
	return (unsigned)kind < AM_CHANGE__COUNT ? names[kind] : "unknown";
}

const char *am_change_kind_heading(am_change_kind kind)
{
	static const char *const headings[] = { "Regressed", "Resolved", "New", "Removed",
						"Still open", "Still closed" };
	return (unsigned)kind < AM_CHANGE__COUNT ? headings[kind] : "Unknown";
}

const char *am_match_kind_name(am_match_kind kind)
{
	switch (kind) {
	case AM_MATCH_ID: return "id";
	case AM_MATCH_TITLE: return "title";
	case AM_MATCH_SIMILARITY: return "similarity";
	default: return NULL;
	}
}

const char *am_changed_name(unsigned bit)
{
	static const char *const names[] = { "renumbered", "retitled", "moved", "status",
					     "priority", "severity", "evidence", "text", "checkbox" };
	for (unsigned i = 0; i < AM_CHANGED__COUNT; i++)
		if (bit == 1u << i)
			return names[i];
	return NULL;
}

/* ---- tokens ----------------------------------------------------------------- */

/* Interned strings: token text -> dense id. */
typedef struct {
	uint32_t *slots; /* id + 1, 0 for empty */
	size_t cap;
	char **text;
	size_t n, captext;
} interner;

static uint32_t intern(interner *in, const char *s, size_t len)
{
	if ((in->n + 1) * 2 > in->cap) {
		size_t ncap = in->cap ? in->cap * 2 : 1024;
		uint32_t *ns = am_xcalloc(ncap, sizeof(uint32_t));
		for (size_t i = 0; i < in->cap; i++)
			if (in->slots[i]) {
				const char *t = in->text[in->slots[i] - 1];
				size_t h = (size_t)am_hash_mem(t, strlen(t)) & (ncap - 1);
				while (ns[h])
					h = (h + 1) & (ncap - 1);
				ns[h] = in->slots[i];
			}
		free(in->slots);
		in->slots = ns;
		in->cap = ncap;
	}
	size_t h = (size_t)am_hash_mem(s, len) & (in->cap - 1);
	while (in->slots[h]) {
		const char *t = in->text[in->slots[h] - 1];
		if (!strncmp(t, s, len) && t[len] == '\0')
			return in->slots[h] - 1;
		h = (h + 1) & (in->cap - 1);
	}
	am_grow((void **)&in->text, &in->captext, in->n + 1, sizeof(char *));
	in->text[in->n] = am_xstrndup(s, len);
	in->slots[h] = (uint32_t)(in->n + 1);
	return (uint32_t)in->n++;
}

static void interner_free(interner *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->text[i]);
	free(in->text);
	free(in->slots);
}

static bool stopword(const char *w, size_t len)
{
	static const char *const words[] = {
		"the", "an", "and", "or", "of", "in", "on", "for", "to", "with", "is", "are", "be",
		"not", "no", "by", "at", "as", "from", "into", "via", "use", "uses", "using", "it",
		"its", "this", "that", "add", "fix", "resolved", "fixed", "done", "open",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && !memcmp(words[i], w, len))
			return true;
	return false;
}

typedef struct {
	uint32_t *title; /* sorted, unique */
	size_t ntitle;
	uint32_t *paths; /* sorted, unique */
	size_t npaths;
	uint32_t section;
	uint32_t number; /* interned "n:<number>" + 1, or 0 */
} tokens;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static size_t sort_unique(uint32_t *v, size_t n)
{
	size_t k = 0;
	qsort(v, n, sizeof(uint32_t), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

static uint32_t *copy_u32(const uint32_t *v, size_t n)
{
	uint32_t *r = am_xmalloc((n ? n : 1) * sizeof(uint32_t));
	memcpy(r, v, n * sizeof(uint32_t));
	return r;
}

static void tokenize(interner *in, const am_finding *f, tokens *t, am_buf *scratch)
{
	uint32_t buf[256];
	size_t n = 0;
	const char *s = f->norm_title ? f->norm_title : "";

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; s[i];) {
		while (s[i] == ' ')
			i++;
		size_t start = i;
		while (s[i] && s[i] != ' ')
			i++;
		size_t len = i - start;
		if (len < 2 || stopword(s + start, len) || n >= 256)
			continue;
		if (len > 3 && s[start + len - 1] == 's')
			len--; /* tokens ~ token */
		am_buf_clear(scratch);
		am_buf_puts(scratch, "t:");
		am_buf_put(scratch, s + start, len);
		buf[n++] = intern(in, scratch->ptr, scratch->size);
	}
	t->ntitle = sort_unique(buf, n);
	t->title = copy_u32(buf, t->ntitle);

	n = 0;
	for (size_t i = 0; i < f->ncitations && n < 256; i++) {
		const am_citation *c = &f->citations[i];
		if (c->role != AM_CITE_EVIDENCE)
			continue;
		const char *base = strrchr(c->path, '/');
		base = base ? base + 1 : c->path;
		am_buf_clear(scratch);
		am_buf_puts(scratch, "p:");
		for (const char *p = base; *p; p++)
			am_buf_putc(scratch, am_tolower((unsigned char)*p));
		buf[n++] = intern(in, scratch->ptr, scratch->size);
	}
	t->npaths = sort_unique(buf, n);
	t->paths = copy_u32(buf, t->npaths);

	am_buf_clear(scratch);
	am_buf_puts(scratch, "s:");
	for (size_t i = 0; i < f->nsection; i++) {
		am_buf_puts(scratch, f->section[i]);
		am_buf_putc(scratch, '\x1f');
	}
	t->section = intern(in, scratch->ptr, scratch->size);
	if (f->number) {
		am_buf_clear(scratch);
		am_buf_puts(scratch, "n:");
		am_buf_puts(scratch, f->number);
		t->number = intern(in, scratch->ptr, scratch->size) + 1;
	}
}

static size_t intersect(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, k = 0, n = 0;
	while (i < na && k < nb) {
		if (a[i] == b[k]) {
			n++;
			i++;
			k++;
		} else if (a[i] < b[k]) {
			i++;
		} else {
			k++;
		}
	}
	return n;
}

/* 0..1: title words (Dice), cited file names (Jaccard), same section;
 * the same number in the same section adds 0.25 (a finding retitled in
 * place), which alone stays under the default threshold. */
static double similarity(const tokens *a, const tokens *b)
{
	double title = 0, paths = 0, section = a->section == b->section ? 1.0 : 0.0, sc;
	if (a->ntitle + b->ntitle)
		title = 2.0 * (double)intersect(a->title, a->ntitle, b->title, b->ntitle) /
			(double)(a->ntitle + b->ntitle);
	if (!a->npaths && !b->npaths) {
		sc = (0.55 * title + 0.15 * section) / 0.70;
	} else {
		size_t common = intersect(a->paths, a->npaths, b->paths, b->npaths);
		paths = (double)common / (double)(a->npaths + b->npaths - common);
		sc = 0.55 * title + 0.30 * paths + 0.15 * section;
	}
	if (a->number && a->number == b->number && section > 0 && sc > 0.15 + 1e-9)
		sc += 0.25;
	return sc > 1.0 ? 1.0 : sc;
}

/* ---- classification ------------------------------------------------------------ */

static bool is_active(am_status s)
{
	return !am_status_is_closed(s);
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int cmp_cite(const void *x, const void *y)
{
	const am_citation *a = *(const am_citation *const *)x, *b = *(const am_citation *const *)y;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

static bool same_evidence(const am_finding *a, const am_finding *b)
{
	const am_citation **x = am_xmalloc((a->ncitations + 1) * sizeof(*x));
	const am_citation **y = am_xmalloc((b->ncitations + 1) * sizeof(*y));
	size_t nx = 0, ny = 0;
	bool same = true;

	for (size_t i = 0; i < a->ncitations; i++)
		if (a->citations[i].role == AM_CITE_EVIDENCE)
			x[nx++] = &a->citations[i];
	for (size_t i = 0; i < b->ncitations; i++)
		if (b->citations[i].role == AM_CITE_EVIDENCE)
			y[ny++] = &b->citations[i];
	if (nx != ny) {
		same = false;
	} else {
		if (nx)
			qsort(x, nx, sizeof(*x), cmp_cite);
		if (ny)
			qsort(y, ny, sizeof(*y), cmp_cite);
		for (size_t i = 0; i < nx && same; i++)
			same = !cmp_cite(&x[i], &y[i]);
	}
	free(x);
	free(y);
	return same;
}

static void classify(am_change *ch)
{
	const am_finding *o = ch->old_finding, *n = ch->new_finding;
	if (!o) {
		ch->kind = AM_CHANGE_NEW;
		return;
	}
	if (!n) {
		ch->kind = AM_CHANGE_REMOVED;
		return;
	}
	if (is_active(o->status) && !is_active(n->status))
		ch->kind = AM_CHANGE_RESOLVED;
	else if (!is_active(o->status) && is_active(n->status))
		ch->kind = AM_CHANGE_REGRESSED;
	else if (is_active(n->status))
		ch->kind = AM_CHANGE_OPEN;
	else
		ch->kind = AM_CHANGE_CLOSED;

	if (o->number && n->number && strcmp(o->number, n->number))
		ch->changed |= AM_CHANGED_RENUMBERED;
	if (!same_str(o->norm_title, n->norm_title))
		ch->changed |= AM_CHANGED_RETITLED;
	if (!am_finding_same_section(o, n))
		ch->changed |= AM_CHANGED_MOVED;
	if (o->status != n->status)
		ch->changed |= AM_CHANGED_STATUS;
	if (o->priority != n->priority)
		ch->changed |= AM_CHANGED_PRIORITY;
	if (o->severity != n->severity)
		ch->changed |= AM_CHANGED_SEVERITY;
	if (!same_evidence(o, n))
		ch->changed |= AM_CHANGED_EVIDENCE;
	if (o->text_hash != n->text_hash)
		ch->changed |= AM_CHANGED_TEXT;
	if (o->checkbox && n->checkbox && o->checkbox != n->checkbox)
		ch->changed |= AM_CHANGED_CHECKBOX;
}

/* ---- matching ------------------------------------------------------------------- */

typedef struct {
	double score;
	uint32_t o, n;
} pair;

static int by_score(const void *x, const void *y)
{
	const pair *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	/* Ties: the pair closest in document order first, then stable. */
	long da = labs((long)a->o - (long)a->n), db = labs((long)b->o - (long)b->n);
	if (da != db)
		return da < db ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

/* Keyed matching (rounds 1 and 2): equal keys pair up in document order. */
static void match_keys(const char *const *okeys, const char *const *nkeys, size_t no, size_t nn,
		       int32_t *old_to_new, int32_t *new_to_old, am_match_kind kind,
		       am_match_kind *how)
{
	/* Open addressing from key to the queue of unmatched old indices. */
	size_t cap = 16;
	while (cap < no * 2 + 2)
		cap *= 2;
	int32_t *head = am_xmalloc(cap * sizeof(int32_t));
	int32_t *next = am_xmalloc((no + 1) * sizeof(int32_t));
	for (size_t i = 0; i < cap; i++)
		head[i] = -1;
	/* Insert in reverse so each chain is in document order. */
	for (size_t i = no; i-- > 0;) {
		if (old_to_new[i] >= 0 || !okeys[i] || !okeys[i][0])
			continue;
		size_t h = (size_t)am_hash_mem(okeys[i], strlen(okeys[i])) & (cap - 1);
		while (head[h] >= 0 && strcmp(okeys[head[h]], okeys[i]))
			h = (h + 1) & (cap - 1);
		next[i] = head[h];
		head[h] = (int32_t)i;
	}
	for (size_t k = 0; k < nn; k++) {
		if (new_to_old[k] >= 0 || !nkeys[k] || !nkeys[k][0])
			continue;
		size_t h = (size_t)am_hash_mem(nkeys[k], strlen(nkeys[k])) & (cap - 1);
		while (head[h] >= 0 && strcmp(okeys[head[h]], nkeys[k]))
			h = (h + 1) & (cap - 1);
		int32_t o = head[h];
		if (o < 0)
			continue;
		head[h] = next[o];
		old_to_new[o] = (int32_t)k;
		new_to_old[k] = o;
		how[k] = kind;
	}
	free(head);
	free(next);
}

#define MAX_CANDIDATES 256
#define MAX_TOKENS 512

/* Who is matched with whom so far, and how. */
typedef struct {
	const am_report *old, *new;
	size_t no, nn;
	int32_t *old_to_new, *new_to_old; /* -1: not matched yet */
	am_match_kind *how;
	double *score;
} matching;

/* Appends F's "ID<US>title" key and its NUL; returns where it starts. */
static size_t put_id_title(am_buf *keys, const am_finding *f)
{
	size_t off = keys->size;
	if (f->id_explicit && f->id)
		am_buf_puts(keys, f->id);
	am_buf_putc(keys, '\x1f');
	if (f->norm_title)
		am_buf_puts(keys, f->norm_title);
	am_buf_putc(keys, '\0');
	return off;
}

/* Rounds 1 to 3: equal keys. */
static void match_exact(matching *m)
{
	const am_finding *of = m->old->findings, *nf = m->new->findings;
	const char **okeys = am_xmalloc((m->no + 1) * sizeof(char *));
	const char **nkeys = am_xmalloc((m->nn + 1) * sizeof(char *));

	/* Round 1: the same explicit ID and the same title. */
	am_buf keys = AM_BUF_INIT;
	size_t *ooff = am_xmalloc((m->no + 1) * sizeof(size_t));
	size_t *noff = am_xmalloc((m->nn + 1) * sizeof(size_t));
	for (size_t i = 0; i < m->no; i++)
		ooff[i] = put_id_title(&keys, &of[i]);
	for (size_t k = 0; k < m->nn; k++)
		noff[k] = put_id_title(&keys, &nf[k]);
	for (size_t i = 0; i < m->no; i++)
		okeys[i] = of[i].id_explicit ? keys.ptr + ooff[i] : NULL;
	for (size_t k = 0; k < m->nn; k++)
		nkeys[k] = nf[k].id_explicit ? keys.ptr + noff[k] : NULL;
	match_keys(okeys, nkeys, m->no, m->nn, m->old_to_new, m->new_to_old, AM_MATCH_ID, m->how);
	free(ooff);
	free(noff);

	/* Round 2: the same normalised title, whatever the IDs say: tables
	 * renumber their IDs ("T-141" becomes "T-162") when rows are inserted. */
	for (size_t i = 0; i < m->no; i++)
		okeys[i] = of[i].norm_title;
	for (size_t k = 0; k < m->nn; k++)
		nkeys[k] = nf[k].norm_title;
	match_keys(okeys, nkeys, m->no, m->nn, m->old_to_new, m->new_to_old, AM_MATCH_TITLE, m->how);

	/* Round 3: the same explicit ID under a new title. */
	for (size_t i = 0; i < m->no; i++)
		okeys[i] = of[i].id_explicit ? of[i].id : NULL;
	for (size_t k = 0; k < m->nn; k++)
		nkeys[k] = nf[k].id_explicit ? nf[k].id : NULL;
	match_keys(okeys, nkeys, m->no, m->nn, m->old_to_new, m->new_to_old, AM_MATCH_ID, m->how);
	for (size_t k = 0; k < m->nn; k++)
		if (m->new_to_old[k] >= 0)
			m->score[k] = 1.0;
	free(okeys);
	free(nkeys);
	am_buf_free(&keys);
}

/* Token -> the old findings holding it, in CSR form: post[start[t] ..
 * start[t + 1]). count[t] is how many hold it. */
typedef struct {
	uint32_t *count, *start, *post;
} postings;

/* A finding's tokens one by one: its paths, its title words, its number. */
static size_t ntokens(const tokens *t)
{
	return t->npaths + t->ntitle + (t->number != 0);
}

static uint32_t token_at(const tokens *t, size_t j)
{
	if (j < t->npaths)
		return t->paths[j];
	j -= t->npaths;
	return j < t->ntitle ? t->title[j] : t->number - 1;
}

static void postings_build(postings *p, const tokens *ot, size_t no, size_t ntok)
{
	p->count = am_xcalloc(ntok + 1, sizeof(uint32_t));
	for (size_t i = 0; i < no; i++)
		for (size_t j = 0, n = ntokens(&ot[i]); j < n; j++)
			p->count[token_at(&ot[i], j)]++;
	p->start = am_xmalloc((ntok + 2) * sizeof(uint32_t));
	p->start[0] = 0;
	for (size_t t = 0; t < ntok; t++)
		p->start[t + 1] = p->start[t] + p->count[t];
	p->post = am_xmalloc((p->start[ntok] + 1) * sizeof(uint32_t));
	uint32_t *fill = am_xcalloc(ntok + 1, sizeof(uint32_t));
	for (size_t i = 0; i < no; i++)
		for (size_t j = 0, n = ntokens(&ot[i]); j < n; j++) {
			uint32_t t = token_at(&ot[i], j);
			p->post[p->start[t] + fill[t]++] = (uint32_t)i;
		}
	free(fill);
}

static void postings_free(postings *p)
{
	free(p->count);
	free(p->start);
	free(p->post);
}

/* The old findings sharing a token with NT, rarest tokens first (they say
 * the most and cost the least), at most MAX_CANDIDATES. stamp[o] == mark
 * says o is already in. */
static size_t candidates(const postings *p, const tokens *nt, uint32_t *stamp, uint32_t mark,
			 uint32_t *cand)
{
	uint32_t mine[MAX_TOKENS];
	size_t nmine = ntokens(nt) < MAX_TOKENS ? ntokens(nt) : MAX_TOKENS;
	for (size_t j = 0; j < nmine; j++)
		mine[j] = token_at(nt, j);
	for (size_t a = 1; a < nmine; a++) {
		uint32_t v = mine[a];
		size_t b = a;
		for (; b > 0 && p->count[mine[b - 1]] > p->count[v]; b--)
			mine[b] = mine[b - 1];
		mine[b] = v;
	}
	size_t ncand = 0;
	for (size_t j = 0; j < nmine && ncand < MAX_CANDIDATES; j++) {
		uint32_t t = mine[j];
		for (uint32_t q = p->start[t]; q < p->start[t + 1] && ncand < MAX_CANDIDATES; q++) {
			uint32_t o = p->post[q];
			if (stamp[o] != mark) {
				stamp[o] = mark;
				cand[ncand++] = o;
			}
		}
	}
	return ncand;
}

/* The candidate pairs scoring at least THRESHOLD, best first. */
static pair *scored_pairs(const matching *m, const tokens *ot, const tokens *nt, size_t ntok,
			  double threshold, size_t *npairs)
{
	pair *pairs = NULL;
	size_t cap = 0;
	postings p;
	postings_build(&p, ot, m->no, ntok);
	uint32_t *stamp = am_xcalloc(m->no + 1, sizeof(uint32_t));
	uint32_t cand[MAX_CANDIDATES];
	*npairs = 0;
	for (size_t k = 0; k < m->nn; k++) {
		if (m->new_to_old[k] >= 0)
			continue;
		size_t ncand = candidates(&p, &nt[k], stamp, (uint32_t)(k + 1), cand);
		for (size_t j = 0; j < ncand; j++) {
			double sc = similarity(&ot[cand[j]], &nt[k]);
			if (sc < threshold)
				continue;
			am_grow((void **)&pairs, &cap, *npairs + 1, sizeof(pair));
			pairs[(*npairs)++] = (pair){ sc, cand[j], (uint32_t)k };
		}
	}
	free(stamp);
	postings_free(&p);
	if (*npairs)
		qsort(pairs, *npairs, sizeof(pair), by_score);
	return pairs;
}

/* Round 4: similarity among what is left, the best pairs first, one to one. */
static void match_similar(matching *m, double threshold)
{
	interner in = { 0 };
	am_buf scratch = AM_BUF_INIT;
	tokens *ot = am_xcalloc(m->no + 1, sizeof(tokens)), *nt = am_xcalloc(m->nn + 1, sizeof(tokens));
	size_t left_old = 0, left_new = 0;
	for (size_t i = 0; i < m->no; i++)
		if (m->old_to_new[i] < 0) {
			tokenize(&in, &m->old->findings[i], &ot[i], &scratch);
			left_old++;
		}
	for (size_t k = 0; k < m->nn; k++)
		if (m->new_to_old[k] < 0) {
			tokenize(&in, &m->new->findings[k], &nt[k], &scratch);
			left_new++;
		}
	size_t npairs = 0;
	pair *pairs = left_old && left_new ? scored_pairs(m, ot, nt, in.n, threshold, &npairs) : NULL;
	for (size_t q = 0; q < npairs; q++) {
		const pair *pr = &pairs[q];
		if (m->old_to_new[pr->o] >= 0 || m->new_to_old[pr->n] >= 0)
			continue;
		m->old_to_new[pr->o] = (int32_t)pr->n;
		m->new_to_old[pr->n] = (int32_t)pr->o;
		m->how[pr->n] = AM_MATCH_SIMILARITY;
		m->score[pr->n] = pr->score;
	}
	free(pairs);
	for (size_t i = 0; i < m->no + m->nn; i++) {
		tokens *t = i < m->no ? &ot[i] : &nt[i - m->no];
		free(t->title);
		free(t->paths);
	}
	free(ot);
	free(nt);
	interner_free(&in);
	am_buf_free(&scratch);
}

/* Changes: NEW's findings in order, then OLD's that were removed. */
static am_diff *changes(const matching *m)
{
	am_diff *d = am_xcalloc(1, sizeof(*d));
	d->old_report = m->old;
	d->new_report = m->new;
	d->changes = am_xcalloc(m->no + m->nn + 1, sizeof(am_change));
	for (size_t k = 0; k < m->nn; k++) {
		am_change *ch = &d->changes[d->nchanges++];
		ch->new_finding = &m->new->findings[k];
		if (m->new_to_old[k] >= 0) {
			ch->old_finding = &m->old->findings[m->new_to_old[k]];
			ch->matched_by = m->how[k];
			ch->similarity = m->score[k];
		}
		classify(ch);
		d->counts[ch->kind]++;
		d->new_closed += am_change_arrived_closed(ch);
	}
	for (size_t i = 0; i < m->no; i++)
		if (m->old_to_new[i] < 0) {
			am_change *ch = &d->changes[d->nchanges++];
			ch->old_finding = &m->old->findings[i];
			classify(ch);
			d->counts[ch->kind]++;
		}
	return d;
}

int am_diff_run(am_diff **out, const am_report *old_report, const am_report *new_report,
		const am_diff_options *opts)
{
	if (opts && opts->version != AM_DIFF_OPTIONS_VERSION) {
		am_error_set("am_diff_run: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	if (opts && !(opts->threshold >= 0 && opts->threshold <= 1)) {
		/* Written so that NaN fails too: it compares false with everything. */
		am_error_set("am_diff_run: threshold %g is not in (0, 1]", opts->threshold);
		return AM_EUSAGE;
	}
	matching m = { .old = old_report, .new = new_report };
	m.no = old_report->nfindings;
	m.nn = new_report->nfindings;
	m.old_to_new = am_xmalloc((m.no + 1) * sizeof(int32_t));
	m.new_to_old = am_xmalloc((m.nn + 1) * sizeof(int32_t));
	m.how = am_xcalloc(m.nn + 1, sizeof(am_match_kind));
	m.score = am_xcalloc(m.nn + 1, sizeof(double));
	for (size_t i = 0; i < m.no; i++)
		m.old_to_new[i] = -1;
	for (size_t k = 0; k < m.nn; k++)
		m.new_to_old[k] = -1;

	match_exact(&m);
	match_similar(&m, opts && opts->threshold > 0 ? opts->threshold : 0.5);
	*out = changes(&m);
	free(m.old_to_new);
	free(m.new_to_old);
	free(m.how);
	free(m.score);
	return 0;
}

void am_diff_free(am_diff *diff)
{
	if (!diff)
		return;
	free(diff->changes);
	free(diff);
}
