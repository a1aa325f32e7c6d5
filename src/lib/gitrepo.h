/*
 * gitrepo.h: the git module, the only one that touches libgit2.
 */
#ifndef AM_GITREPO_H
#define AM_GITREPO_H

#include "util.h"

/* Writes "1.5.1" into buf. */
void am_git__version(char *buf, size_t size);

#endif
