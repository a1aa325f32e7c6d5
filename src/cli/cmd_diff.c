#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char diff_usage[] =
	"usage: auditmd diff OLD NEW [--format text|json|md|html] [--fail-on KINDS] [options]\n"
	"\n"
	"Compares two revisions of an audit and classifies every finding: new,\n"
	"resolved, regressed, removed, open (in both) or closed (in both), even when\n"
	"it was renumbered, retitled or moved. OLD and NEW are paths, '-' for\n"
	"standard input, or REV:PATH read from git (HEAD~3:docs/AUDIT.md); an\n"
	"existing file wins over the REV:PATH reading.\n"
	"\n"
	"options:\n"
	"  -f, --format FMT      text (default on a terminal), json (default otherwise),\n"
	"                        md (a changelog entry) or html (a report page)\n"
	"      --fail-on KINDS   exit 1 when a change of these kinds exists, e.g.\n"
	"                        regressed,new (kinds: new, removed, resolved,\n"
	"                        regressed, open, closed)\n"
	"      --repo DIR        the git repository for REV:PATH (default: the one\n"
	"                        containing the current directory); when given, each\n"
	"                        resolved finding is also checked against the code:\n"
	"                        'unconfirmed' when none of its cited lines changed\n"
	"                        between the two audits' as-of commits\n"
	"  -o, --output FILE     write there (atomically) instead of standard output\n"
	"      --pretty          indent the JSON\n"
	"      --all             text: list unchanged open and closed findings too\n"
	"      --threshold X     lowest similarity that pairs two findings (default 0.5)\n"
	"      --config FILE     vocabulary file (default: nearest .auditmd.json upward)\n"
	"      --max-size N      refuse audits over N bytes (default 64M)\n"
	"  -q, --quiet           do not print warnings about the audits\n"
	CLI_RENDER_HELP
	"  -h, --help            show this help\n"
	"\n"
	"exit codes: 0 success, 1 a change listed in --fail-on exists, 2 usage error,\n"
	"3 an audit could not be read (missing file, unknown revision or path),\n"
	"4 git or system error (not a repository, write failure)\n";

/* The bit of a change kind named on --fail-on, or -1. */
static int find_kind(const char *name)
{
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		if (!strcmp(name, am_change_kind_name((am_change_kind)k)))
			return k;
	return -1;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		CLI_RENDER_LONGOPTS,
		{ "fail-on", required_argument, NULL, 'F' },
		{ "repo", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "all", no_argument, NULL, 'a' },
		{ "threshold", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *output = NULL, *config = NULL, *repo = NULL;
	size_t max_size = AM_DEFAULT_MAX_SIZE;
	bool pretty = false, quiet = false, all = false;
	unsigned fail_mask = 0;
	am_diff_options dopts = AM_DIFF_OPTIONS_INIT;
	am_vocab *vocab = NULL;
	am_report *old_r = NULL, *new_r = NULL;
	am_diff *diff = NULL;
	cli_origin old_origin = { 0 }, new_origin = { 0 };
	am_render_options ropts = AM_RENDER_OPTIONS_INIT;
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:o:qh", longopts, "diff")) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'F':
			if (cli_parse_mask("fail-on", optarg, find_kind, "kind",
					   "new, removed, resolved, regressed, open, closed", &fail_mask) < 0)
				return EXIT_USAGE;
			break;
		case 'R': repo = optarg; break;
		case 'o': output = optarg; break;
		case 'Y': case 'Z': case 'L': cli_render_option(&ropts, c, optarg); break;
		case 'P': pretty = true; break;
		case 'a': all = true; break;
		case 't': {
			char *end;
			dopts.threshold = strtod(optarg, &end);
			/* strtod also takes "nan", "inf" and leading white space;
			 * NaN fails every comparison. */
			if (!(am_isdigit((unsigned char)optarg[0]) || optarg[0] == '.') || *end ||
			    !(dopts.threshold > 0 && dopts.threshold <= 1)) {
				cli_error("--threshold: '%s' is not a number in (0, 1]", optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'C': config = optarg; break;
		case 'M':
			if (cli_size_option("max-size", optarg, &max_size) < 0)
				return EXIT_USAGE;
			break;
		case 'q': quiet = true; break;
		case 'h': fputs(diff_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		cli_error("diff takes OLD and NEW (see 'auditmd diff --help')");
		return EXIT_USAGE;
	}
	const char *old_spec = argv[optind], *new_spec = argv[optind + 1];
	if (!strcmp(old_spec, "-") && !strcmp(new_spec, "-")) {
		cli_error("diff: only one of OLD and NEW can be standard input");
		return EXIT_USAGE;
	}
	if (!format)
		format = !output && isatty(fileno(stdout)) ? "text" : "json";
	if (!cli_format_known(format, (const char *const[]){ "text", "json", "md", "html", NULL }))
		return EXIT_USAGE;

	if ((rc = cli_load_vocab(&vocab, config, new_spec, repo)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if ((rc = cli_load_audit_from(&old_r, &old_origin, old_spec, repo, vocab, max_size, 0)) < 0 ||
	    (rc = cli_load_audit_from(&new_r, &new_origin, new_spec, repo, vocab, max_size, 0)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if (!quiet) {
		cli_print_diags(old_r, old_r->source);
		cli_print_diags(new_r, new_r->source);
	}
	if ((rc = am_diff_run(&diff, old_r, new_r, &dopts)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if (repo) {
		am_verify_options oo = AM_VERIFY_OPTIONS_INIT, no = AM_VERIFY_OPTIONS_INIT;
		oo.repo = no.repo = repo;
		oo.audit_rev = old_origin.rev;
		oo.audit_path = old_origin.path;
		no.audit_rev = new_origin.rev;
		no.audit_path = new_origin.path;
		if ((rc = am_verify_resolutions(diff, &oo, &no)) < 0) {
			cli_error("%s", am_error_last());
			exit_code = EXIT_SYSTEM;
			goto done;
		}
	}
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if (!strcmp(format, "json"))
		rc = am_diff_write_json(out.fp, diff, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "text"))
		rc = cli_write_diff_text(out.fp, diff, !output && cli_use_color(stdout), all);
	else
		rc = am_diff_render_to(out.fp, diff, format, &ropts);
	if ((exit_code = cli_output_finish(&out, rc, cli_renders(format))) != EXIT_OK)
		goto done;
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		if ((fail_mask & (1u << k)) && diff->counts[k])
			exit_code = EXIT_CHECK;
done:
	am_diff_free(diff);
	am_report_free(old_r);
	am_report_free(new_r);
	am_vocab_free(vocab);
	cli_origin_free(&old_origin);
	cli_origin_free(&new_origin);
	return exit_code;
}
