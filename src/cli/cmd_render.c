/*
 * cmd_render.c: auditmd render, a Mustache template against JSON data.
 */
#include "cli.h"

/* --help: what it does, before the options ... */
static const char about[] =
	"Renders a Mustache template against JSON data and writes the bytes\n"
	"exactly, line endings included. A partial or parent {{> name}} is read\n"
	"from DIR/name.mustache. {{x}} is HTML-escaped, {{{x}}} and {{& x}} are not.\n"
	"Pipe any JSON output in: auditmd diff --format json A B | auditmd render t.mustache\n"
	"The output is written as it is made. Limits: sections and partials nest 100\n"
	"deep; 1 GiB of output; 100 million steps (tags, texts, sections entered)\n"
	"more than the bytes written.\n";

/* ... and what follows them. */
static const char notes[] =
	"exit codes: 0 success, 2 usage error, 3 the template or data could not be\n"
	"read or parsed, or a limit was passed (FILE:LINE:COL in the message),\n"
	"4 system error\n";

typedef struct {
	cli_job job;
	const char *data_path; /* --data: a file, or "-" for standard input */
	const char *partials;  /* --partials: where partials are read from */
	char *dir;             /* the template's directory, the default for partials */
	char *template_text, *data_text;
	am_template *template;
	am_template_data *data;
} render_job;

/* Reads and parses the template and the data: the render's input. */
static int run(cli_job *job)
{
	render_job *r = (render_job *)job;
	const char *path = job->operands[0];
	size_t template_len = 0, data_len = 0;
	int rc;

	if ((rc = cli_read_file(path, 16 << 20, &r->template_text, &template_len)) < 0 ||
	    (rc = am_template_parse(&r->template, r->template_text, template_len, path)) < 0 ||
	    (rc = cli_read_file(r->data_path, AM_DEFAULT_MAX_SIZE, &r->data_text, &data_len)) < 0 ||
	    (rc = am_template_data_parse(&r->data, r->data_text, data_len,
					 strcmp(r->data_path, "-") ? r->data_path : "<stdin>")) < 0)
		return cli_exit_for(rc);
	if (!r->partials) {
		const char *slash = strrchr(path, '/');
		r->dir = slash ? am_xstrndup(path, (size_t)(slash - path)) : am_xstrdup(".");
		r->partials = r->dir;
	}
	return EXIT_OK;
}

int cmd_render(int argc, char **argv)
{
	render_job r = { .data_path = "-" };
	int exit_code = cli_run(cli_render_table, run, &r.job, argc, argv);
	am_template_data_free(r.data);
	am_template_free(r.template);
	free(r.template_text);
	free(r.data_text);
	free(r.dir);
	return exit_code;
}

/* A partial `name` is DIR/name.mustache; names cannot leave DIR. */
static int load_partial(char **out, size_t *outlen, const char *name, void *payload)
{
	const char *dir = payload;
	am_buf path = AM_BUF_INIT;
	int rc;

	if (!*name || strstr(name, "..") || name[0] == '/') {
		am_error_set("partial '%s': not a name inside the partials directory", name);
		return AM_ENOTFOUND;
	}
	am_buf_printf(&path, "%s/%s.mustache", dir, name);
	rc = cli_read_file(path.ptr, 16 << 20, out, outlen);
	am_buf_free(&path);
	return rc;
}

/* Written as it is made; a failed render removes the output file. */
static int write_template(FILE *fp, cli_job *job)
{
	const render_job *r = (const render_job *)job;
	return am_template_render_to(fp, r->template, r->data, load_partial, (void *)r->partials);
}

/* Its one format: no --format. */
static const cli_format formats[] = { { "template", write_template, 1 }, CLI_FORMATS_END };

const cli_opt cli_render_table[] = {
	{ .type = CLI_OPT_OPERAND, .name = "TEMPLATE" },
	{ .type = CLI_OPT_ABOUT, .help = about },
	{ .type = CLI_OPT_NOTES, .help = notes },
	{ .type = CLI_OPT_STRING, .alias = 'd', .name = "data", .value_name = "FILE",
	  .field = offsetof(render_job, data_path), .in_usage = 1,
	  .help = "the JSON data (default: standard input; '-' too)" },
	{ .type = CLI_OPT_STRING, .alias = 'p', .name = "partials", .value_name = "DIR",
	  .field = offsetof(render_job, partials), .in_usage = 1,
	  .help = "where partials are read from (default: the template's directory)" },
	{ CLI_OPT_OUTPUT, .in_usage = 1 },
	{ .type = CLI_OPT_FORMAT, .formats = formats },
	{ .type = CLI_OPT_END },
};
