/*
 * mustache_spec: runs the official Mustache specification tests.
 *
 *   mustache_spec DIR
 *
 * Reads every *.json file in DIR (in name order) and renders each test's
 * template with its data and partials. Prints "module: N passed, M failed"
 * per file, the name, expected and actual output of each failure, and a
 * final "N passed, M failed". ~lambdas.json is skipped: lambdas need code in
 * the data. Exits 0 when every test passed, 1 when one failed, 2 on a usage
 * error, 3 when a spec file cannot be read.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mustache.h"
#include "util.h"

/* Partials come from the test's "partials" object. */
static int load_partial(char **out, size_t *outlen, const char *name, void *payload)
{
	const json_t *text = json_object_get(payload, name);

	if (!json_is_string(text))
		return AM_ENOTFOUND;
	*outlen = json_string_length(text);
	*out = am_xstrndup(json_string_value(text), *outlen);
	return 0;
}

/* Prints s as a C string literal. */
static void print_escaped(const char *label, const char *s, size_t len)
{
	printf("    %s \"", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		default:
			if (c < 0x20 || c == 0x7f)
				printf("\\x%02x", c);
			else
				putchar(c);
		}
	}
	fputs("\"\n", stdout);
}

/* Runs one test; returns true when it passed. */
static bool run_test(const json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	const json_t *tmpl = json_object_get(test, "template");
	const json_t *expected = json_object_get(test, "expected");
	json_t *partials = json_object_get(test, "partials");
	am_template *tpl = NULL;
	am_buf out = AM_BUF_INIT;
	bool passed = false;
	int error;

	if (!json_is_string(tmpl) || !json_is_string(expected)) {
		printf("  FAIL %s: malformed test\n", name ? name : "?");
		goto done;
	}
	error = am_template_parse(&tpl, json_string_value(tmpl), json_string_length(tmpl), "template");
	if (error == 0)
		error = am_template_render(&out, tpl, json_object_get(test, "data"), load_partial,
					   partials);
	passed = error == 0 && out.size == json_string_length(expected) &&
		 memcmp(am_buf_cstr(&out), json_string_value(expected), out.size) == 0;
	if (!passed) {
		printf("  FAIL %s\n", name ? name : "?");
		print_escaped("template:", json_string_value(tmpl), json_string_length(tmpl));
		print_escaped("expected:", json_string_value(expected), json_string_length(expected));
		if (error < 0)
			printf("    error:    %d %s\n", error, am_error_last());
		else
			print_escaped("actual:  ", am_buf_cstr(&out), out.size);
	}
done:
	am_template_free(tpl);
	am_buf_free(&out);
	return passed;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills *out with the sorted names of the *.json files in dir. */
static int list_specs(char ***out, size_t *count, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		return AM_EIO;
	while ((ent = readdir(d)) != NULL) {
		size_t len = strlen(ent->d_name);

		if (len <= 5 || strcmp(ent->d_name + len - 5, ".json") != 0)
			continue;
		am_grow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n++] = am_xstrdup(ent->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	*out = names;
	*count = n;
	return 0;
}

int main(int argc, char **argv)
{
	char **files = NULL;
	size_t nfiles = 0, passed = 0, failed = 0;
	int status = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (!argv[1][0]) {
		/* Meson passes "" when -Dshared_dir is unset: skip, and say so. */
		fprintf(stderr, "SKIP: the Mustache spec runner needs -Dshared_dir=DIR with mustache-spec/\n");
		return 77;
	}
	if (list_specs(&files, &nfiles, argv[1]) < 0) {
		fprintf(stderr, "mustache_spec: error: cannot read directory %s\n", argv[1]);
		return 3;
	}
	for (size_t f = 0; f < nfiles; f++) {
		size_t len = strlen(files[f]), mod_passed = 0, mod_failed = 0;
		am_span module = { files[f], len - 5 };
		am_buf path = AM_BUF_INIT;
		json_error_t jerr;
		json_t *spec, *tests;

		if (am_span_eq(module, AM_SPAN("~lambdas"))) {
			printf("%.*s: skipped (lambdas need code in the data)\n", (int)module.len,
			       module.ptr);
			continue;
		}
		am_buf_puts(&path, argv[1]);
		am_buf_putc(&path, '/');
		am_buf_puts(&path, files[f]);
		spec = json_load_file(path.ptr, 0, &jerr);
		am_buf_free(&path);
		tests = json_object_get(spec, "tests");
		if (!json_is_array(tests)) {
			fprintf(stderr, "mustache_spec: error: %s: %s\n", files[f],
				spec ? "no \"tests\" array" : jerr.text);
			json_decref(spec);
			status = 3;
			continue;
		}
		for (size_t i = 0; i < json_array_size(tests); i++) {
			if (run_test(json_array_get(tests, i)))
				mod_passed++;
			else
				mod_failed++;
		}
		printf("%.*s: %zu passed, %zu failed\n", (int)module.len, module.ptr, mod_passed,
		       mod_failed);
		passed += mod_passed;
		failed += mod_failed;
		json_decref(spec);
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	if (status == 0 && failed)
		status = 1;
	for (size_t f = 0; f < nfiles; f++)
		free(files[f]);
	free(files);
	return status;
}
