/*
 * compile_body.c: finding bodies. The builder collects a finding while its
 * body is read: the hash of its text, its citations (in text, link targets
 * and code blocks, each with its role and field) and its fields; the body
 * walk reads paragraphs (field lines and prose), list items ("- Key:
 * value" fields, task boxes counted), tables and code blocks, and hands
 * sub-tasks back to the checklist reader. Finished findings go to the
 * context's list with the sections they are in.
 */
#include <string.h>

#include "compile_int.h"

/* ---- the builder ------------------------------------------------------------ */

void am_compile__builder_init(ctx *c, builder *b)
{
	memset(b, 0, sizeof(*b));
	b->hash = AM_HASH_SEED;
	b->f.parent_index = AM_NO_PARENT;
}

void am_compile__builder_free(builder *b)
{
	free(b->fields);
	free(b->cites);
}

void am_compile__finish_finding(ctx *c, builder *b, am_finding_kind kind, uint32_t end_line)
{
	am_finding *f;

	if (c->nfindings >= AM_MAX_FINDINGS) {
		am_compile__error(c, AM_ELIMIT, b->f.line, b->f.column,
				  "more findings than the limit of 1000000");
		return;
	}
	if (b->too_many_cites)
		am_compile__diag(c, AM_DIAG_WARNING, b->f.line, b->f.column, "too-many-citations",
				 "finding has more than %d citations; the rest are ignored",
				 AM_MAX_CITATIONS_PER_FINDING);
	am_compile__section_inherit(c, b);
	if (b->f.status == AM_STATUS_UNKNOWN && !b->status_from_field)
		b->f.status = AM_STATUS_OPEN; /* an audit finding is open until said otherwise */
	b->f.kind = kind;
	b->f.section = am_compile__section_path(c, &b->f.nsection);
	b->f.fields = am_arena_memdup(c->arena, b->fields, b->nfields, sizeof(am_field));
	b->f.nfields = b->nfields;
	b->f.citations = am_arena_memdup(c->arena, b->cites, b->ncites, sizeof(am_citation));
	b->f.ncitations = b->ncites;
	b->f.text_hash = b->hash;
	b->f.end_line = end_line;
	am_grow((void **)&c->findings, &c->capfindings, c->nfindings + 1, sizeof(am_finding));
	f = &c->findings[c->nfindings++];
	*f = b->f;
}

void am_compile__hash_text(builder *b, const char *s, size_t len)
{
	/* FNV-1a over the text with white space collapsed, case kept. */
	if (b->nohash)
		return;
	uint64_t h = b->hash;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (am_isspace(ch)) {
			space = true;
			continue;
		}
		if (space) {
			h = (h ^ ' ') * 0x100000001b3ULL;
			space = false;
		}
		h = (h ^ ch) * 0x100000001b3ULL;
	}
	b->hash = (h ^ '\n') * 0x100000001b3ULL;
}

typedef struct {
	ctx *c;
	builder *b;
	const inl *t;       /* the rendered text, for positions; NULL for a link */
	const char *text;   /* the scanned text */
	size_t base;        /* offset of `text` inside t->text */
	am_cite_role role;
	const char *field;
	uint32_t line, col; /* fixed position when t is NULL */
} cite_scan;

static int on_cite(const am_cite_hit *hit, void *payload)
{
	cite_scan *s = payload;
	ctx *c = s->c;
	builder *b = s->b;
	am_citation *ci;
	am_span path = { s->text + hit->path_off, hit->path_len };

	if (b->ncites >= AM_MAX_CITATIONS_PER_FINDING) {
		b->too_many_cites = true;
		return 1;
	}
	am_grow((void **)&b->cites, &b->capcites, b->ncites + 1, sizeof(am_citation));
	ci = &b->cites[b->ncites++];
	memset(ci, 0, sizeof(*ci));
	ci->path = am_arena_strndup(c->arena, path.ptr, path.len);
	ci->role = s->role;
	ci->start = hit->start;
	ci->end = hit->end;
	ci->malformed = hit->malformed;
	ci->field = s->field;
	if (s->t) {
		am_compile__inl_position(s->t, s->base + hit->path_off, &ci->line, &ci->column);
		ci->column = am_compile__refine_column(c, ci->line, ci->column, path);
	} else {
		ci->line = s->line;
		ci->column = s->col;
	}
	if (hit->malformed)
		am_compile__diag(c, AM_DIAG_WARNING, ci->line, ci->column, "malformed-citation",
				 "citation '%.*s' has an invalid line range",
				 am_compile__utf8_prefix(s->text + hit->off, hit->len, 200), s->text + hit->off);
	return 0;
}

void am_compile__scan_cites(ctx *c, builder *b, const inl *t, size_t off, size_t len,
			    am_cite_role role, const char *field)
{
	cite_scan s = { c, b, t, am_buf_cstr(&t->text) + off, off, role, field, 0, 0 };
	if (am_cite__scan(&c->cs, s.text, len, on_cite, &s) == AM_ELIMIT && !c->error)
		am_compile__error(c, AM_ELIMIT, b->f.line, b->f.column, am_error_last());
}

typedef struct {
	cite_scan scan;
	uint32_t first_line; /* line of the block's first content line */
	const char *lit;
} code_scan;

static int on_code_cite(const am_cite_hit *hit, void *payload)
{
	code_scan *cs = payload;
	if (!hit->start && !hit->malformed)
		return 0;
	/* Position: count the lines of the literal before the hit. */
	uint32_t line = cs->first_line;
	size_t bol = 0;
	for (size_t i = 0; i < hit->path_off; i++)
		if (cs->lit[i] == '\n') {
			line++;
			bol = i + 1;
		}
	cs->scan.line = line;
	cs->scan.col = (uint32_t)(hit->path_off - bol + 1);
	size_t before = cs->scan.b->ncites;
	int rc = on_cite(hit, &cs->scan);
	if (cs->scan.b->ncites > before) {
		am_citation *ci = &cs->scan.b->cites[cs->scan.b->ncites - 1];
		ci->column = am_compile__refine_column(cs->scan.c, line, ci->column, am_span_from(ci->path));
	}
	return rc;
}

static void scan_code(ctx *c, builder *b, am_md_node *n, am_cite_role role, const char *field)
{
	am_span lit = am_md_text(n);
	code_scan cs = { { c, b, NULL, lit.ptr, 0, role, field, 0, 0 }, LINE(c, n), lit.ptr };
	/* A fenced block's content starts on the line after the fence. */
	am_span first = am_compile__source_line(c, cs.first_line);
	am_span trimmed = am_span_trim(first);
	if (trimmed.len >= 3 && (trimmed.ptr[0] == '`' || trimmed.ptr[0] == '~'))
		cs.first_line++;
	am_cite__scan(&c->cs, lit.ptr, lit.len, on_code_cite, &cs);
}

/* Link targets: `[x](https://github.com/o/r/blob/main/a.py#L3)`. */
void am_compile__scan_links(ctx *c, builder *b, const inl *t, am_cite_role role, const char *field)
{
	for (size_t i = 0; i < t->nlinks; i++) {
		const char *url = t->links[i].url;
		cite_scan s = { c, b, NULL, url, 0, role, field, t->links[i].line, t->links[i].col };
		size_t before = b->ncites;
		am_cite__scan(&c->cs, url, strlen(url), on_cite, &s);
		/* The link text usually names the same file: keep one of the two. */
		for (size_t k = before; k < b->ncites; k++)
			for (size_t j = 0; j < before; j++)
				if (b->cites[j].line == b->cites[k].line &&
				    !strcmp(b->cites[j].path, b->cites[k].path) &&
				    (b->cites[j].start == 0 || (b->cites[j].start == b->cites[k].start &&
								b->cites[j].end == b->cites[k].end))) {
					b->cites[j].start = b->cites[k].start;
					b->cites[j].end = b->cites[k].end;
					b->cites[j].malformed = b->cites[k].malformed;
					memmove(&b->cites[k], &b->cites[k + 1],
						(b->ncites - k - 1) * sizeof(am_citation));
					b->ncites--;
					k--;
					break;
				}
	}
}

/* ---- the body walk ----------------------------------------------------------- */

int am_compile__item_task(am_md_node *item, bool *marker)
{
	int st = am_md_task_state(item);
	*marker = false;
	if (st >= 0)
		return st;
	st = am_md_task_marker(item);
	*marker = st >= 0;
	return st;
}

static void node_list_push(node_list *l, am_md_node *n)
{
	am_grow((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = n;
}

/* Appends a line to the value of the field being read, if any. */
static void sink_line(am_buf *sink, const char *s, size_t len)
{
	if (!sink)
		return;
	if (sink->size)
		am_buf_putc(sink, '\n');
	am_buf_put(sink, s, len);
}

/* Renders a paragraph: field lines become fields, other lines description. */
static void body_paragraph(ctx *c, builder *b, am_md_node *n, am_cite_role role,
			   const char *field, am_buf *sink)
{
	inl t;
	am_compile__inl_init(c, &t);
	am_compile__inl_render(c, n, &t);
	const char *s = am_buf_cstr(&t.text);
	size_t len = t.text.size, i = 0;
	while (i <= len) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		am_span key, value;
		uint32_t line, col;
		size_t next = e + 1, vend, more;
		am_compile__inl_position(&t, i, &line, &col);
		bool is_field = !field && am_compile__split_field(s + i, e - i, &key, &value) && value.len;
		/* "Severity: High | Status: Open": one field after the other. */
		if (is_field && am_compile__next_field(c, value, &vend, &more)) {
			next = (size_t)(value.ptr - s) + more;
			e = (size_t)(value.ptr - s) + vend;
			value.len = vend;
		}
		if (!is_field || !am_compile__not_text_field(c, key))
			am_compile__hash_text(b, s + i, e - i);
		if (is_field) {
			const char *fname = am_arena_strndup(c->arena, key.ptr, key.len);
			am_cite_role r = am_compile__field_role(c, key, role);
			am_compile__add_field(c, b, &t, key, value.ptr, value.len, line);
			am_compile__scan_cites(c, b, &t, (size_t)(value.ptr - s), value.len, r, fname);
			am_compile__interpret_field(c, b, key, value);
		} else {
			am_compile__scan_cites(c, b, &t, i, e - i, role, field);
		}
		sink_line(sink, s + i, e - i);
		i = next;
	}
	am_compile__scan_links(c, b, &t, role, field);
	am_compile__inl_free(c, &t);
}

/* "- Key: value": a field, its value the rest of the item (first, the
 * item's paragraph rendered in t, and the blocks after it). Inside a field
 * ("## Status" and its bullets) such an item is a field of its own too. */
static void field_item(ctx *c, builder *b, am_md_node *first, const inl *t, am_span key,
		       am_span value, am_cite_role role, am_buf *sink, node_list *subtasks, int depth)
{
	const char *s = am_buf_cstr(&t->text);
	size_t voff = (size_t)(value.ptr - s);
	const char *fname = am_arena_strndup(c->arena, key.ptr, key.len);
	am_cite_role r = am_compile__field_role(c, key, role);
	am_buf v = AM_BUF_INIT;
	bool skip = am_compile__not_text_field(c, key);
	uint32_t line, col;

	am_buf_put(&v, value.ptr, t->text.size - voff);
	b->nohash += skip;
	am_compile__hash_text(b, s, t->text.size);
	am_compile__scan_cites(c, b, t, voff, t->text.size - voff, r, fname);
	am_compile__scan_links(c, b, t, r, fname);
	for (am_md_node *k = am_md_next(first); k; k = am_md_next(k))
		am_compile__body_block(c, b, k, r, fname, &v, subtasks, depth + 1);
	am_compile__inl_position(t, 0, &line, &col);
	b->nohash -= skip;
	/* Its value as Markdown when it is the item's first paragraph alone. */
	bool alone = v.size == t->text.size - voff;
	am_compile__add_field(c, b, alone ? t : NULL, key, alone ? value.ptr : am_buf_cstr(&v), v.size,
			      line);
	am_compile__interpret_field(c, b, key, am_span_trim((am_span){ v.ptr ? v.ptr : "", v.size }));
	sink_line(sink, s, t->text.size);
	am_buf_free(&v);
}

/* A list item that is not a finding of its own: a field, a task, or prose. */
static void body_item(ctx *c, builder *b, am_md_node *item, am_cite_role role,
		      const char *field, am_buf *sink, node_list *subtasks, int depth)
{
	am_md_node *first = am_md_first_child(item);
	bool marker;
	int task = am_compile__item_task(item, &marker);

	if (task >= 0) {
		b->f.ntasks++;
		if (task == 1)
			b->f.ntasks_done++;
	}
	if (first && am_md_type_of(first) == AM_MD_PARAGRAPH && task < 0) {
		inl t;
		am_compile__inl_init(c, &t);
		am_compile__inl_render(c, first, &t);
		const char *s = am_buf_cstr(&t.text);
		size_t e = 0;
		while (e < t.text.size && s[e] != '\n')
			e++;
		am_span key, value;
		size_t vend, more;
		bool is_field = am_compile__split_field(s, e, &key, &value);
		/* "- Severity: Low | Status: Fixed": fields one after the other,
		 * as a paragraph's lines are. */
		if (is_field && !field && !am_md_next(first) && am_compile__next_field(c, value, &vend, &more))
			body_paragraph(c, b, first, role, NULL, sink);
		else if (is_field)
			field_item(c, b, first, &t, key, value, role, sink, subtasks, depth);
		am_compile__inl_free(c, &t);
		if (is_field)
			return;
	}
	for (am_md_node *k = first; k; k = am_md_next(k))
		am_compile__body_block(c, b, k, role, field, sink, subtasks, depth + 1);
}

/* A finding field stated in a table of the finding's own body: a cell
 * "Severity: **High**", or a row of two cells "| Severity | High |" below
 * the header. *name holds a row's field name until its value cell. */
static void table_field(ctx *c, builder *b, am_md_node *cell, const inl *t, bool header,
			am_span *name)
{
	const am_vocab *v = c->vm.vocab;
	am_span text = am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size }), key, value;
	if (name->ptr) {
		am_compile__add_field(c, b, t, *name, text.ptr, text.len, LINE(c, cell));
		am_compile__interpret_field(c, b, *name, text);
		*name = (am_span){ NULL, 0 };
	} else if (am_compile__split_field(text.ptr, text.len, &key, &value) &&
		   am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, key)) {
		am_compile__add_field(c, b, t, key, value.ptr, value.len, LINE(c, cell));
		am_compile__interpret_field(c, b, key, value);
	} else if (!header && !am_md_prev(cell) && am_md_next(cell) && !am_md_next(am_md_next(cell)) &&
		   am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, text)) {
		*name = (am_span){ am_arena_strndup(c->arena, text.ptr, text.len), text.len };
	}
}

bool am_compile__fields_table(am_md_node *table)
{
	am_md_node *row = am_md_first_child(table);
	size_t cells = 0;
	for (am_md_node *cell = row ? am_md_first_child(row) : NULL; cell; cell = am_md_next(cell))
		cells++;
	return cells <= 2;
}

/* Evidence fields that name the item they hold evidence of: in a table,
 * the row's own title. */
static bool names_item(am_span name)
{
	static const char *const names[] = { "issue", "problem", "description", "details", "finding", "findings",
					     "symptom", "symptoms", "context", "current", "current state" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (am_span_ieq(name, am_span_from(names[i])))
			return true;
	return false;
}

int am_compile__record_table(ctx *c, am_md_node *table, bool *strong_field)
{
	am_md_node *header = am_md_first_child(table), *row = header ? am_md_next(header) : NULL;
	const am_vocab *v = c->vm.vocab;
	int n = 0;
	bool all = true, strong = false;
	inl t;

	if (!row || am_md_next(row) || !am_md_row_is_header(header))
		return 0;
	am_compile__inl_init(c, &t);
	for (am_md_node *cell = am_md_first_child(header); cell && all && n < RECORD_MAX; cell = am_md_next(cell)) {
		am_compile__inl_clear(&t);
		am_compile__inl_render(c, cell, &t);
		am_span name = am_span_trim((am_span){ am_buf_cstr(&t.text), t.text.size });
		/* Fields that only say where and how bad: a column naming the
		 * item ("Issue") makes the row a finding of its own. */
		all = am_compile__is_status_field(name) || am_compile__level_field(name) ||
		      (am_vocab__has(v, AM_VOCAB_EVIDENCE_FIELDS, name) && !names_item(name));
		strong = true;
		n++;
	}
	am_compile__inl_free(c, &t);
	if (!all || n < 2 || n == RECORD_MAX)
		return 0;
	if (strong_field)
		*strong_field |= strong;
	return n;
}

static void body_table(ctx *c, builder *b, am_md_node *table, am_cite_role role,
		       const char *field, am_buf *sink)
{
	bool fields = !field && !sink && am_compile__fields_table(table);
	/* A record's header names the fields of its row. */
	bool record = !fields && !field && !sink && am_compile__record_table(c, table, NULL);
	am_span names[RECORD_MAX];
	for (am_md_node *row = am_md_first_child(table); row; row = am_md_next(row)) {
		am_span name = { NULL, 0 };
		int k = 0;
		for (am_md_node *cell = am_md_first_child(row); cell; cell = am_md_next(cell), k++) {
			inl t;
			am_compile__inl_init(c, &t);
			am_compile__inl_render(c, cell, &t);
			am_compile__hash_text(b, am_buf_cstr(&t.text), t.text.size);
			am_compile__scan_cites(c, b, &t, 0, t.text.size, role, field);
			am_compile__scan_links(c, b, &t, role, field);
			am_span text = am_span_trim((am_span){ am_buf_cstr(&t.text), t.text.size });
			if (record && row == am_md_first_child(table) && k < RECORD_MAX) {
				names[k] = (am_span){ am_arena_strndup(c->arena, text.ptr, text.len), text.len };
			} else if (record && k < RECORD_MAX) {
				am_compile__add_field(c, b, &t, names[k], text.ptr, text.len, LINE(c, cell));
				am_compile__interpret_field(c, b, names[k], text);
			}
			if (fields)
				table_field(c, b, cell, &t, row == am_md_first_child(table), &name);
			if (sink && t.text.size) {
				am_buf_puts(sink, sink->size ? " | " : "");
				am_buf_put(sink, t.text.ptr, t.text.size);
			}
			am_compile__inl_free(c, &t);
		}
	}
}

static int line_cite(const am_cite_hit *hit, void *payload)
{
	(void)payload;
	return hit->start != 0;
}

bool am_compile__cites_lines(ctx *c, const char *text, size_t len)
{
	return am_cite__scan(&c->cs, text, len, line_cite, NULL) == 1;
}

void am_compile__body_block(ctx *c, builder *b, am_md_node *n, am_cite_role role, const char *field,
			    am_buf *sink, node_list *subtasks, int depth)
{
	if (c->error)
		return;
	if (depth > AM_MAX_NESTING) {
		am_compile__error(c, AM_ELIMIT, LINE(c, n), am_md_start_column(n),
				  "lists or block quotes nested deeper than the limit of 256 levels");
		return;
	}
	switch (am_md_type_of(n)) {
	case AM_MD_PARAGRAPH:
	case AM_MD_HEADING:
		body_paragraph(c, b, n, role, field, sink);
		break;
	case AM_MD_LIST:
		for (am_md_node *it = am_md_first_child(n); it; it = am_md_next(it)) {
			bool marker;
			if (subtasks && am_compile__item_task(it, &marker) >= 0) {
				node_list_push(subtasks, it);
				continue;
			}
			body_item(c, b, it, role, field, sink, subtasks, depth + 1);
		}
		break;
	case AM_MD_BLOCK_QUOTE:
	case AM_MD_ITEM:
		for (am_md_node *k = am_md_first_child(n); k; k = am_md_next(k))
			am_compile__body_block(c, b, k, role, field, sink, subtasks, depth + 1);
		break;
	case AM_MD_TABLE:
		body_table(c, b, n, role, field, sink);
		break;
	case AM_MD_CODE_BLOCK:
		/* Code is quoted material: only `path:line` citations count there
		 * (evidence lists and `# path:12` comments), never bare paths,
		 * which in code are imports and strings. */
		am_compile__hash_text(b, am_md_text(n).ptr, am_md_text(n).len);
		scan_code(c, b, n, role, field);
		sink_line(sink, am_md_text(n).ptr, am_md_text(n).len);
		if (sink)
			am_buf_rtrim(sink);
		break;
	default:
		break;
	}
}

