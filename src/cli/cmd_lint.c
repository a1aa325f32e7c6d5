/*
 * cmd_lint.c: auditmd lint, an audit's own quality.
 */
#include "cli.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Checks an audit's own quality. Each problem is one line,\n"
	"FILE:LINE:COL: warning|error: [rule-id] text. Rules: duplicate-id,\n"
	"duplicate-title, malformed-citation, no-evidence, resolved-without-evidence,\n"
	"status-conflict, no-date, bad-date, open-subtask, mojibake,\n"
	"too-many-citations; with --repo the citation states of 'auditmd verify'\n"
	"join in (citation-missing, citation-out_of_range, citation-deleted, ...).\n"
	"\n"
	"Switch rules off in .auditmd.json ({\"lint\": {\"disable\": [\"no-date\"]}}), or\n"
	"in the audit: <!-- auditmd-disable-next-line rule-id -->, on the line before;\n"
	"<!-- auditmd-disable-line rule-id --> on the line; <!-- auditmd-disable rule-id -->\n"
	"anywhere, for the whole file (no rule id: every rule).\n";

/* ... and what follows them. */
static const char notes[] =
	"exit codes: 0 success, 1 problems at the --fail-on level, 2 usage error,\n"
	"3 the audit could not be read, 4 git or system error\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_verify_options verify; /* with --repo, --rev, --as-of */
	const char *fail_on;      /* --fail-on: error, warning or none */
} lint_job;

static const char *const levels[] = { "error", "warning", "none", NULL };

/* -q: the warnings leave the result, as if they had not been found. */
static void drop_warnings(am_lint *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->nissues; i++)
		if (l->issues[i].severity == AM_DIAG_ERROR)
			l->issues[kept++] = l->issues[i];
	l->nissues = kept;
	l->nwarnings = 0;
}

/* With --repo, verifies the citations; lints; fails at the level of
 * --fail-on. */
static int run(cli_job *job)
{
	lint_job *l = (lint_job *)job;
	int rc;

	if (job->repo) {
		cli_verify_options(&l->verify, job, 0);
		if ((rc = am_verify_run(&job->verify, job->audits[0], &l->verify)) < 0)
			return cli_exit_for_git(rc);
	}
	am_lint_options lopts = AM_LINT_OPTIONS_INIT;
	cli_lint_options(&lopts, job);
	if ((rc = am_lint_run(&job->lint, job->audits[0], &lopts)) < 0)
		return cli_exit_for_git(rc);
	if (job->quiet)
		drop_warnings(job->lint);
	if ((!strcmp(l->fail_on, "error") && job->lint->nerrors) ||
	    (!strcmp(l->fail_on, "warning") && (job->lint->nerrors || job->lint->nwarnings)))
		job->failed = true;
	return EXIT_OK;
}

int cmd_lint(int argc, char **argv)
{
	/* The audit's warnings are among its issues. */
	lint_job l = { .job.reports_diagnostics = true, .verify = AM_VERIFY_OPTIONS_INIT,
		       .fail_on = "error" };
	return cli_run(cli_lint_table, run, &l.job, argc, argv);
}

static int write_text(FILE *fp, cli_job *job)
{
	const am_lint *l = job->lint;
	const char *name = job->audits[0]->source;
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		cli_put_visible(fp, name);
		fprintf(fp, ":%u:%u: %s: [%s] ", is->line, is->column,
			is->severity == AM_DIAG_ERROR ? "error" : "warning", is->rule);
		cli_put_visible(fp, is->text);
		fputc('\n', fp);
	}
	fprintf(fp, "%zu error%s, %zu warning%s", l->nerrors, l->nerrors == 1 ? "" : "s", l->nwarnings,
		l->nwarnings == 1 ? "" : "s");
	if (l->nsuppressed)
		fprintf(fp, " (%zu switched off in the audit or the configuration)", l->nsuppressed);
	fputc('\n', fp);
	return ferror(fp) ? AM_EIO : 0;
}

static int write_github(FILE *fp, cli_job *job)
{
	const am_lint *l = job->lint;
	const char *name = cli_audit_name(job);
	/* Errors first: GitHub shows ten of each per step. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < l->nissues; i++) {
			const am_lint_issue *is = &l->issues[i];
			if ((is->severity == AM_DIAG_ERROR) != (pass == 0))
				continue;
			fprintf(fp, "::%s file=", pass == 0 ? "error" : "warning");
			cli_gh_escape(fp, name, true);
			fprintf(fp, ",line=%u,col=%u,title=", is->line, is->column);
			cli_gh_escape(fp, is->rule, true);
			fputs("::", fp);
			cli_gh_escape(fp, is->text, false);
			fputc('\n', fp);
		}
	return ferror(fp) ? AM_EIO : 0;
}

static int write_sarif(FILE *fp, cli_job *job)
{
	return am_lint_write_sarif(fp, job->lint, cli_audit_name(job), job->pretty ? AM_JSON_PRETTY : 0);
}

static const cli_format formats[] = {
	{ "text", write_text, 0 }, CLI_FORMAT_JSON, { "sarif", write_sarif, 0 },
	{ "github", write_github, 0 }, CLI_FORMATS_END,
};

const cli_opt cli_lint_table[] = {
	{ .type = CLI_OPT_AUDIT, .name = "AUDIT" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_REPO("also verify the citations in this repository"), .in_usage = 1 },
	{ .type = CLI_OPT_STRING, .name = "rev", .value_name = "REV",
	  .field = offsetof(lint_job, verify.target), .requires = "repo", .in_usage = 1,
	  .help = "with --repo: where the code is now (default HEAD)" },
	{ .type = CLI_OPT_SWITCH, .name = "worktree", .field = offsetof(lint_job, verify.worktree),
	  .value = 1, .requires = "repo", .excludes = "rev",
	  .help = "with --repo: the code is the working tree, files on disk (as verify --worktree)" },
	{ .type = CLI_OPT_STRING, .name = "as-of", .value_name = "REV",
	  .field = offsetof(lint_job, verify.as_of), .requires = "repo",
	  .help = "with --repo: auto (default), none, or a revision" },
	{ CLI_OPT_FORMATS(formats, "text (default), json, sarif or github") },
	{ .type = CLI_OPT_CHOICE, .name = "fail-on", .value_name = "LEVEL",
	  .field = offsetof(lint_job, fail_on), .values = levels, .in_usage = 1,
	  .help = "exit 1 on an error (default), on any warning too, or never (none)" },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("JSON and SARIF") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ CLI_OPT_QUIET("errors only: warnings are neither reported nor counted (--fail-on warning "
			"then fails on errors)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_END },
};
