/*
 * cmd_lint.c: auditmd lint, an audit's own quality.
 */
#include <stdlib.h>

#include "cli.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Checks an audit's own quality. Each problem is one line,\n"
	"FILE:LINE:COL: error|warning|note: [rule-id] text. Rules: duplicate-id,\n"
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

/* -q: the warnings and notes leave the result, as if they had not been
 * found. */
static void drop_warnings(am_lint *l)
{
	size_t kept = 0;
	for (size_t i = 0; i < l->nissues; i++)
		if (l->issues[i].severity == AM_DIAG_ERROR)
			l->issues[kept++] = l->issues[i];
	l->nissues = kept;
	l->nwarnings = l->nnotes = 0;
}

/* With --repo, verifies the citations; lints; compares with the
 * baseline; fails at the level of --fail-on on what is not in it. */
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
	if ((rc = cli_apply_baseline(job)) != EXIT_OK)
		return rc;
	am_tally t;
	am_lint_tally(&t, job->lint);
	if ((!strcmp(l->fail_on, "error") && t.new_errors) ||
	    (!strcmp(l->fail_on, "warning") && (t.new_errors || t.new_warnings)))
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

/* "FILE:LINE:COL: level: [rule] text", then the numbers (am_lint_tally). */
static int write_text(FILE *fp, cli_job *job)
{
	const am_lint *l = job->lint;
	const char *name = job->audits[0]->source;
	am_tally t;
	for (size_t i = 0; i < l->nissues; i++) {
		const am_lint_issue *is = &l->issues[i];
		cli_put_visible(fp, name);
		fprintf(fp, ":%u:%u: %s: [%s] ", is->line, is->column, am_diag_severity_name(is->severity),
			is->rule);
		cli_put_visible(fp, is->text);
		fputs(is->baseline == AM_BASELINE_UNCHANGED ? " (in the baseline)\n" : "\n", fp);
	}
	am_lint_tally(&t, l);
	fprintf(fp, "%zu error%s, %zu warning%s, %zu note%s", t.errors, t.errors == 1 ? "" : "s",
		t.warnings, t.warnings == 1 ? "" : "s", t.notes, t.notes == 1 ? "" : "s");
	if (l->baseline)
		fprintf(fp, "; %zu unchanged since the baseline, %zu gone", t.unchanged, t.absent);
	if (t.suppressed)
		fprintf(fp, " (%zu switched off in the audit or the configuration)", t.suppressed);
	fputc('\n', fp);
	return ferror(fp) ? AM_EIO : 0;
}

/* Errors first (GitHub shows ten of each per step), then warnings, then
 * notes. */
static int write_github(FILE *fp, cli_job *job)
{
	static const am_diag_severity order[] = { AM_DIAG_ERROR, AM_DIAG_WARNING, AM_DIAG_NOTE };
	static const char *const command[] = { "error", "warning", "notice" };
	const am_lint *l = job->lint;
	const char *name = cli_audit_name(job);
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < l->nissues; i++) {
			const am_lint_issue *is = &l->issues[i];
			if (is->severity != order[pass])
				continue;
			fprintf(fp, "::%s file=", command[pass]);
			cli_gh_escape(fp, name, true);
			fprintf(fp, ",line=%u,col=%u,title=", is->line, is->column);
			cli_gh_escape(fp, is->rule, true);
			fputs("::", fp);
			cli_gh_escape(fp, is->text, false);
			if (is->baseline == AM_BASELINE_UNCHANGED)
				fputs(" (in the baseline)", fp);
			fputc('\n', fp);
		}
	return ferror(fp) ? AM_EIO : 0;
}

static int write_sarif(FILE *fp, cli_job *job)
{
	char *own;
	const char *uri = cli_audit_uri(job, &own);
	int rc = am_lint_write_sarif(fp, job->lint, uri, job->pretty ? AM_JSON_PRETTY : 0);
	free(own);
	return rc;
}

static int write_codeclimate(FILE *fp, cli_job *job)
{
	return am_lint_write_codeclimate(fp, job->lint, cli_audit_name(job),
					 job->pretty ? AM_JSON_PRETTY : 0);
}

static const cli_format formats[] = {
	{ "text", write_text, 0 }, CLI_FORMAT_JSON, { "sarif", write_sarif, 0 },
	{ "github", write_github, 0 }, { "codeclimate", write_codeclimate, 0 }, CLI_FORMATS_END,
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
	{ CLI_OPT_FORMATS(formats, "text (default), json, sarif, github or codeclimate (a GitLab "
				   "Code Quality report)") },
	{ .type = CLI_OPT_CHOICE, .name = "fail-on", .value_name = "LEVEL",
	  .field = offsetof(lint_job, fail_on), .values = levels, .in_usage = 1,
	  .help = "exit 1 on an error (default), on any warning too, or never (none)" },
	{ CLI_OPT_BASELINE, .in_usage = 1 },
	{ CLI_OPT_WRITE_BASELINE },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("JSON, SARIF and Code Quality") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ CLI_OPT_QUIET("errors only: warnings are neither reported nor counted (--fail-on warning "
			"then fails on errors)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_END },
};
