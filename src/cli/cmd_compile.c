/*
 * cmd_compile.c: auditmd compile, an audit's finding model.
 */
#include "cli.h"
#include "text.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Turns a Markdown audit into its finding model: title, date, metadata and\n"
	"findings with status, priority/severity, fields and file:line citations.\n"
	"AUDIT is a path, '-' for standard input, or REV:PATH read from git (an\n"
	"existing file wins).\n";

/* ... and what follows them. */
static const char notes[] =
	"limits (exit 3, with the position): 64 MiB (--max-size); lists and block\n"
	"quotes nested 256 deep; inline elements (emphasis, links) nested 256 deep;\n"
	"128 cells in a line of a table; 1,000,000 findings\n"
	"\n"
	"exit codes: 0 success, 2 usage error, 3 the audit could not be read or parsed\n"
	"(invalid UTF-8, NUL bytes, over a limit), 4 system error\n";

int cmd_compile(int argc, char **argv)
{
	cli_job job = { 0 };
	return cli_run(cli_compile_table, NULL, &job, argc, argv);
}

static int write_text(FILE *fp, cli_job *job)
{
	return cli_write_report_text(fp, job->audits[0], job->color);
}

static const cli_format formats[] = {
	CLI_FORMAT_JSON, { "text", write_text, 0 }, CLI_FORMAT_MD, CLI_FORMAT_HTML, CLI_FORMATS_END,
};

static const char *const thread_counts[] = { "1", "auto", NULL };

const cli_opt cli_compile_table[] = {
	{ .type = CLI_OPT_AUDIT, .name = "AUDIT" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_FORMATS(formats, "text (default on a terminal), json (default otherwise), or md / "
				   "html (a normalised rendering, through templates)") },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_REPO("the git repository for REV:PATH (default: the one containing the "
		       "current directory)") },
	{ CLI_OPT_PRETTY("the JSON") },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ CLI_OPT_QUIET("do not print warnings about the audit") },
	{ .type = CLI_OPT_THREADS, .name = "threads", .value_name = "N", .field = CLI_JOB(threads),
	  .values = thread_counts, .help = "1, or auto (default: two threads for audits over 1 MiB)" },
	CLI_OPTS_TEMPLATE,
	{ .type = CLI_OPT_END },
};
