#include "version.h"

#include "auditmd/auditmd.h"
#include "json_int.h"
#include "markdown.h"
#include "gitrepo.h"
#include "patterns.h"

void cli_version(am_buf *out)
{
	char pcre[64], git[32];

	am_re_version(pcre, sizeof(pcre));
	am_git__version(git, sizeof(git));
	am_buf_printf(out, "auditmd %s\n", am_version());
	am_buf_printf(out, "cmark-gfm %s\n", am_md_version());
	am_buf_printf(out, "libgit2 %s\n", git);
	am_buf_printf(out, "PCRE2 %s\n", pcre);
	am_buf_printf(out, "Jansson %s\n", am_json__version());
}
