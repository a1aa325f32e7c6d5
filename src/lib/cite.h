/*
 * cite.h: the citation grammar. Finds `path:10-52`, `path (lines 246-255)`,
 * `path#L10-L20`, forge blob URLs and bare paths with a known extension in
 * a piece of text.
 */
#ifndef AM_CITE_H
#define AM_CITE_H

#include "patterns.h"
#include "util.h"
#include "vocab.h"

typedef struct {
	am_re *re;
} am_cite_scanner;

typedef struct {
	size_t off, len;           /* the whole citation in the text */
	size_t path_off, path_len; /* the path in the text */
	uint32_t start, end;       /* 0, 0 for a whole file */
	int malformed;             /* zero, reversed or overlong line numbers */
	/* Where the numbers are written: start's digits, end's (end_len 0
	 * when the range is one number); both 0 for a whole file. */
	size_t start_off, start_len, end_off, end_len;
} am_cite_hit;

typedef int (*am_cite_cb)(const am_cite_hit *hit, void *payload);

int am_cite__scanner_init(am_cite_scanner *sc, const am_vocab *vocab);
void am_cite__scanner_free(am_cite_scanner *sc);

/*
 * Calls cb for every citation in text[0..len), in order; a list such as
 * `path:12, 30-34` gives one hit per range. Stops early when cb returns
 * non-zero and returns that value; AM_ELIMIT when the pattern engine gave up.
 */
int am_cite__scan(am_cite_scanner *sc, const char *text, size_t len, am_cite_cb cb,
		  void *payload);

/* Largest line number accepted; larger ones make the citation malformed. */
#define AM_MAX_LINE 100000000u

/* "path:10-52" ("path:48", "path" for a whole file), appended to b. */
void am_cite__spec(am_buf *b, const char *path, uint32_t start, uint32_t end);

#endif
