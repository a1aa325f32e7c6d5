/*
 * compile_title.c: finding titles. Reads the title line of a heading,
 * checklist item or table row: its ID ("[H-01]", "BUG-001:", "C1)"), issue
 * number ("Issue #1:", "Finding 3:") or plain number ("3)", "2.1"), the
 * status it announces at its edges ("(Resolved)", "✅ Title", "~~Title~~")
 * and a level in brackets ("[P0]", "(🔴 CRITICAL)") or leading it
 * ("🔴 Critical: Title"). Hands on a finding
 * started in the builder: title, normalised title, ID, number, position,
 * status and levels; and, to the heading judge, whether a prefix makes a
 * heading a finding by itself.
 */
#include <string.h>

#include "compile_int.h"
#include "source.h"
#include "title.h"

/* The prefixes of a title, one capture group each kind. */
static const char *const PREFIX_PATTERN =
	"^\\s*(?:"
	/* 1: [H-01], [SEC-12], [C1] */
	"\\[([A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+|[A-Z]{1,6}\\d+)\\]\\s*(?:[:.)|]|-|–|—)?\\s*"
	/* 2: BUG-001:, DEBT-043 Title, NEW-C-1: */
	"|([A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)?-\\d+(?:[-.]\\d+)*[a-z]?)\\s*(?:[:.)|]\\s*|-\\s+|–\\s*|—\\s*|\\s+(?=[^\\sa-z])|$)"
	/* 3: C1), H2: */
	"|([A-Z]{1,4}\\d{1,4}(?:\\.\\d+)?)\\s*(?:[:.)]|\\s-|–|—)\\s*"
	/* 4: Issue #1:, #12 */
	"|(?:(?i:issue|finding|bug|item|task|problem|vulnerability|vuln|risk|defect|gap|"
	"recommendation|action|todo)\\s*)?#(\\d+)\\s*(?:[:.)：]|-|–|—)?\\s*"
	/* 5: Finding 3:, Issue 1.1:, Critical Finding 2:, Problem 1 (Resolved): */
	"|(?i:(?:critical\\s+|major\\s+|minor\\s+)?(?:issue|finding|bug|problem|vulnerability|vuln|defect|gap|"
	"enhancement|weakness|"
	/* the same in Spanish, Portuguese, French, German, Italian, Chinese,
	 * Japanese and Korean */
	"hallazgo|incidencia|problema|vulnerabilidad|vulnerabilidade|achado|constata[çc][ãa]o|constat|"
	"probl[èe]me|anomalie|vuln[ée]rabilit[ée]|befund|schwachstelle|fehler|mangel|rilievo|"
	"vulnerabilit[àa]|问题|发现|漏洞|缺陷|指摘|問題|脆弱性|課題|이슈|문제|발견|취약점))"
	"\\s*(\\d+(?:\\.\\d+)*)\\s*(?:[:.)：]|-|–|—|(?=\\())\\s*"
	/* 6: 3) 3. 2.1. */
	"|(\\d{1,6}(?:\\.\\d{1,4})*)\\s*[.):]\\s+"
	/* 7: 2.1 Title */
	"|(\\d{1,6}(?:\\.\\d{1,4})+)\\s+"
	/* Finding: Title, Vulnerability: Title (a label, no number) */
	"|(?i:finding|issue|vulnerability|vuln|bug|problem|weakness|defect|observation)\\s*:\\s+"
	")";

int am_compile__title_re_new(am_re **out)
{
	return am_re_new(out, PREFIX_PATTERN, 0);
}

bool am_compile__only_marks(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80 && am_isalnum(ch))
			return false;
		if (ch >= 0xC0 && ch < 0xE0)
			return false; /* accented letters are words, not marks */
	}
	return true;
}

am_status am_compile__edge_status(ctx *c, const char *s, size_t len, bool allow_start,
				  size_t *mstart, size_t *mend)
{
	size_t off = 0, counted = 0, ticks = 0; /* backticks in s[0..counted) */
	am_status st;

	while (off < len) {
		size_t a, b;
		st = am_vocab__status(&c->vm, s + off, len - off, &a, &b);
		if (st == AM_STATUS_UNKNOWN)
			break;
		a += off;
		b += off;
		/* Words in a code span are code: "`except Exception: pass`". */
		for (; counted < a; counted++)
			ticks += s[counted] == '`';
		if (ticks % 2) {
			off = b > a ? b : a + 1;
			continue;
		}
		bool word = am_isalnum((unsigned char)s[a]);
		/* Suffix: only marks after it, and a delimiter or mark before it. */
		if (am_compile__only_marks(s + b, len - b)) {
			size_t k = a;
			while (k > 0 && s[k - 1] == ' ')
				k--;
			bool delimited = !word || k == 0 ||
					 strchr("([-:|,", s[k - 1]) != NULL ||
					 (k >= 3 && (unsigned char)s[k - 1] >= 0x80);
			if (delimited) {
				*mstart = a;
				*mend = b;
				return st;
			}
		}
		/* Prefix: only marks before it ("✅ Title", "[FIXED] Title"). */
		if (allow_start && am_compile__only_marks(s, a) &&
		    (!word || (a > 0 && (s[a - 1] == '[' || s[a - 1] == '(')))) {
			*mstart = a;
			*mend = b;
			return st;
		}
		off = b > a ? b : a + 1;
	}
	return AM_STATUS_UNKNOWN;
}

/* The title parts of s when its prefix pattern matches at its start. */
static bool parse_prefix(ctx *c, const char *s, size_t len, title_parts *out)
{
	am_re_group g[8];

	if (am_re_match(c->prefix_re, s, len, 0, g, 8) <= 0)
		return false;
	for (int i = 1; i <= 3; i++)
		if (am_re_has(&g[i])) {
			am_span id = { s + g[i].start, g[i].end - g[i].start };
			/* "P1:" is a priority, not an ID. */
			if (id.len == 2 && (id.ptr[0] == 'P' || id.ptr[0] == 'p') && am_isdigit((unsigned char)id.ptr[1]))
				return false;
			out->id = id;
			out->strong = true;
		}
	if (am_re_has(&g[4]) || am_re_has(&g[5])) {
		int k = am_re_has(&g[4]) ? 4 : 5;
		out->number = (am_span){ s + g[k].start, g[k].end - g[k].start };
		out->strong = true;
	}
	if (am_re_has(&g[6]) || am_re_has(&g[7])) {
		int k = am_re_has(&g[6]) ? 6 : 7;
		out->number = (am_span){ s + g[k].start, g[k].end - g[k].start };
		out->numbered = true;
	}
	out->title = am_span_trim((am_span){ s + g[0].end, len - g[0].end });
	if (!out->title.len)
		out->title = am_span_trim((am_span){ s, len });
	return true;
}

/* The length of the dash at s ("-", "–", "—"), 0 when none. */
static size_t dash_len(const char *s, size_t len)
{
	if (len >= 1 && s[0] == '-')
		return 1;
	if (len >= 3 && !memcmp(s, "\xE2\x80", 2) && (s[2] == '\x93' || s[2] == '\x94'))
		return 3;
	return 0;
}

/* "🔴 Critical: SQL injection", "High — Missing CSRF token": from s[k]
 * (past leading marks), a level word and nothing else, then a colon or a
 * spaced dash; the level in *level and what follows in *rest. */
static bool level_lead(ctx *c, const char *s, size_t len, size_t k, am_span *level, am_span *rest)
{
	for (size_t d = k; d < len && d - k <= 24; d++) {
		size_t skip = 0;
		if (s[d] == ':')
			skip = 1;
		else if (s[d] == ' ' && (skip = dash_len(s + d + 1, len - d - 1)) != 0 && d + 1 + skip < len &&
			 s[d + 1 + skip] == ' ')
			skip += 1;
		else if (!am_isalnum((unsigned char)s[d]) && s[d] != ' ')
			return false;
		else
			continue;
		am_span lead = am_span_trim((am_span){ s + k, d - k });
		am_priority p;
		am_severity sv;
		size_t off = 0;
		if (!lead.len || !am_vocab__level_next(&c->vm, lead.ptr, lead.len, &off, &p, &sv) || off != lead.len)
			return false;
		*level = lead;
		*rest = am_span_trim((am_span){ s + d + skip, len - d - skip });
		return rest->len > 0;
	}
	return false;
}

void am_compile__parse_title(ctx *c, const char *s, size_t len, title_parts *out)
{
	memset(out, 0, sizeof(*out));
	out->title = am_span_trim((am_span){ s, len });
	if (parse_prefix(c, s, len, out))
		return;
	/* "✅ BUG-01: Title", "🔴 [H-1] Title": the ID after leading marks; the
	 * marks stay at the head of the title, where they give its status. */
	size_t k = 0;
	while (k < len) {
		size_t n = am_utf8_seqlen((const unsigned char *)s + k, len - k);
		if (!n || (s[k] != ' ' && !((unsigned char)s[k] >= 0x80 && am_vocab__is_mark(s + k, n))))
			break;
		k += n;
	}
	title_parts after;
	memset(&after, 0, sizeof(after));
	if (k > 0 && k < len && parse_prefix(c, s + k, len - k, &after) && after.id.len) {
		*out = after;
	} else if (level_lead(c, s, len, k, &after.level, &after.title)) {
		out->level = after.level;
	} else {
		return;
	}
	am_buf_clear(&c->scratch);
	am_buf_put(&c->scratch, s, k);
	am_buf_put(&c->scratch, after.title.ptr, after.title.len);
	out->title = am_span_trim(am_span_from(am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size)));
}

/* Severity from the conventional ID prefixes: C-1 critical, H-01 high... */
static am_severity severity_of_id(am_span id)
{
	size_t i = 2;
	/* Only the security-review forms: H-01, M-2, C-03, NEW-C-1. Section
	 * labels (B3, C1, H2a) say nothing about severity. */
	if (id.len >= 6 && !memcmp(id.ptr, "NEW-", 4)) {
		id.ptr += 4;
		id.len -= 4;
	}
	if (id.len < 3 || id.ptr[1] != '-')
		return AM_SEVERITY_NONE;
	for (size_t k = i; k < id.len; k++)
		if (!am_isdigit((unsigned char)id.ptr[k]))
			return AM_SEVERITY_NONE;
	switch (id.ptr[0]) {
	case 'C': return AM_SEVERITY_CRITICAL;
	case 'H': return AM_SEVERITY_HIGH;
	case 'M': return AM_SEVERITY_MEDIUM;
	case 'L': return AM_SEVERITY_LOW;
	case 'I': return AM_SEVERITY_INFO;
	default: return AM_SEVERITY_NONE;
	}
}

/* "~~Title~~" without the markers, which are not part of the title. */
static am_span unstrike(am_span title)
{
	while (title.len >= 2 && title.ptr[0] == '~' && title.ptr[1] == '~') {
		title.ptr += 2;
		title.len -= 2;
	}
	while (title.len >= 2 && title.ptr[title.len - 1] == '~' && title.ptr[title.len - 2] == '~')
		title.len -= 2;
	return am_span_trim(title);
}

/* "[HIGH] Title", "Title [P0]", "Title (🔴 CRITICAL)", "Title - P3": a
 * level in brackets, or after a dash at the end; a priority when it names
 * one (P0..), else a severity. The first of each kind wins. Without a
 * builder, only whether there is one. */
static bool title_levels(ctx *c, builder *b, am_span title)
{
	bool found = false;
	for (size_t k = 0; k < title.len; k++) {
		char open = title.ptr[k];
		const char *close = NULL;
		size_t from = k + 1;
		if (open == '[' || open == '(')
			close = memchr(title.ptr + from, open == '[' ? ']' : ')', title.len - from);
		else if (open == '-' && k > 0 && title.ptr[k - 1] == ' ' && title.len - k < 24)
			close = title.ptr + title.len;
		if (!close || close - (title.ptr + from) > 40)
			continue;
		size_t inner = (size_t)(close - (title.ptr + from));
		am_priority p;
		am_severity sv;
		if (!am_vocab__level(&c->vm, title.ptr + from, inner, &p, &sv))
			continue;
		bool is_p = false;
		for (size_t q = from; q + 1 < from + inner; q++)
			if ((title.ptr[q] == 'P' || title.ptr[q] == 'p') && am_isdigit((unsigned char)title.ptr[q + 1]))
				is_p = true;
		found = true;
		if (!b)
			break;
		if (is_p)
			am_compile__set_priority(b, p, AM_LEVEL_FROM_TITLE);
		else
			am_compile__set_severity(b, sv, AM_LEVEL_FROM_TITLE);
	}
	return found;
}

bool am_compile__title_level(ctx *c, const title_parts *tp)
{
	return tp->level.len || title_levels(c, NULL, tp->title);
}

/* "~~BUG-07: Title~~ — FALSE POSITIVE": the ID under a strike that opens
 * the title; the title without the ID and the strike's markers. */
static void struck_id(ctx *c, const char *s, size_t len, title_parts *tp)
{
	title_parts inner;
	am_compile__parse_title(c, s + 2, len - 2, &inner);
	if (!inner.id.len)
		return;
	am_span rest = inner.title;
	const char *close = memmem(rest.ptr, rest.len, "~~", 2);
	am_buf_clear(&c->scratch);
	if (close) {
		am_buf_put(&c->scratch, rest.ptr, (size_t)(close - rest.ptr));
		am_buf_put(&c->scratch, close + 2, rest.len - (size_t)(close - rest.ptr) - 2);
	} else {
		am_buf_put(&c->scratch, rest.ptr, rest.len);
	}
	const char *copy = am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size);
	tp->title = am_span_trim(am_span_from(copy));
	tp->id = inner.id;
	tp->strong = true;
}

void am_compile__builder_title(ctx *c, builder *b, const inl *t, size_t len, am_md_node *at)
{
	title_parts tp;
	const char *s = am_buf_cstr(&t->text);

	am_compile__parse_title(c, s, len, &tp);
	if (!tp.id.len && !tp.number.len && len > 4 && !memcmp(s, "~~", 2))
		struck_id(c, s, len, &tp);
	if (b->title_is_text) {
		/* A table row with an ID column: "XEP-0374 rpad uses ..." is its
		 * title, not an ID and a title. */
		memset(&tp, 0, sizeof(tp));
		tp.title = am_span_trim((am_span){ s, len });
	}
	if (t->all_struck)
		tp.title = unstrike(tp.title); /* and resolved, below */
	b->f.title = am_arena_strndup(c->arena, tp.title.ptr, tp.title.len);
	b->f.title_md = am_compile__inl_markdown(c, t, tp.title.ptr, tp.title.len);
	if (tp.id.len) {
		b->f.id = am_arena_strndup(c->arena, tp.id.ptr, tp.id.len);
		b->f.id_explicit = 1;
		am_severity sv = severity_of_id(tp.id);
		if (sv)
			am_compile__set_severity(b, sv, AM_LEVEL_FROM_ID);
	}
	if (tp.number.len)
		b->f.number = am_arena_strndup(c->arena, tp.number.ptr, tp.number.len);
	am_priority p;
	am_severity sv;
	size_t off = 0;
	int lw = tp.level.len ? am_vocab__level_next(&c->vm, tp.level.ptr, tp.level.len, &off, &p, &sv) : 0;
	if (lw == AM_LEVEL_WORD_P)
		am_compile__set_priority(b, p, AM_LEVEL_FROM_TITLE);
	else if (lw)
		am_compile__set_severity(b, sv, AM_LEVEL_FROM_TITLE);
	b->f.line = LINE(c, at);
	b->f.column = am_md_start_column(at);
	/* cmark-gfm loses the position of a paragraph cut short by a table
	 * header under it; its text knows where it stands (compile_inline.c). */
	if (!am_md_start_line(at) && t->npos)
		am_compile__inl_position(t, 0, &b->f.line, &b->f.column);
	if (!b->f.column)
		b->f.column = 1;

	size_t a = tp.title.len, e = tp.title.len;
	am_status st = am_compile__edge_status(c, tp.title.ptr, tp.title.len, true, &a, &e);
	if (st != AM_STATUS_UNKNOWN) {
		b->f.status = st;
		b->f.status_text = am_arena_strndup(c->arena, tp.title.ptr + a, e - a);
		b->status_from_title = !am_vocab__is_mark(tp.title.ptr + a, e - a);
		b->f.title_status = st;
		b->f.title_mark_start = (uint32_t)a;
		b->f.title_mark_end = (uint32_t)e;
		size_t from, to;
		if (am_title_shown(tp.title.ptr, tp.title.len, a, e, &from, &to))
			b->f.title_shown_md = am_compile__inl_markdown(c, t, tp.title.ptr + from, to - from);
	} else if (t->all_struck) {
		b->f.status = AM_STATUS_RESOLVED;
		b->f.status_text = "~~struck~~";
	}
	/* The normalised title leaves the status mark out. */
	am_buf_clear(&c->scratch);
	am_title_normalize(&c->scratch, tp.title.ptr, a);
	am_buf_putc(&c->scratch, ' ');
	am_title_normalize(&c->scratch, tp.title.ptr + e, tp.title.len - e);
	am_buf_rtrim(&c->scratch);
	b->f.norm_title = am_arena_strndup(c->arena, am_buf_cstr(&c->scratch), c->scratch.size);
	title_levels(c, b, tp.title);
}
