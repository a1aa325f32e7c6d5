#include "source.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "markdown.h"

size_t am_utf8_seqlen(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0];
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if (c == 0xE0 && p[1] < 0xA0)
		return 0; /* overlong */
	if (c == 0xED && p[1] >= 0xA0)
		return 0; /* surrogate */
	if (c == 0xF0 && p[1] < 0x90)
		return 0; /* overlong */
	if (c == 0xF4 && p[1] >= 0x90)
		return 0; /* past U+10FFFF */
	return n;
}

uint32_t am_utf8_decode(const unsigned char *p, size_t n)
{
	switch (n) {
	case 1: return p[0];
	case 2: return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	case 3: return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	default:
		return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
		       ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	}
}

void am_utf8_put(am_buf *b, uint32_t cp)
{
	unsigned char s[4];
	size_t n;

	if (cp < 0x80) {
		s[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (unsigned char)(0xC0 | (cp >> 6));
		s[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (unsigned char)(0xE0 | (cp >> 12));
		s[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (unsigned char)(0xF0 | (cp >> 18));
		s[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	am_buf_put(b, s, n);
}

/* Whether the character at p is shown escaped; *len is its length in bytes
 * and *cp its code point (or the stray byte that is not UTF-8). */
static bool invisible(const unsigned char *p, size_t avail, unsigned keep, size_t *len, uint32_t *cp)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		*len = 1;
		*cp = c;
		if (c == '\t' && (keep & AM_VISIBLE_TAB))
			return false;
		if ((c == '\n' || c == '\r') && (keep & AM_VISIBLE_NEWLINE))
			return false;
		return c < 0x20 || c == 0x7f;
	}
	size_t n = am_utf8_seqlen(p, avail);
	if (!n) {
		*len = 1;
		*cp = c; /* a stray byte */
		return true;
	}
	*len = n;
	*cp = am_utf8_decode(p, n);
	return (*cp >= 0x80 && *cp <= 0x9f) || (*cp >= 0x202a && *cp <= 0x202e) ||
	       (*cp >= 0x2066 && *cp <= 0x2069) || *cp == 0x2028 || *cp == 0x2029;
}

int am_visible_changes(const char *s, size_t len, unsigned keep)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;
	while (i < len) {
		/* Printable ASCII, the bulk of any text, needs no decoding. */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if (invisible(p + i, len - i, keep, &n, &cp))
			return 1;
		i += n;
	}
	return 0;
}

void am_buf_put_visible(am_buf *b, const char *s, size_t len, unsigned keep)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, from = 0, n;
	uint32_t cp;
	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if (!invisible(p + i, len - i, keep, &n, &cp)) {
			i += n;
			continue;
		}
		am_buf_put(b, s + from, i - from);
		if (n == 1)
			am_buf_printf(b, "\\x%02x", (unsigned)p[i]);
		else
			am_buf_printf(b, "\\u%04x", (unsigned)cp);
		i += n;
		from = i;
	}
	am_buf_put(b, s + from, len - from);
}

char *am_visible(const char *s, size_t len, unsigned keep)
{
	am_buf b = AM_BUF_INIT;
	am_buf_grow(&b, len + 1);
	am_buf_put_visible(&b, s, len, keep);
	return am_buf_detach(&b);
}

/*
 * The byte a Windows-1252 or Windows-1254 decoder turned into `cp`, or -1.
 * U+0080..U+00FF stand for themselves (Latin-1, and C1 controls for bytes the
 * code pages leave undefined).
 */
static int mojibake_byte(uint32_t cp)
{
	static const struct { uint16_t cp; uint8_t byte; } specials[] = {
		{ 0x20AC, 0x80 }, { 0x201A, 0x82 }, { 0x0192, 0x83 }, { 0x201E, 0x84 },
		{ 0x2026, 0x85 }, { 0x2020, 0x86 }, { 0x2021, 0x87 }, { 0x02C6, 0x88 },
		{ 0x2030, 0x89 }, { 0x0160, 0x8A }, { 0x2039, 0x8B }, { 0x0152, 0x8C },
		{ 0x017D, 0x8E }, { 0x2018, 0x91 }, { 0x2019, 0x92 }, { 0x201C, 0x93 },
		{ 0x201D, 0x94 }, { 0x2022, 0x95 }, { 0x2013, 0x96 }, { 0x2014, 0x97 },
		{ 0x02DC, 0x98 }, { 0x2122, 0x99 }, { 0x0161, 0x9A }, { 0x203A, 0x9B },
		{ 0x0153, 0x9C }, { 0x017E, 0x9E }, { 0x0178, 0x9F },
		/* Windows-1254 (Turkish) differs from 1252 in six places. */
		{ 0x011E, 0xD0 }, { 0x0130, 0xDD }, { 0x015E, 0xDE },
		{ 0x011F, 0xF0 }, { 0x0131, 0xFD }, { 0x015F, 0xFE },
	};
	if (cp >= 0x80 && cp <= 0xFF)
		return (int)cp;
	if (cp < 0x100 || cp > 0xFFFF)
		return -1;
	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (specials[i].cp == cp)
			return specials[i].byte;
	return -1;
}

static size_t lead_len(int byte)
{
	if (byte >= 0xC2 && byte <= 0xDF)
		return 2;
	if (byte >= 0xE0 && byte <= 0xEF)
		return 3;
	if (byte >= 0xF0 && byte <= 0xF4)
		return 4;
	return 0;
}

/*
 * Tries to read one mojibake sequence at s[i..]: code points that are the
 * Windows-125x images of the bytes of one UTF-8 character. On success
 * writes the character to out and returns the number of input bytes used.
 * A sequence one continuation byte short (the code pages drop their
 * undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D) is repaired as VS16 when it
 * is EF B8 (the emoji variation selector), else as U+FFFD; *lost is set.
 */
static size_t repair_one(am_buf *out, const unsigned char *s, size_t len, size_t i, int *lost)
{
	unsigned char bytes[4];
	size_t pos = i, have = 0, need;
	int b;

	size_t n = am_utf8_seqlen(s + pos, len - pos);
	if (n < 2)
		return 0;
	b = mojibake_byte(am_utf8_decode(s + pos, n));
	need = lead_len(b);
	if (!need)
		return 0;
	bytes[have++] = (unsigned char)b;
	pos += n;
	while (have < need && pos < len) {
		n = am_utf8_seqlen(s + pos, len - pos);
		if (n < 2)
			break;
		b = mojibake_byte(am_utf8_decode(s + pos, n));
		if (b < 0x80 || b > 0xBF)
			break;
		bytes[have++] = (unsigned char)b;
		pos += n;
	}
	*lost = 0;
	if (have == need && am_utf8_seqlen(bytes, need) == need) {
		am_buf_put(out, bytes, need);
		return pos - i;
	}
	if (have == need - 1 && have >= 2) {
		/* One byte was dropped on the way. */
		*lost = 1;
		if (need == 3 && bytes[0] == 0xEF && bytes[1] == 0xB8)
			am_utf8_put(out, 0xFE0F);
		else
			am_utf8_put(out, 0xFFFD);
		return pos - i;
	}
	return 0;
}

static void position_of(const char *s, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n') {
			l++;
			start = i + 1;
		}
	*line = l;
	*col = (uint32_t)(off - start + 1);
}

static int prepare(am_buf *out, am_mojibake_info *info, const char *in, size_t len,
		   const char *name, size_t max);

int am_source__prepare(am_buf *out, am_mojibake_info *info, const char *in, size_t len,
		       const char *name, size_t max)
{
	int rc = prepare(out, info, in, len, name, max);
	if (rc == 0 && info->unchanged)
		rc = am_md_check_limits(in, len, name);
	else if (rc == 0)
		rc = am_md_check_limits(am_buf_cstr(out), out->size, name);
	if (rc < 0)
		am_buf_free(out);
	return rc;
}

/* Most audits need nothing: valid UTF-8, LF line endings, no BOM, no
 * mojibake. They are only checked, and the caller reads them in place. */
static bool already_clean(const unsigned char *s, size_t len);

bool am_source__clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	return !(len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) && already_clean(u, len);
}

/* How many bytes from s on (up to len) are printable ASCII, line feeds
 * and tabs, sixteen at a time; a few short of the first other byte at
 * most. */
static size_t plain_run(const unsigned char *s, size_t len)
{
	size_t k = 0;
#ifdef __SSE2__
	const __m128i space = _mm_set1_epi8(0x20), lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
	while (k + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
		/* Signed: bytes with the high bit are below 0x20 too. */
		unsigned other = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, space)) &
				 ~(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, tab)));
		if (other)
			return k + (size_t)__builtin_ctz(other);
		k += 16;
	}
#endif
	return k;
}

static bool already_clean(const unsigned char *s, size_t len)
{
	size_t k = 0;
	bool suspicious = false;
	while (k < len) {
		k += plain_run(s + k, len - k);
		/* Eight bytes at a time while all are printable ASCII: none with
		 * the high bit, none below 0x20 (hasless, from "Bit Twiddling
		 * Hacks"). */
		while (k + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + k, 8);
			if ((w & 0x8080808080808080ULL) ||
			    ((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL))
				break;
			k += 8;
		}
		if (k == len)
			break;
		unsigned char c = s[k];
		if ((c >= 0x20 && c < 0x80) || c == '\n' || c == '\t') {
			k++;
			continue;
		}
		if (c < 0x80)
			return false; /* CR, NUL, other controls: the slow path decides */
		size_t n = am_utf8_seqlen(s + k, len - k);
		if (!n)
			return false;
		if ((c == 0xC2 || c == 0xC3 || c == 0xC4 || c == 0xC5) && n == 2)
			suspicious = true; /* Latin-1 letters: maybe mojibake */
		k += n;
	}
	return !suspicious;
}

/* Pass 1: S[I..LEN) validated into NORM with its line endings made LF.
 * A NUL byte or invalid UTF-8 is an error naming its line and column. */
static int normalise(am_buf *norm, const unsigned char *s, size_t len, size_t i, const char *name)
{
	uint32_t line = 1;
	size_t line_start = i;
	am_buf_grow(norm, len - i);
	while (i < len) {
		/* Fast path: a run of printable ASCII is copied as it is. */
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x80)
			run++;
		am_buf_put(norm, s + i, run - i);
		i = run;
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c == '\r' || c == '\n') {
			am_buf_putc(norm, '\n');
			i += (c == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			line++;
			line_start = i;
			continue;
		}
		if (c == '\t') {
			am_buf_putc(norm, '\t');
			i++;
			continue;
		}
		if (c == 0) {
			am_error_set("%s:%u:%zu: NUL byte; the file is binary, not a Markdown audit",
				     name, line, i - line_start + 1);
			return AM_EPARSE;
		}
		size_t n = am_utf8_seqlen(s + i, len - i);
		if (!n) {
			am_error_set("%s:%u:%zu: invalid UTF-8 (byte 0x%02X)", name, line,
				     i - line_start + 1, c);
			return AM_EPARSE;
		}
		am_buf_put(norm, s + i, n);
		i += n;
	}
	return 0;
}

/* Pass 2: T's mojibake sequences repaired into OUT, counted in INFO. */
static void repair(am_buf *out, am_mojibake_info *info, const unsigned char *t, size_t tlen)
{
	am_buf_clear(out);
	am_buf_grow(out, tlen);
	for (size_t k = 0; k < tlen;) {
		int lost = 0;
		if (t[k] < 0x80) {
			size_t run = k;
			while (run < tlen && t[run] < 0x80)
				run++;
			am_buf_put(out, t + k, run - k);
			k = run;
			continue;
		}
		size_t used = repair_one(out, t, tlen, k, &lost);
		if (used) {
			if (!info->repaired)
				position_of((const char *)t, k, &info->line, &info->column);
			info->repaired++;
			info->lost += (unsigned)lost;
			k += used;
		} else {
			am_buf_putc(out, t[k]);
			k++;
		}
	}
}

/* All that am_source__prepare does but the check of the parser's limits. */
static int prepare(am_buf *out, am_mojibake_info *info, const char *in, size_t len,
		   const char *name, size_t max)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0;

	memset(info, 0, sizeof(*info));
	if (!name)
		name = "<input>";
	if (len > max) {
		am_error_set("%s: %zu bytes is over the size limit of %zu bytes (see --max-size)",
			     name, len, max);
		return AM_ELIMIT;
	}
	if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		am_error_set("%s:1:1: UTF-16 text (byte order mark %02X %02X); convert it to UTF-8",
			     name, s[0], s[1]);
		return AM_EPARSE;
	}
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	else if (already_clean(s, len)) {
		info->unchanged = true;
		return 0;
	}

	am_buf norm = AM_BUF_INIT;
	int rc = normalise(&norm, s, len, i, name);
	if (rc < 0) {
		am_buf_free(&norm);
		return rc;
	}
	/* Mojibake, only when a byte of the Windows-125x images shows up. */
	const unsigned char *t = (const unsigned char *)am_buf_cstr(&norm);
	bool suspicious = false;
	for (size_t k = 0; k + 1 < norm.size && !suspicious; k++)
		suspicious = (t[k] == 0xC3 || t[k] == 0xC4 || t[k] == 0xC2) && t[k + 1] >= 0x80;
	if (!suspicious) {
		am_buf_free(out);
		*out = norm;
		return 0;
	}
	repair(out, info, t, norm.size);
	am_buf_free(&norm);
	return 0;
}
