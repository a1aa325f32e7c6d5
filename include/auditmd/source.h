/*
 * source.h: text from an audit or a repository, shown safely.
 *
 * Compiled text is valid UTF-8, but an audit (or a file name, a commit
 * message) may still hold control characters. Written as they are to a
 * terminal, a log or a page, they could send escape sequences (ESC, BEL,
 * OSC 52 and 8), forge lines or turn text around.
 */
#ifndef AUDITMD_SOURCE_H
#define AUDITMD_SOURCE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What am_visible() leaves as it is: tabs, line endings (CR and LF). */
#define AM_VISIBLE_TAB 1u
#define AM_VISIBLE_NEWLINE 2u

/**
 * A copy of the `len` bytes of `s` with control characters written
 * visibly: C0 controls and DEL become "\x1b", C1 controls, the bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
 * the line and paragraph separators (U+2028, U+2029) become "\u202e", and
 * a byte that is not UTF-8 becomes "\xff". `keep` (AM_VISIBLE_* bits)
 * leaves tabs or line endings as they are. NUL-terminated; free() it.
 */
AM_EXTERN(char *) am_visible(const char *s, size_t len, unsigned keep);

/** 1 when am_visible() would change `s`, else 0 (it can be shown as it is). */
AM_EXTERN(int) am_visible_changes(const char *s, size_t len, unsigned keep);

#ifdef __cplusplus
}
#endif

#endif
