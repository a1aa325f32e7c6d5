#include "date.h"

#include <stdio.h>
#include <string.h>

#define MONTHS                                                                          \
	"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
	"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?"

int am_date__matcher_init(am_date_matcher *m)
{
	return am_re_new(&m->re,
			 /* 1-3: ISO and slashes */
			 "(?<!\\d)(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)"
			 /* 4-6: October 30, 2025 */
			 "|(?<![a-z])" MONTHS "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)"
			 /* 7-9: 30 October 2025 */
			 "|(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+" MONTHS ",?\\s+(\\d{4})(?!\\d)"
			 /* 10-11: October 2025 */
			 "|(?<![a-z])" MONTHS ",?\\s+(\\d{4})(?!\\d)",
			 AM_RE_CASELESS);
}

void am_date__matcher_free(am_date_matcher *m)
{
	am_re_free(m->re);
	m->re = NULL;
}

static int month_of(const char *s)
{
	static const char *const names = "janfebmaraprmayjunjulaugsepoctnovdec";
	char m[3];
	for (int i = 0; i < 3; i++)
		m[i] = (char)am_tolower((unsigned char)s[i]);
	for (int i = 0; i < 12; i++)
		if (!memcmp(names + 3 * i, m, 3))
			return i + 1;
	return 0;
}

static unsigned num(const char *s, const am_re_group *g)
{
	unsigned v = 0;
	for (size_t i = g->start; i < g->end; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

static int valid(unsigned y, unsigned mo, unsigned d)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return 0;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int am_date__find(am_date_matcher *m, const char *text, size_t len, char out[11])
{
	am_re_group g[12];
	size_t off = 0;

	while (off < len && am_re_match(m->re, text, len, off, g, 12) > 0) {
		unsigned y = 0, mo = 0, d = 0;
		if (am_re_has(&g[1])) {
			y = num(text, &g[1]);
			mo = num(text, &g[2]);
			d = num(text, &g[3]);
		} else if (am_re_has(&g[4])) {
			mo = (unsigned)month_of(text + g[4].start);
			d = num(text, &g[5]);
			y = num(text, &g[6]);
		} else if (am_re_has(&g[7])) {
			d = num(text, &g[7]);
			mo = (unsigned)month_of(text + g[8].start);
			y = num(text, &g[9]);
		} else if (am_re_has(&g[10])) {
			mo = (unsigned)month_of(text + g[10].start);
			d = 1;
			y = num(text, &g[11]);
		}
		if (valid(y, mo, d)) {
			snprintf(out, 11, "%04u-%02u-%02u", y % 10000, mo % 100, d % 100);
			return 1;
		}
		off = g[0].end > g[0].start ? g[0].end : g[0].start + 1;
	}
	return 0;
}
