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

/* ---- the context (compile.c) -------------------------------------------- */

/* Where the piece of rendered text from byte `off` on came from. */
typedef struct {
	size_t off;
	uint32_t line, col;
} pos_entry;

/* A link target in rendered text, and where the link is. */
typedef struct {
	const char *url;
	uint32_t line, col;
} link_ref;

/* A piece of rendered text and the Markdown that writes it: the same
 * bytes (RAW), the bytes with their Markdown punctuation escaped
 * (ESCAPED), or other bytes that only stand for it whole (WHOLE: a code
 * span's fences). */
typedef enum { MD_RAW, MD_ESCAPED, MD_WHOLE } md_piece_kind;
typedef struct {
	size_t text_off, text_len, md_off, md_len;
	md_piece_kind kind;
} md_piece;

/* Markup in the Markdown alone (emphasis delimiters, a link's brackets
 * and target), and the index of the token that opens or closes it. */
typedef struct {
	size_t md_off, len, partner;
} md_token;

/* Inline text rendered to a string (compile_inline.c), with where each
 * piece came from, and the same inlines as Markdown for reports to show
 * (am_compile__inl_markdown). */
typedef struct {
	am_buf text;
	am_buf md;
	md_piece *pieces;
	size_t npieces, cappieces;
	md_token *tokens;
	size_t ntokens, captokens;
	size_t dropped;    /* bytes cut off the front of text (inl_drop) */
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

/* Where a finding's priority or severity came from, weakest first: what
 * the audit states outright beats what auditmd infers. */
typedef enum {
	AM_LEVEL_FROM_NONE = 0,
	AM_LEVEL_FROM_SECTION, /* "## High Priority" above it */
	AM_LEVEL_FROM_ID,      /* the letter of a security-review ID: H-01 */
	AM_LEVEL_FROM_TITLE,   /* a mark in the title: "[HIGH]", "- P2" */
	AM_LEVEL_FROM_FIELD,   /* a Severity/Priority field or table column */
} am_level_source;

/* A finding under construction. */
typedef struct {
	am_finding f;
	am_field *fields;
	size_t nfields, capfields;
	am_citation *cites;
	size_t ncites, capcites;
	uint64_t hash;
	bool status_from_field;
	bool status_from_mark; /* the field's status is a mark alone ("⚠️ ..."): a box says more */
	bool status_from_title; /* the title states a status in words ("— FALSE POSITIVE") */
	bool status_from_verdict; /* a Decision/Verdict field gave it; a Status field overrules */
	am_level_source priority_from, severity_from; /* what gave each level */
	bool too_many_cites;
	bool title_is_text; /* the title carries no ID or number (a row with an ID column) */
	int nohash; /* inside a status or evidence field: not part of the text */
} builder;

/* A top-level block of the audit, and for a heading what it is. */
typedef struct {
	am_md_node *node;
	const char *text; /* rendered heading text (headings only) */
	size_t len;
	uint32_t line_offset; /* of the part the block was parsed in */
	int level;       /* 0 for blocks that are not headings */
	bool candidate;  /* a heading finding (until a deeper one demotes it) */
	bool field_heading; /* "#### Evidence": a field of the finding above */
	bool bold_field;    /* "**Description**" alone: a field, as a sub-heading would be */
	bool lead;          /* a paragraph or a disclosure's summary standing as a heading */
	bool ends_lead;     /* a register table or task list: no part of the lead above */
} block_info;

/* The compile context: the audit, the matchers and what is compiled so
 * far; one per part of the audit. */
typedef struct {
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
	bool borrowed; /* the patterns above are opts->compiler's */
	am_finding *findings;
	size_t nfindings, capfindings;
	am_diag *diags;
	size_t ndiags, capdiags;
	am_summary_row *summary; /* rows of the audit's count tables */
	size_t nsummary, capsummary;
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
	bool one_title;       /* the audit has one level-1 heading: its title, wherever it is */
	bool shared_lines;    /* line_off is another context's */
	bool lent_matchers;   /* vm, cs, dm and prefix_re are a cache's (compile_cache.c) */
	bool keep_trees;      /* the walk leaves the trees of blocks walked to their parts */
	/* The lookups among the findings compiled so far (an item's ID
	 * scheme, a finding listed again), recorded when not NULL with their
	 * answers: those that found none, and those that found one before
	 * findings[lookup_base]. A unit taken again (compile_cache.c) or a piece
	 * compiled before the ones ahead of it are known (compile_pieces.c)
	 * holds only where each gets the same answer. */
	am_buf *lookups;
	size_t lookup_base;
} ctx;

/* Lines of the audit: a part is parsed on its own, its lines start at 1. */
#define LINE(c, n) (am_md_start_line(n) + (c)->line_offset)
#define END_LINE(c, n) (am_md_end_line(n) + (c)->line_offset)

/* Diagnostics kept per audit. */
#define AM_COMPILE_MAX_DIAGS 10000

/* A context for the audit named opts->source; freed with
 * am_compile__ctx_free even when this fails. With `borrow`, the patterns
 * of opts->compiler when there is one (for one thread at a time). */
int am_compile__ctx_init(ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool borrow);
/* The same without matchers (a cache lends them: compile_cache.c). */
void am_compile__ctx_init_bare(ctx *c, const am_compile_options *opts);
void am_compile__ctx_free(ctx *c);

/* What a walk of a stretch of the audit gave, in a context of its own: to
 * append to the audit's (compile_cache.c, compile_pieces.c). */
typedef struct {
	const am_finding *findings;
	size_t nfindings;
	size_t first_finding; /* the index of findings[0] where it was walked */
	const am_diag *diags;
	size_t ndiags;
	const am_summary_row *summary;
	size_t nsummary;
	const am_field *meta;
	size_t nmeta;
	const char *title; /* the audit's title, when it found it, or NULL */
	const char *date;  /* the audit's date, when it found it, or "" */
	const section *sections; /* open where it ends */
	int nsections;
} walk_output;

/* Appends `out` to c's findings, diagnostics (while fewer than
 * AM_COMPILE_MAX_DIAGS), count-table rows and metadata, its lines moved by
 * `delta`; the title and date when c has none; the open sections are
 * out's. */
void am_compile__append(ctx *c, const walk_output *out, int64_t delta);

/* The first error stops the compile (code, position, message). */
void am_compile__error(ctx *c, int code, uint32_t line, uint32_t col, const char *what);

/* A diagnostic, while fewer than AM_COMPILE_MAX_DIAGS are kept. */
void am_compile__diag(ctx *c, am_diag_severity sev, uint32_t line, uint32_t col,
		      const char *code, const char *fmt, ...) AM_PRINTF(6, 7);

/* The length of s[0..len) cut to at most max bytes without
 * splitting a UTF-8 sequence (the text is valid UTF-8). */
int am_compile__utf8_prefix(const char *s, size_t len, size_t max);

/* ---- the parts of an audit (compile_split.c) ---------------------------- */

/* Parses and walks c's source, leaving in c the findings, diagnostics and
 * metadata of the whole audit. In parts when `parts` and the audit is
 * large enough to be cut (and opts->threads is not 1): one part walked
 * while the next is parsed, on two threads; else in one pass. 1 when the
 * parts would not give what one pass gives (the audit is then to be
 * compiled again in one pass). */
int am_compile__compile_parts(ctx *c, const am_compile_options *opts, const am_vocab *vocab, bool parts);

/* Where an audit s[0..len) of at least `min` bytes would be cut in two
 * halves (0: it cannot be cut, and is compiled in one pass; one of four
 * times `min` or more is cut in more pieces, compile_pieces.c); *line is
 * the line the second half starts at. */
size_t am_compile__find_split(const char *s, size_t len, size_t min, uint32_t *line);

/* A place to cut: an ATX heading of `level` at byte `at`, line `line`. */
typedef struct {
	size_t at;
	uint32_t line;
	int level;
} cut_point;

/* The places s[0..len) can be cut, in order, in *out (free()); false when
 * there is none (a link reference definition acts across the audit). */
bool am_compile__find_cuts(const char *s, size_t len, cut_point **out, size_t *nout);
/* The same, and every ATX heading in column 1 outside code and HTML in
 * *heads (free()). */
bool am_compile__find_cuts_heads(const char *s, size_t len, cut_point **out, size_t *nout, cut_point **heads,
				 size_t *nheads);

/* The ATX headings in column 1 of s that hold a cut of `level` at byte
 * `at` (heads[0..nheads): every such heading of s, in order):
 * line[l - 1] the last heading of level l before it (none after a
 * shallower one), for each level above `level`; how many level-1 headings
 * come before it, and whether any deeper one does. */
typedef struct {
	am_span line[6];
	size_t titles;
	bool deeper;
} heading_chain;
void am_compile__chain_above(const cut_point *heads, size_t nheads, const char *s, size_t at, int level,
			     heading_chain *out);

/* The place among k[0..n) after `after` (any when NULL) where a piece of
 * an audit starts near byte `target`: of the shallowest level within
 * `width` bytes of it, the closest to it; else the closest; NULL when
 * none. am_compile__middle_cut: where an audit of `len` bytes is cut in
 * two halves (within a sixteenth of its length of its middle). */
const cut_point *am_compile__piece_cut(const cut_point *k, size_t n, size_t target, size_t width,
				      const cut_point *after);
const cut_point *am_compile__middle_cut(const cut_point *k, size_t n, size_t len);

/* The most pieces a large audit is compiled in at once (two, or one for
 * every two split sizes, an even number, up to this). */
#define AM_COMPILE__MAX_PIECES 8

/* Parses and walks c's source in parts cut at cuts[0..ncuts) (with room
 * for AM_COMPILE__MAX_PIECES more), in pieces on two threads at once, cut
 * at some of the places k[0..n) (heads[0..nheads): every heading among
 * which they were found) (compile_pieces.c): what am_compile__compile_parts
 * leaves in c, or 1. */
int am_compile__compile_pieces(ctx *c, const am_compile_options *opts, const am_vocab *vocab,
			       const cut_point *k, size_t n, const cut_point *heads, size_t nheads,
			       const cut_point **cuts, size_t ncuts);

/* Makes context `part` read c's audit: its source and its lines (c's,
 * not freed with part). */
void am_compile__share_source(ctx *part, const ctx *c);
/* Parses text[0..len), a part starting at `line` of the audit, and
 * collects its blocks with the headings judged: *doc and *blocks (free())
 * are the caller's, also when this fails (the collector's error). */
int am_compile__collect_part(ctx *collector, const char *text, size_t len, uint32_t line,
			     am_md_doc **doc, block_info **blocks, size_t *n);

/* A part's tree, freed once every block before `end` (an index among the
 * audit's blocks) is walked. */
typedef struct {
	am_md_doc *doc;
	size_t end;
} part_tree;

/* The blocks of the parts collected and not yet walked, in order: win[0]
 * is the audit's block `base`; judged[] their judgements (before the
 * deepest findings win); the parts' trees; the level-1 headings added. */
typedef struct {
	block_info *win;
	bool *judged;
	size_t nwin, capwin, capjudged, base;
	part_tree *trees;
	size_t ntrees, captrees;
	size_t titles;
} window;

/* Adds a part's blocks[0..n) (freed) and its tree; the last heading whose
 * judgement read to the window's end is judged again by `judge` (a
 * context with the audit's patterns: the collector, or the walk's own). */
void am_compile__window_add(window *w, ctx *judge, am_md_doc *doc, block_info *blocks, size_t n);
/* The candidates from the judgements, the deepest winning; returns how far
 * a walk can go before what parts still to come may change (a heading
 * judged to the window's end, a finding whose body runs there), or all of
 * it when every part is in. */
size_t am_compile__window_stop(window *w, bool all);
/* What the window leaves open for the next part's first heading h to
 * close: h does (every block can then be walked, none needing more) when
 * h->level <= *body_level (the lowest level of a finding whose body runs
 * to the window's end, 7 for none) and, if h is a field heading, when
 * h->level <= *field_level (the lowest level of a heading judged to the
 * window's end, 7 for none). Sets the candidates as
 * am_compile__window_stop. */
void am_compile__window_open(window *w, int *body_level, int *field_level);
/* The first `walked` blocks go; trees whose blocks are all walked are freed
 * (or spent). */
void am_compile__window_drop(window *w, size_t walked);
void am_compile__window_free(window *w);

/* ---- revisions compiled with a cache (compile_cache.c) -------------------- */

struct am_compile_cache;
/* The vocabulary of the cache's compiles: `vocab`, or the built-in one
 * (the cache's) when NULL. */
const am_vocab *am_compile__cache_vocab(struct am_compile_cache *cc, const am_vocab *vocab);
/* Lends context c the cache's matchers `which` (0: the walk's, 1: the
 * collector's) for `vocab`; taken back, before c is freed, with
 * am_compile__cache_take_back. */
int am_compile__cache_lend(struct am_compile_cache *cc, const am_vocab *vocab, ctx *c, int which);
int am_compile__cache_take_back(struct am_compile_cache *cc, ctx *c, int which);
/* Parses and walks c's source unit by unit, taking from the cache the
 * units met before (see compile_cache.c): what am_compile__compile_parts
 * leaves in c, or 1 when the cache cannot tell. */
int am_compile__cached_parts(ctx *c, const am_compile_options *opts, struct am_compile_cache *cc);
/* After a compile with the cache: the units it compiled are kept when ok;
 * one_title: whether the revision had one level-1 heading. */
void am_compile__cache_done(struct am_compile_cache *cc, bool ok, bool one_title);

/* ---- the walk (compile.c) ----------------------------------------------- */

/* Findings, sections and metadata from the blocks before `stop` of
 * blocks[0..n), in order (the blocks' nodes are freed as the walk passes
 * them); a heading finding's body, which may run past stop, ends within
 * n. first_part: the blocks start the audit; *preamble: whether the walk
 * is in the preamble (metadata before the first section), updated.
 * Returns the index of the first block not walked (stop or more). */
size_t am_compile__walk_blocks(ctx *c, block_info *blocks, size_t stop, size_t n, bool first_part,
			       bool *preamble);

/* ---- heading findings (compile_heading.c) ------------------------------- */

/* The top-level blocks under root (of a part starting after line
 * line_offset), each heading judged; the caller frees *out. */
void am_compile__collect_blocks(ctx *c, am_md_node *root, uint32_t line_offset, block_info **out,
				size_t *nout);
/* Whether heading blocks[i] is a finding (its `candidate`), judged on its
 * own body: the blocks after it up to the next heading that is not one of
 * its fields, within blocks[0..n). */
void am_compile__judge_heading(ctx *c, block_info *blocks, size_t i, size_t n);
/* The deepest findings win: an outer one becomes a section. */
void am_compile__demote_outer(block_info *blocks, size_t n);
/* The end of heading blocks[i]'s body: the next heading at its level or
 * above, or n. */
size_t am_compile__heading_end(const block_info *blocks, size_t i, size_t n);
/* Heading blocks[i] as a finding with blocks (i, end) as its body. */
void am_compile__heading_finding(ctx *c, block_info *blocks, size_t i, size_t end);

/* ---- checklist findings (compile_checklist.c) --------------------------- */

/* Task items anywhere under n (a list, item or block quote outside heading
 * findings) become findings. */
void am_compile__find_checklists(ctx *c, am_md_node *n, int depth);
/* The task item `item` as a finding under the finding at index `parent`
 * (or AM_NO_PARENT), then its sub-tasks under it. */
void am_compile__checklist_finding(ctx *c, am_md_node *item, size_t parent, int depth);
/* Drops the first `cut` bytes of rendered text, moving its positions. */
void am_compile__inl_drop(inl *t, size_t cut);

/* ---- list items as findings (compile_item.c) ------------------------------ */

/* Whether each of the lookups recorded in `lookups` (see ctx) gets the
 * same answer among c's findings. */
bool am_compile__lookups_hold(const ctx *c, const am_buf *lookups);

/* The ID schemes ("BUG", "H") the bold leads of a list's items use, and
 * how many items use each. */
typedef struct {
	char scheme[8][16];
	int count[8];
	int n;
	int labels; /* items whose lead is a status label alone */
} item_schemes;

void am_compile__list_schemes(ctx *c, am_md_node *list, item_schemes *out);
/* Whether a bold lead says a status and nothing else ("✅ RESOLVIDO",
 * "FIXED"). */
bool am_compile__status_label(ctx *c, am_span lead);
/* Item `item` of a list as a finding when it is one (see compile_item.c);
 * false when it is not. */
bool am_compile__item_finding(ctx *c, am_md_node *item, const item_schemes *sc, bool ordered, int depth);

/* ---- table findings (compile_table.c) ----------------------------------- */

/* The rows of `table` as findings, when it is a register of findings. */
void am_compile__table_findings(ctx *c, am_md_node *table, am_span context);
/* Whether a table is a register of findings by its own columns (phase 1:
 * no section status is known yet). */
bool am_compile__table_is_register(ctx *c, am_md_node *table);
/* A legend table ("| Mark | Meaning |", or two columns under `context`
 * announcing a legend): its marks defined; false when it is none. */
bool am_compile__table_legend(ctx *c, am_md_node *table, am_span context);
/* Makes `mark` mean the status `meaning` says, in this audit. */
void am_compile__define_status(ctx *c, am_span mark, am_span meaning);

/* ---- legends (compile_legend.c) ------------------------------------------ */

/* Reads the legends among blocks[0..n) into the context's matcher. */
void am_compile__read_legends(ctx *c, const block_info *blocks, size_t n);
/* The nearest non-blank source line above `line`, heading marks and
 * emphasis stripped: what introduces a block. */
am_span am_compile__line_above(ctx *c, uint32_t line);
/* Whether a line introduces a legend ("### Status Legend", "Key:"). */
bool am_compile__announces_legend(am_span line);

/* ---- titles (compile_title.c) ------------------------------------------- */

typedef struct {
	am_span id, number, title;
	am_span level; /* "Critical" of "🔴 Critical: Title" */
	bool strong;   /* "Issue #1", an ID: a finding whatever its body */
	bool numbered; /* "3)", "2.1": a finding only with finding fields */
} title_parts;

/* The pattern of title prefixes (IDs and numbers), for ctx.prefix_re. */
int am_compile__title_re_new(am_re **out);
/* Splits s[0..len) into its prefix (ID or number) and title. */
void am_compile__parse_title(ctx *c, const char *s, size_t len, title_parts *out);
/* Whether a table in a finding's body may state its fields: two columns
 * at most ("| Severity: **High** | Difficulty: **Low** |", "| Severity |
 * High |"); a wider table is data, whatever its cells say. */
bool am_compile__fields_table(am_md_node *table);
/* "| Severity | Status | Location |" over one row: a record in a
 * finding's body, each header a status, level or evidence field naming
 * the cell under it. Its field count (0 when it is none); *strong_field
 * set when it is one. */
#define RECORD_MAX 16
int am_compile__record_table(ctx *c, am_md_node *table, bool *strong_field);
/* Whether a title states a level ("[CRITICAL] Title", "High: Title"). */
bool am_compile__title_level(ctx *c, const title_parts *tp);
/* Words outside code spans in s[0..len). */
size_t am_compile__prose_words(const char *s, size_t len);
/* Whether text cites lines of a file ("db.go:123"; a whole file is not). */
bool am_compile__cites_lines(ctx *c, const char *text, size_t len);
/* Starts a finding from the first `len` bytes of its title text `t`, at
 * node `at`: title, ID, number, position, status marks, levels. */
void am_compile__builder_title(ctx *c, builder *b, const inl *t, size_t len, am_md_node *at);
/* The status a title or heading announces at its edges ("(Resolved)",
 * "- FIXED ✅"; at its start too when allow_start: "✅ Title"), with the
 * mark's place in [*mstart, *mend); AM_STATUS_UNKNOWN when none. */
am_status am_compile__edge_status(ctx *c, const char *s, size_t len, bool allow_start,
				  size_t *mstart, size_t *mend);
/* A run of emoji and punctuation only (status marks around a title). */
bool am_compile__only_marks(const char *s, size_t len);

/* ---- fields (compile_field.c) ------------------------------------------- */

/* Splits "Key: value" (the bold markers are already gone). The key is a
 * short label: a letter first, at most five words, no path or code. */
bool am_compile__split_field(const char *s, size_t len, am_span *key, am_span *value);
/* "Low | Status: Fixed", "High · **Status:** Open": where a field's value
 * ends (*end, from value.ptr) when another finding field follows it after
 * a separator ("|", "·", "•", ";"), and where that one starts (*next). */
bool am_compile__next_field(ctx *c, am_span value, size_t *end, size_t *next);
/* A field name without a trailing qualifier: "Solution (Concrete)" is
 * "Solution". */
am_span am_compile__field_core(am_span name);
/* "Status", "State", "Fixed?"... */
bool am_compile__is_status_field(am_span name);
/* 1 for a priority field ("Priority"), 2 for a severity field ("Severity",
 * "Risk"), else 0. */
int am_compile__level_field(am_span name);
/* The role of citations in a field: mention or evidence by the field's
 * name, else `inherited`. */
am_cite_role am_compile__field_role(ctx *c, am_span name, am_cite_role inherited);
/* Status and evidence fields are not the finding's "text": their changes
 * are reported as status and evidence changes. */
bool am_compile__not_text_field(ctx *c, am_span key);
/* Adds field `name` with value[0..vlen) (trimmed), at `line`; its value
 * as Markdown too when the text of `t` holds it (t may be NULL). */
void am_compile__add_field(ctx *c, builder *b, const inl *t, am_span name, const char *value, size_t vlen,
			   uint32_t line);
/* Applies a field's meaning: status, priority, severity, a "Lines:" range. */
void am_compile__interpret_field(ctx *c, builder *b, am_span name, am_span value);

/* ---- the builder and finding bodies (compile_body.c) -------------------- */

/* Nodes set aside while a body is read (the sub-tasks of a checklist item). */
typedef struct {
	am_md_node **items;
	size_t n, cap;
} node_list;

void am_compile__builder_init(ctx *c, builder *b);
void am_compile__builder_free(builder *b);
/* Adds the finished finding, of `kind` and ending at `end_line`, to the
 * context: what it does not state it inherits from its sections; it is
 * open unless said otherwise. */
void am_compile__finish_finding(ctx *c, builder *b, am_finding_kind kind, uint32_t end_line);
/* Adds s[0..len) to the finding's text hash (FNV-1a, white space
 * collapsed), unless inside a field that is not text (b->nohash). */
void am_compile__hash_text(builder *b, const char *s, size_t len);
/* Citations in t->text[off..off+len), with `role` and `field`. */
void am_compile__scan_cites(ctx *c, builder *b, const inl *t, size_t off, size_t len,
			    am_cite_role role, const char *field);
/* Citations in the link targets of t. */
void am_compile__scan_links(ctx *c, builder *b, const inl *t, am_cite_role role, const char *field);
/* A task item's box: -1 (none), 0 (empty) or 1 (ticked); *marker when the
 * "[x] " was left in the text (the extension missed it). */
int am_compile__item_task(am_md_node *item, bool *marker);
/*
 * Reads block n of a finding's body at nesting `depth`: its fields, text
 * and citations (with `role`, in `field` when inside one). Lines are
 * appended to `sink` (the value of the field being read) when not NULL;
 * task items go to `subtasks` instead when it is not NULL.
 */
void am_compile__body_block(ctx *c, builder *b, am_md_node *n, am_cite_role role, const char *field,
			    am_buf *sink, node_list *subtasks, int depth);

/* ---- sections (compile_section.c) --------------------------------------- */

/* A heading that is not a finding, at `level`: closes the sections at its
 * level and below and opens its own (text NULL: the document title, which
 * is no section but closes the others). */
void am_compile__push_section(ctx *c, int level, const char *text);
/* Closes the sections at `level` and below: a heading finding at that
 * level is inside the sections above it only, never a sibling's. */
void am_compile__close_sections(ctx *c, int level);
/* Whether two open sections say the same. */
bool am_compile__same_section(const section *a, const section *b);
/* Whether an open section gives a status ("## Resolved"). */
bool am_compile__in_status_section(const ctx *c);
/* Whether an open section gives a severity ("## HIGH RISK MOCKS"). */
bool am_compile__in_severity_section(const ctx *c);
/* The titles of the open sections, outermost first (an arena copy, cached
 * until the next section opens); NULL when there are none. */
const char **am_compile__section_path(ctx *c, size_t *n);
/* Fills in the status, priority and severity a finding does not state from
 * the closest section that gives them. */
void am_compile__section_inherit(ctx *c, builder *b);
/* Sets the finding's priority or severity from `from` unless a source as
 * strong or stronger already set it (the first of equals wins). */
void am_compile__set_priority(builder *b, am_priority p, am_level_source from);
void am_compile__set_severity(builder *b, am_severity sv, am_level_source from);

/* ---- metadata and date (compile_meta.c) --------------------------------- */

/* Reads and blanks (but for its newlines) YAML front matter at the top of
 * text[0..len). */
void am_compile__front_matter(ctx *c, char *text, size_t len);
/* The field lines of a paragraph or list: metadata when `record` (in the
 * preamble), else only the audit's date. */
void am_compile__meta_block(ctx *c, am_md_node *n, bool record);
/* Metadata key: value at `line`, unless the key is already there. */
void am_compile__add_meta(ctx *c, am_span key, am_span value, uint32_t line);
/* The audit's date from text (its title), when nothing gave one yet. */
void am_compile__date_from(ctx *c, am_span text);

/* ---- inline text (compile_inline.c) ------------------------------------- */

/* A rendered-text buffer from the context's pool, empty; back with
 * am_compile__inl_free. */
void am_compile__inl_init(ctx *c, inl *t);
void am_compile__inl_free(ctx *c, inl *t);
/* Frees a buffer for good (the pool's, when the context goes). */
void am_compile__inl_release(inl *t);
void am_compile__inl_clear(inl *t);

/* Appends the inline content of block n to t, with its positions. */
void am_compile__inl_render(ctx *c, am_md_node *n, inl *t);
/* Sets t to plain text s[0..len) that starts at line:col of the audit. */
void am_compile__inl_plain(inl *t, const char *s, size_t len, uint32_t line, uint32_t col);

/* Line and column in the source of byte `off` of the rendered text. */
void am_compile__inl_position(const inl *t, size_t off, uint32_t *line, uint32_t *col);

/*
 * The Markdown that writes text[a, b) (offsets into t->text) with its
 * code spans, emphasis and links: the markup whose content the range
 * covers whole, and its text escaped. In the arena; NULL when it would be
 * the text itself, or when s is not within t->text.
 */
const char *am_compile__inl_markdown(ctx *c, const inl *t, const char *s, size_t len);

/* Line `line` (1-based) of the audit, without its newline; empty past the end. */
am_span am_compile__source_line(ctx *c, uint32_t line);

/* Moves a column estimate onto the place on `line` where `needle` really is. */
uint32_t am_compile__refine_column(ctx *c, uint32_t line, uint32_t col, am_span needle);

/* ---- post-processing (compile_post.c) ----------------------------------- */

/* Table rows that re-list a finding written elsewhere are merged into it. */
void am_compile__merge_table_rows(ctx *c);
/* Every finding gets its ID; parents recorded as indices become IDs. */
void am_compile__assign_ids(ctx *c);

#endif
