/*
 * auditmd: audit reports written in Markdown, as data.
 */
#include <malloc.h>
#include <string.h>

#include "cli.h"
#include "version.h"

int main(int argc, char **argv)
{
	/* A compile allocates millions of small nodes and frees them as it
	 * walks: growing the heap 64 MiB at a time instead of 128 KiB saves
	 * most of the system calls and page-fault work (about 20% of the time
	 * of a large compile). The memory is only touched when used. */
	mallopt(M_TOP_PAD, 64 << 20);
	if (argc < 2) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		am_buf b = AM_BUF_INIT;
		cli_version(&b);
		fputs(am_buf_cstr(&b), stdout);
		am_buf_free(&b);
		return EXIT_OK;
	}
	for (const cli_entry *e = cli_commands; e->name; e++)
		if (!strcmp(argv[1], e->name))
			return e->fn(argc - 1, argv + 1);
	cli_error("unknown command '%s' (see 'auditmd --help')", argv[1]);
	return EXIT_USAGE;
}
