/*
 * cmd_check.c: auditmd check, pull-request mode.
 */
#include <stdlib.h>

#include "cli.h"
#include "text.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Checks what a change (--base REV to --head REV, or to the working tree)\n"
	"does to the audits of a repository and to the code they cite:\n"
	"\n"
	"  broken       a citation on an audit line the change added or edited does\n"
	"               not hold at head (error);\n"
	"  unconfirmed  the change marks a finding resolved but never touches the\n"
	"               code it cites (warning);\n"
	"  touched      the change edits code an open finding cites: resolved?\n"
	"               (note);\n"
	"\n"
	"and each audit's changelog between base and head (resolved, new,\n"
	"regressed, removed). AUDIT is a file of the working tree; without one, the\n"
	"audits listed in the configuration (\"audits\" in .auditmd.json at the\n"
	"head's root; a pattern names the files at head), else every Markdown file\n"
	"at head outside hidden directories that compiles to a finding with an\n"
	"evidence citation (the audits site finds).\n";

/* ... and what follows them. */
static const char notes[] =
	"--format md is a pull-request comment: it opens with the marker\n"
	"<!-- auditmd-check --> by which a bot finds its comment to update it. With\n"
	"GITHUB_STEP_SUMMARY set, --format github also appends it to that file.\n"
	"\n"
	"Citations switched off by lint.disable or an <!-- auditmd-disable... -->\n"
	"comment (rules citation-STATE) are not broken.\n"
	"\n"
	"With --baseline (an earlier JSON or SARIF output of check), the results it\n"
	"holds are reported as unchanged and fail nothing; --fail-on's kinds of\n"
	"change are not results and are not compared.\n"
	"\n"
	"exit codes: 0 success, 1 a result (not in the baseline) or a change listed\n"
	"in --fail-on exists, 2 usage error (a baseline of another command), 3 an\n"
	"audit, a revision or the baseline could not be read (an unknown revision,\n"
	"an audit in neither, an audit that does not compile, a file that is no\n"
	"baseline), 4 git or system error (not a repository, write failure)\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_check_options options;
	unsigned fail_mask; /* --fail-on: AM_CHECK_FAIL_* bits */
} check_job;

/* The names of --fail-on: the kinds of result, then the kinds of change. */
static const char *fail_name(int bit)
{
	if (bit < AM_CHECK__COUNT)
		return am_check_kind_name((am_check_kind)bit);
	return am_change_kind_name((am_change_kind)(bit - AM_CHECK__COUNT));
}

/* The configuration of the change's head: at the root of its tree, or on
 * disk for the working tree. */
static int load_config(check_job *k)
{
	cli_job *job = &k->job;
	am_buf near = AM_BUF_INIT;
	int rc;
	if (k->options.worktree)
		am_buf_printf(&near, "%s/.auditmd.json", job->repo ? job->repo : ".");
	else
		am_buf_printf(&near, "%s:.auditmd.json", k->options.head ? k->options.head : "HEAD");
	rc = cli_load_vocab(&job->vocab, job->config, near.ptr, job->repo);
	am_buf_free(&near);
	if (rc < 0)
		return cli_exit_for(rc);
	/* Citations in any language of the code at head. */
	am_vocab_add_tree_extensions(job->vocab, job->repo ? job->repo : ".", k->options.head);
	am_error_clear();
	return EXIT_OK;
}

/* Reads the audits at base and head, checks the change, fails on the
 * kinds of --fail-on. */
static int run(cli_job *job)
{
	check_job *k = (check_job *)job;
	size_t n = 0;
	int rc;

	while (job->operands[n])
		n++;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(job->operands[i], "-")) {
			am_error_set("check: audits are read from git and the working tree, not standard input");
			return EXIT_USAGE;
		}
	if ((rc = load_config(k)) != EXIT_OK)
		return rc;
	k->options.repo = job->repo;
	k->options.audits = (const char *const *)job->operands;
	k->options.naudits = n;
	k->options.vocab = job->vocab;
	k->options.max_size = job->max_size;
	if ((rc = am_check_run(&job->check, &k->options)) < 0)
		return cli_exit_for(rc);
	if ((rc = cli_apply_baseline(job)) != EXIT_OK)
		return rc;
	job->failed = am_check_fails(job->check, k->fail_mask);
	return EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
	check_job k = {
		.options = AM_CHECK_OPTIONS_INIT,
		.fail_mask = AM_CHECK_FAIL_KIND(AM_CHECK_BROKEN),
	};
	return cli_run(cli_check_table, run, &k.job, argc, argv);
}

static int write_text(FILE *fp, cli_job *job)
{
	return cli_write_check_text(fp, job->check, job->color);
}

static int write_sarif(FILE *fp, cli_job *job)
{
	return am_check_write_sarif(fp, job->check, job->pretty ? AM_JSON_PRETTY : 0);
}

/* Workflow commands; with GITHUB_STEP_SUMMARY set, the Markdown report
 * appended to that file too. */
static int write_github(FILE *fp, cli_job *job)
{
	const char *summary = getenv("GITHUB_STEP_SUMMARY");
	int rc = cli_write_check_github(fp, job->check);
	if (rc == 0 && summary && *summary) {
		char *md = NULL;
		size_t len = 0;
		if ((rc = am_check_render(&md, &len, job->check, "md", &job->render)) == 0)
			rc = cli_append_step_summary(summary, md, len);
		free(md);
	}
	return rc;
}

static int write_codeclimate(FILE *fp, cli_job *job)
{
	return am_check_write_codeclimate(fp, job->check, job->pretty ? AM_JSON_PRETTY : 0);
}

static const cli_format formats[] = {
	CLI_FORMAT_JSON, { "text", write_text, 0 }, { "sarif", write_sarif, 0 },
	{ "github", write_github, 0 }, CLI_FORMAT_MD, { "codeclimate", write_codeclimate, 0 },
	CLI_FORMATS_END,
};

static const char *const thread_counts[] = { "1", "2", "auto", NULL };

const cli_opt cli_check_table[] = {
	{ .type = CLI_OPT_OPERANDS, .name = "AUDIT..." },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ .type = CLI_OPT_STRING, .name = "base", .value_name = "REV",
	  .field = offsetof(check_job, options.base), .required = 1,
	  .help = "where the change starts: the pull request's base (required)" },
	{ .type = CLI_OPT_STRING, .name = "head", .value_name = "REV",
	  .field = offsetof(check_job, options.head), .in_usage = 1,
	  .help = "where it ends (default HEAD)" },
	{ .type = CLI_OPT_SWITCH, .name = "worktree", .field = offsetof(check_job, options.worktree),
	  .value = 1, .excludes = "head",
	  .help = "the change ends in the working tree: files on disk, uncommitted changes included; "
		  "audits looked for in the index (what the next commit holds)" },
	{ CLI_OPT_REPO("the repository (default: the one containing the current directory)") },
	{ CLI_OPT_FORMATS(formats, "text (default on a terminal), json (default otherwise), sarif, "
				   "github (workflow commands), md (a pull-request comment) or "
				   "codeclimate (a GitLab Code Quality report)") },
	{ .type = CLI_OPT_NAMES, .name = "fail-on", .value_name = "KINDS",
	  .field = offsetof(check_job, fail_mask), .names = fail_name,
	  .count = AM_CHECK__COUNT + AM_CHANGE__COUNT, .in_usage = 1,
	  .help = "exit 1 when a result or a change of these kinds exists (results: broken, "
		  "touched, unconfirmed; changes: regressed, resolved, new, removed, open, closed; "
		  "default broken); 'none'" },
	{ CLI_OPT_BASELINE },
	{ CLI_OPT_WRITE_BASELINE },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("JSON, SARIF and Code Quality") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ .type = CLI_OPT_SIZE, .name = "max-blob-size", .value_name = "N",
	  .field = offsetof(check_job, options.max_blob),
	  .help = "do not read cited files over N bytes (default 16M)" },
	{ .type = CLI_OPT_THREADS, .name = "threads", .value_name = "N",
	  .field = offsetof(check_job, options.threads), .values = thread_counts,
	  .help = "1, 2 or auto (default: two when 256 files or more are cited)" },
	CLI_OPTS_TEMPLATE,
	{ .type = CLI_OPT_END },
};
