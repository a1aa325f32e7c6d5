/*
 * json_int.h: the JSON module's private entry points, for the other JSON
 * producers (diff, verify) and the template engine.
 */
#ifndef AM_JSON_INT_H
#define AM_JSON_INT_H

#include <jansson.h>
#include <stdio.h>

#include "auditmd/model.h"
#include "auditmd/template.h"

#include "util.h"

/* A streaming JSON writer (see json.c). */
#define AM_JW_MAX_DEPTH 32
/* Private writer flag: the document's one big array (findings, changes,
 * entries, results) is written empty, for templates that do not use it. */
#define AM_JSON__NO_BULK (1 << 8)

typedef struct {
	am_buf *out;
	FILE *sink;    /* flushed there in chunks when set */
	bool pretty;
	bool no_bulk;
	bool after_key;
	bool failed;
	int depth;
	unsigned count[AM_JW_MAX_DEPTH];
} am_jw;

void am_jw_init(am_jw *w, am_buf *out, FILE *sink, int flags);
int am_jw_finish(am_jw *w); /* flushes; AM_EIO when a write failed */
/* A whole document through fn: to a stream (with a final newline), or as a
 * string in *out (free()). */
int am_json__emit(FILE *stream, void (*fn)(am_jw *w, const void *doc), const void *doc, int flags);
int am_json__string(char **out, void (*fn)(am_jw *w, const void *doc), const void *doc, int flags);
void am_jw_object(am_jw *w);
void am_jw_object_end(am_jw *w);
void am_jw_array(am_jw *w);
void am_jw_array_end(am_jw *w);
void am_jw_key(am_jw *w, const char *key);
void am_jw_str(am_jw *w, const char *s); /* NULL writes null */
void am_jw_strn(am_jw *w, const char *s, size_t len);
void am_jw_int(am_jw *w, long long v);
void am_jw_bool(am_jw *w, bool v);
void am_jw_null(am_jw *w);

void am_json__write_finding(am_jw *w, const am_finding *f);
void am_json__write_citation(am_jw *w, const am_citation *ci);

/* The report as a Jansson value (for templates). NULL on failure. */
json_t *am_json__report(const am_report *r);
int am_json__write(FILE *stream, json_t *value, int flags);
const char *am_json__version(void);

/* Parses JSON data (any value); AM_EPARSE with "SOURCE:LINE:COL: text". */
int am_json__load(json_t **out, const char *text, size_t len, const char *source);

/* The value parsed by am_json_data_parse() (auditmd/template.h); borrowed. */
const json_t *am_json__data_value(const am_json_data *data);

#endif
