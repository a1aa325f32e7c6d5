/*
 * cli.h: shared pieces of the auditmd command line.
 */
#ifndef AM_CLI_H
#define AM_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/auditmd.h"
#include "util.h"

/* Exit codes, as documented in --help and auditmd(1). */
enum {
	EXIT_OK = 0,
	EXIT_CHECK = 1, /* the check failed: broken citations, regressions... */
	EXIT_USAGE = 2,
	EXIT_INPUT = 3, /* input could not be read or parsed */
	EXIT_SYSTEM = 4, /* git or system error */
};

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} cli_command;

int cmd_compile(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_lint(int argc, char **argv);

/*
 * Reads and compiles an audit: a path, "-" for standard input, or REV:PATH
 * from the git repository at `repo` (or around the current directory). An
 * existing file wins over the REV:PATH reading.
 */
int cli_load_audit(am_report **out, const char *spec, const char *repo, const am_vocab *vocab,
		   size_t max_size, unsigned threads);

/* Where an audit was read from: REV:PATH (rev set), a file (path), or
 * standard input (both NULL). */
typedef struct {
	char *rev, *path;
	char *text; /* the audit's bytes as read */
	size_t len;
} cli_origin;

int cli_load_audit_from(am_report **out, cli_origin *origin, const char *spec, const char *repo,
			const am_vocab *vocab, size_t max_size, unsigned threads);
void cli_origin_free(cli_origin *o);

/* GitHub workflow-command escaping of a message (property false) or of a
 * property value such as file= or title= (property true); control
 * characters other than line endings are shown as \x1b. */
void cli_gh_escape(FILE *fp, const char *s, bool property);

/* getopt_long for `command`. An unknown option, a missing value and an
 * empty value ("-o ''") print one error line naming the option and return
 * '?': exit 2. */
struct option;
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
	       const char *command);

/* --OPTION A,B,C into *mask: bit find(name) for each name. An unknown or
 * empty name ("a,,b", '') prints one error line naming the option, `what`
 * a name is and `hint`, and returns -1. */
int cli_parse_mask(const char *option, const char *list, int (*find)(const char *name),
		   const char *what, const char *hint, unsigned *mask);

/* A size ("64M", "16k", "1000"): 0 and *out, or -1 (not a size, zero, or
 * too large). */
int cli_parse_size(const char *s, size_t *out);
/* --NAME SIZE: 0 and *out, or an error line and -1. */
int cli_size_option(const char *name, const char *arg, size_t *out);
/* --format: true when format is one of formats (NULL-terminated), else an
 * error line listing them and false. */
bool cli_format_known(const char *format, const char *const *formats);

/* Prints "auditmd: error: ..." on stderr: one line, control characters
 * shown as \x1b or \u202e (am_buf_put_visible). */
void cli_error(const char *fmt, ...) AM_PRINTF(1, 2);

/* Writes text from an audit, a repository or the command line to a
 * terminal or a log: control characters shown (am_buf_put_visible), tabs
 * kept. */
void cli_put_visible(FILE *fp, const char *s);

/* Maps a library error code onto an exit code. */
int cli_exit_for(int rc);

/*
 * Reads a whole file ("-" for stdin) of at most max bytes. Refuses
 * directories, FIFOs and devices. Returns 0 or an AM_* code with the message
 * set.
 */
int cli_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * Output through a temporary file in the destination's directory, renamed
 * over the destination on commit: a failed or interrupted (SIGINT, SIGTERM,
 * SIGHUP) run leaves any previous file untouched. The file keeps an
 * existing file's mode, or gets 0666 less the umask. A device or FIFO is
 * written in place; a symbolic link to anything else is refused. path NULL
 * or "-" writes to stdout. See output.c.
 */
typedef struct {
	FILE *fp;
	char *path;
	char *tmp;
	bool direct; /* a device or FIFO, written in place */
} cli_output;

int cli_output_open(cli_output *o, const char *path);
int cli_output_commit(cli_output *o);
void cli_output_abort(cli_output *o);

/*
 * Loads --config, or the .auditmd.json nearest to the audit `near`: for a
 * file, in its directory or above; for REV:PATH, in that revision's tree of
 * the repository `repo` (NULL: around the current directory), next to
 * PATH or above it.
 */
int cli_load_vocab(am_vocab **out, const char *config, const char *near, const char *repo);

/* Whether an audit argument is read as REV:PATH from git: it has a colon
 * after its first character and is neither "-" nor an existing file. */
bool cli_is_revpath(const char *spec);

/* Colour on a terminal only, never with NO_COLOR. */
bool cli_use_color(FILE *fp);

/* The template options every reporting command takes. */
#define CLI_RENDER_LONGOPTS \
	{ "template", required_argument, NULL, 'Y' }, \
	{ "template-dir", required_argument, NULL, 'Z' }, \
	{ "link-base", required_argument, NULL, 'L' }
#define CLI_RENDER_HELP \
	"      --template FILE   render md/html with this Mustache template instead\n" \
	"                        of the built-in one\n" \
	"      --template-dir DIR  partials ({{> name}}) are read from DIR/name.mustache\n" \
	"                        first, then the built-in ones\n" \
	"      --link-base URL   link citations: https://host/org/repo/blob/{commit}/\n"

/* Takes one of the CLI_RENDER_LONGOPTS into o. */
void cli_render_option(am_render_options *o, int c, const char *arg);

/* md and html: formats made by templates. */
static inline bool cli_renders(const char *format)
{
	return !strcmp(format, "md") || !strcmp(format, "html");
}

/* Reports a failed render (template errors are input errors: exit 3). */
int cli_render_failed(int rc);

/* Ends the output after writing it with result rc: commits it (rc 0) or
 * removes it. Returns the exit code: 0; a template's error (cli_render_failed)
 * when `rendering` and nothing failed to be written; else 4, a failed write.
 * Prints the error line. */
int cli_output_finish(cli_output *o, int rc, bool rendering);

/* Prints the diagnostics of a report on stderr. */
void cli_print_diags(const am_report *r, const char *name);

#endif
