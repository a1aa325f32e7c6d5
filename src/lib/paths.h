/*
 * paths.h: which paths of a repository auditmd may read, and the index
 * that resolves partial paths ("auth.py", "services/x.py") to files.
 *
 * A path comes from a tree, an audit or a configuration; before it reaches
 * a tree lookup or the file system it must be relative to the top of the
 * working tree and made of names git itself would check out. A name is
 * refused when it is empty, "." or "..", holds '/', '\\' or NUL, or is
 * ".git" in any spelling a file system folds to it: any case, with trailing
 * dots or spaces or an NTFS stream (".git.", ".GIT ::$DATA"), with code
 * points HFS+ ignores (".g\u200cit"), or NTFS's short name "git~1". So no
 * path climbs out of the working tree, and nothing under git's own
 * directory is ever read as evidence.
 */
#ifndef AM_PATHS_H
#define AM_PATHS_H

#include "util.h"

/* Whether name[0..len) may be a component of a path read from a repository. */
bool am_path__name_ok(const char *name, size_t len);

/* Whether every component of path[0..len) passes am_path__name_ok: no
 * leading, trailing or doubled '/'. */
bool am_path__ok(const char *path, size_t len);

/*
 * The partial-path index: the files of a tree, sorted by their reversed
 * path, so that the files ending with "/" + some path are next to each
 * other. One sort builds it; a lookup is two binary searches, O(log n)
 * string comparisons whether one file matches or none, then one pass over
 * the files that match.
 */
typedef struct am_path_index am_path_index;

am_path_index *am_path__index_new(void);
void am_path__index_free(am_path_index *ix);

/* Adds a file (copied). A path am_path__ok refuses is left out: returns 0
 * then, 1 when added. */
int am_path__index_add(am_path_index *ix, const char *path, size_t len);

/*
 * The files whose path ends with "/" + path: the first `max` of them by
 * path (strcmp) into out, borrowed from the index; returns how many match
 * in all. The first lookup after an add sorts the index.
 */
size_t am_path__index_find(am_path_index *ix, const char *path, const char **out, size_t max);

/* Files in the index. */
size_t am_path__index_size(const am_path_index *ix);

#endif
