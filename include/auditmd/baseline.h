/*
 * baseline.h: results known from an earlier run, so that only new ones
 * fail (baseline.c).
 *
 * A baseline is a multiset of fingerprints, the line-independent identities
 * every result carries (am_verify_problem.fingerprint, am_lint_issue's; in
 * SARIF partialFingerprints). Applied to a run, each problem whose
 * fingerprint the baseline holds is `unchanged` (as many as the baseline
 * holds that fingerprint, first come first served), the others `new`; an
 * unchanged problem keeps its level but fails nothing (am_verify_problem
 * .fails, am_tally.new_errors).
 */
#ifndef AUDITMD_BASELINE_H
#define AUDITMD_BASELINE_H

#include "check.h"
#include "common.h"
#include "lint.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct am_baseline am_baseline;

/** What a baseline's fingerprints identify. */
typedef enum {
	AM_BASELINE_OF_NOTHING = 0, /**< no result at all: it fits any run */
	AM_BASELINE_OF_CITATIONS,   /**< citation problems (verify; any document with
					 citation results) */
	AM_BASELINE_OF_LINT,        /**< lint issues */
	AM_BASELINE_OF_CHECK,       /**< results of a check (pull-request mode) */
} am_baseline_kind;

/**
 * Reads a baseline from an earlier output: an auditmd-verify/1,
 * auditmd-lint/1 or auditmd-check/1 JSON document (any auditmd document
 * whose `results[]` carry `problems[].fingerprint` or whose `issues[]`
 * carry `fingerprint`; a verify document written before fingerprints were
 * in the JSON is read from its results' finding, path, state and warnings;
 * a check document's `results[].fingerprint`), or a SARIF 2.1.0 log of
 * auditmd (the partialFingerprints "auditmdCitation/v1", "auditmdLint/v1"
 * and "auditmdCheck/v1" of its results). `source` names it in messages. Fails
 * with AM_EPARSE ("SOURCE:LINE:COL: ..." for JSON that does not parse,
 * "SOURCE: ..." for a document that is no baseline). Free with
 * am_baseline_free().
 */
AM_EXTERN(int) am_baseline_load(am_baseline **out, const char *text, size_t len,
				const char *source);

/** An empty baseline of `kind`, to fill with am_baseline_add(). */
AM_EXTERN(am_baseline *) am_baseline_new(am_baseline_kind kind);
/** Adds one occurrence of a fingerprint (copied). */
AM_EXTERN(void) am_baseline_add(am_baseline *b, const char *fingerprint);
/** How many times the baseline holds `fingerprint` (0: not at all). */
AM_EXTERN(size_t) am_baseline_count(const am_baseline *b, const char *fingerprint);
/** 1 when the baseline holds `fingerprint`. */
AM_EXTERN(int) am_baseline_has(const am_baseline *b, const char *fingerprint);
/** How many fingerprints it holds in all (occurrences). */
AM_EXTERN(size_t) am_baseline_size(const am_baseline *b);
AM_EXTERN(am_baseline_kind) am_baseline_kind_of(const am_baseline *b);
AM_EXTERN(void) am_baseline_free(am_baseline *b);

/**
 * Marks the problems of a verification found in the baseline unchanged
 * (am_verify_result.unchanged) and the verification as compared
 * (v->baseline): am_verify_problems() then says `new` or `unchanged` of
 * each. Fails with AM_EUSAGE when the baseline holds lint issues ("a
 * baseline of lint issues, not of citations").
 */
AM_EXTERN(int) am_baseline_apply(am_verify *v, const am_baseline *b);

/** The same for a lint: each issue's `baseline`; AM_EUSAGE for a baseline of citations. */
AM_EXTERN(int) am_baseline_apply_lint(am_lint *lint, const am_baseline *b);

/** The same for a check: each result's `baseline`; AM_EUSAGE for a baseline of another
 * command. */
AM_EXTERN(int) am_baseline_apply_check(am_check *check, const am_baseline *b);

#ifdef __cplusplus
}
#endif

#endif
