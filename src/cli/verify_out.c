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

/* "state (detail)" for one citation, without the citation itself. */
static void state_text(am_buf *b, const am_verify_result *r)
{
	const am_citation *ci = r->citation;
	am_buf_puts(b, am_verify_state_name(r->state));
	switch (r->state) {
	case AM_VERIFY_MOVED:
	case AM_VERIFY_RENAMED:
		am_buf_puts(b, " to ");
		put_spec(b, r->now_path, r->now_start, r->now_end);
		return;
	case AM_VERIFY_AMBIGUOUS:
		char *candidates = am_verify_candidates_text(r);
		am_buf_printf(b, " (matches %s)", candidates);
		free(candidates);
		return;
	default:
		break;
	}
	if (r->detail)
		am_buf_printf(b, " (%s)", r->detail);
	else if (r->path && strcmp(r->path, ci->path))
		am_buf_printf(b, " (%s)", r->path);
}

static void warning_text(am_buf *b, const am_verify_result *r, unsigned bit)
{
	am_buf_puts(b, am_verify_warning_name(bit));
	if (bit == AM_VERIFY_WARN_SYMBOL_MISSING) {
		am_buf_puts(b, " (none of");
		for (size_t i = 0; i < r->nsymbols; i++)
			am_buf_printf(b, "%s`%s`", i ? ", " : " ", r->symbols[i]);
		am_buf_puts(b, " in the cited lines)");
	} else {
		am_buf_printf(b, " (finding %s is resolved, but the cited lines did not change since it was open)",
			      r->finding->id);
	}
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

/* A state that is a problem: not ok, not switched off. */
static bool is_problem(const am_verify_result *r)
{
	return r->state != AM_VERIFY_OK && !r->state_suppressed;
}

static bool is_error(const am_verify_result *r, unsigned fail_mask)
{
	return is_problem(r) && (fail_mask & (1u << r->state));
}

static bool warning_fails(unsigned bit, unsigned fail_mask)
{
	unsigned b = 0;
	while ((1u << b) != bit)
		b++;
	return fail_mask & (1u << (AM_VERIFY__COUNT + b));
}

static void summary_line(am_buf *b, const am_verify *v, unsigned fail_mask)
{
	size_t errors = 0, warnings = 0;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if (is_error(r, fail_mask))
			errors++;
		else if (is_problem(r))
			warnings++;
		for (unsigned bit = 1; bit < (1u << AM_VERIFY_WARN__COUNT); bit <<= 1)
			if (r->warnings & bit) {
				if (warning_fails(bit, fail_mask))
					errors++;
				else
					warnings++;
			}
	}
	am_buf_printf(b, "%zu citation%s:", v->nresults, v->nresults == 1 ? "" : "s");
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
	am_buf_printf(b, "; %zu error%s, %zu warning%s", errors, errors == 1 ? "" : "s", warnings,
		      warnings == 1 ? "" : "s");
	if (v->nsuppressed)
		am_buf_printf(b, " (%zu switched off in the audit or the configuration)", v->nsuppressed);
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

int cli_write_verify_text(FILE *fp, const am_verify *v, const char *name, unsigned fail_mask,
			  bool verbose, bool color)
{
	am_buf b = AM_BUF_INIT;
	context_line(&b, v);
	fputs(C("2"), fp);
	cli_put_visible(fp, b.ptr);
	fprintf(fp, "%s\n", RESET);
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		const am_citation *ci = r->citation;
		if (is_problem(r) || verbose) {
			bool err = is_error(r, fail_mask), note = !is_problem(r);
			am_buf_clear(&b);
			put_spec(&b, ci->path, ci->start, ci->end);
			am_buf_puts(&b, ": ");
			state_text(&b, r);
			if (r->state_suppressed)
				am_buf_puts(&b, " (switched off)");
			put_line(fp, name, ci, err ? C("1;31") : note ? C("2") : C("1;33"),
				 err ? "error" : note ? "note" : "warning", RESET, b.ptr);
		}
		for (unsigned bit = 1; bit < (1u << AM_VERIFY_WARN__COUNT); bit <<= 1) {
			if (!(r->warnings & bit))
				continue;
			bool err = warning_fails(bit, fail_mask);
			am_buf_clear(&b);
			put_spec(&b, ci->path, ci->start, ci->end);
			am_buf_puts(&b, ": ");
			warning_text(&b, r, bit);
			put_line(fp, name, ci, err ? C("1;31") : C("1;33"), err ? "error" : "warning", RESET,
				 b.ptr);
		}
	}
	am_buf_clear(&b);
	summary_line(&b, v, fail_mask);
	cli_put_visible(fp, b.ptr);
	fputc('\n', fp);
	am_buf_free(&b);
	return ferror(fp) ? AM_EIO : 0;
}

typedef struct {
	const am_verify_result *r;
	unsigned what; /* 0: the state; else a warning bit */
	bool error;
} problem;

static int by_severity(const void *a, const void *b)
{
	const problem *x = a, *y = b;
	if (x->error != y->error)
		return x->error ? -1 : 1;
	if (x->r->citation->line != y->r->citation->line)
		return x->r->citation->line < y->r->citation->line ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r;
}

/* The problems of a verification, worst first. */
static problem *problems(const am_verify *v, unsigned fail_mask, size_t *n)
{
	problem *p = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if (is_problem(r)) {
			am_grow((void **)&p, &cap, np + 1, sizeof(*p));
			p[np++] = (problem){ r, 0, is_error(r, fail_mask) };
		}
		for (unsigned bit = 1; bit < (1u << AM_VERIFY_WARN__COUNT); bit <<= 1)
			if (r->warnings & bit) {
				am_grow((void **)&p, &cap, np + 1, sizeof(*p));
				p[np++] = (problem){ r, bit, warning_fails(bit, fail_mask) };
			}
	}
	if (np)
		qsort(p, np, sizeof(*p), by_severity);
	*n = np;
	return p;
}

static void problem_text(am_buf *b, const problem *p)
{
	const am_citation *ci = p->r->citation;
	put_spec(b, ci->path, ci->start, ci->end);
	am_buf_puts(b, ": ");
	if (p->what)
		warning_text(b, p->r, p->what);
	else
		state_text(b, p->r);
}

int cli_write_verify_github(FILE *fp, const am_verify *v, const char *audit, unsigned fail_mask)
{
	size_t n;
	problem *p = problems(v, fail_mask, &n);
	am_buf b = AM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const am_citation *ci = p[i].r->citation;
		const char *rule = p[i].what ? am_verify_warning_name(p[i].what)
					     : am_verify_state_name(p[i].r->state);
		fprintf(fp, "::%s file=", p[i].error ? "error" : "warning");
		cli_gh_escape(fp, audit, true);
		fprintf(fp, ",line=%u,col=%u,title=", ci->line, ci->column);
		am_buf_clear(&b);
		am_buf_printf(&b, "auditmd %s (finding %s)", rule, p[i].r->finding->id);
		cli_gh_escape(fp, b.ptr, true);
		fputs("::", fp);
		am_buf_clear(&b);
		problem_text(&b, &p[i]);
		cli_gh_escape(fp, b.ptr, false);
		fputc('\n', fp);
	}
	am_buf_clear(&b);
	summary_line(&b, v, fail_mask);
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

int cli_append_verify_summary(const char *path, const am_verify *v, const char *audit,
			      unsigned fail_mask)
{
	size_t n;
	problem *p = problems(v, fail_mask, &n);
	am_buf b = AM_BUF_INIT, cell = AM_BUF_INIT;
	am_buf_puts(&b, "## auditmd verify: ");
	md_cell(&b, audit);
	am_buf_puts(&b, "\n\n");
	context_line(&b, v);
	am_buf_puts(&b, "\n\n");
	summary_line(&b, v, fail_mask);
	am_buf_puts(&b, "\n\n");
	if (n) {
		am_buf_puts(&b, "| | Line | Finding | Citation | Problem |\n|---|---|---|---|---|\n");
		for (size_t i = 0; i < n; i++) {
			const am_citation *ci = p[i].r->citation;
			am_buf_printf(&b, "| %s | %u | ", p[i].error ? "error" : "warning", ci->line);
			md_cell(&b, p[i].r->finding->id);
			am_buf_puts(&b, " | `");
			am_buf_clear(&cell);
			put_spec(&cell, ci->path, ci->start, ci->end);
			md_cell(&b, cell.ptr);
			am_buf_puts(&b, "` | ");
			am_buf_clear(&cell);
			problem_text(&cell, &p[i]);
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
