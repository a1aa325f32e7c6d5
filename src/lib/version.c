/*
 * version.c: the version of this library and of the libraries it is built
 * on, each asked of the module that holds it.
 */
#include <stdio.h>

#include "auditmd/common.h"

#include "gitrepo.h"
#include "json_int.h"
#include "markdown.h"
#include "patterns.h"

const char *am_version(void)
{
	return AUDITMD_VERSION;
}

size_t am_library_versions(am_library_version *out, size_t n)
{
	am_library_version all[AM_LIBRARY_VERSIONS] = {
		{ "cmark-gfm", "" }, { "libgit2", "" }, { "PCRE2", "" }, { "Jansson", "" },
	};

	snprintf(all[0].version, sizeof(all[0].version), "%s", am_md_version());
	am_git__version(all[1].version, sizeof(all[1].version));
	am_re_version(all[2].version, sizeof(all[2].version));
	snprintf(all[3].version, sizeof(all[3].version), "%s", am_json__version());
	for (size_t i = 0; i < n && i < AM_LIBRARY_VERSIONS; i++)
		out[i] = all[i];
	return AM_LIBRARY_VERSIONS;
}
