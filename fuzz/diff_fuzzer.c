/*
 * diff_fuzzer: two audits from one input, compiled and diffed, out as
 * auditmd-diff/1 JSON.
 *
 * The input is split at its first NUL byte (OLD before, NEW after); an
 * input without one is split in half. Promises checked: every finding of
 * both revisions ends in exactly one change, the counts add up, and the
 * JSON parses back.
 */
#include <string.h>

#include "auditmd/auditmd.h"

#include "fuzzer.h"

static am_report *compile_part(const uint8_t *data, size_t size, const char *name)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *report = NULL;

	opts.source = name;
	opts.threads = 1;
	if (am_compile(&report, (const char *)data, size, &opts) < 0)
		AM_FUZZ_CHECK(report == NULL);
	return report;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = size ? memchr(data, '\0', size) : NULL;
	size_t old_len = nul ? (size_t)(nul - data) : size / 2;
	size_t new_off = nul ? old_len + 1 : old_len;
	am_report *old_report = NULL, *new_report = NULL;
	am_diff *diff = NULL;
	char *json = NULL;
	size_t total = 0, nold = 0, nnew = 0;

	old_report = compile_part(data, old_len, "old.md");
	new_report = compile_part(data + new_off, size - new_off, "new.md");
	if (!old_report || !new_report)
		goto done;
	AM_FUZZ_CHECK(am_diff_run(&diff, old_report, new_report, NULL) == 0);
	for (int k = 0; k < AM_CHANGE__COUNT; k++)
		total += diff->counts[k];
	AM_FUZZ_CHECK(total == diff->nchanges);
	for (size_t i = 0; i < diff->nchanges; i++) {
		const am_change *c = &diff->changes[i];
		AM_FUZZ_CHECK(c->old_finding || c->new_finding);
		nold += c->old_finding != NULL;
		nnew += c->new_finding != NULL;
	}
	AM_FUZZ_CHECK(nold == old_report->nfindings && nnew == new_report->nfindings);
	AM_FUZZ_CHECK(am_diff_to_json(&json, diff, size & 1 ? AM_JSON_PRETTY : 0) == 0);
	am_fuzz_check_json(json);
done:
	free(json);
	am_diff_free(diff);
	am_report_free(old_report);
	am_report_free(new_report);
	am_error_clear();
	return 0;
}
