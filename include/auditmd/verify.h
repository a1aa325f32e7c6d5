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
} am_verify_options;

#define AM_VERIFY_DEFAULT_MAX_BLOB ((size_t)16 << 20)
/** The candidates an ambiguous citation keeps (candidates_total counts them all). */
#define AM_VERIFY_MAX_CANDIDATES 10
#define AM_VERIFY_OPTIONS_VERSION 1
#define AM_VERIFY_OPTIONS_INIT { AM_VERIFY_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, 0, 1, NULL, 0, 0 }

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

AM_EXTERN(const char *) am_verify_state_name(am_verify_state state);
AM_EXTERN(const char *) am_verify_warning_name(unsigned bit);
AM_EXTERN(const char *) am_asof_reason_name(am_asof_reason reason);
AM_EXTERN(const char *) am_resolution_name(am_resolution r);
/** 1 for states that are errors by default (missing, out_of_range, outside_repo, deleted). */
AM_EXTERN(int) am_verify_state_is_error(am_verify_state state);

#ifdef __cplusplus
}
#endif

#endif
