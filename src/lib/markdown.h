/*
 * markdown.h: the Markdown reader, the only module that touches cmark-gfm.
 * It parses with the GFM table and task-list extensions (strikethrough is
 * read by the compiler, autolinks by the citation grammar) and hands out
 * read-only views of the tree; and it renders the inline Markdown of a
 * title or a field as HTML for the reports, with cmark-gfm's own renderer.
 */
#ifndef AM_MARKDOWN_H
#define AM_MARKDOWN_H

#include "util.h"

typedef struct am_md_doc am_md_doc;
typedef struct am_md_node am_md_node; /* a borrowed view of a tree node */

typedef enum {
	AM_MD_OTHER = 0,
	AM_MD_DOCUMENT,
	AM_MD_BLOCK_QUOTE,
	AM_MD_LIST,
	AM_MD_ITEM,
	AM_MD_CODE_BLOCK,
	AM_MD_HTML_BLOCK,
	AM_MD_PARAGRAPH,
	AM_MD_HEADING,
	AM_MD_THEMATIC_BREAK,
	AM_MD_TABLE,
	AM_MD_TABLE_ROW,
	AM_MD_TABLE_CELL,
	AM_MD_TEXT,
	AM_MD_SOFTBREAK,
	AM_MD_LINEBREAK,
	AM_MD_CODE,
	AM_MD_HTML_INLINE,
	AM_MD_EMPH,
	AM_MD_STRONG,
	AM_MD_LINK,
	AM_MD_IMAGE,
	AM_MD_FOOTNOTE,
} am_md_type;

/* Registers the GFM extensions, once per process whichever thread calls
 * it first (every parse calls it). */
void am_md_init(void);

/*
 * Checks what the parser would take too long on, before parsing: a line of
 * a table with more than AM_MAX_TABLE_CELLS unescaped '|' (cmark-gfm's table
 * extension is quadratic in the cells of a row). A line counts as part of a
 * table when its run of non-blank lines holds a delimiter row ("|---|:-:|"),
 * which over-approximates every table cmark-gfm could see, whatever the
 * containers. Linear in `len`. Returns 0, or AM_ELIMIT with
 * "NAME:LINE:COL: ..." at the first separator over the limit.
 */
int am_md_check_limits(const char *text, size_t len, const char *name);

/* Parses `len` bytes of valid UTF-8. The caller frees *out with am_md_free(). */
int am_md_parse(am_md_doc **out, const char *text, size_t len);
/* The same, the tree in an arena of its own and freed whole: a part of an
 * audit, read by any thread and freed by any. Its nodes are freed with the
 * tree, not one by one (am_md_node_free would only walk them). */
int am_md_parse_part(am_md_doc **out, const char *text, size_t len);
void am_md_free(am_md_doc *doc);
/* Unlinks a node from its tree and frees it with its children. */
void am_md_node_free(am_md_node *n);
am_md_node *am_md_root(am_md_doc *doc);

am_md_type am_md_type_of(am_md_node *n);
am_md_node *am_md_first_child(am_md_node *n);
am_md_node *am_md_next(am_md_node *n);
am_md_node *am_md_parent(am_md_node *n);
am_md_node *am_md_prev(am_md_node *n);
int am_md_heading_level(am_md_node *n);
int am_md_list_ordered(am_md_node *n);
/* -1: not a task item; 0: `[ ]`; 1: `[x]` */
int am_md_task_state(am_md_node *n);
/* -1, 0 or 1 for an item whose text starts with "[ ] " or "[x] " but that
 * the task-list extension did not take (inside block quotes). */
int am_md_task_marker(am_md_node *n);
int am_md_row_is_header(am_md_node *n);
/* The literal of a text, code span, HTML or code block node as cmark-gfm
 * keeps it: not NUL-terminated; empty for any other node. Allocates
 * nothing, so any thread may read a tree at once. */
am_span am_md_text(am_md_node *n);
const char *am_md_url(am_md_node *n);
uint32_t am_md_start_line(am_md_node *n);
uint32_t am_md_start_column(am_md_node *n);
uint32_t am_md_end_line(am_md_node *n);

/*
 * Appends the inline Markdown of text[0..len) (a title, a field, a status
 * text) as HTML, written by cmark-gfm's own renderer in its safe mode:
 * code spans, emphasis, strikethrough and links of the schemes
 * am_md_link_allowed() accepts; raw HTML as text, an image as its alt
 * text, any other link as its text. What would start a block at the head
 * of a line ("1. ", "# ", "> ") is text. One paragraph is written without
 * its <p>. Safe to call from several threads (calls take turns).
 */
void am_md_inline_html(am_buf *out, const char *text, size_t len);

/* A link a report may write: http:, https:, mailto:, or relative (no
 * scheme, and not "//host"). */
bool am_md_link_allowed(const char *url);

/* "cmark-gfm 0.29.0.gfm.6" */
const char *am_md_version(void);

#endif
