/*
 * compile_int.h: what the compiler's files share, private to them (and to
 * the compiler's tests and fuzzer). compile.c is the driver; each
 * compile_<construct>.c recognises one construct and hands the rest on
 * (see the opening comment of compile.c for the map). They all work on one
 * context, `ctx`: the source and its lines, the matchers, and the findings,
 * diagnostics and metadata compiled so far.
 */
#ifndef AM_COMPILE_INT_H
#define AM_COMPILE_INT_H

#include "auditmd/compile.h"
#include "cite.h"
#include "date.h"
#include "markdown.h"
#include "util.h"
#include "vocab.h"

/* ---- the context ---------------------------------------------------------- */

/* Inline text rendered to a string, with where each piece came from. */
typedef struct {
	size_t off;
	uint32_t line, col;
} pos_entry;

typedef struct {
	const char *url;
	uint32_t line, col;
} link_ref;

typedef struct {
	am_buf text;
	pos_entry *pos;
	size_t npos, cappos;
	link_ref *links;
	size_t nlinks, caplinks;
	size_t strong_end; /* end of a leading **strong** run, or 0 */
	bool starts_strong;
	bool all_struck;   /* the whole text is ~~struck~~ */
	uint32_t base_line; /* see lost_paragraph_line; 0 when positions are cmark's */
} inl;

/* A heading that is not a finding, and what it says about the findings
 * under it. */
typedef struct section {
	int level;
	const char *text;
	am_status status;
	am_priority priority;
	am_severity severity;
} section;

typedef struct {
	am_report *r;
	am_arena *arena;
	const char *name;
	const char *src;
	size_t srclen;
	size_t *line_off;
	size_t nlines;
	am_vocab_matcher vm;
	am_cite_scanner cs;
	am_date_matcher dm;
	am_re *prefix_re;
	am_finding *findings;
	size_t nfindings, capfindings;
	am_diag *diags;
	size_t ndiags, capdiags;
	am_field *meta;
	size_t nmeta, capmeta;
	section sections[AM_MAX_NESTING];
	int nsections;
	const char **section_path; /* cached arena copy of the current path */
	size_t nsection_path;
	bool section_path_valid;
	const char *doc_title_text;
	char date[11];
	int error;
	am_buf scratch;
	inl pool[16]; /* rendered-text buffers kept for reuse */
	int npool;
	uint32_t line_offset; /* lines before the part of the audit being walked */
} ctx;

/* Lines of the audit: a part is parsed on its own, its lines start at 1. */
#define LINE(c, n) (am_md_start_line(n) + (c)->line_offset)
#define END_LINE(c, n) (am_md_end_line(n) + (c)->line_offset)

/* Diagnostics kept per audit. */
#define AM_COMPILE_MAX_DIAGS 10000

/* compile.c: the first error stops the compile (code, position, message). */
void am_compile__error(ctx *c, int code, uint32_t line, uint32_t col, const char *what);

/* compile.c: a diagnostic, while fewer than AM_COMPILE_MAX_DIAGS are kept. */
void am_compile__diag(ctx *c, am_diag_severity sev, uint32_t line, uint32_t col,
		      const char *code, const char *fmt, ...) AM_PRINTF(6, 7);

/* compile.c: the length of s[0..len) cut to at most max bytes without
 * splitting a UTF-8 sequence (the text is valid UTF-8). */
int am_compile__utf8_prefix(const char *s, size_t len, size_t max);

/* ---- inline text (compile_inline.c) ---------------------------------------- */

/* A rendered-text buffer from the context's pool, empty; back with
 * am_compile__inl_free. */
void am_compile__inl_init(ctx *c, inl *t);
void am_compile__inl_free(ctx *c, inl *t);
/* Frees a buffer for good (the pool's, when the context goes). */
void am_compile__inl_release(inl *t);
void am_compile__inl_clear(inl *t);

/* Appends the inline content of block n to t, with its positions. */
void am_compile__inl_render(ctx *c, am_md_node *n, inl *t);

/* Line and column in the source of byte `off` of the rendered text. */
void am_compile__inl_position(const inl *t, size_t off, uint32_t *line, uint32_t *col);

/* Line `line` (1-based) of the audit, without its newline; empty past the end. */
am_span am_compile__source_line(ctx *c, uint32_t line);

/* Moves a column estimate onto the place on `line` where `needle` really is. */
uint32_t am_compile__refine_column(ctx *c, uint32_t line, uint32_t col, am_span needle);

/* ---- the large-audit split (compile_split.c) --------------------------------- */

/* Where a large audit is cut in two for parsing on two threads (0: no cut);
 * *line is the line the second part starts at. */
size_t am_compile__find_split(const char *s, size_t len, uint32_t *line);

/* Audits from this size up are cut in two (1 MiB). Tests and the compile
 * fuzzer lower it, to compare small audits cut and whole. */
extern size_t am_compile__split_min;

#endif
