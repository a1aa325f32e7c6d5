#include "version.h"

#include "auditmd/auditmd.h"

void cli_version(am_buf *out)
{
	am_library libs[8];
	size_t n = am_libraries(libs, sizeof(libs) / sizeof(libs[0]));

	am_buf_printf(out, "auditmd %s\n", am_version());
	for (size_t i = 0; i < n && i < sizeof(libs) / sizeof(libs[0]); i++)
		am_buf_printf(out, "%s %s\n", libs[i].name, libs[i].version);
}
