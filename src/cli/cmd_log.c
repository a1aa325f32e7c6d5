#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"

static const char log_usage[] =
	"usage: auditmd log PATH [--repo DIR] [--since DATE] [--until DATE]\n"
	"                   [--format md|text|html|json|jsonl]\n"
	"\n"
	"Walks the git history of one audit file (following renames), compiles each\n"
	"revision that changed it (identical contents once), diffs consecutive\n"
	"revisions and prints a changelog: one entry per revision with what it\n"
	"resolved, added, reopened or removed, and the open/closed totals.\n"
	"\n"
	"options:\n"
	"      --repo DIR        the repository (default: the one containing PATH's\n"
	"                        directory, else the current directory)\n"
	"      --since DATE      only revisions authored on or after DATE (YYYY-MM-DD)\n"
	"      --until DATE      only revisions authored on or before DATE\n"
	"  -f, --format FMT      md (default), text (for a terminal), html (with a\n"
	"                        chart of open and closed findings), json, or jsonl\n"
	"                        (one entry a line)\n"
	CLI_RENDER_HELP
	"  -o, --output FILE     write there (atomically) instead of standard output\n"
	"      --pretty          indent the JSON\n"
	"      --config FILE     vocabulary file (default: nearest .auditmd.json upward)\n"
	"      --max-size N      refuse revisions over N bytes (default 64M)\n"
	"  -h, --help            show this help\n"
	"\n"
	"exit codes: 0 success, 2 usage error, 3 the file is not in the history or a\n"
	"revision could not be compiled, 4 git or system error\n";

static bool valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !am_isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

static void progress(size_t done, size_t total, void *payload)
{
	(void)payload;
	if (done >= total)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\rcompiling revision %zu of %zu", done + 1, total);
}

int cmd_log(int argc, char **argv)
{
	am_render_options ropts = AM_RENDER_OPTIONS_INIT;
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'R' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		CLI_RENDER_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *repo = NULL, *format = "md", *output = NULL, *config = NULL;
	am_log_options opts = AM_LOG_OPTIONS_INIT;
	bool pretty = false;
	am_vocab *vocab = NULL;
	am_log *log = NULL;
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	opts.max_size = AM_DEFAULT_MAX_SIZE;
	optind = 1;
	while ((c = cli_getopt(argc, argv, "f:o:h", longopts, "log")) != -1) {
		switch (c) {
		case 'R': repo = optarg; break;
		case 'S':
		case 'U':
			if (!valid_date(optarg)) {
				cli_error("--%s: '%s' is not a date (YYYY-MM-DD)", c == 'S' ? "since" : "until", optarg);
				return EXIT_USAGE;
			}
			*(c == 'S' ? &opts.since : &opts.until) = optarg;
			break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'Y': case 'Z': case 'L': cli_render_option(&ropts, c, optarg); break;
		case 'P': pretty = true; break;
		case 'C': config = optarg; break;
		case 'M':
			if (cli_size_option("max-size", optarg, &opts.max_size) < 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(log_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("log takes exactly one PATH (see 'auditmd log --help')");
		return EXIT_USAGE;
	}
	if (!cli_format_known(format, (const char *const[]){ "md", "text", "html", "json", "jsonl", NULL }))
		return EXIT_USAGE;
	const char *path = argv[optind];
	if ((rc = cli_load_vocab(&vocab, config, path, repo)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	opts.vocab = vocab;
	if (isatty(fileno(stderr))) {
		opts.progress = progress;
	}
	if (!repo) {
		/* The repository around the file, if the file is still there. */
		static char dir[4096];
		const char *slash = strrchr(path, '/');
		if (slash && (size_t)(slash - path) < sizeof(dir)) {
			memcpy(dir, path, (size_t)(slash - path));
			dir[slash - path] = '\0';
			if (access(dir, F_OK) == 0)
				repo = dir;
		}
	}
	if ((rc = am_log_run(&log, repo, path, &opts)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	if (!strcmp(format, "json"))
		rc = am_log_write_json(out.fp, log, pretty ? AM_JSON_PRETTY : 0);
	else if (!strcmp(format, "jsonl"))
		rc = am_log_write_jsonl(out.fp, log);
	else if (!strcmp(format, "text"))
		rc = cli_write_log_text(out.fp, log, !output && cli_use_color(stdout));
	else
		rc = am_log_render_to(out.fp, log, format, &ropts);
	exit_code = cli_output_finish(&out, rc, cli_renders(format));
done:
	am_log_free(log);
	am_vocab_free(vocab);
	return exit_code;
}
