/* The JSON writer: its output is what Jansson prints for the same value. */
#include <jansson.h>

#include "json_int.h"
#include "testutil.h"

static const char *const fixtures[] = {
	"modern-2026-01-15.md", "modern-2026-01-16.md", "todo.md", "summary-mojibake.md",
	"session.md", "security.md", "warnings.md",
};

/* Reloads `text` with Jansson and dumps it again with the same flags. */
static void assert_jansson_identical(const char *text, size_t flags)
{
	json_error_t err;
	json_t *v = json_loads(text, 0, &err);
	ck_assert_msg(v != NULL, "not JSON: %s at %d:%d", err.text, err.line, err.column);
	char *again = json_dumps(v, flags);
	ck_assert_str_eq(again, text);
	free(again);
	json_decref(v);
}

/* The compact text of report r is what Jansson prints for the value the
 * generic calls build (findings and citations have writers of their own),
 * written after 0 to max_pad bytes already in the buffer: each write meets
 * the buffer's end at every place, where a write past the room it asked
 * for shows (a debug build aborts, a sanitizer reports it). */
static void assert_compact_as_values(const am_report *r, size_t max_pad)
{
	am_jw v;
	am_jw_init_values(&v, 0);
	am_json__report_doc(&v, r);
	char *expect = json_dumps(v.root, JSON_COMPACT);
	json_decref(v.root);
	for (size_t pad = 0; pad <= max_pad; pad++) {
		am_buf b = AM_BUF_INIT;
		am_jw w;
		for (size_t i = 0; i < pad; i++)
			am_buf_putc(&b, ' ');
		am_jw_init(&w, &b, NULL, 0);
		am_json__report_doc(&w, r);
		ck_assert_int_eq(am_jw_finish(&w), 0);
		ck_assert_str_eq(b.ptr + pad, expect);
		am_buf_free(&b);
	}
	free(expect);
}

START_TEST(test_fixture_roundtrip)
{
	am_report *r = test_compile_file(test_data_dir(), fixtures[_i]);
	char *compact = NULL, *pretty = NULL;
	ck_assert_int_eq(am_report_to_json(&compact, r, 0), 0);
	ck_assert_int_eq(am_report_to_json(&pretty, r, AM_JSON_PRETTY), 0);
	assert_jansson_identical(compact, JSON_COMPACT);
	assert_jansson_identical(pretty, JSON_INDENT(2));
	assert_compact_as_values(r, 0);
	free(compact);
	free(pretty);
	am_report_free(r);
}
END_TEST

/* A finding's every member: tasks inside it, a parent, ticked and open
 * boxes, a repeated field name, quotes and a tab in a section, mentions;
 * compact text as the generic calls make it, wherever the buffer ends. */
START_TEST(test_finding_compact)
{
	am_report *r = test_compile_str("# Audit\n\n## Area \"quoted\\\" and\ttab\n\n"
					"### 1) Finding with tasks\n- Status: Open\n- Evidence: `a.py:1`, `b.py:2-3`\n"
					"- Evidence: `c.py:4` again\n- Plan: mention `d.py`\n- [x] done item\n"
					"- [ ] open item\n\n## Checklist\n- [ ] Parent task `e.py:5`\n"
					"  - [x] Child task `f.py:6`\n- [x] Ticked one\n");
	ck_assert_uint_eq(r->nfindings, 4);
	ck_assert_uint_eq(r->findings[0].ntasks, 2);
	ck_assert_uint_gt(r->findings[0].nfields, 2);
	ck_assert_ptr_nonnull(r->findings[2].parent);
	ck_assert_int_eq(r->findings[3].checkbox, AM_CHECKBOX_TICKED);
	assert_compact_as_values(r, 1500);
	am_report_free(r);
}
END_TEST

START_TEST(test_escaping)
{
	am_buf b = AM_BUF_INIT;
	am_jw w;
	am_jw_init(&w, &b, NULL, 0);
	am_jw_object(&w);
	am_jw_key(&w, "k\"ey");
	am_jw_str(&w, "quote \" backslash \\ nl \n tab \t cr \r bell \a nul-free \x1f é ✅ </script>");
	am_jw_key(&w, "n");
	am_jw_int(&w, -9223372036854775807LL - 1);
	am_jw_key(&w, "empty");
	am_jw_array(&w);
	am_jw_array_end(&w);
	am_jw_key(&w, "obj");
	am_jw_object(&w);
	am_jw_object_end(&w);
	am_jw_key(&w, "null");
	am_jw_str(&w, NULL);
	am_jw_object_end(&w);
	ck_assert_int_eq(am_jw_finish(&w), 0);
	assert_jansson_identical(b.ptr, JSON_COMPACT);
	am_buf_free(&b);
}
END_TEST

/* Every byte that JSON escapes, and every byte next to one, at every
 * place in a string longer than the eight bytes the writer reads at once:
 * the string reads back as it was written. */
START_TEST(test_escaping_every_byte_everywhere)
{
	char s[24];
	for (int ch = 1; ch < 0x80; ch++)
		for (size_t at = 0; at < sizeof(s); at++) {
			am_buf b = AM_BUF_INIT;
			am_jw w;
			memset(s, 'a' + (int)(at % 26), sizeof(s));
			s[at] = (char)ch;
			am_jw_init(&w, &b, NULL, 0);
			am_jw_strn(&w, s, sizeof(s));
			ck_assert_int_eq(am_jw_finish(&w), 0);
			json_error_t err;
			json_t *v = json_loadb(b.ptr, b.size, JSON_DECODE_ANY, &err);
			ck_assert_msg(v != NULL, "byte %#x at %zu: %s", ch, at, b.ptr);
			ck_assert_uint_eq(json_string_length(v), sizeof(s));
			ck_assert(!memcmp(json_string_value(v), s, sizeof(s)));
			json_decref(v);
			am_buf_free(&b);
		}
}
END_TEST

START_TEST(test_report_value)
{
	am_report *r = test_compile_file(test_data_dir(), "security.md");
	json_t *v = am_json__report(r);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(json_string_value(json_object_get(v, "schema")), "auditmd/1");
	ck_assert_int_eq(json_array_size(json_object_get(v, "findings")), 5);
	json_decref(v);
	am_report_free(r);
}
END_TEST

/* Long arrays are written by two threads, block by block: the bytes must be
 * those of one writer, to a string and to a stream, for lengths at the
 * threshold, with an odd last block, and long enough to fill the queue of
 * blocks made ahead many times. */
static const int parallel_sizes[] = { 4095, 4096, 4353, 12000 };

START_TEST(test_parallel_findings)
{
	am_buf md = AM_BUF_INIT;
	int n = parallel_sizes[_i];
	for (int i = 0; i < n; i++)
		am_buf_printf(&md, "- [%c] Task \"%d\" in `a%d.py:%d`\n", i % 2 ? 'x' : ' ', i, i, i + 1);
	am_report *r = test_compile_str(md.ptr);
	ck_assert_uint_eq(r->nfindings, (size_t)n);
	for (int pretty = 0; pretty < 2; pretty++) {
		int flags = pretty ? AM_JSON_PRETTY : 0;
		char *text = NULL, *streamed = NULL;
		size_t len = 0;
		ck_assert_int_eq(am_report_to_json(&text, r, flags), 0);
		assert_jansson_identical(text, pretty ? JSON_INDENT(2) : JSON_COMPACT);
		FILE *f = open_memstream(&streamed, &len);
		ck_assert_int_eq(am_report_write_json(f, r, flags), 0);
		fclose(f);
		ck_assert_uint_eq(len, strlen(text) + 1);
		ck_assert(!strncmp(streamed, text, strlen(text)));
		json_t *v = json_loads(text, 0, NULL);
		ck_assert_uint_eq(json_array_size(json_object_get(v, "findings")), (size_t)n);
		json_t *last = json_array_get(json_object_get(v, "findings"), (size_t)n - 1);
		ck_assert_str_eq(json_string_value(json_object_get(last, "title")), r->findings[n - 1].title);
		ck_assert_int_eq(json_integer_value(json_object_get(last, "line")), n);
		json_decref(v);
		free(text);
		free(streamed);
	}
	am_report_free(r);
	am_buf_free(&md);
}
END_TEST

/* Values made in an arena: more than its first blocks hold, freed all at
 * once; a value made before it is freed as ever from inside it (the
 * sanitizers and valgrind tell a wrong free or a leak); text Jansson
 * prints there is freed as Jansson made it; one arena a thread at a time;
 * malloc again after it. */
START_TEST(test_values_arena)
{
	json_t *before = json_pack("{s:s, s:[i,i]}", "made", "before", "n", 1, 2);
	am_json__arena *a = am_json__arena_begin();
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(am_json__arena_begin());
	json_t *root = json_array();
	for (int i = 0; i < 20000; i++) {
		char key[32];
		snprintf(key, sizeof(key), "key %d", i);
		json_t *o = json_object();
		json_object_set_new(o, key, json_string("a value long enough to fill blocks quickly"));
		json_object_set_new(o, "i", json_integer(i));
		json_array_append_new(root, o);
	}
	json_array_append(root, before);
	json_decref(before); /* the array holds it now */
	ck_assert_uint_eq(json_array_size(root), 20001);
	char *text = json_dumps(json_array_get(root, 7), JSON_COMPACT | JSON_SORT_KEYS);
	ck_assert_str_eq(text, "{\"i\":7,\"key 7\":\"a value long enough to fill blocks quickly\"}");
	am_json__free_text(text);
	json_decref(root); /* frees `before` with free(), the rest with nothing */
	am_json__arena_end(a);
	json_t *after = json_string("after");
	text = json_dumps(after, JSON_ENCODE_ANY);
	ck_assert_str_eq(text, "\"after\"");
	am_json__free_text(text);
	json_decref(after);
	a = am_json__arena_begin();
	ck_assert_ptr_nonnull(a);
	am_json__arena_end(a);
}
END_TEST

/* A citation in compact text is written on a path of its own: the bytes
 * are those Jansson prints for the value the generic calls build, whatever
 * its path and field hold, for either role, with and without a line range,
 * a field or the malformed mark, first in its array or not. */
START_TEST(test_citation_compact)
{
	static const char *const paths[] = { "a.py", "q\"uote\\back/sl\x01\x1f\n\t\u00e9.py", "" };
	static const char *const fields[] = { NULL, "Evidence", "F\"i\\eld \r\x02 ✅" };
	static const uint32_t starts[][2] = { { 0, 0 }, { 7, 7 }, { 1, 4294967295u }, { 9, 3 } };
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
				for (int flags = 0; flags < 4; flags++) {
					am_citation ci = { 0 };
					ci.path = paths[p];
					ci.field = fields[f];
					ci.start = starts[k][0];
					ci.end = starts[k][1];
					ci.role = flags & 1 ? AM_CITE_MENTION : AM_CITE_EVIDENCE;
					ci.malformed = flags & 2;
					ci.line = (uint32_t)(p * 1000 + k);
					ci.column = 4294967295u - (uint32_t)f;
					am_jw v;
					am_jw_init_values(&v, 0);
					am_jw_array(&v);
					for (int n = 0; n < 2; n++)
						am_json__write_citation(&v, &ci);
					am_jw_array_end(&v);
					char *expect = json_dumps(v.root, JSON_COMPACT);
					/* After 0 to 200 bytes: each write meets the
					 * buffer's end at every place. */
					for (size_t pad = 0; pad <= 200; pad++) {
						am_buf b = AM_BUF_INIT;
						am_jw w;
						for (size_t i = 0; i < pad; i++)
							am_buf_putc(&b, ' ');
						am_jw_init(&w, &b, NULL, 0);
						am_jw_array(&w);
						for (int n = 0; n < 2; n++)
							am_json__write_citation(&w, &ci);
						am_jw_array_end(&w);
						ck_assert_int_eq(am_jw_finish(&w), 0);
						ck_assert_str_eq(b.ptr + pad, expect);
						am_buf_free(&b);
					}
					free(expect);
					json_decref(v.root);
				}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_loop_test(tc, test_fixture_roundtrip, 0, sizeof(fixtures) / sizeof(fixtures[0]));
	tcase_add_test(tc, test_escaping);
	tcase_add_test(tc, test_escaping_every_byte_everywhere);
	tcase_add_test(tc, test_report_value);
	tcase_add_test(tc, test_citation_compact);
	tcase_add_test(tc, test_finding_compact);
	tcase_add_test(tc, test_values_arena);
	tcase_add_loop_test(tc, test_parallel_findings, 0, sizeof(parallel_sizes) / sizeof(parallel_sizes[0]));
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
