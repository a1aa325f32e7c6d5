/*
 * fuzzer.h: what every fuzz target in this folder shares.
 *
 * A target is one LLVMFuzzerTestOneInput. Built with -Dfuzzing=true (clang)
 * it links libFuzzer; otherwise it links replay.c, a main that runs the
 * files of fuzz/corpus/<target>/ through it as an ordinary Meson test.
 *
 * A target checks the library's documented promises on every input and
 * calls abort() when one is broken, so a wrong answer shows up as a crash
 * just as a memory error does.
 */
#ifndef AM_FUZZER_H
#define AM_FUZZER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise: says which, then aborts (libFuzzer saves the input). */
#define AM_FUZZ_CHECK(cond)                                                          \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#cond);                                              \
			abort();                                                     \
		}                                                                    \
	} while (0)

/*
 * True when data[0..size) is text as the compiler hands it to its
 * recognisers: valid UTF-8 without NUL bytes (am_source__prepare rejects
 * anything else, and the pattern engine is told not to check again).
 */
static inline int am_fuzz_is_text(const uint8_t *data, size_t size)
{
	for (size_t i = 0, n; i < size; i += n) {
		if (!data[i] || !(n = am_utf8_seqlen(data + i, size - i)))
			return 0;
	}
	return 1;
}

/* Promise of every JSON producer: its output parses back as JSON. */
static inline void am_fuzz_check_json(const char *text)
{
	json_error_t err;
	json_t *doc;

	AM_FUZZ_CHECK(text != NULL);
	doc = json_loads(text, JSON_DECODE_ANY, &err);
	if (!doc)
		fprintf(stderr, "invalid JSON output: %d:%d: %s\n", err.line, err.column, err.text);
	AM_FUZZ_CHECK(doc != NULL);
	json_decref(doc);
}

#endif
