/*
 * auditmd: audit reports written in Markdown, as data.
 */
#include <getopt.h>
#include <malloc.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static const cli_command commands[] = {
	{ "compile", cmd_compile, "turn an audit into its finding model (JSON, text, Markdown, HTML)" },
	{ "diff", cmd_diff, "what changed between two revisions of an audit" },
	{ "verify", cmd_verify, "check the evidence citations against the git repository" },
	{ "lint", cmd_lint, "check an audit's own quality: evidence, IDs, statuses, dates" },
	{ "log", cmd_log, "changelog over an audit's whole git history" },
	{ "render", cmd_render, "render a Mustache template against JSON data" },
};

static void usage(FILE *fp)
{
	fputs("usage: auditmd <command> [options] [args]\n\ncommands:\n", fp);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'auditmd <command> --help' describes a command; 'man auditmd' the rest.\n"
	      "\nexit codes: 0 success, 1 the check failed, 2 usage error,\n"
	      "            3 input could not be read or parsed, 4 git or system error\n",
	      fp);
}

int main(int argc, char **argv)
{
	/* A compile allocates millions of small nodes and frees them as it
	 * walks: growing the heap 64 MiB at a time instead of 128 KiB saves
	 * most of the system calls and page-fault work (about 20% of the time
	 * of a large compile). The memory is only touched when used. */
	mallopt(M_TOP_PAD, 64 << 20);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		am_buf b = AM_BUF_INIT;
		cli_version(&b);
		fputs(am_buf_cstr(&b), stdout);
		am_buf_free(&b);
		return EXIT_OK;
	}
	opterr = 0; /* refused options are reported as auditmd errors */
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("unknown command '%s' (see 'auditmd --help')", argv[1]);
	return EXIT_USAGE;
}
