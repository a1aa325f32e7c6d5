/*
 * template.h: Mustache templates rendered against any JSON document, as
 * `auditmd render` does: the engine of the built-in reports (report.h)
 * with data of the caller's choosing.
 *
 * The engine follows the Mustache specification v1.3 with its optional
 * inheritance and dynamic-name modules (docs/templates.md). {{x}} is
 * HTML-escaped, {{{x}}} and {{& x}} are not. Sections and partials nest at
 * most 100 deep; one render writes at most 1 GiB and takes at most 100
 * million steps (tags and texts rendered, sections entered) more than the
 * bytes it writes.
 */
#ifndef AUDITMD_TEMPLATE_H
#define AUDITMD_TEMPLATE_H

#include <stdio.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed template. Immutable: one template may be rendered many times. */
typedef struct am_template am_template;

/** A parsed JSON document (any JSON value) to render a template against. */
typedef struct am_template_data am_template_data;

/**
 * Finds the partial (or parent) template called `name`: 0 with text from
 * malloc() in *out (the engine frees it) and its length in *outlen, or
 * AM_ENOTFOUND for an unknown name, which renders as the empty string. Any
 * other negative code stops the render and is passed up (set the message
 * with the code, e.g. through a failed library call).
 */
typedef int (*am_partial_loader)(char **out, size_t *outlen, const char *name, void *payload);

/**
 * Parses `len` bytes of `text` into *out, freed with am_template_free().
 * `name` (may be NULL) names the template in error messages, which read
 * "NAME:LINE:COL: unclosed section 'x'". Fails with AM_EPARSE for a
 * malformed template or AM_ELIMIT for sections nested too deep.
 */
AM_EXTERN(int) am_template_parse(am_template **out, const char *text, size_t len, const char *name);

/** Frees a template; NULL is accepted. */
AM_EXTERN(void) am_template_free(am_template *tpl);

/**
 * Parses `len` bytes of JSON (any value, NUL escapes allowed) into *out,
 * freed with am_template_data_free(). Fails with AM_EPARSE, the message
 * reading "SOURCE:LINE:COL: text" (`source` NULL: "<json>").
 */
AM_EXTERN(int) am_template_data_parse(am_template_data **out, const char *text, size_t len,
				      const char *source);

/** Frees parsed JSON data; NULL is accepted. */
AM_EXTERN(void) am_template_data_free(am_template_data *data);

/**
 * Renders `tpl` with `data` as its root context and writes the bytes to
 * `fp` as they are made: the output is never held whole. Partials and
 * parents come from `loader` (NULL: there are none). Fails with AM_ELIMIT
 * (nesting, output or steps past their limit, with the template, line and
 * column), AM_EPARSE (a malformed partial, named), the loader's own code,
 * or AM_EIO when a write fails (ferror(fp) then says so). What stays in
 * fp's buffer is the caller's to flush and check. On failure `fp` may have
 * received the beginning of the output.
 */
AM_EXTERN(int) am_template_render_to(FILE *fp, const am_template *tpl,
				     const am_template_data *data, am_partial_loader loader,
				     void *payload);

#ifdef __cplusplus
}
#endif

#endif
