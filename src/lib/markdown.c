#include "markdown.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "auditmd/compile.h"

/* Exported by the extensions library, not declared in its public header. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL;

struct am_md_doc {
	cmark_node *root;
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

void am_md_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

int am_md_parse(am_md_doc **out, const char *text, size_t len)
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

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	if (!parser)
		abort();
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, text, len);
	doc = am_xcalloc(1, sizeof(*doc));
	doc->root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (!doc->root)
		abort();
	*out = doc;
	return 0;
}

void am_md_free(am_md_doc *doc)
{
	if (!doc)
		return;
	cmark_node_free(doc->root);
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

am_md_type am_md_type_of(am_md_node *n)
{
	cmark_node_type t = cmark_node_get_type(N(n));
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

am_md_node *am_md_first_child(am_md_node *n) { return (am_md_node *)cmark_node_first_child(N(n)); }
am_md_node *am_md_next(am_md_node *n) { return (am_md_node *)cmark_node_next(N(n)); }
am_md_node *am_md_parent(am_md_node *n) { return (am_md_node *)cmark_node_parent(N(n)); }
am_md_node *am_md_prev(am_md_node *n) { return (am_md_node *)cmark_node_previous(N(n)); }
int am_md_heading_level(am_md_node *n) { return cmark_node_get_heading_level(N(n)); }
int am_md_list_ordered(am_md_node *n) { return cmark_node_get_list_type(N(n)) == CMARK_ORDERED_LIST; }

int am_md_task_state(am_md_node *n)
{
	const char *t = cmark_node_get_type_string(N(n));
	if (!t || strcmp(t, "tasklist") != 0)
		return -1;
	return cmark_gfm_extensions_get_tasklist_item_checked(N(n)) ? 1 : 0;
}

int am_md_task_marker(am_md_node *n)
{
	/* cmark-gfm leaves "[x] text" alone inside block quotes. */
	cmark_node *p = cmark_node_first_child(N(n));
	cmark_node *t = p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH ? cmark_node_first_child(p) : NULL;
	const char *s = t && cmark_node_get_type(t) == CMARK_NODE_TEXT ? cmark_node_get_literal(t) : NULL;
	if (!s || s[0] != '[' || !s[1] || s[2] != ']' || (s[3] != ' ' && s[3] != '\0'))
		return -1;
	if (s[1] == ' ')
		return 0;
	if (s[1] == 'x' || s[1] == 'X')
		return 1;
	return -1;
}

int am_md_row_is_header(am_md_node *n) { return cmark_gfm_extensions_get_table_row_is_header(N(n)); }

const char *am_md_literal(am_md_node *n)
{
	const char *s = cmark_node_get_literal(N(n));
	return s ? s : "";
}

const char *am_md_url(am_md_node *n)
{
	const char *s = cmark_node_get_url(N(n));
	return s ? s : "";
}

uint32_t am_md_start_line(am_md_node *n) { return (uint32_t)cmark_node_get_start_line(N(n)); }
uint32_t am_md_start_column(am_md_node *n) { return (uint32_t)cmark_node_get_start_column(N(n)); }
uint32_t am_md_end_line(am_md_node *n) { return (uint32_t)cmark_node_get_end_line(N(n)); }

const char *am_md_version(void)
{
	return cmark_version_string();
}
