/*
 * run.c: the one path every command takes, driven by its table (opt.h)
 * and its run:
 *
 *   parse and check the options (opt.c) → load the configuration and the
 *   audits → run → open the output → write the format → commit the
 *   output (or remove it) → exit 1 when the check failed.
 *
 * Each step that fails prints one error line and ends the run with the
 * exit code documented for it: 2 for usage, the load's (cli_exit_for) and
 * the run's own, 3 for a template's error, 4 for a failed write.
 */
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

const char *const cli_link_styles[] = { "github", "gitlab", "bitbucket", "gitea", NULL };

int cli_exit_for_git(int rc)
{
	return rc == AM_EUSAGE ? EXIT_USAGE : EXIT_SYSTEM;
}

/* Prints the diagnostics of a report on stderr. */
static void print_diags(const am_report *r)
{
	for (size_t i = 0; i < r->ndiags; i++) {
		const am_diag *d = &r->diags[i];
		cli_put_visible(stderr, r->source);
		fprintf(stderr, ":%u:%u: %s: ", d->line, d->column,
			d->severity == AM_DIAG_ERROR ? "error" : "warning");
		cli_put_visible(stderr, d->text);
		fprintf(stderr, " [%s]\n", d->code);
	}
}

/* Reports a failed render: a template's errors are input errors (exit 3),
 * a format without a template a usage error. */
static int render_failed(int rc)
{
	cli_error("%s", am_error_last());
	return rc == AM_EUSAGE ? EXIT_USAGE : rc == AM_EIO ? EXIT_INPUT : cli_exit_for(rc);
}

/* Ends the output after writing it with result rc: commits it (rc 0) or
 * removes it. Returns the exit code: 0; a template's error when
 * `rendering` and nothing failed to be written; else 4, a failed write.
 * Prints the error line. */
static int finish_output(cli_output *o, int rc, bool rendering)
{
	/* A write that failed while a template rendered is the system's
	 * failure, not the template's. */
	bool write_failed = rc < 0 && (!rendering || ferror(o->fp));
	if (rc < 0 && ferror(o->fp)) {
		char why[256];
		snprintf(why, sizeof(why), "%s", am_error_last());
		am_error_set("%s: %s", o->path ? o->path : "<stdout>", why);
	}
	if (rc < 0)
		cli_output_abort(o);
	else if ((rc = cli_output_commit(o)) < 0)
		write_failed = true;
	if (rc == 0)
		return EXIT_OK;
	if (!write_failed)
		return render_failed(rc);
	cli_error("%s", am_error_last());
	return EXIT_SYSTEM;
}

/* The command's result, written as a document: the last made of its lint,
 * check, verification, diff and log, else its audit. */
int cli_write_json(FILE *fp, cli_job *job)
{
	int flags = job->pretty ? AM_JSON_PRETTY : 0;
	if (job->lint)
		return am_lint_write_json(fp, job->lint, flags);
	if (job->check)
		return am_check_write_json(fp, job->check, flags);
	if (job->verify)
		return am_verify_write_json(fp, job->verify, flags);
	if (job->diff)
		return am_diff_write_json(fp, job->diff, flags);
	if (job->log)
		return am_log_write_json(fp, job->log, flags);
	return am_report_write_json(fp, job->audits[0], flags);
}

int cli_write_rendered(FILE *fp, cli_job *job)
{
	const am_render_options *o = &job->render;
	if (job->check)
		return am_check_render_to(fp, job->check, job->format, o);
	if (job->verify)
		return am_verify_render_to(fp, job->verify, job->format, o);
	if (job->diff)
		return am_diff_render_to(fp, job->diff, job->format, o);
	if (job->log)
		return am_log_render_to(fp, job->log, job->format, o);
	return am_report_render_to(fp, job->audits[0], job->format, o);
}

int cli_apply_baseline(cli_job *job)
{
	char *text = NULL;
	size_t len = 0;
	am_baseline *b = NULL;
	int rc;
	if (!job->baseline)
		return EXIT_OK;
	if ((rc = cli_read_file(job->baseline, job->max_size, &text, &len)) < 0 ||
	    (rc = am_baseline_load(&b, text, len, job->baseline)) < 0) {
		free(text);
		return cli_exit_for(rc);
	}
	free(text);
	rc = job->lint    ? am_baseline_apply_lint(job->lint, b)
	     : job->check ? am_baseline_apply_check(job->check, b)
			  : am_baseline_apply(job->verify, b);
	am_baseline_free(b);
	if (rc < 0) {
		/* "a baseline of lint issues, not of citations": name the file. */
		char why[256];
		snprintf(why, sizeof(why), "%s", am_error_last());
		am_error_set("--baseline %s: %s", job->baseline, why);
		return cli_exit_for(rc);
	}
	return EXIT_OK;
}

/* --write-baseline FILE: the JSON document of the result, atomically. */
static int write_baseline(cli_job *job)
{
	cli_output out = { 0 };
	int rc;
	if (!job->write_baseline)
		return EXIT_OK;
	if ((rc = cli_output_open(&out, job->write_baseline)) < 0) {
		cli_error("%s", am_error_last());
		return EXIT_SYSTEM;
	}
	return finish_output(&out, cli_write_json(out.fp, job), false);
}

const char *cli_audit_name(const cli_job *job)
{
	if (job->verify && job->verify->audit_location)
		return job->verify->audit_location;
	return job->origins[0].path ? job->origins[0].path : job->audits[0]->source;
}

const char *cli_audit_uri(const cli_job *job, char **own)
{
	const char *name = cli_audit_name(job), *p = name;
	*own = NULL;
	if ((job->verify && job->verify->audit_location) || !job->origins[0].path || job->origins[0].rev)
		return name;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	/* Without a repository, relative to the current directory. */
	if (!job->verify && p[0] != '/' && strncmp(p, "../", 3))
		return p;
	/* Outside the repository, or above the current directory: absolute. */
	*own = realpath(name, NULL);
	return *own ? *own : name;
}

void cli_verify_options(am_verify_options *o, const cli_job *job, int i)
{
	o->repo = job->repo;
	o->audit_rev = job->origins[i].rev;
	o->audit_path = job->origins[i].path;
	o->vocab = job->vocab;
}

void cli_lint_options(am_lint_options *o, const cli_job *job)
{
	o->vocab = job->vocab;
	o->text = job->origins[0].text;
	o->len = job->origins[0].len;
	o->verify = job->verify;
}

/*
 * With a repository at hand (--repo, or an audit read as REV:PATH), the
 * file extensions of its tree are citation extensions too: an audit of a
 * repository cites its files whatever their language. Best effort: a
 * directory that is no repository adds nothing (the audit's own reading
 * reports that where it matters). The library reads the tree on a thread
 * of its own while the audits are read and compiled; an audit that writes
 * one of the extensions the vocabulary lacked is compiled again with them
 * (rare: most are known).
 */
static am_extensions *tree_extensions_start(cli_job *job, size_t noperands)
{
	am_extensions *exts = NULL;
	char *rev = NULL;
	for (size_t i = 0; i < noperands && !rev; i++)
		if (job->operands[i] && cli_is_revpath(job->operands[i])) {
			const char *colon = strchr(job->operands[i], ':');
			rev = am_xstrndup(job->operands[i], (size_t)(colon - job->operands[i]));
		}
	if (job->vocab && (job->repo || rev) &&
	    am_vocab_tree_extensions(&exts, job->repo ? job->repo : ".", rev, job->threads) < 0)
		am_error_clear();
	free(rev);
	return exts;
}

/* The extensions in the vocabulary; audits[0..naudits) compiled again
 * when one of them may cite differently now. */
static int tree_extensions_end(am_extensions *exts, cli_job *job, size_t naudits)
{
	const char *texts[2] = { NULL, NULL };
	size_t lens[2] = { 0, 0 };
	int rc = 0, again;
	for (size_t i = 0; i < naudits && i < 2; i++) {
		texts[i] = job->origins[i].text;
		lens[i] = job->origins[i].len;
	}
	if ((again = am_vocab_add_extensions(job->vocab, exts, texts, lens, naudits < 2 ? naudits : 2)) < 0)
		am_error_clear(); /* no repository there: nothing added */
	if (again > 0)
		for (size_t i = 0; i < naudits && rc == 0; i++) {
			am_report *r = NULL;
			rc = cli_compile_text(&r, job->operands[i], texts[i], lens[i], job->vocab, job->max_size,
					      job->threads);
			if (rc == 0) {
				am_report_free(job->audits[i]);
				job->audits[i] = r;
			}
		}
	am_extensions_free(exts);
	return rc;
}

/* Links name commits, not revisions: the last audit read as REV:PATH
 * (NEW of a diff) gives {commit} its id, so that a link still shows those
 * lines once the branch has moved on. */
static void link_commit(cli_job *job)
{
	for (int i = 1; i >= 0 && job->render.link_base; i--)
		if (job->origins[i].rev) {
			if (am_revision_commit(job->commit, job->repo, job->origins[i].rev) == 0)
				job->render.commit = job->commit;
			am_error_clear();
			return;
		}
}

/* The configuration (next to the last operand, for a command that takes
 * --config) and the audits among the operands. A command that takes any
 * number of operands (check) reads what it needs in its run: its
 * configuration is the one of the change's head. */
static int load(cli_job *job)
{
	size_t noperands = 0, naudits = 0;
	int rc = 0;

	for (const cli_opt *o = job->table; o->type != CLI_OPT_END; o++) {
		if (o->type == CLI_OPT_OPERANDS)
			return 0;
		noperands += o->type == CLI_OPT_AUDIT || o->type == CLI_OPT_OPERAND;
		naudits += o->type == CLI_OPT_AUDIT;
	}
	if (cli_opt_has(job->table, "config") &&
	    (rc = cli_load_vocab(&job->vocab, job->config, noperands ? job->operands[noperands - 1] : NULL,
				 job->repo)) < 0)
		return rc;
	am_extensions *exts = tree_extensions_start(job, noperands);
	for (size_t i = 0; i < naudits && rc == 0; i++)
		rc = cli_load_audit_from(&job->audits[i], &job->origins[i], job->operands[i], job->repo, job->vocab,
					 job->max_size, job->threads);
	if (rc < 0) {
		am_extensions_free(exts); /* waits for the reading; the load's error stays */
		return rc;
	}
	if ((rc = tree_extensions_end(exts, job, naudits)) < 0)
		return rc;
	if (!job->reports_diagnostics && !job->quiet)
		for (size_t i = 0; i < naudits; i++)
			print_diags(job->audits[i]);
	link_commit(job);
	return 0;
}

/*
 * The format to write. Without --format, the one default-format rule: text
 * on a terminal (standard output, no -o) for a command that writes text;
 * else the first format it lists (json for compile, diff and verify, text
 * for lint, md for log).
 */
static const cli_format *format(cli_job *job)
{
	const cli_opt *option = cli_opt_formats(job->table);
	const cli_format *f;
	if (!job->format) {
		bool terminal = !job->output && isatty(fileno(stdout));
		for (f = option->formats; f->name && !(terminal && !strcmp(f->name, "text")); f++)
			;
		job->format = f->name ? f->name : option->formats->name;
	}
	for (f = option->formats; strcmp(f->name, job->format); f++)
		;
	return f;
}

/* A format that writes a directory: into cli_outdir's temporary one,
 * renamed into place when every file is written. */
static int write_directory(cli_job *job, const cli_format *f)
{
	cli_outdir out;
	int rc;
	if ((rc = cli_outdir_open(&out, job->output)) < 0) {
		cli_error("%s", am_error_last());
		return rc == AM_EUSAGE ? EXIT_USAGE : EXIT_SYSTEM;
	}
	job->out_dir = out.tmp;
	job->out_previous = out.previous ? out.path : NULL;
	rc = f->write(NULL, job);
	job->out_dir = job->out_previous = NULL;
	if (rc == 0 && (rc = cli_outdir_commit(&out)) == 0)
		return EXIT_OK;
	char why[512];
	snprintf(why, sizeof(why), "%s", am_error_last());
	cli_outdir_abort(&out); /* raises the signal that stopped it, if one did */
	am_error_set("%s", why);
	if (rc != AM_EIO)
		return render_failed(rc);
	cli_error("%s", why);
	return EXIT_SYSTEM;
}

/* Opens the output, writes the format, commits: the exit code. */
static int write_output(cli_job *job)
{
	const cli_format *f = format(job);
	cli_output out = { 0 };
	int rc;

	if (f->directory)
		return write_directory(job, f);
	if ((rc = cli_output_open(&out, job->output)) < 0) {
		cli_error("%s", am_error_last());
		return EXIT_SYSTEM;
	}
	rc = f->write(out.fp, job);
	return finish_output(&out, rc, f->templated);
}

static void job_free(cli_job *job)
{
	am_lint_free(job->lint);
	am_check_free(job->check);
	am_verify_free(job->verify);
	am_diff_free(job->diff);
	am_log_free(job->log);
	for (int i = 0; i < 2; i++) {
		am_report_free(job->audits[i]);
		cli_origin_free(&job->origins[i]);
	}
	am_vocab_free(job->vocab);
}

static int steps(cli_run_fn run, cli_job *job, int argc, char **argv)
{
	int rc, exit_code;

	job->max_size = AM_DEFAULT_MAX_SIZE;
	job->render = (am_render_options)AM_RENDER_OPTIONS_INIT;
	if ((rc = cli_opt_parse(job->table, job, argc, argv)) < 0)
		return rc == -2 ? EXIT_OK : EXIT_USAGE;
	job->color = !job->output && cli_use_color(stdout);
	if ((rc = load(job)) < 0) {
		cli_error("%s", am_error_last());
		return cli_exit_for(rc);
	}
	if (run && (exit_code = run(job)) != EXIT_OK) {
		cli_error("%s", am_error_last());
		return exit_code;
	}
	/* The audits' text was for the run (lint's switches, verify's). */
	for (int i = 0; i < 2; i++) {
		free(job->origins[i].text);
		job->origins[i].text = NULL;
	}
	if ((exit_code = write_output(job)) != EXIT_OK || (exit_code = write_baseline(job)) != EXIT_OK)
		return exit_code;
	return job->failed ? EXIT_CHECK : EXIT_OK;
}

int cli_run(const cli_opt *table, cli_run_fn run, cli_job *job, int argc, char **argv)
{
	job->table = table;
	int exit_code = steps(run, job, argc, argv);
	job_free(job);
	return exit_code;
}
