/*
 * source.h: input hygiene. Turns the bytes of an audit into the text the
 * compiler reads: size limit, BOM, encoding checks, line endings, mojibake.
 */
#ifndef AM_SOURCE_H
#define AM_SOURCE_H

#include "auditmd/source.h"
#include "util.h"

typedef struct {
	unsigned repaired;   /* mojibake sequences repaired */
	unsigned lost;       /* of which had lost a byte (U+FFFD written) */
	uint32_t line, column; /* first repair, in the normalised text */
	bool unchanged;        /* the input needs no change: out is left empty */
} am_mojibake_info;

/*
 * Normalises `len` bytes of `in` into `out`: strips a UTF-8 BOM, turns CRLF
 * and CR into LF, repairs mojibake (UTF-8 read as Windows-1252/1254 and saved
 * again). When the input needs none of this, info->unchanged is set and out
 * stays empty: read the input itself. Fails with AM_ELIMIT over `max` bytes
 * or over a limit of the Markdown parser (am_md_check_limits: a table row
 * with too many cells), AM_EPARSE on UTF-16/32, invalid UTF-8 or a NUL byte;
 * the message is "NAME:LINE:COL: ...".
 */
/* Whether s[0..len) is one that am_source__prepare leaves as it is (a
 * piece of a text cut at a line end is checked as the text is). */
bool am_source__clean(const char *s, size_t len);
int am_source__prepare(am_buf *out, am_mojibake_info *info, const char *in, size_t len,
		       const char *name, size_t max);

/*
 * Length of the valid UTF-8 sequence at p (1-4), or 0 when the bytes there
 * are not valid UTF-8 (overlong, surrogate, past U+10FFFF, truncated).
 */
size_t am_utf8_seqlen(const unsigned char *p, size_t avail);

/* Decodes a valid sequence of length n. */
uint32_t am_utf8_decode(const unsigned char *p, size_t n);

/* Encodes cp into b. */
void am_utf8_put(am_buf *b, uint32_t cp);

/* am_visible() (auditmd/source.h) appended to b. */
void am_buf_put_visible(am_buf *b, const char *s, size_t len, unsigned keep);

#endif
