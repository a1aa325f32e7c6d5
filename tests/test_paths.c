/* The path policy: which names and paths auditmd may read. */
#include <check.h>
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

static Suite *suite(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_name, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_loop_test(tc, test_path, 0, sizeof(paths) / sizeof(paths[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
