/*
 * codeclimate.h: verify, lint and check results as a GitLab Code Quality report
 * (codeclimate.c): a JSON array of issues, each with description,
 * check_name, fingerprint, severity, location.path and location.lines.begin
 * (docs/schema/gitlab-codequality.schema.json). The flags are json.h's.
 */
#ifndef AUDITMD_CODECLIMATE_H
#define AUDITMD_CODECLIMATE_H

#include <stdio.h>

#include "check.h"
#include "common.h"
#include "lint.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Writes the problems of a verification (am_verify_problems) as Code
 * Quality issues located at the citation in the audit (`audit_path`,
 * relative to the repository root): check_name "citation-STATE" or
 * "citation-WARNING" (lint's rule ids), severity major for an error, minor
 * for a warning, info for a note, and a fingerprint unique in the report,
 * from the problem's line-independent one ("-2", "-3" appended to a
 * repeated one, in the audit's order), so GitLab tells the new ones of a
 * merge request from those of its target branch.
 */
AM_EXTERN(int) am_verify_write_codeclimate(FILE *stream, const am_verify *v, const char *audit_path,
					   int flags);

/** The same for the issues of a lint: check_name the rule id. */
AM_EXTERN(int) am_lint_write_codeclimate(FILE *stream, const am_lint *lint, const char *audit_path,
					 int flags);

/** The same for the results of a check, each in its audit: check_name the kind ("broken",
 * "touched", "unconfirmed"). */
AM_EXTERN(int) am_check_write_codeclimate(FILE *stream, const am_check *check, int flags);

#ifdef __cplusplus
}
#endif

#endif
