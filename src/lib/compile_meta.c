/*
 * compile_meta.c: the audit's metadata and date. Reads YAML front matter
 * (`---` ... `---` at the very top) and the "Key: value" lines of the
 * preamble (paragraphs and lists before the first section) as metadata,
 * the first of each key winning; the audit's date is the first date in a
 * date field ("Date:", "Last updated:"), else in its title. Hands on the
 * context's metadata and date (the document title itself is taken by the
 * walk in compile.c).
 */
#include <string.h>

#include "compile_int.h"

void am_compile__add_meta(ctx *c, am_span key, am_span value, uint32_t line)
{
	for (size_t i = 0; i < c->nmeta; i++)
		if (am_span_ieq(am_span_from(c->meta[i].name), key))
			return; /* the first one wins */
	am_grow((void **)&c->meta, &c->capmeta, c->nmeta + 1, sizeof(am_field));
	c->meta[c->nmeta].name = am_arena_strndup(c->arena, key.ptr, key.len);
	c->meta[c->nmeta].value = am_arena_strndup(c->arena, value.ptr, value.len);
	c->meta[c->nmeta].line = line;
	c->nmeta++;
	if (!c->date[0] && am_vocab__has(c->vm.vocab, AM_VOCAB_DATE_FIELDS, key))
		am_date__find(&c->dm, value.ptr, value.len, c->date);
}

void am_compile__date_from(ctx *c, am_span text)
{
	if (!c->date[0])
		am_date__find(&c->dm, text.ptr, text.len, c->date);
}

/* The field lines of a paragraph: metadata when `record`, else only a
 * date (a date field after the preamble still dates the audit). */
static void meta_lines(ctx *c, am_md_node *para, bool record)
{
	inl t;
	am_compile__inl_init(c, &t);
	am_compile__inl_render(c, para, &t);
	const char *s = am_buf_cstr(&t.text);
	size_t pos = 0;
	while (pos < t.text.size) {
		size_t e = pos;
		while (e < t.text.size && s[e] != '\n')
			e++;
		am_span key, value;
		if (am_compile__split_field(s + pos, e - pos, &key, &value) && value.len) {
			uint32_t line, col;
			am_compile__inl_position(&t, pos, &line, &col);
			if (record)
				am_compile__add_meta(c, key, value, line);
			else if (!c->date[0] && am_vocab__has(c->vm.vocab, AM_VOCAB_DATE_FIELDS, key))
				am_date__find(&c->dm, value.ptr, value.len, c->date);
		}
		pos = e + 1;
	}
	am_compile__inl_free(c, &t);
}

void am_compile__meta_block(ctx *c, am_md_node *n, bool record)
{
	if (!record && c->date[0])
		return; /* past the preamble only a date is looked for */
	if (am_md_type_of(n) == AM_MD_PARAGRAPH)
		meta_lines(c, n, record);
	else if (am_md_type_of(n) == AM_MD_LIST)
		for (am_md_node *it = am_md_first_child(n); it; it = am_md_next(it)) {
			am_md_node *p = am_md_first_child(it);
			if (p && am_md_type_of(p) == AM_MD_PARAGRAPH)
				meta_lines(c, p, record);
		}
}

/* The "key: value" lines of front matter text[start..end), the first on
 * line 2; quotes around a value are dropped. */
static void front_matter_fields(ctx *c, const char *text, size_t start, size_t end)
{
	uint32_t line = 2;

	for (size_t k = start; k < end; line++) {
		size_t ke = k;
		while (ke < end && text[ke] != '\n')
			ke++;
		am_span key, value;
		if (am_compile__split_field(text + k, ke - k, &key, &value) && value.len) {
			if (value.len >= 2 && (value.ptr[0] == '"' || value.ptr[0] == '\'') &&
			    value.ptr[value.len - 1] == value.ptr[0]) {
				value.ptr++;
				value.len -= 2;
			}
			am_compile__add_meta(c, key, value, line);
			if (am_span_ieq(key, AM_SPAN("date")))
				am_compile__date_from(c, value);
		}
		k = ke + 1;
	}
}

void am_compile__front_matter(ctx *c, char *text, size_t len)
{
	if (len < 8 || strncmp(text, "---\n", 4) != 0)
		return;
	for (size_t i = 4; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		if (e - i == 3 && (!strncmp(text + i, "---", 3) || !strncmp(text + i, "...", 3))) {
			front_matter_fields(c, text, 4, i);
			/* Keep line numbers: blank everything but the newlines. */
			for (size_t k = 0; k < e; k++)
				if (text[k] != '\n')
					text[k] = ' ';
			return;
		}
		i = e + 1;
	}
}
