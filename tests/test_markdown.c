/* The cmark-gfm wrapper: node types and positions as the compiler sees
 * them, tables, task lists (and the "[x]" it does not take), what is left
 * as text on purpose, NUL bytes, deep nesting, and parsing on two threads. */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "markdown.h"
#include "testutil.h"

/* A node's literal (am_md_text) is `want`. */
#define ck_assert_text(node, want)                                                          \
	do {                                                                                \
		am_span got_ = am_md_text(node);                                            \
		const char *want_ = (want);                                                 \
		ck_assert_msg(got_.len == strlen(want_) && !memcmp(got_.ptr, want_, got_.len), \
			      "literal '%.*s', want '%s'", (int)got_.len, got_.ptr, want_);   \
	} while (0)

/* Trees in an arena of their own (am_md_parse_part): the "part" cases. */
static bool in_arena;

static void use_arena(void)
{
	in_arena = true;
}

static am_md_doc *parse(const char *text, size_t len)
{
	am_md_doc *doc = NULL;
	ck_assert_int_eq(in_arena ? am_md_parse_part(&doc, text, len) : am_md_parse(&doc, text, len), 0);
	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(am_md_type_of(am_md_root(doc)), AM_MD_DOCUMENT);
	return doc;
}

/* The next node after n in document order (pre-order), below root. */
static am_md_node *walk_next(am_md_node *n)
{
	am_md_node *c = am_md_first_child(n);
	if (c)
		return c;
	while (n) {
		am_md_node *s = am_md_next(n);
		if (s)
			return s;
		n = am_md_parent(n);
	}
	return NULL;
}

/* The nth (0-based) node of `type` in document order, or NULL. */
static am_md_node *nth(am_md_doc *doc, am_md_type type, int n)
{
	for (am_md_node *x = am_md_root(doc); x; x = walk_next(x))
		if (am_md_type_of(x) == type && n-- == 0)
			return x;
	return NULL;
}

static size_t count(am_md_doc *doc, am_md_type type)
{
	size_t k = 0;
	for (am_md_node *x = am_md_root(doc); x; x = walk_next(x))
		k += am_md_type_of(x) == type;
	return k;
}

static const char sample[] =
	"# Title\n"                                    /* 1 */
	"\n"                                           /* 2 */
	"Setext\n"                                     /* 3 */
	"------\n"                                     /* 4 */
	"\n"                                           /* 5 */
	"- [ ] open\n"                                 /* 6 */
	"- [x] done\n"                                 /* 7 */
	"  - [X] nested\n"                             /* 8 */
	"- plain\n"                                    /* 9 */
	"\n"                                           /* 10 */
	"> - [x] quoted\n"                             /* 11 */
	"\n"                                           /* 12 */
	"| A | B |\n"                                  /* 13 */
	"|---|:-:|\n"                                  /* 14 */
	"| 1 | `x` |\n"                                /* 15 */
	"\n"                                           /* 16 */
	"~~s~~ https://x.org a  \n"                    /* 17 */
	"b\n"                                          /* 18 */
	"c [l](http://u \"t\") ![i](p.png) *e* **s** <b>h</b>\n" /* 19 */
	"\n"                                           /* 20 */
	"```c\n"                                       /* 21 */
	"code\n"                                       /* 22 */
	"```\n"                                        /* 23 */
	"\n"                                           /* 24 */
	"***\n"                                        /* 25 */
	"\n"                                           /* 26 */
	"<div>\n"                                      /* 27 */
	"html\n"                                       /* 28 */
	"</div>\n"                                     /* 29 */
	"\n"                                           /* 30 */
	"3. three\n"                                   /* 31 */
	"4. four\n";                                   /* 32 */

/* Where each kind of node is: 1-based line, byte column, last line (0:
 * not checked), and its literal (NULL: not checked). */
static const struct {
	am_md_type type;
	int n;
	uint32_t line, column, end_line;
	const char *literal;
} nodes[] = {
	{ AM_MD_HEADING, 0, 1, 1, 1, "" },
	{ AM_MD_TEXT, 0, 1, 3, 0, "Title" },
	{ AM_MD_HEADING, 1, 3, 1, 0, "" },
	{ AM_MD_TEXT, 1, 3, 1, 0, "Setext" },
	{ AM_MD_LIST, 0, 6, 1, 10, NULL },
	{ AM_MD_ITEM, 0, 6, 1, 6, NULL },
	{ AM_MD_TEXT, 2, 6, 7, 0, "open" },
	{ AM_MD_ITEM, 2, 8, 3, 8, NULL },         /* the nested item */
	{ AM_MD_TEXT, 4, 8, 9, 0, "nested" },
	{ AM_MD_ITEM, 3, 9, 1, 10, NULL },        /* a list item runs to the blank line */
	{ AM_MD_BLOCK_QUOTE, 0, 11, 1, 11, NULL },
	{ AM_MD_TEXT, 6, 11, 5, 0, "[x] quoted" },
	{ AM_MD_TABLE, 0, 13, 1, 15, NULL },
	{ AM_MD_TABLE_ROW, 0, 13, 1, 0, NULL },
	{ AM_MD_TABLE_ROW, 1, 15, 1, 0, NULL },   /* the delimiter row is no row */
	{ AM_MD_TABLE_CELL, 1, 13, 6, 0, NULL },
	{ AM_MD_TEXT, 8, 13, 7, 0, "B" },
	{ AM_MD_CODE, 0, 15, 8, 0, "x" },
	{ AM_MD_PARAGRAPH, 5, 17, 1, 19, NULL },
	{ AM_MD_TEXT, 10, 17, 1, 0, "~~s~~ https://x.org a" }, /* no strikethrough, no autolink */
	{ AM_MD_TEXT, 11, 18, 1, 0, "b" },
	{ AM_MD_LINK, 0, 19, 3, 0, "" },
	{ AM_MD_IMAGE, 0, 19, 21, 0, "" },
	{ AM_MD_EMPH, 0, 19, 33, 0, "" },
	{ AM_MD_STRONG, 0, 19, 37, 0, "" },
	{ AM_MD_HTML_INLINE, 0, 19, 43, 0, "<b>" },
	{ AM_MD_CODE_BLOCK, 0, 21, 1, 23, "code\n" },
	{ AM_MD_THEMATIC_BREAK, 0, 25, 1, 0, "" },
	{ AM_MD_HTML_BLOCK, 0, 27, 1, 29, "<div>\nhtml\n</div>\n" },
	{ AM_MD_LIST, 3, 31, 1, 32, NULL },
	{ AM_MD_TEXT, 23, 32, 4, 0, "four" },
};

START_TEST(test_positions)
{
	am_md_doc *doc = parse(sample, strlen(sample));
	am_md_node *x = nth(doc, nodes[_i].type, nodes[_i].n);
	ck_assert_msg(x != NULL, "row %d: no node %d of type %d", _i, nodes[_i].n, nodes[_i].type);
	ck_assert_uint_eq(am_md_start_line(x), nodes[_i].line);
	ck_assert_uint_eq(am_md_start_column(x), nodes[_i].column);
	if (nodes[_i].end_line)
		ck_assert_uint_eq(am_md_end_line(x), nodes[_i].end_line);
	if (nodes[_i].literal)
		ck_assert_text(x, nodes[_i].literal);
	am_md_free(doc);
}
END_TEST

/* A Setext heading ends on its underline, wherever the next block
 * starts (cmark-gfm gives the line after it unless it is the last). */
static const struct {
	const char *md;
	uint32_t end;
} setext_ends[] = {
	{ "x\n---\n", 2 },
	{ "x\n---", 2 },
	{ "x\n---\nabc\n", 2 },
	{ "x\n---\n\nabc\n", 2 },
	{ "x\n---\n\n\n", 2 },
	{ "x\ny\n---\n# H\n", 3 },
	{ "x\n===\n# H\n", 2 },
	{ "> x\n> ---\n> abc\n", 2 },
	{ "> x\n> ---\nabc\n", 2 },
	{ "- x\n  ---\n  abc\n", 2 },
	{ "# H\nabc\n", 1 },
};

START_TEST(test_setext_end)
{
	const char *md = setext_ends[_i].md;
	am_md_doc *doc = parse(md, strlen(md));
	am_md_node *h = nth(doc, AM_MD_HEADING, 0);
	ck_assert_ptr_nonnull(h);
	ck_assert_msg(am_md_end_line(h) == setext_ends[_i].end, "'%s': ends on %u, want %u", md,
		      am_md_end_line(h), setext_ends[_i].end);
	am_md_free(doc);
}
END_TEST

START_TEST(test_blocks)
{
	am_md_doc *doc = parse(sample, strlen(sample));
	ck_assert_int_eq(am_md_heading_level(nth(doc, AM_MD_HEADING, 0)), 1);
	ck_assert_int_eq(am_md_heading_level(nth(doc, AM_MD_HEADING, 1)), 2);
	ck_assert_int_eq(am_md_list_ordered(nth(doc, AM_MD_LIST, 0)), 0);
	ck_assert_int_eq(am_md_list_ordered(nth(doc, AM_MD_LIST, 3)), 1);
	ck_assert_uint_eq(count(doc, AM_MD_HEADING), 2);
	ck_assert_uint_eq(count(doc, AM_MD_ITEM), 7);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE), 1);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE_ROW), 2);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE_CELL), 4);
	ck_assert_uint_eq(count(doc, AM_MD_SOFTBREAK), 1);
	ck_assert_uint_eq(count(doc, AM_MD_LINEBREAK), 1);
	ck_assert_uint_eq(count(doc, AM_MD_FOOTNOTE), 0);
	/* Links and images carry their destination; other nodes "". */
	ck_assert_str_eq(am_md_url(nth(doc, AM_MD_LINK, 0)), "http://u");
	ck_assert_str_eq(am_md_url(nth(doc, AM_MD_IMAGE, 0)), "p.png");
	ck_assert_str_eq(am_md_url(nth(doc, AM_MD_TEXT, 0)), "");
	ck_assert_text(nth(doc, AM_MD_PARAGRAPH, 0), "");
	ck_assert_text(am_md_first_child(nth(doc, AM_MD_LINK, 0)), "l");
	/* Navigation: the heading's text has the heading as parent and no
	 * sibling; the second list item's previous sibling is the first. */
	am_md_node *h = nth(doc, AM_MD_HEADING, 0), *t = am_md_first_child(h);
	ck_assert_ptr_eq(am_md_parent(t), h);
	ck_assert_ptr_null(am_md_next(t));
	ck_assert_ptr_null(am_md_prev(t));
	ck_assert_ptr_eq(am_md_prev(nth(doc, AM_MD_ITEM, 1)), nth(doc, AM_MD_ITEM, 0));
	ck_assert_ptr_null(am_md_parent(am_md_root(doc)));
	am_md_free(doc);
}
END_TEST

START_TEST(test_table_header)
{
	am_md_doc *doc = parse(sample, strlen(sample));
	ck_assert_int_eq(am_md_row_is_header(nth(doc, AM_MD_TABLE_ROW, 0)), 1);
	ck_assert_int_eq(am_md_row_is_header(nth(doc, AM_MD_TABLE_ROW, 1)), 0);
	/* Cells hang under their row, rows under the table. */
	am_md_node *row = nth(doc, AM_MD_TABLE_ROW, 1), *cell = am_md_first_child(row);
	ck_assert_ptr_eq(am_md_parent(row), nth(doc, AM_MD_TABLE, 0));
	ck_assert_int_eq(am_md_type_of(cell), AM_MD_TABLE_CELL);
	ck_assert_text(am_md_first_child(cell), "1");
	ck_assert_int_eq(am_md_type_of(am_md_first_child(am_md_next(cell))), AM_MD_CODE);
	ck_assert_ptr_null(am_md_next(am_md_next(cell)));
	am_md_free(doc);
}
END_TEST

/* Task items: the extension's state, and the marker it leaves alone. */
static const struct {
	int item;
	int state, marker;
} tasks[] = {
	{ 0, 0, -1 },  /* - [ ] open */
	{ 1, 1, -1 },  /* - [x] done */
	{ 2, 1, -1 },  /* - [X] nested */
	{ 3, -1, -1 }, /* - plain */
	{ 4, -1, 1 },  /* > - [x] quoted: not taken inside a block quote */
	{ 5, -1, -1 }, /* 3. three */
};

START_TEST(test_tasks)
{
	am_md_doc *doc = parse(sample, strlen(sample));
	am_md_node *item = nth(doc, AM_MD_ITEM, tasks[_i].item);
	ck_assert_int_eq(am_md_task_state(item), tasks[_i].state);
	ck_assert_int_eq(am_md_task_marker(item), tasks[_i].marker);
	am_md_free(doc);
}
END_TEST

/* The marker as the block quote case reads it, on the item's first text. */
static const struct {
	const char *md;
	int marker;
} markers[] = {
	{ "> - [ ] open\n", 0 },
	{ "> - [x] done\n", 1 },
	{ "> - [X] done\n", 1 },
	{ "> - [x]\n", 1 },
	{ "> - [y] other\n", -1 },
	{ "> - [x]text\n", -1 },
	{ "> - [] none\n", -1 },
	{ "> - *[x]* emphasised\n", -1 },
	{ "> - \n", -1 },
};

START_TEST(test_markers)
{
	am_md_doc *doc = parse(markers[_i].md, strlen(markers[_i].md));
	am_md_node *item = nth(doc, AM_MD_ITEM, 0);
	ck_assert_ptr_nonnull(item);
	ck_assert_int_eq(am_md_task_state(item), -1);
	ck_assert_msg(am_md_task_marker(item) == markers[_i].marker, "%s", markers[_i].md);
	am_md_free(doc);
}
END_TEST

/* NUL bytes become U+FFFD, as CommonMark says; the text after them is kept. */
START_TEST(test_nul)
{
	static const char text[] = "a\0b `c\0d`";
	am_md_doc *doc = parse(text, sizeof(text) - 1);
	ck_assert_text(nth(doc, AM_MD_TEXT, 0), "a\xEF\xBF\xBD" "b ");
	ck_assert_text(nth(doc, AM_MD_CODE, 0), "c\xEF\xBF\xBD" "d");
	am_md_free(doc);
}
END_TEST

/* CR LF and CR line endings count lines as LF does. */
START_TEST(test_line_endings)
{
	static const char crlf[] = "# A\r\n\r\ntext\r\n\r\n## B\r\n", cr[] = "# A\r\rtext\r\r## B\r";
	am_md_doc *doc = parse(crlf, strlen(crlf));
	ck_assert_uint_eq(am_md_start_line(nth(doc, AM_MD_HEADING, 1)), 5);
	ck_assert_text(nth(doc, AM_MD_TEXT, 1), "text");
	am_md_free(doc);
	doc = parse(cr, strlen(cr));
	ck_assert_uint_eq(am_md_start_line(nth(doc, AM_MD_HEADING, 1)), 5);
	am_md_free(doc);
}
END_TEST

/* Pathological nesting parses into a tree that is freed without running
 * out of stack: 50,000 block quotes, lists, brackets and emphasis marks. */
static const struct {
	const char *unit;
	am_md_type type;
	size_t min;
} deep[] = {
	{ ">", AM_MD_BLOCK_QUOTE, 50000 },
	{ "- ", AM_MD_LIST, 50000 },
	{ "[", AM_MD_LINK, 0 },
	{ "*a", AM_MD_EMPH, 0 },
	{ "<div>", AM_MD_HTML_BLOCK, 1 },
	{ "| ", AM_MD_TABLE, 0 },
};

START_TEST(test_deep)
{
	am_buf b = AM_BUF_INIT;
	for (int i = 0; i < 50000; i++)
		am_buf_puts(&b, deep[_i].unit);
	am_buf_puts(&b, " end\n");
	am_md_doc *doc = parse(b.ptr, b.size);
	ck_assert_uint_ge(count(doc, deep[_i].type), deep[_i].min);
	/* The last words survive. */
	size_t found = 0;
	for (am_md_node *x = am_md_root(doc); x; x = walk_next(x))
		found += am_md_type_of(x) == AM_MD_TEXT && memmem(am_md_text(x).ptr, am_md_text(x).len, "end", 3) != NULL;
	found += deep[_i].type == AM_MD_HTML_BLOCK; /* kept as HTML, not text */
	ck_assert_uint_ge(found, 1);
	am_md_free(doc);
	am_buf_free(&b);
}
END_TEST

/* A table of 3,000 columns is a table with every cell. */
START_TEST(test_wide_table)
{
	am_buf b = AM_BUF_INIT;
	for (int row = 0; row < 3; row++) {
		am_buf_putc(&b, '|');
		for (int i = 0; i < 3000; i++)
			am_buf_puts(&b, row == 1 ? "-|" : "c|");
		am_buf_putc(&b, '\n');
	}
	am_md_doc *doc = parse(b.ptr, b.size);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE), 1);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE_CELL), 6000);
	am_md_free(doc);
	am_buf_free(&b);
}
END_TEST

/* A subtree freed on its own leaves the rest of the tree whole. */
START_TEST(test_node_free)
{
	am_md_doc *doc = parse(sample, strlen(sample));
	am_md_node *table = nth(doc, AM_MD_TABLE, 0);
	am_md_node_free(table);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE), 0);
	ck_assert_uint_eq(count(doc, AM_MD_TABLE_CELL), 0);
	ck_assert_uint_eq(count(doc, AM_MD_HEADING), 2);
	ck_assert_uint_eq(count(doc, AM_MD_CODE_BLOCK), 1);
	am_md_free(doc);
	am_md_free(NULL);
}
END_TEST

/* Two threads parse at once (the compiler parses two parts of a large
 * audit so): each sees every table and task. */
static void *parse_many(void *arg)
{
	size_t *cells = arg;
	for (int i = 0; i < 40; i++) {
		am_md_doc *doc = NULL;
		if (am_md_parse(&doc, sample, strlen(sample)) != 0)
			return NULL;
		for (am_md_node *x = am_md_root(doc); x; x = walk_next(x))
			*cells += am_md_type_of(x) == AM_MD_TABLE_CELL || am_md_task_state(x) >= 0;
		am_md_free(doc);
	}
	return NULL;
}

START_TEST(test_threads)
{
	size_t a = 0, b = 0;
	pthread_t th;
	am_md_init();
	ck_assert_int_eq(pthread_create(&th, NULL, parse_many, &a), 0);
	parse_many(&b);
	pthread_join(th, NULL);
	ck_assert_uint_eq(a, 40 * 7); /* 4 cells and 3 tasks each time */
	ck_assert_uint_eq(b, 40 * 7);
}
END_TEST

/* Inline Markdown as HTML: what renders, and what stays text. */
static const struct {
	const char *md, *html;
} inline_cases[] = {
	{ "Avoid `asyncio.run`", "Avoid <code>asyncio.run</code>" },
	{ "*e* **s** ~~x~~ _u_", "<em>e</em> <strong>s</strong> <del>x</del> <em>u</em>" },
	{ "[x](https://e.org/a?b=1&c=2)", "<a href=\"https://e.org/a?b=1&amp;c=2\">x</a>" },
	{ "[x](HTTP://e.org)", "<a href=\"HTTP://e.org\">x</a>" },
	{ "[m](mailto:a@e.org)", "<a href=\"mailto:a@e.org\">m</a>" },
	{ "[r](docs/x.md#L3)", "<a href=\"docs/x.md#L3\">r</a>" },
	{ "<https://e.org>", "<a href=\"https://e.org\">https://e.org</a>" },
	/* other schemes: the link's text only */
	{ "[x](javascript:alert(1))", "x" },
	{ "[x](JavaScript:alert(1))", "x" },
	{ "[x](java&#9;script:alert(1))", "x" },
	{ "[x](<java script:alert(1)>)", "x" },
	{ "[d](data:text/html;base64,PHNjcmlwdD4=)", "d" },
	{ "[v](vbscript:msgbox)", "v" },
	{ "[f](file:///etc/passwd)", "f" },
	{ "[p](//evil.example/x)", "p" },
	{ "[p](/\\\\evil/x)", "p" }, /* "/\evil/x": a browser reads "//evil/x" */
	{ "<javascript:alert(1)>", "javascript:alert(1)" },
	{ "[**b**](ftp://e.org)", "<strong>b</strong>" },
	/* raw HTML, images: text */
	{ "<script>alert(1)</script> T", "&lt;script&gt;alert(1)&lt;/script&gt; T" },
	{ "<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;" },
	{ "a <img src=x onerror=alert(2)> b", "a &lt;img src=x onerror=alert(2)&gt; b" },
	{ "<div>\nblock</div>", "&lt;div&gt;\nblock&lt;/div&gt;" },
	{ "Parse Vec<u8> input", "Parse Vec&lt;u8&gt; input" },
	{ "![i](https://e.org/t.png) x", "i x" },
	{ "a & b \"q\" 'q'", "a &amp; b &quot;q&quot; 'q'" },
	/* what would start a block is text */
	{ "1. Title", "1. Title" },
	{ "12) Title", "12) Title" },
	{ "# Not a heading", "# Not a heading" },
	{ "- item", "- item" },
	{ "* item", "* item" },
	{ "> quote", "&gt; quote" },
	{ "---", "---" },
	{ "```", "```" },
	{ "[a]: https://e.org", "[a]: https://e.org" },
	{ "    indented", "indented" },
	{ "one\n- two", "one\n- two" },
	{ "one\n===", "one\n===" },
	{ "", "" },
};

START_TEST(test_inline_html)
{
	am_buf b = AM_BUF_INIT;
	am_md_inline_html(&b, inline_cases[_i].md, strlen(inline_cases[_i].md));
	ck_assert_msg(!strcmp(am_buf_cstr(&b), inline_cases[_i].html), "%s: got [%s], want [%s]",
		      inline_cases[_i].md, am_buf_cstr(&b), inline_cases[_i].html);
	am_buf_free(&b);
}
END_TEST

/* Text of plain words is rendered without cmark-gfm; what it gives must be
 * cmark-gfm's: the same text with a space after it (a line's trailing
 * spaces are dropped) takes cmark-gfm's way. */
static const char *const plain_cases[] = {
	"Avoid asyncio.run in handlers",
	"Say \"hi\", it's fine: x=1; y (z) / w? {a} % $ @ ^ ' , .",
	"Title \"quoted\"",
	"\"",
	"a  b   c",
	"Status: in progress",
	"https://example.com/a?b=c#d",
	"user@example.com",
	"x\ty",
	"A",
	"Won't fix (upstream)",
};

START_TEST(test_plain_as_cmark)
{
	for (size_t i = 0; i < sizeof(plain_cases) / sizeof(plain_cases[0]); i++) {
		am_buf fast = AM_BUF_INIT, slow = AM_BUF_INIT, spaced = AM_BUF_INIT;
		am_buf_printf(&spaced, "%s ", plain_cases[i]);
		am_md_inline_html(&fast, plain_cases[i], strlen(plain_cases[i]));
		am_md_inline_html(&slow, spaced.ptr, spaced.size);
		ck_assert_msg(!strcmp(am_buf_cstr(&fast), am_buf_cstr(&slow)), "%s: [%s], cmark-gfm [%s]",
			      plain_cases[i], am_buf_cstr(&fast), am_buf_cstr(&slow));
		am_buf_free(&fast);
		am_buf_free(&slow);
		am_buf_free(&spaced);
	}
}
END_TEST

/* Rendering on two threads while they parse audits: each gets its own. */
static void *render_many(void *arg)
{
	size_t *good = arg;
	for (int i = 0; i < 200; i++) {
		am_buf b = AM_BUF_INIT;
		am_md_inline_html(&b, "~~a~~ `b`", 9);
		*good += !strcmp(am_buf_cstr(&b), "<del>a</del> <code>b</code>");
		am_buf_free(&b);
	}
	return NULL;
}

START_TEST(test_inline_threads)
{
	size_t a = 0, b = 0;
	pthread_t th;
	ck_assert_int_eq(pthread_create(&th, NULL, render_many, &a), 0);
	render_many(&b);
	pthread_join(th, NULL);
	ck_assert_uint_eq(a, 200);
	ck_assert_uint_eq(b, 200);
}
END_TEST

/* A part's tree parsed on one thread is read and freed on another, as the
 * compiler's threads hand parts on: every literal is there, with nothing
 * left to allocate. */
static void *parse_part_on_thread(void *arg)
{
	am_md_doc **doc = arg;
	ck_assert_int_eq(am_md_parse_part(doc, sample, strlen(sample)), 0);
	return NULL;
}

START_TEST(test_part_across_threads)
{
	for (int round = 0; round < 20; round++) {
		am_md_doc *doc = NULL;
		pthread_t t;
		ck_assert_int_eq(pthread_create(&t, NULL, parse_part_on_thread, &doc), 0);
		pthread_join(t, NULL);
		ck_assert_text(nth(doc, AM_MD_TEXT, 23), "four");
		ck_assert_text(nth(doc, AM_MD_CODE_BLOCK, 0), "code\n");
		ck_assert_str_eq(am_md_url(nth(doc, AM_MD_LINK, 0)), "http://u");
		ck_assert_uint_eq(count(doc, AM_MD_TABLE_CELL), 4);
		am_md_free(doc);
	}
}
END_TEST

/* A large part takes several blocks of its arena, and buffers grown past
 * one (a long code block, a long paragraph). */
START_TEST(test_part_large)
{
	am_buf b = AM_BUF_INIT;
	for (int i = 0; i < 4000; i++)
		am_buf_printf(&b, "## H%d\n\n- Evidence: `a/b%d.py:%d`\n\n", i, i, i + 1);
	am_buf_puts(&b, "```\n");
	for (int i = 0; i < 40000; i++)
		am_buf_puts(&b, "x = 1\n");
	am_buf_puts(&b, "```\n\n");
	for (int i = 0; i < 40000; i++)
		am_buf_puts(&b, "word ");
	am_buf_puts(&b, "\n");
	am_md_doc *doc = NULL;
	ck_assert_int_eq(am_md_parse_part(&doc, b.ptr, b.size), 0);
	ck_assert_uint_eq(count(doc, AM_MD_HEADING), 4000);
	ck_assert_uint_eq(am_md_text(nth(doc, AM_MD_CODE_BLOCK, 0)).len, 6 * 40000);
	ck_assert_text(nth(doc, AM_MD_CODE, 3999), "a/b3999.py:4000");
	am_md_node *last = nth(doc, AM_MD_PARAGRAPH, 4000);
	ck_assert_uint_eq(am_md_text(am_md_first_child(last)).len, 5 * 40000 - 1);
	am_md_free(doc);
	am_buf_free(&b);
}
END_TEST

START_TEST(test_version)
{
	ck_assert(strncmp(am_md_version(), "0.", 2) == 0);
	ck_assert(strstr(am_md_version(), "gfm") != NULL);
}
END_TEST

/* The tests of trees, run on heap trees and on arena trees alike. */
static void add_tree_tests(TCase *tc)
{
	TEST_LOOP(tc, test_positions, nodes);
	TEST_LOOP(tc, test_setext_end, setext_ends);
	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_table_header);
	TEST_LOOP(tc, test_tasks, tasks);
	TEST_LOOP(tc, test_markers, markers);
	tcase_add_test(tc, test_line_endings);
	TEST_LOOP(tc, test_deep, deep);
	tcase_add_test(tc, test_wide_table);
	tcase_add_test(tc, test_node_free);
}

static Suite *suite(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("markdown");
	add_tree_tests(tc);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_version);
	TEST_LOOP(tc, test_inline_html, inline_cases);
	tcase_add_test(tc, test_plain_as_cmark);
	tcase_add_test(tc, test_inline_threads);
	suite_add_tcase(s, tc);

	/* The same trees, in an arena. */
	TCase *part = tcase_create("part");
	tcase_add_checked_fixture(part, use_arena, NULL);
	add_tree_tests(part);
	tcase_add_test(part, test_part_across_threads);
	tcase_add_test(part, test_part_large);
	suite_add_tcase(s, part);
	return s;
}

#include "check_main.h"
