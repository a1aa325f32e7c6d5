/*
 * compile_legend.c: an audit's own status marks. Many audits say what
 * their marks mean before using them:
 *
 *   Status key: ⬜ open · ✅ closed · 🔎 in progress · ⛔ = blocked
 *
 *   ### Legend
 *   - [~] = In progress
 *   - [o] = Audited, no issues found
 *
 *   | Mark | Meaning |        (compile_table.c reads legend tables)
 *
 * A legend is a line that starts with "Legend", "Key" or "Status key" and
 * a colon, the items of a list under such a line or heading, or anywhere a
 * line of "MARK = meaning" entries whose marks are symbols. Each entry
 * whose meaning says a status (in the built-in or configured words) makes
 * its mark mean that status in this audit, before the defaults. Legends
 * are read from every top-level block before the walk (a legend may come
 * after the marks it explains), and a legend is never a finding. Hands on
 * the audit's terms in the context's matcher (am_vocab__matcher_define).
 */
#include <string.h>
#include <strings.h>

#include "compile_int.h"

/* Whether s starts with a word that announces a legend, and where the
 * entries begin (after its colon, or at its end for a bare "Legend"). */
static bool legend_intro(am_span s, size_t *rest)
{
	static const char *const words[] = { "status key", "status legend", "legend", "key", "marks",
					     "symbols", "status icons" };
	size_t i = 0;
	while (i < s.len && (s.ptr[i] == '*' || s.ptr[i] == '_' || s.ptr[i] == '#' || s.ptr[i] == ' '))
		i++;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t n = strlen(words[w]);
		if (s.len - i < n || strncasecmp(s.ptr + i, words[w], n))
			continue;
		size_t k = i + n;
		while (k < s.len && (s.ptr[k] == '*' || s.ptr[k] == '_' || s.ptr[k] == ' '))
			k++;
		if (k == s.len) {
			*rest = k;
			return true;
		}
		if (s.ptr[k] == ':') {
			k++;
			while (k < s.len && (s.ptr[k] == '*' || s.ptr[k] == '_'))
				k++;
			*rest = k;
			return true;
		}
	}
	return false;
}

bool am_compile__announces_legend(am_span line)
{
	size_t rest;
	return legend_intro(line, &rest);
}

/* One entry: "⛔ = blocked", "✅ closed", "[~] – In progress", "DONE: audited".
 * marks_only: only entries whose mark is a symbol count. */
static bool legend_entry(ctx *c, am_span e, bool marks_only)
{
	static const char *const seps[] = { " = ", "=", " – ", " — ", " - ", ": " };
	e = am_span_trim(e);
	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		const char *at = memmem(e.ptr, e.len, seps[i], strlen(seps[i]));
		if (!at || at == e.ptr)
			continue;
		am_span mark = am_span_trim((am_span){ e.ptr, (size_t)(at - e.ptr) });
		size_t skip = (size_t)(at - e.ptr) + strlen(seps[i]);
		am_span meaning = am_span_trim((am_span){ e.ptr + skip, e.len - skip });
		if (marks_only && !am_vocab__is_mark(mark.ptr, mark.len))
			return false;
		am_compile__define_status(c, mark, meaning);
		return true;
	}
	if (marks_only)
		return false;
	/* "✅ closed": a mark, a space, its meaning. */
	size_t k = 0;
	while (k < e.len && e.ptr[k] != ' ')
		k++;
	am_span mark = { e.ptr, k };
	if (k == e.len || !am_vocab__is_mark(mark.ptr, mark.len))
		return false;
	am_compile__define_status(c, mark, (am_span){ e.ptr + k, e.len - k });
	return true;
}

/* Entries of one line, split at "·", "•", "|", ";" or ","; true when the
 * line held at least one. */
static bool legend_line(ctx *c, am_span line, bool marks_only)
{
	bool any = false;
	size_t i = 0;
	while (i < line.len) {
		size_t e = i;
		while (e < line.len && line.ptr[e] != '|' && line.ptr[e] != ';' && line.ptr[e] != ',' &&
		       !(e + 1 < line.len && (!memcmp(line.ptr + e, "·", 2))) &&
		       !(e + 2 < line.len && (!memcmp(line.ptr + e, "•", 3))))
			e++;
		any |= legend_entry(c, (am_span){ line.ptr + i, e - i }, marks_only);
		if (e < line.len)
			e += line.ptr[e] == '|' || line.ptr[e] == ';' || line.ptr[e] == ',' ? 1
			     : !memcmp(line.ptr + e, "·", 2)                              ? 2
											  : 3;
		i = e;
	}
	return any;
}

/* The lines of a paragraph; *announced set when its last line announces a
 * legend for what follows ("Legend:" alone). */
static void legend_paragraph(ctx *c, am_md_node *para, bool *announced)
{
	inl t;
	am_compile__inl_init(c, &t);
	am_compile__inl_render(c, para, &t);
	const char *s = am_buf_cstr(&t.text);
	*announced = false;
	for (size_t pos = 0; pos < t.text.size;) {
		size_t e = pos, rest;
		while (e < t.text.size && s[e] != '\n')
			e++;
		am_span line = { s + pos, e - pos };
		if (legend_intro(line, &rest)) {
			am_span entries = am_span_trim((am_span){ line.ptr + rest, line.len - rest });
			if (!entries.len)
				*announced = true;
			else
				legend_line(c, entries, false);
		} else {
			legend_line(c, line, true);
		}
		pos = e + 1;
	}
	am_compile__inl_free(c, &t);
}

/* The items of a legend list: "[~] = In progress", "✅ done". */
static void legend_list(ctx *c, am_md_node *list)
{
	inl t;
	am_compile__inl_init(c, &t);
	for (am_md_node *it = am_md_first_child(list); it; it = am_md_next(it)) {
		am_md_node *p = am_md_first_child(it);
		if (!p || am_md_type_of(p) != AM_MD_PARAGRAPH)
			continue;
		am_compile__inl_clear(&t);
		am_compile__inl_render(c, p, &t);
		/* A task item's box is gone from its text: "- [ ] = Not yet audited". */
		bool marker;
		int task = am_compile__item_task(it, &marker);
		am_span line = am_span_trim((am_span){ am_buf_cstr(&t.text), t.text.size });
		if (task >= 0 && !marker && line.len && line.ptr[0] == '=') {
			am_span meaning = am_span_trim((am_span){ line.ptr + 1, line.len - 1 });
			am_compile__define_status(c, task ? AM_SPAN("[x]") : AM_SPAN("[ ]"), meaning);
			continue;
		}
		legend_line(c, line, false);
	}
	am_compile__inl_free(c, &t);
}

/* The nearest non-blank source line above `line`, without heading marks
 * and emphasis: what introduces the block there. */
am_span am_compile__line_above(ctx *c, uint32_t line)
{
	while (line > 1) {
		am_span l = am_span_trim(am_compile__source_line(c, --line));
		if (!l.len)
			continue;
		while (l.len && (l.ptr[0] == '#' || l.ptr[0] == '*' || l.ptr[0] == '_' || l.ptr[0] == ' ')) {
			l.ptr++;
			l.len--;
		}
		while (l.len && (l.ptr[l.len - 1] == '*' || l.ptr[l.len - 1] == '_'))
			l.len--;
		return l;
	}
	return (am_span){ "", 0 };
}

/* Whether a paragraph's source could hold a legend: the word "legend", a
 * "Key:"-like word with a colon, or a "=" after a mark ("⛔ = blocked",
 * "[~] = ..."). Most paragraphs are passed over without being rendered. */
static bool may_hold_legend(ctx *c, am_md_node *para)
{
	for (uint32_t l = LINE(c, para), end = END_LINE(c, para); l <= end && l; l++) {
		am_span s = am_compile__source_line(c, l);
		if (memmem(s.ptr, s.len, "egend", 5) || memmem(s.ptr, s.len, "EGEND", 5))
			return true;
		for (const char *eq = s.ptr; (eq = memchr(eq, '=', (size_t)(s.ptr + s.len - eq))) != NULL; eq++) {
			const char *k = eq;
			while (k > s.ptr && k[-1] == ' ')
				k--;
			if (k > s.ptr && ((unsigned char)k[-1] >= 0x80 || strchr("])*`", k[-1])))
				return true;
		}
		for (const char *colon = s.ptr; (colon = memchr(colon, ':', (size_t)(s.ptr + s.len - colon))) != NULL;
		     colon++) {
			const char *w = colon;
			while (w > s.ptr && (w[-1] == '*' || w[-1] == '_' || w[-1] == ' '))
				w--;
			const char *e = w;
			while (w > s.ptr && am_isalpha((unsigned char)w[-1]))
				w--;
			am_span word = { w, (size_t)(e - w) };
			if (am_span_ieq(word, AM_SPAN("key")) || am_span_ieq(word, AM_SPAN("marks")) ||
			    am_span_ieq(word, AM_SPAN("symbols")) || am_span_ieq(word, AM_SPAN("icons")))
				return true;
		}
	}
	return false;
}

void am_compile__read_legends(ctx *c, const block_info *blocks, size_t n)
{
	bool announced = false;
	for (size_t i = 0; i < n && !c->error; i++) {
		am_md_node *k = blocks[i].node;
		c->line_offset = blocks[i].line_offset;
		size_t rest;
		switch (am_md_type_of(k)) {
		case AM_MD_HEADING:
			announced = legend_intro(am_span_from(blocks[i].text), &rest) &&
				    rest == strlen(blocks[i].text);
			continue;
		case AM_MD_PARAGRAPH:
			announced = false;
			if (may_hold_legend(c, k))
				legend_paragraph(c, k, &announced);
			continue;
		case AM_MD_LIST:
			if (announced)
				legend_list(c, k);
			break;
		case AM_MD_TABLE:
			am_compile__table_legend(c, k, am_compile__line_above(c, LINE(c, k)));
			break;
		default:
			break;
		}
		announced = false;
	}
}
