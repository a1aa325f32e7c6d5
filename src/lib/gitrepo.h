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

/* One revision of a file in the history of a repository. */
typedef struct {
	char commit[41];   /* hex id */
	char blob[41];     /* hex id of the file's content */
	const char *path;  /* the file's path in that commit (renames followed) */
	int64_t time;      /* author time, seconds since the epoch */
	int offset;        /* author's UTC offset in minutes */
	const char *author;
	const char *summary; /* first line of the message */
} am_git_revision;

/*
 * The revisions of `path` (relative to the repository root) that changed
 * it, oldest first, following renames along the first-parent history of
 * HEAD. Strings live in `arena`. *out is malloc'd (free()).
 */
int am_git__history(am_git_revision **out, size_t *n, am_git *g, const char *path,
		    struct am_arena *arena);

/* Reads a blob by its hex id (at most max bytes). */
int am_git__read_blob(am_buf *out, am_git *g, const char *blob_hex, size_t max);

/* The path of `path` (a file in the working tree) relative to the root of
 * the repository's working directory, or NULL when it is outside. */
char *am_git__relative(am_git *g, const char *path);

#endif
