/*
 * report_int.h: the built-in templates, generated into templates.c.
 */
#ifndef AM_REPORT_INT_H
#define AM_REPORT_INT_H

#include <stddef.h>

typedef struct {
	const char *name; /* "diff.html": the file name without ".mustache" */
	const char *text;
	size_t len;
} am_builtin_template;

/* Ends with a NULL name. */
extern const am_builtin_template am_builtin_templates[];

#endif
