/* The finding model: the names of its enumerations (the JSON contract's
 * words, checked against docs/schema/auditmd-1.schema.json), which statuses
 * are closed, their marks and labels, the title shown beside a status,
 * sections compared, and freeing a report. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "testutil.h"

static const struct {
	am_status status;
	const char *name;
	int closed;
	const char *mark, *label;
} statuses[] = {
	{ AM_STATUS_UNKNOWN, "unknown", 0, "?", "unknown" },
	{ AM_STATUS_OPEN, "open", 0, "○", "open" },
	{ AM_STATUS_IN_PROGRESS, "in_progress", 0, "◐", "in progress" },
	{ AM_STATUS_RESOLVED, "resolved", 1, "✓", "resolved" },
	{ AM_STATUS_WONTFIX, "wontfix", 1, "–", "won't fix" },
	{ (am_status)99, "unknown", 0, "?", "unknown" }, /* a value out of range */
};

START_TEST(test_status)
{
	ck_assert_str_eq(am_status_name(statuses[_i].status), statuses[_i].name);
	ck_assert_int_eq(am_status_is_closed(statuses[_i].status), statuses[_i].closed);
	ck_assert_str_eq(am_status_mark(statuses[_i].status), statuses[_i].mark);
	ck_assert_str_eq(am_status_label(statuses[_i].status), statuses[_i].label);
}
END_TEST

/* The title shown beside a status pill: the mark that says the same status
 * goes, one that lost to another status stays; the model keeps both. */
static const struct {
	const char *audit, *title, *shown, *shown_md;
} display_titles[] = {
	{ "### 1) Fix the thing (Resolved)\n", "Fix the thing (Resolved)", "Fix the thing", "Fix the thing" },
	{ "### 1) Fix the thing (Resolved)\n\n- Status: Open\n", "Fix the thing (Resolved)",
	  "Fix the thing (Resolved)", "Fix the thing (Resolved)" },
	{ "### Issue #1: Avoid `asyncio.run` - FIXED ✅\n", "Avoid `asyncio.run` - FIXED ✅",
	  "Avoid `asyncio.run`", "Avoid `asyncio.run`" },
	{ "### 4) Cache keys — Won't fix\n", "Cache keys — Won't fix", "Cache keys", "Cache keys" },
	{ "### 5) ✅ Done already\n\n- Severity: High\n", "✅ Done already", "Done already", "Done already" },
	{ "### 6) [FIXED] Token replay\n\n- Severity: High\n", "[FIXED] Token replay", "Token replay",
	  "Token replay" },
	{ "### 7) Plain title\n\n- Status: Resolved\n", "Plain title", "Plain title", "Plain title" },
	{ "### 8) Resolved\n", "Resolved", "Resolved", "Resolved" }, /* nothing else to show */
	/* The Markdown: emphasis and links as written, the text escaped. */
	{ "### 9) **Bold** [link](https://e.org/a) `c` (Resolved)\n", "Bold link `c` (Resolved)",
	  "Bold link `c`", "**Bold** [link](<https://e.org/a>) `c`" },
	{ "### 10) Use \\*stars\\* [now](<a b>) (Resolved)\n", "Use *stars* now (Resolved)", "Use *stars* now",
	  "Use \\*stars\\* [now](<a b>)" },
	{ "### 13) Run `` a`b `` now\n\n- Severity: High\n", "Run `a`b` now", "Run `a`b` now",
	  "Run ``a`b`` now" },
	{ "### 11) **Half (Resolved)**\n", "Half (Resolved)", "Half", "Half" },
	{ "### 12) Keep **it** (Resolved)\n\n- Status: Open\n", "Keep it (Resolved)", "Keep it (Resolved)",
	  "Keep **it** (Resolved)" },
};

START_TEST(test_display_title)
{
	am_report *r = test_compile_str(display_titles[_i].audit);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].title, display_titles[_i].title);
	char *shown = am_finding_display_title(&r->findings[0], 0);
	ck_assert_str_eq(shown, display_titles[_i].shown);
	free(shown);
	shown = am_finding_display_title(&r->findings[0], 1);
	ck_assert_str_eq(shown, display_titles[_i].shown_md);
	free(shown);
	am_report_free(r);
}
END_TEST

/* Sections are the same when every heading of the chain is. */
static const char *const area[] = { "Area", "Auth" }, *const other[] = { "Area", "Billing" };
static const struct {
	const char *const *a, *const *b;
	size_t na, nb;
	int same;
} sections[] = {
	{ area, area, 2, 2, 1 },
	{ area, other, 2, 2, 0 },
	{ area, area, 1, 2, 0 },  /* one is under the other */
	{ area, other, 1, 1, 1 }, /* "Area" both */
	{ NULL, NULL, 0, 0, 1 },  /* no section */
};

START_TEST(test_same_section)
{
	am_finding a = { 0 }, b = { 0 };
	a.section = (const char **)sections[_i].a;
	a.nsection = sections[_i].na;
	b.section = (const char **)sections[_i].b;
	b.nsection = sections[_i].nb;
	ck_assert_int_eq(am_finding_same_section(&a, &b), sections[_i].same);
	ck_assert_int_eq(am_finding_same_section(&b, &a), sections[_i].same);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_ptr_null(am_priority_name(AM_PRIORITY_NONE));
	ck_assert_str_eq(am_priority_name(AM_PRIORITY_HIGH), "high");
	ck_assert_str_eq(am_priority_name(AM_PRIORITY_MEDIUM), "medium");
	ck_assert_str_eq(am_priority_name(AM_PRIORITY_LOW), "low");
	ck_assert_ptr_null(am_priority_name((am_priority)99));
	ck_assert_ptr_null(am_severity_name(AM_SEVERITY_NONE));
	ck_assert_str_eq(am_severity_name(AM_SEVERITY_CRITICAL), "critical");
	ck_assert_str_eq(am_severity_name(AM_SEVERITY_INFO), "info");
	ck_assert_ptr_null(am_severity_name((am_severity)99));
	ck_assert_str_eq(am_finding_kind_name(AM_FINDING_HEADING), "heading");
	ck_assert_str_eq(am_finding_kind_name(AM_FINDING_CHECKLIST), "checklist");
	ck_assert_str_eq(am_finding_kind_name(AM_FINDING_TABLE), "table");
	ck_assert_str_eq(am_finding_kind_name(AM_FINDING_ITEM), "item");
	ck_assert_str_eq(am_cite_role_name(AM_CITE_EVIDENCE), "evidence");
	ck_assert_str_eq(am_cite_role_name(AM_CITE_MENTION), "mention");
}
END_TEST

/* Every value of each enumeration, named: exactly the schema's enum (null
 * for the NONE values the JSON writes as null). */
typedef const char *(*name_fn)(int value);
static const char *status_of(int v) { return am_status_name((am_status)v); }
static const char *priority_of(int v) { return am_priority_name((am_priority)v); }
static const char *severity_of(int v) { return am_severity_name((am_severity)v); }
static const char *kind_of(int v) { return am_finding_kind_name((am_finding_kind)v); }
static const char *role_of(int v) { return am_cite_role_name((am_cite_role)v); }

static const struct {
	const char *schema_path; /* '/'-separated keys below the schema's root */
	name_fn name;
	int count;               /* values of the enumeration */
} enums[] = {
	{ "$defs/status/enum", status_of, AM_STATUS_WONTFIX + 1 },
	{ "$defs/priority/enum", priority_of, AM_PRIORITY_LOW + 1 },
	{ "$defs/severity/enum", severity_of, AM_SEVERITY_INFO + 1 },
	{ "$defs/finding_kind/enum", kind_of, AM_FINDING_ITEM + 1 },
	{ "$defs/citation/properties/role/enum", role_of, AM_CITE_MENTION + 1 },
};

static json_t *schema_at(json_t *root, const char *path)
{
	char key[64];
	json_t *v = root;
	while (v && *path) {
		size_t n = strcspn(path, "/");
		ck_assert_uint_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (path[n] == '/');
	}
	return v;
}

START_TEST(test_schema_enums)
{
	const char *dir = getenv("AM_SCHEMA_DIR");
	ck_assert_msg(dir != NULL, "AM_SCHEMA_DIR is set by tests/meson.build");
	size_t len;
	char *text = test_read(dir, "auditmd-1.schema.json", &len);
	json_error_t err;
	json_t *schema = json_loadb(text, len, 0, &err);
	ck_assert_msg(schema != NULL, "schema: %s", err.text);
	json_t *want = schema_at(schema, enums[_i].schema_path);
	ck_assert_msg(json_is_array(want), "no array at %s", enums[_i].schema_path);
	ck_assert_uint_eq(json_array_size(want), (size_t)enums[_i].count);
	for (int v = 0; v < enums[_i].count; v++) {
		const char *name = enums[_i].name(v);
		size_t k;
		json_t *w;
		bool found = false;
		json_array_foreach(want, k, w)
			found |= name ? json_is_string(w) && !strcmp(json_string_value(w), name) : json_is_null(w);
		ck_assert_msg(found, "%s: value %d is named %s, which the schema lacks", enums[_i].schema_path,
			      v, name ? name : "null");
	}
	json_decref(schema);
	free(text);
}
END_TEST

/* A report owns everything reachable from it: one call frees it all
 * (valgrind and ASan check that nothing is left). */
START_TEST(test_report_free)
{
	am_report *r = test_compile_file(test_data_dir(), "todo.md");
	ck_assert_uint_gt(r->nfindings, 0);
	ck_assert_ptr_nonnull(r->arena);
	am_report_free(r);
	am_report_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");
	TEST_LOOP(tc, test_status, statuses);
	TEST_LOOP(tc, test_display_title, display_titles);
	TEST_LOOP(tc, test_same_section, sections);
	tcase_add_test(tc, test_names);
	TEST_LOOP(tc, test_schema_enums, enums);
	tcase_add_test(tc, test_report_free);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
