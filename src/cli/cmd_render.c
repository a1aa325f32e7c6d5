#include <getopt.h>
#include <string.h>

#include "cli.h"

static const char render_usage[] =
	"usage: auditmd render TEMPLATE [--data FILE|-] [--partials DIR] [-o FILE]\n"
	"\n"
	"Renders a Mustache template against JSON data and writes the bytes\n"
	"exactly, line endings included. A partial or parent {{> name}} is read\n"
	"from DIR/name.mustache. {{x}} is HTML-escaped, {{{x}}} and {{& x}} are not.\n"
	"Pipe any JSON output in: auditmd diff --format json A B | auditmd render t.mustache\n"
	"The output is written as it is made. Limits: sections and partials nest 100\n"
	"deep; 1 GiB of output; 100 million steps (tags, texts, sections entered)\n"
	"more than the bytes written.\n"
	"\n"
	"options:\n"
	"  -d, --data FILE       the JSON data (default: standard input; '-' too)\n"
	"  -p, --partials DIR    where partials are read from (default: the\n"
	"                        template's directory)\n"
	"  -o, --output FILE     write there (atomically) instead of standard output\n"
	"  -h, --help            show this help\n"
	"\n"
	"exit codes: 0 success, 2 usage error, 3 the template or data could not be\n"
	"read or parsed, or a limit was passed (FILE:LINE:COL in the message),\n"
	"4 system error\n";

typedef struct {
	const char *dir;
} loader_ctx;

/* A partial `name` is DIR/name.mustache; names cannot leave DIR. */
static int load_partial(char **out, size_t *outlen, const char *name, void *payload)
{
	loader_ctx *lc = payload;
	am_buf path = AM_BUF_INIT;
	int rc;

	if (!*name || strstr(name, "..") || name[0] == '/') {
		am_error_set("partial '%s': not a name inside the partials directory", name);
		return AM_ENOTFOUND;
	}
	am_buf_printf(&path, "%s/%s.mustache", lc->dir, name);
	rc = cli_read_file(path.ptr, 16 << 20, out, outlen);
	am_buf_free(&path);
	return rc == AM_ENOTFOUND ? AM_ENOTFOUND : rc;
}

int cmd_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "partials", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data_path = "-", *partials = NULL, *output = NULL;
	char *tpl_text = NULL, *data_text = NULL, *dir = NULL;
	size_t tpl_len = 0, data_len = 0;
	am_template *tpl = NULL;
	am_json_data *data = NULL;
	cli_output out = { 0 };
	int c, rc, exit_code = EXIT_OK;

	optind = 1;
	while ((c = cli_getopt(argc, argv, "d:p:o:h", longopts, "render")) != -1) {
		switch (c) {
		case 'd': data_path = optarg; break;
		case 'p': partials = optarg; break;
		case 'o': output = optarg; break;
		case 'h': fputs(render_usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("render takes exactly one TEMPLATE (see 'auditmd render --help')");
		return EXIT_USAGE;
	}
	const char *tpl_path = argv[optind];
	if ((rc = cli_read_file(tpl_path, 16 << 20, &tpl_text, &tpl_len)) < 0 ||
	    (rc = am_template_parse(&tpl, tpl_text, tpl_len, tpl_path)) < 0 ||
	    (rc = cli_read_file(data_path, AM_DEFAULT_MAX_SIZE, &data_text, &data_len)) < 0 ||
	    (rc = am_json_data_parse(&data, data_text, data_len, strcmp(data_path, "-") ? data_path : "<stdin>")) < 0) {
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	if (!partials) {
		const char *slash = strrchr(tpl_path, '/');
		dir = slash ? am_xstrndup(tpl_path, (size_t)(slash - tpl_path)) : am_xstrdup(".");
		partials = dir;
	}
	loader_ctx lc = { partials };
	if ((rc = cli_output_open(&out, output)) < 0) {
		cli_error("%s", am_error_last());
		exit_code = EXIT_SYSTEM;
		goto done;
	}
	/* Written as it is made; a failed render removes the output file. */
	rc = am_template_write_json(out.fp, tpl, data, load_partial, &lc);
	if (rc < 0 && !ferror(out.fp)) {
		cli_output_abort(&out);
		cli_error("%s", am_error_last());
		exit_code = cli_exit_for(rc);
		goto done;
	}
	exit_code = cli_output_finish(&out, rc, false);
done:
	am_json_data_free(data);
	am_template_free(tpl);
	free(tpl_text);
	free(data_text);
	free(dir);
	return exit_code;
}
