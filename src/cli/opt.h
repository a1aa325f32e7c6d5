/*
 * opt.h: the command line's options, declared as tables.
 *
 * Each command declares its interface once, in a table of cli_opt: its
 * operands, the paragraphs of its --help, and its options: the short and
 * long name, the value's name, the help text, what the option sets (a
 * field of the command's job, by offset), the values it takes (the formats
 * of --format, with their writers) and the options it needs or excludes.
 * The same table drives getopt_long, the checks after it, the command's
 * --help and the listing the completion and man-page tests read
 * (cli_opt_list). Modelled on libgit2's src/cli/opt.h, whose tables hold
 * the arguments too.
 */
#ifndef AM_CLI_OPT_H
#define AM_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_opt cli_opt;
typedef struct cli_job cli_job;

/* A format a command writes, and its writer. */
typedef struct {
	const char *name;
	int (*write)(FILE *fp, cli_job *job);
	int templated; /* made by a template: its failures are the template's (exit 3) */
	int directory; /* writes files into job->out_dir (-o DIR, replaced atomically), not to fp */
} cli_format;

typedef enum {
	CLI_OPT_END = 0, /* ends a table */
	CLI_OPT_ABOUT,   /* --help: what the command does (`help`), before the options */
	CLI_OPT_NOTES,   /* --help: what follows the options (`help`), down to the exit codes */
	CLI_OPT_AUDIT,   /* an operand read and compiled as an audit, in order */
	CLI_OPT_OPERAND, /* an operand kept as given */
	CLI_OPT_OPERANDS, /* any number of operands (none included), kept as given; the last
			   * operand entry of its table */
	CLI_OPT_SWITCH,  /* no value: sets the int field to `value` */
	CLI_OPT_STRING,  /* a value, kept as given (a const char * field) */
	CLI_OPT_CHOICE,  /* one of `values`, kept as given */
	CLI_OPT_FORMAT,  /* one of `formats`, kept as given (the name); without a
			  * name, the one format of a command without --format */
	CLI_OPT_SIZE,    /* a size ("64M", "16k", "1000") into a size_t field */
	CLI_OPT_THREADS, /* one of `values` into an unsigned field: "auto" is 0 */
	CLI_OPT_NAMES,   /* comma-separated names(bit) into an unsigned bit mask; "none"
			  * is no bit. `value_name` is their plural: "KINDS" */
	CLI_OPT_PARSE,   /* a value read by `parse` */
} cli_opt_type;

struct cli_opt {
	cli_opt_type type;
	char alias;               /* the short option, or 0 */
	const char *name;         /* the long option, without "--"; an operand's name */
	const char *value_name;   /* "FILE" in --help; NULL for a switch */
	size_t field;             /* where the value goes: an offset into the job */
	int value;                /* SWITCH: the value stored */
	const char *const *values; /* CHOICE, THREADS: the values, NULL-terminated */
	const cli_format *formats; /* FORMAT: the formats, ending with a NULL name */
	const char *(*names)(int bit); /* NAMES: the name of each bit ... */
	int count;                /* ... of `count` */
	/* PARSE: stores the value read from arg into *field; 0, or -1 after
	 * printing one error line naming the option. */
	int (*parse)(void *field, const char *arg, const cli_opt *opt);
	const char *requires;     /* an option that must be given with this one */
	const char *excludes;     /* an option that cannot be given with this one */
	int required;             /* the command cannot run without it */
	int in_usage;             /* shown in the usage line of --help */
	const char *help;         /* one sentence or two, wrapped by --help */
};

/*
 * Parses argv (argv[0] is the command's name) into `job` by the command's
 * table, then checks what the table says: as many operands as it lists
 * (or more, after an OPERANDS entry), standard input ("-") for one audit
 * at most, the options required, and those each option requires or
 * excludes. Sets job->operands. Returns 0, -1 for a usage
 * error (one line printed) or -2 when --help was given (the help printed
 * on stdout).
 */
int cli_opt_parse(const cli_opt *table, cli_job *job, int argc, char **argv);

/* Whether the table has the option --name. */
bool cli_opt_has(const cli_opt *table, const char *name);

/* The table's formats: its --format, or the entry without a name that
 * holds the one format of a command without --format. Every table has one. */
const cli_opt *cli_opt_formats(const cli_opt *table);

/* The --help of the command `name`: usage line, about, options, notes. */
void cli_opt_help(FILE *fp, const char *name, const cli_opt *table);

/*
 * The options of the command `name` for tests, one tab-separated record a
 * line (empty fields where there is nothing to say):
 *   option NAME -S --LONG VALUE_NAME VALUES (space-separated)
 */
void cli_opt_list(FILE *fp, const char *name, const cli_opt *table);

#endif
