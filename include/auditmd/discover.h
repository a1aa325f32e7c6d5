/*
 * discover.h: which files of a repository are audits.
 */
#ifndef AUDITMD_DISCOVER_H
#define AUDITMD_DISCOVER_H

#include "common.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version;
	const char *rev;       /**< the tree of this revision; NULL: HEAD */
	const am_vocab *vocab; /**< NULL: the one of the tree's top .auditmd.json, else built-in */
	size_t max_size;       /**< larger files are not audits; 0: AM_DEFAULT_MAX_SIZE */
} am_discover_options;

#define AM_DISCOVER_OPTIONS_VERSION 1
#define AM_DISCOVER_OPTIONS_INIT { AM_DISCOVER_OPTIONS_VERSION, NULL, NULL, 0 }

/**
 * The audits in revision opts->rev of the repository at or above `repo`
 * (NULL: the current directory), as paths from the top of its tree,
 * sorted, each once:
 *
 *  - the "audits" of the `.auditmd.json` at the top of the tree, paths or
 *    shell patterns (fnmatch(3): `*` stays within a directory), when it
 *    has that list; a path without a pattern that names no file of the
 *    tree is an error;
 *  - else every Markdown file (`.md`, `.markdown`) outside hidden
 *    directories that compiles to at least one finding with an evidence
 *    citation.
 *
 * *out receives *n paths; free them with am_discover_free(). Fails with
 * AM_EGIT (not a repository), AM_ENOTFOUND (an unknown revision, a listed
 * path that is not there), AM_EPARSE (a malformed .auditmd.json).
 */
AM_EXTERN(int) am_discover_audits(char ***out, size_t *n, const char *repo,
				  const am_discover_options *opts);
AM_EXTERN(void) am_discover_free(char **paths, size_t n);

#ifdef __cplusplus
}
#endif

#endif
