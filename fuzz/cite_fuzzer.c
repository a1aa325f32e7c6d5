/*
 * cite_fuzzer: the citation grammar (cite.c) on any text the compiler can
 * hand it: valid UTF-8 without NUL bytes; other inputs are skipped.
 *
 * Promises checked: hits come in order, inside the text, with the path
 * inside the citation; a well-formed range has 1 <= start <= end <=
 * AM_MAX_LINE, a whole file 0-0.
 */
#include <string.h>

#include "auditmd/compile.h"
#include "cite.h"

#include "fuzzer.h"

typedef struct {
	size_t len;
	size_t last_off;
	size_t nhits;
} scan_state;

static int on_hit(const am_cite_hit *hit, void *payload)
{
	scan_state *st = payload;

	AM_FUZZ_CHECK(hit->off <= st->len && hit->len <= st->len - hit->off);
	AM_FUZZ_CHECK(hit->path_len > 0);
	AM_FUZZ_CHECK(hit->path_off >= hit->off &&
		      hit->path_off + hit->path_len <= hit->off + hit->len);
	AM_FUZZ_CHECK(st->nhits == 0 || hit->off >= st->last_off);
	if (!hit->malformed)
		AM_FUZZ_CHECK((hit->start == 0 && hit->end == 0) ||
			      (hit->start >= 1 && hit->start <= hit->end && hit->end <= AM_MAX_LINE));
	st->last_off = hit->off;
	st->nhits++;
	return 0;
}

/* Stops at the second hit: the early exit must pass the value up. */
static int stop_early(const am_cite_hit *hit, void *payload)
{
	size_t *n = payload;
	(void)hit;
	return ++*n == 2 ? 42 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static am_vocab *vocab;
	static am_cite_scanner scanner;
	scan_state st = { size, 0, 0 };
	size_t n = 0;
	int rc;

	if (!vocab) {
		if (am_vocab_new(&vocab) < 0 || am_cite__scanner_init(&scanner, vocab) < 0)
			abort();
	}
	if (!am_fuzz_is_text(data, size))
		return 0;
	rc = am_cite__scan(&scanner, (const char *)data, size, on_hit, &st);
	AM_FUZZ_CHECK(rc == 0 || rc == AM_ELIMIT);
	if (rc == 0) {
		rc = am_cite__scan(&scanner, (const char *)data, size, stop_early, &n);
		AM_FUZZ_CHECK(st.nhits >= 2 ? rc == 42 : rc == 0);
	}
	am_error_clear();
	return 0;
}
