/*
 * load.c: reading an audit from a path, standard input or `REV:PATH` in git.
 */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

bool cli_is_revpath(const char *spec)
{
	struct stat st;
	const char *colon = strchr(spec, ':');
	return strcmp(spec, "-") && colon && colon != spec && stat(spec, &st) != 0;
}

int cli_load_audit_from(am_report **out, cli_origin *origin, const char *spec, const char *repo,
			const am_vocab *vocab, size_t max_size, unsigned threads)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	const char *colon = strchr(spec, ':');
	if (!cli_is_revpath(spec)) {
		/* An existing file wins over a REV:PATH reading. */
		rc = cli_read_file(spec, max_size, &text, &len);
		if (origin) {
			origin->rev = NULL;
			origin->path = strcmp(spec, "-") ? am_xstrdup(spec) : NULL;
		}
	} else {
		if (origin) {
			origin->rev = am_xstrndup(spec, (size_t)(colon - spec));
			origin->path = am_xstrdup(colon + 1);
		}
		char *rev = am_xstrndup(spec, (size_t)(colon - spec));
		rc = am_revision_read(&text, &len, repo, rev, colon + 1, max_size);
		free(rev);
	}
	if (rc < 0) {
		free(text);
		return rc;
	}
	rc = cli_compile_text(out, spec, text, len, vocab, max_size, threads);
	if (origin && rc == 0) {
		origin->text = text;
		origin->len = len;
	} else {
		free(text);
	}
	return rc;
}

int cli_compile_text(am_report **out, const char *spec, const char *text, size_t len, const am_vocab *vocab,
		     size_t max_size, unsigned threads)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	opts.source = strcmp(spec, "-") ? spec : "<stdin>";
	opts.max_size = max_size;
	opts.vocab = vocab;
	opts.threads = threads;
	return am_compile(out, text, len, &opts);
}

void cli_origin_free(cli_origin *o)
{
	free(o->rev);
	free(o->path);
	free(o->text);
	o->rev = o->path = o->text = NULL;
}
