/*
 * title.h: title normalisation, shared by the compiler (derived IDs) and
 * the differ (matching): case, Markdown, punctuation and emoji do not count.
 */
#ifndef AM_TITLE_H
#define AM_TITLE_H

#include "util.h"

/* Appends the normalised form of s[0..len) to out: lower-case words
 * separated by single spaces. */
void am_title_normalize(am_buf *out, const char *s, size_t len);

#endif
