#include "markdown.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/node.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditmd/compile.h"

/* Exported by the extensions library, not declared in its public header. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
	CMARK_NODE_STRIKETHROUGH;

/* A tree parsed in an arena: blocks from `arena` on. */
typedef struct md_block {
	struct md_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
} md_block;

struct am_md_doc {
	cmark_node *root;
	md_block *arena;
};

#define N(n) ((cmark_node *)(n))

/* A delimiter row, roughly: only '|', ':', '-' and white space after any
 * block quote markers, with a '-'. Taking more lines for one is safe. */
static bool delimiter_like(const char *s, size_t len)
{
	size_t i = 0;
	bool dash = false;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	for (; i < len; i++) {
		if (s[i] == '-')
			dash = true;
		else if (s[i] != '|' && s[i] != ':' && s[i] != ' ' && s[i] != '\t')
			return false;
	}
	return dash;
}

/* Only white space and block quote markers: ends any table. */
static bool blank_like(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '>')
			return false;
	return true;
}

/* Byte offset of the first '|' past AM_MAX_TABLE_CELLS in the line, or len.
 * Most lines have no more pipes than that, escaped or not: counted with
 * memchr first, read byte by byte only when there are. */
static size_t over_cells(const char *s, size_t len)
{
	size_t pipes = 0;
	for (const char *p = s, *end = s + len; (p = memchr(p, '|', (size_t)(end - p))); p++)
		if (++pipes > AM_MAX_TABLE_CELLS)
			break;
	if (pipes <= AM_MAX_TABLE_CELLS)
		return len;
	pipes = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			i++; /* "\|" is text, not a separator */
		else if (s[i] == '|' && ++pipes > AM_MAX_TABLE_CELLS)
			return i;
	}
	return len;
}

int am_md_check_limits(const char *text, size_t len, const char *name)
{
	uint32_t line = 1, wide_line = 0;
	size_t wide_col = 0;
	bool table = false; /* the current run of non-blank lines has a delimiter row */

	for (size_t start = 0; start < len; line++) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + start;
		size_t n = end - start;

		if (blank_like(s, n)) {
			table = false;
			wide_line = 0;
		} else {
			size_t at = wide_line ? n : over_cells(s, n);
			if (at < n) {
				wide_line = line;
				wide_col = at + 1;
			}
			table = table || delimiter_like(s, n);
			if (table && wide_line) {
				am_error_set("%s:%u:%zu: a table row with more than %d cells (the limit)",
					     name ? name : "<input>", wide_line, wide_col,
					     AM_MAX_TABLE_CELLS);
				return AM_ELIMIT;
			}
		}
		start = end + 1;
	}
	return 0;
}

/* cmark-gfm registers its extensions in a global list, unguarded: once,
 * before any thread parses or looks one up. */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static cmark_syntax_extension *tasklist_ext; /* set once, read by any thread */

static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	tasklist_ext = cmark_find_syntax_extension("tasklist");
}

void am_md_init(void)
{
	pthread_once(&md_once, register_extensions);
}

/* ---- trees in an arena ----------------------------------------------------------- */

/*
 * cmark-gfm allocates every node, and every buffer of its parser, through a
 * cmark_mem; the one of a part's tree (md_arena_mem) takes them from the
 * arena of the document being parsed on this thread (md_parsing), and
 * freeing one does nothing: the arena goes whole. Each allocation has a
 * header: its size (for realloc), and whether it came from an arena or
 * from the heap (an allocation made where no document is being parsed,
 * which cmark_node_free must then free: counted in md_strays, and a tree
 * goes whole only while there is none). Reading a tree allocates nothing
 * (am_md_text reads a literal where cmark-gfm keeps it).
 */

typedef struct {
	size_t size;
	size_t heap; /* 1: malloc'd, 0: in an arena */
} md_header;

#define MD_HEADER ((sizeof(md_header) + 15) & ~(size_t)15)
#define MD_BLOCK_SIZE (((size_t)64 << 10) - sizeof(md_block) - 64)

static _Thread_local am_md_doc *md_parsing;
static atomic_size_t md_strays;

static md_header *md_header_of(void *p)
{
	return (md_header *)((unsigned char *)p - MD_HEADER);
}

static void *md_arena_alloc(am_md_doc *doc, size_t size)
{
	size_t need = MD_HEADER + ((size + 15) & ~(size_t)15);
	md_block *b = doc->arena;
	if (!b || b->size - b->used < need) {
		size_t bsize = need > MD_BLOCK_SIZE ? need : MD_BLOCK_SIZE;
		md_block *nb = malloc(sizeof(md_block) + bsize);
		if (!nb)
			abort();
		nb->used = 0;
		nb->size = bsize;
		/* A block larger than the usual one goes behind the current
		 * block, which keeps taking the small allocations. */
		if (b && bsize > MD_BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			doc->arena = nb;
		}
		b = nb;
	}
	md_header *h = (md_header *)(b->data + b->used);
	b->used += need;
	h->size = size;
	h->heap = 0;
	return (unsigned char *)h + MD_HEADER;
}

static void *md_heap_alloc(size_t size)
{
	md_header *h = calloc(1, MD_HEADER + size);
	if (!h)
		abort();
	h->size = size;
	h->heap = 1;
	atomic_fetch_add(&md_strays, 1);
	return (unsigned char *)h + MD_HEADER;
}

static void *md_calloc(size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - 2 * MD_HEADER) / size)
		abort();
	if (!md_parsing)
		return md_heap_alloc(n * size);
	void *p = md_arena_alloc(md_parsing, n * size);
	memset(p, 0, n * size);
	return p;
}

static void *md_realloc(void *p, size_t size)
{
	if (!p)
		return md_calloc(1, size);
	md_header *h = md_header_of(p);
	if (h->heap) {
		h = realloc(h, MD_HEADER + size);
		if (!h)
			abort();
		h->size = size;
		return (unsigned char *)h + MD_HEADER;
	}
	if (size <= h->size)
		return p;
	/* The last allocation of the current block grows where it is. */
	md_block *b = md_parsing ? md_parsing->arena : NULL;
	size_t old = MD_HEADER + ((h->size + 15) & ~(size_t)15), need = MD_HEADER + ((size + 15) & ~(size_t)15);
	if (b && (unsigned char *)h + old == b->data + b->used && b->size - b->used >= need - old) {
		b->used += need - old;
		h->size = size;
		return p;
	}
	void *q = md_parsing ? md_arena_alloc(md_parsing, size) : md_heap_alloc(size);
	memcpy(q, p, h->size);
	return q;
}

static void md_free(void *p)
{
	if (p && md_header_of(p)->heap)
		free(md_header_of(p));
}

static cmark_mem md_arena_mem = { md_calloc, md_realloc, md_free };

/* ---- parsing ---------------------------------------------------------------------- */

static int parse(am_md_doc **out, const char *text, size_t len, bool arena);

int am_md_parse(am_md_doc **out, const char *text, size_t len)
{
	return parse(out, text, len, false);
}

int am_md_parse_part(am_md_doc **out, const char *text, size_t len)
{
	return parse(out, text, len, true);
}

static int parse(am_md_doc **out, const char *text, size_t len, bool arena)
{
	/* No autolink: bare URLs stay text, where the citation grammar finds
	 * the forge links among them, and parsing is 15% faster. No
	 * strikethrough: it makes '~' special in a table global to the
	 * process while a parser finishes, and a parser finishing on another
	 * thread takes it away (audits are parsed on several threads at once);
	 * the compiler reads ~~struck~~ text itself. */
	static const char *const extensions[] = { "table", "tasklist" };
	cmark_parser *parser;
	am_md_doc *doc;

	am_md_init();
	doc = am_xcalloc(1, sizeof(*doc));
	if (arena)
		md_parsing = doc;
	parser = arena ? cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &md_arena_mem)
		       : cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!parser)
		abort();
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, text, len);
	doc->root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (!doc->root)
		abort();
	md_parsing = NULL;
	*out = doc;
	return 0;
}

void am_md_free(am_md_doc *doc)
{
	if (!doc)
		return;
	if (!doc->arena || atomic_load(&md_strays))
		cmark_node_free(doc->root);
	for (md_block *b = doc->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(doc);
}

void am_md_node_free(am_md_node *n)
{
	cmark_node_free(N(n));
}

am_md_node *am_md_root(am_md_doc *doc)
{
	return (am_md_node *)doc->root;
}

/* The accessors read the node as cmark-gfm's own header lays it out
 * (<cmark-gfm/node.h>, installed with the library; the library's soname
 * names its exact version): no call into the library for each field. */
am_md_type am_md_type_of(am_md_node *n)
{
	cmark_node_type t = (cmark_node_type)N(n)->type;
	switch (t) {
	case CMARK_NODE_DOCUMENT: return AM_MD_DOCUMENT;
	case CMARK_NODE_BLOCK_QUOTE: return AM_MD_BLOCK_QUOTE;
	case CMARK_NODE_LIST: return AM_MD_LIST;
	case CMARK_NODE_ITEM: return AM_MD_ITEM;
	case CMARK_NODE_CODE_BLOCK: return AM_MD_CODE_BLOCK;
	case CMARK_NODE_HTML_BLOCK: return AM_MD_HTML_BLOCK;
	case CMARK_NODE_PARAGRAPH: return AM_MD_PARAGRAPH;
	case CMARK_NODE_HEADING: return AM_MD_HEADING;
	case CMARK_NODE_THEMATIC_BREAK: return AM_MD_THEMATIC_BREAK;
	case CMARK_NODE_FOOTNOTE_DEFINITION: return AM_MD_FOOTNOTE;
	case CMARK_NODE_TEXT: return AM_MD_TEXT;
	case CMARK_NODE_SOFTBREAK: return AM_MD_SOFTBREAK;
	case CMARK_NODE_LINEBREAK: return AM_MD_LINEBREAK;
	case CMARK_NODE_CODE: return AM_MD_CODE;
	case CMARK_NODE_HTML_INLINE: return AM_MD_HTML_INLINE;
	case CMARK_NODE_EMPH: return AM_MD_EMPH;
	case CMARK_NODE_STRONG: return AM_MD_STRONG;
	case CMARK_NODE_LINK: return AM_MD_LINK;
	case CMARK_NODE_IMAGE: return AM_MD_IMAGE;
	default:
		break;
	}
	if (t == CMARK_NODE_TABLE)
		return AM_MD_TABLE;
	if (t == CMARK_NODE_TABLE_ROW)
		return AM_MD_TABLE_ROW;
	if (t == CMARK_NODE_TABLE_CELL)
		return AM_MD_TABLE_CELL;
	return AM_MD_OTHER;
}

am_md_node *am_md_first_child(am_md_node *n) { return (am_md_node *)N(n)->first_child; }
am_md_node *am_md_next(am_md_node *n) { return (am_md_node *)N(n)->next; }
am_md_node *am_md_parent(am_md_node *n) { return (am_md_node *)N(n)->parent; }
am_md_node *am_md_prev(am_md_node *n) { return (am_md_node *)N(n)->prev; }
int am_md_heading_level(am_md_node *n)
{
	return N(n)->type == CMARK_NODE_HEADING ? N(n)->as.heading.level : 0;
}
int am_md_list_ordered(am_md_node *n)
{
	return N(n)->type == CMARK_NODE_LIST && N(n)->as.list.list_type == CMARK_ORDERED_LIST;
}

int am_md_task_state(am_md_node *n)
{
	cmark_node *c = N(n);
	/* Only a parsed tree has nodes: am_md_init has run. */
	if (!c->extension || c->type != CMARK_NODE_ITEM || c->extension != tasklist_ext)
		return -1;
	return c->as.list.checked ? 1 : 0;
}

am_span am_md_text(am_md_node *n)
{
	const cmark_chunk *k;
	switch (N(n)->type) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		k = &N(n)->as.literal;
		break;
	case CMARK_NODE_CODE_BLOCK:
		k = &N(n)->as.code.literal;
		break;
	default:
		return (am_span){ "", 0 };
	}
	return k->len > 0 ? (am_span){ (const char *)k->data, (size_t)k->len } : (am_span){ "", 0 };
}

int am_md_task_marker(am_md_node *n)
{
	/* cmark-gfm leaves "[x] text" alone inside block quotes. */
	cmark_node *p = N(n)->first_child;
	cmark_node *t = p && p->type == CMARK_NODE_PARAGRAPH ? p->first_child : NULL;
	am_span s = t && t->type == CMARK_NODE_TEXT ? am_md_text((am_md_node *)t) : (am_span){ "", 0 };
	if (s.len < 3 || s.ptr[0] != '[' || s.ptr[2] != ']' || (s.len > 3 && s.ptr[3] != ' '))
		return -1;
	if (s.ptr[1] == ' ')
		return 0;
	if (s.ptr[1] == 'x' || s.ptr[1] == 'X')
		return 1;
	return -1;
}

int am_md_row_is_header(am_md_node *n) { return cmark_gfm_extensions_get_table_row_is_header(N(n)); }

const char *am_md_url(am_md_node *n)
{
	/* cmark-gfm keeps a link's destination as a C string of its own (or
	 * none, when empty). */
	const cmark_chunk *k = &N(n)->as.link.url;
	if ((N(n)->type != CMARK_NODE_LINK && N(n)->type != CMARK_NODE_IMAGE) || k->len <= 0)
		return "";
	return k->alloc ? (const char *)k->data : cmark_node_get_url(N(n));
}

uint32_t am_md_start_line(am_md_node *n) { return (uint32_t)N(n)->start_line; }
uint32_t am_md_start_column(am_md_node *n) { return (uint32_t)N(n)->start_column; }
uint32_t am_md_end_line(am_md_node *n)
{
	cmark_node *c = N(n);
	int end = c->end_line;
	/* cmark-gfm closes a Setext heading on the line after its underline
	 * and gives that line as its end: unless the underline is the
	 * document's last line, the end is the line before (column 0 there,
	 * or the line the next block starts on). */
	if (c->type == CMARK_NODE_HEADING && c->as.heading.setext && end > c->start_line) {
		cmark_node *m = c;
		while (m && !m->next)
			m = m->parent;
		if (c->end_column == 0 || (m && m->next->start_line == end))
			end--;
	}
	return (uint32_t)end;
}

/* ---- inline Markdown as HTML ------------------------------------------------ */

/*
 * Titles, fields and status texts are one line or a few of inline
 * Markdown. They are parsed as a document (cmark-gfm has no inline-only
 * entry point) after the constructs that would start a block at the head
 * of a line are escaped with a backslash, which CommonMark turns back into
 * the character: "1. Title" stays a title, not a list. What still is no
 * paragraph (an HTML block) is made one; raw HTML becomes text, images
 * their alt text, links of other schemes than http, https and mailto their
 * text. Then cmark-gfm's own HTML renderer writes it, in its safe mode.
 */

/* Whether a line (its leading white space gone) starts a block. Returns
 * the offset of the character to escape, or -1. */
static long block_start(const char *s, size_t n)
{
	size_t i = 0;
	if (!n)
		return -1;
	char c = s[0];
	/* A line of one character and spaces: a thematic break or a setext
	 * underline. */
	if (strchr("-=*_", c)) {
		bool only = true;
		for (i = 0; i < n && only; i++)
			only = s[i] == c || s[i] == ' ' || s[i] == '\t';
		if (only)
			return 0;
	}
	/* "- ", "+ ", "* ": a list item; "> ": a block quote. */
	if (c == '>' || (strchr("-+*", c) && (n == 1 || s[1] == ' ' || s[1] == '\t')))
		return 0;
	/* "# " to "###### ": a heading. */
	for (i = 0; i < n && s[i] == '#'; i++)
		;
	if (i >= 1 && i <= 6 && (i == n || s[i] == ' ' || s[i] == '\t'))
		return 0;
	/* "1. ", "1) ": an ordered list item. */
	for (i = 0; i < n && i < 10 && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i >= 1 && i <= 9 && i < n && (s[i] == '.' || s[i] == ')') &&
	    (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t'))
		return (long)i;
	/* "```", "~~~": a fence. */
	if ((c == '`' || c == '~') && n >= 3 && s[1] == c && s[2] == c)
		return 0;
	/* "[label]: url": a link reference definition. */
	if (c == '[')
		for (i = 1; i < n && s[i] != '[' && s[i] != ']'; i++)
			if (s[i] == '\\')
				i++;
	if (c == '[' && i + 1 < n && s[i] == ']' && s[i + 1] == ':')
		return 0;
	return -1;
}

/* text with its block starts escaped and the white space at the head of
 * each line (an indented code block) dropped. */
static void escape_blocks(am_buf *out, const char *text, size_t len)
{
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		while (at < end && (text[at] == ' ' || text[at] == '\t'))
			at++;
		long esc = block_start(text + at, end - at);
		if (esc >= 0) {
			am_buf_put(out, text + at, (size_t)esc);
			am_buf_putc(out, '\\');
			at += (size_t)esc;
		}
		am_buf_put(out, text + at, end - at);
		if (nl)
			am_buf_putc(out, '\n');
		at = end + 1;
	}
}

bool am_md_link_allowed(const char *url)
{
	size_t i = strcspn(url, ":/?#");
	if (url[i] != ':')
		/* relative: a path, a query or a fragment, but no "//host" or
		 * "\\host", which leave the site */
		return !((url[0] == '/' || url[0] == '\\') && (url[1] == '/' || url[1] == '\\'));
	am_span scheme = { url, i };
	return am_span_ieq(scheme, AM_SPAN("http")) || am_span_ieq(scheme, AM_SPAN("https")) ||
	       am_span_ieq(scheme, AM_SPAN("mailto"));
}

/* n replaced by its children. */
static void unwrap(cmark_node *n)
{
	cmark_node *k;
	while ((k = cmark_node_first_child(n)))
		cmark_node_insert_before(n, k);
	cmark_node_free(n);
}

/* n replaced by a text node of `literal`, inside a paragraph when `block`. */
static void as_text(cmark_node *n, const char *literal, bool block)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
	am_buf b = AM_BUF_INIT;
	am_buf_puts(&b, literal);
	am_buf_rtrim(&b);
	cmark_node_set_literal(t, am_buf_cstr(&b));
	am_buf_free(&b);
	if (block) {
		cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(p, t);
		t = p;
	}
	cmark_node_insert_before(n, t);
	cmark_node_free(n);
}

/* Makes the children of n safe to render; false when a block other than a
 * paragraph is left (the caller then renders the text as it is). */
static bool make_safe(cmark_node *n)
{
	bool ok = true;
	for (cmark_node *c = cmark_node_first_child(n), *next; c; c = next) {
		next = cmark_node_next(c);
		cmark_node_type t = cmark_node_get_type(c);
		switch (t) {
		case CMARK_NODE_HTML_INLINE:
			as_text(c, cmark_node_get_literal(c), false);
			break;
		case CMARK_NODE_HTML_BLOCK:
			as_text(c, cmark_node_get_literal(c), true);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			ok &= make_safe(c);
			if (t == CMARK_NODE_IMAGE || !am_md_link_allowed(cmark_node_get_url(c)))
				unwrap(c);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
			ok &= make_safe(c);
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			break;
		default:
			if (t == CMARK_NODE_STRIKETHROUGH)
				ok &= make_safe(c);
			else
				ok = false;
			break;
		}
	}
	return ok;
}

/* The strikethrough extension makes '~' special in a table global to the
 * process while its parser runs, and takes it away when the parser is done:
 * two such parsers at once would take it from each other. They take turns.
 * (The compiler's parser has no strikethrough.) */
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Whether text[0..len) is one line of plain words that cmark-gfm renders
 * as itself, only '"' escaped: printable ASCII without a character that
 * opens or escapes an inline (` * _ [ ] ! < > & \ ~) or an entity, that
 * neither starts as a block may (a digit, - + # > = |, a space) nor
 * begins or ends with a space. Most titles and statuses are.
 */
static bool plain_line(const char *text, size_t len)
{
	if (!len || text[len - 1] == ' ' || am_isdigit((unsigned char)text[0]) || strchr("-+#>=| ", text[0]))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c > 0x7e || strchr("`*_[]!<>&\\~", c))
			return false;
	}
	return true;
}

void am_md_inline_html(am_buf *out, const char *text, size_t len)
{
	am_buf src = AM_BUF_INIT;
	char *html = NULL;

	if (plain_line(text, len)) {
		for (const char *q, *p = text, *end = text + len; p < end; p = q + 1) {
			q = memchr(p, '"', (size_t)(end - p));
			am_buf_put(out, p, (size_t)((q ? q : end) - p));
			if (!q)
				break;
			am_buf_puts(out, "&quot;");
		}
		return;
	}
	escape_blocks(&src, text, len);
	am_md_init();
	pthread_mutex_lock(&inline_lock);
	cmark_parser *parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!parser)
		abort();
	cmark_syntax_extension *strike = cmark_find_syntax_extension("strikethrough");
	if (strike)
		cmark_parser_attach_syntax_extension(parser, strike);
	cmark_parser_feed(parser, am_buf_cstr(&src), src.size);
	cmark_node *root = cmark_parser_finish(parser);
	if (!root)
		abort();
	if (!make_safe(root)) {
		/* Not inline after all: the text as it is, escaped. */
		cmark_node_free(root);
		root = cmark_node_new(CMARK_NODE_DOCUMENT);
		cmark_node *p = cmark_node_new(CMARK_NODE_PARAGRAPH), *t = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(t, am_buf_cstr(&src));
		cmark_node_append_child(p, t);
		cmark_node_append_child(root, p);
	}
	/* CMARK_OPT_DEFAULT renders safely: raw HTML (none is left) omitted,
	 * javascript:, vbscript:, file: and data: links emptied. */
	html = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
	cmark_node_free(root);
	cmark_parser_free(parser);
	pthread_mutex_unlock(&inline_lock);
	if (!html)
		abort();

	/* One paragraph: its content alone, to sit inside a line. */
	size_t n = strlen(html);
	if (n >= 8 && !memcmp(html, "<p>", 3) && !memcmp(html + n - 5, "</p>\n", 5) &&
	    !strstr(html + 3, "<p>"))
		am_buf_put(out, html + 3, n - 8);
	else
		am_buf_put(out, html, n);
	free(html);
	am_buf_free(&src);
}

const char *am_md_version(void)
{
	return cmark_version_string();
}
