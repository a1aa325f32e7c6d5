/* The finding model: the names of its enumerations (the JSON contract's
 * words, checked against docs/schema/auditmd-1.schema.json), which statuses
 * are closed, and freeing a report. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "testutil.h"

static const struct {
	am_status status;
	const char *name;
	int closed;
	const char *mark;
} statuses[] = {
	{ AM_STATUS_UNKNOWN, "unknown", 0, "?" },
	{ AM_STATUS_OPEN, "open", 0, "○" },
	{ AM_STATUS_IN_PROGRESS, "in_progress", 0, "◐" },
	{ AM_STATUS_RESOLVED, "resolved", 1, "✓" },
	{ AM_STATUS_WONTFIX, "wontfix", 1, "–" },
	{ (am_status)99, "unknown", 0, "?" }, /* a value out of range */
};

START_TEST(test_status)
{
	ck_assert_str_eq(am_status_name(statuses[_i].status), statuses[_i].name);
	ck_assert_int_eq(am_status_is_closed(statuses[_i].status), statuses[_i].closed);
	ck_assert_str_eq(am_status_mark(statuses[_i].status), statuses[_i].mark);
}
END_TEST

/* Two findings under the same chain of headings, or not. */
START_TEST(test_same_section)
{
	const char *ab[] = { "A", "B" }, *ac[] = { "A", "C" }, *a[] = { "A" };
	am_finding f = { 0 }, g = { 0 };
	ck_assert_int_eq(am_finding_same_section(&f, &g), 1); /* both top level */
	f.section = ab;
	f.nsection = 2;
	g.section = ab;
	g.nsection = 2;
	ck_assert_int_eq(am_finding_same_section(&f, &g), 1);
	g.section = ac;
	ck_assert_int_eq(am_finding_same_section(&f, &g), 0);
	g.section = a;
	g.nsection = 1;
	ck_assert_int_eq(am_finding_same_section(&f, &g), 0); /* a prefix is another section */
	ck_assert_int_eq(am_finding_same_section(&g, &f), 0);
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
	{ "$defs/finding_kind/enum", kind_of, AM_FINDING_TABLE + 1 },
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
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_same_section);
	TEST_LOOP(tc, test_schema_enums, enums);
	tcase_add_test(tc, test_report_free);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
