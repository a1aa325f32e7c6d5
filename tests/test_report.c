/* Reports through templates: the "view" each command's report gets (labels,
 * groups, marks, citations as text and links, counts, chart coordinates),
 * seen through small templates given as files; the built-in templates;
 * partials; and the errors of bad formats and templates. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/report.h"
#include "testrepo.h"

static char *dir; /* templates are written here */

static void setup(void)
{
	dir = test_mkdtemp();
}

static void teardown(void)
{
	test_rmtree(dir);
	free(dir);
}

/* Writes `text` to DIR/NAME. */
static void write_file(const char *name, const char *text)
{
	am_buf path = AM_BUF_INIT;
	am_buf_printf(&path, "%s/%s", dir, name);
	FILE *fp = fopen(path.ptr, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	am_buf_free(&path);
}

/* Options that render DIR/NAME, written with `text`; path holds its name. */
static am_render_options template_options(am_buf *path, const char *name, const char *text)
{
	am_render_options o = AM_RENDER_OPTIONS_INIT;
	write_file(name, text);
	am_buf_clear(path);
	am_buf_printf(path, "%s/%s", dir, name);
	o.template_path = path->ptr;
	return o;
}

static const char audit[] =
	"# Review \"A & B\"\n"
	"\n"
	"## Backend\n"
	"\n"
	"### 1) Token leak\n"
	"- Status: Resolved\n"
	"- Priority: High\n"
	"- Evidence: `src/a.py:3-5` and `../outside.py:1` and `/etc/passwd:1`\n"
	"- Risk: first line\n"
	"  second line\n"
	"\n"
	"### 2) Open one\n"
	"- Status: In progress\n"
	"- Evidence: `src/b+c.py:2` and `src/b.py`\n"
	"\n"
	"## Web\n"
	"\n"
	"### W-1: Weird status\n"
	"- Status: Mulling it over\n"
	"- Severity: Critical\n";

/* ---- compile --------------------------------------------------------------------- */

static const struct {
	const char *template;
	const char *link_base;
	const char *expect;
} compile_views[] = {
	{ "{{view.title}}|{{{view.title}}}", NULL, "Review &quot;A &amp; B&quot;|Review \"A & B\"" },
	{ "{{view.open}} open, {{view.closed}} closed, {{view.unknown}} unknown{{#view.has_unknown}}!{{/view.has_unknown}}",
	  NULL, "1 open, 1 closed, 1 unknown!" },
	{ "{{#view.sections}}[{{heading}}:{{#items}} {{label}}{{/items}}]{{/view.sections}}", NULL,
	  "[Backend: #1 #2][Web: W-1]" },
	{ "{{#view.sections}}{{#items}}{{id}} {{mark}} {{status}} {{#closed}}closed {{/closed}}"
	  "{{priority}}/{{severity}}/{{status_text}};{{/items}}{{/view.sections}}",
	  NULL, "F1 ✓ resolved closed high//Resolved;F2 ◐ in_progress //In progress;W-1 ? unknown /critical/Mulling it over;" },
	{ "{{#view.sections}}{{#items}}{{#fields}}{{name}}={{value_line}};{{/fields}}{{/items}}{{/view.sections}}", NULL,
	  "Status=Resolved;Priority=High;Evidence=`src/a.py:3-5` and `../outside.py:1` and `/etc/passwd:1`;"
	  "Risk=first line second line;Status=In progress;Evidence=`src/b+c.py:2` and `src/b.py`;"
	  "Status=Mulling it over;Severity=Critical;" },
	/* Without a link base: text only. */
	{ "{{#view.sections}}{{#items}}{{#citations}}{{text}}={{href}};{{/citations}}{{/items}}{{/view.sections}}", NULL,
	  "src/a.py:3-5=;../outside.py:1=;/etc/passwd:1=;src/b+c.py:2=;src/b.py=;" },
	/* With one: links for paths inside the repository, at HEAD (a compile
	 * knows no commit), encoded, with the line anchors. */
	{ "{{#view.sections}}{{#items}}{{#citations}}{{{href}}};{{/citations}}{{/items}}{{/view.sections}}",
	  "https://forge.example/o/r/blob/{commit}",
	  "https://forge.example/o/r/blob/HEAD/src/a.py#L3-L5;;;"
	  "https://forge.example/o/r/blob/HEAD/src/b%2Bc.py#L2;https://forge.example/o/r/blob/HEAD/src/b.py;" },
	{ "{{#view.sections}}{{#items}}{{has_citations}} {{/items}}{{/view.sections}}", NULL, "true true false " },
};

static char *render_report(const char *template, const char *link_base, int *rc)
{
	am_report *r = test_compile_str(audit);
	char *out = NULL;
	size_t len = 0;
	am_buf path = AM_BUF_INIT;
	am_render_options o = template_options(&path, "t.mustache", template);
	o.link_base = link_base;
	*rc = am_report_render(&out, &len, r, "md", &o);
	if (out)
		ck_assert_uint_eq(strlen(out), len);
	am_buf_free(&path);
	am_report_free(r);
	return out;
}

START_TEST(test_compile_view)
{
	int rc;
	char *out = render_report(compile_views[_i].template, compile_views[_i].link_base, &rc);
	ck_assert_msg(rc == 0, "%s", am_error_last());
	ck_assert_str_eq(out, compile_views[_i].expect);
	free(out);
}
END_TEST

START_TEST(test_generator)
{
	int rc;
	char *out = render_report("{{view.generator}}", NULL, &rc);
	am_buf want = AM_BUF_INIT;
	am_buf_printf(&want, "auditmd %s", am_version());
	ck_assert_str_eq(out, want.ptr);
	am_buf_free(&want);
	free(out);
}
END_TEST

/* A template and what it renders to. */
typedef struct {
	const char *template;
	const char *expect;
} view_case;

/* ---- diff ---------------------------------------------------------------------------- */

static const view_case diff_views[] = {
	{ "{{view.title}}: {{view.old_label}} → {{view.new_label}} ({{view.heading_date}})",
	  "PLATFORM_AUDIT: 2026-01-15 → 2026-01-16 (2026-01-16)" },
	/* Groups in reading order, "Still open" last; empty groups left out. */
	{ "{{#view.groups}}{{heading}}={{count}}{{#changelog}}+{{/changelog}};{{/view.groups}}",
	  "Resolved=5+;New=1+;Still open=1+;" },
	{ "{{#view.groups}}{{#items}}{{label}} {{kind}} {{matched_by}}{{#status_changed}} {{old_status}}→{{status}}{{/status_changed}};{{/items}}{{/view.groups}}",
	  "#1 resolved title open→resolved;#2 resolved similarity open→resolved;#4 → #5 resolved title open→resolved;"
	  "#5 → #6 resolved title open→resolved;#6 → #7 resolved title open→resolved;#4 new ;#3 open title;" },
	{ "{{#view.groups}}{{#items}}{{#retitled}}{{old_title}} ⇒ {{title}} ({{similarity}});{{/retitled}}{{/items}}{{/view.groups}}",
	  "Upload handler trusts client MIME types ⇒ Upload hardening (Resolved) (0.84);" },
	{ "{{#view.groups}}{{#items}}{{changed}}|{{/items}}{{/view.groups}}",
	  "evidence, text|evidence, text|evidence, text|evidence, text|evidence, text||evidence, text|" },
};

START_TEST(test_diff_view)
{
	am_report *a = test_compile_file(test_data_dir(), "modern-2026-01-15.md");
	am_report *b = test_compile_file(test_data_dir(), "modern-2026-01-16.md");
	am_diff *d = NULL;
	ck_assert_int_eq(am_diff_run(&d, a, b, NULL), 0);
	am_buf path = AM_BUF_INIT;
	char *out = NULL;
	size_t len;
	am_render_options o = template_options(&path, "d.mustache", diff_views[_i].template);
	ck_assert_int_eq(am_diff_render(&out, &len, d, "md", &o), 0);
	ck_assert_str_eq(out, diff_views[_i].expect);
	free(out);
	am_buf_free(&path);
	am_diff_free(d);
	am_report_free(a);
	am_report_free(b);
}
END_TEST

/* ---- verify ------------------------------------------------------------------------ */

static const char verify_audit[] =
	"# V\n"
	"\n"
	"### 1) One\n"
	"- Evidence: `app.py:3`, `gone.py:1`, `x.c:5-6` and `old.py:1-2`\n";

static const view_case verify_views[] = {
	{ "{{view.errors}}/{{view.warnings}}/{{view.holding}} {{view.as_of_short}} {{view.target_short}} "
	  "{{view.as_of_reason}} {{view.target_date}}",
	  "1/2/1 0123456789 fedcba9876 date 2026-02-01" },
	{ "{{#view.groups}}{{heading}}={{count}}{{#collapsed}} (collapsed){{/collapsed}}: "
	  "{{#items}}{{state}} {{citation.text}}{{#written}} as {{written}}{{/written}}, {{/items}};{{/view.groups}}",
	  "Errors=1: missing gone.py:1, ;Warnings=2: ok lib/x.c:5-6 as x.c, moved old.py:1-2, ;"
	  "Holding=1 (collapsed): ok app.py:3, ;" },
	/* Each problem's text, as every format says it; the rule; the link
	 * to where moved lines are now. */
	{ "{{#view.groups}}{{#items}}{{rule}}: {{text}}|{{#now}}{{{now.href}}}|{{/now}}{{/items}}{{/view.groups}}",
	  "missing: missing|symbol_missing: symbol_missing (none of `parse`, `lex` in the cited lines)|"
	  "moved: moved to new.py:10-11|https://f.example/fedcba9876543210fedcba9876543210fedcba98/new.py#L10-L11|"
	  "ok: |" },
	/* Code at as-of is linked at the as-of commit. */
	{ "{{#view.groups}}{{#items}}{{{citation.href}}}|{{/items}}{{/view.groups}}",
	  "https://f.example/0123456789abcdef0123456789abcdef01234567/gone.py#L1|"
	  "https://f.example/0123456789abcdef0123456789abcdef01234567/lib/x.c#L5-L6|"
	  "https://f.example/0123456789abcdef0123456789abcdef01234567/old.py#L1-L2|"
	  "https://f.example/0123456789abcdef0123456789abcdef01234567/app.py#L3|" },
};

static const char *const verify_symbols[] = { "parse", "lex" };

START_TEST(test_verify_view)
{
	am_report *r = test_compile_str(verify_audit);
	ck_assert_uint_eq(r->findings[0].ncitations, 4);
	am_verify_result res[4];
	am_verify v;
	memset(res, 0, sizeof(res));
	memset(&v, 0, sizeof(v));
	for (int i = 0; i < 4; i++) {
		res[i].finding = &r->findings[0];
		res[i].citation = &r->findings[0].citations[i];
		res[i].path = r->findings[0].citations[i].path;
	}
	res[1].state = AM_VERIFY_MISSING;
	res[2].path = "lib/x.c"; /* a partial path resolved */
	res[2].warnings = AM_VERIFY_WARN_SYMBOL_MISSING;
	res[2].symbols = (const char **)verify_symbols;
	res[2].nsymbols = 2;
	res[3].state = AM_VERIFY_MOVED;
	res[3].now_path = "new.py";
	res[3].now_start = 10;
	res[3].now_end = 11;
	v.report = r;
	v.as_of_reason = AM_ASOF_DATE;
	memcpy(v.as_of.commit, "0123456789abcdef0123456789abcdef01234567", 41);
	memcpy(v.as_of.date, "2026-01-15", 11);
	memcpy(v.target.commit, "fedcba9876543210fedcba9876543210fedcba98", 41);
	memcpy(v.target.date, "2026-02-01", 11);
	v.results = res;
	v.nresults = 4;
	v.fail_on = AM_VERIFY_FAIL_ON_DEFAULT;

	am_buf path = AM_BUF_INIT;
	char *out = NULL;
	size_t len;
	am_render_options o = template_options(&path, "v.mustache", verify_views[_i].template);
	o.link_base = "https://f.example/{commit}/";
	ck_assert_int_eq(am_verify_render(&out, &len, &v, "md", &o), 0);
	ck_assert_str_eq(out, verify_views[_i].expect);
	free(out);
	/* A failing set of its own: moved is an error, missing is not. */
	v.fail_on = 1u << AM_VERIFY_MOVED;
	write_file("v.mustache", "{{view.errors}}/{{view.warnings}}/{{view.holding}}");
	ck_assert_int_eq(am_verify_render(&out, &len, &v, "md", &o), 0);
	ck_assert_str_eq(out, "1/2/1");
	free(out);
	am_buf_free(&path);
	am_report_free(r);
}
END_TEST

/* ---- log ---------------------------------------------------------------------------- */

static const view_case log_views[] = {
	{ "{{view.title}} {{view.path}} {{view.revision_count}} {{view.first_date}}..{{view.last_date}} "
	  "{{view.open}}/{{view.closed}}/{{view.findings}}",
	  "PLATFORM_AUDIT docs/AUDIT.md 3 2026-01-15..2026-01-17 1/6/7" },
	/* Newest first; the first revision has no diff. */
	{ "{{#view.revisions}}{{short}} {{date}}{{#audit_date}} (audit {{audit_date}}){{/audit_date}} {{author}}: "
	  "{{message}}{{#first}} first{{/first}}{{#counts}} +{{new}} ✓{{resolved}}{{/counts}};{{/view.revisions}}",
	  "ccccccc 2026-01-17 (audit 2026-01-16) Carol: third +0 ✓0;bbbbbbb 2026-01-16 Bob: second +1 ✓5;"
	  "aaaaaaa 2026-01-15 Alice: first first;" },
	/* The chart: three points spread over the plot, open and closed lines
	 * scaled to the largest count (6 open, then 6 closed), three ticks. */
	{ "{{view.chart.max}}|{{view.chart.open_points}}|{{view.chart.closed_points}}|"
	  "{{#view.chart.ticks}}{{value}}@{{y}} {{/view.chart.ticks}}",
	  "6|44.0,16.0 322.0,166.0 600.0,166.0|44.0,196.0 322.0,16.0 600.0,16.0|0@196.0 3@106.0 6@16.0 " },
};

START_TEST(test_log_view)
{
	am_report *a = test_compile_file(test_data_dir(), "modern-2026-01-15.md");
	am_report *b = test_compile_file(test_data_dir(), "modern-2026-01-16.md");
	am_log_entry e[3];
	am_log log = { 0 };
	memset(e, 0, sizeof(e));
	static const char *const who[] = { "Alice", "Bob", "Carol" }, *const what[] = { "first", "second", "third" };
	static const char *const dates[] = { "2026-01-15", "2026-01-16", "2026-01-17" };
	for (int i = 0; i < 3; i++) {
		memset(e[i].commit, "abc"[i], 40);
		memcpy(e[i].date, dates[i], 11);
		e[i].author = who[i];
		e[i].summary = what[i];
		e[i].path = "docs/AUDIT.md";
		e[i].report = i ? b : a;
		for (size_t k = 0; k < e[i].report->nfindings; k++) {
			if (am_status_is_closed(e[i].report->findings[k].status))
				e[i].closed++;
			else
				e[i].open++;
		}
	}
	ck_assert_int_eq(am_diff_run(&e[1].diff, a, b, NULL), 0);
	ck_assert_int_eq(am_diff_run(&e[2].diff, b, b, NULL), 0);
	log.path = "docs/AUDIT.md";
	log.entries = e;
	log.nentries = 3;

	am_buf path = AM_BUF_INIT;
	char *out = NULL;
	size_t len;
	am_render_options o = template_options(&path, "l.mustache", log_views[_i].template);
	ck_assert_int_eq(am_log_render(&out, &len, &log, "md", &o), 0);
	ck_assert_str_eq(out, log_views[_i].expect);
	free(out);
	am_buf_free(&path);
	am_diff_free(e[1].diff);
	am_diff_free(e[2].diff);
	am_report_free(a);
	am_report_free(b);
}
END_TEST

/* ---- templates: built-in, partials, errors --------------------------------------------- */

/* Every built-in format renders, and the HTML escapes the audit's text. */
static const char *const formats[] = { "md", "html" };

START_TEST(test_builtin)
{
	am_report *r = test_compile_str(audit);
	char *out = NULL;
	size_t len = 0;
	ck_assert_int_eq(am_report_render(&out, &len, r, formats[_i], NULL), 0);
	ck_assert_uint_gt(len, 100);
	ck_assert(strstr(out, "Token leak") != NULL);
	ck_assert(strstr(out, "Weird status") != NULL);
	if (!strcmp(formats[_i], "html")) {
		ck_assert(strstr(out, "Review &quot;A &amp; B&quot;") != NULL);
		ck_assert(strstr(out, "A & B") == NULL);
	}
	size_t tlen = 0;
	am_buf name = AM_BUF_INIT;
	am_buf_printf(&name, "compile.%s", formats[_i]);
	ck_assert_ptr_nonnull(am_builtin_template_text(name.ptr, &tlen));
	ck_assert_uint_gt(tlen, 0);
	am_buf_free(&name);
	free(out);
	am_report_free(r);
}
END_TEST

START_TEST(test_partials)
{
	am_report *r = test_compile_str(audit);
	am_buf path = AM_BUF_INIT;
	char *out = NULL;
	size_t len;
	write_file("item.mustache", "{{view.open}} open");
	am_render_options o = template_options(&path, "main.mustache", "<{{>item}}>{{>../escape}}");
	o.template_dir = dir;
	ck_assert_int_eq(am_report_render(&out, &len, r, "md", &o), 0);
	ck_assert_str_eq(out, "<1 open>"); /* a partial outside the folder is not read */
	free(out);
	/* A partial the folder lacks comes from the built-in ones (rendered
	 * with the same data). */
	write_file("main.mustache", "{{>style}}");
	ck_assert_int_eq(am_report_render(&out, &len, r, "md", &o), 0);
	ck_assert(strstr(am_builtin_template_text("style", NULL), "{{view.generator}}") != NULL);
	ck_assert(strstr(out, "<meta name=\"generator\" content=\"auditmd ") != NULL);
	ck_assert(strstr(out, "{{") == NULL);
	free(out);
	am_buf_free(&path);
	am_report_free(r);
}
END_TEST

static const struct {
	const char *format;
	const char *template; /* written to a file; NULL: none given; "-": a missing file */
	int rc;
	const char *message;
} errors[] = {
	{ "pdf", NULL, AM_EUSAGE, "no built-in compile template for format 'pdf'" },
	{ "md", "{{#open}}unclosed", AM_EPARSE, "t.mustache:1:" },
	{ "md", "line\n{{/stray}}", AM_EPARSE, "t.mustache:2:" },
	{ "md", "-", AM_ENOTFOUND, "nope.mustache" },
};

START_TEST(test_errors)
{
	am_report *r = test_compile_str(audit);
	am_render_options o = AM_RENDER_OPTIONS_INIT;
	am_buf path = AM_BUF_INIT;
	char *out = (char *)1;
	size_t len = 99;
	if (errors[_i].template) {
		am_buf_printf(&path, "%s/%s", dir, strcmp(errors[_i].template, "-") ? "t.mustache" : "nope.mustache");
		if (strcmp(errors[_i].template, "-"))
			write_file("t.mustache", errors[_i].template);
		o.template_path = path.ptr;
	}
	ck_assert_int_eq(am_report_render(&out, &len, r, errors[_i].format, &o), errors[_i].rc);
	ck_assert_ptr_null(out);
	ck_assert_uint_eq(len, 0);
	ck_assert_msg(strstr(am_error_last(), errors[_i].message) != NULL, "%s", am_error_last());
	o.version = 99;
	ck_assert_int_eq(am_report_render(&out, &len, r, "md", &o), AM_EUSAGE);
	am_buf_free(&path);
	am_report_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	TEST_LOOP(tc, test_compile_view, compile_views);
	tcase_add_test(tc, test_generator);
	TEST_LOOP(tc, test_diff_view, diff_views);
	TEST_LOOP(tc, test_verify_view, verify_views);
	TEST_LOOP(tc, test_log_view, log_views);
	TEST_LOOP(tc, test_builtin, formats);
	tcase_add_test(tc, test_partials);
	TEST_LOOP(tc, test_errors, errors);
	suite_add_tcase(s, tc);
	return s;
}

#include "check_main.h"
