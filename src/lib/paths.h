/*
 * paths.h: which paths of a repository auditmd may read.
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

#endif
