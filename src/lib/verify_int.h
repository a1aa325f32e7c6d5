/*
 * verify_int.h: the verifier's pure parts, shared with its unit tests.
 */
#ifndef AM_VERIFY_INT_H
#define AM_VERIFY_INT_H

#include "auditmd/verify.h"
#include "gitrepo.h"
#include "util.h"

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
 * "a/util.py, b/util.py and 99,998 more": the candidates an ambiguous
 * result kept (at most AM_VERIFY_MAX_CANDIDATES) and how many it did not,
 * appended to b. Every format says it so.
 */
void am_verify__candidates_text(am_buf *b, const am_verify_result *r);

/* A problem's text after its citation (am_verify_problem_text), appended to b. */
void am_verify__problem_text(am_buf *b, const am_verify_problem *p);

/* The bit of a problem in am_verify_result.unchanged: 1 for the state's
 * (warning 0), the warning's bit shifted left by one for a warning's. */
unsigned am_verify__unchanged_bit(unsigned warning);

#endif
