/*
 * patterns.h: the only door to PCRE2. Regular expressions are compiled once
 * (with the JIT when available) and matched many times; one compiled
 * pattern is shared by every am_re of it alive at once, on any thread.
 */
#ifndef AM_PATTERNS_H
#define AM_PATTERNS_H

#include "util.h"

typedef struct am_re am_re;

enum {
	AM_RE_CASELESS = 1 << 0,
	AM_RE_LITERAL = 1 << 1,  /* the pattern is a plain string */
	AM_RE_MULTILINE = 1 << 2,
};

#define AM_RE_MAX_GROUPS 16

typedef struct {
	size_t start, end; /* byte offsets; start == SIZE_MAX when the group did not take part */
} am_re_group;

/* Compiles `pattern`; fails with AM_EPARSE and a message naming the offset. */
int am_re_new(am_re **out, const char *pattern, uint32_t flags);
void am_re_free(am_re *re);

/*
 * Finds the first match in s[offset..len). Returns the number of groups
 * filled (at least 1: group 0 is the whole match), 0 when there is no match,
 * or AM_ELIMIT when PCRE2 gave up (match or depth limit).
 * Not thread-safe for one am_re (it keeps its match data).
 */
int am_re_match(am_re *re, const char *s, size_t len, size_t offset,
		am_re_group *groups, int ngroups);

/* 1 when the group took part in the match. */
static inline int am_re_has(const am_re_group *g) { return g->start != SIZE_MAX; }

/* Appends `s` to `b` with every regex metacharacter escaped. */
void am_re_quote(am_buf *b, const char *s, size_t len);

/* Writes the PCRE2 version ("10.42 2022-12-11") into buf. */
void am_re_version(char *buf, size_t size);

#endif
