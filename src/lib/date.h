/*
 * date.h: the date recogniser: `2026-01-16`, `2026/01/16`, `October 30, 2025`,
 * `Oct 30 2025`, `30 October 2025`, `January 2026` (the 1st).
 */
#ifndef AM_DATE_H
#define AM_DATE_H

#include "patterns.h"

typedef struct {
	am_re *re;
} am_date_matcher;

int am_date__matcher_init(am_date_matcher *m);
void am_date__matcher_free(am_date_matcher *m);

/*
 * Finds the first valid date in text[0..len) and writes it as YYYY-MM-DD
 * (with NUL) to out. Returns 1 when found, 0 otherwise.
 */
int am_date__find(am_date_matcher *m, const char *text, size_t len, char out[11]);

#endif
