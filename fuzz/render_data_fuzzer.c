/*
 * render_data_fuzzer: JSON data as `auditmd render` reads it (--data),
 * rendered through one fixed template that walks the documented JSON
 * contracts (auditmd/1, -diff/1, -log/1, -verify/1) and, through the
 * recursive "row" partial, any nesting of the data.
 *
 * Promises checked: data that loads renders, or fails with AM_ELIMIT
 * (nesting, or the output and work limits, set small here) and a message;
 * the output stays under its limit.
 */
#include <string.h>

#include "json_int.h"
#include "mustache.h"

#include "fuzzer.h"
#include "partials.h"

static const char template_text[] =
	"# {{title}}{{^title}}Untitled{{/title}} ({{schema}}, {{date}})\n"
	"{{#metadata}}{{Date}} {{Scope}} {{&title}}{{/metadata}}\n"
	"{{#findings}}\n"
	"- {{id}}{{#number}} #{{.}}{{/number}} {{title}} [{{status}}{{#status_text}}: {{.}}{{/status_text}}]"
	" {{severity}} {{priority}} {{kind}}{{#id_explicit}} (explicit){{/id_explicit}}\n"
	"  {{#section}}{{.}} / {{/section}}{{#tasks}}{{done}}/{{total}}{{/tasks}}\n"
	"  {{#fields}}{{{.}}}{{/fields}}\n"
	"  {{#citations}}`{{path}}{{#start}}:{{start}}-{{end}}{{/start}}` {{role}} {{line}}:{{column}} {{field}}\n"
	"  {{/citations}}{{^citations}}  no citations\n{{/citations}}"
	"{{/findings}}\n"
	"{{#diagnostics}}{{line}}:{{column}}: {{severity}}: {{message}} [{{code}}]\n{{/diagnostics}}"
	"{{#summary}}new {{new}}, removed {{removed}}, resolved {{resolved}}, regressed {{regressed}},"
	" ok {{ok}}, moved {{moved}}{{/summary}}\n"
	"{{#changes}}{{kind}}: {{#old}}{{id}} {{title}}{{/old}} -> {{#new}}{{id}} {{title}}{{/new}}"
	" ({{#changed}}{{.}} {{/changed}}{{matched_by}} {{similarity}} {{resolution}})\n{{/changes}}"
	"{{#entries}}{{commit}} {{date}} {{author}}: {{message}} {{#totals}}{{open}}/{{findings}}{{/totals}}\n{{/entries}}"
	"{{#results}}{{finding}} {{path}} {{state}} {{#now}}{{path}}:{{start}}{{/now}}"
	" {{#symbols}}{{#looked_for}}{{.}},{{/looked_for}}{{/symbols}} {{#warnings}}{{.}}{{/warnings}}\n{{/results}}"
	"{{#as_of}}{{commit}} {{old}} {{new}}{{/as_of}}{{#target}}{{commit}}{{/target}}\n"
	"{{#view}}{{>row}}{{/view}}\n"
	"{{{.}}}\n{{.}}\n{{#.}}<{{.}}>{{/.}}{{^.}}nothing{{/.}}\n"
	"{{>row}}\n";

static int keep(const char *bytes, size_t len, void *payload)
{
	am_buf_put(payload, bytes, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static am_template *tpl;
	json_t *values = NULL;
	am_buf out = AM_BUF_INIT;
	int rc;

	if (!tpl && am_template_parse(&tpl, template_text, sizeof(template_text) - 1, "fixed") < 0) {
		fprintf(stderr, "render_data_fuzzer: %s\n", am_error_last());
		abort();
	}
	rc = am_json__load(&values, (const char *)data, size, "fuzz.json");
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE && values == NULL);
		goto done;
	}
	am_template_write_options o = { am_fuzz_load_partial, NULL, keep, &out, (size_t)1 << 20,
					(uint64_t)1 << 20 };
	rc = am_template_write(tpl, values, &o);
	AM_FUZZ_CHECK(out.size <= (size_t)1 << 20);
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_ELIMIT);
		AM_FUZZ_CHECK(am_error_last()[0] != '\0');
	}
done:
	am_buf_free(&out);
	json_decref(values);
	am_error_clear();
	return 0;
}
