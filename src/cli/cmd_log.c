/*
 * cmd_log.c: auditmd log, a changelog over an audit's git history.
 */
#include <unistd.h>

#include "cli.h"
#include "text.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Walks the git history of one audit file (following renames), compiles each\n"
	"revision that changed it (identical contents once), diffs consecutive\n"
	"revisions and prints a changelog: one entry per revision with what it\n"
	"resolved, added, reopened or removed, and the open/closed totals. A new\n"
	"finding that arrives already resolved or won't fix is told from a new open\n"
	"one (\"2 new (1 already closed)\").\n";

/* ... and what follows them. */
static const char notes[] =
	"exit codes: 0 success, 2 usage error, 3 the file is not in the history or a\n"
	"revision could not be compiled, 4 git or system error\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_log_options options; /* --since, --until */
	char *dir;              /* the directory of PATH, the default repository */
} log_job;

static bool valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !am_isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* --since, --until: a date. */
static int parse_date(void *field, const char *arg, const cli_opt *o)
{
	if (!valid_date(arg)) {
		cli_error("--%s: '%s' is not a date (YYYY-MM-DD)", o->name, arg);
		return -1;
	}
	*(const char **)field = arg;
	return 0;
}

static void progress(size_t done, size_t total, void *payload)
{
	(void)payload;
	if (done >= total)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\rcompiling revision %zu of %zu", done + 1, total);
}

/* Compiles and diffs every revision of PATH, in the repository around it
 * when --repo is not given and its directory exists. */
static int run(cli_job *job)
{
	log_job *l = (log_job *)job;
	const char *path = job->operands[0], *repo = job->repo;

	l->options.vocab = job->vocab;
	l->options.max_size = job->max_size;
	if (isatty(fileno(stderr)))
		l->options.progress = progress;
	if (!repo) {
		/* The repository around the file, if the file is still there. */
		const char *slash = strrchr(path, '/');
		if (slash) {
			l->dir = am_xstrndup(path, (size_t)(slash - path));
			if (access(l->dir, F_OK) == 0)
				repo = l->dir;
		}
	}
	int rc = am_log_run(&job->log, repo, path, &l->options);
	return rc < 0 ? cli_exit_for(rc) : EXIT_OK;
}

int cmd_log(int argc, char **argv)
{
	log_job l = { .options = AM_LOG_OPTIONS_INIT };
	int exit_code = cli_run(cli_log_table, run, &l.job, argc, argv);
	free(l.dir);
	return exit_code;
}

static int write_text(FILE *fp, cli_job *job)
{
	return cli_write_log_text(fp, job->log, job->color);
}

static int write_jsonl(FILE *fp, cli_job *job)
{
	return am_log_write_jsonl(fp, job->log);
}

static const cli_format formats[] = {
	CLI_FORMAT_MD, { "text", write_text, 0 }, CLI_FORMAT_HTML, CLI_FORMAT_JSON,
	{ "jsonl", write_jsonl, 0 }, CLI_FORMATS_END,
};

const cli_opt cli_log_table[] = {
	{ .type = CLI_OPT_OPERAND, .name = "PATH" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_REPO("the repository (default: the one containing PATH's directory, else the "
		       "current directory)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_PARSE, .name = "since", .value_name = "DATE",
	  .field = offsetof(log_job, options.since), .parse = parse_date, .in_usage = 1,
	  .help = "only revisions authored on or after DATE (YYYY-MM-DD)" },
	{ .type = CLI_OPT_PARSE, .name = "until", .value_name = "DATE",
	  .field = offsetof(log_job, options.until), .parse = parse_date, .in_usage = 1,
	  .help = "only revisions authored on or before DATE" },
	{ CLI_OPT_FORMATS(formats, "text (default on a terminal), md (default otherwise), html (with "
				   "a chart of open and closed findings), json, or jsonl (one entry a "
				   "line)") },
	CLI_OPTS_TEMPLATE,
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_PRETTY("the JSON") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("revisions") },
	{ .type = CLI_OPT_END },
};
