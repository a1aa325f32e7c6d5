/*
 * mustache.c: the Mustache template engine.
 *
 * A template is parsed once, in three passes over a private copy of the
 * source:
 *   1. lex: text (cut after each newline) and tags, following set-delimiter
 *      tags as they come;
 *   2. lines: a line holding only white space and non-interpolation tags is
 *      standalone: its white space and line ending are dropped, and the
 *      partials, parents and blocks on it keep its indentation (as in
 *      mustache.js, several tags may share the line; a block that opens
 *      and closes on it keeps the line ending, as the inheritance spec
 *      wants);
 *   3. build: the kept tokens become a flat array of nodes in document order,
 *      where a section stores the index just past its last descendant.
 * Rendering walks that array, recursing into sections, partials, parents and
 * blocks with the depth capped. The output goes to a sink in pieces of
 * about 64 KiB as it is made; each node rendered and each section entered
 * is a step, and both the output and the steps beyond the bytes written are
 * capped (mustache.h), so that no template, however its sections multiply,
 * runs for long or fills memory.
 *
 * Indentation follows the spec's textual model ("prepend the indentation to
 * every line of the partial") without rewriting any text: a node that begins
 * a source line carries `bol`, and the renderer writes the current
 * indentation before it. A standalone partial, parent or block adds its own
 * indentation to the current one; an inline partial starts from none.
 *
 * Blocks whose opening tag is standalone are re-indented: their indentation
 * (the leading white space of the first non-blank line after the tag) is
 * removed from each of their lines when parsing, and the expansion site's
 * indentation is added when rendering. Nested blocks store theirs relative
 * to the enclosing block.
 */
#include "mustache.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"

#define NPOS ((size_t)-1)
#define FLUSH_AT 65536 /* bytes of output handed to the sink at once */
#define NAME_MAX_SHOWN 64 /* bytes of a tag name quoted in a message */

/* ---- errors ------------------------------------------------------------ */

/*
 * Copies `s` into `dst` for a one-line message: control bytes become '?',
 * and a long `s` is cut on a UTF-8 character boundary, ending in "...".
 */
static const char *quote(char *dst, size_t size, am_span s)
{
	size_t n = s.len, k;
	bool cut = n > size - 4;

	if (cut) {
		n = size - 4;
		while (n && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
			n--;
	}
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s.ptr[k];
		dst[k] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(dst + k, "...", 3);
		k += 3;
	}
	dst[k] = '\0';
	return dst;
}

static int fail_at(int code, const char *tplname, size_t line, size_t col, const char *fmt, ...)
	AM_PRINTF(5, 6);

/* Sets "NAME:LINE:COL: detail" and returns `code`. */
static int fail_at(int code, const char *tplname, size_t line, size_t col, const char *fmt, ...)
{
	char name[256], detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	am_error_set("%s:%zu:%zu: %s", quote(name, sizeof(name), am_span_from(tplname)), line, col,
		     detail);
	return code;
}

/* ---- the template ------------------------------------------------------ */

typedef enum {
	N_TEXT,
	N_VAR,      /* {{name}}: escaped */
	N_RAW,      /* {{{name}}}, {{&name}} */
	N_SECTION,  /* {{#name}} */
	N_INVERTED, /* {{^name}} */
	N_PARTIAL,  /* {{>name}} */
	N_PARENT,   /* {{<name}}: its BLOCK children override the parent's blocks */
	N_BLOCK,    /* {{$name}}: children are the default content */
} node_type;

typedef struct {
	node_type type;
	bool bol;        /* begins a source line: write the indentation first */
	bool standalone; /* partial, parent, block: alone on its line */
	bool dynamic;    /* partial, parent: the name is looked up in the context */
	am_span text;    /* N_TEXT: the bytes; otherwise the tag name */
	am_span indent;  /* standalone partial, parent, block: added indentation */
	size_t end;      /* index just past the node's last descendant */
	size_t line, col;
} node;

struct am_template {
	char *name;
	char *src; /* the spans of the nodes point into this copy */
	node *nodes;
	size_t count;
};

void am_template_free(am_template *tpl)
{
	if (!tpl)
		return;
	free(tpl->nodes);
	free(tpl->src);
	free(tpl->name);
	free(tpl);
}

/* ---- pass 1: tokens ---------------------------------------------------- */

typedef enum {
	TK_TEXT,
	TK_VAR,
	TK_RAW,
	TK_SECTION,
	TK_INVERTED,
	TK_CLOSE,
	TK_COMMENT,
	TK_DELIM,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
} tok_kind;

typedef struct {
	tok_kind kind;
	am_span text;    /* TK_TEXT: the bytes; a tag: its trimmed content or name */
	am_span indent;  /* standalone partial, parent, block */
	size_t line, col;
	bool dynamic;    /* partial, parent: name began with '*' */
	bool bol;        /* first token of a kept line that is not empty */
	bool dead;       /* white space of a standalone line */
	bool standalone; /* partial, parent, block on a standalone line */
	bool same_line;  /* standalone block closed on the line it opens on */
} token;

typedef struct {
	const char *name;
	const char *src;
	size_t len;
	size_t pos;
	size_t line;       /* line of `pos`, 1-based */
	size_t line_start; /* offset of that line's first byte */
	am_span open, close;
	token *toks;
	size_t ntoks, tcap;
} lexer;

/* Offset of the first `pat` in s[from, len), or NPOS. `pat` is not empty. */
static size_t find(const char *s, size_t len, size_t from, am_span pat)
{
	while (from < len && len - from >= pat.len) {
		const char *p = memchr(s + from, pat.ptr[0], len - from - pat.len + 1);
		if (!p)
			return NPOS;
		if (memcmp(p, pat.ptr, pat.len) == 0)
			return (size_t)(p - s);
		from = (size_t)(p - s) + 1;
	}
	return NPOS;
}

static void lex_advance(lexer *lx, size_t to)
{
	const char *p = lx->src + lx->pos, *end = lx->src + to;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lx->line++;
		lx->line_start = (size_t)(p - lx->src) + 1;
		p++;
	}
	lx->pos = to;
}

/* A new token starting at lx->pos. */
static token *lex_push(lexer *lx, tok_kind kind)
{
	token *t;

	am_grow((void **)&lx->toks, &lx->tcap, lx->ntoks + 1, sizeof(token));
	t = &lx->toks[lx->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->line = lx->line;
	t->col = lx->pos - lx->line_start + 1;
	return t;
}

/* Text up to `to`, one token per line. */
static void lex_text(lexer *lx, size_t to)
{
	while (lx->pos < to) {
		const char *nl = memchr(lx->src + lx->pos, '\n', to - lx->pos);
		size_t stop = nl ? (size_t)(nl - lx->src) + 1 : to;
		token *t = lex_push(lx, TK_TEXT);

		t->text = (am_span){ lx->src + lx->pos, stop - lx->pos };
		lex_advance(lx, stop);
	}
}

/* "<% %>" into two delimiters without white space or '='. */
static bool parse_delims(am_span c, am_span *open, am_span *close)
{
	size_t i = 0;
	am_span o, rest;

	while (i < c.len && !am_isspace((unsigned char)c.ptr[i]))
		i++;
	o = (am_span){ c.ptr, i };
	rest = am_span_trim((am_span){ c.ptr + i, c.len - i });
	if (!o.len || !rest.len || memchr(o.ptr, '=', o.len) || memchr(rest.ptr, '=', rest.len))
		return false;
	for (i = 0; i < rest.len; i++)
		if (am_isspace((unsigned char)rest.ptr[i]))
			return false;
	*open = o;
	*close = rest;
	return true;
}

/* "*name" names a dynamic partial or parent. */
static am_span split_dynamic(am_span content, bool *dynamic)
{
	*dynamic = content.len && content.ptr[0] == '*';
	if (*dynamic)
		content = am_span_trim((am_span){ content.ptr + 1, content.len - 1 });
	return content;
}

/* The tag whose opening delimiter is at lx->pos. */
static int lex_tag(lexer *lx)
{
	const char *s = lx->src;
	size_t at = lx->pos, line = lx->line, col = at - lx->line_start + 1;
	size_t p = at + lx->open.len, cstart, e;
	tok_kind kind = TK_VAR;
	char closer = 0;
	am_span content;
	token *t;

	/* The sigil may follow white space, as in mustache.js. */
	while (p < lx->len && am_isspace((unsigned char)s[p]))
		p++;
	cstart = p + 1;
	switch (p < lx->len ? s[p] : '\0') {
	case '#': kind = TK_SECTION; break;
	case '^': kind = TK_INVERTED; break;
	case '/': kind = TK_CLOSE; break;
	case '!': kind = TK_COMMENT; break;
	case '>': kind = TK_PARTIAL; break;
	case '<': kind = TK_PARENT; break;
	case '$': kind = TK_BLOCK; break;
	case '&': kind = TK_RAW; break;
	case '{': kind = TK_RAW; closer = '}'; break;
	case '=': kind = TK_DELIM; closer = '='; break;
	default: cstart = at + lx->open.len; break;
	}

	/* {{{name}}} ends at "}}}", {{=a b=}} at "=}}", the others at "}}". */
	e = find(s, lx->len, cstart, lx->close);
	while (closer && e != NPOS && (e == cstart || s[e - 1] != closer))
		e = find(s, lx->len, e + 1, lx->close);
	if (e == NPOS) {
		char want[NAME_MAX_SHOWN + 4];
		return fail_at(AM_EPARSE, lx->name, line, col, "unclosed tag (no '%s%s' after it)",
			       closer == '}' ? "}" : closer == '=' ? "=" : "",
			       quote(want, sizeof(want), lx->close));
	}
	content = am_span_trim((am_span){ s + cstart, e - cstart - (closer ? 1 : 0) });

	t = lex_push(lx, kind);
	t->text = content;
	lex_advance(lx, e + lx->close.len);

	switch (kind) {
	case TK_DELIM:
		if (!parse_delims(content, &lx->open, &lx->close))
			return fail_at(AM_EPARSE, lx->name, line, col, "invalid delimiter change");
		return 0;
	case TK_COMMENT:
		return 0;
	case TK_PARTIAL:
	case TK_PARENT:
		t->text = split_dynamic(content, &t->dynamic);
		break;
	default:
		break;
	}
	if (!t->text.len)
		return fail_at(AM_EPARSE, lx->name, line, col, "empty tag name");
	return 0;
}

static int lex(lexer *lx)
{
	int error;

	while (lx->pos < lx->len) {
		size_t at = find(lx->src, lx->len, lx->pos, lx->open);

		if (at == NPOS) {
			lex_text(lx, lx->len);
			break;
		}
		lex_text(lx, at);
		if ((error = lex_tag(lx)) < 0)
			return error;
	}
	return 0;
}

/* ---- pass 2: standalone lines ------------------------------------------ */

static bool ends_line(const token *t)
{
	return t->kind == TK_TEXT && t->text.ptr[t->text.len - 1] == '\n';
}

/* Index just past the last token of the line that starts at token i. */
static size_t line_end(const token *t, size_t n, size_t i)
{
	while (i < n)
		if (ends_line(&t[i++]))
			break;
	return i;
}

/* Length of the line ending ("\n" or "\r\n") at the end of s, or 0. */
static size_t eol_len(am_span s)
{
	if (!s.len || s.ptr[s.len - 1] != '\n')
		return 0;
	return (s.len >= 2 && s.ptr[s.len - 2] == '\r') ? 2 : 1;
}

/* Only spaces and tabs, then maybe a line ending. */
static bool is_blank(am_span s)
{
	size_t n = s.len - eol_len(s);

	for (size_t i = 0; i < n; i++)
		if (s.ptr[i] != ' ' && s.ptr[i] != '\t')
			return false;
	return true;
}

static am_span leading_ws(am_span s)
{
	size_t i = 0;

	while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
		i++;
	return (am_span){ s.ptr, i };
}

/* Indentation of the first non-blank line from token i on. */
static am_span first_indent(const token *t, size_t n, size_t i)
{
	while (i < n) {
		size_t e = line_end(t, n, i);
		bool blank = true;

		for (size_t k = i; k < e && blank; k++)
			blank = t[k].kind == TK_TEXT && is_blank(t[k].text);
		if (!blank)
			return t[i].kind == TK_TEXT ? leading_ws(t[i].text) : (am_span){ t[i].text.ptr, 0 };
		i = e;
	}
	return (am_span){ NULL, 0 };
}

/* Marks the blocks of line [i, e) that also close on it. */
static void mark_same_line(token *t, size_t i, size_t e)
{
	/* Deeper nesting fails in build() anyway, so opens past the cap are
	 * counted but not remembered. */
	size_t open[AM_TEMPLATE_MAX_DEPTH + 1], depth = 0;

	for (size_t k = i; k < e; k++) {
		switch (t[k].kind) {
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			if (depth < sizeof(open) / sizeof(open[0]))
				open[depth] = k;
			depth++;
			break;
		case TK_CLOSE:
			if (depth && --depth < sizeof(open) / sizeof(open[0]) &&
			    t[open[depth]].kind == TK_BLOCK)
				t[open[depth]].same_line = true;
			break;
		default:
			break;
		}
	}
}

/* Drops the white space of the standalone line [i, e). */
static void strip_line(token *t, size_t n, size_t i, size_t e)
{
	/* The line has a tag, so its first text (if any) ends before a tag. */
	am_span lead = t[i].kind == TK_TEXT ? t[i].text : (am_span){ NULL, 0 };
	am_span next = { NULL, 0 };
	bool keep_eol = false, looked = false;

	mark_same_line(t, i, e);
	for (size_t k = i; k < e; k++) {
		switch (t[k].kind) {
		case TK_TEXT:
			t[k].dead = true;
			break;
		case TK_PARTIAL:
		case TK_PARENT:
			t[k].standalone = true;
			t[k].indent = lead;
			break;
		case TK_BLOCK:
			t[k].standalone = true;
			if (t[k].same_line) {
				/* "  {{$b}}{{/b}}\n": the content takes the place of
				 * the tags, indented, and the line ending stays. */
				t[k].indent = lead;
				keep_eol = true;
				break;
			}
			if (!looked) {
				next = first_indent(t, n, e);
				looked = true;
			}
			t[k].indent = next;
			break;
		default:
			break;
		}
	}
	if (keep_eol && ends_line(&t[e - 1])) {
		am_span *s = &t[e - 1].text;
		size_t eol = eol_len(*s);

		t[e - 1].dead = false;
		*s = (am_span){ s->ptr + s->len - eol, eol };
	}
}

static void mark_lines(token *t, size_t n)
{
	for (size_t i = 0, e; i < n; i = e) {
		bool tags = false, blank = true;

		e = line_end(t, n, i);
		for (size_t k = i; k < e; k++) {
			if (t[k].kind == TK_TEXT)
				blank = blank && is_blank(t[k].text);
			else if (t[k].kind == TK_VAR || t[k].kind == TK_RAW)
				blank = false;
			else
				tags = true;
		}
		if (tags && blank)
			strip_line(t, n, i, e);
		else if (!(e - i == 1 && t[i].kind == TK_TEXT && t[i].text.len == eol_len(t[i].text)))
			t[i].bol = true; /* empty lines get no indentation */
	}
}

/* ---- pass 3: nodes ----------------------------------------------------- */

/* Removes from s the part of its start that it shares with `indent`. */
static am_span dedent(am_span s, am_span indent)
{
	size_t k = 0;

	while (k < s.len && k < indent.len && s.ptr[k] == indent.ptr[k])
		k++;
	return k ? (am_span){ s.ptr + k, s.len - k } : s;
}

static const char *kind_word(tok_kind kind)
{
	switch (kind) {
	case TK_INVERTED: return "inverted section";
	case TK_PARENT: return "parent";
	case TK_BLOCK: return "block";
	default: return "section";
	}
}

typedef struct {
	size_t node;    /* the open section's node */
	size_t tok;     /* and its token */
	am_span dedent; /* indentation removed from the lines inside */
} open_section;

static node *add_node(am_template *tpl, size_t *cap, node_type type, const token *tk)
{
	node *n;

	am_grow((void **)&tpl->nodes, cap, tpl->count + 1, sizeof(node));
	n = &tpl->nodes[tpl->count];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->bol = tk->bol;
	n->text = tk->text;
	n->line = tk->line;
	n->col = tk->col;
	n->end = ++tpl->count;
	return n;
}

static int close_section(am_template *tpl, const token *t, const token *tk, open_section *top)
{
	const token *open = &t[top->tok];
	char a[NAME_MAX_SHOWN + 4], b[NAME_MAX_SHOWN + 4];
	bool match, dynamic;

	if (open->kind == TK_PARENT) {
		am_span name = split_dynamic(tk->text, &dynamic);
		match = dynamic == open->dynamic && am_span_eq(name, open->text);
	} else {
		match = am_span_eq(tk->text, open->text);
	}
	if (!match)
		return fail_at(AM_EPARSE, tpl->name, tk->line, tk->col,
			       "close tag '%s' does not match %s '%s%s' opened at %zu:%zu",
			       quote(a, sizeof(a), tk->text), kind_word(open->kind),
			       open->dynamic ? "*" : "", quote(b, sizeof(b), open->text), open->line,
			       open->col);
	tpl->nodes[top->node].end = tpl->count;
	return 0;
}

static int build(am_template *tpl, const token *t, size_t ntoks)
{
	static const node_type types[] = {
		[TK_TEXT] = N_TEXT,
		[TK_VAR] = N_VAR,
		[TK_RAW] = N_RAW,
		[TK_SECTION] = N_SECTION,
		[TK_INVERTED] = N_INVERTED,
		[TK_PARTIAL] = N_PARTIAL,
		[TK_PARENT] = N_PARENT,
		[TK_BLOCK] = N_BLOCK,
	};
	open_section stack[AM_TEMPLATE_MAX_DEPTH];
	size_t depth = 0, cap = 0;
	char a[NAME_MAX_SHOWN + 4];
	int error;

	for (size_t k = 0; k < ntoks; k++) {
		const token *tk = &t[k];
		am_span d = depth ? stack[depth - 1].dedent : (am_span){ NULL, 0 };
		node *n;

		if (tk->dead)
			continue;
		switch (tk->kind) {
		case TK_TEXT:
			n = add_node(tpl, &cap, N_TEXT, tk);
			if (tk->bol)
				n->text = dedent(n->text, d);
			break;
		case TK_COMMENT:
		case TK_DELIM:
		case TK_CLOSE:
			/* Keep the line's start, where its indentation goes. */
			if (tk->bol)
				add_node(tpl, &cap, N_TEXT, tk)->text = (am_span){ NULL, 0 };
			if (tk->kind != TK_CLOSE)
				break;
			if (!depth)
				return fail_at(AM_EPARSE, tpl->name, tk->line, tk->col,
					       "unexpected close tag '%s'", quote(a, sizeof(a), tk->text));
			if ((error = close_section(tpl, t, tk, &stack[--depth])) < 0)
				return error;
			break;
		case TK_VAR:
		case TK_RAW:
		case TK_PARTIAL:
			n = add_node(tpl, &cap, types[tk->kind], tk);
			n->dynamic = tk->dynamic;
			n->standalone = tk->standalone;
			n->indent = dedent(tk->indent, d);
			break;
		case TK_SECTION:
		case TK_INVERTED:
		case TK_PARENT:
		case TK_BLOCK:
			if (depth == AM_TEMPLATE_MAX_DEPTH)
				return fail_at(AM_ELIMIT, tpl->name, tk->line, tk->col,
					       "sections nested deeper than %d levels",
					       AM_TEMPLATE_MAX_DEPTH);
			n = add_node(tpl, &cap, types[tk->kind], tk);
			n->dynamic = tk->dynamic;
			n->standalone = tk->standalone;
			n->indent = dedent(tk->indent, d);
			stack[depth].node = tpl->count - 1;
			stack[depth].tok = k;
			/* A standalone block's lines lose its raw indentation. */
			stack[depth].dedent =
				(tk->kind == TK_BLOCK && tk->standalone && !tk->same_line) ? tk->indent : d;
			depth++;
			break;
		}
	}
	if (depth) {
		const token *open = &t[stack[depth - 1].tok];
		return fail_at(AM_EPARSE, tpl->name, open->line, open->col, "unclosed %s '%s'",
			       kind_word(open->kind), quote(a, sizeof(a), open->text));
	}
	return 0;
}

int am_template_parse(am_template **out, const char *text, size_t len, const char *name)
{
	am_template *tpl = NULL;
	lexer lx = { 0 };
	int error;

	*out = NULL;
	if (!text)
		len = 0;
	tpl = am_xcalloc(1, sizeof(*tpl));
	tpl->name = am_xstrdup(name ? name : "template");
	tpl->src = am_xstrndup(text ? text : "", len);

	lx.name = tpl->name;
	lx.src = tpl->src;
	lx.len = len;
	lx.line = 1;
	lx.open = AM_SPAN("{{");
	lx.close = AM_SPAN("}}");
	if ((error = lex(&lx)) < 0)
		goto done;
	mark_lines(lx.toks, lx.ntoks);
	if ((error = build(tpl, lx.toks, lx.ntoks)) < 0)
		goto done;
	*out = tpl;
	tpl = NULL;
done:
	free(lx.toks);
	am_template_free(tpl);
	return error;
}

/* ---- rendering --------------------------------------------------------- */

/* The blocks of the parent tags being expanded, innermost first. */
typedef struct overrides {
	const am_template *tpl;
	size_t parent; /* index of the N_PARENT node whose blocks override */
	const struct overrides *outer;
} overrides;

typedef struct {
	char *name; /* NULL: a free slot */
	size_t len;
	uint64_t hash;
	am_template *tpl; /* NULL: the loader did not find it */
} cache_slot;

typedef struct {
	am_buf *out; /* the output not yet handed to the sink */
	am_template_sink sink; /* NULL: out is the caller's buffer, kept whole */
	void *sink_payload;
	size_t written, max_output; /* bytes made so far, out's included */
	uint64_t steps, max_steps;
	am_partial_loader loader;
	void *payload;
	const am_template *(*parsed)(const char *name, size_t len, void *payload);
	void *parsed_payload;
	cache_slot *cache; /* open addressing, ccap a power of two */
	size_t ccap, ccount;
	const json_t *ctx[AM_TEMPLATE_MAX_DEPTH + 2]; /* the context stack */
	size_t nctx;
	am_buf indent;      /* the current indentation is indent[indent_from..] */
	size_t indent_from;
	am_buf name; /* scratch: the name of the partial being loaded */
	size_t depth;
} renderer;

/* How the first node of a list treats the indentation. */
typedef enum {
	FIRST_AS_PARSED, /* as its `bol` says */
	FIRST_INDENTED,  /* always, unless it is an empty line: standalone block */
	FIRST_INLINE,    /* never: the content starts mid-line */
} first_line;

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	default:
		return true;
	}
}

/*
 * "." is the top of the context stack; "a.b.c" finds "a" in the nearest
 * object that has it, then "b" and "c" inside it only. Returns NULL on a miss.
 */
static const json_t *lookup(const renderer *r, am_span name)
{
	const char *seg = name.ptr, *end = name.ptr + name.len, *dot;
	const json_t *v = NULL;
	size_t seglen;

	if (name.len == 1 && name.ptr[0] == '.')
		return r->ctx[r->nctx - 1];
	dot = memchr(seg, '.', name.len);
	seglen = dot ? (size_t)(dot - seg) : name.len;
	if (!seglen)
		return NULL;
	for (size_t k = r->nctx; k-- > 0;)
		if (json_is_object(r->ctx[k]) && (v = json_object_getn(r->ctx[k], seg, seglen)) != NULL)
			break;
	while (v && dot) {
		seg = dot + 1;
		dot = memchr(seg, '.', (size_t)(end - seg));
		seglen = dot ? (size_t)(dot - seg) : (size_t)(end - seg);
		if (!seglen || !json_is_object(v))
			return NULL;
		v = json_object_getn(v, seg, seglen);
	}
	return v;
}

static void put_escaped(am_buf *out, const char *s, size_t len)
{
	size_t from = 0;

	for (size_t i = 0; i < len; i++) {
		const char *entity;

		switch (s[i]) {
		case '&': entity = "&amp;"; break;
		case '<': entity = "&lt;"; break;
		case '>': entity = "&gt;"; break;
		case '"': entity = "&quot;"; break;
		case '\'': entity = "&#39;"; break;
		default: continue;
		}
		am_buf_put(out, s + from, i - from);
		am_buf_puts(out, entity);
		from = i + 1;
	}
	am_buf_put(out, s + from, len - from);
}

static void put_text(am_buf *out, const char *s, size_t len, bool escape)
{
	if (escape)
		put_escaped(out, s, len);
	else
		am_buf_put(out, s, len);
}

/* The shortest "%g" form that reads back as `d`. */
static void format_real(char *buf, size_t size, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void write_value(am_buf *out, const json_t *v, bool escape)
{
	char num[40];
	char *dump;

	switch (json_typeof(v)) {
	case JSON_STRING:
		put_text(out, json_string_value(v), json_string_length(v), escape);
		break;
	case JSON_INTEGER:
		am_buf_put_int(out, (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		format_real(num, sizeof(num), json_real_value(v));
		am_buf_puts(out, num);
		break;
	case JSON_TRUE:
		am_buf_puts(out, "true");
		break;
	case JSON_FALSE:
		am_buf_puts(out, "false");
		break;
	case JSON_NULL:
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		if ((dump = json_dumps(v, JSON_COMPACT)) != NULL) {
			put_text(out, dump, strlen(dump), escape);
			am_json__free_text(dump);
		}
		break;
	}
}

/* The slot holding `name`, or the free slot where it belongs. */
static cache_slot *cache_slot_for(cache_slot *slots, size_t cap, const char *name, size_t len,
				  uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].name &&
	       !(slots[i].hash == hash && slots[i].len == len && memcmp(slots[i].name, name, len) == 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void cache_put(renderer *r, const char *name, size_t len, uint64_t hash, am_template *tpl)
{
	cache_slot *slot;

	if ((r->ccount + 1) * 2 > r->ccap) {
		size_t ncap = r->ccap ? r->ccap * 2 : 16;
		cache_slot *slots = am_xcalloc(ncap, sizeof(cache_slot));

		for (size_t i = 0; i < r->ccap; i++)
			if (r->cache[i].name)
				*cache_slot_for(slots, ncap, r->cache[i].name, r->cache[i].len,
						r->cache[i].hash) = r->cache[i];
		free(r->cache);
		r->cache = slots;
		r->ccap = ncap;
	}
	slot = cache_slot_for(r->cache, r->ccap, name, len, hash);
	slot->name = am_xstrndup(name, len);
	slot->len = len;
	slot->hash = hash;
	slot->tpl = tpl;
	r->ccount++;
}

/* The template named by partial or parent node n; *out is NULL if none. */
static int load_partial(const am_template **out, renderer *r, const node *n)
{
	am_buf *name = &r->name;
	am_template *sub = NULL;
	char *text = NULL;
	size_t tlen = 0;
	uint64_t hash;
	int error;

	*out = NULL;
	am_buf_clear(name);
	if (n->dynamic) {
		const json_t *v = lookup(r, n->text);

		if (!v || json_is_array(v) || json_is_object(v))
			return 0;
		write_value(name, v, false);
	} else {
		am_buf_put(name, n->text.ptr, n->text.len);
	}
	if (!name->size || memchr(name->ptr, '\0', name->size))
		return 0;
	if (r->parsed && (*out = r->parsed(name->ptr, name->size, r->parsed_payload)))
		return 0;

	hash = am_hash_mem(name->ptr, name->size);
	if (r->ccap) {
		cache_slot *slot = cache_slot_for(r->cache, r->ccap, name->ptr, name->size, hash);
		if (slot->name) {
			*out = slot->tpl;
			return 0;
		}
	}

	error = r->loader ? r->loader(&text, &tlen, name->ptr, r->payload) : AM_ENOTFOUND;
	if (error == AM_ENOTFOUND) {
		cache_put(r, name->ptr, name->size, hash, NULL);
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;
	if ((error = am_template_parse(&sub, text, text ? tlen : 0, name->ptr)) < 0)
		goto done;
	cache_put(r, name->ptr, name->size, hash, sub);
	*out = sub;
	error = 0;
done:
	free(text);
	return error;
}

/* The block that replaces `name`: the outermost parent tag defining it wins. */
static void find_override(const overrides *ov, am_span name, const am_template **tpl, size_t *at)
{
	for (; ov; ov = ov->outer) {
		const node *nodes = ov->tpl->nodes;

		for (size_t j = ov->parent + 1; j < nodes[ov->parent].end; j = nodes[j].end) {
			if (nodes[j].type == N_BLOCK && am_span_eq(nodes[j].text, name)) {
				*tpl = ov->tpl;
				*at = j;
				break;
			}
		}
	}
}

static int render_list(renderer *r, const am_template *tpl, size_t begin, size_t end,
		       const overrides *ov, first_line first);

static int over_steps(const renderer *r, const am_template *tpl, const node *n)
{
	return fail_at(AM_ELIMIT, tpl->name, n->line, n->col,
		       "over the work limit (%llu steps more than the bytes written)",
		       (unsigned long long)r->max_steps);
}

/* Counts what node n appended to r->out since `before`, and hands a full
 * buffer to the sink. */
static int wrote(renderer *r, const am_template *tpl, const node *n, size_t before)
{
	r->written += r->out->size - before;
	if (r->written > r->max_output) {
		am_buf_truncate(r->out, before);
		return fail_at(AM_ELIMIT, tpl->name, n->line, n->col,
			       "over the output limit of %zu bytes", r->max_output);
	}
	if (r->sink && r->out->size >= FLUSH_AT) {
		int error = r->sink(r->out->ptr, r->out->size, r->sink_payload);
		am_buf_clear(r->out);
		return error;
	}
	return 0;
}

/*
 * Renders nodes [begin, end) of `tpl` one level deeper than node n, with
 * `ctx` pushed on the context stack unless it is NULL.
 */
static int render_nested(renderer *r, const am_template *at_tpl, const node *n, const json_t *ctx,
			 const am_template *tpl, size_t begin, size_t end, const overrides *ov,
			 first_line first)
{
	char a[NAME_MAX_SHOWN + 4];
	int error;

	if (r->depth >= AM_TEMPLATE_MAX_DEPTH)
		return fail_at(AM_ELIMIT, at_tpl->name, n->line, n->col,
			       "'%s' nested deeper than %d levels", quote(a, sizeof(a), n->text),
			       AM_TEMPLATE_MAX_DEPTH);
	if (++r->steps > r->max_steps + r->written)
		return over_steps(r, at_tpl, n);
	r->depth++;
	if (ctx)
		r->ctx[r->nctx++] = ctx;
	error = render_list(r, tpl, begin, end, ov, first);
	if (ctx)
		r->nctx--;
	r->depth--;
	return error;
}

static int render_section(renderer *r, const am_template *tpl, size_t i, const overrides *ov)
{
	const node *n = &tpl->nodes[i];
	const json_t *v = lookup(r, n->text);
	int error = 0;

	if (n->type == N_INVERTED)
		return truthy(v) ? 0 : render_nested(r, tpl, n, NULL, tpl, i + 1, n->end, ov,
						     FIRST_AS_PARSED);
	if (!truthy(v))
		return 0;
	if (!json_is_array(v))
		return render_nested(r, tpl, n, v, tpl, i + 1, n->end, ov, FIRST_AS_PARSED);
	for (size_t k = 0; k < json_array_size(v) && error == 0; k++)
		error = render_nested(r, tpl, n, json_array_get(v, k), tpl, i + 1, n->end, ov,
				      FIRST_AS_PARSED);
	return error;
}

/* A partial or a parent: another template, with the indentation of the tag. */
static int render_partial(renderer *r, const am_template *tpl, size_t i, const overrides *ov)
{
	const node *n = &tpl->nodes[i];
	const am_template *sub = NULL;
	overrides frame = { tpl, i, ov };
	size_t saved_size = r->indent.size, saved_from = r->indent_from;
	int error;

	if ((error = load_partial(&sub, r, n)) < 0 || !sub)
		return error;
	if (n->standalone)
		am_buf_put(&r->indent, n->indent.ptr, n->indent.len);
	else
		r->indent_from = r->indent.size; /* inline: the partial's lines are not indented */
	error = render_nested(r, tpl, n, NULL, sub, 0, sub->count, n->type == N_PARENT ? &frame : ov,
			      FIRST_AS_PARSED);
	am_buf_truncate(&r->indent, saved_size);
	r->indent_from = saved_from;
	return error;
}

static int render_block(renderer *r, const am_template *tpl, size_t i, const overrides *ov)
{
	const node *n = &tpl->nodes[i];
	const am_template *src = tpl;
	size_t at = i, saved_size = r->indent.size;
	int error;

	find_override(ov, n->text, &src, &at);
	if (n->standalone)
		am_buf_put(&r->indent, n->indent.ptr, n->indent.len);
	error = render_nested(r, tpl, n, NULL, src, at + 1, src->nodes[at].end, ov,
			      n->standalone ? FIRST_INDENTED : FIRST_INLINE);
	am_buf_truncate(&r->indent, saved_size);
	return error;
}

static int render_list(renderer *r, const am_template *tpl, size_t begin, size_t end,
		       const overrides *ov, first_line first)
{
	int error = 0;

	for (size_t i = begin; i < end && error == 0; i = tpl->nodes[i].end) {
		const node *n = &tpl->nodes[i];
		bool bol = n->bol;
		size_t before = r->out->size;

		if (++r->steps > r->max_steps + r->written)
			return over_steps(r, tpl, n);

		if (i == begin && first == FIRST_INDENTED)
			bol = !(n->type == N_TEXT && n->text.len && n->text.len == eol_len(n->text));
		else if (i == begin && first == FIRST_INLINE)
			bol = false;
		if (bol && r->indent.size > r->indent_from)
			am_buf_put(r->out, r->indent.ptr + r->indent_from,
				   r->indent.size - r->indent_from);

		if (n->type == N_TEXT) {
			am_buf_put(r->out, n->text.ptr, n->text.len);
		} else if (n->type == N_VAR || n->type == N_RAW) {
			const json_t *v = lookup(r, n->text);
			if (v)
				write_value(r->out, v, n->type == N_VAR);
		}
		if ((error = wrote(r, tpl, n, before)) < 0)
			break;

		switch (n->type) {
		case N_TEXT:
		case N_VAR:
		case N_RAW:
			break;
		case N_SECTION:
		case N_INVERTED:
			error = render_section(r, tpl, i, ov);
			break;
		case N_PARTIAL:
		case N_PARENT:
			error = render_partial(r, tpl, i, ov);
			break;
		case N_BLOCK:
			error = render_block(r, tpl, i, ov);
			break;
		}
	}
	return error;
}

/* Renders with r set up; frees what the render made. */
static int run(renderer *r, const am_template *tpl, const json_t *data)
{
	int error;

	r->ctx[0] = data;
	r->nctx = 1;
	error = render_list(r, tpl, 0, tpl->count, NULL, FIRST_AS_PARSED);
	for (size_t i = 0; i < r->ccap; i++) {
		free(r->cache[i].name);
		am_template_free(r->cache[i].tpl);
	}
	free(r->cache);
	am_buf_free(&r->indent);
	am_buf_free(&r->name);
	return error;
}

int am_template_write(const am_template *tpl, const json_t *data, const am_template_write_options *o)
{
	renderer r = { 0 };
	am_buf out = AM_BUF_INIT;
	int error;

	r.out = &out;
	r.sink = o->sink;
	r.sink_payload = o->sink_payload;
	r.max_output = o->max_output ? o->max_output : AM_TEMPLATE_MAX_OUTPUT;
	r.max_steps = o->max_steps ? o->max_steps : AM_TEMPLATE_MAX_STEPS;
	r.loader = o->loader;
	r.payload = o->loader_payload;
	r.parsed = o->parsed;
	r.parsed_payload = o->parsed_payload;
	error = run(&r, tpl, data);
	if (error == 0 && out.size)
		error = o->sink(out.ptr, out.size, o->sink_payload);
	am_buf_free(&out);
	return error;
}

int am_template_render(am_buf *out, const am_template *tpl, const json_t *data,
		       am_partial_loader loader, void *payload)
{
	renderer r = { 0 };
	size_t start = out->size;
	int error;

	r.out = out;
	r.max_output = AM_TEMPLATE_MAX_OUTPUT;
	r.max_steps = AM_TEMPLATE_MAX_STEPS;
	r.loader = loader;
	r.payload = payload;
	error = run(&r, tpl, data);
	if (error < 0)
		am_buf_truncate(out, start);
	return error;
}

int am_template__file_sink(const char *bytes, size_t len, void *payload)
{
	if (fwrite(bytes, 1, len, payload) != len) {
		am_error_set("write failed: %s", strerror(errno));
		return AM_EIO;
	}
	return 0;
}

/* ---- data ------------------------------------------------------------------------ */

struct am_template_data {
	json_t *value;
};

int am_template_data_parse(am_template_data **out, const char *text, size_t len, const char *source)
{
	json_t *value = NULL;
	int rc;

	*out = NULL;
	if ((rc = am_json__load(&value, text, len, source)) < 0)
		return rc;
	*out = am_xmalloc(sizeof(**out));
	(*out)->value = value;
	return 0;
}

void am_template_data_free(am_template_data *data)
{
	if (!data)
		return;
	json_decref(data->value);
	free(data);
}

int am_template_render_to(FILE *fp, const am_template *tpl, const am_template_data *data,
			  am_partial_loader loader, void *payload)
{
	am_template_write_options o = { loader, payload, am_template__file_sink, fp, 0, 0 };
	return am_template_write(tpl, data->value, &o);
}

void am_template_each_name(const am_template *tpl,
			   void (*fn)(const char *name, size_t len, int kind, void *payload),
			   void *payload)
{
	for (size_t i = 0; i < tpl->count; i++) {
		const node *n = &tpl->nodes[i];
		switch (n->type) {
		case N_VAR:
		case N_RAW:
		case N_SECTION:
		case N_INVERTED: {
			size_t len = 0;
			while (len < n->text.len && n->text.ptr[len] != '.')
				len++;
			fn(n->text.ptr, len ? len : n->text.len, 0, payload);
			if (len < n->text.len)
				fn(n->text.ptr, n->text.len, 3, payload);
			break;
		}
		case N_PARTIAL:
		case N_PARENT:
			fn(n->text.ptr, n->text.len, n->dynamic ? 2 : 1, payload);
			break;
		default:
			break;
		}
	}
}
