/*
 * cmd_verify.c: auditmd verify, the evidence check.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char verify_usage[] =
	"usage: auditmd verify AUDIT [--repo DIR] [--rev REV] [--as-of REV|auto|none]\n"
	"                      [--format text|json|sarif|github|md|html] [--fail-on STATES]\n"
	"\n"
	"Checks every evidence citation (path:line) of AUDIT against the git\n"
	"repository it audits, read from git's object database only. Each citation\n"
	"is checked at the as-of commit (the one the audit was written against)\n"
	"and followed to the target (--rev) with rename detection. AUDIT is a path,\n"
	"'-' for standard input, or REV:PATH read from the repository.\n"
	"\n"
	"states: ok, moved, renamed, changed, deleted, missing, out_of_range,\n"
	"        not_text, outside_repo, ambiguous, symlink, not_file, too_large,\n"
	"        malformed; warnings: symbol_missing, unconfirmed\n"
	"\n"
	"as-of 'auto' (default): the commit that wrote the audit's revision when it\n"
	"was read as REV:PATH or is a committed, unmodified file of the repository;\n"
	"else the last commit on or before the audit's date; else none.\n"
	"\n"
	"options:\n"
	"      --repo DIR        the audited repository (default: the one containing\n"
	"                        the current directory)\n"
	"      --rev REV         where the code is now (default HEAD)\n"
	"      --worktree        the code is the working tree: files on disk,\n"
	"                        uncommitted changes included (symbolic links are\n"
	"                        never followed)\n"
	"      --as-of REV       auto (default), none, or a revision\n"
	"  -f, --format FMT      text (default on a terminal), json (default\n"
	"                        otherwise), sarif, github (workflow commands), md or\n"
	"                        html (an evidence report)\n"
	"      --fail-on STATES  exit 1 when a citation is in one of these states or\n"
	"                        carries one of these warnings (default:\n"
	"                        missing,out_of_range,outside_repo,deleted); 'none'\n"
	"      --mentions        check mentions too, not only evidence citations\n"
	"      --no-resolution   do not check resolved findings against the audit's\n"
	"                        previous revision\n"
	"  -v, --verbose         text: list the citations that hold too\n"
	"  -o, --output FILE     write there (atomically) instead of standard output\n"
	"      --pretty          indent JSON and SARIF\n"
	"      --config FILE     vocabulary file (default: nearest .auditmd.json upward)\n"
	"      --max-size N      refuse audits over N bytes (default 64M)\n"
	"      --max-blob-size N do not read cited files over N bytes (default 16M)\n"
	"      --threads N       1, 2 or auto (default: two when 256 files or more\n"
	"                        are cited)\n"
	"  -q, --quiet           do not print warnings about the audit\n"
	CLI_RENDER_HELP
	"  -h, --help            show this help\n"
	"\n"
	"States and warnings are switched off as in 'auditmd lint' (rules\n"
	"citation-STATE, citation-WARNING): by lint.disable in .auditmd.json or an\n"
	"<!-- auditmd-disable... --> comment for the citation's line. They stay in\n"
	"the JSON, marked \"suppressed\", are left out of the other formats and fail\n"
	"nothing.\n"
	"\n"
	"With GITHUB_STEP_SUMMARY set, --format github also appends the full table\n"
	"as Markdown to that file (a regular file; exit 4 when it cannot be written).\n"
	"\n"
	"exit codes: 0 success, 1 a citation is in a --fail-on state, 2 usage error,\n"
	"3 the audit could not be read, 4 git or system error (not a repository,\n"
	"unknown revision, shallow history in the way, write failure)\n";

/* The bit of a state or warning named on --fail-on (warnings past the
 * states), or -1. */
static int find_state(const char *name)
{
	for (int k = 0; k < AM_VERIFY__COUNT; k++)
		if (!strcmp(name, am_verify_state_name((am_verify_state)k)))
			return k;
	for (unsigned b = 0; b < AM_VERIFY_WARN__COUNT; b++)
		if (!strcmp(name, am_verify_warning_name(1u << b)))
			return AM_VERIFY__COUNT + (int)b;
	return -1;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'R' },
		{ "rev", required_argument, NULL, 'r' },
		{ "worktree", no_argument, NULL, 'W' },
		{ "as-of", required_argument, NULL, 'A' },
		{ "format", required_argument, NULL, 'f' },
		CLI_RENDER_LONGOPTS,
		{ "fail-on", required_argument, NULL, 'F' },
		{ "mentions", no_argument, NULL, 'm' },
		{ "no-resolution", no_argument, NULL, 'N' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "max-blob-size", required_argument, NULL, 'B' },
		{ "threads", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *output = NULL, *config = NULL;
	size_t max_size = AM_DEFAULT_MAX_SIZE;
	bool pretty = false, quiet = false, verbose = false;
	unsigned fail_mask = (1u << AM_VERIFY_MISSING) | (1u << AM_VERIFY_OUT_OF_RANGE) |
			     (1u << AM_VERIFY_OUTSIDE_REPO) | (1u << AM_VERIFY_DELETED);
	am_verify_options vopts = AM_VERIFY_OPTIONS_INIT;
	am_vocab *vocab = NULL;
	am_report *report = NULL;
	am_verify *v = NULL;
	cli_origin origin = { 0 };
	am_render_options ropts = AM_RENDER_OPTIONS_INIT;
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:o:vqh", longopts, "verify")) != -1) {
		switch (c) {
		case 'R': vopts.repo = optarg; break;
		case 'r': vopts.target = optarg; break;
		case 'W': vopts.worktree = 1; break;
		case 'A': vopts.as_of = optarg; break;
		case 'f': format = optarg; break;
		case 'F':
			if (!strcmp(optarg, "none"))
				fail_mask = 0;
			else if (cli_parse_mask("fail-on", optarg, find_state, "state",
						"see 'auditmd verify --help'", &fail_mask) < 0)
				return EXIT_USAGE;
			break;
		case 'm': vopts.mentions = 1; break;
		case 'N': vopts.resolution = 0; break;
		case 'v': verbose = true; break;
		case 'o': output = optarg; break;
		case 'Y': case 'Z': case 'L': cli_render_option(&ropts, c, optarg); break;
		case 'P': pretty = true; break;
		case 'C': config = optarg; break;
		case 'M':
			if (cli_size_option("max-size", optarg, &max_size) < 0)
				return EXIT_USAGE;
			break;
		case 'B':
			if (cli_size_option("max-blob-size", optarg, &vopts.max_blob) < 0)
				return EXIT_USAGE;
			break;
		case 'T':
			if (!strcmp(optarg, "auto")) {
				vopts.threads = 0;
			} else if (!strcmp(optarg, "1") || !strcmp(optarg, "2")) {
				vopts.threads = (unsigned)(optarg[0] - '0');
			} else {
				cli_error("--threads: '%s' is not 1, 2 or auto", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(verify_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("verify takes one AUDIT (see 'auditmd verify --help')");
		return EXIT_USAGE;
	}
	if (vopts.worktree && vopts.target) {
		cli_error("verify: --worktree and --rev both say where the code is; give one");
		return EXIT_USAGE;
	}
	const char *spec = argv[optind];
	if (!format)
		format = !output && isatty(fileno(stdout)) ? "text" : "json";
	if (!cli_format_known(format,
			      (const char *const[]){ "text", "json", "sarif", "github", "md", "html", NULL }))
		return EXIT_USAGE;

	if ((rc = cli_load_vocab(&vocab, config, spec, vopts.repo)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if ((rc = cli_load_audit_from(&report, &origin, spec, vopts.repo, vocab, max_size, 0)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if (!quiet)
		cli_print_diags(report, report->source);
	vopts.audit_rev = origin.rev;
	vopts.audit_path = origin.path;
	vopts.vocab = vocab;
	if ((rc = am_verify_run(&v, report, &vopts)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = rc == AM_EUSAGE ? EXIT_USAGE : EXIT_SYSTEM;
		goto done;
	}
	/* The audit's auditmd-disable comments and lint.disable switch
	 * citation states off here as they do in lint. */
	am_lint_options lopts = AM_LINT_OPTIONS_INIT;
	lopts.vocab = vocab;
	lopts.text = origin.text;
	lopts.len = origin.len;
	am_lint_suppress(v, &lopts);
	ropts.error_mask = fail_mask & ((1u << AM_VERIFY__COUNT) - 1);
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	/* Where the audit is, for annotations: its path in the repository. */
	const char *audit_name = v->audit_path ? v->audit_path
			       : origin.path ? origin.path : report->source;
	unsigned error_states = fail_mask & ((1u << AM_VERIFY__COUNT) - 1);
	if (!strcmp(format, "json"))
		rc = am_verify_write_json(out.fp, v, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "sarif"))
		rc = am_verify_write_sarif(out.fp, v, audit_name, error_states, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "github"))
		rc = cli_write_verify_github(out.fp, v, audit_name, fail_mask);
	else if (!strcmp(format, "text"))
		rc = cli_write_verify_text(out.fp, v, report->source, fail_mask, verbose,
					   !output && cli_use_color(stdout));
	else
		rc = am_verify_render_to(out.fp, v, format, &ropts);
	if ((exit_code = cli_output_finish(&out, rc, cli_renders(format))) != EXIT_OK)
		goto done;
	for (size_t i = 0; i < v->nresults; i++) {
		const am_verify_result *r = &v->results[i];
		if ((!r->state_suppressed && (fail_mask & (1u << r->state))) ||
		    (fail_mask & ((unsigned)r->warnings << AM_VERIFY__COUNT)))
			exit_code = EXIT_CHECK;
	}
	if (!strcmp(format, "github")) {
		/* An unwritable summary is a write failure, whatever the check said. */
		const char *summary = getenv("GITHUB_STEP_SUMMARY");
		if (summary && *summary && cli_append_verify_summary(summary, v, audit_name, fail_mask) < 0) {
			cli_error("%s", am_error_last());
			exit_code = EXIT_SYSTEM;
		}
	}
done:
	am_verify_free(v);
	am_report_free(report);
	am_vocab_free(vocab);
	cli_origin_free(&origin);
	return exit_code;
}
