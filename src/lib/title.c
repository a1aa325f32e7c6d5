#include "title.h"

#include "source.h"

/* Symbols and emoji carry no words: arrows, dingbats, pictographs, VS16. */
static bool is_symbol(uint32_t cp)
{
	return (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D || cp == 0xFFFD ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
}

/* No word in s[0..len): no ASCII letter or digit, no two-byte letter
 * (accented Latin, Greek, Cyrillic); marks, punctuation, emoji. */
static bool only_marks(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x80 && am_isalnum(ch)) || (ch >= 0xC0 && ch < 0xE0))
			return false;
	}
	return true;
}

/* The length of the separator that ends s[0..len) (before) or starts it:
 * white space, a bracket, a dash (ASCII, en or em), a colon, a bar or a
 * comma; 0 for none. */
static size_t separator_before(const char *s, size_t len)
{
	if (len && strchr(" \t([{-:|,", s[len - 1]))
		return 1;
	if (len >= 3 && (!memcmp(s + len - 3, "–", 3) || !memcmp(s + len - 3, "—", 3)))
		return 3;
	return 0;
}

static size_t separator_after(const char *s, size_t len)
{
	if (len && strchr(" \t)]}-:|,.", s[0]))
		return 1;
	if (len >= 3 && (!memcmp(s, "–", 3) || !memcmp(s, "—", 3)))
		return 3;
	return 0;
}

bool am_title_shown(const char *t, size_t len, size_t a, size_t e, size_t *from, size_t *to)
{
	*from = 0;
	*to = len;
	if (e <= a || e > len)
		return false;
	if (only_marks(t + e, len - e)) {
		*to = a;
		for (size_t k; (k = separator_before(t, *to)) > 0;)
			*to -= k;
	} else if (only_marks(t, a)) {
		*from = e;
		for (size_t k; (k = separator_after(t + *from, len - *from)) > 0;)
			*from += k;
	}
	if (*from >= *to || (*from == 0 && *to == len)) {
		*from = 0;
		*to = len;
		return false;
	}
	return true;
}

void am_title_normalize(am_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->size;
	bool space = false;

	for (size_t i = 0; i < len;) {
		unsigned char ch = p[i];
		if (ch < 0x80) {
			if (am_isalnum(ch)) {
				if (space && out->size > start)
					am_buf_putc(out, ' ');
				space = false;
				am_buf_putc(out, am_tolower(ch));
			} else if (ch != '\'' && ch != '`' && ch != '*' && ch != '_') {
				space = true; /* punctuation separates words */
			}
			i++;
			continue;
		}
		size_t n = am_utf8_seqlen(p + i, len - i);
		if (!n) {
			i++;
			continue;
		}
		uint32_t cp = am_utf8_decode(p + i, n);
		if (is_symbol(cp)) {
			space = true;
		} else {
			if (space && out->size > start)
				am_buf_putc(out, ' ');
			space = false;
			am_buf_put(out, p + i, n);
		}
		i += n;
	}
}
