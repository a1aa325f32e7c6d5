/*
 * sarif.h: verify, check and lint results as SARIF 2.1.0 (sarif.c), for code
 * scanning tools. The flags are json.h's.
 */
#ifndef AUDITMD_SARIF_H
#define AUDITMD_SARIF_H

#include <stdio.h>

#include "check.h"
#include "common.h"
#include "lint.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Writes a verification as SARIF 2.1.0: one rule per state and warning
 * (its default level error when it is in the verification's fail_on),
 * one result per problem (am_verify_problems) at its level (error,
 * warning or note), located at the citation in the audit (`audit_uri`: a
 * path relative to the repository root, or an absolute path, written as a
 * file:// URI), the cited code as a related location, the line-independent
 * fingerprint in partialFingerprints and, once a baseline was applied,
 * baselineState (new, unchanged; unchanged ones also suppressed: kind
 * external, status accepted). Citations that hold are left out.
 */
AM_EXTERN(int) am_verify_write_sarif(FILE *stream, const am_verify *v, const char *audit_uri,
				     int flags);

/**
 * Writes a check (pull-request mode) as SARIF 2.1.0: rules broken (error),
 * unconfirmed (warning) and touched (note); results at the finding or the
 * citation in the audit, the cited code (for touched: the edit at head) as
 * a related location, line-independent fingerprints ("auditmdCheck/v1").
 */
AM_EXTERN(int) am_check_write_sarif(FILE *stream, const am_check *check, int flags);

/**
 * Writes a lint as SARIF 2.1.0: one rule per lint rule, results at their
 * position in `audit_uri` (as above) and level, with baselineState once
 * a baseline was applied.
 */
AM_EXTERN(int) am_lint_write_sarif(FILE *stream, const am_lint *lint, const char *audit_uri,
				   int flags);

#ifdef __cplusplus
}
#endif

#endif
