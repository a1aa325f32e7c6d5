/*
 * test_mustache.c: the Mustache template engine. The official spec runs in
 * mustache_spec.c; these rows cover the engine's own choices (escaping,
 * truthiness, value formatting), hostile data, errors and limits.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mustache.h"
#include "util.h"

/* Partials from a JSON object; counts the calls, can fail on demand. */
typedef struct {
	json_t *partials;
	int calls;
	int fail_with; /* returned for every name when not 0 */
} loader_state;

static int load_partial(char **out, size_t *outlen, const char *name, void *payload)
{
	loader_state *st = payload;
	const json_t *text = json_object_get(st->partials, name);

	st->calls++;
	if (st->fail_with) {
		am_error_set("cannot read %s", name);
		return st->fail_with;
	}
	if (!json_is_string(text))
		return AM_ENOTFOUND;
	*outlen = json_string_length(text);
	*out = am_xstrndup(json_string_value(text), *outlen);
	return 0;
}

static json_t *parse_json(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text ? text : "{}", JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

	ck_assert_msg(v != NULL, "bad test JSON: %s", jerr.text);
	return v;
}

/* Renders `tmpl` with JSON `data` and `partials`; returns the code. */
static int render(am_buf *out, const char *tmpl, const char *data, loader_state *st)
{
	am_template *tpl = NULL;
	json_t *root = parse_json(data);
	int error = am_template_parse(&tpl, tmpl, strlen(tmpl), "t.mustache");

	if (error == 0)
		error = am_template_render(out, tpl, root, load_partial, st);
	am_template_free(tpl);
	json_decref(root);
	return error;
}

/* ---- rendering --------------------------------------------------------- */

static const struct {
	const char *what, *tmpl, *data, *partials, *expected;
} render_rows[] = {
	{ "escaping", "{{x}}", "{\"x\": \"& < > \\\" '\"}", NULL, "&amp; &lt; &gt; &quot; &#39;" },
	{ "triple mustache is raw", "{{{x}}}", "{\"x\": \"& < > \\\" '\"}", NULL, "& < > \" '" },
	{ "ampersand is raw", "{{& x }}", "{\"x\": \"<b>\"}", NULL, "<b>" },
	{ "hostile value escaped, not evaluated", "{{v}}",
	  "{\"v\": \"<script>{{x}}</script>\", \"x\": \"BAD\"}", NULL,
	  "&lt;script&gt;{{x}}&lt;/script&gt;" },
	{ "hostile raw value not evaluated", "{{{v}}}|{{&v}}",
	  "{\"v\": \"{{x}}{{>p}}{{=<% %>=}}\", \"x\": \"BAD\"}", "{\"p\": \"BAD\"}",
	  "{{x}}{{>p}}{{=<% %>=}}|{{x}}{{>p}}{{=<% %>=}}" },
	{ "hostile value in a section", "{{#l}}{{.}}{{/l}}", "{\"l\": [\"<script>\", \"{{l}}\"]}", NULL,
	  "&lt;script&gt;{{l}}" },
	{ "section over an array of objects", "{{#items}}<{{name}}>{{/items}}",
	  "{\"items\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", NULL, "<a><b>" },
	{ "section over an object", "{{#o}}{{k}}/{{top}}{{/o}}", "{\"o\": {\"k\": 1}, \"top\": 2}",
	  NULL, "1/2" },
	{ "section over scalars", "{{#l}}{{.}},{{/l}}", "{\"l\": [1, 2.5, \"s\", true, false]}", NULL,
	  "1,2.5,s,true,false," },
	{ "nested arrays", "{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\": [[1, 2], [], [3]]}", NULL,
	  "(12)()(3)" },
	{ "inverted over an empty array", "{{^l}}none{{/l}}", "{\"l\": []}", NULL, "none" },
	{ "inverted over an empty object", "{{^o}}none{{/o}}", "{\"o\": {}}", NULL, "" },
	{ "empty string is falsy", "{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", NULL, "no" },
	{ "zero is truthy", "{{#n}}yes {{.}}{{/n}}", "{\"n\": 0}", NULL, "yes 0" },
	{ "null and missing are falsy", "{{^n}}a{{/n}}{{^m}}b{{/m}}", "{\"n\": null}", NULL, "ab" },
	{ "dotted names", "{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", NULL, "deep" },
	{ "dotted name does not fall back", "{{#a}}[{{b.c}}]{{/a}}",
	  "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"wrong\"}}", NULL, "[]" },
	{ "dotted name through a scalar", "[{{a.b}}]", "{\"a\": \"str\"}", NULL, "[]" },
	{ "empty name segments miss", "[{{a..b}}{{.a}}{{a.}}]", "{\"a\": {\"\": {\"b\": 1}}}", NULL,
	  "[]" },
	{ "context stack", "{{#a}}{{#b}}{{x}}{{y}}{{/b}}{{/a}}",
	  "{\"a\": {\"x\": 1, \"b\": {\"y\": 2}}, \"x\": 0}", NULL, "12" },
	{ "numbers", "{{i}} {{r}} {{n}} {{t}} {{e}}",
	  "{\"i\": -42, \"r\": 1.21, \"n\": -0.5, \"t\": 3.0, \"e\": 1e300}", NULL,
	  "-42 1.21 -0.5 3 1e+300" },
	{ "null and missing render nothing", "[{{n}}{{m}}{{{n}}}]", "{\"n\": null}", NULL, "[]" },
	{ "arrays and objects as JSON", "{{a}} {{{o}}}", "{\"a\": [1, \"<\"], \"o\": {\"k\": null}}",
	  NULL, "[1,&quot;&lt;&quot;] {\"k\":null}" },
	{ "root array", "{{#.}}{{v}}{{/.}}", "[{\"v\": 1}, {\"v\": 2}]", NULL, "12" },
	{ "UTF-8 passes through", "{{x}} ✓", "{\"x\": \"é ✓\"}", NULL, "é ✓ ✓" },
	{ "CRLF preserved", "a\r\n{{#t}}\r\n  b\r\n{{/t}}\r\nc {{x}}\r\n\r\n",
	  "{\"t\": true, \"x\": 1}", NULL, "a\r\n  b\r\nc 1\r\n\r\n" },
	{ "lone CR is not a line ending", "a\r{{#t}}\rb{{/t}}\r", "{\"t\": true}", NULL, "a\r\rb\r" },
	{ "no trailing newline", "x\n{{#t}}\ny{{/t}}", "{\"t\": true}", NULL, "x\ny" },
	{ "standalone comment", "a\n  {{! note }}  \nb", NULL, NULL, "a\nb" },
	{ "set delimiters", "{{=<% %>=}}<%x%>{{x}}<%={{ }}=%>{{x}}", "{\"x\": 1}", NULL, "1{{x}}1" },
	{ "partial", "[{{>p}}]", "{\"x\": 1}", "{\"p\": \"x={{x}}\"}", "[x=1]" },
	{ "missing partial", "[{{>nope}}]", NULL, NULL, "[]" },
	{ "standalone partial indentation", "  {{>p}}\nend", "{\"v\": \"1\\n2\"}",
	  "{\"p\": \"a\\n\\n{{v}}\\n\"}", "  a\n\n  1\n2\nend" },
	{ "nested partial indentation", "  {{>p}}\n", NULL,
	  "{\"p\": \"p\\n  {{>q}}\\n\", \"q\": \"q1\\nq2\\n\"}", "  p\n    q1\n    q2\n" },
	{ "partial indentation inside a section", "{{#l}}\n  {{>p}}\n{{/l}}\n", "{\"l\": [1, 2]}",
	  "{\"p\": \"<{{.}}>\\n\"}", "  <1>\n  <2>\n" },
	{ "recursive partial over data", "{{>node}}",
	  "{\"n\": \"a\", \"kids\": [{\"n\": \"b\", \"kids\": [{\"n\": \"c\", \"kids\": []}]}]}",
	  "{\"node\": \"{{n}}({{#kids}}{{>node}}{{/kids}})\"}", "a(b(c()))" },
	{ "dynamic partial", "{{#l}}{{>*kind}};{{/l}}",
	  "{\"l\": [{\"kind\": \"t\", \"v\": 1}, {\"kind\": \"u\", \"v\": 2}, {\"kind\": null}]}",
	  "{\"t\": \"T{{v}}\", \"u\": \"U{{v}}\"}", "T1;U2;;" },
	{ "dynamic name with a NUL byte", "[{{>*k}}]", "{\"k\": \"p\\u0000x\"}", "{\"p\": \"BAD\"}",
	  "[]" },
	{ "inheritance", "{{<base}}{{$title}}Mine{{/title}}{{/base}}", NULL,
	  "{\"base\": \"<h1>{{$title}}Default{{/title}}</h1>{{$body}}-{{/body}}\"}", "<h1>Mine</h1>-" },
	{ "block re-indentation", "{{<base}}\n{{$body}}\n  x\n    y\n{{/body}}\n{{/base}}\n", NULL,
	  "{\"base\": \"<div>\\n    {{$body}}\\n    {{/body}}\\n</div>\\n\"}",
	  "<div>\n    x\n      y\n</div>\n" },
};

START_TEST(test_render)
{
	loader_state st = { NULL, 0, 0 };
	am_buf out = AM_BUF_INIT;
	int error;

	st.partials = parse_json(render_rows[_i].partials);
	error = render(&out, render_rows[_i].tmpl, render_rows[_i].data, &st);
	ck_assert_msg(error == 0, "%s: error %d: %s", render_rows[_i].what, error, am_error_last());
	ck_assert_msg(out.size == strlen(render_rows[_i].expected) &&
			      memcmp(am_buf_cstr(&out), render_rows[_i].expected, out.size) == 0,
		      "%s: got \"%s\"", render_rows[_i].what, am_buf_cstr(&out));
	am_buf_free(&out);
	json_decref(st.partials);
}
END_TEST

/* ---- parse errors ------------------------------------------------------ */

static const struct {
	const char *tmpl;
	int code;
	const char *message;
} error_rows[] = {
	{ "{{#a}}x", AM_EPARSE, "t.mustache:1:1: unclosed section 'a'" },
	{ "a\nb {{^inv}}", AM_EPARSE, "t.mustache:2:3: unclosed inverted section 'inv'" },
	{ "{{#a}}\n  {{#b}}{{/a}}", AM_EPARSE,
	  "t.mustache:2:9: close tag 'a' does not match section 'b' opened at 2:3" },
	{ "x{{/a}}", AM_EPARSE, "t.mustache:1:2: unexpected close tag 'a'" },
	{ "ab\ncd {{x", AM_EPARSE, "t.mustache:2:4: unclosed tag (no '}}' after it)" },
	{ "{{{x}}", AM_EPARSE, "t.mustache:1:1: unclosed tag (no '}}}' after it)" },
	{ "{{=<% %>}}", AM_EPARSE, "t.mustache:1:1: unclosed tag (no '=}}' after it)" },
	{ "{{=<% %>=}}<%x", AM_EPARSE, "t.mustache:1:12: unclosed tag (no '%>' after it)" },
	{ "\n {{=<%%>=}}", AM_EPARSE, "t.mustache:2:2: invalid delimiter change" },
	{ "{{= <% % %> =}}", AM_EPARSE, "t.mustache:1:1: invalid delimiter change" },
	{ "{{=<= =>=}}", AM_EPARSE, "t.mustache:1:1: invalid delimiter change" },
	{ "{{}}", AM_EPARSE, "t.mustache:1:1: empty tag name" },
	{ "{{{ }}}", AM_EPARSE, "t.mustache:1:1: empty tag name" },
	{ "{{> * }}", AM_EPARSE, "t.mustache:1:1: empty tag name" },
	{ "{{<p}}{{/q}}", AM_EPARSE, "t.mustache:1:7: close tag 'q' does not match parent 'p' opened at 1:1" },
	{ "{{<*p}}{{/p}}", AM_EPARSE,
	  "t.mustache:1:8: close tag 'p' does not match parent '*p' opened at 1:1" },
	{ "{{$b}}", AM_EPARSE, "t.mustache:1:1: unclosed block 'b'" },
	{ "{{#a\nb}}", AM_EPARSE, "t.mustache:1:1: unclosed section 'a?b'" },
};

START_TEST(test_parse_error)
{
	am_template *tpl = NULL;
	const char *tmpl = error_rows[_i].tmpl;
	int error;

	am_error_clear();
	error = am_template_parse(&tpl, tmpl, strlen(tmpl), "t.mustache");
	ck_assert_int_eq(error, error_rows[_i].code);
	ck_assert_ptr_null(tpl);
	ck_assert_str_eq(am_error_last(), error_rows[_i].message);
}
END_TEST

/* ---- limits and failures ----------------------------------------------- */

/* "{{#s}}" n times, then "{{/s}}" n times. */
static char *nested_sections(int n)
{
	am_buf b = AM_BUF_INIT;

	for (int i = 0; i < n; i++)
		am_buf_puts(&b, "{{#s}}");
	am_buf_putc(&b, 'x');
	for (int i = 0; i < n; i++)
		am_buf_puts(&b, "{{/s}}");
	return am_buf_detach(&b);
}

START_TEST(test_nesting_limit)
{
	char *ok = nested_sections(AM_TEMPLATE_MAX_DEPTH);
	char *deep = nested_sections(AM_TEMPLATE_MAX_DEPTH + 1);
	am_template *tpl = NULL;
	am_buf out = AM_BUF_INIT;
	json_t *data = parse_json("{\"s\": true}");

	ck_assert_int_eq(am_template_parse(&tpl, ok, strlen(ok), "t"), 0);
	ck_assert_int_eq(am_template_render(&out, tpl, data, NULL, NULL), 0);
	ck_assert_str_eq(am_buf_cstr(&out), "x");
	am_template_free(tpl);

	ck_assert_int_eq(am_template_parse(&tpl, deep, strlen(deep), "t"), AM_ELIMIT);
	ck_assert_ptr_null(tpl);
	ck_assert_str_eq(am_error_last(), "t:1:601: sections nested deeper than 100 levels");

	json_decref(data);
	am_buf_free(&out);
	free(ok);
	free(deep);
}
END_TEST

START_TEST(test_recursion_limit)
{
	loader_state st = { NULL, 0, 0 };
	am_buf out = AM_BUF_INIT;

	st.partials = parse_json("{\"self\": \"x\\n {{>self}}\"}");
	am_buf_puts(&out, "kept");
	ck_assert_int_eq(render(&out, "{{>self}}", NULL, &st), AM_ELIMIT);
	ck_assert_str_eq(am_error_last(), "self:2:2: 'self' nested deeper than 100 levels");
	ck_assert_str_eq(am_buf_cstr(&out), "kept"); /* left as it was */
	ck_assert_int_eq(st.calls, 1);                /* parsed once, then cached */
	json_decref(st.partials);
	am_buf_free(&out);
}
END_TEST

START_TEST(test_inheritance_recursion_limit)
{
	loader_state st = { NULL, 0, 0 };
	am_buf out = AM_BUF_INIT;

	/* A block that contains itself in its own override never ends. */
	st.partials = parse_json("{\"p\": \"{{$a}}{{/a}}\", \"q\": \"{{<q}}{{/q}}\"}");
	ck_assert_int_eq(render(&out, "{{<p}}{{$a}}[{{$a}}{{/a}}]{{/a}}{{/p}}", NULL, &st), AM_ELIMIT);
	ck_assert_int_eq(render(&out, "{{<q}}{{/q}}", NULL, &st), AM_ELIMIT);
	ck_assert_uint_eq(out.size, 0);
	json_decref(st.partials);
	am_buf_free(&out);
}
END_TEST

START_TEST(test_partial_parse_error)
{
	loader_state st = { NULL, 0, 0 };
	am_buf out = AM_BUF_INIT;

	st.partials = parse_json("{\"broken\": \"ok\\n  {{#open}}\"}");
	ck_assert_int_eq(render(&out, "a {{>broken}}", NULL, &st), AM_EPARSE);
	ck_assert_str_eq(am_error_last(), "broken:2:3: unclosed section 'open'");
	ck_assert_uint_eq(out.size, 0);
	json_decref(st.partials);
	am_buf_free(&out);
}
END_TEST

START_TEST(test_loader_error)
{
	loader_state st = { NULL, 0, AM_EIO };
	am_buf out = AM_BUF_INIT;

	st.partials = parse_json("{}");
	ck_assert_int_eq(render(&out, "a {{>p}}", NULL, &st), AM_EIO);
	ck_assert_str_eq(am_error_last(), "cannot read p");
	ck_assert_uint_eq(out.size, 0);
	json_decref(st.partials);
	am_buf_free(&out);
}
END_TEST

START_TEST(test_partial_cache)
{
	loader_state st = { NULL, 0, 0 };
	am_buf out = AM_BUF_INIT;
	char name[16];
	am_buf tmpl = AM_BUF_INIT;

	/* 40 names (found and missing), each used three times: one load each. */
	st.partials = parse_json("{}");
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		if (i % 2 == 0)
			json_object_set_new(st.partials, name, json_string(name));
	}
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 40; i++)
			am_buf_printf(&tmpl, "{{>p%d}}", i);
	ck_assert_int_eq(render(&out, am_buf_cstr(&tmpl), NULL, &st), 0);
	ck_assert_int_eq(st.calls, 40);
	ck_assert_str_eq(out.ptr + out.size - 6, "p36p38");
	json_decref(st.partials);
	am_buf_free(&out);
	am_buf_free(&tmpl);
}
END_TEST

START_TEST(test_reuse)
{
	am_template *tpl = NULL;
	am_buf out = AM_BUF_INIT;
	json_t *a = parse_json("{\"x\": 1}"), *b = parse_json("{\"x\": 2}");
	const char text[] = "<{{x}}>\0ignored";

	/* The length counts, not the NUL; the template is reusable. */
	ck_assert_int_eq(am_template_parse(&tpl, text, sizeof(text) - 1, NULL), 0);
	ck_assert_int_eq(am_template_render(&out, tpl, a, NULL, NULL), 0);
	ck_assert_int_eq(am_template_render(&out, tpl, b, NULL, NULL), 0);
	ck_assert_uint_eq(out.size, 2 * sizeof("<1>\0ignored") - 2);
	ck_assert_int_eq(memcmp(out.ptr, "<1>\0ignored<2>\0ignored", out.size), 0);
	am_template_free(tpl);
	am_template_free(NULL);
	json_decref(a);
	json_decref(b);
	am_buf_free(&out);
}
END_TEST

/* Partials parsed by the caller: "p" only. */
static const am_template *parsed_p(const char *name, size_t len, void *payload)
{
	return len == 1 && name[0] == 'p' ? payload : NULL;
}

static int keep_bytes(const char *bytes, size_t len, void *payload)
{
	am_buf_put(payload, bytes, len);
	return 0;
}

/* A partial the caller parsed is taken as it is, from any number of
 * renders, and not loaded; the others are loaded as before. */
START_TEST(test_parsed_partials)
{
	am_template *tpl = NULL, *p = NULL;
	am_buf out = AM_BUF_INIT;
	json_t *data = parse_json("{\"x\": [1, 2]}");
	loader_state st = { parse_json("{\"p\": \"loaded p\", \"q\": \"(q{{.}})\"}"), 0, 0 };
	const char text[] = "{{#x}}{{>p}}{{>q}}{{/x}}", ptext[] = "[p{{.}}]";

	ck_assert_int_eq(am_template_parse(&tpl, text, strlen(text), "t"), 0);
	ck_assert_int_eq(am_template_parse(&p, ptext, strlen(ptext), "p"), 0);
	am_template_write_options o = { load_partial, &st, keep_bytes, &out, 0, 0, parsed_p, p };
	for (int round = 0; round < 2; round++) {
		am_buf_clear(&out);
		ck_assert_int_eq(am_template_write(tpl, data, &o), 0);
		ck_assert_str_eq(am_buf_cstr(&out), "[p1](q1)[p2](q2)");
	}
	/* "q" once a render (cached by name within it), "p" never. */
	ck_assert_int_eq(st.calls, 2);
	am_template_free(tpl);
	am_template_free(p); /* still the caller's */
	json_decref(data);
	json_decref(st.partials);
	am_buf_free(&out);
}
END_TEST

/* ---- streaming and the limits on output and work ---------------------- */

/* A sink that keeps what it gets and counts the pieces. */
typedef struct {
	am_buf got;
	int pieces;
	size_t largest;
	int fail_at_piece; /* fails with AM_EIO on this piece, when not 0 */
} collector;

static int collect(const char *bytes, size_t len, void *payload)
{
	collector *c = payload;
	if (++c->pieces == c->fail_at_piece) {
		am_error_set("disk full");
		return AM_EIO;
	}
	am_buf_put(&c->got, bytes, len);
	if (len > c->largest)
		c->largest = len;
	return 0;
}

/* am_template_write of `tmpl` on `data` into c, with the given limits. */
static int write_to(collector *c, const char *tmpl, const char *data, size_t max_output,
		    uint64_t max_steps)
{
	am_template *tpl = NULL;
	json_t *root = parse_json(data);
	am_template_write_options o = { NULL, NULL, collect, c, max_output, max_steps };
	int error = am_template_parse(&tpl, tmpl, strlen(tmpl), "t.mustache");

	if (error == 0)
		error = am_template_write(tpl, root, &o);
	am_template_free(tpl);
	json_decref(root);
	return error;
}

/* {{#a}} `depth` times around body. */
static void nested(am_buf *tmpl, int depth, const char *body)
{
	for (int i = 0; i < depth; i++)
		am_buf_puts(tmpl, "{{#a}}");
	am_buf_puts(tmpl, body);
	for (int i = 0; i < depth; i++)
		am_buf_puts(tmpl, "{{/a}}");
}

/* {"KEY": [0, 1, ... n-1]}, or with a prefix ["PREFIX0", "PREFIX1", ...]. */
static void json_list(am_buf *data, const char *key, const char *prefix, int n)
{
	am_buf_printf(data, "{\"%s\": [", key);
	for (int i = 0; i < n; i++) {
		if (prefix)
			am_buf_printf(data, "%s\"%s%d\"", i ? "," : "", prefix, i);
		else
			am_buf_printf(data, "%s%d", i ? "," : "", i);
	}
	am_buf_puts(data, "]}");
}

/* The output reaches the sink in pieces as it is made, never held whole. */
START_TEST(test_streams)
{
	collector c = { AM_BUF_INIT, 0, 0, 0 };
	am_buf whole = AM_BUF_INIT;
	am_buf data = AM_BUF_INIT;
	const char *tmpl = "{{#items}}<{{.}}>\n{{/items}}";

	json_list(&data, "items", "item ", 100000);
	ck_assert_int_eq(write_to(&c, tmpl, data.ptr, 0, 0), 0);
	ck_assert_int_eq(render(&whole, tmpl, data.ptr, NULL), 0);
	ck_assert_uint_eq(c.got.size, whole.size);
	ck_assert_int_eq(memcmp(c.got.ptr, whole.ptr, whole.size), 0);
	ck_assert_int_gt(c.pieces, 15);            /* 1.4 MB in pieces */
	ck_assert_uint_lt(c.largest, 65536 + 64); /* of about 64 KiB */
	am_buf_free(&c.got);
	am_buf_free(&whole);
	am_buf_free(&data);
}
END_TEST

START_TEST(test_sink_error)
{
	collector c = { AM_BUF_INIT, 0, 0, 2 };
	am_buf data = AM_BUF_INIT;

	char *wide = am_xmalloc(65537);
	memset(wide, 'w', 65536);
	wide[65536] = '\0';
	json_list(&data, "a", wide, 3);
	free(wide);
	ck_assert_int_eq(write_to(&c, "{{#a}}{{.}}{{/a}}", data.ptr, 0, 0), AM_EIO);
	ck_assert_str_eq(am_error_last(), "disk full");
	ck_assert_int_eq(c.pieces, 2); /* the render stopped there */
	am_buf_free(&c.got);
	am_buf_free(&data);
}
END_TEST

/* The public calls (template.h): JSON text in, bytes out to a FILE as they
 * are made, partials from the loader; any JSON value is a root context; a
 * data error names its position, a failed write is AM_EIO. */
START_TEST(test_public_render_to)
{
	const char *tmpl = "Hi {{name}}! {{> p}}{{> missing}}", *json = "{\"name\": \"<b>\", \"x\": [1, 2]}";
	loader_state st = { parse_json("{\"p\": \"[{{#x}}{{.}}{{/x}}]\"}"), 0, 0 };
	am_template *tpl = NULL;
	am_template_data *data = NULL, *bad = (am_template_data *)&st;
	char *got = NULL;
	size_t len = 0;

	ck_assert_int_eq(am_template_parse(&tpl, tmpl, strlen(tmpl), "t.mustache"), 0);
	ck_assert_int_eq(am_template_data_parse(&bad, "{\"a\": }", 7, "d.json"), AM_EPARSE);
	ck_assert_ptr_null(bad);
	ck_assert_msg(!strncmp(am_error_last(), "d.json:1:", 9), "%s", am_error_last());
	ck_assert_int_eq(am_template_data_parse(&data, json, strlen(json), "d.json"), 0);
	FILE *fp = open_memstream(&got, &len);
	ck_assert_int_eq(am_template_render_to(fp, tpl, data, load_partial, &st), 0);
	fclose(fp);
	ck_assert_str_eq(got, "Hi &lt;b&gt;! [12]");
	ck_assert_int_eq(st.calls, 2);
	free(got);
	/* Any JSON value is a root context; data without a name is "<json>". */
	am_template_data *number = NULL;
	am_template *dot = NULL;
	ck_assert_int_eq(am_template_parse(&dot, "[{{.}}]", 7, NULL), 0);
	ck_assert_int_eq(am_template_data_parse(&number, "42", 2, NULL), 0);
	fp = open_memstream(&got, &len);
	ck_assert_int_eq(am_template_render_to(fp, dot, number, NULL, NULL), 0);
	fclose(fp);
	ck_assert_str_eq(got, "[42]");
	free(got);
	am_template_data_free(number);
	am_template_free(dot);
	ck_assert_int_eq(am_template_data_parse(&bad, "{\"a\": [1,\n 2", 13, NULL), AM_EPARSE);
	ck_assert_msg(!strncmp(am_error_last(), "<json>:2:", 9), "%s", am_error_last());
	/* Unbuffered, so that the first write fails. */
	FILE *full = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(full);
	setvbuf(full, NULL, _IONBF, 0);
	ck_assert_int_eq(am_template_render_to(full, tpl, data, NULL, NULL), AM_EIO);
	ck_assert_msg(!strncmp(am_error_last(), "write failed: ", 14), "%s", am_error_last());
	ck_assert(ferror(full));
	fclose(full);
	am_template_data_free(data);
	am_template_data_free(NULL);
	am_template_free(tpl);
	json_decref(st.partials);
}
END_TEST

/* Nested sections over two elements, `depth` deep around `body`: 2^depth
 * steps, stopped by a limit with the position where it was reached. */
static const struct {
	const char *what, *body, *data;
	int depth;
	size_t max_output;
	uint64_t max_steps;
	const char *error;
} limit_rows[] = {
	{ "the work limit, at the innermost tag, whatever the depth", "", "{\"a\": [1, 2]}", 60, 0,
	  100000, "t.mustache:1:355: over the work limit (100000 steps more than the bytes written)" },
	{ "the output limit: 2^20 copies of 16 bytes, 1 MiB allowed", "\n  {{v}}",
	  "{\"a\": [1, 2], \"v\": \"0123456789abcdef\"}", 20, 1 << 20, 0,
	  "t.mustache:2:3: over the output limit of 1048576 bytes" },
};

START_TEST(test_limits)
{
	collector c = { AM_BUF_INIT, 0, 0, 0 };
	am_buf tmpl = AM_BUF_INIT;

	nested(&tmpl, limit_rows[_i].depth, limit_rows[_i].body);
	ck_assert_int_eq(write_to(&c, tmpl.ptr, limit_rows[_i].data, limit_rows[_i].max_output,
				  limit_rows[_i].max_steps),
			 AM_ELIMIT);
	ck_assert_str_eq(am_error_last(), limit_rows[_i].error);
	ck_assert_uint_le(c.got.size, limit_rows[_i].max_output);
	am_buf_free(&c.got);
	am_buf_free(&tmpl);
}
END_TEST

/* Work that writes is paid by its output: 200,000 elements take 400,000
 * steps, far over a limit of 1,000 steps, and succeed. */
START_TEST(test_work_follows_output)
{
	collector c = { AM_BUF_INIT, 0, 0, 0 };
	am_buf data = AM_BUF_INIT;

	json_list(&data, "n", NULL, 200000);
	ck_assert_int_eq(write_to(&c, "{{#n}}{{.}}{{/n}}", data.ptr, 0, 1000), 0);
	ck_assert_uint_eq(c.got.size, 1088890); /* the digits of 0..199999 */
	am_buf_free(&c.got);
	am_buf_free(&data);
}
END_TEST

static Suite *mustache_suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("render");

	tcase_add_loop_test(tc, test_render, 0, (int)(sizeof(render_rows) / sizeof(render_rows[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_error");
	tcase_add_loop_test(tc, test_parse_error, 0, (int)(sizeof(error_rows) / sizeof(error_rows[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_recursion_limit);
	tcase_add_test(tc, test_inheritance_recursion_limit);
	tcase_add_test(tc, test_partial_parse_error);
	tcase_add_test(tc, test_loader_error);
	tcase_add_test(tc, test_partial_cache);
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_parsed_partials);
	tcase_add_test(tc, test_streams);
	tcase_add_test(tc, test_sink_error);
	tcase_add_test(tc, test_public_render_to);
	tcase_add_loop_test(tc, test_limits, 0, (int)(sizeof(limit_rows) / sizeof(limit_rows[0])));
	tcase_add_test(tc, test_work_follows_output);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mustache_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
