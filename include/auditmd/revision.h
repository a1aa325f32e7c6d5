/*
 * revision.h: files read from the git repository of an audit, by revision
 * and path: an audit given as REV:PATH ("HEAD~3:docs/AUDIT.md"), and the
 * configuration that revision's tree holds next to it. Only git's object
 * database is read, never the working tree.
 */
#ifndef AUDITMD_REVISION_H
#define AUDITMD_REVISION_H

#include "common.h"
#include "compile.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Reads the file `path` (relative to the root of the tree) as it is in
 * revision `rev` (any revision expression: "HEAD~3", a tag, a commit id)
 * of the repository at or above `repo` (NULL: the current directory).
 * *out receives the bytes, NUL-terminated (free() them), *len their number.
 *
 * Fails with AM_EGIT (not a repository, a missing or corrupt object),
 * AM_ENOTFOUND (an unknown revision, no such path in it), AM_EPARSE (the
 * path is not a file: a directory, a submodule, a symbolic link) or
 * AM_ELIMIT (over max_size bytes; 0 means AM_DEFAULT_MAX_SIZE); the
 * message names the revision and the path.
 */
AM_EXTERN(int) am_revision_read(char **out, size_t *len, const char *repo, const char *rev,
				const char *path, size_t max_size);

/**
 * The configuration of an audit read as REV:PATH: the nearest
 * `.auditmd.json` in revision `rev`'s tree, next to `path` or in a
 * directory above it up to the root of the tree, loaded into `vocab` with
 * am_config_load() under the name "REV:FILE". A directory or a link of
 * that name is passed over, as a missing file is.
 *
 * Returns 0 when one was loaded and when there is none to load: none
 * exists, the revision is unknown or the repository cannot be opened (the
 * message is cleared; reading the audit from there says what is wrong).
 * Fails with the code of am_config_load() for a malformed file, AM_ELIMIT
 * for one over 1 MiB, or AM_EGIT for a repository that breaks while read.
 */
AM_EXTERN(int) am_revision_config_load(am_vocab *vocab, const char *repo, const char *rev,
				       const char *path);

#ifdef __cplusplus
}
#endif

#endif
