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

/*
 * The part of title t[0..len) shown beside a status pill when its mark
 * t[a, e) announces that status: what precedes a mark at its end ("Title
 * (Resolved)", "Title - FIXED ✅"), or what follows one at its start ("✅
 * Title", "[FIXED] Title"), without the separators between them. False
 * (nothing to leave out) when the mark is neither, or is all there is.
 */
bool am_title_shown(const char *t, size_t len, size_t a, size_t e, size_t *from, size_t *to);

#endif
