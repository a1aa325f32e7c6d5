/*
 * cmd_fix.c: auditmd fix, moved and renamed citations rewritten in place.
 */
#include <sys/stat.h>

#include "cli.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Rewrites the moved and renamed citations of AUDIT, a file, to where the\n"
	"cited lines are now (HEAD), as 'auditmd verify' follows them: the line\n"
	"numbers and, for a renamed file, the path, where the audit writes them;\n"
	"every other byte is kept (line endings, spacing, `path#L10-L20` links).\n"
	"The file is replaced atomically. Changed, deleted and broken citations are\n"
	"left as they are and listed on standard error, with the rewritten ones.\n"
	"\n"
	"as-of 'auto' (default): the commit that wrote the audit when it is a\n"
	"committed, unmodified file of the repository; else none (the citations\n"
	"are taken as written against HEAD, so a second run changes nothing): fix\n"
	"never moves lines on a guess from the audit's date; give --as-of.\n";

/* ... and what follows them. */
static const char notes[] =
	"exit codes: 0 success (the audit rewritten, or nothing to rewrite),\n"
	"2 usage error (AUDIT given as REV:PATH, standard input or a symbolic link,\n"
	"none of which is rewritten in place), 3 the audit could not be read, 4 git\n"
	"or system error (not a repository, unknown revision, write failure)\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_verify_options options;
	int dry_run;
	am_fix *fix;
	char *text; /* the audit's bytes as read (the run keeps them from the load) */
	size_t len;
} fix_job;

/* A line of the listing: "AUDIT:LINE:COL: what". */
static void list(const char *name, const am_fix_edit *e)
{
	const am_citation *ci = e->result->citation;
	char *spec = am_citation_spec(ci->path, ci->start, ci->end);
	am_buf b = AM_BUF_INIT;
	if (e->outcome == AM_FIX_REWRITTEN)
		am_buf_printf(&b, "%s: %s → %s", am_verify_state_name(e->result->state), spec, e->now);
	else
		am_buf_printf(&b, "left alone: %s: %s", spec, am_verify_state_name(e->result->state));
	if (e->outcome != AM_FIX_REWRITTEN && e->reason)
		am_buf_printf(&b, " (%s)", e->reason);
	cli_put_visible(stderr, name);
	fprintf(stderr, ":%u:%u: ", ci->line, ci->column);
	cli_put_visible(stderr, b.ptr);
	fputc('\n', stderr);
	am_buf_free(&b);
	free(spec);
}

/* Verifies, rewrites, and sends the result to the audit itself (or -o,
 * or with --dry-run the diff to standard output). */
static int run(cli_job *job)
{
	fix_job *k = (fix_job *)job;
	const cli_origin *origin = &job->origins[0];
	int rc;

	if (!origin->path || origin->rev) {
		am_error_set("fix: AUDIT must be a file (it is rewritten), not %s",
			     origin->rev ? "REV:PATH" : "standard input");
		return EXIT_USAGE;
	}
	/* The file is replaced by a rename, which would put a regular file
	 * where a link was: refused before anything is read or listed. */
	struct stat st;
	if (!k->dry_run && !job->output && lstat(origin->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		am_error_set("fix: %s is a symbolic link: give the file it points to, or -o FILE", origin->path);
		return EXIT_USAGE;
	}
	cli_verify_options(&k->options, job, 0);
	k->options.resolution = 0;
	if ((rc = am_verify_run(&job->verify, job->audits[0], &k->options)) < 0)
		return cli_exit_for_git(rc);
	if (!k->options.as_of && job->verify->as_of_reason == AM_ASOF_DATE) {
		/* An uncommitted or edited audit: its citations are HEAD's. */
		am_verify_free(job->verify);
		job->verify = NULL;
		k->options.as_of = "none";
		if ((rc = am_verify_run(&job->verify, job->audits[0], &k->options)) < 0)
			return cli_exit_for_git(rc);
	}
	am_fix_options fo = AM_FIX_OPTIONS_INIT;
	fo.vocab = job->vocab;
	k->text = job->origins[0].text;
	k->len = job->origins[0].len;
	job->origins[0].text = NULL;
	if ((rc = am_fix_run(&k->fix, k->text, k->len, job->verify, &fo)) < 0)
		return cli_exit_for(rc);
	if (!job->quiet) {
		for (size_t i = 0; i < k->fix->nedits; i++)
			list(origin->path, &k->fix->edits[i]);
		fprintf(stderr, "%zu citation%s rewritten, %zu left alone%s\n", k->fix->nrewritten,
			k->fix->nrewritten == 1 ? "" : "s", k->fix->nleft,
			k->dry_run ? " (dry run: nothing written)" : "");
	}
	/* The audit replaced when it changes (and not for a dry run). */
	if (!job->output && !k->dry_run && k->fix->nrewritten)
		job->output = origin->path;
	return EXIT_OK;
}

int cmd_fix(int argc, char **argv)
{
	fix_job k = { .options = AM_VERIFY_OPTIONS_INIT };
	int rc = cli_run(cli_fix_table, run, &k.job, argc, argv);
	am_fix_free(k.fix);
	free(k.text);
	return rc;
}

/* The audit rewritten, or with --dry-run the diff; nothing when the audit
 * is left as it is. */
static int write_fix(FILE *fp, cli_job *job)
{
	fix_job *k = (fix_job *)job;
	if (k->dry_run)
		return am_fix_write_diff(fp, k->text, k->len, k->fix, job->origins[0].path);
	if (!job->output)
		return 0;
	if (fwrite(k->fix->text, 1, k->fix->len, fp) != k->fix->len) {
		am_error_set("could not write the audit");
		return AM_EIO;
	}
	return 0;
}

static const cli_format formats[] = { { "audit", write_fix, 0 }, CLI_FORMATS_END };

const cli_opt cli_fix_table[] = {
	{ .type = CLI_OPT_AUDIT, .name = "AUDIT" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ .type = CLI_OPT_FORMAT, .formats = formats },
	{ CLI_OPT_REPO("the audited repository (default: the one containing the current directory)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_STRING, .name = "as-of", .value_name = "REV",
	  .field = offsetof(fix_job, options.as_of), .in_usage = 1,
	  .help = "auto (default), none, or the revision the citations were written against" },
	{ .type = CLI_OPT_SWITCH, .name = "dry-run", .field = offsetof(fix_job, dry_run), .value = 1,
	  .in_usage = 1, .help = "rewrite nothing: print the change as a unified diff" },
	{ CLI_OPT_OUTPUT },
	{ CLI_OPT_CONFIG },
	{ CLI_OPT_MAX_SIZE("audits") },
	{ .type = CLI_OPT_SIZE, .name = "max-blob-size", .value_name = "N",
	  .field = offsetof(fix_job, options.max_blob),
	  .help = "do not read cited files over N bytes (default 16M)" },
	{ CLI_OPT_QUIET("do not list the citations on standard error") },
	{ .type = CLI_OPT_END },
};
