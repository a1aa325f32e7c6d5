#include "version.h"

#include "auditmd/auditmd.h"

void cli_version(am_buf *out)
{
	am_library_version libs[AM_LIBRARY_VERSIONS];
	size_t n = am_library_versions(libs, AM_LIBRARY_VERSIONS);

	am_buf_printf(out, "auditmd %s\n", am_version());
	for (size_t i = 0; i < n && i < AM_LIBRARY_VERSIONS; i++)
		am_buf_printf(out, "%s %s\n", libs[i].name, libs[i].version);
}
