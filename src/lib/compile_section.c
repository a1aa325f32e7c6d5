/*
 * compile_section.c: sections. A heading that is not a finding opens a
 * section, closing those at its level and below; its words may give the
 * findings under it a status ("## Resolved", "✅ Completed", "## Medium
 * Severity (Fixed)"), a priority ("## High Priority", "Backlog (P2)") or a
 * severity ("## Critical"). A status holds in the heading's own subtree.
 * Hands on the stack of open sections: the path recorded in each finding,
 * and the status and levels a finding inherits when it states none.
 */
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "source.h"

static bool is_space_or_punct(unsigned char ch)
{
	return am_isspace(ch) || (ch < 0x80 && !am_isalnum(ch));
}

/* Status words that open a heading as an adjective more often than as a
 * status: "Complete Fix Code", "Active Count Tests", "New Test Files". They
 * give a status only as the whole heading. */
static const char *const adjectives[] = { "complete", "active", "new" };

/* "(all fixed)", "(Not Fixed)", "(verified)": a status in a short group of
 * words in parentheses at the end. */
static am_status closing_group(ctx *c, const char *text, size_t len)
{
	size_t a, e, words = 1;
	if (!len || text[len - 1] != ')')
		return AM_STATUS_UNKNOWN;
	const char *open = NULL;
	for (size_t i = len - 1; i-- > 0;)
		if (text[i] == '(') {
			open = text + i;
			break;
		}
	if (!open)
		return AM_STATUS_UNKNOWN;
	for (const char *p = open; p < text + len; p++)
		words += *p == ' ';
	if (words > 3)
		return AM_STATUS_UNKNOWN;
	return am_vocab__status(&c->vm, open + 1, (size_t)(text + len - open - 2), &a, &e);
}

/* "Previously Resolved", "Recently Fixed", "Bugs Fixed": a short heading
 * (three words at most) that ends with a status word. */
static am_status closing_word(ctx *c, const char *text, size_t len)
{
	size_t a, e, words = 1, last = 0;
	while (len && am_isspace((unsigned char)text[len - 1]))
		len--;
	for (size_t k = 0; k < len; k++)
		if (text[k] == ' ') {
			words++;
			last = k + 1;
		}
	if (words > 3 || words < 2)
		return AM_STATUS_UNKNOWN;
	am_status st = am_vocab__status(&c->vm, text, len, &a, &e);
	return st != AM_STATUS_UNKNOWN && a <= last && e == len ? st : AM_STATUS_UNKNOWN;
}

/* The status a section heading gives the findings under it: a status
 * word it starts with, after marks and punctuation ("Completed Recently",
 * "✅ Resolved Issues", "Open Questions"), or a status mark at its end
 * ("Medium Severity (Fixed)", "Known Limitations (Not Fixed)", "— DONE"). */
static am_status heading_status(ctx *c, const char *text, size_t len)
{
	size_t i = 0, a, e;

	while (i < len && is_space_or_punct((unsigned char)text[i]))
		i++;
	while (i < len && (unsigned char)text[i] >= 0x80 && am_compile__only_marks(text + i, 1)) {
		size_t n = am_utf8_seqlen((const unsigned char *)text + i, len - i);
		i += n ? n : 1;
		while (i < len && is_space_or_punct((unsigned char)text[i]))
			i++;
	}
	am_status st = am_vocab__status(&c->vm, text + i, len - i, &a, &e);
	if (st != AM_STATUS_UNKNOWN && a == 0) {
		bool whole = am_span_trim((am_span){ text + i + e, len - i - e }).len == 0;
		bool adjective = false;
		for (size_t k = 0; k < sizeof(adjectives) / sizeof(adjectives[0]); k++)
			adjective |= am_span_ieq((am_span){ text + i, e }, am_span_from(adjectives[k]));
		if (whole || !adjective)
			return st;
	}
	if ((st = am_compile__edge_status(c, text, len, false, &a, &e)) != AM_STATUS_UNKNOWN)
		return st;
	if ((st = closing_word(c, text + i, len - i)) != AM_STATUS_UNKNOWN)
		return st;
	return closing_group(c, text, len);
}

/* Levels in a heading: a P-token anywhere ("## Major Findings (P2 -
 * Reliability)", "## 🚨 Priority 0: ...") is a priority; a level word is a
 * severity ("## Critical", "### MITTEL") when the heading is short, opens
 * with it, or says "severity", "risk" or "critical" — a priority when it
 * says "priority" and has no P-token. A heading may give both. */
static void heading_level(ctx *c, const char *text, size_t len, section *s)
{
	am_priority p, word_p = AM_PRIORITY_NONE;
	am_severity sv, word_sv = AM_SEVERITY_NONE;
	size_t off = 0, words = 1, first = 0;
	int kind;
	bool p_token = false;

	for (size_t k = 0; k < len; k++)
		words += text[k] == ' ';
	while (first < len && !am_isalnum((unsigned char)text[first]))
		first++;
	bool opens = false;
	while ((kind = am_vocab__level_next(&c->vm, text, len, &off, &p, &sv)) > 0) {
		if (kind == AM_LEVEL_WORD_P) {
			if (!p_token)
				s->priority = p;
			p_token = true;
		} else if (!word_sv) {
			word_p = p;
			word_sv = sv;
			size_t start = off;
			while (start > 0 && am_isalpha((unsigned char)text[start - 1]))
				start--;
			opens = start <= first;
		}
	}
	if (!word_sv)
		return;
	bool pri = strcasestr(text, "priority") != NULL;
	bool keyword = strcasestr(text, "severity") || strcasestr(text, "risk") ||
		       strcasestr(text, "critical");
	if (pri && !p_token && !keyword)
		s->priority = word_p;
	else if (keyword || opens || words <= 4)
		s->severity = word_sv;
}

bool am_compile__same_section(const section *a, const section *b)
{
	return a->level == b->level && a->status == b->status && a->priority == b->priority &&
	       a->severity == b->severity && (a->text && b->text ? !strcmp(a->text, b->text) : a->text == b->text);
}

void am_compile__close_sections(ctx *c, int level)
{
	while (c->nsections > 0 && c->sections[c->nsections - 1].level >= level) {
		c->nsections--;
		c->section_path_valid = false;
	}
}

void am_compile__push_section(ctx *c, int level, const char *text)
{
	section s = { level, text, AM_STATUS_UNKNOWN, AM_PRIORITY_NONE, AM_SEVERITY_NONE };

	am_compile__close_sections(c, level);
	c->section_path_valid = false;
	if (c->nsections >= AM_MAX_NESTING)
		return;
	if (text) {
		size_t len = strlen(text);
		s.status = heading_status(c, text, len);
		heading_level(c, text, len, &s);
	}
	c->sections[c->nsections++] = s;
}

bool am_compile__in_severity_section(const ctx *c)
{
	for (int i = 0; i < c->nsections; i++)
		if (c->sections[i].severity != AM_SEVERITY_NONE)
			return true;
	return false;
}

bool am_compile__in_status_section(const ctx *c)
{
	for (int i = 0; i < c->nsections; i++)
		if (c->sections[i].status != AM_STATUS_UNKNOWN)
			return true;
	return false;
}

const char **am_compile__section_path(ctx *c, size_t *n)
{
	if (!c->section_path_valid) {
		size_t k = 0;
		c->section_path = am_arena_alloc(c->arena, sizeof(char *) * (size_t)(c->nsections + 1));
		for (int i = 0; i < c->nsections; i++)
			if (c->sections[i].text)
				c->section_path[k++] = c->sections[i].text;
		c->nsection_path = k;
		c->section_path_valid = true;
	}
	*n = c->nsection_path;
	return c->nsection_path ? c->section_path : NULL;
}

void am_compile__set_priority(builder *b, am_priority p, am_level_source from)
{
	if (from > b->priority_from) {
		b->f.priority = p;
		b->priority_from = from;
	}
}

void am_compile__set_severity(builder *b, am_severity sv, am_level_source from)
{
	if (from > b->severity_from) {
		b->f.severity = sv;
		b->severity_from = from;
	}
}

void am_compile__section_inherit(ctx *c, builder *b)
{
	for (int i = c->nsections - 1; i >= 0; i--) {
		const section *s = &c->sections[i];
		/* Status words no vocabulary knows yield to the section's. */
		if (b->f.status == AM_STATUS_UNKNOWN && s->status) {
			b->f.status = s->status;
			b->f.status_text = s->text;
		}
		if (s->priority)
			am_compile__set_priority(b, s->priority, AM_LEVEL_FROM_SECTION);
		if (s->severity)
			am_compile__set_severity(b, s->severity, AM_LEVEL_FROM_SECTION);
	}
}
