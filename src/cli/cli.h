/*
 * cli.h: shared pieces of the auditmd command line.
 */
#ifndef AM_CLI_H
#define AM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "auditmd/auditmd.h"
#include "opt.h"
#include "util.h"

/* Exit codes, as documented in --help and auditmd(1). */
enum {
	EXIT_OK = 0,
	EXIT_CHECK = 1, /* the check failed: broken citations, regressions... */
	EXIT_USAGE = 2,
	EXIT_INPUT = 3, /* input could not be read or parsed */
	EXIT_SYSTEM = 4, /* git or system error */
};

/* Where an audit was read from: REV:PATH (rev set), a file (path), or
 * standard input (both NULL). */
typedef struct {
	char *rev, *path;
	char *text; /* the audit's bytes as read */
	size_t len;
} cli_origin;

/*
 * Reads and compiles an audit: a path, "-" for standard input, or REV:PATH
 * from the git repository at `repo` (or around the current directory). An
 * existing file wins over the REV:PATH reading.
 */
int cli_load_audit_from(am_report **out, cli_origin *origin, const char *spec, const char *repo,
			const am_vocab *vocab, size_t max_size, unsigned threads);
/* The compile of cli_load_audit_from, of text already read from spec. */
int cli_compile_text(am_report **out, const char *spec, const char *text, size_t len, const am_vocab *vocab,
		     size_t max_size, unsigned threads);
void cli_origin_free(cli_origin *o);

/*
 * A command's job: its options, operands, what it loaded and what it made.
 * Each command's own job (options of its own) starts with this one, so
 * that the options every table shares set the same fields.
 */
struct cli_job {
	const cli_opt *table; /* the command's table (opt.h) */
	/* the options most commands take */
	const char *format, *output, *config, *repo;
	/* --baseline FILE, --write-baseline FILE (verify, lint, check) */
	const char *baseline, *write_baseline;
	size_t max_size;
	int pretty, quiet;
	unsigned threads;
	am_render_options render;
	/* the operands, as given */
	char **operands;
	/* The command's result reports the audits' diagnostics itself (lint's
	 * issues): they are not printed on stderr. */
	bool reports_diagnostics;
	/* loaded: the configuration, and the audits with where they came from */
	am_vocab *vocab;
	am_report *audits[2];
	cli_origin origins[2];
	/* what the run made; the last of these is the command's result (check
	 * is pull-request mode's) */
	am_diff *diff;
	am_log *log;
	am_verify *verify;
	am_lint *lint;
	/* a directory format writes here (cli_outdir's temporary directory);
	 * the directory it replaces when that holds a site auditmd wrote */
	const char *out_dir, *out_previous;
	/* the commit {commit} stands for in links (render.commit): the audit
	 * read as REV:PATH, resolved */
	char commit[41];
	am_check *check;
	/* the check failed: exit 1 once the result is written */
	bool failed;
	/* the text format may use colour: a terminal, and no NO_COLOR */
	bool color;
};

/*
 * A command's run: makes its result from what was loaded (the last of
 * job->diff, log, verify, lint; none: the audit itself) and may set
 * job->failed. Returns 0, or the exit code of its failure with the
 * message set.
 */
typedef int (*cli_run_fn)(cli_job *job);

/*
 * Runs a command, the same way for every one: parse and check the options
 * by its table → load the configuration (next to the last operand, for a
 * command that takes --config) and the audits among the operands → run →
 * open the output → write the format → commit the output (or remove it)
 * → exit 1 when the run found that the check failed. Frees what the job
 * loaded and made (the fields of cli_job); returns the exit code. argv[0]
 * is the command's name.
 */
int cli_run(const cli_opt *table, cli_run_fn run, cli_job *job, int argc, char **argv);

/*
 * The command table (commands.c), in the order 'auditmd --help' lists
 * them: each command's name, the function that runs it, its table and its
 * line in 'auditmd --help'. Ends with a NULL name.
 */
typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const cli_opt *table;
	const char *summary;
} cli_entry;
extern const cli_entry cli_commands[];

/* Each command: its table and the function that runs it (cmd_*.c). */
extern const cli_opt cli_compile_table[], cli_diff_table[], cli_verify_table[], cli_lint_table[],
	cli_log_table[], cli_render_table[], cli_site_table[], cli_check_table[], cli_fix_table[];
int cmd_compile(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_site(int argc, char **argv);

/* 'auditmd --help': the commands and the exit codes. */
void cli_usage(FILE *fp);

/* The formats every command with a result writes the same way: the JSON
 * document of its result, and md or html through the built-in or given
 * templates. */
int cli_write_json(FILE *fp, cli_job *job);
int cli_write_rendered(FILE *fp, cli_job *job);
#define CLI_FORMAT_JSON { "json", cli_write_json, 0 }
#define CLI_FORMAT_MD { "md", cli_write_rendered, 1 }
#define CLI_FORMAT_HTML { "html", cli_write_rendered, 1 }
#define CLI_FORMATS_END { NULL, NULL, 0 }

/* Where the audit is, for annotations (GitHub, Code Quality): its path in
 * the repository when it was verified (committed or not), else as given,
 * else its source name. */
const char *cli_audit_name(const cli_job *job);
/* The same for SARIF: a path relative to the repository root when the
 * audit is in it; without a repository, relative as given when it does not
 * climb ("./" dropped); else the file's absolute path (in *own, free() it),
 * which SARIF writes as a file:// URI. */
const char *cli_audit_uri(const cli_job *job, char **own);

/* Audit i checked against --repo: the repository, the audit's revision
 * and path when it was read as REV:PATH (its path when it was a file),
 * and the configuration. */
void cli_verify_options(am_verify_options *o, const cli_job *job, int i);
/* The first audit's lint switches: the configuration's, the audit's own
 * comments (its text) and the verification, when there is one. */
void cli_lint_options(am_lint_options *o, const cli_job *job);

/* With --baseline: reads the file and marks the problems of the run's
 * result (job->verify or job->lint, the last made) that it holds
 * unchanged. 0, or the exit code with the message set: 3 for a file that
 * cannot be read or is no baseline, 2 for a baseline of the other kind. */
int cli_apply_baseline(cli_job *job);

/* The field of cli_job an option of every command sets. */
#define CLI_JOB(member) offsetof(cli_job, member)

/*
 * The entries several tables share, as designators: a table writes
 * { CLI_OPT_OUTPUT } or { CLI_OPT_REPO("..."), .in_usage = 1 }.
 */
#define CLI_OPT_OUTPUT \
	.type = CLI_OPT_STRING, .alias = 'o', .name = "output", .value_name = "FILE", \
	.field = CLI_JOB(output), .help = "write there (atomically) instead of standard output"
#define CLI_OPT_PRETTY(what) \
	.type = CLI_OPT_SWITCH, .name = "pretty", .field = CLI_JOB(pretty), .value = 1, \
	.help = "indent " what
#define CLI_OPT_CONFIG \
	.type = CLI_OPT_STRING, .name = "config", .value_name = "FILE", .field = CLI_JOB(config), \
	.help = "configuration file (default: the nearest .auditmd.json upward)"
#define CLI_OPT_MAX_SIZE(what) \
	.type = CLI_OPT_SIZE, .name = "max-size", .value_name = "N", .field = CLI_JOB(max_size), \
	.help = "refuse " what " over N bytes (default 64M; K, M, G suffixes)"
#define CLI_OPT_QUIET(text) \
	.type = CLI_OPT_SWITCH, .alias = 'q', .name = "quiet", .field = CLI_JOB(quiet), .value = 1, \
	.help = text
#define CLI_OPT_BASELINE \
	.type = CLI_OPT_STRING, .name = "baseline", .value_name = "FILE", .field = CLI_JOB(baseline), \
	.help = "an earlier JSON or SARIF output of the same command: what it holds is " \
		"reported as unchanged and fails nothing; only new problems fail"
#define CLI_OPT_WRITE_BASELINE \
	.type = CLI_OPT_STRING, .name = "write-baseline", .value_name = "FILE", \
	.field = CLI_JOB(write_baseline), \
	.help = "also write the JSON document to FILE (atomically), to give --baseline later"
#define CLI_OPT_REPO(text) \
	.type = CLI_OPT_STRING, .name = "repo", .value_name = "DIR", .field = CLI_JOB(repo), .help = text
/* --format: the formats in `list`; the first is the default in a file or
 * a pipe (text is on a terminal, for a command that writes it). */
#define CLI_OPT_FORMATS(list, text) \
	.type = CLI_OPT_FORMAT, .alias = 'f', .name = "format", .value_name = "FMT", \
	.field = CLI_JOB(format), .formats = list, .in_usage = 1, .help = text
/* The template options of every command that renders md and html. */
#define CLI_OPTS_TEMPLATE \
	{ .type = CLI_OPT_STRING, .name = "template", .value_name = "FILE", \
	  .field = CLI_JOB(render.template_path), \
	  .help = "render md/html with this Mustache template instead of the built-in one" }, \
	{ .type = CLI_OPT_STRING, .name = "template-dir", .value_name = "DIR", \
	  .field = CLI_JOB(render.template_dir), \
	  .help = "partials ({{> name}}) are read from DIR/name.mustache first, then the " \
		  "built-in ones" }, \
	CLI_OPTS_LINKS
/* --link-base and --link-style. */
#define CLI_OPTS_LINKS \
	{ .type = CLI_OPT_STRING, .name = "link-base", .value_name = "URL", \
	  .field = CLI_JOB(render.link_base), \
	  .help = "link citations and commits: https://host/org/repo/blob/{commit}/ ({path}, " \
		  "{start} and {end} place the file and its lines)" }, \
	{ .type = CLI_OPT_CHOICE, .name = "link-style", .value_name = "STYLE", \
	  .field = CLI_JOB(render.link_style), .values = cli_link_styles, .requires = "link-base", \
	  .help = "the forge of --link-base: github (default), gitlab, bitbucket or gitea (line " \
		  "anchors, commit pages)" }

/* The values of --link-style. */
extern const char *const cli_link_styles[];

/* The exit code of a failed check against git (diff --repo, verify,
 * lint --repo): a usage error (2), else a git or system error (4). */
int cli_exit_for_git(int rc);

/* GitHub workflow-command escaping of a message (property false) or of a
 * property value such as file= or title= (property true); control
 * characters other than line endings are shown as \x1b. */
void cli_gh_escape(FILE *fp, const char *s, bool property);

/* A size ("64M", "16k", "1000"): 0 and *out, or -1 (not a size, zero, or
 * too large). */
int cli_parse_size(const char *s, size_t *out);
/* --NAME SIZE: 0 and *out, or an error line and -1. */
int cli_size_option(const char *name, const char *arg, size_t *out);

/* Prints "auditmd: error: ..." on stderr: one line, control characters
 * shown as \x1b or \u202e (am_visible). */
void cli_error(const char *fmt, ...) AM_PRINTF(1, 2);

/* Writes text from an audit, a repository or the command line to a
 * terminal or a log: control characters shown (am_visible), tabs kept. */
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
 * A directory written whole or not at all (-o DIR of a site): the files go
 * into a temporary directory next to DIR (tmp), which commit renames into
 * place, exchanging it with the one there (removed then); abort removes
 * it. An existing DIR is replaced only when it is empty or a site auditmd
 * wrote (commit leaves a .auditmd-site file in it). SIGINT, SIGTERM and
 * SIGHUP are noted meanwhile (cli_outdir_interrupted, for the writer to
 * stop), and raised again once the temporary directory is gone.
 */
typedef struct {
	char *path;
	char *tmp;
	bool previous; /* path holds a site auditmd wrote (its pages may be linked) */
} cli_outdir;

int cli_outdir_open(cli_outdir *o, const char *path);
int cli_outdir_commit(cli_outdir *o);
void cli_outdir_abort(cli_outdir *o);
bool cli_outdir_interrupted(void);

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


/* Prints the diagnostics of a report on stderr. */
void cli_print_diags(const am_report *r, const char *name);

#endif
