/*
 * compile_int.h: the compiler's private entry points, for its tests.
 */
#ifndef AM_COMPILE_INT_H
#define AM_COMPILE_INT_H

#include "util.h"

/* Where a large audit is cut in two for parsing on two threads (0: no cut);
 * *line is the line the second part starts at. */
size_t am_compile__find_split(const char *s, size_t len, uint32_t *line);

/* Audits from this size up are cut in two (1 MiB). Tests and the compile
 * fuzzer lower it, to compare small audits cut and whole. */
extern size_t am_compile__split_min;

#endif
