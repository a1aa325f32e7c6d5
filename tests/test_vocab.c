/* Status and level vocabularies. */
#include <check.h>
#include <string.h>

#include "testrepo.h"
#include "vocab.h"

static const struct {
	const char *text;
	am_status status;
} status_rows[] = {
	{ "Resolved.", AM_STATUS_RESOLVED },
	{ "✅ COMPLETED", AM_STATUS_RESOLVED },
	{ "Fixed in abc123", AM_STATUS_RESOLVED },
	{ "Not fixed yet", AM_STATUS_OPEN },
	{ "Unresolved", AM_STATUS_OPEN },
	{ "TODO", AM_STATUS_OPEN },
	{ "⏳ Pending review", AM_STATUS_OPEN },
	{ "In progress", AM_STATUS_IN_PROGRESS },
	{ "🚧 WIP", AM_STATUS_IN_PROGRESS },
	{ "Partially fixed", AM_STATUS_IN_PROGRESS },
	{ "Won't fix", AM_STATUS_WONTFIX },
	{ "Acknowledged by the team", AM_STATUS_WONTFIX },
	{ "Accepted risk", AM_STATUS_WONTFIX },
	{ "Cannot be done via code", AM_STATUS_OPEN },
	{ "Cannot be fixed in code", AM_STATUS_OPEN },
	{ "not yet fully resolved", AM_STATUS_OPEN },
	{ "Never fixed", AM_STATUS_OPEN },
	{ "Fixed, not deployed", AM_STATUS_RESOLVED },
	{ "[PASS]", AM_STATUS_RESOLVED },
	{ "RECLASSIFIED", AM_STATUS_WONTFIX },
	{ "None found", AM_STATUS_WONTFIX },
	/* A word beats a mark; a plain word beats a weak one; the last arrow. */
	{ "🔍 DOCUMENTED", AM_STATUS_WONTFIX },
	{ "⚠️ Teilweise behoben — der Rest folgt", AM_STATUS_IN_PROGRESS },
	{ "🔴 CONFIRMED - BY DESIGN", AM_STATUS_WONTFIX },
	{ "Open → Fixed", AM_STATUS_RESOLVED },
	{ "fixed -> reopened", AM_STATUS_OPEN },
	{ "not acceptable", AM_STATUS_OPEN },
	{ "Informational (Design Decision)", AM_STATUS_WONTFIX },
	{ "🔎", AM_STATUS_IN_PROGRESS },
	{ "⛔", AM_STATUS_OPEN },
	{ "🧊", AM_STATUS_OPEN },
	{ "IN PROGRESS", AM_STATUS_IN_PROGRESS },
	/* Other languages; Latin-1 letters in any case. */
	{ "Erledigt", AM_STATUS_RESOLVED },
	{ "Offen", AM_STATUS_OPEN },
	{ "CONCLUÍDO EM 18/07/2025", AM_STATUS_RESOLVED },
	{ "Pendente", AM_STATUS_OPEN },
	{ "EM ANDAMENTO", AM_STATUS_IN_PROGRESS },
	{ "已修复", AM_STATUS_RESOLVED },
	{ "误报", AM_STATUS_WONTFIX },
	{ "未修复", AM_STATUS_OPEN },
	{ "Corrigé", AM_STATUS_RESOLVED },
	{ "prefixed words like reopenable do not count", AM_STATUS_UNKNOWN },
	{ "", AM_STATUS_UNKNOWN },
};

START_TEST(test_status)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	am_status st = am_vocab__status_text(&m, status_rows[_i].text, strlen(status_rows[_i].text), NULL, NULL);
	ck_assert_msg(st == status_rows[_i].status, "%s: got %s", status_rows[_i].text, am_status_name(st));
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

static const struct {
	const char *text;
	am_priority priority;
	am_severity severity;
} level_rows[] = {
	{ "High", AM_PRIORITY_HIGH, AM_SEVERITY_HIGH },
	{ "🔴 Critical", AM_PRIORITY_HIGH, AM_SEVERITY_CRITICAL },
	{ "P2", AM_PRIORITY_MEDIUM, AM_SEVERITY_MEDIUM },
	{ "low (nice to have)", AM_PRIORITY_LOW, AM_SEVERITY_LOW },
	{ "Informational", AM_PRIORITY_LOW, AM_SEVERITY_INFO },
	{ "highly unlikely", AM_PRIORITY_NONE, AM_SEVERITY_NONE },
};

START_TEST(test_level)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_priority p = AM_PRIORITY_NONE;
	am_severity s = AM_SEVERITY_NONE;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	am_vocab__level(&m, level_rows[_i].text, strlen(level_rows[_i].text), &p, &s);
	ck_assert_int_eq(p, level_rows[_i].priority);
	ck_assert_int_eq(s, level_rows[_i].severity);
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

START_TEST(test_extend)
{
	am_vocab *v;
	am_vocab_matcher m;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab_add(v, AM_VOCAB_RESOLVED, "Shipped to prod"), 0);
	ck_assert_int_eq(am_vocab_add(v, AM_VOCAB_RESOLVED, ""), AM_EUSAGE);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	ck_assert_int_eq(am_vocab__status_text(&m, "shipped to PROD", 15, NULL, NULL), AM_STATUS_RESOLVED);
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

/* In a title or heading the first status word counts, "Informational" is
 * a level there, and an audit's own terms come first. */
START_TEST(test_positional_and_legend)
{
	am_vocab *v;
	am_vocab_matcher m;
	size_t a = 0, e = 0;
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab__matcher_init(&m, v), 0);
	ck_assert_int_eq(am_vocab__status(&m, "Informational", 13, NULL, NULL), AM_STATUS_UNKNOWN);
	ck_assert_int_eq(am_vocab__status(&m, "✅ Drop the open port", strlen("✅ Drop the open port"), &a, &e), AM_STATUS_RESOLVED);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(e, 3);
	ck_assert_int_eq(am_vocab__status_text(&m, "[o]", 3, NULL, NULL), AM_STATUS_UNKNOWN);
	ck_assert_int_eq(am_vocab__matcher_define(&m, "[o]", 3, AM_STATUS_RESOLVED), 0);
	ck_assert_int_eq(am_vocab__matcher_define(&m, "⛔", 3, AM_STATUS_WONTFIX), 0);
	ck_assert_int_eq(am_vocab__matcher_define(&m, "⛔", 3, AM_STATUS_OPEN), 0); /* first wins */
	ck_assert_int_eq(am_vocab__matcher_define(&m, " ", 1, AM_STATUS_OPEN), AM_EUSAGE);
	ck_assert_int_eq(am_vocab__status_text(&m, "[o]", 3, NULL, NULL), AM_STATUS_RESOLVED);
	ck_assert_int_eq(am_vocab__status_text(&m, "⛔", 3, NULL, NULL), AM_STATUS_WONTFIX);
	ck_assert_int_eq(am_vocab__status_text(&m, "⛔ open", 8, NULL, NULL), AM_STATUS_OPEN);
	ck_assert(am_vocab__is_mark("⚠️ ", 7));
	ck_assert(!am_vocab__is_mark("已修复", 9));
	am_vocab__matcher_free(&m);
	am_vocab_free(v);
}
END_TEST

/* Every extension of a repository's tree is added, however many there
 * are (forty no vocabulary has: "zq00" to "zq39"), in any case, and
 * nothing that is not one. */
START_TEST(test_tree_extensions)
{
	enum { N = 40 };
	test_fixture f;
	am_buf script = AM_BUF_INIT;
	char ext[8];
	am_buf_puts(&script, "git init -q -b main repo && cd repo\nmkdir -p a/b\n");
	for (int i = 0; i < N; i++)
		am_buf_printf(&script, "echo x >a/b/file%d.zq%02d\n", i, i);
	am_buf_puts(&script, "echo x >a/UPPER.ZQUP\necho x >a/.zqhidden\necho x >a/trailing.\n"
			     "echo x >a/long.zqabcdefghi\ngit add -A\ncommit 2026-01-10T12:00:00Z first\n");
	test_fixture_build(&f, script.ptr);
	am_vocab *v;
	am_vocab_new(&v);
	ck_assert(!am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from("zq00")));
	ck_assert_int_eq(am_vocab_add_tree_extensions(v, f.repo.ptr, NULL), 0);
	for (int i = 0; i < N; i++) {
		snprintf(ext, sizeof(ext), "zq%02d", i);
		ck_assert_msg(am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from(ext)), "%s missing", ext);
	}
	ck_assert(am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from("zqup")));
	ck_assert(!am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from("zqhidden")));
	ck_assert(!am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from("zqabcdefghi")));
	am_vocab_free(v);

	/* In two steps, the tree read on a thread: 1 only when a text
	 * writes an extension the vocabulary lacked after a dot, its letters
	 * and digits whole (an underscore after them too: more than a
	 * citation needs), or has an entity. */
	am_extensions *e = NULL;
	ck_assert_int_eq(am_vocab_tree_extensions(&e, f.repo.ptr, NULL, 2), 0);
	ck_assert_ptr_nonnull(e);
	static const struct {
		const char *text;
		int again;
	} texts[] = {
		{ "see `lib/file3.zq03:12`", 1 }, { "SEE FILE.ZQUP", 1 }, { "x.zq39_y", 1 }, { "x.zq39x", 0 },
		{ "zq07 alone, no dot", 0 },      { "a.py:3 and b.md", 0 },    { "", 0 },
		/* an entity may be a dot or letters once decoded */
		{ "see `x&#46;zq05:3`", 1 },      { "R&amp;D", 1 },            { "a & b, x.py", 0 },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		am_vocab_new(&v);
		size_t len = strlen(texts[i].text);
		ck_assert_msg(am_vocab_add_extensions(v, e, &texts[i].text, &len, 1) == texts[i].again, "%s",
			      texts[i].text);
		ck_assert(am_vocab__has(v, AM_VOCAB_EXTENSIONS, am_span_from("zq17")));
		/* Added already: nothing is to be compiled again. */
		ck_assert_int_eq(am_vocab_add_extensions(v, e, &texts[i].text, &len, 1), 0);
		am_vocab_free(v);
	}
	am_extensions_free(e);
	/* No repository: at once on the caller's thread, else when added. */
	ck_assert_int_eq(am_vocab_tree_extensions(&e, "/nonexistent/auditmd-no-repo", NULL, 1), AM_EGIT);
	ck_assert_ptr_null(e);
	am_error_clear();
	ck_assert_int_eq(am_vocab_tree_extensions(&e, "/nonexistent/auditmd-no-repo", NULL, 2), 0);
	am_vocab_new(&v);
	ck_assert_int_eq(am_vocab_add_extensions(v, e, NULL, NULL, 0), AM_EGIT);
	ck_assert(strstr(am_error_last(), "auditmd-no-repo") != NULL);
	am_vocab_free(v);
	am_extensions_free(e);
	am_error_clear();
	am_buf_free(&script);
	test_fixture_free(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vocab");
	TCase *tc = tcase_create("vocab");
	tcase_add_loop_test(tc, test_status, 0, sizeof(status_rows) / sizeof(status_rows[0]));
	tcase_add_loop_test(tc, test_level, 0, sizeof(level_rows) / sizeof(level_rows[0]));
	tcase_add_test(tc, test_extend);
	tcase_add_test(tc, test_positional_and_legend);
	tcase_add_test(tc, test_tree_extensions);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
