/*
 * source.h: input hygiene. Turns the bytes of an audit into the text the
 * compiler reads: size limit, BOM, encoding checks, line endings, mojibake.
 */
#ifndef AM_SOURCE_H
#define AM_SOURCE_H

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

/*
 * Text for a terminal, a log or a Markdown/HTML page: control characters
 * written visibly, so that text from an audit or a repository can neither
 * send escape sequences (ESC, BEL, OSC 52 and 8) nor forge lines nor turn
 * text around. C0 controls and DEL become "\x1b", C1 controls, the bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the
 * line and paragraph separators (U+2028, U+2029) become "\u202e", and a
 * byte that is not UTF-8 becomes "\xff". `keep` leaves tabs
 * (AM_VISIBLE_TAB) or line endings (AM_VISIBLE_NEWLINE) as they are.
 */
#define AM_VISIBLE_TAB 1u
#define AM_VISIBLE_NEWLINE 2u
void am_buf_put_visible(am_buf *b, const char *s, size_t len, unsigned keep);
/* Whether am_buf_put_visible would change s. */
bool am_visible_changes(const char *s, size_t len, unsigned keep);

#endif
