/*
 * json.h: the documented JSON documents of the library (json.c): the finding
 * model, a diff, a history, a verification, a check and a lint.
 */
#ifndef AUDITMD_JSON_H
#define AUDITMD_JSON_H

#include <stdio.h>

#include "check.h"
#include "common.h"
#include "diff.h"
#include "log.h"
#include "model.h"
#include "verify.h"
#include "lint.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	AM_JSON_PRETTY = 1 << 0, /**< indent by two spaces */
};

/**
 * Writes `report` as the "auditmd/1" JSON document to `stream`.
 * Returns 0 or AM_EIO.
 */
AM_EXTERN(int) am_report_write_json(FILE *stream, const am_report *report, int flags);

/**
 * The same document as a string in *out (caller frees with free()).
 */
AM_EXTERN(int) am_report_to_json(char **out, const am_report *report, int flags);

/**
 * Writes a diff as the "auditmd-diff/1" JSON document to `stream`, or as a
 * string in *out (free()).
 */
AM_EXTERN(int) am_diff_write_json(FILE *stream, const am_diff *diff, int flags);
AM_EXTERN(int) am_diff_to_json(char **out, const am_diff *diff, int flags);

/**
 * Writes an audit's history as the "auditmd-log/1" JSON document, or as JSON
 * Lines: one entry object a line, oldest first.
 */
AM_EXTERN(int) am_log_write_json(FILE *stream, const am_log *log, int flags);
AM_EXTERN(int) am_log_write_jsonl(FILE *stream, const am_log *log);
AM_EXTERN(int) am_log_to_json(char **out, const am_log *log, int flags);

/**
 * Writes a verification as the "auditmd-verify/1" JSON document, or as a
 * string in *out (free()).
 */
AM_EXTERN(int) am_verify_write_json(FILE *stream, const am_verify *v, int flags);
AM_EXTERN(int) am_verify_to_json(char **out, const am_verify *v, int flags);

/**
 * Writes a check (pull-request mode) as the "auditmd-check/1" JSON document.
 */
AM_EXTERN(int) am_check_write_json(FILE *stream, const am_check *check, int flags);

/**
 * Writes a lint as the "auditmd-lint/1" JSON document.
 */
AM_EXTERN(int) am_lint_write_json(FILE *stream, const am_lint *lint, int flags);

#ifdef __cplusplus
}
#endif

#endif
