/*
 * text.h: the terminal renderings.
 */
#ifndef AM_CLI_TEXT_H
#define AM_CLI_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "auditmd/auditmd.h"

int cli_write_report_text(FILE *fp, const am_report *r, bool color);
int cli_parse_size(const char *s, size_t *out);

#endif
