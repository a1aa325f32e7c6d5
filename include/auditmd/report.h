/*
 * report.h: reports rendered through Mustache templates.
 *
 * Each report renders the documented JSON of its command (auditmd/1,
 * auditmd-diff/1, auditmd-log/1, auditmd-verify/1) with one more member,
 * "view": the same facts arranged for reading (grouped, labelled, with
 * links and chart coordinates), documented in docs/templates.md. The
 * built-in templates (templates/ in the source tree) are compiled into the
 * library; a template file given in the options replaces the built-in one.
 */
#ifndef AUDITMD_REPORT_H
#define AUDITMD_REPORT_H

#include <stdio.h>

#include "common.h"
#include "diff.h"
#include "log.h"
#include "model.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned int version;
	const char *template_path; /**< a template file to use instead of the built-in one */
	const char *template_dir;  /**< partials and parents are read here first */
	const char *link_base;     /**< "https://host/org/repo/blob/{commit}/": citations become links */
	unsigned error_mask;       /**< verify: states (1 << state) reported as errors; 0: the default */
} am_render_options;

#define AM_RENDER_OPTIONS_VERSION 1
#define AM_RENDER_OPTIONS_INIT { AM_RENDER_OPTIONS_VERSION, NULL, NULL, NULL, 0 }

/**
 * Renders a report in `format` ("md" or "html") into *out (length in
 * *len; free() it). Fails with AM_EUSAGE for a format without a built-in
 * template, AM_EPARSE for a malformed template (the message names the
 * template, line and column), AM_ENOTFOUND/AM_EIO for an unreadable
 * template file, AM_ELIMIT for templates nested too deep, or a render over
 * its limits: 1 GiB of output, 100 million steps (tags and texts rendered,
 * sections entered), with the template's line and column.
 */
AM_EXTERN(int) am_report_render(char **out, size_t *len, const am_report *report,
				const char *format, const am_render_options *opts);
AM_EXTERN(int) am_diff_render(char **out, size_t *len, const am_diff *diff, const char *format,
			      const am_render_options *opts);
AM_EXTERN(int) am_log_render(char **out, size_t *len, const am_log *log, const char *format,
			     const am_render_options *opts);
AM_EXTERN(int) am_verify_render(char **out, size_t *len, const am_verify *v, const char *format,
				const am_render_options *opts);

/**
 * The same, written to `fp` as it is made: the output is never held whole
 * in memory. Fails as above, or with AM_EIO when a write fails (ferror(fp)
 * then says so). On failure `fp` may have received the beginning of the
 * report: write to a temporary file and keep it only on success.
 */
AM_EXTERN(int) am_report_render_to(FILE *fp, const am_report *report, const char *format,
				   const am_render_options *opts);
AM_EXTERN(int) am_diff_render_to(FILE *fp, const am_diff *diff, const char *format,
				 const am_render_options *opts);
AM_EXTERN(int) am_log_render_to(FILE *fp, const am_log *log, const char *format,
				const am_render_options *opts);
AM_EXTERN(int) am_verify_render_to(FILE *fp, const am_verify *v, const char *format,
				   const am_render_options *opts);

/**
 * The text of a built-in template ("diff.html", "style"...), or NULL.
 * Borrowed: it lives as long as the program.
 */
AM_EXTERN(const char *) am_builtin_template_text(const char *name, size_t *len);

/*
 * Any template against any JSON data (`auditmd render`). The engine follows
 * the Mustache specification v1.3 with inheritance and dynamic names, and
 * the limits of am_report_render (docs/templates.md).
 */

/** A parsed Mustache template; immutable, rendered any number of times. */
typedef struct am_template am_template;

/**
 * Parses `len` bytes of `text` into *out, freed with am_template_free().
 * `name` (may be NULL) names the template in error messages, which read
 * "NAME:LINE:COL: unclosed section 'x'". Returns 0, AM_EPARSE for a
 * malformed template or AM_ELIMIT when sections nest too deep.
 */
AM_EXTERN(int) am_template_parse(am_template **out, const char *text, size_t len, const char *name);
AM_EXTERN(void) am_template_free(am_template *tpl);

/** JSON data for templates, parsed. */
typedef struct am_template_data am_template_data;

/**
 * Parses `len` bytes of JSON (any value; NUL bytes allowed in strings) into
 * *out, freed with am_template_data_free(). Returns 0, or AM_EPARSE with a
 * message "SOURCE:LINE:COL: what is wrong" (`source` may be NULL).
 */
AM_EXTERN(int) am_template_data_parse(am_template_data **out, const char *text, size_t len,
				      const char *source);
AM_EXTERN(void) am_template_data_free(am_template_data *data);

/**
 * Finds the partial (or parent) template called `name`: on success stores
 * in *out text from malloc() (freed by the engine) and its length in
 * *outlen, and returns 0. AM_ENOTFOUND renders the partial as nothing; any
 * other negative code stops the render and is returned as it is.
 */
typedef int (*am_partial_loader)(char **out, size_t *outlen, const char *name, void *payload);

/**
 * Renders `tpl` with `data` as the root context, written to `fp` as it is
 * made; partials and parents come from `loader` (NULL: there are none).
 * Fails as am_report_render_to does, or with the loader's code.
 */
AM_EXTERN(int) am_template_render_to(FILE *fp, const am_template *tpl,
				     const am_template_data *data, am_partial_loader loader,
				     void *payload);

#ifdef __cplusplus
}
#endif

#endif
