/* Git fixtures for the Check tests: a scratch directory, and shell steps
 * run in it with fixed authors and dates and no configuration from the
 * machine (the same every run). The tests build their repositories with
 * these; nothing is committed as a nested repository. */
#ifndef AM_TESTREPO_H
#define AM_TESTREPO_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* A new empty directory (free() the name; test_rmtree() it). */
static inline char *test_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	am_buf b = AM_BUF_INIT;
	am_buf_printf(&b, "%s/auditmd-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(b.ptr)) {
		perror("mkdtemp");
		abort();
	}
	return am_buf_detach(&b);
}

/*
 * Runs `script` with sh -e in `dir`. It can call
 *   commit DATE MESSAGE [AUTHOR]   (git commit -a of what is staged, both
 *                                   dates DATE, e.g. 2026-01-10T12:00:00Z)
 *   id NAME                        (writes HEAD's id to DIR/../ids/NAME)
 * Returns the exit status (0 when every step succeeded).
 */
static inline int test_sh(const char *dir, const char *script)
{
	am_buf cmd = AM_BUF_INIT;
	am_buf_printf(&cmd,
		      "set -e; cd '%s'; "
		      "export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=/nonexistent TZ=UTC "
		      "GIT_AUTHOR_EMAIL=author@example.org GIT_COMMITTER_NAME=Committer "
		      "GIT_COMMITTER_EMAIL=committer@example.org; "
		      "commit() { GIT_AUTHOR_NAME=\"${3:-Alice Auditor}\" GIT_AUTHOR_DATE=\"$1\" "
		      "GIT_COMMITTER_DATE=\"$1\" git commit -q --no-verify -m \"$2\"; }; "
		      "id() { mkdir -p ../ids; git rev-parse HEAD >../ids/\"$1\"; }; "
		      "%s",
		      dir, script);
	int rc = system(cmd.ptr);
	am_buf_free(&cmd);
	return rc;
}

/* The first line of a file the fixture wrote (an id), without its newline. */
static inline char *test_read_line(const char *dir, const char *name)
{
	size_t len;
	char *s = test_read(dir, name, &len);
	s[strcspn(s, "\n")] = '\0';
	return s;
}

static inline void test_rmtree(const char *dir)
{
	am_buf cmd = AM_BUF_INIT;
	if (!dir || strncmp(dir, "/", 1) != 0 || !strstr(dir, "auditmd-test-"))
		return; /* only what test_mkdtemp made */
	am_buf_printf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd.ptr) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	am_buf_free(&cmd);
}

/* A scratch directory holding the repository a fixture script builds in
 * DIR/repo (and the ids it writes in DIR/ids). */
typedef struct {
	char *dir;
	am_buf repo;
} test_fixture;

static inline void test_fixture_build(test_fixture *f, const char *script)
{
	f->dir = test_mkdtemp();
	f->repo = (am_buf)AM_BUF_INIT;
	am_buf_printf(&f->repo, "%s/repo", f->dir);
	ck_assert_int_eq(test_sh(f->dir, script), 0);
}

static inline void test_fixture_free(test_fixture *f)
{
	test_rmtree(f->dir);
	free(f->dir);
	am_buf_free(&f->repo);
}

#endif
