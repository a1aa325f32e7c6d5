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
		case AM_MD_TEXT:
			inl_mark(t, inl_line(c, t, n), inl_column(n));
			am_buf_puts(&t->text, am_md_literal(n));
			break;
		case AM_MD_CODE:
			inl_mark(t, inl_line(c, t, n), inl_column(n));
			am_buf_putc(&t->text, '`');
			am_buf_puts(&t->text, am_md_literal(n));
			am_buf_putc(&t->text, '`');
			break;
		case AM_MD_SOFTBREAK:
		case AM_MD_LINEBREAK:
			am_buf_putc(&t->text, '\n');
			break;
		case AM_MD_HTML_INLINE: {
			/* "<br>" breaks the line; other tags are text as written
			 * ("Parse Vec<u8> input"), escaped by every renderer. */
			const char *h = am_md_literal(n);
			if (!strncasecmp(h, "<br", 3)) {
				am_buf_putc(&t->text, '\n');
			} else {
				inl_mark(t, inl_line(c, t, n), inl_column(n));
				am_buf_puts(&t->text, h);
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
			render_inlines(c, n, t, depth + 1);
			break;
		}
		case AM_MD_STRONG:
		case AM_MD_EMPH: {
			/* "facades/__init__.py": underscores glued to a path are
			 * part of it, not emphasis; they are put back. */
			const char *marks = glued_underscores(c, t, n, type);
			bool first = t->text.size == 0 && !marks;
			am_buf_puts(&t->text, marks ? marks : "");
			render_inlines(c, n, t, depth + 1);
			am_buf_puts(&t->text, marks ? marks : "");
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
