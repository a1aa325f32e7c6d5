/*
 * verify_int.h: the verifier's pure parts, shared with its unit tests.
 */
#ifndef AM_VERIFY_INT_H
#define AM_VERIFY_INT_H

#include "auditmd/verify.h"
#include "gitrepo.h"
#include "util.h"

/*
 * am_verify_run() with flags: AM_VERIFY__LOCATE finds the cited files and
 * follows the lines to the target without reading a file (no line count,
 * no out_of_range, no symbol): where the evidence is, not whether it holds.
 */
enum { AM_VERIFY__LOCATE = 1 << 0 };
int am_verify__run(am_verify **out, const am_report *report, const am_verify_options *opts,
		   unsigned flags);

/*
 * A citation's path made relative to the repository root: "./" and "."
 * dropped, ".." applied, backslashes read as slashes. Returns 0, -1 when
 * the path is absolute or climbs out of the root (nothing may be read
 * then), -2 when nothing is left.
 */
int am_verify__normalise_path(am_buf *out, const char *path);

/*
 * Maps old lines [s, e] through the hunks of a change: 0 with the new range
 * in *ns, *ne when none of the lines was touched; 1 when some were edited;
 * 2 when all were removed and nothing took their place.
 */
int am_verify__map_range(const am_git_delta *d, uint32_t s, uint32_t e, uint32_t *ns,
			 uint32_t *ne);

/*
 * What became of a range of lines (start..end, 0..0 for a whole file) of
 * `path` through the change of its file, `d` (NULL: the file did not
 * change): the one reading of a delta that verify's states, the
 * resolution check and check's edited code share.
 */
typedef enum {
	AM_TRACE_SAME = 0,     /* the lines hold, at the same numbers */
	AM_TRACE_MOVED,        /* the lines hold at other numbers */
	AM_TRACE_RENAMED,      /* the file was renamed; the lines hold */
	AM_TRACE_EDITED,       /* some of the lines were edited */
	AM_TRACE_REMOVED,      /* all the lines were removed, nothing in their place */
	AM_TRACE_FILE_DELETED, /* the file is gone */
	AM_TRACE_NOT_FILE,     /* the file became a link, a directory or a submodule */
	AM_TRACE_BINARY,       /* a binary change */
	AM_TRACE_TOO_LARGE,    /* a side over the size limit: not read */
} am_trace_outcome;

typedef struct {
	am_trace_outcome outcome;
	/* The change touched the lines: an outcome past RENAMED, or, for a
	 * whole file, any hunk at all. */
	int touched;
	const char *now_path; /* where the lines are (SAME, MOVED, RENAMED), else NULL */
	uint32_t now_start, now_end;
} am_trace;

void am_verify__trace(am_trace *out, const am_git_delta *d, const char *path, uint32_t start,
		      uint32_t end);

/*
 * The changes between two commits (to NULL: the working tree) of the files
 * in `paths`, sorted for am_verify__delta(); arrays and strings in arena.
 */
int am_verify__changes(am_git_delta **out, size_t *n, am_git *g, const char *from, const char *to,
		       const am_strset *paths, size_t max_blob, unsigned threads,
		       struct am_arena *arena);
/* The same for the files want(old_path, payload) says, asked about once
 * the trees are diffed, on the calling thread. */
int am_verify__changes_of(am_git_delta **out, size_t *n, am_git *g, const char *from, const char *to,
			  int (*want)(const char *old_path, void *payload), void *payload, size_t max_blob,
			  unsigned threads, struct am_arena *arena);

/* Changes of several am_verify__changes() together, sorted as one. */
void am_verify__sort_deltas(am_git_delta *d, size_t n);
/* The change of `path` among those of am_verify__changes(), or NULL. */
const am_git_delta *am_verify__delta(const am_git_delta *d, size_t n, const char *path);

/*
 * "a/util.py, b/util.py and 99,998 more": the candidates an ambiguous
 * result kept (at most AM_VERIFY_MAX_CANDIDATES) and how many it did not,
 * appended to b. Every format says it so.
 */
void am_verify__candidates_text(am_buf *b, const am_verify_result *r);

/* A problem's text after its citation (am_verify_problem_text), appended to b. */
void am_verify__problem_text(am_buf *b, const am_verify_problem *p);

/* One problem of `level` counted into a tally (am_verify_tally and
 * am_check_tally): by level, and as new or, when `unchanged`, in the
 * baseline. */
void am_verify__count(am_tally *t, am_level level, bool unchanged);

/* The bit of a problem in am_verify_result.unchanged: 1 for the state's
 * (warning 0), the warning's bit shifted left by one for a warning's. */
unsigned am_verify__unchanged_bit(unsigned warning);

#endif
