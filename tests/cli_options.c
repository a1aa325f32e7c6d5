/*
 * cli_options.c: the command line's tables, listed for the tests that hold
 * the shell completions and the man pages to them (tests/completions.sh,
 * tests/manpages.sh). One tab-separated record a line:
 *
 *   command NAME SUMMARY
 *   option NAME -S --LONG VALUE_NAME VALUES
 *
 * (opt.h: cli_opt_list; empty fields where there is nothing to say).
 */
#include "cli.h"

int main(void)
{
	for (const cli_entry *e = cli_commands; e->name; e++) {
		printf("command\t%s\t%s\n", e->name, e->summary);
		cli_opt_list(stdout, e->name, e->table);
	}
	return ferror(stdout) ? 1 : 0;
}
