/*
 * compile_inline.c: inline text. Renders the inlines of a block (text,
 * code spans, links, emphasis, breaks) to one string the other compile
 * files read as text, and keeps a position map from each byte of it back
 * to its line and column in the audit; records the link targets (for
 * citations), a leading **strong** run (a checklist title) and whether
 * the whole text is ~~struck~~ (a resolved item). Hands on the rendered
 * text (`inl`) and positions.
 *
 * Rendered-text buffers come from a small pool in the context: one
 * paragraph after another reuses the same allocations.
 */
#include <string.h>
#include <strings.h>

#include "compile_int.h"

void am_compile__inl_clear(inl *t)
{
	am_buf_clear(&t->text);
	am_buf_clear(&t->md);
	t->npieces = t->ntokens = t->dropped = 0;
	t->npos = t->nlinks = 0;
	t->strong_end = 0;
	t->starts_strong = t->all_struck = false;
}

void am_compile__inl_init(ctx *c, inl *t)
{
	if (c->npool > 0) {
		*t = c->pool[--c->npool];
		am_compile__inl_clear(t);
	} else {
		memset(t, 0, sizeof(*t));
	}
}

void am_compile__inl_release(inl *t)
{
	am_buf_free(&t->text);
	am_buf_free(&t->md);
	free(t->pieces);
	free(t->tokens);
	free(t->pos);
	free(t->links);
}

void am_compile__inl_free(ctx *c, inl *t)
{
	if (c->npool < (int)(sizeof(c->pool) / sizeof(c->pool[0])))
		c->pool[c->npool++] = *t;
	else
		am_compile__inl_release(t);
}

/* ---- positions in the source --------------------------------------------- */

am_span am_compile__source_line(ctx *c, uint32_t line)
{
	if (line < 1 || line > c->nlines)
		return (am_span){ "", 0 };
	size_t start = c->line_off[line - 1];
	size_t end = line < c->nlines ? c->line_off[line] - 1 : c->srclen;
	return (am_span){ c->src + start, end - start };
}

/* Columns are refined outward from the estimate, at most this far: the
 * estimate is close, and a bounded search keeps long lines with many
 * citations linear. */
#define REFINE_WINDOW 4096

uint32_t am_compile__refine_column(ctx *c, uint32_t line, uint32_t col, am_span needle)
{
	am_span l = am_compile__source_line(c, line);

	if (!needle.len || needle.len > l.len || !col)
		return col;
	size_t at = col - 1 < l.len ? col - 1 : l.len - 1;
	for (size_t d = 0; d <= REFINE_WINDOW; d++) {
		size_t i = at + d;
		if (i + needle.len <= l.len && l.ptr[i] == needle.ptr[0] &&
		    !memcmp(l.ptr + i, needle.ptr, needle.len))
			return (uint32_t)i + 1;
		if (d && d <= at) {
			i = at - d;
			if (i + needle.len <= l.len && l.ptr[i] == needle.ptr[0] &&
			    !memcmp(l.ptr + i, needle.ptr, needle.len))
				return (uint32_t)i + 1;
		}
		if (at + d >= l.len && d >= at)
			break;
	}
	return col;
}

/* ---- the Markdown of rendered text ------------------------------------------ */

/* Punctuation a Markdown inline would read as markup. Tildes are left
 * alone: "~~struck~~" stays struck. */
#define MD_SPECIAL "\\`*_[]<>&!"
static const bool md_special[256] = {
	['\\'] = true, ['`'] = true, ['*'] = true, ['_'] = true, ['['] = true,
	[']'] = true, ['<'] = true, ['>'] = true, ['&'] = true, ['!'] = true,
};

/* Appends s[0..len) to the text and its Markdown to md, as one piece. */
static void put_piece(inl *t, const char *s, size_t len, md_piece_kind kind)
{
	if (!len)
		return;
	am_grow((void **)&t->pieces, &t->cappieces, t->npieces + 1, sizeof(md_piece));
	md_piece *p = &t->pieces[t->npieces++];
	p->text_off = t->text.size + t->dropped;
	p->text_len = len;
	p->md_off = t->md.size;
	p->kind = kind;
	size_t at = t->text.size;
	am_buf_put(&t->text, s, len);
	if (kind == MD_ESCAPED) {
		/* The copy in t->text ends with a NUL: strcspn finds the
		 * punctuation many bytes at a time. A NUL inside (none comes
		 * from the parser) would only end the search early. */
		const char *copy = t->text.ptr + at;
		size_t from = 0;
		for (size_t i = strcspn(copy, MD_SPECIAL); i < len; i = i + 1 + strcspn(copy + i + 1, MD_SPECIAL)) {
			if (!md_special[(unsigned char)copy[i]])
				continue; /* a NUL */
			am_buf_put(&t->md, s + from, i - from);
			am_buf_putc(&t->md, '\\');
			from = i;
		}
		am_buf_put(&t->md, s + from, len - from);
	} else {
		am_buf_put(&t->md, s, len);
	}
	p->md_len = t->md.size - p->md_off;
}

/* A code span: "`x`" in the text, fenced in Markdown with more backticks
 * than it holds in a row. */
static void put_code(inl *t, am_span code)
{
	const char *lit = code.ptr;
	size_t run = 0, longest = 0, len = code.len;
	for (size_t i = 0; i < len; i++) {
		run = lit[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	am_grow((void **)&t->pieces, &t->cappieces, t->npieces + 1, sizeof(md_piece));
	md_piece *p = &t->pieces[t->npieces++];
	p->text_off = t->text.size + t->dropped;
	p->md_off = t->md.size;
	p->kind = MD_WHOLE;
	am_buf_putc(&t->text, '`');
	am_buf_put(&t->text, lit, len);
	am_buf_putc(&t->text, '`');
	bool pad = len && (lit[0] == '`' || lit[len - 1] == '`');
	for (size_t i = 0; i <= longest; i++)
		am_buf_putc(&t->md, '`');
	am_buf_puts(&t->md, pad ? " " : "");
	am_buf_put(&t->md, lit, len);
	am_buf_puts(&t->md, pad ? " " : "");
	for (size_t i = 0; i <= longest; i++)
		am_buf_putc(&t->md, '`');
	p->text_len = t->text.size + t->dropped - p->text_off;
	p->md_len = t->md.size - p->md_off;
}

/* Markup in the Markdown alone; returns its index. */
static size_t put_token(inl *t, const char *s, size_t len)
{
	am_grow((void **)&t->tokens, &t->captokens, t->ntokens + 1, sizeof(md_token));
	md_token *k = &t->tokens[t->ntokens];
	k->md_off = t->md.size;
	k->len = len;
	k->partner = t->ntokens;
	am_buf_put(&t->md, s, len);
	return t->ntokens++;
}

static void pair_tokens(inl *t, size_t open, size_t close)
{
	t->tokens[open].partner = close;
	t->tokens[close].partner = open;
}

/* A link's end in Markdown: "](<url>)", the URL's angle brackets and
 * backslashes escaped. Returns the token's index. */
static size_t put_link_end(inl *t, const char *url)
{
	am_buf e = AM_BUF_INIT;
	am_buf_puts(&e, "](<");
	for (const char *u = url; *u; u++) {
		if (*u == '<' || *u == '>' || *u == '\\')
			am_buf_putc(&e, '\\');
		am_buf_putc(&e, *u);
	}
	am_buf_puts(&e, ">)");
	size_t k = put_token(t, e.ptr, e.size);
	am_buf_free(&e);
	return k;
}

/* The offset in md of text byte `off` (counted before any drop); with
 * `end`, of the byte after it. Inside a WHOLE piece: its start, or its
 * end. */
static size_t md_offset(const inl *t, size_t off, bool end)
{
	size_t lo = 0, hi = t->npieces;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->pieces[mid].text_off <= off)
			lo = mid;
		else
			hi = mid;
	}
	const md_piece *p = &t->pieces[lo];
	if (off >= p->text_off + p->text_len)
		return p->md_off + p->md_len; /* a byte of no piece: a line break */
	size_t in = off - p->text_off + (end ? 1 : 0);
	if (p->kind == MD_RAW)
		return p->md_off + in;
	if (p->kind == MD_WHOLE)
		return end ? p->md_off + p->md_len : p->md_off;
	/* Escaped: every escaped byte is a backslash and the byte. */
	const char *md = t->md.ptr;
	size_t j = p->md_off;
	for (size_t i = 0; i < in; i++)
		j += md[j] == '\\' ? 2 : 1;
	return j;
}

/* The first token at or after md offset `off`. */
static size_t token_at(const inl *t, size_t off)
{
	size_t lo = 0, hi = t->ntokens;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->tokens[mid].md_off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *am_compile__inl_markdown(ctx *c, const inl *t, const char *s, size_t len)
{
	const char *text = am_buf_cstr(&t->text);
	if (!len || !t->npieces || s < text || s + len > text + t->text.size)
		return NULL;
	size_t a = (size_t)(s - text) + t->dropped;
	size_t from = md_offset(t, a, false), to = md_offset(t, a + len - 1, true);
	/* Markup right before the range that opens what closes within it, and
	 * right after it that closes what opens within it, belongs to it. */
	for (bool grew = true; grew;) {
		grew = false;
		size_t k = token_at(t, from);
		if (k > 0) {
			const md_token *x = &t->tokens[k - 1], *y = &t->tokens[x->partner];
			if (x->md_off + x->len == from && x->partner > k - 1 && y->md_off <= to) {
				from = x->md_off;
				grew = true;
			}
		}
		k = token_at(t, to);
		if (k < t->ntokens) {
			const md_token *x = &t->tokens[k], *y = &t->tokens[x->partner];
			if (x->md_off == to && x->partner < k && y->md_off >= from) {
				to = x->md_off + x->len;
				grew = true;
			}
		}
	}
	/* The range, without the markup whose other half is outside it. */
	am_buf out = AM_BUF_INIT;
	size_t at = from;
	for (size_t k = token_at(t, from); k < t->ntokens && t->tokens[k].md_off < to; k++) {
		const md_token *x = &t->tokens[k], *y = &t->tokens[x->partner];
		if (y->md_off >= from && y->md_off + y->len <= to)
			continue;
		am_buf_put(&out, t->md.ptr + at, x->md_off - at);
		at = x->md_off + x->len;
	}
	if (to > at)
		am_buf_put(&out, t->md.ptr + at, to - at);
	const char *md = NULL;
	if (out.size != len || memcmp(out.ptr, s, len))
		md = am_arena_strndup(c->arena, am_buf_cstr(&out), out.size);
	am_buf_free(&out);
	return md;
}

/* ---- rendering -------------------------------------------------------------- */

/*
 * cmark-gfm loses the position of a paragraph cut short by a table header
 * under it (it reports 0:0), and gives its inlines lines counted from 0 at
 * the paragraph's first line, with rough columns. That first line is the
 * first non-blank one after the block before it, or at the start of its
 * container; lines are then exact and columns refined on the source.
 */
static uint32_t lost_paragraph_line(ctx *c, am_md_node *n)
{
	am_md_node *prev = am_md_prev(n), *up = am_md_parent(n);
	uint32_t line = prev ? END_LINE(c, prev) + 1 : up ? LINE(c, up) : c->line_offset + 1;
	for (; line <= c->nlines; line++) {
		am_span l = am_span_trim(am_compile__source_line(c, line));
		if (l.len)
			break;
	}
	return line;
}

/* The line of an inline node of the text being rendered. */
static uint32_t inl_line(ctx *c, const inl *t, am_md_node *n)
{
	return t->base_line ? t->base_line + am_md_start_line(n) : LINE(c, n);
}

static uint32_t inl_column(am_md_node *n)
{
	uint32_t col = am_md_start_column(n);
	return col ? col : 1;
}

static void inl_mark(inl *t, uint32_t line, uint32_t col)
{
	am_grow((void **)&t->pos, &t->cappos, t->npos + 1, sizeof(pos_entry));
	t->pos[t->npos].off = t->text.size;
	t->pos[t->npos].line = line;
	t->pos[t->npos].col = col;
	t->npos++;
}

/* "~~the whole text~~": struck through, as GFM reads it (the tildes hug
 * the text), with no other "~~" in between. */
static bool all_struck(am_span s)
{
	if (s.len < 5 || memcmp(s.ptr, "~~", 2) || memcmp(s.ptr + s.len - 2, "~~", 2) ||
	    am_isspace((unsigned char)s.ptr[2]) || am_isspace((unsigned char)s.ptr[s.len - 3]) ||
	    s.ptr[2] == '~' || s.ptr[s.len - 3] == '~')
		return false;
	return !memmem(s.ptr + 2, s.len - 4, "~~", 2);
}

/* The delimiters of emphasis node n when they are underscores glued to
 * what comes before ("facades/__init__.py", "src/__tests__/"): "__" or
 * "_"; NULL for real emphasis. */
static const char *glued_underscores(ctx *c, const inl *t, am_md_node *n, am_md_type type)
{
	if (!t->text.size)
		return NULL;
	unsigned char before = (unsigned char)t->text.ptr[t->text.size - 1];
	if (!(am_isalnum(before) || before == '/' || before == '.' || before == '-'))
		return NULL;
	uint32_t col = am_md_start_column(n);
	am_span line = am_compile__source_line(c, inl_line(c, t, n));
	if (!col || col > line.len || line.ptr[col - 1] != '_')
		return NULL;
	return type == AM_MD_STRONG ? "__" : "_";
}

static void render_inlines(ctx *c, am_md_node *parent, inl *t, int depth)
{
	if (depth > AM_MAX_NESTING) {
		am_compile__error(c, AM_ELIMIT, LINE(c, parent), am_md_start_column(parent),
				  "inline nesting deeper than the limit of 256 levels");
		return;
	}
	if (depth == 0)
		t->base_line = am_md_type_of(parent) == AM_MD_PARAGRAPH && !am_md_start_line(parent)
				       ? lost_paragraph_line(c, parent)
				       : 0;
	for (am_md_node *n = am_md_first_child(parent); n; n = am_md_next(n)) {
		am_md_type type = am_md_type_of(n);
		switch (type) {
		case AM_MD_TEXT: {
			am_span lit = am_md_text(n);
			inl_mark(t, inl_line(c, t, n), inl_column(n));
			put_piece(t, lit.ptr, lit.len, MD_ESCAPED);
			break;
		}
		case AM_MD_CODE:
			inl_mark(t, inl_line(c, t, n), inl_column(n));
			put_code(t, am_md_text(n));
			break;
		case AM_MD_SOFTBREAK:
		case AM_MD_LINEBREAK:
			put_piece(t, "\n", 1, MD_RAW);
			break;
		case AM_MD_HTML_INLINE: {
			/* "<br>" breaks the line; other tags are text as written
			 * ("Parse Vec<u8> input"), escaped by every renderer. */
			am_span h = am_md_text(n);
			if (h.len >= 3 && !strncasecmp(h.ptr, "<br", 3)) {
				put_piece(t, "\n", 1, MD_RAW);
			} else {
				inl_mark(t, inl_line(c, t, n), inl_column(n));
				put_piece(t, h.ptr, h.len, MD_ESCAPED);
			}
			break;
		}
		case AM_MD_LINK:
		case AM_MD_IMAGE: {
			const char *url = am_md_url(n);
			if (*url) {
				am_grow((void **)&t->links, &t->caplinks, t->nlinks + 1, sizeof(link_ref));
				t->links[t->nlinks].url = url;
				t->links[t->nlinks].line = inl_line(c, t, n);
				t->links[t->nlinks].col = inl_column(n);
				t->nlinks++;
			}
			size_t open = put_token(t, type == AM_MD_IMAGE ? "![" : "[", type == AM_MD_IMAGE ? 2 : 1);
			render_inlines(c, n, t, depth + 1);
			pair_tokens(t, open, put_link_end(t, url));
			break;
		}
		case AM_MD_STRONG:
		case AM_MD_EMPH: {
			/* "facades/__init__.py": underscores glued to a path are
			 * part of it, not emphasis; they are put back. */
			const char *marks = glued_underscores(c, t, n, type);
			const char *delim = type == AM_MD_STRONG ? "**" : "*";
			bool first = t->text.size == 0 && !marks;
			size_t open = 0;
			if (marks)
				put_piece(t, marks, strlen(marks), MD_ESCAPED);
			else
				open = put_token(t, delim, strlen(delim));
			render_inlines(c, n, t, depth + 1);
			if (marks)
				put_piece(t, marks, strlen(marks), MD_ESCAPED);
			else
				pair_tokens(t, open, put_token(t, delim, strlen(delim)));
			if (type == AM_MD_STRONG && first && depth == 0) {
				t->starts_strong = true;
				t->strong_end = t->text.size;
			}
			break;
		}
		default:
			render_inlines(c, n, t, depth + 1);
			break;
		}
	}
	if (depth == 0)
		t->all_struck = all_struck(am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size }));
}

void am_compile__inl_position(const inl *t, size_t off, uint32_t *line, uint32_t *col)
{
	size_t lo = 0, hi = t->npos;

	if (!t->npos) {
		*line = *col = 0;
		return;
	}
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->pos[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = t->pos[lo].line;
	*col = t->pos[lo].col + (uint32_t)(off >= t->pos[lo].off ? off - t->pos[lo].off : 0);
}

void am_compile__inl_render(ctx *c, am_md_node *n, inl *t)
{
	render_inlines(c, n, t, 0);
}

void am_compile__inl_plain(inl *t, const char *s, size_t len, uint32_t line, uint32_t col)
{
	am_compile__inl_clear(t);
	inl_mark(t, line, col);
	put_piece(t, s, len, MD_ESCAPED);
}
