/*
 * compile_table.c: table findings. A table is a register of findings when
 * its header row has a status column ("Status", "Fixed", "Done"...), or,
 * under a section that gives a status ("## Resolved"), a column naming
 * its items ("Item", "Finding"...). Each row is then a finding: its title
 * from the title column (without one, the first column of no known role),
 * its ID or number, status, severity and priority from theirs, evidence
 * from location columns, and every cell but the title and ID a field.
 * Hands on table findings; a row that re-lists a finding written
 * elsewhere in the audit is merged into it later (compile_post.c).
 */
#include <string.h>

#include "compile_int.h"

/* ---- columns --------------------------------------------------------------- */

typedef enum { COL_OTHER, COL_ID, COL_TITLE, COL_STATUS, COL_SEVERITY, COL_PRIORITY, COL_LOCATION } col_role;

/* The header names of each column role, in any case. Any other "<word> ID"
 * header ("Spec ID", "CVE ID", "Req. ID") is an ID column too. */
static const struct {
	col_role role;
	const char *names[24]; /* up to a NULL */
} column_names[] = {
	{ COL_STATUS, { "status", "state", "fixed", "resolved", "done", "fix status", "resolution status",
			"progress", "completed", "complete" } },
	{ COL_ID, { "id", "#", "no", "no.", "nr", "ref", "key", "issue id", "finding id", "number", "item #",
		    "bug id" } },
	{ COL_SEVERITY, { "severity", "sev", "risk", "risk level", "impact level", "criticality" } },
	{ COL_PRIORITY, { "priority", "prio", "p", "urgency" } },
	{ COL_LOCATION, { "location", "locations", "file", "files", "path", "evidence", "where", "lines",
			  "source", "affected files", "file:line", "file(s)" } },
	{ COL_TITLE, { "finding", "issue", "title", "item", "description", "task", "blocker", "problem",
		       "name", "summary", "debt", "bug", "vulnerability", "gap", "check", "requirement",
		       "control", "todo", "action", "work item" } },
};

static col_role column_role(am_span h)
{
	for (size_t i = 0; i < sizeof(column_names) / sizeof(column_names[0]); i++)
		for (const char *const *name = column_names[i].names; *name; name++)
			if (am_span_ieq(h, am_span_from(*name)))
				return column_names[i].role;
	if (h.len > 3 && h.len < 24 && am_span_ieq((am_span){ h.ptr + h.len - 3, 3 }, AM_SPAN(" id")))
		return COL_ID;
	return COL_OTHER;
}

#define MAX_COLUMNS 64

/* A table's columns, as its header row names them. */
typedef struct {
	col_role roles[MAX_COLUMNS];
	const char *names[MAX_COLUMNS];
	int n;
} columns;

/* Reads the header row into cols (t: a buffer to render cells into).
 * False when the table is not a register of findings. */
static bool read_columns(ctx *c, am_md_node *header, inl *t, columns *cols)
{
	int status_col = -1, title_col = -1;

	cols->n = 0;
	for (am_md_node *cell = am_md_first_child(header); cell && cols->n < MAX_COLUMNS;
	     cell = am_md_next(cell), cols->n++) {
		am_compile__inl_clear(t);
		am_compile__inl_render(c, cell, t);
		am_span h = am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size });
		col_role role = column_role(h);
		cols->roles[cols->n] = role;
		cols->names[cols->n] = am_arena_strndup(c->arena, h.ptr, h.len);
		if (role == COL_STATUS && status_col < 0)
			status_col = cols->n;
		if (role == COL_TITLE && title_col < 0)
			title_col = cols->n;
	}
	/* Without a status column, a table is findings only under a heading
	 * that gives a status ("## Resolved", "## Done") and with a column
	 * that names them. */
	if (status_col < 0 && (!am_compile__in_status_section(c) || title_col < 0))
		return false;
	if (title_col < 0)
		for (int i = 0; i < cols->n; i++)
			if (cols->roles[i] == COL_OTHER) {
				cols->roles[i] = COL_TITLE;
				break;
			}
	return true;
}

/* ---- cells ----------------------------------------------------------------- */

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
	} else if (!b->f.id) {
		b->f.id = am_arena_strndup(c->arena, v.ptr, v.len);
		b->f.id_explicit = 1;
	}
}

/* A status cell: a status word, or a box ("[x]", "[ ]"); any text there
 * is the finding's status text. */
static void status_cell(ctx *c, builder *b, am_span v)
{
	size_t a, e;
	am_status st = am_vocab__status_text(&c->vm, v.ptr, v.len, &a, &e);

	if (st == AM_STATUS_UNKNOWN && v.len >= 3 && v.ptr[0] == '[')
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

	if (!am_vocab__level(&c->vm, v.ptr, v.len, &p, &sv))
		return;
	if (role == COL_PRIORITY)
		am_compile__set_priority(b, p, AM_LEVEL_FIELD);
	else
		am_compile__set_severity(b, sv, AM_LEVEL_FIELD);
}

/* A row as a finding, when its title cell is not empty. */
static void row_finding(ctx *c, const columns *cols, am_md_node *row, inl *t)
{
	builder b;
	int col = 0;
	bool have_title = false;

	am_compile__builder_init(c, &b);
	b.f.line = LINE(c, row);
	b.f.column = am_md_start_column(row);
	for (am_md_node *cell = am_md_first_child(row); cell && col < cols->n;
	     cell = am_md_next(cell), col++) {
		am_compile__inl_clear(t);
		am_compile__inl_render(c, cell, t);
		const char *s = am_buf_cstr(&t->text);
		am_span v = am_span_trim((am_span){ s, t->text.size });
		am_span name = am_span_from(cols->names[col]);
		col_role role = cols->roles[col];
		am_compile__hash_text(&b, s, t->text.size);
		if (role == COL_TITLE) {
			if (!have_title) {
				am_compile__builder_title(c, &b, t, t->text.size, row);
				b.f.line = LINE(c, cell);
				b.f.column = am_md_start_column(cell);
				have_title = true;
			}
			am_compile__scan_cites(c, &b, t, 0, t->text.size, AM_CITE_EVIDENCE, NULL);
			continue;
		}
		if (role == COL_ID) {
			id_cell(c, &b, v);
			continue;
		}
		if (role == COL_STATUS)
			status_cell(c, &b, v);
		else if (role == COL_SEVERITY || role == COL_PRIORITY)
			level_cell(c, &b, role, v);
		am_compile__add_field(c, &b, name, v.ptr, v.len, LINE(c, cell));
		if (role == COL_LOCATION || role == COL_OTHER) {
			am_cite_role r = role == COL_LOCATION
						 ? AM_CITE_EVIDENCE
						 : am_compile__field_role(c, name, AM_CITE_EVIDENCE);
			am_compile__scan_cites(c, &b, t, 0, t->text.size, r, cols->names[col]);
			am_compile__scan_links(c, &b, t, r, cols->names[col]);
		}
	}
	if (have_title && b.f.title && b.f.title[0])
		am_compile__finish_finding(c, &b, AM_FINDING_TABLE, END_LINE(c, row));
	am_compile__builder_free(&b);
}

void am_compile__table_findings(ctx *c, am_md_node *table)
{
	am_md_node *header = am_md_first_child(table);
	columns cols;
	inl t;

	if (!header || !am_md_row_is_header(header))
		return;
	am_compile__inl_init(c, &t);
	if (read_columns(c, header, &t, &cols))
		for (am_md_node *row = am_md_next(header); row && !c->error; row = am_md_next(row))
			row_finding(c, &cols, row, &t);
	am_compile__inl_free(c, &t);
}
