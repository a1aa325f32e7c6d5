/*
 * check.h: pull-request mode. What a change (the commits from base to
 * head, or to the working tree) does to the audits of a repository and to
 * the code they cite:
 *
 *   1. broken: a citation on an audit line the change added or edited
 *      that does not hold at head (an error);
 *   2. touched: the change edits the lines an open finding cites ("this
 *      change edits code cited by open finding F3 — resolved?", a notice);
 *   3. unconfirmed: the change marks a finding resolved but its cited code
 *      is untouched, by the change and since the base revision was written
 *      (a warning);
 *   4. the audit's changelog between base and head: resolved, new,
 *      regressed, removed.
 *
 * Built on verify (citations checked at head, and located at base), diff
 * (findings paired between base and head) and the git module (what the
 * change edited, in the audits and in the code).
 */
#ifndef AUDITMD_CHECK_H
#define AUDITMD_CHECK_H

#include "common.h"
#include "diff.h"
#include "model.h"
#include "verify.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a result of a check says. */
typedef enum {
	AM_CHECK_BROKEN = 0,  /**< a citation the change wrote that does not hold at head */
	AM_CHECK_TOUCHED,     /**< the change edits lines an open finding cites */
	AM_CHECK_UNCONFIRMED, /**< the change resolves a finding without touching its cited code */
	AM_CHECK__COUNT
} am_check_kind;

/** What the change did to an audit file. */
typedef enum {
	AM_CHECK_AUDIT_UNCHANGED = 0,
	AM_CHECK_AUDIT_EDITED,
	AM_CHECK_AUDIT_RENAMED, /**< moved (and maybe edited): base_path says from where */
	AM_CHECK_AUDIT_ADDED,   /**< not there at base */
	AM_CHECK_AUDIT_DELETED, /**< not there at head */
} am_check_audit_change;

typedef struct {
	const char *path;       /**< in the repository: at head (at base when deleted) */
	const char *base_path;  /**< at base; NULL when added */
	am_check_audit_change change;
	const am_report *base, *head; /**< NULL for a side without the audit; one report when unchanged */
	const am_diff *diff;    /**< base against head (a missing side is an audit without findings) */
	const am_verify *verify; /**< the evidence citations on the lines the change added or
				      edited, checked at head; NULL when there are none */
	size_t lines_changed;   /**< lines of the audit the change added or edited */
	char base_as_of[41];    /**< the commit that wrote the base revision; "" when none */
} am_check_audit;

typedef struct {
	am_check_kind kind;
	size_t audit;                  /**< index into the check's audits */
	const am_finding *finding;     /**< the finding at head */
	const am_citation *citation;   /**< broken: the citation as written at head; touched: the
					    base finding's citation whose lines the change edited;
					    unconfirmed: NULL */
	const am_verify_result *result; /**< broken: the citation checked at head; else NULL */
	const char *path;              /**< touched, unconfirmed: the cited file at base */
	uint32_t start, end;           /**< its cited lines at base (0, 0: the whole file) */
	const char *head_path;         /**< touched: the file at head, NULL when the change deleted it */
	uint32_t head_line;            /**< touched: the first line of the edit at head (0: none left) */
	/** Identity without line numbers (audit path, finding ID, kind, cited path): the same
	 * result in two runs, for SARIF fingerprints and baselines; 16 hex digits. */
	char fingerprint[17];
	am_baseline_state baseline; /**< set by am_baseline_apply_check (baseline.h) */
} am_check_item;

typedef struct {
	am_verify_commit base, head; /**< head is HEAD's commit when it is the working tree */
	int worktree;
	am_check_audit *audits;
	size_t naudits;
	am_check_item *items;        /**< by audit, then by line at head */
	size_t nitems;
	size_t counts[AM_CHECK__COUNT];
	size_t changes[AM_CHANGE__COUNT]; /**< the changelogs' kinds over every audit */
	int baseline;                /**< compared with a baseline (am_baseline_apply_check) */
	size_t baseline_absent;      /**< results of the baseline that no result of this check
					  matched (gone since) */
	struct am_check_private *priv;
} am_check;

typedef struct {
	unsigned int version;
	const char *repo;     /**< the repository (or a directory in it); NULL: "." */
	const char *base;     /**< the revision the change starts from: required */
	const char *head;     /**< where it ends; NULL: HEAD */
	int worktree;         /**< the change ends in the working tree (its files on disk;
				   audits looked for in the index) */
	/** The audits: paths of files in the working tree (as given on a command line,
	 * relative to the current directory). None: the vocabulary's list
	 * (am_vocab_audits(), relative to the repository's root; a shell pattern names
	 * the files at head), else the audits am_discover_audits() finds at head: every
	 * Markdown file outside hidden directories that compiles to a finding with an
	 * evidence citation. */
	const char *const *audits;
	size_t naudits;
	const am_vocab *vocab; /**< NULL: built-in */
	size_t max_size;      /**< an audit's bytes; 0: AM_DEFAULT_MAX_SIZE */
	size_t max_blob;      /**< a cited file's bytes; 0: AM_VERIFY_DEFAULT_MAX_BLOB */
	unsigned threads;     /**< as am_verify_options.threads */
} am_check_options;

#define AM_CHECK_OPTIONS_VERSION 1
#define AM_CHECK_OPTIONS_INIT { AM_CHECK_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, 0, 0 }

/**
 * Checks the change from opts->base to opts->head. Fails with AM_EUSAGE (no
 * base, an audit outside the working tree), AM_ENOTFOUND (an unknown
 * revision; a given audit in neither base nor head), AM_EPARSE (an audit
 * that does not compile) or AM_EGIT. Free with am_check_free().
 */
AM_EXTERN(int) am_check_run(am_check **out, const am_check_options *opts);
AM_EXTERN(void) am_check_free(am_check *check);

/** "broken", "touched", "unconfirmed". */
AM_EXTERN(const char *) am_check_kind_name(am_check_kind kind);
/** "unchanged", "edited", "renamed", "added", "deleted". */
AM_EXTERN(const char *) am_check_audit_change_name(am_check_audit_change change);

/**
 * The one line every format says of a result (free() it), with " (in the
 * baseline)" after it for a result the baseline holds:
 *   broken       "src/gone.py:1 does not hold at head: missing (finding F5)"
 *   touched      "this change edits code cited by open finding F2 (src/billing.py:10-12) — resolved?"
 *   unconfirmed  "finding F3 is marked resolved, but this change does not touch the code it
 *                 cites (src/auth.py:3-4)"
 */
AM_EXTERN(char *) am_check_message(const am_check_item *item);

/**
 * The sentence every format ends with (free() it): "2 errors, 1 warning,
 * 1 note; 2 resolved, 2 new, 0 regressed, 0 removed" (the changelogs of
 * every audit), "; 1 unchanged since the baseline, 0 gone" after a baseline.
 */
AM_EXTERN(char *) am_check_summary_text(const am_check *check);

/** The level of a kind: error (broken), note (touched), warning (unconfirmed). */
AM_EXTERN(am_level) am_check_kind_level(am_check_kind kind);

/**
 * The numbers of a check, the same in every format: citations checked at
 * head, results by level, those in the baseline (unchanged) and the errors
 * and warnings that are not.
 */
AM_EXTERN(void) am_check_tally(am_tally *out, const am_check *check);

/** The bit of --fail-on for a kind of result, and for a kind of change of the changelog. */
#define AM_CHECK_FAIL_KIND(kind) (1u << (kind))
#define AM_CHECK_FAIL_CHANGE(kind) (1u << (AM_CHECK__COUNT + (kind)))

/**
 * Whether the check fails by `mask` (AM_CHECK_FAIL_* bits): a result not in
 * the baseline, or a change, of a kind it names. The one place that decides
 * it.
 */
AM_EXTERN(int) am_check_fails(const am_check *check, unsigned mask);

#ifdef __cplusplus
}
#endif

#endif
