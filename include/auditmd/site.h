/*
 * site.h: a static site of a repository's audits and their history.
 *
 * An index of the audits; for each audit a page with its findings at the
 * revision, their evidence checked, and its changelog; for each finding a
 * page with its timeline across the audit's revisions. Pages are HTML,
 * self-contained (inline CSS and SVG, no script, no font or stylesheet
 * from elsewhere), linked to each other by relative addresses, rendered
 * through the templates site-index.html, site-audit.html and
 * site-finding.html, and the same bytes for the same repository.
 */
#ifndef AUDITMD_SITE_H
#define AUDITMD_SITE_H

#include "common.h"
#include "log.h"
#include "report.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version;
	const char *rev;       /**< the revision shown; NULL: HEAD */
	const am_vocab *vocab; /**< NULL: each audit with the .auditmd.json nearest to it in rev's tree */
	size_t max_size;       /**< revisions over it are refused; 0: AM_DEFAULT_MAX_SIZE */
	unsigned threads;      /**< 1, or 0 for two (logs read, pages written) */
	const am_render_options *render; /**< link base and style, template directory; NULL: none */
	/** Asked before each page, from any of the threads writing them:
	 * non-zero stops am_site_write with AM_ERROR. */
	int (*cancelled)(void *payload);
	void *payload;
	/** A site written before (a directory, or NULL): am_site_write links
	 * each page that has not changed from there (same bytes, a regular
	 * file) instead of writing it again, when it can; the page keeps its
	 * inode and time. */
	const char *previous;
} am_site_options;

#define AM_SITE_OPTIONS_VERSION 2
#define AM_SITE_OPTIONS_INIT { AM_SITE_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL }

typedef struct am_site am_site;

/**
 * Reads the n audits (paths from the top of the tree of the repository
 * at or above `repo`; see am_discover_audits() to find them) in their
 * history up to opts->rev, checks their evidence at that revision and
 * follows their findings across their revisions. Fails as am_log_run()
 * and am_verify_run() do, naming the audit. Free with am_site_free().
 */
AM_EXTERN(int) am_site_build(am_site **out, const char *repo, const char *const *audits, size_t n,
			     const am_site_options *opts);

/**
 * Writes the site's pages into the directory `dir`, which must exist:
 * index.html, AUDIT/index.html and AUDIT/FINDING.html (AUDIT and FINDING
 * made from the audit's path and the finding's ID, unique); a page the
 * same as in opts->previous is a hard link to it there. Fails as
 * am_report_render_to() does, or with AM_EIO when a file cannot be
 * written, or AM_ERROR when opts->cancelled said so; the directory then
 * holds part of the site.
 */
AM_EXTERN(int) am_site_write(const am_site *site, const char *dir, const am_site_options *opts);

/** The number of pages am_site_write() writes. */
AM_EXTERN(size_t) am_site_pages(const am_site *site);

AM_EXTERN(void) am_site_free(am_site *site);

#ifdef __cplusplus
}
#endif

#endif
