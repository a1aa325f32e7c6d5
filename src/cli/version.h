#ifndef AM_CLI_VERSION_H
#define AM_CLI_VERSION_H

#include "util.h"

/* "auditmd VERSION" and the versions of the libraries in use. */
void cli_version(am_buf *out);

#endif
