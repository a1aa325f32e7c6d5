/*
 * config_int.h: what else the configuration file says, for the library.
 */
#ifndef AM_CONFIG_INT_H
#define AM_CONFIG_INT_H

#include <stddef.h>

/*
 * The paths and patterns of the configuration's "audits" list: *out holds
 * *n strings (free each and the array). AM_ENOTFOUND when the file has no
 * such list, AM_EPARSE (with the line and column) when it is no JSON
 * object of the right shape.
 */
int am_config__audits(char ***out, size_t *n, const char *text, size_t len, const char *source);

#endif
