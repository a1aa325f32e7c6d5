/*
 * verify.h: checking an audit's evidence citations against the git
 * repository it audits.
 *
 * Two commits matter: the as-of commit, the one the audit was written
 * against, and the target, where the code is now. Each citation is first
 * checked at as-of (or at the target when there is no as-of), then followed
 * to the target through git's diff with rename detection.
 */
#ifndef AUDITMD_VERIFY_H
#define AUDITMD_VERIFY_H

#include "common.h"
#include "compile.h"
#include "diff.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The one state each checked citation ends in. */
typedef enum {
	AM_VERIFY_OK = 0,       /**< same path, lines unchanged */
	AM_VERIFY_MOVED,        /**< unchanged lines at other line numbers */
	AM_VERIFY_RENAMED,      /**< the file was renamed (lines unchanged) */
	AM_VERIFY_CHANGED,      /**< the cited lines were edited */
	AM_VERIFY_DELETED,      /**< the cited lines or the whole file are gone */
	AM_VERIFY_MISSING,      /**< no such file (at as-of, or target without as-of) */
	AM_VERIFY_OUT_OF_RANGE, /**< lines past the end of the file */
	AM_VERIFY_NOT_TEXT,     /**< a binary file */
	AM_VERIFY_OUTSIDE_REPO, /**< absolute or escaping path: refused, nothing read */
	AM_VERIFY_AMBIGUOUS,    /**< a partial path that several files end with */
	AM_VERIFY_SYMLINK,      /**< a symbolic link (never followed) */
	AM_VERIFY_NOT_FILE,     /**< a directory or a submodule */
	AM_VERIFY_TOO_LARGE,    /**< a file over the blob size limit: not loaded */
	AM_VERIFY_MALFORMED,    /**< a zero, reversed or unreadable line spec */
	AM_VERIFY__COUNT
} am_verify_state;

/** Warnings a citation can carry besides its state (bits). */
enum {
	AM_VERIFY_WARN_SYMBOL_MISSING = 1 << 0, /**< none of the finding's symbols in the lines */
	AM_VERIFY_WARN_UNCONFIRMED = 1 << 1,    /**< resolved, but the cited code never changed */
	AM_VERIFY_WARN__COUNT = 2
};

/**
 * How much a problem of a citation matters; every format says it the same
 * way (SARIF level, GitHub workflow command, the word in the text output).
 */
typedef enum {
	AM_LEVEL_NONE = 0, /**< no problem: the citation holds, or its problem is switched off */
	AM_LEVEL_NOTE,     /**< worth knowing, never a failure: drift of a closed finding */
	AM_LEVEL_WARNING,  /**< a problem outside the failing set (fail_on) */
	AM_LEVEL_ERROR,    /**< a problem in the failing set: the check fails, unless it is
			        in the baseline */
} am_level;

/** Drift of a closed finding's citations (see am_verify_options.closed_drift). */
enum {
	AM_CLOSED_DRIFT_NOTE = 0, /**< a note: the code a resolved finding cites is
				       expected to change */
	AM_CLOSED_DRIFT_CHECK,    /**< judged as on an open finding */
};

/** Where a problem stands against a baseline (am_baseline_apply, baseline.h). */
typedef enum {
	AM_BASELINE_NONE = 0,  /**< no baseline was given */
	AM_BASELINE_NEW,       /**< not in the baseline */
	AM_BASELINE_UNCHANGED, /**< in the baseline: reported, fails nothing */
} am_baseline_state;

/** How the as-of commit was chosen. */
typedef enum {
	AM_ASOF_NONE = 0,       /**< no as-of: everything is checked at the target */
	AM_ASOF_GIVEN,          /**< --as-of REV */
	AM_ASOF_REVISION,       /**< the audit was read as REV:PATH: the commit that wrote it */
	AM_ASOF_COMMITTED,      /**< the audit is a committed, unmodified file: the commit that wrote it */
	AM_ASOF_DATE,           /**< the last commit on or before the audit's date */
} am_asof_reason;

typedef struct {
	char commit[41]; /**< hex id, "" when none */
	char date[11];   /**< committer date, YYYY-MM-DD */
	int64_t time;
} am_verify_commit;

typedef struct {
	const am_finding *finding;   /**< borrowed from the report */
	const am_citation *citation; /**< borrowed from the report */
	am_verify_state state;
	unsigned warnings;           /**< AM_VERIFY_WARN_* bits */
	const char *path;      /**< the file in the repository (a partial path resolved), or NULL */
	const char *now_path;  /**< where the lines are at the target, or NULL */
	uint32_t now_start, now_end;
	uint32_t file_lines;   /**< lines of the file where it was checked */
	int file_read;         /**< 1 when the file was read (file_lines is known) */
	const char **candidates; /**< for ambiguous: files that match, at most AM_VERIFY_MAX_CANDIDATES */
	size_t ncandidates;
	size_t candidates_total; /**< for ambiguous: how many files match in all */
	const char **symbols;  /**< the finding's symbols looked for */
	size_t nsymbols;
	const char **symbols_found; /**< those found in the cited lines */
	size_t nsymbols_found;
	const char *detail;    /**< one human line: "file has 47 lines", ... */
	int state_suppressed;  /**< the state's rule (citation-<state>) is switched off: see am_lint_suppress() */
	unsigned warnings_suppressed; /**< warnings switched off (no longer in `warnings`) */
	unsigned unchanged;    /**< problems found in the baseline: bit 0 the state's, then
				    each warning bit shifted left by one */
} am_verify_result;

typedef struct {
	const am_report *report; /**< borrowed */
	am_asof_reason as_of_reason;
	am_verify_commit as_of;  /**< commit "" when reason is NONE */
	am_verify_commit target;
	const char *audit_path;  /**< the audit's path in the repository, or NULL */
	int worktree;            /**< the target is the working tree (target holds HEAD) */
	am_verify_result *results;
	size_t nresults;
	size_t counts[AM_VERIFY__COUNT];
	size_t warning_counts[AM_VERIFY_WARN__COUNT]; /**< warnings that are not switched off */
	size_t nsuppressed;      /**< states and warnings switched off */
	size_t nfindings_resolved_checked;
	unsigned fail_on;        /**< the failing set the levels follow (am_verify_options) */
	int closed_drift;        /**< AM_CLOSED_DRIFT_* */
	int baseline;            /**< 1 once a baseline was applied (am_baseline_apply) */
	size_t baseline_absent;  /**< problems of the baseline that no problem of this run
				      matched: gone since (am_baseline_apply) */
	const char *audit_location; /**< where annotations put the audit: audit_path, or the
				         audit file's path relative to the repository root when it
				         lies in the working tree (committed or not); else NULL */
	struct am_verify_private *priv;
} am_verify;

typedef struct {
	unsigned int version;
	const char *repo;        /**< repository path (or inside it); NULL: "." */
	const char *target;      /**< revision of the code now; NULL: "HEAD" */
	const char *as_of;       /**< a revision, "auto" (NULL) or "none" */
	const char *audit_rev;   /**< when the audit was read as REV:PATH: REV */
	const char *audit_path;  /**< ... and PATH; or the audit's file path on disk */
	int mentions;            /**< check mentions too, not just evidence */
	size_t max_blob;         /**< bytes; 0: AM_VERIFY_DEFAULT_MAX_BLOB */
	int resolution;          /**< check resolved findings against the audit's previous revision */
	const am_vocab *vocab;   /**< for compiling that previous revision; NULL: built-in */
	unsigned threads;        /**< 1: one thread; 0: two when many files are cited */
	int worktree;            /**< the target is the working tree (files on disk, never
				      through a symbolic link), not a commit */
	unsigned fail_on;        /**< the problems that fail the check (level error): state bits
				      (1 << state), then warning bits shifted left by
				      AM_VERIFY__COUNT; AM_VERIFY_FAIL_ON_DEFAULT */
	int closed_drift;        /**< AM_CLOSED_DRIFT_NOTE (default) or _CHECK */
} am_verify_options;

#define AM_VERIFY_DEFAULT_MAX_BLOB ((size_t)16 << 20)
/** The candidates an ambiguous citation keeps (candidates_total counts them all). */
#define AM_VERIFY_MAX_CANDIDATES 10
/** The failing set by default: citations broken when written (missing, out_of_range,
 * outside_repo) and cited code that is gone (deleted). */
#define AM_VERIFY_FAIL_ON_DEFAULT \
	((1u << AM_VERIFY_MISSING) | (1u << AM_VERIFY_OUT_OF_RANGE) | (1u << AM_VERIFY_OUTSIDE_REPO) | \
	 (1u << AM_VERIFY_DELETED))
#define AM_VERIFY_OPTIONS_VERSION 1
#define AM_VERIFY_OPTIONS_INIT { AM_VERIFY_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0, 1, \
				 NULL, 0, 0, AM_VERIFY_FAIL_ON_DEFAULT, AM_CLOSED_DRIFT_NOTE }

/**
 * Checks every evidence citation of `report`. The report must outlive the
 * result. Fails with AM_EGIT (repository unreadable, shallow history in
 * the way), AM_ENOTFOUND (unknown revision). Free with am_verify_free().
 *
 * Objects are read as git reads them: zlib and pack checksums are checked,
 * object ids are not recomputed. This sets two process-wide libgit2
 * options: GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION off, and an object cache
 * that keeps trees of up to 1 MiB.
 */
AM_EXTERN(int) am_verify_run(am_verify **out, const am_report *report,
			     const am_verify_options *opts);
AM_EXTERN(void) am_verify_free(am_verify *v);

/** Resolution check of a diff (what a matched change says about the code). */
typedef enum {
	AM_RESOLUTION_UNCHECKED = 0,
	AM_RESOLUTION_CONFIRMED,   /**< some cited line changed between the two as-of commits */
	AM_RESOLUTION_UNCONFIRMED, /**< no cited line changed: the fix is not in the cited code */
	AM_RESOLUTION_UNKNOWN,     /**< no usable evidence citation to look at */
} am_resolution;

/**
 * For each `resolved` change of `diff`, compares the OLD finding's evidence
 * lines between the two audits' as-of commits (chosen as am_verify_run
 * does, from old_opts and new_opts) and stores the verdict in the change's
 * `resolution`; the commits go to diff->old_as_of and diff->new_as_of.
 */
AM_EXTERN(int) am_verify_resolutions(am_diff *diff, const am_verify_options *old_opts,
				     const am_verify_options *new_opts);

/**
 * The candidates of an ambiguous result as every format writes them: "a/util.py,
 * b/util.py and 99,998 more" (those kept, then how many were not). free() it.
 */
AM_EXTERN(char *) am_verify_candidates_text(const am_verify_result *r);

/**
 * One problem of a checked citation: its state when that is not ok, or one
 * of its warnings; what every format reports, one line, annotation or
 * result each.
 *
 * Its level follows the status of the finding: on a closed finding
 * (resolved, won't fix) drift since the audit (moved, renamed, changed,
 * deleted) and symbol_missing are notes, unless closed_drift is
 * AM_CLOSED_DRIFT_CHECK; on a resolved finding symbol_missing is evidence
 * of the fix (`confirmed`). A citation broken when the audit was written
 * (missing, out_of_range, outside_repo) is judged the same whatever the
 * status. Otherwise a problem in fail_on is an error, any other a warning.
 */
typedef struct {
	const am_verify_result *result; /**< borrowed */
	unsigned warning;     /**< 0: the citation's state; else the warning's bit */
	const char *rule;     /**< the state's or the warning's name: "deleted", "symbol_missing" */
	am_level level;
	int confirmed;        /**< symbol_missing of a resolved finding: the symbols it
				   complained about are gone from the cited lines */
	am_baseline_state baseline;
	int fails;            /**< an error not in the baseline: the check fails */
	char fingerprint[17]; /**< 16 hex digits from the finding's ID, the cited path and the
				   rule, not from line numbers (SARIF partialFingerprints) */
} am_verify_problem;

/** The most problems one result has: its state and each warning. */
#define AM_VERIFY_MAX_PROBLEMS (1 + AM_VERIFY_WARN__COUNT)

/**
 * The problems of result `r` of `v` into out[0..AM_VERIFY_MAX_PROBLEMS), the
 * state's first, then the warnings in bit order; those switched off are
 * left out. Returns how many.
 */
AM_EXTERN(size_t) am_verify_problems(am_verify_problem *out, const am_verify *v,
				     const am_verify_result *r);

/**
 * What a problem says after its citation, the same in every format:
 * "moved to app.py:123-134", "deleted (file deleted)", "symbol_missing (none
 * of `USER` in the cited lines)", "confirmed: `asyncio.run` no longer in the
 * cited lines", "unconfirmed (finding F6 is resolved, but ...)". free() it.
 */
AM_EXTERN(char *) am_verify_problem_text(const am_verify_problem *p);

/** The numbers of a run, the same in every format (am_verify_tally, am_lint_tally). */
typedef struct {
	size_t citations;  /**< verify: citations checked; lint: 0 */
	size_t errors, warnings, notes; /**< problems reported, by level */
	size_t confirmed;  /**< notes that confirm a resolution (among notes) */
	size_t unchanged;  /**< problems in the baseline (among the above) */
	size_t absent;     /**< problems of the baseline no longer found (none of the above) */
	size_t new_errors, new_warnings; /**< errors and warnings not in the baseline
					      (all of them without one) */
	size_t suppressed; /**< switched off: counted in none of the above */
} am_tally;

/** The numbers of a verification: its citations and its problems by level. */
AM_EXTERN(void) am_verify_tally(am_tally *out, const am_verify *v);

/** The level's name: "none", "note", "warning", "error". */
AM_EXTERN(const char *) am_level_name(am_level level);
/** The baseline state's name: "none", "new", "unchanged". */
AM_EXTERN(const char *) am_baseline_state_name(am_baseline_state state);
/** 1 for drift since the audit: moved, renamed, changed, deleted. */
AM_EXTERN(int) am_verify_state_is_drift(am_verify_state state);

AM_EXTERN(const char *) am_verify_state_name(am_verify_state state);
AM_EXTERN(const char *) am_verify_warning_name(unsigned bit);
AM_EXTERN(const char *) am_asof_reason_name(am_asof_reason reason);
AM_EXTERN(const char *) am_resolution_name(am_resolution r);
/** 1 for the states in AM_VERIFY_FAIL_ON_DEFAULT: missing, out_of_range, outside_repo, deleted. */
AM_EXTERN(int) am_verify_state_is_error(am_verify_state state);

#ifdef __cplusplus
}
#endif

#endif
