/*
 * compile_item.c: list items that are findings without a checkbox. An item
 * of a list outside heading findings is a finding when its paragraph
 * opens with a **bold** lead and
 *
 *  - the lead holds an ID of a scheme the audit uses for findings: one
 *    that another item of the same list or a finding already compiled
 *    also uses ("- **Truthiness traps (BUG-021):** ...", "- **BUG-040:**");
 *  - or the item carries finding fields as nested bullets, as a heading
 *    finding does in its body (two, one of them a status, level or
 *    evidence field; one in a numbered list): "1. **Title**" over
 *    "- **Impacto**: ..." and "- **Prioridade**: ...";
 *  - or the lead is a status label alone ("**✅ RESOLVIDO**: Title"): the
 *    label is its status, the rest of the line its title;
 *  - or the lead is a title that states a level ("1. **[HIGH] Hard-coded
 *    key** — `settings.py:12`"), and the item's first line cites lines of
 *    a file (without, "1. **🔴 P0: Wire the CLI** - ✅ DONE" lists in
 *    order what the audit says elsewhere);
 *  - or, under a section that gives a status ("## Resolved"), the item
 *    opens with the ID of a finding the audit already has ("- H-01 (fixed
 *    in #231)"): listed again, it is merged into that finding with the
 *    section's status (compile_post.c);
 *  - or, under a heading that names a level ("## Critical"), the item's
 *    first line cites lines of a file and says something of them (with or
 *    without a bold lead; without one, the line is its title).
 *
 * Anything else in a list is prose, fields or metadata. Hands on `item`
 * findings (their nested task items are findings under them).
 */
#include <string.h>

#include "compile_int.h"
#include "source.h"

/* An ID token at s[0..]: letters (and digits) from a capital, an optional
 * second such part, a dash and at least two digits ("BUG-021", "H-01",
 * "NEW-C-1" is "NEW-C" and "1": one digit, so no), its length; where its
 * scheme (the letters) ends in *prefix. 0 when there is none. */
static size_t id_token(const char *s, size_t len, size_t *prefix)
{
	size_t i = 0;
	for (int part = 0; part < 2; part++) {
		if (i >= len || s[i] < 'A' || s[i] > 'Z')
			return 0;
		while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || am_isdigit((unsigned char)s[i])))
			i++;
		if (i >= len || s[i] != '-')
			return 0;
		*prefix = i;
		i++;
		if (i < len && am_isdigit((unsigned char)s[i]))
			break;
	}
	size_t d = i;
	while (i < len && am_isdigit((unsigned char)s[i]))
		i++;
	if (i - d < 2 || (i < len && (am_isalnum((unsigned char)s[i]) || s[i] == '-')))
		return 0;
	return i;
}

/* The first ID token of a bold lead; its span in *id, its scheme's
 * length in *prefix. */
static bool lead_id(am_span lead, am_span *id, size_t *prefix)
{
	for (size_t i = 0; i < lead.len; i++) {
		if (i > 0 && (am_isalnum((unsigned char)lead.ptr[i - 1]) || lead.ptr[i - 1] == '-'))
			continue;
		size_t n = id_token(lead.ptr + i, lead.len - i, prefix);
		if (n) {
			*id = (am_span){ lead.ptr + i, n };
			return true;
		}
	}
	return false;
}

/* The bold lead of a list item's paragraph, rendered into t (the whole
 * paragraph is rendered: t->strong_end marks the lead). */
static bool bold_lead(ctx *c, am_md_node *item, inl *t, am_span *lead)
{
	am_md_node *p = am_md_first_child(item);
	if (!p || am_md_type_of(p) != AM_MD_PARAGRAPH)
		return false;
	am_md_node *s = am_md_first_child(p);
	if (!s || am_md_type_of(s) != AM_MD_STRONG)
		return false;
	am_compile__inl_clear(t);
	am_compile__inl_render(c, p, t);
	if (!t->starts_strong || !t->strong_end)
		return false;
	*lead = am_span_trim((am_span){ am_buf_cstr(&t->text), t->strong_end });
	return lead->len > 0;
}

/* A list item's paragraph, rendered into t, when it opens the item. */
static bool plain_first_line(ctx *c, am_md_node *item, inl *t)
{
	am_md_node *p = am_md_first_child(item);
	if (!p || am_md_type_of(p) != AM_MD_PARAGRAPH)
		return false;
	am_compile__inl_clear(t);
	am_compile__inl_render(c, p, t);
	return true;
}

/* Finding fields among the item's nested bullets; *strong set for a
 * status, level or evidence field. */
static int nested_fields(ctx *c, am_md_node *item, bool *strong)
{
	const am_vocab *v = c->vm.vocab;
	int count = 0;
	inl t;

	*strong = false;
	am_compile__inl_init(c, &t);
	for (am_md_node *k = am_md_next(am_md_first_child(item)); k; k = am_md_next(k)) {
		if (am_md_type_of(k) != AM_MD_LIST)
			continue;
		for (am_md_node *it = am_md_first_child(k); it && count < 8; it = am_md_next(it)) {
			am_md_node *p = am_md_first_child(it);
			if (!p || am_md_type_of(p) != AM_MD_PARAGRAPH)
				continue;
			am_compile__inl_clear(&t);
			am_compile__inl_render(c, p, &t);
			am_span key, value;
			const char *s = am_buf_cstr(&t.text);
			size_t e = 0;
			while (e < t.text.size && s[e] != '\n')
				e++;
			if (!am_compile__split_field(s, e, &key, &value) || !am_vocab__has(v, AM_VOCAB_FINDING_FIELDS, key))
				continue;
			count++;
			*strong |= am_compile__is_status_field(key) || am_compile__level_field(key) ||
				   am_vocab__has(v, AM_VOCAB_EVIDENCE_FIELDS, key);
		}
	}
	am_compile__inl_free(c, &t);
	return count;
}

/* "✅ RESOLVIDO", "FIXED": a lead that says a status and nothing else. */
bool am_compile__status_label(ctx *c, am_span lead)
{
	size_t a, e;
	if (am_vocab__status_text(&c->vm, lead.ptr, lead.len, &a, &e) == AM_STATUS_UNKNOWN)
		return false;
	/* Nothing but marks around the status words: no letter of any script. */
	for (size_t i = 0; i < lead.len;) {
		size_t n = am_utf8_seqlen((const unsigned char *)lead.ptr + i, lead.len - i);
		if (!n)
			n = 1;
		if ((i < a || i >= e) && (am_isalnum((unsigned char)lead.ptr[i]) ||
					  ((unsigned char)lead.ptr[i] >= 0xC0 && !am_vocab__is_mark(lead.ptr + i, n))))
			return false;
		i += n;
	}
	return true;
}

/* "[HIGH] Hard-coded AWS key", "Open redirect (Medium)": a lead that is a
 * title stating a level, in three words or more (a level alone,
 * "**Critical:**", labels what follows). */
static bool level_lead(ctx *c, am_span lead)
{
	title_parts tp;
	size_t words = 0;
	bool in_word = false;
	am_compile__parse_title(c, lead.ptr, lead.len, &tp);
	if (!am_compile__title_level(c, &tp))
		return false;
	for (size_t i = 0; i < lead.len; i++) {
		bool letter = am_isalpha((unsigned char)lead.ptr[i]) || (unsigned char)lead.ptr[i] >= 0x80;
		words += letter && !in_word;
		in_word = letter;
	}
	return words >= 3;
}

/* "- **Partially Fixed:** 1 issue (blocking)": a count after the lead is
 * a summary line, not an item. */
static bool counts_after(const inl *t)
{
	const char *s = am_buf_cstr(&t->text);
	size_t i = t->strong_end;
	while (i < t->text.size && strchr(":- ", s[i]))
		i++;
	return i < t->text.size && am_isdigit((unsigned char)s[i]);
}

/* Whether text holds a mark ("✅"). */
static bool has_mark(am_span s)
{
	for (size_t i = 0; i < s.len;) {
		size_t n = am_utf8_seqlen((const unsigned char *)s.ptr + i, s.len - i);
		if (n > 1 && am_vocab__is_mark(s.ptr + i, n))
			return true;
		i += n ? n : 1;
	}
	return false;
}

#define NOT_FOUND ((size_t)-1)

/* The index of the last finding with an explicit ID of `scheme` ("BUG"
 * of BUG-001) among findings[0..n), or NOT_FOUND. */
static size_t scheme_at(const ctx *c, am_span scheme, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		const char *id = c->findings[i].id;
		if (c->findings[i].id_explicit && id && !strncmp(id, scheme.ptr, scheme.len) &&
		    id[scheme.len] == '-')
			return i;
	}
	return NOT_FOUND;
}

/* The index of the first finding whose explicit ID is `s`, or NOT_FOUND. */
static size_t id_at(const ctx *c, am_span s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *f = c->findings[i].id;
		if (c->findings[i].id_explicit && f && strlen(f) == s.len && !memcmp(f, s.ptr, s.len))
			return i;
	}
	return NOT_FOUND;
}

/* A lookup of kind 's' (scheme_at) or 'i' (id_at) among the findings so
 * far, recorded (see ctx) as its kind, '0' or '1', its text and '\0'. */
static bool look_up(const ctx *c, char kind, am_span s)
{
	size_t at = kind == 's' ? scheme_at(c, s, c->nfindings) : id_at(c, s, c->nfindings);
	if (c->lookups && (at == NOT_FOUND || at < c->lookup_base)) {
		am_buf_putc(c->lookups, kind);
		am_buf_putc(c->lookups, at == NOT_FOUND ? '0' : '1');
		am_buf_put(c->lookups, s.ptr, s.len);
		am_buf_putc(c->lookups, '\0');
	}
	return at != NOT_FOUND;
}

bool am_compile__lookups_hold(const ctx *c, const am_buf *lookups)
{
	for (size_t at = 0; lookups && at < lookups->size;) {
		const char *e = lookups->ptr + at;
		am_span s = { e + 2, strlen(e + 2) };
		size_t i = e[0] == 's' ? scheme_at(c, s, c->nfindings) : id_at(c, s, c->nfindings);
		if ((i != NOT_FOUND) != (e[1] == '1'))
			return false;
		at += s.len + 3;
	}
	return true;
}

/* Whether a scheme ("BUG") is one some finding already compiled uses. */
static bool known_scheme(const ctx *c, am_span scheme)
{
	return look_up(c, 's', scheme);
}

void am_compile__list_schemes(ctx *c, am_md_node *list, item_schemes *out)
{
	inl t;
	am_span lead, id;
	size_t prefix;

	memset(out, 0, sizeof(*out));
	am_compile__inl_init(c, &t);
	for (am_md_node *it = am_md_first_child(list); it; it = am_md_next(it)) {
		bool marker;
		if (am_compile__item_task(it, &marker) >= 0 || !bold_lead(c, it, &t, &lead))
			continue;
		out->labels += am_compile__status_label(c, lead);
		if (!lead_id(lead, &id, &prefix) || prefix >= sizeof(out->scheme[0]))
			continue;
		int k = 0;
		while (k < out->n && strncmp(out->scheme[k], id.ptr, prefix))
			k++;
		if (k == out->n) {
			if (out->n == (int)(sizeof(out->scheme) / sizeof(out->scheme[0])))
				continue;
			memcpy(out->scheme[k], id.ptr, prefix);
			out->scheme[k][prefix] = '\0';
			out->n++;
		}
		out->count[k]++;
	}
	am_compile__inl_free(c, &t);
}

static bool shared_scheme(const ctx *c, const item_schemes *sc, am_span id, size_t prefix)
{
	for (int k = 0; k < sc->n; k++)
		if (strlen(sc->scheme[k]) == prefix && !strncmp(sc->scheme[k], id.ptr, prefix))
			return sc->count[k] >= 2 || known_scheme(c, (am_span){ id.ptr, prefix });
	return known_scheme(c, (am_span){ id.ptr, prefix });
}

/* The status of s[0..len) when it opens with one: "fixed in #231",
 * "won't fix" (`whole`: and says nothing else). */
static am_status status_words(ctx *c, am_span v, bool whole)
{
	size_t a, e;
	v = am_span_trim(v);
	am_status st = am_vocab__status_text(&c->vm, v.ptr, v.len, &a, &e);
	return st != AM_STATUS_UNKNOWN && a == 0 && (!whole || e == v.len) ? st : AM_STATUS_UNKNOWN;
}

/* Where a clause of running text ends: a sentence's or a clause's end. */
static size_t clause_end(const char *s, size_t from, size_t n)
{
	while (from < n && !strchr(".;,)\n", s[from]))
		from++;
	return from;
}

/* "... holds a live key. Status: fixed in #231.", "... (`dev.py:5`) —
 * won't fix, dev only.": a status the item's text states in passing, as
 * a status label opening a sentence or a clause, or as the words alone
 * after a dash up to the clause's end. */
static void running_status(ctx *c, builder *b, const inl *t)
{
	static const char *const dashes[] = { " — ", " – ", " -- ", " - " };
	const char *s = am_buf_cstr(&t->text);
	size_t n = t->text.size;

	for (size_t i = 0; i < n; i++) {
		am_span v = { NULL, 0 };
		bool whole = false;
		if (s[i] == ':') {
			size_t k = i;
			while (k > 0 && (am_isalpha((unsigned char)s[k - 1]) || s[k - 1] == ' '))
				k--;
			am_span key = am_span_trim((am_span){ s + k, i - k });
			if (k > 0 && !strchr(".;(\n", s[k - 1]))
				continue;
			if (!key.len || !am_compile__is_status_field(key))
				continue;
			v = (am_span){ s + i + 1, clause_end(s, i + 1, n) - i - 1 };
		} else {
			for (size_t d = 0; d < sizeof(dashes) / sizeof(dashes[0]) && !v.ptr; d++) {
				size_t dl = strlen(dashes[d]);
				if (i + dl <= n && !memcmp(s + i, dashes[d], dl))
					v = (am_span){ s + i + dl, clause_end(s, i + dl, n) - i - dl };
			}
			whole = true;
		}
		am_status st = v.ptr ? status_words(c, v, whole) : AM_STATUS_UNKNOWN;
		if (st == AM_STATUS_UNKNOWN)
			continue;
		v = am_span_trim(v);
		b->f.status = st;
		b->f.status_text = am_arena_strndup(c->arena, v.ptr, v.len);
		b->status_from_field = true;
		return;
	}
}

/* The item as a finding, its title and ID from the lead. */
static void build_item(ctx *c, am_md_node *item, inl *t, am_span lead, const am_span *id, bool label,
		       int depth)
{
	builder b;
	node_list sub = { NULL, 0, 0 };
	am_md_node *first = am_md_first_child(item);
	const char *s = am_buf_cstr(&t->text);
	size_t a, e, len = (size_t)(lead.ptr + lead.len - s);

	/* The ID lives in t's text, which the label may be cut from. */
	const char *id_copy = id ? am_arena_strndup(c->arena, id->ptr, id->len) : NULL;
	am_compile__builder_init(c, &b);
	/* "**Function:** FilterReportSections in sections.go", "**BUG-040:**
	 * Test order flake fixed.": a one-word label, the rest of the line the
	 * title (the ID is kept). */
	bool one_word_label = !label && lead.len > 1 && lead.ptr[lead.len - 1] == ':' &&
			      !memchr(lead.ptr, ' ', lead.len) && t->strong_end < t->text.size &&
			      s[t->strong_end] != '\n';
	if (label || one_word_label) {
		/* "**✅ RESOLVIDO**: Title - detail": the label's status, the rest
		 * of the line the title. */
		if (label) {
			b.f.status = am_vocab__status_text(&c->vm, lead.ptr, lead.len, &a, &e);
			b.f.status_text = am_arena_strndup(c->arena, lead.ptr, lead.len);
			b.status_from_field = true;
		}
		size_t from = t->strong_end;
		while (from < t->text.size && strchr(":- ", s[from]))
			from++;
		am_compile__inl_drop(t, from);
		t->starts_strong = false;
		s = am_buf_cstr(&t->text);
		len = 0;
		while (len < t->text.size && s[len] != '\n')
			len++;
	}
	while (len > 0 && strchr(": ", t->text.ptr[len - 1]))
		len--;
	am_compile__builder_title(c, &b, t, len, item);
	if (id_copy && (!b.f.id || one_word_label)) {
		/* "Truthiness traps (BUG-021, BUG-022)": the ID after the title. */
		b.f.id = id_copy;
		b.f.id_explicit = 1;
		const char *paren = strrchr(b.f.title, '(');
		if (paren && paren > b.f.title && strstr(paren, b.f.id)) {
			b.f.title = am_arena_strndup(c->arena, b.f.title, (size_t)(paren - b.f.title - 1));
			b.f.title_status = AM_STATUS_UNKNOWN; /* the mark's place is gone */
			b.f.title_md = b.f.title_shown_md = NULL;
		}
	}
	if (!b.f.title[0])
		b.f.title = "(untitled)";
	/* Words in the text beat a mark in the title ("🟡 P1: ..." - ✅ DONE"). */
	if (!b.status_from_field)
		running_status(c, &b, t);
	am_compile__hash_text(&b, am_buf_cstr(&t->text), t->text.size);
	am_compile__scan_cites(c, &b, t, 0, t->text.size, AM_CITE_EVIDENCE, NULL);
	am_compile__scan_links(c, &b, t, AM_CITE_EVIDENCE, NULL);
	for (am_md_node *k = am_md_next(first); k; k = am_md_next(k))
		am_compile__body_block(c, &b, k, AM_CITE_EVIDENCE, NULL, NULL, &sub, depth + 1);
	am_compile__finish_finding(c, &b, AM_FINDING_ITEM, END_LINE(c, item));
	size_t me = c->nfindings - 1;
	am_compile__builder_free(&b);
	for (size_t i = 0; i < sub.n && !c->error; i++)
		am_compile__checklist_finding(c, sub.items[i], me, depth + 1);
	free(sub.items);
}

/* Whether the first line of rendered text cites lines of a file. */
static bool first_line_cites(ctx *c, const inl *t)
{
	const char *s = am_buf_cstr(&t->text), *nl = memchr(s, '\n', t->text.size);
	return am_compile__cites_lines(c, s, nl ? (size_t)(nl - s) : t->text.size);
}

/* "1. **SQL injection** — `db.py:120` ...", "- Typo in a message
 * (`errors.py:3`)": under a heading that names a level ("## Critical",
 * "### Minor issues"), an item whose first line cites lines of a file and
 * says something of them (three words or a bold lead). */
static bool level_item(ctx *c, const inl *t, bool bold, am_span *line)
{
	const char *s = am_buf_cstr(&t->text);
	size_t e = 0;
	if (!am_compile__in_severity_section(c))
		return false;
	while (e < t->text.size && s[e] != '\n')
		e++;
	*line = (am_span){ s, e };
	return (bold || am_compile__prose_words(s, e) >= 3) && am_compile__cites_lines(c, s, e);
}

/* The ID of a finding the audit already has, opening rendered text ("H-01
 * (fixed in #231)"). */
static bool defined_id(const ctx *c, const inl *t, am_span *id)
{
	const char *s = am_buf_cstr(&t->text);
	size_t prefix, n = id_token(s, t->text.size, &prefix);
	if (!n)
		return false;
	*id = (am_span){ s, n };
	return look_up(c, 'i', *id);
}

bool am_compile__item_finding(ctx *c, am_md_node *item, const item_schemes *sc, bool ordered, int depth)
{
	inl t;
	am_span lead, id;
	size_t prefix;
	bool strong, found = false;

	am_compile__inl_init(c, &t);
	if (bold_lead(c, item, &t, &lead)) {
		bool with_id = lead_id(lead, &id, &prefix) && shared_scheme(c, sc, id, prefix);
		/* A label alone is an item's status in a list of such items, or
		 * when it carries a mark ("**✅ RESOLVIDO**:"); a lone "**Resolved**
		 * → update the row" is a step of a procedure. */
		bool label = !with_id && am_compile__status_label(c, lead) && t.strong_end < t.text.size &&
			     (sc->labels >= 2 || has_mark(lead)) && !counts_after(&t);
		int fields = with_id || label ? 0 : nested_fields(c, item, &strong);
		am_span line;
		bool leveled = !with_id && !label && level_lead(c, lead) && !counts_after(&t) &&
			       first_line_cites(c, &t);
		if (with_id || label || leveled || (fields >= 2 && strong) || (ordered && fields >= 1) ||
		    level_item(c, &t, true, &line)) {
			build_item(c, item, &t, lead, with_id ? &id : NULL, label, depth);
			found = true;
		}
	} else if (am_compile__in_severity_section(c) && plain_first_line(c, item, &t) &&
		   level_item(c, &t, false, &lead)) {
		build_item(c, item, &t, lead, NULL, false, depth);
		found = true;
	} else if (depth == 1 && am_compile__in_status_section(c) && plain_first_line(c, item, &t) &&
		   defined_id(c, &t, &id)) {
		/* "## Resolved since the last review" over "- H-01 (fixed in
		 * #231)": a finding of the audit listed again, merged into it
		 * (compile_post.c) with the section's status. */
		lead = am_span_trim((am_span){ am_buf_cstr(&t.text), id.len });
		build_item(c, item, &t, lead, &id, false, depth);
		found = true;
	}
	am_compile__inl_free(c, &t);
	return found;
}
