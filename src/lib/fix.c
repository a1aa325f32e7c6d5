/*
 * fix.c: moved and renamed citations rewritten in the audit's own bytes.
 *
 * The verifier says where the lines are now (now_path, now_start,
 * now_end); the compiler says where the citation is written (its line and
 * column in the normalised text, which keeps the lines and, but for a BOM
 * on line 1, the columns of the bytes read). The line as read is scanned
 * again with the citation grammar, and the hit that starts at that column
 * with the same numbers is the citation: its numbers, and its path for a
 * renamed file, are replaced where they are written, and nothing else is
 * touched. A citation whose text is not found that way is left as it is,
 * and said so.
 */
#include "auditmd/fix.h"

#include <string.h>

#include "cite.h"
#include "gitrepo.h"
#include "util.h"
#include "verify_int.h"

struct am_fix_private {
	struct am_arena *arena;
};

/* One replacement of the text. */
typedef struct {
	size_t off, len;
	const char *with;
} patch;

typedef struct {
	const char *text;
	size_t len;
	size_t *line_starts; /* offset of each line (1-based index) */
	uint32_t nlines;
	size_t bom;          /* 3 when the text opens with a UTF-8 BOM */
	am_cite_scanner scanner;
	struct am_arena *arena;
	patch *patches;
	size_t npatches, cap;
	/* The hits of the line scanned last. */
	uint32_t scanned;
	am_cite_hit *hits;
	bool *used;
	size_t nhits, cap_hits;
} fixer;

/* Lines end with LF, CRLF or CR, as the compiler reads them. */
static void split_lines(fixer *f)
{
	size_t cap = 64;
	f->line_starts = am_xmalloc(cap * sizeof(size_t));
	f->nlines = 0;
	f->line_starts[++f->nlines] = f->bom;
	for (size_t i = f->bom; i < f->len; i++) {
		if (f->text[i] != '\n' && f->text[i] != '\r')
			continue;
		if (f->text[i] == '\r' && i + 1 < f->len && f->text[i + 1] == '\n')
			i++;
		if ((size_t)f->nlines + 2 > cap) {
			cap *= 2;
			f->line_starts = am_xrealloc(f->line_starts, cap * sizeof(size_t));
		}
		f->line_starts[++f->nlines] = i + 1;
	}
}

/* The end of line n (before its line ending). */
static size_t line_end(const fixer *f, uint32_t n)
{
	size_t e = n < f->nlines ? f->line_starts[n + 1] : f->len;
	while (e > f->line_starts[n] && (f->text[e - 1] == '\n' || f->text[e - 1] == '\r'))
		e--;
	return e;
}

static int keep_hit(const am_cite_hit *hit, void *payload)
{
	fixer *f = payload;
	am_grow((void **)&f->hits, &f->cap_hits, f->nhits + 1, sizeof(am_cite_hit));
	f->hits[f->nhits++] = *hit;
	return 0;
}

/* The hits of line n, offsets in the whole text. */
static int scan_line(fixer *f, uint32_t n)
{
	if (f->scanned == n)
		return 0;
	size_t s = f->line_starts[n], e = line_end(f, n);
	f->nhits = 0;
	f->scanned = n;
	int rc = am_cite__scan(&f->scanner, f->text + s, e - s, keep_hit, f);
	free(f->used);
	f->used = am_xcalloc(f->nhits ? f->nhits : 1, sizeof(bool));
	for (size_t i = 0; i < f->nhits; i++) {
		am_cite_hit *h = &f->hits[i];
		h->off += s;
		h->path_off += s;
		h->start_off += s;
		h->end_off += s;
	}
	return rc;
}

static void add_patch(fixer *f, size_t off, size_t len, const char *with)
{
	am_grow((void **)&f->patches, &f->cap, f->npatches + 1, sizeof(patch));
	f->patches[f->npatches++] = (patch){ off, len, with };
}

static const char *number(fixer *f, uint32_t n)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%u", n);
	return am_arena_strdup(f->arena, buf);
}

/* The path a renamed file is written as: `written` named `old`, the file
 * is `now`. The same form: a prefix such as "./" kept; a partial path
 * ("routes/billing.py") as many trailing parts of the new path. */
static const char *renamed_path(fixer *f, const char *written, const char *old, const char *now)
{
	size_t wl = strlen(written), ol = strlen(old);
	if (wl >= ol && !strcmp(written + wl - ol, old)) {
		am_buf b = AM_BUF_INIT;
		am_buf_put(&b, written, wl - ol);
		am_buf_puts(&b, now);
		const char *s = am_arena_strdup(f->arena, b.ptr);
		am_buf_free(&b);
		return s;
	}
	size_t parts = 1;
	for (const char *p = written; *p; p++)
		parts += *p == '/';
	const char *tail = now + strlen(now);
	while (tail > now && parts) {
		tail--;
		if (*tail == '/' && !--parts)
			tail++;
	}
	return tail;
}

/* A forge link whose ref is a commit id: its lines stay right. */
static bool pinned(const fixer *f, const am_cite_hit *h)
{
	if (h->path_off <= h->off + 1 || f->text[h->path_off - 1] != '/')
		return false;
	size_t e = h->path_off - 1, s = e;
	while (s > h->off && f->text[s - 1] != '/')
		s--;
	if (e - s < 7)
		return false;
	for (size_t i = s; i < e; i++) {
		int c = (unsigned char)f->text[i];
		if (!am_isdigit(c) && !((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
			return false;
	}
	return true;
}

/* The hit of the line scanned that is citation ci: the one at `at`, else
 * the first unused one after it with the same path and numbers (a link's
 * destination, where the compiler places the citation at the link). */
static const am_cite_hit *find_hit(fixer *f, const am_citation *ci, size_t at, size_t *index)
{
	size_t plen = strlen(ci->path);
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < f->nhits; k++) {
			const am_cite_hit *h = &f->hits[k];
			if (f->used[k] || h->path_len != plen || h->start != ci->start || h->end != ci->end ||
			    memcmp(f->text + h->path_off, ci->path, plen) ||
			    (pass == 0 ? h->path_off != at : h->path_off < at))
				continue;
			*index = k;
			return h;
		}
	return NULL;
}

/* Rewrites one moved or renamed citation: NULL, or why it is left. */
static const char *rewrite(fixer *f, const am_verify_result *r, const char **now)
{
	const am_citation *ci = r->citation;
	if (ci->line < 1 || ci->line > f->nlines || !ci->column)
		return "its text is not where the audit has it";
	size_t at = f->line_starts[ci->line] + ci->column - 1;
	if (at > line_end(f, ci->line))
		return "its text is not where the audit has it";
	if (scan_line(f, ci->line) < 0)
		return "its line could not be read";
	size_t k = 0;
	const am_cite_hit *h = find_hit(f, ci, at, &k);
	if (!h)
		return ci->start ? "its lines are written apart from its path"
				 : "its text is not where the audit has it";
	f->used[k] = true;
	if (h->start_len && pinned(f, h))
		return "a link to a commit, where its lines stay right";
	const char *path = ci->path;
	if (r->state == AM_VERIFY_RENAMED) {
		path = renamed_path(f, ci->path, r->path, r->now_path);
		add_patch(f, h->path_off, h->path_len, path);
	}
	if (ci->start && r->now_start != ci->start) {
		add_patch(f, h->start_off, h->start_len, number(f, r->now_start));
		if (h->end_len)
			add_patch(f, h->end_off, h->end_len, number(f, r->now_end));
	}
	char *spec = am_citation_spec(path, r->now_start, r->now_end);
	*now = am_arena_strdup(f->arena, spec);
	free(spec);
	return NULL;
}

static int by_offset(const void *a, const void *b)
{
	const patch *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

int am_fix_run(am_fix **out, const char *text, size_t len, const am_verify *v,
	       const am_fix_options *opts)
{
	fixer f = { 0 };
	am_vocab *own = NULL;
	am_fix *fix = NULL;
	am_buf b = AM_BUF_INIT;
	int rc;

	*out = NULL;
	if (opts && opts->version != AM_FIX_OPTIONS_VERSION) {
		am_error_set("fix: unsupported options version %u", opts->version);
		return AM_EUSAGE;
	}
	const am_vocab *vocab = opts ? opts->vocab : NULL;
	if (!vocab && (rc = am_vocab_new(&own)) < 0)
		return rc;
	if ((rc = am_cite__scanner_init(&f.scanner, vocab ? vocab : own)) < 0)
		goto done;
	fix = am_xcalloc(1, sizeof(*fix));
	fix->priv = am_xcalloc(1, sizeof(*fix->priv));
	fix->priv->arena = am_arena_new();
	f.arena = fix->priv->arena;
	f.text = text;
	f.len = len;
	f.bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	split_lines(&f);
	fix->edits = am_xcalloc(v->nresults ? v->nresults : 1, sizeof(am_fix_edit));
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if (r->state == AM_VERIFY_OK)
			continue;
		am_fix_edit *e = &fix->edits[fix->nedits++];
		e->result = r;
		if (r->state == AM_VERIFY_MOVED || r->state == AM_VERIFY_RENAMED) {
			e->reason = rewrite(&f, r, &e->now);
			e->outcome = e->reason ? AM_FIX_UNREACHABLE : AM_FIX_REWRITTEN;
		} else {
			e->outcome = AM_FIX_LEFT;
			e->reason = r->detail;
		}
		if (e->outcome == AM_FIX_REWRITTEN)
			fix->nrewritten++;
		else
			fix->nleft++;
	}
	if (f.npatches)
		qsort(f.patches, f.npatches, sizeof(patch), by_offset);
	size_t from = 0;
	for (size_t i = 0; i < f.npatches; i++) {
		if (f.patches[i].off < from)
			continue; /* the same text twice (a citation written twice alike) */
		am_buf_put(&b, text + from, f.patches[i].off - from);
		am_buf_puts(&b, f.patches[i].with);
		from = f.patches[i].off + f.patches[i].len;
	}
	am_buf_put(&b, text + from, len - from);
	fix->len = b.size;
	fix->text = b.ptr ? am_buf_detach(&b) : am_xstrdup("");
	*out = fix;
	fix = NULL;
done:
	am_cite__scanner_free(&f.scanner);
	free(f.line_starts);
	free(f.patches);
	free(f.hits);
	free(f.used);
	am_buf_free(&b);
	am_fix_free(fix);
	am_vocab_free(own);
	return rc;
}

void am_fix_free(am_fix *fix)
{
	if (!fix)
		return;
	free(fix->text);
	free(fix->edits);
	if (fix->priv)
		am_arena_free(fix->priv->arena);
	free(fix->priv);
	free(fix);
}

int am_fix_write_diff(FILE *fp, const char *text, size_t len, const am_fix *fix, const char *name)
{
	am_buf b = AM_BUF_INIT;
	int rc = am_git__diff_text(&b, text, len, fix->text, fix->len, name);
	if (rc == 0 && b.size && fwrite(b.ptr, 1, b.size, fp) != b.size)
		rc = AM_EIO;
	if (rc == AM_EIO)
		am_error_set("could not write the diff");
	am_buf_free(&b);
	return rc;
}
