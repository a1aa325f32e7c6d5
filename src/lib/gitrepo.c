#include "gitrepo.h"

#include <git2.h>
#include <stdio.h>

void am_git__version(char *buf, size_t size)
{
	int major, minor, rev;
	git_libgit2_version(&major, &minor, &rev);
	snprintf(buf, size, "%d.%d.%d", major, minor, rev);
}
