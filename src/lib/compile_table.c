/*
 * compile_table.c: tables. A table is read whole (its header and a sample
 * of its rows) before any row becomes a finding, and is one of:
 *
 *  - a legend ("| Mark | Meaning |", or a two-column table under a
 *    "Legend" heading): its marks and words become the audit's own status
 *    vocabulary (read before the walk, by am_compile__table_legend);
 *  - a count table ("| Severity | Total | Fixed | Open |", "| Area |
 *    Issues |"): every column but the first holds counts; never findings,
 *    its rows are kept as the audit's summary (am_summary_row);
 *  - a register of findings: it has a status column, named so ("Status",
 *    "Fixed") or recognised by its cells (a column under an empty or
 *    mark-only header whose cells are mostly status marks or words), whose
 *    cells say a status somewhere (or answer a header that asks: "Fixed?"
 *    over "Yes", "No", "Partially"; a "Fixed in" column filled resolves a
 *    row), or which has an ID column or a column
 *    naming findings; or, without a status column, it has an ID, a title
 *    and a severity column (a numbered list of findings), a severity
 *    column and one naming findings ("| Severity | Finding |"; not under a
 *    line that orders them, "Next steps"), or it stands
 *    under a section that gives a status ("## Fixed") with a column naming
 *    its items;
 *  - anything else: prose (scope, contents, comparisons).
 *
 * A column's role comes from its header, corrected by its cells: a status
 * column of counts is a count, an item column of IDs ("A1", "T-3") is the
 * ID column. In a register each row is a finding, its title from the title
 * column (without one, the first column of no known role); rows titled
 * with digits or punctuation only, total rows and group separators
 * ("| -- | **Phase 2** | | |") are not. Hands on table findings and
 * summary rows; a row that re-lists a finding written elsewhere in the
 * audit is merged into it later (compile_post.c).
 */
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "source.h"
#include "title.h"

/* ---- columns --------------------------------------------------------------- */

typedef enum {
	COL_OTHER,
	COL_ID,
	COL_TITLE,
	COL_STATUS,
	COL_SEVERITY,
	COL_PRIORITY,
	COL_LOCATION,
	COL_COUNT, /* a column named like a status that holds counts ("Fixed | 3") */
} col_role;

/* The header names of each column role, in any case. Any other "<word> ID"
 * header ("Spec ID", "CVE ID", "Req. ID") is an ID column too. */
static const struct {
	col_role role;
	const char *names[24]; /* up to a NULL */
} column_names[] = {
	{ COL_STATUS, { "status", "state", "fixed", "resolved", "done", "fix status", "resolution status",
			"progress", "completed", "complete", "disposition", "outcome" } },
	{ COL_ID, { "id", "#", "no", "no.", "nr", "ref", "key", "issue id", "finding id", "number", "item #",
		    "bug id" } },
	{ COL_SEVERITY, { "severity", "sev", "risk", "risk level", "impact level", "criticality" } },
	{ COL_PRIORITY, { "priority", "prio", "p", "urgency" } },
	{ COL_LOCATION, { "location", "locations", "file", "files", "path", "evidence", "where", "lines", "line",
			  "source", "affected files", "file:line", "file(s)" } },
	{ COL_TITLE, { "finding", "issue", "title", "item", "description", "task", "blocker", "problem",
		       "name", "summary", "debt", "bug", "vulnerability", "gap", "check", "requirement",
		       "control", "todo", "action", "work item" } },
};

/* Status columns that say what became of a finding ("Fixed (#134)", "No
 * action needed"): a Status column beside one is the status. */
static const char *const outcome_columns[] = { "disposition", "outcome" };

/* Columns that name the fix of a finding ("| Fixed in |" over a commit):
 * a row with one is resolved, unless a status column says otherwise. */
static const char *const fix_columns[] = { "fixed in", "resolved in", "closed in", "fixed by", "fix commit",
					   "fix pr", "fixed in commit", "fixed in version", "fixed version" };

/* Title columns that name findings, not just things. */
static const char *const finding_columns[] = { "finding", "issue", "bug", "vulnerability", "problem",
					       "debt", "gap", "blocker", "title" };

/* Headers of the second column of a legend. */
static const char *const legend_columns[] = { "meaning", "means", "description", "definition",
					      "explanation", "legend" };

/* Count columns of a summary: "Total", "Count"... (closed and open ones
 * are told by their status word). */
static const char *const total_columns[] = { "total", "count", "findings", "issues", "bugs", "items",
					     "number", "#", "all", "sum", "found", "anzahl", "gesamt",
					     "quantidade", "total de", "cantidad", "nombre", "数量" };

static bool name_in(am_span s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (am_span_ieq(s, am_span_from(names[i])))
			return true;
	return false;
}

#define NAME_IN(s, list) name_in(s, list, sizeof(list) / sizeof(list[0]))

static col_role column_role(am_span h)
{
	/* "Fixed?" asks what "Fixed" states. */
	while (h.len && (h.ptr[h.len - 1] == '?' || h.ptr[h.len - 1] == ' '))
		h.len--;
	for (size_t i = 0; i < sizeof(column_names) / sizeof(column_names[0]); i++)
		for (const char *const *name = column_names[i].names; *name; name++)
			if (am_span_ieq(h, am_span_from(*name)))
				return column_names[i].role;
	if (h.len > 3 && h.len < 24 && am_span_ieq((am_span){ h.ptr + h.len - 3, 3 }, AM_SPAN(" id")))
		return COL_ID;
	return COL_OTHER;
}

/* ---- cells ----------------------------------------------------------------- */

/* A letter of any script (not a mark: "☐", "✅", "—" are none). */
static bool has_letter(am_span s)
{
	for (size_t i = 0; i < s.len;) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (ch < 0x80) {
			if (am_isalpha(ch))
				return true;
			i++;
			continue;
		}
		size_t n = am_utf8_seqlen((const unsigned char *)s.ptr + i, s.len - i);
		if (!n)
			n = 1;
		if (ch >= 0xC0 && !am_vocab__is_mark(s.ptr + i, n))
			return true;
		i += n;
	}
	return false;
}

static size_t count_words(am_span s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		if (!am_isspace((unsigned char)s.ptr[i]) && (i == 0 || am_isspace((unsigned char)s.ptr[i - 1])))
			n++;
	return n;
}

/* "12", "1,024", "93%", "3/5", "~40", "0 (0%)", "3 fixed", "12 issues": a
 * count, a figure or a share, at most two words after the number. */
static bool is_count(am_span s, long *value)
{
	size_t i = 0;
	/* A sign or comparison first: "~40", "≥70%", "<5", "+3". */
	for (int k = 0; k < 2 && i < s.len && !am_isdigit((unsigned char)s.ptr[i]); k++) {
		size_t n = am_utf8_seqlen((const unsigned char *)s.ptr + i, s.len - i);
		if (!n || !am_vocab__is_mark(s.ptr + i, n))
			return false;
		i += n;
	}
	if (i >= s.len || !am_isdigit((unsigned char)s.ptr[i]))
		return false;
	long v = 0;
	for (; i < s.len && (am_isdigit((unsigned char)s.ptr[i]) || s.ptr[i] == ',' || s.ptr[i] == '.' ||
			     s.ptr[i] == '_');
	     i++)
		if (am_isdigit((unsigned char)s.ptr[i]) && v < 100000000)
			v = v * 10 + (s.ptr[i] - '0');
	if (value)
		*value = v;
	am_span rest = am_span_trim((am_span){ s.ptr + i, s.len - i });
	return count_words(rest) <= 2;
}

/* "3 fixed, 1 offen (API), 1 false positive": counts, comma-separated. */
static bool is_count_list(am_span s)
{
	size_t i = 0, pieces = 0;
	while (i < s.len) {
		size_t e = i;
		while (e < s.len && s.ptr[e] != ',')
			e++;
		if (!is_count(am_span_trim((am_span){ s.ptr + i, e - i }), NULL))
			return false;
		pieces++;
		i = e + 1;
	}
	return pieces > 0;
}

/* "—", "-", "n/a", "": says nothing either way. */
static bool is_blank_cell(am_span s)
{
	return !s.len || am_span_ieq(s, AM_SPAN("-")) || am_span_ieq(s, AM_SPAN("—")) ||
	       am_span_ieq(s, AM_SPAN("–")) || am_span_ieq(s, AM_SPAN("n/a")) || am_span_ieq(s, AM_SPAN("--"));
}

/* "[x]", "[ ]", "[~]", "[o]": a box, a status in itself. */
static bool is_box(am_span s)
{
	return s.len == 3 && s.ptr[0] == '[' && s.ptr[2] == ']';
}

/* A short cell saying a status: "✅", "🔎", "DONE", "✅ Fixed in 1a2b". */
static bool is_status_cell(ctx *c, am_span s)
{
	size_t a, e;
	return is_box(s) ||
	       (count_words(s) <= 6 && am_vocab__status_text(&c->vm, s.ptr, s.len, &a, &e) != AM_STATUS_UNKNOWN);
}

/* The answer a cell gives to a column that asks ("| Fixed? |"): 1 yes,
 * 0 no, 2 in part; -1 when it is no answer. */
static int answer(am_span s)
{
	static const char *const yes[] = { "yes", "y", "true", "ja", "sim", "sí", "si", "oui", "是" };
	static const char *const no[] = { "no", "n", "false", "nein", "não", "nao", "non", "否" };
	static const char *const part[] = { "partially", "partial", "partly", "in part", "teilweise",
					    "parcialmente", "partiellement", "部分" };
	while (s.len && (s.ptr[s.len - 1] == '.' || s.ptr[s.len - 1] == '!'))
		s.len--;
	if (NAME_IN(s, yes))
		return 1;
	if (NAME_IN(s, no))
		return 0;
	if (NAME_IN(s, part))
		return 2;
	return -1;
}

/* "A1", "T-3", "BUG-2025-10-001", "M10": one short token with a letter
 * and a digit. */
static bool is_id_cell(am_span s)
{
	bool letter = false, digit = false;
	if (!s.len || s.len > 20)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if (am_isalpha(ch))
			letter = true;
		else if (am_isdigit(ch))
			digit = true;
		else if (ch != '-' && ch != '_' && ch != '.')
			return false;
	}
	return letter && digit && am_isalpha((unsigned char)s.ptr[0]);
}

/* ---- the shape of a table -------------------------------------------------- */

#define MAX_COLUMNS 64
#define SAMPLE_ROWS 24 /* rows read to judge the columns: enough to say "mostly" */

/* What a column's cells are like, over the sampled rows. */
typedef struct {
	unsigned filled, counts, statuses, ids, words;
	unsigned marks; /* status cells of marks alone: "✔", "✘", "⚠️" */
	unsigned answers; /* yes, no or in part */
} column_cells;

typedef enum { TABLE_PROSE, TABLE_LEGEND, TABLE_SUMMARY, TABLE_REGISTER } table_kind;

/* A table's columns, as its header names them and its cells confirm. */
typedef struct {
	col_role roles[MAX_COLUMNS];
	const char *names[MAX_COLUMNS];
	bool letterless[MAX_COLUMNS]; /* the header has no letter: "☐", "", "?" */
	column_cells cells[MAX_COLUMNS];
	int n, status, title, id, severity;
	bool recognised_status; /* some status cell says a status */
	am_status yes; /* what "yes" says under a status column that asks ("Fixed?") */
	table_kind kind;
} columns;

static int first_of(const columns *cols, col_role role)
{
	for (int i = 0; i < cols->n; i++)
		if (cols->roles[i] == role)
			return i;
	return -1;
}

static am_span cell_text(ctx *c, am_md_node *cell, inl *t)
{
	am_compile__inl_clear(t);
	am_compile__inl_render(c, cell, t);
	return am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size });
}

static void read_header(ctx *c, am_md_node *header, inl *t, columns *cols)
{
	memset(cols, 0, sizeof(*cols));
	for (am_md_node *cell = am_md_first_child(header); cell && cols->n < MAX_COLUMNS;
	     cell = am_md_next(cell), cols->n++) {
		am_span h = cell_text(c, cell, t);
		cols->roles[cols->n] = column_role(h);
		cols->names[cols->n] = am_arena_strndup(c->arena, h.ptr, h.len);
		cols->letterless[cols->n] = !has_letter(h);
	}
}

/* Counts what the first SAMPLE_ROWS rows hold, column by column. */
static void read_cells(ctx *c, am_md_node *header, inl *t, columns *cols)
{
	int rows = 0;
	for (am_md_node *row = am_md_next(header); row && rows < SAMPLE_ROWS; row = am_md_next(row), rows++) {
		int col = 0;
		for (am_md_node *cell = am_md_first_child(row); cell && col < cols->n;
		     cell = am_md_next(cell), col++) {
			am_span v = cell_text(c, cell, t);
			column_cells *cc = &cols->cells[col];
			if (is_blank_cell(v))
				continue;
			cc->filled++;
			cc->words += (unsigned)count_words(v);
			cc->counts += is_count(v, NULL) || is_count_list(v);
			cc->ids += is_id_cell(v);
			cc->answers += answer(v) >= 0;
			if (is_status_cell(c, v)) {
				cc->statuses++;
				cc->marks += am_compile__only_marks(v.ptr, v.len);
			}
		}
	}
}

/* Two thirds of the cells are status marks. */
static bool marks_column(const column_cells *cc)
{
	return cc->filled >= 2 && 3 * cc->marks >= 2 * cc->filled;
}

/* Roles corrected by the cells: counts under a status header, status
 * marks under a header without words, or under any header when it is the
 * one column of marks and none is named for the status ("| Req |
 * Description | Result |" over "✔", "✘"; a matrix of marks is not a
 * register), IDs in an item column. */
static void refine_roles(columns *cols)
{
	bool have_id = first_of(cols, COL_ID) >= 0, have_status = first_of(cols, COL_STATUS) >= 0;
	int mark_columns = 0;
	for (int i = 0; i < cols->n; i++)
		mark_columns += cols->roles[i] == COL_OTHER && marks_column(&cols->cells[i]);
	for (int i = 0; i < cols->n; i++) {
		const column_cells *cc = &cols->cells[i];
		if (!cc->filled)
			continue;
		if (cols->roles[i] == COL_STATUS && 2 * cc->counts >= cc->filled)
			cols->roles[i] = COL_COUNT;
		else if (cols->roles[i] == COL_OTHER && cols->letterless[i] && 2 * cc->statuses > cc->filled)
			cols->roles[i] = COL_STATUS;
		else if (cols->roles[i] == COL_OTHER && !have_status && mark_columns == 1 && marks_column(cc)) {
			cols->roles[i] = COL_STATUS;
			have_status = true;
		}
		else if (!have_id && (cols->roles[i] == COL_TITLE || cols->roles[i] == COL_OTHER) &&
			 5 * cc->ids >= 4 * cc->filled) {
			cols->roles[i] = COL_ID;
			have_id = true;
		}
	}
}

/* Every column but the first (and status marks) holds counts. */
static bool counts_only(const columns *cols)
{
	int numeric = 0;
	for (int i = 1; i < cols->n; i++) {
		const column_cells *cc = &cols->cells[i];
		if (!cc->filled || cols->roles[i] == COL_STATUS)
			continue;
		if (5 * cc->counts < 3 * cc->filled)
			return false;
		numeric++;
	}
	return numeric > 0;
}

/* Whether text (a heading or a paragraph before the table) announces a
 * legend: "Legend", "Status key:", "Key". */
/* Whether line s holds one of words[0..n), in any case. */
static bool line_says(am_span s, const char *const *words, size_t n)
{
	char buf[160];
	if (!s.len || s.len >= sizeof(buf))
		return false;
	/* The line is a slice of the source: searched in a copy of its own. */
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	for (size_t i = 0; i < n; i++)
		if (strcasestr(buf, words[i]))
			return true;
	return false;
}

#define LINE_SAYS(s, words) line_says(s, words, sizeof(words) / sizeof(words[0]))

static bool says_legend(am_span s)
{
	static const char *const words[] = { "legend", "status key", "key:" };
	/* A short line: a legend's caption, not prose that mentions one. */
	return s.len < 64 && (am_span_ieq(s, AM_SPAN("key")) || LINE_SAYS(s, words));
}

static bool is_legend(const columns *cols, am_span context)
{
	if (cols->n != 2)
		return false;
	if (!NAME_IN(am_span_from(cols->names[1]), legend_columns) && !says_legend(context))
		return false;
	return cols->cells[0].filled > 0;
}

/* Without a title column, the first column of no known role that is not
 * mostly counts names the items ("| ☐ | Where | Limit | Next step |": the
 * next step, the limits being figures); else the one with the most words
 * per cell. -1 when there is none. */
static int item_column(const columns *cols)
{
	int best = -1;
	unsigned best_words = 0, best_filled = 1;
	for (int i = 0; i < cols->n; i++) {
		const column_cells *cc = &cols->cells[i];
		if (cols->roles[i] != COL_OTHER || !cc->filled)
			continue;
		if (2 * cc->counts < cc->filled)
			return i;
		if (best < 0 || (unsigned long)cc->words * best_filled > (unsigned long)best_words * cc->filled) {
			best = i;
			best_words = cc->words;
			best_filled = cc->filled;
		}
	}
	return best;
}

/* Whether the line above a table says it orders what the audit says
 * elsewhere ("Files requiring attention (priority order)", "Next steps",
 * "Action plan"). */
static bool says_order(am_span s)
{
	static const char *const words[] = { "priority order", "order of", "next steps", "action plan", "roadmap",
					     "recommended order" };
	return LINE_SAYS(s, words);
}

/* A register of findings (see the opening comment). Whether the walk is
 * under a section that gives a status or names a level comes from the
 * caller: a heading's judgement, which is the same wherever the walk
 * stands, asks without them. */
static bool is_register(const columns *cols, bool in_status_section, bool in_severity_section, am_span context)
{
	if (cols->status >= 0)
		return cols->recognised_status || cols->id >= 0 ||
		       (cols->title >= 0 && NAME_IN(am_span_from(cols->names[cols->title]), finding_columns));
	/* "| Severity | Finding | Location |": findings by their severity,
	 * unless the table orders findings the audit states elsewhere. */
	if (cols->title >= 0)
		return in_status_section || (cols->id >= 0 && cols->severity >= 0) ||
		       (cols->severity >= 0 && NAME_IN(am_span_from(cols->names[cols->title]), finding_columns) &&
			!says_order(context));
	/* "## Resolved" over "| Item | Resolution |" with IDs for items. */
	if (in_status_section && cols->id >= 0 && item_column(cols) >= 0)
		return true;
	/* "## HIGH RISK MOCKS" over "| File | Line | Mock Target | Notes |". */
	return (in_status_section || in_severity_section) && first_of(cols, COL_LOCATION) >= 0 &&
	       item_column(cols) >= 0;
}

/* Reads the header and a sample of the rows; decides what the table is. */
static void read_table(ctx *c, am_md_node *header, inl *t, am_span context, bool in_status_section,
		       bool in_severity_section, columns *cols)
{
	read_header(c, header, t, cols);
	read_cells(c, header, t, cols);
	refine_roles(cols);
	cols->status = first_of(cols, COL_STATUS);
	for (int i = cols->status; i >= 0 && i < cols->n; i++)
		if (cols->roles[i] == COL_STATUS && !NAME_IN(am_span_from(cols->names[i]), outcome_columns)) {
			cols->status = i;
			break;
		}
	cols->title = first_of(cols, COL_TITLE);
	cols->id = first_of(cols, COL_ID);
	cols->severity = first_of(cols, COL_SEVERITY);
	cols->recognised_status = cols->status >= 0 && cols->cells[cols->status].statuses > 0;
	/* "| Fixed? |" over "Yes", "No", "Partially": answers that say the
	 * header's status, its opposite, or work under way. */
	cols->yes = AM_STATUS_UNKNOWN;
	if (cols->status >= 0 && 2 * cols->cells[cols->status].answers > cols->cells[cols->status].filled) {
		am_span h = am_span_from(cols->names[cols->status]);
		size_t a, e;
		while (h.len && (h.ptr[h.len - 1] == '?' || h.ptr[h.len - 1] == ' '))
			h.len--;
		cols->yes = am_vocab__status_text(&c->vm, h.ptr, h.len, &a, &e);
		cols->recognised_status |= cols->yes == AM_STATUS_RESOLVED || cols->yes == AM_STATUS_OPEN;
	}
	if (is_legend(cols, context))
		cols->kind = TABLE_LEGEND;
	else if (cols->n >= 2 && counts_only(cols))
		cols->kind = TABLE_SUMMARY;
	else if (is_register(cols, in_status_section, in_severity_section, context))
		cols->kind = TABLE_REGISTER;
	else
		cols->kind = TABLE_PROSE;
	if (cols->kind == TABLE_REGISTER && cols->title < 0)
		cols->title = item_column(cols);
	/* "| File | Lines | Status |": the file names the item. */
	if (cols->kind == TABLE_REGISTER && cols->title < 0)
		cols->title = first_of(cols, COL_LOCATION);
	if (cols->title >= 0)
		cols->roles[cols->title] = COL_TITLE;
}

/* ---- legends ----------------------------------------------------------------- */

void am_compile__define_status(ctx *c, am_span mark, am_span meaning)
{
	size_t a, e;
	mark = am_span_trim(mark);
	if (!mark.len || mark.len > 40 || count_words(mark) > 3)
		return;
	am_status st = am_vocab__status_text(&c->vm, meaning.ptr, meaning.len, &a, &e);
	if (st != AM_STATUS_UNKNOWN)
		am_vocab__matcher_define(&c->vm, mark.ptr, mark.len, st);
}

bool am_compile__table_legend(ctx *c, am_md_node *table, am_span context)
{
	am_md_node *header = am_md_first_child(table);
	columns cols;
	inl t;

	if (!header || !am_md_row_is_header(header))
		return false;
	am_compile__inl_init(c, &t);
	read_header(c, header, &t, &cols);
	for (am_md_node *row = am_md_next(header); row; row = am_md_next(row)) {
		am_md_node *first = am_md_first_child(row);
		cols.cells[0].filled += first != NULL;
	}
	bool legend = is_legend(&cols, context);
	for (am_md_node *row = am_md_next(header); legend && row; row = am_md_next(row)) {
		am_md_node *first = am_md_first_child(row);
		am_md_node *second = first ? am_md_next(first) : NULL;
		if (!second)
			continue;
		am_span mark = cell_text(c, first, &t);
		char *copy = am_arena_strndup(c->arena, mark.ptr, mark.len);
		am_span meaning = cell_text(c, second, &t);
		am_compile__define_status(c, am_span_from(copy), meaning);
	}
	am_compile__inl_free(c, &t);
	return legend;
}

/* ---- summaries ---------------------------------------------------------------- */

/* The count a summary column holds: 'T' total, 'C' closed, 'O' open, 0. */
static char summary_column(ctx *c, am_span name)
{
	size_t a, e;
	if (NAME_IN(name, total_columns))
		return 'T';
	am_status st = am_vocab__status_text(&c->vm, name.ptr, name.len, &a, &e);
	if (st == AM_STATUS_UNKNOWN || a > 0)
		return 0;
	return am_status_is_closed(st) ? 'C' : 'O';
}

static bool is_total_label(am_span s)
{
	static const char *const totals[] = { "total", "totals", "sum", "overall", "all", "grand total",
					      "gesamt", "总计", "合计" };
	return NAME_IN(s, totals);
}

/* The counts of one summary cell: a bare number goes to its column's
 * count; "3 fixed, 1 offen" counts by the status words (into *closed and
 * *open, which start at -1). */
static void summary_cell(ctx *c, am_span v, char kind, am_summary_row *r, long *closed, long *open)
{
	size_t i = 0;
	while (i < v.len) {
		size_t e = i;
		while (e < v.len && v.ptr[e] != ',')
			e++;
		am_span piece = am_span_trim((am_span){ v.ptr + i, e - i });
		i = e + 1;
		long n, *slot = NULL;
		if (!is_count(piece, &n))
			continue;
		size_t k = 0;
		while (k < piece.len && !am_isspace((unsigned char)piece.ptr[k]))
			k++;
		am_span words = am_span_trim((am_span){ piece.ptr + k, piece.len - k });
		size_t a, b;
		am_status st = words.len ? am_vocab__status_text(&c->vm, words.ptr, words.len, &a, &b)
					 : AM_STATUS_UNKNOWN;
		if (st != AM_STATUS_UNKNOWN)
			slot = am_status_is_closed(st) ? closed : open;
		else if (kind)
			slot = kind == 'T' ? &r->total : kind == 'C' ? &r->closed : &r->open;
		if (slot && slot != closed && slot != open) {
			if (*slot < 0)
				*slot = n;
		} else if (slot) {
			*slot = (*slot < 0 ? 0 : *slot) + n;
		}
	}
}

static void summary_row(ctx *c, const columns *cols, am_md_node *row, inl *t)
{
	am_summary_row r = { NULL, AM_SEVERITY_NONE, 0, -1, -1, -1, LINE(c, row), am_md_start_column(row) };
	long closed = -1, open = -1;
	am_priority p;
	int col = 0;

	for (am_md_node *cell = am_md_first_child(row); cell && col < cols->n; cell = am_md_next(cell), col++) {
		am_span v = cell_text(c, cell, t);
		if (col == 0) {
			r.label = am_arena_strndup(c->arena, v.ptr, v.len);
			r.is_total = is_total_label(v);
			if (am_vocab__level(&c->vm, v.ptr, v.len, &p, &r.severity) && count_words(v) > 2)
				r.severity = AM_SEVERITY_NONE;
			continue;
		}
		summary_cell(c, v, summary_column(c, am_span_from(cols->names[col])), &r, &closed, &open);
	}
	if (r.closed < 0)
		r.closed = closed;
	if (r.open < 0)
		r.open = open;
	if (r.label && (r.severity || r.is_total) && (r.total >= 0 || r.closed >= 0 || r.open >= 0)) {
		am_grow((void **)&c->summary, &c->capsummary, c->nsummary + 1, sizeof(am_summary_row));
		c->summary[c->nsummary++] = r;
	}
}

/* ---- rows -------------------------------------------------------------------- */

/* An ID cell: digits are the finding's number, anything else its ID. */
static void id_cell(ctx *c, builder *b, am_span v)
{
	if (!v.len || v.len >= 32)
		return;
	bool digits = true;
	for (size_t i = 0; i < v.len; i++)
		if (!am_isdigit((unsigned char)v.ptr[i]))
			digits = false;
	if (digits) {
		b->f.number = am_arena_strndup(c->arena, v.ptr, v.len);
	} else if (!b->f.id && has_letter(v)) {
		b->f.id = am_arena_strndup(c->arena, v.ptr, v.len);
		b->f.id_explicit = 1;
	}
}

/* A status cell: a status word, a box ("[x]", "[ ]") or an answer to a
 * header that asks ("Fixed?": "Yes"); any text there is the finding's
 * status text. */
static void status_cell(ctx *c, builder *b, const columns *cols, am_span v)
{
	size_t a, e;
	am_status st = am_vocab__status_text(&c->vm, v.ptr, v.len, &a, &e);
	int said = answer(v);

	if (st == AM_STATUS_UNKNOWN && said >= 0 && (cols->yes == AM_STATUS_RESOLVED || cols->yes == AM_STATUS_OPEN))
		st = said == 2 ? AM_STATUS_IN_PROGRESS
			       : (said == 1) == (cols->yes == AM_STATUS_RESOLVED) ? AM_STATUS_RESOLVED : AM_STATUS_OPEN;
	if (st == AM_STATUS_UNKNOWN && is_box(v))
		st = (v.ptr[1] == 'x' || v.ptr[1] == 'X') ? AM_STATUS_RESOLVED : AM_STATUS_OPEN;
	if (v.len || st != AM_STATUS_UNKNOWN) {
		b->f.status = st;
		b->f.status_text = am_arena_strndup(c->arena, v.ptr, v.len);
		b->status_from_field = true;
	}
}

/* A severity or priority cell. */
static void level_cell(ctx *c, builder *b, col_role role, am_span v)
{
	am_priority p;
	am_severity sv;

	if (!am_vocab__level(&c->vm, v.ptr, v.len, &p, &sv) && !am_vocab__level_mark(v.ptr, v.len, &p, &sv))
		return;
	if (role == COL_PRIORITY)
		am_compile__set_priority(b, p, AM_LEVEL_FROM_FIELD);
	else
		am_compile__set_severity(b, sv, AM_LEVEL_FROM_FIELD);
}

/* "| -- | **Phase 2** | | |": one filled cell besides the ID, in a table
 * of three columns or more. */
static bool is_separator(ctx *c, const columns *cols, am_md_node *row, inl *t)
{
	int filled = 0, col = 0;
	if (cols->n < 3)
		return false;
	for (am_md_node *cell = am_md_first_child(row); cell && col < cols->n; cell = am_md_next(cell), col++)
		if (cols->roles[col] != COL_ID && !is_blank_cell(cell_text(c, cell, t)))
			filled++;
	return filled <= 1;
}

/* A title that makes no finding: digits and punctuation only, or a total. */
static bool is_finding_title(const char *title)
{
	am_span s = am_span_trim(am_span_from(title));
	return has_letter(s) && !is_total_label(s);
}

/* The cell of a row in the title column; a bold lead followed by more
 * ("**Heap corruption:** `free(md)` called on ...") is the title. */
static void title_cell(ctx *c, builder *b, inl *t, am_md_node *row, am_md_node *cell, bool *have)
{
	if (!*have) {
		size_t len = t->text.size;
		if (t->starts_strong && t->strong_end > 0 && t->strong_end < len) {
			len = t->strong_end;
			while (len > 0 && strchr(":. ", t->text.ptr[len - 1]))
				len--;
		}
		am_compile__builder_title(c, b, t, len, row);
		b->f.line = LINE(c, cell);
		b->f.column = am_md_start_column(cell);
		*have = true;
	}
	am_compile__scan_cites(c, b, t, 0, t->text.size, AM_CITE_EVIDENCE, NULL);
}

/* A cell of no title or ID role: a field, read for its meaning and its
 * citations. */
static void field_cell(ctx *c, builder *b, const columns *cols, int col, inl *t, am_span v, uint32_t line)
{
	am_span name = am_span_from(cols->names[col]);
	col_role role = cols->roles[col];
	if (role == COL_STATUS && (col == cols->status || !NAME_IN(name, outcome_columns)))
		status_cell(c, b, cols, v);
	else if (role == COL_SEVERITY || role == COL_PRIORITY)
		level_cell(c, b, role, v);
	am_compile__add_field(c, b, t, name, v.ptr, v.len, line);
	if (role == COL_OTHER && !b->status_from_field && !is_blank_cell(v) && NAME_IN(name, fix_columns)) {
		am_buf_clear(&c->scratch);
		am_buf_printf(&c->scratch, "%s %.*s", cols->names[col], (int)v.len, v.ptr);
		b->f.status = AM_STATUS_RESOLVED;
		b->f.status_text = am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size);
	}
	if (role == COL_LOCATION)
		am_compile__interpret_field(c, b, name, v); /* "| a.py | 161, 297 |": its lines */
	if (role == COL_LOCATION || role == COL_OTHER || role == COL_COUNT) {
		am_cite_role r = role == COL_LOCATION ? AM_CITE_EVIDENCE
						      : am_compile__field_role(c, name, AM_CITE_EVIDENCE);
		am_compile__scan_cites(c, b, t, 0, t->text.size, r, cols->names[col]);
		am_compile__scan_links(c, b, t, r, cols->names[col]);
	}
}

/* A row as a finding, when its title makes one. */
static void row_finding(ctx *c, const columns *cols, am_md_node *row, inl *t)
{
	builder b;
	int col = 0;
	bool have_title = false;

	if (is_separator(c, cols, row, t))
		return;
	am_compile__builder_init(c, &b);
	b.f.line = LINE(c, row);
	b.f.column = am_md_start_column(row);
	b.title_is_text = cols->id >= 0;
	for (am_md_node *cell = am_md_first_child(row); cell && col < cols->n; cell = am_md_next(cell), col++) {
		am_span v = cell_text(c, cell, t);
		am_compile__hash_text(&b, am_buf_cstr(&t->text), t->text.size);
		if (cols->roles[col] == COL_TITLE)
			title_cell(c, &b, t, row, cell, &have_title);
		else if (cols->roles[col] == COL_ID)
			id_cell(c, &b, v);
		else
			field_cell(c, &b, cols, col, t, v, LINE(c, cell));
	}
	/* "| DEBT-003 | Wrapped writes in transactions |": a title that is only
	 * the row's ID yields to the first other cell of two words or more. */
	if (have_title && b.f.id && b.f.title && !strcasecmp(b.f.title, b.f.id))
		for (size_t k = 0; k < b.nfields; k++)
			if (count_words(am_span_from(b.fields[k].value)) >= 2) {
				b.f.title = b.fields[k].value;
				b.f.title_md = b.fields[k].value_md;
				b.f.title_shown_md = NULL;
				b.f.title_status = AM_STATUS_UNKNOWN;
				am_buf_clear(&c->scratch);
				am_title_normalize(&c->scratch, b.f.title, strlen(b.f.title));
				b.f.norm_title = am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size);
				break;
			}
	if (have_title && b.f.title && is_finding_title(b.f.title))
		am_compile__finish_finding(c, &b, AM_FINDING_TABLE, END_LINE(c, row));
	am_compile__builder_free(&b);
}

/* ---- the table ----------------------------------------------------------------- */

bool am_compile__table_is_register(ctx *c, am_md_node *table)
{
	am_md_node *header = am_md_first_child(table);
	columns cols;
	inl t;

	if (!header || !am_md_row_is_header(header))
		return false;
	am_compile__inl_init(c, &t);
	read_table(c, header, &t, (am_span){ "", 0 }, false, false, &cols);
	am_compile__inl_free(c, &t);
	return cols.kind == TABLE_REGISTER;
}

void am_compile__table_findings(ctx *c, am_md_node *table, am_span context)
{
	am_md_node *header = am_md_first_child(table);
	columns cols;
	inl t;

	if (!header || !am_md_row_is_header(header))
		return;
	am_compile__inl_init(c, &t);
	read_table(c, header, &t, context, am_compile__in_status_section(c), am_compile__in_severity_section(c),
		   &cols);
	for (am_md_node *row = am_md_next(header); row && !c->error; row = am_md_next(row)) {
		if (cols.kind == TABLE_REGISTER)
			row_finding(c, &cols, row, &t);
		else if (cols.kind == TABLE_SUMMARY)
			summary_row(c, &cols, row, &t);
	}
	am_compile__inl_free(c, &t);
}
