/*
 * cmd_verify.c: auditmd verify, the evidence check.
 */
#include <stdlib.h>

#include "cli.h"
#include "text.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Checks every evidence citation (path:line) of AUDIT against the git\n"
	"repository it audits, read from git's object database only. Each citation\n"
	"is checked at the as-of commit (the one the audit was written against)\n"
	"and followed to the target (--rev) with rename detection. AUDIT is a path,\n"
	"'-' for standard input, or REV:PATH read from the repository.\n"
	"\n"
	"states: ok, moved, renamed, changed, deleted, missing, out_of_range,\n"
	"        not_text, outside_repo, ambiguous, symlink, not_file, too_large,\n"
	"        malformed; warnings: symbol_missing, unconfirmed\n"
	"\n"
	"as-of 'auto' (default): the commit that wrote the audit's revision when it\n"
	"was read as REV:PATH or is a committed, unmodified file of the repository;\n"
	"else the last commit on or before the audit's date; else none.\n";

/* ... and what follows them. */
static const char notes[] =
	"Each problem is an error (in --fail-on: exit 1), a warning, or a note\n"
	"(never a failure). On a closed finding (resolved, won't fix) the code is\n"
	"expected to change: drift since the audit (moved, renamed, changed,\n"
	"deleted) and symbol_missing are notes, and symbol_missing on a resolved\n"
	"finding confirms the fix; --closed-drift check judges them as on an open\n"
	"finding. A citation broken when the audit was written (missing,\n"
	"out_of_range, outside_repo) is judged the same whatever the status.\n"
	"\n"
	"States and warnings are switched off as in 'auditmd lint' (rules\n"
	"citation-STATE, citation-WARNING): by lint.disable in .auditmd.json or an\n"
	"<!-- auditmd-disable... --> comment for the citation's line. They stay in\n"
	"the JSON, marked \"suppressed\", are left out of the other formats and fail\n"
	"nothing.\n"
	"\n"
	"With GITHUB_STEP_SUMMARY set, --format github also appends the full table\n"
	"as Markdown to that file (a regular file; exit 4 when it cannot be written).\n"
	"\n"
	"exit codes: 0 success, 1 a citation is in a --fail-on state, 2 usage error,\n"
	"3 the audit could not be read, 4 git or system error (not a repository,\n"
	"unknown revision, shallow history in the way, write failure)\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_verify_options options;
	const char *closed_drift; /* --closed-drift: note or check */
	int verbose;              /* -v */
} verify_job;

/* The name of a bit of --fail-on: a state, or a warning past the states. */
static const char *state_name(int bit)
{
	if (bit < AM_VERIFY__COUNT)
		return am_verify_state_name((am_verify_state)bit);
	return am_verify_warning_name(1u << (bit - AM_VERIFY__COUNT));
}

/* Checks the citations, switches off what the audit and the configuration
 * switch off, compares with the baseline, fails on the errors not in it
 * (am_verify_tally). */
static int run(cli_job *job)
{
	verify_job *v = (verify_job *)job;
	int rc;

	cli_verify_options(&v->options, job, 0);
	v->options.closed_drift = strcmp(v->closed_drift, "check") ? AM_CLOSED_DRIFT_NOTE
								   : AM_CLOSED_DRIFT_CHECK;
	if ((rc = am_verify_run(&job->verify, job->audits[0], &v->options)) < 0)
		return cli_exit_for_git(rc);
	/* The audit's auditmd-disable comments and lint.disable switch
	 * citation states off here as they do in lint. */
	am_lint_options lopts = AM_LINT_OPTIONS_INIT;
	cli_lint_options(&lopts, job);
	am_lint_suppress(job->verify, &lopts);
	if ((rc = cli_apply_baseline(job)) != EXIT_OK)
		return rc;
	am_tally t;
	am_verify_tally(&t, job->verify);
	job->failed = t.new_errors > 0;
	return EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	verify_job v = { .options = AM_VERIFY_OPTIONS_INIT, .closed_drift = "note" };
	return cli_run(cli_verify_table, run, &v.job, argc, argv);
}

static int write_text(FILE *fp, cli_job *job)
{
	const verify_job *v = (const verify_job *)job;
	return cli_write_verify_text(fp, job->verify, job->audits[0]->source, v->verbose, job->color);
}

static int write_sarif(FILE *fp, cli_job *job)
{
	char *own;
	const char *uri = cli_audit_uri(job, &own);
	int rc = am_verify_write_sarif(fp, job->verify, uri, job->pretty ? AM_JSON_PRETTY : 0);
	free(own);
	return rc;
}

/* Workflow commands; with GITHUB_STEP_SUMMARY set, the table appended to
 * that file too: a summary that cannot be written is a failed write. */
static int write_github(FILE *fp, cli_job *job)
{
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int rc = cli_write_verify_github(fp, job->verify, cli_audit_name(job));
	if (rc == 0 && summary && *summary)
		rc = cli_append_verify_summary(summary, job->verify, cli_audit_name(job));
	return rc;
}

static int write_codeclimate(FILE *fp, cli_job *job)
{
	return am_verify_write_codeclimate(fp, job->verify, cli_audit_name(job),
					   job->pretty ? AM_JSON_PRETTY : 0);
}

static const cli_format formats[] = {
	CLI_FORMAT_JSON, { "text", write_text, 0 }, { "sarif", write_sarif, 0 },
	{ "github", write_github, 0 }, { "codeclimate", write_codeclimate, 0 }, CLI_FORMAT_MD,
	CLI_FORMAT_HTML, CLI_FORMATS_END,
};

static const char *const thread_counts[] = { "1", "2", "auto", NULL };
static const char *const drift_modes[] = { "note", "check", NULL };

const cli_opt cli_verify_table[] = {
	{ .type = CLI_OPT_AUDIT, .name = "AUDIT" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_REPO("the audited repository (default: the one containing the current directory)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_STRING, .name = "rev", .value_name = "REV",
	  .field = offsetof(verify_job, options.target), .in_usage = 1,
	  .help = "where the code is now (default HEAD)" },
	{ .type = CLI_OPT_SWITCH, .name = "worktree", .field = offsetof(verify_job, options.worktree),
	  .value = 1, .excludes = "rev",
	  .help = "the code is the working tree: files on disk, uncommitted changes included "
		  "(symbolic links are never followed)" },
	{ .type = CLI_OPT_STRING, .name = "as-of", .value_name = "REV",
	  .field = offsetof(verify_job, options.as_of), .in_usage = 1,
	  .help = "auto (default), none, or a revision" },
	{ CLI_OPT_FORMATS(formats, "text (default on a terminal), json (default otherwise), sarif, "
				   "github (workflow commands), codeclimate (a GitLab Code Quality "
				   "report), md or html (an evidence report)") },
	{ .type = CLI_OPT_NAMES, .name = "fail-on", .value_name = "STATES",
	  .field = offsetof(verify_job, options.fail_on), .names = state_name,
	  .count = AM_VERIFY__COUNT + AM_VERIFY_WARN__COUNT, .in_usage = 1,
	  .help = "exit 1 when a citation is in one of these states or carries one of these "
		  "warnings (default: missing,out_of_range,outside_repo,deleted); 'none'. Drift "
		  "of a closed finding is a note and fails only with --closed-drift check" },
	{ .type = CLI_OPT_CHOICE, .name = "closed-drift", .value_name = "MODE",
	  .field = offsetof(verify_job, closed_drift), .values = drift_modes,
	  .help = "drift (moved, renamed, changed, deleted) and symbol_missing of a resolved or "
		  "won't-fix finding: note (default: reported, fails nothing) or check (judged as "
		  "on an open finding)" },
	{ CLI_OPT_BASELINE, .in_usage = 1 },
	{ CLI_OPT_WRITE_BASELINE },
	{ .type = CLI_OPT_SWITCH, .name = "mentions", .field = offsetof(verify_job, options.mentions),
	  .value = 1, .help = "check mentions too, not only evidence citations" },
	{ .type = CLI_OPT_SWITCH, .name = "no-resolution",
	  .field = offsetof(verify_job, options.resolution), .value = 0,
	  .help = "do not check resolved findings against the audit's previous revision" },
	{ .type = CLI_OPT_SWITCH, .alias = 'v', .name = "verbose", .field = offsetof(verify_job, verbose),
	  .value = 1, .help = "text: list the citations that hold too" },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("JSON, SARIF and Code Quality") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ .type = CLI_OPT_SIZE, .name = "max-blob-size", .value_name = "N",
	  .field = offsetof(verify_job, options.max_blob),
	  .help = "do not read cited files over N bytes (default 16M)" },
	{ .type = CLI_OPT_THREADS, .name = "threads", .value_name = "N",
	  .field = offsetof(verify_job, options.threads), .values = thread_counts,
	  .help = "1, 2 or auto (default: two when 256 files or more are cited)" },
	{ CLI_OPT_QUIET("do not print warnings about the audit") },
	CLI_OPTS_TEMPLATE,
	{ .type = CLI_OPT_END },
};
