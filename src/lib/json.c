/*
 * json.c: the only module that touches Jansson (besides the template engine,
 * which renders Jansson values). Writes the documented JSON contracts and
 * reads the configuration file.
 */
#include "auditmd/json.h"

#include "auditmd/check.h"
#include "auditmd/diff.h"
#include "auditmd/log.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "json_int.h"
#include "source.h"
#include "util.h"

/*
 * The JSON writer. The big outputs (a 40,000-finding model, a diff of two)
 * are streamed through this small writer instead of being built as a
 * Jansson tree: building, dumping and freeing the tree costs more than
 * parsing the Markdown does. Its output is byte-for-byte what Jansson would
 * print for the same value (compact, or JSON_INDENT(2)); the tests check that
 * by reloading every output with Jansson and dumping it again.
 *
 * The same calls can build the values instead (am_jw_init_values): the data
 * of a report rendered through a template is the document and its view,
 * written by the same code as the documents and never printed.
 */

/*
 * Values made in an arena. A report's data for a template is made, read
 * once and freed: a million small allocations for a site, each with
 * malloc's bookkeeping. Between am_json__arena_begin and _end, Jansson
 * takes what the thread allocates from blocks of its own, and freeing any
 * of it does nothing; the blocks go at the end. Jansson's functions are
 * set to these when the library is loaded, before any thread can be in
 * Jansson, and only when they are still malloc and free (a program that
 * sets its own keeps them, and no arena is used): outside an arena they
 * are malloc and free, so what was made before or elsewhere is freed as
 * ever.
 */
#define ARENA_BLOCKS 40

struct am_json__arena {
	struct {
		char *base;
		size_t size;
	} blocks[ARENA_BLOCKS];
	int n;
	size_t used; /* of the last block */
};

static _Thread_local am_json__arena *values_arena;

static void *arena_malloc(size_t size)
{
	am_json__arena *a = values_arena;
	if (!a)
		return malloc(size);
	size = (size + 15) & ~(size_t)15;
	if (!a->n || size > a->blocks[a->n - 1].size - a->used) {
		if (a->n == ARENA_BLOCKS)
			return malloc(size); /* freed as any other: it is in no block */
		size_t bs = a->n ? a->blocks[a->n - 1].size * 2 : (size_t)64 << 10;
		while (bs < size)
			bs *= 2;
		char *b = malloc(bs);
		if (!b)
			return NULL;
		a->blocks[a->n].base = b;
		a->blocks[a->n++].size = bs;
		a->used = 0;
	}
	void *p = a->blocks[a->n - 1].base + a->used;
	a->used += size;
	return p;
}

static void arena_free(void *p)
{
	const am_json__arena *a = values_arena;
	for (int i = a && p ? a->n - 1 : -1; i >= 0; i--)
		if ((char *)p >= a->blocks[i].base && (char *)p < a->blocks[i].base + a->blocks[i].size)
			return;
	free(p);
}

__attribute__((constructor)) static void arena_setup(void)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	if (m == malloc && f == free)
		json_set_alloc_funcs(arena_malloc, arena_free);
}

/* Jansson's own functions again when the library is unloaded: a program
 * that loaded it and let it go goes on using Jansson. */
__attribute__((destructor)) static void arena_teardown(void)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	if (m == arena_malloc && f == arena_free)
		json_set_alloc_funcs(malloc, free);
}

am_json__arena *am_json__arena_begin(void)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	if (m != arena_malloc || f != arena_free || values_arena)
		return NULL;
	values_arena = am_xcalloc(1, sizeof(*values_arena));
	return values_arena;
}

void am_json__arena_end(am_json__arena *a)
{
	if (!a)
		return;
	for (int i = 0; i < a->n; i++)
		free(a->blocks[i].base);
	free(a);
	values_arena = NULL;
}

void am_json__free_text(char *s)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	f(s);
}

void am_jw_init(am_jw *w, am_buf *out, FILE *sink, int flags)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->sink = sink;
	w->pretty = (flags & AM_JSON_PRETTY) != 0;
	w->no_bulk = (flags & AM_JSON__NO_BULK) != 0;
}

void am_jw_init_values(am_jw *w, int flags)
{
	memset(w, 0, sizeof(*w));
	w->values = true;
	w->no_bulk = (flags & AM_JSON__NO_BULK) != 0;
}

/* A value made: the root, or the next member or item of the container
 * open around it. Takes v's reference; NULL (a string that is not UTF-8)
 * adds nothing, as Jansson's setters do. */
static void jv_add(am_jw *w, json_t *v)
{
	if (w->depth == 0 && !w->root) {
		w->root = v;
		return;
	}
	if (w->depth == 0 || w->depth > AM_JW_MAX_DEPTH) {
		json_decref(v);
		return;
	}
	json_t *parent = w->open[w->depth - 1];
	if (json_is_object(parent))
		json_object_set_new(parent, w->key ? w->key : "", v);
	else
		json_array_append_new(parent, v);
}

static void jv_open(am_jw *w, json_t *v)
{
	if (w->depth < AM_JW_MAX_DEPTH)
		w->open[w->depth] = json_incref(v); /* held while it is open */
	jv_add(w, v);
	w->depth++;
}

static void jv_close(am_jw *w)
{
	w->depth--;
	if (w->depth < AM_JW_MAX_DEPTH)
		json_decref(w->open[w->depth]);
}

/* Values mode: whether the value written now is left out, a member the
 * template never names or a value inside one (`opens`: it is an object or
 * an array, whose end is left out too). */
static bool jv_skipped(am_jw *w, bool opens)
{
	if (w->skip) {
		w->skip += opens;
		return true;
	}
	if (w->skip_next) {
		w->skip_next = false;
		w->skip = opens;
		return true;
	}
	return false;
}

/* Values mode: the member written next is key's. */
static void jv_key(am_jw *w, const char *key)
{
	if (w->skip)
		return;
	w->key = key;
	w->skip_next = w->keep && !am_strset_has(w->keep, key);
}

static void jw_flush_maybe(am_jw *w)
{
	if (w->sink && w->out->size >= (1 << 16)) {
		if (fwrite(w->out->ptr, 1, w->out->size, w->sink) != w->out->size)
			w->failed = true;
		am_buf_clear(w->out);
	}
}

int am_jw_finish(am_jw *w)
{
	if (w->sink) {
		if (w->out->size && fwrite(w->out->ptr, 1, w->out->size, w->sink) != w->out->size)
			w->failed = true;
		am_buf_clear(w->out);
	}
	if (w->failed) {
		am_error_set("could not write JSON output");
		return AM_EIO;
	}
	return 0;
}

int am_json__emit(FILE *stream, void (*fn)(am_jw *w, const void *doc), const void *doc, int flags)
{
	am_buf b = AM_BUF_INIT;
	am_jw w;
	am_jw_init(&w, &b, stream, flags);
	fn(&w, doc);
	am_buf_putc(&b, '\n');
	int rc = am_jw_finish(&w);
	am_buf_free(&b);
	return rc;
}

int am_json__string(char **out, void (*fn)(am_jw *w, const void *doc), const void *doc, int flags)
{
	am_buf b = AM_BUF_INIT;
	am_jw w;
	am_jw_init(&w, &b, NULL, flags);
	fn(&w, doc);
	*out = am_buf_detach(&b);
	return 0;
}

static void jw_newline(am_jw *w)
{
	am_buf_putc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		am_buf_puts(w->out, "  ");
}

/* Before a value or key: the separator from the previous sibling. */
static void jw_sep(am_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0 && w->depth <= AM_JW_MAX_DEPTH) {
		if (w->count[w->depth - 1]++)
			am_buf_putc(w->out, ',');
		if (w->pretty)
			jw_newline(w);
	}
}

static void jw_open(am_jw *w, char c)
{
	if (w->values) {
		if (!jv_skipped(w, true))
			jv_open(w, c == '{' ? json_object() : json_array());
		return;
	}
	jw_sep(w);
	am_buf_putc(w->out, c);
	if (w->depth < AM_JW_MAX_DEPTH)
		w->count[w->depth] = 0;
	w->depth++;
}

static void jw_close(am_jw *w, char c)
{
	if (w->values) {
		if (w->skip)
			w->skip--;
		else
			jv_close(w);
		return;
	}
	w->depth--;
	if (w->pretty && w->depth < AM_JW_MAX_DEPTH && w->count[w->depth])
		jw_newline(w);
	am_buf_putc(w->out, c);
	jw_flush_maybe(w);
}

void am_jw_object(am_jw *w) { jw_open(w, '{'); }
void am_jw_object_end(am_jw *w) { jw_close(w, '}'); }
void am_jw_array(am_jw *w) { jw_open(w, '['); }
void am_jw_array_end(am_jw *w) { jw_close(w, ']'); }

/* Bytes that JSON strings escape: control characters, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
	[0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Room for `need` more bytes (and the NUL) at the end of b. */
static inline char *jw_room(am_buf *b, size_t need)
{
	if (b->asize - b->size <= need)
		am_buf_grow(b, need);
	return b->ptr + b->size;
}

/* The bytes up to p are b's. A debug build stops at once when they went
 * past the room asked for and past the buffer's end. */
static inline void jw_done(am_buf *b, char *p)
{
#ifndef NDEBUG
	if (p >= b->ptr + b->asize)
		abort();
#endif
	b->size = (size_t)(p - b->ptr);
	*p = '\0';
}

static void jw_escaped(am_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;
	/* Room for the string unescaped; more at the first byte escaped. */
	char *p = jw_room(b, len + 2);
	bool roomy = false;

	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		/* Eight bytes at a time while none is escaped: none below 0x20,
		 * none '"' or '\\' ("Bit Twiddling Hacks": hasless, haszero). */
		while (i + 8 <= len) {
			uint64_t w, q, bs;
			memcpy(&w, s + i, 8);
			q = w ^ 0x2222222222222222ULL;
			bs = w ^ 0x5c5c5c5c5c5c5c5cULL;
			if ((((w - 0x2020202020202020ULL) & ~w) | ((q - 0x0101010101010101ULL) & ~q) |
			     ((bs - 0x0101010101010101ULL) & ~bs)) & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i == len)
			break;
		unsigned char ch = (unsigned char)s[i];
		if (!needs_escape[ch])
			continue;
		memcpy(p, s + run, i - run);
		p += i - run;
		run = i + 1;
		if (!roomy) { /* six bytes for each byte left, at most */
			jw_done(b, p);
			p = jw_room(b, 6 * (len - i) + 2);
			roomy = true;
		}
		*p++ = '\\';
		switch (ch) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\t': *p++ = 't'; break;
		case '\r': *p++ = 'r'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		default:
			memcpy(p, "u00", 3);
			p[3] = hex[ch >> 4];
			p[4] = hex[ch & 15];
			p += 5;
		}
	}
	memcpy(p, s + run, len - run);
	p += len - run;
	*p++ = '"';
	jw_done(b, p);
}

void am_jw_key(am_jw *w, const char *key)
{
	if (w->values) {
		jv_key(w, key);
		return;
	}
	jw_sep(w);
	jw_escaped(w->out, key, strlen(key));
	if (w->pretty)
		am_buf_put(w->out, ": ", 2);
	else
		am_buf_putc(w->out, ':');
	w->after_key = true;
}

/* A key of the schema: a literal of letters, digits and '_', which
 * needs no escaping. */
#define jw_lit(w, key) jw_plain_key((w), "" key, sizeof(key) - 1)

static inline __attribute__((always_inline)) void jw_plain_key(am_jw *w, const char *key, size_t len)
{
	if (w->values) {
		jv_key(w, key);
		return;
	}
	jw_sep(w);
	char *p = jw_room(w->out, len + 4);
	*p++ = '"';
	memcpy(p, key, len); /* len is a constant: no call */
	p += len;
	*p++ = '"';
	*p++ = ':';
	if (w->pretty)
		*p++ = ' ';
	jw_done(w->out, p);
	w->after_key = true;
}

void am_jw_strn(am_jw *w, const char *s, size_t len)
{
	if (w->values) {
		if (jv_skipped(w, false))
			return;
		if (w->visible && am_visible_changes(s, len, w->visible_keep)) {
			am_buf b = AM_BUF_INIT;
			am_buf_put_visible(&b, s, len, w->visible_keep);
			jv_add(w, json_stringn(b.ptr, b.size));
			am_buf_free(&b);
			return;
		}
		jv_add(w, json_stringn(s, len));
		return;
	}
	jw_sep(w);
	jw_escaped(w->out, s, len);
}

void am_jw_str(am_jw *w, const char *s)
{
	if (!s) {
		am_jw_null(w);
		return;
	}
	am_jw_strn(w, s, strlen(s));
}

void am_jw_int(am_jw *w, long long v)
{
	if (w->values) {
		if (!jv_skipped(w, false))
			jv_add(w, json_integer(v));
		return;
	}
	jw_sep(w);
	am_buf_put_int(w->out, v);
}

void am_jw_bool(am_jw *w, bool v)
{
	if (w->values) {
		if (!jv_skipped(w, false))
			jv_add(w, json_boolean(v));
		return;
	}
	jw_sep(w);
	am_buf_puts(w->out, v ? "true" : "false");
}

void am_jw_null(am_jw *w)
{
	if (w->values) {
		if (!jv_skipped(w, false))
			jv_add(w, json_null());
		return;
	}
	jw_sep(w);
	am_buf_puts(w->out, "null");
}

/* A number written as it is (a decimal fraction). */
static void jw_number(am_jw *w, const char *num)
{
	if (w->values) {
		if (!jv_skipped(w, false))
			jv_add(w, json_real(strtod(num, NULL)));
		return;
	}
	jw_sep(w);
	am_buf_puts(w->out, num);
}

/* A line number, or null for 0. */
static void jw_line(am_jw *w, uint32_t v)
{
	if (v)
		am_jw_int(w, v);
	else
		am_jw_null(w);
}

/* v's decimal digits at p; past them. */
static char *put_u32(char *p, uint32_t v)
{
	char num[10], *q = num + sizeof(num);
	do
		*--q = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	size_t n = (size_t)(num + sizeof(num) - q);
	memcpy(p, q, n);
	return p + n;
}

#define PUT_LIT(p, lit) (memcpy((p), "" lit, sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* A line number, or null for 0, at p; past it. */
static char *put_line(char *p, uint32_t v)
{
	return v ? put_u32(p, v) : PUT_LIT(p, "null");
}

/* Bytes s[0..n) into b; PUT_LIT_B a literal. */
static inline void put_bytes(am_buf *b, const char *s, size_t n)
{
	char *p = jw_room(b, n);
	memcpy(p, s, n);
	jw_done(b, p + n);
}

#define PUT_LIT_B(b, lit) put_bytes((b), "" lit, sizeof(lit) - 1)

/* String s (null for NULL) straight into b, after a key. */
static void put_str(am_buf *b, const char *s)
{
	if (s)
		jw_escaped(b, s, strlen(s));
	else
		PUT_LIT_B(b, "null");
}

/* A citation's members from "start" to "column" at p (93 bytes at most);
 * past them. */
static char *put_cite_numbers(char *p, const am_citation *ci)
{
	p = PUT_LIT(p, ",\"start\":");
	p = put_line(p, ci->start);
	p = PUT_LIT(p, ",\"end\":");
	p = put_line(p, ci->start ? ci->end : 0);
	p = ci->role == AM_CITE_MENTION ? PUT_LIT(p, ",\"role\":\"mention\",\"line\":")
					 : PUT_LIT(p, ",\"role\":\"evidence\",\"line\":");
	p = put_u32(p, ci->line);
	p = PUT_LIT(p, ",\"column\":");
	p = put_u32(p, ci->column);
	return p;
}

/* Citation ci (its path set) as a compact object into b: the bytes the
 * calls below make, in few buffer checks (most of a large report is its
 * citations). */
static void put_citation(am_buf *b, const am_citation *ci)
{
	PUT_LIT_B(b, "{\"path\":");
	jw_escaped(b, ci->path, strlen(ci->path));
	/* The rest, but for the field's value: under 128 bytes. */
	char *p = jw_room(b, 128);
	p = put_cite_numbers(p, ci);
	if (ci->field) {
		jw_done(b, PUT_LIT(p, ",\"field\":"));
		jw_escaped(b, ci->field, strlen(ci->field));
		p = jw_room(b, 24);
	}
	if (ci->malformed)
		p = PUT_LIT(p, ",\"malformed\":true");
	*p++ = '}';
	jw_done(b, p);
}

void am_json__write_citation(am_jw *w, const am_citation *ci)
{
	if (!w->values && !w->pretty && ci->path && w->depth > 0 && w->depth <= AM_JW_MAX_DEPTH) {
		jw_sep(w);
		put_citation(w->out, ci);
		jw_flush_maybe(w);
		return;
	}
	am_jw_object(w);
	jw_lit(w, "path");
	am_jw_str(w, ci->path);
	jw_lit(w, "start");
	jw_line(w, ci->start);
	jw_lit(w, "end");
	jw_line(w, ci->start ? ci->end : 0);
	jw_lit(w, "role");
	am_jw_str(w, am_cite_role_name(ci->role));
	jw_lit(w, "line");
	am_jw_int(w, ci->line);
	jw_lit(w, "column");
	am_jw_int(w, ci->column);
	if (ci->field) {
		jw_lit(w, "field");
		am_jw_str(w, ci->field);
	}
	if (ci->malformed) {
		jw_lit(w, "malformed");
		am_jw_bool(w, true);
	}
	am_jw_object_end(w);
}

/* Whether fields[i]'s name is an earlier field's. */
static bool field_seen(const am_field *fields, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(fields[k].name, fields[i].name))
			return true;
	return false;
}

/* Fields as an object: the first of a repeated name wins. */
static void jw_fields(am_jw *w, const am_field *fields, size_t n)
{
	am_jw_object(w);
	for (size_t i = 0; i < n; i++) {
		if (field_seen(fields, i))
			continue;
		am_jw_key(w, fields[i].name);
		am_jw_str(w, fields[i].value);
	}
	am_jw_object_end(w);
}

/* Finding f as a compact object into b: the bytes of the calls below. */
static void put_finding(am_buf *b, const am_finding *f)
{
	PUT_LIT_B(b, "{\"id\":");
	put_str(b, f->id);
	PUT_LIT_B(b, ",\"number\":");
	put_str(b, f->number);
	PUT_LIT_B(b, ",\"title\":");
	put_str(b, f->title);
	PUT_LIT_B(b, ",\"section\":[");
	for (size_t i = 0; i < f->nsection; i++) {
		if (i)
			PUT_LIT_B(b, ",");
		put_str(b, f->section[i]);
	}
	PUT_LIT_B(b, "],\"status\":");
	put_str(b, am_status_name(f->status));
	PUT_LIT_B(b, ",\"status_text\":");
	put_str(b, f->status_text);
	PUT_LIT_B(b, ",\"priority\":");
	put_str(b, am_priority_name(f->priority));
	PUT_LIT_B(b, ",\"severity\":");
	put_str(b, am_severity_name(f->severity));
	PUT_LIT_B(b, ",\"fields\":{");
	bool first = true;
	for (size_t i = 0; i < f->nfields; i++) {
		if (field_seen(f->fields, i))
			continue;
		if (!first)
			PUT_LIT_B(b, ",");
		first = false;
		put_str(b, f->fields[i].name);
		PUT_LIT_B(b, ":");
		put_str(b, f->fields[i].value);
	}
	PUT_LIT_B(b, "},\"citations\":[");
	for (size_t i = 0; i < f->ncitations; i++) {
		if (i)
			PUT_LIT_B(b, ",");
		if (f->citations[i].path) {
			put_citation(b, &f->citations[i]);
		} else { /* never made by the compiler; written as the calls do */
			am_jw w;
			am_jw_init(&w, b, NULL, 0);
			am_json__write_citation(&w, &f->citations[i]);
		}
	}
	/* Numbers and names of a few letters: under 128 bytes. */
	char *p = jw_room(b, 128);
	p = PUT_LIT(p, "],\"line\":");
	p = put_u32(p, f->line);
	p = PUT_LIT(p, ",\"column\":");
	p = put_u32(p, f->column);
	p = PUT_LIT(p, ",\"end_line\":");
	p = put_u32(p, f->end_line);
	p = PUT_LIT(p, ",\"kind\":");
	jw_done(b, p);
	put_str(b, am_finding_kind_name(f->kind));
	p = jw_room(b, 32);
	p = f->id_explicit ? PUT_LIT(p, ",\"id_explicit\":true") : PUT_LIT(p, ",\"id_explicit\":false");
	jw_done(b, p);
	if (f->parent) {
		PUT_LIT_B(b, ",\"parent\":");
		put_str(b, f->parent);
	}
	p = jw_room(b, 80);
	if (f->checkbox != AM_CHECKBOX_NONE)
		p = f->checkbox == AM_CHECKBOX_TICKED ? PUT_LIT(p, ",\"checked\":true") : PUT_LIT(p, ",\"checked\":false");
	if (f->ntasks) {
		p = PUT_LIT(p, ",\"tasks\":{\"total\":");
		p = put_u32(p, f->ntasks);
		p = PUT_LIT(p, ",\"done\":");
		p = put_u32(p, f->ntasks_done);
		*p++ = '}';
	}
	*p++ = '}';
	jw_done(b, p);
}

void am_json__write_finding(am_jw *w, const am_finding *f)
{
	if (!w->values && !w->pretty && w->depth > 0 && w->depth <= AM_JW_MAX_DEPTH) {
		jw_sep(w);
		put_finding(w->out, f);
		jw_flush_maybe(w);
		return;
	}
	am_jw_object(w);
	jw_lit(w, "id");
	am_jw_str(w, f->id);
	jw_lit(w, "number");
	am_jw_str(w, f->number);
	jw_lit(w, "title");
	am_jw_str(w, f->title);
	jw_lit(w, "section");
	am_jw_array(w);
	for (size_t i = 0; i < f->nsection; i++)
		am_jw_str(w, f->section[i]);
	am_jw_array_end(w);
	jw_lit(w, "status");
	am_jw_str(w, am_status_name(f->status));
	jw_lit(w, "status_text");
	am_jw_str(w, f->status_text);
	jw_lit(w, "priority");
	am_jw_str(w, am_priority_name(f->priority));
	jw_lit(w, "severity");
	am_jw_str(w, am_severity_name(f->severity));
	jw_lit(w, "fields");
	jw_fields(w, f->fields, f->nfields);
	jw_lit(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++)
		am_json__write_citation(w, &f->citations[i]);
	am_jw_array_end(w);
	jw_lit(w, "line");
	am_jw_int(w, f->line);
	jw_lit(w, "column");
	am_jw_int(w, f->column);
	jw_lit(w, "end_line");
	am_jw_int(w, f->end_line);
	jw_lit(w, "kind");
	am_jw_str(w, am_finding_kind_name(f->kind));
	jw_lit(w, "id_explicit");
	am_jw_bool(w, f->id_explicit);
	if (f->parent) {
		jw_lit(w, "parent");
		am_jw_str(w, f->parent);
	}
	if (f->checkbox != AM_CHECKBOX_NONE) {
		jw_lit(w, "checked");
		am_jw_bool(w, f->checkbox == AM_CHECKBOX_TICKED);
	}
	if (f->ntasks) {
		jw_lit(w, "tasks");
		am_jw_object(w);
		jw_lit(w, "total");
		am_jw_int(w, f->ntasks);
		jw_lit(w, "done");
		am_jw_int(w, f->ntasks_done);
		am_jw_object_end(w);
	}
	am_jw_object_end(w);
}

/*
 * The items of a long array, on two threads (jobs.c): in blocks of
 * BLOCK_ITEMS, each made into its own buffer, the odd ones by a thread of
 * their own, at most AHEAD blocks ahead, the even ones by the caller's
 * thread, which writes every block out in order. Memory stays a few
 * blocks, whatever the array's length; a block is the bytes the caller's
 * writer would have made for its items. item(w, ctx, i) writes item i.
 */
#define PARALLEL_ITEMS 4096
#define BLOCK_ITEMS 256
#define AHEAD 8

typedef void (*jw_item_fn)(am_jw *w, const void *ctx, size_t i);

typedef struct {
	jw_item_fn item;
	const void *ctx;
	bool pretty;
	int depth;   /* of the array's items */
	bool before; /* items before them in the array */
	size_t n;
	am_queue *made; /* the odd blocks, in order */
} items_source;

/* Block k (items [k * BLOCK_ITEMS, ...)) into out. */
static void make_block(const items_source *s, size_t k, am_buf *out)
{
	size_t from = k * BLOCK_ITEMS, to = s->n - from > BLOCK_ITEMS ? from + BLOCK_ITEMS : s->n;
	am_jw w;
	am_jw_init(&w, out, NULL, s->pretty ? AM_JSON_PRETTY : 0);
	/* Inside the array, after the items before this block. */
	w.depth = s->depth;
	w.count[s->depth - 1] = from > 0 || s->before;
	for (size_t i = from; i < to; i++)
		s->item(&w, s->ctx, i);
}

static void *make_odd_blocks(void *arg)
{
	items_source *s = arg;
	for (size_t k = 1; k * BLOCK_ITEMS < s->n; k += 2) {
		am_buf *out = am_xcalloc(1, sizeof(*out));
		make_block(s, k, out);
		am_queue__put(s->made, out);
	}
	return NULL;
}

/* Bytes made elsewhere: straight to the sink when there is one. */
static void jw_put_raw(am_jw *w, const char *p, size_t len)
{
	if (w->sink) {
		if (w->out->size && fwrite(w->out->ptr, 1, w->out->size, w->sink) != w->out->size)
			w->failed = true;
		am_buf_clear(w->out);
		if (len && fwrite(p, 1, len, w->sink) != len)
			w->failed = true;
	} else {
		am_buf_put(w->out, p, len);
	}
}

static void write_items(am_jw *w, size_t n, jw_item_fn item, const void *ctx)
{
	items_source s = { item, ctx, w->pretty, w->depth, false, n, NULL };
	am_thread *odd = NULL;
	am_buf mine = AM_BUF_INIT;

	if (n < PARALLEL_ITEMS || w->depth > AM_JW_MAX_DEPTH || w->values) {
		for (size_t i = 0; i < n; i++)
			item(w, ctx, i);
		return;
	}
	s.before = w->count[w->depth - 1] > 0;
	s.made = am_queue__new(AHEAD);
	bool two = am_jobs__start(&odd, make_odd_blocks, &s) == 0;
	for (size_t k = 0; k * BLOCK_ITEMS < n; k++) {
		if (k % 2 == 0 || !two) {
			am_buf_clear(&mine);
			make_block(&s, k, &mine);
			jw_put_raw(w, mine.ptr, mine.size);
		} else {
			am_buf *b = am_queue__get(s.made);
			jw_put_raw(w, b->ptr, b->size);
			am_buf_free(b);
			free(b);
		}
	}
	am_jobs__join(odd);
	am_queue__free(s.made);
	am_buf_free(&mine);
	w->count[w->depth - 1] += (unsigned)n;
}

static void finding_item(am_jw *w, const void *ctx, size_t i)
{
	am_json__write_finding(w, &((const am_report *)ctx)->findings[i]);
}

static void write_findings(am_jw *w, const am_report *r)
{
	write_items(w, r->nfindings, finding_item, r);
}

/* A count, or null where the table has no such column. */
static void jw_count(am_jw *w, const char *key, long n)
{
	am_jw_key(w, key);
	if (n < 0)
		am_jw_null(w);
	else
		am_jw_int(w, n);
}

/* The rows of the audit's own count tables (present when there are any). */
static void jw_summary(am_jw *w, const am_report *r)
{
	jw_lit(w, "summary");
	am_jw_array(w);
	for (size_t i = 0; i < r->nsummary; i++) {
		const am_summary_row *row = &r->summary[i];
		am_jw_object(w);
		jw_lit(w, "label");
		am_jw_str(w, row->label);
		jw_lit(w, "severity");
		am_jw_str(w, am_severity_name(row->severity));
		jw_lit(w, "total_row");
		am_jw_bool(w, row->is_total);
		jw_count(w, "total", row->total);
		jw_count(w, "closed", row->closed);
		jw_count(w, "open", row->open);
		jw_lit(w, "line");
		am_jw_int(w, row->line);
		jw_lit(w, "column");
		am_jw_int(w, row->column);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
}

static void jw_report(am_jw *w, const am_report *r)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd/1");
	jw_lit(w, "source");
	am_jw_str(w, r->source);
	jw_lit(w, "title");
	am_jw_str(w, r->title);
	jw_lit(w, "date");
	am_jw_str(w, r->date);
	jw_lit(w, "metadata");
	jw_fields(w, r->metadata, r->nmetadata);
	jw_lit(w, "findings");
	am_jw_array(w);
	if (!w->no_bulk)
		write_findings(w, r);
	am_jw_array_end(w);
	jw_lit(w, "diagnostics");
	am_jw_array(w);
	for (size_t i = 0; i < r->ndiags; i++) {
		const am_diag *d = &r->diags[i];
		am_jw_object(w);
		jw_lit(w, "severity");
		am_jw_str(w, am_diag_severity_name(d->severity));
		jw_lit(w, "line");
		am_jw_int(w, d->line);
		jw_lit(w, "column");
		am_jw_int(w, d->column);
		jw_lit(w, "code");
		am_jw_str(w, d->code);
		jw_lit(w, "message");
		am_jw_str(w, d->text);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	if (r->nsummary)
		jw_summary(w, r);
	am_jw_object_end(w);
}

/* ---- auditmd-diff/1 ------------------------------------------------------- */

static void jw_side(am_jw *w, const am_report *r)
{
	am_jw_object(w);
	jw_lit(w, "title");
	am_jw_str(w, r->title);
	jw_lit(w, "date");
	am_jw_str(w, r->date);
	jw_lit(w, "source");
	am_jw_str(w, r->source);
	jw_lit(w, "findings");
	am_jw_int(w, (long long)r->nfindings);
	am_jw_object_end(w);
}

static void jw_finding_ref(am_jw *w, const am_finding *f)
{
	if (!f) {
		am_jw_null(w);
		return;
	}
	am_jw_object(w);
	jw_lit(w, "id");
	am_jw_str(w, f->id);
	jw_lit(w, "number");
	am_jw_str(w, f->number);
	jw_lit(w, "title");
	am_jw_str(w, f->title);
	jw_lit(w, "status");
	am_jw_str(w, am_status_name(f->status));
	jw_lit(w, "status_text");
	am_jw_str(w, f->status_text);
	jw_lit(w, "section");
	am_jw_array(w);
	for (size_t i = 0; i < f->nsection; i++)
		am_jw_str(w, f->section[i]);
	am_jw_array_end(w);
	jw_lit(w, "priority");
	am_jw_str(w, am_priority_name(f->priority));
	jw_lit(w, "severity");
	am_jw_str(w, am_severity_name(f->severity));
	jw_lit(w, "kind");
	am_jw_str(w, am_finding_kind_name(f->kind));
	jw_lit(w, "line");
	am_jw_int(w, f->line);
	jw_lit(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++)
		am_json__write_citation(w, &f->citations[i]);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

/* The kinds of change, in the order the documents count them. */
static const am_change_kind count_order[] = { AM_CHANGE_NEW, AM_CHANGE_REMOVED, AM_CHANGE_RESOLVED,
					      AM_CHANGE_REGRESSED, AM_CHANGE_OPEN, AM_CHANGE_CLOSED };

/* The members "new": n, ... "closed": n of counts (indexed by kind). */
static void jw_change_counts(am_jw *w, const size_t *counts)
{
	for (size_t i = 0; i < AM_CHANGE__COUNT; i++) {
		am_jw_key(w, am_change_kind_name(count_order[i]));
		am_jw_int(w, (long long)counts[count_order[i]]);
	}
}

/* A diff's "summary": the changes of each kind, and the new findings that
 * arrive closed (among "new"). */
static void jw_kinds(am_jw *w, const am_diff *d)
{
	am_jw_object(w);
	jw_change_counts(w, d->counts);
	jw_lit(w, "new_closed");
	am_jw_int(w, (long long)d->new_closed);
	am_jw_object_end(w);
}

/* "arrived" of a new finding: already closed, or open. */
static void jw_arrived(am_jw *w, const am_change *ch)
{
	if (ch->kind != AM_CHANGE_NEW)
		return;
	jw_lit(w, "arrived");
	am_jw_str(w, am_change_arrived_closed(ch) ? "closed" : "open");
}

static void jw_diff(am_jw *w, const am_diff *d)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd-diff/1");
	jw_lit(w, "old");
	jw_side(w, d->old_report);
	jw_lit(w, "new");
	jw_side(w, d->new_report);
	jw_lit(w, "summary");
	jw_kinds(w, d);
	jw_lit(w, "changes");
	am_jw_array(w);
	for (size_t i = 0; i < (w->no_bulk ? 0 : d->nchanges); i++) {
		const am_change *ch = &d->changes[i];
		am_jw_object(w);
		jw_lit(w, "kind");
		am_jw_str(w, am_change_kind_name(ch->kind));
		jw_lit(w, "old");
		jw_finding_ref(w, ch->old_finding);
		jw_lit(w, "new");
		jw_finding_ref(w, ch->new_finding);
		jw_lit(w, "changed");
		am_jw_array(w);
		for (unsigned b = 0; b < AM_CHANGED__COUNT; b++)
			if (ch->changed & (1u << b))
				am_jw_str(w, am_changed_name(1u << b));
		am_jw_array_end(w);
		jw_lit(w, "similarity");
		if (ch->old_finding && ch->new_finding) {
			/* Two decimals: stable across platforms, enough to explain. */
			long long hundredths = (long long)(ch->similarity * 100.0 + 0.5);
			char num[48];
			snprintf(num, sizeof(num), "%lld.%02lld", hundredths / 100, hundredths % 100);
			/* Jansson prints 1.0 as "1.0" and 0.5 as "0.5": trim to match. */
			size_t len = strlen(num);
			while (len > 3 && num[len - 1] == '0')
				len--;
			num[len] = '\0';
			jw_number(w, num);
		} else {
			am_jw_null(w);
		}
		jw_lit(w, "matched_by");
		am_jw_str(w, am_match_kind_name(ch->matched_by));
		jw_arrived(w, ch);
		if (ch->resolution) {
			jw_lit(w, "resolution");
			am_jw_str(w, am_resolution_name((am_resolution)ch->resolution));
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	if (d->resolution_checked) {
		jw_lit(w, "as_of");
		am_jw_object(w);
		jw_lit(w, "old");
		am_jw_str(w, d->old_as_of[0] ? d->old_as_of : NULL);
		jw_lit(w, "new");
		am_jw_str(w, d->new_as_of[0] ? d->new_as_of : NULL);
		am_jw_object_end(w);
	}
	jw_lit(w, "resolution_check");
	am_jw_object(w);
	jw_lit(w, "ran");
	am_jw_bool(w, d->resolution_checked != 0);
	jw_lit(w, "reason");
	am_jw_str(w, d->resolution_checked ? NULL : d->resolution_skipped ? d->resolution_skipped : "not asked for");
	am_jw_object_end(w);
	am_jw_object_end(w);
}

void am_json__diff_doc(am_jw *w, const void *doc)
{
	jw_diff(w, doc);
}

int am_diff_write_json(FILE *stream, const am_diff *diff, int flags)
{
	return am_json__emit(stream, am_json__diff_doc, diff, flags);
}

int am_diff_to_json(char **out, const am_diff *diff, int flags)
{
	return am_json__string(out, am_json__diff_doc, diff, flags);
}

/* ---- auditmd-log/1 ---------------------------------------------------------- */

static void jw_change(am_jw *w, const am_change *ch)
{
	am_jw_object(w);
	jw_lit(w, "kind");
	am_jw_str(w, am_change_kind_name(ch->kind));
	jw_lit(w, "old");
	jw_finding_ref(w, ch->old_finding);
	jw_lit(w, "new");
	jw_finding_ref(w, ch->new_finding);
	jw_lit(w, "changed");
	am_jw_array(w);
	for (unsigned b = 0; b < AM_CHANGED__COUNT; b++)
		if (ch->changed & (1u << b))
			am_jw_str(w, am_changed_name(1u << b));
	am_jw_array_end(w);
	jw_lit(w, "matched_by");
	am_jw_str(w, am_match_kind_name(ch->matched_by));
	jw_arrived(w, ch);
	am_jw_object_end(w);
}

static void jw_log_entry(am_jw *w, const am_log_entry *e)
{
	am_jw_object(w);
	jw_lit(w, "commit");
	am_jw_str(w, e->commit);
	jw_lit(w, "date");
	am_jw_str(w, e->date);
	jw_lit(w, "time");
	am_jw_int(w, (long long)e->time);
	jw_lit(w, "author");
	am_jw_str(w, e->author);
	jw_lit(w, "message");
	am_jw_str(w, e->summary);
	jw_lit(w, "path");
	am_jw_str(w, e->path);
	jw_lit(w, "audit");
	am_jw_object(w);
	jw_lit(w, "title");
	am_jw_str(w, e->report->title);
	jw_lit(w, "date");
	am_jw_str(w, e->report->date);
	am_jw_object_end(w);
	jw_lit(w, "totals");
	am_jw_object(w);
	jw_lit(w, "findings");
	am_jw_int(w, (long long)e->report->nfindings);
	jw_lit(w, "open");
	am_jw_int(w, (long long)e->open);
	jw_lit(w, "closed");
	am_jw_int(w, (long long)e->closed);
	am_jw_object_end(w);
	jw_lit(w, "summary");
	if (e->diff)
		jw_kinds(w, e->diff);
	else
		am_jw_null(w);
	/* The changelog: what was resolved, added, reopened or dropped. */
	jw_lit(w, "changes");
	am_jw_array(w);
	for (size_t i = 0; e->diff && i < e->diff->nchanges; i++) {
		const am_change *ch = &e->diff->changes[i];
		if (ch->kind == AM_CHANGE_OPEN || ch->kind == AM_CHANGE_CLOSED)
			continue;
		jw_change(w, ch);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void jw_log(am_jw *w, const am_log *log)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd-log/1");
	jw_lit(w, "path");
	am_jw_str(w, log->path);
	jw_lit(w, "compiled");
	am_jw_int(w, (long long)log->ncompiled);
	jw_lit(w, "entries");
	am_jw_array(w);
	for (size_t i = 0; i < (w->no_bulk ? 0 : log->nentries); i++)
		jw_log_entry(w, &log->entries[i]);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

void am_json__log_doc(am_jw *w, const void *doc)
{
	jw_log(w, doc);
}

int am_log_write_json(FILE *stream, const am_log *log, int flags)
{
	return am_json__emit(stream, am_json__log_doc, log, flags);
}

int am_log_to_json(char **out, const am_log *log, int flags)
{
	return am_json__string(out, am_json__log_doc, log, flags);
}

int am_log_write_jsonl(FILE *stream, const am_log *log)
{
	am_buf b = AM_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < log->nentries && rc == 0; i++) {
		am_jw w;
		am_jw_init(&w, &b, stream, 0);
		jw_log_entry(&w, &log->entries[i]);
		am_buf_putc(&b, '\n');
		rc = am_jw_finish(&w);
	}
	am_buf_free(&b);
	return rc;
}

void am_json__report_doc(am_jw *w, const void *doc)
{
	jw_report(w, doc);
}

int am_report_write_json(FILE *stream, const am_report *report, int flags)
{
	return am_json__emit(stream, am_json__report_doc, report, flags);
}

int am_report_to_json(char **out, const am_report *report, int flags)
{
	return am_json__string(out, am_json__report_doc, report, flags);
}

json_t *am_json__report(const am_report *r)
{
	char *text = NULL;
	json_error_t err;
	am_report_to_json(&text, r, 0);
	json_t *v = json_loads(text, 0, &err);
	free(text);
	return v;
}

int am_json__write(FILE *stream, json_t *value, int flags)
{
	if (json_dumpf(value, stream, (flags & AM_JSON_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT) < 0 ||
	    fputc('\n', stream) == EOF) {
		am_error_set("could not write JSON output");
		return AM_EIO;
	}
	return 0;
}

int am_json__load(json_t **out, const char *text, size_t len, const char *source)
{
	json_error_t err;
	*out = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (!*out) {
		am_error_set("%s:%d:%d: %s", source ? source : "<json>", err.line, err.column, err.text);
		return AM_EPARSE;
	}
	return 0;
}

json_t *am_json__template_data(void (*doc)(am_jw *w, const void *obj),
			       void (*view)(am_jw *w, const void *obj, const void *arg), const void *obj,
			       const void *arg, int flags, unsigned keep, const am_strset *names)
{
	am_jw d, v;

	/* Every string with its control characters shown, as it is made. */
	am_jw_init_values(&d, flags);
	d.keep = names;
	d.visible = true;
	d.visible_keep = keep;
	doc(&d, obj);
	am_jw_init_values(&v, 0);
	v.keep = names;
	v.visible = true;
	v.visible_keep = keep;
	view(&v, obj, arg);
	if (!json_is_object(d.root)) {
		json_decref(d.root);
		d.root = json_object();
	}
	json_object_set_new(d.root, "view", v.root ? v.root : json_object());
	return d.root;
}

int am_json__load_strict(json_t **out, const char *text, size_t len, const char *source)
{
	json_error_t err;
	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!*out) {
		am_error_set("%s:%d:%d: %s", source ? source : "<json>", err.line, err.column, err.text);
		return AM_EPARSE;
	}
	return 0;
}

void am_json__free(json_t *v)
{
	json_decref(v);
}

am_json_kind am_json__kind(const json_t *v)
{
	if (!v)
		return AM_JSON_NONE;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return AM_JSON_OBJECT;
	case JSON_ARRAY: return AM_JSON_ARRAY;
	case JSON_STRING: return AM_JSON_STRING;
	default: return AM_JSON_OTHER;
	}
}

json_t *am_json__get(const json_t *object, const char *key)
{
	return json_object_get(object, key);
}

size_t am_json__size(const json_t *v)
{
	return json_is_object(v) ? json_object_size(v) : json_array_size(v);
}

json_t *am_json__item(const json_t *array, size_t i)
{
	return json_array_get(array, i);
}

const char *am_json__str(const json_t *v)
{
	return json_string_value(v);
}

int am_json__each_member(json_t *object, int (*fn)(const char *key, json_t *value, void *payload),
			 void *payload)
{
	const char *key;
	json_t *value;
	int rc;
	json_object_foreach(object, key, value)
		if ((rc = fn(key, value, payload)) != 0)
			return rc;
	return 0;
}

const char *am_json__version(void)
{
	return JANSSON_VERSION;
}

/* ---- auditmd-verify/1 ------------------------------------------------------- */

static void jw_commit(am_jw *w, const am_verify_commit *c, const char *reason)
{
	am_jw_object(w);
	jw_lit(w, "commit");
	am_jw_str(w, c->commit[0] ? c->commit : NULL);
	jw_lit(w, "date");
	am_jw_str(w, c->commit[0] ? c->date : NULL);
	if (reason) {
		jw_lit(w, "reason");
		am_jw_str(w, reason);
	}
	am_jw_object_end(w);
}

static void jw_strings(am_jw *w, const char *const *s, size_t n)
{
	am_jw_array(w);
	for (size_t i = 0; i < n; i++)
		am_jw_str(w, s[i]);
	am_jw_array_end(w);
}

static void jw_opt_line(am_jw *w, uint32_t v)
{
	if (v)
		am_jw_int(w, v);
	else
		am_jw_null(w);
}

/* "level", "confirmed", "problems" (and "baseline") of a result. */
static void jw_problems(am_jw *w, const am_verify *v, const am_verify_result *r)
{
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	size_t n = am_verify_problems(p, v, r);
	am_level level = AM_LEVEL_NONE;
	bool confirmed = false, unchanged = n > 0;
	for (size_t k = 0; k < n; k++) {
		level = p[k].level > level ? p[k].level : level;
		confirmed |= p[k].confirmed != 0;
		unchanged &= p[k].baseline == AM_BASELINE_UNCHANGED;
	}
	jw_lit(w, "level");
	am_jw_str(w, n ? am_level_name(level) : NULL);
	jw_lit(w, "confirmed");
	am_jw_bool(w, confirmed);
	if (v->baseline && n) {
		jw_lit(w, "baseline");
		am_jw_str(w, am_baseline_state_name(unchanged ? AM_BASELINE_UNCHANGED : AM_BASELINE_NEW));
	}
	jw_lit(w, "problems");
	am_jw_array(w);
	for (size_t k = 0; k < n; k++) {
		am_jw_object(w);
		jw_lit(w, "rule");
		am_jw_str(w, p[k].rule);
		jw_lit(w, "level");
		am_jw_str(w, am_level_name(p[k].level));
		jw_lit(w, "fingerprint");
		am_jw_str(w, p[k].fingerprint);
		if (p[k].confirmed) {
			jw_lit(w, "confirmed");
			am_jw_bool(w, true);
		}
		if (p[k].baseline) {
			jw_lit(w, "baseline");
			am_jw_str(w, am_baseline_state_name(p[k].baseline));
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
}

/* The members of a result from "finding" to "file_lines" in compact text:
 * the bytes the calls of jw_verify_result make, in few buffer checks (a
 * verify of a large audit is mostly its results). The object is open and
 * empty; the members after them go on with the calls. */
static void result_head_compact(am_jw *w, const am_verify_result *r)
{
	const am_citation *ci = r->citation;
	am_buf *b = w->out;
	PUT_LIT_B(b, "\"finding\":");
	put_str(b, r->finding->id);
	PUT_LIT_B(b, ",\"title\":");
	put_str(b, r->finding->title);
	PUT_LIT_B(b, ",\"status\":");
	put_str(b, am_status_name(r->finding->status));
	PUT_LIT_B(b, ",\"path\":");
	put_str(b, ci->path);
	/* Numbers and names of a few letters: under 128 bytes. */
	char *p = jw_room(b, 128);
	p = put_cite_numbers(p, ci);
	p = PUT_LIT(p, ",\"state\":");
	jw_done(b, p);
	put_str(b, am_verify_state_name(r->state));
	PUT_LIT_B(b, ",\"repo_path\":");
	put_str(b, r->path);
	if (r->now_path) {
		PUT_LIT_B(b, ",\"now\":{\"path\":");
		put_str(b, r->now_path);
		p = jw_room(b, 64);
		p = PUT_LIT(p, ",\"start\":");
		p = put_line(p, r->now_start);
		p = PUT_LIT(p, ",\"end\":");
		p = put_line(p, r->now_end);
		*p++ = '}';
	} else {
		p = jw_room(b, 64);
		p = PUT_LIT(p, ",\"now\":null");
	}
	/* 61 bytes at most since the room of 64 was asked for. */
	p = PUT_LIT(p, ",\"file_lines\":");
	p = r->file_read ? put_u32(p, r->file_lines) : PUT_LIT(p, "null");
	jw_done(b, p);
	w->count[w->depth - 1] = 1; /* members written: the next takes a comma */
}

/* The same members, through the calls. */
static void result_head(am_jw *w, const am_verify_result *r)
{
	const am_citation *ci = r->citation;
	jw_lit(w, "finding");
	am_jw_str(w, r->finding->id);
	jw_lit(w, "title");
	am_jw_str(w, r->finding->title);
	jw_lit(w, "status");
	am_jw_str(w, am_status_name(r->finding->status));
	jw_lit(w, "path");
	am_jw_str(w, ci->path);
	jw_lit(w, "start");
	jw_opt_line(w, ci->start);
	jw_lit(w, "end");
	jw_opt_line(w, ci->start ? ci->end : 0);
	jw_lit(w, "role");
	am_jw_str(w, am_cite_role_name(ci->role));
	jw_lit(w, "line");
	am_jw_int(w, ci->line);
	jw_lit(w, "column");
	am_jw_int(w, ci->column);
	jw_lit(w, "state");
	am_jw_str(w, am_verify_state_name(r->state));
	jw_lit(w, "repo_path");
	am_jw_str(w, r->path);
	jw_lit(w, "now");
	if (r->now_path) {
		am_jw_object(w);
		jw_lit(w, "path");
		am_jw_str(w, r->now_path);
		jw_lit(w, "start");
		jw_opt_line(w, r->now_start);
		jw_lit(w, "end");
		jw_opt_line(w, r->now_end);
		am_jw_object_end(w);
	} else {
		am_jw_null(w);
	}
	jw_lit(w, "file_lines");
	if (r->file_read)
		am_jw_int(w, r->file_lines);
	else
		am_jw_null(w);
}

static void jw_verify_result(am_jw *w, const am_verify *v, const am_verify_result *r)
{
	am_jw_object(w);
	if (!w->values && !w->pretty && w->depth <= AM_JW_MAX_DEPTH)
		result_head_compact(w, r);
	else
		result_head(w, r);
	jw_lit(w, "symbols");
	am_jw_object(w);
	jw_lit(w, "looked_for");
	jw_strings(w, r->symbols, r->nsymbols);
	jw_lit(w, "found");
	jw_strings(w, r->symbols_found, r->nsymbols_found);
	am_jw_object_end(w);
	jw_lit(w, "warnings");
	am_jw_array(w);
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (r->warnings & (1u << b))
			am_jw_str(w, am_verify_warning_name(1u << b));
	am_jw_array_end(w);
	if (r->state_suppressed || r->warnings_suppressed) {
		jw_lit(w, "suppressed");
		am_jw_array(w);
		if (r->state_suppressed)
			am_jw_str(w, am_verify_state_name(r->state));
		for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
			if (r->warnings_suppressed & (1u << b))
				am_jw_str(w, am_verify_warning_name(1u << b));
		am_jw_array_end(w);
	}
	if (r->ncandidates) {
		jw_lit(w, "candidates");
		jw_strings(w, r->candidates, r->ncandidates);
		jw_lit(w, "candidates_total");
		am_jw_int(w, (long long)r->candidates_total);
	}
	jw_lit(w, "detail");
	am_jw_str(w, r->detail);
	jw_problems(w, v, r);
	am_jw_object_end(w);
}

static void verify_result_item(am_jw *w, const void *ctx, size_t i)
{
	const am_verify *v = ctx;
	jw_verify_result(w, v, &v->results[i]);
}

/* The numbers every format gives (am_verify_tally, am_lint_tally,
 * am_check_tally): problems by level (errors and warnings unless the
 * document counts them its own way, as lint's does), the confirming notes
 * (verify), and with a baseline those in it and those gone. */
static void jw_tally(am_jw *w, const am_tally *t, int baseline, bool levels, bool confirmed)
{
	if (levels) {
		jw_lit(w, "errors");
		am_jw_int(w, (long long)t->errors);
		jw_lit(w, "warnings");
		am_jw_int(w, (long long)t->warnings);
	}
	jw_lit(w, "notes");
	am_jw_int(w, (long long)t->notes);
	if (confirmed) {
		jw_lit(w, "confirmed");
		am_jw_int(w, (long long)t->confirmed);
	}
	if (baseline) {
		jw_lit(w, "unchanged");
		am_jw_int(w, (long long)t->unchanged);
		jw_lit(w, "absent");
		am_jw_int(w, (long long)t->absent);
	}
}

static void jw_verify(am_jw *w, const am_verify *v)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd-verify/1");
	jw_lit(w, "audit");
	am_jw_object(w);
	jw_lit(w, "title");
	am_jw_str(w, v->report->title);
	jw_lit(w, "date");
	am_jw_str(w, v->report->date);
	jw_lit(w, "source");
	am_jw_str(w, v->report->source);
	jw_lit(w, "path");
	am_jw_str(w, v->audit_path);
	am_jw_object_end(w);
	jw_lit(w, "as_of");
	jw_commit(w, &v->as_of, am_asof_reason_name(v->as_of_reason));
	jw_lit(w, "target");
	jw_commit(w, &v->target, NULL);
	jw_lit(w, "worktree");
	am_jw_bool(w, v->worktree);
	jw_lit(w, "summary");
	am_jw_object(w);
	jw_lit(w, "citations");
	am_jw_int(w, (long long)v->nresults);
	for (int s = 0; s < AM_VERIFY__COUNT; s++) {
		am_jw_key(w, am_verify_state_name((am_verify_state)s));
		am_jw_int(w, (long long)v->counts[s]);
	}
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++) {
		am_jw_key(w, am_verify_warning_name(1u << b));
		am_jw_int(w, (long long)v->warning_counts[b]);
	}
	jw_lit(w, "suppressed");
	am_jw_int(w, (long long)v->nsuppressed);
	am_tally t;
	am_verify_tally(&t, v);
	jw_tally(w, &t, v->baseline, true, true);
	am_jw_object_end(w);
	jw_lit(w, "results");
	am_jw_array(w);
	if (!w->no_bulk)
		write_items(w, v->nresults, verify_result_item, v);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

void am_json__verify_doc(am_jw *w, const void *doc)
{
	jw_verify(w, doc);
}

int am_verify_write_json(FILE *stream, const am_verify *v, int flags)
{
	return am_json__emit(stream, am_json__verify_doc, v, flags);
}

int am_verify_to_json(char **out, const am_verify *v, int flags)
{
	return am_json__string(out, am_json__verify_doc, v, flags);
}

/* ---- auditmd-check/1 ------------------------------------------------------- */

static void jw_range(am_jw *w, const char *path, uint32_t start, uint32_t end)
{
	am_jw_object(w);
	jw_lit(w, "path");
	am_jw_str(w, path);
	jw_lit(w, "start");
	jw_opt_line(w, start);
	jw_lit(w, "end");
	jw_opt_line(w, start ? end : 0);
	am_jw_object_end(w);
}

static void jw_check_audit(am_jw *w, const am_check_audit *a)
{
	const am_report *r = a->head ? a->head : a->base;
	am_jw_object(w);
	jw_lit(w, "path");
	am_jw_str(w, a->path);
	jw_lit(w, "base_path");
	am_jw_str(w, a->base_path);
	jw_lit(w, "change");
	am_jw_str(w, am_check_audit_change_name(a->change));
	jw_lit(w, "title");
	am_jw_str(w, r->title);
	jw_lit(w, "base_as_of");
	am_jw_str(w, a->base_as_of[0] ? a->base_as_of : NULL);
	jw_lit(w, "lines_changed");
	am_jw_int(w, (long long)a->lines_changed);
	jw_lit(w, "citations_checked");
	am_jw_int(w, a->verify ? (long long)a->verify->nresults : 0);
	jw_lit(w, "summary");
	am_jw_object(w);
	jw_change_counts(w, a->diff->counts);
	am_jw_object_end(w);
	jw_lit(w, "changes");
	am_jw_array(w);
	for (size_t i = 0; i < a->diff->nchanges; i++) {
		const am_change *ch = &a->diff->changes[i];
		if (ch->kind != AM_CHANGE_OPEN && ch->kind != AM_CHANGE_CLOSED)
			jw_change(w, ch);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void jw_check_item(am_jw *w, const am_check *c, const am_check_item *it)
{
	const am_citation *ci = it->citation;
	char *msg = am_check_message(it);
	bool broken = it->kind == AM_CHECK_BROKEN;
	am_jw_object(w);
	jw_lit(w, "kind");
	am_jw_str(w, am_check_kind_name(it->kind));
	jw_lit(w, "level");
	am_jw_str(w, am_level_name(am_check_kind_level(it->kind)));
	jw_lit(w, "audit");
	am_jw_str(w, c->audits[it->audit].path);
	jw_lit(w, "finding");
	am_jw_str(w, it->finding->id);
	jw_lit(w, "title");
	am_jw_str(w, it->finding->title);
	jw_lit(w, "status");
	am_jw_str(w, am_status_name(it->finding->status));
	jw_lit(w, "line");
	am_jw_int(w, broken ? ci->line : it->finding->line);
	jw_lit(w, "column");
	am_jw_int(w, broken ? ci->column : it->finding->column);
	jw_lit(w, "message");
	am_jw_str(w, msg);
	jw_lit(w, "citation");
	if (ci)
		am_json__write_citation(w, ci);
	else
		am_jw_null(w);
	jw_lit(w, "state");
	am_jw_str(w, broken ? am_verify_state_name(it->result->state) : NULL);
	jw_lit(w, "detail");
	am_jw_str(w, broken ? it->result->detail : NULL);
	jw_lit(w, "code");
	if (!broken)
		jw_range(w, it->path, it->start, it->end);
	else
		am_jw_null(w);
	jw_lit(w, "edit");
	if (it->kind == AM_CHECK_TOUCHED && it->head_path) {
		am_jw_object(w);
		jw_lit(w, "path");
		am_jw_str(w, it->head_path);
		jw_lit(w, "line");
		jw_opt_line(w, it->head_line);
		am_jw_object_end(w);
	} else {
		am_jw_null(w);
	}
	jw_lit(w, "fingerprint");
	am_jw_str(w, it->fingerprint);
	if (it->baseline) {
		jw_lit(w, "baseline");
		am_jw_str(w, am_baseline_state_name(it->baseline));
	}
	am_jw_object_end(w);
	free(msg);
}

static void jw_check(am_jw *w, const am_check *c)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd-check/1");
	jw_lit(w, "base");
	jw_commit(w, &c->base, NULL);
	jw_lit(w, "head");
	jw_commit(w, &c->head, NULL);
	jw_lit(w, "worktree");
	am_jw_bool(w, c->worktree);
	jw_lit(w, "summary");
	am_jw_object(w);
	jw_lit(w, "audits");
	am_jw_int(w, (long long)c->naudits);
	for (int k = 0; k < AM_CHECK__COUNT; k++) {
		am_jw_key(w, am_check_kind_name((am_check_kind)k));
		am_jw_int(w, (long long)c->counts[k]);
	}
	jw_change_counts(w, c->changes);
	am_tally t;
	am_check_tally(&t, c);
	jw_tally(w, &t, c->baseline, true, false);
	am_jw_object_end(w);
	jw_lit(w, "audits");
	am_jw_array(w);
	for (size_t i = 0; i < c->naudits; i++)
		jw_check_audit(w, &c->audits[i]);
	am_jw_array_end(w);
	jw_lit(w, "results");
	am_jw_array(w);
	for (size_t i = 0; i < (w->no_bulk ? 0 : c->nitems); i++)
		jw_check_item(w, c, &c->items[i]);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

void am_json__check_doc(am_jw *w, const void *doc)
{
	jw_check(w, doc);
}

int am_check_write_json(FILE *stream, const am_check *c, int flags)
{
	return am_json__emit(stream, am_json__check_doc, c, flags);
}

/* ---- auditmd-lint/1 ---------------------------------------------------------- */

static void jw_lint(am_jw *w, const am_lint *l)
{
	am_jw_object(w);
	jw_lit(w, "schema");
	am_jw_str(w, "auditmd-lint/1");
	jw_lit(w, "audit");
	am_jw_object(w);
	jw_lit(w, "title");
	am_jw_str(w, l->report->title);
	jw_lit(w, "date");
	am_jw_str(w, l->report->date);
	jw_lit(w, "source");
	am_jw_str(w, l->report->source);
	am_jw_object_end(w);
	jw_lit(w, "summary");
	am_jw_object(w);
	jw_lit(w, "errors");
	am_jw_int(w, (long long)l->nerrors);
	jw_lit(w, "warnings");
	am_jw_int(w, (long long)l->nwarnings);
	jw_lit(w, "suppressed");
	am_jw_int(w, (long long)l->nsuppressed);
	am_tally t;
	am_lint_tally(&t, l);
	jw_tally(w, &t, l->baseline, false, false);
	am_jw_object_end(w);
	jw_lit(w, "issues");
	am_jw_array(w);
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		am_jw_object(w);
		jw_lit(w, "rule");
		am_jw_str(w, is->rule);
		jw_lit(w, "severity");
		am_jw_str(w, am_diag_severity_name(is->severity));
		jw_lit(w, "line");
		am_jw_int(w, is->line);
		jw_lit(w, "column");
		am_jw_int(w, is->column);
		jw_lit(w, "finding");
		am_jw_str(w, is->finding);
		jw_lit(w, "text");
		am_jw_str(w, is->text);
		jw_lit(w, "fingerprint");
		am_jw_str(w, is->fingerprint);
		if (is->baseline) {
			jw_lit(w, "baseline");
			am_jw_str(w, am_baseline_state_name(is->baseline));
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void doc_jw_lint(am_jw *w, const void *doc)
{
	jw_lint(w, doc);
}

int am_lint_write_json(FILE *stream, const am_lint *l, int flags)
{
	return am_json__emit(stream, doc_jw_lint, l, flags);
}
