/*
 * lint.h: an audit's own quality, as rules with ids and positions.
 */
#ifndef AUDITMD_LINT_H
#define AUDITMD_LINT_H

#include "common.h"
#include "vocab.h"
#include "model.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *rule;            /**< "no-evidence", "duplicate-id", ... */
	am_diag_severity severity;   /**< error, warning, or note (a citation state that is a
					  note of the verification: drift of a closed finding) */
	uint32_t line, column;       /**< in the audit; 1-based */
	const char *finding;         /**< the finding's id, or NULL */
	const char *text;            /**< one line */
	char fingerprint[17];        /**< from the rule, the finding and the text (SARIF
					  partialFingerprints) */
	am_baseline_state baseline;  /**< set by am_baseline_apply_lint (baseline.h) */
} am_lint_issue;

typedef struct {
	const am_report *report;     /**< borrowed */
	am_lint_issue *issues;       /**< in the audit's order */
	size_t nissues;
	size_t nerrors, nwarnings, nnotes;
	size_t nsuppressed;          /**< switched off by comments in the audit */
	int baseline;                /**< 1 once a baseline was applied */
	size_t baseline_absent;      /**< issues of the baseline that no issue of this run
					  matched: gone since */
	struct am_lint_private *priv;
} am_lint;

typedef struct {
	unsigned int version;
	const am_vocab *vocab;       /**< rules switched off by the configuration; NULL: none */
	const char *text;            /**< the audit's text, for its auditmd-disable comments */
	size_t len;
	const am_verify *verify;     /**< when given, its problems join in as rules
					  (citation-STATE, citation-WARNING) at their level */
} am_lint_options;

#define AM_LINT_OPTIONS_VERSION 1
#define AM_LINT_OPTIONS_INIT { AM_LINT_OPTIONS_VERSION, NULL, NULL, 0, NULL }

/**
 * Checks a compiled audit. Comments in the audit switch rules off:
 * `<!-- auditmd-disable-next-line rule-id other-id -->` for the next line,
 * `<!-- auditmd-disable-line rule-id -->` for its own line and
 * `<!-- auditmd-disable rule-id -->` for the whole file (no ids: every rule).
 * Free with am_lint_free().
 */
AM_EXTERN(int) am_lint_run(am_lint **out, const am_report *report, const am_lint_options *opts);
AM_EXTERN(void) am_lint_free(am_lint *lint);

/**
 * Switches the results of a verification off as am_lint_run() switches its
 * issues off: a citation whose state's rule (`citation-missing`, ...) is
 * disabled by the configuration (opts->vocab) or by an auditmd-disable
 * comment for the citation's line in the audit (opts->text) gets
 * state_suppressed; a warning whose rule (`citation-symbol_missing`,
 * `citation-unconfirmed`) is disabled moves from `warnings` to
 * `warnings_suppressed`. Each counts in v->nsuppressed. Such a result stays
 * in the verification, as a fact, but is no longer a problem to report or
 * to fail on. opts->verify is not used.
 */
AM_EXTERN(int) am_lint_suppress(am_verify *v, const am_lint_options *opts);

/**
 * The numbers of a lint, the same in every format: its issues by
 * severity, those in the baseline, those switched off (citations 0).
 */
AM_EXTERN(void) am_lint_tally(am_tally *out, const am_lint *lint);

/** The rules, as {id, severity, description}, ending with a NULL id. */
typedef struct {
	const char *id;
	am_diag_severity severity;
	const char *description;
} am_lint_rule;

AM_EXTERN(const am_lint_rule *) am_lint_rules(void);

#ifdef __cplusplus
}
#endif

#endif
