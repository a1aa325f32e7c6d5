/*
 * libraries.c: the libraries libauditmd uses and their versions
 * (am_libraries, common.h), each asked through the one module that uses it.
 */
#include <stdio.h>

#include "gitrepo.h"
#include "json_int.h"
#include "markdown.h"
#include "patterns.h"

size_t am_libraries(am_library *out, size_t n)
{
	am_library all[4] = { { "cmark-gfm", "" }, { "libgit2", "" }, { "PCRE2", "" }, { "Jansson", "" } };
	snprintf(all[0].version, sizeof(all[0].version), "%s", am_md_version());
	am_git__version(all[1].version, sizeof(all[1].version));
	am_re_version(all[2].version, sizeof(all[2].version));
	snprintf(all[3].version, sizeof(all[3].version), "%s", am_json__version());
	for (size_t i = 0; i < n && i < 4; i++)
		out[i] = all[i];
	return 4;
}
