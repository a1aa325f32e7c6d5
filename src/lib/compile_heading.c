/*
 * compile_heading.c: heading findings. Each heading is judged on its
 * title and its own body (the blocks up to the next heading that is not
 * one of its fields): it is a finding when its title carries an ID or an
 * issue number ("[H-01]", "BUG-001:", "Issue #1:"), when it is numbered
 * ("3)", "2.1") or led by a level ("🔴 Critical: ...") and has a finding
 * field or (from level 3) a status mark,
 * or when it has two finding fields of which one is strong (status,
 * level, evidence; a field sub-heading such as "#### Evidence" is one; a
 * level or cited lines in its title count as strong fields).
 * A heading over a register table or task items is a group, not a finding,
 * unless it states a status, a level or evidence of its own: its items are
 * the findings and it is their section.
 * When findings nest, the deepest win and the outer heading is a section.
 * A finding's body runs to the next heading at its level or above; in it
 * a sub-heading ("### Impact"), or a paragraph that is a field's name in
 * bold and nothing else ("**Description**"), names a field whose value is
 * the blocks under it. Hands on, for each part of the audit, its top-level blocks
 * with the headings judged (block_info), and heading findings.
 */
#include <limits.h>
#include <string.h>

#include "compile_int.h"

/* ---- judging headings -------------------------------------------------------- */

/* The text of heading h in t, on one line (hard breaks become spaces). */
static void heading_text(ctx *c, am_md_node *h, inl *t)
{
	am_compile__inl_clear(t);
	am_compile__inl_render(c, h, t);
	for (size_t i = 0; i < t->text.size; i++)
		if (t->text.ptr[i] == '\n')
			t->text.ptr[i] = ' ';
	/* "F-05: Token in URL {#f-05}": the anchor or class attributes of
	 * Pandoc, kramdown and MkDocs are no part of the title. */
	if (am_md_type_of(h) == AM_MD_HEADING && t->text.size > 3 && t->text.ptr[t->text.size - 1] == '}') {
		const char *s = t->text.ptr, *open = NULL;
		for (size_t i = t->text.size - 1; i-- > 0 && !open;)
			if (s[i] == '{')
				open = s + i;
		size_t at = open ? (size_t)(open - s) : 0;
		if (open && at > 0 && s[at - 1] == ' ' && open[1] && strchr("#.:", open[1])) {
			t->text.size = at - 1;
			t->text.ptr[t->text.size] = '\0';
		}
	}
}

/* The field a heading names, without a leading emoji or number or a
 * trailing colon: "## 📋 Evidence", "### 2. Fix:". */
static am_span field_heading_name(am_span name)
{
	while (name.len && !am_isalpha((unsigned char)name.ptr[0])) {
		name.ptr++;
		name.len--;
	}
	name = am_span_trim(name);
	if (name.len && name.ptr[name.len - 1] == ':')
		name.len--;
	return name;
}

/* "#### Evidence", "### Status": a heading that names a field. */
static bool is_field_heading(ctx *c, am_span text)
{
	const am_vocab *v = c->vm.vocab;
	am_span name = field_heading_name(text);
	return am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, name) ||
	       am_vocab__has(v, AM_VOCAB_EVIDENCE_FIELDS, name) ||
	       am_vocab__has(v, AM_VOCAB_MENTION_FIELDS, name) || am_compile__is_status_field(name);
}

/* "**Description**", "**Recommendations:**": a paragraph whose only
 * content is strong text naming a field, exactly, as in reports that mark
 * their sub-sections in bold rather than with headings. */
static bool is_bold_field(ctx *c, am_md_node *p, inl *t)
{
	am_md_node *s = am_md_first_child(p);
	if (!s || am_md_type_of(s) != AM_MD_STRONG)
		return false;
	am_md_node *after = am_md_next(s);
	if (after && (am_md_next(after) || am_md_type_of(after) != AM_MD_TEXT ||
		      !am_span_eq(am_md_text(after), AM_SPAN(":"))))
		return false;
	heading_text(c, p, t);
	am_span name = field_heading_name(am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size }));
	/* Bold is weaker than a heading: the name alone, without a qualifier
	 * ("**Current (VULNERABLE):**" over a code block is a caption). */
	if (!name.len || name.ptr[name.len - 1] == ')')
		return false;
	return is_field_heading(c, name);
}

/* Finding fields in the lines of t; *strong_field set when one is a
 * status, level or evidence field. */
static int fields_in_text(ctx *c, const inl *t, bool *strong_field);

/* "**Finding 1: Unbounded retry loop**" alone on the first line of a
 * paragraph, over lines that state a status, a level or evidence
 * ("Severity: High", "Status: Open"): a heading in all but its marks,
 * when its title has an ID or a number. t holds the paragraph; the title
 * is its first *len bytes. */
static bool bold_heading(ctx *c, am_md_node *p, inl *t, size_t *len)
{
	am_md_node *s = am_md_first_child(p);
	title_parts tp;
	bool strong = false;

	if (!s || am_md_type_of(s) != AM_MD_STRONG)
		return false;
	/* The bold run is the whole first line: a break follows it. */
	am_md_type after = am_md_next(s) ? am_md_type_of(am_md_next(s)) : AM_MD_OTHER;
	if (after != AM_MD_SOFTBREAK && after != AM_MD_LINEBREAK)
		return false;
	am_compile__inl_clear(t);
	am_compile__inl_render(c, p, t);
	const char *x = am_buf_cstr(&t->text), *nl = memchr(x, '\n', t->text.size);
	if (!nl || !t->starts_strong)
		return false;
	am_span first = am_span_trim((am_span){ x, (size_t)(nl - x) });
	if (!first.len || first.ptr != x || t->strong_end < first.len)
		return false;
	am_compile__parse_title(c, first.ptr, first.len, &tp);
	if (!tp.strong && !tp.numbered && !tp.id.len)
		return false;
	fields_in_text(c, t, &strong);
	*len = first.len;
	return strong;
}

/* The summary of a disclosure block ("<details>\n<summary><b>F-1: Token
 * in localStorage</b> (High)</summary>"), its tags dropped and its
 * common entities read ("&amp;"), into out, when its title has an ID or
 * a number. */
static bool summary_heading(ctx *c, am_span block, am_buf *out)
{
	title_parts tp;
	bool tag = false;

	char *html = am_xstrndup(block.ptr, block.len); /* a C string for strcasestr */
	const char *a = strcasestr(html, "<summary"), *b;
	if (!a || !(a = strchr(a, '>')) || !(b = strcasestr(a, "</summary>"))) {
		free(html);
		return false;
	}
	static const struct {
		const char *name, *text;
	} entities[] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
			 { "&nbsp;", " " } };
	am_buf_clear(out);
	for (const char *p = a + 1; p < b; p++) {
		size_t e = 0;
		if (*p == '<')
			tag = true;
		else if (*p == '>')
			tag = false;
		else if (tag || (!out->size && am_isspace((unsigned char)*p)))
			continue;
		else if (*p == '&') {
			while (e < sizeof(entities) / sizeof(entities[0]) &&
			       strncmp(p, entities[e].name, strlen(entities[e].name)))
				e++;
			if (e < sizeof(entities) / sizeof(entities[0]) && p + strlen(entities[e].name) <= b) {
				am_buf_puts(out, entities[e].text);
				p += strlen(entities[e].name) - 1;
			} else {
				am_buf_putc(out, '&');
			}
		} else
			am_buf_putc(out, *p == '\n' ? ' ' : *p);
	}
	free(html);
	am_buf_rtrim(out);
	am_compile__parse_title(c, am_buf_cstr(out), out->size, &tp);
	return out->size && (tp.strong || tp.numbered || tp.id.len);
}

/* "**FIXED** in v2.1": a paragraph that opens with a bold status label;
 * its status in *st, the label in *label (t holds the paragraph). */
static bool status_line(ctx *c, am_md_node *p, inl *t, am_status *st, am_span *label)
{
	am_md_node *s = am_md_first_child(p);
	size_t a, e;
	if (am_md_type_of(p) != AM_MD_PARAGRAPH || !s || am_md_type_of(s) != AM_MD_STRONG)
		return false;
	/* The bold run alone: most are field names ("**Severity:**"). */
	am_compile__inl_clear(t);
	am_compile__inl_render(c, s, t);
	*label = am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size });
	/* "**Implemented:** SPEC-037" names a field, "**None found.**" says a
	 * sentence: a label stands bare. */
	if (!label->len || label->ptr[label->len - 1] == ':' || label->ptr[label->len - 1] == '.' ||
	    !am_compile__status_label(c, *label))
		return false;
	*st = am_vocab__status_text(&c->vm, label->ptr, label->len, &a, &e);
	return *st != AM_STATUS_UNKNOWN;
}

/* Whether block n is a paragraph that opens with a finding field line
 * ("**Status:** Fixed"); t is scratch. */
static bool field_line(ctx *c, am_md_node *n, inl *t)
{
	am_span key, value;
	if (am_md_type_of(n) != AM_MD_PARAGRAPH)
		return false;
	am_compile__inl_clear(t);
	am_compile__inl_render(c, n, t);
	const char *s = am_buf_cstr(&t->text);
	size_t e = 0;
	while (e < t->text.size && s[e] != '\n')
		e++;
	return am_compile__split_field(s, e, &key, &value) &&
	       am_vocab__has(c->vm.vocab, AM_VOCAB_FINDING_FIELDS, key);
}

static int fields_in_text(ctx *c, const inl *t, bool *strong_field)
{
	const am_vocab *v = c->vm.vocab;
	const char *s = am_buf_cstr(&t->text);
	int count = 0;

	for (size_t pos = 0; pos < t->text.size;) {
		size_t e = pos;
		while (e < t->text.size && s[e] != '\n')
			e++;
		am_span key, value;
		if (am_compile__split_field(s + pos, e - pos, &key, &value) &&
		    am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, key)) {
			count++;
			if (am_compile__is_status_field(key) || am_compile__level_field(key) ||
			    am_vocab__has(v, AM_VOCAB_EVIDENCE_FIELDS, key))
				*strong_field = true;
		}
		pos = e + 1;
	}
	return count;
}

/* Finding fields in a table of fields (am_compile__fields_table): cells
 * "Severity: **High**" and rows "| Severity | High |" below the header, as
 * the body reads them; up to about 8, like the caller. */
static int table_fields(ctx *c, am_md_node *table, inl *t, bool *strong_field)
{
	const am_vocab *v = c->vm.vocab;
	int count = 0;
	if (!am_compile__fields_table(table))
		return am_compile__record_table(c, table, strong_field);
	for (am_md_node *row = am_md_first_child(table); row && count < 8; row = am_md_next(row))
		for (am_md_node *cell = am_md_first_child(row); cell; cell = am_md_next(cell)) {
			am_compile__inl_clear(t);
			am_compile__inl_render(c, cell, t);
			am_span text = am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size });
			bool pair = row != am_md_first_child(table) && !am_md_prev(cell) && am_md_next(cell) &&
				    !am_md_next(am_md_next(cell)) && am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, text);
			if (pair) {
				count++;
				if (am_compile__is_status_field(text) || am_compile__level_field(text))
					*strong_field = true;
			} else {
				count += fields_in_text(c, t, strong_field);
			}
		}
	return count;
}

/* Counts finding fields (up to about 8) in the blocks directly under
 * heading blocks[i]: field lines of its paragraphs and list items, and its
 * field sub-headings. Stops once it has counted `need` with a strong one
 * among them: what the judgement asks is then known. */
static int count_finding_fields(ctx *c, block_info *blocks, size_t i, size_t n, bool *strong_field,
				int need)
{
	int count = 0;
	inl t;

	am_compile__inl_init(c, &t);
	*strong_field = false;
	for (size_t k = i + 1; k < n && count < 8 && !(count >= need && *strong_field); k++) {
		am_md_node *b = blocks[k].node;
		c->line_offset = blocks[k].line_offset;
		if (blocks[k].level && (!blocks[k].field_heading || blocks[k].level <= blocks[i].level))
			break;
		if (blocks[k].field_heading) {
			count++;
			*strong_field = true;
			continue;
		}
		if (blocks[k].bold_field) {
			count++;
			continue;
		}
		am_md_node *paras[64];
		int np = 0;
		am_status st;
		am_span label;
		if (am_md_type_of(b) == AM_MD_PARAGRAPH && status_line(c, b, &t, &st, &label)) {
			count++;
			*strong_field = true;
			continue;
		}
		if (am_md_type_of(b) == AM_MD_PARAGRAPH)
			paras[np++] = b;
		else if (am_md_type_of(b) == AM_MD_BLOCK_QUOTE) { /* "> **Status:** Open" */
			for (am_md_node *q = am_md_first_child(b); q && np < 64; q = am_md_next(q))
				if (am_md_type_of(q) == AM_MD_PARAGRAPH)
					paras[np++] = q;
		}
		else if (am_md_type_of(b) == AM_MD_TABLE)
			count += table_fields(c, b, &t, strong_field);
		else if (am_md_type_of(b) == AM_MD_LIST)
			for (am_md_node *it = am_md_first_child(b); it && np < 64; it = am_md_next(it)) {
				am_md_node *p = am_md_first_child(it);
				if (p && am_md_type_of(p) == AM_MD_PARAGRAPH)
					paras[np++] = p;
			}
		for (int j = 0; j < np && !(count >= need && *strong_field); j++) {
			am_compile__inl_clear(&t);
			am_compile__inl_render(c, paras[j], &t);
			count += fields_in_text(c, &t, strong_field);
		}
	}
	am_compile__inl_free(c, &t);
	return count;
}

size_t am_compile__prose_words(const char *s, size_t len)
{
	size_t words = 0;
	bool code = false, in_word = false;
	for (size_t i = 0; i < len; i++) {
		code ^= s[i] == '`';
		bool letter = !code && am_isalpha((unsigned char)s[i]);
		words += letter && !in_word;
		in_word = letter;
	}
	return words;
}

/* Whether the paragraphs directly under heading blocks[i], or list items
 * that are citations alone, cite lines of a file ("### P2 — Deprecated
 * ioutil" over "- files.go:5"); items that say something of the lines
 * they cite are findings of their own under a level (compile_item.c). */
static bool body_cites_lines(ctx *c, block_info *blocks, size_t i, size_t n)
{
	bool cites = false;
	inl t;
	am_compile__inl_init(c, &t);
	for (size_t k = i + 1; k < n && !blocks[k].level && !cites; k++) {
		am_md_node *b = blocks[k].node;
		bool list = am_md_type_of(b) == AM_MD_LIST;
		c->line_offset = blocks[k].line_offset;
		for (am_md_node *it = list ? am_md_first_child(b) : b; it && !cites; it = list ? am_md_next(it) : NULL) {
			am_md_node *p = list ? am_md_first_child(it) : b;
			if (!p || am_md_type_of(p) != AM_MD_PARAGRAPH)
				continue;
			am_compile__inl_clear(&t);
			am_compile__inl_render(c, p, &t);
			const char *s = am_buf_cstr(&t.text);
			cites = am_compile__cites_lines(c, s, t.text.size) && (!list || am_compile__prose_words(s, t.text.size) < 3);
		}
	}
	am_compile__inl_free(c, &t);
	return cites;
}

/* "### 3) Token leak (Resolved)": from level 3, a numbered heading with a
 * status mark. */
static bool status_marked(ctx *c, const block_info *heading, const title_parts *tp)
{
	size_t a, e;
	return heading->level >= 3 &&
	       am_compile__edge_status(c, tp->title.ptr, tp->title.len, false, &a, &e) != AM_STATUS_UNKNOWN;
}

/* "### ✅ Split app.py": from level 2, a heading whose title opens with a
 * status mark (one at its end, "Step 1 ✅ COMPLETED", may mark a step of
 * a procedure). */
static bool status_first(ctx *c, const block_info *heading, const title_parts *tp)
{
	size_t a, e;
	return heading->level >= 2 &&
	       am_compile__edge_status(c, tp->title.ptr, tp->title.len, true, &a, &e) != AM_STATUS_UNKNOWN &&
	       a == 0;
}

/* Whether the blocks directly under heading blocks[i] (up to the next
 * heading) are a group of items: a register table or task items, with at
 * most one other block (an introduction; rules "---" aside). A body of prose with a few
 * tasks in it ("**What Happened**", then "- [ ] check X") is a finding's. */
static bool holds_items(ctx *c, block_info *blocks, size_t i, size_t n)
{
	bool items = false;
	int other = 0;
	for (size_t k = i + 1; k < n && !blocks[k].level; k++) {
		am_md_node *b = blocks[k].node;
		bool is_items = false;
		c->line_offset = blocks[k].line_offset;
		if (am_md_type_of(b) == AM_MD_TABLE && am_compile__table_is_register(c, b))
			is_items = true;
		if (am_md_type_of(b) == AM_MD_LIST)
			for (am_md_node *it = am_md_first_child(b); it && !is_items; it = am_md_next(it)) {
				bool marker;
				is_items = am_compile__item_task(it, &marker) >= 0;
			}
		items |= is_items;
		other += !is_items && am_md_type_of(b) != AM_MD_THEMATIC_BREAK;
	}
	return items && other <= 1;
}

/* Whether block b holds findings of its own: a register table, task
 * items. */
static bool holds_findings(ctx *c, am_md_node *b)
{
	bool marker;
	if (am_md_type_of(b) == AM_MD_TABLE)
		return am_compile__table_is_register(c, b);
	if (am_md_type_of(b) == AM_MD_LIST)
		for (am_md_node *it = am_md_first_child(b); it; it = am_md_next(it))
			if (am_compile__item_task(it, &marker) >= 0)
				return true;
	return false;
}

void am_compile__judge_heading(ctx *c, block_info *blocks, size_t i, size_t n)
{
	title_parts tp;
	bool strong_field;
	size_t a, e;

	if (!blocks[i].level || blocks[i].field_heading)
		return;
	am_compile__parse_title(c, blocks[i].text, blocks[i].len, &tp);
	if (blocks[i].lead) {
		/* A bold title over its fields is one; a summary with an ID, or
		 * with a number over fields. */
		blocks[i].candidate = am_md_type_of(blocks[i].node) == AM_MD_PARAGRAPH || tp.strong ||
				      count_finding_fields(c, blocks, i, n, &strong_field, 1) >= 1;
		return;
	}
	if (tp.strong) {
		blocks[i].candidate = true;
		strong_field = false;
	} else {
		/* At least one field, or two, and whether one is strong. */
		int fields = count_finding_fields(c, blocks, i, n, &strong_field, tp.numbered || tp.level.len ? 1 : 2);
		if (tp.numbered)
			blocks[i].candidate = fields >= 1 || status_marked(c, &blocks[i], &tp);
		else if (tp.level.len) /* "## 🚨 Priority 0: Fixes" over tasks is their section */
			blocks[i].candidate = (fields >= 1 || (blocks[i].level >= 3 && body_cites_lines(c, blocks, i, n))) &&
					      !holds_items(c, blocks, i, n);
		else {
			/* "### [LOW] Magic number — cache.go:12", "### ✅ Split
			 * app.py": a level and cited lines in the title stand for
			 * fields, and so does a status mark opening it over a
			 * field ("#### ⚠️ HIGH PRIORITY (P1):" over tasks is their
			 * section). */
			int said = am_compile__title_level(c, &tp) +
				   am_compile__cites_lines(c, tp.title.ptr, tp.title.len) +
				   (fields >= 1 && status_first(c, &blocks[i], &tp));
			blocks[i].candidate = fields + said >= 2 && (strong_field || said);
		}
	}
	/* "## B3 — cache invalidation" over a checklist table is a group: its
	 * rows are the findings, unless the heading states a status, a level
	 * or evidence of its own. */
	if (blocks[i].candidate && !strong_field && holds_items(c, blocks, i, n) &&
	    am_compile__edge_status(c, tp.title.ptr, tp.title.len, true, &a, &e) == AM_STATUS_UNKNOWN &&
	    (!tp.strong || (count_finding_fields(c, blocks, i, n, &strong_field, 0), !strong_field)))
		blocks[i].candidate = false;
}

void am_compile__collect_blocks(ctx *c, am_md_node *root, uint32_t line_offset, block_info **out,
				size_t *nout)
{
	block_info *blocks = NULL;
	size_t n = 0, cap = 0, len;
	int above = 1; /* the level of the last heading */
	bool in_lead = false;
	inl t;

	c->line_offset = line_offset;
	am_compile__inl_init(c, &t);
	for (am_md_node *k = am_md_first_child(root); k; k = am_md_next(k)) {
		am_grow((void **)&blocks, &cap, n + 1, sizeof(block_info));
		memset(&blocks[n], 0, sizeof(block_info));
		blocks[n].node = k;
		blocks[n].line_offset = line_offset;
		if (am_md_type_of(k) == AM_MD_HEADING) {
			blocks[n].level = am_md_heading_level(k);
			heading_text(c, k, &t);
			blocks[n].text = am_arena_strndup(c->arena, am_buf_cstr(&t.text), t.text.size);
			blocks[n].len = t.text.size;
			blocks[n].field_heading = blocks[n].level > 1 &&
				is_field_heading(c, (am_span){ blocks[n].text, blocks[n].len });
			above = blocks[n].level;
			in_lead = false;
		} else if (am_md_type_of(k) == AM_MD_PARAGRAPH) {
			blocks[n].bold_field = is_bold_field(c, k, &t);
			if (!blocks[n].bold_field && bold_heading(c, k, &t, &len)) {
				blocks[n].lead = true;
				blocks[n].text = am_arena_strndup(c->arena, am_buf_cstr(&t.text), len);
				blocks[n].len = len;
			}
		} else if (am_md_type_of(k) == AM_MD_HTML_BLOCK && summary_heading(c, am_md_text(k), &c->scratch)) {
			blocks[n].lead = true;
			blocks[n].text = am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size);
			blocks[n].len = c->scratch.size;
		}
		/* Under the heading above, as a heading one level deeper would be;
		 * its body ends at a construct of findings of its own. */
		if (blocks[n].lead)
			blocks[n].level = above < 6 ? above + 1 : 6;
		else if (in_lead)
			blocks[n].ends_lead = holds_findings(c, k);
		in_lead |= blocks[n].lead;
		n++;
	}
	am_compile__inl_free(c, &t);

	/* The audit's own status marks first: a legend may explain the marks
	 * of the headings and tables judged next. */
	am_compile__read_legends(c, blocks, n);
	/* Which headings are findings, judged on each one's own body. */
	for (size_t i = 0; i < n; i++)
		am_compile__judge_heading(c, blocks, i, n);
	*out = blocks;
	*nout = n;
}

size_t am_compile__heading_end(const block_info *blocks, size_t i, size_t n)
{
	size_t end = i + 1;
	while (end < n && !(blocks[end].level && blocks[end].level <= blocks[i].level) &&
	       !(blocks[i].lead && blocks[end].ends_lead))
		end++;
	return end;
}

void am_compile__demote_outer(block_info *blocks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!blocks[i].candidate)
			continue;
		for (size_t k = i + 1; k < n; k++) {
			if (blocks[k].level && blocks[k].level <= blocks[i].level)
				break;
			if (blocks[k].candidate) {
				blocks[i].candidate = false;
				break;
			}
		}
	}
}

/* ---- a heading finding's body ---------------------------------------------- */

/* The field a sub-heading opened in a finding's body. */
typedef struct {
	const char *name; /* NULL before the first sub-heading */
	am_buf value;
	am_cite_role role;
	uint32_t line;
	int level;
} open_field;

/* Adds the open field, if any, with the value read so far. */
static void close_field(ctx *c, builder *b, open_field *f)
{
	if (!f->name)
		return;
	am_span name = am_span_from(f->name);
	am_compile__add_field(c, b, NULL, name, am_buf_cstr(&f->value), f->value.size, f->line);
	am_compile__interpret_field(c, b, name,
				    am_span_trim((am_span){ am_buf_cstr(&f->value), f->value.size }));
	am_buf_clear(&f->value);
}

/* Sub-heading n (at `level`) opens a field; its name is part of the
 * finding's text unless the field is not (status, evidence). */
static void open_field_at(ctx *c, builder *b, inl *t, am_md_node *n, int level, open_field *f)
{
	heading_text(c, n, t);
	am_span name = field_heading_name(am_span_trim((am_span){ am_buf_cstr(&t->text), t->text.size }));
	f->name = am_arena_strndup(c->arena, name.ptr, name.len);
	f->line = LINE(c, n);
	f->level = level;
	f->role = am_compile__field_role(c, name, AM_CITE_EVIDENCE);
	b->nohash = am_compile__not_text_field(c, name);
	am_compile__hash_text(b, name.ptr, name.len);
	am_compile__scan_cites(c, b, t, 0, t->text.size, f->role, f->name);
}

void am_compile__heading_finding(ctx *c, block_info *blocks, size_t i, size_t end)
{
	builder b;
	inl t;
	open_field f = { NULL, AM_BUF_INIT, AM_CITE_EVIDENCE, 0, 0 };

	am_md_node *node = blocks[i].node;
	/* A bold title's paragraph: the title its first line, the rest its
	 * fields (read as the body's first block). */
	bool lead_paragraph = blocks[i].lead && am_md_type_of(node) == AM_MD_PARAGRAPH;

	am_compile__builder_init(c, &b);
	am_compile__inl_init(c, &t);
	c->line_offset = blocks[i].line_offset;
	if (blocks[i].lead && !lead_paragraph)
		am_compile__inl_plain(&t, blocks[i].text, blocks[i].len, LINE(c, node), am_md_start_column(node));
	else
		heading_text(c, node, &t);
	am_compile__builder_title(c, &b, &t, lead_paragraph ? blocks[i].len : t.text.size, node);
	if (!b.f.title[0])
		b.f.title = "(untitled)";
	if (lead_paragraph)
		am_compile__body_block(c, &b, node, AM_CITE_EVIDENCE, NULL, NULL, NULL, 1);
	else
		am_compile__scan_cites(c, &b, &t, 0, t.text.size, AM_CITE_EVIDENCE, NULL);

	for (size_t k = i + 1; k < end && !c->error; k++) {
		am_md_node *n = blocks[k].node;
		c->line_offset = blocks[k].line_offset;
		/* A sub-heading names a field (deeper ones are part of its
		 * value); the blocks under it are the value. A name in bold
		 * opens a field under the sub-heading's level. */
		if (blocks[k].level && !(f.name && blocks[k].level > f.level)) {
			close_field(c, &b, &f);
			open_field_at(c, &b, &t, n, blocks[k].level, &f);
		} else if (blocks[k].bold_field && (!f.name || f.level == INT_MAX)) {
			close_field(c, &b, &f);
			open_field_at(c, &b, &t, n, INT_MAX, &f);
		} else if (f.name && f.level == INT_MAX && field_line(c, n, &t)) {
			/* "**Status:** Fixed" after a bold field's text: the
			 * finding's own field again. */
			close_field(c, &b, &f);
			f.name = NULL;
			f.role = AM_CITE_EVIDENCE;
			b.nohash = 0;
			am_compile__body_block(c, &b, n, f.role, NULL, NULL, NULL, 1);
		} else {
			/* "**FIXED** in v2.1": the finding's status, as a field would
			 * say it. */
			am_status st;
			am_span label;
			if (!f.name && !b.status_from_field && status_line(c, n, &t, &st, &label)) {
				b.f.status = st;
				b.f.status_text = am_arena_strndup(c->arena, label.ptr, label.len);
				b.status_from_field = true;
			}
			am_compile__body_block(c, &b, n, f.role, f.name, f.name ? &f.value : NULL, NULL, 1);
		}
	}
	close_field(c, &b, &f);
	/* The last line of the last block cmark-gfm knows the position of (it
	 * loses a paragraph's cut short by a table header), at least the
	 * title's. */
	size_t last = end - 1;
	while (last > i && !am_md_start_line(blocks[last].node))
		last--;
	c->line_offset = blocks[last].line_offset;
	uint32_t end_line = am_md_start_line(blocks[last].node) ? END_LINE(c, blocks[last].node) : 0;
	if (end_line < b.f.line)
		end_line = b.f.line;
	bool has_evidence = false;
	for (size_t k = 0; k < b.ncites; k++)
		if (b.cites[k].role == AM_CITE_EVIDENCE)
			has_evidence = true;
	am_compile__finish_finding(c, &b, AM_FINDING_HEADING, end_line);
	if (!has_evidence && !c->error)
		am_compile__diag(c, AM_DIAG_WARNING, b.f.line, b.f.column, "no-evidence",
				 "finding '%.*s' cites no evidence (file:line)",
				 am_compile__utf8_prefix(b.f.title, strlen(b.f.title), 80), b.f.title);
	am_buf_free(&f.value);
	am_compile__inl_free(c, &t);
	am_compile__builder_free(&b);
}
