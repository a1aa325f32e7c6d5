/*
 * commands.c: the command table of auditmd; each command is declared in
 * its cmd_*.c, by its table (opt.h) and its run.
 */
#include "cli.h"

const cli_entry cli_commands[] = {
	{ "compile", cmd_compile, cli_compile_table,
	  "turn an audit into its finding model (JSON, text, Markdown, HTML)" },
	{ "diff", cmd_diff, cli_diff_table, "what changed between two revisions of an audit" },
	{ "verify", cmd_verify, cli_verify_table, "check the evidence citations against the git repository" },
	{ "check", cmd_check, cli_check_table,
	  "pull-request mode: what a change does to the audits and the code they cite" },
	{ "fix", cmd_fix, cli_fix_table, "rewrite moved and renamed citations to where the lines are now" },
	{ "lint", cmd_lint, cli_lint_table, "check an audit's own quality: evidence, IDs, statuses, dates" },
	{ "log", cmd_log, cli_log_table, "changelog over an audit's whole git history" },
	{ "site", cmd_site, cli_site_table, "a static site of every audit of a repository and its history" },
	{ "render", cmd_render, cli_render_table, "render a Mustache template against JSON data" },
	{ NULL, NULL, NULL, NULL },
};

void cli_usage(FILE *fp)
{
	fputs("usage: auditmd <command> [options] [args]\n\ncommands:\n", fp);
	for (const cli_entry *e = cli_commands; e->name; e++)
		fprintf(fp, "  %-10s %s\n", e->name, e->summary);
	fputs("\n'auditmd <command> --help' describes a command; 'man auditmd' the rest.\n"
	      "\nexit codes: 0 success, 1 the check failed, 2 usage error,\n"
	      "            3 input could not be read or parsed, 4 git or system error\n",
	      fp);
}
