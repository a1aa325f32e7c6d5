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
 * (worst first); the Markdown table appended to a step summary file.
 * fail_mask holds state bits (1 << state) and warning bits shifted past
 * AM_VERIFY__COUNT: those are errors, other problems warnings. */
int cli_write_verify_text(FILE *fp, const am_verify *v, const char *name, unsigned fail_mask,
			  bool verbose, bool color);
int cli_write_verify_github(FILE *fp, const am_verify *v, const char *audit, unsigned fail_mask);
int cli_append_verify_summary(const char *path, const am_verify *v, const char *audit,
			      unsigned fail_mask);

#endif
