/*
 * compile_cache.h: the revisions of one audit compiled one after the other
 * (log.c), what a revision shares with those before taken as it was
 * compiled, not compiled again (compile_cache.c).
 */
#ifndef AM_COMPILE_CACHE_H
#define AM_COMPILE_CACHE_H

#include "auditmd/compile.h"

typedef struct am_compile_cache am_compile_cache;

am_compile_cache *am_compile__cache_new(void);
/* Frees the cache, not the reports compiled with it. */
void am_compile__cache_free(am_compile_cache *cc);

/*
 * am_compile, taking from the cache the parts this revision shares with
 * the revisions compiled before with it: the same report am_compile gives
 * (*out, freed with am_report_free). Its findings may share strings and
 * arrays with the reports compiled before with the cache, and the cache
 * keeps pointers into this one: free the reports compiled with a cache
 * together, after the cache's last compile (the cache may be freed before
 * them or after).
 */
int am_compile__cached(am_report **out, const char *text, size_t len, const am_compile_options *opts,
		       am_compile_cache *cc);

/* How many units the cache's compiles took from it, not compiling them. */
size_t am_compile__cache_taken(const am_compile_cache *cc);

#endif
