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

/* Appends text to a workflow's step summary file (GITHUB_STEP_SUMMARY): a
 * regular file only, never waiting on a FIFO; AM_EIO with the message. */
int cli_append_step_summary(const char *path, const char *text, size_t len);

/* auditmd check: compiler-style lines, the changelogs and a summary;
 * workflow commands, errors first, the notes on the edits they are about. */
int cli_write_check_text(FILE *fp, const am_check *c, bool color);
int cli_write_check_github(FILE *fp, const am_check *c);

#endif
