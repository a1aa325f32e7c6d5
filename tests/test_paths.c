/* The path policy: which names and paths auditmd may read. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

static const struct {
	const char *name;
	size_t len; /* 0: strlen */
	bool ok;
} names[] = {
	{ "app.py", 0, true },
	{ ".env", 0, true },
	{ "..foo", 0, true },
	{ "...", 0, true },
	{ ".gitignore", 0, true },
	{ ".github", 0, true },
	{ ".gitmodules", 0, true },
	{ "git", 0, true },
	{ "git~2", 0, true },
	{ ".git-x", 0, true },
	{ "x.git", 0, true },
	{ "\xe2\x80\x8c", 0, true },          /* an ignorable code point alone */
	{ "", 0, false },
	{ ".", 0, false },
	{ "..", 0, false },
	{ ".git", 0, false },
	{ ".GIT", 0, false },
	{ ".Git", 0, false },
	{ ".git.", 0, false },                /* NTFS drops trailing dots */
	{ ".git  ", 0, false },               /* and spaces */
	{ ".git . .", 0, false },
	{ ".git::$INDEX_ALLOCATION", 0, false }, /* an NTFS stream */
	{ ".git:x", 0, false },
	{ "git~1", 0, false },                /* NTFS's short name of .git */
	{ "GIT~1", 0, false },
	{ ".g\xe2\x80\x8cit", 0, false },     /* U+200C: HFS+ ignores it */
	{ "\xef\xbb\xbf.git", 0, false },     /* U+FEFF */
	{ ".git\xe2\x81\xaf", 0, false },     /* U+206F */
	{ ".GI\xe2\x80\xaeT", 0, false },     /* U+202E */
	{ "a/b", 0, false },
	{ "a\\b", 0, false },
	{ "..\\..", 0, false },
	{ "a\0b", 3, false },
	{ "/", 0, false },
};

START_TEST(test_name)
{
	size_t len = names[_i].len ? names[_i].len : strlen(names[_i].name);
	ck_assert_msg(am_path__name_ok(names[_i].name, len) == names[_i].ok, "'%s': want %s", names[_i].name,
		      names[_i].ok ? "ok" : "refused");
}
END_TEST

static const struct {
	const char *path;
	bool ok;
} paths[] = {
	{ "src/app.py", true },
	{ "a", true },
	{ ".github/workflows/ci.yml", true },
	{ "vendor/lib/.gitignore", true },
	{ "", false },
	{ "/etc/passwd", false },
	{ "../x", false },
	{ "a/../../x", false },
	{ "a/./b", false },
	{ "a//b", false },
	{ "a/", false },
	{ ".git/config", false },
	{ "vendor/lib/.git/config", false },
	{ "sub/.GIT/HEAD", false },
	{ "sub/git~1/config", false },
	{ "a\\..\\..\\x", false },
};

START_TEST(test_path)
{
	const char *p = paths[_i].path;
	ck_assert_msg(am_path__ok(p, strlen(p)) == paths[_i].ok, "'%s': want %s", p,
		      paths[_i].ok ? "ok" : "refused");
}
END_TEST

START_TEST(test_index_find)
{
	static const char *const files[] = { "a/util.py", "b/util.py", "util.py", "c/d/util.py",
					     "xutil.py", ".git/util.py", "../x/util.py", "e/.GIT/util.py" };
	am_path_index *ix = am_path__index_new();
	size_t added = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		added += (size_t)am_path__index_add(ix, files[i], strlen(files[i]));
	ck_assert_uint_eq(added, 5);
	ck_assert_uint_eq(am_path__index_size(ix), 5);
	const char *out[4];
	ck_assert_uint_eq(am_path__index_find(ix, "util.py", out, 4), 3);
	ck_assert_str_eq(out[0], "a/util.py");
	ck_assert_str_eq(out[1], "b/util.py");
	ck_assert_str_eq(out[2], "c/d/util.py");
	ck_assert_uint_eq(am_path__index_find(ix, "d/util.py", out, 4), 1);
	ck_assert_str_eq(out[0], "c/d/util.py");
	ck_assert_uint_eq(am_path__index_find(ix, "c/d/util.py", out, 4), 0); /* not a partial path */
	ck_assert_uint_eq(am_path__index_find(ix, "til.py", out, 4), 0);      /* whole names only */
	ck_assert_uint_eq(am_path__index_find(ix, "nothere.py", out, 4), 0);
	ck_assert_uint_eq(am_path__index_find(ix, "x/util.py", out, 4), 0);
	ck_assert_uint_eq(am_path__index_find(ix, "util.py", out, 1), 3);     /* kept: 1, counted: 3 */
	ck_assert_str_eq(out[0], "a/util.py");
	am_path__index_free(ix);
}
END_TEST

/* 25 files of one name: the first 10 by path are kept, 25 counted. */
START_TEST(test_index_cap)
{
	am_path_index *ix = am_path__index_new();
	char path[32];
	for (int i = 25; i >= 1; i--) {
		snprintf(path, sizeof(path), "d%d/index.js", i);
		am_path__index_add(ix, path, strlen(path));
	}
	const char *out[10];
	ck_assert_uint_eq(am_path__index_find(ix, "index.js", out, 10), 25);
	static const char *const want[] = { "d1/index.js", "d10/index.js", "d11/index.js",
					    "d12/index.js", "d13/index.js", "d14/index.js",
					    "d15/index.js", "d16/index.js", "d17/index.js",
					    "d18/index.js" };
	for (size_t i = 0; i < 10; i++)
		ck_assert_str_eq(out[i], want[i]);
	am_path__index_free(ix);
}
END_TEST

static int by_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Against the definition, on random paths over a small alphabet: the
 * count and the kept files are those a scan of every file gives. */
START_TEST(test_index_random)
{
	static const char *const parts[] = { "a", "b", "ab", "ba", "a.c", "x" };
	enum { NFILES = 400, NQUERIES = 300, KEEP = 3 };
	char files[NFILES][40];
	unsigned seed = 12345;
	am_path_index *ix = am_path__index_new();
	for (size_t i = 0; i < NFILES; i++) {
		files[i][0] = '\0';
		int depth = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
		for (int d = 0; d < depth; d++) {
			const char *n = parts[((seed = seed * 1103515245u + 12345u) >> 16) % 6];
			if (d)
				strcat(files[i], "/");
			strcat(files[i], n);
		}
		am_path__index_add(ix, files[i], strlen(files[i]));
	}
	for (size_t q = 0; q < NQUERIES; q++) {
		const char *query = files[((seed = seed * 1103515245u + 12345u) >> 16) % NFILES];
		const char *skip = query;
		/* a suffix of one of the files, from a component boundary */
		for (unsigned cut = ((seed = seed * 1103515245u + 12345u) >> 16) % 3; cut; cut--) {
			const char *slash = strchr(skip, '/');
			if (slash)
				skip = slash + 1;
		}
		size_t ql = strlen(skip), want = 0;
		const char *match[NFILES];
		for (size_t i = 0; i < NFILES; i++) {
			size_t fl = strlen(files[i]);
			if (fl > ql && files[i][fl - ql - 1] == '/' && !strcmp(files[i] + fl - ql, skip))
				match[want++] = files[i];
		}
		qsort(match, want, sizeof(char *), by_path);
		const char *out[KEEP];
		size_t got = am_path__index_find(ix, skip, out, KEEP);
		ck_assert_msg(got == want, "'%s': %zu found, %zu by a scan", skip, got, want);
		for (size_t k = 0; k < (got < KEEP ? got : KEEP); k++)
			ck_assert_str_eq(out[k], match[k]);
	}
	am_path__index_free(ix);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_name, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_loop_test(tc, test_path, 0, sizeof(paths) / sizeof(paths[0]));
	tcase_add_test(tc, test_index_find);
	tcase_add_test(tc, test_index_cap);
	tcase_add_test(tc, test_index_random);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
