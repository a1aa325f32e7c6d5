/*
 * text.h: the terminal renderings.
 */
#ifndef AM_CLI_TEXT_H
#define AM_CLI_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "auditmd/auditmd.h"

int cli_write_report_text(FILE *fp, const am_report *r, bool color);
int cli_write_diff_text(FILE *fp, const am_diff *d, bool color, bool all);
/* auditmd log: one entry a revision, newest first, with what changed. */
int cli_write_log_text(FILE *fp, const am_log *log, bool color);

/* auditmd verify: compiler-style lines and a summary; workflow commands
 * (what fails first); the Markdown table appended to a step summary file.
 * Each problem at its level (am_verify_problems), the numbers from
 * am_verify_tally. */
int cli_write_verify_text(FILE *fp, const am_verify *v, const char *name, bool verbose, bool color);
int cli_write_verify_github(FILE *fp, const am_verify *v, const char *audit);
int cli_append_verify_summary(const char *path, const am_verify *v, const char *audit);

#endif
