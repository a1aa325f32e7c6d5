#include "title.h"

#include "source.h"

/* Symbols and emoji carry no words: arrows, dingbats, pictographs, VS16. */
static bool is_symbol(uint32_t cp)
{
	return (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D || cp == 0xFFFD ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
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
