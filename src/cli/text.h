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
int cli_write_diff_text(FILE *fp, const am_diff *d, bool color, bool all);
int cli_write_diff_md(FILE *fp, const am_diff *d);
int cli_write_log_md(FILE *fp, const am_log *log);

#endif
