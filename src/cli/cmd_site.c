/*
 * cmd_site.c: auditmd site, a static site of a repository's audits.
 */
#include "cli.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Writes a static site of the audits of a repository into the directory\n"
	"DIR: an index with a card an audit (open and closed findings by severity,\n"
	"the last change, the health of its evidence, its open findings over time);\n"
	"a page an audit (its findings at REV, their evidence checked, its\n"
	"changelog with charts); a page a finding (its timeline across the audit's\n"
	"revisions, renumbered and retitled, and its citations then and now).\n"
	"Pages are self-contained HTML (no script, nothing loaded from elsewhere),\n"
	"linked by relative addresses that work from file:// and any static host;\n"
	"the same repository gives the same bytes.\n"
	"\n"
	"AUDIT is a path from the top of the repository's tree. Without one, the\n"
	"audits are those the .auditmd.json at the top of REV's tree lists\n"
	"(\"audits\": paths or patterns), else every Markdown file outside hidden\n"
	"directories that compiles to a finding with an evidence citation.\n";

/* ... and what follows them. */
static const char notes[] =
	"DIR is written whole or not at all: into a temporary directory next to it,\n"
	"renamed into place at the end. An existing DIR is replaced only when it is\n"
	"empty or a site auditmd wrote (it holds .auditmd-site); a page that did not\n"
	"change is then a hard link to its file there, not written again.\n"
	"\n"
	"exit codes: 0 success, 2 usage error, 3 an audit is not in the history, a\n"
	"revision or the configuration could not be read, or a template failed,\n"
	"4 git or system error\n";

/* Its own fields in the order of its table. */
typedef struct {
	cli_job job;
	am_site_options options; /* --rev, --threads */
	char **found;            /* the audits discovered */
	size_t nfound;
	am_site *site;
} site_job;

static int interrupted(void *payload)
{
	(void)payload;
	return cli_outdir_interrupted();
}

/* The audits named, or discovered; their logs, evidence and findings. */
static int run(cli_job *job)
{
	site_job *s = (site_job *)job;
	const char *const *audits = (const char *const *)job->operands;
	size_t n = 0;
	int rc;

	if (!job->output) {
		am_error_set("site: -o DIR is required (the site's directory)");
		return EXIT_USAGE;
	}
	while (job->operands[n])
		n++;
	/* --config for every audit; without it each audit's own, in REV's tree. */
	if (job->config && (rc = cli_load_vocab(&job->vocab, job->config, NULL, job->repo)) < 0)
		return cli_exit_for(rc);
	s->options.vocab = job->vocab;
	s->options.max_size = job->max_size;
	if (!n) {
		am_discover_options d = AM_DISCOVER_OPTIONS_INIT;
		d.rev = s->options.rev;
		d.vocab = job->vocab;
		d.max_size = job->max_size;
		if ((rc = am_discover_audits(&s->found, &s->nfound, job->repo, &d)) < 0)
			return cli_exit_for(rc);
		audits = (const char *const *)s->found;
		n = s->nfound;
	}
	if ((rc = am_site_build(&s->site, job->repo, audits, n, &s->options)) < 0)
		return cli_exit_for(rc);
	return EXIT_OK;
}

int cmd_site(int argc, char **argv)
{
	site_job s = { .options = AM_SITE_OPTIONS_INIT };
	int exit_code = cli_run(cli_site_table, run, &s.job, argc, argv);
	am_site_free(s.site);
	am_discover_free(s.found, s.nfound);
	return exit_code;
}

static int write_site(FILE *fp, cli_job *job)
{
	site_job *s = (site_job *)job;
	(void)fp;
	s->options.render = &job->render;
	s->options.cancelled = interrupted;
	/* The pages that did not change are linked from the site replaced:
	 * they keep their inode and time, and nothing is written again. */
	s->options.previous = job->out_previous;
	return am_site_write(s->site, job->out_dir, &s->options);
}

static const cli_format formats[] = {
	{ "html", write_site, 1, 1 },
	CLI_FORMATS_END,
};

static const char *const thread_counts[] = { "1", "auto", NULL };

const cli_opt cli_site_table[] = {
	{ .type = CLI_OPT_OPERANDS, .name = "AUDIT..." },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ CLI_OPT_REPO("the repository (default: the one containing the current directory)"),
	  .in_usage = 1 },
	{ .type = CLI_OPT_STRING, .name = "rev", .value_name = "REV",
	  .field = offsetof(site_job, options.rev), .in_usage = 1,
	  .help = "the revision shown, and whose history (default HEAD)" },
	{ .type = CLI_OPT_STRING, .alias = 'o', .name = "output", .value_name = "DIR",
	  .field = CLI_JOB(output), .in_usage = 1,
	  .help = "the site's directory, written whole or not at all (required)" },
	{ .type = CLI_OPT_FORMAT, .formats = formats },
	{ .type = CLI_OPT_STRING, .name = "template-dir", .value_name = "DIR",
	  .field = CLI_JOB(render.template_dir),
	  .help = "templates and partials (site-index.html, style...) are read from "
		  "DIR/name.mustache first, then the built-in ones" },
	CLI_OPTS_LINKS,
	{ .type = CLI_OPT_STRING, .name = "config", .value_name = "FILE", .field = CLI_JOB(config),
	  .help = "configuration file for every audit (default: the .auditmd.json nearest each "
		  "audit in REV's tree)" },
	{ CLI_OPT_MAX_SIZE("revisions") },
	{ .type = CLI_OPT_THREADS, .name = "threads", .value_name = "N",
	  .field = offsetof(site_job, options.threads), .values = thread_counts,
	  .help = "1, or auto (default: two threads)" },
	{ .type = CLI_OPT_END },
};
