/*
 * gitrepo.h: the git module, the only one that touches libgit2.
 */
#ifndef AM_GITREPO_H
#define AM_GITREPO_H

#include "util.h"

/* Writes "1.5.1" into buf. */
void am_git__version(char *buf, size_t size);

typedef struct am_git am_git;

/*
 * Opens the repository at `path`, or the one containing it (searching
 * upward). Fails with AM_EGIT ("not a git repository", bare or corrupt
 * repositories are opened through the object database only).
 */
int am_git__open(am_git **out, const char *path);
void am_git__free(am_git *g);

/*
 * Reads the blob at `path` in revision `rev` into out. AM_ENOTFOUND with a
 * message for an unknown revision or a path missing in it; AM_EPARSE when
 * the path is not a file (a directory, a submodule); AM_ELIMIT over max.
 */
int am_git__read(am_buf *out, am_git *g, const char *rev, const char *path, size_t max);

#endif
