/*
 * report.h: reports rendered through Mustache templates.
 *
 * Each report renders the documented JSON of its command (auditmd/1,
 * auditmd-diff/1, auditmd-log/1, auditmd-verify/1) with one more member,
 * "view": the same facts arranged for reading (grouped, labelled, with
 * links and chart coordinates), documented in docs/templates.md. The
 * built-in templates (templates/ in the source tree) are compiled into the
 * library; a template file given in the options replaces the built-in one.
 * Any template against any JSON data: template.h.
 */
#ifndef AUDITMD_REPORT_H
#define AUDITMD_REPORT_H

#include <stdio.h>

#include "check.h"
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
	/**
	 * Citations become links: "https://host/org/repo/blob/{commit}/", where
	 * {commit} is the commit the lines belong to, {path} the file, {start}
	 * and {end} its lines. Without {path} the path is appended; without
	 * {start} and {end}, the line anchor of link_style.
	 */
	const char *link_base;
	/**
	 * The forge link_base points to: "github" (NULL: the default, anchors
	 * #L10-L52), "gitlab" (#L10-52), "bitbucket" (#lines-10:52) or "gitea"
	 * (#L10-L52); it also says where a commit's page is.
	 */
	const char *link_style;
	/**
	 * The commit {commit} stands for when the result names none (an audit
	 * read as REV:PATH, resolved to its commit id: links stay valid); NULL:
	 * "HEAD".
	 */
	const char *commit;
} am_render_options;

#define AM_RENDER_OPTIONS_VERSION 2
#define AM_RENDER_OPTIONS_INIT { AM_RENDER_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL }

/**
 * Renders a report in `format` ("md" or "html") into *out (length in
 * *len; free() it). Fails with AM_EUSAGE for a format without a built-in
 * template or an unknown link style, AM_EPARSE for a malformed template (the message names the
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
 * A check (pull-request mode) as Markdown ("md": a pull-request comment
 * that opens with the marker `<!-- auditmd-check -->`), made or written
 * as the reports above are.
 */
AM_EXTERN(int) am_check_render(char **out, size_t *len, const am_check *check, const char *format,
			       const am_render_options *opts);
AM_EXTERN(int) am_check_render_to(FILE *fp, const am_check *check, const char *format,
				  const am_render_options *opts);

/**
 * The text of a built-in template ("diff.html", "style"...), or NULL.
 * Borrowed: it lives as long as the program.
 */
AM_EXTERN(const char *) am_builtin_template_text(const char *name, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
