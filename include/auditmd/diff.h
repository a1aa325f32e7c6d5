/*
 * diff.h: what changed between two revisions of an audit.
 */
#ifndef AUDITMD_DIFF_H
#define AUDITMD_DIFF_H

#include "common.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The one kind each finding ends in. */
typedef enum {
	AM_CHANGE_REGRESSED = 0, /**< resolved/wontfix in OLD, open/in_progress in NEW */
	AM_CHANGE_RESOLVED,      /**< open/in_progress in OLD, resolved/wontfix in NEW */
	AM_CHANGE_NEW,           /**< only in NEW */
	AM_CHANGE_REMOVED,       /**< only in OLD */
	AM_CHANGE_OPEN,          /**< open in both */
	AM_CHANGE_CLOSED,        /**< closed in both */
	AM_CHANGE__COUNT
} am_change_kind;

/** What changed about a matched pair (bits). */
enum {
	AM_CHANGED_RENUMBERED = 1 << 0,
	AM_CHANGED_RETITLED = 1 << 1,
	AM_CHANGED_MOVED = 1 << 2, /**< another section */
	AM_CHANGED_STATUS = 1 << 3,
	AM_CHANGED_PRIORITY = 1 << 4,
	AM_CHANGED_SEVERITY = 1 << 5,
	AM_CHANGED_EVIDENCE = 1 << 6, /**< evidence citations added, removed or changed */
	AM_CHANGED_TEXT = 1 << 7,     /**< the finding's other text */
	AM_CHANGED_CHECKBOX = 1 << 8, /**< a checklist item's box ticked or unticked */
	AM_CHANGED__COUNT = 9
};

typedef enum {
	AM_MATCH_NONE = 0,
	AM_MATCH_ID,         /**< the same explicit ID */
	AM_MATCH_TITLE,      /**< the same normalised title */
	AM_MATCH_SIMILARITY, /**< title words, cited paths and section */
} am_match_kind;

typedef struct {
	am_change_kind kind;
	const am_finding *old_finding; /**< NULL for new */
	const am_finding *new_finding; /**< NULL for removed */
	unsigned changed;              /**< AM_CHANGED_* bits */
	double similarity;             /**< 1.0 for ID and title matches */
	am_match_kind matched_by;
	int resolution;                /**< an am_resolution (verify.h) once checked, else 0 */
} am_change;

typedef struct {
	unsigned int version;
	double threshold; /**< lowest similarity that pairs two findings; 0: default 0.5 */
} am_diff_options;

#define AM_DIFF_OPTIONS_VERSION 1
#define AM_DIFF_OPTIONS_INIT { AM_DIFF_OPTIONS_VERSION, 0.0 }

typedef struct {
	const am_report *old_report, *new_report; /**< borrowed */
	am_change *changes; /**< NEW's findings in order, then the removed ones */
	size_t nchanges;
	size_t counts[AM_CHANGE__COUNT];
	size_t new_closed;  /**< of counts[AM_CHANGE_NEW]: findings that arrive already resolved
			         or won't fix */
	char old_as_of[41], new_as_of[41]; /**< commits of the resolution check, "" when none */
	int resolution_checked;            /**< 1 once am_verify_resolutions ran */
	const char *resolution_skipped;    /**< set by the caller when it did not run the
					        resolution check: why (borrowed), for every
					        format to say; NULL otherwise */
} am_diff;

/**
 * Matches the findings of two revisions and classifies each. The reports
 * must outlive the diff. Free *out with am_diff_free(). Fails with
 * AM_EUSAGE for a threshold that is not 0 or in (0, 1] (NaN included).
 */
AM_EXTERN(int) am_diff_run(am_diff **out, const am_report *old_report,
			   const am_report *new_report, const am_diff_options *opts);
AM_EXTERN(void) am_diff_free(am_diff *diff);

AM_EXTERN(const char *) am_change_kind_name(am_change_kind kind);
/** 1 for a new finding that arrives already resolved or won't fix. */
AM_EXTERN(int) am_change_arrived_closed(const am_change *change);
/** Heading of a kind in reports: "Regressed", ..., "Still open", "Still closed". */
AM_EXTERN(const char *) am_change_kind_heading(am_change_kind kind);
AM_EXTERN(const char *) am_match_kind_name(am_match_kind kind);
/** Name of one AM_CHANGED_* bit: "renumbered", ... */
AM_EXTERN(const char *) am_changed_name(unsigned bit);

#ifdef __cplusplus
}
#endif

#endif
