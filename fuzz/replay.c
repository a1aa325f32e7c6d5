/*
 * replay: the standalone driver of a fuzz target, for builds without
 * libFuzzer.
 *
 *   <target>_replay PATH...
 *
 * Runs every file named, and every file inside every directory named (in
 * name order, not recursing), through LLVMFuzzerTestOneInput once, each in
 * a buffer of exactly its size so that AddressSanitizer sees a read past
 * the end. Prints each file's name before running it, so the last name
 * printed before a crash is the culprit, and "N inputs replayed" at the end.
 * Exits 0 when all ran, 1 when a path cannot be read or no input was found,
 * 2 on a usage error. A crash is a crash: the target aborts.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzzer.h"

/* Reads a whole file into a malloc()ed buffer of exactly its size. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;
	uint8_t chunk[65536];

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (size + n > cap) {
			cap = (size + n) * 2;
			uint8_t *grown = realloc(data, cap);
			if (!grown)
				abort();
			data = grown;
		}
		memcpy(data + size, chunk, n);
		size += n;
	}
	if (ferror(f)) {
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	/* Exactly `size` bytes (at least one allocated, so never NULL). */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		abort();
	if (size)
		memcpy(exact, data, size);
	free(data);
	*out = exact;
	*len = size;
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;

	if (read_file(path, &data, &len) < 0) {
		fprintf(stderr, "replay: error: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	printf("%s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the regular files in dir, in name order; adds their number to *count. */
static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: error: cannot read directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((ent = readdir(d)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				abort();
			names = grown;
		}
		size_t dlen = strlen(dir);
		while (dlen > 1 && dir[dlen - 1] == '/')
			dlen--;
		size_t len = dlen + 1 + strlen(ent->d_name) + 1;
		names[n] = malloc(len);
		if (!names[n])
			abort();
		snprintf(names[n], len, "%.*s/%s", (int)dlen, dir, ent->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: error: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) < 0 : run_file(argv[i]) < 0)
			return 1;
		if (!S_ISDIR(st.st_mode))
			count++;
	}
	printf("%zu inputs replayed\n", count);
	if (!count) {
		fprintf(stderr, "replay: error: no input found\n");
		return 1;
	}
	return 0;
}
