/*
 * compile_field.c: fields. Recognises a "Key: value" line (in a paragraph,
 * a list item, a table cell header or a heading naming a field), the
 * names that carry a meaning (status, priority, severity, evidence and
 * mention fields) and interprets a value: the finding's status, its
 * levels, the line range of the citation above ("Lines: 10-20"). Hands on
 * fields added to the builder and the builder's status and levels.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "source.h"


am_span am_compile__field_core(am_span name)
{
	name = am_span_trim(name);
	if (name.len > 2 && name.ptr[name.len - 1] == ')') {
		const char *open = memchr(name.ptr, '(', name.len);
		if (open && open > name.ptr)
			name = am_span_trim((am_span){ name.ptr, (size_t)(open - name.ptr) });
	}
	return name;
}

/* A field name in a list of names (any case), lengths known beforehand:
 * these run on every field line. */
typedef struct {
	const char *s;
	size_t n;
} field_name;
#define FN(x) { x, sizeof(x) - 1 }

static bool field_in(am_span name, const field_name *names, size_t n)
{
	if (!name.len)
		return false;
	unsigned char first = (unsigned char)am_tolower((unsigned char)name.ptr[0]);
	for (size_t i = 0; i < n; i++)
		if (names[i].n == name.len && (unsigned char)names[i].s[0] == first &&
		    am_span_ieq(name, (am_span){ names[i].s, names[i].n }))
			return true;
	return false;
}

bool am_compile__is_status_field(am_span name)
{
	static const field_name names[] = { FN("status"), FN("state"), FN("current status"),
					    FN("fix status"), FN("resolution status"), FN("progress"),
					    FN("fixed?"), FN("resolved?"), FN("done?"), FN("estado"), FN("situação"),
					    FN("situacao"), FN("statut"), FN("état"), FN("etat"), FN("stato"),
					    FN("状态"), FN("状態"), FN("ステータス"), FN("상태") };
	return field_in(am_compile__field_core(name), names, sizeof(names) / sizeof(names[0]));
}

int am_compile__level_field(am_span name)
{
	static const field_name pri[] = { FN("priorità"), FN("優先度"), FN("우선순위"), FN("priority"), FN("prio"), FN("urgency"), FN("prioridade"),
					  FN("prioridad"), FN("priorité"), FN("priorität"), FN("优先级") };
	static const field_name sev[] = { FN("cvss"), FN("cvss score"), FN("cvss v3"), FN("cvss base score"),
					  FN("gravedad"), FN("gravidade"), FN("gravità"), FN("重大度"),
					  FN("重要度"), FN("심각도"), FN("severity"), FN("risk level"), FN("risk rating"),
					  FN("impact level"), FN("criticality"), FN("sev"), FN("risk"),
					  FN("severidade"), FN("severidad"), FN("sévérité"), FN("gravité"),
					  FN("schweregrad"), FN("criticidade"), FN("严重性"), FN("严重程度") };
	name = am_compile__field_core(name);
	if (field_in(name, pri, sizeof(pri) / sizeof(pri[0])))
		return 1;
	if (field_in(name, sev, sizeof(sev) / sizeof(sev[0])))
		return 2;
	return 0;
}

bool am_compile__next_field(ctx *c, am_span value, size_t *end, size_t *next)
{
	const char *v = value.ptr;
	/* Most values hold no separator at all: a byte of each, looked for
	 * at once. */
	if (!memchr(v, '|', value.len) && !memchr(v, ';', value.len) && !memchr(v, 0xB7, value.len) &&
	    !memchr(v, 0xA2, value.len))
		return false;
	for (size_t i = 0; i + 1 < value.len; i++) {
		/* " | ", " · " (C2 B7), " • " (E2 80 A2), "; " */
		size_t n = 0;
		if (v[i] == ';' && v[i + 1] == ' ')
			n = 2;
		else if (v[i] != ' ')
			continue;
		else if (v[i + 1] == '|')
			n = 2;
		else if (i + 2 < value.len && (unsigned char)v[i + 1] == 0xC2 && (unsigned char)v[i + 2] == 0xB7)
			n = 3;
		else if (i + 3 < value.len && (unsigned char)v[i + 1] == 0xE2 && (unsigned char)v[i + 2] == 0x80 &&
			 (unsigned char)v[i + 3] == 0xA2)
			n = 4;
		size_t from = i + n;
		if (!n || from >= value.len || v[from] != ' ')
			continue;
		while (from < value.len && v[from] == ' ')
			from++;
		am_span key, rest;
		if (!am_compile__split_field(v + from, value.len - from, &key, &rest) || !rest.len ||
		    !am_vocab__has(c->vm.vocab, AM_VOCAB_FINDING_FIELDS, key))
			continue;
		*end = i;
		*next = from;
		return true;
	}
	return false;
}

bool am_compile__split_field(const char *s, size_t len, am_span *key, am_span *value)
{
	size_t i = 0, words = 1;

	/* Past white space and a leading emoji or two: "🎯 Prioridade:". */
	for (int marks = 0; i < len; ) {
		size_t n = am_utf8_seqlen((const unsigned char *)s + i, len - i);
		if (s[i] == ' ' || s[i] == '\t')
			i++;
		else if (n > 1 && marks < 3 && am_vocab__is_mark(s + i, n))
			i += n, marks++;
		else
			break;
	}
	size_t start = i;
	/* A letter first, of any script ("Área", "Datei", "影响"). */
	if (i >= len || !(am_isalpha((unsigned char)s[i]) ||
			  ((unsigned char)s[i] >= 0xC3 &&
			   !am_vocab__is_mark(s + i, am_utf8_seqlen((const unsigned char *)s + i, len - i)))))
		return false;
	for (; i < len && i - start <= 48; i++) {
		unsigned char ch = (unsigned char)s[i];
		/* The full-width colon of Chinese and Japanese ("状态：已修复")
		 * needs no space after it. */
		bool wide = ch == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC &&
			    (unsigned char)s[i + 2] == 0x9A;
		if (ch == ':' || wide) {
			size_t after = i + (wide ? 3 : 1);
			if (!wide && i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\t' && s[i + 1] != '\n')
				return false; /* "path:12", "http://" */
			am_span k = am_span_trim((am_span){ s + start, i - start });
			if (!k.len || words > 5)
				return false;
			*key = k;
			*value = am_span_trim((am_span){ s + after, len - after });
			return true;
		}
		if (ch == ' ')
			words++;
		if (ch == '`' || ch == '/' || ch == '.' || ch == '\n' || ch == '=' || ch == '<' ||
		    ch == '"' || ch == '*')
			return false;
	}
	return false;
}

am_cite_role am_compile__field_role(ctx *c, am_span name, am_cite_role inherited)
{
	const am_vocab *v = c->vm.vocab;
	if (am_vocab__has(v, AM_VOCAB_MENTION_FIELDS, name))
		return AM_CITE_MENTION;
	if (am_vocab__has(v, AM_VOCAB_EVIDENCE_FIELDS, name))
		return AM_CITE_EVIDENCE;
	return inherited;
}

bool am_compile__not_text_field(ctx *c, am_span key)
{
	/* A Severity or Priority field is reported as severity or priority;
	 * "Risk:" is usually prose ("Risk: cookies leak"), text like any other. */
	return am_compile__is_status_field(key) ||
	       (am_compile__level_field(key) && !am_span_ieq(key, AM_SPAN("risk"))) ||
	       am_vocab__has(c->vm.vocab, AM_VOCAB_EVIDENCE_FIELDS, key);
}

void am_compile__add_field(ctx *c, builder *b, const inl *t, am_span name, const char *value, size_t vlen,
			   uint32_t line)
{
	am_grow((void **)&b->fields, &b->capfields, b->nfields + 1, sizeof(am_field));
	am_field *f = &b->fields[b->nfields++];
	f->name = am_arena_strndup(c->arena, name.ptr, name.len);
	am_span v = am_span_trim((am_span){ value, vlen });
	f->value = am_arena_strndup(c->arena, v.ptr, v.len);
	f->value_md = t ? am_compile__inl_markdown(c, t, v.ptr, v.len) : NULL;
	f->line = line;
}

/* "Status: ~~Open~~ Fixed in abc": the status of the words not struck
 * through, and the value as the status text. The first status field of a
 * finding wins. */
static void interpret_status(ctx *c, builder *b, am_span value)
{
	size_t a, e;
	am_buf live = AM_BUF_INIT;

	if (b->status_from_field)
		return; /* the first Status field wins */
	for (size_t i = 0; i < value.len;) {
		const char *close;
		if (i + 1 < value.len && value.ptr[i] == '~' && value.ptr[i + 1] == '~' &&
		    (close = memmem(value.ptr + i + 2, value.len - i - 2, "~~", 2)) != NULL) {
			i = (size_t)(close - value.ptr) + 2;
			continue;
		}
		am_buf_putc(&live, value.ptr[i++]);
	}
	am_status st = am_vocab__status_text(&c->vm, am_buf_cstr(&live), live.size, &a, &e);
	bool mark = st != AM_STATUS_UNKNOWN && am_vocab__is_mark(am_buf_cstr(&live) + a, e - a);
	am_buf_free(&live);
	b->status_from_field = true;
	/* "❌ Kein Bug" under "### Title — FALSE POSITIVE": a mark alone says
	 * less than the title's words. */
	if ((mark || st == AM_STATUS_UNKNOWN) && b->status_from_title)
		return;
	b->f.status = st;
	b->status_from_mark = mark;
	b->f.status_text = am_arena_strndup(c->arena, value.ptr,
					    (size_t)am_compile__utf8_prefix(value.ptr, value.len, 200));
}

/* "Priority: P1", "Severity: High" (kind 1: priority, 2: severity). The
 * first of each kind wins. */
/* "CVSS: 8.1": the severity a CVSS v3 base score rates. */
static bool cvss_level(am_span name, am_span value, am_severity *sv)
{
	char num[8];
	size_t n = 0;
	if (name.len < 4 || strncasecmp(name.ptr, "cvss", 4))
		return false;
	value = am_span_trim(value);
	while (n < value.len && n + 1 < sizeof(num) && (am_isdigit((unsigned char)value.ptr[n]) || value.ptr[n] == '.'))
		num[n] = value.ptr[n], n++;
	num[n] = '\0';
	if (!n || !am_isdigit((unsigned char)num[0]))
		return false;
	double score = strtod(num, NULL);
	if (score > 10.0)
		return false;
	*sv = score >= 9.0   ? AM_SEVERITY_CRITICAL
	      : score >= 7.0 ? AM_SEVERITY_HIGH
	      : score >= 4.0 ? AM_SEVERITY_MEDIUM
	      : score > 0.0  ? AM_SEVERITY_LOW
			     : AM_SEVERITY_INFO;
	return true;
}

static void interpret_level(ctx *c, builder *b, int kind, am_span name, am_span value)
{
	am_priority p = AM_PRIORITY_NONE;
	am_severity sv = AM_SEVERITY_NONE;
	/* "Risk: <prose>" is a description unless it starts with a level. */
	size_t probe = am_span_ieq(name, AM_SPAN("risk")) ? (value.len < 24 ? value.len : 24) : value.len;

	if (!am_vocab__level(&c->vm, value.ptr, probe, &p, &sv) &&
	    !am_vocab__level_mark(value.ptr, value.len, &p, &sv)) {
		/* A score rates the finding less plainly than a Severity field,
		 * which wins wherever it stands. */
		if (kind == 2 && cvss_level(name, value, &sv))
			am_compile__set_severity(b, sv, AM_LEVEL_FROM_TITLE);
		return;
	}
	if (kind == 1)
		am_compile__set_priority(b, p, AM_LEVEL_FROM_FIELD);
	else if (kind == 2)
		am_compile__set_severity(b, sv, AM_LEVEL_FROM_FIELD);
}

/* "- File: a.py" then "- Lines: 10-20": the range of the last citation,
 * when it has none. */
/* "Lines 71-74", "161, 297, 549", "L37", "Zeilen 48–53": where the ranges
 * of a value that names lines only start (SIZE_MAX when it says more). */
static size_t lines_only(am_span v)
{
	size_t i = 0;
	v = am_span_trim(v);
	while (i < v.len && (am_isalpha((unsigned char)v.ptr[i]) || v.ptr[i] == '.'))
		i++; /* "Lines", "L", "ll.", "Zeilen" */
	if (i > 8)
		return SIZE_MAX;
	size_t start = i;
	bool digit = false;
	for (; i < v.len; i++) {
		unsigned char ch = (unsigned char)v.ptr[i];
		if (am_isdigit(ch))
			digit = true;
		else if (!(ch == ' ' || ch == ',' || ch == '-' || ch == 'L' || ch == '~' ||
			   (ch == 0xE2 && i + 2 < v.len && (unsigned char)v.ptr[i + 1] == 0x80 &&
			    ((unsigned char)v.ptr[i + 2] == 0x93 || (unsigned char)v.ptr[i + 2] == 0x94))))
			return SIZE_MAX;
		else if (ch == 0xE2)
			i += 2; /* an en or em dash */
	}
	return digit ? start : SIZE_MAX;
}

/* "- File: a.py" then "- Lines: 10-20, 44": the last citation, if it names
 * a whole file, gets the first range; each further range cites the same
 * file again. */
static void interpret_lines(builder *b, am_span value, size_t from)
{
	size_t at = b->ncites - 1, i = from;
	bool first = true;

	if (b->cites[at].start != 0)
		return;
	while (i < value.len) {
		uint32_t s1 = 0, e1 = 0;
		while (i < value.len && !am_isdigit((unsigned char)value.ptr[i]))
			i++;
		size_t d0 = i;
		while (i < value.len && am_isdigit((unsigned char)value.ptr[i]))
			i++;
		if (!am_parse_uint(value.ptr + d0, i - d0, AM_MAX_LINE, &s1))
			return;
		while (i < value.len && !am_isdigit((unsigned char)value.ptr[i]) && value.ptr[i] != ',')
			i++;
		size_t d1 = i;
		while (i < value.len && am_isdigit((unsigned char)value.ptr[i]))
			i++;
		if (!(i > d1 && am_parse_uint(value.ptr + d1, i - d1, AM_MAX_LINE, &e1)))
			e1 = s1;
		if (!first) {
			if (b->ncites >= AM_MAX_CITATIONS_PER_FINDING)
				return;
			am_grow((void **)&b->cites, &b->capcites, b->ncites + 1, sizeof(am_citation));
			b->cites[b->ncites] = b->cites[at];
			at = b->ncites++;
		}
		b->cites[at].start = s1;
		b->cites[at].end = e1;
		b->cites[at].malformed = s1 == 0 || e1 < s1;
		first = false;
	}
}

/* "Decision: Won't fix", "Verdict: False positive", "Resolution: Fixed
 * in 1a2b": a field that states a status when its value opens with one
 * (after marks). It gives the status only where no Status field does. */
static bool is_verdict_field(am_span name)
{
	static const field_name names[] = { FN("decision"),   FN("verdict"),      FN("outcome"),
					    FN("resolution"), FN("conclusion"),   FN("assessment"),
					    FN("entscheidung"), FN("decisão"),    FN("decisión"),
					    FN("décision") };
	return field_in(name, names, sizeof(names) / sizeof(names[0]));
}

static void interpret_verdict(ctx *c, builder *b, am_span value)
{
	size_t a, e, i = 0;
	if (b->status_from_field)
		return;
	/* Past leading marks and spaces: "❌ Won't fix". */
	while (i < value.len) {
		size_t n = am_utf8_seqlen((const unsigned char *)value.ptr + i, value.len - i);
		if (!n || (value.ptr[i] != ' ' && !am_vocab__is_mark(value.ptr + i, n)))
			break;
		i += n;
	}
	am_status st = am_vocab__status(&c->vm, value.ptr + i, value.len - i, &a, &e);
	if (st == AM_STATUS_UNKNOWN || a > 0)
		return;
	b->f.status = st;
	b->f.status_text = am_arena_strndup(c->arena, value.ptr,
					    (size_t)am_compile__utf8_prefix(value.ptr, value.len, 200));
	b->status_from_verdict = true;
}

void am_compile__interpret_field(ctx *c, builder *b, am_span name, am_span value)
{
	int level;

	if (am_compile__is_status_field(name) && value.len)
		interpret_status(c, b, value);
	else if (is_verdict_field(name) && value.len)
		interpret_verdict(c, b, value);
	else if ((level = am_compile__level_field(name)) != 0)
		interpret_level(c, b, level, name, value);
	else if (b->ncites && (am_span_ieq(name, AM_SPAN("lines")) || am_span_ieq(name, AM_SPAN("line")) ||
				 am_vocab__has(c->vm.vocab, AM_VOCAB_EVIDENCE_FIELDS, name)) &&
		 lines_only(value) != SIZE_MAX)
		interpret_lines(b, value, lines_only(value));
}
