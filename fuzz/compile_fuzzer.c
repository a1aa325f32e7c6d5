/*
 * compile_fuzzer: any bytes as an audit, through the whole compile path
 * (input hygiene, Markdown, compiler) and out as auditmd/1 JSON.
 *
 * Promises checked: compile either fails with a documented code and no
 * report, or succeeds with a report whose JSON parses back; every finding
 * has an ID and a title; positions (of findings and citations) are
 * 1-based. And the audit cut in parts (large audits are; here any size
 * is, with the option split_min at 1 byte), compiled on two threads or
 * part after part on one, gives the same JSON as the whole.
 */
#include <string.h>

#include "auditmd/auditmd.h"

#include "compile_int.h"
#include "fuzzer.h"

/* The same audit compiled in parts, when it can be cut, in pieces on two
 * threads and part after part on one (the input's first byte picks):
 * JSON equal to `whole`'s. */
static void check_split(const uint8_t *data, size_t size, const char *whole)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *report = NULL;
	char *json = NULL;
	uint32_t line;

	opts.split_min = 1;
	opts.threads = size && (data[0] & 1) ? 1 : 0;
	if (am_compile__find_split((const char *)data, size, opts.split_min, &line)) {
		opts.source = "fuzz.md";
		AM_FUZZ_CHECK(am_compile(&report, (const char *)data, size, &opts) == 0);
		AM_FUZZ_CHECK(am_report_to_json(&json, report, size & 1 ? AM_JSON_PRETTY : 0) == 0);
		AM_FUZZ_CHECK(!strcmp(json, whole));
	}
	free(json);
	am_report_free(report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	am_compile_options opts = AM_COMPILE_OPTIONS_INIT;
	am_report *report = NULL;
	char *json = NULL;
	int rc;

	opts.source = "fuzz.md";
	opts.threads = 1;
	opts.split_min = SIZE_MAX; /* one pass */
	rc = am_compile(&report, (const char *)data, size, &opts);
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE || rc == AM_ELIMIT);
		AM_FUZZ_CHECK(report == NULL);
		AM_FUZZ_CHECK(am_error_last()[0] != '\0');
		goto done;
	}
	AM_FUZZ_CHECK(report != NULL);
	for (size_t i = 0; i < report->nfindings; i++) {
		const am_finding *f = &report->findings[i];
		AM_FUZZ_CHECK(f->id && f->id[0] && f->title && f->norm_title);
		AM_FUZZ_CHECK(f->line >= 1 && f->column >= 1 && f->end_line >= f->line);
		AM_FUZZ_CHECK(f->ntasks_done <= f->ntasks);
		for (size_t k = 0; k < f->ncitations; k++) {
			const am_citation *ci = &f->citations[k];
			AM_FUZZ_CHECK(ci->path && ci->path[0]);
			AM_FUZZ_CHECK(ci->line >= 1 && ci->column >= 1);
			AM_FUZZ_CHECK(ci->malformed || ci->end >= ci->start);
		}
	}
	for (size_t i = 0; i < report->ndiags; i++)
		AM_FUZZ_CHECK(report->diags[i].code && report->diags[i].text);
	rc = am_report_to_json(&json, report, size & 1 ? AM_JSON_PRETTY : 0);
	AM_FUZZ_CHECK(rc == 0);
	am_fuzz_check_json(json);
	check_split(data, size, json);
done:
	free(json);
	am_report_free(report);
	am_error_clear();
	return 0;
}
