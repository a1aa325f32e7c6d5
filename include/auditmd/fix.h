/*
 * fix.h: moved and renamed citations rewritten in an audit's own text to
 * where the cited lines are now (fix.c), every other byte kept: line
 * endings, spacing, the citation's own syntax (`path:10-20`, `path#L10-L20`,
 * `path (lines 10-20)`, a forge link).
 */
#ifndef AUDITMD_FIX_H
#define AUDITMD_FIX_H

#include <stdio.h>

#include "common.h"
#include "verify.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What became of a citation that does not hold as it is written. */
typedef enum {
	AM_FIX_REWRITTEN = 0, /**< moved or renamed: rewritten to where the lines are now */
	AM_FIX_LEFT,          /**< changed, deleted or broken: left as it is */
	AM_FIX_UNREACHABLE,   /**< moved or renamed, but left as it is: its text is not where the
				   audit has it (a `Lines:` field apart from its file), or it is a
				   link pinned to a commit, where its lines stay right */
} am_fix_outcome;

typedef struct {
	const am_verify_result *result; /**< borrowed from the verification */
	am_fix_outcome outcome;
	const char *now;                /**< REWRITTEN: the citation as it now reads ("path:12-15") */
	const char *reason;             /**< UNREACHABLE: why, in a few words; LEFT: the
					     verification's detail, or NULL */
} am_fix_edit;

typedef struct {
	char *text;          /**< the audit rewritten (its bytes as they were when nothing moved) */
	size_t len;
	am_fix_edit *edits;  /**< one per citation that is not ok, in the audit's order */
	size_t nedits;
	size_t nrewritten, nleft;
	struct am_fix_private *priv;
} am_fix;

typedef struct {
	unsigned int version;
	const am_vocab *vocab; /**< the vocabulary the audit was compiled with; NULL: built-in */
} am_fix_options;

#define AM_FIX_OPTIONS_VERSION 1
#define AM_FIX_OPTIONS_INIT { AM_FIX_OPTIONS_VERSION, NULL }

/**
 * Rewrites in `text` (the audit's bytes as read: they compiled into
 * v->report) each moved or renamed citation of `v` to v's target: the
 * numbers where the audit writes them, the path when the file was
 * renamed; nothing else. The audit must be UTF-8 (a BOM and any line
 * endings are kept). Free with am_fix_free().
 */
AM_EXTERN(int) am_fix_run(am_fix **out, const char *text, size_t len, const am_verify *v,
			  const am_fix_options *opts);
AM_EXTERN(void) am_fix_free(am_fix *fix);

/**
 * A unified diff from `text` to fix->text (`git diff` style, a/NAME and
 * b/NAME), written to fp; nothing when they are the same.
 */
AM_EXTERN(int) am_fix_write_diff(FILE *fp, const char *text, size_t len, const am_fix *fix,
				 const char *name);

#ifdef __cplusplus
}
#endif

#endif
