/*
 * mustache.h: a Mustache template engine that renders Jansson values.
 * Its public calls are template.h's (am_template_parse, am_template_free,
 * the partial loader, template data, am_template_render_to); the rest is
 * private to the library.
 *
 * Follows the Mustache specification v1.3: interpolation, sections, inverted
 * sections, comments, partials and set-delimiter tags, plus the optional
 * inheritance ({{<parent}}, {{$block}}) and dynamic-name ({{>*name}})
 * modules. Lambdas do not apply: the data is JSON.
 *
 * Values: strings are written as they are, integers in decimal, reals in the
 * shortest form that reads back to the same double ("1.21"), true and false
 * as words, null as nothing, arrays and objects as compact JSON. {{name}}
 * escapes & < > " ' for HTML; {{{name}}} and {{&name}} do not.
 *
 * Sections: false, null, [] and "" are falsy; everything else (0, {}, "0")
 * is truthy. A non-empty array repeats the section once per element.
 *
 * The C locale is assumed for the decimal point of reals.
 */
#ifndef AM_MUSTACHE_H
#define AM_MUSTACHE_H

#include <stdio.h>

#include "auditmd/template.h"

#include "util.h"

/* The engine's values are Jansson's (json.c reads them), opaque here. */
struct json_t;

/*
 * Sections, partials, parents and blocks nest at most this deep: inside one
 * template (checked when parsing) and across partials while rendering.
 * Going deeper fails with AM_ELIMIT instead of exhausting the stack.
 */
#define AM_TEMPLATE_MAX_DEPTH 100

/*
 * One render writes at most AM_TEMPLATE_MAX_OUTPUT bytes, and takes at most
 * AM_TEMPLATE_MAX_STEPS steps more than the bytes it writes (a step: a tag
 * or a text rendered, or a section entered for one element). Past either
 * limit it fails with AM_ELIMIT, naming the template, line and column being
 * rendered. The output limit stops a template that repeats big values; the
 * step limit one whose nested sections multiply (depth 28 of {{#a}} over two
 * elements is 2^28 steps) while writing little. Work stays proportional to
 * the output: the built-in HTML report of 150,000 findings takes 7.4 million
 * steps to write 58 MB.
 */
#define AM_TEMPLATE_MAX_OUTPUT ((size_t)1 << 30)
#define AM_TEMPLATE_MAX_STEPS ((uint64_t)100000000)

/*
 * Takes `len` bytes of output; returns 0, or a negative code (with the
 * message set) that stops the render.
 */
typedef int (*am_template_sink)(const char *bytes, size_t len, void *payload);

typedef struct {
	am_partial_loader loader; /* may be NULL: no partial exists */
	void *loader_payload;
	am_template_sink sink;    /* receives the output in pieces as it is made */
	void *sink_payload;
	size_t max_output;        /* 0: AM_TEMPLATE_MAX_OUTPUT */
	uint64_t max_steps;       /* beyond the bytes written; 0: AM_TEMPLATE_MAX_STEPS */
	/* May be NULL. The partial of that name parsed by the caller (it
	 * stays the caller's), or NULL: loaded through `loader`. */
	const am_template *(*parsed)(const char *name, size_t len, void *payload);
	void *parsed_payload;
} am_template_write_options;

/*
 * Renders `tpl` with `data` as the root context, handing the bytes to
 * o->sink in pieces of about 64 KiB: the output is never held whole.
 * Partials and parents come from o->parsed, else from o->loader, parsed
 * once per render and cached by name; their parse errors carry the
 * partial's name. Returns 0,
 * AM_ELIMIT when nesting exceeds AM_TEMPLATE_MAX_DEPTH or the output or the
 * work exceeds its limit, the code of a failing partial (AM_EPARSE, or the
 * loader's own), or the sink's. On failure the sink may have received the
 * beginning of the output.
 */
int am_template_write(const am_template *tpl, const struct json_t *data,
		      const am_template_write_options *o);

/*
 * am_template_write into memory: appends the bytes to `out`, with the
 * default limits. On failure `out` is left as it was.
 */
int am_template_render(am_buf *out, const am_template *tpl, const struct json_t *data,
		       am_partial_loader loader, void *payload);

/*
 * Calls fn with every name the template's tags use: for variables and
 * sections the first part of a dotted name (kind 0), and a dotted name
 * whole too (kind 3); for partials and parents the template's name (kind
 * 1, or kind 2 for a dynamic name, which is also looked up in the data).
 */
void am_template_each_name(const am_template *tpl,
			   void (*fn)(const char *name, size_t len, int kind, void *payload),
			   void *payload);

/* A sink writing to the FILE * in its payload; AM_EIO ("write failed: ...")
 * when a write fails. */
int am_template__file_sink(const char *bytes, size_t len, void *payload);

#endif
