/*
 * verify_out.c: the renderings of `auditmd verify` for people and for
 * GitHub: compiler-style lines, workflow commands and the step summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

#define C(code) (color ? "\033[" code "m" : "")
#define RESET C("0")

/* "path:10-52" appended to b. */
static void put_spec(am_buf *b, const char *path, uint32_t start, uint32_t end)
{
	char *spec = am_citation_spec(path, start, end);
	am_buf_puts(b, spec);
	free(spec);
}

static void short_id(am_buf *b, const char *commit)
{
	am_buf_put(b, commit, strlen(commit) > 10 ? 10 : strlen(commit));
}

static const char *reason_text(am_asof_reason r)
{
	switch (r) {
	case AM_ASOF_GIVEN: return "given with --as-of";
	case AM_ASOF_REVISION: return "the commit that wrote this revision of the audit";
	case AM_ASOF_COMMITTED: return "the commit that wrote the audit file";
	case AM_ASOF_DATE: return "the last commit on or before the audit's date";
	default: return "none";
	}
}

static void context_line(am_buf *b, const am_verify *v)
{
	am_buf_puts(b, "as-of ");
	if (v->as_of_reason == AM_ASOF_NONE) {
		am_buf_puts(b, "none (citations checked at the target)");
	} else {
		short_id(b, v->as_of.commit);
		am_buf_printf(b, " %s (%s)", v->as_of.date, reason_text(v->as_of_reason));
	}
	if (v->worktree) {
		am_buf_puts(b, ", target the working tree (HEAD ");
		short_id(b, v->target.commit);
		am_buf_puts(b, ")");
		return;
	}
	am_buf_puts(b, ", target ");
	short_id(b, v->target.commit);
	am_buf_printf(b, " %s", v->target.date);
}

static void plural(am_buf *b, size_t n, const char *one, const char *many)
{
	am_buf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

/* The numbers of the run (am_verify_tally): the states, then the
 * problems by level, as every format gives them. */
static void summary_line(am_buf *b, const am_verify *v)
{
	am_tally t;
	am_verify_tally(&t, v);
	plural(b, t.citations, "citation", "citations");
	am_buf_putc(b, ':');
	bool first = true;
	for (int s = 0; s < AM_VERIFY__COUNT; s++)
		if (v->counts[s] || s == AM_VERIFY_OK) {
			am_buf_printf(b, "%s %zu %s", first ? "" : ",", v->counts[s],
				      am_verify_state_name((am_verify_state)s));
			first = false;
		}
	for (unsigned k = 0; k < AM_VERIFY_WARN__COUNT; k++)
		if (v->warning_counts[k])
			am_buf_printf(b, ", %zu %s", v->warning_counts[k], am_verify_warning_name(1u << k));
	am_buf_puts(b, "; ");
	plural(b, t.errors, "error", "errors");
	am_buf_puts(b, ", ");
	plural(b, t.warnings, "warning", "warnings");
	am_buf_puts(b, ", ");
	plural(b, t.notes, "note", "notes");
	if (t.confirmed)
		am_buf_printf(b, " (%zu confirming a resolution)", t.confirmed);
	if (v->baseline)
		am_buf_printf(b, "; %zu unchanged since the baseline, %zu gone", t.unchanged, t.absent);
	if (t.suppressed)
		am_buf_printf(b, " (%zu switched off in the audit or the configuration)", t.suppressed);
}

/* "NAME:LINE:COL: level: text", the names and text shown safely. */
static void put_line(FILE *fp, const char *name, const am_citation *ci, const char *on,
		     const char *level, const char *off, const char *text)
{
	cli_put_visible(fp, name);
	fprintf(fp, ":%u:%u: %s%s:%s ", ci->line, ci->column, on, level, off);
	cli_put_visible(fp, text);
	fputc('\n', fp);
}

/* "path:10-52: moved to path:12-54", and whether it is in the baseline. */
static void problem_text(am_buf *b, const am_verify_problem *p)
{
	const am_citation *ci = p->result->citation;
	char *text = am_verify_problem_text(p);
	put_spec(b, ci->path, ci->start, ci->end);
	am_buf_printf(b, ": %s", text);
	if (p->baseline == AM_BASELINE_UNCHANGED)
		am_buf_puts(b, " (in the baseline)");
	free(text);
}

static const char *level_color(am_level level, bool color)
{
	switch (level) {
	case AM_LEVEL_ERROR: return C("1;31");
	case AM_LEVEL_WARNING: return C("1;33");
	case AM_LEVEL_NOTE: return C("36");
	default: return C("2");
	}
}

int cli_write_verify_text(FILE *fp, const am_verify *v, const char *name, bool verbose, bool color)
{
	am_buf b = AM_BUF_INIT;
	am_verify_problem p[AM_VERIFY_MAX_PROBLEMS];
	context_line(&b, v);
	fputs(C("2"), fp);
	cli_put_visible(fp, b.ptr);
	fprintf(fp, "%s\n", RESET);
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		const am_citation *ci = r->citation;
		size_t n = am_verify_problems(p, v, r);
		if (verbose && (r->state == AM_VERIFY_OK || r->state_suppressed)) {
			/* The state, holding or switched off: information. */
			am_verify_problem held = { .result = r, .rule = am_verify_state_name(r->state) };
			char *text = am_verify_problem_text(&held);
			am_buf_clear(&b);
			put_spec(&b, ci->path, ci->start, ci->end);
			am_buf_printf(&b, ": %s%s", text, r->state_suppressed ? " (switched off)" : "");
			free(text);
			put_line(fp, name, ci, C("2"), "info", RESET, b.ptr);
		}
		for (size_t k = 0; k < n; k++) {
			am_buf_clear(&b);
			problem_text(&b, &p[k]);
			put_line(fp, name, ci, level_color(p[k].level, color), am_level_name(p[k].level), RESET,
				 b.ptr);
		}
	}
	am_buf_clear(&b);
	summary_line(&b, v);
	cli_put_visible(fp, b.ptr);
	fputc('\n', fp);
	am_buf_free(&b);
	return ferror(fp) ? AM_EIO : 0;
}

/* What fails first, then the other errors, warnings and notes; in the
 * audit's order within each. */
static int by_severity(const void *a, const void *b)
{
	const am_verify_problem *x = a, *y = b;
	if (x->fails != y->fails)
		return x->fails ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->result->citation->line != y->result->citation->line)
		return x->result->citation->line < y->result->citation->line ? -1 : 1;
	if (x->result != y->result)
		return x->result < y->result ? -1 : 1;
	return x->warning < y->warning ? -1 : x->warning > y->warning;
}

/* The problems of a verification, worst first. */
static am_verify_problem *problems(const am_verify *v, size_t *n)
{
	am_verify_problem *p = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 0; i < v->nresults; i++) {
		am_grow((void **)&p, &cap, np + AM_VERIFY_MAX_PROBLEMS, sizeof(*p));
		np += am_verify_problems(p + np, v, &v->results[i]);
	}
	if (np)
		qsort(p, np, sizeof(*p), by_severity);
	*n = np;
	return p;
}

/* The workflow command of a level. */
static const char *gh_command(am_level level)
{
	return level == AM_LEVEL_ERROR ? "error" : level == AM_LEVEL_WARNING ? "warning" : "notice";
}

int cli_write_verify_github(FILE *fp, const am_verify *v, const char *audit)
{
	size_t n;
	am_verify_problem *p = problems(v, &n);
	am_buf b = AM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const am_citation *ci = p[i].result->citation;
		fprintf(fp, "::%s file=", gh_command(p[i].level));
		cli_gh_escape(fp, audit, true);
		fprintf(fp, ",line=%u,col=%u,title=", ci->line, ci->column);
		am_buf_clear(&b);
		am_buf_printf(&b, "auditmd %s (finding %s)", p[i].rule, p[i].result->finding->id);
		cli_gh_escape(fp, b.ptr, true);
		fputs("::", fp);
		am_buf_clear(&b);
		problem_text(&b, &p[i]);
		cli_gh_escape(fp, b.ptr, false);
		fputc('\n', fp);
	}
	am_buf_clear(&b);
	summary_line(&b, v);
	fputs("::notice title=auditmd verify::", fp);
	cli_gh_escape(fp, b.ptr, false);
	fputc('\n', fp);
	am_buf_free(&b);
	free(p);
	return ferror(fp) ? AM_EIO : 0;
}

/* A table cell: pipes escaped, no line breaks, controls shown. */
static void md_cell(am_buf *b, const char *text)
{
	char *visible = am_visible(text, strlen(text), AM_VISIBLE_TAB | AM_VISIBLE_NEWLINE);
	for (const char *s = visible; *s; s++) {
		if (*s == '|')
			am_buf_puts(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			am_buf_putc(b, ' ');
		else if (*s == '<')
			am_buf_puts(b, "&lt;");
		else
			am_buf_putc(b, *s);
	}
	free(visible);
}

int cli_append_step_summary(const char *path, const char *text, size_t len)
{
	/* O_NONBLOCK: a FIFO without a reader fails at once instead of
	 * blocking the open forever; anything but a regular file is refused. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
	struct stat st;
	FILE *fp = NULL;
	int rc = 0;
	if (fd < 0) {
		am_error_set("%s: cannot write the step summary: %s", path, strerror(errno));
		rc = AM_EIO;
	} else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		am_error_set("%s: cannot write the step summary: not a regular file", path);
		close(fd);
		rc = AM_EIO;
	} else if (!(fp = fdopen(fd, "a")) || fwrite(text, 1, len, fp) != len) {
		am_error_set("%s: cannot write the step summary: %s", path, strerror(errno));
		rc = AM_EIO;
		if (!fp)
			close(fd);
	}
	if (fp && fclose(fp) != 0 && rc == 0) {
		am_error_set("%s: cannot write the step summary: %s", path, strerror(errno));
		rc = AM_EIO;
	}
	return rc;
}

int cli_append_verify_summary(const char *path, const am_verify *v, const char *audit)
{
	size_t n;
	am_verify_problem *p = problems(v, &n);
	am_buf b = AM_BUF_INIT, cell = AM_BUF_INIT;
	am_buf_puts(&b, "## auditmd verify: ");
	md_cell(&b, audit);
	am_buf_puts(&b, "\n\n");
	context_line(&b, v);
	am_buf_puts(&b, "\n\n");
	summary_line(&b, v);
	am_buf_puts(&b, "\n\n");
	if (n) {
		am_buf_puts(&b, "| | Line | Finding | Citation | Problem |\n|---|---|---|---|---|\n");
		for (size_t i = 0; i < n; i++) {
			const am_citation *ci = p[i].result->citation;
			am_buf_printf(&b, "| %s | %u | ", am_level_name(p[i].level), ci->line);
			md_cell(&b, p[i].result->finding->id);
			am_buf_puts(&b, " | `");
			am_buf_clear(&cell);
			put_spec(&cell, ci->path, ci->start, ci->end);
			md_cell(&b, cell.ptr);
			am_buf_puts(&b, "` | ");
			am_buf_clear(&cell);
			char *text = am_verify_problem_text(&p[i]);
			am_buf_puts(&cell, text);
			free(text);
			if (p[i].baseline == AM_BASELINE_UNCHANGED)
				am_buf_puts(&cell, " (in the baseline)");
			md_cell(&b, cell.ptr);
			am_buf_puts(&b, " |\n");
		}
		am_buf_putc(&b, '\n');
	}
	free(p);
	am_buf_free(&cell);
	int rc = cli_append_step_summary(path, b.ptr, b.size);
	am_buf_free(&b);
	return rc;
}
