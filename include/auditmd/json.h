/*
 * json.h: the JSON side of the library: the documented output contracts and
 * the configuration file.
 */
#ifndef AUDITMD_JSON_H
#define AUDITMD_JSON_H

#include <stdio.h>

#include "common.h"
#include "compile.h"
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
 * Writes a verification as SARIF 2.1.0: one rule per state and warning,
 * results located at the citation in the audit (`audit_uri`, relative to
 * the repository root), the cited code as a related location. States whose
 * bit (1 << state) is in error_mask are errors, other problems warnings;
 * ok citations are left out.
 */
AM_EXTERN(int) am_verify_write_sarif(FILE *stream, const am_verify *v, const char *audit_uri,
				     unsigned error_mask, int flags);

/**
 * Writes a lint as the "auditmd-lint/1" JSON document, or as SARIF 2.1.0
 * (one rule per lint rule, results at their position in `audit_uri`).
 */
AM_EXTERN(int) am_lint_write_json(FILE *stream, const am_lint *lint, int flags);
AM_EXTERN(int) am_lint_write_sarif(FILE *stream, const am_lint *lint, const char *audit_uri,
				   int flags);

/**
 * Extends `vocab` from a configuration document (".auditmd.json"):
 *
 *   { "vocabulary": { "resolved": ["Shipped"], "open": ["Needs triage"], ... } }
 *
 * `source` names the file in error messages. Returns 0 or AM_EPARSE with a
 * message naming the line and column.
 */
AM_EXTERN(int) am_config_load(am_vocab *vocab, const char *text, size_t len,
			      const char *source);

#ifdef __cplusplus
}
#endif

#endif
