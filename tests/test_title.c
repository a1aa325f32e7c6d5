/* Title normalisation: what matching between revisions compares. */
#include <check.h>
#include <string.h>

#include "testutil.h"
#include "title.h"

static const struct {
	const char *in, *out;
} rows[] = {
	{ "Avoid `asyncio.run` in request threads", "avoid asyncio run in request threads" },
	{ "**WebSocket** auth: hardening!", "websocket auth hardening" },
	{ "Client-side auth redirect", "client side auth redirect" },
	{ "✅ Done — “God Files” ≤400 LoC", "done god files 400 loc" },
	{ "Café naïve", "café naïve" },
	{ "  many   spaces\there ", "many spaces here" },
	{ "", "" },
};

START_TEST(test_normalize)
{
	am_buf b = AM_BUF_INIT;
	am_title_normalize(&b, rows[_i].in, strlen(rows[_i].in));
	ck_assert_str_eq(am_buf_cstr(&b), rows[_i].out);
	am_buf_free(&b);
}
END_TEST

/* The compiler leaves status marks and numbering out of norm_title. */
static const struct {
	const char *md, *norm;
} finding_rows[] = {
	{ "### 3) Token leak (Resolved)\n- Evidence: `a.py:1`\n", "token leak" },
	{ "#### Issue #1: Redundant Import - FIXED ✅\n**File:** `m.py`\n", "redundant import" },
	{ "- [x] ~~Drop the cache~~\n", "drop the cache" },
	{ "### [H-01] Replay [WONTFIX]\nStatus: Open\n", "replay" },
};

START_TEST(test_norm_title_of_findings)
{
	am_report *r = test_compile_str(finding_rows[_i].md);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].norm_title, finding_rows[_i].norm);
	am_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("title");
	TCase *tc = tcase_create("title");
	tcase_add_loop_test(tc, test_normalize, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_loop_test(tc, test_norm_title_of_findings, 0, sizeof(finding_rows) / sizeof(finding_rows[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
