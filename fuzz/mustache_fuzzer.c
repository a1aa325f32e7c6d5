/*
 * mustache_fuzzer: the template engine (mustache.c) with the template and
 * the JSON data both from the input.
 *
 * Input: TEMPLATE NUL DATA. Without a NUL byte the whole input is the
 * template; data that is not JSON is replaced by a fixed object, so every
 * template is rendered. Partials come from the fixed set in partials.h.
 *
 * Promises checked: a failed parse or render is a documented code with a
 * message and leaves the output as it was; a template renders the same
 * bytes twice.
 */
#include <string.h>

#include "json_int.h"
#include "mustache.h"

#include "fuzzer.h"
#include "partials.h"

static const char default_data[] =
	"{\"text\": \"<b>&\\\"'</b>\", \"content\": \"c\", \"a\": {\"b\": {\"c\": 1.5}},"
	" \"list\": [1, \"two\", null, true, false, {\"name\": \"n\"}, [], {}],"
	" \"nodes\": [{\"content\": \"x\", \"nodes\": []}], \"template\": \"node\","
	" \"value\": 0, \"empty\": \"\", \"zero\": 0, \"big\": 1e308}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = size ? memchr(text, '\0', size) : NULL;
	size_t tpl_len = nul ? (size_t)(nul - text) : size;
	am_template *tpl = NULL;
	json_t *values = NULL;
	am_buf out = AM_BUF_INIT, again = AM_BUF_INIT;
	int rc;

	rc = am_template_parse(&tpl, text, tpl_len, "fuzz");
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE || rc == AM_ELIMIT);
		AM_FUZZ_CHECK(tpl == NULL && am_error_last()[0] != '\0');
		goto done;
	}
	if (!nul || am_json__load(&values, nul + 1, size - tpl_len - 1, "fuzz.json") < 0) {
		rc = am_json__load(&values, default_data, sizeof(default_data) - 1, "default");
		AM_FUZZ_CHECK(rc == 0);
	}
	am_buf_puts(&out, "x");
	rc = am_template_render(&out, tpl, values, am_fuzz_load_partial, NULL);
	if (rc < 0) {
		AM_FUZZ_CHECK(rc == AM_EPARSE || rc == AM_ELIMIT);
		AM_FUZZ_CHECK(out.size == 1 && !strcmp(out.ptr, "x"));
		AM_FUZZ_CHECK(am_error_last()[0] != '\0');
		goto done;
	}
	AM_FUZZ_CHECK(out.ptr && out.ptr[0] == 'x' && out.ptr[out.size] == '\0');
	rc = am_template_render(&again, tpl, values, am_fuzz_load_partial, NULL);
	AM_FUZZ_CHECK(rc == 0 && again.size == out.size - 1 &&
		      !memcmp(am_buf_cstr(&again), out.ptr + 1, again.size));
done:
	am_buf_free(&out);
	am_buf_free(&again);
	am_template_free(tpl);
	json_decref(values);
	am_error_clear();
	return 0;
}
