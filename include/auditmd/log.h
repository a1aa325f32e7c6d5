/*
 * log.h: an audit's history: every revision of the file in git, compiled,
 * and what changed from one to the next.
 */
#ifndef AUDITMD_LOG_H
#define AUDITMD_LOG_H

#include "common.h"
#include "compile.h"
#include "diff.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char commit[41];
	char date[11];          /**< author date, YYYY-MM-DD (author's time zone) */
	int64_t time;           /**< author time, seconds since the epoch */
	const char *author;
	const char *summary;    /**< first line of the commit message */
	const char *path;       /**< the audit's path in that commit */
	const am_report *report; /**< compiled; shared by identical contents */
	am_diff *diff;          /**< against the previous revision; NULL for the first */
	size_t open, closed;    /**< findings open/in progress and resolved/won't fix */
} am_log_entry;

typedef struct {
	const char *path;      /**< as asked, relative to the repository root */
	am_log_entry *entries; /**< oldest first */
	size_t nentries;
	size_t ncompiled;      /**< distinct contents compiled */
	struct am_log_private *priv;
} am_log;

typedef void (*am_progress_cb)(size_t done, size_t total, void *payload);

typedef struct {
	unsigned int version;
	const char *since, *until; /**< YYYY-MM-DD bounds on the author date, or NULL */
	const am_vocab *vocab;
	size_t max_size;
	am_progress_cb progress;
	void *payload;
	const char *rev;  /**< the history of this revision; NULL: HEAD */
	/** 1, or 0 for two: am_log_run_many's logs; am_log_run's revisions
	 * (compiled on two lanes, the older and the newer half, when there
	 * are 8 distinct ones or more), and its diffs. The log is the same either way; on two lanes `progress`
	 * is told, before each revision the caller's thread compiles, how
	 * far both lanes are. */
	unsigned threads;
} am_log_options;

#define AM_LOG_OPTIONS_VERSION 2
#define AM_LOG_OPTIONS_INIT { AM_LOG_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0 }

/**
 * Walks the first-parent history of HEAD (opts->rev) in the repository at `repo` (or
 * around it) for `path`, following renames; compiles each revision that
 * changed the file (identical contents once) and diffs consecutive ones.
 * Fails with AM_EGIT (repository), AM_ENOTFOUND (no such file in history),
 * or the compiler's errors, naming the commit. Free with am_log_free().
 */
AM_EXTERN(int) am_log_run(am_log **out, const char *repo, const char *path,
			  const am_log_options *opts);
AM_EXTERN(void) am_log_free(am_log *log);

/** Where a finding followed across a log is: an entry and its index there. */
typedef struct {
	size_t entry, finding;
} am_log_place;

/** One finding, followed across the revisions of a log. */
typedef struct {
	am_log_place *places; /**< in entry order, one per entry it is in */
	size_t nplaces;
} am_log_thread;

typedef struct {
	am_log_thread *threads; /**< in the order they first appear */
	size_t nthreads;
	size_t **thread;        /**< thread[e][k]: the thread of finding k of entry e */
	size_t nentries;
} am_log_threads;

/**
 * Follows each finding of a log across its revisions with the differ's
 * matching (each entry's diff): a finding renumbered, retitled or moved
 * stays one thread; a finding that comes back after it was removed, with
 * the same explicit ID or the same title, takes up its thread again.
 * Free *out with am_log_threads_free().
 */
AM_EXTERN(int) am_log_follow(am_log_threads **out, const am_log *log);
AM_EXTERN(void) am_log_threads_free(am_log_threads *t);

/**
 * The logs of n audits of one repository, paths relative to the top of
 * its tree, in one walk of the history: out[i] for paths[i], compiled with
 * vocabs[i] (vocabs or an entry NULL: opts->vocab), on up to two threads.
 * Fails as am_log_run() does, for the first path that failed (then every
 * out[i] is NULL); no progress is reported.
 */
AM_EXTERN(int) am_log_run_many(am_log **out, const char *repo, const char *const *paths,
			       const am_vocab *const *vocabs, size_t n, const am_log_options *opts);

#ifdef __cplusplus
}
#endif

#endif
