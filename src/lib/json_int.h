/*
 * json_int.h: the JSON module's private entry points: the streaming writer
 * for the other JSON producers (sarif.c, report.c), and JSON read into
 * values for the configuration and the template engine.
 */
#ifndef AM_JSON_INT_H
#define AM_JSON_INT_H

#include <stdio.h>

#include "auditmd/model.h"

#include "util.h"

/* JSON values are Jansson's, opaque outside json.c and the template engine. */
struct json_t;

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
	/* Building values instead of text (am_jw_init_values): */
	bool values;
	const am_strset *keep; /* when set, members of other names are left out */
	bool visible;          /* strings with their control characters shown, */
	unsigned visible_keep; /* but these (am_buf_put_visible) */
	int skip;              /* containers open inside a member left out */
	bool skip_next;        /* the value written next is a member left out */
	const char *key;                       /* of the member written next */
	struct json_t *open[AM_JW_MAX_DEPTH]; /* the containers open */
	struct json_t *root;                   /* the value made; the caller's */
} am_jw;

void am_jw_init(am_jw *w, am_buf *out, FILE *sink, int flags);
/* The same calls build a Jansson value in w->root instead (flags: only
 * AM_JSON__NO_BULK counts); free it with am_json__free(). */
void am_jw_init_values(am_jw *w, int flags);
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

/*
 * Reading JSON. Values are Jansson's, opaque outside json.c and the
 * template engine, which renders them; free them with am_json__free().
 */

/* The report as a value (for templates). NULL on failure. */
struct json_t *am_json__report(const am_report *r);
int am_json__write(FILE *stream, struct json_t *value, int flags);
const char *am_json__version(void);

/* Parses JSON data (any value, NUL in strings allowed); AM_EPARSE with
 * "SOURCE:LINE:COL: text". */
int am_json__load(struct json_t **out, const char *text, size_t len, const char *source);
/* The documents, written by the calls above (their obj: an am_report, an
 * am_diff, an am_log, an am_verify, an am_check). */
void am_json__report_doc(am_jw *w, const void *obj);
void am_json__diff_doc(am_jw *w, const void *obj);
void am_json__log_doc(am_jw *w, const void *obj);
void am_json__verify_doc(am_jw *w, const void *obj);
void am_json__check_doc(am_jw *w, const void *obj);

/* A report's data for templates, built as values: the document doc(obj)
 * (flags: AM_JSON__NO_BULK or 0) with view(obj, arg) as its member "view",
 * every string with its control characters shown but those in `keep`
 * (am_buf_put_visible). With `names`, an object's members of other names
 * are left out, at any depth (no template that names only those can tell).
 * Never NULL. */
struct json_t *am_json__template_data(void (*doc)(am_jw *w, const void *obj),
				      void (*view)(am_jw *w, const void *obj, const void *arg),
				      const void *obj, const void *arg, int flags, unsigned keep,
				      const am_strset *names);
/* The same for a configuration: an object or an array, no NUL in strings,
 * no key twice in an object. */
int am_json__load_strict(struct json_t **out, const char *text, size_t len, const char *source);
void am_json__free(struct json_t *v); /* accepts NULL */
/* Values made on this thread from _begin to _end (the one that _begin
 * returned, NULL when none is used) are freed all at once by _end; they
 * must not be used after it. */
typedef struct am_json__arena am_json__arena;
am_json__arena *am_json__arena_begin(void);
void am_json__arena_end(am_json__arena *a);
/* Text Jansson made (json_dumps), freed as Jansson allocated it. */
void am_json__free_text(char *s);

typedef enum {
	AM_JSON_NONE = 0, /* no value (NULL) */
	AM_JSON_OBJECT,
	AM_JSON_ARRAY,
	AM_JSON_STRING,
	AM_JSON_OTHER,    /* a number, true, false or null */
} am_json_kind;

am_json_kind am_json__kind(const struct json_t *v);
/* An object's member, NULL when absent (or v is no object). Borrowed. */
struct json_t *am_json__get(const struct json_t *object, const char *key);
/* The members of an object, the items of an array; 0 for anything else. */
size_t am_json__size(const struct json_t *v);
/* An array's item i, NULL past its end (or v is no array). Borrowed. */
struct json_t *am_json__item(const struct json_t *array, size_t i);
/* A string's text, NULL when v is no string. Borrowed. */
const char *am_json__str(const struct json_t *v);
/* fn(key, value) for each member of an object in document order, until fn
 * returns non-zero, which is returned. */
int am_json__each_member(struct json_t *object,
			 int (*fn)(const char *key, struct json_t *value, void *payload), void *payload);

#endif
