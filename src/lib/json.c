/*
 * json.c: the only module that touches Jansson (besides the template engine,
 * which renders Jansson values). Writes the documented JSON contracts and
 * reads the configuration file.
 */
#include "auditmd/json.h"

#include "auditmd/diff.h"
#include "auditmd/log.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

#include "json_int.h"
#include "util.h"
#include "vocab.h"

/*
 * The JSON writer. The big outputs (a 40,000-finding model, a diff of two)
 * are streamed through this small writer instead of being built as a
 * Jansson tree: building, dumping and freeing the tree costs more than
 * parsing the Markdown does. Its output is byte-for-byte what Jansson would
 * print for the same value (compact, or JSON_INDENT(2)); the tests check that
 * by reloading every output with Jansson and dumping it again.
 */

void am_jw_init(am_jw *w, am_buf *out, FILE *sink, int flags)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->sink = sink;
	w->pretty = (flags & AM_JSON_PRETTY) != 0;
	w->no_bulk = (flags & AM_JSON__NO_BULK) != 0;
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
	jw_sep(w);
	am_buf_putc(w->out, c);
	if (w->depth < AM_JW_MAX_DEPTH)
		w->count[w->depth] = 0;
	w->depth++;
}

static void jw_close(am_jw *w, char c)
{
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

static void jw_escaped(am_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;

	am_buf_grow(b, len + 2);
	am_buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!needs_escape[ch])
			continue;
		am_buf_put(b, s + run, i - run);
		run = i + 1;
		switch (ch) {
		case '"': am_buf_puts(b, "\\\""); break;
		case '\\': am_buf_puts(b, "\\\\"); break;
		case '\n': am_buf_puts(b, "\\n"); break;
		case '\t': am_buf_puts(b, "\\t"); break;
		case '\r': am_buf_puts(b, "\\r"); break;
		case '\b': am_buf_puts(b, "\\b"); break;
		case '\f': am_buf_puts(b, "\\f"); break;
		default: {
			char u[7] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0 };
			am_buf_puts(b, u);
		}
		}
	}
	am_buf_put(b, s + run, len - run);
	am_buf_putc(b, '"');
}

void am_jw_key(am_jw *w, const char *key)
{
	jw_sep(w);
	jw_escaped(w->out, key, strlen(key));
	if (w->pretty)
		am_buf_put(w->out, ": ", 2);
	else
		am_buf_putc(w->out, ':');
	w->after_key = true;
}

void am_jw_strn(am_jw *w, const char *s, size_t len)
{
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
	char num[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		num[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	jw_sep(w);
	if (v < 0)
		am_buf_putc(w->out, '-');
	while (n)
		am_buf_putc(w->out, num[--n]);
}

void am_jw_bool(am_jw *w, bool v)
{
	jw_sep(w);
	am_buf_puts(w->out, v ? "true" : "false");
}

void am_jw_null(am_jw *w)
{
	jw_sep(w);
	am_buf_puts(w->out, "null");
}

/* A line number, or null for 0. */
static void jw_line(am_jw *w, uint32_t v)
{
	if (v)
		am_jw_int(w, v);
	else
		am_jw_null(w);
}

void am_json__write_citation(am_jw *w, const am_citation *ci)
{
	am_jw_object(w);
	am_jw_key(w, "path");
	am_jw_str(w, ci->path);
	am_jw_key(w, "start");
	jw_line(w, ci->start);
	am_jw_key(w, "end");
	jw_line(w, ci->start ? ci->end : 0);
	am_jw_key(w, "role");
	am_jw_str(w, am_cite_role_name(ci->role));
	am_jw_key(w, "line");
	am_jw_int(w, ci->line);
	am_jw_key(w, "column");
	am_jw_int(w, ci->column);
	if (ci->field) {
		am_jw_key(w, "field");
		am_jw_str(w, ci->field);
	}
	if (ci->malformed) {
		am_jw_key(w, "malformed");
		am_jw_bool(w, true);
	}
	am_jw_object_end(w);
}

/* Fields as an object: the first of a repeated name wins. */
static void jw_fields(am_jw *w, const am_field *fields, size_t n)
{
	am_jw_object(w);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(fields[k].name, fields[i].name);
		if (seen)
			continue;
		am_jw_key(w, fields[i].name);
		am_jw_str(w, fields[i].value);
	}
	am_jw_object_end(w);
}

void am_json__write_finding(am_jw *w, const am_finding *f)
{
	am_jw_object(w);
	am_jw_key(w, "id");
	am_jw_str(w, f->id);
	am_jw_key(w, "number");
	am_jw_str(w, f->number);
	am_jw_key(w, "title");
	am_jw_str(w, f->title);
	am_jw_key(w, "section");
	am_jw_array(w);
	for (size_t i = 0; i < f->nsection; i++)
		am_jw_str(w, f->section[i]);
	am_jw_array_end(w);
	am_jw_key(w, "status");
	am_jw_str(w, am_status_name(f->status));
	am_jw_key(w, "status_text");
	am_jw_str(w, f->status_text);
	am_jw_key(w, "priority");
	am_jw_str(w, am_priority_name(f->priority));
	am_jw_key(w, "severity");
	am_jw_str(w, am_severity_name(f->severity));
	am_jw_key(w, "fields");
	jw_fields(w, f->fields, f->nfields);
	am_jw_key(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++)
		am_json__write_citation(w, &f->citations[i]);
	am_jw_array_end(w);
	am_jw_key(w, "line");
	am_jw_int(w, f->line);
	am_jw_key(w, "column");
	am_jw_int(w, f->column);
	am_jw_key(w, "end_line");
	am_jw_int(w, f->end_line);
	am_jw_key(w, "kind");
	am_jw_str(w, am_finding_kind_name(f->kind));
	am_jw_key(w, "id_explicit");
	am_jw_bool(w, f->id_explicit);
	if (f->parent) {
		am_jw_key(w, "parent");
		am_jw_str(w, f->parent);
	}
	if (f->checkbox != AM_CHECKBOX_NONE) {
		am_jw_key(w, "checked");
		am_jw_bool(w, f->checkbox == AM_CHECKBOX_TICKED);
	}
	if (f->ntasks) {
		am_jw_key(w, "tasks");
		am_jw_object(w);
		am_jw_key(w, "total");
		am_jw_int(w, f->ntasks);
		am_jw_key(w, "done");
		am_jw_int(w, f->ntasks_done);
		am_jw_object_end(w);
	}
	am_jw_object_end(w);
}

/*
 * The items of a long array, on two threads: in blocks of BLOCK_ITEMS, the
 * even blocks written by the caller's thread as they are made, the odd ones
 * made by a second thread into a ring of RING buffers, each written out by
 * the caller's thread in its turn. Memory stays a few blocks, whatever the
 * array's length. item(w, ctx, i) writes item i.
 */
#define PARALLEL_ITEMS 4096
#define BLOCK_ITEMS 256
#define RING 4

typedef void (*jw_item_fn)(am_jw *w, const void *ctx, size_t i);

typedef struct {
	jw_item_fn item;
	const void *ctx;
	size_t n;
	bool pretty;
	int depth; /* of the array's items */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	am_buf buf[RING];
	bool ready[RING];
} items_ring;

static void *ring_worker(void *arg)
{
	items_ring *r = arg;
	size_t nblocks = (r->n + BLOCK_ITEMS - 1) / BLOCK_ITEMS;
	for (size_t k = 1; k < nblocks; k += 2) {
		size_t slot = (k / 2) % RING;
		pthread_mutex_lock(&r->mu);
		while (r->ready[slot])
			pthread_cond_wait(&r->cv, &r->mu);
		pthread_mutex_unlock(&r->mu);
		am_jw w;
		am_buf_clear(&r->buf[slot]);
		am_jw_init(&w, &r->buf[slot], NULL, r->pretty ? AM_JSON_PRETTY : 0);
		/* Inside the array, after the items before this block. */
		w.depth = r->depth;
		w.count[r->depth - 1] = 1;
		size_t end = (k + 1) * BLOCK_ITEMS < r->n ? (k + 1) * BLOCK_ITEMS : r->n;
		for (size_t i = k * BLOCK_ITEMS; i < end; i++)
			r->item(&w, r->ctx, i);
		pthread_mutex_lock(&r->mu);
		r->ready[slot] = true;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
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
	items_ring r;
	pthread_t th;

	if (n < PARALLEL_ITEMS || w->depth > AM_JW_MAX_DEPTH) {
		for (size_t i = 0; i < n; i++)
			item(w, ctx, i);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.item = item;
	r.ctx = ctx;
	r.n = n;
	r.pretty = w->pretty;
	r.depth = w->depth;
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.cv, NULL);
	if (pthread_create(&th, NULL, ring_worker, &r) != 0) {
		for (size_t i = 0; i < n; i++)
			item(w, ctx, i);
	} else {
		size_t nblocks = (n + BLOCK_ITEMS - 1) / BLOCK_ITEMS;
		for (size_t k = 0; k < nblocks; k++) {
			size_t end = (k + 1) * BLOCK_ITEMS < n ? (k + 1) * BLOCK_ITEMS : n;
			if (k % 2 == 0) {
				for (size_t i = k * BLOCK_ITEMS; i < end; i++)
					item(w, ctx, i);
				continue;
			}
			size_t slot = (k / 2) % RING;
			pthread_mutex_lock(&r.mu);
			while (!r.ready[slot])
				pthread_cond_wait(&r.cv, &r.mu);
			pthread_mutex_unlock(&r.mu);
			jw_put_raw(w, r.buf[slot].ptr, r.buf[slot].size);
			w->count[w->depth - 1] += (unsigned)(end - k * BLOCK_ITEMS);
			pthread_mutex_lock(&r.mu);
			r.ready[slot] = false;
			pthread_cond_broadcast(&r.cv);
			pthread_mutex_unlock(&r.mu);
		}
		pthread_join(th, NULL);
	}
	for (int i = 0; i < RING; i++)
		am_buf_free(&r.buf[i]);
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
}

static void finding_item(am_jw *w, const void *ctx, size_t i)
{
	am_json__write_finding(w, &((const am_report *)ctx)->findings[i]);
}

static void write_findings(am_jw *w, const am_report *r)
{
	write_items(w, r->nfindings, finding_item, r);
}

static void jw_report(am_jw *w, const am_report *r)
{
	am_jw_object(w);
	am_jw_key(w, "schema");
	am_jw_str(w, "auditmd/1");
	am_jw_key(w, "source");
	am_jw_str(w, r->source);
	am_jw_key(w, "title");
	am_jw_str(w, r->title);
	am_jw_key(w, "date");
	am_jw_str(w, r->date);
	am_jw_key(w, "metadata");
	jw_fields(w, r->metadata, r->nmetadata);
	am_jw_key(w, "findings");
	am_jw_array(w);
	if (!w->no_bulk)
		write_findings(w, r);
	am_jw_array_end(w);
	am_jw_key(w, "diagnostics");
	am_jw_array(w);
	for (size_t i = 0; i < r->ndiags; i++) {
		const am_diag *d = &r->diags[i];
		am_jw_object(w);
		am_jw_key(w, "severity");
		am_jw_str(w, d->severity == AM_DIAG_ERROR ? "error" : "warning");
		am_jw_key(w, "line");
		am_jw_int(w, d->line);
		am_jw_key(w, "column");
		am_jw_int(w, d->column);
		am_jw_key(w, "code");
		am_jw_str(w, d->code);
		am_jw_key(w, "message");
		am_jw_str(w, d->text);
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	am_jw_object_end(w);
}

/* ---- auditmd-diff/1 ------------------------------------------------------- */

static void jw_side(am_jw *w, const am_report *r)
{
	am_jw_object(w);
	am_jw_key(w, "title");
	am_jw_str(w, r->title);
	am_jw_key(w, "date");
	am_jw_str(w, r->date);
	am_jw_key(w, "source");
	am_jw_str(w, r->source);
	am_jw_key(w, "findings");
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
	am_jw_key(w, "id");
	am_jw_str(w, f->id);
	am_jw_key(w, "number");
	am_jw_str(w, f->number);
	am_jw_key(w, "title");
	am_jw_str(w, f->title);
	am_jw_key(w, "status");
	am_jw_str(w, am_status_name(f->status));
	am_jw_key(w, "status_text");
	am_jw_str(w, f->status_text);
	am_jw_key(w, "section");
	am_jw_array(w);
	for (size_t i = 0; i < f->nsection; i++)
		am_jw_str(w, f->section[i]);
	am_jw_array_end(w);
	am_jw_key(w, "priority");
	am_jw_str(w, am_priority_name(f->priority));
	am_jw_key(w, "severity");
	am_jw_str(w, am_severity_name(f->severity));
	am_jw_key(w, "kind");
	am_jw_str(w, am_finding_kind_name(f->kind));
	am_jw_key(w, "line");
	am_jw_int(w, f->line);
	am_jw_key(w, "citations");
	am_jw_array(w);
	for (size_t i = 0; i < f->ncitations; i++)
		am_json__write_citation(w, &f->citations[i]);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void jw_diff(am_jw *w, const am_diff *d)
{
	am_jw_object(w);
	am_jw_key(w, "schema");
	am_jw_str(w, "auditmd-diff/1");
	am_jw_key(w, "old");
	jw_side(w, d->old_report);
	am_jw_key(w, "new");
	jw_side(w, d->new_report);
	am_jw_key(w, "summary");
	am_jw_object(w);
	static const am_change_kind order[] = { AM_CHANGE_NEW, AM_CHANGE_REMOVED, AM_CHANGE_RESOLVED,
						AM_CHANGE_REGRESSED, AM_CHANGE_OPEN, AM_CHANGE_CLOSED };
	for (size_t i = 0; i < AM_CHANGE__COUNT; i++) {
		am_jw_key(w, am_change_kind_name(order[i]));
		am_jw_int(w, (long long)d->counts[order[i]]);
	}
	am_jw_object_end(w);
	am_jw_key(w, "changes");
	am_jw_array(w);
	for (size_t i = 0; i < (w->no_bulk ? 0 : d->nchanges); i++) {
		const am_change *ch = &d->changes[i];
		am_jw_object(w);
		am_jw_key(w, "kind");
		am_jw_str(w, am_change_kind_name(ch->kind));
		am_jw_key(w, "old");
		jw_finding_ref(w, ch->old_finding);
		am_jw_key(w, "new");
		jw_finding_ref(w, ch->new_finding);
		am_jw_key(w, "changed");
		am_jw_array(w);
		for (unsigned b = 0; b < AM_CHANGED__COUNT; b++)
			if (ch->changed & (1u << b))
				am_jw_str(w, am_changed_name(1u << b));
		am_jw_array_end(w);
		am_jw_key(w, "similarity");
		if (ch->old_finding && ch->new_finding) {
			/* Two decimals: stable across platforms, enough to explain. */
			long long hundredths = (long long)(ch->similarity * 100.0 + 0.5);
			char num[48];
			snprintf(num, sizeof(num), "%lld.%02lld", hundredths / 100, hundredths % 100);
			jw_sep(w);
			/* Jansson prints 1.0 as "1.0" and 0.5 as "0.5": trim to match. */
			size_t len = strlen(num);
			while (len > 3 && num[len - 1] == '0')
				len--;
			am_buf_put(w->out, num, len);
		} else {
			am_jw_null(w);
		}
		am_jw_key(w, "matched_by");
		am_jw_str(w, am_match_kind_name(ch->matched_by));
		if (ch->resolution) {
			am_jw_key(w, "resolution");
			am_jw_str(w, am_resolution_name((am_resolution)ch->resolution));
		}
		am_jw_object_end(w);
	}
	am_jw_array_end(w);
	if (d->resolution_checked) {
		am_jw_key(w, "as_of");
		am_jw_object(w);
		am_jw_key(w, "old");
		am_jw_str(w, d->old_as_of[0] ? d->old_as_of : NULL);
		am_jw_key(w, "new");
		am_jw_str(w, d->new_as_of[0] ? d->new_as_of : NULL);
		am_jw_object_end(w);
	}
	am_jw_object_end(w);
}

static void doc_jw_diff(am_jw *w, const void *doc)
{
	jw_diff(w, doc);
}

int am_diff_write_json(FILE *stream, const am_diff *diff, int flags)
{
	return am_json__emit(stream, doc_jw_diff, diff, flags);
}

int am_diff_to_json(char **out, const am_diff *diff, int flags)
{
	return am_json__string(out, doc_jw_diff, diff, flags);
}

/* ---- auditmd-log/1 ---------------------------------------------------------- */

static void jw_change(am_jw *w, const am_change *ch)
{
	am_jw_object(w);
	am_jw_key(w, "kind");
	am_jw_str(w, am_change_kind_name(ch->kind));
	am_jw_key(w, "old");
	jw_finding_ref(w, ch->old_finding);
	am_jw_key(w, "new");
	jw_finding_ref(w, ch->new_finding);
	am_jw_key(w, "changed");
	am_jw_array(w);
	for (unsigned b = 0; b < AM_CHANGED__COUNT; b++)
		if (ch->changed & (1u << b))
			am_jw_str(w, am_changed_name(1u << b));
	am_jw_array_end(w);
	am_jw_key(w, "matched_by");
	am_jw_str(w, am_match_kind_name(ch->matched_by));
	am_jw_object_end(w);
}

static void jw_log_entry(am_jw *w, const am_log_entry *e)
{
	am_jw_object(w);
	am_jw_key(w, "commit");
	am_jw_str(w, e->commit);
	am_jw_key(w, "date");
	am_jw_str(w, e->date);
	am_jw_key(w, "time");
	am_jw_int(w, (long long)e->time);
	am_jw_key(w, "author");
	am_jw_str(w, e->author);
	am_jw_key(w, "message");
	am_jw_str(w, e->summary);
	am_jw_key(w, "path");
	am_jw_str(w, e->path);
	am_jw_key(w, "audit");
	am_jw_object(w);
	am_jw_key(w, "title");
	am_jw_str(w, e->report->title);
	am_jw_key(w, "date");
	am_jw_str(w, e->report->date);
	am_jw_object_end(w);
	am_jw_key(w, "totals");
	am_jw_object(w);
	am_jw_key(w, "findings");
	am_jw_int(w, (long long)e->report->nfindings);
	am_jw_key(w, "open");
	am_jw_int(w, (long long)e->open);
	am_jw_key(w, "closed");
	am_jw_int(w, (long long)e->closed);
	am_jw_object_end(w);
	am_jw_key(w, "summary");
	if (e->diff) {
		static const am_change_kind order[] = { AM_CHANGE_NEW, AM_CHANGE_REMOVED, AM_CHANGE_RESOLVED,
							AM_CHANGE_REGRESSED, AM_CHANGE_OPEN, AM_CHANGE_CLOSED };
		am_jw_object(w);
		for (size_t i = 0; i < AM_CHANGE__COUNT; i++) {
			am_jw_key(w, am_change_kind_name(order[i]));
			am_jw_int(w, (long long)e->diff->counts[order[i]]);
		}
		am_jw_object_end(w);
	} else {
		am_jw_null(w);
	}
	/* The changelog: what was resolved, added, reopened or dropped. */
	am_jw_key(w, "changes");
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
	am_jw_key(w, "schema");
	am_jw_str(w, "auditmd-log/1");
	am_jw_key(w, "path");
	am_jw_str(w, log->path);
	am_jw_key(w, "compiled");
	am_jw_int(w, (long long)log->ncompiled);
	am_jw_key(w, "entries");
	am_jw_array(w);
	for (size_t i = 0; i < (w->no_bulk ? 0 : log->nentries); i++)
		jw_log_entry(w, &log->entries[i]);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void doc_jw_log(am_jw *w, const void *doc)
{
	jw_log(w, doc);
}

int am_log_write_json(FILE *stream, const am_log *log, int flags)
{
	return am_json__emit(stream, doc_jw_log, log, flags);
}

int am_log_to_json(char **out, const am_log *log, int flags)
{
	return am_json__string(out, doc_jw_log, log, flags);
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

static void doc_jw_report(am_jw *w, const void *doc)
{
	jw_report(w, doc);
}

int am_report_write_json(FILE *stream, const am_report *report, int flags)
{
	return am_json__emit(stream, doc_jw_report, report, flags);
}

int am_report_to_json(char **out, const am_report *report, int flags)
{
	return am_json__string(out, doc_jw_report, report, flags);
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
	json_t *lint = json_object_get(root, "lint");
	if (lint) {
		json_t *disable = json_object_get(lint, "disable");
		if (!json_is_object(lint) || json_object_size(lint) != (disable ? 1u : 0u) ||
		    (disable && !json_is_array(disable))) {
			am_error_set("%s: \"lint\" must be {\"disable\": [rule ids]}", source);
			rc = AM_EPARSE;
			goto done;
		}
		size_t i;
		json_t *rule;
		json_array_foreach(disable, i, rule) {
			if (!json_is_string(rule) || am_vocab_disable_rule(vocab, json_string_value(rule)) < 0) {
				am_error_set("%s: lint \"disable\" item %zu must be a rule id", source, i + 1);
				rc = AM_EPARSE;
				goto done;
			}
		}
	}
done:
	json_decref(root);
	return rc;
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

struct am_json_data {
	json_t *value;
};

int am_json_data_parse(am_json_data **out, const char *text, size_t len, const char *name)
{
	json_t *value = NULL;
	int rc;

	*out = NULL;
	if ((rc = am_json__load(&value, text, len, name)) < 0)
		return rc;
	*out = am_xmalloc(sizeof(**out));
	(*out)->value = value;
	return 0;
}

void am_json_data_free(am_json_data *data)
{
	if (!data)
		return;
	json_decref(data->value);
	free(data);
}

const json_t *am_json__data_value(const am_json_data *data)
{
	return data->value;
}

const char *am_json__version(void)
{
	return JANSSON_VERSION;
}

/* ---- auditmd-verify/1 ------------------------------------------------------- */

static void jw_commit(am_jw *w, const am_verify_commit *c, const char *reason)
{
	am_jw_object(w);
	am_jw_key(w, "commit");
	am_jw_str(w, c->commit[0] ? c->commit : NULL);
	am_jw_key(w, "date");
	am_jw_str(w, c->commit[0] ? c->date : NULL);
	if (reason) {
		am_jw_key(w, "reason");
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

static void jw_verify_result(am_jw *w, const am_verify_result *r)
{
	const am_citation *ci = r->citation;
	am_jw_object(w);
	am_jw_key(w, "finding");
	am_jw_str(w, r->finding->id);
	am_jw_key(w, "title");
	am_jw_str(w, r->finding->title);
	am_jw_key(w, "status");
	am_jw_str(w, am_status_name(r->finding->status));
	am_jw_key(w, "path");
	am_jw_str(w, ci->path);
	am_jw_key(w, "start");
	jw_opt_line(w, ci->start);
	am_jw_key(w, "end");
	jw_opt_line(w, ci->start ? ci->end : 0);
	am_jw_key(w, "role");
	am_jw_str(w, am_cite_role_name(ci->role));
	am_jw_key(w, "line");
	am_jw_int(w, ci->line);
	am_jw_key(w, "column");
	am_jw_int(w, ci->column);
	am_jw_key(w, "state");
	am_jw_str(w, am_verify_state_name(r->state));
	am_jw_key(w, "repo_path");
	am_jw_str(w, r->path);
	am_jw_key(w, "now");
	if (r->now_path) {
		am_jw_object(w);
		am_jw_key(w, "path");
		am_jw_str(w, r->now_path);
		am_jw_key(w, "start");
		jw_opt_line(w, r->now_start);
		am_jw_key(w, "end");
		jw_opt_line(w, r->now_end);
		am_jw_object_end(w);
	} else {
		am_jw_null(w);
	}
	am_jw_key(w, "file_lines");
	if (r->file_read)
		am_jw_int(w, r->file_lines);
	else
		am_jw_null(w);
	am_jw_key(w, "symbols");
	am_jw_object(w);
	am_jw_key(w, "looked_for");
	jw_strings(w, r->symbols, r->nsymbols);
	am_jw_key(w, "found");
	jw_strings(w, r->symbols_found, r->nsymbols_found);
	am_jw_object_end(w);
	am_jw_key(w, "warnings");
	am_jw_array(w);
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (r->warnings & (1u << b))
			am_jw_str(w, am_verify_warning_name(1u << b));
	am_jw_array_end(w);
	if (r->state_suppressed || r->warnings_suppressed) {
		am_jw_key(w, "suppressed");
		am_jw_array(w);
		if (r->state_suppressed)
			am_jw_str(w, am_verify_state_name(r->state));
		for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
			if (r->warnings_suppressed & (1u << b))
				am_jw_str(w, am_verify_warning_name(1u << b));
		am_jw_array_end(w);
	}
	if (r->ncandidates) {
		am_jw_key(w, "candidates");
		jw_strings(w, r->candidates, r->ncandidates);
		am_jw_key(w, "candidates_total");
		am_jw_int(w, (long long)r->candidates_total);
	}
	am_jw_key(w, "detail");
	am_jw_str(w, r->detail);
	am_jw_object_end(w);
}

static void verify_result_item(am_jw *w, const void *ctx, size_t i)
{
	jw_verify_result(w, &((const am_verify *)ctx)->results[i]);
}

static void jw_verify(am_jw *w, const am_verify *v)
{
	am_jw_object(w);
	am_jw_key(w, "schema");
	am_jw_str(w, "auditmd-verify/1");
	am_jw_key(w, "audit");
	am_jw_object(w);
	am_jw_key(w, "title");
	am_jw_str(w, v->report->title);
	am_jw_key(w, "date");
	am_jw_str(w, v->report->date);
	am_jw_key(w, "source");
	am_jw_str(w, v->report->source);
	am_jw_key(w, "path");
	am_jw_str(w, v->audit_path);
	am_jw_object_end(w);
	am_jw_key(w, "as_of");
	jw_commit(w, &v->as_of, am_asof_reason_name(v->as_of_reason));
	am_jw_key(w, "target");
	jw_commit(w, &v->target, NULL);
	am_jw_key(w, "worktree");
	am_jw_bool(w, v->worktree);
	am_jw_key(w, "summary");
	am_jw_object(w);
	am_jw_key(w, "citations");
	am_jw_int(w, (long long)v->nresults);
	for (int s = 0; s < AM_VERIFY__COUNT; s++) {
		am_jw_key(w, am_verify_state_name((am_verify_state)s));
		am_jw_int(w, (long long)v->counts[s]);
	}
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++) {
		am_jw_key(w, am_verify_warning_name(1u << b));
		am_jw_int(w, (long long)v->warning_counts[b]);
	}
	am_jw_key(w, "suppressed");
	am_jw_int(w, (long long)v->nsuppressed);
	am_jw_object_end(w);
	am_jw_key(w, "results");
	am_jw_array(w);
	if (!w->no_bulk)
		write_items(w, v->nresults, verify_result_item, v);
	am_jw_array_end(w);
	am_jw_object_end(w);
}

static void doc_jw_verify(am_jw *w, const void *doc)
{
	jw_verify(w, doc);
}

int am_verify_write_json(FILE *stream, const am_verify *v, int flags)
{
	return am_json__emit(stream, doc_jw_verify, v, flags);
}

int am_verify_to_json(char **out, const am_verify *v, int flags)
{
	return am_json__string(out, doc_jw_verify, v, flags);
}

/* ---- auditmd-lint/1 ---------------------------------------------------------- */

static void jw_lint(am_jw *w, const am_lint *l)
{
	am_jw_object(w);
	am_jw_key(w, "schema");
	am_jw_str(w, "auditmd-lint/1");
	am_jw_key(w, "audit");
	am_jw_object(w);
	am_jw_key(w, "title");
	am_jw_str(w, l->report->title);
	am_jw_key(w, "date");
	am_jw_str(w, l->report->date);
	am_jw_key(w, "source");
	am_jw_str(w, l->report->source);
	am_jw_object_end(w);
	am_jw_key(w, "summary");
	am_jw_object(w);
	am_jw_key(w, "errors");
	am_jw_int(w, (long long)l->nerrors);
	am_jw_key(w, "warnings");
	am_jw_int(w, (long long)l->nwarnings);
	am_jw_key(w, "suppressed");
	am_jw_int(w, (long long)l->nsuppressed);
	am_jw_object_end(w);
	am_jw_key(w, "issues");
	am_jw_array(w);
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		am_jw_object(w);
		am_jw_key(w, "rule");
		am_jw_str(w, is->rule);
		am_jw_key(w, "severity");
		am_jw_str(w, is->severity == AM_DIAG_ERROR ? "error" : "warning");
		am_jw_key(w, "line");
		am_jw_int(w, is->line);
		am_jw_key(w, "column");
		am_jw_int(w, is->column);
		am_jw_key(w, "finding");
		am_jw_str(w, is->finding);
		am_jw_key(w, "text");
		am_jw_str(w, is->text);
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
