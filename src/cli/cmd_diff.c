/*
 * cmd_diff.c: auditmd diff, what changed between two revisions of an audit.
 */
#include "cli.h"
#include "text.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Compares two revisions of an audit and classifies every finding: new,\n"
	"resolved, regressed, removed, open (in both) or closed (in both), even when\n"
	"it was renumbered, retitled or moved. OLD and NEW are paths, '-' for\n"
	"standard input, or REV:PATH read from git (HEAD~3:docs/AUDIT.md); an\n"
	"existing file wins over the REV:PATH reading.\n";

/* ... and what follows them. */
static const char notes[] =
	"exit codes: 0 success, 1 a change listed in --fail-on exists, 2 usage error,\n"
	"3 an audit could not be read (missing file, unknown revision or path),\n"
	"4 git or system error (not a repository, write failure)\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	unsigned fail_mask; /* --fail-on: bits of change kinds */
	int all;            /* --all */
	am_diff_options options;
} diff_job;

static const char *kind_name(int bit)
{
	return am_change_kind_name((am_change_kind)bit);
}

static int parse_threshold(void *field, const char *arg, const cli_opt *o)
{
	char *end;
	double *threshold = field;
	*threshold = strtod(arg, &end);
	/* strtod also takes "nan", "inf" and leading white space; NaN fails
	 * every comparison. */
	if (!(am_isdigit((unsigned char)arg[0]) || arg[0] == '.') || *end ||
	    !(*threshold > 0 && *threshold <= 1)) {
		cli_error("--%s: '%s' is not a number in (0, 1]", o->name, arg);
		return -1;
	}
	return 0;
}

/* Matches the findings; with the repository (--repo, or the one an audit
 * read as REV:PATH came from), checks each resolution in the cited code,
 * else says why it did not; fails on the kinds of --fail-on. */
static int run(cli_job *job)
{
	diff_job *d = (diff_job *)job;
	int rc;

	if ((rc = am_diff_run(&job->diff, job->audits[0], job->audits[1], &d->options)) < 0)
		return cli_exit_for_git(rc);
	if (!job->repo && !job->origins[0].rev && !job->origins[1].rev) {
		job->diff->resolution_skipped = "no repository: both audits were read from files or "
						"standard input (give --repo DIR, or read them as REV:PATH)";
	} else {
		am_verify_options old_opts = AM_VERIFY_OPTIONS_INIT, new_opts = AM_VERIFY_OPTIONS_INIT;
		cli_verify_options(&old_opts, job, 0);
		cli_verify_options(&new_opts, job, 1);
		if ((rc = am_verify_resolutions(job->diff, &old_opts, &new_opts)) < 0)
			return cli_exit_for_git(rc);
	}
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		if ((d->fail_mask & (1u << k)) && job->diff->counts[k])
			job->failed = true;
	return EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
	diff_job d = { .options = AM_DIFF_OPTIONS_INIT };
	return cli_run(cli_diff_table, run, &d.job, argc, argv);
}

static int write_text(FILE *fp, cli_job *job)
{
	return cli_write_diff_text(fp, job->diff, job->color, ((diff_job *)job)->all);
}

static const cli_format formats[] = {
	CLI_FORMAT_JSON, { "text", write_text, 0 }, CLI_FORMAT_MD, CLI_FORMAT_HTML, CLI_FORMATS_END,
};

const cli_opt cli_diff_table[] = {
	{ .type = CLI_OPT_AUDIT, .name = "OLD" },
	{ .type = CLI_OPT_AUDIT, .name = "NEW" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_FORMATS(formats, "text (default on a terminal), json (default otherwise), md (a "
				   "changelog entry) or html (a report page)") },
	{ .type = CLI_OPT_NAMES, .name = "fail-on", .value_name = "KINDS",
	  .field = offsetof(diff_job, fail_mask), .names = kind_name, .count = AM_CHANGE__COUNT,
	  .in_usage = 1,
	  .help = "exit 1 when a change of these kinds exists, e.g. regressed,new (kinds: new, "
		  "removed, resolved, regressed, open, closed; default none)" },
	{ CLI_OPT_REPO("the git repository for REV:PATH (default: the one containing the current "
		       "directory); with it, or with an audit read as REV:PATH, each resolved "
		       "finding is also checked against the code: 'unconfirmed' when none of its "
		       "cited lines changed between the two audits' as-of commits") },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("the JSON") },
	{ .type = CLI_OPT_SWITCH, .name = "all", .field = offsetof(diff_job, all), .value = 1,
	  .help = "text: list unchanged open and closed findings too" },
	{ .type = CLI_OPT_PARSE, .name = "threshold", .value_name = "X",
	  .field = offsetof(diff_job, options.threshold), .parse = parse_threshold,
	  .help = "lowest similarity that pairs two findings (default 0.5)" },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ CLI_OPT_QUIET("do not print warnings about the audits") },
	CLI_OPTS_TEMPLATE,
	{ .type = CLI_OPT_END },
};
