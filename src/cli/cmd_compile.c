#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char compile_usage[] =
	"usage: auditmd compile AUDIT [--format json|text|md|html] [-o FILE] [options]\n"
	"\n"
	"Turns a Markdown audit into its finding model: title, date, metadata and\n"
	"findings with status, priority/severity, fields and file:line citations.\n"
	"AUDIT is a path, '-' for standard input, or REV:PATH read from git (an\n"
	"existing file wins).\n"
	"\n"
	"options:\n"
	"  -f, --format FMT    json (default when stdout is not a terminal), text, or\n"
	"                      md / html (a normalised rendering, through templates)\n"
	"  -o, --output FILE   write there (atomically) instead of standard output\n"
	"      --repo DIR      the git repository for REV:PATH (default: the one\n"
	"                      containing the current directory)\n"
	"      --pretty        indent the JSON\n"
	"      --config FILE   vocabulary file (default: nearest .auditmd.json upward)\n"
	"      --max-size N    refuse audits over N bytes (default 64 MiB; K, M, G suffixes)\n"
	"  -q, --quiet         do not print warnings about the audit\n"
	"      --threads N     1, or auto (default: two threads for audits over 1 MiB)\n"
	CLI_RENDER_HELP
	"  -h, --help          show this help\n"
	"\n"
	"limits (exit 3, with the position): 64 MiB (--max-size); lists and block\n"
	"quotes nested 256 deep; inline elements (emphasis, links) nested 256 deep;\n"
	"128 cells in a line of a table; 1,000,000 findings\n"
	"\n"
	"exit codes: 0 success, 2 usage error, 3 the audit could not be read or parsed\n"
	"(invalid UTF-8, NUL bytes, over a limit), 4 system error\n";

int cmd_compile(int argc, char **argv)
{
	am_render_options ropts = AM_RENDER_OPTIONS_INIT;
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		CLI_RENDER_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "threads", required_argument, NULL, 'T' },
		{ "repo", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *output = NULL, *config = NULL, *repo = NULL;
	size_t max_size = AM_DEFAULT_MAX_SIZE;
	bool pretty = false, quiet = false;
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_vocab *vocab = NULL;
	am_report *report = NULL;
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:o:qh", longopts, "compile")) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'R': repo = optarg; break;
		case 'Y': case 'Z': case 'L': cli_render_option(&ropts, c, optarg); break;
		case 'P': pretty = true; break;
		case 'C': config = optarg; break;
		case 'q': quiet = true; break;
		case 'T':
			if (strcmp(optarg, "1") && strcmp(optarg, "auto")) {
				cli_error("--threads: '%s' is not 1 or auto", optarg);
				return EXIT_USAGE;
			}
			opts.threads = strcmp(optarg, "1") ? 0 : 1;
			break;
		case 'M':
			if (cli_size_option("max-size", optarg, &max_size) < 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(compile_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("compile takes exactly one AUDIT (see 'auditmd compile --help')");
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	if (!format)
		format = (output ? false : cli_use_color(stdout) || isatty(fileno(stdout))) ? "text" : "json";
	if (!cli_format_known(format, (const char *const[]){ "json", "text", "md", "html", NULL }))
		return EXIT_USAGE;

	if ((rc = cli_load_vocab(&vocab, config, path, repo)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if ((rc = cli_load_audit(&report, path, repo, vocab, max_size, opts.threads)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	opts.source = report->source;
	if (!quiet)
		cli_print_diags(report, opts.source);
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if (!strcmp(format, "json"))
		rc = am_report_write_json(out.fp, report, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "text"))
		rc = cli_write_report_text(out.fp, report, !output && cli_use_color(stdout));
	else
		rc = am_report_render_to(out.fp, report, format, &ropts);
	exit_code = cli_output_finish(&out, rc, cli_renders(format));
done:
	am_report_free(report);
	am_vocab_free(vocab);
	return exit_code;
}
