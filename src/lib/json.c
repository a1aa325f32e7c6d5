/*
 * json.c: the only module that touches Jansson (besides the template engine,
 * which renders Jansson values). Writes the documented JSON contracts and
 * reads the configuration file.
 */
#include "auditmd/json.h"

#include <jansson.h>
#include <string.h>

#include "json_int.h"
#include "util.h"
#include "vocab.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *line_or_null(uint32_t v)
{
	return v ? json_integer(v) : json_null();
}

json_t *am_json__citation(const am_citation *ci)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(ci->path));
	json_object_set_new(o, "start", line_or_null(ci->start));
	json_object_set_new(o, "end", line_or_null(ci->start ? ci->end : 0));
	json_object_set_new(o, "role", json_string(am_cite_role_name(ci->role)));
	json_object_set_new(o, "line", json_integer(ci->line));
	json_object_set_new(o, "column", json_integer(ci->column));
	if (ci->field)
		json_object_set_new(o, "field", json_string(ci->field));
	if (ci->malformed)
		json_object_set_new(o, "malformed", json_true());
	return o;
}

json_t *am_json__finding(const am_finding *f)
{
	json_t *o = json_object();
	json_t *sec = json_array(), *fields = json_object(), *cites = json_array();

	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "number", str_or_null(f->number));
	json_object_set_new(o, "title", json_string(f->title));
	for (size_t i = 0; i < f->nsection; i++)
		json_array_append_new(sec, json_string(f->section[i]));
	json_object_set_new(o, "section", sec);
	json_object_set_new(o, "status", json_string(am_status_name(f->status)));
	json_object_set_new(o, "status_text", str_or_null(f->status_text));
	json_object_set_new(o, "priority", str_or_null(am_priority_name(f->priority)));
	json_object_set_new(o, "severity", str_or_null(am_severity_name(f->severity)));
	for (size_t i = 0; i < f->nfields; i++)
		if (!json_object_get(fields, f->fields[i].name))
			json_object_set_new(fields, f->fields[i].name, json_string(f->fields[i].value));
	json_object_set_new(o, "fields", fields);
	for (size_t i = 0; i < f->ncitations; i++)
		json_array_append_new(cites, am_json__citation(&f->citations[i]));
	json_object_set_new(o, "citations", cites);
	json_object_set_new(o, "line", json_integer(f->line));
	json_object_set_new(o, "column", json_integer(f->column));
	json_object_set_new(o, "end_line", json_integer(f->end_line));
	json_object_set_new(o, "kind", json_string(am_finding_kind_name(f->kind)));
	json_object_set_new(o, "id_explicit", json_boolean(f->id_explicit));
	if (f->parent)
		json_object_set_new(o, "parent", json_string(f->parent));
	if (f->ntasks) {
		json_t *t = json_object();
		json_object_set_new(t, "total", json_integer(f->ntasks));
		json_object_set_new(t, "done", json_integer(f->ntasks_done));
		json_object_set_new(o, "tasks", t);
	}
	return o;
}

json_t *am_json__report(const am_report *r)
{
	json_t *o = json_object(), *meta = json_object(), *findings = json_array();
	json_t *diags = json_array();

	json_object_set_new(o, "schema", json_string("auditmd/1"));
	json_object_set_new(o, "source", str_or_null(r->source));
	json_object_set_new(o, "title", str_or_null(r->title));
	json_object_set_new(o, "date", str_or_null(r->date));
	for (size_t i = 0; i < r->nmetadata; i++)
		if (!json_object_get(meta, r->metadata[i].name))
			json_object_set_new(meta, r->metadata[i].name, json_string(r->metadata[i].value));
	json_object_set_new(o, "metadata", meta);
	for (size_t i = 0; i < r->nfindings; i++)
		json_array_append_new(findings, am_json__finding(&r->findings[i]));
	json_object_set_new(o, "findings", findings);
	for (size_t i = 0; i < r->ndiags; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "severity",
				    json_string(r->diags[i].severity == AM_DIAG_ERROR ? "error" : "warning"));
		json_object_set_new(d, "line", json_integer(r->diags[i].line));
		json_object_set_new(d, "column", json_integer(r->diags[i].column));
		json_object_set_new(d, "code", json_string(r->diags[i].code));
		json_object_set_new(d, "message", json_string(r->diags[i].text));
		json_array_append_new(diags, d);
	}
	json_object_set_new(o, "diagnostics", diags);
	return o;
}

static size_t dump_flags(int flags)
{
	return (flags & AM_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
}

int am_json__write(FILE *stream, json_t *value, int flags)
{
	if (json_dumpf(value, stream, dump_flags(flags)) < 0 ||
	    fputc('\n', stream) == EOF) {
		am_error_set("could not write JSON output");
		return AM_EIO;
	}
	return 0;
}

int am_report_write_json(FILE *stream, const am_report *report, int flags)
{
	json_t *o = am_json__report(report);
	int rc = am_json__write(stream, o, flags);
	json_decref(o);
	return rc;
}

int am_report_to_json(char **out, const am_report *report, int flags)
{
	json_t *o = am_json__report(report);
	*out = json_dumps(o, dump_flags(flags));
	json_decref(o);
	if (!*out) {
		am_error_set("could not serialise the report");
		return AM_ERROR;
	}
	return 0;
}

int am_config_load(am_vocab *vocab, const char *text, size_t len, const char *source)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	int rc = 0;

	if (!source)
		source = "<config>";
	if (!root) {
		am_error_set("%s:%d:%d: %s", source, err.line, err.column, err.text);
		return AM_EPARSE;
	}
	if (!json_is_object(root)) {
		am_error_set("%s:1:1: the configuration must be a JSON object", source);
		rc = AM_EPARSE;
		goto done;
	}
	json_t *voc = json_object_get(root, "vocabulary");
	if (voc && !json_is_object(voc)) {
		am_error_set("%s: \"vocabulary\" must be an object of lists", source);
		rc = AM_EPARSE;
		goto done;
	}
	const char *key;
	json_t *list;
	json_object_foreach(voc, key, list) {
		int which = -1;
		for (int l = 0; l < AM_VOCAB__COUNT; l++)
			if (!strcmp(key, am_vocab_list_name((am_vocab_list)l)))
				which = l;
		if (which < 0) {
			am_error_set("%s: unknown vocabulary list \"%s\"", source, key);
			rc = AM_EPARSE;
			goto done;
		}
		if (!json_is_array(list)) {
			am_error_set("%s: vocabulary \"%s\" must be a list of strings", source, key);
			rc = AM_EPARSE;
			goto done;
		}
		size_t i;
		json_t *term;
		json_array_foreach(list, i, term) {
			if (!json_is_string(term) ||
			    am_vocab_add(vocab, (am_vocab_list)which, json_string_value(term)) < 0) {
				am_error_set("%s: vocabulary \"%s\" item %zu must be a string of 1 to 200 bytes",
					     source, key, i + 1);
				rc = AM_EPARSE;
				goto done;
			}
		}
	}
done:
	json_decref(root);
	return rc;
}

const char *am_json__version(void)
{
	return JANSSON_VERSION;
}
