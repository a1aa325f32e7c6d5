/*
 * date_status_fuzzer: the date recogniser (date.c) and the status and
 * level recognisers (vocab.c) on text the compiler can hand them: valid
 * UTF-8 without NUL bytes; other inputs are skipped.
 *
 * An input that starts with a line "vocab:<list>:<term>" first adds the
 * term to that vocabulary list (0-8, as a configuration file would) and
 * runs the rest of the input through recognisers built from it.
 *
 * Promises checked: a date found is a real calendar date written
 * YYYY-MM-DD; a status found has its span inside the text; a level found
 * is one of the enumerations.
 */
#include <string.h>

#include "auditmd/compile.h"
#include "date.h"
#include "vocab.h"

#include "fuzzer.h"

static void check_date(const char out[11])
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	AM_FUZZ_CHECK(strlen(out) == 10 && out[4] == '-' && out[7] == '-');
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7)
			AM_FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
	int month = (out[5] - '0') * 10 + (out[6] - '0');
	int day = (out[8] - '0') * 10 + (out[9] - '0');
	AM_FUZZ_CHECK(month >= 1 && month <= 12 && day >= 1 && day <= mdays[month - 1]);
}

static void recognise(am_vocab_matcher *vm, am_date_matcher *dm, const char *text, size_t len)
{
	char date[11] = "";
	size_t start = SIZE_MAX, end = SIZE_MAX;
	am_priority priority = AM_PRIORITY_NONE;
	am_severity severity = AM_SEVERITY_NONE;

	if (am_date__find(dm, text, len, date))
		check_date(date);
	am_status st = am_vocab__status(vm, text, len, &start, &end);
	AM_FUZZ_CHECK(st >= AM_STATUS_UNKNOWN && st <= AM_STATUS_WONTFIX);
	if (st != AM_STATUS_UNKNOWN) {
		AM_FUZZ_CHECK(start < end && end <= len);
		/* The same term again from where it starts. */
		AM_FUZZ_CHECK(am_vocab__status(vm, text + start, len - start, NULL, NULL) !=
			      AM_STATUS_UNKNOWN);
	}
	if (am_vocab__level(vm, text, len, &priority, &severity)) {
		AM_FUZZ_CHECK(priority > AM_PRIORITY_NONE && priority <= AM_PRIORITY_LOW);
		AM_FUZZ_CHECK(severity > AM_SEVERITY_NONE && severity <= AM_SEVERITY_INFO);
	}
	for (int l = 0; l < AM_VOCAB__COUNT; l++)
		(void)am_vocab__has(vm->vocab, (am_vocab_list)l, (am_span){ text, len });
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static am_vocab *vocab;
	static am_vocab_matcher matcher;
	static am_date_matcher dates;
	const char *text = (const char *)data;
	static const char prefix[] = "vocab:";

	if (!vocab) {
		if (am_vocab_new(&vocab) < 0 || am_vocab__matcher_init(&matcher, vocab) < 0 ||
		    am_date__matcher_init(&dates) < 0)
			abort();
	}
	if (!am_fuzz_is_text(data, size))
		return 0;

	const char *nl = memchr(text, '\n', size);
	if (nl && size > sizeof(prefix) + 1 && !memcmp(text, prefix, sizeof(prefix) - 1) &&
	    text[sizeof(prefix)] == ':') {
		/* vocab:<digit>:<term>\n<text> */
		unsigned list = (unsigned)(text[sizeof(prefix) - 1] - '0');
		const char *term = text + sizeof(prefix) + 1;
		char *copy = NULL;
		am_vocab *custom = NULL;
		am_vocab_matcher m;

		if (nl < term)
			return 0;
		copy = strndup(term, (size_t)(nl - term));
		if (!copy || am_vocab_new(&custom) < 0)
			abort();
		int rc = am_vocab_add(custom, (am_vocab_list)list, copy);
		AM_FUZZ_CHECK(rc == 0 || rc == AM_EUSAGE);
		AM_FUZZ_CHECK(rc < 0 || list >= AM_VOCAB__COUNT ||
			      am_vocab__has(custom, (am_vocab_list)list, am_span_from(copy)));
		if (am_vocab__matcher_init(&m, custom) < 0)
			abort();
		recognise(&m, &dates, nl + 1, size - (size_t)(nl + 1 - text));
		am_vocab__matcher_free(&m);
		am_vocab_free(custom);
		free(copy);
	} else {
		recognise(&matcher, &dates, text, size);
	}
	am_error_clear();
	return 0;
}
