/* Helpers for the Check tests: compile a fixture, look findings up. */
#ifndef AM_TESTUTIL_H
#define AM_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditmd/auditmd.h"
#include "util.h"

static inline char *test_read(const char *dir, const char *name, size_t *len)
{
	am_buf path = AM_BUF_INIT, data = AM_BUF_INIT;
	char chunk[65536];
	size_t n;
	am_buf_printf(&path, "%s/%s", dir, name);
	FILE *fp = fopen(path.ptr, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path.ptr);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		am_buf_put(&data, chunk, n);
	fclose(fp);
	am_buf_free(&path);
	*len = data.size;
	return am_buf_detach(&data);
}

static inline am_report *test_compile_file(const char *dir, const char *name)
{
	size_t len;
	char *text = test_read(dir, name, &len);
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *r = NULL;
	opts.source = name;
	int rc = am_compile(&r, text, len, &opts);
	ck_assert_msg(rc == 0, "%s: %s", name, am_error_last());
	free(text);
	return r;
}

static inline am_report *test_compile_str(const char *text)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *r = NULL;
	opts.source = "t.md";
	int rc = am_compile(&r, text, strlen(text), &opts);
	ck_assert_msg(rc == 0, "%s", am_error_last());
	return r;
}

static inline size_t test_count_status(const am_report *r, am_status st)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		n += r->findings[i].status == st;
	return n;
}

/* "path:start-end;" for every evidence citation, in order. */
static inline char *test_evidence(const am_report *r)
{
	am_buf b = AM_BUF_INIT;
	for (size_t i = 0; i < r->nfindings; i++)
		for (size_t k = 0; k < r->findings[i].ncitations; k++) {
			const am_citation *c = &r->findings[i].citations[k];
			if (c->role == AM_CITE_EVIDENCE)
				am_buf_printf(&b, "%s:%u-%u;", c->path, c->start, c->end);
		}
	return am_buf_detach(&b);
}

/* Adds fn as a loop test over every row of `table`. */
#define TEST_LOOP(tc, fn, table) tcase_add_loop_test(tc, fn, 0, sizeof(table) / sizeof((table)[0]))

static inline const char *test_data_dir(void)
{
	const char *d = getenv("AM_TEST_DATA");
	return d ? d : "tests/data";
}

/* The lint of a file of the test data (its auditmd-disable comments
 * read): the report in *report, the file's bytes in *text (free()). */
static inline am_lint *test_lint_file(const char *name, am_report **report, char **text)
{
	size_t len;
	am_lint *l = NULL;
	am_lint_options o = AM_LINT_OPTIONS_INIT;
	*text = test_read(test_data_dir(), name, &len);
	*report = test_compile_file(test_data_dir(), name);
	o.text = *text;
	o.len = len;
	ck_assert_int_eq(am_lint_run(&l, *report, &o), 0);
	return l;
}

#endif
